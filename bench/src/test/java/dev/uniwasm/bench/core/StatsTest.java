package dev.uniwasm.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void oddCountHasTheMiddleValueAsMedianAndInterpolatedQuartiles() {
        Stats s = Stats.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0));
        assertEquals(5, s.count());
        assertEquals(3.0, s.median());
        assertEquals(1.0, s.min());
        assertEquals(5.0, s.max());
        assertEquals(2.0, s.q1());
        assertEquals(4.0, s.q3());
        assertEquals(2.0, s.iqr());
    }

    @Test
    void evenCountAveragesTheTwoMiddleValues() {
        Stats s = Stats.of(List.of(10.0, 1.0, 4.0, 2.0));
        assertEquals(3.0, s.median());
        // type-7 quantiles of 1,2,4,10: q1 at rank 0.75 -> 1.75, q3 at rank 2.25 -> 5.5
        assertEquals(1.75, s.q1(), 1e-12);
        assertEquals(5.5, s.q3(), 1e-12);
    }

    @Test
    void oneSampleIsItsOwnSummary() {
        Stats s = Stats.of(List.of(7.5));
        assertEquals(7.5, s.median());
        assertEquals(7.5, s.min());
        assertEquals(7.5, s.max());
        assertEquals(0.0, s.iqr());
    }

    @Test
    void emptyOrNaNSamplesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of(1.0, Double.NaN)));
    }

    @Test
    void geometricMeanOfRatios() {
        assertEquals(2.0, Stats.geometricMean(List.of(1.0, 4.0)), 1e-12);
        assertEquals(3.0, Stats.geometricMean(List.of(3.0, 3.0, 3.0)), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Stats.geometricMean(List.of(1.0, 0.0)));
    }

    @Test
    void percentileInterpolatesBetweenRanksAndMeanAveragesEverySample() {
        List<Double> twenty = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) twenty.add((double) i);
        // rank 0.95 * 19 = 18.05: between 19 and 20
        assertEquals(19.05, Stats.percentile(twenty, 0.95), 1e-12);
        assertEquals(10.5, Stats.percentile(twenty, 0.5), 1e-12);
        assertEquals(20.0, Stats.percentile(twenty, 1.0), 1e-12);
        assertEquals(7.0, Stats.percentile(List.of(7.0), 0.95), 1e-12);
        assertEquals(10.5, Stats.mean(twenty), 1e-12);
        // one slow start moves the mean and p95, not the median: why the containers table shows all three
        assertEquals(4.0, Stats.mean(List.of(1.0, 1.0, 1.0, 13.0)), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(), 0.95));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), 95));
        assertThrows(IllegalArgumentException.class, () -> Stats.mean(List.of()));
    }
}
