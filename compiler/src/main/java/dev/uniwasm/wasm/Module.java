package dev.uniwasm.wasm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded binary module. Index spaces (functions, tables, memories, globals) list imports first,
 * as the spec defines them. Byte ranges (code, expressions, data) refer to {@link #bytes}.
 */
public final class Module {
    public final byte[] bytes;
    public final List<FuncType> types = new ArrayList<>();
    public final List<Import> imports = new ArrayList<>();
    /** Type index of every function, imported ones first. */
    public final List<Integer> funcTypes = new ArrayList<>();

    public final List<TableType> tables = new ArrayList<>();
    public final List<MemoryType> memories = new ArrayList<>();
    /** Types of every global, imported ones first. */
    public final List<GlobalType> globalTypes = new ArrayList<>();
    /** Initialisers of the defined globals (index i is global numImportedGlobals + i). */
    public final List<Expr> globalInits = new ArrayList<>();

    public final List<Export> exports = new ArrayList<>();
    public int startFunction = -1;
    public final List<ElementSegment> elements = new ArrayList<>();
    public final List<DataSegment> data = new ArrayList<>();
    /** The data count section's value, or -1 when the section is absent. */
    public int dataCount = -1;
    /** Bodies of the defined functions (index i is function numImportedFuncs + i). */
    public final List<FunctionBody> bodies = new ArrayList<>();

    public final List<CustomSection> customSections = new ArrayList<>();
    /** Function names from the custom "name" section (may be incomplete or empty). */
    public final Map<Integer, String> functionNames = new HashMap<>();

    public String moduleName;

    /**
     * Byte offset of each known section's content, indexed by section id (0..12; custom sections
     * not included), or -1 when the section is absent. Used to place module-level errors.
     */
    public final int[] sectionOffsets = new int[13];

    {
        java.util.Arrays.fill(sectionOffsets, -1);
    }

    public int numImportedFuncs;
    public int numImportedTables;
    public int numImportedMemories;
    public int numImportedGlobals;

    public Module(byte[] bytes) {
        this.bytes = bytes;
    }

    public FuncType funcType(int funcIndex) {
        return types.get(funcTypes.get(funcIndex));
    }

    public int numFuncs() {
        return funcTypes.size();
    }

    public boolean isImportedFunc(int funcIndex) {
        return funcIndex < numImportedFuncs;
    }

    /** The body of a defined function, by its function index. */
    public FunctionBody body(int funcIndex) {
        return bodies.get(funcIndex - numImportedFuncs);
    }

    /** The import at a function/table/memory/global index, or null if that index is defined here. */
    public Import importOf(ExternKind kind, int index) {
        int n = 0;
        for (Import imp : imports) {
            if (imp.desc().kind() == kind) {
                if (n == index) return imp;
                n++;
            }
        }
        return null;
    }
}
