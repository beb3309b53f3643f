package dev.uniwasm.wasm;

/** The bytes are not a well-formed binary module. */
public final class MalformedModuleException extends WasmException {
    public MalformedModuleException(long offset, String reason) {
        super(offset, reason);
    }
}
