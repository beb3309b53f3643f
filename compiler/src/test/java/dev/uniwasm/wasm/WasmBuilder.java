package dev.uniwasm.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds binary modules byte by byte for tests, with no text-format parser in between. Other
 * modules' tests use it through this module's test jar (which holds only this class).
 */
public final class WasmBuilder {
    public static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

    private WasmBuilder() {}

    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    public static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    public static byte[] u32(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int bits = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? bits | 0x80 : bits);
        } while (v != 0);
        return out.toByteArray();
    }

    public static byte[] s64(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int bits = (int) (v & 0x7F);
            v >>= 7;
            boolean done = (v == 0 && (bits & 0x40) == 0) || (v == -1 && (bits & 0x40) != 0);
            out.write(done ? bits : bits | 0x80);
            if (done) return out.toByteArray();
        }
    }

    public static byte[] name(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return cat(u32(utf8.length), utf8);
    }

    /** A vector: the element count then the elements. */
    public static byte[] vec(byte[]... items) {
        return cat(u32(items.length), cat(items));
    }

    public static byte[] section(int id, byte[]... content) {
        byte[] body = cat(content);
        return cat(b(id), u32(body.length), body);
    }

    public static byte[] module(byte[]... sections) {
        return cat(HEADER, cat(sections));
    }

    public static byte[] funcType(byte[] params, byte[] results) {
        return cat(b(0x60), u32(params.length), params, u32(results.length), results);
    }

    /** A function body: local groups (count, type) then the instruction bytes (final end included). */
    public static byte[] body(byte[] localGroups, int groupCount, byte[] code) {
        byte[] content = cat(u32(groupCount), localGroups, code);
        return cat(u32(content.length), content);
    }

    public static byte[] body(byte[] code) {
        return body(new byte[0], 0, code);
    }

    /** Type section with one type, function section with one function of it, code with one body. */
    public static byte[] oneFunction(byte[] params, byte[] results, byte[] code) {
        return module(section(1, vec(funcType(params, results))), section(3, vec(b(0))), section(10, vec(body(code))));
    }

    public static final int I32 = 0x7F,
            I64 = 0x7E,
            F32 = 0x7D,
            F64 = 0x7C,
            V128 = 0x7B,
            FUNCREF = 0x70,
            EXTERNREF = 0x6F;
}
