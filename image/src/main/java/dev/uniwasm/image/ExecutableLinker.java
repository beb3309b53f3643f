package dev.uniwasm.image;

import dev.uniwasm.wasm.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Links a compiled app object with the kernel for the Linux-process platform (kernel/plat/x86_64-linux)
 * into a static x86-64 Linux executable without libc: the same app object, kernel and baked boot
 * configuration as a VM image, run as a process behind a seccomp filter ({@code --isolation process}).
 * The two link passes and the function map are {@link ImageLinker}'s.
 */
public final class ExecutableLinker {
    /** The symbol whose value is the memory limit in MiB of a run without uniwasm (kernel/plat/x86_64-linux/main.c). */
    static final String MEMORY_LIMIT_SYMBOL = "uw_process_memory_mib";

    private ExecutableLinker() {}

    /**
     * Writes the executable to {@code out}; {@code memoryMib} is the memory limit it keeps when run by
     * itself ({@code uniwasm run --memory} overrides it at run time).
     */
    public static void link(Path appObject, Module module, BootConfig baked, Path out, long memoryMib) {
        if (memoryMib <= 0) throw new ImageException("memory limit " + memoryMib + " MiB is not positive");
        ImageLinker.link(
                appObject,
                module,
                baked,
                out,
                KernelBuild.Platform.X86_64_LINUX,
                List.of("--defsym=" + MEMORY_LIMIT_SYMBOL + "=" + memoryMib));
        try {
            Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(out));
            mode.addAll(Set.of(
                    PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(out, mode);
        } catch (IOException e) {
            throw new ImageException("cannot make " + out + " executable: " + e.getMessage(), e);
        }
    }
}
