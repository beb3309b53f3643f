package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A containerd of the suite's own: its root, state, socket and configuration under one folder (the
 * CRI plugin off), so the host's containerd, if any, is not touched, and {@code ctr} calls on it with
 * time limits. {@link #close} stops it; the suite removes its containers first (a shim outlives
 * containerd and keeps its container running).
 */
final class Containerd implements AutoCloseable {
    static final String NAMESPACE = "uwbench";
    private static final long SOCKET_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    /** One ctr call: status, output and wall time. */
    record Ctr(List<String> args, int status, String out, String err, long wallNanos) {
        boolean ok() {
            return status == 0;
        }

        String describe() {
            return "ctr " + String.join(" ", args) + ": status " + status + (err.isBlank() ? "" : ": " + err.strip());
        }
    }

    private final Path dir;
    private final Path socket;
    private final Process process;

    private Containerd(Path dir, Path socket, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
    }

    /** The containerd command line {@link #start} runs, for the report. */
    static List<String> commandLine(Path dir) {
        return List.of("containerd", "--config", dir.resolve("config.toml").toString());
    }

    /** Starts containerd with its state under {@code dir} (made afresh) and waits for its socket. */
    static Containerd start(Path dir) {
        Path socket = dir.resolve("containerd.sock");
        try {
            if (Files.exists(dir)) {
                Mounts.requireNoneUnder(dir, "a previous run's containerd folder " + dir);
                ScratchImage.deleteTree(dir);
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.toml"), "version = 2\nroot = \"" + dir.resolve("root") + "\"\nstate = \""
                    + dir.resolve("state") + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \"" + socket + "\"\n");
            Process p = new ProcessBuilder(commandLine(dir)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("containerd.log").toFile()).redirectInput(new File("/dev/null")).start();
            Containerd c = new Containerd(dir, socket, p);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOCKET_TIMEOUT_SECONDS);
            while (!Files.exists(socket)) {
                if (!p.isAlive()) throw new BenchException("containerd ended with status " + p.exitValue() + " (" + dir.resolve("containerd.log") + ")");
                if (System.nanoTime() > deadline) {
                    c.close();
                    throw new BenchException("containerd made no socket within " + SOCKET_TIMEOUT_SECONDS + " s (" + dir.resolve("containerd.log") + ")");
                }
                Thread.sleep(50);
            }
            return c;
        } catch (IOException e) {
            throw new BenchException("cannot start containerd in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while starting containerd");
        }
    }

    Path socket() {
        return socket;
    }

    long pid() {
        return process.pid();
    }

    /** {@code ctr --address SOCKET --namespace NAMESPACE ARGS...}, killed after {@code timeoutSeconds}. */
    Ctr ctr(List<String> args, long timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", NAMESPACE));
        command.addAll(args);
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).start();
            CompletableFuture<String> out = drain(p.getInputStream()), err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Ctr(args, -1, out.join(), "did not end within " + timeoutSeconds + " s; " + err.join(), System.nanoTime() - t0);
            }
            return new Ctr(args, p.exitValue(), out.join(), err.join(), System.nanoTime() - t0);
        } catch (IOException e) {
            throw new BenchException("cannot run ctr: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while running ctr " + String.join(" ", args));
        }
    }

    Ctr require(List<String> args, long timeoutSeconds) {
        Ctr c = ctr(args, timeoutSeconds);
        if (!c.ok()) throw new BenchException(c.describe());
        return c;
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, Thread::startVirtualThread);
    }

    /** Stops containerd (SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_SECONDS} s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    Path dir() {
        return dir;
    }
}
