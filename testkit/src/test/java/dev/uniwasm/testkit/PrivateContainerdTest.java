package dev.uniwasm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's containerd: in a mount namespace of its own without the hybrid layout's cgroup2
 * mount, answering ctr in its namespace, stopped by close (root and containerd only; the host's
 * containerd form runs in cli's ContainerdTest).
 */
class PrivateContainerdTest {
    @TempDir
    Path dir;

    @Test
    void startsInAPrivateMountNamespaceAndStops() throws Exception {
        assumeTrue(TapNamespace.root(), "containerd needs root");
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/containerd")) && Files.isExecutable(Path.of("/usr/bin/ctr")),
                "containerd is not installed (scripts/setup installs it)");
        Containerd cd = Containerd.start(dir.resolve("containerd"), "uwkit", true, Map.of());
        long pid = cd.pid();
        try {
            assertNotEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")),
                    Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")));
            List<String> seen = Mounts.cgroup2(Mounts.read(Long.toString(pid)));
            for (String hidden : cd.hidden()) assertFalse(seen.contains(hidden), hidden + " " + seen);
            assertEquals(Containerd.hybridCgroup2(Mounts.read("self")), cd.hidden());
            Containerd.Ctr ns = cd.require(List.of("namespaces", "ls", "-q"), 30);
            assertTrue(ns.ok(), ns.describe());
            assertEquals(List.of("ctr", "--address", cd.socket().toString(), "--namespace", "uwkit"), cd.ctrPrefix());
        } finally {
            cd.close();
        }
        assertTrue(ProcessHandle.of(pid).isEmpty(), "containerd " + pid + " outlived close");
    }
}
