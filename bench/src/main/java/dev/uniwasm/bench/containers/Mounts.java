package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount points under a folder, from {@code /proc/self/mountinfo} (field 5, octal escapes undone). */
final class Mounts {
    private Mounts() {}

    static List<String> under(Path dir) {
        try {
            return under(Files.readString(Path.of("/proc/self/mountinfo")), dir.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/self/mountinfo: " + e.getMessage());
        }
    }

    static List<String> under(String mountinfo, String dir) {
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 5) continue;
            String point = unescape(f[4]);
            if (point.equals(dir) || point.startsWith(dir + "/")) found.add(point);
        }
        return found;
    }

    static void requireNoneUnder(Path dir, String what) {
        List<String> left = under(dir);
        if (!left.isEmpty()) throw new BenchException(what + " still has mounts (unmount them first): " + left);
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
