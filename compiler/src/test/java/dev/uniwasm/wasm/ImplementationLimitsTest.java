package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.WasmBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each of the {@link ImplementationLimits}: a module at the limit decodes, one item more is a
 * {@link LimitExceededException} naming the count, the limit and the offset of the count, raised
 * as soon as the count is read (no allocation, no compile).
 */
class ImplementationLimitsTest {
    private static LimitExceededException assertBeyond(String reason, int offset, byte[] module) {
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> ModuleDecoder.decode(module));
        assertEquals(reason, e.reason());
        assertEquals(offset, e.offset(), e.getMessage());
        return e;
    }

    /** {@code n} copies of one item, as a vector. */
    private static byte[] repeated(int n, byte[] item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u32(n));
        for (int i = 0; i < n; i++) out.writeBytes(item);
        return out.toByteArray();
    }

    private static byte[] i32s(int n) {
        byte[] types = new byte[n];
        Arrays.fill(types, (byte) I32);
        return types;
    }

    /** Where a section's content starts in module(before..., section(id, content)). */
    private static int contentAt(byte[] content, byte[]... before) {
        return HEADER.length + cat(before).length + 1 + u32(content.length).length;
    }

    private static final byte[] EMPTY_TYPE = funcType(b(), b());
    private static final byte[] ONE_TYPE = section(1, vec(EMPTY_TYPE));

    @Test
    void parametersAndResults() {
        ModuleDecoder.decode(module(section(1, vec(funcType(i32s(1000), i32s(1000))))));
        // The module: one type with 100,000 parameters kept build in LLVM for over 300 s.
        byte[] types = vec(funcType(i32s(100_000), b()));
        LimitExceededException e = assertBeyond(
                "function type 0 has 100000 parameters; the limit is 1000",
                contentAt(types) + 2,
                module(section(1, types)));
        assertEquals(
                "at byte offset 14 (0xe): function type 0 has 100000 parameters; the limit is 1000", e.getMessage());
        types = vec(EMPTY_TYPE, funcType(b(I32), i32s(1001)));
        assertBeyond(
                "function type 1 has 1001 results; the limit is 1000",
                contentAt(types) + 1 + 3 + 3,
                module(section(1, types)));
    }

    @Test
    void locals() {
        ModuleDecoder.decode(module(
                ONE_TYPE, section(3, vec(b(0))), section(10, vec(body(cat(u32(50_000), b(I32)), 1, b(0x0B))))));
        // Two groups that add up to one more than the limit; the offset is that of the group count.
        byte[] functions = section(3, vec(b(0), b(0)));
        byte[] first = body(b(0x0B));
        byte[] code = vec(first, body(cat(u32(25_000), b(I32), u32(25_001), b(I64)), 2, b(0x0B)));
        byte[] m = module(ONE_TYPE, functions, section(10, code));
        int secondBody = contentAt(code, ONE_TYPE, functions) + 1 + first.length;
        assertBeyond("function 1 has 50001 locals; the limit is 50000", secondBody + 1 /* its size */, m);
    }

    @Test
    void functionBodySize() {
        byte[] functions = section(3, vec(b(0)));
        byte[] code = new byte[ImplementationLimits.MAX_FUNCTION_SIZE - 1];
        Arrays.fill(code, (byte) 0x01); // nop
        code[code.length - 1] = 0x0B;
        // body() puts a local group count (1 byte) before the code: exactly the limit
        ModuleDecoder.decode(module(ONE_TYPE, functions, section(10, vec(body(code)))));
        byte[] more = Arrays.copyOf(code, code.length + 1);
        more[more.length - 2] = 0x01;
        more[more.length - 1] = 0x0B;
        byte[] bodies = vec(body(more));
        int limit = ImplementationLimits.MAX_FUNCTION_SIZE;
        assertBeyond(
                "function 0's body has " + (limit + 1) + " bytes; the limit is " + limit,
                contentAt(bodies, ONE_TYPE, functions) + 1,
                module(ONE_TYPE, functions, section(10, bodies)));
    }

    @Test
    void moduleCountsFailWhereTheCountIs() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            byte[] types = repeated(1_000_001, EMPTY_TYPE);
            assertBeyond(
                    "the module has 1000001 types; the limit is 1000000", contentAt(types), module(section(1, types)));

            byte[] imp = cat(name("m"), name("f"), b(0x00), u32(0));
            byte[] imports = repeated(100_001, imp);
            assertBeyond(
                    "the module has 100001 imports; the limit is 100000",
                    contentAt(imports, ONE_TYPE),
                    module(ONE_TYPE, section(2, imports)));

            // Imported functions count towards the function limit.
            byte[] tenImports = section(2, repeated(10, imp));
            byte[] functions = repeated(999_991, b(0));
            assertBeyond(
                    "the module has 1000001 functions (imported and defined); the limit is 1000000",
                    contentAt(functions, ONE_TYPE, tenImports),
                    module(ONE_TYPE, tenImports, section(3, functions)));

            int maxGlobals = ImplementationLimits.MAX_GLOBALS;
            byte[] globals = repeated(maxGlobals + 1, b(I32, 0x00, 0x41, 0x00, 0x0B));
            assertBeyond(
                    "the module has " + (maxGlobals + 1) + " globals (imported and defined); the limit is "
                            + maxGlobals,
                    contentAt(globals),
                    module(section(6, globals)));

            byte[] exports = repeated(100_001, cat(name("e"), b(0x00), u32(0)));
            assertBeyond(
                    "the module has 100001 exports; the limit is 100000",
                    contentAt(exports),
                    module(section(7, exports)));

            int maxElements = ImplementationLimits.MAX_ELEMENT_SEGMENTS;
            byte[] elements = repeated(maxElements + 1, b(0x01, 0x00, 0x00));
            assertBeyond(
                    "the module has " + (maxElements + 1) + " element segments; the limit is " + maxElements,
                    contentAt(elements),
                    module(section(9, elements)));

            byte[] data = repeated(100_001, b(0x01, 0x00));
            assertBeyond(
                    "the module has 100001 data segments; the limit is 100000",
                    contentAt(data),
                    module(section(11, data)));
        });
    }

    @Test
    void atTheLimitsAModuleDecodes() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Module m = ModuleDecoder.decode(module(section(1, repeated(1_000_000, funcType(b(), b())))));
            assertEquals(1_000_000, m.types.size());
            m = ModuleDecoder.decode(module(
                    section(1, vec(funcType(b(), b()))),
                    section(2, repeated(100_000, cat(name("m"), name("f"), b(0x00), u32(0)))),
                    section(3, repeated(900_000, b(0))),
                    section(10, repeated(900_000, body(b(0x0B))))));
            assertEquals(1_000_000, m.numFuncs());
            m = ModuleDecoder.decode(module(section(11, repeated(100_000, b(0x01, 0x00)))));
            assertEquals(100_000, m.data.size());
        });
    }
}
