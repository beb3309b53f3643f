package dev.uniwasm.wasm;

/** Proposals enabled beyond Wasm 2.0. */
public record Features(boolean multiMemory, boolean extendedConst, boolean tailCall) {
    public static final Features WASM2 = new Features(false, false, false);
    public static final Features ALL = new Features(true, true, true);
}
