package dev.uniwasm.monitor;

/**
 * Where the time of one VM run went, in nanoseconds; -1 where the guest did not report the step.
 *
 * @param qemuStart from spawning QEMU to the kernel's {@code boot} line (QEMU set-up, firmware, and
 *     the kernel's first instructions)
 * @param guestBoot from the kernel's {@code boot} line to {@code _start}, from the guest's TSC when it
 *     reported {@code tsc_hz}, else from the arrival times of the two lines
 * @param app from {@code _start} to the {@code exit} line
 * @param shutdown from the {@code exit} line until the QEMU process is gone
 * @param guestClockIsTsc whether {@code guestBoot} was measured with the guest's TSC
 */
public record BootTimings(long qemuStart, long guestBoot, long app, long shutdown, boolean guestClockIsTsc) {
    /** A run that never got as far as the guest. */
    static final BootTimings NONE = new BootTimings(-1, -1, -1, -1, false);

    static BootTimings from(ControlChannel control, long spawnNanos, long endNanos) {
        long boot = control.bootSeenNanos(), start = control.startSeenNanos(), exit = control.exitSeenNanos();
        long qemuStart = boot < 0 ? -1 : boot - spawnNanos;
        long guestBoot = -1;
        boolean tsc = false;
        if (control.bootTsc().isPresent()
                && control.startTsc().isPresent()
                && control.tscHz().isPresent()) {
            long cycles = control.startTsc().getAsLong() - control.bootTsc().getAsLong();
            guestBoot = (long) (cycles * 1e9 / control.tscHz().getAsLong());
            tsc = true;
        } else if (boot >= 0 && start >= 0) {
            guestBoot = start - boot;
        }
        long app = start >= 0 && exit >= 0 ? exit - start : -1;
        long shutdown = exit >= 0 ? endNanos - exit : -1;
        return new BootTimings(qemuStart, guestBoot, app, shutdown, tsc);
    }

    /** Milliseconds with three decimals, or "n/a". */
    public static String millis(long nanos) {
        return nanos < 0 ? "n/a" : String.format("%.3f ms", nanos / 1e6);
    }
}
