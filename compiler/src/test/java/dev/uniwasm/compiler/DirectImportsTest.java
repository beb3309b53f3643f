package dev.uniwasm.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.llvm.LlvmBackend;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How DIRECT imports become external symbols: one symbol per module and name. */
class DirectImportsTest {
    private static final Compiler COMPILER = new Compiler(CompileOptions.defaults());
    private static final String FD_WRITE = "uw_imp.wasi_snapshot_preview1.fd_write";

    private static void bytes(ByteArrayOutputStream out, int... values) {
        for (int v : values) out.write(v);
    }

    private static void name(ByteArrayOutputStream out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write(utf8.length);
        out.writeBytes(utf8);
    }

    private static void section(ByteArrayOutputStream module, int id, ByteArrayOutputStream content) {
        module.write(id);
        module.write(content.size()); // every section here is shorter than 128 bytes
        module.writeBytes(content.toByteArray());
    }

    /**
     * fd_write imported twice, as AssemblyScript's output does: as function 0 of type
     * (i32 i32 i32 i32) -> i32 and as function 1 of type {@code secondType} (0: the same, 2:
     * (i32) -> i32); _start (function 2) calls both.
     */
    private static byte[] fdWriteTwice(int secondType) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        ByteArrayOutputStream types = new ByteArrayOutputStream();
        bytes(types, 3, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0, 0x60, 1, 0x7f, 1, 0x7f);
        section(m, 1, types);
        ByteArrayOutputStream imports = new ByteArrayOutputStream();
        bytes(imports, 2);
        name(imports, "wasi_snapshot_preview1");
        name(imports, "fd_write");
        bytes(imports, 0x00, 0);
        name(imports, "wasi_snapshot_preview1");
        name(imports, "fd_write");
        bytes(imports, 0x00, secondType);
        section(m, 2, imports);
        ByteArrayOutputStream functions = new ByteArrayOutputStream();
        bytes(functions, 1, 1);
        section(m, 3, functions);
        ByteArrayOutputStream exports = new ByteArrayOutputStream();
        bytes(exports, 1);
        name(exports, "_start");
        bytes(exports, 0x00, 2);
        section(m, 7, exports);
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        int[] body = secondType == 0
                ? new int[] {0, 0x41, 1, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 0, 0x1a, 0x41, 2, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 1, 0x1a, 0x0b}
                : new int[] {0, 0x41, 1, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 0, 0x1a, 0x41, 2, 0x10, 1, 0x1a, 0x0b};
        bytes(code, 1, body.length);
        bytes(code, body);
        section(m, 10, code);
        return m.toByteArray();
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
        CompileException e = assertThrows(CompileException.class, () -> LlvmBackend.textualIr(module, COMPILER.options()));
        assertEquals("import wasi_snapshot_preview1.fd_write is imported twice with different types, "
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
