package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootConfigTest {
    @Test
    void encodesHeaderAndStringsInTheDocumentedLayout() {
        byte[] bytes = new BootConfig(List.of("app", "héllo"), List.of("K=V"), true).encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("UWBC", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, b.getShort(4));
        assertEquals(1, b.getShort(6), "verbose flag");
        assertEquals(bytes.length, b.getInt(8));
        assertEquals(2, b.getInt(12));
        assertEquals(1, b.getInt(16));
        byte[] strings = "app\0héllo\0K=V\0".getBytes(StandardCharsets.UTF_8);
        byte[] tail = new byte[bytes.length - 20];
        System.arraycopy(bytes, 20, tail, 0, tail.length);
        assertArrayEquals(strings, tail);
    }

    @Test
    void emptyConfigIsJustTheHeader() {
        byte[] bytes = new BootConfig(List.of(), List.of(), false).encode();
        assertEquals(20, bytes.length);
        assertEquals(0, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(6));
    }

    @Test
    void withoutStdinSetsFlagBitOneBesideVerbose() {
        BootConfig c = new BootConfig(List.of("app"), List.of(), true);
        ByteBuffer b = ByteBuffer.wrap(c.withoutStdin().encode()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, b.getShort(6), "verbose and no-stdin flags");
        assertEquals(
                2,
                ByteBuffer.wrap(new BootConfig(List.of("app"), List.of(), false)
                                .withoutStdin()
                                .withNetwork(null)
                                .encode())
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getShort(6),
                "no-stdin survives withNetwork");
    }

    @Test
    void rejectsWhatWasiCannotCarry() {
        ImageException nul =
                assertThrows(ImageException.class, () -> new BootConfig(List.of("a\0b"), List.of(), false));
        assertTrue(nul.getMessage().contains("argument 0"), nul.getMessage());
        ImageException noEquals =
                assertThrows(ImageException.class, () -> new BootConfig(List.of(), List.of("X=1", "PATH"), false));
        assertTrue(noEquals.getMessage().contains("environment entry 1"), noEquals.getMessage());
        assertThrows(ImageException.class, () -> new BootConfig(List.of(), List.of("=v"), false));
    }
}
