package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * N consecutive TCP ports free on 127.0.0.1, one per instance, so that the native servers can be
 * started by one short shell command. Checked by binding each; another program may still take one
 * before the instance does, which then fails its check with the port named.
 */
record PortBlock(int first, int count) {
    /** Where the search starts: above the usual services, below Linux's ephemeral range (32768..). */
    private static final int SEARCH_FROM = 20000;

    private static final int SEARCH_TO = 32000;

    static PortBlock find(int count) {
        int candidate = SEARCH_FROM;
        while (candidate + count <= SEARCH_TO) {
            int taken = firstTaken(candidate, count);
            if (taken < 0) return new PortBlock(candidate, count);
            candidate = taken + 1;
        }
        throw new BenchException(
                "no " + count + " consecutive free TCP ports on 127.0.0.1 in " + SEARCH_FROM + ".." + SEARCH_TO);
    }

    /** The first port of the range that cannot be bound, or -1 when all can. */
    private static int firstTaken(int from, int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int p = from; p < from + count; p++) {
                try {
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                } catch (IOException e) {
                    return p;
                }
            }
            return -1;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listener that never accepted does not fail in practice
                }
            }
        }
    }

    int port(int index) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException(index);
        return first + index;
    }
}
