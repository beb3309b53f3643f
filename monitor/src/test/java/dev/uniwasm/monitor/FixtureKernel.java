package dev.uniwasm.monitor;

import dev.uniwasm.toolchain.Toolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds src/test/c/fixture_kernel.c, a stand-in PVH guest, with the bundled clang and ld.lld. */
final class FixtureKernel {
    private FixtureKernel() {}

    static synchronized Path image() throws IOException {
        Path home = Path.of(System.getProperty("uniwasm.home", "."));
        Path source = home.resolve("monitor/src/test/c/fixture_kernel.c");
        Path dir = home.resolve("monitor/target/fixture");
        Path object = dir.resolve("fixture_kernel.o");
        Path elf = dir.resolve("fixture_kernel.elf");
        if (Files.exists(elf) && Files.getLastModifiedTime(elf).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return elf;
        }
        Files.createDirectories(dir);
        Toolchain.run(List.of(
                Toolchain.clang().toString(),
                "--target=i386-unknown-none",
                "-ffreestanding",
                "-nostdlib",
                "-fno-pic",
                "-O2",
                "-Wall",
                "-Werror",
                "-c",
                source.toString(),
                "-o",
                object.toString()));
        // -N: one RWX segment at 1 MiB, no ELF headers loaded in front of it
        Toolchain.run(List.of(
                Toolchain.ldLld().toString(),
                "-m",
                "elf_i386",
                "-N",
                "-e",
                "fixture_entry",
                "-Ttext=0x100000",
                object.toString(),
                "-o",
                elf.toString()));
        return elf;
    }
}
