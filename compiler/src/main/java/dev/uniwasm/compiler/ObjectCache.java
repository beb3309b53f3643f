package dev.uniwasm.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Content-addressed cache of compiled objects: the key is a SHA-256 of the compiler's own code, the
 * options and the Wasm bytes, so any change to any of them misses. Entries are written atomically,
 * so concurrent builds never see half an object.
 */
public final class ObjectCache {
    private static String compilerFingerprint;
    private final Path dir;

    public ObjectCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $XDG_CACHE_HOME/uniwasm/objects}, or {@code ~/.cache/uniwasm/objects}. */
    public static ObjectCache defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ObjectCache(base.resolve("uniwasm").resolve("objects"));
    }

    public String key(byte[] wasm, CompileOptions options) {
        MessageDigest sha = sha256();
        sha.update(fingerprint().getBytes());
        sha.update(options.toString().getBytes());
        sha.update(wasm);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The cached object for this input, compiling and storing it on a miss. */
    public byte[] getOrCompile(byte[] wasm, CompileOptions options, Supplier<byte[]> compile) {
        Path entry = dir.resolve(key(wasm, options) + ".o");
        try {
            if (Files.isRegularFile(entry)) return Files.readAllBytes(entry);
            byte[] object = compile.get();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "partial", ".o");
            Files.write(tmp, object);
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("object cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A hash of the compiler's classes (its jar, or its classes folder in a development build). */
    static synchronized String fingerprint() {
        if (compilerFingerprint == null) {
            MessageDigest sha = sha256();
            try {
                Path where = Path.of(Compiler.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                List<Path> files;
                if (Files.isDirectory(where)) {
                    try (Stream<Path> s = Files.walk(where)) {
                        files = s.filter(Files::isRegularFile).sorted().toList();
                    }
                } else {
                    files = List.of(where);
                }
                for (Path f : files) {
                    sha.update(where.relativize(f).toString().getBytes());
                    try (InputStream in = Files.newInputStream(f)) {
                        sha.update(in.readAllBytes());
                    }
                }
            } catch (IOException | URISyntaxException | SecurityException e) {
                // Without a fingerprint nothing may be reused: make the key unique to this run.
                sha.update(Long.toString(System.nanoTime()).getBytes());
            }
            compilerFingerprint = HexFormat.of().formatHex(sha.digest());
        }
        return compilerFingerprint;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
