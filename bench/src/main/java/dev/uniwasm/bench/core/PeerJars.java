package dev.uniwasm.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Java peers' jars: Maven copies this module's dependencies (the peers among them) into
 * {@code bench/target/lib}; the peers run in child JVMs with that folder and this module's classes
 * on their class path.
 */
public final class PeerJars {
    private PeerJars() {}

    public static Path libFolder(Path home) {
        return home.resolve("bench").resolve("target").resolve("lib");
    }

    /** This module's jar, holding the peer launchers. */
    public static Path benchJar(Path home) {
        Path target = home.resolve("bench").resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("uniwasm-bench-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new BenchException("no uniwasm-bench jar in " + target + "; build with mvn install"));
        } catch (IOException e) {
            throw new BenchException("cannot list " + target + ": " + e.getMessage(), e);
        }
    }

    /** The class path for a peer's child JVM. */
    public static String classPath(Path home) {
        return benchJar(home) + ":" + libFolder(home) + "/*";
    }

    /** GraalVM's jars (SDK, Truffle, polyglot, GraalWasm): the module path of the GraalWasm peer. */
    public static List<Path> graalModules(Path home) {
        return jars(home, n -> n.startsWith("org.graalvm.") && !n.startsWith("org.graalvm.compiler."));
    }

    /** The Graal compiler jar, for {@code --upgrade-module-path}; null when it is not there. */
    public static Path graalCompiler(Path home) {
        List<Path> c = jars(home, n -> n.startsWith("org.graalvm.compiler.compiler-"));
        return c.isEmpty() ? null : c.getFirst();
    }

    private static List<Path> jars(Path home, java.util.function.Predicate<String> name) {
        Path lib = libFolder(home);
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")
                            && name.test(f.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BenchException(
                    "cannot list " + lib + " (build the bench module with mvn install): " + e.getMessage(), e);
        }
    }

    /** The versions of the peer artifacts, read from the jar names (group.artifact-version.jar). */
    static String describe(Path home) {
        List<String> found = new ArrayList<>();
        try {
            for (Path f : jars(
                    home,
                    n -> n.startsWith("io.github.kawamuray.wasmtime.")
                            || n.startsWith("com.dylibso.chicory.runtime-")
                            || n.startsWith("com.dylibso.chicory.compiler-")
                            || n.startsWith("org.graalvm.wasm.wasm-language-")
                            || n.startsWith("org.graalvm.truffle.truffle-runtime-")
                            || n.startsWith("org.graalvm.compiler.compiler-"))) {
                found.add(f.getFileName().toString().replaceAll("\\.jar$", ""));
            }
        } catch (BenchException e) {
            return e.getMessage();
        }
        return found.isEmpty() ? "none in " + libFolder(home) : String.join(", ", found);
    }
}
