package dev.uniwasm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process run in the session's stdio: inherited as they are when the session's streams are
 * this process's fds 0-2, copied otherwise (in-process callers: tests, embedders). It does not outlive
 * uniwasm: when the JVM exits first, a shutdown hook stops it.
 */
final class ChildProcess {
    private static final int PUMP_BUFFER = 64 * 1024;

    private ChildProcess() {}

    /**
     * Starts the process, waits for it and returns its exit value (128 + N when killed by signal N).
     * {@code onStart} gets the process once it runs. When uniwasm exits before it, the process gets
     * SIGTERM and {@code grace} to end (its own shutdown hooks clean up), then SIGKILL; a zero grace is
     * SIGKILL at once.
     */
    static int run(ProcessBuilder pb, Session session, Duration grace, Consumer<Process> onStart) throws IOException {
        if (session.processStdio) pb.inheritIO();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start the process: " + e.getMessage(), e);
        }
        onStart.accept(p);
        Thread stopper = new Thread(() -> stop(p, grace), "uniwasm-stop-process");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            List<Thread> pumps = new ArrayList<>();
            if (!session.processStdio) {
                pumps.add(pump("stdout", p.getInputStream(), session.out, false));
                pumps.add(pump("stderr", p.getErrorStream(), session.err, false));
                pump("stdin", session.in, p.getOutputStream(), true);
            }
            int value = p.waitFor();
            for (Thread t : pumps) t.join();
            session.out.flush();
            session.err.flush();
            return value;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted; the process was stopped", e);
        } finally {
            p.destroyForcibly();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already and stops the process itself
            }
        }
    }

    private static void stop(Process p, Duration grace) {
        if (!grace.isZero()) {
            p.destroy();
            try {
                if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        p.destroyForcibly();
    }

    /** Copies until the end of `from`; `closeAtEnd` passes the end on (stdin's end reaches the child), and
     * makes the thread a daemon: a read of the caller's stdin cannot be interrupted. */
    private static Thread pump(String name, InputStream from, OutputStream to, boolean closeAtEnd) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[PUMP_BUFFER];
                    int n;
                    try {
                        while ((n = from.read(buf)) > 0) {
                            synchronized (to) {
                                to.write(buf, 0, n);
                                to.flush();
                            }
                        }
                        if (closeAtEnd) to.close();
                    } catch (IOException e) {
                        // the process went away, or the caller's stream broke: either ends the copy
                    }
                },
                "uniwasm-process-" + name);
        t.setDaemon(closeAtEnd);
        t.start();
        return t;
    }
}
