package dev.uniwasm.cli.e2e.net;

import static dev.uniwasm.cli.e2e.support.TestSockets.freeLoopbackPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.GuestRun;
import dev.uniwasm.cli.e2e.support.Way;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Data an app sent right before it exits reaches the peer: examples/tcp_send_exit.c writes on an
 * accepted connection and calls proc_exit at once, without closing it. The kernel must push out,
 * and see acknowledged, what lwIP still holds before the VM stops (kernel/README.md, "Exit
 * statuses"). 16 KiB on a fresh connection is the sure case: slow start lets only about 4 KiB out
 * before the app exits, so without the flush the rest is lost every time. 2 MiB is the long
 * stream, whose tail was lost now and then. Each size runs three times (one VM each, under a
 * second apiece) and every run is checked, then each size once more on q35. The client reads over
 * 127.0.0.1 (--publish) until QEMU's exit ends the stream. A client that never reads checks that the
 * wait gives up after its limit. Both ways ({@link Way}): a process's kernel holds the same data in
 * net/host's sockets and flushes them the same way (the stream then ends with the process).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NetworkExitFlushTest {
    private static final int GUEST_PORT = 7000;
    /** The sizes, as the example's argument and in bytes. */
    private static final String[] SIZES = {"16K", "2M"};

    private static final long[] BYTES = {16L << 10, 2L << 20};
    private static final int RUNS = 3;
    /** q35 boots through SeaBIOS, which is slow under TCG. */
    private static final long READY_TIMEOUT_SECONDS = 240;

    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    @ParameterizedTest
    @EnumSource(Way.class)
    void everyByteSentBeforeProcExitArrives(Way way) throws Exception {
        assertEquals(List.of(), shortRuns(way, List.of(), RUNS), "runs whose stream ended before every byte arrived");
    }

    /** The same on q35 (virtio-net over PCI), where the lost tail was first seen; once per size. A VM only: a machine type. */
    @Test
    void everyByteArrivesOnQ35Too() throws Exception {
        assertEquals(
                List.of(),
                shortRuns(Way.VM, List.of("--machine", "q35"), 1),
                "runs whose stream ended before every byte arrived");
    }

    /**
     * A peer that stops reading holds the exit up by the flush's limit (2 s) and no longer: the
     * example fills every buffer on the way until its socket stays unwritable, then exits.
     */
    @ParameterizedTest
    @EnumSource(Way.class)
    void aPeerThatStopsReadingDelaysTheExitOnlyByTheLimit(Way way) throws Exception {
        int hostPort = freeLoopbackPort();
        List<String> flags = new ArrayList<>(List.of("-v"));
        flags.addAll(way.listenFlags(hostPort, GUEST_PORT));
        try (GuestRun vm = new GuestRun(
                        way.runLine(flags, Examples.wasm("tcp_send_exit").toString(), "--", "--until-stalled"));
                Socket s = new Socket()) {
            vm.awaitReady("ready fd 3\n", READY_TIMEOUT_SECONDS);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort), SOCKET_TIMEOUT_MILLIS);
            // nothing is read from s: the guest's window closes and stays closed
            vm.awaitReady("stalled after ", READY_TIMEOUT_SECONDS);
            long stalledAt = System.nanoTime();
            assertEquals(0, vm.awaitStatus(60), vm.report());
            long waitedMillis = (System.nanoTime() - stalledAt) / 1_000_000;
            assertTrue(
                    vm.stderr().contains("exit: 1 TCP connections still had unacknowledged data after 2000 ms"),
                    vm.report());
            assertTrue(
                    waitedMillis >= 1500 && waitedMillis < 15_000,
                    "the VM stopped " + waitedMillis + " ms after the app's exit");
        }
    }

    /** Runs each size `runs` times, one VM or process each; returns the runs that received less than was sent. */
    private static List<String> shortRuns(Way way, List<String> machine, int runs) throws Exception {
        List<String> shortRuns = new ArrayList<>();
        for (int run = 1; run <= runs * SIZES.length; run++) {
            String size = SIZES[(run - 1) / runs];
            long bytes = BYTES[(run - 1) / runs];
            int hostPort = freeLoopbackPort();
            List<String> flags = new ArrayList<>(List.of("-v"));
            flags.addAll(machine);
            flags.addAll(way.listenFlags(hostPort, GUEST_PORT));
            try (GuestRun vm = new GuestRun(
                    way.runLine(flags, Examples.wasm("tcp_send_exit").toString(), "--", size))) {
                vm.awaitReady("ready fd 3\n", READY_TIMEOUT_SECONDS);
                long received;
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort), SOCKET_TIMEOUT_MILLIS);
                    s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                    received = readChecked(s.getInputStream(), run);
                }
                assertEquals(0, vm.awaitStatus(60), vm.report());
                if (received != bytes)
                    shortRuns.add(
                            way + " " + String.join(" ", machine) + " run " + run + ": " + received + " of " + bytes);
                // the kernel's verbose line says the flush ended because everything was acknowledged
                assertTrue(vm.stderr().contains("exit: TCP data delivered after "), vm.report());
            }
        }
        return shortRuns;
    }

    /** Reads to the end of the stream, checking every byte against the example's pattern. */
    private static long readChecked(InputStream in, int run) throws IOException {
        byte[] buf = new byte[64 << 10];
        long offset = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int k = 0; k < n; k++) {
                long i = offset + k;
                byte want = (byte) (i * 7 + i / 4096);
                if (buf[k] != want) {
                    throw new AssertionError(
                            "run " + run + ": byte " + i + " is " + (buf[k] & 0xff) + ", expected " + (want & 0xff));
                }
            }
            offset += n;
        }
        return offset;
    }
}
