package dev.uniwasm.cli;

import java.time.Duration;
import java.time.Instant;

/** How long the JVM took from launch to main, for --timings. */
final class JvmStart {
    /** Set by the ./uniwasm launcher: the wall clock in nanoseconds just before it execs java. */
    static final String LAUNCH_PROPERTY = "uniwasm.launchEpochNanos";

    private JvmStart() {}

    /** @param mainNanos System.nanoTime() on entering main */
    static long sinceLaunchNanos(long mainNanos) {
        Instant now = Instant.now();
        long drift = System.nanoTime() - mainNanos;
        String launched = System.getProperty(LAUNCH_PROPERTY);
        Instant launch = null;
        if (launched != null) {
            try {
                long ns = Long.parseLong(launched);
                launch = Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
            } catch (NumberFormatException ignored) {
                // fall back to the process start the OS recorded (10 ms resolution)
            }
        }
        if (launch == null)
            launch = ProcessHandle.current().info().startInstant().orElse(null);
        if (launch == null) return -1;
        return Duration.between(launch, now).toNanos() - drift;
    }
}
