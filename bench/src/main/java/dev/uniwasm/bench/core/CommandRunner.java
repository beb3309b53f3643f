package dev.uniwasm.bench.core;

import dev.uniwasm.testkit.Commands;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands with a time limit, capturing their output and wall time, and keeps the list
 * of every command line run (the report prints it). Standard input is /dev/null. A command that
 * outlives its limit is killed with its descendants.
 */
public final class CommandRunner implements Commands {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** The outcome of one command. {@code timedOut} implies a status of -1. */
    public record Outcome(List<String> command, int status, String out, String err, long wallNanos, boolean timedOut) {
        public boolean ok() {
            return status == 0 && !timedOut;
        }

        /** One line saying what went wrong, with the tail of stderr, for failure messages. */
        public String describeFailure() {
            String why = timedOut
                    ? "timed out after " + String.format("%.1f s", wallNanos / 1e9)
                    : "exited with status " + status;
            String tail = err.strip();
            if (tail.length() > 800) tail = "..." + tail.substring(tail.length() - 800);
            return String.join(" ", command) + " " + why + (tail.isEmpty() ? "" : ":\n" + tail);
        }
    }

    /** Every command line run so far, in order, with its working folder when it is not the default. */
    public List<String> commandLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Starts a command that keeps running (a server) while the caller works; logged like the others. */
    public BackgroundProcess start(List<String> command, Path dir, Map<String, String> env) {
        logCommand(command, dir, env, " &");
        return BackgroundProcess.start(command, dir, env);
    }

    private void logCommand(List<String> command, Path dir, Map<String, String> env, String suffix) {
        String line = (env.isEmpty() ? "" : envPrefix(env))
                + String.join(" ", command.stream().map(CommandRunner::quote).toList());
        log.add((dir == null ? line : "(cd " + quote(dir.toString()) + " && " + line + ")") + suffix);
    }

    public Outcome run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds) {
        logCommand(command, dir, env, "");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(command, 127, "", "cannot start " + command.get(0) + ": " + e.getMessage(), 0, false);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        boolean finished;
        try {
            finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        long wall = System.nanoTime() - start;
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Outcome(command, finished ? p.exitValue() : -1, out.join(), err.join(), wall, !finished);
    }

    public Outcome run(List<String> command, Path dir, long timeoutSeconds) {
        return run(command, dir, Map.of(), timeoutSeconds);
    }

    /** Runs a command that must succeed; throws {@link BenchException} with its stderr otherwise. */
    public Outcome require(List<String> command, Path dir, long timeoutSeconds) {
        Outcome o = run(command, dir, timeoutSeconds);
        if (!o.ok()) throw new BenchException(o.describeFailure());
        return o;
    }

    /** For the shared kit (testkit's ScratchImage, TapNamespace): a command that must succeed, run in the current folder and logged; its stdout. */
    @Override
    public String require(List<String> command, long timeoutSeconds) {
        return require(command, null, timeoutSeconds).out();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (in) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                Thread::startVirtualThread);
    }

    private static String envPrefix(Map<String, String> env) {
        StringBuilder b = new StringBuilder();
        env.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(e.getKey())
                        .append('=')
                        .append(quote(e.getValue()))
                        .append(' '));
        return b.toString();
    }

    /** Shell quoting for the printed command line, so that it can be pasted into a shell. */
    public static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=+,@%-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
