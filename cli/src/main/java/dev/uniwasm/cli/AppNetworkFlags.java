package dev.uniwasm.cli;

import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.monitor.NetworkOptions;
import dev.uniwasm.monitor.PortForward;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The network options that belong to the app rather than to a VM's device (a picocli mixin): the
 * listeners {@code --tcplisten} pre-opens and the outbound rules ({@code --allow-outbound},
 * {@code --inherit-network}, {@code --allow-ip-name-lookup}). {@code uniwasm run} takes them inside
 * {@link NetworkFlags}; {@code uniwasm image build} alone, baking them into the process executable
 * and the VM image, since a container's network is its namespace's: a process container's app
 * listens there itself, a VM container's QEMU forwards the same addresses and ports to its guest.
 *
 * <p>The app starts no traffic of its own unless allowed, as under wasmtime: the outbound flags
 * become the boot configuration's outbound rules, which the kernel enforces; the host's loopback
 * only when named ({@code host[:PORT]}).
 */
final class AppNetworkFlags {
    @Option(
            names = "--tcplisten",
            paramLabel = "[ADDR:]PORT",
            description = "Pre-open a listening TCP socket for the app as the next descriptor after the directories "
                    + "(repeatable; a bare PORT is 0.0.0.0:PORT).")
    List<String> tcpListen = new ArrayList<>();

    @Option(
            names = "--allow-outbound",
            paramLabel = "ADDR[/PREFIX][:PORT]",
            description =
                    "Let the app connect or send to these addresses (repeatable; default: nothing). 0.0.0.0/0 is any "
                            + "address except the host's own; the host's loopback only when named: 'host[:PORT]' (on --net user the "
                            + "guest sees it as 10.0.2.2; for a process or container it is 127.0.0.1).")
    List<String> allowOutbound = new ArrayList<>();

    @Option(
            names = "--inherit-network",
            description =
                    "Let the app connect or send anywhere except the host's own addresses (--allow-outbound 0.0.0.0/0).")
    boolean inheritNetwork;

    @Option(
            names = "--allow-ip-name-lookup",
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

    /**
     * The guest's network of a VM container, for its image's boot configuration, or null when the
     * app has none. The guest is on QEMU's user network and listens on 0.0.0.0:PORT for each
     * listener, which {@link #vmContainerHost} forwards from the listener's own address and port in
     * the container's network namespace, where QEMU runs: the app listens where a process
     * container's would. That namespace's 127.0.0.1 is the guest's 10.0.2.2 (what QEMU's user
     * network sends to the host's loopback), so outbound rules naming 127.0.0.1 or {@code host}
     * name 10.0.2.2 in the guest, and the same image reaches the same peers either way.
     */
    NetworkConfig vmContainerGuest() {
        if (!any()) return null;
        Set<Integer> ports = new HashSet<>();
        List<NetworkConfig.Listener> guestListeners = new ArrayList<>();
        try {
            for (NetworkConfig.Listener l : listeners()) {
                if (!ports.add(l.port())) {
                    throw new UsageException(
                            "--tcplisten: port " + l.port() + " is given twice; a VM container forwards each "
                                    + "port to its guest once (or build with --isolation process)");
                }
                guestListeners.add(new NetworkConfig.Listener(NetworkConfig.ipv4("0.0.0.0", "address"), l.port()));
            }
            NetworkConfig user = NetworkConfig.userMode(guestListeners);
            Inet4Address loopback = NetworkConfig.ipv4(PROCESS_HOST, "address");
            NetworkConfig.Outbound asked = outbound(user.gateway());
            List<NetworkConfig.Rule> rules = new ArrayList<>();
            for (NetworkConfig.Rule r : asked.rules()) {
                boolean inLoopback = (r.address().getAddress()[0] & 0xff) == 127;
                if (r.prefix() == 32 && r.address().equals(loopback)) {
                    rules.add(new NetworkConfig.Rule(user.gateway(), 32, r.port()));
                } else if (r.prefix() == 32 && inLoopback) {
                    throw new UsageException(
                            "--allow-outbound " + r.address().getHostAddress() + ": a VM container reaches "
                                    + "its network namespace's loopback at 127.0.0.1 only (or build with --isolation process)");
                } else {
                    rules.add(r);
                }
            }
            return user.withOutbound(new NetworkConfig.Outbound(rules, asked.nameLookup()));
        } catch (ImageException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * QEMU's side of {@link #vmContainerGuest}: a user network forwarding each listener's address
     * and port to the guest's port, restricted unless the app may send out (as {@code run} does).
     */
    NetworkOptions vmContainerHost() {
        if (!any()) return NetworkOptions.NONE;
        List<PortForward> forwards = new ArrayList<>();
        for (NetworkConfig.Listener l : listeners()) {
            forwards.add(new PortForward(l.address().getHostAddress(), l.port(), l.port()));
        }
        return NetworkOptions.userMode(forwards, outboundAsked());
    }
}
