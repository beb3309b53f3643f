#include "kernel/panic.h"
#include "kernel/platform.h"
#include "pvh/app.h"
#include "pvh/paging.h"
#include "pvh/pmm.h"

#define PF_PRESENT 0x1 /* error code bit: the page was present (a protection fault) */

static const struct plat_stack app_stack = {
    .guard_low = APP_STACK_REGION_START,
    .low = APP_STACK_REGION_END - APP_STACK_SIZE,
    .top = APP_STACK_REGION_END,
};

const struct plat_stack *plat_app_stack(void) { return &app_stack; }

bool app_stack_demand_fault(uint64_t address, uint64_t error_code) {
    if (!pvh_app_running() || address < app_stack.low || address >= app_stack.top) return false;
    if (error_code & PF_PRESENT) return false;
    uint64_t page = pmm_alloc_zeroed();
    if (!page || !paging_map(ALIGN_DOWN(address, PAGE_SIZE), page, paging_data_flags())) {
        if (page) pmm_free(page, 1);
        panic("out of memory growing the app stack at %p", (void *)(uintptr_t)address);
    }
    return true;
}
