package dev.uniwasm.compiler;

/** Told how many of a module's functions are compiled so far; called from compiler threads. */
@FunctionalInterface
public interface CompileProgress {
    CompileProgress NONE = (done, total) -> {};

    void functionsDone(int done, int total);
}
