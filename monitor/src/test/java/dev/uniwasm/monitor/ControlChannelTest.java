package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlChannelTest {
    private static ControlChannel read(String text, PrintStream chatter) throws IOException {
        ControlChannel c = new ControlChannel(chatter);
        c.readFrom(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return c;
    }

    @Test
    void parsesTheProtocol() throws IOException {
        ControlChannel c = read("boot tsc=1000\nstart tsc=3000 tsc_hz=2000000000\nexit 42\n", null);
        assertEquals(1000, c.bootTsc().getAsLong());
        assertEquals(3000, c.startTsc().getAsLong());
        assertEquals(2_000_000_000L, c.tscHz().getAsLong());
        assertEquals(42, c.exitStatus().getAsInt());
        assertTrue(c.bootSeenNanos() > 0
                && c.startSeenNanos() >= c.bootSeenNanos()
                && c.exitSeenNanos() >= c.startSeenNanos());
    }

    @Test
    void tscHzMayComeOnItsOwnLineAndCrLfIsTolerated() throws IOException {
        ControlChannel c = read("boot tsc=5\r\ntsc_hz=100\r\nexit 0", null);
        assertEquals(100, c.tscHz().getAsLong());
        assertEquals(0, c.exitStatus().getAsInt(), "a last line without newline still counts");
    }

    @Test
    void noExitLineMeansNoStatus() throws IOException {
        assertTrue(read("boot tsc=1\nstart tsc=2\n", null).exitStatus().isEmpty());
    }

    @Test
    void malformedExitIsNotAStatus() throws IOException {
        assertTrue(read("exit banana\n", null).exitStatus().isEmpty());
        assertTrue(read("exit 256\n", null).exitStatus().isEmpty(), "the kernel truncates to 0..255 itself");
        assertTrue(read("exit 1 2\n", null).exitStatus().isEmpty());
    }

    @Test
    void chatterGoesToVerboseStreamOnly() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream chatter = new PrintStream(buf, true, StandardCharsets.UTF_8);
        read("boot tsc=1\nlog mem: 64 MiB\nsomething else\nexit 3\n", chatter);
        assertEquals(
                "uniwasm: guest: mem: 64 MiB\nuniwasm: guest: something else\n", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eofLineCarriesTheByteCount() {
        assertEquals("eof\n", ControlChannel.eofLine(0));
        assertEquals("eof 18\n", ControlChannel.eofLine(18));
    }

    @Test
    void timingsFromTsc() throws IOException {
        ControlChannel c = read("boot tsc=1000\nstart tsc=3000001000 tsc_hz=1000000000\nexit 0\n", null);
        BootTimings t = BootTimings.from(c, c.bootSeenNanos() - 5, c.exitSeenNanos() + 7);
        assertTrue(t.guestClockIsTsc());
        assertEquals(3_000_000_000L, t.guestBoot());
        assertEquals(5, t.qemuStart());
        assertEquals(7, t.shutdown());
    }
}
