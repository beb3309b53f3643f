package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.image.KernelBuild.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * through (a relative include into kernel/plat, inline assembly) and names the file and line. Within
 * the kernel, the layers keep their direction: the file system and the network never include the
 * WASI layer (whose errno values live in kernel/errno.h, listed nowhere else), and a virtio driver
 * reaches its device only through the transport interface.
 */
class KernelLayoutTest {
    private static final Pattern INCLUDE =
            Pattern.compile("^\\s*#\\s*include\\s*([<\"])([^>\"]+)[>\"]", Pattern.MULTILINE);
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
            folders = list.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> lines =
                Arrays.stream(Platform.values()).map(p -> p.folder).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(folders, lines, "kernel/plat/* against KernelBuild.Platform");
        for (Platform p : Platform.values()) {
            Path dir = kernel.resolve("plat").resolve(p.folder);
            assertTrue(
                    Files.isRegularFile(dir.resolve(KernelBuild.LINKER_SCRIPT)),
                    dir + " has no " + KernelBuild.LINKER_SCRIPT);
            assertTrue(
                    Files.isDirectory(kernel.resolve("net").resolve(p.network.folder)), p + "'s network stack folder");
        }
    }

    @Test
    void portableCodeReachesPlatformsOnlyThroughPlatformH() throws IOException {
        List<String> problems = new ArrayList<>();
        KernelBuild.Parts parts = KernelBuild.Parts.of(kernel, Platform.X86_64_PVH);
        for (Path f : Stream.concat(parts.portable().stream(), parts.headers().stream())
                .filter(this::isPortable)
                .toList()) {
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
                for (Path f : walk.filter(
                                x -> x.toString().endsWith(".c") || x.toString().endsWith(".h"))
                        .sorted()
                        .toList()) {
                    check(f, stack, problems);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Layers below the WASI layer: the file system and the network (interface and stacks) return the
     * kernel's errno values (kernel/include/kernel/errno.h) and never reach up into kernel/wasi. */
    @Test
    void fileSystemAndNetworkDoNotReachTheWasiLayer() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String layer : List.of("fs", "net")) {
            for (Path f : cSources(kernel.resolve(layer))) {
                for (Include inc : includes(f)) {
                    if (inc.target() != null && inc.target().startsWith(kernel.resolve("wasi"))) {
                        problems.add(inc.where() + ": " + layer
                                + "/ is below the WASI layer (errno values: kernel/errno.h)");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The errno values are listed once, in kernel/errno.h: no other kernel file gives one of its names
     * its number again (the network and the process platform each had a copy of the list). Linux's own
     * errno, which the process platform translates, has other numbers and passes. */
    @Test
    void errnoValuesAreListedOnce() throws IOException {
        Path list = kernel.resolve("include/kernel/errno.h");
        Matcher m = Pattern.compile("\\bWASI_E([A-Z]+) = (\\d+)").matcher(Files.readString(list));
        Map<String, String> values = new HashMap<>();
        while (m.find()) values.put(m.group(1), m.group(2));
        assertTrue(values.containsKey("NOTCAPABLE") && values.containsKey("NOTSOCK"), "names read from " + list);
        Pattern numbered = Pattern.compile("\\b\\w*?E([A-Z]+)\\s*=\\s*(\\d+)|#\\s*define\\s+\\w*?E([A-Z]+)\\s+(\\d+)");
        List<String> problems = new ArrayList<>();
        for (Path f : cSources(kernel)) {
            if (f.equals(list)) continue;
            String text = Files.readString(f);
            Matcher c = numbered.matcher(text);
            while (c.find()) {
                String name = c.group(1) != null ? c.group(1) : c.group(3);
                String value = c.group(1) != null ? c.group(2) : c.group(4);
                if (value.equals(values.get(name))) {
                    problems.add(home.relativize(f) + ":" + line(text, c.start()) + ": " + c.group()
                            + " (kernel/errno.h has it)");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** A virtio driver sees only dev/virtio_transport.h (and the virtqueue): discovery and the MMIO and
     * PCI registers belong to the transports, which alone include their headers and pci.h. */
    @Test
    void virtioDriversSeeOnlyTheTransportInterface() throws IOException {
        Set<String> transportHeaders = Set.of("virtio_mmio.h", "virtio_pci.h", "pci.h");
        Set<String> transports = Set.of(
                "virtio_transport.c",
                "virtio_mmio.c",
                "virtio_mmio.h",
                "virtio_pci.c",
                "virtio_pci.h",
                "pci.c",
                "pci.h");
        List<String> problems = new ArrayList<>();
        List<Path> drivers = new ArrayList<>();
        for (Platform p : Platform.values()) {
            for (Path f : cSources(kernel.resolve("plat").resolve(p.folder))) {
                String file = f.getFileName().toString();
                List<Include> incs = includes(f);
                if (!transports.contains(file)
                        && incs.stream().anyMatch(i -> i.named().equals("virtio_transport.h"))) drivers.add(f);
                if (transports.contains(file)) continue;
                for (Include inc : incs) {
                    if (inc.target() != null
                            && transportHeaders.contains(
                                    inc.target().getFileName().toString())) {
                        problems.add(inc.where() + ": only the virtio transports reach a transport's registers or PCI");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(
                drivers.stream().anyMatch(f -> f.endsWith("virtio_net.c")),
                "virtio_net.c is a driver on the transport interface: " + drivers);
    }

    private record Include(String where, String named, Path target) {}

    /** The quoted includes of a file, each resolved as its compiler would (target null when not found). */
    private List<Include> includes(Path f) throws IOException {
        String text = Files.readString(f);
        List<Include> out = new ArrayList<>();
        Matcher inc = INCLUDE.matcher(text);
        List<Path> dirs =
                new ArrayList<>(List.of(f.getParent(), kernel.resolve("include"), home.resolve("runtime/include")));
        Path plat = kernel.resolve("plat");
        if (f.startsWith(plat))
            dirs.add(plat.resolve(plat.relativize(f).getName(0)).resolve("include"));
        if (f.startsWith(kernel.resolve("net"))) dirs.add(kernel.resolve("net"));
        while (inc.find()) {
            if (!inc.group(1).equals("\"")) continue;
            String header = inc.group(2);
            Path target = dirs.stream()
                    .map(d -> d.resolve(header).normalize())
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElse(null);
            out.add(new Include(
                    home.relativize(f) + ":" + line(text, inc.start()) + ": #include \"" + header + "\"",
                    Path.of(header).getFileName().toString(),
                    target));
        }
        return out;
    }

    private static List<Path> cSources(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(x -> x.toString().endsWith(".c") || x.toString().endsWith(".h"))
                    .sorted()
                    .toList();
        }
    }

    private boolean isPortable(Path f) {
        Path net = kernel.resolve("net");
        return !f.startsWith(kernel.resolve("plat"))
                && !f.startsWith(kernel.resolve("arch"))
                && !(f.startsWith(net) && net.relativize(f).getNameCount() > 1);
    }

    /** Problems of one portable file, or of a file of the network stack in `stack` (else null). */
    private void check(Path f, Path stack, List<String> problems) throws IOException {
        String text = Files.readString(f);
        String name = home.relativize(f).toString();
        Matcher code = MACHINE_CODE.matcher(text);
        if (!ISA_CODE.contains(name) && code.find())
            problems.add(name + ":" + line(text, code.start()) + ": machine code (" + code.group()
                    + ") belongs in a platform");
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
        List<Path> dirs =
                new ArrayList<>(List.of(f.getParent(), kernel.resolve("include"), home.resolve("runtime/include")));
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
