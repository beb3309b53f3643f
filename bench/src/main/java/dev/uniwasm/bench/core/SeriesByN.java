package dev.uniwasm.bench.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * Bar-chart data of a fleet experiment (density, containers): one category per fleet size N ("N=10",
 * ...), one series per runner in the given order, NaN where a runner has no result at an N; a runner
 * with no result at all is left out.
 */
public record SeriesByN(List<String> categories, Map<String, List<Double>> series) {
    public static <R> SeriesByN of(
            List<R> results,
            ToIntFunction<R> n,
            Function<R, String> runner,
            List<String> runners,
            ToDoubleFunction<R> value) {
        List<Integer> ns =
                results.stream().map(n::applyAsInt).distinct().sorted().toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String name : runners) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (int size : ns) {
                R r = results.stream()
                        .filter(x -> n.applyAsInt(x) == size && runner.apply(x).equals(name))
                        .findFirst()
                        .orElse(null);
                any |= r != null;
                values.add(r == null ? Double.NaN : value.applyAsDouble(r));
            }
            if (any) series.put(name, values);
        }
        return new SeriesByN(ns.stream().map(size -> "N=" + size).toList(), series);
    }
}
