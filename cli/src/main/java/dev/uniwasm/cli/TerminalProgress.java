package dev.uniwasm.cli;

import dev.uniwasm.compiler.CompileProgress;

/**
 * Shows "compiling NAME: done/total functions" on one line of stderr while a big module compiles,
 * when stderr is a terminal; otherwise stays silent so that logs and pipes get no control characters.
 */
final class TerminalProgress implements CompileProgress {
    private final String name;
    private long lastPrint;

    private TerminalProgress(String name) {
        this.name = name;
    }

    static CompileProgress forStderr(String name) {
        return System.console() != null && System.console().isTerminal() ? new TerminalProgress(name) : NONE;
    }

    @Override
    public synchronized void functionsDone(int done, int total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && now - lastPrint < 100_000_000L) return;
        lastPrint = now;
        System.err.print("\rcompiling " + name + ": " + done + "/" + total + " functions");
        if (finished) System.err.print("\r\033[K");
        System.err.flush();
    }
}
