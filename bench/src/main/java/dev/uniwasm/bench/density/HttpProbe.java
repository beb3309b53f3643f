package dev.uniwasm.bench.density;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One HTTP/1.0 GET of {@code /} on 127.0.0.1, checked byte for byte: a plain socket rather than an
 * HTTP client, so that the supervisor's memory holds no client machinery and the check sees exactly
 * what the server sent.
 */
final class HttpProbe {
    private static final int MAX_RESPONSE = 64 * 1024;

    private HttpProbe() {}

    /** Null when {@code port} answered 200 with exactly {@code body}; otherwise what was wrong. */
    static String check(int port, byte[] body, int timeoutMillis) {
        byte[] response;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            response = readAll(s.getInputStream());
        } catch (IOException e) {
            return "GET / on 127.0.0.1:" + port + " failed: " + e;
        }
        return verdict(response, body, port);
    }

    /** Null when the raw response is a 200 carrying exactly {@code body}. */
    static String verdict(byte[] response, byte[] body, int port) {
        int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String where = "127.0.0.1:" + port;
        if (end < 0) return where + " sent " + response.length + " bytes without a complete header";
        String header = new String(response, 0, end, StandardCharsets.ISO_8859_1);
        String status = header.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] 200( .*)?")) return where + " answered \"" + status + "\" instead of 200";
        byte[] got = Arrays.copyOfRange(response, end + 4, response.length);
        if (!Arrays.equals(got, body)) {
            return where + " sent a " + got.length + "-byte body that differs from the " + body.length + "-byte index.html";
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
