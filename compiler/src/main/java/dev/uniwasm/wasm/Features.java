package dev.uniwasm.wasm;

/** Proposals enabled beyond Wasm 2.0. */
public record Features(boolean multiMemory, boolean extendedConst, boolean tailCall) {
    public static final Features WASM2 = new Features(false, false, false);
    public static final Features ALL = new Features(true, true, true);

    /** True if what {@code proposal} adds is allowed. */
    public boolean enables(Proposal proposal) {
        return switch (proposal) {
            case WASM2 -> true;
            case TAIL_CALL -> tailCall;
            case EXTENDED_CONST -> extendedConst;
        };
    }
}
