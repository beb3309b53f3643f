#include "pvh/pmm.h"
#include "kernel/panic.h"
#include "kernel/string.h"

#define LOW_MEMORY_END MiB(1) /* real-mode and firmware leftovers stay untouched */

extern char __image_start[], __image_end[];

static uint64_t *bitmap; /* bit set = frame in use or not RAM */
static uint64_t frame_count;
static uint64_t free_count;
static uint64_t free_after_init; /* free frames once the image and boot data were marked */
static uint64_t next_hint;       /* next-fit search start, in frames */
static uint64_t ram_top;

static inline bool used(uint64_t f) { return bitmap[f / 64] >> (f % 64) & 1; }
static inline void set_used(uint64_t f) { bitmap[f / 64] |= 1ull << (f % 64); }
static inline void set_free(uint64_t f) { bitmap[f / 64] &= ~(1ull << (f % 64)); }

static void mark_used(uint64_t start, uint64_t end) {
    for (uint64_t f = start / PAGE_SIZE; f < end / PAGE_SIZE && f < frame_count; f++) {
        if (!used(f)) {
            set_used(f);
            free_count--;
        }
    }
}

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1) { return a0 < b1 && b0 < a1; }

/* Finds a spot for the bitmap in RAM, clear of the image and of everything the loader handed over. */
static uint64_t place_bitmap(const struct boot_info *bi, uint64_t bytes) {
    uint64_t image_end = (uint64_t)(uintptr_t)__image_end;
    for (uint32_t r = 0; r < bi->ram_count; r++) {
        uint64_t start = bi->ram[r].start < image_end ? image_end : bi->ram[r].start;
        if (start < LOW_MEMORY_END) start = LOW_MEMORY_END;
        start = ALIGN_UP(start, PAGE_SIZE);
        while (start + bytes <= bi->ram[r].end && start + bytes <= GiB(4)) {
            uint64_t clash_end = 0;
            for (uint32_t i = 0; i < bi->reserved_count; i++) {
                if (overlaps(start, start + bytes, bi->reserved[i].start, bi->reserved[i].end)) {
                    clash_end = bi->reserved[i].end;
                }
            }
            if (!clash_end) return start;
            start = ALIGN_UP(clash_end, PAGE_SIZE);
        }
    }
    panic("pmm: no room for a %llu-byte frame bitmap", (unsigned long long)bytes);
}

void pmm_init(const struct boot_info *bi) {
    for (uint32_t r = 0; r < bi->ram_count; r++) {
        if (bi->ram[r].end > ram_top) ram_top = bi->ram[r].end;
    }
    frame_count = ram_top / PAGE_SIZE;
    uint64_t bitmap_bytes = ALIGN_UP((frame_count + 63) / 64 * 8, PAGE_SIZE);
    uint64_t bitmap_paddr = place_bitmap(bi, bitmap_bytes);
    bitmap = (uint64_t *)(uintptr_t)bitmap_paddr;
    memset(bitmap, 0xff, bitmap_bytes);

    for (uint32_t r = 0; r < bi->ram_count; r++) {
        for (uint64_t f = bi->ram[r].start / PAGE_SIZE; f < bi->ram[r].end / PAGE_SIZE; f++) {
            set_free(f);
            free_count++;
        }
    }
    mark_used(0, LOW_MEMORY_END);
    mark_used(ALIGN_DOWN((uint64_t)(uintptr_t)__image_start, PAGE_SIZE), (uint64_t)(uintptr_t)__image_end);
    mark_used(bitmap_paddr, bitmap_paddr + bitmap_bytes);
    for (uint32_t i = 0; i < bi->reserved_count; i++) mark_used(bi->reserved[i].start, bi->reserved[i].end);
    next_hint = LOW_MEMORY_END / PAGE_SIZE;
    free_after_init = free_count;
}

static uint64_t find_run(uint64_t from, uint64_t to, uint64_t count) {
    uint64_t run = 0;
    for (uint64_t f = from; f < to; f++) {
        if (!(f % 64) && bitmap[f / 64] == ~0ull && f + 64 <= to) {
            run = 0;
            f += 63;
            continue;
        }
        if (used(f)) {
            run = 0;
            continue;
        }
        if (++run == count) return f + 1 - count;
    }
    return 0;
}

uint64_t pmm_alloc(uint64_t count) {
    if (!count || count > free_count) return 0;
    uint64_t first = find_run(next_hint, frame_count, count);
    if (!first) first = find_run(0, frame_count, count);
    if (!first) return 0;
    for (uint64_t f = first; f < first + count; f++) set_used(f);
    free_count -= count;
    next_hint = first + count;
    return first * PAGE_SIZE;
}

uint64_t pmm_alloc_zeroed(void) {
    uint64_t p = pmm_alloc(1);
    if (p) memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
    return p;
}

void pmm_free(uint64_t paddr, uint64_t count) {
    for (uint64_t f = paddr / PAGE_SIZE; f < paddr / PAGE_SIZE + count; f++) {
        if (f >= frame_count || !used(f))
            panic("pmm: freeing frame 0x%llx that is not allocated", (unsigned long long)f);
        set_free(f);
        free_count++;
    }
    if (paddr / PAGE_SIZE < next_hint) next_hint = paddr / PAGE_SIZE;
}

uint64_t pmm_free_frames(void) { return free_count; }

uint64_t pmm_allocated_frames(void) { return free_after_init - free_count; }

uint64_t pmm_ram_top(void) { return ram_top; }
