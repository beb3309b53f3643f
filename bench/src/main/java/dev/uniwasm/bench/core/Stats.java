package dev.uniwasm.bench.core;

import java.util.Arrays;
import java.util.List;

/**
 * Summary of N samples of one figure: median, extremes and quartiles (linear interpolation between
 * closest ranks, as R's default type 7 and numpy's default).
 */
public record Stats(int count, double median, double min, double max, double q1, double q3) {

    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (double v : s) if (Double.isNaN(v)) throw new IllegalArgumentException("NaN sample in " + samples);
        return new Stats(s.length, quantile(s, 0.5), s[0], s[s.length - 1], quantile(s, 0.25), quantile(s, 0.75));
    }

    /** The q-quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The q-quantile (0 <= q <= 1) of the samples, interpolated as the quartiles are: p95 is {@code percentile(s, 0.95)}. */
    public static double percentile(List<Double> samples, double q) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile " + q + " is not within 0..1");
        return quantile(
                samples.stream().mapToDouble(Double::doubleValue).sorted().toArray(), q);
    }

    /** The arithmetic mean of the samples. */
    public static double mean(List<Double> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        double sum = 0;
        for (double v : samples) sum += v;
        return sum / samples.size();
    }

    public double iqr() {
        return q3 - q1;
    }

    /** Geometric mean of positive values; NaN when the list is empty. */
    public static double geometricMean(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double logSum = 0;
        for (double v : values) {
            if (!(v > 0)) throw new IllegalArgumentException("geometric mean of a non-positive value: " + v);
            logSum += Math.log(v);
        }
        return Math.exp(logSum / values.size());
    }

    @Override
    public String toString() {
        return "median " + median + " (min " + min + ", max " + max + ", n=" + count + ", IQR "
                + Arrays.toString(new double[] {q1, q3}) + ")";
    }
}
