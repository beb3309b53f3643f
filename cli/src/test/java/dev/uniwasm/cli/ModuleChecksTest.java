package dev.uniwasm.cli;

import static dev.uniwasm.wasm.WasmBuilder.I32;
import static dev.uniwasm.wasm.WasmBuilder.b;
import static dev.uniwasm.wasm.WasmBuilder.cat;
import static dev.uniwasm.wasm.WasmBuilder.module;
import static dev.uniwasm.wasm.WasmBuilder.name;
import static dev.uniwasm.wasm.WasmBuilder.section;
import static dev.uniwasm.wasm.WasmBuilder.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.wasm.WasmBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `build`, `run` and `inspect` say about modules uniwasm cannot take, and how fast: an import
 * no kernel provides and a count beyond the implementation limits are found right after decoding,
 * not after minutes of LLVM. The modules are generated here, byte by byte.
 */
class ModuleChecksTest {
    /** Well under the seconds LLVM takes on the generated functions (over 10 s at -O2 on 2 cores). */
    private static final long FAST_MS = 3000;

    @TempDir
    Path tmp;

    // ---- the modules, written with the compiler's test writer (its test jar) ----

    private static byte[] vec(List<byte[]> items) {
        return WasmBuilder.vec(items.toArray(byte[][]::new));
    }

    private static byte[] funcType(int params, int results) {
        byte[] p = new byte[params], r = new byte[results];
        java.util.Arrays.fill(p, (byte) I32);
        java.util.Arrays.fill(r, (byte) I32);
        return WasmBuilder.funcType(p, r);
    }

    private static byte[] funcImport(String module, String field, int type) {
        return cat(name(module), name(field), b(0x00), u32(type));
    }

    /** Exported functions of the generated command, each a body LLVM takes about a second on. */
    private static final int SLOW_FUNCTIONS = 16;

    /**
     * A WASI command: type 0 is () -> (), type 1 {@code extraType}; {@code imports} come first,
     * then _start and more exported functions, each 6,000 nested ifs that store to memory (about
     * 120 KB, under the 128 KiB above which bodies are compiled without optimisation).
     */
    private static byte[] command(byte[] extraType, List<byte[]> imports) {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes(b(0)); // no locals
        int n = 6_000;
        for (int i = 0; i < n; i++) {
            // if (i32.load offset=4*i (i32.const 0)) { i32.store (i32.const 0) (i32.const i) }
            code.writeBytes(cat(b(0x41, 0x00, 0x28, 0x02), u32(i * 4 % 60_000), b(0x04, 0x40)));
            code.writeBytes(cat(b(0x41, 0x00, 0x41), u32(i & 0x3F), b(0x36, 0x02), u32(i * 4 % 60_000)));
        }
        for (int i = 0; i < n; i++) code.write(0x0B);
        code.write(0x0B);
        byte[] body = code.toByteArray();
        List<byte[]> functions = new java.util.ArrayList<>(),
                exports = new java.util.ArrayList<>(),
                bodies = new java.util.ArrayList<>();
        for (int f = 0; f < SLOW_FUNCTIONS; f++) {
            functions.add(b(0));
            exports.add(cat(name(f == 0 ? "_start" : "f" + f), b(0x00), u32(imports.size() + f)));
            bodies.add(cat(u32(body.length), body));
        }
        return module(
                section(1, vec(List.of(funcType(0, 0), extraType))),
                section(2, vec(imports)),
                section(3, vec(functions)),
                section(5, vec(List.of(b(0x00, 0x01)))),
                section(7, vec(exports)),
                section(10, vec(bodies)));
    }

    private Path write(String file, byte[] module) throws Exception {
        return Files.write(tmp.resolve(file), module);
    }

    private static Cli.Result timed(long limitMs, String... args) {
        long start = System.nanoTime();
        Cli.Result r = Cli.run(args);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < limitMs, String.join(" ", args) + " took " + ms + " ms: " + r);
        return r;
    }

    private static void assertOneLineError(Cli.Result r, String mustContain) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().startsWith("uniwasm: "), r.toString());
        assertTrue(r.err().contains(mustContain), "should say " + mustContain + ": " + r);
    }

    @Test
    void anImportNoKernelProvidesFailsBeforeTheCompile() throws Exception {
        Path wasm = write(
                "extra_import.wasm",
                command(
                        funcType(1, 1),
                        List.of(funcImport("wasi_snapshot_preview1", "fd_close", 1), funcImport("env", "now", 1))));
        Path img = tmp.resolve("extra_import.img");
        Cli.Result build = timed(FAST_MS, "build", wasm.toString(), "-o", img.toString());
        assertOneLineError(
                build, "extra_import.wasm: cannot build an image: unknown import module \"env\" (import env.now)");
        assertFalse(Files.exists(img));
        // run of a .wasm builds its cached image the same way
        assertOneLineError(timed(FAST_MS, "run", wasm.toString()), "unknown import module \"env\" (import env.now)");
    }

    @Test
    void aKernelFunctionOfTheWrongTypeFailsBeforeTheCompileInWasmNotation() throws Exception {
        Path wasm = write(
                "wrong_type.wasm",
                command(funcType(1, 1), List.of(funcImport("wasi_snapshot_preview1", "fd_write", 1))));
        Cli.Result r = timed(
                FAST_MS,
                "build",
                wasm.toString(),
                "-o",
                tmp.resolve("wrong_type.img").toString());
        assertOneLineError(
                r,
                "import wasi_snapshot_preview1.fd_write has type (i32) -> i32, "
                        + "but the kernel defines it as (i32, i32, i32, i32) -> i32");
    }

    @Test
    void aMissingStartFailsBeforeTheCompile() throws Exception {
        byte[] module = command(funcType(1, 1), List.of());
        // rename the export: "_start" -> "_stort"
        String text = new String(module, StandardCharsets.ISO_8859_1).replace("_start", "_stort");
        Path wasm = write("no_start.wasm", text.getBytes(StandardCharsets.ISO_8859_1));
        Cli.Result r = timed(
                FAST_MS,
                "build",
                wasm.toString(),
                "-o",
                tmp.resolve("no_start.img").toString());
        assertOneLineError(r, "the module exports no function \"_start\"");
    }

    @Test
    void inspectMarksImportsNoKernelProvides() throws Exception {
        Path wasm = write(
                "extra_import.wasm",
                command(
                        funcType(1, 1),
                        List.of(funcImport("wasi_snapshot_preview1", "fd_close", 1), funcImport("env", "now", 1))));
        Cli.Result r = timed(FAST_MS, "inspect", wasm.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(
                r.out()
                        .contains("imports: 2 (1 that no uniwasm kernel provides)\n"
                                + "  func   wasi_snapshot_preview1.fd_close (i32) -> i32\n"
                                + "  func   env.now (i32) -> i32\n"
                                + "    not provided: unknown import module \"env\" (import env.now)\n"),
                r.out());
    }

    @Test
    void tooManyParametersFailFast() throws Exception {
        // The 100 KB module: build sat in LLVM code generation for over 300 s.
        Path wasm = write("params.wasm", command(funcType(100_000, 0), List.of()));
        Cli.Result r = timed(
                FAST_MS,
                "build",
                wasm.toString(),
                "-o",
                tmp.resolve("params.img").toString());
        assertOneLineError(r, "params.wasm: module beyond uniwasm's limits at byte offset ");
        assertTrue(r.err().contains(": function type 1 has 100000 parameters; the limit is 1000"), r.toString());
        assertOneLineError(
                timed(FAST_MS, "inspect", wasm.toString()), "function type 1 has 100000 parameters; the limit is 1000");
    }
}
