package dev.uniwasm.cli;

import dev.uniwasm.image.BootConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The boot configuration a command line asks for. */
final class BootConfigs {
    private BootConfigs() {}

    /** argv[0] is the name of the file the user gave, as wasmtime does; the rest follow. */
    static BootConfig of(Path app, List<String> args, List<EnvironmentVariable> env, boolean verbose) {
        List<String> argv = new ArrayList<>();
        argv.add(app.getFileName().toString());
        argv.addAll(args);
        return new BootConfig(argv, env.stream().map(EnvironmentVariable::assignment).toList(), verbose);
    }
}
