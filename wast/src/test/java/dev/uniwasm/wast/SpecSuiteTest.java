package dev.uniwasm.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script of the Wasm 2.0 core test suite (../shared/wasm-testsuite/wasm-2.0), one named
 * test per .wast file, so that a failure names its file. The scripts run together first (in
 * parallel, as `uniwasm wast` runs them); each file's test then reports that file's failures.
 */
class SpecSuiteTest {
    @TestFactory
    Stream<DynamicTest> wasm20CoreSuite() throws Exception {
        Path dir = RepoLayout.detect().testsuite().resolve("wasm-2.0");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .wast files in " + dir);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        WastRunner.Summary summary = WastRunner.runAll(files, out);
        System.out.println(buffer.toString(StandardCharsets.UTF_8));
        assertEquals(files.size(), summary.files().size(), "every file has a result");
        return summary.files().stream()
                .map(r -> DynamicTest.dynamicTest(
                        r.name(),
                        () -> assertEquals(
                                0,
                                r.failed,
                                r.name() + ": " + r.passed + " passed, " + r.failed + " failed:\n"
                                        + String.join("\n", r.failures))));
    }
}
