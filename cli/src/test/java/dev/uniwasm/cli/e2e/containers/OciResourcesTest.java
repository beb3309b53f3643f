package dev.uniwasm.cli.e2e.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Host;
import dev.uniwasm.cli.e2e.support.OciImages;
import dev.uniwasm.cli.e2e.support.OciShim;
import dev.uniwasm.cli.e2e.support.OciShim.Call;
import dev.uniwasm.cli.e2e.support.OciShim.Launch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uniwasm-runtime applies config.json's linux.resources in the container's cgroups at create, and
 * `update` (as containerd's shim calls it, `update --resources=- ID` with the JSON on stdin, and with
 * runc's flags) changes them on a running, paused or VM container: the values land in the cgroup v1
 * files of this hybrid host; in cgroup v2's where the unified hierarchy stands in for cgroup v2 in a
 * mount namespace of the test's own (it offers hugetlb only here); and, for v2's conversions (shares
 * to cpu.weight, cpu.max, memory.swap.max, io.weight), in plain files on a tmpfs standing in for
 * the v2 hierarchy. A value the kernel refuses, or one asked of a controller the host lacks, is one
 * line naming the key and the value. oci_shim (cli/src/test/native) does the shim's part.
 */
class OciResourcesTest {
    /** The cgroup folder the test's containers live under, in every hierarchy. */
    private static final String CGROUP_PARENT = "uniwasm-resources-test";

    @TempDir
    static Path dir;

    static OciShim oci;
    static Path helloRootfs;

    @BeforeAll
    static void setUp() throws Exception {
        oci = OciShim.open(dir, CGROUP_PARENT);
        helloRootfs = oci.rootfs("hello");
    }

    @AfterAll
    static void removeCgroupParents() throws IOException {
        Host.removeCgroupParent(CGROUP_PARENT);
    }

    /** The container's cgroup v1 folder of controller (a hierarchy named for it, or for it among others). */
    private static Path v1Cgroup(String controller, String id) throws IOException {
        for (Path h : Host.cgroupHierarchies()) {
            if (List.of(h.getFileName().toString().split(",")).contains(controller))
                return h.resolve(CGROUP_PARENT).resolve(id);
        }
        throw new IllegalStateException("no cgroup v1 hierarchy of " + controller);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    /** A config.json running hello --read-line (it waits on the stdin oci_shim never writes), with these resources. */
    private static String config(String id, String resources, String annotations) {
        return oci.config(
                id,
                helloRootfs,
                List.of("/hello.wasm", "--read-line"),
                List.of(),
                "",
                ",\"annotations\":{" + annotations + "}",
                ",\"resources\":" + resources);
    }

    private static void assertSucceeds(Call c) {
        assertEquals(0, c.status(), c.out());
        assertEquals("", c.out());
    }

    /** Ends the container (delete --force, run after prefix) and waits (bounded) for oci_shim; no state is left. */
    private static void stop(List<String> prefix, String id, Process shimProcess) throws Exception {
        oci.stop(prefix, id, shimProcess);
        assertFalse(Files.exists(oci.root().resolve(id)), "state of " + id + " left behind");
    }

    /** A block device of the host, "MAJOR:MINOR", for the block I/O throttles (a disk, not a loop device, when there is one). */
    private static String blockDevice() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            List<Path> devices =
                    s.filter(p -> Files.exists(p.resolve("dev"))).sorted().toList();
            assumeTrue(!devices.isEmpty(), "no block device for the throttles");
            Path chosen = devices.stream()
                    .filter(p -> !p.getFileName().toString().matches("(loop|ram|zram).*"))
                    .findFirst()
                    .orElse(devices.getFirst());
            return read(chosen.resolve("dev"));
        }
    }

    /**
     * cgroup v1: config.json's CPU (shares, quota, period), cpuset, memory (limit, reservation, swap
     * where the kernel counts it), pids and block I/O throttle land in the controllers' files; then
     * `update --resources=- ID` with the JSON on stdin, as the shim sends it, changes them on the
     * running container, runc's flags (sizes with units, -1) too, and also while it is paused.
     */
    @Test
    void createAndUpdateSetTheCgroupV1Files() throws Exception {
        assumeTrue(!Host.cgroupV2(), "a cgroup v1 (or hybrid) host");
        String id = "res-v1";
        String device = blockDevice();
        String[] majorMinor = device.split(":");
        boolean swap = Files.exists(Host.CGROUPS.resolve("memory/memory.memsw.limit_in_bytes"));
        String cpus = read(Host.CGROUPS.resolve("cpuset/cpuset.cpus"));
        String resources = "{\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0\",\"mems\":\"0\"},"
                + "\"memory\":{\"limit\":268435456,\"reservation\":134217728"
                + (swap ? ",\"swap\":536870912" : "") + "},\"pids\":{\"limit\":16},"
                + "\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":" + majorMinor[0] + ",\"minor\":" + majorMinor[1]
                + ",\"rate\":1048576}]},"
                + "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}";
        Process p = oci.start(id, config(id, resources, ""), Launch.PLAIN);
        try {
            String report = oci.startedReport(id, p);
            assertTrue(report.contains("start 0\n"), report);
            Path cpu = v1Cgroup("cpu", id), memory = v1Cgroup("memory", id);
            assertEquals("512", read(cpu.resolve("cpu.shares")));
            assertEquals("50000", read(cpu.resolve("cpu.cfs_quota_us")));
            assertEquals("100000", read(cpu.resolve("cpu.cfs_period_us")));
            assertEquals("0", read(v1Cgroup("cpuset", id).resolve("cpuset.cpus")));
            assertEquals("0", read(v1Cgroup("cpuset", id).resolve("cpuset.mems")));
            assertEquals("268435456", read(memory.resolve("memory.limit_in_bytes")));
            assertEquals("134217728", read(memory.resolve("memory.soft_limit_in_bytes")));
            if (swap) assertEquals("536870912", read(memory.resolve("memory.memsw.limit_in_bytes")));
            assertEquals("16", read(v1Cgroup("pids", id).resolve("pids.max")));
            assertEquals(device + " 1048576", read(v1Cgroup("blkio", id).resolve("blkio.throttle.read_bps_device")));

            // containerd's shim: go-runc's Update, LinuxResources as JSON on stdin
            assertSucceeds(oci.callWithInput(
                    List.of(),
                    "{\"cpu\":{\"shares\":1024,\"quota\":20000,\"period\":50000,\"cpus\":\"" + cpus + "\"},"
                            + "\"memory\":{\"limit\":134217728" + (swap ? ",\"swap\":134217728" : "") + "},"
                            + "\"pids\":{\"limit\":32}}\n",
                    "update",
                    "--resources=-",
                    id));
            assertEquals("1024", read(cpu.resolve("cpu.shares")));
            assertEquals("20000", read(cpu.resolve("cpu.cfs_quota_us")));
            assertEquals("50000", read(cpu.resolve("cpu.cfs_period_us")));
            assertEquals(cpus, read(v1Cgroup("cpuset", id).resolve("cpuset.cpus")));
            assertEquals("134217728", read(memory.resolve("memory.limit_in_bytes")));
            if (swap) assertEquals("134217728", read(memory.resolve("memory.memsw.limit_in_bytes")));
            assertEquals("32", read(v1Cgroup("pids", id).resolve("pids.max")));

            // runc's flags; paused, the container's cgroups take them as well
            assertSucceeds(oci.call(List.of(), "pause", id));
            List<String> flags = new ArrayList<>(List.of(
                    "update",
                    "--cpu-quota",
                    "-1",
                    "--cpu-share=256",
                    "--memory",
                    "200m",
                    "--memory-reservation",
                    "64M",
                    "--pids-limit",
                    "-1"));
            // memory + swap may not be below memory: without a limit, runc's -1
            if (swap) flags.addAll(List.of("--memory-swap", "-1"));
            flags.add(id);
            assertSucceeds(oci.call(List.of(), flags.toArray(String[]::new)));
            assertEquals("-1", read(cpu.resolve("cpu.cfs_quota_us")));
            assertEquals("256", read(cpu.resolve("cpu.shares")));
            assertEquals(Long.toString(200L << 20), read(memory.resolve("memory.limit_in_bytes")));
            assertEquals(Long.toString(64L << 20), read(memory.resolve("memory.soft_limit_in_bytes")));
            if (swap)
                assertEquals(
                        Long.toString(Long.MAX_VALUE & ~4095L), read(memory.resolve("memory.memsw.limit_in_bytes")));
            assertEquals("max", read(v1Cgroup("pids", id).resolve("pids.max")));
            assertSucceeds(oci.call(List.of(), "resume", id));
        } finally {
            stop(List.of(), id, p);
        }
        assertFalse(Files.exists(v1Cgroup("cpu", id)), "cgroup left behind");
    }

    /**
     * What cannot be applied is one line naming the key and value: at create (a quota below the
     * kernel's 1 ms, shares the kernel would clamp, a controller the host does not mount, block I/O
     * weight without the kernel's weight file), nothing of the container is left; at update, the
     * container runs on. Unknown update flags and a stopped container are one line too.
     */
    @Test
    void refusedValuesAreOneLineNamingTheKey() throws Exception {
        assumeTrue(!Host.cgroupV2(), "a cgroup v1 (or hybrid) host");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(
                "{\"cpu\":{\"quota\":500}}",
                "uniwasm-runtime: linux.resources.cpu.quota: the kernel refused 500 (" + v1Cgroup("cpu", "res-refused")
                        + "/cpu.cfs_quota_us: Invalid argument)\n");
        cases.put(
                "{\"cpu\":{\"shares\":1}}",
                "uniwasm-runtime: linux.resources.cpu.shares: the kernel took 1 as 2 (it allows 2 to 262144)\n");
        cases.put(
                "{\"cpu\":{\"quota\":\"many\"}}",
                "uniwasm-runtime: config.json: linux.resources.cpu.quota is not an integer of at least -1\n");
        if (Host.cgroupHierarchies().stream()
                .noneMatch(h -> h.getFileName().toString().contains("hugetlb"))) {
            cases.put(
                    "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}]}",
                    "uniwasm-runtime: linux.resources.hugepageLimits[0]: 2MB 0 is asked, but the host mounts no cgroup v1 hugetlb controller\n");
        }
        Path blkio = Host.cgroupHierarchies().stream()
                .filter(h -> h.getFileName().toString().contains("blkio"))
                .findFirst()
                .orElseThrow();
        if (!Files.exists(blkio.resolve("blkio.weight")) && !Files.exists(blkio.resolve("blkio.bfq.weight"))) {
            cases.put(
                    "{\"blockIO\":{\"weight\":500}}",
                    "uniwasm-runtime: linux.resources.blockIO.weight: 500 is asked, but the container's cgroup "
                            + blkio.resolve(CGROUP_PARENT).resolve("res-refused")
                            + " has no blkio.weight (the kernel does not offer it)\n");
        }
        cases.put(
                "{\"rdma\":{\"mlx5_0\":{\"hcaHandles\":3}}}",
                "uniwasm-runtime: linux.resources.rdma: RDMA limits are not applied by uniwasm-runtime\n");
        Path bundle = oci.bundle("res-refused");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(bundle.resolve("config.json"), config("res-refused", c.getKey(), ""));
            Call create = oci.call(List.of(), "create", "--bundle", bundle.toString(), "res-refused");
            assertEquals(1, create.status(), c.getKey() + ": " + create.out());
            assertEquals(c.getValue(), create.out(), c.getKey());
            assertFalse(Files.exists(oci.root().resolve("res-refused")), c.getKey() + ": state left behind");
            for (Path h : Host.cgroupHierarchies())
                assertFalse(
                        Files.exists(h.resolve(CGROUP_PARENT).resolve("res-refused")),
                        c.getKey() + ": cgroup left in " + h);
        }

        // a stopped container has no process left to limit
        Files.writeString(bundle.resolve("config.json"), config("res-refused", "{}", ""));
        assertSucceeds(oci.call(List.of(), "create", "--bundle", bundle.toString(), "res-refused"));
        assertSucceeds(oci.call(List.of(), "kill", "res-refused", "KILL"));
        Call stopped = Call.NONE;
        for (int i = 0; i < 100 && !stopped.out().contains("stopped"); i++) {
            stopped = oci.call(List.of(), "update", "--pids-limit", "8", "res-refused");
            Thread.sleep(50);
        }
        assertEquals(new Call(1, "uniwasm-runtime: cannot update container res-refused: it is stopped\n"), stopped);
        assertSucceeds(oci.call(List.of(), "delete", "res-refused"));

        String id = "res-update-refused";
        Process p = oci.start(id, config(id, "{\"cpu\":{\"quota\":30000}}", ""), Launch.PLAIN);
        try {
            assertTrue(oci.startedReport(id, p).contains("start 0\n"));
            Call refused = oci.callWithInput(List.of(), "{\"cpu\":{\"quota\":500}}", "update", "-r", "-", id);
            assertEquals(1, refused.status());
            assertEquals(
                    "uniwasm-runtime: linux.resources.cpu.quota: the kernel refused 500 (" + v1Cgroup("cpu", id)
                            + "/cpu.cfs_quota_us: Invalid argument)\n",
                    refused.out());
            assertEquals("30000", read(v1Cgroup("cpu", id).resolve("cpu.cfs_quota_us")));
            Call unknown = oci.call(List.of(), "update", "--cpu-shares", "5", id);
            assertEquals(1, unknown.status());
            assertTrue(
                    unknown.out()
                            .startsWith("uniwasm-runtime: update: unknown flag '--cpu-shares' (runc's are "
                                    + "--resources|-r, --blkio-weight,"),
                    unknown.out());
            assertEquals(1, unknown.out().lines().count(), unknown.out());
            Call bytes = oci.call(List.of(), "update", "--memory", "lots", id);
            assertEquals(
                    "uniwasm-runtime: update: --memory 'lots' is not a size in bytes (such as 1048576, 512m or -1)\n",
                    bytes.out());
            assertEquals(
                    new Call(
                            1,
                            "uniwasm-runtime: update: --l3-cache-schema: Intel RDT is not applied to uniwasm "
                                    + "containers\n"),
                    oci.call(List.of(), "update", "--l3-cache-schema", "L3:0=f", id));
            Call json = oci.callWithInput(List.of(), "{\"cpu\":", "update", "--resources", "-", id);
            assertTrue(json.out().startsWith("uniwasm-runtime: update --resources - is not valid JSON: "), json.out());
            assertTrue(p.isAlive(), "the container runs on");
            Call state = oci.call(List.of(), "state", id);
            assertTrue(state.out().contains("\"status\":\"running\""), state.out());
        } finally {
            stop(List.of(), id, p);
        }
    }

    /**
     * The host's unified hierarchy standing in for cgroup v2 (bound onto /sys/fs/cgroup in a mount
     * namespace of the test's own, as OciRuntimeTest's pause test does): the folders on the way
     * enable the controllers it offers (hugetlb here: the others are v1's), so hugepageLimits land
     * in hugetlb.2MB.max, at create and at update; realtime CPU limits and a controller v2 does not
     * offer the container (cpu, v1's here) are one line.
     */
    @Test
    void cgroupV2HugepagesAndMissingControllers() throws Exception {
        Host.assumeUnifiedHierarchy();
        Path unified = Host.UNIFIED;
        assumeTrue(
                read(unified.resolve("cgroup.controllers")).contains("hugetlb")
                        && Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")),
                "needs hugetlb in the unified hierarchy and 2 MB huge pages");
        String id = "res-v2";
        Process p = oci.start(
                id,
                config(id, "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":4194304}]}", ""),
                Launch.PLAIN.after(Host.unifiedAsCgroupV2()));
        List<String> inside = List.of("nsenter", "-t", Long.toString(p.pid()), "-m");
        Path cgroup = unified.resolve(CGROUP_PARENT).resolve(id);
        List<String> enabledBefore = Host.unifiedRootControllers();
        try {
            String report = oci.startedReport(id, p);
            assertTrue(report.contains("start 0\n"), report);
            assertTrue(read(unified.resolve(CGROUP_PARENT).resolve("cgroup.subtree_control"))
                    .contains("hugetlb"));
            assertEquals("4194304", read(cgroup.resolve("hugetlb.2MB.max")));
            assertSucceeds(oci.callWithInput(
                    inside,
                    "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}]}",
                    "update",
                    "--resources=-",
                    id));
            assertEquals("2097152", read(cgroup.resolve("hugetlb.2MB.max")));
            Call shares = oci.callWithInput(inside, "{\"cpu\":{\"shares\":512}}", "update", "--resources=-", id);
            assertEquals(
                    "uniwasm-runtime: linux.resources.cpu.shares: 512 is asked, but the container's cgroup /sys/fs/cgroup/"
                            + CGROUP_PARENT + "/" + id + " has no cpu.weight (cgroup v2's controller for it is not "
                            + "available there: see cgroup.controllers)\n",
                    shares.out());
            Call realtime = oci.call(inside, "update", "--cpu-rt-runtime", "1000", id);
            assertEquals(
                    "uniwasm-runtime: linux.resources.cpu.realtimeRuntime: cgroup v2 has no realtime CPU limits (the "
                            + "kernel gives them to cgroup v1 only)\n",
                    realtime.out());
        } finally {
            stop(inside, id, p);
            Host.restoreUnifiedRoot(CGROUP_PARENT, enabledBefore);
        }
        assertFalse(Files.exists(cgroup), "cgroup left behind");
    }

    /**
     * cgroup v2's conversions, which this host's v2 (hugetlb only) cannot take: a tmpfs stands in for
     * /sys/fs/cgroup in a mount namespace, its container folder holding empty files for the ones the
     * runtime is to write. shares 512 is cpu.weight 20 (runc's 1 + (512 - 2) * 9999 / 262142), quota
     * and period cpu.max, the spec's memory + swap total memory.swap.max's swap alone, reservation
     * memory.low, block I/O weight 500 io.weight 4950; the parents enable every controller; an update
     * of the period alone keeps the quota; unified keys are written as given.
     */
    @Test
    void cgroupV2ConversionsInAStandInHierarchy() throws Exception {
        String id = "res-v2-files";
        Path bundle = oci.bundle(id);
        Files.writeString(
                bundle.resolve("config.json"),
                config(
                        id,
                        "{\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0\"},"
                                + "\"memory\":{\"limit\":268435456,\"swap\":536870912,\"reservation\":67108864},"
                                + "\"pids\":{\"limit\":-1},\"blockIO\":{\"weight\":500},"
                                + "\"unified\":{\"memory.high\":\"200000000\"}}",
                        ""));
        String files =
                "cgroup.procs cgroup.freeze cpu.weight cpu.max cpuset.cpus memory.max memory.swap.max memory.low "
                        + "memory.high pids.max io.weight";
        String r = OciImages.shellQuote(oci.runtime().toString()) + " --root "
                + OciImages.shellQuote(oci.root().toString());
        String folder = "/sys/fs/cgroup/" + CGROUP_PARENT + "/" + id;
        String script = String.join(
                "\n",
                "set -e",
                "mount -t tmpfs cgroup-stand-in /sys/fs/cgroup",
                "cd /sys/fs/cgroup",
                "echo 'cpuset cpu io memory hugetlb pids' > cgroup.controllers",
                ": > cgroup.procs; : > cgroup.subtree_control",
                "mkdir -p " + folder,
                ": > " + CGROUP_PARENT + "/cgroup.subtree_control",
                "for f in " + files + "; do : > " + folder + "/$f; done",
                r + " create --bundle " + OciImages.shellQuote(bundle.toString()) + " " + id
                        + " > /dev/null 2> create.err < /dev/null || { cat create.err; exit 1; }",
                "for f in " + files + "; do [ $f = cgroup.procs ] || echo \"$f=$(cat " + folder + "/$f)\"; done",
                "echo \"parent=$(cat " + CGROUP_PARENT + "/cgroup.subtree_control)\"",
                "echo '{\"cpu\":{\"period\":200000}}' | " + r + " update --resources=- " + id,
                "echo \"updated cpu.max=$(cat " + folder + "/cpu.max)\"",
                "rm " + folder + "/*",
                r + " delete --force " + id);
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(
                String.join(
                        "\n",
                        "cgroup.freeze=",
                        "cpu.weight=20",
                        "cpu.max=50000 100000",
                        "cpuset.cpus=0",
                        "memory.max=268435456",
                        "memory.swap.max=268435456",
                        "memory.low=67108864",
                        "memory.high=200000000",
                        "pids.max=max",
                        "io.weight=4950",
                        "parent=+cpuset +cpu +io +memory +hugetlb +pids",
                        "updated cpu.max=50000 200000",
                        ""),
                out);
        assertFalse(Files.exists(oci.root().resolve(id)), "state left behind");
    }

    /**
     * A VM container's cgroup (QEMU and its supervisor) takes the limits as a process container's:
     * at create, and at update while QEMU runs (TCG here: one such check).
     */
    @Test
    void updateReachesAVmContainersCgroup() throws Exception {
        assumeTrue(!Host.cgroupV2(), "a cgroup v1 (or hybrid) host");
        String id = "res-vm";
        Process p = oci.start(
                id,
                config(id, "{\"cpu\":{\"quota\":50000,\"period\":100000}}", "\"dev.uniwasm.isolation\":\"vm\""),
                Launch.PLAIN);
        try {
            String report = oci.startedReport(id, p);
            assertTrue(report.contains("start 0\n"), report);
            Path cpu = v1Cgroup("cpu", id);
            assertEquals("50000", read(cpu.resolve("cpu.cfs_quota_us")));
            assertSucceeds(oci.call(List.of(), "update", "--cpu-quota", "25000", "--memory", "512m", id));
            assertEquals("25000", read(cpu.resolve("cpu.cfs_quota_us")));
            assertEquals(Long.toString(512L << 20), read(v1Cgroup("memory", id).resolve("memory.limit_in_bytes")));
        } finally {
            stop(List.of(), id, p);
        }
    }
}
