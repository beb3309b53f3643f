package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.SeriesByN;
import dev.uniwasm.bench.core.Stats;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.bench.http.HttpServerBuild;
import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.KvmProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 10, 100 and 400 concurrent instances of examples/http_server.c, each idle after answering one
 * request: host memory per instance (PSS of every process involved), the time to start them all, and
 * host CPU while they idle. uniwasm VMs are supervised by this JVM (one process for all, as a host
 * running many unikernels would); the same server as native processes is the reference; at N=10 the
 * plain way, one {@code uniwasm run} JVM per VM, is shown too. Every instance must answer with the
 * exact bytes of the page, else the suite fails.
 */
public final class DensitySuite implements Suite {
    /**
     * The smallest guest the server runs in with a margin of one MiB per step tried: 6 MiB serves
     * (4 MiB panics: the virtio-net rings do not fit). QEMU's own memory, not the guest's, dominates:
     * 6, 8 and 16 MiB guests cost the same PSS within 2 MiB, since the guest touches little of it.
     */
    static final long GUEST_MEMORY_MIB = 6;

    static final String INDEX_HTML =
            "<!doctype html>\n<title>uniwasm density</title>\n<p>One of many idle servers.</p>\n";
    private static final String WWW_GUEST = "/www";
    /** Instances between launch and answer at once, per host core. */
    static final int BOOTING_PER_CORE = 8;
    /** PSS assumed per instance before the first scale has measured it. */
    private static final double FIRST_ESTIMATE_MIB = 64;
    /** Kept free beyond the estimate, for the rest of the machine. */
    private static final long MEMORY_RESERVE_MIB = 2048;

    private static final long ANSWER_TIMEOUT_SECONDS = 120;
    /** After the last answer, before measuring: lets the last guests' boot work and the JVM settle. */
    private static final long SETTLE_MILLIS = 2000;

    static final int PLAIN_RUN_SCALE = 10;

    @Override
    public String name() {
        return "density";
    }

    @Override
    public String description() {
        return "10, 100 and 400 idle HTTP server instances: PSS per instance, time to start all, idle CPU; uniwasm vs native";
    }

    /** One deployment's figures at one scale. */
    record Result(int n, String runner, double startSeconds, Footprint footprint) {}

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        List<Integer> scales = ctx.quick() ? List.of(10) : List.of(10, 100, 400);
        int windows = 5;
        double windowSeconds = ctx.quick() ? 1 : 2;
        int booting = BOOTING_PER_CORE * Runtime.getRuntime().availableProcessors();
        Path dir = ctx.work().resolve("density");
        Path www = dir.resolve("www");
        byte[] body = INDEX_HTML.getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(www);
            Files.write(www.resolve("index.html"), body);
        } catch (IOException e) {
            throw new BenchException("cannot write " + www + "/index.html: " + e.getMessage());
        }
        Path image = buildImage(ctx, dir, www);
        long ticksPerSecond = clockTicks(ctx);
        Accelerator accelerator = KvmProbe.accelerator();
        report.md("Each instance is `examples/http_server.c` serving `" + WWW_GUEST + "` (one " + body.length
                + "-byte index.html), asked once for `/` over 127.0.0.1 (checked byte for byte), then left idle.\n\n"
                + "- **uniwasm**: the image `uniwasm build` made (its command line is in the list at the end), each VM a QEMU ("
                + accelerator.name() + ", microvm, "
                + GUEST_MEMORY_MIB
                + " MiB guest: the smallest that serves; 4 MiB panics) on user-mode networking with its own "
                + "`--publish 127.0.0.1:PORT:" + UniwasmFleet.GUEST_PORT
                + "`, all supervised by this bench JVM through the "
                + "monitor library (a virtual thread per VM, at most " + booting + " booting at once: "
                + BOOTING_PER_CORE
                + " per core). The JVM's PSS is counted as the supervisor's, spread over the instances.\n"
                + "- **native**: the same server code built natively (POSIX stand-ins for its WASI calls), one process per "
                + "instance, all started by one `sh` (counted as their supervisor).\n"
                + "- **uniwasm run (JVM each)**: at N=" + PLAIN_RUN_SCALE
                + " only, one `./uniwasm run` per instance: a JVM and "
                + "its QEMU each.\n\n"
                + "Memory is the PSS (`/proc/PID/smaps_rollup`) of every process, taken " + SETTLE_MILLIS / 1000
                + " s after the "
                + "last answer: per instance the median (min..max) over the instances; \"total / N\" adds the supervisor. "
                + "Idle CPU is utime+stime (`/proc/PID/stat`) of all processes over " + windows + " windows of "
                + ReportWriter.fmt(windowSeconds)
                + " s, as % of one core: median (min..max) over the windows. Start all is "
                + "one run per scale: from the first launch until the last instance answered.\n\n");
        Path nativeServer;
        try {
            nativeServer = HttpServerBuild.nativeServer(ctx);
        } catch (BenchException e) {
            report.fail("density: the native http_server could not be built: " + e.getMessage());
            nativeServer = null;
        }

        List<Result> results = new ArrayList<>();
        double estimateMib = FIRST_ESTIMATE_MIB;
        for (int n : scales) {
            long available = memAvailableMib();
            double needed = n * estimateMib * 1.25 + MEMORY_RESERVE_MIB;
            if (needed > available) {
                report.md("**Stopped before N=" + n + "**: about " + Math.round(needed) + " MiB needed ("
                        + ReportWriter.fmt(estimateMib)
                        + " MiB per instance at the previous scale, +25 %, + " + MEMORY_RESERVE_MIB + " MiB reserve), "
                        + available + " MiB available (MemAvailable).\n\n");
                break;
            }
            ctx.say("density: " + n + " uniwasm VMs");
            Result u = uniwasm(
                    report,
                    image,
                    accelerator,
                    n,
                    booting,
                    body,
                    windows,
                    windowSeconds,
                    ticksPerSecond,
                    n == scales.get(0));
            if (u != null) {
                results.add(u);
                estimateMib = Math.max(estimateMib * 0.5, u.footprint().totalPssPerInstanceMib());
            }
            if (nativeServer != null) {
                ctx.say("density: " + n + " native servers");
                Result nat =
                        nativeServers(ctx, report, nativeServer, www, n, body, windows, windowSeconds, ticksPerSecond);
                if (nat != null) results.add(nat);
            }
            if (n == PLAIN_RUN_SCALE) {
                ctx.say("density: " + n + " x uniwasm run (a JVM each)");
                Result p = plainRuns(ctx, report, image, n, body, windows, windowSeconds, ticksPerSecond);
                if (p != null) results.add(p);
            }
        }
        table(report, results);
        charts(report, results);
    }

    private static Path buildImage(BenchContext ctx, Path dir, Path www) {
        Path wasm = ctx.home().resolve("build").resolve("examples").resolve("http_server.wasm");
        Path image = dir.resolve("http_server.img");
        // the launcher compiles build/examples/*.wasm before it runs the command
        ctx.commands()
                .require(
                        List.of(
                                ctx.launcher().toString(),
                                "build",
                                "-o",
                                image.toString(),
                                "--dir",
                                www + "::" + WWW_GUEST,
                                wasm.toString(),
                                "--",
                                WWW_GUEST),
                        null,
                        900);
        return image;
    }

    private static long clockTicks(BenchContext ctx) {
        String out = ctx.commands()
                .require(List.of("getconf", "CLK_TCK"), null, 30)
                .out()
                .strip();
        try {
            return Long.parseLong(out);
        } catch (NumberFormatException e) {
            throw new BenchException("getconf CLK_TCK printed \"" + out + "\", not a number");
        }
    }

    /** MemAvailable of /proc/meminfo in MiB; the containers suite checks its scales with it too. */
    public static long memAvailableMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            throw new BenchException("cannot read MemAvailable from /proc/meminfo: " + e.getMessage());
        }
        throw new BenchException("/proc/meminfo has no MemAvailable line");
    }

    private static Result uniwasm(
            SuiteReport report,
            Path image,
            Accelerator accelerator,
            int n,
            int booting,
            byte[] body,
            int windows,
            double windowSeconds,
            long ticksPerSecond,
            boolean showCommandLine) {
        PortBlock ports = PortBlock.find(n);
        long self = ProcessHandle.current().pid();
        double supervisorBefore = SmapsRollup.of(self).pssMib();
        String runner = "uniwasm";
        try (UniwasmFleet fleet = new UniwasmFleet(
                image, List.of(image.getFileName().toString(), WWW_GUEST), GUEST_MEMORY_MIB, accelerator, ports)) {
            BoundedStart.Outcome started = BoundedStart.run(
                    n, booting, ANSWER_TIMEOUT_SECONDS + n, i -> fleet.startAndCheck(i, body, ANSWER_TIMEOUT_SECONDS));
            if (failed(report, n, runner, started.failures())) return null;
            settle();
            Map<Integer, ChildProcesses.Child> qemus = fleet.qemus();
            List<List<Long>> instances = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ChildProcesses.Child q = qemus.get(i);
                if (q == null)
                    missing.add("instance " + i + " (port " + ports.port(i) + ") has no QEMU process after answering");
                else instances.add(List.of(q.pid()));
            }
            if (failed(report, n, runner, missing)) return null;
            Footprint f =
                    Footprint.measure(new Deployment(instances, List.of(self)), windows, windowSeconds, ticksPerSecond);
            if (showCommandLine) {
                report.md("QEMU command line of instance 0 (from /proc; the sockets are the monitor's):\n\n```\n"
                        + qemus.get(0).commandLine() + "\n```\n\n");
            }
            report.md("N=" + n + ": supervisor JVM PSS " + ReportWriter.fmt(supervisorBefore)
                    + " MiB before the launch, "
                    + ReportWriter.fmt(f.supervisorPssMib()) + " MiB with the " + n + " VMs running ("
                    + ReportWriter.fmt((f.supervisorPssMib() - supervisorBefore) / n) + " MiB more per VM).\n\n");
            return new Result(n, runner, started.seconds(), f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while measuring " + n + " uniwasm VMs");
        } finally {
            leftovers(report, n, runner, ports);
        }
    }

    private static Result nativeServers(
            BenchContext ctx,
            SuiteReport report,
            Path server,
            Path www,
            int n,
            byte[] body,
            int windows,
            double windowSeconds,
            long ticksPerSecond) {
        PortBlock ports = PortBlock.find(n);
        String runner = "native";
        try (NativeFleet fleet = new NativeFleet(ctx.commands(), server, www, WWW_GUEST, ports, 1800)) {
            // the fleet has only handed the shell to a thread: the clock starts with the shell, near enough
            BoundedStart.Outcome started = BoundedStart.run(
                    n, n, ANSWER_TIMEOUT_SECONDS, i -> fleet.awaitAnswer(i, body, ANSWER_TIMEOUT_SECONDS));
            if (failed(report, n, runner, started.failures())) return null;
            settle();
            List<String> missing = new ArrayList<>();
            Deployment d = fleet.deployment(missing);
            if (failed(report, n, runner, missing)) return null;
            Footprint f = Footprint.measure(d, windows, windowSeconds, ticksPerSecond);
            return new Result(n, runner, started.seconds(), f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while measuring " + n + " native servers");
        } finally {
            leftovers(report, n, runner, ports);
        }
    }

    private static Result plainRuns(
            BenchContext ctx,
            SuiteReport report,
            Path image,
            int n,
            byte[] body,
            int windows,
            double windowSeconds,
            long ticksPerSecond) {
        PortBlock ports = PortBlock.find(n);
        String runner = "uniwasm run (JVM each)";
        try (PlainRunFleet fleet =
                new PlainRunFleet(ctx.commands(), ctx.launcher(), image, GUEST_MEMORY_MIB, ports, 1800)) {
            BoundedStart.Outcome started = BoundedStart.run(
                    n, n, ANSWER_TIMEOUT_SECONDS, i -> fleet.startAndCheck(i, body, ANSWER_TIMEOUT_SECONDS));
            if (failed(report, n, runner, started.failures())) return null;
            settle();
            List<String> missing = new ArrayList<>();
            Deployment d = fleet.deployment(missing);
            if (failed(report, n, runner, missing)) return null;
            return new Result(
                    n, runner, started.seconds(), Footprint.measure(d, windows, windowSeconds, ticksPerSecond));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while measuring " + n + " uniwasm run processes");
        } finally {
            leftovers(report, n, runner, ports);
        }
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(SETTLE_MILLIS);
    }

    /** Reports the failures (the first few in full) and says whether there were any. */
    private static boolean failed(SuiteReport report, int n, String runner, List<String> failures) {
        if (failures.isEmpty()) return false;
        int shown = Math.min(failures.size(), 5);
        for (int i = 0; i < shown; i++) report.fail("density N=" + n + " " + runner + ": " + failures.get(i));
        if (failures.size() > shown)
            report.fail("density N=" + n + " " + runner + ": " + (failures.size() - shown) + " more failures");
        return true;
    }

    /** Every QEMU or server of this scale must be gone once its fleet is closed. */
    private static void leftovers(SuiteReport report, int n, String runner, PortBlock ports) {
        List<ChildProcesses.Child> left = ChildProcesses.matching(cmd -> {
            int port = cmd.startsWith("qemu-system") ? UniwasmFleet.forwardedPort(cmd) : -1;
            return port >= ports.first() && port < ports.first() + ports.count();
        });
        if (!left.isEmpty()) {
            report.fail("density N=" + n + " " + runner + ": " + left.size()
                    + " QEMU processes still running after the stop (pids "
                    + left.stream().map(c -> Long.toString(c.pid())).limit(10).toList() + ")");
            left.forEach(c -> ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static void table(SuiteReport report, List<Result> results) {
        if (results.isEmpty()) {
            report.md("No scale completed.\n\n");
            return;
        }
        report.md(
                "| N | runner | start all, s | PSS per instance, MiB | supervisor PSS, MiB | total / N, MiB | idle CPU, % of a core | of which supervisor, % | idle CPU per instance, % |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String w = "N=" + r.n();
            Footprint f = r.footprint();
            report.add(w, r.runner(), "start all", "s", List.of(r.startSeconds()));
            Measurement pss = report.add(w, r.runner(), "PSS per instance", "MiB", f.instancePssMib());
            report.add(w, r.runner(), "supervisor PSS", "MiB", List.of(f.supervisorPssMib()));
            report.add(w, r.runner(), "total PSS / N", "MiB", List.of(f.totalPssPerInstanceMib()));
            Measurement cpu = report.add(w, r.runner(), "idle CPU", "% of one core", f.idleCpuPercent());
            Measurement cpuEach =
                    report.add(w, r.runner(), "idle CPU per instance", "% of one core", f.idleCpuPerInstancePercent());
            String supervisorCpu = "–";
            if (f.supervisorPssMib() > 0) {
                supervisorCpu = ReportWriter.medianAndRange(
                        report.add(w, r.runner(), "supervisor idle CPU", "% of one core", f.supervisorCpuPercent())
                                .stats());
            }
            report.md("| " + r.n() + " | " + r.runner() + " | " + ReportWriter.fmt(r.startSeconds()) + " | "
                    + ReportWriter.medianAndRange(pss.stats()) + " | "
                    + (f.supervisorPssMib() <= 0 ? "–" : ReportWriter.fmt(f.supervisorPssMib()))
                    + " | " + ReportWriter.fmt(f.totalPssPerInstanceMib()) + " | "
                    + ReportWriter.medianAndRange(cpu.stats()) + " | "
                    + supervisorCpu + " | "
                    + ReportWriter.medianAndRange(cpuEach.stats()) + " |\n");
        }
        report.md("\n");
        List<String> ratios = new ArrayList<>();
        for (Result u : results) {
            if (!u.runner().equals("uniwasm")) continue;
            Result nat = find(results, u.n(), "native");
            if (nat == null) continue;
            double cpuU = Stats.of(u.footprint().idleCpuPercent()).median(),
                    cpuN = Stats.of(nat.footprint().idleCpuPercent()).median();
            ratios.add("| " + u.n() + " | "
                    + ReportWriter.fmt(u.footprint().totalPssPerInstanceMib()
                            / nat.footprint().totalPssPerInstanceMib())
                    + " | " + ReportWriter.fmt(u.startSeconds() / nat.startSeconds()) + " | "
                    + (cpuN > 0 ? ReportWriter.fmt(cpuU / cpuN) : "– (native idle CPU is 0)") + " |\n");
        }
        if (!ratios.isEmpty()) {
            report.md(
                    "uniwasm / native (total PSS per instance, start all, median idle CPU):\n\n| N | memory | start all | idle CPU |\n|---|---|---|---|\n");
            ratios.forEach(report::md);
            report.md("\n");
        }
    }

    private static Result find(List<Result> results, int n, String runner) {
        return results.stream()
                .filter(r -> r.n() == n && r.runner().equals(runner))
                .findFirst()
                .orElse(null);
    }

    private static void charts(SuiteReport report, List<Result> results) {
        List<String> runners = List.of("uniwasm", "native", "uniwasm run (JVM each)");
        SeriesByN memory = SeriesByN.of(
                results, Result::n, Result::runner, runners, r -> r.footprint().totalPssPerInstanceMib());
        SeriesByN start = SeriesByN.of(results, Result::n, Result::runner, runners, Result::startSeconds);
        if (memory.categories().isEmpty()) return;
        report.chart(new BarChart(
                "density-memory.png",
                "Host memory per idle HTTP server instance (PSS, supervisor included)",
                "MiB",
                memory.categories(),
                memory.series(),
                widelySpread(memory.series())));
        report.chart(new BarChart(
                "density-start.png",
                "Time to start N instances until all answered",
                "s",
                start.categories(),
                start.series(),
                widelySpread(start.series())));
    }

    /** A logarithmic axis when the bars differ by more than 20 times (native against VMs), so that all stay visible. */
    private static boolean widelySpread(Map<String, List<Double>> series) {
        double[] values = series.values().stream()
                .flatMap(List::stream)
                .mapToDouble(Double::doubleValue)
                .filter(v -> v > 0 && !Double.isNaN(v))
                .toArray();
        if (values.length == 0) return false;
        double min = java.util.Arrays.stream(values).min().getAsDouble(),
                max = java.util.Arrays.stream(values).max().getAsDouble();
        return max / min > 20;
    }
}
