package dev.uniwasm.cli.e2e.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the container tests ask of the host they run on: programs on PATH and its cgroup hierarchies. */
public final class Host {
    public static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    /** A hybrid host's cgroup v2 hierarchy, beside its v1 ones. */
    public static final Path UNIFIED = CGROUPS.resolve("unified");

    private Host() {}

    /** Whether an executable of that name is in a folder of PATH. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, tool))) return true;
        }
        return false;
    }

    /**
     * Compiles a test's own C program with the host's clang (-O2, warnings as errors) into output,
     * linked statically for a scratch image's root that holds no C library.
     */
    public static Path compileC(Path source, Path output, boolean staticLink) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("clang", "-O2", "-Wall", "-Werror"));
        if (staticLink) command.add("-static");
        command.addAll(List.of("-o", output.toString(), source.toString()));
        OciImages.run(command);
        return output;
    }

    /** Whether /sys/fs/cgroup is the cgroup v2 hierarchy (else cgroup v1's, or a hybrid host's). */
    public static boolean cgroupV2() {
        return Files.exists(CGROUPS.resolve("cgroup.controllers"));
    }

    /**
     * Every cgroup hierarchy a container's cgroup is made in: /sys/fs/cgroup itself on cgroup v2;
     * on v1 its mounted hierarchies (the unified one of a hybrid host among them), each once, not
     * by the links that name a co-mounted hierarchy again.
     */
    public static List<Path> cgroupHierarchies() throws IOException {
        if (cgroupV2()) return List.of(CGROUPS);
        try (Stream<Path> s = Files.list(CGROUPS)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> Files.exists(p.resolve("cgroup.procs")))
                    .toList();
        }
    }

    /**
     * Removes the parent cgroup a test's containers lived under, in every hierarchy; it must be
     * empty by then: a cgroup still in it is a container the test left behind.
     */
    public static void removeCgroupParent(String parent) throws IOException {
        if (!Files.isDirectory(CGROUPS)) return;
        try {
            for (Path h : cgroupHierarchies()) Files.deleteIfExists(h.resolve(parent));
        } catch (DirectoryNotEmptyException e) {
            throw new IllegalStateException("a container's cgroup was left behind in " + e.getFile());
        }
    }

    /** Skips the test unless this is a hybrid host, whose unified hierarchy can stand in for cgroup v2. */
    public static void assumeUnifiedHierarchy() {
        assumeTrue(
                !cgroupV2() && Files.exists(UNIFIED.resolve("cgroup.procs")),
                "needs a hybrid host's unified hierarchy to stand in for cgroup v2");
    }

    /**
     * A command prefix: the rest runs in a mount namespace of its own with the unified hierarchy
     * bound on /sys/fs/cgroup, where uniwasm-runtime takes the host for a cgroup v2 one.
     */
    public static List<String> unifiedAsCgroupV2() {
        return List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind " + UNIFIED + " " + CGROUPS + " && exec \"$@\"",
                "sh");
    }

    /** The controllers the unified root enables for its children now. */
    public static List<String> unifiedRootControllers() throws IOException {
        return List.of(Files.readString(UNIFIED.resolve("cgroup.subtree_control"))
                .strip()
                .split(" "));
    }

    /**
     * The unified root as it was before a test: parent (which must be empty) removed, then the
     * controllers the runtime enabled on the way to a container's cgroup, as runc does on cgroup v2,
     * disabled again.
     */
    public static void restoreUnifiedRoot(String parent, List<String> controllersBefore) throws IOException {
        Files.deleteIfExists(UNIFIED.resolve(parent));
        Path rootControl = UNIFIED.resolve("cgroup.subtree_control");
        for (String c : unifiedRootControllers())
            if (!c.isEmpty() && !controllersBefore.contains(c)) Files.writeString(rootControl, "-" + c);
    }
}
