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
}
