package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QmpWatcherTest {
    private static final String GREETING = "{\"QMP\": {\"version\": {}, \"capabilities\": [\"oob\"]}}\r\n";

    private static String follow(String fromQemu, QmpWatcher w) throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        w.follow(new ByteArrayInputStream(fromQemu.getBytes(StandardCharsets.UTF_8)), sent);
        return sent.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void stopEventEndsQemu() throws IOException {
        AtomicInteger stops = new AtomicInteger();
        QmpWatcher w = new QmpWatcher(stops::incrementAndGet, () -> {});
        String sent = follow(
                GREETING + "{\"return\": {}}\r\n"
                        + "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n",
                w);
        assertEquals("{\"execute\": \"qmp_capabilities\"}\n", sent, "events only flow after qmp_capabilities");
        assertEquals(1, stops.get());
        assertEquals("STOP", w.haltingEvent());
    }

    @Test
    void otherEventsAreHarmless() throws IOException {
        AtomicInteger stops = new AtomicInteger();
        QmpWatcher w = new QmpWatcher(stops::incrementAndGet, () -> {});
        follow(
                GREETING
                        + "{\"return\": {}}\r\n{\"timestamp\": {}, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": true}}\r\n",
                w);
        assertEquals(0, stops.get());
        assertNull(w.haltingEvent());
    }

    @Test
    void machineReadyRunsOnceOnTheFirstAnswer() throws IOException {
        AtomicInteger ready = new AtomicInteger();
        QmpWatcher w = new QmpWatcher(() -> {}, ready::incrementAndGet);
        follow(GREETING + "{\"return\": {}}\r\n{\"return\": {}}\r\n", w);
        assertEquals(1, ready.get());
    }

    @Test
    void noAnswerMeansNotReady() throws IOException {
        AtomicInteger ready = new AtomicInteger();
        follow(GREETING, new QmpWatcher(() -> {}, ready::incrementAndGet));
        assertEquals(0, ready.get(), "QEMU that ends before answering never loaded the boot configuration for sure");
    }
}
