package dev.uniwasm.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path tmp;

    @Test
    void csvHasOneRowPerFigureWithItsSummaryAndSamplesAndQuotesCommas() {
        SuiteReport r = new SuiteReport("compute");
        r.add("lua, fib", "node", "run", "s", List.of(2.0, 1.0, 3.0));
        String csv = ReportWriter.csv(List.of(r));
        List<String> lines = csv.lines().toList();
        assertEquals("suite,workload,runner,metric,unit,n,median,min,max,q1,q3,samples", lines.get(0));
        assertEquals(
                "compute,\"lua, fib\",node,run,s,3,2.00000,1.00000,3.00000,1.50000,2.50000,2.00000 1.00000 3.00000",
                lines.get(1));
        assertEquals(2, lines.size());
    }

    @Test
    void reportNamesFailuresMachineCommandsAndDrawsCharts() throws Exception {
        SuiteReport ok = new SuiteReport("startup");
        ok.add("hello", "uniwasm", "app", "ms", List.of(1.0, 2.0));
        ok.md("startup section\n");
        ok.chart(new BarChart(
                "startup.png", "Startup", "ms", List.of("a", "b"), Map.of("uniwasm", List.of(1.0, 2.0)), false));
        // a log chart with a missing value draws a gap
        ok.chart(new BarChart(
                "ratios.png", "Ratios", "x", List.of("a", "b"), Map.of("node", List.of(1.5, Double.NaN)), true));
        SuiteReport bad = new SuiteReport("compute");
        bad.fail("compute nbody on node: wrong output");
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPU", "Test CPU | 2 cores");
        ReportWriter.write(
                tmp,
                machine,
                List.of("uniwasm", "bench", "--quick"),
                true,
                Instant.EPOCH,
                12,
                List.of(ok, bad),
                List.of("clang -O2 x.c"));
        String md = Files.readString(tmp.resolve("report.md"));
        assertTrue(md.contains("**Result: FAILED**"), md);
        assertTrue(md.contains("- compute nbody on node: wrong output"), md);
        assertTrue(md.contains("| CPU | Test CPU \\| 2 cores |"), md);
        assertTrue(md.contains("startup section"), md);
        assertTrue(md.contains("clang -O2 x.c"), md);
        assertTrue(md.contains("![Startup](startup.png)"), md);
        assertTrue(md.contains("![Ratios](ratios.png)"), md);
        assertFalse(md.contains("could not be drawn"), md);
        byte[] png = Files.readAllBytes(tmp.resolve("startup.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(Files.size(tmp.resolve("ratios.png")) > 1000);
        assertTrue(Files.readString(tmp.resolve("results.csv")).contains("startup,hello,uniwasm,app,ms,2,"));
    }

    @Test
    void numbersKeepAPrecisionThatFitsTheirMagnitude() {
        assertEquals("123", ReportWriter.fmt(123.4));
        assertEquals("12.3", ReportWriter.fmt(12.34));
        assertEquals("1.23", ReportWriter.fmt(1.234));
        assertEquals("0.123", ReportWriter.fmt(0.1234));
        assertEquals("1.00 (0.500..2.00)", ReportWriter.medianAndRange(Stats.of(List.of(0.5, 1.0, 2.0))));
    }
}
