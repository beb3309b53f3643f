package dev.uniwasm.monitor;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One port published from the host to the guest through QEMU's user-mode network
 * ({@code hostfwd=tcp:HOSTADDR:HOSTPORT-:GUESTPORT}, or {@code udp:} for a UDP port). The host side
 * binds to loopback unless an address is given.
 */
public record PortForward(String hostAddress, int hostPort, int guestPort, Protocol protocol) {
    public static final String DEFAULT_HOST_ADDRESS = "127.0.0.1";
    private static final Pattern SPEC =
            Pattern.compile("(?:(\\d{1,3}(?:\\.\\d{1,3}){3}):)?(\\d+):(\\d+)(?:/([A-Za-z]+))?");

    /** The transport a forward carries; QEMU's hostfwd knows these two. */
    public enum Protocol {
        TCP,
        UDP;

        String qemuName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PortForward {
        if (!hostAddress.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("published host address \"" + hostAddress + "\" is not an IPv4 address");
        }
        checkPort(hostPort, "host");
        checkPort(guestPort, "guest");
        if (protocol == null) throw new IllegalArgumentException("published port without a protocol");
    }

    /** A TCP forward. */
    public PortForward(String hostAddress, int hostPort, int guestPort) {
        this(hostAddress, hostPort, guestPort, Protocol.TCP);
    }

    /** Parses {@code [ADDR:]HOSTPORT:GUESTPORT[/tcp|/udp]}, Docker's --publish form (TCP by default). */
    public static PortForward parse(String text) {
        Matcher m = SPEC.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "--publish \"" + text + "\": expected [127.0.0.1:]HOSTPORT:GUESTPORT[/tcp|/udp]");
        }
        String address = m.group(1) == null ? DEFAULT_HOST_ADDRESS : m.group(1);
        Protocol protocol = Protocol.TCP;
        if (m.group(4) != null) {
            try {
                protocol = Protocol.valueOf(m.group(4).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--publish \"" + text + "\": protocol \"" + m.group(4) + "\" is neither tcp nor udp");
            }
        }
        try {
            return new PortForward(address, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), protocol);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--publish \"" + text + "\": port out of range");
        }
    }

    private static void checkPort(int port, String side) {
        if (port < 1 || port > 65535)
            throw new IllegalArgumentException(side + " port " + port + " is outside 1..65535");
    }

    /** The {@code hostfwd=} value of QEMU's {@code -netdev user}. */
    String qemuHostForward() {
        return protocol.qemuName() + ":" + hostAddress + ":" + hostPort + "-:" + guestPort;
    }
}
