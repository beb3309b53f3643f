package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.image.ElfSymbols.Symbol;
import dev.uniwasm.wasm.Module;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The function map built from symbols, its byte layout (funcmap.h), and the two-pass link check. */
class FunctionMapTest {
    private static final int TEXT = 1; // section index of .text in the synthetic symbol tables

    static Symbol func(String name, long value, long size) {
        return new Symbol(name, value, size, ElfSymbols.STT_FUNC, ElfSymbols.STB_LOCAL, TEXT);
    }

    static List<Symbol> image(Symbol... functions) {
        List<Symbol> all = new ArrayList<>(List.of(
                new Symbol("__app_text_start", 0x200000, 0, 0, 1, TEXT),
                new Symbol("__app_text_end", 0x300000, 0, 0, 1, TEXT),
                func("uw_func_name", 0x101000, 40), // a runtime function, not Wasm code
                func("kernel_main", 0x101100, 80)));
        all.addAll(List.of(functions));
        return all;
    }

    /** A module with the fake app's imported functions (indices 0..9) and `defined` functions after them. */
    static Module module(int defined) {
        Module m = FakeApp.module(); // ten imports and _start
        while (m.numFuncs() - m.numImportedFuncs < defined) {
            m.types.add(FakeApp.type(":"));
            m.funcTypes.add(m.types.size() - 1);
        }
        return m;
    }

    @Test
    void mapsAddressesToFunctionsAndTheirNames() {
        Module m = module(3);
        int first = m.numImportedFuncs;
        m.functionNames.put(first, "main");
        m.functionNames.put(first + 2, "helper");
        FunctionMap map = FunctionMap.build(
                image(
                        func("uw_f" + (first + 2) + ".helper", 0x200100, 0x20),
                        func("uw_f" + first + ".main", 0x200000, 0x80),
                        func("uw_f" + (first + 1), 0x200080, 0x10),
                        func("uw_f" + first + ".main.cold.1", 0x200200, 0x8)),
                m,
                "test.img");
        assertEquals(4, map.entries().size());
        assertEquals(first, map.lookup(0x200000).funcIndex());
        assertEquals(first, map.lookup(0x20007f).funcIndex());
        assertEquals(first + 1, map.lookup(0x200080).funcIndex());
        assertNull(map.lookup(0x200090), "the gap between functions is in none");
        assertEquals(first + 2, map.lookup(0x20011f).funcIndex());
        assertEquals(first, map.lookup(0x200204).funcIndex(), "an LLVM clone belongs to its function");
        assertNull(map.lookup(0x101000));
        assertNull(map.lookup(0x1fffff));
        assertEquals("main", map.name(first));
        assertNull(map.name(first + 1));
    }

    @Test
    void encodesTheLayoutOfFuncmapH() {
        Module m = module(2);
        int first = m.numImportedFuncs;
        m.functionNames.put(first, "é");
        FunctionMap map = FunctionMap.build(
                image(
                        func("uw_f" + first + ".x", 0x200000, 0x10),
                        func("uw_f" + (first + 1), 0x200010, 0x20),
                        func("uw_f" + first + ".x.constprop.0", 0x200040, 0x4)),
                m,
                "test.img");
        ByteBuffer b = ByteBuffer.wrap(map.encode()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(FunctionMap.MAGIC, b.getInt());
        assertEquals(FunctionMap.VERSION, b.getShort());
        assertEquals(0, b.getShort());
        assertEquals(3, b.getInt());
        assertEquals(3, b.getInt(), "one name of two UTF-8 bytes and its NUL, shared by both entries");
        int[][] expected = {{0x200000, 0x10, first, 0}, {0x200010, 0x20, first + 1, -1}, {0x200040, 4, first, 0}};
        for (int[] e : expected) {
            assertArrayEquals(e, new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt()});
        }
        byte[] names = new byte[3];
        b.get(names);
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9, 0}, names);
        assertEquals(0, b.remaining());
        assertEquals(FunctionMap.HEADER_SIZE, FunctionMap.EMPTY.encode().length);
    }

    @Test
    void aliasesCollapseAndOverlapsAreErrors() {
        Module m = module(2);
        int first = m.numImportedFuncs;
        FunctionMap map = FunctionMap.build(
                image(func("uw_f" + first, 0x200000, 0x10), func("uw_f" + (first + 1), 0x200000, 0x10)), m, "test.img");
        assertEquals(1, map.entries().size());
        assertEquals(first, map.entries().get(0).funcIndex());
        ImageException e = assertThrows(
                ImageException.class,
                () -> FunctionMap.build(
                        image(func("uw_f" + first, 0x200000, 0x10), func("uw_f" + (first + 1), 0x200008, 0x10)),
                        m,
                        "test.img"));
        assertTrue(e.getMessage().contains("overlap") && e.getMessage().contains("uw_f" + (first + 1)), e.getMessage());
    }

    @Test
    void symbolsThatDoNotFitTheModuleAreErrors() {
        Module m = module(1);
        ImageException tooBig = assertThrows(
                ImageException.class, () -> FunctionMap.build(image(func("uw_f99.x", 0x200000, 0x10)), m, "test.img"));
        assertTrue(
                tooBig.getMessage().contains("uw_f99.x")
                        && tooBig.getMessage().contains("not compiled from this module"),
                tooBig.getMessage());
        ImageException imported = assertThrows(
                ImageException.class, () -> FunctionMap.build(image(func("uw_f0", 0x200000, 0x10)), m, "test.img"));
        assertTrue(imported.getMessage().contains("imports"), imported.getMessage());
        ImageException outside = assertThrows(
                ImageException.class,
                () -> FunctionMap.build(image(func("uw_f" + m.numImportedFuncs, 0x101000, 0x10)), m, "test.img"));
        assertTrue(outside.getMessage().contains("outside the app's text"), outside.getMessage());
    }

    @Test
    void namesBecomeOnePrintableLine() {
        assertEquals("a\\x0ab\\x00c\\x5cd ünï", FunctionMap.printable("a\nb\0c\\d ünï"));
    }

    @Test
    void theSecondLinkMustNotMoveAnything() {
        Symbol map1 = new Symbol(ImageLinker.FUNCTION_MAP_SYMBOL, 0x400000, 16, ElfSymbols.STT_OBJECT, 1, 6);
        Symbol map2 = new Symbol(ImageLinker.FUNCTION_MAP_SYMBOL, 0x400000, 1600, ElfSymbols.STT_OBJECT, 1, 6);
        List<Symbol> first = List.of(
                func("uw_f1", 0x200000, 16),
                func("kernel_main", 0x101000, 8),
                map1,
                new Symbol("__image_end", 0x401000, 0, 0, 1, 6));
        List<Symbol> same = List.of(
                func("kernel_main", 0x101000, 8),
                func("uw_f1", 0x200000, 16),
                map2,
                new Symbol("__image_end", 0x402000, 0, 0, 1, 6));
        ImageLinker.checkNothingMoved(first, same, Path.of("ok.img"));

        List<Symbol> moved = List.of(func("kernel_main", 0x101000, 8), func("uw_f1", 0x200010, 16), map2);
        ImageException e = assertThrows(
                ImageException.class, () -> ImageLinker.checkNothingMoved(first, moved, Path.of("bad.img")));
        assertTrue(
                e.getMessage().contains("bad.img")
                        && e.getMessage().contains("uw_f1@0x200000")
                        && e.getMessage().contains("uw_f1@0x200010"),
                e.getMessage());

        List<Symbol> mapMoved = List.of(
                func("kernel_main", 0x101000, 8),
                func("uw_f1", 0x200000, 16),
                new Symbol(ImageLinker.FUNCTION_MAP_SYMBOL, 0x500000, 16, ElfSymbols.STT_OBJECT, 1, 6));
        assertThrows(ImageException.class, () -> ImageLinker.checkNothingMoved(first, mapMoved, Path.of("bad.img")));
    }

    @Test
    void malformedElfIsAnErrorNamingTheOffset() {
        ImageException shortFile = assertThrows(ImageException.class, () -> ElfSymbols.read("short.o", new byte[10]));
        assertTrue(
                shortFile.getMessage().contains("short.o")
                        && shortFile.getMessage().contains("byte offset 0"),
                shortFile.getMessage());
        byte[] elf32 = new byte[64];
        elf32[0] = 0x7f;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;
        elf32[5] = 1;
        ImageException wrongClass = assertThrows(ImageException.class, () -> ElfSymbols.read("x.o", elf32));
        assertTrue(
                wrongClass.getMessage().contains("byte offset 4")
                        && wrongClass.getMessage().contains("not ELF64"),
                wrongClass.getMessage());
        byte[] noSections = elf32.clone();
        noSections[4] = 2;
        ImageException none = assertThrows(ImageException.class, () -> ElfSymbols.read("y.o", noSections));
        assertTrue(none.getMessage().contains("no section headers"), none.getMessage());
    }

    @Test
    void readsTheSymbolsOfARealObject() throws Exception {
        List<Symbol> symbols = ElfSymbols.read(FakeApp.object());
        Symbol module = symbols.stream()
                .filter(s -> s.name().equals("uw_module"))
                .findFirst()
                .orElseThrow();
        assertEquals(ElfSymbols.STT_OBJECT, module.type());
        assertTrue(module.isDefined() && module.size() > 0);
        assertTrue(symbols.stream().anyMatch(s -> s.name().equals("uw_trap") && !s.isDefined()));
    }
}
