package dev.uniwasm.toolchain;

public final class ToolchainException extends RuntimeException {
    public ToolchainException(String message) {
        super(message);
    }
}
