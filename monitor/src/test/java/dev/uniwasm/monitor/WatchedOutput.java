package dev.uniwasm.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A guest's or a process's output, collected while it runs, which a test can wait on for some text.
 * Shared with the CLI's tests through this module's test jar (only the helpers go into it).
 */
public final class WatchedOutput extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Collects a process's stream on a daemon thread of its own until it ends. */
    public static WatchedOutput of(InputStream from, String threadName) {
        WatchedOutput out = new WatchedOutput();
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try {
                        int n;
                        while ((n = from.read(buf)) > 0) out.write(buf, 0, n);
                    } catch (IOException ended) {
                        // the process is gone
                    }
                },
                threadName);
        t.setDaemon(true);
        t.start();
        return out;
    }

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** False when the timeout passes before {@code needle} appears. */
    public boolean awaitContains(String needle, long timeoutMillis) throws InterruptedException {
        return awaitContains(needle, timeoutMillis, null);
    }

    /** False when the timeout passes, or {@code run} (when not null) ends, before {@code needle} appears. */
    public synchronized boolean awaitContains(String needle, long timeoutMillis, CompletableFuture<?> run)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!text().contains(needle)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || (run != null && run.isDone())) return false;
            wait(Math.min(left, 200));
        }
        return true;
    }

    @Override
    public String toString() {
        return text();
    }
}
