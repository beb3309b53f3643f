package dev.uniwasm.bench.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class Speedtest1OutputTest {
    private static final String RUN_A = """
            -- Speedtest1 for SQLite 3.40.1 2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d
             100 - 2500 INSERTs into table with no index.......................    0.002s
             980 - PRAGMA integrity_check......................................    0.007s
                   TOTAL.......................................................    0.086s
            Verification Hash: 826556 2ef302098d252181c4cb98b84a8a332a8e98506910393697
            """;

    @Test
    void timingsOfAnyWidthAreMaskedAndEverythingElseKept() {
        String runB = RUN_A.replace("   0.002s", "  12.345s").replace("   0.086s", " 123.456s");
        assertEquals(Speedtest1Output.withoutTimings(RUN_A), Speedtest1Output.withoutTimings(runB));
        assertEquals(
                " 100 - 2500 INSERTs into table with no index......................." + Speedtest1Output.MASK,
                Speedtest1Output.withoutTimings(RUN_A)
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow());
    }

    @Test
    void aDifferentHashOrTestListStillDiffers() {
        assertNotEquals(
                Speedtest1Output.withoutTimings(RUN_A),
                Speedtest1Output.withoutTimings(RUN_A.replace("826556", "826557")));
        assertNotEquals(
                Speedtest1Output.withoutTimings(RUN_A),
                Speedtest1Output.withoutTimings(RUN_A.replace(" 980 -", " 990 -")));
    }
}
