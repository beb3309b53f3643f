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
 * lwIP, the guest's TCP/IP stack, taken from Debian's source package at build time and never
 * committed. The package is fetched with apt through a private configuration under
 * {@code build/third_party/apt/} (its own deb-src list, package lists and cache, so the machine's
 * apt setup is neither needed nor touched), checked against the SHA-256 sums pinned here, and
 * unpacked with Debian's patches applied by {@code dpkg-source -x} into
 * {@code build/third_party/lwip-<version>/}.
 */
public final class LwipSource {
    /** Upstream release; part of the kernel archive's cache key. */
    public static final String VERSION = "2.1.3";
    static final String DEBIAN_VERSION = "2.1.3+dfsg1-2";
    private static final String SUITE = "bookworm";
    private static final String MIRROR = "http://deb.debian.org/debian";
    private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
    /** The three files of the source package and their SHA-256, as listed in bookworm's Sources. */
    private static final Map<String, String> FILES = Map.of(
            "lwip_2.1.3+dfsg1-2.dsc", "8d8f944db8e6d542fc2d6f01559078fb1b5dda71651c67ee5fa3571ed1342c50",
            "lwip_2.1.3+dfsg1.orig.tar.xz", "0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24",
            "lwip_2.1.3+dfsg1-2.debian.tar.xz", "c5a48413d362cc757032cdd58f528f75eb64ee781ca46ca24f010b49b0e62a90");
    private static final String COMPLETE_MARKER = ".uniwasm-complete";
    private static final long COMMAND_TIMEOUT_SECONDS = 600;

    private LwipSource() {}

    /** The unpacked source tree (holding {@code src/core}, {@code src/include}), fetching it first when needed. */
    public static synchronized Path tree(Path repositoryRoot) {
        Path thirdParty = repositoryRoot.resolve("build").resolve("third_party");
        Path tree = thirdParty.resolve("lwip-" + VERSION);
        if (Files.exists(tree.resolve(COMPLETE_MARKER))) return tree;
        try {
            Files.createDirectories(thirdParty);
            Path download = thirdParty.resolve("lwip-" + DEBIAN_VERSION + "-download");
            if (!allVerified(download)) fetch(thirdParty, download);
            for (Map.Entry<String, String> f : FILES.entrySet()) verify(download.resolve(f.getKey()), f.getValue());
            // dpkg-source leaves a copy of the upstream tarball next to the tree it unpacks: both go
            // into a scratch folder, of which only the tree is kept
            Path scratch = thirdParty.resolve("tmp-lwip-" + ProcessHandle.current().pid());
            KernelBuild.deleteTree(scratch);
            Files.createDirectories(scratch);
            Path tmp = scratch.resolve("lwip");
            run(List.of("dpkg-source", "--no-check", "-x", download.resolve("lwip_" + DEBIAN_VERSION + ".dsc").toString(),
                    tmp.toString()), scratch);
            if (!Files.isRegularFile(tmp.resolve("src/core/tcp.c")) || !Files.isRegularFile(tmp.resolve("src/include/lwip/init.h"))) {
                throw new ImageException("lwIP source package unpacked into " + tmp + " lacks src/core/tcp.c or src/include/lwip/init.h");
            }
            checkReleaseVersion(tmp.resolve("src/include/lwip/init.h"));
            Files.writeString(tmp.resolve(COMPLETE_MARKER), DEBIAN_VERSION + "\n");
            try {
                Files.move(tmp, tree, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another build unpacked the same verified package first
                if (!Files.exists(tree.resolve(COMPLETE_MARKER))) throw raced;
            }
            KernelBuild.deleteTree(scratch);
            return tree;
        } catch (IOException e) {
            throw new ImageException("cannot prepare lwIP " + DEBIAN_VERSION + " under " + thirdParty + ": " + e.getMessage(), e);
        }
    }

    private static boolean allVerified(Path download) throws IOException {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Path p = download.resolve(f.getKey());
            if (!Files.isRegularFile(p) || !sha256(p).equals(f.getValue())) return false;
        }
        return true;
    }

    /** apt-get update + apt-get source --download-only with a configuration of our own. */
    private static void fetch(Path thirdParty, Path download) throws IOException {
        Path apt = thirdParty.resolve("apt");
        Path lists = apt.resolve("lists");
        Path cache = apt.resolve("cache");
        Files.createDirectories(lists.resolve("partial"));
        Files.createDirectories(cache.resolve("archives").resolve("partial"));
        Files.createDirectories(download);
        Path sourcesList = apt.resolve("sources.list");
        Files.writeString(sourcesList, "deb-src [signed-by=" + KEYRING + "] " + MIRROR + " " + SUITE + " main\n", StandardCharsets.UTF_8);
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
        source.addAll(List.of("source", "--download-only", "lwip=" + DEBIAN_VERSION));
        run(source, download);
    }

    private static void verify(Path file, String expected) throws IOException {
        if (!Files.isRegularFile(file)) throw new ImageException("lwIP source package file missing after download: " + file);
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new ImageException("lwIP source package file " + file + " has SHA-256 " + actual + ", expected " + expected);
        }
    }

    private static void checkReleaseVersion(Path initH) throws IOException {
        String text = Files.readString(initH, StandardCharsets.ISO_8859_1);
        String[] parts = VERSION.split("\\.");
        String[] macros = {"LWIP_VERSION_MAJOR", "LWIP_VERSION_MINOR", "LWIP_VERSION_REVISION"};
        for (int i = 0; i < 3; i++) {
            if (!text.matches("(?s).*#define " + macros[i] + "\\s+" + parts[i] + "\\b.*")) {
                throw new ImageException(initH + " does not declare lwIP " + VERSION + " (" + macros[i] + " differs)");
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command, Path dir) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ImageException("cannot start " + command.get(0) + " to fetch Debian's lwIP source package"
                    + " (needs apt and dpkg-dev): " + e.getMessage(), e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
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
