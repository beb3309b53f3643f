package dev.uniwasm.cli;

import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.monitor.NetworkOptions;
import dev.uniwasm.monitor.PortForward;
import java.util.ArrayList;
import java.util.List;

/**
 * The network options of {@code uniwasm run}: {@code --tcplisten ADDR:PORT} pre-opens a listening
 * socket in the guest (wasmtime's flag), {@code --publish [127.0.0.1:]HOSTPORT:GUESTPORT} forwards
 * a host port to it through QEMU's user-mode network. Either one gives the VM a network.
 */
final class NetworkFlags {
    private NetworkFlags() {}

    /** The guest side, for the boot configuration; null when the app has no network. */
    static NetworkConfig guest(List<String> tcpListen, List<String> publish) {
        if (tcpListen.isEmpty() && publish.isEmpty()) return null;
        List<NetworkConfig.Listener> listeners = new ArrayList<>();
        for (String spec : tcpListen) {
            try {
                listeners.add(NetworkConfig.Listener.parse(spec));
            } catch (ImageException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return NetworkConfig.userMode(listeners);
    }

    /** The host side, for the monitor. */
    static NetworkOptions host(List<String> tcpListen, List<String> publish) {
        if (tcpListen.isEmpty() && publish.isEmpty()) return NetworkOptions.NONE;
        List<PortForward> forwards = new ArrayList<>();
        for (String spec : publish) {
            try {
                forwards.add(PortForward.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return NetworkOptions.userMode(forwards);
    }
}
