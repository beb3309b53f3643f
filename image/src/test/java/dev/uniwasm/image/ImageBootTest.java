package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.KvmProbe;
import dev.uniwasm.monitor.Machine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the fake app's image under QEMU (KVM when usable, TCG otherwise) and checks what the
 * console protocol reports. Each scenario is picked by argv[1], passed at run time as the PVH
 * module, so one image serves every test.
 */
class ImageBootTest {
    @TempDir
    static Path dir;

    static Path image;
    static Accelerator accelerator;

    @BeforeAll
    static void buildImage() throws Exception {
        accelerator = KvmProbe.accelerator();
        if (accelerator == Accelerator.TCG)
            System.out.println("ImageBootTest: KVM not usable here (missing or PVM), booting with TCG");
        image = FakeApp.image(dir, new BootConfig(List.of("fake", "hello"), List.of("BAKED=1"), false));
    }

    static Qemu.Result run(byte[] stdin, String... args) throws Exception {
        return run(Machine.MICROVM, stdin, false, args);
    }

    static Qemu.Result run(Machine machine, byte[] stdin, boolean verbose, String... args) throws Exception {
        Path config = null;
        if (args.length > 0) {
            List<String> argv = new ArrayList<>(List.of("fake"));
            argv.addAll(List.of(args));
            config = Files.createTempFile(dir, "config", ".bin");
            Files.write(config, new BootConfig(argv, List.of("HOME=/", "GREETING=hello world"), verbose).encode());
        }
        return Qemu.boot(image, machine, accelerator, config, stdin);
    }

    @Test
    void bakedConfigSaysHelloAndReportsTheProtocolLines() throws Exception {
        Qemu.Result r = run(null);
        assertEquals("hello from uniwasm\n", r.stdout());
        assertEquals(0, r.status(), r.control().toString());
        assertTrue(r.control().get(0).matches("boot tsc=\\d+"), r.control().toString());
        assertNotNull(r.controlLine("start "), r.control().toString());
        assertTrue(r.controlLine("start ").matches("start tsc=\\d+ tsc_hz=\\d+"), r.controlLine("start "));
        assertEquals("exit 0", r.control().get(r.control().size() - 1));
    }

    @Test
    void runTimeArgsAndEnvironmentRoundTrip() throws Exception {
        Qemu.Result r = run(null, "args", "two words", "ünïcode");
        assertEquals("""
                arg0=fake
                arg1=args
                arg2=two words
                arg3=ünïcode
                env0=HOME=/
                env1=GREETING=hello world
                """, r.stdout());
        assertEquals(0, r.status());
    }

    @Test
    void procExitStatusIsTruncatedToEightBits() throws Exception {
        Qemu.Result seven = run(null, "exit", "7");
        assertEquals("exiting\n", seven.stdout());
        assertEquals(7, seven.status());
        assertEquals(44, run(null, "exit", "300").status());
    }

    @Test
    void aTrapEndsTheAppWithItsMessageAndStatus() throws Exception {
        Qemu.Result r = run(null, "trap", "1");
        assertEquals("trap: unreachable\n", r.stderr());
        assertEquals(129, r.status());
        Qemu.Result overflow = run(null, "trap", "3");
        assertEquals("trap: integer overflow\n", overflow.stderr());
        assertEquals(131, overflow.status());
    }

    @Test
    void anOutOfBoundsAccessTraps() throws Exception {
        for (String offset : List.of("0", "4000000000")) {
            Qemu.Result r = run(null, "oob", offset);
            assertEquals("trap: out of bounds memory access\n", r.stderr(), "offset " + offset);
            assertEquals(133, r.status());
            assertEquals("", r.stdout());
        }
    }

    @Test
    void runawayRecursionExhaustsTheStack() throws Exception {
        Qemu.Result r = run(null, "stack");
        assertEquals("trap: call stack exhausted\n", r.stderr());
        assertEquals(138, r.status());
    }

    @Test
    void aFaultOutsideTheSandboxIsAKernelPanic() throws Exception {
        Qemu.Result r = run(null, "null", "8");
        assertEquals(250, r.status());
        assertTrue(r.stderr().startsWith("kernel panic: page fault (null pointer) (vector 14"), r.stderr());
        assertTrue(r.stderr().contains("CR2=0000000000000008"), r.stderr());
        assertTrue(r.stderr().contains("in app code"), r.stderr());
    }

    @Test
    void memoryGrowthCommitsZeroedPages() throws Exception {
        Qemu.Result r = run(null, "grow");
        assertEquals("old_pages=2 value=42\n", r.stdout());
    }

    @Test
    void badGuestPointersGiveEfaultAndUnimplementedFunctionsEnosys() throws Exception {
        Qemu.Result r = run(null, "errors");
        assertEquals("efault_list=21\nefault_buf=21\nefault_result=21\nebadf=8\nenosys=52\n", r.stdout());
        assertEquals(0, r.status());
    }

    @Test
    void stdinIsEchoedUntilTheMonitorSignalsEof() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 2000; i++) input.append("line ").append(i).append('\n');
        Qemu.Result r = run(input.toString().getBytes(StandardCharsets.UTF_8), "echo");
        assertEquals(input + "<eof>\n", r.stdout());
        assertEquals(0, r.status());
    }

    @Test
    void emptyStdinReadsAsEndOfInput() throws Exception {
        Qemu.Result r = run(new byte[0], "echo");
        assertEquals("<eof>\n", r.stdout());
    }

    @Test
    void clocksTickAndTellTheDate() throws Exception {
        Qemu.Result r = run(null, "clock");
        Matcher m = Pattern.compile("monotonic_delta_ns=(\\d+)\nrealtime_s=(\\d+)\nbad_clock_errno=28\n")
                .matcher(r.stdout());
        assertTrue(m.matches(), r.stdout());
        assertTrue(Long.parseLong(m.group(1)) > 0);
        long hostNow = System.currentTimeMillis() / 1000;
        assertTrue(
                Math.abs(Long.parseLong(m.group(2)) - hostNow) < 120, "RTC time " + m.group(2) + " vs host " + hostNow);
    }

    @Test
    void randomBytesDifferBetweenBoots() throws Exception {
        String a = run(null, "random").stdout();
        String b = run(null, "random").stdout();
        assertTrue(a.matches("[0-9a-f]{32}\n"), a);
        assertNotEquals(a, b);
    }

    @Test
    void bootsOnQ35AndTalksVerboselyWhenAsked() throws Exception {
        Qemu.Result r = run(Machine.Q35, null, true, "hello");
        assertEquals("hello from uniwasm\n", r.stdout());
        assertEquals(0, r.status());
        assertTrue(
                r.control().stream().anyMatch(l -> l.startsWith("log tsc ")),
                r.control().toString());
    }

    @Test
    void stderrGoesToCom2() throws Exception {
        Qemu.Result r = run(null, "stderr");
        assertEquals("to stderr\n", r.stderr());
        assertEquals("", r.stdout());
    }

    /** Not an assertion of speed: prints the figures for the report (time to the start line, size). */
    @Test
    void measureBootTimeAndImageSize() throws Exception {
        for (Machine machine : Machine.values()) {
            double best = Double.MAX_VALUE;
            long tscHz = 0, startTsc = 0, bootTsc = 0;
            for (int i = 0; i < 3; i++) {
                Qemu.Result r = run(machine, null, false);
                assertEquals(0, r.status());
                best = Math.min(best, r.millisToStartLine());
                Matcher s = Pattern.compile("start tsc=(\\d+) tsc_hz=(\\d+)").matcher(r.controlLine("start "));
                assertTrue(s.matches());
                startTsc = Long.parseLong(s.group(1));
                tscHz = Long.parseLong(s.group(2));
                bootTsc = Long.parseLong(r.control().get(0).substring("boot tsc=".length()));
            }
            System.out.printf(
                    "boot %s (%s): QEMU start -> start line %.1f ms (best of 3); kernel entry -> _start %.3f ms%n",
                    machine, accelerator, best, (startTsc - bootTsc) * 1000.0 / tscHz);
        }
        System.out.printf("image size: %d bytes%n", Files.size(image));
    }
}
