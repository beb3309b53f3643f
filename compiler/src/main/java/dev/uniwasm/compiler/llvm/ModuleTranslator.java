package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.compiler.CompileException;
import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.ImportLinkage;
import dev.uniwasm.wasm.ElementSegment;
import dev.uniwasm.wasm.Export;
import dev.uniwasm.wasm.Expr;
import dev.uniwasm.wasm.ExternKind;
import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.Import;
import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.Opcode;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Translates a whole module into one LLVM module: a function per Wasm function (internal linkage,
 * so LLVM may inline or drop it), then the instance support that the runtime relies on (array-call
 * trampolines, the init function, the {@code uw_module} descriptor).
 */
final class ModuleTranslator {
    final Module module;
    final CompileOptions options;
    final LLVMContextRef context;
    final LLVMModuleRef llvmModule;
    final LlvmTypes t;
    final RuntimeFunctions runtime;
    final Intrinsics intrinsics;
    /** Functions whose address escapes (exports, element segments, ref.func, start). */
    final boolean[] addressTaken;

    private final LLVMValueRef[] functions;
    private final int invariantLoadKind;
    private final LLVMValueRef emptyNode;

    /**
     * Function bodies larger than this are compiled without optimisation. LLVM's time on one
     * function grows faster than its size: at -O2 a 130 KB body of straight-line loads and stores
     * took 26 s (the machine scheduler, on one huge block) and 1.3 MB ones did not finish in 150 s,
     * while at -O0 1.3-1.6 MB bodies of every shape measured took 4-11 s (README.md, "Limits").
     * Real programs' largest functions are below it (CPython 3.12's interpreter loop: 106 KB).
     */
    static final int MAX_OPTIMISED_BODY_BYTES = 128 * 1024;

    /** The part of the module this translator emits. */
    private final Partition partition;

    ModuleTranslator(Module module, CompileOptions options, LLVMContextRef context, Partition partition) {
        this.module = module;
        this.partition = partition;
        this.options = options;
        this.context = context;
        this.llvmModule = LLVMModuleCreateWithNameInContext("wasm", context);
        this.t = new LlvmTypes(context);
        this.runtime = new RuntimeFunctions(llvmModule, t);
        this.intrinsics = new Intrinsics(llvmModule, t);
        this.functions = new LLVMValueRef[module.numFuncs()];
        this.addressTaken = findAddressTaken(module);
        this.invariantLoadKind = LLVMGetMDKindIDInContext(context, "invariant.load", "invariant.load".length());
        this.emptyNode = LLVMMetadataAsValue(
                context, LLVMMDNodeInContext2(context, (org.bytedeco.javacpp.PointerPointer<?>) null, 0));
    }

    LLVMModuleRef translate() {
        declareFunctions();
        LLVMBuilderRef builder = LLVMCreateBuilderInContext(context);
        try {
            for (int i = partition.firstFunc(); i < partition.endFunc(); i++) {
                new FunctionTranslator(this, builder, i).translate();
            }
            if (partition.holdsInstanceSupport()) new InstanceSupportEmitter(this, builder).emit();
        } finally {
            LLVMDisposeBuilder(builder);
        }
        return llvmModule;
    }

    /** The LLVM function for a Wasm function index (for DIRECT imports: the external symbol). */
    LLVMValueRef function(int index) {
        return functions[index];
    }

    void markInvariant(LLVMValueRef load) {
        LLVMSetMetadata(load, invariantLoadKind, emptyNode);
    }

    private void declareFunctions() {
        Map<String, Integer> directImports = new HashMap<>();
        for (int i = 0; i < module.numFuncs(); i++) {
            if (module.isImportedFunc(i)) {
                if (options.imports() == ImportLinkage.DIRECT) functions[i] = importedFunction(i, directImports);
                continue;
            }
            String name = "uw_f" + i;
            String wasmName = module.functionNames.get(i);
            if (wasmName != null) name += "." + wasmName;
            LLVMValueRef fn = LLVMAddFunction(llvmModule, name, t.function(module.funcType(i)));
            Attributes.addFn(fn, context, "nounwind");
            functions[i] = fn;
            if (partition.isWhole()) {
                LLVMSetLinkage(fn, LLVMInternalLinkage);
            } else {
                // Split modules reach each other's functions through hidden symbols: visible to
                // the static link of the image or shared object, never exported from it.
                LLVMSetVisibility(fn, LLVMHiddenVisibility);
                if (!partition.defines(i)) continue;
            }
            // Large frames must touch each page so that the stack's guard page catches overflow.
            Attributes.addFnString(fn, context, "probe-stack", "inline-asm");
            // Tail-call elimination would turn unbounded recursion into an endless loop instead of
            // the "call stack exhausted" trap that Wasm programs (and the spec tests) expect.
            Attributes.addFnString(fn, context, "disable-tail-calls", "true");
            if (bodyBytes(i) > MAX_OPTIMISED_BODY_BYTES) {
                // The fast instruction selector, no IR optimisation and no machine scheduler.
                Attributes.addFn(fn, context, "optnone");
                Attributes.addFn(fn, context, "noinline");
            }
        }
    }

    /**
     * The external symbol a DIRECT import calls. A module may import one name several times (under
     * several Wasm function indices, as AssemblyScript does with fd_write): all share the symbol,
     * which only works while they share its type, too.
     */
    private LLVMValueRef importedFunction(int funcIndex, Map<String, Integer> firstImportOf) {
        Import imp = module.importOf(ExternKind.FUNC, funcIndex);
        String symbol = "uw_imp." + imp.module() + "." + imp.name();
        Integer first = firstImportOf.putIfAbsent(symbol, funcIndex);
        if (first != null) {
            FuncType type = module.funcType(funcIndex), firstType = module.funcType(first);
            if (!type.equals(firstType)) {
                throw new CompileException("import " + imp.module() + "." + imp.name()
                        + " is imported twice with different types, "
                        + firstType.text() + " (function " + first + ") and " + type.text() + " (function " + funcIndex
                        + "); one symbol can have only one type");
            }
            return functions[first];
        }
        LLVMValueRef fn = LLVMAddFunction(llvmModule, symbol, t.function(module.funcType(funcIndex)));
        Attributes.addFn(fn, context, "nounwind");
        return fn;
    }

    private int bodyBytes(int funcIndex) {
        var body = module.body(funcIndex);
        return body.codeEnd() - body.codeStart();
    }

    private static boolean[] findAddressTaken(Module m) {
        boolean[] taken = new boolean[m.numFuncs()];
        for (Export e : m.exports) {
            if (e.kind() == ExternKind.FUNC) taken[e.index()] = true;
        }
        if (m.startFunction >= 0) taken[m.startFunction] = true;
        for (ElementSegment seg : m.elements) {
            if (seg.funcIndices() != null) {
                for (int fi : seg.funcIndices()) taken[fi] = true;
            } else {
                for (Expr e : seg.items()) markRefFuncs(m, e, taken);
            }
        }
        for (Expr e : m.globalInits) markRefFuncs(m, e, taken);
        return taken;
    }

    private static void markRefFuncs(Module m, Expr e, boolean[] taken) {
        InstructionReader r = new InstructionReader(m.bytes, e.start(), e.end());
        while (r.hasNext()) {
            if (r.next() == Opcode.REF_FUNC) taken[r.funcIndex] = true;
        }
    }
}
