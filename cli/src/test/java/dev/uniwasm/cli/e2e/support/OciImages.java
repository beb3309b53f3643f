package dev.uniwasm.cli.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.oci.ImageReference;
import dev.uniwasm.oci.WasmImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Images from 'uniwasm image build', uniwasm-runtime (oci/runtime/build) and bundles made from them. */
public final class OciImages {
    private static final Pattern DIGEST = Pattern.compile("\"digest\":\"sha256:([0-9a-f]{64})\"");

    private OciImages() {}

    /** build/bin/uniwasm-runtime, built (or found up to date) by oci/runtime/build. */
    public static synchronized Path runtime() throws IOException, InterruptedException {
        run(List.of(Examples.home().resolve("oci/runtime/build").toString()));
        return Examples.home().resolve("build/bin/uniwasm-runtime");
    }

    /** 'uniwasm image build' of an example with the given extra flags into dir/NAME.tar. */
    public static Path build(Path dir, String example, String tag, String... flags) throws Exception {
        Path tar = dir.resolve(example + ".tar");
        List<String> args = new ArrayList<>(
                List.of("image", "build", Examples.wasm(example).toString(), "--tag", tag, "-o", tar.toString()));
        args.addAll(List.of(flags));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.toString());
        return tar;
    }

    /**
     * An archive of a module alone ({@code /NAME.wasm}, no compiled form), as other tools write wasi/wasm
     * images: uniwasm-runtime compiles it on first use.
     */
    public static Path plainImage(Path dir, Path module, String tag) throws IOException {
        String name = module.getFileName().toString();
        Path tar = dir.resolve(name.replace(".wasm", "-plain.tar"));
        WasmImage.write(
                new WasmImage.Spec(
                        ImageReference.parse(tag),
                        name,
                        module,
                        null,
                        null,
                        null,
                        List.of(),
                        List.of(),
                        "test: a wasi/wasm image of the module alone"),
                tar);
        return tar;
    }

    /**
     * A uniwasm command for uniwasm-runtime's compiles (its UNIWASM_CLI): this test JVM's classes, so
     * that no launcher build runs inside a test, and one line appended to {@code counter} per run.
     * The runtime runs it as its compile user (nobody), so the script, its classpath (jars of ~/.m2
     * linked into {@code dir}) and the counter are made readable, and the counter writable, by all;
     * {@code dir}'s parents must let that user through.
     */
    public static Path countingCli(Path dir, Path counter) throws IOException {
        assumeCompileUserReachesTheCheckout();
        Path staged = Files.createDirectories(dir.resolve("classpath"));
        List<String> classpath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) || !Files.exists(p)) {
                classpath.add(entry);
                continue;
            }
            Path link = staged.resolve(n++ + "-" + p.getFileName());
            try {
                Files.createLink(link, p);
            } catch (IOException | UnsupportedOperationException otherFileSystem) {
                Files.copy(p, link);
            }
            classpath.add(link.toString());
        }
        for (Path folder : List.of(dir, staged))
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!Files.exists(counter)) Files.createFile(counter);
        Files.setPosixFilePermissions(counter, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path script = dir.resolve("counting-uniwasm");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // java.io.tmpdir from TMPDIR, as the launcher does: the compile's work folder, where JavaCPP
        // unpacks LLVM for a user without a ~/.javacpp of its own
        Files.writeString(
                script,
                "#!/bin/sh\necho compile >> " + shellQuote(counter.toString()) + "\nexec "
                        + shellQuote(java.toString()) + " -Xss16m --enable-native-access=ALL-UNNAMED -Duniwasm.home="
                        + shellQuote(Examples.home().toString()) + " -Djava.io.tmpdir=\"${TMPDIR:-/tmp}\" -cp "
                        + shellQuote(String.join(":", classpath))
                        + " dev.uniwasm.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** s as one word of sh. */
    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Unpacks the image's one layer into rootfs, as containerd's snapshotter would. */
    public static void unpackLayer(Path imageTar, Path rootfs) throws IOException, InterruptedException {
        Path layout = Files.createTempDirectory(rootfs.getParent(), "layout");
        run(List.of("tar", "-xf", imageTar.toString(), "-C", layout.toString()));
        String index = Files.readString(layout.resolve("index.json"));
        String manifest = Files.readString(layout.resolve("blobs/sha256/" + firstDigest(index)));
        List<String> digests = new ArrayList<>();
        Matcher m = DIGEST.matcher(manifest);
        while (m.find()) digests.add(m.group(1));
        // the config's digest comes first in the manifest, then the layer's
        Files.createDirectories(rootfs);
        run(List.of(
                "tar", "-xzf", layout.resolve("blobs/sha256/" + digests.get(1)).toString(), "-C", rootfs.toString()));
    }

    private static String firstDigest(String json) {
        Matcher m = DIGEST.matcher(json);
        if (!m.find()) throw new IllegalStateException("no digest in " + json);
        return m.group(1);
    }

    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 120 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(command + " failed (" + p.exitValue() + "):\n" + out);
        return out;
    }

    /**
     * Skips the calling test unless a user other than root can reach this checkout (every folder
     * down to it searchable by others, itself readable): uniwasm-runtime compiles on first use as
     * nobody (docs/oci.md, "Compiling on first use"), whose CLI, classes and kernel sources are the
     * checkout's, so a checkout under /root (mode 0700) cannot compile there.
     */
    public static void assumeCompileUserReachesTheCheckout() throws IOException {
        Path home = Examples.home().toAbsolutePath().normalize();
        for (Path p = home; p != null; p = p.getParent()) {
            var permissions = Files.getPosixFilePermissions(p);
            boolean reached = permissions.contains(PosixFilePermission.OTHERS_EXECUTE)
                    && (!p.equals(home) || permissions.contains(PosixFilePermission.OTHERS_READ));
            assumeTrue(
                    reached,
                    "the compile user (nobody) cannot reach the checkout " + home + " (" + p + " is "
                            + PosixFilePermissions.toString(permissions)
                            + "): compiles on first use are not tried here");
        }
    }

    /** A JSON string literal. */
    public static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    public static String jsonList(List<String> items) {
        return "[" + String.join(",", items.stream().map(OciImages::json).toList()) + "]";
    }

    /** A JSON object of these members, in the map's order; the values are JSON already. */
    public static String jsonObject(Map<String, String> members) {
        StringBuilder b = new StringBuilder("{");
        members.forEach((k, v) ->
                b.append(b.length() > 1 ? "," : "").append(json(k)).append(':').append(v));
        return b.append('}').toString();
    }
}
