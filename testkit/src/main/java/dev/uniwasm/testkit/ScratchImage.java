package dev.uniwasm.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scratch OCI image archive (linux/amd64) of a few host files: the native baselines the bench's
 * runc and crun containers run (a static executable, or Debian's python3 with its libraries and the
 * part of its standard library it loads), and the native image ContainerdTest hands to runc. GNU tar writes the layer (uncompressed, owned by root) and the
 * archive; this class writes the configuration, manifest and index and their digests.
 */
public final class ScratchImage {
    /** The image's process: entrypoint, default arguments and environment ({@code NAME=VALUE}). */
    public record Config(List<String> entrypoint, List<String> cmd, List<String> env) {
        public Config {
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            env = List.copyOf(env);
        }

        public String json() {
            return "{\"Entrypoint\":" + array(entrypoint) + ",\"Cmd\":" + array(cmd) + ",\"Env\":" + array(env)
                    + ",\"WorkingDir\":\"/\"}";
        }
    }

    private ScratchImage() {}

    /**
     * Writes {@code out}, the image {@code reference} (full, with its tag) whose one layer holds each
     * host file of {@code files} (a symbolic link's target) at its path (relative, no {@code ..}).
     */
    public static void write(Commands commands, Map<String, Path> files, Config config, String reference, Path out) {
        Path layout = out.resolveSibling(out.getFileName() + ".layout");
        Path rootfs = out.resolveSibling(out.getFileName() + ".rootfs");
        try {
            deleteTree(layout);
            deleteTree(rootfs);
            Files.createDirectories(layout.resolve("blobs/sha256"));
            Files.createDirectories(rootfs);
            Set<String> top = new TreeSet<>();
            for (Map.Entry<String, Path> f : files.entrySet()) {
                Path to = rootfs.resolve(f.getKey()).normalize();
                if (Path.of(f.getKey()).isAbsolute() || !to.startsWith(rootfs) || to.equals(rootfs)) {
                    throw new KitException("image path \"" + f.getKey() + "\" is not a relative path inside the image");
                }
                Files.createDirectories(to.getParent());
                Files.copy(f.getValue(), to, StandardCopyOption.COPY_ATTRIBUTES);
                top.add(rootfs.relativize(to).getName(0).toString());
            }
            Path layer = layout.resolve("layer.tar");
            List<String> tar = new ArrayList<>(List.of(
                    "tar",
                    "--numeric-owner",
                    "--owner=0",
                    "--group=0",
                    "-C",
                    rootfs.toString(),
                    "-cf",
                    layer.toString()));
            tar.addAll(top);
            commands.require(tar, 120);
            byte[] layerBytes = Files.readAllBytes(layer);
            String layerDigest = sha256(layerBytes);
            Files.move(layer, blob(layout, layerDigest));
            byte[] imageConfig = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":" + config.json()
                            + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}")
                    .getBytes(StandardCharsets.UTF_8);
            String configDigest = sha256(imageConfig);
            Files.write(blob(layout, configDigest), imageConfig);
            byte[] manifest =
                    ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                                    + descriptor(
                                            "application/vnd.oci.image.config.v1+json",
                                            configDigest,
                                            imageConfig.length)
                                    + ",\"layers\":["
                                    + descriptor(
                                            "application/vnd.oci.image.layer.v1.tar", layerDigest, layerBytes.length)
                                    + "]}")
                            .getBytes(StandardCharsets.UTF_8);
            String manifestDigest = sha256(manifest);
            Files.write(blob(layout, manifestDigest), manifest);
            String tag = reference.substring(reference.lastIndexOf(':') + 1);
            String index =
                    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                            + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                            + manifestDigest + "\",\"size\":"
                            + manifest.length
                            + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"annotations\":{"
                            + "\"io.containerd.image.name\":\"" + reference
                            + "\",\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}";
            Files.writeString(layout.resolve("index.json"), index);
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            commands.require(
                    List.of(
                            "tar",
                            "--numeric-owner",
                            "--owner=0",
                            "--group=0",
                            "-C",
                            layout.toString(),
                            "-cf",
                            out.toString(),
                            "oci-layout",
                            "index.json",
                            "blobs"),
                    60);
            deleteTree(layout);
            deleteTree(rootfs);
        } catch (IOException e) {
            throw new KitException("cannot write the scratch image " + out + ": " + e.getMessage(), e);
        }
    }

    /** A JSON array of strings (quotes, backslashes and control characters escaped). */
    public static String array(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            if (sb.length() > 1) sb.append(',');
            sb.append('"');
            for (char c : v.toCharArray()) {
                if (c == '"' || c == '\\') sb.append('\\').append(c);
                else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                else sb.append(c);
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
