package dev.uniwasm.compiler;

import dev.uniwasm.wasm.Features;

/**
 * What to compile for.
 *
 * @param optLevel 0..3, as clang's -O
 * @param cpu an LLVM CPU name: "x86-64-v2" (default), "x86-64-v3", "native", ...
 * @param imports how imported functions are called
 * @param features proposals enabled beyond Wasm 2.0
 * @param threads functions are compiled on this many threads (0: all cores)
 */
public record CompileOptions(int optLevel, String cpu, ImportLinkage imports, Features features, int threads) {
    public static final String DEFAULT_CPU = "x86-64-v2";

    public CompileOptions {
        if (optLevel < 0 || optLevel > 3)
            throw new IllegalArgumentException("optimisation level must be 0..3, got " + optLevel);
    }

    public static CompileOptions defaults() {
        return new CompileOptions(2, DEFAULT_CPU, ImportLinkage.DIRECT, Features.WASM2, 0);
    }

    public CompileOptions withOptLevel(int level) {
        return new CompileOptions(level, cpu, imports, features, threads);
    }

    public CompileOptions withImports(ImportLinkage linkage) {
        return new CompileOptions(optLevel, cpu, linkage, features, threads);
    }

    public CompileOptions withFeatures(Features f) {
        return new CompileOptions(optLevel, cpu, imports, f, threads);
    }

    public CompileOptions withThreads(int n) {
        return new CompileOptions(optLevel, cpu, imports, features, n);
    }

    public CompileOptions withCpu(String c) {
        return new CompileOptions(optLevel, c, imports, features, threads);
    }
}
