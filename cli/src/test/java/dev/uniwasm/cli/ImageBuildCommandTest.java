package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'uniwasm image build': bad input is one line and exit 2, before anything is compiled or written. */
class ImageBuildCommandTest {
    @TempDir
    Path dir;

    private static void assertUsageError(Cli.Result r, String mustMention) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertTrue(r.err().startsWith("uniwasm: "), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().contains(mustMention), "should mention " + mustMention + ": " + r);
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path hello = Examples.wasm("hello");
        Path out = dir.resolve("x.tar");
        assertUsageError(Cli.run("image", "build", hello.toString(), "--tag", "Hello", "-o", out.toString()), "--tag 'Hello'");
        assertUsageError(Cli.run("image", "build", hello.toString(), "--tag", "a:-x", "-o", out.toString()), "--tag 'a:-x': tag");
        assertUsageError(Cli.run("image", "build", hello.toString(), "-o", out.toString()), "--tag");
        assertUsageError(Cli.run("image", "build", hello.toString(), "--tag", "a", "-o", dir.resolve("no/x.tar").toString()),
                "does not exist");
        Path notNamedWasm = Files.copy(hello, dir.resolve("hello.bin"));
        assertUsageError(Cli.run("image", "build", notNamedWasm.toString(), "--tag", "a", "-o", out.toString()), "NAME.wasm");
        assertUsageError(Cli.run("image"), "missing command (build)");
        assertUsageError(Cli.run("image", "build", hello.toString(), "--tag", "a", "-o", out.toString(), "--isolation", "wasm"),
                "'wasm' is not one of process, vm, both");
        assertFalse(Files.exists(out));
    }

    /** The VM form's memory must hold its image: files baked in by --dir make it larger than --memory. */
    @Test
    void aVmTooLargeForItsMemoryIsMemorysError() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("big"), new byte[8 << 20]);
        Path out = dir.resolve("big.tar");
        Cli.Result r = Cli.run("image", "build", Examples.wasm("hello").toString(), "--tag", "big", "-o", out.toString(),
                "--dir", data + "::/data", "--memory", "8M", "--isolation", "vm");
        assertUsageError(r, "--memory 8M is too small for the VM: ");
        assertTrue(r.err().contains("or --isolation process"), r.toString());
        assertFalse(Files.exists(out));
    }
}
