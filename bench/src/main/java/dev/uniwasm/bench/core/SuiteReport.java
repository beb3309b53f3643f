package dev.uniwasm.bench.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one suite found: its figures, its charts, a Markdown section for the report, and its
 * failures. A suite with any failure fails the whole run.
 */
public final class SuiteReport {
    private final String suite;
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<BarChart> charts = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final StringBuilder markdown = new StringBuilder();
    private double seconds;

    public SuiteReport(String suite) {
        this.suite = suite;
    }

    public String suite() {
        return suite;
    }

    public Measurement add(String workload, String runner, String metric, String unit, List<Double> samples) {
        Measurement m = new Measurement(suite, workload, runner, metric, unit, samples);
        measurements.add(m);
        return m;
    }

    public void chart(BarChart chart) {
        charts.add(chart);
    }

    /** A failed run or a wrong output: named in the report and fails the bench. */
    public void fail(String what) {
        failures.add(what);
    }

    /** Appends Markdown to this suite's section of the report. */
    public SuiteReport md(String text) {
        markdown.append(text);
        return this;
    }

    public List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    public List<BarChart> charts() {
        return List.copyOf(charts);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    public String markdown() {
        return markdown.toString();
    }

    public double seconds() {
        return seconds;
    }

    /** How long the suite took; set by the harness. */
    public void seconds(double s) {
        this.seconds = s;
    }
}
