package dev.uniwasm.monitor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The per-run temporary folder ({@code uniwasm-vm-<owner pid>-<random>} in java.io.tmpdir): the
 * monitor's sockets and the run-time boot configuration (or a process run's run file), which can hold packed {@code --dir}
 * images of hundreds of MB. The monitor removes it as soon as QEMU has loaded the boot
 * configuration, so even a SIGKILLed monitor leaves nothing once its VM runs; what a monitor killed
 * before that leaves behind, the next one removes ({@link #sweepStale}).
 */
public final class TempFolders {
    static final String PREFIX = "uniwasm-vm-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\d+");
    /**
     * A folder untouched for this long whose owner this host cannot see is stale. The age guards a
     * live owner in another PID namespace sharing /tmp, whose PID means nothing here: a live monitor
     * removes its folder within seconds of QEMU starting.
     */
    static final Duration STALE_AFTER = Duration.ofMinutes(1);

    private TempFolders() {}

    public static Path create() throws IOException {
        return Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
    }

    public static Path root() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Removes the folders in {@code root} of owners that are gone; never one whose owner lives. */
    public static void sweepStale(Path root, Instant now) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path dir : entries) {
                Matcher m = NAME.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir)) continue;
                long owner;
                try {
                    owner = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(owner).isPresent()) continue;
                if (newestChange(dir).toInstant().isAfter(now.minus(STALE_AFTER))) continue;
                deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            // sweeping is a courtesy to earlier runs; it must never stop this one
        }
    }

    private static FileTime newestChange(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir, 1)) {
            return paths.map(p -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            return FileTime.from(Instant.MAX);
                        }
                    })
                    .max(Comparator.naturalOrder())
                    .orElse(FileTime.from(Instant.MAX));
        }
    }

    public static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // already gone, or removed concurrently by the monitor's own clean-up
        }
    }
}
