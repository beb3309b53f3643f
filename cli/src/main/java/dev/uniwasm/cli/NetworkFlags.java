package dev.uniwasm.cli;

import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.monitor.NetworkOptions;
import dev.uniwasm.monitor.PortForward;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The network options of {@code uniwasm run} (a picocli mixin): {@code --tcplisten ADDR:PORT}
 * pre-opens a listening socket in the guest (wasmtime's flag); {@code --net user} (the default once
 * any network option is given) puts the VM on QEMU's user-mode network, where {@code --publish
 * [127.0.0.1:]HOSTPORT:GUESTPORT} forwards host ports to it; {@code --net tap=NAME} attaches it to
 * an existing host TAP device instead, with the guest's address, gateway and DNS server from
 * {@code --net-address}, {@code --net-gateway} and {@code --net-dns}. They reach the kernel in the
 * boot configuration.
 *
 * <p>{@code --tcplisten} and the outbound rules are {@link AppNetworkFlags}, shared with {@code image build}.
 */
final class NetworkFlags {
    private static final String TAP_PREFIX = "tap=";

    /** --tcplisten and the outbound flags, which image build takes too. */
    @Mixin
    AppNetworkFlags app = new AppNetworkFlags();

    @Option(
            names = {"-p", "--publish"},
            paramLabel = "[127.0.0.1:]HOSTPORT:GUESTPORT",
            description =
                    "Forward a host TCP port (on 127.0.0.1 unless an address is given) to a guest port (repeatable; "
                            + "user-mode network only).")
    List<String> publish = new ArrayList<>();

    @Option(
            names = "--net",
            paramLabel = "user|tap=NAME",
            description = "The guest's network: 'user' (QEMU's user-mode network, no root needed; guest 10.0.2.15/24, "
                    + "gateway 10.0.2.2, DNS 10.0.2.3; the default with --tcplisten, --publish or an outbound flag) or "
                    + "'tap=NAME' (the existing "
                    + "host TAP device NAME, e.g. made with 'ip tuntap add dev NAME mode tap' inside a network namespace; "
                    + "needs --net-address).")
    String mode;

    @Option(
            names = "--net-address",
            paramLabel = "ADDR/PREFIX",
            description = "With --net tap=NAME: the guest's IPv4 address and prefix length, e.g. 10.10.0.2/24.")
    String address;

    @Option(
            names = "--net-gateway",
            paramLabel = "ADDR",
            description =
                    "With --net tap=NAME: the guest's default gateway (default: none, only the local network is reachable).")
    String gateway;

    @Option(
            names = "--net-dns",
            paramLabel = "ADDR",
            description = "With --net tap=NAME: the guest's DNS server (default: the gateway).")
    String dns;

    /** The TAP device's name, or null for user-mode (or no) networking. */
    private String tapDevice() {
        if (mode == null || mode.equals("user")) return null;
        if (mode.startsWith(TAP_PREFIX)) {
            String name = mode.substring(TAP_PREFIX.length());
            try {
                NetworkOptions.checkInterfaceName(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--net " + mode + ": " + e.getMessage());
            }
            return name;
        }
        throw new UsageException("--net \"" + mode + "\": expected 'user' or 'tap=NAME'");
    }

    private boolean wanted() {
        return mode != null || !publish.isEmpty() || app.any();
    }

    /** The guest side, for the boot configuration; null when the app has no network. */
    NetworkConfig guest() {
        String tap = tapDevice();
        if (tap == null && (address != null || gateway != null || dns != null)) {
            String flag = address != null ? "--net-address" : gateway != null ? "--net-gateway" : "--net-dns";
            throw new UsageException(flag + " needs --net tap=NAME: the user-mode network's addresses are fixed "
                    + "(guest 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3)");
        }
        if (!wanted()) return null;
        List<NetworkConfig.Listener> listeners = app.listeners();
        try {
            if (tap == null) {
                NetworkConfig user = NetworkConfig.userMode(listeners);
                return user.withOutbound(app.outbound(user.gateway()));
            }
            if (address == null) {
                throw new UsageException(
                        "--net " + mode + " needs --net-address ADDR/PREFIX, the guest's address on the "
                                + "TAP device's network (e.g. 10.10.0.2/24)");
            }
            int slash = address.indexOf('/');
            if (slash < 0)
                throw new UsageException("--net-address \"" + address + "\": expected ADDR/PREFIX, e.g. 10.10.0.2/24");
            Inet4Address guestAddress = NetworkConfig.ipv4(address.substring(0, slash), "--net-address");
            int prefix = prefixLength(address.substring(slash + 1));
            Inet4Address netmask = NetworkConfig.ipv4(netmask(prefix), "--net-address");
            Inet4Address gatewayAddress = NetworkConfig.ipv4(gateway == null ? "0.0.0.0" : gateway, "--net-gateway");
            Inet4Address dnsAddress = dns == null ? gatewayAddress : NetworkConfig.ipv4(dns, "--net-dns");
            return new NetworkConfig(guestAddress, netmask, gatewayAddress, dnsAddress, listeners)
                    .withOutbound(app.outbound(null));
        } catch (ImageException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private int prefixLength(String text) {
        try {
            int prefix = Integer.parseInt(text);
            if (prefix >= 1 && prefix <= 32) return prefix;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--net-address \"" + address + "\": prefix length \"" + text + "\" is not in 1..32");
    }

    private static String netmask(int prefix) {
        long mask = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (mask >> 24) + "." + (mask >> 16 & 0xff) + "." + (mask >> 8 & 0xff) + "." + (mask & 0xff);
    }

    /**
     * The network of an app run as a process (--isolation process), for the boot configuration, or
     * null when it has none ({@link AppNetworkFlags#process}). {@code --publish} and {@code --net}
     * mean nothing without a NAT or a device of the VM's: refused, naming what to use.
     */
    NetworkConfig process() {
        if (!publish.isEmpty()) {
            throw new UsageException(
                    "-p/--publish applies to --isolation vm only (it forwards a host port into the VM); "
                            + "a process listens on the host itself: use --tcplisten [ADDR:]PORT");
        }
        String vmOnly = mode != null
                ? "--net"
                : address != null
                        ? "--net-address"
                        : gateway != null ? "--net-gateway" : dns != null ? "--net-dns" : null;
        if (vmOnly != null) {
            throw new UsageException(
                    vmOnly + " applies to --isolation vm only: a process uses the host's network as it is");
        }
        return app.process();
    }

    /** The host side, for the monitor. A TAP device must exist in this network namespace. */
    NetworkOptions host() {
        if (!wanted()) return NetworkOptions.NONE;
        String tap = tapDevice();
        if (tap != null) {
            if (!publish.isEmpty()) {
                throw new UsageException("--publish works with --net user only: on a TAP device the guest's address ("
                        + "--net-address) is reachable directly");
            }
            String problem = NetworkOptions.tapProblem(tap);
            if (problem != null) throw new UsageException("--net " + mode + ": " + problem);
            return NetworkOptions.tap(tap);
        }
        List<PortForward> forwards = new ArrayList<>();
        for (String spec : publish) {
            try {
                forwards.add(PortForward.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return NetworkOptions.userMode(forwards, app.outboundAsked());
    }
}
