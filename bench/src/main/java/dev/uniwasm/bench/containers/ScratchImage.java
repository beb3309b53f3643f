package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A scratch OCI image archive (linux/amd64) holding one static executable as its entrypoint: the
 * native baseline the runc and crun containers run. GNU tar writes the layer (uncompressed, owned by
 * root) and the archive; this class writes the configuration, manifest and index and their digests.
 */
final class ScratchImage {
    private ScratchImage() {}

    /** Writes {@code out} with {@code /NAME} from {@code executable} and the image name {@code reference} (full, with its tag). */
    static void write(BenchContext ctx, Path executable, String reference, Path out) {
        Path layout = out.resolveSibling(out.getFileName() + ".layout");
        Path rootfs = out.resolveSibling(out.getFileName() + ".rootfs");
        String name = executable.getFileName().toString();
        try {
            deleteTree(layout);
            deleteTree(rootfs);
            Files.createDirectories(layout.resolve("blobs/sha256"));
            Files.createDirectories(rootfs);
            Files.copy(executable, rootfs.resolve(name));
            Path layer = layout.resolve("layer.tar");
            ctx.commands().require(List.of("tar", "--numeric-owner", "--owner=0", "--group=0", "-C", rootfs.toString(), "-cf",
                    layer.toString(), name), null, 60);
            byte[] layerBytes = Files.readAllBytes(layer);
            String layerDigest = sha256(layerBytes);
            Files.move(layer, blob(layout, layerDigest));
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/" + name
                    + "\"],\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}")
                    .getBytes(StandardCharsets.UTF_8);
            String configDigest = sha256(config);
            Files.write(blob(layout, configDigest), config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                    + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length) + ",\"layers\":["
                    + descriptor("application/vnd.oci.image.layer.v1.tar", layerDigest, layerBytes.length) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            String manifestDigest = sha256(manifest);
            Files.write(blob(layout, manifestDigest), manifest);
            String tag = reference.substring(reference.lastIndexOf(':') + 1);
            String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                    + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                    + manifest.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"annotations\":{"
                    + "\"io.containerd.image.name\":\"" + reference + "\",\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}";
            Files.writeString(layout.resolve("index.json"), index);
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            ctx.commands().require(List.of("tar", "--numeric-owner", "--owner=0", "--group=0", "-C", layout.toString(), "-cf",
                    out.toString(), "oci-layout", "index.json", "blobs"), null, 60);
            deleteTree(layout);
            deleteTree(rootfs);
        } catch (IOException e) {
            throw new BenchException("cannot write the scratch image " + out + ": " + e.getMessage(), e);
        }
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
