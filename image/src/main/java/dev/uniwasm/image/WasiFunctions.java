package dev.uniwasm.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions of wasi_snapshot_preview1 the kernel defines: all 46 of the WASI specification and
 * WasmEdge's socket API, each with its Wasm signature in the canonical notation of {@link
 * dev.uniwasm.wasm.FuncType#signature()}. Read from the kernel's own list, kernel/wasi/functions.h
 * (copied into this module's resources by the build), so the linker and the kernel cannot disagree.
 *
 * <p>Some WasmEdge names have two shapes, told apart by signature as WasmEdge itself does: the
 * 2-parameter {@code sock_accept} (preview1's has 3), the 8-parameter {@code sock_recv_from} and the
 * 3-parameter {@code sock_getlocaladdr} / {@code sock_getpeeraddr} (WasmEdge's "v2" forms). Compiled
 * code calls every import as {@code uw_imp.wasi_snapshot_preview1.<name>}; for a second shape the
 * kernel's code has another symbol, and the linker points the import's symbol at it.
 */
final class WasiFunctions {
    static final String MODULE = "wasi_snapshot_preview1";
    /** The prefix of the symbol compiled code calls an import by. */
    static final String IMPORT_SYMBOL_PREFIX = "uw_imp." + MODULE + ".";

    static final String LIST_RESOURCE = "functions.h";

    /**
     * One shape of a function: its signature and, for a second shape, the kernel symbol that
     * implements it (null: the import symbol itself).
     */
    record Shape(String signature, String kernelSymbol) {}

    /** A row: kind, name, parenthesised parameter letters, result letter (or none), variant version. */
    private static final Pattern ROW = Pattern.compile(
            "^(WASI_FUNCTION|WASMEDGE_FUNCTION|WASMEDGE_VARIANT)\\((\\w+), \\(((?:[il](?:, [il])*)?)\\), ([il]?)(?:, (\\w+))?\\)$");

    private static final Map<String, List<Shape>> SHAPES = new LinkedHashMap<>();
    private static final int PREVIEW1_COUNT;

    static {
        int preview1 = 0;
        try (InputStream in = WasiFunctions.class.getResourceAsStream(LIST_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(
                        "no " + LIST_RESOURCE + " beside WasiFunctions (a build without image/pom.xml's resources?)");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("WASI_FUNCTION") && !line.startsWith("WASMEDGE_")) continue;
                Matcher m = ROW.matcher(line.strip());
                if (!m.matches())
                    throw new IllegalStateException(LIST_RESOURCE + ": cannot read the row \"" + line + "\"");
                // the notation the kernel's WASI_SIGNATURE makes of the row: (i, l, i), i -> "ili:i"
                String signature = m.group(3).replace(", ", "") + ":" + m.group(4);
                switch (m.group(1)) {
                    case "WASI_FUNCTION" -> {
                        add(m.group(2), signature, null);
                        preview1++;
                    }
                    case "WASMEDGE_FUNCTION" -> add(m.group(2), signature, null);
                    default -> add(m.group(2), signature, "uw_wasmedge_" + m.group(5) + "." + m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST_RESOURCE, e);
        }
        PREVIEW1_COUNT = preview1;
    }

    private static void add(String name, String signature, String kernelSymbol) {
        SHAPES.computeIfAbsent(name, n -> new ArrayList<>()).add(new Shape(signature, kernelSymbol));
    }

    private WasiFunctions() {}

    /** Every name the kernel defines, in the list's order. */
    static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(SHAPES.keySet());
    }

    /** The kernel's shapes of a function (first the one its import symbol names), or an empty list. */
    static List<Shape> shapes(String name) {
        return SHAPES.getOrDefault(name, List.of());
    }

    /** The shape of {@code name} with {@code signature}, or null. */
    static Shape shape(String name, String signature) {
        for (Shape s : shapes(name)) {
            if (s.signature().equals(signature)) return s;
        }
        return null;
    }

    /** The number of wasi_snapshot_preview1 functions of the WASI specification (all defined). */
    static int count() {
        return PREVIEW1_COUNT;
    }
}
