package dev.uniwasm.bench.compute;

import java.nio.file.Path;
import java.util.List;

/**
 * One program run with one input: the native executable and the wasm32-wasi module built from the
 * same source, the arguments for a quick and a full run, and an optional host folder the program
 * reads (mounted at {@link #GUEST_DIR} for Wasm runners). An argument {@code {dir}} stands for that
 * folder: its host path for native runs, {@link #GUEST_DIR} for Wasm runs.
 */
public record Workload(String name, Path nativeExecutable, Path wasm, List<String> quickArgs, List<String> fullArgs, Path dataDir) {
    public static final String GUEST_DIR = "/bench";

    public List<String> args(boolean quick, boolean wasmRunner) {
        String dir = dataDir == null ? "" : wasmRunner ? GUEST_DIR : dataDir.toString();
        return (quick ? quickArgs : fullArgs).stream().map(a -> a.replace("{dir}", dir)).toList();
    }
}
