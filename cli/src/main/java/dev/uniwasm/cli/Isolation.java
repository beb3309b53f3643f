package dev.uniwasm.cli;

import dev.uniwasm.image.KernelBuild;
import picocli.CommandLine;

/**
 * How an app is isolated from its host (README.md, "Ways of running"): in a VM of its own, or as a
 * Linux process behind a seccomp filter. Each is a kernel platform.
 */
enum Isolation {
    VM("vm", KernelBuild.Platform.X86_64_PVH, ".img"),
    PROCESS("process", KernelBuild.Platform.X86_64_LINUX, ".exe");

    final String flag;
    final KernelBuild.Platform platform;
    /** The suffix of cached builds (ImageCache). */
    final String cacheSuffix;

    Isolation(String flag, KernelBuild.Platform platform, String cacheSuffix) {
        this.flag = flag;
        this.platform = platform;
        this.cacheSuffix = cacheSuffix;
    }

    static final class Converter implements CommandLine.ITypeConverter<Isolation> {
        @Override
        public Isolation convert(String name) {
            for (Isolation i : values()) {
                if (i.flag.equals(name)) return i;
            }
            throw new CommandLine.TypeConversionException("'" + name + "' is not one of vm, process");
        }
    }
}
