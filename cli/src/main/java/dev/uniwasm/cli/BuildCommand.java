package dev.uniwasm.cli;

import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.ImageLinker;
import dev.uniwasm.monitor.VmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Compiles a WASI module ahead of time and links it with the kernel into a bootable image.",
            "Arguments after -- and --env variables are baked into the image; 'uniwasm run' keeps them unless it is "
                    + "given arguments after -- (which replace the baked arguments) or --env variables (which replace the "
                    + "baked environment).",
            "--dir and --tmpfs mounts are baked in too; 'uniwasm run' adds its own after them."
        })
final class BuildCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "APP.wasm", description = "The WebAssembly module.")
    Path wasm;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the application (after --).")
    List<String> args = new ArrayList<>();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "APP.img",
            required = true,
            description = "Where to write the image.")
    Path output;

    @Option(
            names = "--env",
            paramLabel = "NAME[=VALUE]",
            converter = EnvironmentVariable.Converter.class,
            description = "Environment variable for the application (repeatable); without =VALUE the host's value.")
    List<EnvironmentVariable> env = new ArrayList<>();

    @Mixin
    MountFlags mounts;

    @Mixin
    CompileFlags compileFlags;

    @Option(
            names = "--isolation",
            paramLabel = "vm|process",
            converter = Isolation.Converter.class,
            defaultValue = "vm",
            description =
                    "vm (default): a bootable VM image for 'uniwasm run'; process: a standalone Linux executable "
                            + "(run it as ./APP ARGS: its arguments replace the baked ones, its environment is added to the baked one).")
    Isolation isolation;

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            converter = MemorySize.class,
            description = "With --isolation process: the executable's memory limit when run by itself (default: "
                    + VmConfig.DEFAULT_MEMORY_MIB + "M; 'uniwasm run --memory' overrides it).")
    Long memoryMib;

    @Override
    public Integer call() {
        mounts.checkDistinctGuestPaths();
        if (memoryMib != null && isolation != Isolation.PROCESS) {
            throw new UsageException(
                    "--memory applies to --isolation process only: a VM's memory is chosen at run time "
                            + "(uniwasm run --memory)");
        }
        checkOutput();
        if (InputFile.kind(wasm) != InputFile.Kind.WASM)
            throw new UsageException(wasm + ": is a uniwasm image already, not a Wasm module");
        byte[] bytes = InputFile.read(wasm);
        BootConfig baked = BootConfigs.of(wasm, args, env, false, mounts);
        try {
            ImageLinker.checkBakeable(baked);
        } catch (ImageException e) {
            throw new UsageException(wasm + ": cannot build an image: " + e.getMessage());
        }
        Compiler compiler = new Compiler(compileFlags.options());
        ImageBuilder.build(
                wasm,
                bytes,
                ModuleLoader.loadForImage(compiler, wasm, bytes),
                compileFlags.options(),
                baked,
                output,
                isolation,
                memoryMib == null ? VmConfig.DEFAULT_MEMORY_MIB : memoryMib);
        return 0;
    }

    /** Before any work: the output's folder must exist (it is not created: a typo should not make folders). */
    private void checkOutput() {
        Path folder = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output)) throw new UsageException("--output " + output + ": is a directory");
        if (folder != null && !Files.isDirectory(folder)) {
            throw new UsageException("--output " + output + ": folder " + folder + " does not exist");
        }
    }
}
