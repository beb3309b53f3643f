package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.toolchain.Toolchain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's unit tests that need no machine (kernel/README.md, "Unit tests"): the kernel sources
 * below, compiled for the host with the bundled clang together with src/test/c/kernel_test.c,
 * which stands in for the heap, the page allocator, the clock and panic, and checks path
 * resolution, UWFS images, file contents, boot configuration parsing and virtqueues.
 */
class KernelNativeTest {
    /** Portable files and the one platform file (the virtqueue) that need nothing of a machine. */
    static final List<String> SOURCES = List.of(
            "kernel/wasi/path.c",
            "kernel/fs/vnode.c",
            "kernel/fs/filedata.c",
            "kernel/fs/fsimage.c",
            "kernel/boot/bootconfig.c",
            "kernel/plat/x86_64-pvh/dev/virtio_queue.c");

    @Test
    void kernelUnitTestsPass(@TempDir Path dir) throws Exception {
        Path home = KernelBuild.repositoryRoot();
        Path exe = dir.resolve("kernel-test");
        List<String> cmd = new ArrayList<>(
                List.of(Toolchain.clang().toString(), "-fuse-ld=lld", "--ld-path=" + Toolchain.ldLld()));
        for (String s : SOURCES) cmd.add(home.resolve(s).toString());
        cmd.add(home.resolve("image/src/test/c/kernel_test.c").toString());
        // warnings are errors as in the kernel's own build; undefined behaviour (overflow, shifts,
        // misaligned or out-of-bounds array accesses) traps, as no sanitizer runtime ships with the clang
        cmd.addAll(List.of(
                "-std=c11",
                "-O1",
                "-g",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-fno-strict-aliasing",
                "-fsanitize=undefined",
                "-fsanitize-trap=all",
                "-I" + home.resolve("kernel/include"),
                "-I" + home.resolve("kernel"),
                "-I" + home.resolve("runtime/include"),
                "-o",
                exe.toString()));
        Toolchain.run(cmd);
        // output to a file, so a test caught in a loop (a symlink cycle no longer bounded) fails here
        Path log = dir.resolve("kernel-test.log");
        Process p = new ProcessBuilder(exe.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "kernel unit tests hung after:\n" + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.matches("(?s)\\d+ checks, 0 failed\\s*"), output);
    }
}
