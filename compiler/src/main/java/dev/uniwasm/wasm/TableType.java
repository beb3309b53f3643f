package dev.uniwasm.wasm;

public record TableType(ValType elemType, Limits limits) implements ImportDesc {
    public ExternKind kind() {
        return ExternKind.TABLE;
    }
}
