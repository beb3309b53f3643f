package dev.uniwasm.wasm;

/** Wasm value types, with their binary encodings. */
public enum ValType {
    I32(0x7f, 'i'),
    I64(0x7e, 'l'),
    F32(0x7d, 'f'),
    F64(0x7c, 'd'),
    V128(0x7b, 'v'),
    FUNCREF(0x70, 'r'),
    EXTERNREF(0x6f, 'x');

    public final int code;
    /** One letter used in canonical signature strings (see docs/ABI.md). */
    public final char letter;

    ValType(int code, char letter) {
        this.code = code;
        this.letter = letter;
    }

    public boolean isRef() {
        return this == FUNCREF || this == EXTERNREF;
    }

    public boolean isNum() {
        return this == I32 || this == I64 || this == F32 || this == F64;
    }

    /** The type for a binary encoding, or null if the byte is not a value type. */
    public static ValType fromCode(int code) {
        for (ValType t : values()) {
            if (t.code == code) return t;
        }
        return null;
    }

    /** The type a {@link #letter} stands for, or null. */
    public static ValType fromLetter(char letter) {
        for (ValType t : values()) {
            if (t.letter == letter) return t;
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
