package dev.uniwasm.bench.density;

import java.util.ArrayList;
import java.util.List;

/**
 * What a deployment costs the host while its instances are idle: PSS per instance and of the
 * supervisor, and CPU over a few windows.
 *
 * @param instancePssMib each instance's PSS (all its processes), in instance order
 * @param supervisorPssMib the shared processes' PSS (0 when there are none)
 * @param idleCpuPercent per window: CPU time of all processes as % of one core
 * @param supervisorCpuPercent per window: the shared processes' part of it
 */
public record Footprint(
        List<Double> instancePssMib,
        double supervisorPssMib,
        List<Double> idleCpuPercent,
        List<Double> supervisorCpuPercent) {

    /** PSS now, then {@code windows} consecutive CPU windows of {@code windowSeconds} each. */
    public static Footprint measure(Deployment d, int windows, double windowSeconds, long ticksPerSecond)
            throws InterruptedException {
        List<Double> pss = new ArrayList<>();
        for (List<Long> instance : d.instances()) pss.add(pssMib(instance));
        double supervisor = pssMib(d.supervisor());
        List<Long> all = d.allPids();
        List<Double> total = new ArrayList<>(), shared = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            long t0 = System.nanoTime();
            long allBefore = cpuTicks(all), supBefore = cpuTicks(d.supervisor());
            Thread.sleep((long) (windowSeconds * 1000));
            long allAfter = cpuTicks(all), supAfter = cpuTicks(d.supervisor());
            double seconds = (System.nanoTime() - t0) / 1e9;
            total.add(percentOfOneCore(allAfter - allBefore, ticksPerSecond, seconds));
            shared.add(percentOfOneCore(supAfter - supBefore, ticksPerSecond, seconds));
        }
        return new Footprint(pss, supervisor, total, shared);
    }

    static double percentOfOneCore(long ticks, long ticksPerSecond, double seconds) {
        return 100.0 * ticks / ticksPerSecond / seconds;
    }

    static double pssMib(List<Long> pids) {
        long kib = 0;
        for (long pid : pids) kib += SmapsRollup.of(pid).pssKib();
        return kib / 1024.0;
    }

    static long cpuTicks(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) ticks += ProcStat.of(pid).cpuTicks();
        return ticks;
    }

    double instancesPssMib() {
        return instancePssMib.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Everything, supervisor included, divided by the number of instances. */
    public double totalPssPerInstanceMib() {
        return (instancesPssMib() + supervisorPssMib) / instancePssMib.size();
    }

    List<Double> idleCpuPerInstancePercent() {
        int n = instancePssMib.size();
        return idleCpuPercent.stream().map(v -> v / n).toList();
    }
}
