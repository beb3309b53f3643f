package dev.uniwasm.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount points from a {@code mountinfo} file (field 5, octal escapes undone; the type after {@code -}). */
public final class Mounts {
    private Mounts() {}

    /** The mount points under {@code dir} in this process's mount namespace. */
    public static List<String> under(Path dir) {
        return under(read("self"), dir.toAbsolutePath().toString());
    }

    /** The mount points under {@code dir} in the mount namespace of process {@code pid}. */
    public static List<String> under(long pid, Path dir) {
        return under(read(Long.toString(pid)), dir.toAbsolutePath().toString());
    }

    /** The text of {@code /proc/PROCESS/mountinfo} ({@code self} or a pid). */
    public static String read(String process) {
        Path file = Path.of("/proc", process, "mountinfo");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new KitException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The mount points of cgroup2 file systems (the type after the {@code -} separator). */
    public static List<String> cgroup2(String mountinfo) {
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) continue;
            if (f[dash + 1].equals("cgroup2")) found.add(unescape(f[4]));
        }
        return found;
    }

    public static List<String> under(String mountinfo, String dir) {
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 5) continue;
            String point = unescape(f[4]);
            if (point.equals(dir) || point.startsWith(dir + "/")) found.add(point);
        }
        return found;
    }

    public static void requireNoneUnder(Path dir, String what) {
        List<String> left = under(dir);
        if (!left.isEmpty()) throw new KitException(what + " still has mounts (unmount them first): " + left);
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\'
                    && i + 3 < s.length()
                    && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
