package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles C sources twice with Debian's clang, the same compiler for both: natively ({@code -O2}, the
 * build host's default target) and to wasm32-wasi ({@code -O2}, wasi-libc), into
 * {@code bench/work/compute/{native,wasm}/}. A program is rebuilt when a source or header is newer.
 */
final class ProgramBuild {
    static final String CLANG = "clang";
    private static final long TIMEOUT_SECONDS = 600;

    private ProgramBuild() {}

    static Path nativeDir(BenchContext ctx) {
        return ctx.work().resolve("compute").resolve("native");
    }

    static Path wasmDir(BenchContext ctx) {
        return ctx.work().resolve("compute").resolve("wasm");
    }

    /** Flags for wasm32-wasi: Debian's wasi-libc is where clang looks, a separate sysroot is used when present. */
    static List<String> wasmTarget() {
        List<String> flags = new ArrayList<>(List.of("--target=wasm32-wasi"));
        if (Files.isDirectory(Path.of("/usr/share/wasi-sysroot"))) flags.add("--sysroot=/usr/share/wasi-sysroot");
        return flags;
    }

    /** Builds {@code name} natively from {@code sources}; flags follow the sources (libraries among them). */
    static Path buildNative(
            BenchContext ctx, String name, List<Path> sources, List<Path> otherInputs, List<String> flags) {
        Path exe = nativeDir(ctx).resolve(name);
        List<String> cmd = new ArrayList<>(List.of(CLANG, "-O2", "-o", exe + ".tmp"));
        sources.forEach(s -> cmd.add(s.toString()));
        cmd.addAll(flags);
        cmd.add("-lm");
        return build(ctx, name, exe, cmd, sources, otherInputs);
    }

    /** Builds {@code name}.wasm for wasm32-wasi from {@code sources}; flags follow the sources. */
    static Path buildWasm(
            BenchContext ctx, String name, List<Path> sources, List<Path> otherInputs, List<String> flags) {
        Path wasm = wasmDir(ctx).resolve(name + ".wasm");
        List<String> cmd = new ArrayList<>(List.of(CLANG));
        cmd.addAll(wasmTarget());
        cmd.addAll(List.of("-O2", "-Wl,--strip-debug", "-o", wasm + ".tmp"));
        sources.forEach(s -> cmd.add(s.toString()));
        cmd.addAll(flags);
        return build(ctx, name, wasm, cmd, sources, otherInputs);
    }

    private static Path build(
            BenchContext ctx, String name, Path out, List<String> cmd, List<Path> sources, List<Path> otherInputs) {
        try {
            Files.createDirectories(out.getParent());
            List<Path> all = new ArrayList<>(sources);
            all.addAll(otherInputs);
            if (stale(out, all)) {
                ctx.say("compiling " + out.getFileName());
                ctx.commands().require(cmd, null, TIMEOUT_SECONDS);
                Files.move(out.resolveSibling(out.getFileName() + ".tmp"), out, StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        } catch (IOException e) {
            throw new BenchException("cannot build " + name + " into " + out.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static boolean stale(Path out, List<Path> inputs) throws IOException {
        if (!Files.isRegularFile(out)) return true;
        var built = Files.getLastModifiedTime(out);
        for (Path in : inputs) {
            if (Files.getLastModifiedTime(in).compareTo(built) > 0) return true;
        }
        return false;
    }
}
