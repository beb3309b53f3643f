package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.image.KernelBuild.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel's platform boundary (kernel/README.md, "Platforms"): the portable part and the network
 * stacks reach a platform only through kernel/include/kernel/platform.h, hold no machine code, and
 * every platform folder is a line of {@link KernelBuild.Platform}. The build already compiles the
 * portable part without a platform's include folder; this also catches what a compiler would let
 * through (a relative include into kernel/plat, inline assembly) and names the file and line.
 */
class KernelLayoutTest {
    private static final Pattern INCLUDE = Pattern.compile("^\\s*#\\s*include\\s*([<\"])([^>\"]+)[>\"]", Pattern.MULTILINE);
    /** Inline assembly statements and the x86 builtins (not asm labels: {@code __asm__("symbol")} names a symbol). */
    private static final Pattern MACHINE_CODE = Pattern.compile(
            "__asm__\\s*(volatile|__volatile__|goto)\\b|__asm__\\s*\\(\"[^\"]*\"\\s*:|\\basm\\s*\\(|__builtin_ia32_");
    /** x86-64's string instructions in memcpy/memmove/memset: tied to the ISA that every platform so far
     * shares, not to a platform; they move to an ISA folder with the first platform on another ISA. */
    private static final Set<String> ISA_CODE = Set.of("kernel/lib/string.c");
    private static final Set<String> FREESTANDING = Set.of("stdarg.h", "stdbool.h", "stddef.h", "stdint.h");
    /** lwIP's own headers, found in the fetched lwIP tree, which this test does not need. */
    private static final List<String> LWIP_HEADERS = List.of("lwip/", "netif/");

    private final Path home = KernelBuild.repositoryRoot();
    private final Path kernel = home.resolve("kernel");

    @Test
    void everyPlatformFolderIsALineOfTheBuildAndEveryLineAFolder() throws IOException {
        Set<String> folders;
        try (Stream<Path> list = Files.list(kernel.resolve("plat"))) {
            folders = list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> lines = Arrays.stream(Platform.values()).map(p -> p.folder).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(folders, lines, "kernel/plat/* against KernelBuild.Platform");
        for (Platform p : Platform.values()) {
            Path dir = kernel.resolve("plat").resolve(p.folder);
            assertTrue(Files.isRegularFile(dir.resolve(KernelBuild.LINKER_SCRIPT)), dir + " has no " + KernelBuild.LINKER_SCRIPT);
            assertTrue(Files.isDirectory(kernel.resolve("net").resolve(p.network.folder)), p + "'s network stack folder");
        }
    }

    @Test
    void portableCodeReachesPlatformsOnlyThroughPlatformH() throws IOException {
        List<String> problems = new ArrayList<>();
        KernelBuild.Parts parts = KernelBuild.Parts.of(kernel, Platform.X86_64_PVH);
        for (Path f : Stream.concat(parts.portable().stream(), parts.headers().stream()).filter(this::isPortable).toList()) {
            check(f, null, problems);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void networkStacksReachPlatformsOnlyThroughPlatformH() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Platform p : Platform.values()) {
            Path stack = kernel.resolve("net").resolve(p.network.folder);
            try (Stream<Path> walk = Files.walk(stack)) {
                for (Path f : walk.filter(x -> x.toString().endsWith(".c") || x.toString().endsWith(".h")).sorted().toList()) {
                    check(f, stack, problems);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private boolean isPortable(Path f) {
        Path net = kernel.resolve("net");
        return !f.startsWith(kernel.resolve("plat")) && !f.startsWith(kernel.resolve("arch"))
                && !(f.startsWith(net) && net.relativize(f).getNameCount() > 1);
    }

    /** Problems of one portable file, or of a file of the network stack in `stack` (else null). */
    private void check(Path f, Path stack, List<String> problems) throws IOException {
        String text = Files.readString(f);
        String name = home.relativize(f).toString();
        Matcher code = MACHINE_CODE.matcher(text);
        if (!ISA_CODE.contains(name) && code.find()) problems.add(name + ":" + line(text, code.start()) + ": machine code (" + code.group() + ") belongs in a platform");
        Matcher inc = INCLUDE.matcher(text);
        while (inc.find()) {
            String header = inc.group(2);
            String where = name + ":" + line(text, inc.start()) + ": #include " + inc.group(1) + header
                    + (inc.group(1).equals("<") ? ">" : "\"");
            if (inc.group(1).equals("<")) {
                if (!FREESTANDING.contains(header)) problems.add(where + ": only the freestanding C headers");
                continue;
            }
            Path resolved = resolve(f, header, stack);
            if (resolved == null) {
                if (stack == null || LWIP_HEADERS.stream().noneMatch(header::startsWith)) {
                    problems.add(where + ": not a portable header (platform.h is the way to a platform)");
                }
            } else if (!isPortable(resolved) && (stack == null || !resolved.startsWith(stack))) {
                problems.add(where + ": reaches " + home.relativize(resolved) + " outside the portable part");
            }
        }
    }

    /** Where the compiler finds a quoted include: next to the file, then the include folders. */
    private Path resolve(Path f, String header, Path stack) {
        List<Path> dirs = new ArrayList<>(List.of(f.getParent(), kernel.resolve("include"), home.resolve("runtime/include")));
        if (stack != null) dirs.addAll(List.of(kernel.resolve("net"), stack, stack.resolve("compat")));
        for (Path dir : dirs) {
            Path p = dir.resolve(header).normalize();
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static int line(String text, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') n++;
        return n;
    }
}
