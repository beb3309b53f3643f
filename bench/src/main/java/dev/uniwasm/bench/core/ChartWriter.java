package dev.uniwasm.bench.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Draws {@link BarChart}s as PNG files with XChart (headless AWT). */
public final class ChartWriter {
    private ChartWriter() {}

    public static Path write(BarChart spec, Path folder) {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder()
                .width(900)
                .height(480)
                .title(spec.title())
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<Double> present = spec.series().values().stream()
                .flatMap(List::stream)
                .filter(v -> v != null && v > 0)
                .toList();
        boolean logarithmic = spec.logarithmic() && !present.isEmpty();
        if (logarithmic) {
            // XChart's bar charts need explicit bounds on a logarithmic axis (bars otherwise start at zero);
            // decades around the data keep the ticks readable. Missing figures are gaps.
            double min = present.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = present.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max) + 1e-9)));
        }
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        chart.setYAxisTitle(spec.yAxis() + (logarithmic ? " (log scale)" : ""));
        chart.getStyler().setXAxisLabelRotation(spec.categories().size() > 6 ? 30 : 0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Map.Entry<String, List<Double>> s : spec.series().entrySet()) {
            // XChart cannot draw NaN bars; a missing figure becomes a gap (null)
            List<Number> values = new ArrayList<>();
            for (Double v : s.getValue()) values.add(v == null || v.isNaN() ? null : v);
            if (values.stream().allMatch(v -> v == null)) continue;
            chart.addSeries(s.getKey(), spec.categories(), values);
        }
        Path out = folder.resolve(spec.fileName());
        try {
            BitmapEncoder.saveBitmap(chart, out.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new BenchException("cannot write chart " + out + ": " + e.getMessage(), e);
        }
        return out;
    }
}
