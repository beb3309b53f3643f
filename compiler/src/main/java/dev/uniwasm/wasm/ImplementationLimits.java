package dev.uniwasm.wasm;

/**
 * The largest counts uniwasm accepts in a module, checked by the {@link ModuleDecoder} as it reads
 * each count, before anything is allocated or compiled. The binary format allows up to 2^32 - 1 of
 * everything, but some counts drive LLVM into super-linear paths: one function type with 100,000
 * parameters kept `build` in code generation for over 300 s, growing quadratically.
 *
 * <p>The starting point is the set of limits the engines agreed on for the JS API and that
 * Bytecode Alliance's wasmparser enforces; each was then measured against this compiler's LLVM
 * lowering with generated worst-case modules (README.md, "Limits", has the figures). Real programs
 * stay far below all of them (CPython 3.12: 11,491 functions, 24,171 data segments, at most 18
 * parameters, 187 locals and a 106 KB function body).
 */
public final class ImplementationLimits {
    public static final int MAX_TYPES = 1_000_000;
    /** Imported and defined functions together. */
    public static final int MAX_FUNCTIONS = 1_000_000;

    public static final int MAX_IMPORTS = 100_000;
    public static final int MAX_EXPORTS = 100_000;
    /**
     * Imported and defined globals together; wasmparser allows 1,000,000, but their initialisation
     * cost 0.4-0.6 ms each (20,000: 8 s; 100,000: 58 s).
     */
    public static final int MAX_GLOBALS = 20_000;

    public static final int MAX_DATA_SEGMENTS = 100_000;
    /** wasmparser allows 100,000; 20,000 took 14 s, 100,000 83 s. */
    public static final int MAX_ELEMENT_SEGMENTS = 20_000;
    /** Parameters of one function type (and so of one function or block type). */
    public static final int MAX_PARAMS = 1_000;
    /** Results of one function type: multi-value returns go through memory beyond a few. */
    public static final int MAX_RESULTS = 1_000;
    /** Declared locals of one function, parameters not included. */
    public static final int MAX_LOCALS = 50_000;
    /**
     * Bytes of one function body (locals and code). The engines' 7,654,321 is too much for LLVM:
     * even compiled without optimisation (as bodies over 128 KiB are) a 7.6 MB body took 295 s.
     */
    public static final int MAX_FUNCTION_SIZE = 1024 * 1024;

    private ImplementationLimits() {}

    /**
     * Throws when {@code count} exceeds {@code limit}, with a message such as "function type 0 has
     * 100000 parameters; the limit is 1000".
     *
     * @param subject what has the count ("the module", "function type 0")
     * @param items what is counted, plural ("types", "parameters")
     */
    static void check(long count, int limit, long offset, String subject, String items) {
        if (count > limit) {
            throw new LimitExceededException(
                    offset, subject + " has " + count + " " + items + "; the limit is " + limit);
        }
    }
}
