package dev.uniwasm.image;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * The guest's IPv4 network as the boot configuration carries it (kernel/README.md, "Boot
 * configuration", version 3): a static address, netmask, gateway and DNS server, the TCP
 * listeners the kernel pre-opens as descriptors (wasmtime's {@code --tcplisten}), and what the app
 * may send out first ({@link Outbound}; nothing unless asked).
 *
 * <p>The defaults match QEMU's user-mode network (10.0.2.0/24, gateway 10.0.2.2, DNS 10.0.2.3,
 * first guest address 10.0.2.15). On it every other address of the subnet leads to the host's
 * loopback ({@code subnetIsHost}), so the kernel opens those only to rules that name one exactly.
 */
public record NetworkConfig(
        Inet4Address address,
        Inet4Address netmask,
        Inet4Address gateway,
        Inet4Address dns,
        List<Listener> listeners,
        Outbound outbound,
        boolean subnetIsHost) {
    static final int SECTION_SIZE = 24;
    static final int LISTENER_SIZE = 8;
    static final int RULE_SIZE = 8;
    /** Network flags (u16 at byte 22 of the section), as kernel/include/kernel/bootconfig.h has them. */
    static final int FLAG_NAME_LOOKUP = 1;

    static final int FLAG_SUBNET_IS_HOST = 2;
    /** The rule count is a u16. */
    static final int MAX_RULES = 0xffff;

    /** A listening TCP socket; {@code 0.0.0.0} accepts on every guest address. */
    public record Listener(Inet4Address address, int port) {
        public Listener {
            Objects.requireNonNull(address, "address");
            if (port < 1 || port > 65535)
                throw new ImageException("TCP listener port " + port + " is outside 1..65535");
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
            if (p < 1 || p > 65535)
                throw new ImageException("--tcplisten \"" + text + "\": port " + p + " is outside 1..65535");
            return new Listener(ipv4(host, "--tcplisten \"" + text + "\""), p);
        }
    }

    /**
     * A destination the app may connect or send to first: an IPv4 prefix and one port (0 = any).
     * The kernel never lets a prefix shorter than /32 reach the host's own addresses (0.0.0.0/8,
     * 127.0.0.0/8 and, on QEMU's user network, the subnet's other addresses): those need a rule
     * naming them exactly.
     */
    public record Rule(Inet4Address address, int prefix, int port) {
        /** Any address but the host's, any port: what {@code --inherit-network} allows. */
        public static final Rule ANY = new Rule(ipv4("0.0.0.0", "address"), 0, 0);
        /** The word {@code --allow-outbound} takes for the host's loopback. */
        public static final String HOST = "host";

        public Rule {
            Objects.requireNonNull(address, "address");
            if (prefix < 0 || prefix > 32)
                throw new ImageException("outbound prefix length " + prefix + " is outside 0..32");
            if (port < 0 || port > 65535) throw new ImageException("outbound port " + port + " is outside 0..65535");
            if ((toInt(address) & ~mask(prefix)) != 0) {
                throw new ImageException("outbound address " + address.getHostAddress() + " has bits set beyond its /"
                        + prefix + " prefix");
            }
        }

        /**
         * Parses {@code ADDR[/PREFIX][:PORT]}, where ADDR may be {@value #HOST}: the host's loopback
         * as the guest's network shows it ({@code host}, null when that network has no such address).
         */
        public static Rule parse(String text, Inet4Address host) {
            String what = "--allow-outbound \"" + text + "\"";
            int colon = text.lastIndexOf(':');
            String target = colon < 0 ? text : text.substring(0, colon);
            int port = 0;
            if (colon >= 0) {
                String p = text.substring(colon + 1);
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new ImageException(what + ": port \"" + p + "\" is not a number");
                }
                if (port < 1 || port > 65535)
                    throw new ImageException(what + ": port " + port + " is outside 1..65535");
            }
            int slash = target.indexOf('/');
            String addressText = slash < 0 ? target : target.substring(0, slash);
            int prefix = 32;
            if (slash >= 0) {
                String p = target.substring(slash + 1);
                try {
                    prefix = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > 32 || !p.matches("\\d+")) {
                    throw new ImageException(what + ": prefix length \"" + p + "\" is not in 0..32");
                }
            }
            Inet4Address address;
            if (addressText.equals(HOST)) {
                if (host == null) {
                    throw new ImageException(what + ": '" + HOST + "' is the host's loopback on QEMU's user network "
                            + "(--net user); on a TAP device name the address");
                }
                if (slash >= 0) throw new ImageException(what + ": '" + HOST + "' takes no prefix length");
                address = host;
            } else {
                address = ipv4(addressText, what);
            }
            if ((toInt(address) & ~mask(prefix)) != 0) {
                throw new ImageException(what + ": the address has bits set beyond the /" + prefix + " prefix");
            }
            return new Rule(address, prefix, port);
        }
    }

    /** What the app may send out first: destinations ({@link Rule}s) and DNS name lookups. */
    public record Outbound(List<Rule> rules, boolean nameLookup) {
        /** Nothing: the app answers what reaches it and starts nothing itself. */
        public static final Outbound NONE = new Outbound(List.of(), false);

        public Outbound {
            rules = List.copyOf(rules);
            if (rules.size() > MAX_RULES) {
                throw new ImageException("--allow-outbound: " + rules.size() + " rules, at most " + MAX_RULES);
            }
        }

        /** Whether the app may start any traffic at all. */
        public boolean any() {
            return nameLookup || !rules.isEmpty();
        }
    }

    public NetworkConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(netmask, "netmask");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(outbound, "outbound");
        listeners = List.copyOf(listeners);
        int hostBits = ~toInt(netmask);
        if ((hostBits & (hostBits + 1)) != 0) {
            throw new ImageException("netmask " + netmask.getHostAddress() + " is not a contiguous prefix");
        }
    }

    /** A network whose subnet holds other machines (a TAP device), with nothing allowed out. */
    public NetworkConfig(
            Inet4Address address,
            Inet4Address netmask,
            Inet4Address gateway,
            Inet4Address dns,
            List<Listener> listeners) {
        this(address, netmask, gateway, dns, listeners, Outbound.NONE, false);
    }

    /** QEMU user-mode networking's addresses, with the given listeners and nothing allowed out. */
    public static NetworkConfig userMode(List<Listener> listeners) {
        return new NetworkConfig(
                ipv4("10.0.2.15", "address"),
                ipv4("255.255.255.0", "netmask"),
                ipv4("10.0.2.2", "gateway"),
                ipv4("10.0.2.3", "dns"),
                listeners,
                Outbound.NONE,
                true);
    }

    /** The same network with what the app may send out. */
    public NetworkConfig withOutbound(Outbound allowed) {
        return new NetworkConfig(address, netmask, gateway, dns, listeners, allowed, subnetIsHost);
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

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The section's size in bytes. */
    int encodedSize() {
        return SECTION_SIZE
                + LISTENER_SIZE * listeners.size()
                + RULE_SIZE * outbound.rules().size();
    }

    /** Writes the section: four addresses in wire order, u32 listener count, u16 rule count, u16
     * flags, then per listener the address, u16 port (little-endian) and u16 0, then per outbound
     * rule the address, u8 prefix length, u8 0 and u16 port (0 = any). */
    void encode(java.nio.ByteBuffer out) {
        out.put(address.getAddress());
        out.put(netmask.getAddress());
        out.put(gateway.getAddress());
        out.put(dns.getAddress());
        out.putInt(listeners.size());
        out.putShort((short) outbound.rules().size());
        out.putShort(
                (short) ((outbound.nameLookup() ? FLAG_NAME_LOOKUP : 0) | (subnetIsHost ? FLAG_SUBNET_IS_HOST : 0)));
        for (Listener l : listeners) {
            out.put(l.address().getAddress());
            out.putShort((short) l.port());
            out.putShort((short) 0);
        }
        for (Rule r : outbound.rules()) {
            out.put(r.address().getAddress());
            out.put((byte) r.prefix());
            out.put((byte) 0);
            out.putShort((short) r.port());
        }
    }
}
