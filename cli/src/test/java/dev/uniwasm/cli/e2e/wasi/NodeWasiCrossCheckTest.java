package dev.uniwasm.cli.e2e.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.NodeWasi;
import dev.uniwasm.cli.e2e.support.Way;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every WASI test program (examples/wasi/*.c), examples/hello.c, exit42.c and the trap programs,
 * run by uniwasm both ways ({@link Way}: as a unikernel and as a sandboxed process) and under
 * Node's node:wasi (uvwasi, Node 20, once per program for both ways) through
 * examples/wasi/node-run.mjs, with the same arguments, environment, stdin and directory contents
 * (a fresh copy of the fixture for Node, which writes to the host; uniwasm's mounts live in guest
 * memory). stdout and the exit status must be equal, except for the differences listed in
 * {@link #DIFFERENCES}, each explained. Node is not the oracle: where we differ, we answer as the
 * WASI preview1 spec, wasmtime or Linux do, and say so there. Any other difference fails, and so
 * does a listed difference that no longer happens (the table must stay true). One table holds for
 * both ways: the same kernel answers, so a way that differs from the other is a bug, not a row.
 *
 * <p>The programs print one line per check, naming the errno where one is checked (check.h), so a
 * difference is one specific line: under Node a check that differs prints {@code FAIL ...}, its
 * summary line becomes {@code FAILED n} and its status 1; the test derives those from the table.
 * Wall time: about a minute (24 boots under TCG, each 1-3 s; fs_bigfile moves 16 MiB), plus a few
 * seconds for the same programs as processes.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class NodeWasiCrossCheckTest {
    @TempDir
    Path tmp;

    // ---- why we answer differently from Node (uvwasi) ----

    static final String ESCAPE = "escapes of a pre-open ('..' above it, absolute paths, symlinks out): uvwasi says "
            + "ENOTCAPABLE; we say EPERM, wasmtime's answer and the WASI filesystem spec's not-permitted";
    static final String SYMLINK_CREATION = "uvwasi refuses to create a symlink whose target, read from the pre-open's "
            + "root, leaves it (even inner/parent -> .., which stays inside); wasmtime and we create any relative symlink "
            + "and check the target only when it is followed. The checks that then follow the link find nothing there";
    static final String RIGHTS_NOT_NARROWED = "asking for more rights than the directory passes on: uvwasi refuses "
            + "(ENOTCAPABLE); wasmtime and we narrow the rights to the inheriting ones, so there is a descriptor "
            + "to inspect only here";
    static final String MISSING_RIGHT_IO = "fd_read/fd_write without the right: uvwasi says ENOTCAPABLE; wasmtime "
            + "and we say EBADF (the descriptor is not open for that, as POSIX)";
    static final String PRESTAT_SHORT = "fd_prestat_dir_name into a short buffer: uvwasi says ENOBUFS; "
            + "wasmtime says ENAMETOOLONG, and so do we";
    static final String PRESTAT_NOT_PREOPEN = "fd_prestat_get on a descriptor that is not a pre-open: uvwasi says "
            + "EINVAL; wasmtime and we say EBADF (no pre-open has that number)";
    static final String UNKNOWN_FDFLAGS = "fdflags with undefined bits: uvwasi ignores them; we refuse them (EINVAL), "
            + "as for every other flag set with unknown bits";
    static final String SEEK_STDOUT =
            "fd_seek on stdout (a pipe under Node, the kernel's console here, either way): uvwasi says "
                    + "ENOTCAPABLE; wasmtime and we say ESPIPE, as lseek(2) on a pipe";
    static final String STDIN_TYPE = "fd_fdstat_get on stdin: uvwasi reports the type of Node's own stdin, a pipe "
            + "in this test; ours is the kernel's console, a character device, either way (in a process too, "
            + "whatever the host's descriptor 0 is)";
    static final String APPEND_FLAG = "uvwasi does not report the append flag in fd_fdstat_get after "
            + "fd_fdstat_set_flags set it; we report the flags the descriptor has";
    static final String LOWEST_FD =
            "uvwasi does not reuse the lowest free descriptor number; we do, as POSIX " + "open(2) and wasmtime";
    static final String BAD_POINTER =
            "a pointer outside linear memory: uvwasi says EOVERFLOW; wasmtime and we say " + "EFAULT";
    static final String RMDIR_DOT = "path_remove_directory(\".\"): uvwasi removes the pre-open's host directory "
            + "(ENOTEMPTY there); we say EINVAL, as rmdir(2) on Linux";
    static final String RENAME_ONTO_DOT = "path_rename onto \".\": uvwasi renames onto the pre-open's host directory "
            + "(ENOTEMPTY there); we say EBUSY, as rename(2) on Linux for a last component '.'";
    static final String READLINK_SHORT = "path_readlink into a short buffer: uvwasi says ENOBUFS; we truncate, as "
            + "POSIX readlink(2) and wasmtime";
    static final String OPEN_SYMLINK_NOFOLLOW = "path_open of a symlink without the follow flag: uvwasi opens the "
            + "target; we say ELOOP, as open(2) with O_NOFOLLOW and wasmtime";
    static final String READDIR_DOTS =
            "uvwasi's fd_readdir leaves out . and ..; we list them first, as wasmtime " + "and readdir(3) do";
    static final String READDIR_FILE =
            "fd_readdir on a regular file: uvwasi says ENOTCAPABLE; we say ENOTDIR, as " + "wasmtime";
    static final String NO_READ_ONLY = "node:wasi has no read-only pre-opens: every change to the read-only --dir "
            + "succeeds there; here it is EROFS";
    static final String NO_SIZE_LIMIT = "node:wasi has no size-limited directory like --tmpfs GUEST:64K, so "
            + "nothing runs out of space there and the 200000 bytes are all stored";
    static final String POLL_ABSOLUTE = "uvwasi turns every absolute clock deadline into a delay by subtracting the "
            + "*realtime* clock, whatever the subscription's clock, in unsigned arithmetic: an absolute monotonic "
            + "deadline (or any past one) becomes a wait of centuries, so the program's 2 s backstop clock fires "
            + "instead";
    static final String POLL_FILE = "uvwasi polls regular files with epoll, which refuses them (EPERM for the whole "
            + "poll_oneoff); regular files are always ready, as wasmtime and POSIX poll(2) say, and so they are here";
    static final String PROC_RAISE = "proc_raise: uvwasi sends the signal to the Node process itself (SIGURG is "
            + "ignored, so it returns success); we answer ENOSYS, there being no signal handlers in preview1 "
            + "(wasmtime traps with \"proc_raise unsupported\")";
    static final String TRAP_SAME_MESSAGE = "V8 reports an uninitialized table element and a signature mismatch "
            + "with one message, which node-run.mjs maps to 136 (indirect call type mismatch); we tell them apart "
            + "(135 uninitialized element)";

    /** One line of our stdout and what Node prints instead (null: nothing), with the reason. */
    record Difference(String ours, String node, String why) {}

    /** A check whose errno differs; "success" for 0, as check.h prints it. */
    static Difference errno(String what, String ours, String node, String why) {
        return new Difference(
                ours.equals("success") ? "ok " + what : "ok " + what + ": " + ours,
                "FAIL " + what + ": " + node + ", expected " + ours,
                why);
    }

    /** A plain check that passes here and fails under Node. */
    static Difference check(String what, String why) {
        return new Difference("ok " + what, "FAIL " + what, why);
    }

    static final Map<String, List<Difference>> DIFFERENCES = Map.ofEntries(
            Map.entry(
                    "fs_files",
                    List.of(
                            errno("fd_prestat_dir_name with a short buffer", "ENAMETOOLONG", "ENOBUFS", PRESTAT_SHORT),
                            errno("fd_prestat_get on stdout", "EBADF", "EINVAL", PRESTAT_NOT_PREOPEN),
                            errno("path_open with unknown fdflags", "EINVAL", "success", UNKNOWN_FDFLAGS),
                            errno("fd_seek on stdout", "ESPIPE", "ENOTCAPABLE", SEEK_STDOUT),
                            check("stdin is a character device", STDIN_TYPE),
                            check("fdstat shows append", APPEND_FLAG),
                            errno("fd_write without the right", "EBADF", "ENOTCAPABLE", MISSING_RIGHT_IO),
                            check("the next descriptor is the lowest free one (5)", LOWEST_FD),
                            errno("fd_read into a buffer outside memory", "EFAULT", "EOVERFLOW", BAD_POINTER),
                            errno("fd_filestat_get to a bad pointer", "EFAULT", "EOVERFLOW", BAD_POINTER))),
            Map.entry(
                    "fs_dirs",
                    List.of(
                            errno("path_remove_directory of .", "EINVAL", "ENOTEMPTY", RMDIR_DOT),
                            errno("renaming onto .", "EBUSY", "ENOTEMPTY", RENAME_ONTO_DOT),
                            errno("path_readlink into a short buffer", "success", "ENOBUFS", READLINK_SHORT),
                            check("readlink truncates to the buffer", READLINK_SHORT),
                            errno("path_open without follow on a symlink", "ELOOP", "success", OPEN_SYMLINK_NOFOLLOW),
                            check("readdir with a 300-byte buffer: . and .. listed, as directories", READDIR_DOTS),
                            check("readdir with a 4096-byte buffer: . and .. listed, as directories", READDIR_DOTS),
                            check("readdir with a 1048576-byte buffer: . and .. listed, as directories", READDIR_DOTS),
                            errno("readdir on a file", "ENOTDIR", "ENOTCAPABLE", READDIR_FILE))),
            Map.entry(
                    "fs_sandbox",
                    List.of(
                            errno("path_open ../x", "EPERM", "ENOTCAPABLE", ESCAPE),
                            errno("stat .. of the pre-open", "EPERM", "ENOTCAPABLE", ESCAPE),
                            errno("inner/../..", "EPERM", "ENOTCAPABLE", ESCAPE),
                            errno("an absolute path", "EPERM", "ENOTCAPABLE", ESCAPE),
                            errno("mkdir ../escape", "EPERM", "ENOTCAPABLE", ESCAPE),
                            errno("a symlink pointing out can be created", "success", "ENOTCAPABLE", SYMLINK_CREATION),
                            errno("following it", "EPERM", "ENOENT", SYMLINK_CREATION),
                            errno("opening through it", "EPERM", "ENOENT", SYMLINK_CREATION),
                            errno("symlink inner/parent -> ..", "success", "ENOTCAPABLE", SYMLINK_CREATION),
                            errno("a symlink to .. inside the pre-open works", "success", "ENOENT", SYMLINK_CREATION),
                            errno("from inner, ..", "EPERM", "ENOTCAPABLE", ESCAPE),
                            errno("from inner, a symlink to ..", "EPERM", "ENOENT", SYMLINK_CREATION),
                            errno("writing it without the write right", "EBADF", "ENOTCAPABLE", MISSING_RIGHT_IO),
                            errno(
                                    "open through inner asking for more rights than it passes on",
                                    "success",
                                    "ENOTCAPABLE",
                                    RIGHTS_NOT_NARROWED),
                            check(
                                    "that descriptor has only the rights passed on: read, no write",
                                    RIGHTS_NOT_NARROWED))),
            Map.entry("fs_readonly", readOnlyDifferences()),
            Map.entry(
                    "fs_enospc",
                    List.of(
                            errno("writing past 64 KiB", "ENOSPC", "success", NO_SIZE_LIMIT),
                            new Difference("stored 65536 bytes", "stored 200000 bytes", NO_SIZE_LIMIT),
                            check("exactly the 64 KiB limit was stored", NO_SIZE_LIMIT),
                            errno("another file cannot grow either", "ENOSPC", "success", NO_SIZE_LIMIT))),
            Map.entry(
                    "fs_bigfile",
                    List.of(
                            new Difference("entry .", null, READDIR_DOTS),
                            new Difference("entry ..", null, READDIR_DOTS))),
            Map.entry(
                    "poll",
                    List.of(
                            check("the absolute monotonic clock fired at its time", POLL_ABSOLUTE),
                            check("a past deadline fires at once", POLL_ABSOLUTE),
                            errno("poll stdout, a file, a closed fd and a long clock", "success", "EPERM", POLL_FILE),
                            check(
                                    "stdout writable, file readable with 6 bytes left, EBADF for the closed fd",
                                    POLL_FILE),
                            errno("events outside memory", "EFAULT", "EOVERFLOW", BAD_POINTER))),
            Map.entry("proc_raise", List.of(errno("proc_raise(SIGURG)", "ENOSYS", "success", PROC_RAISE))));

    /** Every change to the read-only tree: EROFS here, done there. */
    private static List<Difference> readOnlyDifferences() {
        List<Difference> list = new ArrayList<>();
        for (String what : List.of(
                "open for writing",
                "create a file",
                "truncate a file",
                "mkdir",
                "symlink",
                "link",
                "rename",
                "unlink",
                "set times",
                "unlink nested",
                "rmdir")) {
            list.add(errno(what, "EROFS", "success", NO_READ_ONLY));
        }
        list.add(check("fopen for writing fails", NO_READ_ONLY));
        return List.copyOf(list);
    }

    /** An exit status that differs although stdout does not. */
    record StatusDifference(int ours, int node, String why) {}

    static final Map<String, StatusDifference> STATUS_DIFFERENCES =
            Map.of("trap_uninitialized_element", new StatusDifference(135, 136, TRAP_SAME_MESSAGE));

    /** What a program's pre-opened directory starts as. */
    enum Fixture {
        /** empty and writable: --tmpfs here (SIZE optional), an empty directory for Node */
        EMPTY,
        /** the host tree of {@link #hostTree}, read-only: --dir TREE::GUEST */
        TREE_READ_ONLY,
        /** the same, writable: --dir TREE::GUEST:rw */
        TREE_WRITABLE
    }

    record Mount(String guest, Fixture fixture, String tmpfsSize) {}

    /** One program run under both runtimes. */
    record Run(String name, String program, List<Mount> mounts, List<String> env, List<String> args, String stdin) {
        /** program: the path under build/examples without .wasm; the run is named after its file. */
        static Run of(String program, Mount... mounts) {
            return new Run(
                    program.substring(program.lastIndexOf('/') + 1),
                    program,
                    List.of(mounts),
                    List.of(),
                    List.of(),
                    "");
        }

        Run named(String n) {
            return new Run(n, program, mounts, env, args, stdin);
        }

        Run withArgs(String... a) {
            return new Run(name, program, mounts, env, List.of(a), stdin);
        }

        Run withEnv(String... e) {
            return new Run(name, program, mounts, List.of(e), args, stdin);
        }

        Run withStdin(String s) {
            return new Run(name, program, mounts, env, args, s);
        }
    }

    static Mount tmpfs(String guest) {
        return new Mount(guest, Fixture.EMPTY, null);
    }

    static final List<Run> RUNS = List.of(
            Run.of("hello")
                    .withArgs("a", "two words", "--read-line")
                    .withEnv("GREETING=hi there", "EMPTY=")
                    .withStdin("a line from the host\n"),
            Run.of("exit42"),
            Run.of("wasi/fs_files", tmpfs("/work")),
            Run.of("wasi/fs_dirs", tmpfs("/work")),
            Run.of("wasi/fs_sandbox", tmpfs("/work")),
            Run.of("wasi/fs_readonly", new Mount("/data", Fixture.TREE_READ_ONLY, null)),
            Run.of("wasi/fs_readonly", new Mount("/data", Fixture.TREE_WRITABLE, null))
                    .named("fs_readonly rw")
                    .withArgs("rw"),
            Run.of("wasi/fs_enospc", new Mount("/work", Fixture.EMPTY, "64K")),
            Run.of("wasi/fs_bigfile", tmpfs("/tmp")).withArgs("16"),
            Run.of("wasi/poll", tmpfs("/work")),
            Run.of("wasi/poll_stdin").named("poll_stdin with data").withStdin("a line from the host\n"),
            Run.of("wasi/poll_stdin").named("poll_stdin at end of input"),
            Run.of("wasi/proc_raise"),
            Run.of("trap_unreachable"),
            Run.of("trap_divide_by_zero"),
            Run.of("trap_integer_overflow"),
            Run.of("trap_invalid_conversion"),
            Run.of("trap_out_of_bounds"),
            Run.of("trap_undefined_element"),
            Run.of("trap_uninitialized_element"),
            Run.of("trap_indirect_type_mismatch"),
            Run.of("trap_stack_exhausted"));

    /** Node's result per run name: the same for both ways, so run once. */
    private final Map<String, Cli.Result> nodeResults = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> sameStdoutAndStatusAsNodeWasiExceptTheExplainedDifferences() {
        return Stream.of(Way.values())
                .flatMap(way -> RUNS.stream()
                        .map(run -> DynamicTest.dynamicTest(
                                way.isolation + ": " + run.name(), () -> crossCheck(way, run))));
    }

    /** Every examples/wasi/*.c program is cross-checked (a new one must be added to RUNS). */
    @TestFactory
    Stream<DynamicTest> everyWasiTestProgramIsCrossChecked() throws IOException {
        try (var files = Files.list(Examples.home().resolve("examples/wasi"))) {
            List<String> programs = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".c"))
                    .map(n -> "wasi/" + n.substring(0, n.length() - 2))
                    .sorted()
                    .toList();
            return programs.stream()
                    .map(program -> DynamicTest.dynamicTest(
                            program,
                            () -> assertTrue(
                                    RUNS.stream().anyMatch(r -> r.program().equals(program)),
                                    program + " is not in RUNS")));
        }
    }

    private void crossCheck(Way way, Run run) throws Exception {
        assumeTrue(NodeWasi.available(), "node is not installed");
        Path wasm = Examples.wasm(run.program());
        Cli.Result ours = runHere(way, run, wasm);
        Cli.Result node = nodeResults.get(run.name());
        if (node == null) {
            node = runUnderNode(run, wasm);
            nodeResults.put(run.name(), node);
        }

        List<Difference> differences = DIFFERENCES.getOrDefault(run.name(), List.of());
        List<String> ourLines = lines(ours.out());
        if (ourLines.contains("PASSED") || ourLines.stream().anyMatch(l -> l.startsWith("FAIL"))) {
            // a check program: it must pass here before Node is compared with it
            assertFalse(ours.out().contains("FAIL"), "uniwasm failed a check:\n" + ours);
            assertEquals("PASSED", ourLines.getLast(), ours.toString());
        }
        List<String> expectedNode = expectedUnderNode(ourLines, differences, ours);
        int expectedNodeStatus = expectedNodeStatus(run.name(), ours.status(), ourLines, expectedNode);
        List<String> nodeLines = lines(node.out());
        if (!expectedNode.equals(nodeLines)) {
            fail("stdout under node:wasi differs from uniwasm's in ways the table does not explain:\n"
                    + unexplained(expectedNode, nodeLines) + "\n--- uniwasm ---\n" + ours + "\n--- node:wasi ---\n"
                    + node);
        }
        assertEquals(
                expectedNodeStatus,
                node.status(),
                "exit status under node:wasi\n--- uniwasm ---\n" + ours + "\n--- node:wasi ---\n" + node);
    }

    /** Our stdout with the table applied: each listed line replaced (or dropped), the summary recounted. */
    private static List<String> expectedUnderNode(
            List<String> ourLines, List<Difference> differences, Cli.Result ours) {
        List<String> expected = new ArrayList<>(ourLines);
        for (Difference d : differences) {
            int at = expected.indexOf(d.ours());
            if (at < 0) {
                fail("the table of differences is stale: uniwasm no longer prints \"" + d.ours() + "\"\n" + ours);
            }
            if (d.node() == null) expected.remove(at);
            else expected.set(at, d.node());
        }
        long failures = expected.stream().filter(l -> l.startsWith("FAIL ")).count();
        if (failures > 0 && !expected.isEmpty() && expected.getLast().equals("PASSED")) {
            expected.set(expected.size() - 1, "FAILED " + failures);
        }
        return expected;
    }

    private static int expectedNodeStatus(
            String name, int ourStatus, List<String> ourLines, List<String> expectedNode) {
        StatusDifference status = STATUS_DIFFERENCES.get(name);
        if (status != null) {
            assertEquals(status.ours(), ourStatus, "uniwasm's exit status for " + name);
            return status.node();
        }
        boolean checkProgram = ourLines.contains("PASSED");
        if (checkProgram && expectedNode.getLast().startsWith("FAILED ")) return 1;
        return ourStatus;
    }

    /** The lines where the two differ, each side marked, for a readable failure message. */
    private static String unexplained(List<String> expected, List<String> actual) {
        StringBuilder sb = new StringBuilder();
        int n = Math.max(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            String e = i < expected.size() ? expected.get(i) : "<none>";
            String a = i < actual.size() ? actual.get(i) : "<none>";
            if (!e.equals(a))
                sb.append("  line ")
                        .append(i + 1)
                        .append(": expected ")
                        .append(e)
                        .append("\n")
                        .append("  line ")
                        .append(i + 1)
                        .append(":   actual ")
                        .append(a)
                        .append("\n");
        }
        return sb.toString();
    }

    private Cli.Result runHere(Way way, Run run, Path wasm) throws IOException {
        List<String> cmd = new ArrayList<>();
        Path trees = tmp.resolve("uniwasm-" + way.isolation + "-" + slug(run));
        for (Mount m : run.mounts()) {
            switch (m.fixture()) {
                case EMPTY ->
                    cmd.addAll(List.of("--tmpfs", m.tmpfsSize() == null ? m.guest() : m.guest() + ":" + m.tmpfsSize()));
                case TREE_READ_ONLY -> cmd.addAll(List.of("--dir", hostTree(trees) + "::" + m.guest()));
                case TREE_WRITABLE -> cmd.addAll(List.of("--dir", hostTree(trees) + "::" + m.guest() + ":rw"));
            }
        }
        for (String e : run.env()) cmd.addAll(List.of("--env", e));
        cmd.add(wasm.toString());
        if (!run.args().isEmpty()) {
            cmd.add("--");
            cmd.addAll(run.args());
        }
        return way.runWithStdin(run.stdin(), cmd.toArray(String[]::new));
    }

    private Cli.Result runUnderNode(Run run, Path wasm) throws IOException, InterruptedException {
        List<NodeWasi.Preopen> preopens = new ArrayList<>();
        Path root = tmp.resolve("node-" + slug(run));
        for (Mount m : run.mounts()) {
            Path host = m.fixture() == Fixture.EMPTY
                    ? Files.createDirectories(root.resolve("empty" + m.guest().replace('/', '_')))
                    : hostTree(root);
            preopens.add(new NodeWasi.Preopen(m.guest(), host));
        }
        // generous: the poll program's backstop clocks take 2 s each under Node
        return NodeWasi.run(wasm, preopens, run.env(), run.args(), run.stdin(), Duration.ofMinutes(2));
    }

    /** hello.txt, sub/nested.txt and a symlink to hello.txt, as fs_readonly.c expects; one fresh tree per call. */
    private static Path hostTree(Path parent) throws IOException {
        Path root = parent.resolve("tree");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("hello.txt"), "hello from the host\n");
        Files.writeString(root.resolve("sub/nested.txt"), "nested\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("hello.txt"));
        return root;
    }

    private static String slug(Run run) {
        return run.name().replaceAll("[^A-Za-z0-9]+", "-");
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }
}
