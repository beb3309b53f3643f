package dev.uniwasm.cli.e2e.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Way;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples, compiled and run through the real command line both ways ({@link Way}): booted as
 * unikernels under QEMU (KVM when /dev/kvm can be opened, TCG otherwise) and as sandboxed
 * processes. The compiler, the image linker, the kernel and the monitor end to end.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EndToEndTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Way.class)
    void helloPrintsArgsAndEnvironmentAndExitsZero(Way way) throws Exception {
        Path hello = Examples.wasm("hello");
        Cli.Result r =
                way.run("--env", "GREETING=hi there", "--env", "EMPTY=", hello.toString(), "--", "a", "b c", "-x");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("hello from uniwasm\n"), r.toString());
        assertTrue(r.out().contains("arg[0]=hello.wasm\narg[1]=a\narg[2]=b c\narg[3]=-x\n"), r.toString());
        assertTrue(r.out().contains("env GREETING=hi there\n"), r.toString());
        assertTrue(r.out().contains("env EMPTY=\n"), r.toString());
        assertFalse(r.out().contains("hello on stderr"), "stderr must not leak into stdout: " + r);
        assertTrue(r.err().contains("hello on stderr\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void stdinReachesTheApp(Way way) throws Exception {
        Path hello = Examples.wasm("hello");
        Cli.Result r = way.runWithStdin("a line from the host\nand another\n", hello.toString(), "--", "--read-line");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("stdin: a line from the host\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void emptyStdinIsEndOfFile(Way way) throws Exception {
        Path hello = Examples.wasm("hello");
        Cli.Result r = way.runWithStdin("", hello.toString(), "--", "--read-line");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("stdin: <end of file>\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void procExitStatusBecomesTheExitStatus(Way way) throws Exception {
        Cli.Result r = way.run(Examples.wasm("exit42").toString());
        assertEquals(42, r.status(), r.toString());
        assertEquals("exiting with 42\n", r.out(), r.toString());
    }

    static Stream<Arguments> traps() {
        return Way.cross(
                new Object[] {"trap_unreachable", "unreachable", 129},
                new Object[] {"trap_divide_by_zero", "integer divide by zero", 130},
                new Object[] {"trap_integer_overflow", "integer overflow", 131},
                new Object[] {"trap_invalid_conversion", "invalid conversion to integer", 132},
                new Object[] {"trap_out_of_bounds", "out of bounds memory access", 133},
                new Object[] {"trap_undefined_element", "undefined element", 134},
                new Object[] {"trap_uninitialized_element", "uninitialized element", 135},
                new Object[] {"trap_indirect_type_mismatch", "indirect call type mismatch", 136},
                new Object[] {"trap_stack_exhausted", "call stack exhausted", 138});
    }

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @MethodSource("traps")
    void trapsReportTheirKindAndStatus(Way way, String example, String message, int status) throws Exception {
        Cli.Result r = way.run(Examples.wasm(example).toString());
        assertEquals(status, r.status(), r.toString());
        assertTrue(
                r.err()
                        .lines()
                        .anyMatch(l ->
                                l.equals("trap: " + message) || l.startsWith("trap: " + message + " in function ")),
                "stderr should say 'trap: " + message + "': " + r);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void builtImageRunsWithBakedArgumentsAndCanBeOverridden(Way way) throws Exception {
        Path image = tmp.resolve("hello.img");
        Cli.Result build = way.build(
                Examples.wasm("hello").toString(), "-o", image.toString(), "--env", "BAKED=1", "--", "baked-arg");
        assertEquals(0, build.status(), build.toString());
        assertEquals(0x7f, Files.readAllBytes(image)[0], "an ELF image");

        Cli.Result baked = way.run(image.toString());
        assertEquals(0, baked.status(), baked.toString());
        assertTrue(
                baked.out().contains("arg[1]=baked-arg\n") && baked.out().contains("env BAKED=1\n"), baked.toString());

        Cli.Result overridden = way.run("--env", "NEW=2", image.toString(), "--", "new-arg");
        assertEquals(0, overridden.status(), overridden.toString());
        assertTrue(overridden.out().contains("arg[0]=hello.img\narg[1]=new-arg\n"), overridden.toString());
        assertTrue(
                overridden.out().contains("env NEW=2\n") && !overridden.out().contains("BAKED"), overridden.toString());
    }

    @Test
    void q35BootsTheSameImage() throws Exception {
        Cli.Result r =
                Cli.run("run", "--machine", "q35", Examples.wasm("exit42").toString());
        assertEquals(42, r.status(), r.toString());
    }

    @Test
    void timingsArePrinted() throws Exception {
        Cli.Result r = Cli.run("run", "--timings", Examples.wasm("exit42").toString());
        assertEquals(42, r.status(), r.toString());
        for (String row : new String[] {"image build", "QEMU start", "guest boot", "app", "VM shutdown"}) {
            assertTrue(r.err().contains(row), row + " missing: " + r);
        }
    }
}
