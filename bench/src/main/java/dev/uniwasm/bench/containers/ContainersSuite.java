package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.SeriesByN;
import dev.uniwasm.bench.core.Stats;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.bench.density.DensitySuite;
import dev.uniwasm.bench.density.Deployment;
import dev.uniwasm.bench.density.Footprint;
import dev.uniwasm.bench.density.SmapsRollup;
import dev.uniwasm.monitor.KvmProbe;
import dev.uniwasm.testkit.Containerd;
import dev.uniwasm.testkit.Mounts;
import dev.uniwasm.testkit.ScratchImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 15's experiment after Jansen et al., "Memory-Efficient WebAssembly Containers": N = 10, 100
 * and 400 containers of each app ({@link ContainerApps#APPS}: an idle sleeper, an idle HTTP server,
 * CPython sleeping) started through containerd with {@code ctr run -d}, one runtime at a time
 * ({@link #RUNTIMES}): the uniwasm image run by uniwasm-runtime as a process or as a VM, QEMU
 * booting that VM image in plain runc ({@link QemuRuncImage}), and the native equivalent in a
 * scratch image run by crun and by runc; the rows and scales of a {@link RowSelection}, a row's
 * larger scales skipped past its bound, its memory or its budget ({@link #scaleSkip}). Figures: the time from the first
 * start until all are up, each {@code ctr run -d}'s wall time (median, mean, p95), the runtime's own
 * create + start (through {@link RuntimeTimings}' wrapper), and PSS per container of its processes
 * and its shim, with containerd's shared PSS beside. A row that cannot run here (no such runtime, no
 * such image yet) is skipped with its reason; a container of a row that runs and does not come up
 * fails the suite; every container is removed and checked gone (task, container, shim, runtime state,
 * mounts, cgroups) before the next.
 */
public final class ContainersSuite implements Suite {
    private static final long CTR_TIMEOUT_SECONDS = 60;
    private static final long READY_TIMEOUT_SECONDS = 60;
    /** Containers removed by one ctr call. */
    private static final int REMOVE_BATCH = 50;
    /** After the last ready, before measuring: the last shims settle. */
    private static final long SETTLE_MILLIS = 2000;
    /** HTTP probes (nsenter + curl) at a time. */
    private static final int PROBES = 4;

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    /** The suite's containerd namespace: the ctr namespace, and the cgroup parent and runc root folder of its containers. */
    static final String NAMESPACE = "uwbench";

    static final String ISOLATION_ANNOTATION = "dev.uniwasm.isolation";

    /**
     * A way of running containers: the app's {@code image} and the shim's runc binary, {@code
     * binary} on PATH, or {@code build/bin/uniwasm-runtime} when null (the uniwasm image, with the
     * {@value #ISOLATION_ANNOTATION} annotation {@code isolation}). A {@code probed} runtime first
     * runs one idle container; when that fails its rows are skipped with the error, as a runtime this
     * host or build cannot run.
     */
    record Runtime(String name, ContainerApps.ImageKind image, String binary, String isolation, boolean probed) {
        boolean wasm() {
            return image == ContainerApps.ImageKind.WASM;
        }
    }

    /** The runtimes, in the order they run and are shown. */
    static final List<Runtime> RUNTIMES = List.of(
            new Runtime("uniwasm-process", ContainerApps.ImageKind.WASM, null, "process", false),
            new Runtime("uniwasm-vm", ContainerApps.ImageKind.WASM, null, "vm", true),
            new Runtime("qemu-runc", ContainerApps.ImageKind.QEMU, "runc", null, true),
            new Runtime("crun", ContainerApps.ImageKind.NATIVE, "crun", null, true),
            new Runtime("runc", ContainerApps.ImageKind.NATIVE, "runc", null, false));

    /** QEMU's program, as the uniwasm images' {@code .qemu} files name it; the qemu-runc row needs it on the host. */
    static final String QEMU = "qemu-system-x86_64";

    /**
     * A row's most containers, {@code why} said when a larger scale is skipped, and the CPU one
     * container's start costs under TCG (its containers get that long, twice over, to be up).
     */
    record Bound(int maxN, double cpuSecondsPerStart, String why) {}

    /**
     * CPython in a VM, measured at N = 10 under TCG (README, "The containers suite"): about 95 MiB
     * PSS per container (the guest touches its interpreter's heap), so 400 would need about 38 GiB;
     * a start costs 1.1-1.5 s of CPU.
     */
    private static final Bound CPYTHON_VM = new Bound(
            100, 1.5, "about 95 MiB per container (measured at N = 10): 400 would need about 38 GiB of memory");

    static final Map<String, Bound> BOUNDS = Map.of("cpython/uniwasm-vm", CPYTHON_VM, "cpython/qemu-runc", CPYTHON_VM);

    /**
     * A row's wall-time budget over its scales: a scale whose estimate (the previous scale's time,
     * linear in N) would take the row past it is skipped, saying so.
     */
    static final double ROW_BUDGET_SECONDS = 600;
    /** Memory kept free beside a scale's estimate (the machine is shared; containerd grows too). */
    static final long MEMORY_RESERVE_MIB = 2048;

    private final RowSelection selection;

    /** Every row at the suite's own scales. */
    public ContainersSuite() {
        this(RowSelection.ALL);
    }

    /** The rows and scales of {@code selection}. */
    public ContainersSuite(RowSelection selection) {
        this.selection = selection;
    }

    /** One app under one runtime; {@code skip} says why it does not run (null when it does). */
    record Row(ContainerApps.App app, Runtime runtime, String skip) {}

    /** One row's figures at one N. */
    record Result(
            int n,
            String app,
            String runtime,
            double startAllSeconds,
            List<Double> ctrRunMillis,
            List<Double> runtimeMillis,
            List<Double> appPssMib,
            List<Double> shimPssMib,
            Footprint footprint) {}

    @Override
    public String name() {
        return "containers";
    }

    @Override
    public String description() {
        return "10, 100 and 400 containers of an idle app, an HTTP server and CPython under containerd (ctr run -d): memory per "
                + "container and start time; uniwasm-runtime (process, VM) vs crun and runc, and VMs vs QEMU in runc";
    }

    /**
     * Every app under every runtime that {@code selection} selects: a runtime's skip reason wins,
     * then a runtime of the uniwasm image or of QEMU booting it has the app's reason for having no
     * uniwasm image.
     */
    static List<Row> plan(
            List<ContainerApps.App> apps,
            List<Runtime> runtimes,
            Map<String, String> wasmSkipByApp,
            Map<String, String> skipByRuntime,
            RowSelection selection) {
        List<Row> rows = new ArrayList<>();
        for (ContainerApps.App app : apps) {
            for (Runtime rt : runtimes) {
                if (!selection.selects(app.name(), rt.name())) continue;
                String skip = skipByRuntime.get(rt.name());
                if (skip == null && rt.image() != ContainerApps.ImageKind.NATIVE) skip = wasmSkipByApp.get(app.name());
                rows.add(new Row(app, rt, skip));
            }
        }
        return rows;
    }

    private static Bound bound(Row row) {
        return BOUNDS.get(row.app().name() + "/" + row.runtime().name());
    }

    /**
     * How long the containers of {@code row} may take to be up after the last {@code ctr run}: {@value
     * #READY_TIMEOUT_SECONDS} s, and under TCG for a bounded row the CPU its {@code n} starts cost on
     * {@code cores}, twice over (the machine is shared).
     */
    static long readySeconds(Row row, int n, boolean tcg, int cores) {
        Bound bound = bound(row);
        return READY_TIMEOUT_SECONDS
                + (bound == null || !tcg ? 0 : Math.round(2 * bound.cpuSecondsPerStart() * n / cores));
    }

    /**
     * What a row's previous scale took: its N ({@code 0} before the first), wall seconds and PSS per
     * container with containerd's share (total / N, MiB), and the row's seconds in all so far.
     */
    record Spent(int lastN, double lastSeconds, double lastTotalPerContainerMib, double seconds) {
        static final Spent NONE = new Spent(0, 0, 0, 0);
    }

    /**
     * Why {@code row} does not run at {@code n} (null when it does): more than its bound, its
     * memory (the previous scale's per container, +25 %, and {@value #MEMORY_RESERVE_MIB} MiB kept)
     * more than {@code availableMib}, or its time past its budget.
     */
    static String scaleSkip(Row row, int n, Spent spent, long availableMib) {
        Bound bound = bound(row);
        if (bound != null && n > bound.maxN()) return "at most N = " + bound.maxN() + ": " + bound.why();
        if (spent.lastN() == 0) return null;
        double neededMib = n * spent.lastTotalPerContainerMib() * 1.25 + MEMORY_RESERVE_MIB;
        if (neededMib > availableMib)
            return "about " + Math.round(neededMib) + " MiB needed ("
                    + ReportWriter.fmt(spent.lastTotalPerContainerMib())
                    + " MiB per container at N = " + spent.lastN() + ", +25 %, + " + MEMORY_RESERVE_MIB
                    + " MiB kept), " + availableMib + " MiB available (MemAvailable)";
        double estimate = spent.lastSeconds() * n / spent.lastN();
        if (spent.seconds() + estimate > ROW_BUDGET_SECONDS)
            return "estimated " + Math.round(estimate) + " s (N = " + spent.lastN() + " took "
                    + Math.round(spent.lastSeconds()) + " s), which would take the row past its budget of "
                    + Math.round(ROW_BUDGET_SECONDS) + " s (" + Math.round(spent.seconds()) + " s spent)";
        return null;
    }

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        if (!"root".equals(System.getProperty("user.name")))
            throw new BenchException("the containers suite needs root (containerd)");
        for (String tool : List.of(
                "containerd", "ctr", "containerd-shim-runc-v2", "runc", "tar", "clang", "unshare", "nsenter", "curl")) {
            if (which(tool) == null) throw new BenchException(tool + " is not installed (scripts/setup installs it)");
        }
        List<Integer> scales = selection.scalesOr(ctx.quick() ? List.of(10) : List.of(10, 100, 400));
        int windows = ctx.quick() ? 3 : 5;
        double windowSeconds = ctx.quick() ? 1 : 2;
        boolean tcg = !KvmProbe.kvmUsable();
        Path dir = ctx.work().resolve("containers");
        List<Row> selected = plan(ContainerApps.APPS, RUNTIMES, Map.of(), Map.of(), selection);
        if (selected.isEmpty()) throw new BenchException("no row selected");
        ContainerApps.App idle = ContainerApps.APPS.get(0);
        List<Runtime> runtimes = RUNTIMES.stream()
                .filter(rt -> selected.stream().anyMatch(r -> r.runtime().equals(rt)))
                .toList();
        // the images each app needs: its rows', and the idle app's for the probes
        Map<String, Set<ContainerApps.ImageKind>> kinds = new LinkedHashMap<>();
        for (Row r : selected)
            kinds.computeIfAbsent(r.app().name(), k -> EnumSet.noneOf(ContainerApps.ImageKind.class))
                    .add(r.runtime().image());
        for (Runtime rt : runtimes) {
            if (rt.probed())
                kinds.computeIfAbsent(idle.name(), k -> EnumSet.noneOf(ContainerApps.ImageKind.class))
                        .add(rt.image());
        }
        report.md("Rows selected: "
                + String.join(
                        ", ",
                        selected.stream()
                                .map(r -> r.app().name() + "/" + r.runtime().name())
                                .toList())
                + (selection.rows() == null ? " (all)" : " (`--rows " + String.join(",", selection.rows()) + "`)")
                + "; scales: N = "
                + String.join(", ", scales.stream().map(String::valueOf).toList())
                + (selection.scales() == null ? "" : " (`--scales`)") + ".\n\n");
        try {
            Files.createDirectories(dir);
            Map<String, ContainerApps.Images> images = new LinkedHashMap<>();
            Map<String, String> wasmSkips = new LinkedHashMap<>();
            for (ContainerApps.App app : ContainerApps.APPS) {
                Set<ContainerApps.ImageKind> wanted = kinds.get(app.name());
                if (wanted == null) continue;
                ctx.say("containers: building the " + app.name() + " images " + wanted);
                ContainerApps.Images im = ContainerApps.build(ctx, app, dir, wanted, tcg);
                images.put(app.name(), im);
                if (im.wasmSkip() != null) wasmSkips.put(app.name(), im.wasmSkip());
            }
            Map<String, Path> binaries = new LinkedHashMap<>();
            Map<String, String> runtimeSkips = new LinkedHashMap<>();
            for (Runtime rt : runtimes) {
                String found = rt.binary() == null
                        ? ctx.home().resolve("build/bin/uniwasm-runtime").toString()
                        : which(rt.binary());
                if (found == null || !Files.isExecutable(Path.of(found)))
                    runtimeSkips.put(rt.name(), (rt.binary() == null ? found : rt.binary()) + " is not installed");
                else if (rt.image() == ContainerApps.ImageKind.QEMU && which(QEMU) == null)
                    runtimeSkips.put(rt.name(), QEMU + " is not installed");
                else binaries.put(rt.name(), Path.of(found));
            }
            versions(ctx, report, runtimes, binaries);
            describe(report, windows, windowSeconds, dir, tcg);
            List<Result> results = new ArrayList<>();
            List<String> scaleSkips = new ArrayList<>();
            List<Row> rows;
            try (Containerd cd = Containerd.start(dir.resolve("containerd"), NAMESPACE, true, Map.of())) {
                report.md("containerd: `"
                        + String.join(
                                " ",
                                Containerd.namespacedCommandLine(cd.dir(), cd.hidden()).stream()
                                        .map(CommandRunner::quote)
                                        .toList())
                        + "`"
                        + (cd.hidden().isEmpty()
                                ? " (this host's cgroups are not hybrid: nothing to hide)"
                                : ": a private mount namespace without the cgroup2 mount "
                                        + String.join(", ", cd.hidden())
                                        + " (cgroup v1 alone, which crun accepts; checked after the start: containerd's mount namespace "
                                        + "is not the bench's, has no such mount, and the host still has it)")
                        + "; images imported with `ctr images import [--platform wasi/wasm] ARCHIVE`; snapshotter overlayfs (containerd's "
                        + "default).\n\n");
                for (ContainerApps.Images im : images.values()) {
                    if (im.wasmTar() != null)
                        cd.require(
                                List.of(
                                        "images",
                                        "import",
                                        "--platform",
                                        "wasi/wasm",
                                        im.wasmTar().toString()),
                                600);
                    for (Path tar : java.util.Arrays.asList(im.nativeTar(), im.qemuTar())) {
                        if (tar != null) cd.require(List.of("images", "import", tar.toString()), 600);
                    }
                }
                for (Runtime rt : runtimes) {
                    if (!rt.probed() || runtimeSkips.containsKey(rt.name())) continue;
                    ctx.say("containers: probing " + rt.name());
                    SuiteReport probe = new SuiteReport(rt.name() + " probe");
                    measure(
                            ctx,
                            probe,
                            cd,
                            new Row(idle, rt, null),
                            binaries.get(rt.name()),
                            images.get(idle.name()),
                            1,
                            dir,
                            1,
                            0.1);
                    if (!probe.failures().isEmpty()) runtimeSkips.put(rt.name(), probeFailure(rt, probe.failures()));
                }
                rows = plan(ContainerApps.APPS, RUNTIMES, wasmSkips, runtimeSkips, selection);
                skipped(report, rows);
                Map<Row, Spent> spent = new LinkedHashMap<>();
                for (int n : scales) {
                    for (Row row : rows) {
                        if (row.skip() != null) continue;
                        Spent s = spent.getOrDefault(row, Spent.NONE);
                        String skip = scaleSkip(row, n, s, DensitySuite.memAvailableMib());
                        if (skip != null) {
                            scaleSkips.add(
                                    row.app().name() + "/" + row.runtime().name() + " at N = " + n + ": " + skip);
                            ctx.say("containers: skipping " + n + " x "
                                    + row.app().name() + " on " + row.runtime().name() + ": " + skip);
                            continue;
                        }
                        ctx.say("containers: " + n + " x " + row.app().name() + " on "
                                + row.runtime().name());
                        long t0 = System.nanoTime();
                        Result r = measure(
                                ctx,
                                report,
                                cd,
                                row,
                                binaries.get(row.runtime().name()),
                                images.get(row.app().name()),
                                n,
                                dir,
                                windows,
                                windowSeconds);
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        spent.put(
                                row,
                                new Spent(
                                        n,
                                        seconds,
                                        r == null ? 0 : r.footprint().totalPssPerInstanceMib(),
                                        s.seconds() + seconds));
                        ctx.say("containers: " + n + " x " + row.app().name() + " on "
                                + row.runtime().name() + " took " + Math.round(seconds) + " s");
                        if (r != null) results.add(r);
                    }
                }
            } finally {
                leftovers(report, dir.resolve("containerd"));
            }
            if (!scaleSkips.isEmpty())
                report.md("**Scales skipped** (a row's bound, memory or budget, above):\n\n- "
                        + String.join("\n- ", scaleSkips) + "\n\n");
            table(report, results);
            charts(report, results);
        } catch (IOException e) {
            throw new BenchException("containers: " + e.getMessage(), e);
        }
    }

    /** Why a probed runtime is skipped: its first failure from ctr's own words on (the ctr command line is long and known). */
    static String probeFailure(Runtime rt, List<String> failures) {
        String first = failures.get(0);
        int ctr = first.indexOf("ctr: ");
        return "one idle container with " + rt.name() + " did not run: "
                + (ctr >= 0 ? first.substring(ctr) : first).replace('`', '\'');
    }

    /** The skipped rows, one line per reason (a runtime's reason covers all its apps). */
    private static void skipped(SuiteReport report, List<Row> rows) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.skip() != null)
                byReason.computeIfAbsent(r.skip(), k -> new ArrayList<>())
                        .add(r.app().name() + " on " + r.runtime().name());
        }
        if (byReason.isEmpty()) return;
        StringBuilder sb = new StringBuilder("**Rows skipped** (nothing of them is measured):\n\n");
        byReason.forEach((reason, which) -> sb.append("- ")
                .append(String.join(", ", which))
                .append(": ")
                .append(reason)
                .append("\n"));
        report.md(sb.append("\n").toString());
    }

    private static void describe(SuiteReport report, int windows, double windowSeconds, Path dir, boolean tcg) {
        StringBuilder apps = new StringBuilder();
        for (ContainerApps.App app : ContainerApps.APPS)
            apps.append("- **")
                    .append(app.name())
                    .append("**: ")
                    .append(app.what())
                    .append(".\n");
        report.md("Apps (each a row per runtime):\n\n" + apps + "\nRuntimes:\n\n"
                + "- **uniwasm-process**, **uniwasm-vm**: `uniwasm image build` of the app's wasm32-wasi build (compiled ahead of time), "
                + "run by `build/bin/uniwasm-runtime` as the shim's runc binary with `--annotation "
                + ISOLATION_ANNOTATION
                + "=process` or `=vm`.\n"
                + "- **qemu-runc**: the uniwasm-vm row's baseline, QEMU in a plain runc container (no uniwasm-runtime): a scratch "
                + "image holding the uniwasm image's `.uniwasm/NAME.wasm.x86_64-pvh` and the boot configuration uniwasm-runtime "
                + "writes for the container (`image`'s `BootConfig`), whose process is QEMU with the image's `.qemu` command line "
                + "for this host's accelerator ("
                + (tcg ? "TCG" : "KVM")
                + "), the serial ports on QEMU's own back-ends (COM1 its stdio, which is the container's log, COM2 the container's "
                + "stderr, COM3 `null`) instead of uniwasm-runtime's sockets"
                + (tcg
                        ? ", started through `bench/programs/qemu-runc/no_thp.c` (`PR_SET_THP_DISABLE`, then exec: QEMU is the "
                                + "container's process) as uniwasm-runtime starts QEMU under TCG"
                        : "")
                + "; QEMU's program and libraries are the host's, `ctr run --mount type=bind,src=P,dst=P,options=rbind:ro` for "
                + String.join(", ", QemuRuncImage.HOST_PATHS)
                + " (those that exist); QEMU's environment the container's, glibc's malloc on its defaults (uniwasm-runtime "
                + "gives its QEMU one malloc arena, `GLIBC_TUNABLES=glibc.malloc.arena_max=1`, which would save this row's "
                + "QEMU as much: docs/oci.md, \"A VM container's memory\"). Up when the app is, as in the uniwasm-vm row.\n"
                + "- **crun**, **runc**: the native equivalent in a scratch image (linux/amd64), run by Debian's crun and runc.\n\n"
                + "Bounded rows: "
                + String.join(
                        "; ",
                        BOUNDS.entrySet().stream()
                                .sorted(Map.Entry.comparingByKey())
                                .map(e -> e.getKey() + " N <= " + e.getValue().maxN() + " ("
                                        + e.getValue().why() + ")")
                                .toList())
                + (tcg
                        ? "; under TCG their containers get " + READY_TIMEOUT_SECONDS
                                + " s plus twice the CPU of their starts over the cores to be up"
                        : "")
                + ". A row's scale is skipped when its memory, estimated from the row's previous scale (+25 %, + "
                + MEMORY_RESERVE_MIB
                + " MiB kept), is more than MemAvailable, or its time, estimated linearly, would take the "
                + "row past " + Math.round(ROW_BUDGET_SECONDS) + " s in all.\n\n"
                + "A private containerd (root, state, socket and config under `bench/work/containers/containerd`, CRI plugin disabled) "
                + "with the stock `containerd-shim-runc-v2`, one shim per container. The containers of one row are started one after "
                + "another with `ctr --namespace " + NAMESPACE
                + " run -d [--platform wasi/wasm] [--annotation "
                + ISOLATION_ANNOTATION + "=WAY] --runc-binary WRAPPER --runc-root " + dir.resolve("runc-root/RUNTIME")
                + " --log-uri file://LOG IMAGE ID`, each in a network namespace of its own (ctr's default: loopback only, so every "
                + "server listens on the same port and no traffic leaves the host); WRAPPER is a shell script that runs the runtime "
                + "and logs the span of its `create` and `start` (it adds a shell and two `date` calls to the end-to-end figures, the "
                + "same for every runtime). **Start all** is from the first `ctr run` until every container was up: `ready` in its log, "
                + "or for the HTTP server `GET /` answered 200 with the page (`nsenter --net=/proc/PID/ns/net curl` on 127.0.0.1, "
                + PROBES
                + " probes at a time, after the last `ctr run`, each container probed until it answers); a container that did "
                + "not get there within " + READY_TIMEOUT_SECONDS
                + " s (a bounded row: more, above), or whose task was not RUNNING, fails the suite.\n\n"
                + "Memory is the PSS (`/proc/PID/smaps_rollup`) of each container's processes (its task and the task's descendants) "
                + "and of its shim (the task's parent, checked to be `containerd-shim-runc-v2 -id ID` on this containerd), taken "
                + SETTLE_MILLIS / 1000
                + " s after the last was up: the per-container figures are median (min..max) over the "
                + "containers; containerd's PSS is shared and shown alone, and \"total / N\" includes it. Idle CPU: utime+stime of all "
                + "those processes over " + windows + " windows of " + ReportWriter.fmt(windowSeconds)
                + " s. Afterwards every "
                + "container is removed (`ctr tasks rm -f`, `ctr containers rm`, " + REMOVE_BATCH
                + " per call) and checked gone: no "
                + "task, container, shim, runtime state, mount (in containerd's mount namespace) or cgroup left.\n\n");
    }

    private static Result measure(
            BenchContext ctx,
            SuiteReport report,
            Containerd cd,
            Row row,
            Path binary,
            ContainerApps.Images images,
            int n,
            Path dir,
            int windows,
            double windowSeconds)
            throws IOException {
        Runtime rt = row.runtime();
        ContainerApps.App app = row.app();
        String tag = "containers N=" + n + " " + app.name() + " " + rt.name();
        String prefix = app.name() + "-" + rt.name() + "-" + n;
        Path runDir = dir.resolve("run-" + prefix);
        ScratchImage.deleteTree(runDir);
        Files.createDirectories(runDir.resolve("logs"));
        Path runcRoot = dir.resolve("runc-root").resolve(rt.name());
        Files.createDirectories(runcRoot);
        Path wrapper = runDir.resolve("runtime-wrapper"), timingLog = runDir.resolve("runtime-timings.log");
        RuntimeTimings.writeWrapper(wrapper, binary, timingLog);
        List<String> ids = new ArrayList<>();
        List<Double> ctrMillis = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                List<String> args = new ArrayList<>(List.of("run", "-d"));
                if (rt.wasm())
                    args.addAll(List.of(
                            "--platform", "wasi/wasm", "--annotation", ISOLATION_ANNOTATION + "=" + rt.isolation()));
                if (rt.image() == ContainerApps.ImageKind.QEMU) {
                    for (String m : QemuRuncImage.hostMounts()) args.addAll(List.of("--mount", m));
                }
                args.addAll(List.of(
                        "--runc-binary",
                        wrapper.toString(),
                        "--runc-root",
                        runcRoot.toString(),
                        "--log-uri",
                        "file://" + log(runDir, id),
                        images.ref(rt.image()),
                        id));
                Containerd.Ctr c = cd.ctr(args, CTR_TIMEOUT_SECONDS);
                ids.add(id);
                if (!c.ok()) {
                    failures.add(c.describe());
                    break;
                }
                ctrMillis.add(c.wallNanos() / 1e6);
            }
            if (fail(report, tag, failures)) return null;
            long ready = readySeconds(
                    row,
                    n,
                    !KvmProbe.kvmUsable(),
                    java.lang.Runtime.getRuntime().availableProcessors());
            double startAll = app.readiness() == ContainerApps.Readiness.HTTP_200
                    ? awaitAnswers(cd, ids, t0, ready, failures)
                    : awaitReady(runDir, ids, t0, ready, failures);
            if (fail(report, tag, failures)) return null;
            Map<String, TaskList.Task> tasks = TaskList.parse(
                    cd.require(List.of("tasks", "ls"), CTR_TIMEOUT_SECONDS).out());
            List<List<Long>> instances = new ArrayList<>();
            List<Double> processesPss = new ArrayList<>(), shim = new ArrayList<>();
            Thread.sleep(SETTLE_MILLIS);
            for (String id : ids) {
                TaskList.Task t = tasks.get(id);
                if (t == null || !t.status().equals("RUNNING")) {
                    failures.add(id + ": task " + (t == null ? "not listed by ctr tasks ls" : t.status()));
                    continue;
                }
                long shimPid = parentPid(t.pid());
                String shimCmd = commandLine(shimPid);
                if (shimCmd == null
                        || !shimCmd.contains("containerd-shim-runc-v2")
                        || !shimCmd.contains("-id " + id + " ")
                        || !shimCmd.contains("-address " + cd.socket())) {
                    failures.add(id + ": the parent of task pid " + t.pid() + " is not its shim: " + shimCmd);
                    continue;
                }
                List<Long> processes = containerProcesses(t.pid());
                List<Long> all = new ArrayList<>(processes);
                all.add(shimPid);
                instances.add(all);
                double pss = 0;
                for (long pid : processes) pss += SmapsRollup.of(pid).pssMib();
                processesPss.add(pss);
                shim.add(SmapsRollup.of(shimPid).pssMib());
            }
            if (fail(report, tag, failures)) return null;
            Footprint f = Footprint.measure(
                    new Deployment(instances, List.of(cd.pid())), windows, windowSeconds, clockTicks(ctx));
            Map<String, RuntimeTimings.Span> spans =
                    RuntimeTimings.parse(Files.readString(timingLog), timingLog.toString());
            List<Double> runtimeMillis = new ArrayList<>();
            for (String id : ids) {
                RuntimeTimings.Span s = spans.get(id);
                if (s == null) failures.add(id + ": no create/start in " + timingLog);
                else runtimeMillis.add(s.totalMillis());
            }
            if (fail(report, tag, failures)) return null;
            return new Result(
                    n, row.app().name(), rt.name(), startAll, ctrMillis, runtimeMillis, processesPss, shim, f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while measuring " + tag);
        } finally {
            remove(report, cd, tag, ids, runcRoot);
        }
    }

    /** A container's processes: its task and the task's descendants (a VM's QEMU, a server's children). */
    private static List<Long> containerProcesses(long taskPid) {
        List<Long> pids = new ArrayList<>(List.of(taskPid));
        ProcessHandle.of(taskPid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    /**
     * Seconds from {@code t0} until every container's server answered {@code GET /} with the page; a
     * failure per container that did not within {@code readySeconds}. Each round lists
     * the tasks once and probes the containers still waiting, {@value #PROBES} at a time.
     */
    private static double awaitAnswers(
            Containerd cd, List<String> ids, long t0, long readySeconds, List<String> failures)
            throws InterruptedException {
        long deadline = System.nanoTime() + readySeconds * 1_000_000_000L;
        List<String> waiting = new ArrayList<>(ids);
        long lastAnswer = System.nanoTime();
        String lastError = "";
        try (ExecutorService pool = Executors.newFixedThreadPool(PROBES)) {
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                Containerd.Ctr ls = cd.ctr(List.of("tasks", "ls"), CTR_TIMEOUT_SECONDS);
                Map<String, TaskList.Task> tasks = ls.ok() ? TaskList.parse(ls.out()) : Map.of();
                if (!ls.ok()) lastError = ls.describe();
                Map<String, Future<Boolean>> probes = new LinkedHashMap<>();
                for (String id : waiting) {
                    TaskList.Task t = tasks.get(id);
                    if (t != null && t.status().equals("RUNNING")) {
                        probes.put(
                                id,
                                pool.submit(() ->
                                        NetnsProbe.answers(t.pid(), ContainerApps.HTTP_PORT, ContainerApps.HTTP_PAGE)));
                    }
                }
                List<String> still = new ArrayList<>();
                for (String id : waiting) {
                    Future<Boolean> p = probes.get(id);
                    boolean answered;
                    try {
                        answered = p != null && p.get();
                    } catch (ExecutionException e) {
                        answered = false;
                        lastError = String.valueOf(e.getCause());
                    }
                    if (!answered) still.add(id);
                }
                if (still.size() < waiting.size()) lastAnswer = System.nanoTime();
                waiting = still;
                if (!waiting.isEmpty()) Thread.sleep(50);
            }
        }
        for (String id : waiting) {
            failures.add(id + ": GET / on port " + ContainerApps.HTTP_PORT
                    + " in its network namespace gave no 200 with the page after " + readySeconds + " s"
                    + (lastError.isEmpty() ? "" : " (last error: " + lastError + ")"));
        }
        return (lastAnswer - t0) / 1e9;
    }

    private static Path log(Path runDir, String id) {
        return runDir.resolve("logs").resolve(id + ".log");
    }

    /** Seconds from {@code t0} until every container's log holds {@code ready}; a failure per container that never did. */
    private static double awaitReady(Path runDir, List<String> ids, long t0, long readySeconds, List<String> failures)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + readySeconds * 1_000_000_000L;
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            List<String> still = new ArrayList<>();
            for (String id : waiting) {
                Path log = log(runDir, id);
                if (!Files.exists(log) || !Files.readString(log).contains("ready\n")) still.add(id);
            }
            waiting = still;
            if (!waiting.isEmpty()) Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (String id : waiting)
            failures.add(id + ": no \"ready\" in " + log(runDir, id) + " after " + readySeconds + " s");
        return seconds;
    }

    /** Removes the containers in batches and checks nothing of them is left; what is left is a failure of the suite. */
    private static void remove(SuiteReport report, Containerd cd, String tag, List<String> ids, Path runcRoot) {
        List<String> problems = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += REMOVE_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + REMOVE_BATCH));
            List<String> args = new ArrayList<>(List.of("tasks", "rm", "-f"));
            args.addAll(batch);
            Containerd.Ctr c = cd.ctr(args, CTR_TIMEOUT_SECONDS + batch.size());
            // a container whose task never started has no task: ctr says so and goes on with the others
            if (!c.ok() && !c.err().contains("not found")) problems.add(c.describe());
            args = new ArrayList<>(List.of("containers", "rm"));
            args.addAll(batch);
            c = cd.ctr(args, CTR_TIMEOUT_SECONDS + batch.size());
            if (!c.ok()) problems.add(c.describe());
        }
        Containerd.Ctr tasks = cd.ctr(List.of("tasks", "ls", "-q"), CTR_TIMEOUT_SECONDS);
        if (!tasks.ok() || !tasks.out().isBlank())
            problems.add("tasks left: " + tasks.out().strip().replace('\n', ' ')
                    + tasks.err().strip());
        Containerd.Ctr containers = cd.ctr(List.of("containers", "ls", "-q"), CTR_TIMEOUT_SECONDS);
        if (!containers.ok() || !containers.out().isBlank()) {
            problems.add("containers left: " + containers.out().strip().replace('\n', ' ')
                    + containers.err().strip());
        }
        List<Long> shims = shims(cd.socket());
        if (!shims.isEmpty()) problems.add("shims still running: pids " + shims);
        Path state = runcRoot.resolve(NAMESPACE);
        try (var s = Files.exists(state) ? Files.list(state) : java.util.stream.Stream.<Path>empty()) {
            List<String> left = s.map(p -> p.getFileName().toString()).toList();
            if (!left.isEmpty()) problems.add("runtime state left in " + state + ": " + left);
        } catch (IOException e) {
            problems.add("cannot list " + state + ": " + e.getMessage());
        }
        for (String id : ids) {
            for (Path h : hierarchies()) {
                if (Files.exists(h.resolve(NAMESPACE).resolve(id)))
                    problems.add("cgroup left: " + h.resolve(NAMESPACE).resolve(id));
            }
        }
        // the shims mount the root file systems in containerd's mount namespace, not the bench's
        List<String> mounts = Mounts.under(cd.pid(), cd.dir());
        if (!mounts.isEmpty()) problems.add("mounts left: " + mounts);
        fail(report, tag + " removal", problems);
    }

    /** After containerd stopped: no shim of it, no mount under its folder; the namespace's cgroup folders removed. */
    private static void leftovers(SuiteReport report, Path containerdDir) {
        List<String> problems = new ArrayList<>();
        List<Long> shims = shims(containerdDir.resolve("containerd.sock"));
        if (!shims.isEmpty()) {
            problems.add("shims still running after containerd stopped (killed now): pids " + shims);
            shims.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        List<String> mounts = Mounts.under(containerdDir);
        if (!mounts.isEmpty()) problems.add("mounts left under " + containerdDir + ": " + mounts);
        for (Path h : hierarchies()) {
            Path ns = h.resolve(NAMESPACE);
            try {
                Files.deleteIfExists(ns);
            } catch (IOException e) {
                problems.add("cannot remove the cgroup " + ns + ": " + e.getMessage());
            }
        }
        fail(report, "containers teardown", problems);
    }

    /** Every cgroup hierarchy: the folders of /sys/fs/cgroup in v1 or hybrid mode, or /sys/fs/cgroup itself under v2. */
    private static List<Path> hierarchies() {
        if (Files.exists(CGROUPS.resolve("cgroup.controllers"))) return List.of(CGROUPS);
        try (var s = Files.list(CGROUPS)) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Live (not zombie) shims of the containerd at {@code socket}. */
    static List<Long> shims(Path socket) {
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cmd = commandLine(p.pid());
            if (cmd != null && cmd.contains("containerd-shim") && cmd.contains("-address " + socket))
                found.add(p.pid());
        });
        return found;
    }

    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) return null;
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return null;
        }
    }

    static long parentPid(long pid) {
        try {
            return parentPid(
                    Files.readString(Path.of("/proc", Long.toString(pid), "status")), "/proc/" + pid + "/status");
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/" + pid + "/status (process gone?): " + e.getMessage());
        }
    }

    static long parentPid(String status, String source) {
        for (String line : status.split("\n")) {
            if (line.startsWith("PPid:")) {
                try {
                    return Long.parseLong(line.substring(5).strip());
                } catch (NumberFormatException e) {
                    throw new BenchException(
                            source + ": PPid \"" + line.substring(5).strip() + "\" is not a number");
                }
            }
        }
        throw new BenchException(source + ": no PPid line");
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

    private static String which(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static void versions(
            BenchContext ctx, SuiteReport report, List<Runtime> runtimes, Map<String, Path> binaries) {
        StringBuilder sb = new StringBuilder("Versions: ");
        sb.append(firstLine(ctx, List.of("containerd", "--version")));
        List<Path> shown = new ArrayList<>();
        for (Runtime rt : runtimes) {
            Path binary = binaries.get(rt.name());
            if (rt.wasm() || binary == null || shown.contains(binary)) continue;
            shown.add(binary);
            sb.append("; ").append(firstLine(ctx, List.of(binary.toString(), "--version")));
        }
        if (which(QEMU) != null
                && runtimes.stream()
                        .anyMatch(rt -> "vm".equals(rt.isolation()) || rt.image() == ContainerApps.ImageKind.QEMU))
            sb.append("; ").append(firstLine(ctx, List.of(QEMU, "--version")));
        report.md(sb.append(".\n\n").toString());
    }

    private static String firstLine(BenchContext ctx, List<String> cmd) {
        String out = ctx.commands().require(cmd, null, 30).out().strip();
        return out.isEmpty() ? "?" : out.lines().findFirst().orElse("?");
    }

    /** Reports the failures (the first few in full) and says whether there were any. */
    private static boolean fail(SuiteReport report, String tag, List<String> failures) {
        if (failures.isEmpty()) return false;
        int shown = Math.min(failures.size(), 5);
        for (int i = 0; i < shown; i++) report.fail(tag + ": " + failures.get(i));
        if (failures.size() > shown) report.fail(tag + ": " + (failures.size() - shown) + " more failures");
        return true;
    }

    private static void table(SuiteReport report, List<Result> results) {
        if (results.isEmpty()) {
            report.md("No scale completed.\n\n");
            return;
        }
        for (ContainerApps.App a : ContainerApps.APPS) {
            List<Result> mine =
                    results.stream().filter(r -> r.app().equals(a.name())).toList();
            if (mine.isEmpty()) continue;
            report.md(
                    "### " + a.name()
                            + "\n\n| N | runtime | start all, s | ctr run -d, ms | mean, ms | p95, ms | runtime create+start, ms "
                            + "| PSS per container (processes + shim), MiB | of which shim, MiB | of which processes, MiB | containerd PSS, MiB "
                            + "| total / N, MiB | idle CPU, % of a core |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Result r : mine) {
                String w = "N=" + r.n();
                String runner = a.name() + " " + r.runtime();
                Footprint f = r.footprint();
                report.add(w, runner, "start all", "s", List.of(r.startAllSeconds()));
                Measurement ctr = report.add(w, runner, "ctr run -d", "ms", r.ctrRunMillis());
                report.add(w, runner, "ctr run -d mean", "ms", List.of(Stats.mean(r.ctrRunMillis())));
                report.add(w, runner, "ctr run -d p95", "ms", List.of(Stats.percentile(r.ctrRunMillis(), 0.95)));
                Measurement rtm = report.add(w, runner, "runtime create+start", "ms", r.runtimeMillis());
                Measurement pss = report.add(w, runner, "PSS per container", "MiB", f.instancePssMib());
                Measurement shim = report.add(w, runner, "shim PSS", "MiB", r.shimPssMib());
                Measurement app = report.add(w, runner, "processes PSS", "MiB", r.appPssMib());
                report.add(w, runner, "containerd PSS", "MiB", List.of(f.supervisorPssMib()));
                report.add(w, runner, "total PSS / N", "MiB", List.of(f.totalPssPerInstanceMib()));
                Measurement cpu = report.add(w, runner, "idle CPU", "% of one core", f.idleCpuPercent());
                report.md("| " + r.n() + " | " + r.runtime() + " | " + ReportWriter.fmt(r.startAllSeconds()) + " | "
                        + ReportWriter.medianAndRange(ctr.stats()) + " | "
                        + ReportWriter.fmt(Stats.mean(r.ctrRunMillis())) + " | "
                        + ReportWriter.fmt(Stats.percentile(r.ctrRunMillis(), 0.95)) + " | "
                        + ReportWriter.medianAndRange(rtm.stats()) + " | "
                        + ReportWriter.medianAndRange(pss.stats()) + " | " + ReportWriter.medianAndRange(shim.stats())
                        + " | "
                        + ReportWriter.medianAndRange(app.stats()) + " | " + ReportWriter.fmt(f.supervisorPssMib())
                        + " | "
                        + ReportWriter.fmt(f.totalPssPerInstanceMib()) + " | "
                        + ReportWriter.medianAndRange(cpu.stats()) + " |\n");
            }
            report.md("\n");
            StringBuilder ratios = new StringBuilder();
            for (Result u : mine) {
                if (!isWasm(u.runtime())) continue;
                for (Runtime base : baselines(u.runtime())) {
                    Result b = find(mine, u.n(), base.name());
                    if (b == null) continue;
                    ratios.append("| ")
                            .append(u.n())
                            .append(" | ")
                            .append(u.runtime())
                            .append(" / ")
                            .append(base.name())
                            .append(" | ")
                            .append(ratio(
                                    median(u.footprint().instancePssMib()),
                                    median(b.footprint().instancePssMib())))
                            .append(" | ")
                            .append(ratio(
                                    u.footprint().totalPssPerInstanceMib(),
                                    b.footprint().totalPssPerInstanceMib()))
                            .append(" | ")
                            .append(ratio(u.startAllSeconds(), b.startAllSeconds()))
                            .append(" | ")
                            .append(ratio(median(u.ctrRunMillis()), median(b.ctrRunMillis())))
                            .append(" | ")
                            .append(ratio(Stats.mean(u.ctrRunMillis()), Stats.mean(b.ctrRunMillis())))
                            .append(" | ")
                            .append(ratio(median(u.runtimeMillis()), median(b.runtimeMillis())))
                            .append(" |\n");
                }
            }
            if (!ratios.isEmpty()) {
                report.md("Ratios (" + a.name()
                        + "):\n\n| N | ratio | PSS per container (medians) | total / N | start all "
                        + "| ctr run -d (medians) | ctr run -d (means) | runtime create+start (medians) |\n|---|---|---|---|---|---|---|---|\n"
                        + ratios + "\n");
            }
        }
    }

    /** What a uniwasm runtime is compared with: the native runtimes, and for VMs QEMU in runc first. */
    static List<Runtime> baselines(String runtime) {
        boolean vm = RUNTIMES.stream().anyMatch(r -> r.name().equals(runtime) && "vm".equals(r.isolation()));
        List<Runtime> bases = new ArrayList<>();
        for (Runtime r : RUNTIMES) {
            if (r.image() == ContainerApps.ImageKind.QEMU && vm) bases.add(0, r);
            else if (r.image() == ContainerApps.ImageKind.NATIVE) bases.add(r);
        }
        return bases;
    }

    private static boolean isWasm(String runtime) {
        return RUNTIMES.stream().anyMatch(r -> r.name().equals(runtime) && r.wasm());
    }

    static double median(List<Double> values) {
        return Stats.of(values).median();
    }

    static String ratio(double a, double b) {
        return b > 0 ? ReportWriter.fmt(a / b) : "–";
    }

    private static Result find(List<Result> results, int n, String runtime) {
        return results.stream()
                .filter(r -> r.n() == n && r.runtime().equals(runtime))
                .findFirst()
                .orElse(null);
    }

    private static void charts(SuiteReport report, List<Result> results) {
        List<String> runtimes = RUNTIMES.stream().map(Runtime::name).toList();
        for (ContainerApps.App a : ContainerApps.APPS) {
            List<Result> mine =
                    results.stream().filter(r -> r.app().equals(a.name())).toList();
            SeriesByN memory = SeriesByN.of(
                    mine,
                    Result::n,
                    Result::runtime,
                    runtimes,
                    r -> median(r.footprint().instancePssMib()));
            SeriesByN start = SeriesByN.of(mine, Result::n, Result::runtime, runtimes, Result::startAllSeconds);
            if (memory.categories().isEmpty()) continue;
            report.chart(new BarChart(
                    "containers-" + a.name() + "-memory.png",
                    "PSS per container, " + a.name() + " (processes + shim, median)",
                    "MiB",
                    memory.categories(),
                    memory.series(),
                    false));
            report.chart(new BarChart(
                    "containers-" + a.name() + "-start.png",
                    "Time to start N " + a.name() + " containers until all up (ctr run -d, one after another)",
                    "s",
                    start.categories(),
                    start.series(),
                    false));
        }
    }
}
