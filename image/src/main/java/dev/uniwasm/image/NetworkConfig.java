package dev.uniwasm.image;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * The guest's IPv4 network as the boot configuration carries it (kernel/README.md, "Boot
 * configuration", version 3): a static address, netmask, gateway and DNS server, and the TCP
 * listeners the kernel pre-opens as descriptors (wasmtime's {@code --tcplisten}).
 *
 * <p>The defaults match QEMU's user-mode network (10.0.2.0/24, gateway 10.0.2.2, DNS 10.0.2.3,
 * first guest address 10.0.2.15).
 */
public record NetworkConfig(Inet4Address address, Inet4Address netmask, Inet4Address gateway, Inet4Address dns,
        List<Listener> listeners) {
    static final int SECTION_SIZE = 24;
    static final int LISTENER_SIZE = 8;

    /** A listening TCP socket; {@code 0.0.0.0} accepts on every guest address. */
    public record Listener(Inet4Address address, int port) {
        public Listener {
            Objects.requireNonNull(address, "address");
            if (port < 1 || port > 65535) throw new ImageException("TCP listener port " + port + " is outside 1..65535");
        }

        /** Parses {@code ADDR:PORT} or {@code PORT} (then on 0.0.0.0), as wasmtime's --tcplisten takes it. */
        public static Listener parse(String text) {
            int colon = text.lastIndexOf(':');
            String host = colon < 0 ? "0.0.0.0" : text.substring(0, colon);
            String port = colon < 0 ? text : text.substring(colon + 1);
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new ImageException("--tcplisten \"" + text + "\": port \"" + port + "\" is not a number");
            }
            if (p < 1 || p > 65535) throw new ImageException("--tcplisten \"" + text + "\": port " + p + " is outside 1..65535");
            return new Listener(ipv4(host, "--tcplisten \"" + text + "\""), p);
        }
    }

    public NetworkConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(netmask, "netmask");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(dns, "dns");
        listeners = List.copyOf(listeners);
        int hostBits = ~toInt(netmask);
        if ((hostBits & (hostBits + 1)) != 0) {
            throw new ImageException("netmask " + netmask.getHostAddress() + " is not a contiguous prefix");
        }
    }

    /** QEMU user-mode networking's addresses, with the given listeners. */
    public static NetworkConfig userMode(List<Listener> listeners) {
        return new NetworkConfig(ipv4("10.0.2.15", "address"), ipv4("255.255.255.0", "netmask"),
                ipv4("10.0.2.2", "gateway"), ipv4("10.0.2.3", "dns"), listeners);
    }

    /** Parses a dotted-quad IPv4 address; {@code what} names the option in the error. */
    public static Inet4Address ipv4(String text, String what) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new ImageException(what + ": \"" + text + "\" is not an IPv4 address (a.b.c.d)");
        }
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: no name lookup happens
            if (a instanceof Inet4Address v4) return v4;
        } catch (UnknownHostException e) {
            // fall through to the error below
        }
        throw new ImageException(what + ": \"" + text + "\" is not an IPv4 address (a.b.c.d)");
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** The section's size in bytes. */
    int encodedSize() {
        return SECTION_SIZE + LISTENER_SIZE * listeners.size();
    }

    /** Writes the section: four addresses in wire order, u32 listener count, u32 0, then per
     * listener the address, u16 port (little-endian) and u16 0. */
    void encode(java.nio.ByteBuffer out) {
        out.put(address.getAddress());
        out.put(netmask.getAddress());
        out.put(gateway.getAddress());
        out.put(dns.getAddress());
        out.putInt(listeners.size());
        out.putInt(0);
        for (Listener l : listeners) {
            out.put(l.address().getAddress());
            out.putShort((short) l.port());
            out.putShort((short) 0);
        }
    }
}
