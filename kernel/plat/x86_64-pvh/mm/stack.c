#include "kernel/app.h"
#include "kernel/paging.h"
#include "kernel/pmm.h"

void *app_stack_top(void) {
    return (void *)(uintptr_t)APP_STACK_REGION_END;
}

enum stack_fault app_stack_classify(uint64_t address) {
    if (address < APP_STACK_REGION_START || address >= APP_STACK_REGION_END) return STACK_FAULT_NONE;
    if (address < APP_STACK_REGION_END - APP_STACK_SIZE) return STACK_FAULT_GUARD;
    return STACK_FAULT_GROW;
}

bool app_stack_grow(uint64_t address) {
    uint64_t page = pmm_alloc_zeroed();
    if (!page) return false;
    if (!paging_map(ALIGN_DOWN(address, PAGE_SIZE), page, paging_data_flags())) {
        pmm_free(page, 1);
        return false;
    }
    return true;
}
