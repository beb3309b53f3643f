package dev.uniwasm.bench.core;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
    private static final byte[] PAGE = "<p>hi</p>\n".getBytes(StandardCharsets.UTF_8);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void a200WithExactlyThePageIsRight() {
        assertNull(HttpProbe.verdict(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n<p>hi</p>\n"), PAGE, 1));
    }

    @Test
    void anotherStatusAWrongBodyOrAnIncompleteHeaderIsNamed() {
        String s = HttpProbe.verdict(bytes("HTTP/1.1 404 Not Found\r\n\r\n<p>hi</p>\n"), PAGE, 7);
        assertTrue(s.contains("404") && s.contains(":7"), s);
        s = HttpProbe.verdict(bytes("HTTP/1.1 200 OK\r\n\r\n<p>ho</p>\n"), PAGE, 7);
        assertTrue(s.contains("differs"), s);
        s = HttpProbe.verdict(bytes("HTTP/1.1 200 OK\r\n"), PAGE, 7);
        assertTrue(s.contains("without a complete header"), s);
        s = HttpProbe.verdict(new byte[0], PAGE, 7);
        assertTrue(s.contains("0 bytes"), s);
    }

    @Test
    void checksARealServerOverLoopback() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket c = server.accept()) {
                    InputStream in = c.getInputStream();
                    byte[] buf = new byte[1024];
                    String request = "";
                    while (!request.contains("\r\n\r\n")) {
                        int n = in.read(buf);
                        if (n < 0) return;
                        request += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    }
                    OutputStream out = c.getOutputStream();
                    out.write(bytes(
                            request.startsWith("GET / HTTP/1.0\r\n")
                                    ? "HTTP/1.0 200 OK\r\n\r\n"
                                    : "HTTP/1.0 400 Bad\r\n\r\n"));
                    out.write(PAGE);
                } catch (IOException ignored) {
                    // the assertion below reports it
                }
            });
            assertNull(HttpProbe.check(server.getLocalPort(), PAGE, 5000));
            t.join();
        }
    }

    @Test
    void aClosedPortIsAFailureNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String s = HttpProbe.check(port, PAGE, 2000);
        assertTrue(s != null && s.contains("127.0.0.1:" + port), s);
    }
}
