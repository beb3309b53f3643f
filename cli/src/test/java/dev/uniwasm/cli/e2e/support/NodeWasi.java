package dev.uniwasm.cli.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a wasm32-wasi program under Node's node:wasi through examples/wasi/node-run.mjs, the second
 * runtime the WASI tests compare uniwasm with. Node is not the oracle (the WASI spec and wasmtime
 * are): callers compare and explain every difference.
 */
public final class NodeWasi {
    /** A pre-open: the host directory Node serves at the guest path. */
    public record Preopen(String guest, Path host) {}

    private static Boolean available;

    private NodeWasi() {}

    /** Whether {@code node} runs at all (tests that need it are skipped otherwise). */
    public static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("node", "--version")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /**
     * Runs wasm with these pre-opens (fd 3, 4, ... in order), environment entries (NAME=VALUE) and
     * arguments (argv[0], the wasm file's name, comes first), feeding stdin and closing it. A run
     * that takes longer than timeout is killed and reported with status -1.
     */
    public static Cli.Result run(
            Path wasm, List<Preopen> preopens, List<String> env, List<String> args, String stdin, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", "--no-warnings", runner().toString()));
        for (Preopen p : preopens) {
            cmd.add("--dir");
            cmd.add(p.guest() + "=" + p.host());
        }
        for (String e : env) {
            cmd.add("--env");
            cmd.add(e);
        }
        cmd.add("--");
        cmd.add(wasm.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException programClosedStdin) {
            // it did not want (all of) the input: what it printed still counts
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            return new Cli.Result(-1, out.join(), err.join() + "\n[killed after " + timeout + "]\n");
        }
        return new Cli.Result(p.exitValue(), out.join(), err.join());
    }

    public static Path runner() {
        return Examples.home().resolve("examples/wasi/node-run.mjs");
    }

    private static CompletableFuture<String> drain(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
