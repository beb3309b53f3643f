package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.WasmBuilder.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValidatorTest {
    private static InvalidModuleException assertInvalid(String reason, byte[] wasm) {
        return assertInvalid(reason, wasm, Features.WASM2);
    }

    private static InvalidModuleException assertInvalid(String reason, byte[] wasm, Features features) {
        Module m = ModuleDecoder.decode(wasm, features);
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Validator.validate(m, features));
        assertTrue(e.reason().startsWith(reason), "expected '" + reason + "', got: " + e.getMessage());
        return e;
    }

    private static void assertValid(byte[] wasm) {
        assertValid(wasm, Features.WASM2);
    }

    private static void assertValid(byte[] wasm, Features features) {
        assertDoesNotThrow(() -> Validator.validate(ModuleDecoder.decode(wasm, features), features));
    }

    /** One function with a memory (1 page) and a funcref table (1 entry) around it. */
    private static byte[] withMemoryAndTable(byte[] params, byte[] results, byte[] code) {
        return module(
                section(1, vec(funcType(params, results))),
                section(3, vec(b(0))),
                section(4, vec(b(FUNCREF, 0x00, 0x01))),
                section(5, vec(b(0x00, 0x01))),
                section(10, vec(body(code))));
    }

    @Test
    void operandTypes() {
        assertValid(oneFunction(b(I32, I32), b(I32), b(0x20, 0, 0x20, 1, 0x6A, 0x0B)));
        InvalidModuleException e =
                assertInvalid("type mismatch", oneFunction(b(I32, I64), b(I32), b(0x20, 0, 0x20, 1, 0x6A, 0x0B)));
        byte[] wasm = oneFunction(b(I32, I64), b(I32), b(0x20, 0, 0x20, 1, 0x6A, 0x0B));
        assertEquals(0x6A, wasm[(int) e.offset()]);
        assertInvalid("type mismatch", oneFunction(b(), b(I32), b(0x0B)));
        assertInvalid("type mismatch", oneFunction(b(), b(), b(0x41, 0, 0x0B)));
        assertInvalid("type mismatch", oneFunction(b(), b(), b(0x1A, 0x0B)));
    }

    @Test
    void indexSpaces() {
        assertInvalid("unknown local 2", oneFunction(b(I32), b(), b(0x20, 0x02, 0x1A, 0x0B)));
        assertInvalid("unknown global 0", oneFunction(b(), b(), b(0x23, 0x00, 0x1A, 0x0B)));
        assertInvalid("unknown function 4", oneFunction(b(), b(), b(0x10, 0x04, 0x0B)));
        assertInvalid("unknown table 0", oneFunction(b(), b(), b(0x41, 0, 0x11, 0x00, 0x00, 0x0B)));
        assertInvalid("unknown memory 0", oneFunction(b(), b(I32), b(0x3F, 0x00, 0x0B)));
        assertInvalid("unknown label", oneFunction(b(), b(), b(0x0C, 0x01, 0x0B)));
        assertInvalid("unknown type", oneFunction(b(), b(), b(0x02, 0x05, 0x0B, 0x0B)));
        assertInvalid("unknown elem segment 0", oneFunction(b(), b(), b(0xFC, 0x0D, 0x00, 0x0B)));
        assertInvalid("unknown data segment 0", oneFunction(b(), b(), b(0xFC, 0x09, 0x00, 0x0B)));
        assertInvalid("unknown type 3", module(section(3, vec(b(3))), section(10, vec(body(b(0x0B))))));
    }

    @Test
    void globals() {
        byte[] immutable = module(
                section(1, vec(funcType(b(), b()))),
                section(3, vec(b(0))),
                section(6, vec(b(I32, 0x00, 0x41, 0x00, 0x0B))),
                section(10, vec(body(b(0x41, 0, 0x24, 0x00, 0x0B)))));
        assertInvalid("global is immutable", immutable);
        assertInvalid("type mismatch", module(section(6, vec(b(I32, 0x00, 0x42, 0x00, 0x0B)))));
        assertInvalid(
                "constant expression required",
                module(section(6, vec(b(I32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6A, 0x0B)))));
        assertValid(
                module(section(6, vec(b(I32, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B)))),
                new Features(false, true, false));
        assertInvalid("constant expression required", module(section(6, vec(b(I32, 0x00, 0x01, 0x41, 0x00, 0x0B)))));
        // Globals may only read imported (immutable) globals in Wasm 2.0.
        assertInvalid(
                "unknown global 0",
                module(section(6, vec(b(I32, 0x00, 0x41, 0x00, 0x0B), b(I32, 0x00, 0x23, 0x00, 0x0B)))));
        assertInvalid(
                "constant expression required",
                module(
                        section(2, vec(cat(name("m"), name("g"), b(0x03, I32, 0x01)))),
                        section(6, vec(b(I32, 0x00, 0x23, 0x00, 0x0B)))));
        assertValid(module(
                section(2, vec(cat(name("m"), name("g"), b(0x03, I32, 0x00)))),
                section(6, vec(b(I32, 0x00, 0x23, 0x00, 0x0B)))));
    }

    @Test
    void memoryRules() {
        assertInvalid(
                "alignment must not be larger than natural",
                withMemoryAndTable(b(), b(I32), b(0x41, 0, 0x28, 0x03, 0x00, 0x0B)));
        assertValid(withMemoryAndTable(b(), b(I32), b(0x41, 0, 0x28, 0x02, 0x00, 0x0B)));
        assertInvalid("multiple memories", module(section(5, vec(b(0, 1), b(0, 1)))));
        assertValid(module(section(5, vec(b(0, 1), b(0, 1)))), Features.ALL);
        assertInvalid("memory size must be at most 65536 pages (4GiB)", module(section(5, vec(cat(b(0), u32(65537))))));
        assertInvalid(
                "memory size must be at most 65536 pages (4GiB)",
                module(section(5, vec(cat(b(1), u32(0), u32(65537))))));
        assertInvalid("size minimum must not be greater than maximum", module(section(5, vec(b(1, 2, 1)))));
        assertInvalid("size minimum must not be greater than maximum", module(section(4, vec(b(FUNCREF, 1, 2, 1)))));
        assertInvalid("unknown memory 0", module(section(11, vec(cat(b(0x00, 0x41, 0x00, 0x0B), vec())))));
    }

    @Test
    void controlFlow() {
        // Multi-value block from a type index: (i32 i32) -> (i32).
        byte[] wasm = module(
                section(1, vec(funcType(b(), b(I32)), funcType(b(I32, I32), b(I32)))),
                section(3, vec(b(0))),
                section(10, vec(body(b(0x41, 1, 0x41, 2, 0x02, 0x01, 0x6A, 0x0B, 0x0B)))));
        assertValid(wasm);
        // Unreachable code is polymorphic.
        assertValid(oneFunction(b(), b(I32), b(0x00, 0x6A, 0x0B)));
        assertValid(oneFunction(b(), b(I64), b(0x42, 0, 0x0F, 0x1A, 0x0B)));
        assertInvalid("type mismatch", oneFunction(b(), b(I32), b(0x00, 0x42, 0, 0x6A, 0x0B)));
        // if without else must have matching parameters and results.
        assertInvalid("type mismatch", oneFunction(b(), b(I32), b(0x41, 1, 0x04, I32, 0x41, 1, 0x0B, 0x0B)));
        assertValid(oneFunction(b(), b(I32), b(0x41, 1, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0B, 0x0B)));
        // br_table targets must agree on arity.
        assertInvalid(
                "type mismatch",
                oneFunction(b(), b(I32), b(0x02, 0x40, 0x41, 0, 0x41, 0, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x41, 0, 0x0B)));
        assertValid(oneFunction(
                b(), b(), b(0x02, 0x40, 0x02, 0x40, 0x41, 0, 0x0E, 0x02, 0x00, 0x01, 0x02, 0x0B, 0x0B, 0x0B)));
        // loop labels take the loop's parameters.
        assertValid(oneFunction(b(), b(), b(0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B)));
        assertInvalid("type mismatch", oneFunction(b(), b(), b(0x03, I32, 0x41, 0, 0x0C, 0x00, 0x0B, 0x0B)));
    }

    @Test
    void selectAndReferences() {
        assertValid(oneFunction(b(), b(I64), b(0x42, 1, 0x42, 2, 0x41, 0, 0x1B, 0x0B)));
        assertInvalid("type mismatch", oneFunction(b(), b(I64), b(0x42, 1, 0x41, 2, 0x41, 0, 0x1B, 0x0B)));
        assertInvalid(
                "type mismatch", oneFunction(b(), b(FUNCREF), b(0xD0, FUNCREF, 0xD0, FUNCREF, 0x41, 0, 0x1B, 0x0B)));
        assertValid(oneFunction(b(), b(FUNCREF), b(0xD0, FUNCREF, 0xD0, FUNCREF, 0x41, 0, 0x1C, 0x01, FUNCREF, 0x0B)));
        assertInvalid(
                "invalid result arity",
                oneFunction(b(), b(), b(0x41, 0, 0x41, 0, 0x41, 0, 0x1C, 0x02, I32, I32, 0x1A, 0x0B)));
        assertInvalid("undeclared function reference", oneFunction(b(), b(), b(0xD2, 0x00, 0x1A, 0x0B)));
        byte[] declared = module(
                section(1, vec(funcType(b(), b()))),
                section(3, vec(b(0))),
                section(9, vec(cat(b(0x03, 0x00), vec(b(0))))),
                section(10, vec(body(b(0xD2, 0x00, 0x1A, 0x0B)))));
        assertValid(declared);
        assertValid(oneFunction(b(), b(I32), b(0xD0, EXTERNREF, 0xD1, 0x0B)));
        assertInvalid("type mismatch", oneFunction(b(), b(I32), b(0x41, 0, 0xD1, 0x0B)));
    }

    @Test
    void simd() {
        assertValid(withMemoryAndTable(
                b(),
                b(I32),
                cat(
                        b(0x41, 0, 0xFD, 0x00, 0x04, 0x00),
                        b(0xFD, 0x0C),
                        new byte[16],
                        b(0xFD, 0x6E, 0xFD, 0x15, 0x0F, 0x0B))));
        assertInvalid("invalid lane index", oneFunction(b(V128), b(I32), b(0x20, 0, 0xFD, 0x15, 0x10, 0x0B)));
        assertInvalid("invalid lane index", oneFunction(b(V128), b(I64), b(0x20, 0, 0xFD, 0x1D, 0x02, 0x0B)));
        byte[] shuffle = new byte[16];
        shuffle[3] = 32;
        assertInvalid(
                "invalid lane index",
                oneFunction(b(V128), b(V128), cat(b(0x20, 0, 0x20, 0, 0xFD, 0x0D), shuffle, b(0x0B))));
        assertInvalid(
                "alignment must not be larger than natural",
                withMemoryAndTable(b(), b(V128), b(0x41, 0, 0xFD, 0x00, 0x05, 0x00, 0x0B)));
        assertInvalid("type mismatch", oneFunction(b(V128), b(V128), b(0x20, 0, 0x41, 0, 0xFD, 0x6E, 0x0B)));
        assertValid(oneFunction(b(V128), b(V128), b(0x20, 0, 0x41, 3, 0xFD, 0x6B, 0x0B)));
        assertValid(oneFunction(b(V128), b(I32), b(0x20, 0, 0xFD, 0x64, 0x0B)));
    }

    @Test
    void moduleLevel() {
        byte[] duplicate = module(
                section(1, vec(funcType(b(), b()))),
                section(3, vec(b(0))),
                section(7, vec(cat(name("f"), b(0), u32(0)), cat(name("f"), b(0), u32(0)))),
                section(10, vec(body(b(0x0B)))));
        InvalidModuleException e = assertInvalid("duplicate export name", duplicate);
        assertEquals(ModuleDecoder.decode(duplicate).sectionOffsets[7], e.offset());
        assertTrue(e.offset() > 8);
        assertInvalid(
                "unknown function 1",
                module(
                        section(1, vec(funcType(b(), b()))),
                        section(3, vec(b(0))),
                        section(7, vec(cat(name("f"), b(0), u32(1)))),
                        section(10, vec(body(b(0x0B))))));
        assertInvalid(
                "start function",
                module(
                        section(1, vec(funcType(b(I32), b()))), section(3, vec(b(0))),
                        section(8, u32(0)), section(10, vec(body(b(0x0B))))));
        assertInvalid(
                "type mismatch",
                module(
                        section(4, vec(b(EXTERNREF, 0, 1))),
                        section(9, vec(cat(b(0x04, 0x41, 0x00, 0x0B), vec(b(0xD0, FUNCREF, 0x0B)))))));
        assertInvalid(
                "unknown table 0",
                module(
                        section(1, vec(funcType(b(), b()))),
                        section(3, vec(b(0))),
                        section(9, vec(cat(b(0x00, 0x41, 0x00, 0x0B), vec(b(0))))),
                        section(10, vec(body(b(0x0B))))));
    }

    @Test
    void tailCallsNeedTheFeature() {
        byte[] wasm = oneFunction(b(), b(), b(0x12, 0x00, 0x0B));
        assertValid(wasm, Features.ALL);
        byte[] wrongResults = module(
                section(1, vec(funcType(b(), b(I32)), funcType(b(), b(I64)))),
                section(3, vec(b(0), b(1))),
                section(10, vec(body(b(0x12, 0x01, 0x0B)), body(b(0x42, 0, 0x0B)))));
        assertInvalid("type mismatch", wrongResults, Features.ALL);
    }

    @Test
    void perFunctionEntryPoints() {
        byte[] wasm = module(
                section(1, vec(funcType(b(), b(I32)))),
                section(3, vec(b(0), b(0))),
                section(10, vec(body(b(0x41, 0, 0x0B)), body(b(0x0B)))));
        Module m = ModuleDecoder.decode(wasm);
        Validator.validateModuleLevel(m, Features.WASM2);
        Validator.validateFunction(m, 0);
        assertThrows(InvalidModuleException.class, () -> Validator.validateFunction(m, 1));
        assertThrows(IllegalArgumentException.class, () -> Validator.validateFunction(m, 2));
    }
}
