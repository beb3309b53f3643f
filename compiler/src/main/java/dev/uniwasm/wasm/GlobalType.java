package dev.uniwasm.wasm;

public record GlobalType(ValType type, boolean mutable) implements ImportDesc {
    public ExternKind kind() {
        return ExternKind.GLOBAL;
    }
}
