package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.QemuCommandLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Linux guest the native server and nginx run on (and, without a network, the compute suite's
 * native programs): Debian's {@code linux-image-amd64} kernel booted by QEMU with an initramfs built
 * here from {@code busybox-static}, the kernel's virtio modules (Debian builds virtio, virtio_mmio
 * and virtio_net as modules), the files and one command. Its {@code /init} mounts the pseudo file
 * systems, loads the modules, puts eth0 on the TAP network and runs the command in the foreground;
 * when the command exits the VM powers off.
 */
public final class LinuxGuest {
    /** The modules the network needs; their dependencies are found in each module's .modinfo. */
    static final List<String> NETWORK_MODULES = List.of("virtio_mmio", "virtio_net");

    static final String KERNEL_COMMAND_LINE = "console=ttyS0 quiet panic=-1";

    final Path kernel;
    public final String kernelRelease;
    private final Path busybox;
    /** module name -> .ko, in an order where each comes after its dependencies */
    private final Map<String, Path> modules;

    private LinuxGuest(Path kernel, String kernelRelease, Path busybox, Map<String, Path> modules) {
        this.kernel = kernel;
        this.kernelRelease = kernelRelease;
        this.busybox = busybox;
        this.modules = modules;
    }

    /** Fetches the kernel (through the linux-image-amd64 metapackage) and busybox-static. */
    public static LinuxGuest fetch(DebianBinaries debs) {
        String depends = debs.field("linux-image-amd64", "Depends");
        String image = depends.split("[ ,(|]")[0].strip();
        if (!image.startsWith("linux-image-"))
            throw new BenchException("linux-image-amd64 depends on \"" + depends + "\", not a linux-image-* package");
        Path kernelRoot = debs.unpacked(image);
        String release = image.substring("linux-image-".length());
        Path kernel = kernelRoot.resolve("boot").resolve("vmlinuz-" + release);
        if (!Files.isRegularFile(kernel)) throw new BenchException(image + " has no boot/vmlinuz-" + release);
        Path moduleRoot = kernelRoot.resolve("lib").resolve("modules").resolve(release);
        Path busybox = debs.unpacked("busybox-static").resolve("bin").resolve("busybox");
        if (!Files.isRegularFile(busybox)) throw new BenchException("busybox-static has no bin/busybox");
        return new LinuxGuest(kernel, release, busybox, orderedModules(moduleRoot, NETWORK_MODULES));
    }

    List<String> moduleNames() {
        return List.copyOf(modules.keySet());
    }

    /** The modules {@code wanted} and everything they depend on, dependencies first. */
    static Map<String, Path> orderedModules(Path moduleRoot, List<String> wanted) {
        Map<String, Path> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(moduleRoot)) {
            s.filter(p -> p.getFileName().toString().endsWith(".ko")
                            || p.getFileName().toString().matches(".*\\.ko\\.(xz|zst|gz)"))
                    .forEach(p -> all.put(
                            p.getFileName()
                                    .toString()
                                    .replaceFirst("\\.ko(\\..*)?$", "")
                                    .replace('-', '_'),
                            p));
        } catch (IOException e) {
            throw new BenchException("cannot list the kernel modules in " + moduleRoot + ": " + e.getMessage(), e);
        }
        Map<String, Path> ordered = new LinkedHashMap<>();
        for (String w : wanted) addWithDependencies(w, all, ordered, new LinkedHashSet<>());
        return ordered;
    }

    private static void addWithDependencies(
            String name, Map<String, Path> all, Map<String, Path> ordered, Set<String> visiting) {
        if (ordered.containsKey(name)) return;
        if (!visiting.add(name))
            throw new BenchException("kernel modules depend on each other in a cycle: " + visiting);
        Path ko = all.get(name);
        if (ko == null)
            throw new BenchException("the kernel package has no module " + name + " (is it built in? see its config)");
        if (!ko.getFileName().toString().endsWith(".ko"))
            throw new BenchException(ko + " is compressed; busybox insmod needs a plain .ko");
        for (String dep : dependencies(ko)) addWithDependencies(dep, all, ordered, visiting);
        visiting.remove(name);
        ordered.put(name, ko);
    }

    /** The "depends=a,b" entry of a module's .modinfo section (NUL-separated key=value strings). */
    static List<String> dependencies(Path ko) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(ko);
        } catch (IOException e) {
            throw new BenchException("cannot read " + ko + ": " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\0depends=");
        if (at < 0) throw new BenchException(ko + " has no depends= entry in its .modinfo");
        int start = at + "\0depends=".length();
        String list = text.substring(start, text.indexOf('\0', start));
        List<String> deps = new ArrayList<>();
        for (String d : list.split(",")) if (!d.isBlank()) deps.add(d.strip().replace('-', '_'));
        return deps;
    }

    /**
     * Writes the initramfs: busybox, the modules, {@code files} (path inside -> host file) and
     * {@code generated} (path inside -> content), and an /init that ends with {@code serverCommand}
     * (a shell command line) once eth0 has {@code address/prefix}.
     */
    void writeInitramfs(
            Path out,
            Map<String, Path> files,
            Map<String, byte[]> generated,
            String serverCommand,
            String address,
            int prefix) {
        write(out, files, generated, initScript(serverCommand, address + "/" + prefix));
    }

    /** An initramfs without a network: {@code /init} runs {@code command} (shell lines) and powers off. */
    public void writeInitramfs(Path out, Map<String, Path> files, String command) {
        write(out, files, Map.of(), initScript(command, null));
    }

    private void write(Path out, Map<String, Path> files, Map<String, byte[]> generated, String init) {
        Cpio cpio = new Cpio();
        Set<String> dirs = new LinkedHashSet<>();
        try {
            for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "modules"))
                directories(cpio, dirs, d + "/x");
            cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            for (Map.Entry<String, Path> m : modules.entrySet())
                cpio.file("modules/" + m.getKey() + ".ko", 0644, Files.readAllBytes(m.getValue()));
            for (Map.Entry<String, Path> f : files.entrySet()) {
                directories(cpio, dirs, f.getKey());
                cpio.file(f.getKey(), Files.isExecutable(f.getValue()) ? 0755 : 0644, Files.readAllBytes(f.getValue()));
            }
            for (Map.Entry<String, byte[]> g : generated.entrySet()) {
                directories(cpio, dirs, g.getKey());
                cpio.file(g.getKey(), 0644, g.getValue());
            }
            cpio.file("init", 0755, init.getBytes(StandardCharsets.UTF_8));
            Files.createDirectories(out.getParent());
            Files.write(out, cpio.finish());
        } catch (IOException e) {
            throw new BenchException("cannot write the initramfs " + out + ": " + e.getMessage(), e);
        }
    }

    private static void directories(Cpio cpio, Set<String> made, String file) {
        String[] parts = file.split("/");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            if (i > 0) p.append('/');
            p.append(parts[i]);
            if (made.add(p.toString())) cpio.directory(p.toString());
        }
    }

    /** {@code addressWithPrefix} null: no network, no modules loaded. */
    private String initScript(String command, String addressWithPrefix) {
        StringBuilder init = new StringBuilder("#!/bin/busybox sh\n"
                + "/bin/busybox --install -s\n"
                + "mount -t proc proc /proc\n"
                + "mount -t sysfs sysfs /sys\n"
                + "mount -t devtmpfs devtmpfs /dev\n");
        if (addressWithPrefix != null) {
            init.append("for m in ")
                    .append(String.join(" ", modules.keySet()))
                    .append("; do\n")
                    .append("    insmod /modules/$m.ko || { echo \"guest: insmod $m failed\"; poweroff -f; }\n")
                    .append("done\n")
                    .append("ip link set lo up\n")
                    .append("ip addr add ")
                    .append(addressWithPrefix)
                    .append(" dev eth0 && ip link set eth0 up || { echo 'guest: no eth0'; poweroff -f; }\n")
                    .append("ulimit -n 65536\n")
                    .append("echo 'guest: network up'\n");
        }
        return init.append(command)
                .append("\n")
                .append("echo \"guest: command exited with status $?\"\n")
                .append("poweroff -f\n")
                .toString();
    }

    /**
     * QEMU for this guest, the same kind of VM uniwasm runs in: the microvm machine (virtio-mmio
     * devices, which Debian's kernel finds through ACPI), one vCPU, {@code memoryMib}, KVM or TCG
     * as uniwasm is run, virtio-net on the namespace's TAP device (with vhost-net under KVM when
     * /dev/vhost-net opens, as uniwasm does; no network device when {@code tap} is null), the
     * console on standard output.
     */
    public List<String> qemuCommand(Path initramfs, int memoryMib, boolean kvm, String tap) {
        boolean vhost = kvm && vhostNetOpens();
        String append = KERNEL_COMMAND_LINE;
        if (!kvm) {
            long khz = hostTscKhz();
            if (khz > 0) append += " tsc_early_khz=" + khz;
        }
        List<String> cmd = new ArrayList<>(List.of(QemuCommandLine.QEMU, "-M", "microvm,x-option-roms=off,rtc=on"));
        cmd.addAll(QemuCommandLine.acceleratorOptions(kvm ? Accelerator.KVM : Accelerator.TCG));
        cmd.addAll(List.of(
                "-smp",
                "1",
                "-m",
                memoryMib + "M",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot",
                "-kernel",
                kernel.toString(),
                "-initrd",
                initramfs.toString(),
                "-append",
                append,
                "-serial",
                "stdio"));
        if (tap != null) {
            cmd.addAll(List.of(
                    "-netdev",
                    "tap,id=net0,ifname=" + tap + ",script=no,downscript=no" + (vhost ? ",vhost=on" : ""),
                    "-device",
                    "virtio-net-device,netdev=net0"));
        }
        return cmd;
    }

    /**
     * Under TCG the guest's TSC ticks at the host's rate, but microvm offers no HPET or PM timer and
     * the kernel's PIT calibration fails when the emulating thread is preempted (a loaded host):
     * it then marks the TSC unstable and hangs before its first console line. Telling it the host's
     * TSC frequency (tsc_early_khz) skips that calibration. 0 when the host's TSC is not constant.
     */
    static long hostTscKhz() {
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            if (!cpuinfo.contains(" constant_tsc")) return 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^cpu MHz\\s*:\\s*([0-9.]+)")
                    .matcher(cpuinfo);
            return m.find() ? Math.round(Double.parseDouble(m.group(1)) * 1000) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static boolean vhostNetOpens() {
        try (var ignored = new java.io.RandomAccessFile("/dev/vhost-net", "rw")) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
