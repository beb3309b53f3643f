package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared libraries a dynamically linked binary needs inside the Linux guest, found with the
 * host's {@code ldd}: the host is the Debian release the guest's binaries come from, so its files
 * are the same packages' files.
 */
public final class SharedLibraries {
    private static final Pattern LDD_LINE = Pattern.compile("(?m)^\\s*(?:\\S+ => )?(/\\S+) \\(0x[0-9a-f]+\\)$");

    private SharedLibraries() {}

    /** initramfs path (the name the loader looks for) -> host file, the dynamic loader included. */
    public static Map<String, Path> of(BenchContext ctx, Path binary) {
        String ldd = ctx.commands()
                .require(List.of("ldd", binary.toString()), null, 60)
                .out();
        Map<String, Path> files = parse(ldd);
        if (files.keySet().stream().noneMatch(p -> p.contains("ld-linux")))
            throw new BenchException("ldd " + binary + " named no dynamic loader:\n" + ldd);
        return files;
    }

    static Map<String, Path> parse(String ldd) {
        Map<String, Path> files = new LinkedHashMap<>();
        Matcher m = LDD_LINE.matcher(ldd);
        while (m.find()) {
            // the path the loader looks for, with the content of the file the symbolic link names
            Path lib = Path.of(m.group(1));
            files.put(lib.toString().substring(1), lib.toAbsolutePath());
        }
        return files;
    }
}
