package dev.uniwasm.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How the kit runs a helper command that must succeed (tar, ip): the bench passes its own runner,
 * which logs every command line for its report; tests take {@link #PLAIN}.
 */
@FunctionalInterface
public interface Commands {
    /**
     * Runs {@code command} (stdin /dev/null), killed after {@code timeoutSeconds}, and returns its
     * standard output; a failure throws (PLAIN: {@link KitException}, with the command's stderr).
     */
    String require(List<String> command, long timeoutSeconds);

    /** The command on its own. */
    Commands PLAIN = (command, timeoutSeconds) -> {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(new File("/dev/null"))
                    .start();
            CompletableFuture<String> out = drain(p.getInputStream()), err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KitException(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0)
                throw new KitException(String.join(" ", command) + " exited with status " + p.exitValue() + ": "
                        + err.join().strip());
            return out.join();
        } catch (IOException e) {
            throw new KitException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KitException("interrupted while running " + String.join(" ", command));
        }
    };

    /** A stream read to its end on a virtual thread, as text; "" when reading fails. */
    static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (in) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                Thread::startVirtualThread);
    }
}
