package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the stand-in guest (src/test/c/fixture_kernel.c) under real QEMU: the monitor's plumbing is
 * tested without depending on the real kernel. The script the guest follows is the run-time boot
 * config, which also proves that -initrd reaches the guest.
 */
class MonitorFixtureTest {
    private static Path kernel;
    private static Accelerator accel;

    @BeforeAll
    static void buildFixture() throws IOException {
        kernel = FixtureKernel.image();
        // the stand-in guest uses no SSE, so even a PVM-served /dev/kvm runs it
        accel = KvmProbe.deviceOpens() ? Accelerator.KVM : Accelerator.TCG;
    }

    private record Run(int status, String out, String err, BootTimings timings) {}

    private static Run run(String script, Machine machine, Accelerator accelerator, InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VmConfig vm = new VmConfig(
                kernel,
                VmConfig.BootConfigWriter.of(script.getBytes(StandardCharsets.UTF_8)),
                32,
                machine,
                accelerator,
                false);
        Monitor.Result r = Monitor.run(vm, stdin, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                r.exitStatus(),
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                r.timings());
    }

    private static Run run(String script) {
        return run(script, Machine.MICROVM, accel, InputStream.nullInputStream());
    }

    @Test
    void stdoutAndStderrStaySeparateAndStatusComesFromControlChannel() {
        Run r = run("out hello\nerr oops\nout world\nexit 3\n");
        assertEquals(3, r.status());
        assertEquals("hello\nworld\n", r.out());
        assertEquals("oops\n", r.err());
    }

    @Test
    void stdinReachesTheGuestAndEofIsSignalled() {
        byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        Run r = run("cat\nout done\nexit 0\n", Machine.MICROVM, accel, new ByteArrayInputStream(input));
        assertEquals(0, r.status(), r.err());
        assertEquals("line one\nline two\ndone\n", r.out());
    }

    /** Under TCG: nested KVM pays two VM exits per UART byte (~30 KB/s), TCG moves ~500 KB/s, and the
     * plumbing under test is the same. 1 MiB is well beyond every socket and pipe buffer. */
    @Test
    void largeOutputIsNotTruncated() {
        int bytes = 1 << 20;
        Run r = run("big " + bytes + "\nexit 0\n", Machine.MICROVM, Accelerator.TCG, InputStream.nullInputStream());
        assertEquals(0, r.status(), r.err());
        assertEquals(bytes, r.out().length());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; expected.length() < bytes; i++)
            expected.append("line ").append(i).append('\n');
        expected.setLength(bytes);
        assertEquals(expected.toString(), r.out());
    }

    @Test
    void vmEndingWithoutExitLineIs70() {
        Run r = run("out partial\nhalt\n");
        assertEquals(Monitor.NO_EXIT_STATUS, r.status());
        assertEquals("partial\n", r.out());
        assertTrue(r.err().contains("without reporting an exit status"), r.err());
    }

    @Test
    void tripleFaultEndsTheVmInsteadOfRebooting() {
        Run r = run("out before\ncrash\n");
        assertEquals(Monitor.NO_EXIT_STATUS, r.status());
        assertEquals("before\n", r.out(), "the image must not boot a second time");
    }

    @Test
    void timingsAreMeasured() {
        Run r = run("exit 0\n");
        assertTrue(r.timings().qemuStart() > 0, r.timings().toString());
        assertTrue(r.timings().guestBoot() >= 0, r.timings().toString());
        assertTrue(
                r.timings().app() >= 0 && r.timings().shutdown() >= 0,
                r.timings().toString());
    }

    @Test
    void q35UnderTcgBootsTheSameImage() {
        Run r = run("out hi\nexit 7\n", Machine.Q35, Accelerator.TCG, InputStream.nullInputStream());
        assertEquals(7, r.status(), r.err());
        assertEquals("hi\n", r.out());
    }

    @Test
    void microvmUnderTcg() {
        Run r = run("out hi\nerr there\nexit 9\n", Machine.MICROVM, Accelerator.TCG, InputStream.nullInputStream());
        assertEquals(9, r.status());
        assertEquals("hi\n", r.out());
        assertEquals("there\n", r.err());
    }
}
