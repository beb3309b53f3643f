package dev.uniwasm.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Debian source package taken at build (or bench) time and never committed. The package is
 * fetched with apt through a private configuration under {@code <third_party>/apt/} (its own
 * deb-src list, package lists and cache, so the machine's apt setup is neither needed nor touched),
 * checked against the SHA-256 sums pinned by the caller, and unpacked with Debian's patches applied
 * by {@code dpkg-source -x} into {@code <third_party>/<tree name>/}.
 *
 * @param displayName what messages call the package ("lwIP")
 * @param packageName the source package's name ("lwip")
 * @param debianVersion the exact version to fetch ("2.1.3+dfsg1-2")
 * @param sha256ByFile every file of the source package and its SHA-256, as listed in the suite's Sources
 */
public record DebianSource(
        String displayName, String packageName, String debianVersion, Map<String, String> sha256ByFile) {
    private static final String SUITE = "bookworm";
    private static final String MIRROR = "http://deb.debian.org/debian";
    private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
    private static final String COMPLETE_MARKER = ".uniwasm-complete";
    private static final long COMMAND_TIMEOUT_SECONDS = 600;

    /** Checks an unpacked tree before it is kept; throws {@link ImageException} naming what is wrong. */
    @FunctionalInterface
    public interface TreeCheck {
        void check(Path tree) throws IOException;
    }

    /**
     * The unpacked tree {@code thirdParty/treeName}, fetched, verified, unpacked and checked first
     * when it is not there yet. Several processes may race; the first complete tree wins.
     */
    public Path tree(Path thirdParty, String treeName, TreeCheck check) {
        Path tree = thirdParty.resolve(treeName);
        if (Files.exists(tree.resolve(COMPLETE_MARKER))) return tree;
        synchronized (DebianSource.class) {
            if (Files.exists(tree.resolve(COMPLETE_MARKER))) return tree;
            try {
                Files.createDirectories(thirdParty);
                Path download = thirdParty.resolve(packageName + "-" + debianVersion + "-download");
                if (!allVerified(download)) fetch(thirdParty, download);
                for (Map.Entry<String, String> f : sha256ByFile.entrySet())
                    verify(download.resolve(f.getKey()), f.getValue());
                // dpkg-source leaves a copy of the upstream tarball next to the tree it unpacks: both go
                // into a scratch folder, of which only the tree is kept
                Path scratch = thirdParty.resolve(
                        "tmp-" + packageName + "-" + ProcessHandle.current().pid());
                KernelBuild.deleteTree(scratch);
                Files.createDirectories(scratch);
                Path tmp = scratch.resolve(packageName);
                run(
                        List.of(
                                "dpkg-source",
                                "--no-check",
                                "-x",
                                download.resolve(dscFile()).toString(),
                                tmp.toString()),
                        scratch);
                check.check(tmp);
                Files.writeString(tmp.resolve(COMPLETE_MARKER), debianVersion + "\n");
                try {
                    Files.move(tmp, tree, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // another build unpacked the same verified package first
                    if (!Files.exists(tree.resolve(COMPLETE_MARKER))) throw raced;
                }
                KernelBuild.deleteTree(scratch);
                return tree;
            } catch (IOException e) {
                throw new ImageException(
                        "cannot prepare " + displayName + " " + debianVersion + " under " + thirdParty + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private String dscFile() {
        // the .dsc name drops the epoch, as Debian's pool does
        String version =
                debianVersion.contains(":") ? debianVersion.substring(debianVersion.indexOf(':') + 1) : debianVersion;
        return packageName + "_" + version + ".dsc";
    }

    private boolean allVerified(Path download) throws IOException {
        for (Map.Entry<String, String> f : sha256ByFile.entrySet()) {
            Path p = download.resolve(f.getKey());
            if (!Files.isRegularFile(p) || !sha256(p).equals(f.getValue())) return false;
        }
        return true;
    }

    /** apt-get update + apt-get source --download-only with a configuration of our own. */
    private void fetch(Path thirdParty, Path download) throws IOException {
        Path apt = thirdParty.resolve("apt");
        Path lists = apt.resolve("lists");
        Path cache = apt.resolve("cache");
        Files.createDirectories(lists.resolve("partial"));
        Files.createDirectories(cache.resolve("archives").resolve("partial"));
        Files.createDirectories(download);
        Path sourcesList = apt.resolve("sources.list");
        Files.writeString(
                sourcesList,
                "deb-src [signed-by=" + KEYRING + "] " + MIRROR + " " + SUITE + " main\n",
                StandardCharsets.UTF_8);
        List<String> options = List.of(
                "-o", "Dir::Etc::SourceList=" + sourcesList,
                "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", "Dir::State::Lists=" + lists,
                "-o", "Dir::Cache=" + cache,
                "-o", "Dir::State::Status=/dev/null",
                // the private folders belong to the building user; apt's _apt sandbox user could not write them
                "-o", "APT::Sandbox::User=" + System.getProperty("user.name"),
                "-o", "Debug::NoLocking=true");
        List<String> update = new ArrayList<>(List.of("apt-get", "-q"));
        update.addAll(options);
        update.add("update");
        run(update, download);
        List<String> source = new ArrayList<>(List.of("apt-get", "-q"));
        source.addAll(options);
        source.addAll(List.of("source", "--download-only", packageName + "=" + debianVersion));
        run(source, download);
    }

    private void verify(Path file, String expected) throws IOException {
        if (!Files.isRegularFile(file))
            throw new ImageException(displayName + " source package file missing after download: " + file);
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new ImageException(
                    displayName + " source package file " + file + " has SHA-256 " + actual + ", expected " + expected);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(List<String> command, Path dir) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new ImageException(
                    "cannot start " + command.get(0) + " to fetch Debian's " + displayName + " source package"
                            + " (needs apt and dpkg-dev): " + e.getMessage(),
                    e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageException(
                        String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while running " + command.get(0));
        }
        if (p.exitValue() != 0) {
            throw new ImageException(String.join(" ", command) + " failed with status " + p.exitValue() + ":\n"
                    + new String(out, StandardCharsets.UTF_8).strip());
        }
    }
}
