package dev.uniwasm.wasm;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the module's bytes that reads the binary format's primitive encodings. Every error
 * is a {@link MalformedModuleException} carrying the offset of the offending byte, with the spec
 * test suite's wording ("unexpected end", "integer representation too long", "integer too large",
 * "length out of bounds", "malformed UTF-8 encoding").
 *
 * <p>Reads never go past {@link #limit()}; the decoder narrows the limit to the current section or
 * function body so that a truncated item cannot read the next one's bytes.
 */
public final class BinaryReader {
    static final String UNEXPECTED_END = "unexpected end of section or function";

    private final byte[] bytes;
    private int pos;
    private int limit;

    public BinaryReader(byte[] bytes, int start, int limit) {
        if (start < 0 || limit > bytes.length || start > limit) {
            throw new IllegalArgumentException("range [" + start + ", " + limit + ") outside 0.." + bytes.length);
        }
        this.bytes = bytes;
        this.pos = start;
        this.limit = limit;
    }

    public BinaryReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public byte[] bytes() {
        return bytes;
    }

    public int position() {
        return pos;
    }

    public void seek(int position) {
        if (position < 0 || position > limit) {
            throw new IllegalArgumentException("position " + position + " outside 0.." + limit);
        }
        pos = position;
    }

    public int limit() {
        return limit;
    }

    /** Narrows (or restores) the end of readable bytes; it never exceeds the array. */
    public void setLimit(int newLimit) {
        if (newLimit < pos || newLimit > bytes.length) {
            throw new IllegalArgumentException("limit " + newLimit + " outside " + pos + ".." + bytes.length);
        }
        limit = newLimit;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean atEnd() {
        return pos >= limit;
    }

    private MalformedModuleException truncated() {
        return new MalformedModuleException(pos, UNEXPECTED_END);
    }

    /** A reference type: funcref or externref. */
    public ValType refType() {
        int at = position();
        int code = u8();
        if (code == ValType.FUNCREF.code) return ValType.FUNCREF;
        if (code == ValType.EXTERNREF.code) return ValType.EXTERNREF;
        throw new MalformedModuleException(at, "malformed reference type");
    }

    public int u8() {
        if (pos >= limit) throw truncated();
        return bytes[pos++] & 0xFF;
    }

    /** The next byte without consuming it, or -1 at the limit. */
    public int peekU8() {
        return pos < limit ? bytes[pos] & 0xFF : -1;
    }

    /** Little-endian fixed-width integers (float constants). */
    public int fixed32() {
        if (limit - pos < 4) throw truncatedAtLimit();
        int v = (bytes[pos] & 0xFF)
                | (bytes[pos + 1] & 0xFF) << 8
                | (bytes[pos + 2] & 0xFF) << 16
                | (bytes[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long fixed64() {
        long lo = fixed32() & 0xFFFFFFFFL;
        long hi = fixed32() & 0xFFFFFFFFL;
        return lo | hi << 32;
    }

    private MalformedModuleException truncatedAtLimit() {
        return new MalformedModuleException(limit, UNEXPECTED_END);
    }

    /** An unsigned 32-bit LEB128 value, returned in the int's 32 bits (it may read as negative). */
    public int u32() {
        return (int) unsignedLeb(32);
    }

    /** An unsigned 32-bit LEB128 value as a non-negative long. */
    public long u32AsLong() {
        return unsignedLeb(32);
    }

    public long u64() {
        return unsignedLeb(64);
    }

    public int s32() {
        return (int) signedLeb(32);
    }

    /** The block type encoding: a signed 33-bit LEB128 (type indices are its non-negative values). */
    public long s33() {
        return signedLeb(33);
    }

    public long s64() {
        return signedLeb(64);
    }

    private long unsignedLeb(int bits) {
        int start = pos;
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; ; i++) {
            if (pos >= limit) throw truncated();
            int b = bytes[pos++] & 0xFF;
            if (i == maxBytes - 1) {
                // The last allowed byte: a continuation bit is one byte too many, and any payload
                // bits above the integer's width make the value too large.
                if ((b & 0x80) != 0) {
                    throw new MalformedModuleException(start, "integer representation too long");
                }
                int usedBits = bits - shift;
                if (usedBits < 7 && (b >>> usedBits) != 0) {
                    throw new MalformedModuleException(start, "integer too large");
                }
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
        }
    }

    private long signedLeb(int bits) {
        int start = pos;
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; ; i++) {
            if (pos >= limit) throw truncated();
            int b = bytes[pos++] & 0xFF;
            if (i == maxBytes - 1) {
                if ((b & 0x80) != 0) {
                    throw new MalformedModuleException(start, "integer representation too long");
                }
                // Bits of the last byte beyond the width must all equal the sign bit.
                int usedBits = bits - shift;
                if (usedBits < 7) {
                    int signAndUnused = b >> (usedBits - 1) & 0x7F >> (usedBits - 1);
                    int allOnes = 0x7F >> (usedBits - 1);
                    if (signAndUnused != 0 && signAndUnused != allOnes) {
                        throw new MalformedModuleException(start, "integer too large");
                    }
                }
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
        }
    }

    /**
     * A byte length (names, sizes, data): a u32 that cannot exceed the bytes left before the limit.
     * As in the reference decoder the bound counts from the length's own first byte, so a length
     * that overruns by less than its own encoding is reported when the bytes run out instead.
     */
    public int count() {
        int start = pos;
        long n = u32AsLong();
        if (n > limit - start) throw new MalformedModuleException(start, "length out of bounds");
        return (int) n;
    }

    /** Skips n bytes, which must be present. */
    public void skip(int n) {
        if (n < 0 || n > limit - pos) throw truncatedAtLimit();
        pos += n;
    }

    public byte[] bytes(int n) {
        int start = pos;
        skip(n);
        byte[] out = new byte[n];
        System.arraycopy(bytes, start, out, 0, n);
        return out;
    }

    /** A name: a byte length then that many bytes of valid UTF-8. */
    public String name() {
        int n = count();
        int start = pos;
        skip(n);
        return utf8(bytes, start, n);
    }

    /** Decodes strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
    public static String utf8(byte[] bytes, int start, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, start, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedModuleException(start, "malformed UTF-8 encoding");
        }
    }
}
