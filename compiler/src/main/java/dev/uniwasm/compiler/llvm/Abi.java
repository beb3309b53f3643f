package dev.uniwasm.compiler.llvm;

/**
 * Offsets and trap codes mirrored from runtime/include/uniwasm/abi.h (docs/ABI.md), the source: wast's
 * AbiContractTest fails when the two disagree.
 */
final class Abi {
    private Abi() {}

    static final int ABI_VERSION = 2;

    /** Data segments whose pages the runtime may map from the executable (uw_platform_map_image). */
    static final int HOST_PAGE_SIZE = 4096;

    static final int DATA_MAP_MIN_BYTES = 64 << 10;

    // struct uw_vmctx
    static final int VMCTX_MEM0_BASE = 0;
    static final int VMCTX_MEMORIES = 8;
    static final int VMCTX_TABLES = 16;
    static final int VMCTX_GLOBALS = 24;
    static final int VMCTX_FUNCS = 32;
    static final int VMCTX_TYPE_IDS = 40;
    static final int VMCTX_DATA = 48;
    static final int VMCTX_ELEMS = 56;

    // struct uw_memory
    static final int MEMORY_BASE = 0;
    static final int MEMORY_SIZE = 8;

    // struct uw_table
    static final int TABLE_ELEMS = 0;
    static final int TABLE_SIZE = 8;

    // struct uw_func
    static final int FUNC_CODE = 0;
    static final int FUNC_CTX = 8;
    static final int FUNC_TYPE_ID = 16;

    // struct uw_elem_inst
    static final int ELEM_INST_ITEMS = 0;
    static final int ELEM_INST_SIZE = 16;

    /** uw_value: the array-call convention's slot size. */
    static final int VALUE_SIZE = 16;

    // enum uw_trap_code
    static final int TRAP_UNREACHABLE = 1;
    static final int TRAP_INT_DIV_BY_ZERO = 2;
    static final int TRAP_INT_OVERFLOW = 3;
    static final int TRAP_BAD_CONVERSION = 4;
    static final int TRAP_MEMORY_OOB = 5;
    static final int TRAP_UNDEFINED_ELEMENT = 6;
    static final int TRAP_UNINIT_ELEMENT = 7;
    static final int TRAP_INDIRECT_TYPE = 8;
    static final int TRAP_TABLE_OOB = 9;
}
