package dev.uniwasm.bench.compute;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One program run with one input: the native executable and the wasm32-wasi module built from the
 * same source, the arguments for a quick and a full run, an optional host folder the program reads
 * (mounted at {@link #GUEST_DIR} for Wasm runners), and how to turn its standard output into the text
 * compared with native's ({@link UnaryOperator#identity()} unless the program prints something that
 * legitimately differs between runs, such as its own timings). An argument {@code {dir}} stands for
 * that folder: its host path for native runs, {@link #GUEST_DIR} for Wasm runs.
 */
public record Workload(
        String name,
        Path nativeExecutable,
        Path wasm,
        List<String> quickArgs,
        List<String> fullArgs,
        Path dataDir,
        UnaryOperator<String> comparableOutput) {
    public static final String GUEST_DIR = "/bench";

    /** A workload whose whole output must equal native's byte for byte. */
    public Workload(
            String name,
            Path nativeExecutable,
            Path wasm,
            List<String> quickArgs,
            List<String> fullArgs,
            Path dataDir) {
        this(name, nativeExecutable, wasm, quickArgs, fullArgs, dataDir, UnaryOperator.identity());
    }

    public List<String> args(boolean quick, boolean wasmRunner) {
        String dir = dataDir == null ? "" : wasmRunner ? GUEST_DIR : dataDir.toString();
        return (quick ? quickArgs : fullArgs)
                .stream().map(a -> a.replace("{dir}", dir)).toList();
    }
}
