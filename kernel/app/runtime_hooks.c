/* The embedder hooks of runtime.h section 3, as the kernel provides them. */
#include "kernel/app.h"
#include "kernel/heap.h"
#include "kernel/paging.h"
#include "kernel/pmm.h"

/* Reservations are handed out upwards from WASM_REGION_START and never returned: the kernel runs
 * one instance whose memories live as long as the VM. The gap between reservations is unmapped too. */
static uint64_t next_reservation = WASM_REGION_START;

void *uw_platform_reserve(uint64_t bytes) {
    uint64_t size = ALIGN_UP(bytes, MiB(2));
    if (!size || size > WASM_REGION_END - next_reservation) return NULL;
    void *base = (void *)(uintptr_t)next_reservation;
    next_reservation += size;
    return base;
}

int uw_platform_commit(uint8_t *base, uint64_t old_size, uint64_t new_size) {
    uint64_t start = (uint64_t)(uintptr_t)base + ALIGN_UP(old_size, PAGE_SIZE);
    uint64_t end = (uint64_t)(uintptr_t)base + ALIGN_UP(new_size, PAGE_SIZE);
    if (start < WASM_REGION_START || end > next_reservation) return -1;
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t page = pmm_alloc_zeroed();
        if (!page || !paging_map(va, page, paging_data_flags())) {
            if (page) pmm_free(page, 1);
            /* Undo this call's pages: a mapped page past the memory's size would let stores land
             * where the spec requires a trap. */
            for (uint64_t undo = start; undo < va; undo += PAGE_SIZE) pmm_free(paging_unmap(undo), 1);
            return -1;
        }
    }
    return 0;
}

void *uw_platform_alloc(size_t bytes) {
    return heap_alloc(bytes);
}

void *uw_platform_realloc(void *p, size_t old_bytes, size_t new_bytes) {
    (void)old_bytes; /* the heap knows each block's size */
    return heap_realloc(p, new_bytes);
}

void uw_platform_free(void *p) {
    heap_free(p);
}

_Noreturn void uw_platform_trap(uw_vmctx *ctx, uint32_t code) {
    (void)ctx;
    app_trap(code, app_trap_caller_pc());
}
