package dev.uniwasm.cli;

import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.NetworkConfig;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The network options that belong to the app rather than to a VM's device (a picocli mixin): the
 * listeners {@code --tcplisten} pre-opens and the outbound rules ({@code --allow-outbound},
 * {@code --inherit-network}, {@code --allow-ip-name-lookup}). {@code uniwasm run} takes them inside
 * {@link NetworkFlags}; {@code uniwasm image build} alone, baking them into the process executable,
 * since a container's network is its namespace's, not a device uniwasm sets up.
 *
 * <p>The app starts no traffic of its own unless allowed, as under wasmtime: the outbound flags
 * become the boot configuration's outbound rules, which the kernel enforces; the host's loopback
 * only when named ({@code host[:PORT]}).
 */
final class AppNetworkFlags {
    @Option(names = "--tcplisten", paramLabel = "[ADDR:]PORT",
            description = "Pre-open a listening TCP socket for the app as the next descriptor after the directories "
                + "(repeatable; a bare PORT is 0.0.0.0:PORT).")
    List<String> tcpListen = new ArrayList<>();

    @Option(names = "--allow-outbound", paramLabel = "ADDR[/PREFIX][:PORT]",
            description = "Let the app connect or send to these addresses (repeatable; default: nothing). 0.0.0.0/0 is any "
                + "address except the host's own; the host's loopback only when named: 'host[:PORT]' (on --net user the "
                + "guest sees it as 10.0.2.2; for a process or container it is 127.0.0.1).")
    List<String> allowOutbound = new ArrayList<>();

    @Option(names = "--inherit-network",
            description = "Let the app connect or send anywhere except the host's own addresses (--allow-outbound 0.0.0.0/0).")
    boolean inheritNetwork;

    @Option(names = "--allow-ip-name-lookup",
            description = "Let the app look names up through the DNS server (sock_getaddrinfo); numeric addresses and "
                + "'localhost' need no permission.")
    boolean allowNameLookup;

    boolean outboundAsked() {
        return !allowOutbound.isEmpty() || inheritNetwork || allowNameLookup;
    }

    boolean any() {
        return !tcpListen.isEmpty() || outboundAsked();
    }

    List<NetworkConfig.Listener> listeners() {
        List<NetworkConfig.Listener> listeners = new ArrayList<>();
        try {
            for (String spec : tcpListen) listeners.add(NetworkConfig.Listener.parse(spec));
        } catch (ImageException e) {
            throw new UsageException(e.getMessage());
        }
        return listeners;
    }

    /** What the app may send out; {@code host} is the address the host's loopback has on its network, or null. */
    NetworkConfig.Outbound outbound(Inet4Address host) {
        List<NetworkConfig.Rule> rules = new ArrayList<>();
        try {
            if (inheritNetwork) rules.add(NetworkConfig.Rule.ANY);
            for (String spec : allowOutbound) rules.add(NetworkConfig.Rule.parse(spec, host));
        } catch (ImageException e) {
            throw new UsageException(e.getMessage());
        }
        return new NetworkConfig.Outbound(rules, allowNameLookup);
    }

    /** The host's loopback, what {@code host} names for a process: its network is the host's own (or its container's). */
    static final String PROCESS_HOST = "127.0.0.1";

    /**
     * The network of an app run as a process (--isolation process, or a container's), for the boot
     * configuration, or null when it has none. There is no guest network: listeners are sockets of
     * the network namespace the process runs in, on the address given (wasmtime's default 0.0.0.0
     * for a bare port, as for the VM), outbound rules name its addresses and {@code host} is
     * 127.0.0.1.
     */
    NetworkConfig process() {
        if (!any()) return null;
        try {
            Inet4Address none = NetworkConfig.ipv4("0.0.0.0", "address");
            return new NetworkConfig(none, none, none, none, listeners())
                    .withOutbound(outbound(NetworkConfig.ipv4(PROCESS_HOST, "address")));
        } catch (ImageException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
