package dev.uniwasm.bench.core;

import dev.uniwasm.monitor.KvmProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine a run happened on, as the report's first table: CPU, cores, memory, kernel, whether
 * uniwasm guests get KVM or TCG (and why), and the versions of every tool and peer involved.
 */
public final class MachineInfo {
    private MachineInfo() {}

    /** Ordered name/value rows. */
    public static Map<String, String> describe(BenchContext ctx) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("CPU", cpuModel());
        rows.put("cores (online)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        rows.put("memory", memTotal());
        rows.put("kernel", firstLine(Path.of("/proc/sys/kernel/osrelease")) + " (" + osName() + ")");
        KvmProbe.Verdict kvm = KvmProbe.probe();
        rows.put(
                "uniwasm accelerator",
                kvm.usable() ? "KVM" : "TCG (emulation: uniwasm timings are emulation numbers, not KVM numbers)");
        rows.put("why", kvm.reason());
        rows.put("uniwasm", gitRevision(ctx));
        rows.put("QEMU", version(ctx, List.of("qemu-system-x86_64", "--version")));
        rows.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version());
        rows.put("Node.js", version(ctx, List.of("node", "--version")));
        rows.put("clang (native and wasm32-wasi programs)", version(ctx, List.of("clang", "--version")));
        rows.put("wasi-libc", debianPackageVersion(ctx, "wasi-libc"));
        rows.put("LLVM in uniwasm", "bundled org.bytedeco:llvm (see the root pom.xml)");
        rows.put("Java peers", PeerJars.describe(ctx.home()));
        return rows;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException ignored) {
            // falls through to "unknown"
        }
        return "unknown";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                Matcher m = Pattern.compile("MemTotal:\\s+(\\d+) kB").matcher(line);
                if (m.matches()) return String.format("%.1f GiB", Long.parseLong(m.group(1)) / 1024.0 / 1024.0);
            }
        } catch (IOException ignored) {
            // falls through to "unknown"
        }
        return "unknown";
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
            }
        } catch (IOException ignored) {
            // falls through
        }
        return System.getProperty("os.name");
    }

    private static String firstLine(Path p) {
        try {
            return Files.readAllLines(p).getFirst().strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String version(BenchContext ctx, List<String> command) {
        CommandRunner.Outcome o = new CommandRunner().run(command, null, 30);
        if (!o.ok())
            return "not available (" + command.getFirst() + ": "
                    + (o.err().isBlank()
                            ? "status " + o.status()
                            : o.err().strip().lines().findFirst().orElse("")) + ")";
        return (o.out() + o.err()).strip().lines().findFirst().orElse("?");
    }

    private static String debianPackageVersion(BenchContext ctx, String pkg) {
        CommandRunner.Outcome o = new CommandRunner().run(List.of("dpkg-query", "-W", "-f=${Version}", pkg), null, 30);
        return o.ok() ? pkg + " " + o.out().strip() + " (Debian)" : "unknown";
    }

    private static String gitRevision(BenchContext ctx) {
        CommandRunner runner = new CommandRunner();
        CommandRunner.Outcome rev = runner.run(List.of("git", "rev-parse", "--short", "HEAD"), ctx.home(), 30);
        if (!rev.ok()) return "unknown (not a git checkout)";
        CommandRunner.Outcome dirty =
                runner.run(List.of("git", "status", "--porcelain", "--untracked-files=no"), ctx.home(), 30);
        return "commit " + rev.out().strip()
                + (dirty.ok() && !dirty.out().isBlank() ? " with uncommitted changes" : "");
    }
}
