package dev.uniwasm.bench.core;

/** A benchmark could not be prepared or run, or gave a wrong result; the message says which and why. */
public final class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
