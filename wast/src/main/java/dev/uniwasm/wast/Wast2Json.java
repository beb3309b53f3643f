package dev.uniwasm.wast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's wast2json (wabt 1.0.32) to turn a .wast script into JSON plus .wasm files. */
final class Wast2Json {
    static final String TOOL = "wast2json";

    private Wast2Json() {}

    /** Converts `source` into `outDir`; returns the JSON file. Throws with the tool's output on failure. */
    static Path convert(Path source, List<String> featureFlags, Path outDir) throws IOException {
        String base = source.getFileName().toString().replaceFirst("\\.wast$", "");
        Path json = outDir.resolve(base + ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(TOOL);
        cmd.addAll(featureFlags);
        cmd.add(source.toString());
        cmd.add("-o");
        cmd.add(json.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(TOOL + " did not finish within 120 s on " + source);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + TOOL);
        }
        if (p.exitValue() != 0) {
            String firstLines =
                    output.lines().limit(5).reduce((a, b) -> a + "\n" + b).orElse("");
            throw new IOException(TOOL + " failed on " + source + " (exit " + p.exitValue() + ")"
                    + (firstLines.isEmpty() ? "" : ":\n" + firstLines));
        }
        return json;
    }
}
