package dev.uniwasm.wasm;

/**
 * The module is well-formed but exceeds one of uniwasm's {@link ImplementationLimits}: a count
 * that the format allows and that would make compilation take unreasonably long or fail.
 */
public final class LimitExceededException extends WasmException {
    public LimitExceededException(long offset, String reason) {
        super(offset, reason);
    }
}
