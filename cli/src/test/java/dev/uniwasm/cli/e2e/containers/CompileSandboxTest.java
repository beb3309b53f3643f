package dev.uniwasm.cli.e2e.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.OciImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uniwasm-runtime's compiles on first use run unprivileged (docs/oci.md, "Compiling on first use"):
 * as UNIWASM_COMPILE_USER (nobody by default) without capabilities, in a work folder of its own in
 * the cache, unable to write the rest of the cache; a symlink for output is refused; a compile past
 * UNIWASM_COMPILE_TIMEOUT is stopped with its children; one the OOM killer ends is said to be that
 * and is not remembered as the module's fault; and the real CLI compiles as nobody. Driven through
 * {@code uniwasm-runtime compile}, which takes the same path as a container's create.
 */
class CompileSandboxTest {
    @TempDir
    static Path dir;

    static Path runtime, hello;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching to the compile user needs root");
        runtime = OciImages.runtime();
        hello = Examples.wasm("hello");
        // the compile user reaches its stand-ins, records and caches by their paths, as in /var/lib
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** A stand-in CLI: sh that runs body ($5 is the output's name, $6 the module's). */
    private static Path standIn(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** A folder anyone may write: where stand-ins leave what they saw. */
    private static Path records(String name) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("records-" + name));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        return folder;
    }

    private static Result compile(Path cache, Path cli, Map<String, String> env, Path module, String... prefix)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(prefix));
        command.addAll(List.of(runtime.toString(), "compile", module.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("UNIWASM_CACHE", cache.toString());
        if (cli != null) pb.environment().put("UNIWASM_CLI", cli.toString());
        else pb.environment().remove("UNIWASM_CLI");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(900, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("uniwasm-runtime compile did not end within 900 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String nobodyUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f.length > 3 && f[0].equals("nobody")) return f[2];
        }
        throw new IllegalStateException("no nobody in /etc/passwd");
    }

    private static List<String> cacheEntries(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.map(p -> cache.relativize(p).toString())
                    .filter(p -> !p.isEmpty())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void theCompilerRunsAsNobodyWithoutCapabilitiesInItsOwnWorkFolder() throws Exception {
        Path seen = records("nobody");
        Path cli = standIn(
                "recording-cli",
                "out=" + OciImages.shellQuote(seen.toString()) + "\n"
                        + "{ id -u; id -g; id -G; pwd; echo \"HOME=$HOME\"; stat -c '%U %a' .;"
                        + " grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status;"
                        + " ls /proc/self/fd | wc -l; env | cut -d= -f1 | sort | tr '\\n' ' '; echo;"
                        + " cat \"$6\" | wc -c; } > \"$out/seen\" 2>&1\n"
                        + "printf 'compiled' > \"$5\"\n");
        Path cache = dir.resolve("cache-nobody");
        Result r = compile(cache, cli, Map.of(), hello);
        assertEquals(0, r.status(), r.toString());
        List<String> lines = Files.readAllLines(seen.resolve("seen"));
        String uid = nobodyUid();
        assertEquals(uid, lines.get(0), lines.toString());
        // supplementary groups dropped: the group is the only one
        assertEquals(lines.get(1), lines.get(2), lines.toString());
        String work = lines.get(3);
        assertTrue(
                work.startsWith(cache.resolve("tmp.").toString())
                        && Path.of(work).getParent().equals(cache),
                "not a work folder of the cache: " + lines);
        assertEquals("HOME=" + work, lines.get(4), lines.toString());
        assertEquals("nobody 700", lines.get(5), "the work folder is the compile user's alone: " + lines);
        for (String cap : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"))
            assertTrue(lines.contains(cap + ":\t0000000000000000"), cap + " not empty: " + lines);
        assertTrue(lines.contains("NoNewPrivs:\t1"), lines.toString());
        // 0, 1, 2 and the descriptor ls reads /proc/self/fd with: nothing of the runtime's
        assertEquals("4", lines.get(12), "inherited descriptors: " + lines);
        assertEquals("HOME PATH PWD TMPDIR XDG_CACHE_HOME ", lines.get(13).replace("JAVA_HOME ", ""), lines.toString());
        assertEquals(String.valueOf(Files.size(hello)), lines.get(14), "the module's copy is readable: " + lines);
        // the result is root's and in place; the work folder is gone
        Path executable = cache.resolve("x86_64-linux")
                .resolve(r.out().split("sha256:")[1].split(" ")[0]);
        assertEquals("compiled", Files.readString(executable));
        assertEquals(0, (int) Files.getAttribute(executable, "unix:uid"));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(executable)));
        assertFalse(
                cacheEntries(cache).stream().anyMatch(e -> e.startsWith("tmp.")),
                cacheEntries(cache).toString());

        // UID:GID names another user, with no name of its own
        Path other = records("uidgid");
        Path cli2 = standIn(
                "recording-cli-2",
                "{ id -u; id -G; } > "
                        + OciImages.shellQuote(other.resolve("seen").toString()) + "\nprintf x > \"$5\"\n");
        Result r2 = compile(dir.resolve("cache-uidgid"), cli2, Map.of("UNIWASM_COMPILE_USER", "12345:23456"), hello);
        assertEquals(0, r2.status(), r2.toString());
        assertEquals(List.of("12345", "23456"), Files.readAllLines(other.resolve("seen")));

        // root is refused, and so is a user /etc/passwd does not know, each in one line naming the variable
        Result root = compile(dir.resolve("cache-root"), cli2, Map.of("UNIWASM_COMPILE_USER", "root"), hello);
        assertEquals(1, root.status(), root.toString());
        assertEquals(
                "uniwasm-runtime: compile " + hello + ": UNIWASM_COMPILE_USER=root: the compiler reads untrusted "
                        + "modules and must not run as root (uid or gid 0)\n",
                root.err());
        Result unknown =
                compile(dir.resolve("cache-root"), cli2, Map.of("UNIWASM_COMPILE_USER", "no-such-user"), hello);
        assertEquals(1, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("UNIWASM_COMPILE_USER=no-such-user: no such user"), unknown.toString());
        assertEquals(1, unknown.err().lines().count(), unknown.toString());
    }

    @Test
    void theCompileUserCannotWriteTheRestOfTheCache() throws Exception {
        Path cache = dir.resolve("cache-writes");
        // first an executable, a refused module's .error and a memo, for the second compile to attack
        Path first = standIn("first-cli", "printf 'good' > \"$5\"\n");
        assertEquals(0, compile(cache, first, Map.of(), hello).status());
        Path refused = dir.resolve("refused.wasm");
        Files.write(refused, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 9});
        Path refuses = standIn("refusing-cli", "echo 'uniwasm: refused.wasm: refused' >&2\nexit 2\n");
        assertEquals(2, compile(cache, refuses, Map.of(), refused).status());
        String helloHex = hex(hello), refusedHex = hex(refused);
        Path platform = cache.resolve("x86_64-linux");
        Path executable = platform.resolve(helloHex), error = platform.resolve(refusedHex + ".error");
        assertTrue(
                Files.exists(executable) && Files.exists(error),
                cacheEntries(cache).toString());

        Path seen = records("writes");
        Path other = dir.resolve("other.wasm");
        Files.write(other, Files.readAllBytes(Examples.wasm("exit42")));
        String attempts = String.join(
                "\n",
                "try() { if ( eval \"$2\" ) 2>/dev/null; then echo \"$1 written\"; else echo \"$1 denied\"; fi; }",
                "{",
                "try executable 'printf evil > ../x86_64-linux/" + helloHex + "'",
                "try chmod 'chmod 777 ../x86_64-linux/" + helloHex + "'",
                "try error 'printf evil > ../x86_64-linux/" + refusedHex + ".error'",
                "try new-executable 'printf evil > ../x86_64-linux/" + hex(other) + "'",
                "try rename 'mv ../x86_64-linux ../moved'",
                "try memo 'printf evil > ../digests/abc'",
                "try cache-root 'printf evil > ../planted'",
                "try lock 'printf evil > ../x86_64-linux/" + hex(other) + ".lock'",
                "} > " + OciImages.shellQuote(seen.resolve("seen").toString()),
                "printf 'other' > \"$5\"",
                "");
        Result r = compile(cache, standIn("attacking-cli", attempts), Map.of(), other);
        assertEquals(0, r.status(), r.toString());
        assertEquals(
                List.of(
                        "executable denied",
                        "chmod denied",
                        "error denied",
                        "new-executable denied",
                        "rename denied",
                        "memo denied",
                        "cache-root denied",
                        "lock denied"),
                Files.readAllLines(seen.resolve("seen")));
        assertEquals("good", Files.readString(executable));
        assertEquals("uniwasm: refused.wasm: refused\n", Files.readString(error));
        assertEquals("other", Files.readString(platform.resolve(hex(other))));
        assertFalse(Files.exists(cache.resolve("planted")));
    }

    @Test
    void anOutputThatIsASymlinkOrAHardLinkIsRefusedAndNotRemembered() throws Exception {
        Path cache = dir.resolve("cache-links");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root's secret\n");
        Path symlinking = standIn("symlinking-cli", "ln -s " + OciImages.shellQuote(secret.toString()) + " \"$5\"\n");
        Result r = compile(cache, symlinking, Map.of(), hello);
        assertEquals(1, r.status(), r.toString());
        assertEquals(
                "uniwasm-runtime: compile " + hello
                        + ": the compiler's output hello.wasm.x86_64-linux is a symbolic link: refused\n",
                r.err());
        // a second name for the output is refused too: it could be a file of someone else's
        Path linking = standIn("hardlinking-cli", "printf x > \"$5\"\nln \"$5\" second\n");
        Result h = compile(cache, linking, Map.of(), hello);
        assertEquals(1, h.status(), h.toString());
        assertTrue(h.err().contains("is not a regular file of its own with one name"), h.toString());
        // neither is kept: no executable, no .error, no work folder
        assertEquals(
                List.of(
                        "digests",
                        "digests/" + memoSlot(cache),
                        "x86_64-linux",
                        "x86_64-linux/" + hex(hello) + ".lock"),
                cacheEntries(cache));
    }

    @Test
    void aCompilePastTheTimeoutIsStoppedWithItsChildrenInOneLine() throws Exception {
        Path seen = records("timeout");
        Path slow = standIn(
                "slow-cli",
                "sleep 300 &\necho $! > "
                        + OciImages.shellQuote(seen.resolve("child").toString()) + "\nsleep 300\n");
        long started = System.nanoTime();
        Result r = compile(dir.resolve("cache-timeout"), slow, Map.of("UNIWASM_COMPILE_TIMEOUT", "2"), hello);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1, r.status(), r.toString());
        assertEquals(
                "uniwasm-runtime: compile " + hello
                        + ": the compile took longer than UNIWASM_COMPILE_TIMEOUT (2 s) and was stopped\n",
                r.err());
        assertTrue(ms < 30_000, "took " + ms + " ms");
        String child = Files.readString(seen.resolve("child")).strip();
        assertFalse(
                Files.exists(Path.of("/proc", child, "cmdline"))
                        && Files.readString(Path.of("/proc", child, "cmdline")).startsWith("sleep"),
                "the compiler's child " + child + " outlived the timeout");
        Result bad = compile(dir.resolve("cache-timeout"), slow, Map.of("UNIWASM_COMPILE_TIMEOUT", "soon"), hello);
        assertEquals(1, bad.status(), bad.toString());
        assertEquals(
                "uniwasm-runtime: compile " + hello
                        + ": UNIWASM_COMPILE_TIMEOUT=soon: not a whole number of seconds from 1 to 86400\n",
                bad.err());
    }

    /**
     * The compile runs in the runtime's cgroup (not the container's): here one with a 48 MiB limit,
     * where a tool of the stand-in's runs out; the stand-in then exits 2 as a CLI whose tool failed
     * might, and still nothing is remembered.
     */
    @Test
    void aCompileTheOomKillerEndsIsSaidToBeThatAndIsRetried() throws Exception {
        Path cgroups = Path.of("/sys/fs/cgroup");
        boolean v2 = Files.exists(cgroups.resolve("cgroup.controllers"));
        Path memory = v2 ? cgroups : cgroups.resolve("memory");
        assumeTrue(Files.isDirectory(memory), "no memory cgroup");
        assumeTrue(
                !v2
                        || Files.readString(cgroups.resolve("cgroup.subtree_control"))
                                .contains("memory"),
                "the memory controller is not enabled for child cgroups");
        Path group = memory.resolve(
                "uniwasm-compile-oom-test-" + ProcessHandle.current().pid());
        Files.createDirectories(group);
        try {
            Files.writeString(group.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), "50331648");
            if (v2) Files.writeString(group.resolve("memory.swap.max"), "0");
            else if (Files.exists(group.resolve("memory.memsw.limit_in_bytes")))
                Files.writeString(group.resolve("memory.memsw.limit_in_bytes"), "50331648");
            Path hog = standIn(
                    "hog-cli",
                    "head -c 1000000000 /dev/zero | tail > /dev/null\necho 'uniwasm: a tool failed' >&2\nexit 2\n");
            Path cache = dir.resolve("cache-oom");
            Result r = compile(
                    cache,
                    hog,
                    Map.of(),
                    hello,
                    "sh",
                    "-c",
                    "echo $$ > "
                            + OciImages.shellQuote(group.resolve("cgroup.procs").toString()) + " && exec \"$@\"",
                    "sh");
            assertEquals(1, r.status(), r.toString());
            assertEquals(
                    "uniwasm-runtime: compile " + hello + ": the compile was killed by the OOM killer: out of memory "
                            + "in the cgroup " + group + " (limit 50331648) of uniwasm-runtime, which compiles run in, "
                            + "not the container's; the next create retries\n",
                    r.err());
            assertFalse(Files.exists(cache.resolve("x86_64-linux").resolve(hex(hello) + ".error")), "remembered");
        } finally {
            for (int i = 0; i < 50 && Files.exists(group); i++) {
                try {
                    Files.delete(group);
                } catch (IOException busy) {
                    Thread.sleep(100);
                }
            }
        }
    }

    /** The real CLI (the project's launcher, the default UNIWASM_CLI) compiles a module as nobody. */
    @Test
    void theRealCliCompilesAModuleAsNobody() throws Exception {
        OciImages.assumeCompileUserReachesTheCheckout();
        // as a deployment would: the owner brings the build up to date once; the compile user cannot
        Process build = new ProcessBuilder(Examples.home().resolve("uniwasm").toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(build.waitFor(900, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(0, build.exitValue(), built);
        Path cache = dir.resolve("cache-real");
        Map<String, String> env = new HashMap<>();
        Result r = compile(cache, null, env, hello);
        assertEquals(0, r.status(), r.toString());
        Path executable = cache.resolve("x86_64-linux").resolve(hex(hello));
        assertTrue(r.out().contains(" compiled in ") && r.out().endsWith(executable + "\n"), r.toString());
        Process run = new ProcessBuilder(executable.toString(), "x").start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.startsWith("hello from uniwasm\n"), out);
        assertEquals(
                List.of(
                        "digests",
                        "digests/" + memoSlot(cache),
                        "x86_64-linux",
                        "x86_64-linux/" + hex(hello),
                        "x86_64-linux/" + hex(hello) + ".lock"),
                cacheEntries(cache));
    }

    private static String hex(Path file) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The one memo slot a compile of one module leaves (digests/XYZ). */
    private static String memoSlot(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache.resolve("digests"))) {
            return s.map(p -> p.getFileName().toString()).findFirst().orElse("none");
        }
    }
}
