package dev.uniwasm.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The file-system flags shared by build and run: the guest sees the directories first, then the
 * tmpfs mounts, each in command-line order, as pre-opens fd 3, 4, ...
 */
final class MountFlags {
    @Option(
            names = "--dir",
            paramLabel = "HOST[::GUEST][:rw]",
            converter = DirMount.Converter.class,
            description = "Pre-open a host directory at GUEST (default: HOST) (repeatable). Read-only unless "
                    + "':rw' is given, which makes a writable in-memory copy: its changes are lost when the VM exits.")
    List<DirMount> dirs = new ArrayList<>();

    @Option(
            names = "--tmpfs",
            paramLabel = "GUEST[:SIZE]",
            converter = TmpfsMount.Converter.class,
            description = "Pre-open an empty writable in-memory directory at GUEST (repeatable), holding at "
                    + "most SIZE bytes (e.g. 64M; default: guest memory). Its contents are lost when the VM exits.")
    List<TmpfsMount> tmpfs = new ArrayList<>();

    boolean any() {
        return !dirs.isEmpty() || !tmpfs.isEmpty();
    }

    /** Refuses two mounts the app could not tell apart (see {@link GuestPath#canonical}). */
    void checkDistinctGuestPaths() {
        Map<String, String> seen = new HashMap<>();
        List<String> flags = new ArrayList<>();
        for (DirMount d : dirs) flags.add("--dir " + d.guest());
        for (TmpfsMount t : tmpfs) flags.add("--tmpfs " + t.guest());
        for (String flag : flags) {
            String guest = flag.substring(flag.indexOf(' ') + 1);
            String earlier = seen.putIfAbsent(GuestPath.canonical(guest), flag);
            if (earlier != null) {
                throw new UsageException(flag + ": guest path '" + guest + "' is already mounted by " + earlier
                        + " (the app could not tell the two apart)");
            }
        }
    }
}
