package dev.uniwasm.wast;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are relative to the repository root: the C sources of the runtime and the host, the
 * shared test data beside the repository ({@code ../shared}), and the build directory that holds the
 * host executable and the compiled-module cache.
 */
public record RepoLayout(Path root) {

    /** The root from the system property {@code uniwasm.home}, else the working directory. */
    public static RepoLayout detect() {
        String home = System.getProperty("uniwasm.home");
        Path root = Path.of(home != null && !home.isBlank() ? home : ".")
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(root.resolve("runtime/include/uniwasm"))) {
            throw new IllegalStateException("not a uniwasm repository (no runtime/include/uniwasm): " + root
                    + "; set the system property uniwasm.home to the repository root");
        }
        return new RepoLayout(root);
    }

    public Path runtimeInclude() {
        return root.resolve("runtime/include");
    }

    public Path runtimeSources() {
        return root.resolve("runtime/src");
    }

    public Path hostSources() {
        return root.resolve("wast/host");
    }

    public Path shared() {
        return root.resolve("../shared").normalize();
    }

    public Path testsuite() {
        return shared().resolve("wasm-testsuite");
    }

    public Path buildDir() {
        return root.resolve("build");
    }
}
