package dev.uniwasm.compiler;

/** The compiler could not translate a (valid) module, or LLVM failed. */
public final class CompileException extends RuntimeException {
    public CompileException(String message) {
        super(message);
    }
}
