package dev.uniwasm.monitor;

/**
 * Lets another thread (a signal handler, say) stop the VM that {@link Monitor#run} is running for
 * it. The run then returns with {@link Monitor.Ending#STOPPED} instead of reporting a missing exit
 * status, after it has removed its files. One switch serves one run at a time.
 */
public final class StopSwitch {
    private boolean armed;
    private boolean pulled;
    private Process qemu;

    /**
     * Stops the run in progress: kills QEMU if it runs, or keeps it from starting. Returns false
     * when no run is in progress (before {@link Monitor#run} began or after it returned), so the
     * caller knows nobody will act on it.
     */
    public synchronized boolean pull() {
        if (!armed) return false;
        pulled = true;
        if (qemu != null) qemu.destroyForcibly();
        return true;
    }

    synchronized boolean pulled() {
        return pulled;
    }

    synchronized void arm() {
        if (armed) throw new IllegalStateException("a StopSwitch serves one run at a time");
        armed = true;
        pulled = false;
        qemu = null;
    }

    synchronized void disarm() {
        armed = false;
        qemu = null;
    }

    /** Hands the switch the started QEMU; kills it at once when the switch was pulled meanwhile. */
    synchronized void attach(Process p) {
        qemu = p;
        if (pulled) p.destroyForcibly();
    }
}
