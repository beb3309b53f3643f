package dev.uniwasm.cli;

/** The user's input is wrong (a file, a value, a module): one line, exit status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
