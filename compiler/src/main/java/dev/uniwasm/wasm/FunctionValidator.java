package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.Opcode.*;

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

    private Opcode[] frameOpcode = new Opcode[32];
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
        return invalid("type mismatch: " + detail + " in " + reader.op.textName());
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

    private void pushFrame(Opcode opcode, int blockType, boolean pushParams) {
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

    /**
     * First the checks an instruction's immediates need (by their kind in the {@link Opcode} row),
     * then its typing: the row's signature, or for a special one its own rule.
     */
    private void step(Opcode op) {
        checkImmediates(op);
        if (!op.hasSpecialType()) {
            for (int i = op.operandCount() - 1; i >= 0; i--) pop(code(op.operand(i)));
            if (op.result() != null) push(code(op.result()));
            return;
        }
        switch (op) {
            case UNREACHABLE -> markUnreachable();
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
                popLabelTypes(labelFrame(reader.labelDepth));
                markUnreachable();
            }
            case BR_IF -> {
                int frame = labelFrame(reader.labelDepth);
                pop(I32);
                popLabelTypes(frame);
                pushLabelTypes(frame);
            }
            case BR_TABLE -> validateBrTable();
            case RETURN -> {
                popLabelTypes(0);
                markUnreachable();
            }
            case CALL -> applyCall(function(reader.funcIndex));
            case CALL_INDIRECT -> {
                TableType t = table(reader.tableIndex);
                if (t.elemType() != ValType.FUNCREF) throw typeMismatch("call_indirect needs a funcref table");
                FuncType ft = type(reader.typeIndex);
                pop(I32);
                applyCall(ft);
            }
            case RETURN_CALL -> applyReturnCall(function(reader.funcIndex));
            case RETURN_CALL_INDIRECT -> {
                TableType t = table(reader.tableIndex);
                if (t.elemType() != ValType.FUNCREF) throw typeMismatch("return_call_indirect needs a funcref table");
                FuncType ft = type(reader.typeIndex);
                pop(I32);
                applyReturnCall(ft);
            }
            case DROP -> popAny();
            case SELECT -> {
                pop(I32);
                int t1 = popAny();
                int t2 = popAny();
                if (isRefCode(t1) || isRefCode(t2))
                    throw typeMismatch("untyped select needs numeric or vector operands");
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
            case LOCAL_GET -> push(localType(reader.localIndex));
            case LOCAL_SET -> pop(localType(reader.localIndex));
            case LOCAL_TEE -> {
                int t = localType(reader.localIndex);
                pop(t);
                push(t);
            }
            case GLOBAL_GET -> push(code(global(reader.globalIndex).type()));
            case GLOBAL_SET -> {
                GlobalType g = global(reader.globalIndex);
                if (!g.mutable()) throw invalid("global is immutable");
                pop(code(g.type()));
            }
            case TABLE_GET -> {
                int t = code(table(reader.tableIndex).elemType());
                pop(I32);
                push(t);
            }
            case TABLE_SET -> {
                int t = code(table(reader.tableIndex).elemType());
                pop(t);
                pop(I32);
            }
            case REF_NULL -> push(code(reader.refType));
            case REF_IS_NULL -> {
                popRef();
                push(I32);
            }
            case TABLE_GROW -> {
                int t = code(table(reader.tableIndex).elemType());
                pop(I32);
                pop(t);
                push(I32);
            }
            case TABLE_FILL -> {
                int t = code(table(reader.tableIndex).elemType());
                pop(I32);
                pop(t);
                pop(I32);
            }
            default -> throw new IllegalStateException(op.textName() + " has a special type but no typing rule");
        }
    }

    /** Index spaces, alignment and lane bounds: what must hold before the operands are typed. */
    private void checkImmediates(Opcode op) {
        switch (op.immediates()) {
            case FUNC_INDEX -> {
                function(reader.funcIndex);
                if (op == REF_FUNC && !context.isDeclaredFunctionReference(reader.funcIndex)) {
                    throw invalid("undeclared function reference " + unsigned(reader.funcIndex));
                }
            }
            case TABLE_INDEX -> table(reader.tableIndex);
            case MEMORY_INDEX -> memory(reader.memoryIndex);
            case MEMARG -> checkMemarg(op);
            case MEMARG_AND_LANE -> {
                checkMemarg(op);
                checkLane(op);
            }
            case LANE_INDEX -> checkLane(op);
            case SHUFFLE_LANES -> {
                for (int i = 0; i < 16; i++) {
                    long b = (i < 8 ? reader.constBits >>> (8 * i) : reader.constBitsHigh >>> (8 * (i - 8))) & 0xFF;
                    if (b >= 32) throw invalid("invalid lane index");
                }
            }
            case DATA_INDEX -> dataSegment(reader.dataIndex);
            case ELEM_INDEX -> elemSegment(reader.elemIndex);
            case DATA_AND_MEMORY -> {
                memory(reader.memoryIndex);
                dataSegment(reader.dataIndex);
            }
            case DST_SRC_MEMORY -> {
                memory(reader.dstMemory);
                memory(reader.srcMemory);
            }
            case ELEM_AND_TABLE -> {
                TableType t = table(reader.tableIndex);
                ElementSegment e = elemSegment(reader.elemIndex);
                if (t.elemType() != e.type())
                    throw typeMismatch("element segment type " + e.type() + " vs table " + t.elemType());
            }
            case DST_SRC_TABLE -> {
                TableType dst = table(reader.dstTable);
                TableType src = table(reader.srcTable);
                if (dst.elemType() != src.elemType())
                    throw typeMismatch("table types " + src.elemType() + " vs " + dst.elemType());
            }
            default -> {}
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
        int defaultFrame = labelFrame(reader.labelDepth);
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

    private void checkMemarg(Opcode op) {
        memory(reader.memoryIndex);
        if (reader.align > op.naturalAlignment()) throw invalid("alignment must not be larger than natural");
    }

    private void checkLane(Opcode op) {
        if (reader.lane >= op.lanes()) throw invalid("invalid lane index");
    }
}
