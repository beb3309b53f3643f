package dev.uniwasm.bench.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run (with {@code --latency}) reports: requests per second, the 50th and 99th
 * latency percentiles in seconds, the request count, and its error counters (socket errors by kind
 * and non-2xx/3xx responses; wrk prints those lines only when they are not zero).
 */
record WrkResult(
        double requestsPerSecond,
        double p50Seconds,
        double p99Seconds,
        long requests,
        long connectErrors,
        long readErrors,
        long writeErrors,
        long timeouts,
        long non2xx) {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*(\\d+) requests in ");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$");

    /** Any error wrk counted. */
    boolean clean() {
        return connectErrors + readErrors + writeErrors + timeouts + non2xx == 0;
    }

    String errorSummary() {
        return "socket errors: connect " + connectErrors + ", read " + readErrors + ", write " + writeErrors
                + ", timeout " + timeouts + "; non-2xx/3xx responses: " + non2xx;
    }

    /** Parses wrk's standard output; throws IllegalArgumentException naming the missing line. */
    static WrkResult parse(String output) {
        Matcher rps = REQUESTS_PER_SECOND.matcher(output);
        if (!rps.find()) throw new IllegalArgumentException("wrk output has no \"Requests/sec:\" line");
        Matcher total = TOTAL.matcher(output);
        if (!total.find()) throw new IllegalArgumentException("wrk output has no \"N requests in\" line");
        double p50 = Double.NaN, p99 = Double.NaN;
        Matcher pct = PERCENTILE.matcher(output);
        while (pct.find()) {
            double seconds = Double.parseDouble(pct.group(2)) * unitSeconds(pct.group(3));
            if (pct.group(1).equals("50")) p50 = seconds;
            else p99 = seconds;
        }
        if (Double.isNaN(p50) || Double.isNaN(p99))
            throw new IllegalArgumentException(
                    "wrk output has no 50%/99% lines in its Latency Distribution (run it with --latency)");
        long connect = 0, read = 0, write = 0, timeout = 0, non2xx = 0;
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            connect = Long.parseLong(errors.group(1));
            read = Long.parseLong(errors.group(2));
            write = Long.parseLong(errors.group(3));
            timeout = Long.parseLong(errors.group(4));
        }
        Matcher bad = NON_2XX.matcher(output);
        if (bad.find()) non2xx = Long.parseLong(bad.group(1));
        return new WrkResult(
                Double.parseDouble(rps.group(1)),
                p50,
                p99,
                Long.parseLong(total.group(1)),
                connect,
                read,
                write,
                timeout,
                non2xx);
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            default -> throw new IllegalArgumentException("wrk latency unit " + unit);
        };
    }
}
