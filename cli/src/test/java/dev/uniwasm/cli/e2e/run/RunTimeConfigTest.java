package dev.uniwasm.cli.e2e.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Way;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 'uniwasm run IMAGE' with run-time flags changes only what the flags name, both ways ({@link Way}): the arguments, the
 * environment and the mounts baked in by 'uniwasm build' stay unless replaced. Wall time: about
 * 20 s (two image builds of small examples, six boots under TCG).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunTimeConfigTest {
    @TempDir
    Path tmp;

    /** One image for the tests that only read it: builds take longer than boots. */
    @TempDir
    static Path shared;

    private static final Map<Way, Path> hello = new EnumMap<>(Way.class);

    /** An image or executable named hello.img either way: argv[0] is the file's name. */
    private static synchronized Path helloImage(Way way) throws Exception {
        if (hello.containsKey(way)) return hello.get(way);
        Path image = Files.createDirectories(shared.resolve(way.isolation)).resolve("hello.img");
        Cli.Result build = way.build(
                "-o",
                image.toString(),
                "--env",
                "BAKED=1",
                "--env",
                "MODE=baked",
                Examples.wasm("hello").toString(),
                "--",
                "baked-arg");
        assertEquals(0, build.status(), build.toString());
        hello.put(way, image);
        return image;
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aRunTimeMountKeepsTheBakedArgumentsAndEnvironment(Way way) throws Exception {
        Path image = helloImage(way);
        Path dir = Files.createDirectories(tmp.resolve("extra"));
        Cli.Result r = way.run("--dir", dir + "::/extra", "--tmpfs", "/scratch", image.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("arg[0]=hello.wasm\narg[1]=baked-arg\n"), r.toString());
        assertTrue(r.out().contains("env BAKED=1\nenv MODE=baked\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void verboseAloneKeepsThemToo(Way way) throws Exception {
        Cli.Result r = way.run("-v", helloImage(way).toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("arg[1]=baked-arg\n") && r.out().contains("env BAKED=1\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void runTimeArgumentsReplaceOnlyTheArguments(Way way) throws Exception {
        Cli.Result r = way.run(helloImage(way).toString(), "--", "new-arg");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("arg[0]=hello.img\narg[1]=new-arg\n"), r.toString());
        assertFalse(r.out().contains("baked-arg"), r.toString());
        assertTrue(r.out().contains("env BAKED=1\nenv MODE=baked\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void runTimeEnvironmentReplacesOnlyTheEnvironment(Way way) throws Exception {
        Cli.Result r = way.run("--env", "MODE=run", helloImage(way).toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("arg[0]=hello.wasm\narg[1]=baked-arg\n"), r.toString());
        // replaced as a whole: the app sees exactly the --env variables given, as under wasmtime
        assertTrue(r.out().contains("env MODE=run\n") && !r.out().contains("BAKED"), r.toString());
    }

    /** The case that used to fail: fs_readonly's baked argument "rw" was lost when a mount was added at run time. */
    @ParameterizedTest
    @EnumSource(Way.class)
    void aProgramKeepsItsBakedArgumentWhenAMountIsAdded(Way way) throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("hello.txt"), "hello from the host\n");
        Files.writeString(tree.resolve("sub/nested.txt"), "nested\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("hello.txt"));
        Path image = tmp.resolve("rw.img");
        Cli.Result build = way.build(
                "-o",
                image.toString(),
                "--dir",
                tree + "::/data:rw",
                Examples.wasm("wasi/fs_readonly").toString(),
                "--",
                "rw");
        assertEquals(0, build.status(), build.toString());
        Cli.Result r = way.run("--tmpfs", "/scratch", image.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().endsWith("PASSED\n") && r.out().contains("ok open for writing works\n"), r.toString());
    }

    @Test
    void anElfThatIsNotAUniwasmImageIsAUsageError() throws Exception {
        Path notAnImage = Path.of("/bin/true");
        Cli.Result r = Cli.run("run", "--tmpfs", "/t", notAnImage.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains(notAnImage.toString()), r.toString());
    }

    @Test
    void helpSaysWhatRunTimeFlagsReplaceAndThatProcRaiseIsMissing() {
        String help = Cli.run("run", "--help").out().replaceAll("\\s+", " ");
        assertTrue(
                help.contains(
                        "arguments after -- replace the baked arguments, --env variables replace the baked environment as a whole"),
                help);
        assertTrue(help.contains("--dir and --tmpfs mounts come after the baked ones"), help);
        assertTrue(help.contains("except proc_raise, which is not implemented and returns ENOSYS"), help);
    }
}
