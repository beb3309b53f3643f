package dev.uniwasm.wasm;

/**
 * Streams the instructions of a function body or constant expression without allocating: each
 * {@link #next()} decodes one instruction into the public fields below. Shared by the validator
 * and the code generator.
 *
 * <p>Opcodes are the values of {@link Opcodes}: the byte for one-byte instructions,
 * {@code 0xFC000 | sub} and {@code 0xFD000 | sub} for prefixed ones.
 */
public final class InstructionReader {
    /** blockType value for an empty block type; a value type t is {@code -t.code}; >= 0 is a type index. */
    public static final int BLOCK_EMPTY = -0x40;

    /** The opcode of the last decoded instruction. */
    public int op;
    /** Byte offset (in the module) where the last instruction starts. */
    public int offset;
    /** block, loop, if: see {@link #BLOCK_EMPTY}. */
    public int blockType;
    /**
     * First index immediate: local, global, function, label (br, br_if, and br_table's default),
     * type (call_indirect), table (table.get/set/size/grow/fill), data (memory.init, data.drop),
     * elem (table.init, elem.drop), destination table or memory (table.copy, memory.copy),
     * memory (memory.size, memory.grow, memory.fill).
     */
    public int index;
    /** Second index immediate: call_indirect's table, memory.init's memory, table.init's table,
     * table.copy's and memory.copy's source. */
    public int index2;
    /** Memory instructions: log2 alignment, offset, memory index (0 unless multi-memory). */
    public int align;
    public long memOffset;
    public int memIndex;
    /** SIMD lane index (extract/replace lane, load/store lane). */
    public int lane;
    /** Constants: i32.const (sign-extended), i64.const, f32.const/f64.const raw bits,
     * v128.const and i8x16.shuffle low 8 bytes (little-endian). */
    public long constBits;
    /** v128.const and i8x16.shuffle high 8 bytes. */
    public long constBitsHigh;
    /** ref.null's type; select's type when {@link #selectTypeCount} is 1. */
    public ValType refType;
    /** Number of types in a typed select (0x1C); 0 for plain select. */
    public int selectTypeCount;
    /** br_table targets (not including the default, which is {@link #index}). */
    public int[] brTargets = new int[16];
    public int brTargetCount;

    private final byte[] bytes;
    private int pos;
    private final int end;

    public InstructionReader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
    }

    public boolean hasNext() {
        return pos < end;
    }

    public int position() {
        return pos;
    }

    /** Decodes the next instruction and returns its opcode. */
    public int next() {
        throw new UnsupportedOperationException("to be written");
    }
}
