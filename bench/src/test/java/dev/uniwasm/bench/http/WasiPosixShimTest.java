package dev.uniwasm.bench.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/http_server.c compiled natively against bench/programs/http/wasi-posix, served from a
 * pre-opened folder on a loopback port: exact bytes, 404, and clear start-up errors. Needs
 * Debian's clang (skipped without it); about 2 s.
 */
class WasiPosixShimTest {
    @TempDir
    static Path work;

    static Path server;

    @BeforeAll
    static void build() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/clang").canExecute(), "needs Debian's clang");
        Path home = Path.of(System.getProperty("uniwasm.home", ".."))
                .toAbsolutePath()
                .normalize();
        Path shim = home.resolve("bench/programs/http/wasi-posix");
        server = work.resolve("http_server");
        Process p = new ProcessBuilder(
                        "clang",
                        "-O2",
                        "-Wall",
                        "-Werror",
                        "-I" + shim,
                        "-o",
                        server.toString(),
                        home.resolve("examples/http_server.c").toString(),
                        shim.resolve("wasi_posix.c").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process start(String dir, String listen) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(server.toString(), "/www").redirectErrorStream(true);
        pb.environment().put("WASI_DIR", dir);
        pb.environment().put("WASI_TCPLISTEN", listen);
        return pb.start();
    }

    @Test
    void servesThePreOpenedFolderByteForByte() throws Exception {
        Path site = Site.write(work.resolve("www"));
        int port = freePort();
        Process p = start(site + "::/www", "127.0.0.1:" + port);
        try {
            byte[] line = new byte[64];
            int n = p.getInputStream().read(line);
            assertTrue(
                    new String(line, 0, Math.max(n, 0), StandardCharsets.US_ASCII).startsWith("ready fd 4 root /www"),
                    "the directory is fd 3, the listener fd 4");
            HttpClient client = HttpClient.newHttpClient();
            for (Site.File f : Site.FILES) {
                HttpResponse<byte[]> r = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + f.name()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertArrayEquals(f.content(), r.body(), f.name());
            }
            HttpResponse<String> missing = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/missing.html"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBadDirectoryOrAddressStopsItWithTheValueNamed() throws Exception {
        for (List<String> bad : List.of(
                List.of(work.resolve("absent") + "::/www", "127.0.0.1:1"),
                List.of(work + "::/www", "localhost:80"),
                List.of("no-separator", "127.0.0.1:1"))) {
            Process p = start(bad.get(0), bad.get(1));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.waitFor(), out);
            assertTrue(
                    out.contains("wasi-posix: WASI_")
                            && (out.contains(bad.get(0).split("::")[0]) || out.contains(bad.get(1))),
                    out);
        }
    }
}
