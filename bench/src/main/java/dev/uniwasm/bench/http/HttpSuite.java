package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BackgroundProcess;
import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.Stats;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.monitor.KvmProbe;
import dev.uniwasm.testkit.TapNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The paper's experiment: examples/http_server.c serving a 612-byte page and a 64 KiB file under
 * wrk (800 connections as in the paper, 30 as in Unikraft's), side by side as a uniwasm unikernel,
 * compiled natively on a Linux guest (the same C code on bench/programs/http/wasi-posix), nginx on
 * that guest, and natively as a host process (the ceiling). The VMs are alike: QEMU microvm, one
 * vCPU, {@value #MEMORY_MIB} MiB, KVM or TCG alike, virtio-net on a TAP device in a network
 * namespace the suite makes; wrk and curl run inside that namespace. Each configuration is a check:
 * curl must fetch every file byte for byte before the load, and wrk must count no socket error and
 * no non-2xx response.
 */
public final class HttpSuite implements Suite {
    /**
     * Guest memory of every VM: enough for the Linux guest with nginx and 800 connections (its
     * initramfs alone is ~12 MiB unpacked) with room to spare, so that no configuration is held back
     * by memory; uniwasm's server passes the same load with 28 MiB.
     */
    static final int MEMORY_MIB = 256;

    static final int VCPUS = 1;
    static final int PORT = 80;
    /**
     * The suite's network namespace {@code uwbench-http-PID}, its TAP device, and 10.150.1.0/24 on it
     * (10.150.1.1 on the namespace's side, the guest at 10.150.1.2): wrk and curl run inside, so no
     * benchmark traffic leaves it.
     */
    private static final String NAMESPACE_PREFIX = "uwbench-http";

    private static final String TAP = "uwbtap0";
    private static final int NET = 150;
    static final String SITE_IN_GUEST = "/www";
    /** Under TCG a segment the guest drops in a burst is resent after seconds: latency, not failure. */
    static final String WRK_TIMEOUT = "30s";

    private static final long BOOT_TIMEOUT_SECONDS = 420; // uniwasm compiles the image on its first run
    /**
     * A Linux guest under TCG prints its first console line within seconds; once in the full run
     * one printed nothing at all for minutes (QEMU alive, the same image booting at once when run
     * again), so a silent Linux guest is stopped after this and booted once more; the report says so.
     */
    private static final long LINUX_BOOT_ATTEMPT_SECONDS = 120;

    enum Config {
        UNIWASM("uniwasm", "examples/http_server.wasm as a uniwasm unikernel"),
        LINUX_NATIVE(
                "Linux guest",
                "the same C server compiled natively (clang -O2, static) on Debian's kernel + busybox initramfs"),
        LINUX_NGINX(
                "nginx on Linux guest",
                "Debian's nginx on the same Linux guest (one worker per vCPU, access_log off, sendfile on, tcp_nodelay on, keep-alive without a request limit)"),
        HOST_NATIVE(
                "host process (ceiling)",
                "the native server as a plain host process in the namespace (loopback, no VM)");

        final String label;
        final String what;

        Config(String label, String what) {
            this.label = label;
            this.what = what;
        }
    }

    record Cell(Site.File file, int connections) {
        String label() {
            return file.label() + ", " + connections + " conns";
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "examples/http_server.c under wrk (612 B and 64 KiB, 30 and 800 connections): uniwasm vs. the same server on a Linux guest, nginx on it, and a host process";
    }

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        if (!TapNamespace.root()) {
            report.fail("the http suite needs root (network namespace and TAP device)");
            return;
        }
        Path work = ctx.work().resolve("http");
        Path site = Site.write(work.resolve("www"));
        Path nativeServer = HttpServerBuild.nativeServer(ctx);
        Path wasmServer = HttpServerBuild.wasmServer(ctx);
        KvmProbe.Verdict kvm = KvmProbe.probe();
        int threads = Runtime.getRuntime().availableProcessors();
        List<Cell> cells = new ArrayList<>();
        for (Site.File f : ctx.quick() ? List.of(Site.PAGE) : Site.FILES) {
            for (int c : List.of(30, 800)) cells.add(new Cell(f, c));
        }
        int runs = ctx.runs(3, 1);
        int seconds = ctx.quick() ? 4 : 10;
        int warmupSeconds = ctx.quick() ? 1 : 2;
        DebianBinaries debs = new DebianBinaries(ctx);
        LinuxGuest guest = null;
        try {
            guest = LinuxGuest.fetch(debs);
        } catch (BenchException e) {
            report.fail("the Linux guest could not be prepared: " + e.getMessage());
        }

        Map<Config, Map<Cell, List<WrkResult>>> results = new LinkedHashMap<>();
        List<String> serverCommands = new ArrayList<>();
        BackgroundProcess[] current = new BackgroundProcess[1];
        TapNamespace ns = TapNamespace.create(ctx.commands(), NAMESPACE_PREFIX, TAP, NET, false);
        TapNamespace[] nsRef = {ns};
        Thread cleanup = new Thread(
                () -> {
                    synchronized (current) {
                        if (current[0] != null) current[0].close();
                    }
                    nsRef[0].close();
                },
                "http-suite-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            for (Config config : Config.values()) {
                Map<Cell, List<WrkResult>> byCell = new LinkedHashMap<>();
                results.put(config, byCell); // a configuration that fails keeps its row, marked failed
                if ((config == Config.LINUX_NATIVE || config == Config.LINUX_NGINX) && guest == null) continue;
                ctx.say("http: " + config.label);
                BackgroundProcess server = null;
                try {
                    List<String> command;
                    Map<String, String> env = Map.of();
                    String host = ns.guestAddress;
                    String readyLine = "ready fd ";
                    switch (config) {
                        case UNIWASM ->
                            command = ns.exec(List.of(
                                    ctx.launcher().toString(),
                                    "run",
                                    "--accel",
                                    kvm.usable() ? "kvm" : "tcg",
                                    "--memory",
                                    MEMORY_MIB + "M",
                                    "--net",
                                    "tap=" + ns.tap,
                                    "--net-address",
                                    ns.guestAddress + "/" + TapNamespace.PREFIX_LENGTH,
                                    "--tcplisten",
                                    String.valueOf(PORT),
                                    "--dir",
                                    site + "::" + SITE_IN_GUEST,
                                    wasmServer.toString(),
                                    "--",
                                    SITE_IN_GUEST));
                        case LINUX_NATIVE -> {
                            Path initramfs = work.resolve("initramfs-native.cpio");
                            guest.writeInitramfs(
                                    initramfs,
                                    siteFiles(site, Map.of("bin/http_server", nativeServer)),
                                    Map.of(),
                                    "WASI_DIR=" + SITE_IN_GUEST + "::" + SITE_IN_GUEST + " WASI_TCPLISTEN=0.0.0.0:"
                                            + PORT + " /bin/http_server " + SITE_IN_GUEST,
                                    ns.guestAddress,
                                    TapNamespace.PREFIX_LENGTH);
                            command = ns.exec(guest.qemuCommand(initramfs, MEMORY_MIB, kvm.usable(), ns.tap));
                        }
                        case LINUX_NGINX -> {
                            NginxPayload nginx = new NginxPayload(ctx, debs, VCPUS, SITE_IN_GUEST);
                            Path initramfs = work.resolve("initramfs-nginx.cpio");
                            guest.writeInitramfs(
                                    initramfs,
                                    siteFiles(site, nginx.files),
                                    nginx.generated,
                                    nginx.command,
                                    ns.guestAddress,
                                    TapNamespace.PREFIX_LENGTH);
                            command = ns.exec(guest.qemuCommand(initramfs, MEMORY_MIB, kvm.usable(), ns.tap));
                            readyLine =
                                    "guest: network up"; // nginx prints nothing when it is up: curl waits for it below
                        }
                        case HOST_NATIVE -> {
                            command = ns.exec(List.of(nativeServer.toString(), SITE_IN_GUEST));
                            env = Map.of(
                                    "WASI_DIR", site + "::" + SITE_IN_GUEST, "WASI_TCPLISTEN", "127.0.0.1:" + PORT);
                            host = "127.0.0.1";
                        }
                        default -> throw new IllegalStateException(config.name());
                    }
                    boolean linux = config == Config.LINUX_NATIVE || config == Config.LINUX_NGINX;
                    for (int attempt = 1; ; attempt++) {
                        synchronized (current) {
                            server = ctx.commands().start(command, null, env);
                            current[0] = server;
                        }
                        if (attempt == 1) serverCommands.add(config.label + ": `" + commandLine(command, env) + "`");
                        try {
                            awaitLine(
                                    server,
                                    readyLine,
                                    config,
                                    linux && attempt == 1 ? LINUX_BOOT_ATTEMPT_SECONDS : BOOT_TIMEOUT_SECONDS);
                            break;
                        } catch (BenchException silent) {
                            if (!(linux
                                    && attempt == 1
                                    && server.alive()
                                    && server.output().isBlank())) throw silent;
                            report.md("Note: the " + config.label + " printed nothing in " + LINUX_BOOT_ATTEMPT_SECONDS
                                    + " s after QEMU started; it was stopped and booted again.\n\n");
                            synchronized (current) {
                                server.close();
                                current[0] = null;
                            }
                        }
                    }
                    for (Site.File f : Site.FILES)
                        checkFile(ctx, ns, work, server, config, "http://" + host + "/" + f.name(), f);
                    for (Cell cell : cells) {
                        String url = "http://" + host + "/" + cell.file().name();
                        WrkResult warm = wrk(ctx, ns, threads, cell.connections(), warmupSeconds, url); // not recorded
                        if (!warm.clean())
                            wrkErrors(
                                    report,
                                    config,
                                    "http " + config.label + ", " + cell.label()
                                            + ": wrk counted errors in the warm-up (" + warm.errorSummary() + ")",
                                    server);
                        List<WrkResult> samples = new ArrayList<>();
                        for (int i = 0; i < runs; i++) {
                            WrkResult r = wrk(ctx, ns, threads, cell.connections(), seconds, url);
                            if (!r.clean())
                                wrkErrors(
                                        report,
                                        config,
                                        "http " + config.label + ", " + cell.label() + ": wrk counted errors ("
                                                + r.errorSummary() + ")",
                                        server);
                            samples.add(r);
                        }
                        byCell.put(cell, samples);
                        if (!server.alive())
                            throw new BenchException("the server stopped during the load: " + server.describe());
                    }
                } catch (BenchException e) {
                    boolean described = server == null || e.getMessage().contains("its output:");
                    report.fail("http " + config.label + ": " + e.getMessage()
                            + (described ? "" : "\nserver " + server.describe()));
                } finally {
                    synchronized (current) {
                        if (server != null) server.close();
                        current[0] = null;
                    }
                }
            }
        } finally {
            ns.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        writeReport(
                ctx, report, cells, results, kvm, threads, runs, seconds, warmupSeconds, guest, debs, serverCommands);
    }

    private static String commandLine(List<String> command, Map<String, String> env) {
        StringBuilder line = new StringBuilder();
        env.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        return line.append(String.join(" ", command)).toString();
    }

    private static Map<String, Path> siteFiles(Path site, Map<String, Path> more) {
        Map<String, Path> files = new LinkedHashMap<>(more);
        for (Site.File f : Site.FILES) files.put(SITE_IN_GUEST.substring(1) + "/" + f.name(), site.resolve(f.name()));
        return files;
    }

    /**
     * Errors under load fail the suite when uniwasm made them; a peer's (nginx resetting connections
     * when 800 clients fetch 64 KiB under TCG was seen) are the peer's figure, said in the report
     * next to its tables rather than failing the run.
     */
    private static void wrkErrors(SuiteReport report, Config config, String what, BackgroundProcess server) {
        if (config == Config.UNIWASM) report.fail(what + "\nserver " + server.describe());
        else report.md("Note (a peer's errors, not a failed check): " + what + ".\n\n");
    }

    private static void awaitLine(BackgroundProcess server, String line, Config config, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!server.output().contains(line)) {
            if (!server.alive())
                throw new BenchException(config.label + " stopped before it was up: " + server.describe());
            if (System.nanoTime() > deadline)
                throw new BenchException(
                        config.label + " was not up after " + timeoutSeconds + " s: " + server.describe());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while waiting for " + config.label);
            }
        }
    }

    /** curl inside the namespace (retrying while the server comes up) must return the file's exact bytes. */
    private static void checkFile(
            BenchContext ctx,
            TapNamespace ns,
            Path work,
            BackgroundProcess server,
            Config config,
            String url,
            Site.File f) {
        Path got = work.resolve("curl-" + f.name());
        try {
            Files.deleteIfExists(got);
            CommandRunner.Outcome o = ctx.commands()
                    .run(
                            ns.exec(List.of(
                                    "curl",
                                    "-sS",
                                    "--fail",
                                    "-m",
                                    "60",
                                    "--retry",
                                    "60",
                                    "--retry-connrefused",
                                    "--retry-delay",
                                    "1",
                                    "-o",
                                    got.toString(),
                                    url)),
                            null,
                            180);
            if (!o.ok())
                throw new BenchException("curl " + url + " failed before the load: " + o.describeFailure() + "\nserver "
                        + server.describe());
            byte[] body = Files.readAllBytes(got);
            if (!Arrays.equals(body, f.content())) {
                int at = 0;
                while (at < Math.min(body.length, f.content().length) && body[at] == f.content()[at]) at++;
                throw new BenchException("curl " + url + " returned " + body.length + " bytes, not the file's "
                        + f.content().length + " (first difference at byte offset " + at + ")");
            }
        } catch (IOException e) {
            throw new BenchException("cannot read curl's output " + got + ": " + e.getMessage(), e);
        }
    }

    private static WrkResult wrk(
            BenchContext ctx, TapNamespace ns, int threads, int connections, int seconds, String url) {
        CommandRunner.Outcome o = ctx.commands()
                .run(
                        ns.exec(List.of(
                                "wrk",
                                "-t" + threads,
                                "-c" + connections,
                                "-d" + seconds + "s",
                                "--timeout",
                                WRK_TIMEOUT,
                                "--latency",
                                url)),
                        null,
                        seconds + 120L);
        if (!o.ok()) throw new BenchException(o.describeFailure());
        try {
            return WrkResult.parse(o.out());
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage() + ":\n" + o.out());
        }
    }

    private static void writeReport(
            BenchContext ctx,
            SuiteReport report,
            List<Cell> cells,
            Map<Config, Map<Cell, List<WrkResult>>> results,
            KvmProbe.Verdict kvm,
            int threads,
            int runs,
            int seconds,
            int warmup,
            LinuxGuest guest,
            DebianBinaries debs,
            List<String> serverCommands) {
        report.md(
                "examples/http_server.c serving a " + Site.PAGE_BYTES + "-byte page and a " + Site.LARGE_BYTES / 1024
                        + " KiB file under wrk (`-t" + threads + "` = host cores, `--timeout " + WRK_TIMEOUT
                        + "`, `--latency`), "
                        + runs + " run(s) of " + seconds + " s per figure after a " + warmup
                        + " s warm-up; median (min..max). "
                        + "Every VM: QEMU microvm, " + VCPUS + " vCPU, " + MEMORY_MIB + " MiB, "
                        + (kvm.usable() ? "KVM" : "TCG") + ", virtio-net on a TAP "
                        + "device inside a network namespace the suite makes (wrk and curl run in it too). Ratio: the median divided by "
                        + "that of the Linux guest (the same server compiled natively; = 1); above 1 is better for requests/s, below 1 for latencies.\n\n");
        if (!kvm.usable()) {
            report.md("**The VMs ran under TCG (QEMU's emulator), not KVM (" + kvm.reason()
                    + "): all VM figures are emulation figures,** "
                    + "far below what the same guests do under KVM; the ratios between VMs still compare like with like. "
                    + "The host process runs at native speed on the same 2 cores as wrk.\n\n");
        }
        if (ctx.quick()) report.md("Quick run: the " + Site.PAGE_BYTES + "-byte page only.\n\n");
        report.md("Configurations:\n\n");
        for (Config c : Config.values()) report.md("- **" + c.label + "**: " + c.what + "\n");
        if (guest != null) {
            report.md("\nLinux guest: kernel " + guest.kernelRelease + " (`-append \"" + LinuxGuest.KERNEL_COMMAND_LINE
                    + "\"`), modules " + String.join(", ", guest.moduleNames()) + "; Debian packages used: ");
            List<String> v = new ArrayList<>();
            debs.versions().forEach((p, ver) -> v.add(p + " " + ver));
            report.md(String.join(", ", v.stream().sorted().toList()) + ".\n");
        }
        report.md("\n");
        Map<String, List<Double>> chartSeries = new LinkedHashMap<>();
        for (Config c : results.keySet()) chartSeries.put(c.label, new ArrayList<>());
        for (Cell cell : cells) {
            report.md(
                    "#### " + cell.label()
                            + "\n\n| configuration | requests/s | ratio | p50 latency (ms) | ratio | p99 latency (ms) | ratio |\n|---|---|---|---|---|---|---|\n");
            Map<Config, Stats[]> stats = new LinkedHashMap<>();
            for (Map.Entry<Config, Map<Cell, List<WrkResult>>> e : results.entrySet()) {
                List<WrkResult> rs = e.getValue().get(cell);
                if (rs == null || rs.isEmpty()) continue;
                String workload = cell.file().name() + "/c" + cell.connections();
                Measurement rps = report.add(
                        workload,
                        e.getKey().label,
                        "requests",
                        "req/s",
                        rs.stream().map(WrkResult::requestsPerSecond).toList());
                Measurement p50 = report.add(
                        workload,
                        e.getKey().label,
                        "p50",
                        "ms",
                        rs.stream().map(r -> r.p50Seconds() * 1e3).toList());
                Measurement p99 = report.add(
                        workload,
                        e.getKey().label,
                        "p99",
                        "ms",
                        rs.stream().map(r -> r.p99Seconds() * 1e3).toList());
                stats.put(e.getKey(), new Stats[] {rps.stats(), p50.stats(), p99.stats()});
            }
            Stats[] base = stats.get(Config.LINUX_NATIVE);
            for (Config c : results.keySet()) {
                Stats[] s = stats.get(c);
                chartSeries.get(c.label).add(s == null ? Double.NaN : s[0].median());
                report.md("| " + c.label + " |");
                for (int k = 0; k < 3; k++) {
                    report.md(
                            s == null
                                    ? " **failed** | |"
                                    : " " + ReportWriter.medianAndRange(s[k]) + " | "
                                            + (base == null ? "–" : ReportWriter.fmt(s[k].median() / base[k].median()))
                                            + " |");
                }
                report.md("\n");
            }
            report.md("\n");
        }
        if (!results.isEmpty()) {
            report.chart(new BarChart(
                    "http-requests.png",
                    "HTTP: requests/s (median; " + (kvm.usable() ? "KVM" : "VMs under TCG") + ")",
                    "requests/s (log)",
                    cells.stream().map(Cell::label).toList(),
                    chartSeries,
                    true));
        }
        report.md("Servers (each started once, then every cell run against it):\n\n");
        for (String s : serverCommands) report.md("- " + s + "\n");
        report.md("\n");
    }
}
