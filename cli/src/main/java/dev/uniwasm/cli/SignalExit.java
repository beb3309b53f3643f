package dev.uniwasm.cli;

import dev.uniwasm.monitor.Monitor;
import dev.uniwasm.monitor.StopSwitch;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How {@code uniwasm run} ends when a signal ends it. SIGINT, SIGTERM and SIGHUP stop the VM, let
 * the run remove its files, and then uniwasm dies of that same signal, as does a closed stdout
 * (SIGPIPE, quietly, as a Unix filter would): a parent's waitpid then sees WIFSIGNALED, while a Wasm
 * trap is a normal exit with status 128 + code and a {@code trap:} line on stderr. (A shell shows
 * both as 128 + number; the trap line tells them apart there.) Commands other than run keep the
 * JVM's own handling, which runs their shutdown hooks.
 */
final class SignalExit {
    static final List<String> STOPPING = List.of("INT", "TERM", "HUP");
    /** How long a stopped run may take to clean up before uniwasm dies regardless. */
    private static final long CLEAN_UP_SECONDS = 10;

    private static final AtomicReference<Signal> received = new AtomicReference<>();

    private SignalExit() {}

    /** Routes SIGINT, SIGTERM and SIGHUP to {@code stop}; a signal the process was started ignoring (nohup) stays ignored. */
    static void install(StopSwitch stop) {
        for (String name : STOPPING) {
            try {
                Signal.handle(new Signal(name), s -> onSignal(s, stop));
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself (-Xrs): its default applies
            }
        }
    }

    private static void onSignal(Signal s, StopSwitch stop) {
        // a second signal does not wait for the clean-up the first one started
        if (!received.compareAndSet(null, s)) dieOf(s);
        // no VM to stop (say, while the image is built): nothing of the run's to remove
        if (!stop.pull()) dieOf(s);
        // the run's thread now removes its files and dies of s in Main.main; should it hang, so be it
        try {
            TimeUnit.SECONDS.sleep(CLEAN_UP_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dieOf(s);
    }

    /** The signal that stopped the run, or null. */
    static Signal received() {
        return received.get();
    }

    /** Exit status an in-process caller sees for a run that signal {@code name} ended: 128 + its number. */
    /** The status of a run a signal stopped (uniwasm then dies of that signal: see {@link #dieOf}). */
    static int stoppedStatus() {
        Signal s = received();
        return s == null ? Monitor.NO_EXIT_STATUS : 128 + s.getNumber();
    }

    static int status(String name) {
        return 128 + new Signal(name).getNumber();
    }

    /** Ends this process by signal {@code s} with its default action (the process dies of it). */
    static void dieOf(Signal s) {
        System.out.flush();
        System.err.flush();
        try {
            Signal.handle(s, SignalHandler.SIG_DFL);
            // libc's raise, not Signal.raise, which refuses a signal without a Java handler
            Linker linker = Linker.nativeLinker();
            MethodHandle raise = linker.downcallHandle(
                    linker.defaultLookup().find("raise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int ignored = (int) raise.invokeExact(s.getNumber());
        } catch (Throwable e) {
            // no native access: the status below is what a shell reports for the signal
        }
        // still here: the signal is blocked, or could not be raised
        Runtime.getRuntime().halt(128 + s.getNumber());
    }
}
