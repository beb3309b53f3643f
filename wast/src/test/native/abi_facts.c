/* Prints the facts of runtime/include/uniwasm/abi.h that other files mirror, one NAME=VALUE per
 * line, named as compiler/.../llvm/Abi.java names them; trap lines also carry the message
 * (TRAP_<NAME>=<code> <message>). AbiContractTest compares them with Abi.java and README.md. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "uniwasm/runtime.h"

/* trap.c's uw_trap needs one; nothing here traps */
_Noreturn void uw_platform_trap(uw_vmctx *ctx, uint32_t code) {
    (void)ctx;
    (void)code;
    abort();
}

#define FACT(name, value) printf("%s=%llu\n", name, (unsigned long long)(value))
#define TRAP(name) printf("TRAP_%s=%u %s\n", #name, (unsigned)UW_TRAP_##name, uw_trap_message(UW_TRAP_##name))

int main(void) {
    FACT("ABI_VERSION", UW_ABI_VERSION);
    FACT("HOST_PAGE_SIZE", UW_HOST_PAGE_SIZE);
    FACT("DATA_MAP_MIN_BYTES", UW_DATA_MAP_MIN_BYTES);
    FACT("VMCTX_MEM0_BASE", offsetof(uw_vmctx, mem0_base));
    FACT("VMCTX_MEMORIES", offsetof(uw_vmctx, memories));
    FACT("VMCTX_TABLES", offsetof(uw_vmctx, tables));
    FACT("VMCTX_GLOBALS", offsetof(uw_vmctx, globals));
    FACT("VMCTX_FUNCS", offsetof(uw_vmctx, funcs));
    FACT("VMCTX_TYPE_IDS", offsetof(uw_vmctx, type_ids));
    FACT("VMCTX_DATA", offsetof(uw_vmctx, data));
    FACT("VMCTX_ELEMS", offsetof(uw_vmctx, elems));
    FACT("MEMORY_BASE", offsetof(uw_memory, base));
    FACT("MEMORY_SIZE", offsetof(uw_memory, size));
    FACT("TABLE_ELEMS", offsetof(uw_table, elems));
    FACT("TABLE_SIZE", offsetof(uw_table, size));
    FACT("FUNC_CODE", offsetof(uw_func, code));
    FACT("FUNC_CTX", offsetof(uw_func, ctx));
    FACT("FUNC_TYPE_ID", offsetof(uw_func, type_id));
    FACT("ELEM_INST_ITEMS", offsetof(uw_elem_inst, items));
    FACT("ELEM_INST_SIZE", sizeof(uw_elem_inst));
    FACT("VALUE_SIZE", sizeof(uw_value));
    TRAP(UNREACHABLE);
    TRAP(INT_DIV_BY_ZERO);
    TRAP(INT_OVERFLOW);
    TRAP(BAD_CONVERSION);
    TRAP(MEMORY_OOB);
    TRAP(UNDEFINED_ELEMENT);
    TRAP(UNINIT_ELEMENT);
    TRAP(INDIRECT_TYPE);
    TRAP(TABLE_OOB);
    TRAP(STACK_EXHAUSTED);
    TRAP(NULL_REFERENCE);
    FACT("TRAP_COUNT", UW_TRAP_COUNT);
    return 0;
}
