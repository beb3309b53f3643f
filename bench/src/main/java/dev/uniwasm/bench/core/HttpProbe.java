package dev.uniwasm.bench.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One HTTP/1.0 GET on 127.0.0.1, checked byte for byte: a plain socket rather than an HTTP client,
 * so that the density supervisor's memory holds no client machinery and the check sees exactly what
 * the server sent.
 */
public final class HttpProbe {
    private static final int MAX_RESPONSE = 64 * 1024;

    private HttpProbe() {}

    /** Null when {@code port} answered {@code GET /} with a 200 carrying exactly {@code body}; otherwise what was wrong. */
    public static String check(int port, byte[] body, int timeoutMillis) {
        byte[] response;
        try {
            response = get(port, "/", timeoutMillis);
        } catch (IOException e) {
            return "GET / on 127.0.0.1:" + port + " failed: " + e;
        }
        return verdict(response, body, port);
    }

    /** The raw response to {@code GET path} on 127.0.0.1:{@code port} (the server closes after it). */
    public static byte[] get(int port, String path, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return readAll(s.getInputStream());
        }
    }

    /**
     * Probes {@code port} every {@code retryMillis} until it answers right (null), a probe fails in a
     * way {@code notYet} does not excuse, {@code ended} names why waiting is pointless (null while the
     * server's process runs), or {@code timeoutSeconds} pass; otherwise what went wrong.
     */
    public static String awaitAnswer(
            int port,
            byte[] body,
            long timeoutSeconds,
            long retryMillis,
            Supplier<String> ended,
            Predicate<String> notYet) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String last = "never probed";
        while (System.nanoTime() < deadline) {
            String why = ended.get();
            if (why != null) return why;
            last = check(port, body, 5000);
            if (last == null) return null;
            if (!notYet.test(last)) return last;
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                return "interrupted";
            }
        }
        return "no answer within " + timeoutSeconds + " s: " + last;
    }

    /** Null when the raw response is a 200 carrying exactly {@code body}. */
    public static String verdict(byte[] response, byte[] body, int port) {
        int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String where = "127.0.0.1:" + port;
        if (end < 0) return where + " sent " + response.length + " bytes without a complete header";
        String header = new String(response, 0, end, StandardCharsets.ISO_8859_1);
        String status = header.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] 200( .*)?")) return where + " answered \"" + status + "\" instead of 200";
        byte[] got = Arrays.copyOfRange(response, end + 4, response.length);
        if (!Arrays.equals(got, body)) {
            return where + " sent a " + got.length + "-byte body that differs from the " + body.length
                    + "-byte index.html";
        }
        return null;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_RESPONSE) throw new IOException("response longer than " + MAX_RESPONSE + " bytes");
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
