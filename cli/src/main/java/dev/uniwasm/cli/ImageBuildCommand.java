package dev.uniwasm.cli;

import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.ImageLinker;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.monitor.MonitorException;
import dev.uniwasm.monitor.NetworkOptions;
import dev.uniwasm.monitor.QemuTemplate;
import dev.uniwasm.monitor.VmConfig;
import dev.uniwasm.oci.ImageReference;
import dev.uniwasm.oci.WasmImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code uniwasm image build APP.wasm --tag NAME[:TAG] -o FILE.tar}: an OCI image archive for the
 * platform wasi/wasm (dev.uniwasm.oci.WasmImage) holding the module and its process executable and
 * VM image (with the VM's QEMU command line), compiled now, so that uniwasm-runtime starts containers
 * either way without a JVM or a compiler.
 */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Writes an OCI image archive (platform wasi/wasm) of a WASI module for containerd "
                    + "('ctr images import --platform wasi/wasm FILE.tar'), compiled ahead of time for uniwasm-runtime.",
            "Arguments after -- become the image's default arguments (Cmd) and --env variables its environment (Env): "
                    + "a container's own arguments and environment replace or extend them as for any image. --dir and --tmpfs "
                    + "mounts are baked into the compiled app, and so are --tcplisten listeners and the outbound rules "
                    + "(--allow-outbound, --inherit-network, --allow-ip-name-lookup), in the container's network namespace "
                    + "(a VM container's QEMU forwards the listeners' addresses there to its guest).",
            "A container runs as a sandboxed process, or as a VM with the annotation dev.uniwasm.isolation=vm; "
                    + "--isolation chooses which forms the image carries."
        })
final class ImageBuildCommand implements Callable<Integer>, SessionFactory.SessionAware {
    @Parameters(index = "0", paramLabel = "APP.wasm", description = "The WebAssembly module.")
    Path wasm;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The image's default arguments (after --).")
    List<String> args = new ArrayList<>();

    @Option(
            names = {"-t", "--tag"},
            paramLabel = "NAME[:TAG]",
            required = true,
            description = "The image's name, e.g. hello or hello:1 (docker.io/library/hello:1 to containerd).")
    String tag;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE.tar",
            required = true,
            description = "Where to write the archive.")
    Path output;

    @Option(
            names = "--env",
            paramLabel = "NAME[=VALUE]",
            converter = EnvironmentVariable.Converter.class,
            description = "Environment variable of the image (repeatable); without =VALUE the host's value.")
    List<EnvironmentVariable> env = new ArrayList<>();

    @Mixin
    MountFlags mounts;

    @Mixin
    CompileFlags compileFlags;

    /** Baked in: a container's network is the namespace it runs in, and what the app may do there is the image's. */
    @Mixin
    AppNetworkFlags network = new AppNetworkFlags();

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            converter = MemorySize.class,
            description = "The app's memory limit as a process and its VM's memory (default: "
                    + VmConfig.DEFAULT_MEMORY_MIB + "M); the container's cgroup may limit it further.")
    Long memoryMib;

    /** Which compiled forms the image carries: a VM image costs about as much again as the executable. */
    enum Forms {
        PROCESS,
        VM,
        BOTH
    }

    @Option(
            names = "--isolation",
            paramLabel = "process|vm|both",
            defaultValue = "both",
            converter = FormsConverter.class,
            description = "The ways containers of the image can run: process, vm or both (the default).")
    Forms forms;

    static final class FormsConverter implements picocli.CommandLine.ITypeConverter<Forms> {
        @Override
        public Forms convert(String name) {
            for (Forms f : Forms.values()) {
                if (f.name().toLowerCase(java.util.Locale.ROOT).equals(name)) return f;
            }
            throw new picocli.CommandLine.TypeConversionException("'" + name + "' is not one of process, vm, both");
        }
    }

    private Session session;

    @Override
    public void session(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ImageReference reference;
        try {
            reference = ImageReference.parse(tag);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--tag " + e.getMessage());
        }
        mounts.checkDistinctGuestPaths();
        checkOutput();
        NetworkConfig processNetwork = network.process();
        if (InputFile.kind(wasm) != InputFile.Kind.WASM)
            throw new UsageException(wasm + ": is a uniwasm image already, not a Wasm module");
        String moduleName = wasm.getFileName().toString();
        if (!moduleName.endsWith(".wasm") || moduleName.startsWith(".")) {
            throw new UsageException(wasm
                    + ": the module's file name must be NAME.wasm (not hidden): it becomes the image's entrypoint");
        }
        byte[] bytes = InputFile.read(wasm);
        // arguments and environment travel in the image's configuration, where containerd reads them;
        // mounts have no place there, so the executable carries them
        BootConfig withoutNetwork = BootConfigs.of(wasm, List.of(), List.of(), false, mounts);
        // the process binds and listens on these before its sandbox goes up, as with 'run --isolation process'
        BootConfig baked = processNetwork == null ? withoutNetwork : withoutNetwork.withNetwork(processNetwork);
        // the VM's guest listens on QEMU's user network, whose forwards (in the .qemu file) bind the same addresses
        NetworkConfig vmNetwork = forms == Forms.PROCESS ? null : network.vmContainerGuest();
        BootConfig bakedForVm = vmNetwork == null ? withoutNetwork : withoutNetwork.withNetwork(vmNetwork);
        try {
            ImageLinker.checkBakeable(baked);
            ImageLinker.checkBakeable(bakedForVm);
        } catch (ImageException e) {
            throw new UsageException(wasm + ": cannot build an image: " + e.getMessage());
        }
        Compiler compiler = new Compiler(compileFlags.options());
        Path folder = output.toAbsolutePath().getParent();
        long memory = memoryMib == null ? VmConfig.DEFAULT_MEMORY_MIB : memoryMib;
        Path executable = null, vmImage = null;
        try {
            var module = ModuleLoader.loadForImage(compiler, wasm, bytes);
            // the object is compiled once (ObjectCache) and linked for each platform
            if (forms != Forms.VM) {
                executable = Files.createTempFile(folder, ".uniwasm-process-", ".exe");
                ImageBuilder.build(
                        wasm, bytes, module, compileFlags.options(), baked, executable, Isolation.PROCESS, memory);
            }
            String qemu = null;
            if (forms != Forms.PROCESS) {
                vmImage = Files.createTempFile(folder, ".uniwasm-vm-", ".img");
                ImageBuilder.build(wasm, bytes, module, compileFlags.options(), bakedForVm, vmImage, Isolation.VM, 0);
                qemu = qemuCommandLine(vmImage, memory, network.vmContainerHost());
            }
            WasmImage.Written written = WasmImage.write(
                    new WasmImage.Spec(
                            reference,
                            moduleName,
                            wasm,
                            executable,
                            vmImage,
                            qemu,
                            args,
                            env.stream().map(EnvironmentVariable::assignment).toList(),
                            createdBy()),
                    output);
            session.outText.println(written.reference() + " " + written.manifestDigest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(executable);
            deleteQuietly(vmImage);
        }
        return 0;
    }

    /** The VM's QEMU command line for uniwasm-runtime, from the monitor's; a memory too small for the image is --memory's error. */
    private String qemuCommandLine(Path vmImage, long memory, NetworkOptions vmNetwork) {
        try {
            return QemuTemplate.forImage(vmImage, memory, vmNetwork);
        } catch (MonitorException e) {
            if (e.kind() != MonitorException.Kind.MEMORY_TOO_SMALL) throw e;
            String flag = "--memory " + memory + "M" + (memoryMib == null ? " (the default)" : "");
            throw new UsageException(flag + " is too small for the VM: " + e.getMessage() + "; give --memory "
                    + e.neededMib() + "M or more, or --isolation process");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray temporary file beside the output is harmless
        }
    }

    /** The image's history line: what made it, without host paths. */
    private String createdBy() {
        return "uniwasm image build " + wasm.getFileName() + " (uniwasm " + Version.version() + ", -O"
                + compileFlags.optLevel + ", --cpu " + compileFlags.cpu + ")";
    }

    private void checkOutput() {
        Path folder = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output)) throw new UsageException("--output " + output + ": is a directory");
        if (folder != null && !Files.isDirectory(folder)) {
            throw new UsageException("--output " + output + ": folder " + folder + " does not exist");
        }
    }
}
