package dev.uniwasm.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's report into its folder: {@code report.md} (machine, every suite's section and
 * failures, every command line), {@code results.csv} (one row per figure) and one PNG per chart.
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static void write(
            Path folder,
            Map<String, String> machine,
            List<String> invocation,
            boolean quick,
            Instant started,
            double seconds,
            List<SuiteReport> suites,
            List<String> commandLog) {
        try {
            Files.createDirectories(folder);
            StringBuilder md = new StringBuilder();
            md.append("# uniwasm benchmark report\n\n");
            md.append("Run `")
                    .append(String.join(" ", invocation))
                    .append("` started ")
                    .append(started)
                    .append(", took ")
                    .append(String.format(Locale.ROOT, "%.0f s", seconds))
                    .append(quick ? " (--quick: small inputs, few runs; indicative only)" : "")
                    .append(".\n\n");
            boolean failed = suites.stream().anyMatch(s -> !s.failures().isEmpty());
            md.append("**Result: ")
                    .append(failed ? "FAILED" : "all suites passed their checks")
                    .append("**\n\n");
            md.append("## Machine\n\n| | |\n|---|---|\n");
            machine.forEach((k, v) ->
                    md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
            md.append("\nThe machine may have been shared with other work during the run.\n\n");
            for (SuiteReport s : suites) {
                md.append("## ")
                        .append(s.suite())
                        .append(String.format(Locale.ROOT, " (%.0f s)", s.seconds()))
                        .append("\n\n");
                if (!s.failures().isEmpty()) {
                    md.append("**FAILED:**\n\n");
                    for (String f : s.failures())
                        md.append("- ").append(f.replace("\n", "\n  ")).append('\n');
                    md.append('\n');
                }
                md.append(s.markdown());
                for (BarChart c : s.charts()) {
                    try {
                        ChartWriter.write(c, folder);
                        md.append("\n![")
                                .append(c.title())
                                .append("](")
                                .append(c.fileName())
                                .append(")\n");
                    } catch (RuntimeException e) {
                        // the figures are in the tables and the CSV; a chart that cannot be drawn is a defect of the
                        // harness
                        md.append("\n**Chart ")
                                .append(c.fileName())
                                .append(" could not be drawn:** ")
                                .append(e.getMessage())
                                .append('\n');
                    }
                }
                md.append('\n');
            }
            md.append("## Every command line run\n\n```\n");
            for (String c : commandLog) md.append(c).append('\n');
            md.append("```\n");
            Files.writeString(folder.resolve("report.md"), md.toString());
            Files.writeString(folder.resolve("results.csv"), csv(suites));
        } catch (IOException e) {
            throw new BenchException("cannot write the report into " + folder + ": " + e.getMessage(), e);
        }
    }

    static String csv(List<SuiteReport> suites) {
        StringBuilder b = new StringBuilder("suite,workload,runner,metric,unit,n,median,min,max,q1,q3,samples\n");
        for (SuiteReport s : suites) {
            for (Measurement m : s.measurements()) {
                Stats st = m.stats();
                b.append(String.join(
                                ",",
                                csvField(m.suite()),
                                csvField(m.workload()),
                                csvField(m.runner()),
                                csvField(m.metric()),
                                csvField(m.unit()),
                                Integer.toString(st.count()),
                                num(st.median()),
                                num(st.min()),
                                num(st.max()),
                                num(st.q1()),
                                num(st.q3()),
                                csvField(String.join(
                                        " ",
                                        m.samples().stream()
                                                .map(ReportWriter::num)
                                                .toList()))))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csvField(String s) {
        return s.matches("[^,\"\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** "12.3 (11.9..13.0)" : median and min..max with a precision that fits the magnitude. */
    public static String medianAndRange(Stats s) {
        return fmt(s.median()) + " (" + fmt(s.min()) + ".." + fmt(s.max()) + ")";
    }

    public static String fmt(double v) {
        if (Double.isNaN(v)) return "–";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
