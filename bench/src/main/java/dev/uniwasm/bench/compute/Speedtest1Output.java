package dev.uniwasm.bench.compute;

import java.util.regex.Pattern;

/**
 * speedtest1's output made comparable across runners: every test line and the TOTAL line end with
 * that run's elapsed time ({@code "....    0.123s"}), which is masked; everything else (the test
 * names and sizes, and the {@code --verify} hash of all query results) stays byte for byte.
 */
final class Speedtest1Output {
    /** The timing at the end of a dotted line, with its padding, which is as wide as the number needs. */
    private static final Pattern TIMING = Pattern.compile("(?m)(?<=\\.) *\\d+\\.\\d{3}s$");

    static final String MASK = " <seconds>";

    private Speedtest1Output() {}

    static String withoutTimings(String output) {
        return TIMING.matcher(output).replaceAll(MASK);
    }
}
