package dev.uniwasm.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesByNTest {
    record Point(int n, String runner, double value) {}

    @Test
    void oneCategoryPerSizeOneSeriesPerRunnerWithAResult() {
        List<Point> points = List.of(new Point(100, "a", 2), new Point(10, "a", 1), new Point(10, "b", 3));
        SeriesByN s = SeriesByN.of(points, Point::n, Point::runner, List.of("b", "a", "never"), Point::value);
        assertEquals(List.of("N=10", "N=100"), s.categories());
        assertEquals(
                List.of("b", "a"),
                List.copyOf(s.series().keySet()),
                "in the runners' order, without runners that have no result");
        assertEquals(List.of(1.0, 2.0), s.series().get("a"));
        assertEquals(3.0, s.series().get("b").get(0));
        assertEquals(Double.NaN, s.series().get("b").get(1));
    }
}
