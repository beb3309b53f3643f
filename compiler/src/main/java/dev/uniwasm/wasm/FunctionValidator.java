package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.Opcodes.*;

import java.util.Arrays;
import java.util.List;

/**
 * Type-checks one function body with the algorithm of the spec's validation appendix: an operand
 * stack of value types (with {@link #UNKNOWN} for the polymorphic stack after {@code unreachable},
 * {@code br}, {@code return} ...) and a stack of control frames. One instance is reused for many
 * functions of any module; it is not thread-safe, so each thread gets its own.
 */
final class FunctionValidator {
    /** Operand type codes are {@code ValType.ordinal() + 1}; 0 is the unknown type of dead code. */
    private static final int UNKNOWN = 0;
    private static final ValType[] VALTYPES = ValType.values();
    private static final int I32 = code(ValType.I32);
    private static final int I64 = code(ValType.I64);
    private static final int F32 = code(ValType.F32);
    private static final int F64 = code(ValType.F64);
    private static final int V128 = code(ValType.V128);
    private static final int FUNCREF = code(ValType.FUNCREF);

    private int[] values = new int[256];
    private int valueCount;

    private int[] frameOpcode = new int[32];
    private int[] frameBlockType = new int[32];
    private int[] frameHeight = new int[32];
    private boolean[] frameUnreachable = new boolean[32];
    private int frameCount;

    private int[] localTypes = new int[64];
    private int localCount;

    private Module module;
    private Features features;
    private Validator context;
    private InstructionReader reader;

    static int code(ValType t) {
        return t.ordinal() + 1;
    }

    static String typeName(int code) {
        return code == UNKNOWN ? "unknown" : VALTYPES[code - 1].toString();
    }

    void validate(Validator context, int funcIndex) {
        this.context = context;
        this.module = context.module;
        this.features = context.features;
        FunctionBody body = module.body(funcIndex);
        int typeIndex = module.funcTypes.get(funcIndex);
        FuncType type = module.types.get(typeIndex);
        setUpLocals(type, body);
        valueCount = 0;
        frameCount = 0;
        reader = new InstructionReader(module.bytes, body.codeStart(), body.codeEnd(), features);
        // The function's own frame: its label type is the result type and it starts empty.
        pushFrame(BLOCK, typeIndex, false);
        try {
            while (reader.hasNext()) {
                step(reader.next());
                if (frameCount == 0) break;
            }
            if (frameCount != 0 || reader.hasNext()) {
                // The decoder checked that the final end closes the body, so this means the
                // bytes changed or were never decoded by ModuleDecoder.
                throw new MalformedModuleException(reader.position(), "END opcode expected");
            }
        } finally {
            this.module = null;
            this.context = null;
            this.reader = null;
        }
    }

    private void setUpLocals(FuncType type, FunctionBody body) {
        List<ValType> params = type.params();
        ValType[] locals = body.locals();
        int n = params.size() + locals.length;
        if (n > localTypes.length) localTypes = new int[Math.max(n, localTypes.length * 2)];
        int k = 0;
        for (ValType t : params) localTypes[k++] = code(t);
        for (ValType t : locals) localTypes[k++] = code(t);
        localCount = n;
    }

    // ---- errors ----

    private InvalidModuleException invalid(String reason) {
        return new InvalidModuleException(reader.offset, reason);
    }

    private InvalidModuleException typeMismatch(String detail) {
        return invalid("type mismatch: " + detail + " in " + Opcodes.name(reader.op));
    }

    private static String unsigned(int index) {
        return Integer.toUnsignedString(index);
    }

    // ---- operand stack ----

    private void push(int type) {
        if (valueCount == values.length) values = Arrays.copyOf(values, valueCount * 2);
        values[valueCount++] = type;
    }

    private int popAny() {
        int top = frameCount - 1;
        if (valueCount == frameHeight[top]) {
            if (frameUnreachable[top]) return UNKNOWN;
            throw typeMismatch("operand stack is empty");
        }
        return values[--valueCount];
    }

    /** Pops a value that must have the expected type; returns the more precise of the two. */
    private int pop(int expected) {
        int actual = popAny();
        if (actual != expected && actual != UNKNOWN && expected != UNKNOWN) {
            throw typeMismatch("expected " + typeName(expected) + " but found " + typeName(actual));
        }
        return actual == UNKNOWN ? expected : actual;
    }

    private int popRef() {
        int actual = popAny();
        if (actual != UNKNOWN && !VALTYPES[actual - 1].isRef()) {
            throw typeMismatch("expected a reference but found " + typeName(actual));
        }
        return actual;
    }

    // ---- block types ----

    private int checkBlockType(int blockType) {
        if (blockType >= 0 && blockType >= module.types.size()) {
            throw invalid("unknown type " + blockType);
        }
        return blockType;
    }

    private int paramCount(int blockType) {
        return blockType >= 0 ? module.types.get(blockType).params().size() : 0;
    }

    private int paramAt(int blockType, int i) {
        return code(module.types.get(blockType).params().get(i));
    }

    private int resultCount(int blockType) {
        if (blockType >= 0) return module.types.get(blockType).results().size();
        return blockType == InstructionReader.BLOCK_EMPTY ? 0 : 1;
    }

    private int resultAt(int blockType, int i) {
        if (blockType >= 0) return code(module.types.get(blockType).results().get(i));
        return code(ValType.fromCode(-blockType));
    }

    private boolean labelIsLoop(int frame) {
        return frameOpcode[frame] == LOOP;
    }

    private int labelArity(int frame) {
        int bt = frameBlockType[frame];
        return labelIsLoop(frame) ? paramCount(bt) : resultCount(bt);
    }

    private int labelTypeAt(int frame, int i) {
        int bt = frameBlockType[frame];
        return labelIsLoop(frame) ? paramAt(bt, i) : resultAt(bt, i);
    }

    private void popLabelTypes(int frame) {
        for (int i = labelArity(frame) - 1; i >= 0; i--) pop(labelTypeAt(frame, i));
    }

    private void pushLabelTypes(int frame) {
        int n = labelArity(frame);
        for (int i = 0; i < n; i++) push(labelTypeAt(frame, i));
    }

    // ---- control frames ----

    private void pushFrame(int opcode, int blockType, boolean pushParams) {
        if (frameCount == frameOpcode.length) {
            int n = frameCount * 2;
            frameOpcode = Arrays.copyOf(frameOpcode, n);
            frameBlockType = Arrays.copyOf(frameBlockType, n);
            frameHeight = Arrays.copyOf(frameHeight, n);
            frameUnreachable = Arrays.copyOf(frameUnreachable, n);
        }
        frameOpcode[frameCount] = opcode;
        frameBlockType[frameCount] = blockType;
        frameHeight[frameCount] = valueCount;
        frameUnreachable[frameCount] = false;
        frameCount++;
        if (pushParams) {
            int n = paramCount(blockType);
            for (int i = 0; i < n; i++) push(paramAt(blockType, i));
        }
    }

    /** Checks the frame's results are exactly what is left on its stack, then removes it. */
    private void popFrameResults() {
        int top = frameCount - 1;
        int bt = frameBlockType[top];
        for (int i = resultCount(bt) - 1; i >= 0; i--) pop(resultAt(bt, i));
        if (valueCount != frameHeight[top]) {
            throw typeMismatch((valueCount - frameHeight[top]) + " extra value(s) at the end of the block");
        }
    }

    private void markUnreachable() {
        int top = frameCount - 1;
        valueCount = frameHeight[top];
        frameUnreachable[top] = true;
    }

    private int labelFrame(int depth) {
        if (depth < 0 || depth >= frameCount) throw invalid("unknown label " + unsigned(depth));
        return frameCount - 1 - depth;
    }

    // ---- index spaces ----

    private int localType(int index) {
        if (index < 0 || index >= localCount) throw invalid("unknown local " + unsigned(index));
        return localTypes[index];
    }

    private GlobalType global(int index) {
        if (index < 0 || index >= module.globalTypes.size()) throw invalid("unknown global " + unsigned(index));
        return module.globalTypes.get(index);
    }

    private FuncType function(int index) {
        if (index < 0 || index >= module.numFuncs()) throw invalid("unknown function " + unsigned(index));
        return module.funcType(index);
    }

    private FuncType type(int index) {
        if (index < 0 || index >= module.types.size()) throw invalid("unknown type " + unsigned(index));
        return module.types.get(index);
    }

    private TableType table(int index) {
        if (index < 0 || index >= module.tables.size()) throw invalid("unknown table " + unsigned(index));
        return module.tables.get(index);
    }

    private void memory(int index) {
        if (index < 0 || index >= module.memories.size()) throw invalid("unknown memory " + unsigned(index));
    }

    private void dataSegment(int index) {
        int count = module.dataCount >= 0 ? module.dataCount : module.data.size();
        if (index < 0 || index >= count) throw invalid("unknown data segment " + unsigned(index));
    }

    private ElementSegment elemSegment(int index) {
        if (index < 0 || index >= module.elements.size()) throw invalid("unknown elem segment " + unsigned(index));
        return module.elements.get(index);
    }

    // ---- instructions ----

    private void step(int op) {
        int dense = Opcodes.denseIndex(op);
        ValType[] operands = OperatorTypes.operands(dense);
        if (operands != null) {
            for (int i = operands.length - 1; i >= 0; i--) pop(code(operands[i]));
            push(code(OperatorTypes.result(dense)));
            return;
        }
        switch (op) {
            case UNREACHABLE -> markUnreachable();
            case NOP -> { }
            case BLOCK, LOOP, IF -> {
                int bt = checkBlockType(reader.blockType);
                if (op == IF) pop(I32);
                for (int i = paramCount(bt) - 1; i >= 0; i--) pop(paramAt(bt, i));
                pushFrame(op, bt, true);
            }
            case ELSE -> {
                int top = frameCount - 1;
                if (frameOpcode[top] != IF) throw invalid("else without matching if");
                popFrameResults();
                valueCount = frameHeight[top];
                frameCount--;
                pushFrame(ELSE, frameBlockType[top], true);
            }
            case END -> {
                int top = frameCount - 1;
                int bt = frameBlockType[top];
                if (frameOpcode[top] == IF && !sameParamsAndResults(bt)) {
                    throw typeMismatch("if without else must leave its parameters as its results");
                }
                popFrameResults();
                frameCount--;
                if (frameCount > 0) {
                    for (int i = 0, n = resultCount(bt); i < n; i++) push(resultAt(bt, i));
                }
            }
            case BR -> {
                popLabelTypes(labelFrame(reader.index));
                markUnreachable();
            }
            case BR_IF -> {
                int frame = labelFrame(reader.index);
                pop(I32);
                popLabelTypes(frame);
                pushLabelTypes(frame);
            }
            case BR_TABLE -> validateBrTable();
            case RETURN -> {
                popLabelTypes(0);
                markUnreachable();
            }
            case CALL -> applyCall(function(reader.index));
            case CALL_INDIRECT -> {
                TableType t = table(reader.index2);
                if (t.elemType() != ValType.FUNCREF) throw typeMismatch("call_indirect needs a funcref table");
                FuncType ft = type(reader.index);
                pop(I32);
                applyCall(ft);
            }
            case RETURN_CALL -> applyReturnCall(function(reader.index));
            case RETURN_CALL_INDIRECT -> {
                TableType t = table(reader.index2);
                if (t.elemType() != ValType.FUNCREF) throw typeMismatch("return_call_indirect needs a funcref table");
                FuncType ft = type(reader.index);
                pop(I32);
                applyReturnCall(ft);
            }
            case DROP -> popAny();
            case SELECT -> {
                pop(I32);
                int t1 = popAny();
                int t2 = popAny();
                if (isRefCode(t1) || isRefCode(t2)) throw typeMismatch("untyped select needs numeric or vector operands");
                if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) {
                    throw typeMismatch("select operands " + typeName(t2) + " and " + typeName(t1));
                }
                push(t1 == UNKNOWN ? t2 : t1);
            }
            case SELECT_T -> {
                if (reader.selectTypeCount != 1) throw invalid("invalid result arity");
                int t = code(reader.refType);
                pop(I32);
                pop(t);
                pop(t);
                push(t);
            }
            case LOCAL_GET -> push(localType(reader.index));
            case LOCAL_SET -> pop(localType(reader.index));
            case LOCAL_TEE -> {
                int t = localType(reader.index);
                pop(t);
                push(t);
            }
            case GLOBAL_GET -> push(code(global(reader.index).type()));
            case GLOBAL_SET -> {
                GlobalType g = global(reader.index);
                if (!g.mutable()) throw invalid("global is immutable");
                pop(code(g.type()));
            }
            case TABLE_GET -> {
                int t = code(table(reader.index).elemType());
                pop(I32);
                push(t);
            }
            case TABLE_SET -> {
                int t = code(table(reader.index).elemType());
                pop(t);
                pop(I32);
            }
            case I32_LOAD, F32_LOAD, I32_LOAD8_S, I32_LOAD8_U, I32_LOAD16_S, I32_LOAD16_U,
                 I64_LOAD, F64_LOAD, I64_LOAD8_S, I64_LOAD8_U, I64_LOAD16_S, I64_LOAD16_U,
                 I64_LOAD32_S, I64_LOAD32_U -> load(op);
            case I32_STORE, I64_STORE, F32_STORE, F64_STORE, I32_STORE8, I32_STORE16,
                 I64_STORE8, I64_STORE16, I64_STORE32 -> store(op);
            case MEMORY_SIZE -> {
                memory(reader.index);
                push(I32);
            }
            case MEMORY_GROW -> {
                memory(reader.index);
                pop(I32);
                push(I32);
            }
            case I32_CONST -> push(I32);
            case I64_CONST -> push(I64);
            case F32_CONST -> push(F32);
            case F64_CONST -> push(F64);
            case REF_NULL -> push(code(reader.refType));
            case REF_IS_NULL -> {
                popRef();
                push(I32);
            }
            case REF_FUNC -> {
                function(reader.index);
                if (!context.isDeclaredFunctionReference(reader.index)) {
                    throw invalid("undeclared function reference " + unsigned(reader.index));
                }
                push(FUNCREF);
            }
            case MEMORY_INIT -> {
                memory(reader.index2);
                dataSegment(reader.index);
                pop(I32);
                pop(I32);
                pop(I32);
            }
            case DATA_DROP -> dataSegment(reader.index);
            case MEMORY_COPY -> {
                memory(reader.index);
                memory(reader.index2);
                pop(I32);
                pop(I32);
                pop(I32);
            }
            case MEMORY_FILL -> {
                memory(reader.index);
                pop(I32);
                pop(I32);
                pop(I32);
            }
            case TABLE_INIT -> {
                TableType t = table(reader.index2);
                ElementSegment e = elemSegment(reader.index);
                if (t.elemType() != e.type()) throw typeMismatch("element segment type " + e.type() + " vs table " + t.elemType());
                pop(I32);
                pop(I32);
                pop(I32);
            }
            case ELEM_DROP -> elemSegment(reader.index);
            case TABLE_COPY -> {
                TableType dst = table(reader.index);
                TableType src = table(reader.index2);
                if (dst.elemType() != src.elemType()) throw typeMismatch("table types " + src.elemType() + " vs " + dst.elemType());
                pop(I32);
                pop(I32);
                pop(I32);
            }
            case TABLE_GROW -> {
                int t = code(table(reader.index).elemType());
                pop(I32);
                pop(t);
                push(I32);
            }
            case TABLE_SIZE -> {
                table(reader.index);
                push(I32);
            }
            case TABLE_FILL -> {
                int t = code(table(reader.index).elemType());
                pop(I32);
                pop(t);
                pop(I32);
            }
            default -> {
                if (Opcodes.isSimd(op)) {
                    simd(op);
                } else {
                    throw invalid("instruction " + Opcodes.name(op) + " is not supported by the validator");
                }
            }
        }
    }

    private static boolean isRefCode(int t) {
        return t != UNKNOWN && VALTYPES[t - 1].isRef();
    }

    private boolean sameParamsAndResults(int bt) {
        int n = paramCount(bt);
        if (n != resultCount(bt)) return false;
        for (int i = 0; i < n; i++) {
            if (paramAt(bt, i) != resultAt(bt, i)) return false;
        }
        return true;
    }

    private void validateBrTable() {
        pop(I32);
        int defaultFrame = labelFrame(reader.index);
        int arity = labelArity(defaultFrame);
        for (int k = 0; k < reader.brTargetCount; k++) {
            int frame = labelFrame(reader.brTargets[k]);
            if (labelArity(frame) != arity) {
                throw typeMismatch("br_table targets have different arities");
            }
            checkLabelTypesInPlace(frame);
        }
        popLabelTypes(defaultFrame);
        markUnreachable();
    }

    /**
     * Checks the top of the stack against a label's types without consuming it: the spec's
     * "pop then push back" for each br_table target. Values missing below a polymorphic
     * (unreachable) frame's height match anything.
     */
    private void checkLabelTypesInPlace(int frame) {
        int n = labelArity(frame);
        int top = frameCount - 1;
        int available = valueCount - frameHeight[top];
        for (int i = n - 1, depth = 0; i >= 0; i--, depth++) {
            int expected = labelTypeAt(frame, i);
            if (depth < available) {
                int actual = values[valueCount - 1 - depth];
                if (actual != expected && actual != UNKNOWN) {
                    throw typeMismatch("expected " + typeName(expected) + " but found " + typeName(actual));
                }
            } else if (!frameUnreachable[top]) {
                throw typeMismatch("operand stack is empty");
            }
        }
    }

    private void applyCall(FuncType ft) {
        List<ValType> params = ft.params();
        for (int i = params.size() - 1; i >= 0; i--) pop(code(params.get(i)));
        for (ValType t : ft.results()) push(code(t));
    }

    private void applyReturnCall(FuncType ft) {
        List<ValType> own = module.types.get(frameBlockType[0]).results();
        if (!own.equals(ft.results())) throw typeMismatch("tail call result types differ from the function's");
        List<ValType> params = ft.params();
        for (int i = params.size() - 1; i >= 0; i--) pop(code(params.get(i)));
        markUnreachable();
    }

    private void checkMemarg(int naturalAlignLog2) {
        memory(reader.memIndex);
        if (reader.align > naturalAlignLog2) throw invalid("alignment must not be larger than natural");
    }

    private void load(int op) {
        int type;
        int natural;
        switch (op) {
            case I32_LOAD -> { type = I32; natural = 2; }
            case F32_LOAD -> { type = F32; natural = 2; }
            case I64_LOAD -> { type = I64; natural = 3; }
            case F64_LOAD -> { type = F64; natural = 3; }
            case I32_LOAD8_S, I32_LOAD8_U -> { type = I32; natural = 0; }
            case I32_LOAD16_S, I32_LOAD16_U -> { type = I32; natural = 1; }
            case I64_LOAD8_S, I64_LOAD8_U -> { type = I64; natural = 0; }
            case I64_LOAD16_S, I64_LOAD16_U -> { type = I64; natural = 1; }
            case I64_LOAD32_S, I64_LOAD32_U -> { type = I64; natural = 2; }
            default -> throw new IllegalStateException(Opcodes.name(op));
        }
        checkMemarg(natural);
        pop(I32);
        push(type);
    }

    private void store(int op) {
        int type;
        int natural;
        switch (op) {
            case I32_STORE -> { type = I32; natural = 2; }
            case F32_STORE -> { type = F32; natural = 2; }
            case I64_STORE -> { type = I64; natural = 3; }
            case F64_STORE -> { type = F64; natural = 3; }
            case I32_STORE8 -> { type = I32; natural = 0; }
            case I32_STORE16 -> { type = I32; natural = 1; }
            case I64_STORE8 -> { type = I64; natural = 0; }
            case I64_STORE16 -> { type = I64; natural = 1; }
            case I64_STORE32 -> { type = I64; natural = 2; }
            default -> throw new IllegalStateException(Opcodes.name(op));
        }
        checkMemarg(natural);
        pop(type);
        pop(I32);
    }

    // ---- SIMD instructions with immediates (the rest are in OperatorTypes) ----

    private void simd(int op) {
        switch (op) {
            case V128_LOAD -> simdLoad(4);
            case V128_LOAD8X8_S, V128_LOAD8X8_U, V128_LOAD16X4_S, V128_LOAD16X4_U,
                 V128_LOAD32X2_S, V128_LOAD32X2_U, V128_LOAD64_SPLAT, V128_LOAD64_ZERO -> simdLoad(3);
            case V128_LOAD8_SPLAT -> simdLoad(0);
            case V128_LOAD16_SPLAT -> simdLoad(1);
            case V128_LOAD32_SPLAT, V128_LOAD32_ZERO -> simdLoad(2);
            case V128_STORE -> {
                checkMemarg(4);
                pop(V128);
                pop(I32);
            }
            case V128_LOAD8_LANE -> laneMemoryAccess(0, 16, true);
            case V128_LOAD16_LANE -> laneMemoryAccess(1, 8, true);
            case V128_LOAD32_LANE -> laneMemoryAccess(2, 4, true);
            case V128_LOAD64_LANE -> laneMemoryAccess(3, 2, true);
            case V128_STORE8_LANE -> laneMemoryAccess(0, 16, false);
            case V128_STORE16_LANE -> laneMemoryAccess(1, 8, false);
            case V128_STORE32_LANE -> laneMemoryAccess(2, 4, false);
            case V128_STORE64_LANE -> laneMemoryAccess(3, 2, false);
            case V128_CONST -> push(V128);
            case I8X16_SHUFFLE -> {
                for (int i = 0; i < 16; i++) {
                    long b = (i < 8 ? reader.constBits >>> (8 * i) : reader.constBitsHigh >>> (8 * (i - 8))) & 0xFF;
                    if (b >= 32) throw invalid("invalid lane index");
                }
                pop(V128);
                pop(V128);
                push(V128);
            }
            case I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U -> extractLane(16, I32);
            case I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U -> extractLane(8, I32);
            case I32X4_EXTRACT_LANE -> extractLane(4, I32);
            case I64X2_EXTRACT_LANE -> extractLane(2, I64);
            case F32X4_EXTRACT_LANE -> extractLane(4, F32);
            case F64X2_EXTRACT_LANE -> extractLane(2, F64);
            case I8X16_REPLACE_LANE -> replaceLane(16, I32);
            case I16X8_REPLACE_LANE -> replaceLane(8, I32);
            case I32X4_REPLACE_LANE -> replaceLane(4, I32);
            case I64X2_REPLACE_LANE -> replaceLane(2, I64);
            case F32X4_REPLACE_LANE -> replaceLane(4, F32);
            case F64X2_REPLACE_LANE -> replaceLane(2, F64);
            default -> throw invalid("instruction " + Opcodes.name(op) + " is not supported by the validator");
        }
    }

    private void simdLoad(int naturalAlignLog2) {
        checkMemarg(naturalAlignLog2);
        pop(I32);
        push(V128);
    }

    private void laneMemoryAccess(int naturalAlignLog2, int lanes, boolean isLoad) {
        checkMemarg(naturalAlignLog2);
        if (reader.lane >= lanes) throw invalid("invalid lane index");
        pop(V128);
        pop(I32);
        if (isLoad) push(V128);
    }

    private void extractLane(int lanes, int scalar) {
        if (reader.lane >= lanes) throw invalid("invalid lane index");
        pop(V128);
        push(scalar);
    }

    private void replaceLane(int lanes, int scalar) {
        if (reader.lane >= lanes) throw invalid("invalid lane index");
        pop(scalar);
        pop(V128);
        push(V128);
    }
}
