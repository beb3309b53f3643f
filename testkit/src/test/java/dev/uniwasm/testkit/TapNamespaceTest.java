package dev.uniwasm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The namespace, its TAP device and addresses, the route from the host, and that close removes them all (root only). */
class TapNamespaceTest {
    @Test
    void makesTheNamespaceAndRemovesEverythingOnClose() {
        assumeTrue(TapNamespace.root(), "needs root to create a network namespace and a TAP device");
        TapNamespace ns = TapNamespace.create(Commands.PLAIN, "uwkit", "uwkittap0", 216, true);
        try {
            assertEquals("10.216.1.2", ns.guestAddress);
            assertEquals(
                    List.of("--net", "tap=uwkittap0", "--net-address", "10.216.1.2/24", "--net-gateway", "10.216.1.1"),
                    ns.runFlags());
            assertTrue(Files.exists(Path.of("/run/netns", ns.name)), ns.name);
            String tap = Commands.PLAIN.require(ns.exec(List.of("ip", "-o", "addr", "show", "dev", "uwkittap0")), 30);
            assertTrue(tap.contains("inet 10.216.1.1/24"), tap);
            String route = Commands.PLAIN.require(List.of("ip", "route", "show", "10.216.1.0/24"), 30);
            assertTrue(route.contains("via 10.216.0.2"), route);
        } finally {
            ns.close();
        }
        ns.close(); // a second close (a shutdown hook's) does nothing
        assertFalse(Files.exists(Path.of("/run/netns", ns.name)), ns.name);
        assertEquals("", Commands.PLAIN.require(List.of("ip", "route", "show", "10.216.1.0/24"), 30));
        List<String> veths = new ArrayList<>();
        try (var links = Files.list(Path.of("/sys/class/net"))) {
            links.map(l -> l.getFileName().toString())
                    .filter(n -> n.startsWith("uwv216"))
                    .forEach(veths::add);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of(), veths, "the veth pair outlived close");
    }
}
