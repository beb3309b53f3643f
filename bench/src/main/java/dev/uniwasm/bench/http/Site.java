package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The files served: a 612-byte page (the size of nginx's default index.html, which the Unikraft
 * paper serves) and a 64 KiB file of pseudo-random bytes (incompressible, fixed seed), written
 * into a folder that every server gets as its root.
 */
final class Site {
    /** One file of the site; {@code label} names it in the report. */
    record File(String name, String label, byte[] content) {}

    static final int PAGE_BYTES = 612;
    static final int LARGE_BYTES = 64 * 1024;
    static final File PAGE = new File("index.html", "612 B", page());
    static final File LARGE = new File("64k.bin", "64 KiB", large());
    static final List<File> FILES = List.of(PAGE, LARGE);

    private Site() {}

    static byte[] page() {
        String head =
                "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome</title>\n<style>\nhtml { color-scheme: light dark; }\n"
                        + "body { width: 35em; margin: 0 auto; font-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n"
                        + "<h1>Welcome</h1>\n<p>If you see this page, the web server is working. This page is the size of nginx's "
                        + "default index.html, as served in the Unikraft and Mewz papers' HTTP benchmarks.</p>\n<p>";
        String tail = "</p>\n<p><em>Thank you for reading.</em></p>\n</body>\n</html>\n";
        int fill = PAGE_BYTES - head.length() - tail.length();
        if (fill < 0) throw new IllegalStateException("page template longer than " + PAGE_BYTES + " bytes");
        String filler = "Served for the uniwasm bench. ".repeat(fill / 30 + 1).substring(0, fill);
        byte[] b = (head + filler + tail).getBytes(StandardCharsets.US_ASCII);
        if (b.length != PAGE_BYTES) throw new IllegalStateException("page is " + b.length + " bytes");
        return b;
    }

    static byte[] large() {
        byte[] b = new byte[LARGE_BYTES];
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < b.length; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8; k++) b[i + k] = (byte) (v >>> (8 * k));
        }
        return b;
    }

    /** Writes the site into {@code dir} (replacing what differs) and returns it. */
    static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            for (File f : FILES) {
                Path p = dir.resolve(f.name());
                if (!Files.isRegularFile(p) || !Arrays.equals(Files.readAllBytes(p), f.content()))
                    Files.write(p, f.content());
            }
            return dir;
        } catch (IOException e) {
            throw new BenchException("cannot write the site into " + dir + ": " + e.getMessage(), e);
        }
    }
}
