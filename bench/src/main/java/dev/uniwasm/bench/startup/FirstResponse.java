package dev.uniwasm.bench.startup;

import dev.uniwasm.bench.core.BackgroundProcess;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.HttpProbe;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.SuiteReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code uniwasm run} of examples/http_server.wasm (user-mode network, a port published on
 * 127.0.0.1) until it has answered its first request with the right page: the time a user waits
 * from typing the command to being served. The client asks again every 10 ms; QEMU accepts on the
 * published port before the guest listens, so early attempts end without an answer.
 */
final class FirstResponse {
    private static final int GUEST_PORT = 8080;
    private static final long GIVE_UP_NANOS = 120_000_000_000L;

    private FirstResponse() {}

    static void measure(BenchContext ctx, SuiteReport report, int runs) {
        Path wasm = ctx.home().resolve("build").resolve("examples").resolve("http_server.wasm");
        if (!Files.isRegularFile(wasm)) throw new BenchException(wasm + " is missing (examples/build makes it)");
        String page = page();
        byte[] pageBytes = page.getBytes(StandardCharsets.UTF_8);
        Path root = ctx.work().resolve("startup").resolve("www");
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("index.html"), page);
        } catch (IOException e) {
            throw new BenchException("cannot write " + root + ": " + e.getMessage(), e);
        }
        // a pending rebuild of the project happens here, not in a timed run
        ctx.commands().require(List.of(ctx.launcher().toString(), "--version"), null, 1800);
        List<Double> served = new ArrayList<>(), ready = new ArrayList<>();
        List<String> shown = null;
        for (int i = 0; i < runs + 1; i++) {
            int port = freeLoopbackPort();
            List<String> cmd = List.of(
                    ctx.launcher().toString(),
                    "run",
                    "--tcplisten",
                    String.valueOf(GUEST_PORT),
                    "--publish",
                    "127.0.0.1:" + port + ":" + GUEST_PORT,
                    "--dir",
                    root + "::/www",
                    wasm.toString(),
                    "--",
                    "/www");
            if (shown == null) shown = cmd;
            try (BackgroundProcess server = ctx.commands().start(cmd, null, Map.of())) {
                // when the guest printed its ready line, taken apart from the client's attempts
                java.util.concurrent.CompletableFuture<Long> readyAt = new java.util.concurrent.CompletableFuture<>();
                Thread.startVirtualThread(() -> {
                    try {
                        readyAt.complete(server.awaitOutput("ready fd ", 120_000) ? server.elapsedNanos() : -1L);
                    } catch (InterruptedException e) {
                        readyAt.complete(-1L);
                    }
                });
                for (; ; ) {
                    byte[] answer = get(port);
                    if (answer != null) {
                        String problem = HttpProbe.verdict(answer, pageBytes, port);
                        if (problem != null)
                            throw new BenchException(
                                    "the first answer of the HTTP server was not the page: " + problem);
                        long servedNanos = server.elapsedNanos();
                        // the first run is the warm-up (the image is built and cached there)
                        if (i > 0) {
                            served.add(servedNanos / 1e6);
                            long r = readyAt.getNow(-1L);
                            if (r > 0) ready.add(r / 1e6);
                        }
                        break;
                    }
                    if (!server.alive())
                        throw new BenchException("the HTTP server ended before it answered: " + server.describe());
                    if (server.elapsedNanos() > GIVE_UP_NANOS)
                        throw new BenchException("no answer within 120 s: " + server.describe());
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted");
            }
        }
        Measurement s = report.add("http_server", "uniwasm", "first response", "ms", served);
        report.md(
                "### HTTP server to its first response\n\n`"
                        + String.join(" ", shown).replace(ctx.home() + "/", "")
                        + "`, then `GET /index.html` on 127.0.0.1 every 10 ms until the page comes back; " + runs
                        + " runs after one warm-up; median (min..max) in ms from starting the command.\n\n| until | ms |\n|---|---|\n");
        if (ready.size() == served.size()) {
            Measurement r = report.add("http_server", "uniwasm", "ready line", "ms", ready);
            report.md("| the guest prints `ready` (it listens) | " + ReportWriter.medianAndRange(r.stats()) + " |\n");
        }
        report.md("| the client has the page | " + ReportWriter.medianAndRange(s.stats()) + " |\n\n"
                + "When the first row's maximum is small and the second's is seconds, the wait was in QEMU's user-mode "
                + "network (slirp) between the client and a guest that was already listening.\n\n");
    }

    /** A page about the size of nginx's default index.html. */
    static String page() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><title>uniwasm</title></head><body>\n");
        while (b.length() < 560) b.append("<p>Served by a WebAssembly unikernel.</p>\n");
        return b.append("</body></html>\n").toString();
    }

    /** The whole answer to one GET, or null when the connection gave none (nothing listens yet). */
    private static byte[] get(int port) {
        try {
            byte[] answer = HttpProbe.get(port, "/index.html", 5000);
            return answer.length == 0 ? null : answer;
        } catch (IOException notYet) {
            return null;
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BenchException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }
}
