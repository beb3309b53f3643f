package dev.uniwasm.bench.containers;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code GET /} to a container's server from inside its network namespace: {@code nsenter
 * --net=/proc/PID/ns/net curl} on 127.0.0.1, so no traffic leaves the namespace and every container
 * can use the same port. curl gives up after {@value #CURL_SECONDS} s and is killed after
 * {@value #KILL_SECONDS} s.
 */
final class NetnsProbe {
    static final int CURL_SECONDS = 2;
    private static final int KILL_SECONDS = 5;
    /** curl prints this, then the status code, after the body. */
    static final String STATUS_MARK = "\nuwbench-status:";

    private NetnsProbe() {}

    static List<String> command(long pid, String port) {
        return List.of(
                "nsenter",
                "--net=/proc/" + pid + "/ns/net",
                "curl",
                "-sS",
                "--noproxy",
                "*",
                "--max-time",
                Integer.toString(CURL_SECONDS),
                "-w",
                STATUS_MARK + "%{http_code}",
                "http://127.0.0.1:" + port + "/");
    }

    /** Whether the server in the network namespace of {@code pid} answers 200 with {@code page}. */
    static boolean answers(long pid, String port, String page) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command(pid, port))
                    .redirectInput(new File("/dev/null"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(KILL_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && isPage(new String(out, StandardCharsets.UTF_8), page);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether curl's output (body, {@link #STATUS_MARK}, code) is status 200 with exactly {@code page}. */
    static boolean isPage(String curlOutput, String page) {
        int mark = curlOutput.lastIndexOf(STATUS_MARK);
        if (mark < 0) return false;
        return curlOutput.substring(mark + STATUS_MARK.length()).strip().equals("200")
                && curlOutput.substring(0, mark).equals(page);
    }
}
