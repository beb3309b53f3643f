package dev.uniwasm.wasm;

/**
 * A constant expression kept as its byte range [start, end) in the module's bytes (end points just
 * past the final {@code end} opcode). Read it with {@link InstructionReader}.
 */
public record Expr(int start, int end) {}
