package dev.uniwasm.wasm;

/** The module decodes but breaks a validation rule. */
public final class InvalidModuleException extends WasmException {
    public InvalidModuleException(long offset, String reason) {
        super(offset, reason);
    }
}
