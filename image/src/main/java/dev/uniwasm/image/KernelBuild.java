package dev.uniwasm.image;

import dev.uniwasm.toolchain.Toolchain;
import dev.uniwasm.toolchain.ToolchainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;

/**
 * Builds the kernel for one platform and the runtime into one static archive, libuwkernel.a, next
 * to the platform's linker script kernel.ld, with the bundled clang. The kernel is its portable
 * part (kernel/ outside kernel/plat, kernel/arch and the network stacks' folders kernel/net/<stack>),
 * one platform's folder kernel/plat/<name> with the folder of its instruction set kernel/arch/<isa>
 * (code every platform on that ISA shares), and the network stack that platform uses
 * (kernel/README.md, "Platforms"). The portable part is compiled without the platform's include folder and without
 * the stack's, so it reaches them only through kernel/include/kernel/platform.h and the stack
 * interface in kernel/net/*.h. The result is cached under
 * {@code <repo>/build/native/kernel-<hash>/}, keyed by a hash of the platform, every source that
 * goes in and the compiler flags, so a changed source rebuilds and an unchanged tree never does.
 */
public final class KernelBuild {
    /** A network stack: its folder under kernel/net. */
    enum NetworkStack {
        /** lwIP on the platform's raw NIC (platform.h, plat_nic_*). */
        LWIP("lwip"),
        /** The host's own sockets (platform.h, plat_sock_*), for a platform that is a host process. */
        HOST("host");

        final String folder;

        NetworkStack(String folder) {
            this.folder = folder;
        }
    }

    /** An instruction set: its folder under kernel/arch holds what every platform on it shares. */
    enum Isa {
        X86_64("x86_64");

        final String folder;

        Isa(String folder) {
            this.folder = folder;
        }
    }

    /** The platforms, one line each: the folder under kernel/plat, the ISA folder it shares and the
     * network stack. */
    public enum Platform {
        /** QEMU microvm and q35 (and Firecracker-style virtio-mmio) booting a PVH ELF. */
        X86_64_PVH("x86_64-pvh", Isa.X86_64, NetworkStack.LWIP),
        /** A static Linux executable behind a seccomp filter (--isolation process), on the host's sockets. */
        X86_64_LINUX("x86_64-linux", Isa.X86_64, NetworkStack.HOST);

        final String folder;
        final Isa isa;
        final NetworkStack network;

        Platform(String folder, Isa isa, NetworkStack network) {
            this.folder = folder;
            this.isa = isa;
            this.network = network;
        }
    }

    static final String ARCHIVE = "libuwkernel.a";
    static final String LINKER_SCRIPT = "kernel.ld";
    private static final String COMPLETE_MARKER = "complete";

    /** Flags for all native code of the image. No red zone: the kernel's own code may be interrupted
     * anywhere (the interrupt stacks make the app's red zone safe regardless). */
    private static final List<String> COMMON_FLAGS = List.of(
            "--target=x86_64-unknown-none-elf",
            "-std=c11",
            "-O2",
            "-g",
            "-ffreestanding",
            "-nostdinc",
            "-fno-pic",
            "-fno-pie",
            "-mno-red-zone",
            "-mcmodel=small",
            "-fno-stack-protector",
            "-fno-asynchronous-unwind-tables",
            "-fno-omit-frame-pointer");
    /** The kernel never touches SSE registers, so interrupt handlers need not save them. */
    private static final List<String> KERNEL_FLAGS = List.of("-mgeneral-regs-only", "-Wall", "-Wextra", "-Werror");

    /** lwIP core files compiled into the kernel (raw API, IPv4, TCP, UDP, DNS; see kernel/net/lwip/lwipopts.h). */
    private static final List<String> LWIP_SOURCES = List.of(
            "src/core/init.c",
            "src/core/def.c",
            "src/core/inet_chksum.c",
            "src/core/ip.c",
            "src/core/mem.c",
            "src/core/memp.c",
            "src/core/netif.c",
            "src/core/pbuf.c",
            "src/core/stats.c",
            "src/core/sys.c",
            "src/core/tcp.c",
            "src/core/tcp_in.c",
            "src/core/tcp_out.c",
            "src/core/timeouts.c",
            "src/core/udp.c",
            "src/core/ipv4/etharp.c",
            "src/core/ipv4/icmp.c",
            "src/core/ipv4/ip4.c",
            "src/core/ipv4/ip4_addr.c",
            "src/core/ipv4/ip4_frag.c",
            "src/core/dns.c",
            "src/netif/ethernet.c");
    /** Third-party code: built with the kernel's code-generation flags but without our warning policy. */
    private static final List<String> LWIP_FLAGS = List.of("-mgeneral-regs-only", "-w");

    private static final Map<Platform, Path> cached = new EnumMap<>(Platform.class);

    private KernelBuild() {}

    /** The folder holding the x86-64 PVH kernel's libuwkernel.a and kernel.ld (the VM's platform). */
    public static Path kernelArchive() {
        return kernelArchive(Platform.X86_64_PVH);
    }

    /**
     * The folder holding libuwkernel.a and kernel.ld for `platform`, building them first when needed.
     * Throws {@link KernelBuildException} when they cannot be had.
     */
    public static synchronized Path kernelArchive(Platform platform) {
        try {
            return findOrBuild(platform);
        } catch (KernelBuildException e) {
            throw e;
        } catch (ImageException e) {
            throw new KernelBuildException(e.getMessage(), e);
        }
    }

    private static Path findOrBuild(Platform platform) {
        Path home = repositoryRoot();
        Path kernel = home.resolve("kernel");
        Path runtime = home.resolve("runtime");
        if (!Files.isDirectory(kernel) || !Files.isDirectory(runtime)) {
            throw new ImageException("kernel/ or runtime/ missing under " + home + " (check -Duniwasm.home)");
        }
        Parts parts = Parts.of(kernel, platform);
        List<Path> runtimeSources = sources(runtime.resolve("src"), ".c");
        Path lwip = platform.network == NetworkStack.LWIP ? LwipSource.tree(home) : null;
        List<Path> hashed = Stream.of(parts.all(), runtimeSources, sources(runtime, ".h"))
                .flatMap(List::stream)
                .sorted()
                .distinct()
                .toList();
        String hash = hash(home, platform, hashed);
        Path out = home.resolve("build").resolve("native").resolve("kernel-" + hash);
        Path known = cached.get(platform);
        if (known != null && known.getFileName().equals(out.getFileName())) return known;
        if (!Files.exists(out.resolve(COMPLETE_MARKER)) && !Files.isWritable(existingAncestor(out))) {
            // a user who cannot write the build (uniwasm-runtime's compile user) builds its own, for
            // this run alone, in its temporary folder
            out = privateFolder().resolve(out.getFileName());
        }
        if (Files.exists(out.resolve(COMPLETE_MARKER))) {
            makeReadable(out);
        } else {
            // the folder's name promises what it was built from: a source edited while clang ran
            // (an editor, a git checkout) would leave a folder that lies, so such a build is discarded
            build(home, platform, parts, runtimeSources, lwip, out, () -> hash.equals(hash(home, platform, hashed)));
        }
        cached.put(platform, out);
        return out;
    }

    private static Path privateKernels;

    /** A folder of this JVM's own, removed when it exits. */
    private static Path privateFolder() {
        if (privateKernels == null) {
            try {
                Path dir = Files.createTempDirectory("uniwasm-kernel-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                privateKernels = dir;
            } catch (IOException e) {
                throw new ImageException("cannot create a folder for the kernel build: " + e.getMessage(), e);
            }
        }
        return privateKernels;
    }

    /** Kernel folders of builds before they were made readable to all: the owner's next run opens them up. */
    private static void makeReadable(Path out) {
        try {
            var mode = Files.getPosixFilePermissions(out);
            if (!mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(
                        out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException | UnsupportedOperationException notOurs) {
            // another user's build: read as it is
        }
    }

    private static Path existingAncestor(Path p) {
        Path q = p;
        while (q.getParent() != null && !Files.exists(q)) q = q.getParent();
        return q;
    }

    /**
     * The kernel's files for one platform, by the flags they are compiled with: the portable part,
     * the platform's folder, the network stack's folder. Other platforms' and stacks' folders are
     * left out.
     */
    record Parts(
            Path platformDir,
            Path isaDir,
            Path stackDir,
            List<Path> portable,
            List<Path> platform,
            List<Path> stack,
            List<Path> headers) {
        static Parts of(Path kernel, Platform p) {
            Path plat = kernel.resolve("plat");
            Path arch = kernel.resolve("arch");
            Path net = kernel.resolve("net");
            Path platformDir = plat.resolve(p.folder);
            Path isaDir = arch.resolve(p.isa.folder);
            Path stackDir = net.resolve(p.network.folder);
            if (!Files.isDirectory(platformDir))
                throw new ImageException("kernel platform folder missing: " + platformDir);
            if (!Files.isDirectory(stackDir))
                throw new ImageException("kernel network stack folder missing: " + stackDir);
            Predicate<Path> portable = f -> !f.startsWith(plat) && !f.startsWith(arch) && !isStack(net, f);
            // the ISA folder is compiled as part of the platform, with the platform's flags
            return new Parts(
                    platformDir,
                    isaDir,
                    stackDir,
                    sources(kernel, ".c", ".S").stream().filter(portable).toList(),
                    Stream.concat(sources(isaDir, ".c", ".S").stream(), sources(platformDir, ".c", ".S").stream())
                            .toList(),
                    sources(stackDir, ".c"),
                    Stream.concat(
                                    sources(kernel, ".h").stream().filter(portable),
                                    Stream.of(
                                                    sources(isaDir, ".h"),
                                                    sources(platformDir, ".h", ".ld"),
                                                    sources(stackDir, ".h"))
                                            .flatMap(List::stream))
                            .toList());
        }

        /** Files in a subfolder of kernel/net belong to a network stack; kernel/net/*.h is the interface. */
        private static boolean isStack(Path net, Path f) {
            return f.startsWith(net) && net.relativize(f).getNameCount() > 1;
        }

        List<Path> all() {
            return Stream.of(portable, platform, stack, headers)
                    .flatMap(List::stream)
                    .toList();
        }
    }

    static Path repositoryRoot() {
        String home = System.getProperty("uniwasm.home");
        if (home == null || home.isBlank()) {
            throw new ImageException("system property uniwasm.home (the repository root) is not set");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    private static List<Path> sources(Path dir, String... suffixes) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes)
                            .anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ImageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String hash(Path home, Platform platform, List<Path> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("platform " + platform.folder + " " + platform.isa.folder + " " + platform.network.folder)
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(String.join(" ", COMMON_FLAGS).getBytes(StandardCharsets.UTF_8));
            sha.update(String.join(" ", KERNEL_FLAGS).getBytes(StandardCharsets.UTF_8));
            sha.update(("lwip " + LwipSource.DEBIAN_VERSION + " " + String.join(" ", LWIP_SOURCES) + " "
                            + String.join(" ", LWIP_FLAGS))
                    .getBytes(StandardCharsets.UTF_8));
            for (Path f : files) {
                sha.update(home.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new ImageException("cannot read kernel sources: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void build(
            Path home,
            Platform platform,
            Parts parts,
            List<Path> runtimeSources,
            Path lwip,
            Path out,
            BooleanSupplier sourcesUnchanged) {
        Path clang = Toolchain.clang();
        String resourceInclude =
                Toolchain.run(List.of(clang.toString(), "-print-resource-dir")).strip() + "/include";
        List<String> base = new ArrayList<>(COMMON_FLAGS);
        base.addAll(List.of("-isystem", resourceInclude, "-I" + home.resolve("runtime/include")));
        // the portable part sees kernel/include only: platform.h is its one way to the platform
        List<String> portableFlags = new ArrayList<>(base);
        portableFlags.addAll(KERNEL_FLAGS);
        portableFlags.add("-I" + home.resolve("kernel/include"));
        List<String> platformFlags = new ArrayList<>(portableFlags);
        platformFlags.add("-I" + parts.isaDir().resolve("include"));
        platformFlags.add("-I" + parts.platformDir().resolve("include"));
        // a stack also sees the stack interface it implements (kernel/net)
        List<String> stackFlags = new ArrayList<>(portableFlags);
        stackFlags.add("-I" + home.resolve("kernel/net"));
        List<String> lwipFlags = new ArrayList<>(base);
        lwipFlags.addAll(LWIP_FLAGS);
        lwipFlags.add("-I" + home.resolve("kernel/include"));
        if (lwip != null) {
            // lwIP's headers, our lwipopts.h and arch/cc.h (kernel/net/lwip), and the few libc headers
            // lwIP includes (kernel/net/lwip/compat), for lwIP itself and for the stack's glue
            List<String> lwipIncludes = List.of(
                    "-I" + parts.stackDir(),
                    "-I" + parts.stackDir().resolve("compat"),
                    "-I" + lwip.resolve("src/include"));
            stackFlags.addAll(lwipIncludes);
            lwipFlags.addAll(lwipIncludes);
        }

        Path tmp;
        try {
            Files.createDirectories(out.getParent());
            tmp = Files.createTempDirectory(out.getParent(), "tmp-kernel-");
        } catch (IOException e) {
            throw new ImageException("cannot create " + out.getParent() + ": " + e.getMessage(), e);
        }
        try {
            List<List<String>> jobs = new ArrayList<>();
            List<Path> objects = new ArrayList<>();
            for (Path src : parts.portable()) objects.add(addJob(jobs, clang, portableFlags, src, tmp, home));
            for (Path src : parts.platform()) objects.add(addJob(jobs, clang, platformFlags, src, tmp, home));
            for (Path src : parts.stack()) objects.add(addJob(jobs, clang, stackFlags, src, tmp, home));
            for (Path src : runtimeSources) objects.add(addJob(jobs, clang, base, src, tmp, home));
            if (lwip != null) {
                for (String src : LWIP_SOURCES) {
                    objects.add(addJob(
                            jobs, clang, lwipFlags, lwip.resolve(src), tmp, "lwip_" + src.replace('/', '_') + ".o"));
                }
            }
            runAll(jobs);

            List<String> ar = new ArrayList<>(
                    List.of(archiver().toString(), "rcs", tmp.resolve(ARCHIVE).toString()));
            objects.forEach(o -> ar.add(o.toString()));
            Toolchain.run(ar);
            for (Path o : objects) Files.delete(o);
            Files.copy(parts.platformDir().resolve(LINKER_SCRIPT), tmp.resolve(LINKER_SCRIPT));
            if (!sourcesUnchanged.getAsBoolean()) {
                deleteTree(tmp);
                throw new ImageException("the kernel sources changed while the kernel was being built; run again");
            }
            Files.writeString(tmp.resolve(COMPLETE_MARKER), "");
            // readable by every user of the build (uniwasm-runtime's compile user), as its other files are
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another process finished the same build first (Linux reports the non-empty target
                // as a plain FileSystemException): its result is identical
                if (!Files.exists(out.resolve(COMPLETE_MARKER))) throw raced;
                deleteTree(tmp);
            }
        } catch (ToolchainException e) {
            deleteTree(tmp);
            throw new ImageException("kernel build failed: " + e.getMessage(), e);
        } catch (IOException e) {
            deleteTree(tmp);
            throw new ImageException("kernel build failed: " + e.getMessage(), e);
        }
    }

    private static Path addJob(List<List<String>> jobs, Path clang, List<String> flags, Path src, Path dir, Path home) {
        return addJob(
                jobs, clang, flags, src, dir, home.relativize(src).toString().replace('/', '_') + ".o");
    }

    private static Path addJob(
            List<List<String>> jobs, Path clang, List<String> flags, Path src, Path dir, String name) {
        Path obj = dir.resolve(name);
        List<String> cmd = new ArrayList<>();
        cmd.add(clang.toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-c", src.toString(), "-o", obj.toString()));
        jobs.add(cmd);
        return obj;
    }

    private static void runAll(List<List<String>> jobs) {
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (List<String> job : jobs) results.add(pool.submit(() -> Toolchain.run(job)));
            for (Future<String> f : results) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new ImageException("kernel build failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ImageException("interrupted while building the kernel");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** llvm-ar from the same bundle as clang; JavaCPP unpacks it without the executable bit. */
    private static Path archiver() throws IOException {
        Path ar = Toolchain.binDir().resolve("llvm-ar");
        if (!Files.exists(ar)) Loader.cacheResource(org.bytedeco.llvm.program.clang.class, "llvm-ar");
        if (!Files.isExecutable(ar) && !ar.toFile().setExecutable(true)) {
            throw new ImageException("cannot make " + ar + " executable");
        }
        return ar;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
