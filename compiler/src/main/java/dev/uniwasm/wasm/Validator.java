package dev.uniwasm.wasm;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Validates a decoded module against the Wasm 2.0 rules (plus enabled {@link Features}). Errors
 * are {@link InvalidModuleException}s worded like the spec test suite's expected messages.
 *
 * <p>Validation splits into module-level checks ({@link #validateModuleLevel()}) and one check per
 * function body ({@link #validateFunction(int)}); function checks are independent and may run in
 * parallel on one {@code Validator} instance. Run the module-level checks first: function checks
 * rely on the type indices of the function section having been checked.
 */
public final class Validator {
    /** Memory limits are in 64 KiB pages; 65536 pages is the whole 32-bit address space. */
    public static final long MAX_MEMORY_PAGES = 65536;

    private static final ThreadLocal<FunctionValidator> FUNCTION_VALIDATORS =
            ThreadLocal.withInitial(FunctionValidator::new);
    private static final Map<Module, Validator> CACHE = new WeakHashMap<>();

    final Module module;
    final Features features;
    /** Functions that ref.func may name: those referenced outside function bodies (spec's C.refs). */
    private final BitSet declaredFunctionRefs;

    public Validator(Module module, Features features) {
        this.module = module;
        this.features = features;
        this.declaredFunctionRefs = collectDeclaredFunctionRefs();
    }

    /** Validates the whole module as Wasm 2.0. */
    public static void validate(Module module) {
        validate(module, Features.WASM2);
    }

    public static void validate(Module module, Features features) {
        Validator v = new Validator(module, features);
        v.validateModuleLevel();
        for (int f = module.numImportedFuncs; f < module.numFuncs(); f++) v.validateFunction(f);
    }

    /** Module-level checks only (everything except function bodies). */
    public static void validateModuleLevel(Module module, Features features) {
        forModule(module, features).validateModuleLevel();
    }

    /** Validates one defined function's body as Wasm 2.0 (after the module-level checks). */
    public static void validateFunction(Module module, int funcIndex) {
        validateFunction(module, Features.WASM2, funcIndex);
    }

    /** Validates one defined function's body; safe to call from several threads at once. */
    public static void validateFunction(Module module, Features features, int funcIndex) {
        forModule(module, features).validateFunction(funcIndex);
    }

    /** A shared validator per module, so that per-function calls do not redo module-wide work. */
    private static Validator forModule(Module module, Features features) {
        synchronized (CACHE) {
            Validator v = CACHE.get(module);
            if (v == null || !v.features.equals(features)) {
                v = new Validator(module, features);
                CACHE.put(module, v);
            }
            return v;
        }
    }

    public void validateFunction(int funcIndex) {
        if (funcIndex < module.numImportedFuncs || funcIndex >= module.numFuncs()) {
            throw new IllegalArgumentException("function " + funcIndex + " is not a defined function (imports: "
                    + module.numImportedFuncs + ", total: " + module.numFuncs() + ")");
        }
        FUNCTION_VALIDATORS.get().validate(this, funcIndex);
    }

    boolean isDeclaredFunctionReference(int funcIndex) {
        return funcIndex >= 0 && declaredFunctionRefs.get(funcIndex);
    }

    private BitSet collectDeclaredFunctionRefs() {
        BitSet refs = new BitSet();
        int numFuncs = module.numFuncs();
        for (Export e : module.exports) {
            if (e.kind() == ExternKind.FUNC && e.index() >= 0 && e.index() < numFuncs) refs.set(e.index());
        }
        for (ElementSegment seg : module.elements) {
            if (seg.funcIndices() != null) {
                for (int f : seg.funcIndices()) {
                    if (f >= 0 && f < numFuncs) refs.set(f);
                }
            } else {
                for (Expr e : seg.items()) collectRefFuncs(e, refs, numFuncs);
            }
            if (seg.offset() != null) collectRefFuncs(seg.offset(), refs, numFuncs);
        }
        for (Expr e : module.globalInits) collectRefFuncs(e, refs, numFuncs);
        for (DataSegment d : module.data) {
            if (d.offset() != null) collectRefFuncs(d.offset(), refs, numFuncs);
        }
        return refs;
    }

    private void collectRefFuncs(Expr e, BitSet refs, int numFuncs) {
        InstructionReader r = new InstructionReader(module.bytes, e.start(), e.end(), features);
        while (r.hasNext()) {
            if (r.next() == Opcode.REF_FUNC && r.funcIndex >= 0 && r.funcIndex < numFuncs) refs.set(r.funcIndex);
        }
    }

    // ---- module level ----

    public void validateModuleLevel() {
        int importsAt = sectionOffset(2);
        for (Import imp : module.imports) {
            switch (imp.desc()) {
                case ImportDesc.Func f -> checkTypeIndex(f.typeIndex(), importsAt);
                case TableType t -> checkTableType(t, importsAt);
                case MemoryType m -> checkMemoryType(m, importsAt);
                case GlobalType g -> {}
            }
        }
        for (int f = module.numImportedFuncs; f < module.numFuncs(); f++) {
            checkTypeIndex(module.funcTypes.get(f), sectionOffset(3));
        }
        for (int i = module.numImportedTables; i < module.tables.size(); i++)
            checkTableType(module.tables.get(i), sectionOffset(4));
        for (int i = module.numImportedMemories; i < module.memories.size(); i++) {
            checkMemoryType(module.memories.get(i), sectionOffset(5));
        }
        for (int i = 0; i < module.globalInits.size(); i++) {
            GlobalType g = module.globalTypes.get(module.numImportedGlobals + i);
            checkConstExpr(module.globalInits.get(i), g.type());
        }
        for (ElementSegment seg : module.elements) checkElementSegment(seg);
        for (DataSegment d : module.data) {
            if (d.mode() == SegmentMode.ACTIVE) {
                checkMemoryIndex(d.memory(), d.offset().start());
                checkConstExpr(d.offset(), ValType.I32);
            }
        }
        if (module.startFunction != -1) checkStart();
        checkExports();
        if (!features.multiMemory() && module.memories.size() > 1) {
            int at = module.memories.size() > module.numImportedMemories ? sectionOffset(5) : sectionOffset(2);
            throw new InvalidModuleException(at, "multiple memories");
        }
    }

    /** Where a section's content starts, for error offsets; 0 when the section is absent. */
    private int sectionOffset(int sectionId) {
        return Math.max(module.sectionOffsets[sectionId], 0);
    }

    private static String unsigned(int index) {
        return Integer.toUnsignedString(index);
    }

    private void checkTypeIndex(int typeIndex, int offset) {
        if (typeIndex < 0 || typeIndex >= module.types.size()) {
            throw new InvalidModuleException(offset, "unknown type " + unsigned(typeIndex));
        }
    }

    private void checkTableType(TableType t, int offset) {
        // Table limits are u32 by encoding, so only the ordering can be wrong.
        checkLimitsOrder(t.limits(), offset);
    }

    private void checkMemoryType(MemoryType m, int offset) {
        Limits l = m.limits();
        if (l.min() > MAX_MEMORY_PAGES || l.hasMax() && l.max() > MAX_MEMORY_PAGES) {
            throw new InvalidModuleException(offset, "memory size must be at most 65536 pages (4GiB)");
        }
        checkLimitsOrder(l, offset);
    }

    private static void checkLimitsOrder(Limits l, int offset) {
        if (l.hasMax() && l.min() > l.max()) {
            throw new InvalidModuleException(offset, "size minimum must not be greater than maximum");
        }
    }

    private void checkMemoryIndex(int index, int offset) {
        if (index < 0 || index >= module.memories.size()) {
            throw new InvalidModuleException(offset, "unknown memory " + unsigned(index));
        }
    }

    private void checkElementSegment(ElementSegment seg) {
        int numFuncs = module.numFuncs();
        if (seg.funcIndices() != null) {
            for (int f : seg.funcIndices()) {
                if (f < 0 || f >= numFuncs) {
                    throw new InvalidModuleException(sectionOffset(9), "unknown function " + unsigned(f));
                }
            }
        } else {
            for (Expr e : seg.items()) checkConstExpr(e, seg.type());
        }
        if (seg.mode() == SegmentMode.ACTIVE) {
            int offset = seg.offset().start();
            if (seg.table() < 0 || seg.table() >= module.tables.size()) {
                throw new InvalidModuleException(offset, "unknown table " + unsigned(seg.table()));
            }
            checkConstExpr(seg.offset(), ValType.I32);
            ValType tableType = module.tables.get(seg.table()).elemType();
            if (tableType != seg.type()) {
                throw new InvalidModuleException(
                        offset, "type mismatch: element segment of " + seg.type() + " for a table of " + tableType);
            }
        }
    }

    private void checkStart() {
        int f = module.startFunction;
        if (f < 0 || f >= module.numFuncs()) {
            String index = f == ModuleDecoder.START_INDEX_ALL_ONES ? "4294967295" : unsigned(f);
            throw new InvalidModuleException(sectionOffset(8), "unknown function " + index);
        }
        FuncType t = module.funcType(f);
        if (!t.params().isEmpty() || !t.results().isEmpty()) {
            throw new InvalidModuleException(sectionOffset(8), "start function must have type [] -> [], has " + t);
        }
    }

    private void checkExports() {
        Set<String> names = new HashSet<>();
        for (Export e : module.exports) {
            int count = switch (e.kind()) {
                case FUNC -> module.numFuncs();
                case TABLE -> module.tables.size();
                case MEMORY -> module.memories.size();
                case GLOBAL -> module.globalTypes.size();
            };
            if (e.index() < 0 || e.index() >= count) {
                throw new InvalidModuleException(
                        sectionOffset(7),
                        "unknown " + e.kind().name().toLowerCase().replace("func", "function") + " "
                                + unsigned(e.index()));
            }
            if (!names.add(e.name()))
                throw new InvalidModuleException(sectionOffset(7), "duplicate export name \"" + e.name() + "\"");
        }
    }

    /**
     * Checks a constant expression: first that every instruction is constant (as the reference
     * interpreter does, so "constant expression required" wins over a type error), then its type.
     * In Wasm 2.0 constant expressions see only the imported globals.
     */
    void checkConstExpr(Expr expr, ValType expected) {
        int visibleGlobals = module.numImportedGlobals;
        InstructionReader r = new InstructionReader(module.bytes, expr.start(), expr.end(), features);
        int[] stack = new int[8];
        int height = 0;
        InvalidModuleException typeError = null;
        while (r.hasNext()) {
            Opcode op = r.next();
            if (op == Opcode.END) {
                if (r.hasNext()) throw new InvalidModuleException(r.offset, "constant expression required");
                continue;
            }
            // which instructions are constant is the row's to say (Opcode.constantIn)
            if (!op.isConstant(features)) throw new InvalidModuleException(r.offset, "constant expression required");
            int pushed;
            switch (op) {
                case REF_NULL -> pushed = FunctionValidator.code(r.refType);
                case REF_FUNC -> {
                    if (r.funcIndex < 0 || r.funcIndex >= module.numFuncs()) {
                        throw new InvalidModuleException(r.offset, "unknown function " + unsigned(r.funcIndex));
                    }
                    pushed = FunctionValidator.code(op.result());
                }
                case GLOBAL_GET -> {
                    if (r.globalIndex < 0 || r.globalIndex >= visibleGlobals) {
                        throw new InvalidModuleException(r.offset, "unknown global " + unsigned(r.globalIndex));
                    }
                    GlobalType g = module.globalTypes.get(r.globalIndex);
                    if (g.mutable()) {
                        throw new InvalidModuleException(r.offset, "constant expression required");
                    }
                    pushed = FunctionValidator.code(g.type());
                }
                default -> {
                    if (op.hasSpecialType()) {
                        throw new IllegalStateException(op + " is constant but has a special type and no rule here");
                    }
                    // the row's signature: pop the operands, top first; the first mismatch is kept
                    // until every instruction is known to be constant
                    for (int k = op.operandCount() - 1; k >= 0; k--) {
                        int t = FunctionValidator.code(op.operand(k));
                        if ((height == 0 || stack[height - 1] != t) && typeError == null) {
                            typeError = constTypeMismatch(r.offset, op);
                        }
                        if (height > 0) height--;
                    }
                    pushed = op.result() == null ? -1 : FunctionValidator.code(op.result());
                }
            }
            if (pushed >= 0) {
                if (height == stack.length) stack = java.util.Arrays.copyOf(stack, height * 2);
                stack[height++] = pushed;
            }
        }
        if (typeError != null) throw typeError;
        if (height != 1 || stack[0] != FunctionValidator.code(expected)) {
            throw new InvalidModuleException(
                    expr.start(),
                    "type mismatch: constant expression must produce " + expected + ", produces "
                            + describe(stack, height));
        }
    }

    private static InvalidModuleException constTypeMismatch(int offset, Opcode op) {
        return new InvalidModuleException(offset, "type mismatch: operands of " + op.textName());
    }

    private static String describe(int[] stack, int height) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < height; i++) {
            if (i > 0) sb.append(' ');
            sb.append(FunctionValidator.typeName(stack[i]));
        }
        return sb.append(']').toString();
    }
}
