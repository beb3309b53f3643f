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

    /**
     * The arguments, environment and mounts given on the command line: everything a .wasm's run or
     * build needs. argv[0] is the name of the file the user gave, as wasmtime does; the rest follow.
     */
    static BootConfig of(
            Path app, List<String> args, List<EnvironmentVariable> env, boolean verbose, MountFlags mounts) {
        List<String> argv = new ArrayList<>();
        argv.add(app.getFileName().toString());
        argv.addAll(args);
        return config(argv, env.stream().map(EnvironmentVariable::assignment).toList(), verbose, mounts(mounts));
    }

    /**
     * The run-time config for an image from 'uniwasm build', whose own config the kernel would
     * otherwise use: run-time flags replace only what they name. Arguments after -- replace the
     * baked ones (argv[0] then being the image's file name); --env variables replace the baked
     * environment as a whole, so that the app sees exactly the variables given, as under wasmtime;
     * without them the baked arguments and environment are carried over. Mounts are added: the
     * kernel places them after the baked ones.
     */
    static BootConfig forImage(
            Path image,
            BakedConfig baked,
            List<String> args,
            List<EnvironmentVariable> env,
            boolean verbose,
            MountFlags mounts) {
        List<String> argv;
        if (args.isEmpty()) {
            argv = baked.args();
        } else {
            argv = new ArrayList<>();
            argv.add(image.getFileName().toString());
            argv.addAll(args);
        }
        List<String> environment = env.isEmpty()
                ? baked.env()
                : env.stream().map(EnvironmentVariable::assignment).toList();
        return config(argv, environment, verbose, mounts(mounts));
    }

    /** What the command line asked for cannot be carried (packed directories beyond the format's 4 GiB): exit 2. */
    private static BootConfig config(List<String> argv, List<String> env, boolean verbose, List<Mount> mounts) {
        try {
            return new BootConfig(argv, env, verbose, mounts);
        } catch (ImageException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Directories first, then tmpfs mounts, each in command-line order: the guest sees them as fd 3, 4, ... */
    private static List<Mount> mounts(MountFlags flags) {
        List<Mount> mounts = new ArrayList<>();
        for (DirMount d : flags.dirs) {
            try {
                mounts.add(d.toMount());
            } catch (ImageException e) {
                throw new UsageException("--dir " + d.host() + ": " + e.getMessage());
            }
        }
        for (TmpfsMount t : flags.tmpfs) mounts.add(t.toMount());
        return mounts;
    }
}
