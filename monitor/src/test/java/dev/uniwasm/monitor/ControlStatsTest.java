package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The host side of the control channel's {@code stats} request. */
class ControlStatsTest {
    /** Plays the kernel: answers every "stats" line it receives. */
    private static final class AnsweringGuest extends OutputStream {
        final ControlChannel control;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        AnsweringGuest(ControlChannel control) {
            this.control = control;
        }

        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void flush() {
            if (written.toString(StandardCharsets.US_ASCII).endsWith("stats\n")) {
                new Thread(() -> control.accept("stats frames=12 heap=3456 sockets=2", System.nanoTime())).start();
            }
        }
    }

    @Test
    void statsRequestGetsTheKernelsLine() throws IOException {
        ControlChannel control = new ControlChannel(null);
        AnsweringGuest guest = new AnsweringGuest(control);
        assertEquals("stats frames=12 heap=3456 sockets=2", control.requestStats(guest, Duration.ofSeconds(10)));
        assertEquals("stats\n", guest.written.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void noAnswerIsAnErrorAfterTheTimeout() {
        ControlChannel control = new ControlChannel(null);
        IOException e = assertThrows(
                IOException.class, () -> control.requestStats(OutputStream.nullOutputStream(), Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("did not answer \"stats\" within 100 ms"), e.getMessage());
    }

    @Test
    void aGoneGuestFailsWaitingRequests() throws Exception {
        ControlChannel control = new ControlChannel(null);
        Thread reader = new Thread(() -> {
            try {
                Thread.sleep(200);
                control.readFrom(new ByteArrayInputStream("exit 0\n".getBytes(StandardCharsets.US_ASCII)));
            } catch (Exception ignored) {
                // the request below reports the outcome
            }
        });
        reader.start();
        IOException e = assertThrows(
                IOException.class, () -> control.requestStats(OutputStream.nullOutputStream(), Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("the VM has ended"), e.getMessage());
        reader.join();
    }
}
