package dev.uniwasm.bench.core;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process that runs while the harness works against it (a server in a VM or on the host), started
 * by {@link CommandRunner#start}, with stdout and stderr kept (up to 64 KiB) for failure messages.
 * {@link #close()} stops it and everything it started: SIGTERM first (the uniwasm CLI's shutdown
 * hook then stops QEMU), then SIGKILL.
 */
public final class BackgroundProcess implements AutoCloseable {
    private static final int OUTPUT_LIMIT = 64 * 1024;

    private final Process process;
    private final long startedNanos;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private BackgroundProcess(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        Thread.startVirtualThread(() -> drain(process.getInputStream()));
    }

    static BackgroundProcess start(List<String> command, Path dir, Map<String, String> env) {
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        try {
            return new BackgroundProcess(pb.start(), t0);
        } catch (IOException e) {
            throw new BenchException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (output) {
                    if (output.size() < OUTPUT_LIMIT) output.write(buf, 0, Math.min(n, OUTPUT_LIMIT - output.size()));
                    output.notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process is gone
        } finally {
            synchronized (output) {
                output.notifyAll();
            }
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Nanoseconds since the process was started. */
    public long elapsedNanos() {
        return System.nanoTime() - startedNanos;
    }

    public String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the output contains {@code text}; false when the process ended or the time ran out first. */
    public boolean awaitOutput(String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (output) {
            while (!output.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !process.isAlive()) return false;
                output.wait(Math.min(left, 100));
            }
            return true;
        }
    }

    /** State and output, for a failure message. */
    public String describe() {
        String tail = output().strip();
        if (tail.length() > 2000) tail = "..." + tail.substring(tail.length() - 2000);
        return (alive() ? "still running" : "exited with status " + process.exitValue()) + "; its output:\n" + tail;
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) c.destroyForcibly();
        }
    }
}
