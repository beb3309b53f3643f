package dev.uniwasm.monitor;

/** The VM could not be started or supervised (not: the guest failed, which is an exit status). */
public final class MonitorException extends RuntimeException {
    public MonitorException(String message) {
        super(message);
    }

    public MonitorException(String message, Throwable cause) {
        super(message, cause);
    }
}
