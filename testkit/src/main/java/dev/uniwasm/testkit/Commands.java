package dev.uniwasm.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the kit runs a helper command that must succeed (tar): the bench passes its own runner, which
 * logs every command line for its report; tests take {@link #PLAIN}.
 */
@FunctionalInterface
public interface Commands {
    /** Runs {@code command} (stdin /dev/null), killed after {@code timeoutSeconds}; a failure throws {@link KitException}. */
    void require(List<String> command, long timeoutSeconds);

    /** The command on its own, its output kept only for the failure's message. */
    Commands PLAIN = (command, timeoutSeconds) -> {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(new File("/dev/null"))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KitException(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0)
                throw new KitException(
                        String.join(" ", command) + " exited with status " + p.exitValue() + ":\n" + out.strip());
        } catch (IOException e) {
            throw new KitException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KitException("interrupted while running " + String.join(" ", command));
        }
    };
}
