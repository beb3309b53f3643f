package dev.uniwasm.compiler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.llvm.LlvmBackend;
import dev.uniwasm.wasm.Module;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Properties of the code the compiler emits, checked on its LLVM IR. */
class GeneratedCodeTest {
    private static final Compiler COMPILER = new Compiler(CompileOptions.defaults().withImports(ImportLinkage.CONTEXT));

    /** (func (export "f") (param i32 i32) (result i32) BODY) with one memory of one page. */
    private static byte[] module(int... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(out, 1, 1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f);          // type: (i32 i32) -> i32
        section(out, 3, 1, 0);                                      // function 0 has type 0
        section(out, 5, 1, 0, 1);                                   // memory: min 1 page
        section(out, 7, 1, 1, 'f', 0, 0);                           // export "f" = func 0
        int[] code = new int[body.length + 2];
        code[0] = 0;                                                // no locals
        System.arraycopy(body, 0, code, 1, body.length);
        code[code.length - 1] = 0x0b;                               // end
        int[] sec = new int[code.length + 2];
        sec[0] = 1;
        sec[1] = code.length;
        System.arraycopy(code, 0, sec, 2, code.length);
        section(out, 10, sec);
        return out.toByteArray();
    }

    private static void section(ByteArrayOutputStream out, int id, int... content) {
        out.write(id);
        out.write(content.length);
        for (int b : content) out.write(b);
    }

    private static String functionIr(byte[] wasm) {
        Module m = COMPILER.decodeAndValidate(wasm);
        String ir = LlvmBackend.textualIr(m, COMPILER.options());
        Matcher fn = Pattern.compile("define internal [^\\n]*@uw_f0[^\\n]*\\{(.*?)\\n}", Pattern.DOTALL).matcher(ir);
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
