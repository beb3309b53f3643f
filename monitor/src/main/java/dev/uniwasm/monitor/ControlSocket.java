package dev.uniwasm.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Unix socket on which other programs (tests, benchmarks) query the running guest while the VM
 * runs ({@code uniwasm run --control-socket PATH}). Line protocol: the client writes {@code stats},
 * the monitor answers with the kernel's line {@code stats frames=<n> heap=<n> sockets=<n>}, or with
 * {@code error <reason>}. The socket file is removed when the VM ends.
 */
final class ControlSocket implements AutoCloseable {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Path path;
    private final ServerSocketChannel server;

    private ControlSocket(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    /** Binds {@code path} (which must not exist) and serves requests on daemon threads. */
    static ControlSocket serve(Path path, ControlChannel control, OutputStream toGuest) {
        ServerSocketChannel server;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new MonitorException("cannot listen on the control socket " + path + ": " + e.getMessage(), e);
        }
        ControlSocket socket = new ControlSocket(path, server);
        Thread acceptor = new Thread(
                () -> {
                    while (server.isOpen()) {
                        try {
                            SocketChannel client = server.accept();
                            Thread t = new Thread(() -> answer(client, control, toGuest), "uniwasm-control-client");
                            t.setDaemon(true);
                            t.start();
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "uniwasm-control-socket");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private static void answer(SocketChannel client, ControlChannel control, OutputStream toGuest) {
        try (client;
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                Writer out = Channels.newWriter(client, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String request = line.strip();
                if (request.isEmpty()) continue;
                String reply;
                if (request.equals("stats")) {
                    try {
                        reply = control.requestStats(toGuest, ANSWER_TIMEOUT);
                    } catch (IOException e) {
                        reply = "error " + e.getMessage();
                    }
                } else {
                    reply = "error unknown request \"" + request + "\" (known: stats)";
                }
                out.write(reply + "\n");
                out.flush();
            }
        } catch (IOException clientGone) {
            // the client hung up; nothing to answer
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way that matters here
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover socket file is harmless; the next bind names it
        }
    }
}
