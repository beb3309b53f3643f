package dev.uniwasm.image;

import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.Machine;
import dev.uniwasm.monitor.QemuCommandLine;
import dev.uniwasm.monitor.VmConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots an image under QEMU the way the console protocol expects (kernel/README.md), on the monitor's
 * machine (QemuCommandLine.guest) but with the serial ports wired for a test: COM1 on the process's
 * stdin/stdout, COM2 into a file, COM3 on a Unix socket whose lines are collected with the time they
 * arrived.
 */
final class Qemu {
    record Result(
            String stdout,
            String stderr,
            List<String> control,
            int status,
            long startNanos,
            Accelerator accelerator,
            double millisToStartLine) {
        String controlLine(String prefix) {
            return control.stream()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** Boots with {@code uniwasm run}'s default memory; {@code runtimeConfig} and {@code stdin} may be null. */
    static Result boot(Path image, Machine machine, Accelerator accelerator, Path runtimeConfig, byte[] stdin)
            throws Exception {
        Path dir = Files.createTempDirectory("uniwasm-qemu-");
        try {
            Path stderrFile = dir.resolve("stderr");
            Path socket = dir.resolve("control.sock");
            List<String> cmd = QemuCommandLine.guest(
                    machine,
                    accelerator,
                    VmConfig.DEFAULT_MEMORY_MIB,
                    image,
                    runtimeConfig,
                    List.of(
                            "stdio,signal=off",
                            "file,path=" + stderrFile,
                            "socket,path=" + socket + ",server=on,wait=on"));

            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            SocketChannel control = connect(socket, p);
            List<String> lines = new ArrayList<>();
            long[] startLineAt = {-1};
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(control), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (lines) {
                            if (line.startsWith("start ") && startLineAt[0] < 0) startLineAt[0] = System.nanoTime();
                            lines.add(line);
                        }
                    }
                } catch (IOException e) {
                    // the VM ended
                }
            });
            byte[][] stdout = new byte[1][];
            Thread out = Thread.ofVirtual().start(() -> {
                try {
                    stdout[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    stdout[0] = new byte[0];
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                    in.flush();
                    control.write(ByteBuffer.wrap(("eof " + stdin.length + "\n").getBytes(StandardCharsets.US_ASCII)));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("QEMU did not finish within 60 s; control so far: " + lines);
            }
            out.join();
            reader.join(5000);
            control.close();
            List<String> control2;
            synchronized (lines) {
                control2 = List.copyOf(lines);
            }
            int status = control2.stream()
                    .filter(l -> l.startsWith("exit "))
                    .findFirst()
                    .map(l -> Integer.parseInt(l.substring(5).trim()))
                    .orElse(-1);
            String stderr = Files.exists(stderrFile) ? Files.readString(stderrFile) : "";
            double toStart = startLineAt[0] < 0 ? -1 : (startLineAt[0] - start) / 1e6;
            return new Result(
                    new String(stdout[0], StandardCharsets.UTF_8),
                    stderr,
                    control2,
                    status,
                    start,
                    accelerator,
                    toStart);
        } finally {
            KernelBuild.deleteTree(dir);
        }
    }

    private static SocketChannel connect(Path socket, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try {
                    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return ch;
                } catch (IOException notYet) {
                    // QEMU created the file but is not listening yet
                }
            }
            if (!p.isAlive()) throw new AssertionError("QEMU exited with " + p.exitValue() + " before opening COM3");
            Thread.sleep(2);
        }
        p.destroyForcibly();
        throw new AssertionError("QEMU never opened its control socket " + socket);
    }
}
