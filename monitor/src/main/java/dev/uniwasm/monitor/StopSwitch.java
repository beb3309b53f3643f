package dev.uniwasm.monitor;

/**
 * Lets another thread (a signal handler, say) stop the VM that {@link Monitor#run} is running for
 * it, or the process of another runner that uses the switch the same way (arm, attach, disarm). The
 * run then returns with {@link Monitor.Ending#STOPPED} instead of reporting a missing exit status,
 * after it has removed its files. One switch serves one run at a time.
 */
public final class StopSwitch {
    private boolean armed;
    private boolean pulled;
    private Process process;

    /**
     * Stops the run in progress: kills its process (QEMU) if it runs, or keeps it from starting. Returns false
     * when no run is in progress (before {@link Monitor#run} began or after it returned), so the
     * caller knows nobody will act on it.
     */
    public synchronized boolean pull() {
        if (!armed) return false;
        pulled = true;
        if (process != null) process.destroyForcibly();
        return true;
    }

    public synchronized boolean pulled() {
        return pulled;
    }

    public synchronized void arm() {
        if (armed) throw new IllegalStateException("a StopSwitch serves one run at a time");
        armed = true;
        pulled = false;
        process = null;
    }

    public synchronized void disarm() {
        armed = false;
        process = null;
    }

    /** Hands the switch the started process; kills it at once when the switch was pulled meanwhile. */
    public synchronized void attach(Process p) {
        process = p;
        if (pulled) p.destroyForcibly();
    }
}
