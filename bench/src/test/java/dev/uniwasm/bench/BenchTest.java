package dev.uniwasm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
    @TempDir
    Path home;

    /**
     * On a fresh checkout bench/work does not exist yet; the startup suite's first use of it (a
     * temporary image cache made in it) failed there, and passed once a later step had made it.
     */
    @Test
    void theWorkFolderExistsBeforeTheFirstSuiteRuns() {
        boolean[] seen = {false};
        Suite probe = new Suite() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public String description() {
                return "looks at the work folder";
            }

            @Override
            public void run(BenchContext ctx, SuiteReport report) {
                seen[0] = Files.isDirectory(ctx.work());
            }
        };
        int status = Bench.run(
                home,
                List.of(probe),
                true,
                home.resolve("out"),
                List.of("uniwasm", "bench", "probe"),
                new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(0, status);
        assertTrue(seen[0], "bench/work exists when the first suite starts");
    }
}
