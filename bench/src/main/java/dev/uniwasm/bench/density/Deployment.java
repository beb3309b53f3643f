package dev.uniwasm.bench.density;

import java.util.ArrayList;
import java.util.List;

/**
 * The host processes of N running instances: each instance's own processes (a QEMU; or a JVM and its
 * QEMU; or a native server) and the processes shared by all of them (the supervising JVM, or the
 * shell that started the native servers), whose cost is spread over the instances.
 */
public record Deployment(List<List<Long>> instances, List<Long> supervisor) {
    public Deployment {
        instances = instances.stream().map(List::copyOf).toList();
        supervisor = List.copyOf(supervisor);
    }

    List<Long> allPids() {
        List<Long> all = new ArrayList<>(supervisor);
        instances.forEach(all::addAll);
        return all;
    }
}
