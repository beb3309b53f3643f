package dev.uniwasm.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a Wasm application as an OCI image archive (an image layout in a tar, what {@code ctr images
 * import} and {@code docker load} read) for the platform wasi/wasm: one layer holding the module at
 * {@code /NAME.wasm}, the image's entrypoint, and the module compiled ahead of time for uniwasm (as a
 * process executable, a VM image with its QEMU command line, or both), so that a container starts
 * without compiling (docs/oci.md, "The layer").
 */
public final class WasmImage {
    /** Where compiled forms of a module live in the layer, and what uniwasm-runtime looks for. */
    public static final String COMPILED_FOLDER = ".uniwasm";
    /** The kernel platform of the process executable; its file is {@code .uniwasm/NAME.wasm.x86_64-linux}. */
    public static final String PROCESS_PLATFORM = "x86_64-linux";
    /** The kernel platform of the VM image; its file is {@code .uniwasm/NAME.wasm.x86_64-pvh}. */
    public static final String VM_PLATFORM = "x86_64-pvh";
    /** {@code .uniwasm/NAME.wasm.x86_64-pvh.qemu}: the VM's QEMU command line (dev.uniwasm.monitor.QemuTemplate). */
    public static final String QEMU_SUFFIX = ".qemu";
    /** {@code .uniwasm/NAME.wasm.source}: "sha256:HEX SIZE" of the module the compiled forms were made from. */
    public static final String SOURCE_SUFFIX = ".source";

    static final String OS = "wasi";
    static final String ARCHITECTURE = "wasm";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** containerd's annotation for the full image name an import creates (docker save writes it too). */
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The module's digest, as a label of the image configuration. */
    public static final String MODULE_DIGEST_LABEL = "dev.uniwasm.module.digest";
    /** Entries carry this time (the epoch): the same inputs make the same archive, byte for byte. */
    private static final long MTIME = 0;

    /**
     * What goes into the image. {@code moduleName} is the module's file name in the layer (its argv[0]
     * is that name, as with {@code uniwasm run NAME.wasm}); {@code cmd} becomes the image's default
     * arguments and {@code env} its environment ({@code NAME=VALUE}); {@code createdBy} is its history line.
     * {@code processExecutable} is the process form, {@code vmImage} and {@code vmQemu} the VM form;
     * with neither (both null) the layer holds the module alone, as other tools write wasi/wasm
     * images, and uniwasm-runtime compiles it on first use (docs/oci.md).
     */
    public record Spec(
            ImageReference reference,
            String moduleName,
            Path module,
            Path processExecutable,
            Path vmImage,
            String vmQemu,
            List<String> cmd,
            List<String> env,
            String createdBy) {
        public Spec {
            if ((vmImage == null) != (vmQemu == null))
                throw new IllegalArgumentException("a VM image needs its QEMU command line");
            if (!moduleName.endsWith(".wasm") || moduleName.contains("/") || moduleName.startsWith(".")) {
                throw new IllegalArgumentException(
                        "module name '" + moduleName + "' must be NAME.wasm, without '/' and not hidden");
            }
            cmd = List.copyOf(cmd);
            env = List.copyOf(env);
        }
    }

    /** The archive written: its image's name and manifest digest. */
    public record Written(ImageReference reference, String manifestDigest, String moduleDigest) {}

    private WasmImage() {}

    /** Writes the archive to {@code out} atomically: a failure leaves no half-written file under that name. */
    public static Written write(Spec spec, Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Path layer = Files.createTempFile(dir, ".uniwasm-layer-", ".partial");
        Path partial = Files.createTempFile(dir, ".uniwasm-oci-", ".partial");
        try {
            String moduleDigest = "sha256:" + sha256(spec.module());
            long moduleSize = Files.size(spec.module());
            String diffId;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(layer))) {
                GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
                MessageDigest tarSha = sha256();
                DigestOutputStream tarOut = new DigestOutputStream(gzip, tarSha);
                try (TarWriter tar = new TarWriter(tarOut, MTIME)) {
                    tar.file(spec.moduleName(), spec.module(), 0644);
                    if (spec.processExecutable() != null || spec.vmImage() != null) {
                        tar.directory(COMPILED_FOLDER);
                        String compiled = COMPILED_FOLDER + "/" + spec.moduleName() + ".";
                        if (spec.processExecutable() != null)
                            tar.file(compiled + PROCESS_PLATFORM, spec.processExecutable(), 0755);
                        if (spec.vmImage() != null) {
                            tar.file(compiled + VM_PLATFORM, spec.vmImage(), 0644);
                            tar.file(
                                    compiled + VM_PLATFORM + QEMU_SUFFIX,
                                    spec.vmQemu().getBytes(StandardCharsets.UTF_8),
                                    0644);
                        }
                        tar.file(
                                COMPILED_FOLDER + "/" + spec.moduleName() + SOURCE_SUFFIX,
                                (moduleDigest + " " + moduleSize + "\n").getBytes(StandardCharsets.US_ASCII),
                                0644);
                    }
                }
                gzip.finish();
                diffId = "sha256:" + HexFormat.of().formatHex(tarSha.digest());
            }
            byte[] config = Json.bytes(config(spec, diffId, moduleDigest));
            byte[] manifest = Json.bytes(manifest(config, layer));
            byte[] index = Json.bytes(index(spec.reference(), manifest));
            String manifestDigest = "sha256:" + sha256(manifest);
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial));
                    TarWriter tar = new TarWriter(file, MTIME)) {
                tar.file("oci-layout", Json.bytes(Map.of("imageLayoutVersion", "1.0.0")), 0644);
                tar.file("index.json", index, 0644);
                tar.directory("blobs");
                tar.directory("blobs/sha256");
                tar.file(blobPath(manifestDigest), manifest, 0644);
                tar.file(blobPath("sha256:" + sha256(config)), config, 0644);
                tar.file(blobPath("sha256:" + sha256(layer)), layer, 0644);
            }
            // a temporary file is private; an image archive is for sharing
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(spec.reference(), manifestDigest, moduleDigest);
        } finally {
            Files.deleteIfExists(layer);
            Files.deleteIfExists(partial);
        }
    }

    private static Map<String, Object> config(Spec spec, String diffId, String moduleDigest) {
        Map<String, Object> process = new LinkedHashMap<>();
        if (!spec.env().isEmpty()) process.put("Env", spec.env());
        process.put("Entrypoint", List.of("/" + spec.moduleName()));
        if (!spec.cmd().isEmpty()) process.put("Cmd", spec.cmd());
        process.put("WorkingDir", "/");
        process.put("Labels", Map.of(MODULE_DIGEST_LABEL, moduleDigest));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architecture", ARCHITECTURE);
        c.put("os", OS);
        c.put("config", process);
        c.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)));
        c.put("history", List.of(Map.of("created_by", spec.createdBy())));
        return c;
    }

    private static Map<String, Object> manifest(byte[] config, Path layer) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST_TYPE);
        m.put("config", descriptor(CONFIG_TYPE, "sha256:" + sha256(config), config.length));
        m.put("layers", List.of(descriptor(LAYER_TYPE, "sha256:" + sha256(layer), Files.size(layer))));
        return m;
    }

    private static Map<String, Object> index(ImageReference ref, byte[] manifest) {
        Map<String, Object> d = descriptor(MANIFEST_TYPE, "sha256:" + sha256(manifest), manifest.length);
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("architecture", ARCHITECTURE);
        platform.put("os", OS);
        d.put("platform", platform);
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(CONTAINERD_NAME, ref.toString());
        annotations.put(REF_NAME, ref.tag());
        d.put("annotations", annotations);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        index.put("manifests", new ArrayList<>(List.of(d)));
        return index;
    }

    private static Map<String, Object> descriptor(String type, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", type);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    static String blobPath(String digest) {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
