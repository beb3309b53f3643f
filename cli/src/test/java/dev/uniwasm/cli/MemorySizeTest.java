package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertEquals(2, size.convert("2048K"));
    }

    @Test
    void rejectsNonsense() {
        for (String bad : new String[] {"", "M", "lots", "-5M", "0", "1M", "1536K", "99999999999G", "1T"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> size.convert(bad), bad);
        }
    }
}
