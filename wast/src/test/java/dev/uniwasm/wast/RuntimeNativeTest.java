package dev.uniwasm.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Builds runtime/src with the C unit tests in src/test/native/runtime_test.c and runs them. */
class RuntimeNativeTest {
    @Test
    void runtimeUnitTestsPass() throws Exception {
        RepoLayout repo = RepoLayout.detect();
        List<Path> sources = new ArrayList<>(NativeBuild.filesIn(repo.runtimeSources(), ".c"));
        sources.add(repo.root().resolve("wast/src/test/native/runtime_test.c"));
        Path exe = NativeBuild.build(
                repo,
                "runtime-test",
                sources,
                List.of(
                        "-std=c11",
                        "-D_DEFAULT_SOURCE",
                        "-O1",
                        "-g",
                        "-Wall",
                        "-Wextra",
                        "-Werror",
                        "-I" + repo.runtimeInclude()));
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "runtime tests hung");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.matches("(?s)\\d+ checks, 0 failed\\s*"), output);
    }
}
