package dev.uniwasm.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {
    @Test
    void takesTheLoadersPathsAndSkipsTheVdso() {
        String ldd = """
                \tlinux-vdso.so.1 (0x00007ffd6b5f2000)
                \tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f1c2a6a0000)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c2a4bf000)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f1c2a7a5000)
                """;
        assertEquals(
                Map.of(
                        "lib/x86_64-linux-gnu/libm.so.6",
                        Path.of("/lib/x86_64-linux-gnu/libm.so.6"),
                        "lib/x86_64-linux-gnu/libc.so.6",
                        Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
                        "lib64/ld-linux-x86-64.so.2",
                        Path.of("/lib64/ld-linux-x86-64.so.2")),
                SharedLibraries.parse(ldd));
    }
}
