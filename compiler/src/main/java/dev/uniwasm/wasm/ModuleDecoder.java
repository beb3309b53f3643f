package dev.uniwasm.wasm;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the binary format into a {@link Module}. Only well-formedness is checked here (the
 * grammar of the binary format, section order and sizes, instruction encodings); the typing rules
 * are the {@link Validator}'s. Errors are {@link MalformedModuleException}s worded like the spec
 * test suite's expected messages, each with the offset of the offending byte. Counts beyond
 * {@link ImplementationLimits} are {@link LimitExceededException}s, raised where the count is read.
 */
public final class ModuleDecoder {
    private static final int SECTION_CUSTOM = 0;
    private static final int SECTION_TYPE = 1;
    private static final int SECTION_IMPORT = 2;
    private static final int SECTION_FUNCTION = 3;
    private static final int SECTION_TABLE = 4;
    private static final int SECTION_MEMORY = 5;
    private static final int SECTION_GLOBAL = 6;
    private static final int SECTION_EXPORT = 7;
    private static final int SECTION_START = 8;
    private static final int SECTION_ELEMENT = 9;
    private static final int SECTION_CODE = 10;
    private static final int SECTION_DATA = 11;
    private static final int SECTION_DATA_COUNT = 12;

    /** Position of each non-custom section id in the required order (data count sits before code). */
    private static final int[] SECTION_RANK = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};

    private static final int FUNC_TYPE_FORM = 0x60;
    /** Stored as the start function when the start section names index 0xFFFFFFFF. */
    static final int START_INDEX_ALL_ONES = Integer.MIN_VALUE;

    private final byte[] bytes;
    private final Features features;
    private final BinaryReader in;
    private final Module module;
    /** Number of entries in the function section (defined functions), -1 if absent. */
    private int declaredFunctionCount = -1;
    /** Offset of the first memory.init or data.drop, -1 if none: they need a data count section. */
    private int firstDataIndexUse = -1;

    private boolean sawDataSection;
    /** Reused by the body scan: the opcode that opened each enclosing block. */
    private Opcode[] blockStack = new Opcode[64];

    private ModuleDecoder(byte[] bytes, Features features) {
        this.bytes = bytes;
        this.features = features;
        this.in = new BinaryReader(bytes);
        this.module = new Module(bytes);
    }

    public static Module decode(byte[] bytes) {
        return decode(bytes, Features.WASM2);
    }

    public static Module decode(byte[] bytes, Features features) {
        return new ModuleDecoder(bytes, features).decodeModule();
    }

    private Module decodeModule() {
        readHeader();
        int lastRank = -1;
        while (!in.atEnd()) {
            int idOffset = in.position();
            int id = in.u8();
            if (id > SECTION_DATA_COUNT) throw new MalformedModuleException(idOffset, "malformed section id");
            int size = in.count();
            int contentStart = in.position();
            int sectionEnd = contentStart + size;
            if (sectionEnd > bytes.length) {
                throw new MalformedModuleException(bytes.length, BinaryReader.UNEXPECTED_END);
            }
            if (id != SECTION_CUSTOM) {
                module.sectionOffsets[id] = contentStart;
                int rank = SECTION_RANK[id];
                if (rank <= lastRank) {
                    throw new MalformedModuleException(idOffset, "unexpected content after last section");
                }
                lastRank = rank;
            }
            // Like the reference decoder, items are read from the whole module rather than a
            // section-sized window; an item that overruns its section shows up as a size mismatch
            // (or as whatever the following bytes fail to decode as).
            readSection(id, sectionEnd);
            if (in.position() != sectionEnd) {
                throw new MalformedModuleException(in.position(), "section size mismatch");
            }
        }
        // The spec requires the data count section whenever code uses data indices. When the
        // module has no data section at all the instruction is invalid anyway ("unknown data
        // segment", from the validator); wabt omits the count in exactly that case.
        if (firstDataIndexUse >= 0 && sawDataSection) {
            throw new MalformedModuleException(firstDataIndexUse, "data count section required");
        }
        int definedFunctions = Math.max(declaredFunctionCount, 0);
        if (definedFunctions != module.bodies.size()) {
            throw new MalformedModuleException(bytes.length, "function and code section have inconsistent lengths");
        }
        if (module.dataCount >= 0 && module.dataCount != module.data.size()) {
            throw new MalformedModuleException(bytes.length, "data count and data section have inconsistent lengths");
        }
        return module;
    }

    private void readHeader() {
        if (bytes.length < 4) throw new MalformedModuleException(bytes.length, "unexpected end");
        if (bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
            throw new MalformedModuleException(0, "magic header not detected");
        }
        if (bytes.length < 8) throw new MalformedModuleException(bytes.length, "unexpected end");
        if (bytes[4] != 1 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
            throw new MalformedModuleException(4, "unknown binary version");
        }
        in.seek(8);
    }

    private void readSection(int id, int sectionEnd) {
        switch (id) {
            case SECTION_CUSTOM -> readCustomSection(sectionEnd);
            case SECTION_TYPE -> readTypeSection();
            case SECTION_IMPORT -> readImportSection();
            case SECTION_FUNCTION -> readFunctionSection();
            case SECTION_TABLE -> readTableSection();
            case SECTION_MEMORY -> readMemorySection();
            case SECTION_GLOBAL -> readGlobalSection();
            case SECTION_EXPORT -> readExportSection();
            case SECTION_START -> {
                int start = in.u32();
                // -1 means "no start function" in the model; index 0xFFFFFFFF can never be valid.
                module.startFunction = start == -1 ? START_INDEX_ALL_ONES : start;
            }
            case SECTION_ELEMENT -> readElementSection();
            case SECTION_CODE -> readCodeSection();
            case SECTION_DATA -> {
                sawDataSection = true;
                readDataSection();
            }
            case SECTION_DATA_COUNT -> module.dataCount = readDataCount();
            default -> throw new IllegalStateException("section id " + id);
        }
    }

    // ---- custom sections ----

    private void readCustomSection(int sectionEnd) {
        int nameStart = in.position();
        String name = in.name();
        int contentStart = in.position();
        if (contentStart > sectionEnd) {
            throw new MalformedModuleException(nameStart, "unexpected end: custom section name overruns the section");
        }
        module.customSections.add(new CustomSection(name, contentStart, sectionEnd));
        if (name.equals("name")) NameSectionReader.read(module, bytes, contentStart, sectionEnd);
        in.seek(sectionEnd);
    }

    // ---- types ----

    private void readTypeSection() {
        int n = limitedCount(ImplementationLimits.MAX_TYPES, "the module", "types");
        for (int i = 0; i < n; i++) {
            int at = in.position();
            int form = in.u8();
            // The form is a signed 7-bit LEB128 in the reference decoder.
            if ((form & 0x80) != 0) throw new MalformedModuleException(at, "integer representation too long");
            if (form != FUNC_TYPE_FORM) {
                throw new MalformedModuleException(
                        at, "malformed functype: expected 0x60, got 0x" + Integer.toHexString(form));
            }
            String subject = "function type " + i;
            List<ValType> params = readValTypes(ImplementationLimits.MAX_PARAMS, subject, "parameters");
            List<ValType> results = readValTypes(ImplementationLimits.MAX_RESULTS, subject, "results");
            module.types.add(new FuncType(params, results));
        }
    }

    private List<ValType> readValTypes(int limit, String subject, String items) {
        int n = limitedCount(limit, subject, items);
        List<ValType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) types.add(readValType());
        return types;
    }

    private ValType readValType() {
        int at = in.position();
        int code = in.u8();
        ValType t = ValType.fromCode(code);
        if (t == null) throw new MalformedModuleException(at, "malformed value type 0x" + Integer.toHexString(code));
        return t;
    }

    /** A vector's length, checked against one of the {@link ImplementationLimits}. */
    private int limitedCount(int limit, String subject, String items) {
        return limitedCount(0, limit, subject, items);
    }

    /** The same for a vector that adds to {@code already} items of its kind (imported ones). */
    private int limitedCount(int already, int limit, String subject, String items) {
        int at = in.position();
        int n = in.count();
        ImplementationLimits.check((long) already + n, limit, at, subject, items);
        return n;
    }

    private Limits readLimits() {
        // The flag is encoded as a one-bit LEB128: 0 = min only, 1 = min and max.
        int at = in.position();
        int flags = in.u8();
        if ((flags & 0x80) != 0) throw new MalformedModuleException(at, "integer representation too long");
        if (flags > 1) throw new MalformedModuleException(at, "integer too large");
        long min = in.u32AsLong();
        long max = flags == 1 ? in.u32AsLong() : Limits.NO_MAX;
        return new Limits(min, max);
    }

    private TableType readTableType() {
        ValType elem = in.refType();
        return new TableType(elem, readLimits());
    }

    private GlobalType readGlobalType() {
        ValType t = readValType();
        int at = in.position();
        int mut = in.u8();
        if (mut > 1) throw new MalformedModuleException(at, "malformed mutability");
        return new GlobalType(t, mut == 1);
    }

    // ---- imports and definitions ----

    private void readImportSection() {
        int n = limitedCount(ImplementationLimits.MAX_IMPORTS, "the module", "imports");
        for (int i = 0; i < n; i++) {
            String moduleName = in.name();
            String name = in.name();
            int at = in.position();
            int kind = in.u8();
            ImportDesc desc = switch (kind) {
                case 0 -> {
                    int typeIndex = in.u32();
                    module.funcTypes.add(typeIndex);
                    module.numImportedFuncs++;
                    yield new ImportDesc.Func(typeIndex);
                }
                case 1 -> {
                    TableType t = readTableType();
                    module.tables.add(t);
                    module.numImportedTables++;
                    yield t;
                }
                case 2 -> {
                    MemoryType m = new MemoryType(readLimits());
                    module.memories.add(m);
                    module.numImportedMemories++;
                    yield m;
                }
                case 3 -> {
                    GlobalType g = readGlobalType();
                    module.globalTypes.add(g);
                    module.numImportedGlobals++;
                    yield g;
                }
                default -> throw new MalformedModuleException(at, "malformed import kind");
            };
            module.imports.add(new Import(moduleName, name, desc));
        }
    }

    private void readFunctionSection() {
        int n = limitedCount(
                module.numImportedFuncs,
                ImplementationLimits.MAX_FUNCTIONS,
                "the module",
                "functions (imported and defined)");
        for (int i = 0; i < n; i++) module.funcTypes.add(in.u32());
        declaredFunctionCount = (int) n;
    }

    private void readTableSection() {
        int n = in.count();
        for (int i = 0; i < n; i++) module.tables.add(readTableType());
    }

    private void readMemorySection() {
        int n = in.count();
        for (int i = 0; i < n; i++) module.memories.add(new MemoryType(readLimits()));
    }

    private void readGlobalSection() {
        int n = limitedCount(
                module.numImportedGlobals,
                ImplementationLimits.MAX_GLOBALS,
                "the module",
                "globals (imported and defined)");
        for (int i = 0; i < n; i++) {
            module.globalTypes.add(readGlobalType());
            module.globalInits.add(readConstExpr());
        }
    }

    private void readExportSection() {
        int n = limitedCount(ImplementationLimits.MAX_EXPORTS, "the module", "exports");
        for (int i = 0; i < n; i++) {
            String name = in.name();
            int at = in.position();
            ExternKind kind = ExternKind.fromCode(in.u8());
            if (kind == null) throw new MalformedModuleException(at, "malformed export kind");
            module.exports.add(new Export(name, kind, in.u32()));
        }
    }

    private int readDataCount() {
        int at = in.position();
        int n = in.count();
        if (n > Integer.MAX_VALUE) throw new MalformedModuleException(at, "data count too large: " + n);
        return (int) n;
    }

    // ---- element segments ----

    private void readElementSection() {
        int n = limitedCount(ImplementationLimits.MAX_ELEMENT_SEGMENTS, "the module", "element segments");
        for (int i = 0; i < n; i++) module.elements.add(readElementSegment());
    }

    private ElementSegment readElementSegment() {
        int at = in.position();
        long flags = in.u32AsLong();
        if (flags > 7) throw new MalformedModuleException(at, "malformed elements segment kind");
        // Bit 0: passive or declarative; bit 1: explicit table index (active) or declarative;
        // bit 2: items are expressions rather than function indices.
        boolean notActive = (flags & 1) != 0;
        boolean explicitTableOrDeclarative = (flags & 2) != 0;
        boolean expressions = (flags & 4) != 0;
        SegmentMode mode = !notActive
                ? SegmentMode.ACTIVE
                : explicitTableOrDeclarative ? SegmentMode.DECLARATIVE : SegmentMode.PASSIVE;
        int table = 0;
        Expr offset = null;
        if (mode == SegmentMode.ACTIVE) {
            if (explicitTableOrDeclarative) table = in.u32();
            offset = readConstExpr();
        }
        ValType type = ValType.FUNCREF;
        // Flags 0 and 4 imply funcref; every other encoding states the element kind or type.
        if (flags != 0 && flags != 4) {
            if (expressions) {
                type = in.refType();
            } else {
                int kindAt = in.position();
                if (in.u8() != 0x00) throw new MalformedModuleException(kindAt, "malformed element kind");
            }
        }
        int count = in.count();
        if (!expressions) {
            int[] indices = new int[count];
            for (int k = 0; k < count; k++) indices[k] = in.u32();
            return new ElementSegment(mode, type, table, offset, indices, List.of());
        }
        List<Expr> items = new ArrayList<>(count);
        for (int k = 0; k < count; k++) items.add(readConstExpr());
        return new ElementSegment(mode, type, table, offset, null, List.copyOf(items));
    }

    // ---- data segments ----

    private void readDataSection() {
        int n = limitedCount(ImplementationLimits.MAX_DATA_SEGMENTS, "the module", "data segments");
        for (int i = 0; i < n; i++) {
            int at = in.position();
            long flags = in.u32AsLong();
            SegmentMode mode;
            int memory = 0;
            Expr offset = null;
            switch ((int) Math.min(flags, 3)) {
                case 0 -> {
                    mode = SegmentMode.ACTIVE;
                    offset = readConstExpr();
                }
                case 1 -> mode = SegmentMode.PASSIVE;
                case 2 -> {
                    mode = SegmentMode.ACTIVE;
                    memory = in.u32();
                    offset = readConstExpr();
                }
                default -> throw new MalformedModuleException(at, "malformed data segment kind");
            }
            int length = in.count();
            int start = in.position();
            in.skip(length);
            module.data.add(new DataSegment(mode, memory, offset, start, start + length));
        }
    }

    // ---- code ----

    private void readCodeSection() {
        int n = in.count();
        for (int i = 0; i < n; i++) {
            String function = "function " + (module.numImportedFuncs + i);
            int sizeAt = in.position();
            int size = in.count();
            int bodyStart = in.position();
            int bodyEnd = bodyStart + size;
            if (bodyEnd > bytes.length) throw new MalformedModuleException(bytes.length, BinaryReader.UNEXPECTED_END);
            ImplementationLimits.check(
                    size, ImplementationLimits.MAX_FUNCTION_SIZE, sizeAt, function + "'s body", "bytes");
            ValType[] locals = readLocals(function);
            int codeStart = in.position();
            if (codeStart > bodyEnd) throw new MalformedModuleException(bodyEnd, "section size mismatch");
            scanBody(codeStart, bodyEnd);
            module.bodies.add(new FunctionBody(locals, codeStart, bodyEnd));
            in.seek(bodyEnd);
        }
    }

    private ValType[] readLocals(String function) {
        int groupsStart = in.position();
        int groups = in.count();
        // First pass: counts only, so that a bogus count fails before anything is allocated.
        long total = 0;
        for (int g = 0; g < groups; g++) {
            int at = in.position();
            total += in.u32AsLong();
            if (total > 0xFFFF_FFFFL) throw new MalformedModuleException(at, "too many locals");
            readValType();
        }
        ImplementationLimits.check(total, ImplementationLimits.MAX_LOCALS, groupsStart, function, "locals");
        int end = in.position();
        in.seek(groupsStart);
        in.count();
        ValType[] locals = new ValType[(int) total];
        int k = 0;
        for (int g = 0; g < groups; g++) {
            int count = (int) in.u32AsLong();
            ValType t = readValType();
            for (int j = 0; j < count; j++) locals[k++] = t;
        }
        assert in.position() == end;
        return locals;
    }

    /**
     * Checks that a body is a well-formed instruction sequence: known opcodes, complete immediates,
     * {@code else} only directly inside {@code if}, and a final {@code end} exactly at the body's
     * end. Types are left to the validator.
     */
    private void scanBody(int codeStart, int bodyEnd) {
        // The scan may run past bodyEnd when the final end is missing: that reports what the
        // reference decoder reports (the next bytes' decoding error, a size mismatch, or the end
        // of the module) instead of a generic message.
        InstructionReader reader = new InstructionReader(bytes, codeStart, bytes.length, features);
        int depth = 0;
        while (true) {
            if (!reader.hasNext()) throw new MalformedModuleException(bytes.length, BinaryReader.UNEXPECTED_END);
            Opcode op = reader.next();
            switch (op) {
                case BLOCK, LOOP, IF -> {
                    if (depth == blockStack.length) blockStack = java.util.Arrays.copyOf(blockStack, depth * 2);
                    blockStack[depth++] = op;
                }
                case ELSE -> {
                    if (depth == 0 || blockStack[depth - 1] != Opcode.IF) {
                        throw new MalformedModuleException(reader.offset, "END opcode expected");
                    }
                    blockStack[depth - 1] = Opcode.ELSE;
                }
                case END -> {
                    if (depth == 0) {
                        if (reader.position() != bodyEnd) {
                            throw new MalformedModuleException(reader.position(), "section size mismatch");
                        }
                        return;
                    }
                    depth--;
                }
                default -> {
                    // Any instruction with a data index needs the data count section.
                    Opcode.Immediates imm = op.immediates();
                    boolean namesData = imm == Opcode.Immediates.DATA_INDEX || imm == Opcode.Immediates.DATA_AND_MEMORY;
                    if (namesData && module.dataCount < 0 && firstDataIndexUse < 0) firstDataIndexUse = reader.offset;
                }
            }
        }
    }

    /**
     * Reads a constant expression up to and including its final {@code end}. Like the reference
     * decoder it reads on past the current section's end, so a missing {@code end} is reported
     * as the illegal opcode that follows.
     */
    private Expr readConstExpr() {
        int start = in.position();
        InstructionReader reader = new InstructionReader(bytes, start, bytes.length, features);
        int depth = 0;
        while (true) {
            if (!reader.hasNext()) throw new MalformedModuleException(bytes.length, BinaryReader.UNEXPECTED_END);
            Opcode op = reader.next();
            if (op == Opcode.BLOCK || op == Opcode.LOOP || op == Opcode.IF) {
                depth++;
            } else if (op == Opcode.END) {
                if (depth == 0) break;
                depth--;
            }
        }
        int end = reader.position();
        if (end > in.limit()) throw new MalformedModuleException(in.limit(), BinaryReader.UNEXPECTED_END);
        in.seek(end);
        return new Expr(start, end);
    }
}
