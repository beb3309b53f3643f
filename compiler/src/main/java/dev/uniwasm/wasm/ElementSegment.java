package dev.uniwasm.wasm;

import java.util.List;

/**
 * An element segment. Every item is a constant expression; the function-index encodings are
 * normalised by the decoder into {@link #funcIndices} (and {@code items} is then empty).
 */
public record ElementSegment(
        SegmentMode mode, ValType type, int table, Expr offset, int[] funcIndices, List<Expr> items) {
    public int size() {
        return funcIndices != null ? funcIndices.length : items.size();
    }
}
