package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MemorySizeTest {
    private final MemorySize size = new MemorySize();

    @Test
    void unitsAndPlainMebibytes() {
        assertEquals(64, size.convert("64M"));
        assertEquals(64, size.convert("64m"));
        assertEquals(64, size.convert("64MiB"));
        assertEquals(1024, size.convert("1G"));
        assertEquals(512, size.convert("512"));
        assertEquals(5, size.convert("5120K"));
        assertEquals(510 * 1024, size.convert("510G"));
    }

    /** The range the message states is the range accepted, both ends included. */
    @Test
    void acceptsExactlyTheRangeItStates() {
        assertEquals("5M .. 510G", MemorySize.RANGE);
        assertEquals(5, size.convert("5M"));
        assertEquals(510L * 1024, size.convert("510G"));
        for (String outside :
                new String[] {"4M", "2M", "511G", "1T", "1000G", "99999999999G", "99999999999999999999"}) {
            var e = assertThrows(CommandLine.TypeConversionException.class, () -> size.convert(outside), outside);
            assertTrue(e.getMessage().contains("out of range (5M .. 510G"), e.getMessage());
        }
    }

    @Test
    void rejectsNonsense() {
        for (String bad :
                new String[] {"", "M", "lots", "-5M", "0", "1M", "1536K", "99999999999G", "1T", "5.5M", "6000K"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> size.convert(bad), bad);
        }
    }
}
