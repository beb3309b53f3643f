package dev.uniwasm.image;

/**
 * The kernel could not be built (sources missing, a tool failing, a folder that cannot be written):
 * uniwasm's own failure, never the module's, so commands report it with exit status 1 where an
 * image that cannot be linked from the module is a status 2 (uniwasm-runtime keeps the latter as
 * the module's verdict).
 */
public final class KernelBuildException extends ImageException {
    public KernelBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
