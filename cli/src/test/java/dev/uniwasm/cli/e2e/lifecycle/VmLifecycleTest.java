package dev.uniwasm.cli.e2e.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.monitor.WatchedOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code uniwasm run} as its own process, ended by a signal while its guest waits on stdin: the VM
 * must not outlive it, its temporary folder must go, and SIGINT/SIGTERM/SIGHUP must end uniwasm by
 * that signal (not an exit status a trap could give) without a "no exit status" notice. The wait
 * status comes from perl (Essential on Debian): Java reports a signal death as 128 + N, like exit(N).
 */
class VmLifecycleTest {
    private static final long TIMEOUT_SECONDS = 120;

    private record Run(Process perl, ProcessHandle uniwasm, WatchedOutput out, WatchedOutput err) {}

    private static Run start() throws Exception {
        Path hello = Examples.wasm("hello");
        String java = ProcessHandle.current().info().command().orElse("java");
        // the stopping signals back to their defaults: a test run under nohup (SIGHUP) or as a background
        // job of a non-interactive shell (SIGINT) would hand uniwasm an ignored signal,
        // which it rightly keeps ignoring (SignalExit.install)
        List<String> cmd = new ArrayList<>(List.of(
                "perl",
                "-e",
                "$SIG{$_} = 'DEFAULT' for qw(HUP INT TERM); my $r = system(@ARGV); print \"\\nwait-status $?\\n\"; exit 0",
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "-Duniwasm.home=" + Examples.home(),
                "dev.uniwasm.cli.Main",
                "run",
                "--accel",
                "tcg",
                hello.toString(),
                "--",
                "--read-line"));
        Process perl = new ProcessBuilder(cmd).start(); // stdin stays open: the guest waits for its line
        WatchedOutput out = WatchedOutput.of(perl.getInputStream(), "test-stdout");
        WatchedOutput err = WatchedOutput.of(perl.getErrorStream(), "test-stderr");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ProcessHandle uniwasm = null;
        while (uniwasm == null && System.nanoTime() < deadline) {
            uniwasm = perl.toHandle().children().findFirst().orElse(null);
            if (uniwasm == null) Thread.sleep(20);
        }
        assertTrue(uniwasm != null, "perl did not start uniwasm");
        Run run = new Run(perl, uniwasm, out, err);
        assertTrue(
                out.awaitContains("hello from uniwasm", TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)),
                "the guest did not start:\n" + out.text() + "\n--- stderr ---\n" + err.text());
        return run;
    }

    /** The QEMU processes uniwasm started (while it lives: afterwards they would be init's). */
    private static List<ProcessHandle> qemusOf(ProcessHandle uniwasm) {
        return uniwasm.descendants()
                .filter(h -> {
                    try {
                        String cmdline = Files.readString(
                                Path.of("/proc", Long.toString(h.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
                        return cmdline.startsWith("qemu-system");
                    } catch (IOException gone) {
                        return false;
                    }
                })
                .toList();
    }

    private static List<Path> foldersOf(long uniwasmPid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("uniwasm-vm-" + uniwasmPid + "-"))
                    .toList();
        }
    }

    /** A thread dump of the JVM pid (jcmd of the test's own JDK), for a failure that would not say where it hung. */
    private static String threadsOf(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        Process k = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                .inheritIO()
                .start();
        assertEquals(0, k.waitFor(), "kill -s " + signal + " " + pid);
    }

    @ParameterizedTest
    @CsvSource({"INT, 2", "TERM, 15", "HUP, 1", "KILL, 9"})
    void aSignalEndsUniwasmByThatSignalAndLeavesNoVmOrFiles(String signal, int number) throws Exception {
        Run run = start();
        long pid = run.uniwasm().pid();
        List<ProcessHandle> qemus = List.of();
        try {
            qemus = qemusOf(run.uniwasm());
            assertFalse(qemus.isEmpty(), "the test cannot see the VM's QEMU");
            kill(signal, pid);
            if (!run.perl().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("uniwasm did not end after SIG" + signal + "; its threads:\n" + threadsOf(pid)
                        + "\n--- stderr ---\n" + run.err().text());
            }
            assertTrue(run.out().awaitContains("wait-status", 5000), run.out().text());
            String status = run.out().text().replaceAll("(?s).*wait-status (\\d+).*", "$1");
            // waitpid: the low 7 bits are the signal the process died of (0: it exited)
            assertEquals(
                    number,
                    Integer.parseInt(status.strip()) & 127,
                    "wait status " + status + "; stderr:\n" + run.err().text());
            assertFalse(
                    run.err().text().contains("without reporting an exit status"),
                    run.err().text());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (qemus.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(
                    List.of(),
                    qemus.stream().filter(ProcessHandle::isAlive).toList(),
                    "QEMU outlived uniwasm after SIG" + signal);
            assertEquals(List.of(), foldersOf(pid), "uniwasm's temporary folder is left after SIG" + signal);
        } finally {
            for (ProcessHandle q : qemus) q.destroyForcibly();
            run.uniwasm().destroyForcibly();
            run.perl().destroyForcibly();
        }
    }
}
