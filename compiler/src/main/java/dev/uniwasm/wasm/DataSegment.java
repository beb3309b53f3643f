package dev.uniwasm.wasm;

/** A data segment; its bytes are [dataStart, dataEnd) of the module's bytes. */
public record DataSegment(SegmentMode mode, int memory, Expr offset, int dataStart, int dataEnd) {
    public int length() {
        return dataEnd - dataStart;
    }
}
