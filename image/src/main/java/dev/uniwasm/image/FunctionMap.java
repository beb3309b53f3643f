package dev.uniwasm.image;

import dev.uniwasm.image.ElfSymbols.Symbol;
import dev.uniwasm.wasm.Module;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The map from code addresses to Wasm functions that the kernel consults when a trap happens, so
 * that it can print {@code trap: <message> in function <name>}. Built from a linked image's symbol
 * table: the compiler names the code of function {@code i} {@code uw_f<i>} or
 * {@code uw_f<i>.<name>}, and LLVM may add clones of it ({@code uw_f<i>.constprop.0}); the name
 * printed comes from the module's name section, never from the symbol, whose suffix may be LLVM's.
 * The byte layout is {@code kernel/include/kernel/funcmap.h}'s.
 */
public final class FunctionMap {
    static final int MAGIC = 0x4d465755; // "UWFM"
    static final int VERSION = 1;
    static final int NO_NAME = -1;
    static final int HEADER_SIZE = 16;
    static final int ENTRY_SIZE = 16;
    /** Entries hold 32-bit addresses: the image is linked at 1 MiB with the small code model. */
    private static final long ADDRESS_LIMIT = 0x8000_0000L;

    private static final Pattern FUNCTION_SYMBOL = Pattern.compile("uw_f(\\d+)(?:\\..*)?", Pattern.DOTALL);

    /** One range of code: [start, start + size) belongs to function {@code funcIndex}. */
    public record Entry(long start, long size, int funcIndex, String symbol) {}

    public static final FunctionMap EMPTY = new FunctionMap(List.of(), Map.of());

    private final List<Entry> entries;
    private final Map<Integer, String> names;

    private FunctionMap(List<Entry> entries, Map<Integer, String> names) {
        this.entries = entries;
        this.names = names;
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The map of a linked image, from its symbols and the module it was compiled from. Symbols of
     * Wasm functions must lie in the app's text ({@code __app_text_start .. __app_text_end}) and
     * must not overlap; one that names a function the module does not have means the object and
     * the module do not belong together.
     */
    public static FunctionMap build(List<Symbol> symbols, Module module, String imageName) {
        long appStart = address(symbols, "__app_text_start", imageName);
        long appEnd = address(symbols, "__app_text_end", imageName);
        List<Entry> found = new ArrayList<>();
        for (Symbol s : symbols) {
            if (s.type() != ElfSymbols.STT_FUNC || !ElfSymbols.inSection(s)) continue;
            Matcher m = FUNCTION_SYMBOL.matcher(s.name());
            if (!m.matches()) continue;
            int index = functionIndex(m.group(1), s, module, imageName);
            if (s.size() == 0) continue; // no code to attribute (an alias or an empty placeholder)
            if (s.value() < appStart || s.value() + s.size() > appEnd) {
                throw new ImageException(
                        "symbol " + s.name() + " of " + imageName + " at 0x" + Long.toHexString(s.value())
                                + " lies outside the app's text [0x" + Long.toHexString(appStart) + ", 0x"
                                + Long.toHexString(appEnd) + ")");
            }
            if (s.value() + s.size() > ADDRESS_LIMIT) {
                throw new ImageException("symbol " + s.name() + " of " + imageName + " ends at 0x"
                        + Long.toHexString(s.value() + s.size()) + ", above the 2 GiB the function map can address");
            }
            found.add(new Entry(s.value(), s.size(), index, s.name()));
        }
        found.sort(Comparator.comparingLong(Entry::start).thenComparingInt(Entry::funcIndex));
        List<Entry> entries = new ArrayList<>(found.size());
        for (Entry e : found) {
            Entry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
            if (last != null && last.start() == e.start() && last.size() == e.size()) continue; // an alias
            if (last != null && e.start() < last.start() + last.size()) {
                throw new ImageException("symbols " + last.symbol() + " [0x" + Long.toHexString(last.start()) + ", +"
                        + last.size() + ") and " + e.symbol() + " [0x" + Long.toHexString(e.start()) + ", +" + e.size()
                        + ") of " + imageName + " overlap");
            }
            entries.add(e);
        }
        Map<Integer, String> names = new HashMap<>();
        for (Entry e : entries) {
            String name = module.functionNames.get(e.funcIndex());
            if (name != null) names.put(e.funcIndex(), printable(name));
        }
        return new FunctionMap(List.copyOf(entries), Map.copyOf(names));
    }

    private static int functionIndex(String digits, Symbol s, Module module, String imageName) {
        int index;
        try {
            index = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= module.numFuncs()) {
            throw new ImageException("symbol " + s.name() + " of " + imageName + " is the code of function " + digits
                    + ", but the module has " + module.numFuncs()
                    + " functions: the app object was not compiled from this module");
        }
        if (module.isImportedFunc(index)) {
            throw new ImageException("symbol " + s.name() + " of " + imageName + " is the code of function " + index
                    + ", which the module imports: the app object was not compiled from this module");
        }
        return index;
    }

    private static long address(List<Symbol> symbols, String name, String imageName) {
        for (Symbol s : symbols) {
            if (s.name().equals(name) && s.isDefined()) return s.value();
        }
        throw new ImageException(imageName + " defines no symbol " + name + " (is kernel.ld the kernel's?)");
    }

    /** A name as one line of console text: control characters (which would break the trap line or
     * the terminal) become {@code \xNN}, and so does a backslash, so the escape is unambiguous. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') out.append(String.format("\\x%02x", (int) c));
            else out.append(c);
        }
        return out.toString();
    }

    /** The section contents, laid out as funcmap.h's struct function_map. */
    public byte[] encode() {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        Map<Integer, Integer> nameOffsets = new HashMap<>();
        for (Entry e : entries) {
            String name = names.get(e.funcIndex());
            if (name == null || nameOffsets.containsKey(e.funcIndex())) continue;
            nameOffsets.put(e.funcIndex(), blob.size());
            blob.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            blob.write(0);
        }
        byte[] nameBytes = blob.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + entries.size() * ENTRY_SIZE + nameBytes.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC)
                .putShort((short) VERSION)
                .putShort((short) 0)
                .putInt(entries.size())
                .putInt(nameBytes.length);
        for (Entry e : entries) {
            out.putInt((int) e.start())
                    .putInt((int) e.size())
                    .putInt(e.funcIndex())
                    .putInt(nameOffsets.getOrDefault(e.funcIndex(), NO_NAME));
        }
        out.put(nameBytes);
        return out.array();
    }

    /** The function whose code holds {@code pc}, as the kernel finds it; for tests and tools. */
    public Entry lookup(long pc) {
        int lo = 0, hi = entries.size() - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).start() <= pc) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) return null;
        Entry e = entries.get(found);
        return pc - e.start() < e.size() ? e : null;
    }

    /** The printable name of function {@code index} as the map stores it, or null. */
    public String name(int index) {
        return names.get(index);
    }
}
