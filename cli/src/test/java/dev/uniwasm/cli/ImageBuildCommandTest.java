package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.OciImages;
import dev.uniwasm.cli.e2e.support.TestSockets;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'uniwasm image build': bad input is one line and exit 2, before anything is compiled or written; what it bakes. */
class ImageBuildCommandTest {
    @TempDir
    Path dir;

    private static void assertUsageError(Cli.Result r, String mustMention) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertTrue(r.err().startsWith("uniwasm: "), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().contains(mustMention), "should mention " + mustMention + ": " + r);
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path hello = Examples.wasm("hello");
        Path out = dir.resolve("x.tar");
        assertUsageError(
                Cli.run("image", "build", hello.toString(), "--tag", "Hello", "-o", out.toString()), "--tag 'Hello'");
        assertUsageError(
                Cli.run("image", "build", hello.toString(), "--tag", "a:-x", "-o", out.toString()),
                "--tag 'a:-x': tag");
        assertUsageError(Cli.run("image", "build", hello.toString(), "-o", out.toString()), "--tag");
        assertUsageError(
                Cli.run(
                        "image",
                        "build",
                        hello.toString(),
                        "--tag",
                        "a",
                        "-o",
                        dir.resolve("no/x.tar").toString()),
                "does not exist");
        Path notNamedWasm = Files.copy(hello, dir.resolve("hello.bin"));
        assertUsageError(
                Cli.run("image", "build", notNamedWasm.toString(), "--tag", "a", "-o", out.toString()), "NAME.wasm");
        assertUsageError(Cli.run("image"), "missing command (build)");
        assertUsageError(
                Cli.run("image", "build", hello.toString(), "--tag", "a", "-o", out.toString(), "--isolation", "wasm"),
                "'wasm' is not one of process, vm, both");
        // the network flags' syntax and errors are run's
        assertUsageError(
                Cli.run("image", "build", hello.toString(), "--tag", "a", "-o", out.toString(), "--tcplisten", "80x"),
                "--tcplisten \"80x\"");
        assertUsageError(
                Cli.run(
                        "image",
                        "build",
                        hello.toString(),
                        "--tag",
                        "a",
                        "-o",
                        out.toString(),
                        "--allow-outbound",
                        "300.1.1.1"),
                "300.1.1.1");
        // a VM's network device has no place in a container
        assertUsageError(
                Cli.run("image", "build", hello.toString(), "--tag", "a", "-o", out.toString(), "-p", "8080:80"), "-p");
        // a VM container forwards ports to its guest: one listener a port, its namespace's loopback at 127.0.0.1
        assertUsageError(
                Cli.run(
                        "image",
                        "build",
                        hello.toString(),
                        "--tag",
                        "a",
                        "-o",
                        out.toString(),
                        "--tcplisten",
                        "127.0.0.1:80",
                        "--tcplisten",
                        "80"),
                "--tcplisten: port 80 is given twice");
        assertUsageError(
                Cli.run(
                        "image",
                        "build",
                        hello.toString(),
                        "--tag",
                        "a",
                        "-o",
                        out.toString(),
                        "--allow-outbound",
                        "127.0.0.2:80"),
                "--allow-outbound 127.0.0.2: a VM container reaches its network namespace's loopback at 127.0.0.1");
        assertFalse(Files.exists(out));
    }

    /** The VM form's memory must hold its image: files baked in by --dir make it larger than --memory. */
    @Test
    void aVmTooLargeForItsMemoryIsMemorysError() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("big"), new byte[8 << 20]);
        Path out = dir.resolve("big.tar");
        Cli.Result r = Cli.run(
                "image",
                "build",
                Examples.wasm("hello").toString(),
                "--tag",
                "big",
                "-o",
                out.toString(),
                "--dir",
                data + "::/data",
                "--memory",
                "8M",
                "--isolation",
                "vm");
        assertUsageError(r, "--memory 8M is too small for the VM: ");
        assertTrue(r.err().contains("or --isolation process"), r.toString());
        assertFalse(Files.exists(out));
    }

    /**
     * The VM form of a --tcplisten image gets QEMU's user network with a forward of the listener's
     * address and port to the guest's port, restricted (nothing allowed out), and its guest a user
     * network listening on that port; 127.0.0.1 in an outbound rule is 10.0.2.2 in the guest.
     */
    @Test
    void aListenerIsForwardedToTheVmForm() throws Exception {
        Path tar = OciImages.build(dir, "tcp_echo", "echo-vm", "--tcplisten", "127.0.0.1:8080", "--isolation", "vm");
        Path rootfs = dir.resolve("rootfs-vm");
        OciImages.unpackLayer(tar, rootfs);
        String qemu = Files.readString(rootfs.resolve(".uniwasm/tcp_echo.wasm.x86_64-pvh.qemu"));
        assertTrue(qemu.contains("\ntcg user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:8080\n"), qemu);
        assertTrue(qemu.contains("\nkvm virtio-net-device,netdev=net0\n"), qemu);

        dev.uniwasm.image.NetworkConfig guest = vmGuest(
                "--tcplisten",
                "127.0.0.1:8080",
                "--allow-outbound",
                "127.0.0.1:5432",
                "--allow-outbound",
                "host:6379",
                "--allow-outbound",
                "192.0.2.0/24");
        assertEquals(
                List.of(new dev.uniwasm.image.NetworkConfig.Listener(
                        dev.uniwasm.image.NetworkConfig.ipv4("0.0.0.0", "a"), 8080)),
                guest.listeners());
        assertEquals(
                List.of("10.0.2.2/32:5432", "10.0.2.2/32:6379", "192.0.2.0/24:0"),
                guest.outbound().rules().stream()
                        .map(r -> r.address().getHostAddress() + "/" + r.prefix() + ":" + r.port())
                        .toList());
        assertTrue(guest.subnetIsHost(), guest.toString());
    }

    /** The guest network image build bakes into a VM form for these flags. */
    private static dev.uniwasm.image.NetworkConfig vmGuest(String... flags) {
        AppNetworkFlags network = new AppNetworkFlags();
        new picocli.CommandLine(network).parseArgs(flags);
        return network.vmContainerGuest();
    }

    /**
     * --tcplisten is baked into the image's process executable: run by itself (as uniwasm-runtime
     * execs it), it listens on the baked address before its sandbox goes up and serves there.
     */
    @Test
    void aListenerIsBakedIntoTheCompiledApp() throws Exception {
        int port = TestSockets.freeLoopbackPort();
        Path tar = OciImages.build(dir, "tcp_echo", "echo", "--tcplisten", "127.0.0.1:" + port);
        Path rootfs = dir.resolve("rootfs");
        OciImages.unpackLayer(tar, rootfs);
        Process app = new ProcessBuilder(
                        rootfs.resolve(".uniwasm/tcp_echo.wasm.x86_64-linux").toString(), "1")
                .redirectErrorStream(true)
                .start();
        try {
            // "ready fd 3": the listener is the first descriptor after stdio (no mounts)
            String ready = new String(app.getInputStream().readNBytes("ready fd 3\n".length()), StandardCharsets.UTF_8);
            assertEquals("ready fd 3\n", ready);
            try (Socket s = TestSockets.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertArrayEquals(
                        "baked".getBytes(StandardCharsets.UTF_8),
                        TestSockets.echoWhileWriting(s, "baked".getBytes(StandardCharsets.UTF_8)));
            }
            assertTrue(app.waitFor(30, TimeUnit.SECONDS), "tcp_echo 1 did not end after its one connection");
            assertEquals(0, app.exitValue(), new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            app.destroyForcibly();
        }
    }
}
