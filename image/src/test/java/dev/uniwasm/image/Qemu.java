package dev.uniwasm.image;

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
 * Boots an image under QEMU the way the console protocol expects (kernel/README.md): COM1 on the
 * process's stdin/stdout, COM2 into a file, COM3 on a Unix socket whose lines are collected with
 * the time they arrived.
 */
final class Qemu {
    enum Machine { MICROVM, Q35 }

    record Result(String stdout, String stderr, List<String> control, int status, long startNanos,
                  boolean kvm, double millisToStartLine) {
        String controlLine(String prefix) {
            return control.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        }
    }

    /** KVM counts as usable when /dev/kvm opens and is real hardware virtualisation: a PVM host
     * (kvm_pvm) runs non-PVM guests through the instruction emulator, which cannot execute SSE. */
    static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm) && !Files.exists(Path.of("/sys/module/kvm_pvm"));
    }

    static Result boot(Path image, Machine machine, boolean kvm, Path runtimeConfig, byte[] stdin) throws Exception {
        Path dir = Files.createTempDirectory("uniwasm-qemu-");
        try {
            Path stderrFile = dir.resolve("stderr");
            Path socket = dir.resolve("control.sock");
            List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-m", "128M", "-nodefaults",
                    "-no-user-config", "-display", "none", "-no-reboot"));
            cmd.addAll(kvm ? List.of("-accel", "kvm", "-cpu", "host") : List.of("-accel", "tcg", "-cpu", "max"));
            cmd.addAll(List.of("-chardev", "stdio,id=com1,signal=off",
                    "-chardev", "file,id=com2,path=" + stderrFile,
                    "-chardev", "socket,id=com3,path=" + socket + ",server=on,wait=on"));
            if (machine == Machine.MICROVM) {
                cmd.addAll(List.of("-M", "microvm,isa-serial=off,rtc=on",
                        "-device", "isa-serial,chardev=com1,iobase=0x3f8,irq=4",
                        "-device", "isa-serial,chardev=com2,iobase=0x2f8,irq=3",
                        "-device", "isa-serial,chardev=com3,iobase=0x3e8,irq=4"));
            } else {
                cmd.addAll(List.of("-M", "q35", "-serial", "chardev:com1", "-serial", "chardev:com2",
                        "-serial", "chardev:com3"));
            }
            cmd.addAll(List.of("-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-kernel", image.toString()));
            if (runtimeConfig != null) cmd.addAll(List.of("-initrd", runtimeConfig.toString()));

            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            SocketChannel control = connect(socket, p);
            List<String> lines = new ArrayList<>();
            long[] startLineAt = {-1};
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(control),
                        StandardCharsets.UTF_8))) {
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
            int status = control2.stream().filter(l -> l.startsWith("exit ")).findFirst()
                    .map(l -> Integer.parseInt(l.substring(5).trim())).orElse(-1);
            String stderr = Files.exists(stderrFile) ? Files.readString(stderrFile) : "";
            double toStart = startLineAt[0] < 0 ? -1 : (startLineAt[0] - start) / 1e6;
            return new Result(new String(stdout[0], StandardCharsets.UTF_8), stderr, control2, status, start, kvm, toStart);
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
