package dev.uniwasm.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CpioTest {
    @Test
    void writesNewcHeadersNamesDataAndTrailerAlignedToFourBytes() {
        byte[] archive = new Cpio()
                .directory("bin")
                .file("bin/x", 0755, "hello".getBytes(StandardCharsets.US_ASCII))
                .finish();
        String text = new String(archive, StandardCharsets.ISO_8859_1);
        assertEquals(0, archive.length % 4);
        assertTrue(text.startsWith("070701" + "00000001" + "000041ED"), text.substring(0, 22)); // ino 1, drwxr-xr-x
        int file = text.indexOf("070701", 6);
        assertEquals(0, file % 4, "each header starts 4-aligned");
        // ino 2, -rwxr-xr-x, uid 0, gid 0, 1 link, mtime 0, 5 bytes
        assertEquals(
                "00000002" + "000081ED" + "00000000" + "00000000" + "00000001" + "00000000" + "00000005",
                text.substring(file + 6, file + 6 + 56));
        int name = file + 110;
        assertEquals("bin/x\0", text.substring(name, name + 6));
        assertTrue(text.contains("hello"));
        assertEquals(0, text.indexOf("hello") % 4, "data starts 4-aligned");
        assertTrue(text.contains("TRAILER!!!\0"));
    }

    @Test
    void refusesAbsoluteNamesDuplicatesAndOrphans() {
        assertThrows(IllegalArgumentException.class, () -> new Cpio().directory("/bin"));
        assertThrows(
                IllegalArgumentException.class, () -> new Cpio().directory("a").directory("a"));
        assertThrows(IllegalArgumentException.class, () -> new Cpio().file("etc/passwd", 0644, new byte[0]));
    }
}
