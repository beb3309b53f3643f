package dev.uniwasm.wast;

/** The host process died or stopped answering; the message says which and carries its last words. */
public final class HostException extends Exception {
    public HostException(String message) {
        super(message);
    }
}
