package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.http.DebianBinaries;
import dev.uniwasm.bench.http.LinuxGuest;
import dev.uniwasm.bench.http.SharedLibraries;
import dev.uniwasm.monitor.KvmProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The native program in a Linux VM, the paper's baseline: Debian's kernel on the same QEMU microvm
 * uniwasm runs on (one vCPU, the same memory, KVM or TCG as uniwasm gets), booted with a busybox
 * initramfs holding the program, its shared libraries and its data folder. The time is taken inside
 * the guest ({@code programs/linux-guest/timed_run.c}), so boot is left out as uniwasm's "app" row
 * leaves it out. Under TCG this is the fair reference for uniwasm: both pay the same emulator.
 * Each run boots its own VM.
 */
final class LinuxVmRunner implements Runner {
    private static final Pattern TIMING = Pattern.compile("(?m)^uniwasm-bench: status=(\\d+) run_ns=(\\d+)$");
    private static final String OUTPUT_FOLLOWS = "uniwasm-bench: output follows",
            OUTPUT_ENDS = "uniwasm-bench: output ends";

    static final String NAME = "native-linux-vm";

    private LinuxGuest guest;
    private Path timer;
    private final Map<String, Path> initramfsByWorkload = new HashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailable(BenchContext ctx) {
        try {
            guest = LinuxGuest.fetch(new DebianBinaries(ctx));
            Path src = ctx.home()
                    .resolve("bench")
                    .resolve("programs")
                    .resolve("linux-guest")
                    .resolve("timed_run.c");
            timer = ProgramBuild.buildNative(ctx, "timed_run", List.of(src), List.of(), List.of("-Wall", "-Werror"));
            return null;
        } catch (BenchException e) {
            return "the Linux guest could not be prepared: " + e.getMessage();
        }
    }

    @Override
    public String timingSource() {
        return "inside the guest, CLOCK_MONOTONIC around fork, exec and wait of the program (`programs/linux-guest/timed_run.c`, "
                + "standard output into a file in RAM; boot excluded); Debian's kernel "
                + (guest == null ? "" : guest.kernelRelease + " ")
                + "on QEMU microvm, 1 vCPU, " + UniwasmRunner.GUEST_MEMORY + ", the accelerator uniwasm gets";
    }

    @Override
    public int runs(BenchContext ctx) {
        return Runner.runsInVm(ctx);
    }

    @Override
    public RunResult run(BenchContext ctx, Workload w, long timeoutSeconds) {
        Path initramfs = initramfsByWorkload.computeIfAbsent(w.name(), n -> writeInitramfs(ctx, w));
        long memoryMib = Long.parseLong(UniwasmRunner.GUEST_MEMORY.replace("M", ""));
        List<String> cmd = guest.qemuCommand(initramfs, (int) memoryMib, KvmProbe.kvmUsable(), null);
        CommandRunner.Outcome o = ctx.commands().run(cmd, null, timeoutSeconds);
        String console = o.out().replace("\r", "");
        if (!o.ok()) throw new BenchException(name() + ": " + o.describeFailure() + tail(console));
        Matcher m = TIMING.matcher(console);
        if (!m.find()) throw new BenchException(name() + ": the guest printed no timing line" + tail(console));
        int status = Integer.parseInt(m.group(1));
        int from = console.indexOf(OUTPUT_FOLLOWS + "\n"), to = console.lastIndexOf(OUTPUT_ENDS + "\n");
        if (from < 0 || to < from)
            throw new BenchException(
                    name() + ": the guest's output has no program output between its markers" + tail(console));
        String stdout = console.substring(from + OUTPUT_FOLLOWS.length() + 1, to);
        if (status != 0) throw new BenchException(name() + ": the program ended with status " + status + tail(console));
        return new RunResult(stdout, Long.parseLong(m.group(2)) / 1e9, o.wallNanos() / 1e9, Double.NaN);
    }

    /** The program at /opt/PROGRAM with its libraries, the data folder at {@link Workload#GUEST_DIR}, and the timed run as /init's command. */
    private Path writeInitramfs(BenchContext ctx, Workload w) {
        Map<String, Path> files = new LinkedHashMap<>();
        String program = "opt/" + w.nativeExecutable().getFileName();
        files.put(program, w.nativeExecutable());
        files.put("opt/timed_run", timer);
        files.putAll(SharedLibraries.of(ctx, w.nativeExecutable()));
        files.putAll(SharedLibraries.of(ctx, timer));
        if (w.dataDir() != null) {
            try (Stream<Path> s = Files.walk(w.dataDir())) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    files.put(
                            Workload.GUEST_DIR.substring(1) + "/"
                                    + w.dataDir().relativize(f).toString().replace('\\', '/'),
                            f);
                }
            } catch (IOException e) {
                throw new BenchException("cannot list " + w.dataDir() + ": " + e.getMessage(), e);
            }
        }
        StringBuilder command = new StringBuilder("cd /tmp\n/opt/timed_run /tmp/stdout /" + program);
        for (String a : w.args(ctx.quick(), true))
            command.append(" '").append(a.replace("'", "'\\''")).append('\'');
        command.append("\necho '")
                .append(OUTPUT_FOLLOWS)
                .append("'\ncat /tmp/stdout\necho '")
                .append(OUTPUT_ENDS)
                .append("'");
        Path out = ctx.work()
                .resolve("compute")
                .resolve("linux-vm")
                .resolve(w.name() + (ctx.quick() ? "-quick" : "") + ".cpio");
        guest.writeInitramfs(out, files, command.toString());
        return out;
    }

    private static String tail(String console) {
        String s = console.strip();
        if (s.isEmpty()) return "\n(nothing on the console)";
        return "\nconsole ends with:\n" + (s.length() > 1500 ? "..." + s.substring(s.length() - 1500) : s);
    }
}
