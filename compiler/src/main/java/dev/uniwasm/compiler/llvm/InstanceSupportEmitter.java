package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.compiler.CompileException;
import dev.uniwasm.compiler.ImportLinkage;
import dev.uniwasm.wasm.DataSegment;
import dev.uniwasm.wasm.ElementSegment;
import dev.uniwasm.wasm.Export;
import dev.uniwasm.wasm.Expr;
import dev.uniwasm.wasm.Features;
import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.GlobalType;
import dev.uniwasm.wasm.Import;
import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Limits;
import dev.uniwasm.wasm.MemoryType;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.Opcode;
import dev.uniwasm.wasm.SegmentMode;
import dev.uniwasm.wasm.TableType;
import dev.uniwasm.wasm.ValType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * What the runtime needs besides the functions (docs/ABI.md): one array-call trampoline per type,
 * the init function (globals, element items, active segments) and the {@code uw_module} descriptor.
 */
final class InstanceSupportEmitter {
    private final ModuleTranslator mt;
    private final LlvmTypes t;
    private final LLVMBuilderRef b;
    private final Module m;
    private int constCounter;
    /** Segments written as one (DataRuns); each run is one more data entry after the module's. */
    private final List<DataRuns.Run> runs;

    private final Map<Integer, DataRuns.Run> runStartingAt = new HashMap<>();
    /** A run's members (not the other segments between its first and last) */
    private final Set<Integer> runMembers = new HashSet<>();

    InstanceSupportEmitter(ModuleTranslator mt, LLVMBuilderRef builder) {
        this.mt = mt;
        this.t = mt.t;
        this.b = builder;
        this.m = mt.module;
        this.runs = DataRuns.of(m);
        for (DataRuns.Run run : runs) {
            runStartingAt.put(run.first(), run);
            for (int i = run.first(); i <= run.last(); i++) {
                DataSegment seg = m.data.get(i);
                if (seg.mode() == SegmentMode.ACTIVE && seg.memory() == run.memory()) runMembers.add(i);
            }
        }
    }

    void emit() {
        // Only a function's type index reaches uw_invoke, and a trampoline depends on the signature
        // alone: one per distinct signature of a function, null for types that only blocks and
        // call_indirect use. One per type index took LLVM 145 s for 100,000 types.
        boolean[] ofAFunction = new boolean[m.types.size()];
        for (int typeIndex : m.funcTypes) ofAFunction[typeIndex] = true;
        Map<String, LLVMValueRef> bySignature = new HashMap<>();
        LLVMValueRef[] trampolines = new LLVMValueRef[m.types.size()];
        for (int i = 0; i < trampolines.length; i++) {
            int typeIndex = i;
            trampolines[i] = !ofAFunction[i]
                    ? LLVMConstNull(t.ptr)
                    : bySignature.computeIfAbsent(m.types.get(i).signature(), s -> trampoline(typeIndex));
        }
        LLVMValueRef init = initFunction();
        descriptor(trampolines, init);
    }

    // ---- array-call trampolines ----

    private LLVMValueRef trampoline(int typeIndex) {
        FuncType type = m.types.get(typeIndex);
        LLVMValueRef fn = LLVMAddFunction(mt.llvmModule, "uw_tramp" + typeIndex, t.fn(t.voidT, t.ptr, t.ptr, t.ptr));
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(t.ctx, fn, "entry"));
        LLVMValueRef code = LLVMGetParam(fn, 0), ctx = LLVMGetParam(fn, 1), io = LLVMGetParam(fn, 2);
        LLVMValueRef[] args = new LLVMValueRef[type.params().size() + 1];
        args[0] = ctx;
        for (int i = 0; i < type.params().size(); i++) {
            LLVMValueRef v = LLVMBuildLoad2(b, t.of(type.params().get(i)), slot(io, i), "");
            LLVMSetAlignment(v, 16);
            args[i + 1] = v;
        }
        LLVMValueRef result = LLVMBuildCall2(b, t.function(type), code, new PointerPointer<>(args), args.length, "");
        List<ValType> results = type.results();
        for (int i = 0; i < results.size(); i++) {
            LLVMValueRef v = results.size() == 1 ? result : LLVMBuildExtractValue(b, result, i, "");
            LLVMSetAlignment(LLVMBuildStore(b, v, slot(io, i)), 16);
        }
        LLVMBuildRetVoid(b);
        return fn;
    }

    private LLVMValueRef slot(LLVMValueRef io, int i) {
        return LLVMBuildInBoundsGEP2(
                b,
                t.i8,
                io,
                new PointerPointer<>(new LLVMValueRef[] {LLVMConstInt(t.i64, (long) Abi.VALUE_SIZE * i, 0)}),
                1,
                "");
    }

    // ---- init ----

    /**
     * Steps (a global, a segment) per part of the init function. All in one function, 100,000
     * data segments took LLVM 43 s and 100,000 globals over 200 s: its time on one huge block
     * grows faster than the block.
     */
    private static final int INIT_STEPS_PER_PART = 1000;

    private LLVMValueRef initPart;
    private LLVMValueRef initCtx;
    private int initSteps;
    private final List<LLVMValueRef> initParts = new ArrayList<>();

    /** Positions the builder for one more init step, in a new part when the current one is full. */
    private void initStep() {
        if (initPart == null || initSteps == INIT_STEPS_PER_PART) {
            if (initPart != null) LLVMBuildRetVoid(b);
            initPart = LLVMAddFunction(mt.llvmModule, "uw_init.part" + initParts.size(), t.fn(t.voidT, t.ptr));
            LLVMSetLinkage(initPart, LLVMInternalLinkage);
            // Inlined back, the parts would be the one huge function again.
            Attributes.addFn(initPart, t.ctx, "noinline");
            Attributes.addFn(initPart, t.ctx, "nounwind");
            LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(t.ctx, initPart, "entry"));
            initCtx = LLVMGetParam(initPart, 0);
            initParts.add(initPart);
            initSteps = 0;
        }
        initSteps++;
    }

    private LLVMValueRef initFunction() {
        for (int i = 0; i < m.globalInits.size(); i++) {
            initStep();
            int index = m.numImportedGlobals + i;
            LLVMValueRef value = evalConst(initCtx, m.globalInits.get(i));
            LLVMSetAlignment(LLVMBuildStore(b, value, globalCell(initCtx, index)), 8);
        }
        for (int i = 0; i < m.elements.size(); i++) {
            initStep();
            fillElementItems(initPart, initCtx, i, m.elements.get(i));
        }
        for (int i = 0; i < m.elements.size(); i++) {
            ElementSegment seg = m.elements.get(i);
            initStep();
            if (seg.mode() == SegmentMode.ACTIVE) {
                call(
                        "uw_table_init",
                        initCtx,
                        i32(seg.table()),
                        i32(i),
                        evalConst(initCtx, seg.offset()),
                        i32(0),
                        i32(seg.size()));
            }
            if (seg.mode() != SegmentMode.PASSIVE) call("uw_elem_drop", initCtx, i32(i));
        }
        for (int i = 0; i < m.data.size(); i++) {
            DataSegment seg = m.data.get(i);
            DataRuns.Run run = runStartingAt.get(i);
            if (run != null) {
                initStep();
                int runData = m.data.size() + runs.indexOf(run);
                call(
                        "uw_memory_init",
                        initCtx,
                        i32(run.memory()),
                        i32(runData),
                        i32((int) run.offset()),
                        i32(0),
                        i32(run.length()));
                call("uw_data_drop", initCtx, i32(runData));
            } else if (seg.mode() == SegmentMode.ACTIVE && !runMembers.contains(i)) {
                initStep();
                call(
                        "uw_memory_init",
                        initCtx,
                        i32(seg.memory()),
                        i32(i),
                        evalConst(initCtx, seg.offset()),
                        i32(0),
                        i32(seg.length()));
                call("uw_data_drop", initCtx, i32(i));
            }
        }
        if (initPart != null) LLVMBuildRetVoid(b);
        LLVMValueRef fn = LLVMAddFunction(mt.llvmModule, "uw_init", t.fn(t.voidT, t.ptr));
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(t.ctx, fn, "entry"));
        LLVMValueRef ctx = LLVMGetParam(fn, 0);
        LLVMTypeRef partType = t.fn(t.voidT, t.ptr);
        for (LLVMValueRef part : initParts) {
            LLVMBuildCall2(b, partType, part, new PointerPointer<>(new LLVMValueRef[] {ctx}), 1, "");
        }
        LLVMBuildRetVoid(b);
        return fn;
    }

    /** Evaluates a segment's references into ctx->elems[i].items. */
    private void fillElementItems(LLVMValueRef fn, LLVMValueRef ctx, int index, ElementSegment seg) {
        if (seg.size() == 0) return;
        LLVMValueRef elems = loadPtr(ctx, Abi.VMCTX_ELEMS, true);
        LLVMValueRef items = loadPtr(elems, (long) Abi.ELEM_INST_SIZE * index + Abi.ELEM_INST_ITEMS, false);
        if (seg.funcIndices() != null) {
            // A loop over a constant index table keeps init small for tables of thousands of functions.
            LLVMValueRef[] idx =
                    Arrays.stream(seg.funcIndices()).mapToObj(this::i32).toArray(LLVMValueRef[]::new);
            LLVMValueRef table =
                    privateConstant(LLVMConstArray2(t.i32, new PointerPointer<>(idx), idx.length), "uw_elem_idx");
            LLVMValueRef funcs = loadPtr(ctx, Abi.VMCTX_FUNCS, true);
            LLVMBasicBlockRef before = LLVMGetInsertBlock(b);
            LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(t.ctx, fn, "elem_loop");
            LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(t.ctx, fn, "elem_done");
            LLVMBuildBr(b, loop);
            LLVMPositionBuilderAtEnd(b, loop);
            LLVMValueRef j = LLVMBuildPhi(b, t.i64, "j");
            LLVMValueRef fi = LLVMBuildLoad2(b, t.i32, gepScaled(table, j, 4), "");
            LLVMValueRef func = LLVMBuildLoad2(b, t.ptr, gepScaled(funcs, LLVMBuildZExt(b, fi, t.i64, ""), 8), "");
            LLVMBuildStore(b, func, gepScaled(items, j, 8));
            LLVMValueRef next = LLVMBuildAdd(b, j, LLVMConstInt(t.i64, 1, 0), "");
            LLVMAddIncoming(j, LLVMConstInt(t.i64, 0, 0), before, 1);
            LLVMAddIncoming(j, next, loop, 1);
            LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntULT, next, LLVMConstInt(t.i64, idx.length, 0), ""), loop, done);
            LLVMPositionBuilderAtEnd(b, done);
        } else {
            for (int j = 0; j < seg.items().size(); j++) {
                LLVMValueRef v = evalConst(ctx, seg.items().get(j));
                LLVMBuildStore(b, v, gep(items, 8L * j));
            }
        }
    }

    /**
     * Emits code computing a validated constant expression. Which instructions may stand in one is
     * their rows' to say ({@link Opcode#constantIn()}); here is how each is computed, and
     * OpcodeLoweringTest compiles every constant row through this method.
     */
    private LLVMValueRef evalConst(LLVMValueRef ctx, Expr expr) {
        Deque<LLVMValueRef> stack = new ArrayDeque<>();
        InstructionReader r = new InstructionReader(m.bytes, expr.start(), expr.end());
        while (r.hasNext()) {
            Opcode op = r.next();
            if (op != Opcode.END && !op.isConstant(Features.ALL)) {
                throw new CompileException(
                        "not a constant instruction: " + op.textName() + " at byte offset " + r.offset);
            }
            switch (op) {
                case I32_CONST -> stack.push(i32(r.constBits));
                case I64_CONST -> stack.push(LLVMConstInt(t.i64, r.constBits, 0));
                case F32_CONST ->
                    stack.push(LLVMConstBitCast(LLVMConstInt(t.i32, r.constBits & 0xffffffffL, 0), t.f32));
                case F64_CONST -> stack.push(LLVMConstBitCast(LLVMConstInt(t.i64, r.constBits, 0), t.f64));
                case V128_CONST -> stack.push(v128Const(r.constBits, r.constBitsHigh));
                case REF_NULL -> stack.push(LLVMConstNull(t.ptr));
                case REF_FUNC -> stack.push(loadPtr(loadPtr(ctx, Abi.VMCTX_FUNCS, true), 8L * r.funcIndex, true));
                case GLOBAL_GET -> {
                    GlobalType gt = m.globalTypes.get(r.globalIndex);
                    LLVMValueRef v = LLVMBuildLoad2(b, t.of(gt.type()), globalCell(ctx, r.globalIndex), "");
                    LLVMSetAlignment(v, 8);
                    stack.push(v);
                }
                case I32_ADD, I64_ADD -> {
                    LLVMValueRef y = stack.pop();
                    stack.push(LLVMBuildAdd(b, stack.pop(), y, ""));
                }
                case I32_SUB, I64_SUB -> {
                    LLVMValueRef y = stack.pop();
                    stack.push(LLVMBuildSub(b, stack.pop(), y, ""));
                }
                case I32_MUL, I64_MUL -> {
                    LLVMValueRef y = stack.pop();
                    stack.push(LLVMBuildMul(b, stack.pop(), y, ""));
                }
                case END -> {}
                default ->
                    throw new CompileException("constant instruction without code in evalConst: " + op.textName()
                            + " at byte offset " + r.offset);
            }
        }
        return stack.pop();
    }

    LLVMValueRef v128Const(long low, long high) {
        LLVMValueRef[] lanes = {LLVMConstInt(t.i64, low, 0), LLVMConstInt(t.i64, high, 0)};
        return LLVMConstVector(new PointerPointer<>(lanes), 2);
    }

    private LLVMValueRef globalCell(LLVMValueRef ctx, int index) {
        return loadPtr(loadPtr(ctx, Abi.VMCTX_GLOBALS, true), 8L * index, true);
    }

    private void call(String name, LLVMValueRef... args) {
        RuntimeFunctions.Fn f = mt.runtime.get(name);
        LLVMBuildCall2(b, f.type(), f.value(), new PointerPointer<>(args), args.length, "");
    }

    private LLVMValueRef loadPtr(LLVMValueRef base, long offset, boolean invariant) {
        LLVMValueRef v = LLVMBuildLoad2(b, t.ptr, gep(base, offset), "");
        LLVMSetAlignment(v, 8);
        if (invariant) mt.markInvariant(v);
        return v;
    }

    private LLVMValueRef gep(LLVMValueRef base, long offset) {
        if (offset == 0) return base;
        return LLVMBuildInBoundsGEP2(
                b, t.i8, base, new PointerPointer<>(new LLVMValueRef[] {LLVMConstInt(t.i64, offset, 0)}), 1, "");
    }

    private LLVMValueRef gepScaled(LLVMValueRef base, LLVMValueRef index, int scale) {
        LLVMValueRef off = LLVMBuildMul(b, index, LLVMConstInt(t.i64, scale, 0), "");
        return LLVMBuildInBoundsGEP2(b, t.i8, base, new PointerPointer<>(new LLVMValueRef[] {off}), 1, "");
    }

    // ---- descriptor ----

    private void descriptor(LLVMValueRef[] trampolines, LLVMValueRef init) {
        LLVMTypeRef i32 = t.i32, i64 = t.i64, p = t.ptr;
        LLVMValueRef nullp = LLVMConstNull(p);

        Map<String, LLVMValueRef> sigTexts = new HashMap<>();
        LLVMValueRef[] sigs = m.types.stream()
                .map(ft -> sigTexts.computeIfAbsent(ft.signature(), this::cstring))
                .toArray(LLVMValueRef[]::new);

        LLVMTypeRef importT = t.struct(p, p, i32, i32, i32, i32, i32, i32, i64, i64);
        List<LLVMValueRef> imports = new ArrayList<>();
        int[] kindCounters = new int[4];
        for (Import imp : m.imports) {
            int kind = imp.desc().kind().ordinal();
            int index = kindCounters[kind]++;
            long type = 0, min = 0, max = -1;
            switch (imp.desc()) {
                case dev.uniwasm.wasm.ImportDesc.Func fn -> type = fn.typeIndex();
                case TableType tt -> {
                    type = tt.elemType().code;
                    min = tt.limits().min();
                    max = maxOf(tt.limits());
                }
                case MemoryType mem -> {
                    min = mem.limits().min();
                    max = maxOf(mem.limits());
                }
                case GlobalType gt -> type = gt.type().code | (gt.mutable() ? 0x100 : 0);
            }
            imports.add(struct(
                    importT,
                    cstring(imp.module()),
                    cstring(imp.name()),
                    i32(utf8Length(imp.module())),
                    i32(utf8Length(imp.name())),
                    i32(kind),
                    i32(index),
                    i32(type),
                    i32(0),
                    LLVMConstInt(i64, min, 0),
                    LLVMConstInt(i64, max, 0)));
        }

        LLVMTypeRef exportT = t.struct(p, i32, i32, i32, i32);
        List<LLVMValueRef> exports = new ArrayList<>();
        for (Export e : m.exports) {
            exports.add(struct(
                    exportT,
                    cstring(e.name()),
                    i32(utf8Length(e.name())),
                    i32(e.kind().ordinal()),
                    i32(e.index()),
                    i32(0)));
        }

        int nf = m.numFuncs();
        LLVMValueRef[] funcTypes = new LLVMValueRef[nf];
        LLVMValueRef[] funcCode = new LLVMValueRef[nf];
        LLVMValueRef[] funcNames = new LLVMValueRef[nf];
        for (int i = 0; i < nf; i++) {
            funcTypes[i] = i32(m.funcTypes.get(i));
            boolean imported = m.isImportedFunc(i);
            boolean hasCode = imported ? mt.options.imports() == ImportLinkage.DIRECT : mt.addressTaken[i];
            funcCode[i] = hasCode ? mt.function(i) : nullp;
            String name = m.functionNames.get(i);
            funcNames[i] = name != null ? cstring(name) : nullp;
        }

        LLVMTypeRef limitsT = t.struct(i64, i64);
        List<LLVMValueRef> memories = new ArrayList<>();
        for (MemoryType mem : m.memories)
            memories.add(struct(
                    limitsT, LLVMConstInt(i64, mem.limits().min(), 0), LLVMConstInt(i64, maxOf(mem.limits()), 0)));
        LLVMTypeRef tableT = t.struct(i64, i64, i32, i32);
        List<LLVMValueRef> tables = new ArrayList<>();
        for (TableType tt : m.tables)
            tables.add(struct(
                    tableT,
                    LLVMConstInt(i64, tt.limits().min(), 0),
                    LLVMConstInt(i64, maxOf(tt.limits()), 0),
                    i32(tt.elemType().code),
                    i32(0)));
        LLVMTypeRef globalT = t.struct(i32, i32);
        List<LLVMValueRef> globals = new ArrayList<>();
        for (GlobalType gt : m.globalTypes)
            globals.add(struct(globalT, i32(gt.type().code), i32(gt.mutable() ? 1 : 0)));
        LLVMTypeRef dataT = t.struct(p, i32, i32);
        List<LLVMValueRef> data = new ArrayList<>();
        // A run's members are written through the run's own entry, after the module's; an active
        // segment is dropped once written, so theirs start empty: no byte of theirs is ever read.
        for (int i = 0; i < m.data.size(); i++) {
            DataSegment seg = m.data.get(i);
            byte[] bytes =
                    runMembers.contains(i) ? new byte[0] : Arrays.copyOfRange(m.bytes, seg.dataStart(), seg.dataEnd());
            data.add(struct(dataT, bytes.length == 0 ? nullp : segmentBytes(seg, bytes), i32(bytes.length), i32(0)));
        }
        for (DataRuns.Run run : runs) {
            byte[] bytes = DataRuns.bytes(m, run);
            data.add(struct(dataT, pageAlignedBytes(bytes, run.offset()), i32(bytes.length), i32(0)));
        }
        LLVMTypeRef elemT = t.struct(i32, i32);
        List<LLVMValueRef> elems = new ArrayList<>();
        for (ElementSegment seg : m.elements) elems.add(struct(elemT, i32(seg.size()), i32(seg.type().code)));

        boolean hasNames = !m.functionNames.isEmpty();
        LLVMTypeRef descT = t.struct(
                i32, i32, p, p, // abi, num_types, type_sigs, type_array_calls
                i32, p, i32, p, // imports, exports
                i32, i32, p, p, p, // funcs
                i32, i32, p, // memories
                i32, i32, p, // tables
                i32, i32, p, // globals
                i32, p, i32, p, // data, elems
                p, i32, i32); // init, start_func, reserved
        LLVMValueRef desc = struct(
                descT,
                i32(Abi.ABI_VERSION),
                i32(m.types.size()),
                array(p, sigs, "uw_type_sigs"),
                array(p, trampolines, "uw_type_array_calls"),
                i32(imports.size()),
                array(importT, imports, "uw_imports"),
                i32(exports.size()),
                array(exportT, exports, "uw_exports"),
                i32(nf),
                i32(m.numImportedFuncs),
                array(i32, funcTypes, "uw_func_types"),
                array(p, funcCode, "uw_func_code"),
                hasNames ? array(p, funcNames, "uw_func_names") : nullp,
                i32(m.memories.size()),
                i32(m.numImportedMemories),
                array(limitsT, memories, "uw_memories"),
                i32(m.tables.size()),
                i32(m.numImportedTables),
                array(tableT, tables, "uw_tables"),
                i32(m.globalTypes.size()),
                i32(m.numImportedGlobals),
                array(globalT, globals, "uw_globals"),
                i32(data.size()),
                array(dataT, data, "uw_data"),
                i32(elems.size()),
                array(elemT, elems, "uw_elems"),
                init,
                i32(m.startFunction),
                i32(0));
        LLVMValueRef g = LLVMAddGlobal(mt.llvmModule, descT, "uw_module");
        LLVMSetInitializer(g, desc);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetAlignment(g, 8);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long maxOf(Limits l) {
        return l.hasMax() ? l.max() : -1L;
    }

    private LLVMValueRef i32(long v) {
        return LLVMConstInt(t.i32, v & 0xffffffffL, 0);
    }

    private LLVMValueRef struct(LLVMTypeRef type, LLVMValueRef... fields) {
        return LLVMConstNamedStruct(type, new PointerPointer<>(fields), fields.length);
    }

    private LLVMValueRef array(LLVMTypeRef elem, List<LLVMValueRef> values, String name) {
        return array(elem, values.toArray(new LLVMValueRef[0]), name);
    }

    /** A private constant array, or null when empty. */
    private LLVMValueRef array(LLVMTypeRef elem, LLVMValueRef[] values, String name) {
        if (values.length == 0) return LLVMConstNull(t.ptr);
        return privateConstant(LLVMConstArray2(elem, new PointerPointer<>(values), values.length), name);
    }

    private LLVMValueRef privateConstant(LLVMValueRef init, String name) {
        LLVMValueRef g = LLVMAddGlobal(mt.llvmModule, LLVMTypeOf(init), name + "." + (constCounter++));
        LLVMSetInitializer(g, init);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetLinkage(g, LLVMPrivateLinkage);
        return g;
    }

    private LLVMValueRef cstring(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = Arrays.copyOf(utf8, utf8.length + 1);
        LLVMValueRef g = bytesConstant(z);
        LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
        return g;
    }

    /**
     * A segment's bytes. Those of a large active segment at a constant offset start at the same
     * offset within a host page as their destination does, so that the runtime can map their whole
     * pages from the executable's file instead of copying them (abi.h, UW_DATA_MAP_MIN_BYTES): pages
     * the app only reads then stay shared by every instance of the executable.
     */
    private LLVMValueRef segmentBytes(DataSegment seg, byte[] bytes) {
        if (seg.mode() != SegmentMode.ACTIVE || bytes.length < Abi.DATA_MAP_MIN_BYTES) return bytesConstant(bytes);
        Long offset = DataRuns.constantOffset(m, seg.offset());
        return offset == null ? bytesConstant(bytes) : pageAlignedBytes(bytes, offset);
    }

    /** Bytes that start at the offset within a host page that their destination has. */
    private LLVMValueRef pageAlignedBytes(byte[] bytes, long destination) {
        int skew = (int) Long.remainderUnsigned(destination, Abi.HOST_PAGE_SIZE);
        byte[] placed = new byte[skew + bytes.length];
        System.arraycopy(bytes, 0, placed, skew, bytes.length);
        LLVMValueRef g = bytesConstant(placed);
        LLVMSetAlignment(g, Abi.HOST_PAGE_SIZE);
        LLVMValueRef[] index = {LLVMConstInt(t.i64, skew, 0)};
        return LLVMConstInBoundsGEP2(t.i8, g, new PointerPointer<>(index), 1);
    }

    private LLVMValueRef bytesConstant(byte[] bytes) {
        try (BytePointer bp = new BytePointer(bytes)) {
            LLVMValueRef init = LLVMConstStringInContext2(t.ctx, bp, bytes.length, 1);
            LLVMValueRef g = privateConstant(init, "uw_bytes");
            LLVMSetAlignment(g, 1);
            return g;
        }
    }
}
