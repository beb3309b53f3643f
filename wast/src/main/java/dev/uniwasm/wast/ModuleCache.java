package dev.uniwasm.wast;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.compiler.ImportLinkage;
import dev.uniwasm.toolchain.Toolchain;
import dev.uniwasm.wasm.Features;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compiles Wasm modules to shared objects for uwhost ({@code ImportLinkage.CONTEXT}, then
 * {@code ld.lld -shared}), cached in {@code build/wast-cache/} by a hash of the module bytes, the
 * options and the compiler's own class files, so that a changed compiler never reuses stale code.
 */
public final class ModuleCache {
    private static String compilerFingerprint;

    private final Path dir;
    private final CompileOptions options;

    public ModuleCache(RepoLayout repo, int optLevel, Features features) {
        this.dir = repo.buildDir().resolve("wast-cache");
        this.options = CompileOptions.defaults()
                .withImports(ImportLinkage.CONTEXT)
                .withOptLevel(optLevel)
                .withFeatures(features)
                .withThreads(1);
    }

    public CompileOptions options() {
        return options;
    }

    /** The shared object for a module, compiling and linking it unless cached. */
    public Path sharedObject(byte[] wasm) throws IOException {
        String key = key(wasm);
        Path so = dir.resolve(key + ".so");
        if (Files.isRegularFile(so)) return so;
        Files.createDirectories(dir);
        byte[] object = new Compiler(options).compile(wasm);
        Path obj = Files.createTempFile(dir, key + "-", ".o");
        Path tmp = Files.createTempFile(dir, key + "-", ".so.tmp");
        try {
            Files.write(obj, object);
            Toolchain.run(List.of(Toolchain.ldLld().toString(), "-shared", "-o", tmp.toString(), obj.toString()));
            Files.move(tmp, so, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(obj);
            Files.deleteIfExists(tmp);
        }
        return so;
    }

    private String key(byte[] wasm) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(wasm);
            sha.update(options.toString().getBytes(StandardCharsets.UTF_8));
            sha.update(fingerprint().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A hash of the compiler's jar or class directory, computed once per JVM. */
    static synchronized String fingerprint() {
        if (compilerFingerprint != null) return compilerFingerprint;
        try {
            Path location = Path.of(Compiler.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                        sha.update(location.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                        sha.update(Files.readAllBytes(p));
                    }
                }
            } else {
                sha.update(Files.readAllBytes(location));
            }
            compilerFingerprint = HexFormat.of().formatHex(sha.digest(), 0, 16);
            return compilerFingerprint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint the compiler", e);
        } catch (URISyntaxException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the compiler", e);
        }
    }
}
