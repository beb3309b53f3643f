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
        return "median " + median + " (min " + min + ", max " + max + ", n=" + count + ", IQR " + Arrays.toString(new double[] {q1, q3}) + ")";
    }
}
