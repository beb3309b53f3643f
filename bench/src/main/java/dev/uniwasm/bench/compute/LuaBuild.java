package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.image.DebianSource;
import dev.uniwasm.image.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Lua 5.4 interpreter from Debian's {@code lua5.4} source package (fetched at bench time into
 * {@code bench/work/third_party}, never committed), built natively and to wasm32-wasi. The Wasm build
 * needs the small port in {@code bench/programs/lua/} (no setjmp/longjmp with clang 14 and Debian 12's
 * wasi-libc: Lua errors and coroutine yields end the program, which the benchmark scripts avoid).
 */
final class LuaBuild {
    static final String DEBIAN_VERSION = "5.4.4-3+deb12u1";
    /** The source package's files and their SHA-256, as listed in bookworm's Sources. */
    private static final DebianSource PACKAGE = new DebianSource(
            "Lua 5.4",
            "lua5.4",
            DEBIAN_VERSION,
            Map.of(
                    "lua5.4_5.4.4-3+deb12u1.dsc", "d47c50154294a68c8a209c5d61bc09e5b22891c01b7c47501ac3f9725eb4a813",
                    "lua5.4_5.4.4.orig.tar.gz", "164c7849653b80ae67bec4b7473b884bf5cc8d2dca05653475ec2ed27b9ebf61",
                    "lua5.4_5.4.4-3+deb12u1.debian.tar.xz",
                            "2d8e0e380722c648cfeffb8d58287865619b4d035544d93d7ef3a2eaf627abe6"));
    /** The interpreter: every library and core file plus lua.c, as Debian's lua5.4 binary. */
    private static final List<String> SOURCES = List.of(
            "lapi.c",
            "lcode.c",
            "lctype.c",
            "ldebug.c",
            "ldo.c",
            "ldump.c",
            "lfunc.c",
            "lgc.c",
            "llex.c",
            "lmem.c",
            "lobject.c",
            "lopcodes.c",
            "lparser.c",
            "lstate.c",
            "lstring.c",
            "ltable.c",
            "ltm.c",
            "lundump.c",
            "lvm.c",
            "lzio.c",
            "lauxlib.c",
            "lbaselib.c",
            "lcorolib.c",
            "ldblib.c",
            "liolib.c",
            "lmathlib.c",
            "loadlib.c",
            "loslib.c",
            "lstrlib.c",
            "ltablib.c",
            "lutf8lib.c",
            "linit.c",
            "lua.c");

    private LuaBuild() {}

    /** {native lua, lua.wasm}, fetching and building them when needed. */
    static Path[] build(BenchContext ctx) {
        Path tree;
        try {
            tree = PACKAGE.tree(ctx.work().resolve("third_party"), "lua-" + DEBIAN_VERSION, t -> {
                if (!Files.isRegularFile(t.resolve("src/lua.c")) || !Files.isRegularFile(t.resolve("src/lvm.c"))) {
                    throw new ImageException(
                            "the lua5.4 source package unpacked into " + t + " lacks src/lua.c or src/lvm.c");
                }
            });
        } catch (ImageException e) {
            throw new BenchException(e.getMessage(), e);
        }
        Path src = tree.resolve("src");
        Path port = ctx.home().resolve("bench").resolve("programs").resolve("lua");
        try {
            // Debian's luaconf.h patch includes a header its build generates, naming the multiarch triplet
            Path nativeInc = ctx.work().resolve("compute").resolve("lua-include-native");
            Path wasmInc = ctx.work().resolve("compute").resolve("lua-include-wasm");
            writeIfChanged(
                    nativeInc.resolve("lua5.4-deb-multiarch.h"), "#define DEB_HOST_MULTIARCH \"x86_64-linux-gnu\"\n");
            writeIfChanged(wasmInc.resolve("lua5.4-deb-multiarch.h"), "#define DEB_HOST_MULTIARCH \"wasm32-wasi\"\n");
            List<Path> sources = SOURCES.stream().map(src::resolve).toList();
            List<Path> wasmSources = new ArrayList<>(sources);
            wasmSources.add(port.resolve("wasi-missing.c"));
            List<Path> headers = List.of(
                    port.resolve("wasi-port.h"), port.resolve("wasi-include/setjmp.h"), src.resolve("luaconf.h"));
            Path nativeLua = ProgramBuild.buildNative(
                    ctx,
                    "lua",
                    sources,
                    headers,
                    List.of("-w", "-I" + nativeInc, "-DLUA_COMPAT_5_3", "-DLUA_USE_LINUX", "-ldl"));
            Path wasmLua = ProgramBuild.buildWasm(
                    ctx,
                    "lua",
                    wasmSources,
                    headers,
                    List.of(
                            "-w",
                            "-I" + wasmInc,
                            "-I" + port.resolve("wasi-include"),
                            "-include",
                            port.resolve("wasi-port.h").toString(),
                            "-DLUA_COMPAT_5_3",
                            "-D_WASI_EMULATED_SIGNAL",
                            "-D_WASI_EMULATED_PROCESS_CLOCKS",
                            "-lwasi-emulated-signal",
                            "-lwasi-emulated-process-clocks"));
            return new Path[] {nativeLua, wasmLua};
        } catch (IOException e) {
            throw new BenchException("cannot build Lua under " + ctx.work() + ": " + e.getMessage(), e);
        }
    }

    private static void writeIfChanged(Path file, String text) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file).equals(text)) return;
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
