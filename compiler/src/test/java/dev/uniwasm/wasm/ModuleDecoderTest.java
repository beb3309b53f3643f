package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.WasmBuilder.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleDecoderTest {
    static MalformedModuleException assertMalformed(String reason, byte[] bytes) {
        return assertMalformed(reason, bytes, Features.WASM2);
    }

    static MalformedModuleException assertMalformed(String reason, byte[] bytes, Features features) {
        MalformedModuleException e =
                assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decode(bytes, features));
        assertTrue(e.reason().startsWith(reason), "expected '" + reason + "', got: " + e.getMessage());
        assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, "offset in range: " + e.offset());
        return e;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    /** A module using every section, decoded field by field below. */
    private static byte[] fullModule() {
        return module(
                section(1, vec(funcType(b(I32, I32), b(I32)), funcType(b(), b()))),
                section(
                        2,
                        vec(
                                cat(name("env"), name("add"), b(0x00), u32(0)),
                                cat(name("env"), name("g"), b(0x03, I64, 0x00)))),
                section(3, vec(b(1), b(0))),
                section(4, vec(b(FUNCREF, 0x01, 0x02, 0x0A))),
                section(5, vec(b(0x01, 0x01, 0x10))),
                section(6, vec(cat(b(I32, 0x01), b(0x41), s64(-5), b(0x0B)))),
                section(7, vec(cat(name("run"), b(0x00), u32(1)), cat(name("mem"), b(0x02), u32(0)))),
                section(8, u32(1)),
                section(9, vec(cat(b(0x00, 0x41, 0x00, 0x0B), vec(b(1), b(2))))),
                section(12, u32(2)),
                section(
                        10,
                        vec(body(b(0x02, I64, 0x01, F32), 2, b(0x0B)), body(b(0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B)))),
                section(11, vec(cat(b(0x00, 0x41, 0x10, 0x0B), name("hi")), cat(b(0x01), vec(b(0x07))))),
                section(
                        0,
                        name("name"),
                        b(0x00),
                        u32(name("mod").length),
                        name("mod"),
                        b(0x01),
                        u32(cat(vec(cat(u32(1), name("run")))).length),
                        vec(cat(u32(1), name("run")))));
    }

    @Test
    void decodesAFullModule() {
        byte[] wasm = fullModule();
        Module m = ModuleDecoder.decode(wasm);
        assertEquals(
                List.of(
                        new FuncType(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                        new FuncType(List.of(), List.of())),
                m.types);
        assertEquals(2, m.imports.size());
        assertEquals(new Import("env", "add", new ImportDesc.Func(0)), m.imports.get(0));
        assertEquals(new GlobalType(ValType.I64, false), m.imports.get(1).desc());
        assertEquals(1, m.numImportedFuncs);
        assertEquals(1, m.numImportedGlobals);
        assertEquals(List.of(0, 1, 0), m.funcTypes);
        assertEquals(List.of(new TableType(ValType.FUNCREF, new Limits(2, 10))), m.tables);
        assertEquals(List.of(new MemoryType(new Limits(1, 16))), m.memories);
        assertEquals(List.of(new GlobalType(ValType.I64, false), new GlobalType(ValType.I32, true)), m.globalTypes);
        Expr init = m.globalInits.get(0);
        InstructionReader r = new InstructionReader(wasm, init.start(), init.end());
        assertEquals(Opcode.I32_CONST, r.next());
        assertEquals(-5, r.constBits);
        assertEquals(Opcode.END, r.next());
        assertEquals(
                List.of(new Export("run", ExternKind.FUNC, 1), new Export("mem", ExternKind.MEMORY, 0)), m.exports);
        assertEquals(1, m.startFunction);
        ElementSegment seg = m.elements.get(0);
        assertEquals(SegmentMode.ACTIVE, seg.mode());
        assertEquals(ValType.FUNCREF, seg.type());
        assertArrayEquals(new int[] {1, 2}, seg.funcIndices());
        assertTrue(seg.items().isEmpty());
        assertEquals(2, m.dataCount);
        assertEquals(2, m.bodies.size());
        assertArrayEquals(
                new ValType[] {ValType.I64, ValType.I64, ValType.F32}, m.body(1).locals());
        assertEquals(0x0B, wasm[m.body(1).codeStart()]);
        assertEquals(m.body(1).codeStart() + 1, m.body(1).codeEnd());
        DataSegment d0 = m.data.get(0);
        assertEquals(SegmentMode.ACTIVE, d0.mode());
        assertEquals("hi", new String(wasm, d0.dataStart(), d0.length()));
        assertEquals(SegmentMode.PASSIVE, m.data.get(1).mode());
        assertNull(m.data.get(1).offset());
        assertEquals("mod", m.moduleName);
        assertEquals("run", m.functionNames.get(1));
        assertEquals("name", m.customSections.get(0).name());
        Validator.validate(m);
    }

    @Test
    void elementSegmentEncodings() {
        byte[] wasm = module(
                section(1, vec(funcType(b(), b()))),
                section(3, vec(b(0))),
                section(4, vec(b(FUNCREF, 0x00, 0x01), b(EXTERNREF, 0x00, 0x01))),
                section(
                        9,
                        vec(
                                cat(b(0x01, 0x00), vec(b(0))), // passive, func indices
                                cat(b(0x02), u32(0), b(0x41, 0x00, 0x0B, 0x00), vec(b(0))), // active table 0
                                cat(b(0x03, 0x00), vec(b(0))), // declarative
                                cat(b(0x04, 0x41, 0x00, 0x0B), vec(b(0xD2, 0x00, 0x0B))), // active, expressions
                                cat(b(0x05, EXTERNREF), vec(b(0xD0, EXTERNREF, 0x0B))), // passive externref
                                cat(b(0x06), u32(1), b(0x41, 0x00, 0x0B, EXTERNREF), vec(b(0xD0, EXTERNREF, 0x0B))),
                                cat(b(0x07, FUNCREF), vec(b(0xD2, 0x00, 0x0B), b(0xD0, FUNCREF, 0x0B))))),
                section(10, vec(body(b(0x0B)))));
        Module m = ModuleDecoder.decode(wasm);
        List<ElementSegment> e = m.elements;
        assertEquals(7, e.size());
        assertEquals(SegmentMode.PASSIVE, e.get(0).mode());
        assertArrayEquals(new int[] {0}, e.get(0).funcIndices());
        assertEquals(SegmentMode.ACTIVE, e.get(1).mode());
        assertEquals(SegmentMode.DECLARATIVE, e.get(2).mode());
        assertNull(e.get(3).funcIndices());
        assertEquals(1, e.get(3).items().size());
        assertEquals(ValType.EXTERNREF, e.get(4).type());
        assertEquals(1, e.get(5).table());
        assertEquals(SegmentMode.DECLARATIVE, e.get(6).mode());
        assertEquals(2, e.get(6).size());
        Validator.validate(m);
    }

    @Test
    void header() {
        assertMalformed("unexpected end", b());
        assertMalformed("unexpected end", b(0, 'a', 's'));
        assertMalformed("magic header not detected", b(0, 'A', 'S', 'M', 1, 0, 0, 0));
        assertMalformed("unexpected end", b(0, 'a', 's', 'm', 1));
        assertMalformed("unknown binary version", b(0, 'a', 's', 'm', 2, 0, 0, 0));
        assertEquals(0, ModuleDecoder.decode(HEADER).types.size());
    }

    @Test
    void sectionStructure() {
        assertMalformed("malformed section id", module(section(13)));
        assertMalformed("unexpected content after last section", module(section(3, vec()), section(1, vec())));
        assertMalformed("unexpected content after last section", module(section(1, vec()), section(1, vec())));
        // The data count section goes between element and code.
        assertMalformed("unexpected content after last section", module(section(10, vec()), section(12, u32(0))));
        // Declared size larger than the content read.
        assertMalformed("section size mismatch", module(cat(b(1), u32(2), vec(), b(0))));
        assertMalformed("length out of bounds", cat(HEADER, b(1), u32(5), b(0)));
        // Like the reference decoder, a size is compared with the bytes left including its own
        // encoding, so overrunning by one byte is reported as the end of the input.
        assertMalformed("unexpected end", cat(HEADER, b(1), u32(2), b(0)));
        assertMalformed("length out of bounds", cat(HEADER, b(1), u32(0xFFFFFFFFL), b(0)));
        // Custom sections may appear anywhere, even between ordered sections.
        Module m = ModuleDecoder.decode(
                module(section(0, name("a")), section(1, vec()), section(0, name("b"), b(1, 2, 3)), section(3, vec())));
        assertEquals(2, m.customSections.size());
        assertEquals(
                3,
                m.customSections.get(1).contentEnd() - m.customSections.get(1).contentStart());
    }

    @Test
    void hugeCountsFailFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertMalformed("length out of bounds", module(cat(b(1), u32(6), u32(0xFFFFFFFFL), b(0x60))));
            assertMalformed("length out of bounds", module(section(9, u32(0xFFFFFFFFL))));
            // Element segment with 2^32-1 function indices.
            assertMalformed("length out of bounds", module(section(9, vec(cat(b(0x01, 0x00), u32(0xFFFFFFFFL))))));
            // Local counts of 2^32-1 twice: more than a function may have.
            MalformedModuleException e = assertMalformed(
                    "too many locals",
                    module(
                            section(1, vec(funcType(b(), b()))),
                            section(3, vec(b(0))),
                            section(
                                    10,
                                    vec(body(cat(u32(0xFFFFFFFFL), b(I32), u32(0xFFFFFFFFL), b(I32)), 2, b(0x0B))))));
            assertTrue(e.offset() > 8);
            // Plausible to the format but beyond this compiler's limit: still an error, no allocation.
            assertThrows(
                    LimitExceededException.class,
                    () -> ModuleDecoder.decode(module(
                            section(1, vec(funcType(b(), b()))),
                            section(3, vec(b(0))),
                            section(
                                    10,
                                    vec(body(cat(u32(ImplementationLimits.MAX_LOCALS + 1), b(I32)), 1, b(0x0B)))))));
            // br_table with 2^32-1 targets.
            assertMalformed(
                    "length out of bounds",
                    oneFunction(b(), b(), cat(b(0x41, 0x00, 0x0E), u32(0xFFFFFFFFL), b(0x00, 0x0B))));
        });
    }

    @Test
    void lebErrorsInEveryReader() {
        byte[] tooLong = b(0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
        byte[] tooLarge = b(0x80, 0x80, 0x80, 0x80, 0x10);
        // Section size, vector count, type index, export index, local count, instruction immediate.
        assertMalformed("integer representation too long", cat(HEADER, b(1), tooLong));
        assertMalformed("integer too large", cat(HEADER, b(1), tooLarge));
        assertMalformed("integer representation too long", module(section(3, tooLong)));
        assertMalformed("integer too large", module(section(3, vec(tooLarge))));
        assertMalformed("integer representation too long", module(section(7, vec(cat(name("x"), b(0), tooLong)))));
        assertMalformed(
                "integer too large",
                module(
                        section(1, vec(funcType(b(), b()))),
                        section(3, vec(b(0))),
                        section(10, vec(body(cat(tooLarge, b(I32)), 1, b(0x0B))))));
        assertMalformed("integer representation too long", oneFunction(b(), b(), cat(b(0x20), tooLong, b(0x0B))));
        assertMalformed(
                "integer too large", oneFunction(b(), b(), cat(b(0x41), b(0x80, 0x80, 0x80, 0x80, 0x10), b(0x0B))));
        assertMalformed(
                "integer too large",
                oneFunction(
                        b(),
                        b(),
                        cat(b(0x42), b(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02), b(0x0B))));
        // Limits flags behave as a one-bit LEB128.
        assertMalformed("integer too large", module(section(5, vec(b(0x02, 0x00)))));
        assertMalformed("integer representation too long", module(section(5, vec(b(0x81, 0x00, 0x00)))));
    }

    @Test
    void malformedEncodings() {
        assertMalformed("malformed import kind", module(section(2, vec(cat(name("a"), name("b"), b(0x04, 0x00))))));
        assertMalformed("malformed mutability", module(section(6, vec(b(I32, 0x02, 0x41, 0x00, 0x0B)))));
        assertMalformed("malformed reference type", module(section(4, vec(b(I32, 0x00, 0x00)))));
        assertMalformed("malformed value type", module(section(1, vec(funcType(b(0x40), b())))));
        MalformedModuleException e = assertMalformed(
                "malformed UTF-8 encoding",
                module(section(2, vec(cat(name("ok"), u32(2), b(0xC0, 0x80), b(0x00), u32(0))))));
        assertEquals(8 + 2 + 1 + 3 + 1, e.offset());
        assertMalformed("malformed UTF-8 encoding", module(section(0, u32(1), b(0xFF))));
    }

    @Test
    void instructionEncodings() {
        byte[] bad = oneFunction(b(), b(), b(0x01, 0xFF, 0x0B));
        MalformedModuleException e = assertMalformed("illegal opcode", bad);
        assertEquals(indexOf(bad, b(0x01, 0xFF, 0x0B)) + 1, e.offset());
        assertMalformed("illegal opcode", oneFunction(b(), b(), b(0xFC, 0x12, 0x0B)));
        assertMalformed("illegal opcode", oneFunction(b(), b(), b(0xFD, 0x9A, 0x01, 0x0B)));
        assertMalformed("illegal opcode", oneFunction(b(), b(), b(0xFD, 0x80, 0x80, 0x04, 0x0B)));
        assertMalformed("illegal opcode", oneFunction(b(), b(), b(0x12, 0x00, 0x0B)));
        assertMalformed("zero byte expected", oneFunction(b(), b(I32), b(0x3F, 0x01, 0x0B)));
        assertMalformed(
                "zero byte expected",
                oneFunction(b(), b(), b(0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0A, 0x00, 0x01, 0x0B)));
        assertMalformed("malformed memop flags", oneFunction(b(I32), b(I32), b(0x20, 0x00, 0x28, 0x40, 0x00, 0x0B)));
        assertMalformed("malformed reference type", oneFunction(b(), b(), b(0xD0, I32, 0x1A, 0x0B)));
        assertMalformed("unexpected end", oneFunction(b(), b(), b(0x41)));
        // The body's bytes end before its final end.
        assertMalformed(
                "END opcode expected",
                module(
                        section(1, vec(funcType(b(), b()))),
                        section(3, vec(b(0), b(0))),
                        section(10, vec(body(b(0x01)), body(b(0x05, 0x0B))))));
        // A final end before the body's declared size.
        assertMalformed("section size mismatch", oneFunction(b(), b(), b(0x0B, 0x01)));
        assertMalformed("END opcode expected", oneFunction(b(), b(), b(0x02, 0x40, 0x05, 0x0B, 0x0B)));
    }

    @Test
    void proposalEncodingsFollowFeatures() {
        byte[] twoMemories = oneFunction(b(), b(I32), b(0x3F, 0x01, 0x0B));
        Module m = ModuleDecoder.decode(twoMemories, Features.ALL);
        InstructionReader r =
                new InstructionReader(m.bytes, m.body(0).codeStart(), m.body(0).codeEnd());
        assertEquals(Opcode.MEMORY_SIZE, r.next());
        assertEquals(1, r.memoryIndex);
        byte[] memarg = oneFunction(b(I32), b(I32), b(0x20, 0x00, 0x28, 0x42, 0x03, 0x08, 0x0B));
        m = ModuleDecoder.decode(memarg, Features.ALL);
        r = new InstructionReader(m.bytes, m.body(0).codeStart(), m.body(0).codeEnd());
        r.next();
        assertEquals(Opcode.I32_LOAD, r.next());
        assertEquals(2, r.align);
        assertEquals(3, r.memoryIndex);
        assertEquals(8, r.memOffset);
        ModuleDecoder.decode(oneFunction(b(), b(), b(0x12, 0x00, 0x0B)), Features.ALL);
    }

    @Test
    void countConsistency() {
        assertMalformed(
                "function and code section have inconsistent lengths",
                module(section(1, vec(funcType(b(), b()))), section(3, vec(b(0)))));
        assertMalformed("function and code section have inconsistent lengths", module(section(10, vec(body(b(0x0B))))));
        assertMalformed(
                "data count and data section have inconsistent lengths",
                module(section(5, vec(b(0, 1))), section(12, u32(1))));
        assertMalformed(
                "data count section required",
                module(
                        section(1, vec(funcType(b(), b()))),
                        section(3, vec(b(0))),
                        section(5, vec(b(0, 1))),
                        section(10, vec(body(b(0xFC, 0x09, 0x00, 0x0B)))),
                        section(11, vec(cat(b(0x01), vec())))));
    }

    /**
     * Every truncation and every single-byte change of a full module either decodes and validates
     * or fails with a Malformed/InvalidModuleException: never another exception, never a hang.
     */
    @Test
    void damagedModulesFailCleanly() {
        byte[] wasm = fullModule();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int len = 0; len < wasm.length; len++)
                decodeExpectingOnlyWasmErrors(java.util.Arrays.copyOf(wasm, len));
            int[] replacements = {0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF};
            for (int i = 8; i < wasm.length; i++) {
                for (int r : replacements) {
                    byte[] copy = wasm.clone();
                    copy[i] = (byte) r;
                    decodeExpectingOnlyWasmErrors(copy);
                }
            }
        });
    }

    private static void decodeExpectingOnlyWasmErrors(byte[] bytes) {
        for (Features f : List.of(Features.WASM2, Features.ALL)) {
            try {
                Validator.validate(ModuleDecoder.decode(bytes, f), f);
            } catch (WasmException expected) {
                assertTrue(expected.offset() >= 0 && expected.offset() <= bytes.length, expected.getMessage());
            }
        }
    }

    @Test
    void damagedNameSectionIsIgnored() {
        byte[] wasm = module(
                section(1, vec(funcType(b(), b()))),
                section(3, vec(b(0))),
                section(10, vec(body(b(0x0B)))),
                // Function names: 5 entries announced, one given, then garbage.
                section(0, name("name"), b(0x01), u32(7), u32(5), u32(0), name("f"), b(0xFF, 0xFF, 0xFF)));
        Module m = ModuleDecoder.decode(wasm);
        assertEquals("f", m.functionNames.get(0));
        assertNull(m.moduleName);
    }
}
