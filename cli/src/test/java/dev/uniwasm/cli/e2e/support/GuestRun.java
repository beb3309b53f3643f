package dev.uniwasm.cli.e2e.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.Main;
import dev.uniwasm.monitor.WatchedOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code uniwasm run} of a long-running guest (a server) on a thread of its own, for tests that
 * talk to it while it runs. Closing it interrupts the run (the monitor then kills QEMU), so a failed
 * test leaves no VM behind.
 */
public final class GuestRun implements AutoCloseable {
    /** The guest's stdout, which a test can wait on. */
    public final WatchedOutput out = new WatchedOutput();

    public final ByteArrayOutputStream err = new ByteArrayOutputStream();
    public final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final Thread thread;

    /** Starts {@code uniwasm <args>} with an empty stdin. */
    public GuestRun(String... args) {
        PrintStream errText = new PrintStream(err, true, StandardCharsets.UTF_8);
        thread = new Thread(
                () -> {
                    try {
                        status.complete(Main.run(args, new ByteArrayInputStream(new byte[0]), out, errText, -1));
                    } catch (Throwable t) {
                        status.completeExceptionally(t);
                    }
                },
                "uniwasm-run");
        thread.start();
    }

    /** Fails the test with the run's output when {@code line} does not appear on stdout in time. */
    public void awaitReady(String line, long timeoutSeconds) throws InterruptedException {
        assertTrue(
                out.awaitContains(line, TimeUnit.SECONDS.toMillis(timeoutSeconds), status),
                "the guest did not print " + line.strip() + " within " + timeoutSeconds + " s: " + report());
    }

    public int awaitStatus(long timeoutSeconds) throws Exception {
        return status.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    public String report() {
        String state = !status.isDone()
                ? "(running)"
                : status.isCompletedExceptionally()
                        ? "(the run failed: " + status.exceptionNow() + ")"
                        : String.valueOf(status.join());
        return "status " + state + "\n--- stdout ---\n" + out.text() + "--- stderr ---\n" + stderr();
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
