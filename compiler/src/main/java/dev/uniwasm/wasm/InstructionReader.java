package dev.uniwasm.wasm;

/**
 * Streams the instructions of a function body or constant expression without allocating: each
 * {@link #next()} decodes one instruction into the public fields below. Shared by the validator
 * and the code generator. Which fields an instruction sets is its row's {@link Opcode.Immediates};
 * the others keep whatever an earlier instruction left in them.
 */
public final class InstructionReader {
    /** blockType value for an empty block type; a value type t is {@code -t.code}; >= 0 is a type index. */
    public static final int BLOCK_EMPTY = -0x40;

    /** The last decoded instruction. */
    public Opcode op;
    /** Byte offset (in the module) where the last instruction starts. */
    public int offset;
    /** block, loop, if: see {@link #BLOCK_EMPTY}. */
    public int blockType;
    /** br, br_if: the label; br_table: the default label. */
    public int labelDepth;
    /** call, return_call, ref.func. */
    public int funcIndex;
    /** call_indirect, return_call_indirect: the expected function type. */
    public int typeIndex;
    /** table.get/set/size/grow/fill; call_indirect's table; table.init's destination table. */
    public int tableIndex;

    public int localIndex;
    public int globalIndex;
    /** memory.init, data.drop. */
    public int dataIndex;
    /** table.init, elem.drop. */
    public int elemIndex;
    /** memory.size/grow/fill, memory.init's destination, a memarg's memory (0 unless multi-memory). */
    public int memoryIndex;
    /** memory.copy. */
    public int dstMemory;

    public int srcMemory;
    /** table.copy. */
    public int dstTable;

    public int srcTable;
    /** Memory instructions: log2 alignment and offset of the memarg (its memory is {@link #memoryIndex}). */
    public int align;

    public long memOffset;
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
    /** br_table targets (not including the default, which is {@link #labelDepth}). */
    public int[] brTargets = new int[16];

    public int brTargetCount;

    private final BinaryReader in;
    private final int end;
    private final boolean multiMemory;
    private final Features features;

    /**
     * Reads [start, end) accepting the multi-memory encodings (memory index immediates), which
     * is what code that reads already-validated modules wants.
     */
    public InstructionReader(byte[] bytes, int start, int end) {
        this(bytes, start, end, Features.ALL);
    }

    /**
     * Reads [start, end) with the encodings allowed by {@code features}: memory index immediates
     * need multi-memory, an instruction a proposal adds ({@link Opcode#proposal()}, e.g.
     * {@code return_call*}) needs that proposal (else "illegal opcode").
     */
    public InstructionReader(byte[] bytes, int start, int end, Features features) {
        this.in = new BinaryReader(bytes, start, end);
        this.end = end;
        this.multiMemory = features.multiMemory();
        this.features = features;
    }

    public boolean hasNext() {
        return in.position() < end;
    }

    public int position() {
        return in.position();
    }

    /** Decodes the next instruction and returns it. */
    public Opcode next() {
        offset = in.position();
        int b = in.u8();
        Opcode decoded = b == Opcode.MISC_PREFIX || b == Opcode.SIMD_PREFIX
                ? Opcode.forPrefixed(b, in.u32AsLong())
                : Opcode.forByte(b);
        if (decoded == null || !features.enables(decoded.proposal())) {
            throw new MalformedModuleException(offset, "illegal opcode");
        }
        op = decoded;
        readImmediates(decoded);
        return decoded;
    }

    private void readImmediates(Opcode opcode) {
        switch (opcode.immediates()) {
            case NONE -> {
                // Plain select reports no types, so that a reader of selectTypeCount never sees
                // the count of an earlier typed select.
                if (opcode == Opcode.SELECT) selectTypeCount = 0;
            }
            case BLOCK_TYPE -> blockType = readBlockType();
            case LABEL_DEPTH -> labelDepth = in.u32();
            case BR_TABLE_TARGETS -> readBrTable();
            case FUNC_INDEX -> funcIndex = in.u32();
            case TYPE_AND_TABLE -> {
                typeIndex = in.u32();
                tableIndex = in.u32();
            }
            case SELECT_TYPES -> readSelectTypes();
            case LOCAL_INDEX -> localIndex = in.u32();
            case GLOBAL_INDEX -> globalIndex = in.u32();
            case TABLE_INDEX -> tableIndex = in.u32();
            case MEMORY_INDEX -> memoryIndex = memoryIndexImmediate();
            case MEMARG -> readMemarg();
            case CONST_I32 -> constBits = in.s32();
            case CONST_I64 -> constBits = in.s64();
            case CONST_F32 -> constBits = in.fixed32() & 0xFFFFFFFFL;
            case CONST_F64 -> constBits = in.fixed64();
            case CONST_V128, SHUFFLE_LANES -> {
                constBits = in.fixed64();
                constBitsHigh = in.fixed64();
            }
            case LANE_INDEX -> lane = in.u8();
            case MEMARG_AND_LANE -> {
                readMemarg();
                lane = in.u8();
            }
            case REF_TYPE -> refType = in.refType();
            case DATA_INDEX -> dataIndex = in.u32();
            case ELEM_INDEX -> elemIndex = in.u32();
            case DATA_AND_MEMORY -> {
                dataIndex = in.u32();
                memoryIndex = memoryIndexImmediate();
            }
            case DST_SRC_MEMORY -> {
                dstMemory = memoryIndexImmediate();
                srcMemory = memoryIndexImmediate();
            }
            case ELEM_AND_TABLE -> {
                elemIndex = in.u32();
                tableIndex = in.u32();
            }
            case DST_SRC_TABLE -> {
                dstTable = in.u32();
                srcTable = in.u32();
            }
        }
    }

    private int readBlockType() {
        int first = in.peekU8();
        if (first == 0x40) {
            in.u8();
            return BLOCK_EMPTY;
        }
        ValType t = ValType.fromCode(first);
        if (t != null) {
            in.u8();
            return -t.code;
        }
        int start = in.position();
        long typeIndex = in.s33();
        if (typeIndex < 0) throw new MalformedModuleException(start, "malformed value type");
        // Indices past the int range cannot name a type; keep them recognisably out of range.
        return (int) Math.min(typeIndex, Integer.MAX_VALUE);
    }

    private void readBrTable() {
        int n = in.count();
        if (n > brTargets.length) brTargets = new int[Math.max(n, brTargets.length * 2)];
        for (int i = 0; i < n; i++) brTargets[i] = in.u32();
        brTargetCount = n;
        labelDepth = in.u32();
    }

    private void readSelectTypes() {
        int n = in.count();
        selectTypeCount = n;
        refType = null;
        for (int i = 0; i < n; i++) {
            int at = in.position();
            ValType t = ValType.fromCode(in.u8());
            if (t == null) throw new MalformedModuleException(at, "malformed value type");
            if (i == 0) refType = t;
        }
    }

    /** A memory index: a single zero byte in Wasm 2.0, a u32 with multi-memory. */
    private int memoryIndexImmediate() {
        if (multiMemory) return in.u32();
        int at = in.position();
        if (in.u8() != 0) throw new MalformedModuleException(at, "zero byte expected");
        return 0;
    }

    private void readMemarg() {
        int at = in.position();
        long flags = in.u32AsLong();
        memoryIndex = 0;
        if (multiMemory) {
            // Bit 6 announces a memory index; the remaining bits below it are the alignment, whose
            // size the validator checks ("alignment must not be larger than natural").
            if (flags >= 0x80) throw new MalformedModuleException(at, "malformed memop flags");
            if ((flags & 0x40) != 0) memoryIndex = in.u32();
            align = (int) (flags & 0x3F);
        } else {
            // Wasm 2.0: the alignment exponent must be below 32.
            if (flags >= 32) throw new MalformedModuleException(at, "malformed memop flags");
            align = (int) flags;
        }
        memOffset = in.u32AsLong();
    }
}
