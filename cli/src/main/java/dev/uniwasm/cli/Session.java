package dev.uniwasm.cli;

import dev.uniwasm.monitor.StopSwitch;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/** The streams and start-up facts one command line runs with; in-process tests pass their own. */
final class Session {
    final InputStream in;
    /** Raw stdout: application output is copied here byte for byte. */
    final OutputStream out;
    /** The same stdout for uniwasm's own text. */
    final PrintStream outText;

    final PrintStream err;
    final long jvmStartNanos;
    /** System.nanoTime() when the command line started to be handled. */
    final long mainNanos = System.nanoTime();
    /** Set by commands with --verbose, so that failures print their stack trace. */
    volatile boolean verbose;
    /** Stops the VM of a {@code run} from another thread (a signal handler). */
    final StopSwitch stop = new StopSwitch();
    /** Set when the run's output could not be written (a closed pipe): uniwasm then dies of SIGPIPE. */
    volatile boolean outputClosed;
    /** True when in, out and err are this process's own fds 0-2, which a child process can inherit
     * as they are (ProcessRun); false for in-process callers with streams of their own. */
    final boolean processStdio;

    Session(InputStream in, OutputStream out, PrintStream outText, PrintStream err, long jvmStartNanos) {
        this(in, out, outText, err, jvmStartNanos, false);
    }

    Session(
            InputStream in,
            OutputStream out,
            PrintStream outText,
            PrintStream err,
            long jvmStartNanos,
            boolean processStdio) {
        this.processStdio = processStdio;
        this.in = in;
        this.out = out;
        this.outText = outText;
        this.err = err;
        this.jvmStartNanos = jvmStartNanos;
    }
}
