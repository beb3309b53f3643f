package dev.uniwasm.cli;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ImageLinker;
import dev.uniwasm.image.KernelBuild;
import dev.uniwasm.monitor.VmConfig;
import dev.uniwasm.wasm.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Images (and process executables) built from .wasm files for {@code uniwasm run}, under
 * ~/.cache/uniwasm/images (or $XDG_CACHE_HOME/uniwasm/images). The key covers everything an image depends on: the module's bytes,
 * the compiler options, the kernel archive, and the code of the compiler and image linker.
 */
final class ImageCache {
    private final Path dir;

    ImageCache(Path dir) {
        this.dir = dir;
    }

    static ImageCache inUserCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ImageCache(base.resolve("uniwasm").resolve("images"));
    }

    /** What {@link #imageFor} did. */
    record Lookup(Path image, boolean hit) {}

    /**
     * The cached image for this module and these options, built now if missing. Its baked boot
     * configuration is empty: runs of a .wasm always pass their arguments and environment at run time,
     * so one image serves every name and argument list.
     *
     * <p>Image names are {@code <module key>-<kernel key>.img}. When no image of this module key exists
     * yet the module is decoded and validated before anything else, so a broken module, or one whose
     * imports no kernel provides, is reported as such at once, even when the kernel cannot be built;
     * a module with an image is known to be valid and is not decoded again.
     */
    Lookup imageFor(Path wasm, byte[] bytes, CompileOptions options) {
        return imageFor(wasm, bytes, options, Isolation.VM);
    }

    /** The same for a way of running: a VM image ({@code .img}) or a process executable ({@code .exe}). */
    Lookup imageFor(Path wasm, byte[] bytes, CompileOptions options, Isolation isolation) {
        String moduleKey = moduleKey(bytes, options);
        Module module = null;
        if (!anyImageOf(moduleKey)) module = ModuleLoader.loadForImage(new Compiler(options), wasm, bytes);
        Path image = dir.resolve(moduleKey + "-" + kernelKey(isolation.platform) + isolation.cacheSuffix);
        if (Files.isRegularFile(image)) return new Lookup(image, true);
        if (module == null) module = ModuleLoader.loadForImage(new Compiler(options), wasm, bytes);
        // a process run passes its memory limit at run time, so the baked default is never used
        ImageBuilder.build(
                wasm,
                bytes,
                module,
                options,
                new BootConfig(List.of(), List.of(), false),
                image,
                isolation,
                VmConfig.DEFAULT_MEMORY_MIB);
        return new Lookup(image, false);
    }

    private boolean anyImageOf(String moduleKey) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(moduleKey + "-"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The module's bytes, the options, and the code that compiles and links it. */
    static String moduleKey(byte[] wasm, CompileOptions options) {
        MessageDigest sha = sha256();
        update(sha, "uniwasm-image-cache-v1");
        update(sha, Version.version());
        sha.update(sha256().digest(wasm));
        // threads change how fast, not what is built
        update(
                sha,
                "O" + options.optLevel() + " cpu=" + options.cpu() + " imports=" + options.imports() + " features="
                        + options.features());
        fingerprintCode(sha, Compiler.class);
        fingerprintCode(sha, ImageLinker.class);
        return hex(sha, 32);
    }

    /**
     * The kernel archive the image links against. A kernel build folder never changes once complete
     * (its name is the hash of its sources), so its fingerprint is computed once and kept in it, in
     * {@value #KERNEL_KEY_MEMO}: reading ~2 MB on every run was a sixth of a cached start-up.
     */
    static String kernelKey() {
        return kernelKey(KernelBuild.Platform.X86_64_PVH);
    }

    static String kernelKey(KernelBuild.Platform platform) {
        Path kernel = KernelBuild.kernelArchive(platform);
        Path memo = kernel.resolve(KERNEL_KEY_MEMO);
        try {
            String known = Files.readString(memo, StandardCharsets.US_ASCII).strip();
            if (known.matches("[0-9a-f]{32}")) return known;
        } catch (IOException absent) {
            // first use of this kernel build
        }
        MessageDigest sha = sha256();
        fingerprintTree(sha, kernel);
        String key = hex(sha, 16);
        try {
            Path tmp = Files.createTempFile(kernel, KERNEL_KEY_MEMO, ".tmp");
            Files.writeString(tmp, key + "\n", StandardCharsets.US_ASCII);
            Files.move(
                    tmp,
                    memo,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // a read-only build folder: the key is still right, only not remembered
        }
        return key;
    }

    private static final String KERNEL_KEY_MEMO = ".image-cache-key";

    private static String hex(MessageDigest sha, int bytes) {
        return HexFormat.of().formatHex(sha.digest(), 0, bytes);
    }

    /** Contents of every file of the kernel build but its dot-files (the memo): the only exact answer. */
    private static void fingerprintTree(MessageDigest sha, Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
                update(sha, root.relativize(f).toString());
                sha.update(Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel build at " + root + ": " + e.getMessage(), e);
        }
    }

    /** Name, size and time of each file of the jar or class folder a class was loaded from. */
    private static void fingerprintCode(MessageDigest sha, Class<?> cls) {
        Path source;
        try {
            source = Path.of(
                    cls.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the code of " + cls.getName());
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                update(
                        sha,
                        f + " " + Files.size(f) + " "
                                + Files.getLastModifiedTime(f).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
