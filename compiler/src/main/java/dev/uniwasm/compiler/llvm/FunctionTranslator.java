package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.compiler.CompileException;
import dev.uniwasm.compiler.ImportLinkage;
import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.FunctionBody;
import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.Opcode;
import dev.uniwasm.wasm.ValType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Lowers one function body to LLVM IR: structured control flow, locals, globals, calls and the
 * operand stack live here. Each instruction goes to the {@link Lowering} of its row's
 * {@link Opcode.Family}; the control, parametric and variable families are lowered here, the others
 * by their own classes (NumericLowering, MemoryLowering, TableLowering, Simd*Lowering) through this
 * class's helpers.
 */
final class FunctionTranslator {
    private enum Kind {
        FUNCTION,
        BLOCK,
        LOOP,
        IF
    }

    private static final class Frame {
        final Kind kind;
        final FuncType type;
        int height;
        LLVMBasicBlockRef end;
        LLVMValueRef[] endPhis;
        int endIncoming;
        LLVMBasicBlockRef header;
        LLVMValueRef[] headerPhis;
        LLVMBasicBlockRef elseBlock;
        LLVMValueRef[] ifParams;
        boolean sawElse;
        boolean unreachable;

        Frame(Kind kind, FuncType type) {
            this.kind = kind;
            this.type = type;
        }
    }

    final ModuleTranslator mt;
    final LlvmTypes t;
    final LLVMBuilderRef b;
    final Module module;
    final int funcIndex;
    final LLVMValueRef fn;
    LLVMValueRef vmctx;

    private final ArrayList<LLVMValueRef> stack = new ArrayList<>();
    private final ArrayList<Frame> frames = new ArrayList<>();
    private LLVMValueRef[] locals;
    private LLVMTypeRef[] localTypes;
    private final LLVMBasicBlockRef[] trapBlocks = new LLVMBasicBlockRef[32];
    private LLVMBasicBlockRef entryBlock;
    private LLVMValueRef mem0Base;
    private int deadDepth;
    /** Offset of the instruction being lowered, for error messages. */
    int offset;

    FunctionTranslator(ModuleTranslator mt, LLVMBuilderRef builder, int funcIndex) {
        this.mt = mt;
        this.t = mt.t;
        this.b = builder;
        this.module = mt.module;
        this.funcIndex = funcIndex;
        this.fn = mt.function(funcIndex);
    }

    void translate() {
        FuncType type = module.funcType(funcIndex);
        FunctionBody body = module.body(funcIndex);
        entryBlock = LLVMAppendBasicBlockInContext(t.ctx, fn, "entry");
        LLVMPositionBuilderAtEnd(b, entryBlock);
        vmctx = LLVMGetParam(fn, 0);
        int nParams = type.params().size();
        locals = new LLVMValueRef[nParams + body.locals().length];
        localTypes = new LLVMTypeRef[locals.length];
        for (int i = 0; i < locals.length; i++) {
            ValType vt = i < nParams ? type.params().get(i) : body.locals()[i - nParams];
            localTypes[i] = t.of(vt);
            locals[i] = LLVMBuildAlloca(b, localTypes[i], "l" + i);
        }
        for (int i = 0; i < locals.length; i++) {
            LLVMValueRef init = i < nParams ? LLVMGetParam(fn, i + 1) : LLVMConstNull(localTypes[i]);
            LLVMBuildStore(b, init, locals[i]);
        }
        if (!module.memories.isEmpty()) {
            mem0Base = loadInvariantPtr(vmctx, Abi.VMCTX_MEM0_BASE);
        }
        Frame f = new Frame(Kind.FUNCTION, new FuncType(List.of(), type.results()));
        f.height = 0;
        f.end = LLVMAppendBasicBlockInContext(t.ctx, fn, "return");
        f.endPhis = phis(f.end, type.results());
        frames.add(f);

        InstructionReader r = new InstructionReader(module.bytes, body.codeStart(), body.codeEnd());
        while (r.hasNext()) {
            Opcode op = r.next();
            offset = r.offset;
            if (frames.isEmpty()) throw error("instructions after the function's end");
            step(op, r);
        }
        if (!frames.isEmpty()) throw error("function body does not end");
    }

    private void step(Opcode op, InstructionReader r) {
        Frame top = frames.get(frames.size() - 1);
        if (top.unreachable) {
            skipDead(op);
            return;
        }
        Lowering.of(op.family()).lower(this, op, r);
    }

    /** The {@link Opcode.Family#CONTROL} instructions. */
    void control(Opcode op, InstructionReader r) {
        switch (op) {
            case UNREACHABLE -> {
                LLVMBuildBr(b, trapBlock(Abi.TRAP_UNREACHABLE));
                markUnreachable();
            }
            case NOP -> {}
            case BLOCK -> beginBlock(blockType(r.blockType));
            case LOOP -> beginLoop(blockType(r.blockType));
            case IF -> beginIf(blockType(r.blockType));
            case ELSE -> doElse();
            case END -> doEnd();
            case BR -> {
                branch(r.labelDepth);
                markUnreachable();
            }
            case BR_IF -> brIf(r.labelDepth);
            case BR_TABLE -> brTable(r);
            case RETURN -> {
                branch(frames.size() - 1);
                markUnreachable();
            }
            case CALL -> call(r.funcIndex, false);
            case RETURN_CALL -> call(r.funcIndex, true);
            default -> throw unsupported(op);
        }
    }

    /** The {@link Opcode.Family#PARAMETRIC} instructions. */
    void parametric(Opcode op, InstructionReader r) {
        switch (op) {
            case DROP -> markLoadVolatile(pop());
            case SELECT, SELECT_T -> {
                LLVMValueRef c = pop();
                LLVMValueRef v2 = pop();
                LLVMValueRef v1 = pop();
                push(LLVMBuildSelect(b, isTrue(c), v1, v2, ""));
            }
            default -> throw unsupported(op);
        }
    }

    /** The {@link Opcode.Family#VARIABLE} instructions. */
    void variable(Opcode op, InstructionReader r) {
        switch (op) {
            case LOCAL_GET -> push(LLVMBuildLoad2(b, localTypes[r.localIndex], locals[r.localIndex], ""));
            case LOCAL_SET -> LLVMBuildStore(b, pop(), locals[r.localIndex]);
            case LOCAL_TEE -> LLVMBuildStore(b, peek(), locals[r.localIndex]);
            case GLOBAL_GET -> {
                ValType vt = module.globalTypes.get(r.globalIndex).type();
                LLVMValueRef v = LLVMBuildLoad2(b, t.of(vt), globalCell(r.globalIndex), "");
                LLVMSetAlignment(v, vt == ValType.V128 ? 16 : 8);
                push(v);
            }
            case GLOBAL_SET -> {
                LLVMValueRef st = LLVMBuildStore(b, pop(), globalCell(r.globalIndex));
                LLVMSetAlignment(st, module.globalTypes.get(r.globalIndex).type() == ValType.V128 ? 16 : 8);
            }
            default -> throw unsupported(op);
        }
    }

    /** In unreachable code only the structure matters: skip to the matching else or end. */
    private void skipDead(Opcode op) {
        switch (op) {
            case BLOCK, LOOP, IF -> deadDepth++;
            case ELSE -> {
                if (deadDepth == 0) doElse();
            }
            case END -> {
                if (deadDepth == 0) doEnd();
                else deadDepth--;
            }
            default -> {}
        }
    }

    // ---- operand stack ----

    void push(LLVMValueRef v) {
        stack.add(v);
    }

    LLVMValueRef pop() {
        return stack.remove(stack.size() - 1);
    }

    LLVMValueRef peek() {
        return stack.get(stack.size() - 1);
    }

    private List<LLVMValueRef> top(int n) {
        return stack.subList(stack.size() - n, stack.size());
    }

    private void truncate(int height) {
        while (stack.size() > height) stack.remove(stack.size() - 1);
    }

    private void markUnreachable() {
        frames.get(frames.size() - 1).unreachable = true;
        deadDepth = 0;
    }

    // ---- control flow ----

    private FuncType blockType(int bt) {
        if (bt == InstructionReader.BLOCK_EMPTY) return new FuncType(List.of(), List.of());
        if (bt < 0) return new FuncType(List.of(), List.of(ValType.fromCode(-bt)));
        return module.types.get(bt);
    }

    private LLVMValueRef[] phis(LLVMBasicBlockRef block, List<ValType> types) {
        LLVMBasicBlockRef saved = LLVMGetInsertBlock(b);
        LLVMPositionBuilderAtEnd(b, block);
        LLVMValueRef[] phis = new LLVMValueRef[types.size()];
        for (int i = 0; i < phis.length; i++) phis[i] = LLVMBuildPhi(b, t.of(types.get(i)), "");
        if (saved != null && !saved.isNull()) LLVMPositionBuilderAtEnd(b, saved);
        return phis;
    }

    LLVMBasicBlockRef newBlock(String name) {
        return LLVMAppendBasicBlockInContext(t.ctx, fn, name);
    }

    private void beginBlock(FuncType type) {
        Frame f = new Frame(Kind.BLOCK, type);
        f.height = stack.size() - type.params().size();
        f.end = newBlock("block_end");
        f.endPhis = phis(f.end, type.results());
        frames.add(f);
    }

    private void beginLoop(FuncType type) {
        Frame f = new Frame(Kind.LOOP, type);
        int n = type.params().size();
        f.height = stack.size() - n;
        f.header = newBlock("loop");
        f.headerPhis = phis(f.header, type.params());
        LLVMBasicBlockRef from = LLVMGetInsertBlock(b);
        for (int i = 0; i < n; i++) LLVMAddIncoming(f.headerPhis[i], stack.get(f.height + i), from, 1);
        LLVMBuildBr(b, f.header);
        LLVMPositionBuilderAtEnd(b, f.header);
        truncate(f.height);
        for (LLVMValueRef phi : f.headerPhis) push(phi);
        f.end = newBlock("loop_end");
        f.endPhis = phis(f.end, type.results());
        frames.add(f);
    }

    private void beginIf(FuncType type) {
        LLVMValueRef cond = isTrue(pop());
        Frame f = new Frame(Kind.IF, type);
        int n = type.params().size();
        f.height = stack.size() - n;
        f.ifParams = top(n).toArray(new LLVMValueRef[0]);
        LLVMBasicBlockRef then = newBlock("then");
        f.elseBlock = newBlock("else");
        f.end = newBlock("if_end");
        f.endPhis = phis(f.end, type.results());
        LLVMBuildCondBr(b, cond, then, f.elseBlock);
        LLVMPositionBuilderAtEnd(b, then);
        frames.add(f);
    }

    private void doElse() {
        Frame f = frames.get(frames.size() - 1);
        if (!f.unreachable) {
            addEndIncoming(f, top(f.type.results().size()), LLVMGetInsertBlock(b));
            LLVMBuildBr(b, f.end);
        }
        truncate(f.height);
        for (LLVMValueRef v : f.ifParams) push(v);
        LLVMPositionBuilderAtEnd(b, f.elseBlock);
        f.sawElse = true;
        f.unreachable = false;
        deadDepth = 0;
    }

    private void doEnd() {
        Frame f = frames.get(frames.size() - 1);
        if (!f.unreachable) {
            addEndIncoming(f, top(f.type.results().size()), LLVMGetInsertBlock(b));
            LLVMBuildBr(b, f.end);
        }
        if (f.kind == Kind.IF && !f.sawElse) {
            // An if without else passes its parameters through (their types equal the results).
            LLVMPositionBuilderAtEnd(b, f.elseBlock);
            addEndIncoming(f, List.of(f.ifParams), f.elseBlock);
            LLVMBuildBr(b, f.end);
        }
        frames.remove(frames.size() - 1);
        truncate(f.height);
        deadDepth = 0;
        if (f.endIncoming == 0) {
            LLVMDeleteBasicBlock(f.end);
            if (!frames.isEmpty()) frames.get(frames.size() - 1).unreachable = true;
            return;
        }
        LLVMPositionBuilderAtEnd(b, f.end);
        for (LLVMValueRef phi : f.endPhis) push(phi);
        if (f.kind == Kind.FUNCTION) buildReturn(f.endPhis);
    }

    private void buildReturn(LLVMValueRef[] results) {
        if (results.length == 0) {
            LLVMBuildRetVoid(b);
        } else if (results.length == 1) {
            LLVMBuildRet(b, results[0]);
        } else {
            LLVMTypeRef st = LLVMGetReturnType(LLVMGlobalGetValueType(fn));
            LLVMValueRef agg = LLVMGetUndef(st);
            for (int i = 0; i < results.length; i++) agg = LLVMBuildInsertValue(b, agg, results[i], i, "");
            LLVMBuildRet(b, agg);
        }
    }

    private void addEndIncoming(Frame f, List<LLVMValueRef> values, LLVMBasicBlockRef from) {
        for (int i = 0; i < f.endPhis.length; i++) LLVMAddIncoming(f.endPhis[i], values.get(i), from, 1);
        f.endIncoming++;
    }

    /** Emits a jump to the label at `depth`, passing the values it expects from the stack top. */
    private void branch(int depth) {
        Frame f = frames.get(frames.size() - 1 - depth);
        LLVMBasicBlockRef from = LLVMGetInsertBlock(b);
        if (f.kind == Kind.LOOP) {
            List<LLVMValueRef> vals = top(f.headerPhis.length);
            for (int i = 0; i < f.headerPhis.length; i++) LLVMAddIncoming(f.headerPhis[i], vals.get(i), from, 1);
            LLVMBuildBr(b, f.header);
        } else {
            addEndIncoming(f, top(f.endPhis.length), from);
            LLVMBuildBr(b, f.end);
        }
    }

    private void brIf(int depth) {
        LLVMValueRef cond = isTrue(pop());
        LLVMBasicBlockRef taken = newBlock("br_if_taken");
        LLVMBasicBlockRef cont = newBlock("br_if_cont");
        LLVMBuildCondBr(b, cond, taken, cont);
        LLVMPositionBuilderAtEnd(b, taken);
        branch(depth);
        LLVMPositionBuilderAtEnd(b, cont);
    }

    private void brTable(InstructionReader r) {
        LLVMValueRef index = pop();
        Map<Integer, LLVMBasicBlockRef> targets = new LinkedHashMap<>();
        LLVMBasicBlockRef from = LLVMGetInsertBlock(b);
        for (int i = 0; i <= r.brTargetCount; i++) {
            int depth = i < r.brTargetCount ? r.brTargets[i] : r.labelDepth;
            targets.computeIfAbsent(depth, d -> {
                LLVMBasicBlockRef bb = newBlock("br_table_" + d);
                LLVMPositionBuilderAtEnd(b, bb);
                branch(d);
                return bb;
            });
        }
        LLVMPositionBuilderAtEnd(b, from);
        LLVMValueRef sw = LLVMBuildSwitch(b, index, targets.get(r.labelDepth), r.brTargetCount);
        for (int i = 0; i < r.brTargetCount; i++) {
            LLVMAddCase(sw, LLVMConstInt(t.i32, i, 0), targets.get(r.brTargets[i]));
        }
        markUnreachable();
    }

    // ---- calls ----

    private void call(int callee, boolean tail) {
        FuncType type = module.funcType(callee);
        LLVMValueRef[] args = popArgs(type);
        LLVMTypeRef fnType = t.function(type);
        LLVMValueRef result;
        if (module.isImportedFunc(callee) && mt.options.imports() == ImportLinkage.CONTEXT) {
            LLVMValueRef func = loadFuncRecord(callee);
            args[0] = loadPtr(func, Abi.FUNC_CTX, false);
            result = LLVMBuildCall2(
                    b, fnType, loadPtr(func, Abi.FUNC_CODE, false), new PointerPointer<>(args), args.length, "");
        } else {
            args[0] = vmctx;
            result = LLVMBuildCall2(b, fnType, mt.function(callee), new PointerPointer<>(args), args.length, "");
        }
        if (tail) returnCall(result, fnType, type);
        else pushResults(result, type);
    }

    /**
     * Ends a return_call / return_call_indirect whose call is already built. With the caller's own
     * prototype LLVM guarantees the tail call (musttail); with other parameter types it cannot, and
     * the callee then returns through this frame (the stack grows with such chains).
     */
    void returnCall(LLVMValueRef call, LLVMTypeRef calleeType, FuncType type) {
        if (LLVMGlobalGetValueType(fn).equals(calleeType)) {
            LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
            if (type.results().isEmpty()) LLVMBuildRetVoid(b);
            else LLVMBuildRet(b, call);
        } else {
            pushResults(call, type);
            branch(frames.size() - 1);
        }
        markUnreachable();
    }

    /** Pops a call's arguments into slots 1..n; slot 0 is left for the callee's context. */
    LLVMValueRef[] popArgs(FuncType type) {
        int n = type.params().size();
        LLVMValueRef[] args = new LLVMValueRef[n + 1];
        for (int i = n; i >= 1; i--) args[i] = pop();
        return args;
    }

    void pushResults(LLVMValueRef result, FuncType type) {
        int n = type.results().size();
        if (n == 1) {
            push(result);
        } else if (n > 1) {
            for (int i = 0; i < n; i++) push(LLVMBuildExtractValue(b, result, i, ""));
        }
    }

    /** The uw_func record of a function index: ctx->funcs[index]. */
    LLVMValueRef loadFuncRecord(int index) {
        LLVMValueRef funcs = loadInvariantPtr(vmctx, Abi.VMCTX_FUNCS);
        return loadInvariantPtr(funcs, 8L * index);
    }

    // ---- instance context access ----

    LLVMValueRef gep(LLVMValueRef base, long byteOffset) {
        if (byteOffset == 0) return base;
        LLVMValueRef idx = LLVMConstInt(t.i64, byteOffset, 0);
        return LLVMBuildInBoundsGEP2(b, t.i8, base, new PointerPointer<>(new LLVMValueRef[] {idx}), 1, "");
    }

    LLVMValueRef gep(LLVMValueRef base, LLVMValueRef byteOffset) {
        return LLVMBuildGEP2(b, t.i8, base, new PointerPointer<>(new LLVMValueRef[] {byteOffset}), 1, "");
    }

    LLVMValueRef loadPtr(LLVMValueRef base, long byteOffset, boolean invariant) {
        LLVMValueRef v = LLVMBuildLoad2(b, t.ptr, gep(base, byteOffset), "");
        LLVMSetAlignment(v, 8);
        if (invariant) mt.markInvariant(v);
        return v;
    }

    LLVMValueRef loadInvariantPtr(LLVMValueRef base, long byteOffset) {
        return loadPtr(base, byteOffset, true);
    }

    /** Pointer to global i's storage cell. */
    private LLVMValueRef globalCell(int index) {
        LLVMValueRef globals = loadInvariantPtr(vmctx, Abi.VMCTX_GLOBALS);
        return loadInvariantPtr(globals, 8L * index);
    }

    /** Base address of a linear memory; never moves (the memory reservation). */
    LLVMValueRef memoryBase(int memIndex) {
        if (memIndex == 0 && mem0Base != null) return mem0Base;
        LLVMValueRef memories = loadInvariantPtr(vmctx, Abi.VMCTX_MEMORIES);
        LLVMValueRef memory = loadInvariantPtr(memories, 8L * memIndex);
        return loadInvariantPtr(memory, Abi.MEMORY_BASE);
    }

    /** The uw_memory object of a memory index. */
    LLVMValueRef memoryObject(int memIndex) {
        LLVMValueRef memories = loadInvariantPtr(vmctx, Abi.VMCTX_MEMORIES);
        return loadInvariantPtr(memories, 8L * memIndex);
    }

    /** The uw_table object of a table index. */
    LLVMValueRef tableObject(int tableIndex) {
        LLVMValueRef tables = loadInvariantPtr(vmctx, Abi.VMCTX_TABLES);
        return loadInvariantPtr(tables, 8L * tableIndex);
    }

    // ---- traps and helpers ----

    LLVMBasicBlockRef trapBlock(int code) {
        if (trapBlocks[code] == null) {
            LLVMBasicBlockRef saved = LLVMGetInsertBlock(b);
            LLVMBasicBlockRef bb = newBlock("trap" + code);
            LLVMPositionBuilderAtEnd(b, bb);
            callRuntime("uw_trap", vmctx, i32(code));
            LLVMBuildUnreachable(b);
            LLVMPositionBuilderAtEnd(b, saved);
            trapBlocks[code] = bb;
        }
        return trapBlocks[code];
    }

    /** Traps with `code` when `cond` (an i1) holds; continues in a fresh block otherwise. */
    void trapIf(LLVMValueRef cond, int code) {
        LLVMBasicBlockRef cont = newBlock("ok");
        LLVMBuildCondBr(b, cond, trapBlock(code), cont);
        LLVMPositionBuilderAtEnd(b, cont);
    }

    LLVMValueRef callRuntime(String name, LLVMValueRef... args) {
        RuntimeFunctions.Fn f = mt.runtime.get(name);
        return LLVMBuildCall2(b, f.type(), f.value(), new PointerPointer<>(args), args.length, "");
    }

    LLVMValueRef intrinsic(String name, LLVMTypeRef[] overloads, LLVMValueRef... args) {
        return mt.intrinsics.call(b, name, overloads, args);
    }

    LLVMValueRef i32(long v) {
        return LLVMConstInt(t.i32, v, 0);
    }

    LLVMValueRef i64(long v) {
        return LLVMConstInt(t.i64, v, 0);
    }

    /** An i32 Wasm condition as an i1. */
    LLVMValueRef isTrue(LLVMValueRef i32) {
        return LLVMBuildICmp(b, LLVMIntNE, i32, LLVMConstNull(LLVMTypeOf(i32)), "");
    }

    /**
     * A dropped load must still trap when out of bounds, so LLVM may not delete it. The load may sit
     * under the instructions that widen or place its value: casts (extending loads), insertelement
     * (v128 lane, zero and splat loads, whose scalar is operand 1) and shufflevector (splats).
     * Loads of locals (allocas) cannot trap and stay plain, so the local can still live in a register.
     */
    private static void markLoadVolatile(LLVMValueRef v) {
        LLVMValueRef load = v;
        for (int step = 0; step < 4 && load != null && !load.isNull(); step++) {
            if (isA(LLVMIsACastInst(load)) || isA(LLVMIsAShuffleVectorInst(load))) load = LLVMGetOperand(load, 0);
            else if (isA(LLVMIsAInsertElementInst(load))) load = LLVMGetOperand(load, 1);
            else break;
        }
        if (isA(LLVMIsALoadInst(load)) && !isA(LLVMIsAAllocaInst(LLVMGetOperand(load, 0)))) LLVMSetVolatile(load, 1);
    }

    private static boolean isA(LLVMValueRef v) {
        return v != null && !v.isNull();
    }

    /**
     * An instruction that reached a lowering outside its family: the family table and the
     * lowering's cases disagree (OpcodeLoweringTest checks they do not).
     */
    CompileException unsupported(Opcode op) {
        return error("unsupported instruction " + op.textName());
    }

    CompileException error(String message) {
        return new CompileException("function " + funcIndex + " at byte offset " + offset + ": " + message);
    }
}
