package dev.uniwasm.cli.e2e.containers;

import static dev.uniwasm.cli.e2e.support.OciShim.ALL_NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Host;
import dev.uniwasm.cli.e2e.support.OciImages;
import dev.uniwasm.cli.e2e.support.OciShim;
import dev.uniwasm.cli.e2e.support.OciShim.Launch;
import dev.uniwasm.cli.e2e.support.OciShim.Run;
import dev.uniwasm.testkit.Containerd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json's hooks, run by uniwasm-runtime as containerd's runc shim drives it (oci_shim.c, as
 * in OciRuntimeTest): hook programs are small shell scripts written here that record their stdin
 * (the container's state), their argv and environment as the kernel gave them, the namespaces they
 * ran in and the container process's, and the order they ran in. Each kind runs at its point of the
 * spec's lifecycle, in its namespaces; a failing hook fails create or start with its one line and
 * destroys the container, poststop included; a hook past its timeout is killed with what it
 * started; a failing poststop is a warning. Then the same through containerd's own runc shim
 * ({@code ctr run --config}), which shows a failing hook's line.
 */
class OciHooksTest {
    private static final String CGROUP_PARENT = "uniwasm-hooks-test";
    /** Every namespace the runtime makes but the mount namespace: the container's root is then the host's. */
    private static final String NO_MOUNT = "[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
            + "{\"type\":\"uts\"},{\"type\":\"cgroup\"}]";

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

    /**
     * A hook script: records what it got and where it ran into OUT/KIND.* ($1 is its kind) and
     * appends KIND to OUT/order, then does what {@code then} says (shell).
     */
    private static Path script(String name, Path out, String id, String then) throws IOException {
        Path s = dir.resolve(name + ".sh");
        Files.writeString(
                s,
                "#!/bin/sh\n"
                        + "out=" + OciImages.shellQuote(out.toString()) + "\n"
                        + "kind=$1\n"
                        + "cat > \"$out/$kind.stdin\"\n"
                        // the shell's own argv and environment as execve gave them (the redirection is
                        // opened by a fork of it, before tr runs)
                        + "tr '\\0' '\\n' < /proc/self/cmdline > \"$out/$kind.argv\"\n"
                        + "tr '\\0' '\\n' < /proc/self/environ > \"$out/$kind.env\"\n"
                        + "pid=$(sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p' \"$out/$kind.stdin\")\n"
                        + "{\n"
                        + "  echo \"self-net $(readlink /proc/self/ns/net)\"\n"
                        + "  echo \"self-pid $(readlink /proc/self/ns/pid)\"\n"
                        + "  echo \"container-net $(readlink /proc/$pid/ns/net)\"\n"
                        + "  echo \"container-exe $(readlink /proc/$pid/exe)\"\n"
                        + "  if [ -e "
                        + OciImages.shellQuote(oci.root().resolve(id).toString())
                        + " ]; then echo state-folder present; else echo state-folder gone; fi\n"
                        + "} > \"$out/$kind.where\"\n"
                        + "echo \"$kind\" >> \"$out/order\"\n"
                        + then + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    /** One hook entry: sh running the script with argv[0] 'hook-KIND', the kind and "x y"; this env; a timeout when positive. */
    private static String hook(Path script, String kind, int timeout) {
        return "{\"path\":\"/bin/sh\",\"args\":"
                + OciImages.jsonList(List.of("hook-" + kind, script.toString(), kind, "x y"))
                + ",\"env\":[\"HOOK_ENV=1\",\"SPACED=a b\"]" + (timeout > 0 ? ",\"timeout\":" + timeout : "") + "}";
    }

    /** The hooks member: each kind's one hook running script (none for a kind absent from kinds). */
    private static String hooks(Path script, String... kinds) {
        Map<String, String> lists = new LinkedHashMap<>();
        for (String k : kinds) lists.put(k, "[" + hook(script, k, 0) + "]");
        return hooksJson(lists);
    }

    private static String hooksJson(Map<String, String> lists) {
        return ",\"hooks\":" + OciImages.jsonObject(lists);
    }

    /** config.json for the hello image with these args, namespaces and top-level members (hooks). */
    private static String config(String id, List<String> args, String namespaces, String top) {
        return oci.config(
                id,
                helloRootfs,
                args,
                List.of(),
                "",
                ",\"annotations\":{\"test.note\":\"n1\"}" + top,
                ",\"namespaces\":" + namespaces);
    }

    /** oci_shim on a container of the hello image with these args, namespaces and top-level members (hooks). */
    private static Run run(String id, List<String> args, String namespaces, String top)
            throws IOException, InterruptedException {
        return oci.run(id, config(id, args, namespaces, top), Launch.PLAIN);
    }

    private static Path out(String id) throws IOException {
        return Files.createDirectories(dir.resolve("hooks-out").resolve(id));
    }

    private static String read(Path out, String file) throws IOException {
        Path f = out.resolve(file);
        return Files.exists(f) ? Files.readString(f) : "(no " + file + ")";
    }

    private static String where(Path out, String kind, String what) throws IOException {
        return read(out, kind + ".where")
                .lines()
                .filter(l -> l.startsWith(what + " "))
                .findFirst()
                .map(l -> l.substring(what.length() + 1))
                .orElse("(no " + what + " for " + kind + ")");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|-?\\d+|\\{[^}]*\\})")
                .matcher(json);
        return m.find() ? m.group(1) : "(no " + name + " in " + json + ")";
    }

    /**
     * The error of a failed start: the log's error line before the shim's delete, which then finds
     * no container (runc's line, or uniwasm-runtime's where runc is not installed).
     */
    private static String startError(Run r) {
        assertTrue(r.report().contains("delete 1\n"), r.toString());
        return r.firstLogError();
    }

    /** Whether the process is gone (a zombie counts: its parent reaps it), waiting at most 5 s. */
    private static boolean gone(long pid) throws Exception {
        for (int i = 0; i < 50; i++) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            String s;
            try {
                s = Files.readString(stat);
            } catch (IOException e) {
                return true;
            }
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) return true;
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Every kind, in the spec's order, with the container's state on stdin and exactly its own args
     * and env: prestart and createRuntime in the runtime's namespaces once the container's process is
     * in its own (its network namespace exists, it has not yet become the app), createContainer and
     * startContainer inside the container's namespaces, poststart once the app runs, poststop once the
     * container is deleted. Without a mount namespace of its own the container's root is the host's,
     * so startContainer's path resolves there.
     */
    @Test
    void everyKindRunsAtItsPointInItsNamespacesWithTheStateAndExactlyItsArgsAndEnv() throws Exception {
        String id = "hooked";
        Path out = out(id);
        Path script = script("record", out, id, "exit 0");
        Run r = oci.run(
                id,
                config(
                        id,
                        List.of("/hello.wasm", "--read-line"),
                        NO_MOUNT,
                        hooks(
                                script,
                                "prestart",
                                "createRuntime",
                                "createContainer",
                                "startContainer",
                                "poststart",
                                "poststop")),
                Launch.PLAIN.killedWith("SIGTERM"));
        String all = r + "--- order ---\n" + read(out, "order");
        assertTrue(r.report().contains("create 0\n") && r.report().contains("start 0\n"), all);
        assertTrue(r.report().contains("delete 0\n"), all);
        assertEquals(
                "prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\npoststop\n",
                read(out, "order"),
                all);
        long pid = r.pid();
        String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        String hostPid = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        Map<String, String> status = Map.of(
                "prestart", "creating",
                "createRuntime", "creating",
                "createContainer", "creating",
                "startContainer", "created",
                "poststart", "running",
                "poststop", "stopped");
        for (String kind : status.keySet()) {
            String state = read(out, kind + ".stdin");
            assertEquals("\"1.0.2\"", field(state, "ociVersion"), kind + ": " + state);
            assertEquals("\"" + id + "\"", field(state, "id"), kind + ": " + state);
            assertEquals("\"" + status.get(kind) + "\"", field(state, "status"), kind + ": " + state);
            // the pid in the runtime's namespace, as state prints it (none once stopped)
            assertEquals(kind.equals("poststop") ? "0" : Long.toString(pid), field(state, "pid"), kind + ": " + state);
            assertEquals(OciImages.json(oci.bundle(id).toString()), field(state, "bundle"), state);
            assertEquals("{\"test.note\":\"n1\"}", field(state, "annotations"), kind + ": " + state);
            // args exactly, argv[0] included; env exactly, nothing of the runtime's
            assertEquals(
                    "hook-" + kind + "\n" + script + "\n" + kind + "\nx y\n",
                    read(out, kind + ".argv"),
                    kind + "\n" + all);
            assertEquals("HOOK_ENV=1\nSPACED=a b\n", read(out, kind + ".env"), kind + "\n" + all);
        }
        // the runtime's namespaces: the host's network and pid namespaces
        for (String kind : List.of("prestart", "createRuntime", "poststart", "poststop")) {
            assertEquals(hostNet, where(out, kind, "self-net"), kind + "\n" + all);
            assertEquals(hostPid, where(out, kind, "self-pid"), kind + "\n" + all);
        }
        // the container's process is in its own network namespace before createRuntime (nerdctl's
        // oci-hook puts the container's network into /proc/PID/ns/net there); createContainer and
        // startContainer run inside it, in the container's pid namespace
        String containerNet = where(out, "createRuntime", "container-net");
        assertTrue(containerNet.startsWith("net:["), all);
        assertNotEquals(hostNet, containerNet, all);
        for (String kind : List.of("createContainer", "startContainer")) {
            assertEquals(containerNet, where(out, kind, "self-net"), kind + "\n" + all);
            assertNotEquals(hostPid, where(out, kind, "self-pid"), kind + "\n" + all);
        }
        // before the app: the container's process is still the runtime; at poststart it is the app
        for (String kind : List.of("prestart", "createRuntime", "createContainer", "startContainer")) {
            assertTrue(where(out, kind, "container-exe").endsWith("/uniwasm-runtime"), kind + "\n" + all);
        }
        assertEquals(
                helloRootfs.resolve(".uniwasm/hello.wasm.x86_64-linux").toString(),
                where(out, "poststart", "container-exe"),
                all);
        assertEquals("present", where(out, "createRuntime", "state-folder"), all);
        // poststop: after the delete
        assertEquals("gone", where(out, "poststop", "state-folder"), all);
        oci.assertNothingLeft(id, r);
    }

    /**
     * In a mount namespace of its own, createContainer runs before the pivot (the host's files
     * still there, its path resolving as in the runtime's), startContainer after it: its path is
     * looked up in the image's root, which a Wasm image leaves without programs, so it fails start
     * with one line, and the container is destroyed, poststop run.
     */
    @Test
    void inANewMountNamespaceStartContainerIsLookedUpInTheImagesRoot() throws Exception {
        String id = "mountns";
        Path out = out(id);
        Path script = script("record-mountns", out, id, "exit 0");
        Run r = run(
                id,
                List.of("/hello.wasm", "--read-line"),
                ALL_NEW,
                hooks(script, "createContainer", "startContainer", "poststop"));
        String all = r + "--- order ---\n" + read(out, "order");
        assertTrue(r.report().contains("create 0\n") && r.report().contains("start 1\n"), all);
        assertEquals(
                "startContainer hook /bin/sh failed: exit status 127: cannot run /bin/sh: No such file or directory",
                startError(r),
                all);
        assertTrue(
                r.err()
                        .contains("uniwasm-runtime: startContainer hook /bin/sh failed: exit status 127: cannot run "
                                + "/bin/sh: No such file or directory\n"),
                all);
        assertEquals("createContainer\npoststop\n", read(out, "order"), all);
        assertTrue(gone(r.pid()), all);
        oci.assertNothingLeft(id, r);
    }

    /** A failing hook of create fails it with the hook's line; nothing of the container is left, and poststop ran. */
    @Test
    void aFailingCreateHookFailsCreateWithItsLineAndDestroysTheContainer() throws Exception {
        for (String kind : List.of("createRuntime", "createContainer", "prestart")) {
            String id = "fail-" + kind.toLowerCase();
            Path out = out(id);
            Path failing =
                    script("fail-" + kind, out, id, "echo 'first problem' >&2; echo 'second problem' >&2; exit 3");
            Path record = script("record-" + id, out, id, "exit 0");
            Map<String, String> lists = new LinkedHashMap<>();
            lists.put(kind, "[" + hook(failing, kind, 0) + "]");
            lists.put("poststop", "[" + hook(record, "poststop", 0) + "]");
            Run r = run(id, List.of("/hello.wasm"), ALL_NEW, hooksJson(lists));
            String all = r + "--- order ---\n" + read(out, "order");
            assertTrue(r.report().startsWith("create 1\n"), all);
            assertEquals(kind + " hook /bin/sh failed: exit status 3: first problem", r.lastLogError(), all);
            assertEquals(
                    "uniwasm-runtime: " + kind + " hook /bin/sh failed: exit status 3: first problem\n", r.err(), all);
            assertEquals(kind + "\npoststop\n", read(out, "order"), all);
            // the container's process, which the failing hook's state named, is gone
            long pid = Long.parseLong(field(read(out, kind + ".stdin"), "pid"));
            assertTrue(gone(pid), all);
            oci.assertNothingLeft(id, r);
        }
    }

    /** A hook past its timeout is killed, with what it started, and fails create with one line naming it. */
    @Test
    void aHookPastItsTimeoutIsKilledWithWhatItStarted() throws Exception {
        String id = "timeout";
        Path out = out(id);
        Path slow = script("slow", out, id, "sleep 300 & echo $! > \"$out/sleep.pid\"; wait");
        long started = System.nanoTime();
        Run r = run(
                id,
                List.of("/hello.wasm"),
                ALL_NEW,
                hooksJson(Map.of("createRuntime", "[" + hook(slow, "createRuntime", 1) + "]")));
        long ms = (System.nanoTime() - started) / 1_000_000;
        String all = r + "--- order ---\n" + read(out, "order");
        assertTrue(r.report().startsWith("create 1\n"), all);
        assertEquals(
                "createRuntime hook /bin/sh did not end within its timeout of 1 s and was killed",
                r.lastLogError(),
                all);
        assertTrue(ms < 20_000, "took " + ms + " ms\n" + all);
        assertTrue(gone(Long.parseLong(read(out, "sleep.pid").strip())), "the hook's sleep was left\n" + all);
        assertTrue(gone(Long.parseLong(field(read(out, "createRuntime.stdin"), "pid"))), all);
        oci.assertNothingLeft(id, r);
    }

    /** A failing poststart fails start: the app is stopped, the container destroyed and poststop run. */
    @Test
    void aFailingPoststartFailsStartAndDestroysTheContainer() throws Exception {
        String id = "poststart";
        Path out = out(id);
        Path failing = script("fail-poststart", out, id, "echo 'not today' >&2; exit 1");
        Path record = script("record-poststart", out, id, "exit 0");
        Map<String, String> lists = new LinkedHashMap<>();
        lists.put("poststart", "[" + hook(failing, "poststart", 0) + "]");
        lists.put("poststop", "[" + hook(record, "poststop", 0) + "]");
        Run r = run(id, List.of("/hello.wasm", "--read-line"), ALL_NEW, hooksJson(lists));
        String all = r + "--- order ---\n" + read(out, "order");
        assertTrue(r.report().contains("create 0\n") && r.report().contains("start 1\n"), all);
        assertEquals("poststart hook /bin/sh failed: exit status 1: not today", startError(r), all);
        assertTrue(r.report().contains("signal 9\n"), all);
        assertEquals("poststart\npoststop\n", read(out, "order"), all);
        oci.assertNothingLeft(id, r);
    }

    /** poststop hooks that fail are warnings: the others still run and delete succeeds. */
    @Test
    void aFailingPoststopIsAWarningAndTheNextStillRuns() throws Exception {
        String id = "poststop";
        Path out = out(id);
        Path failing = script("fail-poststop", out, id, "echo 'cannot clean' >&2; exit 4");
        Path record = script("record-poststop", out, id, "exit 0");
        Run r = run(
                id,
                List.of("/hello.wasm"),
                ALL_NEW,
                hooksJson(Map.of("poststop", "[" + hook(failing, "first", 0) + "," + hook(record, "second", 0) + "]")));
        String all = r + "--- order ---\n" + read(out, "order");
        assertTrue(r.report().contains("exit 0\n") && r.report().contains("delete 0\n"), all);
        assertEquals("first\nsecond\n", read(out, "order"), all);
        String line = "poststop hook /bin/sh failed: exit status 4: cannot clean";
        assertTrue(r.log().contains("{\"level\":\"warning\",\"msg\":\"" + line + "\""), all);
        assertTrue(r.err().contains("uniwasm-runtime: warning: " + line + "\n"), all);
        oci.assertNothingLeft(id, r);
    }

    /** Hooks the runtime cannot run as the spec says are refused with one line; empty lists are fine. */
    @Test
    void hooksThatAreNotHooksAreOneErrorLine() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(
                ",\"hooks\":{\"createRuntime\":[{\"path\":\"bin/true\"}]}",
                "config.json: hooks.createRuntime[0].path 'bin/true' is not absolute");
        cases.put(
                ",\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":0}]}",
                "config.json: hooks.poststart[0].timeout must be a whole number of seconds from 1 to 2147483647");
        cases.put(
                ",\"hooks\":{\"preStart\":[{\"path\":\"/bin/true\"}]}",
                "config.json: hooks.preStart is not a hook kind (prestart, createRuntime, createContainer, "
                        + "startContainer, poststart, poststop are)");
        cases.put(
                ",\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\",\"args\":[\"true\",1]}]}",
                "config.json: hooks.poststop[0].args[1] is not a string");
        int n = 0;
        for (var c : cases.entrySet()) {
            String id = "refused" + n++;
            Run r = run(id, List.of("/hello.wasm"), ALL_NEW, c.getKey());
            assertTrue(r.report().startsWith("create 1\n"), r.toString());
            assertEquals(c.getValue(), r.lastLogError(), r.toString());
            assertEquals("uniwasm-runtime: " + c.getValue() + "\n", r.err(), r.toString());
            oci.assertNothingLeft(id, r);
        }
        Run empty = run("hooks-empty", List.of("/hello.wasm"), ALL_NEW, ",\"hooks\":{\"prestart\":[],\"poststop\":[]}");
        assertTrue(empty.report().contains("exit 0\n") && empty.report().contains("delete 0\n"), empty.toString());
        oci.assertNothingLeft("hooks-empty", empty);
    }

    /** A VM container's hooks: the state's pid is the supervisor's, the container's process. */
    @Test
    void aVmContainersHooksGetTheSupervisorsPid() throws Exception {
        String id = "vm-hooked";
        Path out = out(id);
        Path script = script("record-vm", out, id, "exit 0");
        String config = config(
                        id,
                        List.of("/hello.wasm"),
                        ALL_NEW,
                        hooks(script, "createRuntime", "createContainer", "poststart", "poststop"))
                .replace(
                        "\"annotations\":{\"test.note\":\"n1\"}", "\"annotations\":{\"dev.uniwasm.isolation\":\"vm\"}");
        Run r = oci.run(id, config, Launch.PLAIN);
        String all = r + "--- order ---\n" + read(out, "order");
        assertTrue(r.out().startsWith("hello from uniwasm\n"), all);
        assertTrue(r.report().contains("exit 0\n") && r.report().contains("delete 0\n"), all);
        assertEquals("createRuntime\ncreateContainer\npoststart\npoststop\n", read(out, "order"), all);
        for (String kind : List.of("createRuntime", "createContainer", "poststart")) {
            assertEquals(Long.toString(r.pid()), field(read(out, kind + ".stdin"), "pid"), kind + "\n" + all);
        }
        assertEquals(where(out, "createRuntime", "container-net"), where(out, "createContainer", "self-net"), all);
        oci.assertNothingLeft(id, r);
    }

    /**
     * Through containerd's runc shim ({@code ctr run --config}, the spec as nerdctl hands it over
     * with its hooks): the hooks run, a failing createRuntime or poststart hook is ctr's error line
     * ({@code OCI runtime create failed: ...}, {@code OCI runtime start failed: ...}), and nothing
     * is left of either container, their poststop hooks run. Skipped without containerd.
     */
    @Test
    void throughContainerdsShimAFailingHooksLineIsCtrsAndNothingIsLeft() throws Exception {
        assumeTrue(
                Host.onPath("containerd") && Host.onPath("ctr") && Host.onPath("containerd-shim-runc-v2"),
                "containerd is not installed (scripts/setup installs it)");
        Path out = out("ctr");
        Path record = script("record-ctr", out, "ctr-ok", "exit 0");
        Path failing = script("fail-ctr", out, "ctr-fail", "echo 'first problem' >&2; exit 3");
        Path runcRoot = dir.resolve("ctr-runc");
        Containerd containerd = Containerd.start(dir.resolve("containerd"), "uniwasm-hooks", false, Map.of());
        try {
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("ctr-ok", hooks(record, "createRuntime", "poststart", "poststop"));
            Map<String, String> failCreate = new LinkedHashMap<>();
            failCreate.put("createRuntime", "[" + hook(failing, "createRuntime", 0) + "]");
            failCreate.put("poststop", "[" + hook(record, "poststop", 0) + "]");
            cases.put("ctr-fail-create", hooksJson(failCreate));
            Map<String, String> failStart = new LinkedHashMap<>();
            failStart.put("poststart", "[" + hook(failing, "poststart", 0) + "]");
            failStart.put("poststop", "[" + hook(record, "poststop", 0) + "]");
            cases.put("ctr-fail-start", hooksJson(failStart));
            Map<String, Containerd.Ctr> runs = new LinkedHashMap<>();
            for (var c : cases.entrySet()) {
                Path spec = dir.resolve(c.getKey() + ".json");
                Files.writeString(spec, config(c.getKey(), List.of("/hello.wasm"), ALL_NEW, c.getValue()));
                runs.put(
                        c.getKey(),
                        containerd.ctr(
                                List.of(
                                        "run",
                                        "--rm",
                                        "--runc-binary",
                                        oci.runtime().toString(),
                                        "--runc-root",
                                        runcRoot.toString(),
                                        "--config",
                                        spec.toString(),
                                        c.getKey()),
                                120));
            }
            String all = runs.values().stream().map(Containerd.Ctr::describe).reduce("", String::concat)
                    + "--- order ---\n" + read(out, "order");
            Containerd.Ctr ok = runs.get("ctr-ok");
            assertEquals(0, ok.status(), all);
            assertTrue(ok.out().startsWith("hello from uniwasm\n"), all);
            assertEquals(1, runs.get("ctr-fail-create").status(), all);
            assertTrue(
                    runs.get("ctr-fail-create")
                            .err()
                            .contains("OCI runtime create failed: createRuntime hook /bin/sh failed: exit status 3: "
                                    + "first problem"),
                    all);
            assertEquals(1, runs.get("ctr-fail-start").status(), all);
            assertTrue(
                    runs.get("ctr-fail-start")
                            .err()
                            .contains("OCI runtime start failed: poststart hook /bin/sh failed: exit status 3: "
                                    + "first problem"),
                    all);
            assertEquals(
                    "createRuntime\npoststart\npoststop\ncreateRuntime\npoststop\npoststart\npoststop\n",
                    read(out, "order"),
                    all);
            assertEquals(
                    "",
                    containerd.require(List.of("containers", "ls", "-q"), 30).out(),
                    all);
            assertEquals(
                    "", containerd.require(List.of("tasks", "ls", "-q"), 30).out(), all);
            try (Stream<Path> left = Files.list(runcRoot.resolve("uniwasm-hooks"))) {
                assertEquals(List.of(), left.toList(), all);
            }
            for (String id : cases.keySet()) oci.assertNothingLeft(id, new Run("", "", "", all));
        } finally {
            containerd.close();
        }
    }
}
