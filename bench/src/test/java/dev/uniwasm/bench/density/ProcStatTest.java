package dev.uniwasm.bench.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.bench.core.BenchException;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void readsUserAndSystemTicks() {
        String line = "25038 (qemu-system-x86) S 25007 25007 24000 0 -1 4194560 5120 0 0 0 7 2 0 0 20 0 4 0 "
                + "123456 1274332000 11000 18446744073709551615 1 1 0 0 0 0 0 4096 17635 0 0 0 17 1 0 0 0 0 0\n";
        ProcStat s = ProcStat.parse(line, "stat");
        assertEquals(25038, s.pid());
        assertEquals(7, s.utimeTicks());
        assertEquals(2, s.stimeTicks());
        assertEquals(9, s.cpuTicks());
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String line = "42 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 300 45 0 0 20 0 1 0 99 1000 10 0";
        ProcStat s = ProcStat.parse(line, "stat");
        assertEquals(300, s.utimeTicks());
        assertEquals(45, s.stimeTicks());
    }

    @Test
    void aTruncatedLineIsAnErrorNamingTheSource() {
        BenchException e = assertThrows(BenchException.class, () -> ProcStat.parse("42 (x) S 1 2 3", "/proc/42/stat"));
        assertTrue(e.getMessage().startsWith("/proc/42/stat"), e.getMessage());
        e = assertThrows(BenchException.class, () -> ProcStat.parse("42 x S 1", "/proc/42/stat"));
        assertTrue(e.getMessage().contains("(comm)"), e.getMessage());
        e = assertThrows(BenchException.class, () -> ProcStat.parse("42 (x) S 1 1 1 0 -1 0 0 0 0 0 ten 45 0", "s"));
        assertTrue(e.getMessage().contains("field 14"), e.getMessage());
    }

    @Test
    void readsThisProcess() {
        ProcStat self = ProcStat.of(ProcessHandle.current().pid());
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.cpuTicks() > 0);
    }
}
