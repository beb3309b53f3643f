package dev.uniwasm.bench.core;

import java.util.List;

/**
 * N samples of one figure: what was measured ({@code suite}/{@code workload}/{@code runner}/{@code
 * metric}) and in which unit.
 */
public record Measurement(
        String suite, String workload, String runner, String metric, String unit, List<Double> samples) {
    public Measurement {
        samples = List.copyOf(samples);
        if (samples.isEmpty())
            throw new IllegalArgumentException(
                    "measurement " + suite + "/" + workload + "/" + runner + "/" + metric + " has no samples");
    }

    public Stats stats() {
        return Stats.of(samples);
    }
}
