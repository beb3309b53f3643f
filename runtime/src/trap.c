/* The single trap entry of compiled code and the spec's wording of each trap. */
#include "internal.h"

static const char *const trap_messages[UW_TRAP_COUNT] = {
    [UW_TRAP_UNREACHABLE] = "unreachable",
    [UW_TRAP_INT_DIV_BY_ZERO] = "integer divide by zero",
    [UW_TRAP_INT_OVERFLOW] = "integer overflow",
    [UW_TRAP_BAD_CONVERSION] = "invalid conversion to integer",
    [UW_TRAP_MEMORY_OOB] = "out of bounds memory access",
    [UW_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [UW_TRAP_UNINIT_ELEMENT] = "uninitialized element",
    [UW_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
    [UW_TRAP_TABLE_OOB] = "out of bounds table access",
    [UW_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
    [UW_TRAP_NULL_REFERENCE] = "null reference",
};

const char *uw_trap_message(uint32_t code) {
    if (code == 0 || code >= UW_TRAP_COUNT) return "unknown trap";
    return trap_messages[code];
}

_Noreturn void uw_trap(uw_vmctx *ctx, uint32_t code) { uw_platform_trap(ctx, code); }
