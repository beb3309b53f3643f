package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.Stats;
import dev.uniwasm.bench.core.SeriesByN;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.bench.density.Deployment;
import dev.uniwasm.bench.density.Footprint;
import dev.uniwasm.bench.density.SmapsRollup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 15's experiment after Jansen et al., "Memory-Efficient WebAssembly Containers": N = 10, 100
 * and 400 idle containers started through containerd with {@code ctr run -d}, one runtime at a time:
 * a uniwasm image run by uniwasm-runtime (the app's sandboxed process), and the same program built
 * natively into a scratch image run by runc and by crun. Figures: the time from the first start until
 * all printed {@code ready}, each {@code ctr run -d}'s wall time, the runtime's own create + start
 * (through {@link RuntimeTimings}' wrapper), and PSS per container of its process and its shim, with
 * containerd's shared PSS beside. A container that does not run fails the suite; every container is
 * removed and checked gone (task, container, shim, runtime state, mounts, cgroups) before the next.
 */
public final class ContainersSuite implements Suite {
    private static final String UNIWASM_IMAGE = "docker.io/library/uwbench-idle-wasm:1";
    private static final String NATIVE_IMAGE = "docker.io/library/uwbench-idle-native:1";
    private static final long CTR_TIMEOUT_SECONDS = 60;
    private static final long READY_TIMEOUT_SECONDS = 60;
    /** Containers removed by one ctr call. */
    private static final int REMOVE_BATCH = 50;
    /** After the last ready, before measuring: the last shims settle. */
    private static final long SETTLE_MILLIS = 2000;
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    /** A runtime the shim is given as its runc binary, and the image it runs. */
    record Runtime(String name, Path binary, String image, List<String> platform) {}

    /** One runtime's figures at one N. */
    record Result(int n, String runtime, double startAllSeconds, List<Double> ctrRunMillis, List<Double> runtimeMillis,
            List<Double> appPssMib, List<Double> shimPssMib, Footprint footprint) {}

    @Override
    public String name() {
        return "containers";
    }

    @Override
    public String description() {
        return "10, 100 and 400 idle containers under containerd (ctr run -d): memory per container and start time; uniwasm-runtime vs runc and crun";
    }

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        if (!"root".equals(System.getProperty("user.name"))) throw new BenchException("the containers suite needs root (containerd)");
        for (String tool : List.of("containerd", "ctr", "containerd-shim-runc-v2", "runc", "tar", "clang")) {
            if (which(tool) == null) throw new BenchException(tool + " is not installed (scripts/setup installs it)");
        }
        List<Integer> scales = ctx.quick() ? List.of(10) : List.of(10, 100, 400);
        int windows = ctx.quick() ? 3 : 5;
        double windowSeconds = ctx.quick() ? 1 : 2;
        Path dir = ctx.work().resolve("containers");
        Path source = ctx.home().resolve("bench/programs/idle/sleeper.c");
        List<Runtime> runtimes = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Path wasm = dir.resolve("sleeper.wasm"), nativeExe = dir.resolve("sleeper");
            List<String> wasmCmd = new ArrayList<>(List.of("clang", "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", "-Wl,--strip-debug"));
            if (Files.isDirectory(Path.of("/usr/share/wasi-sysroot"))) wasmCmd.add("--sysroot=/usr/share/wasi-sysroot");
            wasmCmd.addAll(List.of("-o", wasm.toString(), source.toString()));
            ctx.commands().require(wasmCmd, null, 300);
            ctx.commands().require(List.of("clang", "-O2", "-Wall", "-Werror", "-static", "-o", nativeExe.toString(), source.toString()), null, 300);
            Path wasmTar = dir.resolve("idle-wasm.tar"), nativeTar = dir.resolve("idle-native.tar");
            ctx.commands().require(List.of(ctx.launcher().toString(), "image", "build", wasm.toString(), "--tag", UNIWASM_IMAGE, "-o",
                    wasmTar.toString()), null, 900);
            ScratchImage.write(ctx, nativeExe, NATIVE_IMAGE, nativeTar);
            runtimes.add(new Runtime("uniwasm", ctx.home().resolve("build/bin/uniwasm-runtime"), UNIWASM_IMAGE, List.of("--platform", "wasi/wasm")));
            runtimes.add(new Runtime("runc", Path.of(which("runc")), NATIVE_IMAGE, List.of()));
            String crun = which("crun");
            if (crun != null) runtimes.add(new Runtime("crun", Path.of(crun), NATIVE_IMAGE, List.of()));
            else report.md("crun is not installed (`apt-get install crun`): no crun figures.\n\n");
            versions(ctx, report, runtimes);
            describe(report, windows, windowSeconds, dir);
            List<Result> results = new ArrayList<>();
            try (Containerd cd = Containerd.start(dir.resolve("containerd"))) {
                cd.require(List.of("images", "import", "--platform", "wasi/wasm", wasmTar.toString()), 300);
                cd.require(List.of("images", "import", nativeTar.toString()), 300);
                report.md("containerd: `" + String.join(" ", Containerd.commandLine(cd.dir())) + "`; images imported with `ctr images import "
                        + "[--platform wasi/wasm] ARCHIVE`.\n\n");
                if (crun != null) {
                    // crun 1.8 refuses cgroup v1/v2 hybrid hosts; one container tells whether it can run here at all
                    ctx.say("containers: probing crun");
                    SuiteReport probe = new SuiteReport("crun probe");
                    measure(ctx, probe, cd, runtimes.get(2), 1, dir, 1, 0.1);
                    if (!probe.failures().isEmpty()) {
                        runtimes.remove(2);
                        report.md("**crun cannot run containers on this host**, so there are no crun figures; one `ctr run -d` with "
                                + "crun as the runc binary gave: `" + String.join("; ", probe.failures()).replace('`', '\'') + "`\n\n");
                    }
                }
                for (int n : scales) {
                    for (Runtime rt : runtimes) {
                        ctx.say("containers: " + n + " x " + rt.name());
                        Result r = measure(ctx, report, cd, rt, n, dir, windows, windowSeconds);
                        if (r != null) results.add(r);
                    }
                }
            } finally {
                leftovers(report, dir.resolve("containerd"));
            }
            table(report, results);
            charts(report, results);
        } catch (IOException e) {
            throw new BenchException("containers: " + e.getMessage(), e);
        }
    }

    private static void describe(SuiteReport report, int windows, double windowSeconds, Path dir) {
        report.md("Each container runs `bench/programs/idle/sleeper.c`: prints `ready`, then sleeps (WASI `poll_oneoff` on a clock; "
                + "natively `clock_nanosleep`), so an idle container costs no CPU.\n\n"
                + "- **uniwasm**: `uniwasm image build` of its wasm32-wasi build (the app's sandboxed process, compiled ahead of time), "
                + "run by `build/bin/uniwasm-runtime` as the shim's runc binary.\n"
                + "- **runc**, **crun**: the same C built natively (`clang -O2 -static`), alone in a scratch image (linux/amd64), run by "
                + "Debian's runc and crun.\n\n"
                + "A private containerd (root, state, socket and config under `bench/work/containers/containerd`, CRI plugin disabled) "
                + "with the stock `containerd-shim-runc-v2`, one shim per container. The containers of one runtime are started one after "
                + "another with `ctr --namespace " + Containerd.NAMESPACE + " run -d [--platform wasi/wasm] --runc-binary WRAPPER "
                + "--runc-root " + dir.resolve("runc-root/RUNTIME") + " --log-uri file://LOG IMAGE ID`; WRAPPER is a shell script that "
                + "runs the runtime and logs the span of its `create` and `start` (it adds a shell and two `date` calls to the "
                + "end-to-end figures, the same for every runtime). **Start all** is from the first `ctr run` until every container's "
                + "log had `ready`; a container that did not get there, or whose task was not RUNNING, fails the suite.\n\n"
                + "Memory is the PSS (`/proc/PID/smaps_rollup`) of each container's process and of its shim (the task's parent, "
                + "checked to be `containerd-shim-runc-v2 -id ID` on this containerd), taken " + SETTLE_MILLIS / 1000 + " s after "
                + "the last ready: the per-container figures are median (min..max) over the containers; containerd's PSS is shared "
                + "and shown alone, and \"total / N\" includes it. Idle CPU: utime+stime of all those processes over " + windows
                + " windows of " + ReportWriter.fmt(windowSeconds) + " s. Afterwards every container is removed "
                + "(`ctr tasks rm -f`, `ctr containers rm`, " + REMOVE_BATCH + " per call) and checked gone: no task, container, "
                + "shim, runtime state, mount or cgroup left.\n\n");
    }

    private static Result measure(BenchContext ctx, SuiteReport report, Containerd cd, Runtime rt, int n, Path dir, int windows,
            double windowSeconds) throws IOException {
        String tag = "containers N=" + n + " " + rt.name();
        Path runDir = dir.resolve("run-" + rt.name() + "-" + n);
        ScratchImage.deleteTree(runDir);
        Files.createDirectories(runDir.resolve("logs"));
        Path runcRoot = dir.resolve("runc-root").resolve(rt.name());
        Files.createDirectories(runcRoot);
        Path wrapper = runDir.resolve("runtime-wrapper"), timingLog = runDir.resolve("runtime-timings.log");
        RuntimeTimings.writeWrapper(wrapper, rt.binary(), timingLog);
        List<String> ids = new ArrayList<>();
        List<Double> ctrMillis = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = rt.name() + "-" + n + "-" + i;
                List<String> args = new ArrayList<>(List.of("run", "-d"));
                args.addAll(rt.platform());
                args.addAll(List.of("--runc-binary", wrapper.toString(), "--runc-root", runcRoot.toString(), "--log-uri",
                        "file://" + log(runDir, id), rt.image(), id));
                Containerd.Ctr c = cd.ctr(args, CTR_TIMEOUT_SECONDS);
                ids.add(id);
                if (!c.ok()) {
                    failures.add(c.describe());
                    break;
                }
                ctrMillis.add(c.wallNanos() / 1e6);
            }
            if (fail(report, tag, failures)) return null;
            double startAll = awaitReady(runDir, ids, t0, failures);
            if (fail(report, tag, failures)) return null;
            Map<String, TaskList.Task> tasks = TaskList.parse(cd.require(List.of("tasks", "ls"), CTR_TIMEOUT_SECONDS).out());
            List<List<Long>> instances = new ArrayList<>();
            List<Double> app = new ArrayList<>(), shim = new ArrayList<>();
            Thread.sleep(SETTLE_MILLIS);
            for (String id : ids) {
                TaskList.Task t = tasks.get(id);
                if (t == null || !t.status().equals("RUNNING")) {
                    failures.add(id + ": task " + (t == null ? "not listed by ctr tasks ls" : t.status()));
                    continue;
                }
                long shimPid = parentPid(t.pid());
                String shimCmd = commandLine(shimPid);
                if (shimCmd == null || !shimCmd.contains("containerd-shim-runc-v2") || !shimCmd.contains("-id " + id + " ")
                        || !shimCmd.contains("-address " + cd.socket())) {
                    failures.add(id + ": the parent of task pid " + t.pid() + " is not its shim: " + shimCmd);
                    continue;
                }
                instances.add(List.of(t.pid(), shimPid));
                app.add(SmapsRollup.of(t.pid()).pssMib());
                shim.add(SmapsRollup.of(shimPid).pssMib());
            }
            if (fail(report, tag, failures)) return null;
            Footprint f = Footprint.measure(new Deployment(instances, List.of(cd.pid())), windows, windowSeconds, clockTicks(ctx));
            Map<String, RuntimeTimings.Span> spans = RuntimeTimings.parse(Files.readString(timingLog), timingLog.toString());
            List<Double> runtimeMillis = new ArrayList<>();
            for (String id : ids) {
                RuntimeTimings.Span s = spans.get(id);
                if (s == null) failures.add(id + ": no create/start in " + timingLog);
                else runtimeMillis.add(s.totalMillis());
            }
            if (fail(report, tag, failures)) return null;
            return new Result(n, rt.name(), startAll, ctrMillis, runtimeMillis, app, shim, f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while measuring " + tag);
        } finally {
            remove(report, cd, tag, ids, runcRoot);
        }
    }

    private static Path log(Path runDir, String id) {
        return runDir.resolve("logs").resolve(id + ".log");
    }

    /** Seconds from {@code t0} until every container's log holds {@code ready}; a failure per container that never did. */
    private static double awaitReady(Path runDir, List<String> ids, long t0, List<String> failures) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT_SECONDS * 1_000_000_000L;
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
        for (String id : waiting) failures.add(id + ": no \"ready\" in " + log(runDir, id) + " after " + READY_TIMEOUT_SECONDS + " s");
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
        if (!tasks.ok() || !tasks.out().isBlank()) problems.add("tasks left: " + tasks.out().strip().replace('\n', ' ') + tasks.err().strip());
        Containerd.Ctr containers = cd.ctr(List.of("containers", "ls", "-q"), CTR_TIMEOUT_SECONDS);
        if (!containers.ok() || !containers.out().isBlank()) {
            problems.add("containers left: " + containers.out().strip().replace('\n', ' ') + containers.err().strip());
        }
        List<Long> shims = shims(cd.socket());
        if (!shims.isEmpty()) problems.add("shims still running: pids " + shims);
        Path state = runcRoot.resolve(Containerd.NAMESPACE);
        try (var s = Files.exists(state) ? Files.list(state) : java.util.stream.Stream.<Path>empty()) {
            List<String> left = s.map(p -> p.getFileName().toString()).toList();
            if (!left.isEmpty()) problems.add("runtime state left in " + state + ": " + left);
        } catch (IOException e) {
            problems.add("cannot list " + state + ": " + e.getMessage());
        }
        for (String id : ids) {
            for (Path h : hierarchies()) {
                if (Files.exists(h.resolve(Containerd.NAMESPACE).resolve(id))) problems.add("cgroup left: " + h.resolve(Containerd.NAMESPACE).resolve(id));
            }
        }
        List<String> mounts = Mounts.under(cd.dir());
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
            Path ns = h.resolve(Containerd.NAMESPACE);
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
            if (cmd != null && cmd.contains("containerd-shim") && cmd.contains("-address " + socket)) found.add(p.pid());
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
            return parentPid(Files.readString(Path.of("/proc", Long.toString(pid), "status")), "/proc/" + pid + "/status");
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
                    throw new BenchException(source + ": PPid \"" + line.substring(5).strip() + "\" is not a number");
                }
            }
        }
        throw new BenchException(source + ": no PPid line");
    }

    private static long clockTicks(BenchContext ctx) {
        String out = ctx.commands().require(List.of("getconf", "CLK_TCK"), null, 30).out().strip();
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

    private static void versions(BenchContext ctx, SuiteReport report, List<Runtime> runtimes) {
        StringBuilder sb = new StringBuilder("Versions: ");
        sb.append(firstLine(ctx, List.of("containerd", "--version")));
        for (Runtime rt : runtimes) {
            if (rt.name().equals("uniwasm")) continue;
            sb.append("; ").append(firstLine(ctx, List.of(rt.binary().toString(), "--version")));
        }
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
        report.md("| N | runtime | start all, s | ctr run -d, ms | runtime create+start, ms | PSS per container (process + shim), MiB "
                + "| of which shim, MiB | of which process, MiB | containerd PSS, MiB | total / N, MiB | idle CPU, % of a core |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String w = "N=" + r.n();
            Footprint f = r.footprint();
            report.add(w, r.runtime(), "start all", "s", List.of(r.startAllSeconds()));
            Measurement ctr = report.add(w, r.runtime(), "ctr run -d", "ms", r.ctrRunMillis());
            Measurement rtm = report.add(w, r.runtime(), "runtime create+start", "ms", r.runtimeMillis());
            Measurement pss = report.add(w, r.runtime(), "PSS per container", "MiB", f.instancePssMib());
            Measurement shim = report.add(w, r.runtime(), "shim PSS", "MiB", r.shimPssMib());
            Measurement app = report.add(w, r.runtime(), "process PSS", "MiB", r.appPssMib());
            report.add(w, r.runtime(), "containerd PSS", "MiB", List.of(f.supervisorPssMib()));
            report.add(w, r.runtime(), "total PSS / N", "MiB", List.of(f.totalPssPerInstanceMib()));
            Measurement cpu = report.add(w, r.runtime(), "idle CPU", "% of one core", f.idleCpuPercent());
            report.md("| " + r.n() + " | " + r.runtime() + " | " + ReportWriter.fmt(r.startAllSeconds()) + " | "
                    + ReportWriter.medianAndRange(ctr.stats()) + " | " + ReportWriter.medianAndRange(rtm.stats()) + " | "
                    + ReportWriter.medianAndRange(pss.stats()) + " | " + ReportWriter.medianAndRange(shim.stats()) + " | "
                    + ReportWriter.medianAndRange(app.stats()) + " | " + ReportWriter.fmt(f.supervisorPssMib()) + " | "
                    + ReportWriter.fmt(f.totalPssPerInstanceMib()) + " | " + ReportWriter.medianAndRange(cpu.stats()) + " |\n");
        }
        report.md("\n");
        StringBuilder ratios = new StringBuilder();
        for (Result u : results) {
            if (!u.runtime().equals("uniwasm")) continue;
            for (String base : List.of("runc", "crun")) {
                Result b = find(results, u.n(), base);
                if (b == null) continue;
                ratios.append("| ").append(u.n()).append(" | uniwasm / ").append(base).append(" | ")
                        .append(ratio(median(u.footprint().instancePssMib()), median(b.footprint().instancePssMib()))).append(" | ")
                        .append(ratio(u.footprint().totalPssPerInstanceMib(), b.footprint().totalPssPerInstanceMib())).append(" | ")
                        .append(ratio(u.startAllSeconds(), b.startAllSeconds())).append(" | ")
                        .append(ratio(median(u.ctrRunMillis()), median(b.ctrRunMillis()))).append(" | ")
                        .append(ratio(median(u.runtimeMillis()), median(b.runtimeMillis()))).append(" |\n");
            }
        }
        if (!ratios.isEmpty()) {
            report.md("Ratios (medians):\n\n| N | ratio | PSS per container | total / N | start all | ctr run -d | runtime create+start |\n"
                    + "|---|---|---|---|---|---|---|\n" + ratios + "\n");
        }
    }

    static double median(List<Double> values) {
        return Stats.of(values).median();
    }

    static String ratio(double a, double b) {
        return b > 0 ? ReportWriter.fmt(a / b) : "–";
    }

    private static Result find(List<Result> results, int n, String runtime) {
        return results.stream().filter(r -> r.n() == n && r.runtime().equals(runtime)).findFirst().orElse(null);
    }

    private static void charts(SuiteReport report, List<Result> results) {
        List<String> runtimes = List.of("uniwasm", "runc", "crun");
        SeriesByN memory = SeriesByN.of(results, Result::n, Result::runtime, runtimes, r -> median(r.footprint().instancePssMib()));
        SeriesByN start = SeriesByN.of(results, Result::n, Result::runtime, runtimes, Result::startAllSeconds);
        if (memory.categories().isEmpty()) return;
        report.chart(new BarChart("containers-memory.png", "PSS per idle container (process + shim, median)", "MiB",
                memory.categories(), memory.series(), false));
        report.chart(new BarChart("containers-start.png", "Time to start N containers until all ready (ctr run -d, one after another)", "s",
                start.categories(), start.series(), false));
    }
}
