package dev.uniwasm.cli;

import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The boot configuration a command line asks for. */
final class BootConfigs {
    private BootConfigs() {}

    /** argv[0] is the name of the file the user gave, as wasmtime does; the rest follow. */
    static BootConfig of(Path app, List<String> args, List<EnvironmentVariable> env, boolean verbose) {
        return of(app, args, env, verbose, List.of(), List.of());
    }

    /** Directories first, then tmpfs mounts, each in command-line order: the guest sees them as fd 3, 4, ... */
    static BootConfig of(Path app, List<String> args, List<EnvironmentVariable> env, boolean verbose,
                         List<DirMount> dirs, List<TmpfsMount> tmpfs) {
        List<String> argv = new ArrayList<>();
        argv.add(app.getFileName().toString());
        argv.addAll(args);
        List<Mount> mounts = new ArrayList<>();
        for (DirMount d : dirs) {
            try {
                mounts.add(d.toMount());
            } catch (ImageException e) {
                throw new UsageException("--dir " + d.host() + ": " + e.getMessage());
            }
        }
        for (TmpfsMount t : tmpfs) mounts.add(t.toMount());
        return new BootConfig(argv, env.stream().map(EnvironmentVariable::assignment).toList(), verbose, mounts);
    }
}
