package dev.uniwasm.testkit;

/**
 * A tool the kit drives (containerd, ctr, tar, npm) could not be started or failed, or its input was
 * wrong; the message says which and why, in words a bench report or a test failure can show as they are.
 */
public class KitException extends RuntimeException {
    public KitException(String message) {
        super(message);
    }

    public KitException(String message, Throwable cause) {
        super(message, cause);
    }
}
