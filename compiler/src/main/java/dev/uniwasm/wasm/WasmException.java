package dev.uniwasm.wasm;

/** Base of decoding and validation errors: a reason and the byte offset it refers to. */
public abstract class WasmException extends RuntimeException {
    private final long offset;
    private final String reason;

    protected WasmException(long offset, String reason) {
        super("at byte offset " + offset + " (0x" + Long.toHexString(offset) + "): " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    public long offset() {
        return offset;
    }

    /** The reason alone, worded like the spec tests' expected messages where one exists. */
    public String reason() {
        return reason;
    }
}
