package dev.uniwasm.cli.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example programs (examples/*.c), compiled to build/examples/*.wasm by examples/build. */
public final class Examples {
    private static boolean built;

    private Examples() {}

    public static Path home() {
        return Path.of(System.getProperty("uniwasm.home", ".")).toAbsolutePath().normalize();
    }

    public static synchronized Path wasm(String name) throws IOException, InterruptedException {
        if (!built) {
            Process p = new ProcessBuilder(home().resolve("examples/build").toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("examples/build failed:\n" + output);
            built = true;
        }
        Path wasm = home().resolve("build/examples/" + name + ".wasm");
        if (!Files.isRegularFile(wasm)) throw new IllegalStateException("examples/build made no " + wasm);
        return wasm;
    }
}
