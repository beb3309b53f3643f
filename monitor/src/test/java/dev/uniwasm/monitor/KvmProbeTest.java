package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmProbeTest {
    @TempDir
    Path tmp;

    @Test
    void missingDeviceIsNotUsable() {
        KvmProbe.Verdict v = KvmProbe.probe(Path.of("/nonexistent/kvm"), tmp.resolve("no-pvm"));
        assertFalse(v.usable());
        assertTrue(v.reason().contains("/nonexistent/kvm"), v.reason());
    }

    @Test
    void anOpenableDeviceIsUsable() throws IOException {
        Path device = Files.createFile(tmp.resolve("kvm"));
        KvmProbe.Verdict v = KvmProbe.probe(device, tmp.resolve("no-pvm"));
        assertTrue(v.usable());
        assertNull(v.reason());
    }

    @Test
    void pvmIsNotUsable() throws IOException {
        Path device = Files.createFile(tmp.resolve("kvm"));
        Path pvm = Files.createDirectory(tmp.resolve("kvm_pvm"));
        KvmProbe.Verdict v = KvmProbe.probe(device, pvm);
        assertFalse(v.usable());
        assertTrue(v.reason().contains("PVM"), v.reason());
    }
}
