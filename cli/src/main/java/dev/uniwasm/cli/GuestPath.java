package dev.uniwasm.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The rules for a mount's guest path (the GUEST of {@code --dir} and {@code --tmpfs}), which the app
 * sees through {@code fd_prestat_dir_name}. Relative paths are allowed, as wasmtime allows them:
 * wasi-libc matches paths against pre-opens with leading "/" and "./" stripped, so "www", "/www" and
 * "./www" name the same pre-open, and two mounts that agree after that stripping would shadow each
 * other; they are refused.
 */
final class GuestPath {
    private GuestPath() {}

    /** Checks one guest path as written in {@code flagValue}; throws a conversion error naming the problem. */
    static void check(String flagValue, String guest) {
        for (int i = 0; i < guest.length(); i++) {
            char c = guest.charAt(i);
            if (c < 0x20 || c == 0x7f)
                fail(flagValue, String.format("the guest path contains a control character (U+%04X)", (int) c));
        }
        for (String component : guest.split("/", -1)) {
            if (component.equals("..")) fail(flagValue, "the guest path may not contain '..'");
        }
    }

    /**
     * The pre-open name wasi-libc matches against: leading "/" and "./" stripped, "//" and "/./"
     * collapsed, no trailing "/". The root is the empty string.
     */
    static String canonical(String guest) {
        List<String> parts = new ArrayList<>();
        for (String component : guest.split("/")) {
            if (!component.isEmpty() && !component.equals(".")) parts.add(component);
        }
        return String.join("/", parts);
    }

    private static void fail(String flagValue, String why) {
        throw new CommandLine.TypeConversionException("'" + flagValue.replace("\n", "\\n") + "': " + why);
    }
}
