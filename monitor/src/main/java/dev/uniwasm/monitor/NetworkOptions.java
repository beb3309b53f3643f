package dev.uniwasm.monitor;

import java.util.List;

/**
 * The VM's network: none, or one virtio-net device on QEMU's user-mode network (no root needed;
 * the guest sees 10.0.2.15/24 with gateway 10.0.2.2) with the given ports published on the host.
 */
public record NetworkOptions(boolean enabled, List<PortForward> published) {
    public static final NetworkOptions NONE = new NetworkOptions(false, List.of());

    public NetworkOptions {
        published = List.copyOf(published);
        if (!enabled && !published.isEmpty()) throw new IllegalArgumentException("ports published without a network");
    }

    public static NetworkOptions userMode(List<PortForward> published) {
        return new NetworkOptions(true, published);
    }
}
