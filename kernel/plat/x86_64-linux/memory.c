/*
 * platform.h's memory section for a process: kernel pages are anonymous mappings, a linear memory
 * is an inaccessible reservation (PROT_NONE, no swap reserved) whose pages become readable and
 * writable with mprotect as it grows. RLIMIT_AS cannot bound this (every memory reserves 8 GiB of
 * address space), so the platform counts the pages it maps against the limit itself: kernel pages,
 * committed linear-memory pages and the run-time config; not the app stack, which Linux fills on
 * demand (at most PLAT_APP_STACK_SIZE).
 */
#include "kernel/platform.h"
#include "process/process.h"
#include "process/sys.h"

/* Reservations are aligned like the VM's, so the same memories land on the same offsets. */
#define RESERVATION_ALIGN MiB(2)

static uint64_t limit_pages, used_pages;

void process_memory_init(uint64_t limit_bytes) { limit_pages = limit_bytes / PAGE_SIZE; }

uint64_t process_memory_limit(void) { return limit_pages * PAGE_SIZE; }

void process_memory_account(uint64_t bytes) { used_pages += ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE; }

static bool take(uint64_t count) {
    if (count > limit_pages || used_pages > limit_pages - count) return false;
    used_pages += count;
    return true;
}

void *plat_pages_alloc(uint64_t count) {
    if (!count || !take(count)) return NULL;
    void *p = sys_mmap(NULL, count * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (!p) used_pages -= count;
    return p;
}

void *plat_pages_alloc_zeroed(uint64_t count) { return plat_pages_alloc(count); /* fresh anonymous pages are zero */ }

void plat_pages_free(void *pages, uint64_t count) {
    if (!pages || !count) return;
    sys2(SYS_munmap, (uint64_t)(uintptr_t)pages, count * PAGE_SIZE);
    used_pages -= count;
}

uint64_t plat_pages_free_count(void) { return used_pages < limit_pages ? limit_pages - used_pages : 0; }

uint64_t plat_pages_in_use(void) { return used_pages; }

void *plat_memory_reserve(uint64_t bytes) {
    uint64_t size = ALIGN_UP(bytes, RESERVATION_ALIGN);
    if (!size) return NULL;
    /* over-reserve by one alignment unit and trim, so the base is aligned */
    uint8_t *raw = sys_mmap(NULL, size + RESERVATION_ALIGN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
    if (!raw) return NULL;
    uint8_t *base = (uint8_t *)(uintptr_t)ALIGN_UP((uint64_t)(uintptr_t)raw, RESERVATION_ALIGN);
    if (base > raw) sys2(SYS_munmap, (uint64_t)(uintptr_t)raw, (uint64_t)(base - raw));
    uint8_t *end = raw + size + RESERVATION_ALIGN;
    if (end > base + size) sys2(SYS_munmap, (uint64_t)(uintptr_t)(base + size), (uint64_t)(end - (base + size)));
    return base;
}

int plat_memory_commit(uint8_t *base, uint64_t old_size, uint64_t new_size) {
    uint64_t start = (uint64_t)(uintptr_t)base + ALIGN_UP(old_size, PAGE_SIZE);
    uint64_t end = (uint64_t)(uintptr_t)base + ALIGN_UP(new_size, PAGE_SIZE);
    if (end <= start) return 0;
    uint64_t count = (end - start) / PAGE_SIZE;
    if (!take(count)) return -1;
    /* never touched since the reservation was made, so the pages read as zero */
    if (sys_failed(sys3(SYS_mprotect, start, end - start, PROT_READ | PROT_WRITE))) {
        used_pages -= count;
        return -1;
    }
    return 0;
}
