package dev.uniwasm.wasm;

/** Kinds of imports and exports, numbered as in the binary format. */
public enum ExternKind {
    FUNC,
    TABLE,
    MEMORY,
    GLOBAL;

    public static ExternKind fromCode(int code) {
        return code >= 0 && code < 4 ? values()[code] : null;
    }
}
