package dev.uniwasm.wasm;

/**
 * Where an instruction comes from, or where it becomes constant: Wasm 2.0 itself or a proposal
 * beyond it that {@link Features} switches on. {@link Opcode}'s rows name one where it matters
 * (their {@code proposal()} and {@code constantIn()}).
 */
public enum Proposal {
    /** The base language: always on. */
    WASM2,
    /** {@code return_call} and {@code return_call_indirect}. */
    TAIL_CALL,
    /** i32/i64 add, sub and mul in constant expressions. */
    EXTENDED_CONST
}
