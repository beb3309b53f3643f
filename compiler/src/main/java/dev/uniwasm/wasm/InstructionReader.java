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

    private final BinaryReader in;
    private final int end;
    private final boolean multiMemory;
    private final boolean tailCall;

    /**
     * Reads [start, end) accepting the multi-memory encodings (memory index immediates), which
     * is what code that reads already-validated modules wants.
     */
    public InstructionReader(byte[] bytes, int start, int end) {
        this(bytes, start, end, Features.ALL);
    }

    /**
     * Reads [start, end) with the encodings allowed by {@code features}: memory index immediates
     * need multi-memory, {@code return_call*} need tail calls (else "illegal opcode").
     */
    public InstructionReader(byte[] bytes, int start, int end, Features features) {
        this.in = new BinaryReader(bytes, start, end);
        this.end = end;
        this.multiMemory = features.multiMemory();
        this.tailCall = features.tailCall();
    }

    public boolean hasNext() {
        return in.position() < end;
    }

    public int position() {
        return in.position();
    }

    /** Decodes the next instruction and returns its opcode. */
    public int next() {
        offset = in.position();
        int b = in.u8();
        int opcode = switch (b) {
            case Opcodes.MISC_PREFIX -> Opcodes.MISC_BASE | prefixedSubOpcode();
            case Opcodes.SIMD_PREFIX -> Opcodes.SIMD_BASE | prefixedSubOpcode();
            default -> b;
        };
        if (!Opcodes.isDefined(opcode) || !tailCall && (opcode == Opcodes.RETURN_CALL
                || opcode == Opcodes.RETURN_CALL_INDIRECT)) {
            throw new MalformedModuleException(offset, "illegal opcode");
        }
        op = opcode;
        if (b == Opcodes.SIMD_PREFIX) {
            readSimdImmediates(opcode);
        } else {
            readImmediates(opcode);
        }
        return opcode;
    }

    private int prefixedSubOpcode() {
        long sub = in.u32AsLong();
        // Sub-opcodes past 255 are undefined; fold them to an undefined value in the same space.
        return sub > 0xFF ? 0xFFF : (int) sub;
    }

    private void readImmediates(int opcode) {
        switch (opcode) {
            case Opcodes.BLOCK, Opcodes.LOOP, Opcodes.IF -> blockType = readBlockType();
            case Opcodes.BR, Opcodes.BR_IF, Opcodes.CALL, Opcodes.RETURN_CALL,
                 Opcodes.LOCAL_GET, Opcodes.LOCAL_SET, Opcodes.LOCAL_TEE,
                 Opcodes.GLOBAL_GET, Opcodes.GLOBAL_SET, Opcodes.TABLE_GET, Opcodes.TABLE_SET,
                 Opcodes.REF_FUNC, Opcodes.DATA_DROP, Opcodes.ELEM_DROP,
                 Opcodes.TABLE_GROW, Opcodes.TABLE_SIZE, Opcodes.TABLE_FILL -> index = in.u32();
            case Opcodes.BR_TABLE -> readBrTable();
            case Opcodes.CALL_INDIRECT, Opcodes.RETURN_CALL_INDIRECT -> {
                index = in.u32();
                index2 = in.u32();
            }
            case Opcodes.SELECT -> selectTypeCount = 0;
            case Opcodes.SELECT_T -> readSelectTypes();
            case Opcodes.MEMORY_SIZE, Opcodes.MEMORY_GROW, Opcodes.MEMORY_FILL -> index = memoryIndexImmediate();
            case Opcodes.MEMORY_COPY -> {
                index = memoryIndexImmediate();
                index2 = memoryIndexImmediate();
            }
            case Opcodes.MEMORY_INIT -> {
                index = in.u32();
                index2 = memoryIndexImmediate();
            }
            case Opcodes.TABLE_INIT -> {
                index = in.u32();
                index2 = in.u32();
            }
            case Opcodes.TABLE_COPY -> {
                index = in.u32();
                index2 = in.u32();
            }
            case Opcodes.I32_CONST -> constBits = in.s32();
            case Opcodes.I64_CONST -> constBits = in.s64();
            case Opcodes.F32_CONST -> constBits = in.fixed32() & 0xFFFFFFFFL;
            case Opcodes.F64_CONST -> constBits = in.fixed64();
            case Opcodes.REF_NULL -> refType = in.refType();
            default -> {
                if (opcode >= Opcodes.I32_LOAD && opcode <= Opcodes.I64_STORE32) readMemarg();
            }
        }
    }

    private void readSimdImmediates(int opcode) {
        int sub = opcode & 0xFFF;
        if (sub <= 0x0B || sub == 0x5C || sub == 0x5D) {
            readMemarg();
        } else if (sub == 0x0C || sub == 0x0D) {
            constBits = in.fixed64();
            constBitsHigh = in.fixed64();
        } else if (sub >= 0x15 && sub <= 0x22) {
            lane = in.u8();
        } else if (sub >= 0x54 && sub <= 0x5B) {
            readMemarg();
            lane = in.u8();
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
        index = in.u32();
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
        memIndex = 0;
        if (multiMemory) {
            // Bit 6 announces a memory index; the remaining bits below it are the alignment, whose
            // size the validator checks ("alignment must not be larger than natural").
            if (flags >= 0x80) throw new MalformedModuleException(at, "malformed memop flags");
            if ((flags & 0x40) != 0) memIndex = in.u32();
            align = (int) (flags & 0x3F);
        } else {
            // Wasm 2.0: the alignment exponent must be below 32.
            if (flags >= 32) throw new MalformedModuleException(at, "malformed memop flags");
            align = (int) flags;
        }
        memOffset = in.u32AsLong();
    }
}
