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
import org.junit.jupiter.api.Test;

/** Runs every script of the Wasm 2.0 core test suite (../shared/wasm-testsuite/wasm-2.0). */
class SpecSuiteTest {
    @Test
    void wasm20CoreSuitePasses() throws Exception {
        Path dir = RepoLayout.detect().testsuite().resolve("wasm-2.0");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .wast files in " + dir);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        WastRunner.Summary summary = WastRunner.runAll(files, out);
        String report = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertEquals(0, summary.failed(), report);
    }
}
