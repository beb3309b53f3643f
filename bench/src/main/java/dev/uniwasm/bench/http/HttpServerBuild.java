package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Builds examples/http_server.c for the http suite, natively and to wasm32-wasi; other suites may use it. */
public final class HttpServerBuild {
    private static final long BUILD_TIMEOUT_SECONDS = 600;

    private HttpServerBuild() {}

    /**
     * examples/http_server.c compiled natively (Debian's clang {@code -O2}, static) against
     * bench/programs/http/wasi-posix, into {@code bench/work/http/http_server}; rebuilt when a source
     * is newer. Configure it with {@code WASI_DIR=HOST::GUEST} and {@code WASI_TCPLISTEN=ADDR:PORT}
     * and give it GUEST as its argument. Throws BenchException when it cannot be built.
     */
    public static Path nativeServer(BenchContext ctx) {
        Path work = ctx.work().resolve("http");
        Path shim = ctx.home().resolve("bench/programs/http/wasi-posix");
        Path source = ctx.home().resolve("examples/http_server.c");
        List<Path> inputs = List.of(
                source,
                source.resolveSibling("preopened_listener.h"),
                shim.resolve("wasi_posix.c"),
                shim.resolve("wasi/api.h"));
        Path out = work.resolve("http_server");
        List<String> cmd = List.of(
                "clang",
                "-O2",
                "-Wall",
                "-Werror",
                "-static",
                "-I" + shim,
                "-o",
                out + ".tmp",
                source.toString(),
                shim.resolve("wasi_posix.c").toString());
        return build(ctx, out, cmd, inputs);
    }

    /** examples/http_server.c for wasm32-wasi as examples/build compiles it, into {@code bench/work/http}. */
    public static Path wasmServer(BenchContext ctx) {
        Path work = ctx.work().resolve("http");
        Path source = ctx.home().resolve("examples/http_server.c");
        Path out = work.resolve("http_server.wasm");
        List<String> cmd = new ArrayList<>(
                List.of("clang", "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", "-Wl,--strip-debug"));
        if (Files.isDirectory(Path.of("/usr/share/wasi-sysroot"))) cmd.add("--sysroot=/usr/share/wasi-sysroot");
        cmd.addAll(List.of("-o", out + ".tmp", source.toString()));
        return build(ctx, out, cmd, List.of(source, source.resolveSibling("preopened_listener.h")));
    }

    private static Path build(BenchContext ctx, Path out, List<String> cmd, List<Path> inputs) {
        try {
            Files.createDirectories(out.getParent());
            boolean stale = !Files.isRegularFile(out);
            for (Path in : inputs) {
                if (!stale && Files.getLastModifiedTime(in).compareTo(Files.getLastModifiedTime(out)) > 0) stale = true;
            }
            if (stale) {
                ctx.say("compiling " + out.getFileName());
                ctx.commands().require(cmd, null, BUILD_TIMEOUT_SECONDS);
                Files.move(Path.of(out + ".tmp"), out, StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        } catch (IOException e) {
            throw new BenchException("cannot build " + out + ": " + e.getMessage(), e);
        }
    }
}
