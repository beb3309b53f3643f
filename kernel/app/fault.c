#include "kernel/app.h"
#include "kernel/paging.h"
#include "kernel/panic.h"

#define PF_PRESENT 0x1 /* error code bit: the page was present (a protection fault) */

bool app_handle_page_fault(const struct trap_frame *frame, uint64_t address) {
    if (!app_is_running()) return false;
    switch (app_stack_classify(address)) {
    case STACK_FAULT_GUARD:
        app_trap(UW_TRAP_STACK_EXHAUSTED, frame->rip);
    case STACK_FAULT_GROW:
        if (frame->error_code & PF_PRESENT) return false;
        if (!app_stack_grow(address)) panic("out of memory growing the app stack at %p", (void *)(uintptr_t)address);
        return true;
    case STACK_FAULT_NONE:
        break;
    }
    /* Linear memories live in [WASM_REGION_START, WASM_REGION_END) and only their committed pages
     * are mapped: any fault there is an access past a memory's current size. */
    if (address >= WASM_REGION_START && address < WASM_REGION_END) app_trap(UW_TRAP_MEMORY_OOB, frame->rip);
    return false;
}
