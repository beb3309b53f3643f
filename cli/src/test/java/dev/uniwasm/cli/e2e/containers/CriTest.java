package dev.uniwasm.cli.e2e.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Host;
import dev.uniwasm.cli.e2e.support.OciImages;
import dev.uniwasm.cli.e2e.support.TestSockets;
import dev.uniwasm.testkit.Commands;
import dev.uniwasm.testkit.Containerd;
import dev.uniwasm.testkit.Cri;
import dev.uniwasm.testkit.KitException;
import dev.uniwasm.testkit.Mounts;
import dev.uniwasm.testkit.ScratchImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's Kubernetes lines, end to end: a containerd of the test's own with its CRI plugin on and
 * README's {@code config.toml} entry (read from README.md, its path made this checkout's
 * uniwasm-runtime), driven as the kubelet drives it, through testkit's {@link Cri} client. Images from
 * 'uniwasm image build', imported with {@code ctr -n k8s.io images import --platform wasi/wasm}, run
 * in pods of the runtime handler {@code uniwasm}: output from the CRI log, the app's exit status, the
 * way of running chosen by a container's or the pod's annotation {@code dev.uniwasm.isolation}, a
 * server answering on the node's loopback and ended by StopContainer; the pods' sandbox is a pause
 * program of the test's own ({@code native/pause.c}), which uniwasm-runtime hands to runc, also when
 * the pod's annotation reaches it. Removing the containers and pods leaves no process, runtime state,
 * cgroup or mount. Skipped where containerd is not installed or the test is not root.
 */
class CriTest {
    private static final String HANDLER = "uniwasm";
    private static final String CGROUP_PARENT = "uniwasm-cri-test";
    /** The runc shim's default runtime root, BinaryName's too: README's entry sets no other. */
    private static final Path RUNC_ROOT = Path.of("/run/containerd/runc", Containerd.CRI_NAMESPACE);

    private static final String PLACEHOLDER = "/path/to/uniwasm/build/bin/uniwasm-runtime";
    private static final String HELLO = "docker.io/library/uniwasm-cri-hello:1";
    private static final String EXIT42 = "docker.io/library/uniwasm-cri-exit42:1";
    private static final String ECHO = "docker.io/library/uniwasm-cri-echo:1";
    private static final String PAUSE = "docker.io/library/uniwasm-cri-pause:1";

    @TempDir
    Path dir;

    /** Containers and sandboxes the test made (runtime state and cgroups are checked for each). */
    private final List<String> ids = new ArrayList<>();
    /** Container processes seen running. */
    private final List<Long> pids = new ArrayList<>();

    @Test
    void podsOfUniwasmImagesRunUnderTheReadmesRuntimeEntry() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "containerd needs root");
        assumeTrue(
                Host.onPath("containerd")
                        && Host.onPath("ctr")
                        && Host.onPath("containerd-shim-runc-v2")
                        && Host.onPath("runc")
                        && Host.onPath("clang"),
                "containerd, runc and clang are needed (scripts/setup installs them)");
        Path runtime = OciImages.runtime();
        int port = TestSockets.freeLoopbackPort();
        Path hello = OciImages.build(dir, "hello", HELLO, "--env", "GREETING=hi", "--", "baked");
        Path exit42 = OciImages.build(dir, "exit42", EXIT42, "--isolation", "process");
        Path echo = OciImages.build(dir, "tcp_echo", ECHO, "--tcplisten", "127.0.0.1:" + port, "--", "1000");
        Path pause = pauseImage();

        boolean runcRootWasThere = Files.exists(RUNC_ROOT);
        Containerd containerd =
                Containerd.startWithCri(dir.resolve("containerd"), false, Map.of(), PAUSE, readmeRuntimeEntry(runtime));
        Path logs = Files.createDirectories(dir.resolve("pods"));
        List<String> pods = new ArrayList<>();
        try (Cri cri = Cri.connect(containerd.socket(), 60)) {
            assertEquals("v1", cri.version().apiVersion(), cri.version().toString());
            containerd.require(List.of("images", "import", "--platform", "linux/amd64", pause.toString()), 60);
            for (Path image : List.of(hello, exit42, echo)) {
                containerd.require(List.of("images", "import", "--platform", "wasi/wasm", image.toString()), 60);
            }
            // a wasi/wasm-only image is one the CRI knows and runs on this linux/amd64 node: ctr import
            // names the manifest itself, and containerd matches platforms only below an index (docs/oci.md)
            assertTrue(cri.imageStatus(HELLO).isPresent(), "the CRI does not see " + HELLO);

            Cri.Pod pod =
                    new Cri.Pod("cri-a", "default", "uid-cri-a", logs.resolve("a"), "/" + CGROUP_PARENT, Map.of());
            String a = cri.runPodSandbox(pod, HANDLER);
            pods.add(a);
            ids.add(a);
            assertTrue(cri.podReady(a), "pod a is not ready");

            // the image's entrypoint, Cmd and Env; stdout and stderr in the CRI log
            Cri.ContainerStatus s = runToExit(cri, a, pod, container("hello", HELLO, List.of(), Map.of()));
            assertEquals(0, s.exitCode(), s.toString());
            String out = Cri.logText(Path.of(s.logPath()), "stdout");
            assertTrue(out.startsWith("hello from uniwasm\narg[0]=hello.wasm\narg[1]=baked\n"), out);
            assertTrue(out.contains("env GREETING=hi\n"), out);
            assertEquals("hello on stderr\n", Cri.logText(Path.of(s.logPath()), "stderr"));

            s = runToExit(cri, a, pod, container("exit42", EXIT42, List.of(), Map.of()));
            assertEquals(42, s.exitCode(), s.toString());

            // a VM by the container's annotation, which README's container_annotations lets through;
            // CRI args replace Cmd and keep the entrypoint
            s = runToExit(
                    cri,
                    a,
                    pod,
                    container("hello-vm", HELLO, List.of("from-cri"), Map.of("dev.uniwasm.isolation", "vm")));
            assertEquals(0, s.exitCode(), s.toString());
            out = Cri.logText(Path.of(s.logPath()), "stdout");
            assertTrue(out.startsWith("hello from uniwasm\narg[0]=hello.wasm\narg[1]=from-cri\n"), out);
            assertTrue(s.info().getOrDefault("info", "").contains("\"dev.uniwasm.isolation\":\"vm\""), s.toString());

            // a server as the app's process, on the node's loopback (the pod has the node's network)
            serveAndStop(cri, a, pod, "echo-process", port, false);

            // the pod's annotation (README's pod_annotations, what Kubernetes sets) reaches every
            // container of the pod, its sandbox too, which must still go to runc
            Cri.Pod vmPod = new Cri.Pod(
                    "cri-b",
                    "default",
                    "uid-cri-b",
                    logs.resolve("b"),
                    "/" + CGROUP_PARENT,
                    Map.of("dev.uniwasm.isolation", "vm"));
            String b = cri.runPodSandbox(vmPod, HANDLER);
            pods.add(b);
            ids.add(b);
            assertTrue(cri.podReady(b), "pod b is not ready");
            serveAndStop(cri, b, vmPod, "echo-vm", port, true);

            for (String p : List.of(a, b)) {
                cri.stopPodSandbox(p);
                cri.removePodSandbox(p);
                pods.remove(p);
            }
            assertNothingLeft(containerd);
        } finally {
            try (Cri cri = Cri.connect(containerd.socket(), 30)) {
                for (String p : pods) {
                    // best effort after a failure, which is the error to see
                    try {
                        cri.stopPodSandbox(p);
                        cri.removePodSandbox(p);
                    } catch (KitException e) {
                        System.err.println("CriTest clean-up: " + e.getMessage());
                    }
                }
            } finally {
                containerd.close();
                Host.removeCgroupParent(CGROUP_PARENT);
                // the shim made it for the pods' runtime state, emptied by their removal
                if (!runcRootWasThere) Files.deleteIfExists(RUNC_ROOT);
            }
        }
    }

    /**
     * README's config.toml lines for the CRI, as a user copies them, with this checkout's runtime as
     * BinaryName: the one TOML block of README's "Containers" section.
     */
    private static String readmeRuntimeEntry(Path runtime) throws IOException {
        String readme = Files.readString(Examples.home().resolve("README.md"));
        String containers = readme.substring(readme.indexOf("\n## Containers\n"));
        containers = containers.substring(0, containers.indexOf("\n## ", 1));
        Matcher m = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL).matcher(containers);
        assertTrue(m.find(), "README's Containers section has no toml block");
        String block = m.group(1);
        assertFalse(m.find(), "README's Containers section has more than one toml block");
        assertTrue(block.contains("BinaryName = \"" + PLACEHOLDER + "\""), block);
        return block.replace(PLACEHOLDER, runtime.toString());
    }

    /** The sandbox image: pause.c, static, in a scratch linux/amd64 image. */
    private Path pauseImage() throws Exception {
        Path exe = Host.compileC(Examples.home().resolve("cli/src/test/native/pause.c"), dir.resolve("pause"), true);
        Path image = dir.resolve("pause.tar");
        ScratchImage.write(
                Commands.PLAIN,
                Map.of("pause", exe),
                new ScratchImage.Config(List.of("/pause"), List.of(), List.of()),
                PAUSE,
                image);
        return image;
    }

    private static Cri.Container container(
            String name, String image, List<String> args, Map<String, String> annotations) {
        return new Cri.Container(name, image, List.of(), args, Map.of(), annotations, name + ".log");
    }

    /** Creates, starts and waits for a container, then removes it; its status once exited. */
    private Cri.ContainerStatus runToExit(Cri cri, String pod, Cri.Pod config, Cri.Container c) {
        String id = cri.createContainer(pod, config, c);
        ids.add(id);
        cri.startContainer(id);
        Cri.ContainerStatus s = cri.awaitExit(id, 60);
        cri.removeContainer(id);
        return s;
    }

    /**
     * tcp_echo in the pod answers on the node's loopback, as the app's process or (vm) as QEMU, the
     * container's process's child, forwarding the port to its guest; StopContainer (SIGTERM to the
     * container's first process) ends it with 143, and it is removed.
     */
    private void serveAndStop(Cri cri, String pod, Cri.Pod config, String name, int port, boolean vm) throws Exception {
        String id = cri.createContainer(pod, config, container(name, ECHO, List.of(), Map.of()));
        ids.add(id);
        cri.startContainer(id);
        try {
            Cri.ContainerStatus running = cri.containerStatus(id);
            assertEquals(Cri.State.RUNNING, running.state(), running.toString());
            Matcher pid =
                    Pattern.compile("\"pid\":(\\d+)").matcher(running.info().getOrDefault("info", ""));
            assertTrue(pid.find(), running.toString());
            long p = Long.parseLong(pid.group(1));
            pids.add(p);
            assertEquals(
                    "ping", vm ? TestSockets.pingForwarded(List.of(), port) : TestSockets.pingFrom(List.of(), port));
            List<String> children = ProcessHandle.of(p).stream()
                    .flatMap(ProcessHandle::children)
                    .map(h -> h.info().command().orElse("?"))
                    .toList();
            assertEquals(
                    vm, children.stream().anyMatch(c -> c.contains("qemu-system")), name + "'s children: " + children);
            cri.stopContainer(id, 10);
            Cri.ContainerStatus s = cri.awaitExit(id, 30);
            assertEquals(143, s.exitCode(), s.toString());
        } finally {
            cri.removeContainer(id);
        }
    }

    /**
     * No container process, runtime state folder, cgroup (in every hierarchy) or mount under
     * containerd's folder is left, and the pods' shims (started with containerd's socket) have ended.
     */
    private void assertNothingLeft(Containerd containerd) throws Exception {
        for (long p : pids) assertTrue(waitGone(p), "container process " + p + " outlived its container");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Long> shims;
        while (!(shims = shims(containerd)).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertEquals(List.of(), shims, "shims of removed pods are still running");
        for (String id : ids) {
            assertFalse(Files.exists(RUNC_ROOT.resolve(id)), "runtime state of " + id + " was left");
            for (Path h : Host.cgroupHierarchies()) {
                Path left = h.resolve(CGROUP_PARENT).resolve(id);
                assertFalse(Files.exists(left), "cgroup " + left + " was left");
            }
        }
        assertEquals(List.of(), Mounts.under(containerd.dir()), "a container's or pod's mount was left");
    }

    private static boolean waitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).isPresent()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** containerd-shim-runc-v2 processes of this containerd (their command line names its socket). */
    private static List<Long> shims(Containerd containerd) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().command().orElse("").endsWith("containerd-shim-runc-v2"))
                .filter(h -> h.info()
                        .arguments()
                        .map(List::of)
                        .orElse(List.of())
                        .contains(containerd.socket().toString()))
                .map(ProcessHandle::pid)
                .toList();
    }
}
