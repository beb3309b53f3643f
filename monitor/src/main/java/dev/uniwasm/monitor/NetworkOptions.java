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
 * @param tapDevice the host TAP interface's name, or null for user-mode networking
 */
public record NetworkOptions(boolean enabled, List<PortForward> published, String tapDevice) {
    public static final NetworkOptions NONE = new NetworkOptions(false, List.of(), null);
    /** Linux's limit on interface names (IFNAMSIZ - 1). */
    public static final int MAX_INTERFACE_NAME = 15;
    static final Path VHOST_NET = Path.of("/dev/vhost-net");

    public NetworkOptions {
        published = List.copyOf(published);
        if (!enabled && !published.isEmpty()) throw new IllegalArgumentException("ports published without a network");
        if (tapDevice != null) {
            if (!enabled) throw new IllegalArgumentException("a TAP device without a network");
            if (!published.isEmpty()) {
                throw new IllegalArgumentException("--publish works with user-mode networking only; on a TAP device the "
                        + "guest's address is reachable directly");
            }
            checkInterfaceName(tapDevice);
        }
    }

    public NetworkOptions(boolean enabled, List<PortForward> published) {
        this(enabled, published, null);
    }

    public static NetworkOptions userMode(List<PortForward> published) {
        return new NetworkOptions(true, published, null);
    }

    public static NetworkOptions tap(String device) {
        return new NetworkOptions(true, List.of(), device);
    }

    /** Rejects names Linux would not accept as an interface, naming the flag's value. */
    public static void checkInterfaceName(String name) {
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || name.equals(".") || name.equals("..")
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
            return "no network interface \"" + device + "\" in this network namespace (create it with: ip tuntap add dev "
                    + device + " mode tap)";
        }
        // tun_flags exists for TUN/TAP devices only: bit 0x0002 (IFF_TAP) tells TAP from TUN
        try {
            String flags = Files.readString(dir.resolve("tun_flags")).strip();
            if ((Integer.decode(flags) & 0x0002) == 0) return "network interface \"" + device + "\" is a TUN, not a TAP device";
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
