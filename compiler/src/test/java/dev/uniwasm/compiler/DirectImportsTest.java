package dev.uniwasm.compiler;

import static dev.uniwasm.wasm.WasmBuilder.I32;
import static dev.uniwasm.wasm.WasmBuilder.b;
import static dev.uniwasm.wasm.WasmBuilder.body;
import static dev.uniwasm.wasm.WasmBuilder.cat;
import static dev.uniwasm.wasm.WasmBuilder.funcType;
import static dev.uniwasm.wasm.WasmBuilder.module;
import static dev.uniwasm.wasm.WasmBuilder.name;
import static dev.uniwasm.wasm.WasmBuilder.section;
import static dev.uniwasm.wasm.WasmBuilder.u32;
import static dev.uniwasm.wasm.WasmBuilder.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.llvm.LlvmBackend;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How DIRECT imports become external symbols: one symbol per module and name. */
class DirectImportsTest {
    private static final Compiler COMPILER = new Compiler(CompileOptions.defaults());
    private static final String FD_WRITE = "uw_imp.wasi_snapshot_preview1.fd_write";

    /**
     * fd_write imported twice, as AssemblyScript's output does: as function 0 of type
     * (i32 i32 i32 i32) -> i32 and as function 1 of type {@code secondType} (0: the same, 2:
     * (i32) -> i32); _start (function 2) calls both.
     */
    private static byte[] fdWriteTwice(int secondType) {
        byte[] fdWrite = cat(name("wasi_snapshot_preview1"), name("fd_write"), b(0x00));
        byte[] start = secondType == 0
                ? b(
                        0x41, 1, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 0, 0x1a, 0x41, 2, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 1,
                        0x1a, 0x0b)
                : b(0x41, 1, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 0, 0x1a, 0x41, 2, 0x10, 1, 0x1a, 0x0b);
        return module(
                section(1, vec(funcType(b(I32, I32, I32, I32), b(I32)), funcType(b(), b()), funcType(b(I32), b(I32)))),
                section(2, vec(cat(fdWrite, u32(0)), cat(fdWrite, u32(secondType)))),
                section(3, vec(b(1))),
                section(7, vec(cat(name("_start"), b(0x00), u32(2)))),
                section(10, vec(body(start))));
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (matcher.find()) n++;
        return n;
    }

    @Test
    void aNameImportedTwiceWithOneTypeIsOneSymbol() {
        String ir = LlvmBackend.textualIr(COMPILER.decodeAndValidate(fdWriteTwice(0)), COMPILER.options());
        // LLVM would name a second declaration "...fd_write.1", which nothing defines.
        assertEquals(1, count(ir, "(?m)^declare .*@" + Pattern.quote(FD_WRITE) + "\\("), ir);
        assertFalse(ir.contains(FD_WRITE + "."), ir);
        assertEquals(2, count(ir, "call i32 @" + Pattern.quote(FD_WRITE) + "\\("), ir);
    }

    @Test
    void aNameImportedTwiceWithTwoTypesIsAnError() {
        var module = COMPILER.decodeAndValidate(fdWriteTwice(2));
        CompileException e =
                assertThrows(CompileException.class, () -> LlvmBackend.textualIr(module, COMPILER.options()));
        assertEquals(
                "import wasi_snapshot_preview1.fd_write is imported twice with different types, "
                        + "(i32, i32, i32, i32) -> i32 (function 0) and (i32) -> i32 (function 1); one symbol can have only one type",
                e.getMessage());
    }

    @Test
    void throughTheContextEachImportKeepsItsOwnType() {
        Compiler context = new Compiler(CompileOptions.defaults().withImports(ImportLinkage.CONTEXT));
        String ir = LlvmBackend.textualIr(context.decodeAndValidate(fdWriteTwice(2)), context.options());
        assertFalse(ir.contains(FD_WRITE), ir);
        assertTrue(ir.contains("define"), ir);
    }
}
