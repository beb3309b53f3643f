package dev.uniwasm.wast;

import dev.uniwasm.toolchain.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds native programs with the bundled clang: the spec-test host {@code uwhost} (runtime/src and
 * wast/host) and, for tests, anything else made of C files. Outputs are cached under
 * {@code build/native/} by a hash of the sources, headers and flags, and published by an atomic
 * rename so that concurrent builds do not see half-written files.
 */
public final class NativeBuild {
    static final List<String> HOST_FLAGS = List.of(
            "-std=c11",
            "-O2",
            "-g",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fno-strict-aliasing",
            "-Wl,--export-dynamic",
            "-ldl");

    private NativeBuild() {}

    /** The uwhost executable for the current sources, built on first use. */
    public static synchronized Path host(RepoLayout repo) {
        List<Path> sources = new ArrayList<>();
        sources.addAll(filesIn(repo.runtimeSources(), ".c"));
        sources.addAll(filesIn(repo.hostSources(), ".c"));
        sources.addAll(filesIn(repo.hostSources(), ".S"));
        List<String> flags = new ArrayList<>(HOST_FLAGS);
        flags.addAll(List.of("-I" + repo.runtimeInclude(), "-I" + repo.runtimeSources(), "-I" + repo.hostSources()));
        return build(repo, "uwhost", sources, flags);
    }

    /**
     * Compiles and links {@code sources} with {@code flags} into {@code build/native/NAME-HASH}, where
     * the hash covers the sources, every header in the include directories named by -I flags, and the
     * flags. Returns the cached file when it already exists.
     */
    public static Path build(RepoLayout repo, String name, List<Path> sources, List<String> flags) {
        String key = hashInputs(sources, flags);
        Path dir = repo.buildDir().resolve("native");
        Path out = dir.resolve(name + "-" + key);
        if (Files.isRegularFile(out)) return out;
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name + "-", ".tmp");
            List<String> cmd = new ArrayList<>();
            cmd.add(Toolchain.clang().toString());
            cmd.add("-fuse-ld=lld");
            cmd.add("--ld-path=" + Toolchain.ldLld());
            cmd.addAll(sources.stream().map(Path::toString).toList());
            cmd.addAll(flags);
            cmd.add("-o");
            cmd.add(tmp.toString());
            try {
                Toolchain.run(cmd);
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + name + " in " + dir, e);
        }
    }

    static List<Path> filesIn(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String hashInputs(List<Path> sources, List<String> flags) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> inputs = new ArrayList<>(sources);
            for (String flag : flags) {
                if (flag.startsWith("-I")) inputs.addAll(headersUnder(Path.of(flag.substring(2))));
            }
            for (Path p : inputs) {
                sha.update(p.toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(p));
            }
            sha.update(String.join("\0", flags).getBytes(StandardCharsets.UTF_8));
            sha.update(Toolchain.clang().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read native sources", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> headersUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".h")).sorted().toList();
        }
    }
}
