package dev.uniwasm.wasm;

/** What an import brings in. */
public sealed interface ImportDesc permits ImportDesc.Func, TableType, MemoryType, GlobalType {
    ExternKind kind();

    /** A function import: its type index. */
    record Func(int typeIndex) implements ImportDesc {
        public ExternKind kind() {
            return ExternKind.FUNC;
        }
    }
}
