package dev.uniwasm.cli;

import dev.uniwasm.compiler.CompileOptions;
import picocli.CommandLine.Option;

/** Compiler flags shared by build and run. */
final class CompileFlags {
    @Option(
            names = "-O",
            paramLabel = "LEVEL",
            description = "Optimisation level 0..3 (default: ${DEFAULT-VALUE}), e.g. -O3.",
            defaultValue = "2")
    int optLevel;

    @Option(
            names = "--cpu",
            paramLabel = "NAME",
            description = "Target CPU for the native code (default: ${DEFAULT-VALUE}; x86-64-v3 for AVX2 hosts).",
            defaultValue = CompileOptions.DEFAULT_CPU)
    String cpu;

    CompileOptions options() {
        if (optLevel < 0 || optLevel > 3)
            throw new UsageException("-O" + optLevel + ": the optimisation level must be 0, 1, 2 or 3");
        if (cpu.isBlank()) throw new UsageException("--cpu: empty CPU name");
        return CompileOptions.defaults().withOptLevel(optLevel).withCpu(cpu);
    }
}
