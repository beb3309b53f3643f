package dev.uniwasm.bench.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.bench.core.BenchException;
import org.junit.jupiter.api.Test;

class SmapsRollupTest {
    /** A QEMU process's rollup as Linux 6.1 writes it. */
    private static final String QEMU = """
            55fd71b86000-7ffeb771a000 ---p 00000000 00:00 0                          [rollup]
            Rss:               44624 kB
            Pss:               42898 kB
            Pss_Dirty:         21761 kB
            Pss_Anon:          21564 kB
            Pss_File:          21334 kB
            Pss_Shmem:             0 kB
            Shared_Clean:       2052 kB
            Private_Dirty:     21708 kB
            AnonHugePages:     10240 kB
            SwapPss:               0 kB
            """;

    @Test
    void readsPssAndItsAnonymousAndFileParts() {
        SmapsRollup r = SmapsRollup.parse(QEMU, "test");
        assertEquals(42898, r.pssKib());
        assertEquals(21564, r.pssAnonKib());
        assertEquals(21334, r.pssFileKib());
        assertEquals(42898 / 1024.0, r.pssMib(), 1e-9);
    }

    @Test
    void oldKernelsWithoutThePartsGiveZeroForThem() {
        SmapsRollup r = SmapsRollup.parse(
                "00400000-ffffffffff600000 ---p 00000000 00:00 0 [rollup]\nRss: 10 kB\nPss: 7 kB\n", "old");
        assertEquals(new SmapsRollup(7, 0, 0), r);
    }

    @Test
    void sumsAddFieldByField() {
        assertEquals(new SmapsRollup(11, 5, 6), new SmapsRollup(10, 4, 5).plus(new SmapsRollup(1, 1, 1)));
    }

    @Test
    void missingPssNamesTheSource() {
        BenchException e =
                assertThrows(BenchException.class, () -> SmapsRollup.parse("Rss: 10 kB\n", "/proc/9/smaps_rollup"));
        assertTrue(e.getMessage().contains("/proc/9/smaps_rollup"), e.getMessage());
    }

    @Test
    void aMalformedValueNamesTheLineAndField() {
        BenchException e = assertThrows(BenchException.class, () -> SmapsRollup.parse("x [rollup]\nPss: 12 MB\n", "f"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("Pss"), e.getMessage());
        e = assertThrows(BenchException.class, () -> SmapsRollup.parse("Pss: many kB\n", "f"));
        assertTrue(e.getMessage().contains("\"many\""), e.getMessage());
    }

    @Test
    void readsThisProcess() {
        SmapsRollup self = SmapsRollup.of(ProcessHandle.current().pid());
        assertTrue(self.pssKib() > 0 && self.pssAnonKib() + self.pssFileKib() <= self.pssKib() + 1, self.toString());
    }
}
