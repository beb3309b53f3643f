package dev.uniwasm.monitor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The VM's network: none, or one virtio-net device, either on QEMU's user-mode network (no root
 * needed; the guest sees 10.0.2.15/24 with gateway 10.0.2.2) with the given ports published on the
 * host, or on an existing host TAP device ({@code tapDevice}, for performance; the caller creates
 * and addresses it, typically inside a network namespace).
 *
 * <p>{@code outbound} says whether the guest may start traffic of its own (the boot configuration's
 * outbound rules, which the kernel enforces). Without it the user-mode network is also started
 * with {@code restrict=on}, so QEMU itself drops what the guest starts (see {@link #restricted()}).
 *
 * @param tapDevice the host TAP interface's name, or null for user-mode networking
 */
public record NetworkOptions(boolean enabled, List<PortForward> published, String tapDevice, boolean outbound) {
    public static final NetworkOptions NONE = new NetworkOptions(false, List.of(), null, false);
    /** Linux's limit on interface names (IFNAMSIZ - 1). */
    public static final int MAX_INTERFACE_NAME = 15;

    static final Path VHOST_NET = Path.of("/dev/vhost-net");

    public NetworkOptions {
        published = List.copyOf(published);
        if (!enabled && !published.isEmpty()) throw new IllegalArgumentException("ports published without a network");
        if (!enabled && outbound) throw new IllegalArgumentException("outbound traffic without a network");
        if (tapDevice != null) {
            if (!enabled) throw new IllegalArgumentException("a TAP device without a network");
            if (!published.isEmpty()) {
                throw new IllegalArgumentException(
                        "--publish works with user-mode networking only; on a TAP device the "
                                + "guest's address is reachable directly");
            }
            checkInterfaceName(tapDevice);
        }
    }

    public NetworkOptions(boolean enabled, List<PortForward> published, String tapDevice) {
        this(enabled, published, tapDevice, false);
    }

    public NetworkOptions(boolean enabled, List<PortForward> published) {
        this(enabled, published, null, false);
    }

    /** A user-mode network on which the guest starts nothing itself. */
    public static NetworkOptions userMode(List<PortForward> published) {
        return new NetworkOptions(true, published, null, false);
    }

    /** A user-mode network; {@code outbound}: the guest may start traffic (within its kernel's rules). */
    public static NetworkOptions userMode(List<PortForward> published, boolean outbound) {
        return new NetworkOptions(true, published, null, outbound);
    }

    public static NetworkOptions tap(String device) {
        return new NetworkOptions(true, List.of(), device, false);
    }

    /**
     * Whether QEMU's user network runs with {@code restrict=on}: it then refuses every connection
     * the guest opens and drops every UDP datagram it sends (libslirp, tcp_input.c and udp.c),
     * while connections to published TCP ports still work. So it is on unless the guest may send
     * out, or a UDP port is published: the guest's answers to a published UDP port are datagrams
     * it sends, which restrict would drop. The kernel's outbound rules apply in either case.
     */
    public boolean restricted() {
        return enabled
                && tapDevice == null
                && !outbound
                && published.stream().noneMatch(p -> p.protocol() == PortForward.Protocol.UDP);
    }

    /** Rejects names Linux would not accept as an interface, naming the flag's value. */
    public static void checkInterfaceName(String name) {
        if (name.isEmpty()
                || name.length() > MAX_INTERFACE_NAME
                || name.equals(".")
                || name.equals("..")
                || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("TAP device name \"" + name + "\" is not a valid interface name (1.."
                    + MAX_INTERFACE_NAME + " of A-Z a-z 0-9 _ . -)");
        }
    }

    /**
     * Null when the TAP device exists in this process's network namespace, else a one-line reason
     * naming it. Reads /sys/class/net, which {@code ip netns exec} remounts for the namespace.
     */
    public static String tapProblem(String device) {
        Path dir = Path.of("/sys/class/net", device);
        if (!Files.isDirectory(dir)) {
            return "no network interface \"" + device
                    + "\" in this network namespace (create it with: ip tuntap add dev " + device + " mode tap)";
        }
        // tun_flags exists for TUN/TAP devices only: bit 0x0002 (IFF_TAP) tells TAP from TUN
        try {
            String flags = Files.readString(dir.resolve("tun_flags")).strip();
            if ((Integer.decode(flags) & 0x0002) == 0)
                return "network interface \"" + device + "\" is a TUN, not a TAP device";
        } catch (IOException | NumberFormatException e) {
            return "network interface \"" + device + "\" is not a TAP device";
        }
        return null;
    }

    /** The {@code -netdev} value for this network with the given id. */
    String qemuNetdev(String id, boolean vhost) {
        if (tapDevice != null) {
            // the device is set up by the caller: QEMU runs no scripts
            return "tap,id=" + id + ",ifname=" + tapDevice + ",script=no,downscript=no" + (vhost ? ",vhost=on" : "");
        }
        StringBuilder netdev = new StringBuilder("user,id=" + id);
        if (restricted()) netdev.append(",restrict=on");
        for (PortForward p : published) netdev.append(",hostfwd=").append(p.qemuHostForward());
        return netdev.toString();
    }

    /**
     * vhost-net moves the TAP device's packets in the host kernel; it needs KVM's ioeventfds and a
     * /dev/vhost-net this process can open read-write.
     */
    static boolean vhostNetUsable(Accelerator accelerator) {
        if (accelerator != Accelerator.KVM || !Files.exists(VHOST_NET)) return false;
        try (RandomAccessFile f = new RandomAccessFile(VHOST_NET.toFile(), "rw")) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
