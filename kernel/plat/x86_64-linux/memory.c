/*
 * platform.h's memory section for a process: kernel pages are anonymous mappings, a linear memory
 * is an inaccessible reservation (PROT_NONE, no swap reserved) whose pages become readable and
 * writable with mprotect as it grows. RLIMIT_AS cannot bound this (every memory reserves 8 GiB of
 * address space), so the platform counts the pages it maps against the limit itself: kernel pages,
 * committed linear-memory pages and the run-time config; not the app stack, which Linux fills on
 * demand (at most PLAT_APP_STACK_SIZE).
 *
 * Idle reclaim: wasi-libc's calloc (dlmalloc, which has no memory of its own to map) clears every
 * block it hands out, fresh memory.grow pages included, so an app's zeroed tables become written
 * pages of the process where a native program's calloc leaves fresh pages alone (a server's 1024
 * connection slots: 72 KiB). So the first time the instance waits after pages were committed, the
 * resident ones among them are looked at, once: a page holding only zeros is given back
 * (MADV_DONTNEED), which reads as zero again and costs nothing until it is written. Each committed
 * page is looked at once in the instance's life: the work is bounded by the memory committed, and
 * a page that becomes zero later stays. Pages mapped from the executable (plat_memory_map_image)
 * are never given back: they would read as the file again, not as zero.
 */
#include "kernel/console.h"
#include "kernel/platform.h"
#include "process/process.h"
#include "process/sys.h"

/* Reservations are aligned like the VM's, so the same memories land on the same offsets. */
#define RESERVATION_ALIGN MiB(2)

static uint64_t limit_pages, used_pages;

/* The reservations idle reclaim looks at (more are never reclaimed), and how far it has. */
#define RECLAIM_RESERVATIONS 8
/* The runs mapped from the executable (CPython has 5); with more, nothing is reclaimed. */
#define RECLAIM_IMAGE_RUNS 32
/* Pages asked about per mincore call: its answer lives on the stack. */
#define RECLAIM_CHUNK_PAGES 256

struct reclaimable {
    uint64_t base, committed_end, checked_end;
};
static struct reclaimable reclaimable[RECLAIM_RESERVATIONS];
static uint32_t reclaimable_count;
static struct { uint64_t start, end; } image_runs[RECLAIM_IMAGE_RUNS];
static uint32_t image_run_count;
static bool reclaim_off;
static uint64_t reclaimed_pages;

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
    if (reclaimable_count < RECLAIM_RESERVATIONS) {
        uint64_t b = (uint64_t)(uintptr_t)base;
        reclaimable[reclaimable_count++] = (struct reclaimable){b, b, b};
    }
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
    for (uint32_t i = 0; i < reclaimable_count; i++) {
        if (reclaimable[i].base == (uint64_t)(uintptr_t)base) reclaimable[i].committed_end = end;
    }
    return 0;
}

void process_memory_mapped_from_image(uint64_t start, uint64_t bytes) {
    if (image_run_count == RECLAIM_IMAGE_RUNS) {
        reclaim_off = true;
        return;
    }
    image_runs[image_run_count].start = start;
    image_runs[image_run_count++].end = start + bytes;
}

static bool from_image(uint64_t page) {
    for (uint32_t i = 0; i < image_run_count; i++) {
        if (page >= image_runs[i].start && page < image_runs[i].end) return true;
    }
    return false;
}

static bool only_zeros(uint64_t page) {
    const uint64_t *w = (const uint64_t *)(uintptr_t)page;
    for (uint64_t i = 0; i < PAGE_SIZE / sizeof *w; i += 8) {
        if (w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7]) return false;
    }
    return true;
}

static void give_back(uint64_t start, uint64_t pages) {
    if (!sys_failed(sys3(SYS_madvise, start, pages * PAGE_SIZE, MADV_DONTNEED))) reclaimed_pages += pages;
}

void process_memory_reclaim_idle(void) {
    if (reclaim_off) return;
    uint64_t before = reclaimed_pages;
    for (uint32_t i = 0; i < reclaimable_count; i++) {
        struct reclaimable *r = &reclaimable[i];
        while (r->checked_end < r->committed_end) {
            uint64_t left = (r->committed_end - r->checked_end) / PAGE_SIZE;
            uint64_t pages = left < RECLAIM_CHUNK_PAGES ? left : RECLAIM_CHUNK_PAGES;
            uint8_t resident[RECLAIM_CHUNK_PAGES];
            uint64_t run_start = 0, run_pages = 0;
            if (!sys_failed(sys3(SYS_mincore, r->checked_end, pages * PAGE_SIZE, (uint64_t)(uintptr_t)resident))) {
                for (uint64_t k = 0; k < pages; k++) {
                    uint64_t page = r->checked_end + k * PAGE_SIZE;
                    if ((resident[k] & 1) && !from_image(page) && only_zeros(page)) {
                        if (!run_pages) run_start = page;
                        run_pages++;
                    } else if (run_pages) {
                        give_back(run_start, run_pages);
                        run_pages = 0;
                    }
                }
                if (run_pages) give_back(run_start, run_pages);
            }
            r->checked_end += pages * PAGE_SIZE;
        }
    }
    if (reclaimed_pages != before)
        console_verbose("memory: %llu zero pages of linear memory given back (%llu in all)",
                        (unsigned long long)(reclaimed_pages - before), (unsigned long long)reclaimed_pages);
}
