package dev.uniwasm.cli.e2e.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.Main;
import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VM that cannot start is one line naming the flag to change, with status 2 or 1 (README.md). */
class StartFailuresTest {
    private static void assertOneLine(Cli.Result r, int status, String says) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().startsWith("uniwasm: ") && r.err().contains(says), r.toString());
    }

    @Test
    void memoryBelowWhatTheDirNeeds(@TempDir Path dir) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("blob").toFile(), "rw")) {
            f.setLength(40 << 20);
        }
        Cli.Result r = Cli.run(
                "run",
                "--accel",
                "tcg",
                "--memory",
                "32M",
                "--dir",
                dir + "::/data",
                Examples.wasm("hello").toString());
        assertOneLine(r, 2, "--memory 32M is too small");
        assertTrue(r.err().contains("give --memory 4"), r.toString());
    }

    @Test
    void takenHostPort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Cli.Result r = Cli.run(
                    "run",
                    "--accel",
                    "tcg",
                    "-p",
                    port + ":80",
                    Examples.wasm("hello").toString());
            assertOneLine(r, 1, "--publish " + port + ":80: host port " + port + " on 127.0.0.1 is taken");
        }
    }

    @Test
    void hostAddressThatIsNotThisHosts() throws Exception {
        // TEST-NET-3 (RFC 5737): never configured on a host
        Cli.Result r = Cli.run(
                "run",
                "--accel",
                "tcg",
                "-p",
                "203.0.113.7:8080:80",
                Examples.wasm("hello").toString());
        assertOneLine(r, 2, "203.0.113.7 is not an address of this host");
    }

    /** As `uniwasm run hello.wasm | head -c 10`: quiet, and the status a shell shows for SIGPIPE. */
    @Test
    void closedStdoutEndsQuietly() throws Exception {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(
                new String[] {"run", "--accel", "tcg", Examples.wasm("hello").toString()},
                InputStream.nullInputStream(),
                closedPipe,
                new PrintStream(err, true, StandardCharsets.UTF_8),
                -1);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(128 + 13, status, stderr);
        // the app's own stderr line may or may not have been written before the VM was stopped
        assertFalse(stderr.contains("uniwasm:"), "no notice from uniwasm: " + stderr);
    }
}
