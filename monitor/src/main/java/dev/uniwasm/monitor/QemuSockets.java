package dev.uniwasm.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Unix sockets the monitor listens on and QEMU connects to: the guest's three serial ports and
 * QEMU's QMP monitor. COM1 carries the app's stdout (and its stdin the other way), COM2 its stderr,
 * COM3 the control channel. Sockets rather than QEMU's stdio keep stdout and stderr apart, let us see
 * the end of the host's stdin, and give back-pressure instead of truncation: QEMU's UART holds the
 * guest until a byte has been taken.
 */
final class QemuSockets implements AutoCloseable {
    static final int COM1 = 0, COM2 = 1, COM3 = 2, QMP = 3;
    static final int PORTS = 4;
    private static final String[] NAMES = {"com1", "com2", "com3", "qmp"};
    private static final long CONNECT_POLL_MILLIS = 50;

    private final List<Path> paths = new ArrayList<>();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final SocketChannel[] connected = new SocketChannel[PORTS];

    private QemuSockets() {}

    /** Opens the listening sockets inside {@code dir}. */
    static QemuSockets listen(Path dir) throws IOException {
        QemuSockets sockets = new QemuSockets();
        try {
            for (int i = 0; i < PORTS; i++) {
                Path path = dir.resolve(NAMES[i] + ".sock");
                if (path.toString().contains(",")) {
                    throw new MonitorException(
                            "socket path " + path + " contains a comma, which QEMU's -chardev cannot take");
                }
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                sockets.servers.add(server);
                server.bind(UnixDomainSocketAddress.of(path));
                sockets.paths.add(path);
            }
        } catch (IOException | RuntimeException e) {
            sockets.close();
            throw e;
        }
        return sockets;
    }

    /** The serial ports' sockets, COM1 first. */
    List<Path> serialPaths() {
        return List.copyOf(paths.subList(COM1, COM3 + 1));
    }

    Path qmpPath() {
        return paths.get(QMP);
    }

    /** Waits until QEMU has connected to every socket; fails if QEMU ends first. */
    void awaitConnections(Process qemu) throws IOException, InterruptedException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < PORTS; i++) {
                servers.get(i).configureBlocking(false);
                servers.get(i).register(selector, SelectionKey.OP_ACCEPT, i);
            }
            int pending = PORTS;
            while (pending > 0) {
                if (Thread.interrupted()) throw new InterruptedException();
                selector.select(CONNECT_POLL_MILLIS);
                for (SelectionKey key : selector.selectedKeys()) {
                    int port = (Integer) key.attachment();
                    SocketChannel channel = ((ServerSocketChannel) key.channel()).accept();
                    if (channel != null && connected[port] == null) {
                        channel.configureBlocking(true);
                        connected[port] = channel;
                        key.cancel();
                        pending--;
                    }
                }
                selector.selectedKeys().clear();
                if (pending > 0 && !qemu.isAlive()) {
                    throw new MonitorException(
                            "QEMU exited (status " + qemu.exitValue() + ") before connecting to the monitor");
                }
            }
        }
    }

    InputStream input(int port) {
        return Channels.newInputStream(channel(port));
    }

    OutputStream output(int port) {
        return Channels.newOutputStream(channel(port));
    }

    private SocketChannel channel(int port) {
        SocketChannel c = connected[port];
        if (c == null) throw new IllegalStateException(NAMES[port] + " is not connected");
        return c;
    }

    @Override
    public void close() {
        for (SocketChannel c : connected) closeQuietly(c);
        for (ServerSocketChannel s : servers) closeQuietly(s);
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the temporary folder is removed after us anyway
            }
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing after the VM is gone: nothing left to lose
        }
    }
}
