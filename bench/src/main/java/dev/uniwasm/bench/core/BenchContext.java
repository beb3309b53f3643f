package dev.uniwasm.bench.core;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every suite gets: the repository root ({@code uniwasm.home}), the work folder for built
 * programs and fetched sources ({@code bench/work}, ignored by git), whether this is a quick run, the
 * command runner (which logs every command line), and the progress stream.
 */
public record BenchContext(Path home, Path work, boolean quick, CommandRunner commands, PrintStream progress) {
    /** The {@code ./uniwasm} launcher of this repository. */
    public Path launcher() {
        return home.resolve("uniwasm");
    }

    /** How many times each figure is measured. */
    public int runs(int full, int quick) {
        return quick() ? quick : full;
    }

    public void say(String line) {
        progress.println("bench: " + line);
        progress.flush();
    }
}
