package dev.uniwasm.bench.density;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The guest's stdout: completes {@link #seen()} when the server prints its "ready ..." line (it does
 * so when it starts polling its listener) and keeps the first few KiB for error messages.
 */
final class ReadyLine extends OutputStream {
    static final String READY = "ready ";
    private static final int KEEP = 4096;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Void> seen = new CompletableFuture<>();

    CompletableFuture<Void> seen() {
        return seen;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (kept.size() < KEEP) kept.write(b, off, Math.min(len, KEEP - kept.size()));
        if (!seen.isDone()) {
            String text = kept.toString(StandardCharsets.UTF_8);
            if (text.startsWith(READY) || text.contains("\n" + READY)) seen.complete(null);
        }
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8).strip();
    }
}
