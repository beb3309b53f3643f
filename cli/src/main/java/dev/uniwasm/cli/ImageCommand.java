package dev.uniwasm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code uniwasm image ...}: container images of Wasm applications (README.md, "Containers"). */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Container images: 'uniwasm image build' writes an OCI image archive for containerd.",
        subcommands = ImageBuildCommand.class)
final class ImageCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (build)");
    }
}
