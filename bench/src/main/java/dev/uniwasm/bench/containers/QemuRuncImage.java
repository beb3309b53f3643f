package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.testkit.ScratchImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The qemu-runc row's image: QEMU itself as a plain runc container's process, booting the same VM
 * image with the same QEMU command line as uniwasm-runtime's VM container of the app, without
 * uniwasm-runtime's supervisor. A scratch image (linux/amd64) holding the uniwasm image's {@code
 * .uniwasm/NAME.wasm.x86_64-pvh}, the run-time boot configuration uniwasm-runtime would write for
 * the container's arguments and environment ({@code image}'s {@link BootConfig}, the code the
 * runtime's own file is checked against), and under TCG {@code programs/qemu-runc/no_thp.c}; its
 * entrypoint is the {@code .qemu} file's command line for this host's accelerator. QEMU's program
 * and libraries are the host's, bind-mounted read-only ({@link #hostMounts}), so its pages are shared
 * with the uniwasm-vm row's QEMU as uniwasm-runtime's are.
 *
 * <p>What differs from uniwasm-runtime's command line: the image and boot configuration are paths in
 * the container's root instead of {@code /proc/self/fd/3} and {@code ROOT/ID/bootconfig}, and the
 * serial ports, Unix sockets uniwasm-runtime listens on, are QEMU's own back-ends, since no program
 * listens here: COM1 (the app's stdout) QEMU's stdio, which is the container's (its log), COM2 (the
 * app's stderr) the container's stderr, COM3 (the control channel) {@code null}. The container's
 * stdin is {@code /dev/null} ({@code ctr run -d}), so the boot configuration carries the no-stdin
 * flag, as uniwasm-runtime's does for such a container. What uniwasm-runtime adds to QEMU's
 * environment (one malloc arena) is not added here: this row is QEMU as a plain container runs it.
 */
final class QemuRuncImage {
    /** The first line of the {@code .qemu} file (docs/oci.md, "The layer"). */
    static final String QEMU_FILE_HEADER = "uniwasm-qemu 1";
    /** containerd's default environment of a container (ctr's {@code oci.WithImageConfig}): the boot configuration's. */
    static final String CONTAINERD_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Where the VM image, its boot configuration and the THP helper are in the image. */
    static final String VM_DIR = ".uniwasm", BOOT_CONFIG = ".uniwasm/bootconfig", NO_THP = "no-thp";
    /** The serial ports' back-ends, COM1..COM3, each with its {@code id=comN} added. */
    static final List<String> SERIAL_BACKENDS = List.of("stdio,signal=off", "file,path=/proc/self/fd/2", "null");
    /** The host folders and files QEMU's program, libraries and firmware come from. */
    static final List<String> HOST_PATHS = List.of("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache");

    private QemuRuncImage() {}

    /**
     * The container's command line from the {@code .qemu} file's {@code text}: the lines of the
     * accelerator ({@code tcg} or {@code kvm}), the image and boot configuration at {@code image}
     * and {@code bootConfig}, and the serial ports on {@link #SERIAL_BACKENDS}.
     */
    static List<String> commandLine(String text, boolean tcg, String image, String bootConfig) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(QEMU_FILE_HEADER))
            throw new BenchException("the .qemu file does not start with '" + QEMU_FILE_HEADER + "'");
        String key = tcg ? "tcg " : "kvm ";
        List<String> cmd = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.startsWith(key)) continue;
            String arg = line.substring(key.length());
            int port = -1;
            for (int i = 0; i < 3; i++) {
                if (arg.contains("@com" + (i + 1) + "@")) port = i;
            }
            if (port >= 0) {
                // the template's "socket,id=comN,path=@comN@,server=off": the id stays, the back-end is ours
                String backend = SERIAL_BACKENDS.get(port);
                int options = backend.indexOf(',');
                String id = "id=com" + (port + 1);
                if (!arg.contains(id))
                    throw new BenchException("the .qemu file's serial port argument \"" + arg + "\" has no " + id);
                arg = options < 0
                        ? backend + "," + id
                        : backend.substring(0, options) + "," + id + backend.substring(options);
            } else {
                arg = arg.replace("@image@", image).replace("@bootconfig@", bootConfig);
            }
            if (arg.matches(".*@[a-z0-9]+@.*"))
                throw new BenchException("the .qemu file has a placeholder this bench does not know: " + arg);
            cmd.add(arg);
        }
        if (cmd.isEmpty()) throw new BenchException("the .qemu file has no " + key.strip() + " lines");
        return cmd;
    }

    /** {@code ctr run --mount} values: the host's QEMU, libraries and firmware, read-only. */
    static List<String> hostMounts() {
        List<String> mounts = new ArrayList<>();
        for (String p : HOST_PATHS) {
            // merged /usr: /lib, /lib64 and /bin are links into /usr, which the mount resolves; a host without one
            // needs none
            if (Files.exists(Path.of(p))) mounts.add("type=bind,src=" + p + ",dst=" + p + ",options=rbind:ro");
        }
        return mounts;
    }

    /**
     * Writes {@code out}, the image {@code reference}, from the uniwasm image archive {@code
     * wasmTar} of the module {@code module} (its file name) run with {@code args}: the VM image and
     * {@code .qemu} file from its layer, the boot configuration of {@code [module] + args} and
     * containerd's environment, and with {@code noThp} (null under KVM) QEMU started through it.
     */
    static void write(
            BenchContext ctx,
            Path wasmTar,
            String module,
            List<String> args,
            boolean tcg,
            Path noThp,
            String reference,
            Path out) {
        Path dir = out.resolveSibling(out.getFileName() + ".extract");
        try {
            ScratchImage.deleteTree(dir);
            Files.createDirectories(dir);
            ctx.commands().require(List.of("tar", "-xf", wasmTar.toString(), "-C", dir.toString()), null, 120);
            String index = Files.readString(dir.resolve("index.json"));
            String manifest = Files.readString(blob(dir, firstDigest(index, "index.json")));
            int layers = manifest.indexOf("\"layers\"");
            if (layers < 0) throw new BenchException(wasmTar + ": its manifest has no layers: " + manifest);
            // uniwasm image build writes one layer (docs/oci.md, "The layer")
            String layer = firstDigest(manifest.substring(layers), "the manifest's layers");
            String vmImage = VM_DIR + "/" + module + ".x86_64-pvh";
            Path layerDir = Files.createDirectories(dir.resolve("layer"));
            ctx.commands()
                    .require(
                            List.of(
                                    "tar",
                                    "-xf",
                                    blob(dir, layer).toString(),
                                    "-C",
                                    layerDir.toString(),
                                    vmImage,
                                    vmImage + ".qemu"),
                            null,
                            120);
            Path bootConfig = dir.resolve("bootconfig");
            List<String> argv = new ArrayList<>(List.of(module));
            argv.addAll(args);
            new BootConfig(argv, List.of(CONTAINERD_PATH), false).withoutStdin().writeTo(bootConfig);
            List<String> entrypoint = new ArrayList<>();
            if (noThp != null) entrypoint.add("/" + NO_THP);
            entrypoint.addAll(commandLine(
                    Files.readString(layerDir.resolve(vmImage + ".qemu"), StandardCharsets.UTF_8),
                    tcg,
                    "/" + vmImage,
                    "/" + BOOT_CONFIG));
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(vmImage, layerDir.resolve(vmImage));
            files.put(BOOT_CONFIG, bootConfig);
            if (noThp != null) files.put(NO_THP, noThp);
            ScratchImage.write(
                    ctx.commands(), files, new ScratchImage.Config(entrypoint, List.of(), List.of()), reference, out);
            ScratchImage.deleteTree(dir);
        } catch (IOException e) {
            throw new BenchException("cannot write the qemu-runc image " + out + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern DIGEST = Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"");

    /** The first {@code "digest"} in {@code json} ({@code what} names it in the error). */
    static String firstDigest(String json, String what) {
        Matcher m = DIGEST.matcher(json);
        if (!m.find()) throw new BenchException(what + " names no sha256 digest: " + json);
        return m.group(1);
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }
}
