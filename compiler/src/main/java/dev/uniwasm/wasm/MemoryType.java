package dev.uniwasm.wasm;

/** A memory type; limits in 64 KiB pages. */
public record MemoryType(Limits limits) implements ImportDesc {
    public ExternKind kind() {
        return ExternKind.MEMORY;
    }
}
