/* platform.h's memory section: kernel pages from the frame allocator (the identity map makes a
 * frame's physical address its pointer), and linear-memory reservations in the Wasm region. */
#include "kernel/platform.h"
#include "kernel/string.h"
#include "pvh/paging.h"
#include "pvh/pmm.h"

void *plat_pages_alloc(uint64_t count) { return (void *)(uintptr_t)pmm_alloc(count); }

void *plat_pages_alloc_zeroed(uint64_t count) {
    if (count == 1) return (void *)(uintptr_t)pmm_alloc_zeroed();
    void *pages = (void *)(uintptr_t)pmm_alloc(count);
    if (pages) memset(pages, 0, count * PAGE_SIZE); /* frames are reused: nothing says they are zero */
    return pages;
}

void plat_pages_free(void *pages, uint64_t count) { pmm_free((uint64_t)(uintptr_t)pages, count); }

uint64_t plat_pages_free_count(void) { return pmm_free_frames(); }

uint64_t plat_pages_in_use(void) { return pmm_allocated_frames(); }

/* Reservations are handed out upwards from WASM_REGION_START and never returned: the kernel runs
 * one instance whose memories live as long as the VM. The gap between reservations is unmapped too. */
static uint64_t next_reservation = WASM_REGION_START;

void *plat_memory_reserve(uint64_t bytes) {
    uint64_t size = ALIGN_UP(bytes, MiB(2));
    if (!size || size > WASM_REGION_END - next_reservation) return NULL;
    void *base = (void *)(uintptr_t)next_reservation;
    next_reservation += size;
    return base;
}

/* The image is loaded into guest memory once per VM, so there is nothing to share: copying is as good. */
int plat_memory_map_image(uint8_t *dst, const uint8_t *src, uint64_t n) {
    (void)dst;
    (void)src;
    (void)n;
    return -1;
}

int plat_memory_commit(uint8_t *base, uint64_t old_size, uint64_t new_size) {
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
