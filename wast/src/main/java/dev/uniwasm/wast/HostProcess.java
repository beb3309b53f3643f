package dev.uniwasm.wast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One running uwhost, spoken to over its stdin/stdout line protocol (wast/host/protocol.md). Its
 * stderr (spectest prints, crash reports) goes to a log file, from which a crash report is quoted.
 */
public final class HostProcess implements AutoCloseable {
    private static final Optional<String> END_OF_OUTPUT = Optional.empty();

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<Optional<String>> replies = new LinkedBlockingQueue<>();
    private final Path log;

    public HostProcess(Path executable, Path log) throws IOException {
        this.log = log;
        Files.createDirectories(log.toAbsolutePath().getParent());
        process = new ProcessBuilder(executable.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name("uwhost-reader").start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) replies.add(Optional.of(line));
            } catch (IOException ignored) {
                // the process went away; END_OF_OUTPUT below tells the waiting request
            } finally {
                replies.add(END_OF_OUTPUT);
            }
        });
    }

    /** Hex form of a string for the protocol; "-" for the empty string. */
    public static String hex(String s) {
        return s.isEmpty() ? "-" : HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one request line and waits for its reply. */
    public String request(String line, Duration timeout) throws HostException {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw died();
        }
        Optional<String> reply;
        try {
            reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new HostException("interrupted while waiting for the host");
        }
        if (reply == null) {
            close();
            throw new HostException("no reply within " + timeout.toSeconds() + " s (host killed)");
        }
        if (reply.isEmpty()) throw died();
        return reply.get();
    }

    private HostException died() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String status = process.isAlive() ? "closed its output" : "exited with status " + process.exitValue();
        return new HostException("host " + status + lastWords());
    }

    /** The crash report, if the host wrote one. */
    private String lastWords() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0 && i >= lines.size() - 20; i--) {
                if (lines.get(i).startsWith("uwhost:")) return ": " + lines.get(i);
            }
        } catch (IOException ignored) {
            // no log: nothing to quote
        }
        return "";
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
