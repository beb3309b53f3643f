package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dir and --tmpfs: the forms accepted, and one clear line (exit 2) for those refused, before any work. */
class MountFlagsTest {
    @TempDir
    Path tmp;

    private static void assertRefused(Cli.Result r, String mustMention) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(
                r.err().startsWith("uniwasm: ") && r.err().contains(mustMention),
                "should mention " + mustMention + ": " + r);
    }

    @Test
    void modeSuffixes() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("adir"));
        DirMount.Converter c = new DirMount.Converter();
        assertEquals(new DirMount(d, "/x", true), c.convert(d + "::/x:rw"));
        assertEquals(new DirMount(d, "/x", false), c.convert(d + "::/x:ro"));
        assertEquals(new DirMount(d, "/x", false), c.convert(d + "::/x"));
        // HOST[:rw] without a guest path: the guest path is HOST as written, the mode applies
        assertEquals(new DirMount(d, d.toString(), true), c.convert(d + ":rw"));
    }

    @Test
    void unknownModeIsRefusedNotMountedAtAPathWithAColon() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("adir"));
        assertRefused(Cli.run("run", "--dir", d + "::/x:rx", "app.wasm"), "unknown mount mode 'rx'");
    }

    @Test
    void guestPathsWithControlCharactersOrDotDotAreRefused() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("adir"));
        assertRefused(Cli.run("run", "--dir", d + "::/a\nb", "app.wasm"), "control character (U+000A)");
        assertRefused(Cli.run("run", "--tmpfs", "/a\tb", "app.wasm"), "control character (U+0009)");
        assertRefused(Cli.run("run", "--dir", d + "::/a/../b", "app.wasm"), "'..'");
        assertRefused(
                Cli.run(
                        "build",
                        "--tmpfs",
                        "..",
                        "app.wasm",
                        "-o",
                        tmp.resolve("a.img").toString()),
                "'..'");
    }

    @Test
    void twoMountsOnOneGuestPathAreRefused() throws IOException {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        // wasi-libc strips leading "/" and "./": these three are one pre-open name
        assertRefused(
                Cli.run("run", "--dir", a + "::/x", "--dir", b + "::x", "app.wasm"), "already mounted by --dir /x");
        assertRefused(Cli.run("run", "--dir", a + "::/x", "--tmpfs", "./x/:1M", "app.wasm"), "--tmpfs ./x/");
        assertRefused(
                Cli.run(
                        "build",
                        "--tmpfs",
                        "/",
                        "--tmpfs",
                        ".",
                        "app.wasm",
                        "-o",
                        tmp.resolve("a.img").toString()),
                "already mounted");
    }

    @Test
    void canonicalGuestPaths() {
        assertEquals("www", GuestPath.canonical("/www"));
        assertEquals("www", GuestPath.canonical("./www/"));
        assertEquals("a/b", GuestPath.canonical("//a/./b"));
        assertEquals("", GuestPath.canonical("/"));
        assertEquals("", GuestPath.canonical("."));
    }

    @Test
    void buildDoesNotCreateTheOutputFolder() throws IOException {
        Path wasm = Files.write(tmp.resolve("a.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Path missing = tmp.resolve("no/such/folder");
        assertRefused(
                Cli.run(
                        "build",
                        wasm.toString(),
                        "-o",
                        missing.resolve("out.img").toString()),
                "does not exist");
        assertFalse(Files.exists(tmp.resolve("no")), "no folder may be created");
        assertRefused(Cli.run("build", wasm.toString(), "-o", tmp.toString()), "is a directory");
    }
}
