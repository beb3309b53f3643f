package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian binary packages fetched with {@code apt-get download} (the version apt's lists name) into
 * {@code bench/work/http/debs} and unpacked with {@code dpkg-deb -x}; nothing is installed. A package
 * already there is reused: delete the folder to fetch the current versions. The versions used are
 * kept for the report.
 */
public final class DebianBinaries {
    private static final long TIMEOUT_SECONDS = 600;

    private final BenchContext ctx;
    private final Path dir;
    private final Map<String, String> versions = new LinkedHashMap<>();

    public DebianBinaries(BenchContext ctx) {
        this.ctx = ctx;
        this.dir = ctx.work().resolve("http").resolve("debs");
    }

    /** The package's files, unpacked; fetched first when not there yet. */
    Path unpacked(String pkg) {
        Path deb = fetch(pkg);
        Path root = dir.resolve("x-" + pkg);
        if (!Files.isDirectory(root)) {
            Path tmp = dir.resolve("x-" + pkg + ".tmp");
            deleteTree(tmp);
            ctx.commands().require(List.of("dpkg-deb", "-x", deb.toString(), tmp.toString()), null, TIMEOUT_SECONDS);
            try {
                Files.move(tmp, root);
            } catch (IOException e) {
                throw new BenchException("cannot unpack " + deb + ": " + e.getMessage(), e);
            }
        }
        return root;
    }

    /** A field of the package's control file, e.g. Depends. */
    String field(String pkg, String name) {
        return ctx.commands()
                .require(List.of("dpkg-deb", "-f", fetch(pkg).toString(), name), null, 60)
                .out()
                .strip();
    }

    /** package -> version of every package used so far. */
    Map<String, String> versions() {
        return Map.copyOf(versions);
    }

    private Path fetch(String pkg) {
        try {
            Files.createDirectories(dir);
            Path deb = find(pkg);
            if (deb == null) {
                ctx.say("fetching Debian package " + pkg);
                ctx.commands().require(List.of("apt-get", "download", pkg), dir, TIMEOUT_SECONDS);
                deb = find(pkg);
                if (deb == null)
                    throw new BenchException("apt-get download " + pkg + " left no " + pkg + "_*.deb in " + dir);
            }
            String file = deb.getFileName().toString();
            versions.put(
                    pkg, file.split("_")[1].replace("%3a", ":").replace("%3A", ":")); // apt escapes the epoch's colon
            return deb;
        } catch (IOException e) {
            throw new BenchException("cannot fetch Debian package " + pkg + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path find(String pkg) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(pkg + "_")
                            && p.getFileName().toString().endsWith(".deb"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElse(null);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        } catch (IOException e) {
            throw new BenchException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
