package dev.uniwasm.monitor;

/**
 * The VM could not be started or supervised (not: the guest failed, which is an exit status). The
 * kind lets a front end name its own flag for the failures a user can fix.
 */
public final class MonitorException extends RuntimeException {
    /** What went wrong, where a front end can say which of its flags to change. */
    public enum Kind {
        /** Anything else: the message says it all. */
        OTHER,
        /** The guest memory is less than the image, its boot configuration and the kernel need ({@link #neededMib()}). */
        MEMORY_TOO_SMALL,
        /** The run-time boot configuration cannot fit where QEMU loads it, whatever the guest memory. */
        BOOT_CONFIG_TOO_LARGE,
        /** The host could not give QEMU the guest memory. */
        MEMORY_UNAVAILABLE,
        /** QEMU could not set up a published port (taken, or an address that is not the host's). */
        PORT_UNAVAILABLE,
    }

    private final Kind kind;
    private final long neededMib;

    public MonitorException(String message) {
        this(Kind.OTHER, message, -1, null);
    }

    public MonitorException(String message, Throwable cause) {
        this(Kind.OTHER, message, -1, cause);
    }

    MonitorException(Kind kind, String message, long neededMib, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.neededMib = neededMib;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#MEMORY_TOO_SMALL}: the least guest memory, in MiB, that would do; -1 otherwise. */
    public long neededMib() {
        return neededMib;
    }
}
