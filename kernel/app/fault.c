/* Which memory faults are the app's (platform.h, kernel_memory_fault): the Wasm traps that guard
 * pages stand in for bounds checks. */
#include "kernel/app.h"
#include "kernel/platform.h"

void kernel_memory_fault(uint64_t address, uint64_t pc) {
    if (!app_is_running()) return;
    const struct plat_stack *stack = plat_app_stack();
    if (address >= stack->guard_low && address < stack->low) app_trap(UW_TRAP_STACK_EXHAUSTED, pc);
    /* only a memory's committed pages are accessible: any fault in its reservation is an access
     * past its current size */
    if (app_memory_reserved(address)) app_trap(UW_TRAP_MEMORY_OOB, pc);
}
