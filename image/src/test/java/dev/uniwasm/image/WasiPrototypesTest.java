package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.toolchain.Toolchain;
import dev.uniwasm.toolchain.ToolchainException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C prototype of every WASI function is made from its row of kernel/wasi/functions.h (wasi.h
 * expands the rows), so a row and the function's definition cannot disagree: the kernel no longer
 * compiles. Checked on a copy of kernel/wasi/ with one side changed; the row and definition used
 * are clock_time_get's, whose i64 parameter is the one a slip would most likely get wrong.
 */
class WasiPrototypesTest {
    private static final String DEFINITION = "kernel/wasi/clock.c";

    @Test
    void theKernelsOwnRowsAndDefinitionsAgree(@TempDir Path dir) throws IOException {
        Path copy = copyWasi(dir);
        compile(copy.resolve("clock.c"));
        compile(copy.resolve("table.c"));
    }

    @Test
    void aRowThatDisagreesWithItsDefinitionDoesNotCompile(@TempDir Path dir) throws IOException {
        Path copy = copyWasi(dir);
        // the row's i64 parameter made an i32, in whatever notation the row is written
        edit(
                copy.resolve("functions.h"),
                text -> text.lines()
                        .map(l -> l.startsWith("WASI_FUNCTION(clock_time_get,")
                                ? "WASI_FUNCTION(clock_time_get,"
                                        + l.substring(l.indexOf(',') + 1).replace('l', 'i')
                                : l)
                        .reduce("", (a, l) -> a + l + "\n"));
        ToolchainException e = assertThrows(ToolchainException.class, () -> compile(copy.resolve("clock.c")));
        assertTrue(e.getMessage().contains("conflicting types for 'wasi_clock_time_get'"), e.getMessage());
    }

    @Test
    void aDefinitionThatDisagreesWithItsRowDoesNotCompile(@TempDir Path dir) throws IOException {
        Path copy = copyWasi(dir);
        edit(copy.resolve("clock.c"), text -> text.replace("int64_t precision", "int32_t precision"));
        ToolchainException e = assertThrows(ToolchainException.class, () -> compile(copy.resolve("clock.c")));
        assertTrue(e.getMessage().contains("conflicting types for 'wasi_clock_time_get'"), e.getMessage());
    }

    /** kernel/wasi/'s files in dir/wasi, where their includes of each other find the copies. */
    private static Path copyWasi(Path dir) throws IOException {
        Path from = KernelBuild.repositoryRoot().resolve(DEFINITION).getParent();
        Path to = Files.createDirectories(dir.resolve("wasi"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    private static void edit(Path file, UnaryOperator<String> change) throws IOException {
        String before = Files.readString(file);
        String after = change.apply(before);
        assertNotEquals(before, after, "the test's edit of " + file.getFileName() + " changed nothing");
        Files.writeString(file, after);
    }

    /** Compiles one file with the kernel's warnings policy, for the host (its types are the same). */
    private static void compile(Path source) {
        Path home = KernelBuild.repositoryRoot();
        List<String> cmd = new ArrayList<>(List.of(
                Toolchain.clang().toString(),
                "-fsyntax-only",
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-I" + home.resolve("kernel/include"),
                "-I" + home.resolve("runtime/include"),
                source.toString()));
        Toolchain.run(cmd);
    }
}
