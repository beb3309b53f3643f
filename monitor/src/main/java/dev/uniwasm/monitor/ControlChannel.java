package dev.uniwasm.monitor;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kernel's side of COM3, read line by line: {@code boot tsc=<n>}, {@code start tsc=<n>} (with
 * {@code tsc_hz=<n>} on that or any line), kernel chatter, and finally {@code exit <status>}.
 * The host -> guest direction carries {@code eof <n>} when the host's stdin has ended, n being the
 * number of bytes sent on COM1 in all: QEMU moves COM1's bytes into the UART a FIFO-full at a time,
 * so a bare "eof" on the other port can overtake the last of them, and the guest must not report
 * end-of-file before it has received all n. With nothing sent the line is a bare {@code eof}.
 * {@code stats} asks the kernel for its memory counters; it answers with one line
 * {@code stats frames=<n> heap=<n> sockets=<n>} (see {@link #requestStats}).
 */
public final class ControlChannel {
    private final PrintStream chatter;
    private long bootTsc = -1, startTsc = -1, tscHz = -1;
    private long bootSeenNanos = -1, startSeenNanos = -1, exitSeenNanos = -1;
    private int exitStatus = -1;
    /** Callers waiting for a "stats" answer, oldest first: the guest answers in order. */
    private final ArrayDeque<CompletableFuture<String>> statsWaiters = new ArrayDeque<>();

    /** @param chatter where kernel chatter goes (verbose runs), or null to drop it */
    public ControlChannel(PrintStream chatter) {
        this.chatter = chatter;
    }

    /** Reads the guest's lines until the channel closes (QEMU exits). */
    public void readFrom(InputStream fromGuest) throws IOException {
        try {
            InputStream in = new BufferedInputStream(fromGuest);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    accept(line.toString(StandardCharsets.UTF_8), System.nanoTime());
                    line.reset();
                } else if (b != '\r') {
                    line.write(b);
                }
            }
            if (line.size() > 0) accept(line.toString(StandardCharsets.UTF_8), System.nanoTime());
        } finally {
            closed();
        }
    }

    /** Tells the guest that the host's stdin has ended after {@code bytesSent} bytes. */
    public static void sendEof(OutputStream toGuest, long bytesSent) throws IOException {
        writeLine(toGuest, eofLine(bytesSent));
    }

    /** One whole line at a time: stdin's "eof" and the stats requests share the port. */
    private static void writeLine(OutputStream toGuest, String line) throws IOException {
        synchronized (toGuest) {
            toGuest.write(line.getBytes(StandardCharsets.US_ASCII));
            toGuest.flush();
        }
    }

    /**
     * Asks the running kernel for its counters and returns its answer line, {@code stats frames=<n>
     * heap=<n> sockets=<n>}: frames allocated since boot, bytes in live kernel-heap blocks, open TCP
     * sockets. The kernel answers from its serial interrupt, so a busy or idle app does not delay it.
     *
     * @throws IOException when the guest cannot be reached or does not answer within the timeout
     */
    public String requestStats(OutputStream toGuest, Duration timeout) throws IOException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        synchronized (this) {
            statsWaiters.add(answer);
        }
        try {
            writeLine(toGuest, "stats\n");
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the guest did not answer \"stats\" within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(
                    "the guest did not answer \"stats\": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the guest's \"stats\"");
        } finally {
            synchronized (this) {
                statsWaiters.remove(answer);
            }
        }
    }

    /** Fails every pending stats request: the guest is gone. */
    synchronized void closed() {
        for (CompletableFuture<String> w : statsWaiters) w.completeExceptionally(new IOException("the VM has ended"));
        statsWaiters.clear();
    }

    static String eofLine(long bytesSent) {
        return bytesSent == 0 ? "eof\n" : "eof " + bytesSent + "\n";
    }

    /** Handles one line (without its newline) seen at host time {@code nanos}. */
    synchronized void accept(String line, long nanos) {
        String[] words = line.strip().split("\\s+");
        String head = words[0];
        boolean protocol = true;
        switch (head) {
            case "boot" -> {
                bootTsc = longField(words, "tsc", bootTsc);
                bootSeenNanos = nanos;
            }
            case "start" -> {
                startTsc = longField(words, "tsc", startTsc);
                startSeenNanos = nanos;
            }
            case "log" -> protocol = false;
            case "stats" -> {
                CompletableFuture<String> waiter = statsWaiters.poll();
                if (waiter != null) waiter.complete(line.strip());
            }
            case "exit" -> {
                Integer status = words.length == 2 ? parseStatus(words[1]) : null;
                if (status == null) {
                    protocol = false;
                } else {
                    exitStatus = status;
                    exitSeenNanos = nanos;
                }
            }
            default -> protocol = false;
        }
        tscHz = longField(words, "tsc_hz", tscHz);
        if (!protocol && chatter != null && !line.isBlank()) {
            // the kernel marks its verbose chatter "log "; anything else unknown is shown whole
            chatter.println("uniwasm: guest: "
                    + (head.equals("log") ? line.strip().substring(3).strip() : line));
        }
    }

    private static Integer parseStatus(String word) {
        try {
            int status = Integer.parseInt(word);
            return status >= 0 && status <= 255 ? status : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long longField(String[] words, String key, long fallback) {
        String prefix = key + "=";
        for (String w : words) {
            if (w.startsWith(prefix)) {
                try {
                    return Long.parseUnsignedLong(w.substring(prefix.length()));
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    public synchronized OptionalInt exitStatus() {
        return exitStatus < 0 ? OptionalInt.empty() : OptionalInt.of(exitStatus);
    }

    public synchronized OptionalLong bootTsc() {
        return bootTsc < 0 ? OptionalLong.empty() : OptionalLong.of(bootTsc);
    }

    public synchronized OptionalLong startTsc() {
        return startTsc < 0 ? OptionalLong.empty() : OptionalLong.of(startTsc);
    }

    public synchronized OptionalLong tscHz() {
        return tscHz <= 0 ? OptionalLong.empty() : OptionalLong.of(tscHz);
    }

    /** Host System.nanoTime() at which the boot line arrived, or -1. */
    public synchronized long bootSeenNanos() {
        return bootSeenNanos;
    }

    public synchronized long startSeenNanos() {
        return startSeenNanos;
    }

    public synchronized long exitSeenNanos() {
        return exitSeenNanos;
    }
}
