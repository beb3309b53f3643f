package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a run ends when its owner stops it or its output goes away, and what it leaves behind. */
class MonitorLifecycleTest {
    private static final long TIMEOUT_SECONDS = 120;
    private static Path kernel;

    @BeforeAll
    static void buildFixture() throws IOException {
        kernel = FixtureKernel.image();
    }

    /** A stdin that has nothing to say until the test ends: the guest's "cat" waits on it. */
    private static final class SilentStdin extends InputStream {
        final CountDownLatch end = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                end.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    private static VmConfig vm(String script, long memoryMib) {
        return new VmConfig(
                kernel,
                VmConfig.BootConfigWriter.of(script.getBytes(StandardCharsets.UTF_8)),
                memoryMib,
                Machine.MICROVM,
                Accelerator.TCG,
                false);
    }

    private static List<Path> ourFolders() throws IOException {
        try (Stream<Path> s = Files.list(TempFolders.root())) {
            String mine = TempFolders.PREFIX + ProcessHandle.current().pid() + "-";
            return s.filter(p -> p.getFileName().toString().startsWith(mine)).toList();
        }
    }

    @Test
    void stoppedRunEndsQuietlyAndItsFolderIsGoneOnceTheVmRuns() throws Exception {
        SilentStdin stdin = new SilentStdin();
        WatchedOutput out = new WatchedOutput();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StopSwitch stop = new StopSwitch();
        CompletableFuture<Monitor.Result> result = CompletableFuture.supplyAsync(() -> Monitor.run(
                vm("out ready\ncat\nexit 0\n", 32),
                stdin,
                out,
                new PrintStream(err, true, StandardCharsets.UTF_8),
                null,
                stop));
        try {
            assertTrue(
                    out.awaitContains("ready", TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)),
                    "the guest did not start: " + err);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!ourFolders().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(List.of(), ourFolders(), "the folder with the boot configuration outlives QEMU's start");
            assertTrue(stop.pull(), "a run is in progress");
            Monitor.Result r = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Monitor.Ending.STOPPED, r.ending());
            assertEquals("", err.toString(StandardCharsets.UTF_8), "a stopped run says nothing");
            assertFalse(stop.pull(), "the run is over");
        } finally {
            stop.pull();
            stdin.end.countDown();
        }
    }

    @Test
    void closedOutputStopsTheVmQuietly() throws Exception {
        SilentStdin stdin = new SilentStdin();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        try {
            Monitor.Result r = CompletableFuture.supplyAsync(() -> Monitor.run(
                            vm("out hello\ncat\nexit 0\n", 32),
                            stdin,
                            closedPipe,
                            new PrintStream(err, true, StandardCharsets.UTF_8)))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Monitor.Ending.OUTPUT_CLOSED, r.ending());
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        } finally {
            stdin.end.countDown();
        }
    }

    @Test
    void tooLittleMemoryIsRefusedBeforeQemuStarts() {
        byte[] big = new byte[40 << 20];
        VmConfig vm =
                new VmConfig(kernel, VmConfig.BootConfigWriter.of(big), 32, Machine.MICROVM, Accelerator.TCG, false);
        MonitorException e = assertThrows(
                MonitorException.class,
                () -> Monitor.run(
                        vm,
                        InputStream.nullInputStream(),
                        OutputStream.nullOutputStream(),
                        new PrintStream(OutputStream.nullOutputStream())));
        assertEquals(MonitorException.Kind.MEMORY_TOO_SMALL, e.kind());
        assertTrue(e.neededMib() > 40, e.getMessage());
    }

    /** QEMU connects its serial ports before it allocates guest memory, so this failure comes late. */
    @Test
    void memoryTheHostCannotGiveIsOneClearFailure() throws IOException {
        long hostMib = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:") || line.startsWith("SwapTotal:"))
                hostMib += Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        long ask = 400L * 1024;
        assumeTrue(hostMib * 2 < ask, "this host might give a VM " + ask + " MiB");
        MonitorException e = assertThrows(
                MonitorException.class,
                () -> Monitor.run(
                        vm("exit 0\n", ask),
                        InputStream.nullInputStream(),
                        OutputStream.nullOutputStream(),
                        new PrintStream(OutputStream.nullOutputStream())));
        assertEquals(MonitorException.Kind.MEMORY_UNAVAILABLE, e.kind(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
