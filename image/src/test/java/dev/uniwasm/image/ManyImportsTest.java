package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.compiler.ImportLinkage;
import dev.uniwasm.monitor.KvmProbe;
import dev.uniwasm.monitor.Machine;
import dev.uniwasm.wasm.Module;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module importing every function the kernel defines under a distinct name (preview1's 46 and
 * WasmEdge's sockets: 68, more than the 64 the kernel once bound) boots and calls the last ones,
 * directly and through a table. Once as the image linker builds apps (direct calls to the linked
 * kernel functions) and once with imports reached through the instance context, which makes the
 * kernel's import resolver (kernel/app/imports.c) bind every one of them at run time. The module is
 * generated text, assembled with wat2wasm.
 */
class ManyImportsTest {
    @TempDir
    static Path dir;

    /** Every name the kernel defines (kernel/wasi/functions.h) with its first signature, in order. */
    private static Map<String, String> kernelFunctions() {
        Map<String, String> functions = new LinkedHashMap<>();
        for (String name : WasiFunctions.names())
            functions.put(name, WasiFunctions.shapes(name).get(0).signature());
        return functions;
    }

    /** Imports every name once, in the kernel's order except that fd_write and proc_exit come last. */
    private static String wat() throws Exception {
        Map<String, String> functions = kernelFunctions();
        assertTrue(functions.size() > 64, "the kernel defines " + functions.size() + " distinct names");
        List<String> names = new ArrayList<>(functions.keySet());
        names.remove("fd_write");
        names.remove("proc_exit");
        names.add("fd_write");
        names.add("proc_exit");
        StringBuilder w = new StringBuilder("(module\n");
        for (String name : names) {
            String signature = functions.get(name);
            w.append("  (import \"wasi_snapshot_preview1\" \"")
                    .append(name)
                    .append("\" (func $")
                    .append(name)
                    .append(' ')
                    .append(funcType(signature))
                    .append("))\n");
        }
        w.append("""
                  (type $write (func (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  ;; an iovec at 0 for the 3 bytes at 16; fd_write stores the count at 8
                  (data (i32.const 0) "\\10\\00\\00\\00\\03\\00\\00\\00")
                  (data (i32.const 16) "ok\\n")
                  (table funcref (elem $fd_write))
                  (func (export "_start")
                    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                    (drop (call_indirect (type $write) (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 0)))
                    ;; exits with 7 + the count fd_write stored (3): each call saw the right memory
                    (call $proc_exit (i32.add (i32.const 7) (i32.load (i32.const 8))))))
                """);
        return w.toString();
    }

    /** "iil:i" -> "(param i32 i32 i64) (result i32)". */
    private static String funcType(String signature) {
        String[] parts = signature.split(":", -1);
        StringBuilder t = new StringBuilder();
        if (!parts[0].isEmpty()) t.append("(param").append(types(parts[0])).append(')');
        if (!parts[1].isEmpty()) t.append(" (result").append(types(parts[1])).append(')');
        return t.toString();
    }

    private static String types(String codes) {
        StringBuilder t = new StringBuilder();
        for (char c : codes.toCharArray()) {
            t.append(
                    switch (c) {
                        case 'i' -> " i32";
                        case 'l' -> " i64";
                        default -> throw new IllegalArgumentException("signature code " + c);
                    });
        }
        return t.toString();
    }

    private static byte[] wasm(String name, String text) throws Exception {
        Path wat = dir.resolve(name + ".wat");
        Files.writeString(wat, text);
        Path out = dir.resolve(name + ".wasm");
        Process p = new ProcessBuilder("wat2wasm", wat.toString(), "-o", out.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "wat2wasm timed out");
        assertEquals(0, p.exitValue(), "wat2wasm failed: " + output);
        return Files.readAllBytes(out);
    }

    private static Qemu.Result boot(ImportLinkage linkage) throws Exception {
        byte[] wasm = wasm("many_imports", wat());
        Compiler compiler = new Compiler(CompileOptions.defaults().withImports(linkage));
        Module module = compiler.decodeAndValidate(wasm);
        assertTrue(module.imports.size() > 64, "the module imports " + module.imports.size() + " functions");
        return boot(compiler, wasm, module, "many_" + linkage.name().toLowerCase());
    }

    private static Qemu.Result boot(Compiler compiler, byte[] wasm, Module module, String name) throws Exception {
        Path object = dir.resolve(name + ".o");
        Files.write(object, compiler.compile(wasm));
        Path img = dir.resolve(name + ".img");
        ImageLinker.link(object, module, new BootConfig(List.of(name), List.of(), false), img);
        return Qemu.boot(img, Machine.MICROVM, KvmProbe.accelerator(), null, null);
    }

    @Test
    void directlyLinkedImportsBeyond64() throws Exception {
        Qemu.Result r = boot(ImportLinkage.DIRECT);
        assertEquals("ok\nok\n", r.stdout(), r.stderr());
        assertEquals(10, r.status(), r.stderr());
    }

    /**
     * AssemblyScript imports fd_write twice, under two function indices; both calls reach the
     * kernel's fd_write. The compiler once declared the second as "...fd_write.1", an undefined
     * symbol at link time.
     */
    @Test
    void aFunctionImportedTwiceIsBoundToOneKernelFunction() throws Exception {
        byte[] wasm = wasm("fd_write_twice", """
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func $write1 (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_write" (func $write2 (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 0) "\\10\\00\\00\\00\\03\\00\\00\\00")
                  (data (i32.const 16) "ok\\n")
                  (func (export "_start")
                    (drop (call $write1 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                    (drop (call $write2 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                    (call $exit (i32.add (i32.const 4) (i32.load (i32.const 8))))))
                """);
        Compiler compiler = new Compiler(CompileOptions.defaults());
        Qemu.Result r = boot(compiler, wasm, compiler.decodeAndValidate(wasm), "fd_write_twice");
        assertEquals("ok\nok\n", r.stdout(), r.stderr());
        assertEquals(7, r.status(), r.stderr());
    }

    @Test
    void importsBoundAtRunTimeBeyond64() throws Exception {
        Qemu.Result r = boot(ImportLinkage.CONTEXT);
        assertEquals("ok\nok\n", r.stdout(), r.stderr());
        assertEquals(10, r.status(), r.stderr());
    }
}
