package dev.uniwasm.cli;

import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.monitor.MonitorException;
import dev.uniwasm.monitor.PortForward;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.List;

/**
 * Checks before QEMU starts that each published host port can be bound, so that a taken port or an
 * address that is not the host's is one line naming the flag instead of QEMU's message. QEMU binds
 * with SO_REUSEADDR, and so does the check: a port held only by connections in TIME-WAIT passes.
 * (A port taken between the check and QEMU's start is still reported by the monitor.)
 */
final class PublishedPorts {
    private PublishedPorts() {}

    static void check(List<PortForward> published) {
        for (PortForward p : published) {
            String flag = "--publish " + spec(p);
            InetAddress address;
            try {
                address = InetAddress.getByName(p.hostAddress()); // a numeric address: no lookup
            } catch (IOException e) {
                throw new UsageException(flag + ": " + p.hostAddress() + " is not an IPv4 address");
            }
            try {
                bind(p, address);
            } catch (BindException e) {
                if (!isLocal(address)) {
                    throw new UsageException(flag + ": " + p.hostAddress() + " is not an address of this host"
                            + " (publish on 127.0.0.1, 0.0.0.0 or an address of one of its interfaces)");
                }
                throw new MonitorException(flag + ": host port " + p.hostPort() + " on " + p.hostAddress()
                        + " is taken (another program uses it); publish on another host port");
            } catch (IOException e) {
                throw new MonitorException(flag + ": cannot bind host port " + p.hostPort() + " on " + p.hostAddress()
                        + ": " + e.getMessage());
            }
        }
    }

    /**
     * The same check for the listeners of a process (--isolation process), which binds them itself
     * on the host: a taken port (exit 1) or an address that is not the host's (exit 2) is one line.
     */
    static void checkListeners(List<NetworkConfig.Listener> listeners) {
        for (NetworkConfig.Listener l : listeners) {
            String flag = "--tcplisten " + l.address().getHostAddress() + ":" + l.port();
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(l.address(), l.port()));
            } catch (BindException e) {
                if (!isLocal(l.address())) {
                    throw new UsageException(
                            flag + ": " + l.address().getHostAddress() + " is not an address of this host"
                                    + " (listen on 127.0.0.1, 0.0.0.0 or an address of one of its interfaces)");
                }
                throw new MonitorException(flag + ": host port " + l.port() + " cannot be bound (" + e.getMessage()
                        + "; another program may use it, or it is below 1024); listen on another port");
            } catch (IOException e) {
                throw new MonitorException(flag + ": cannot bind host port " + l.port() + ": " + e.getMessage());
            }
        }
    }

    private static void bind(PortForward p, InetAddress address) throws IOException {
        InetSocketAddress at = new InetSocketAddress(address, p.hostPort());
        if (p.protocol() == PortForward.Protocol.UDP) {
            try (DatagramSocket s = new DatagramSocket(null)) {
                s.setReuseAddress(true);
                s.bind(at);
            }
        } else {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(at);
            }
        }
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** The flag's value as the user could have typed it. */
    private static String spec(PortForward p) {
        return (p.hostAddress().equals(PortForward.DEFAULT_HOST_ADDRESS) ? "" : p.hostAddress() + ":") + p.hostPort()
                + ":" + p.guestPort() + (p.protocol() == PortForward.Protocol.UDP ? "/udp" : "");
    }
}
