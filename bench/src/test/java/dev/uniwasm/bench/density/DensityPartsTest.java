package dev.uniwasm.bench.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DensityPartsTest {
    @Test
    void findsTheForwardedHostPortInAQemuCommandLine() {
        assertEquals(
                20417,
                UniwasmFleet.forwardedPort(
                        "qemu-system-x86_64 -M microvm -netdev user,id=net0,hostfwd=tcp:127.0.0.1:20417-:8080 -device x"));
        assertEquals(-1, UniwasmFleet.forwardedPort("qemu-system-x86_64 -netdev tap,id=net0,ifname=t0"));
        assertEquals(
                -1,
                UniwasmFleet.forwardedPort("qemu-system-x86_64 -netdev user,id=net0,hostfwd=tcp:127.0.0.1:x-:8080"));
    }

    @Test
    void cpuTicksBecomePercentOfOneCore() {
        assertEquals(50.0, Footprint.percentOfOneCore(100, 100, 2.0), 1e-9);
        assertEquals(0.0, Footprint.percentOfOneCore(0, 100, 2.0), 1e-9);
    }

    @Test
    void theTotalPerInstanceSpreadsTheSupervisor() {
        Footprint f = new Footprint(List.of(20.0, 22.0), 60.0, List.of(4.0, 2.0), List.of(1.0, 1.0));
        assertEquals(42.0, f.instancesPssMib(), 1e-9);
        assertEquals(51.0, f.totalPssPerInstanceMib(), 1e-9);
        assertEquals(List.of(2.0, 1.0), f.idleCpuPerInstancePercent());
    }

    @Test
    void aPortBlockIsConsecutiveAndBounded() {
        PortBlock b = PortBlock.find(5);
        assertEquals(b.first() + 4, b.port(4));
        assertTrue(b.first() >= 20000 && b.first() + 5 <= 32000);
    }

    @Test
    void theReadyLineIsSeenAtTheStartOrAfterANewline() {
        ReadyLine r = new ReadyLine();
        r.write("booting\n".getBytes(StandardCharsets.UTF_8), 0, 8);
        assertFalse(r.seen().isDone());
        byte[] ready = "ready fd 4 root /www\n".getBytes(StandardCharsets.UTF_8);
        r.write(ready, 0, ready.length);
        assertTrue(r.seen().isDone());
        assertEquals("booting\nready fd 4 root /www", r.text());
        ReadyLine notYet = new ReadyLine();
        byte[] other = "not ready fd 4".getBytes(StandardCharsets.UTF_8);
        notYet.write(other, 0, other.length);
        assertFalse(notYet.seen().isDone());
    }
}
