package dev.uniwasm.bench.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A grouped bar chart to draw as PNG: one group per category, one bar per series. A missing value
 * (a runner that could not run a workload) is NaN and drawn as no bar.
 */
public record BarChart(
        String fileName,
        String title,
        String yAxis,
        List<String> categories,
        Map<String, List<Double>> series,
        boolean logarithmic) {
    public BarChart {
        categories = List.copyOf(categories);
        series = new LinkedHashMap<>(series);
        for (var e : series.entrySet()) {
            if (e.getValue().size() != categories.size()) {
                throw new IllegalArgumentException("chart " + fileName + ": series " + e.getKey() + " has "
                        + e.getValue().size() + " values for " + categories.size() + " categories");
            }
        }
    }
}
