package dev.uniwasm.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists a module's sections with their sizes for {@code inspect}. The decoder keeps the contents, not
 * the section framing, so this walks the framing again; it runs on modules the decoder accepted.
 */
final class SectionScanner {
    static final String[] NAMES = {
        "custom",
        "type",
        "import",
        "function",
        "table",
        "memory",
        "global",
        "export",
        "start",
        "element",
        "code",
        "data",
        "datacount",
        "tag"
    };

    /** One section: its id, name (custom sections: "custom \"name\""), offset of its id byte and payload size. */
    record Section(int id, String name, int offset, int size) {}

    private SectionScanner() {}

    static List<Section> scan(byte[] wasm) {
        List<Section> sections = new ArrayList<>();
        int[] pos = {8};
        while (pos[0] < wasm.length) {
            int offset = pos[0];
            int id = wasm[pos[0]++] & 0xff;
            int size = (int) leb(wasm, pos);
            int payload = pos[0];
            String name = id < NAMES.length ? NAMES[id] : "unknown(" + id + ")";
            if (id == 0) {
                int nameLength = (int) leb(wasm, pos);
                name = "custom \"" + new String(wasm, pos[0], nameLength, StandardCharsets.UTF_8) + "\"";
            }
            sections.add(new Section(id, name, offset, size));
            pos[0] = payload + size;
        }
        return sections;
    }

    private static long leb(byte[] b, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            int v = b[pos[0]++] & 0xff;
            result |= (long) (v & 0x7f) << shift;
            if ((v & 0x80) == 0) return result;
            shift += 7;
        }
    }
}
