package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.WasmBuilder.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BinaryReaderTest {
    private static BinaryReader reader(int... bytes) {
        return new BinaryReader(b(bytes));
    }

    private static void assertMalformed(String reason, int offset, Runnable read) {
        MalformedModuleException e = assertThrows(MalformedModuleException.class, read::run);
        assertEquals(offset, e.offset(), "offset of " + e.getMessage());
        assertEquals(true, e.reason().startsWith(reason), "reason: " + e.reason());
    }

    @Test
    void unsigned32() {
        assertEquals(0, reader(0x00).u32());
        assertEquals(624485, reader(0xE5, 0x8E, 0x26).u32());
        assertEquals(0xFFFFFFFFL, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).u32AsLong());
        assertEquals(-1, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).u32());
        // Padded with redundant zero continuation bytes, still within five bytes.
        assertEquals(3, reader(0x83, 0x80, 0x80, 0x80, 0x00).u32());
    }

    @Test
    void unsigned32Errors() {
        BinaryReader r = new BinaryReader(b(0xAA, 0x83, 0x80, 0x80, 0x80, 0x80, 0x00));
        r.u8();
        assertMalformed("integer representation too long", 1, r::u32);
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0x1F).u32());
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x70).u32());
        assertMalformed("unexpected end", 2, () -> reader(0x80, 0x80).u32());
        assertMalformed("unexpected end", 0, () -> reader().u32());
    }

    @Test
    void signed32() {
        assertEquals(-1, reader(0x7F).s32());
        assertEquals(63, reader(0x3F).s32());
        assertEquals(-64, reader(0x40).s32());
        assertEquals(Integer.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x78).s32());
        assertEquals(Integer.MAX_VALUE, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x07).s32());
        assertEquals(-1, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x7F).s32());
    }

    @Test
    void signed32Errors() {
        // The unused high bits of the fifth byte must repeat the sign bit.
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0x4F).s32());
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x08).s32());
        assertMalformed(
                "integer representation too long",
                0,
                () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F).s32());
    }

    @Test
    void signed33And64() {
        assertEquals(0xFFFFFFFFL, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).s33());
        assertEquals(-0x1_0000_0000L, reader(0x80, 0x80, 0x80, 0x80, 0x70).s33());
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x20).s33());
        assertEquals(
                Long.MIN_VALUE,
                reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F)
                        .s64());
        assertEquals(
                Long.MAX_VALUE,
                reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00)
                        .s64());
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)
                        .s64());
        assertMalformed(
                "integer representation too long",
                0,
                () -> reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)
                        .s64());
        assertEquals(
                -1L,
                reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
                        .u64());
        assertMalformed(
                "integer too large",
                0,
                () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02)
                        .u64());
    }

    @Test
    void fixedWidth() {
        assertEquals(0x3F800000, reader(0x00, 0x00, 0x80, 0x3F).fixed32());
        assertEquals(0x3FF0000000000000L, reader(0, 0, 0, 0, 0, 0, 0xF0, 0x3F).fixed64());
        assertMalformed("unexpected end", 3, () -> reader(0, 0, 0).fixed32());
    }

    @Test
    void lengthsAreBoundedByTheInput() {
        // A huge length fails at once, without allocating.
        assertMalformed(
                "length out of bounds",
                0,
                () -> reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00).count());
        assertMalformed("length out of bounds", 0, () -> reader(0x03, 0x61).name());
        assertEquals("abc", reader(0x03, 0x61, 0x62, 0x63).name());
    }

    @Test
    void utf8Names() {
        assertEquals(
                "\u00e9\u4e2d\ud83d\ude00",
                reader(0x09, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80)
                        .name());
        assertMalformed("malformed UTF-8 encoding", 1, () -> reader(0x01, 0x80).name());
        // Overlong encoding of '/', an encoded surrogate, a code point past U+10FFFF, a truncated sequence.
        assertMalformed(
                "malformed UTF-8 encoding", 1, () -> reader(0x02, 0xC0, 0xAF).name());
        assertMalformed(
                "malformed UTF-8 encoding",
                1,
                () -> reader(0x03, 0xED, 0xA0, 0x80).name());
        assertMalformed(
                "malformed UTF-8 encoding",
                1,
                () -> reader(0x04, 0xF4, 0x90, 0x80, 0x80).name());
        assertMalformed(
                "malformed UTF-8 encoding", 1, () -> reader(0x02, 0xE4, 0xB8).name());
    }
}
