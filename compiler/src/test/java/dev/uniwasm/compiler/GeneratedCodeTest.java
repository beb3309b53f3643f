package dev.uniwasm.compiler;

import static dev.uniwasm.wasm.WasmBuilder.I32;
import static dev.uniwasm.wasm.WasmBuilder.b;
import static dev.uniwasm.wasm.WasmBuilder.body;
import static dev.uniwasm.wasm.WasmBuilder.cat;
import static dev.uniwasm.wasm.WasmBuilder.funcType;
import static dev.uniwasm.wasm.WasmBuilder.name;
import static dev.uniwasm.wasm.WasmBuilder.section;
import static dev.uniwasm.wasm.WasmBuilder.vec;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.llvm.LlvmBackend;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.WasmBuilder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Properties of the code the compiler emits, checked on its LLVM IR. */
class GeneratedCodeTest {
    private static final Compiler COMPILER =
            new Compiler(CompileOptions.defaults().withImports(ImportLinkage.CONTEXT));

    /** (func (export "f") (param i32 i32) (result i32) BODY) with one memory of one page. */
    private static byte[] module(int... code) {
        return WasmBuilder.module(
                section(1, vec(funcType(b(I32, I32), b(I32)))),
                section(3, vec(b(0))), // function 0 has type 0
                section(5, vec(b(0, 1))), // memory: min 1 page
                section(7, vec(cat(name("f"), b(0, 0)))), // export "f" = func 0
                section(10, vec(body(cat(b(code), b(0x0b))))));
    }

    private static String functionIr(byte[] wasm) {
        Module m = COMPILER.decodeAndValidate(wasm);
        String ir = LlvmBackend.textualIr(m, COMPILER.options());
        Matcher fn = Pattern.compile("define internal [^\\n]*@uw_f0[^\\n]*\\{(.*?)\\n}", Pattern.DOTALL)
                .matcher(ir);
        assertTrue(fn.find(), "function uw_f0 in\n" + ir);
        return fn.group(1);
    }

    @Test
    void loadsAndStoresCarryNoBoundsCheck() {
        // local.get 0; local.get 1; i32.store offset=8; local.get 0; i32.load offset=4
        String ir = functionIr(module(0x20, 0, 0x20, 1, 0x36, 2, 8, 0x20, 0, 0x28, 2, 4));
        assertTrue(ir.contains("load i32, ptr"), ir);
        assertTrue(ir.contains("store i32"), ir);
        assertFalse(ir.contains("icmp"), "a comparison in memory access code:\n" + ir);
        assertFalse(ir.contains("uw_trap"), "a trap path in memory access code:\n" + ir);
        assertFalse(ir.contains("br i1"), "a conditional branch in memory access code:\n" + ir);
    }

    @Test
    void divisionChecksForZeroAndOverflow() {
        String ir = functionIr(module(0x20, 0, 0x20, 1, 0x6d)); // i32.div_s
        assertTrue(ir.contains("call void @uw_trap(ptr %0, i32 2)"), ir);
        assertTrue(ir.contains("call void @uw_trap(ptr %0, i32 3)"), ir);
    }

    @Test
    void objectDefinesTheModuleDescriptor() {
        byte[] object = COMPILER.compile(module(0x20, 0, 0x20, 1, 0x6a));
        assertTrue(object.length > 64 && object[0] == 0x7f && object[1] == 'E', "an ELF object");
        assertTrue(new String(object, StandardCharsets.ISO_8859_1).contains("uw_module"), "uw_module symbol");
    }
}
