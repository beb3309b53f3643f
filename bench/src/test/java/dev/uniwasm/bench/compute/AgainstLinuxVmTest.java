package dev.uniwasm.bench.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgainstLinuxVmTest {
    private static Workload workload(String name) {
        return new Workload(name, Path.of(name), Path.of(name + ".wasm"), List.of(), List.of(), null);
    }

    @Test
    void givesEachRatioAndTheirGeometricMeanAndCountsMissingOnes() {
        List<Workload> workloads = List.of(workload("a"), workload("b"), workload("c"));
        Map<String, Map<String, Double>> medians = Map.of(
                LinuxVmRunner.NAME, Map.of("a", 2.0, "b", 1.0, "c", 1.0),
                UniwasmRunner.NAME, Map.of("a", 1.0, "b", 2.0, "c", Double.NaN));
        String line = ComputeSuite.againstLinuxVm(workloads, medians);
        assertEquals(
                "**uniwasm ÷ native in a Linux VM** (the same QEMU machine and accelerator, so under TCG the same emulator): "
                        + "geometric mean **×1.00** (2 of 3 workloads); a ×0.500, b ×2.00.\n\n",
                line);
    }

    @Test
    void saysNothingWithoutTheLinuxVm() {
        assertEquals(
                "", ComputeSuite.againstLinuxVm(List.of(workload("a")), Map.of(UniwasmRunner.NAME, Map.of("a", 1.0))));
    }
}
