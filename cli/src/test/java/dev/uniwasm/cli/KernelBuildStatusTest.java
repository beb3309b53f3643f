package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel that cannot be built is uniwasm's failure, status 1 (README.md, "Exit status"), not the
 * module's 2: uniwasm-runtime keeps a 2 in its compile cache as the module's verdict for good.
 */
class KernelBuildStatusTest {
    @Test
    void aKernelThatCannotBeBuiltIsStatusOneNotTheModulesFault(@TempDir Path dir) throws Exception {
        Path wasm = Examples.wasm("hello");
        Path out = dir.resolve("hello.exe");
        Path empty = Files.createDirectories(dir.resolve("no-sources"));
        String home = System.getProperty("uniwasm.home");
        Cli.Result r;
        try {
            // a home without kernel/ and runtime/: the kernel build fails before it starts
            System.setProperty("uniwasm.home", empty.toString());
            r = Cli.run("build", "--isolation", "process", "-o", out.toString(), wasm.toString());
        } finally {
            System.setProperty("uniwasm.home", home);
        }
        assertEquals(1, r.status(), r.toString());
        assertEquals("uniwasm: kernel/ or runtime/ missing under " + empty + " (check -Duniwasm.home)\n", r.err());
        assertFalse(Files.exists(out));
    }
}
