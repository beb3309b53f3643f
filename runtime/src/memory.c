/*
 * Linear memories: creation, memory.grow and the bulk-memory instructions. Loads and stores of
 * compiled code are not checked here: the reservation's unmapped tail faults and the embedder turns
 * the fault into UW_TRAP_MEMORY_OOB.
 */
#include "internal.h"

uint64_t uw_rt_memory_page_limit(const uw_memory *m) {
    uint64_t limit = UW_MEMORY_PAGE_CAP;
    if (m->max_pages != UW_NO_MAX && m->max_pages < limit) limit = m->max_pages;
    if (m->reserved / UW_PAGE_SIZE < limit) limit = m->reserved / UW_PAGE_SIZE;
    return limit;
}

uw_memory *uw_rt_memory_new(uint64_t min_pages, uint64_t max_pages) {
    if (min_pages > UW_MEMORY_PAGE_CAP) return NULL;
    uw_memory *m = uw_platform_alloc(sizeof(uw_memory));
    if (!m) return NULL;
    m->base = uw_platform_reserve(UW_MEMORY_RESERVATION);
    if (!m->base) {
        uw_platform_free(m);
        return NULL;
    }
    m->reserved = UW_MEMORY_RESERVATION;
    m->max_pages = max_pages;
    m->size = 0;
    if (min_pages && uw_platform_commit(m->base, 0, min_pages * UW_PAGE_SIZE) != 0) {
        /* The embedder API has no way to release a reservation; it stays reserved, inaccessible. */
        uw_platform_free(m);
        return NULL;
    }
    m->size = min_pages * UW_PAGE_SIZE;
    return m;
}

int32_t uw_memory_grow(uw_vmctx *ctx, uint32_t mem, uint32_t delta_pages) {
    uw_memory *m = ctx->memories[mem];
    uint64_t old_pages = m->size / UW_PAGE_SIZE;
    uint64_t new_pages = old_pages + delta_pages;
    if (new_pages > uw_rt_memory_page_limit(m)) return -1;
    if (delta_pages == 0) return (int32_t)old_pages;
    uint64_t new_size = new_pages * UW_PAGE_SIZE;
    if (uw_platform_commit(m->base, m->size, new_size) != 0) return -1;
    m->size = new_size;
    return (int32_t)old_pages;
}

/* True when [offset, offset + n) lies inside a region of `size` bytes; n = 0 at the very end is in. */
static inline int in_range(uint64_t offset, uint64_t n, uint64_t size) { return offset <= size && n <= size - offset; }

void uw_memory_init(uw_vmctx *ctx, uint32_t mem, uint32_t data, uint32_t dst, uint32_t src, uint32_t n) {
    uw_memory *m = ctx->memories[mem];
    uw_data_inst *d = &ctx->data[data];
    if (!in_range(src, n, d->len) || !in_range(dst, n, m->size)) uw_trap(ctx, UW_TRAP_MEMORY_OOB);
    uint8_t *to = m->base + dst;
    const uint8_t *from = d->bytes + src;
    /* the whole host pages in the middle, when source and destination share their page offset */
    uint64_t head = (UW_HOST_PAGE_SIZE - (uintptr_t)to % UW_HOST_PAGE_SIZE) % UW_HOST_PAGE_SIZE;
    if ((uintptr_t)to % UW_HOST_PAGE_SIZE == (uintptr_t)from % UW_HOST_PAGE_SIZE && n > head) {
        uint64_t middle = (n - head) / UW_HOST_PAGE_SIZE * UW_HOST_PAGE_SIZE;
        if (middle >= UW_DATA_MAP_MIN_BYTES && uw_platform_map_image(to + head, from + head, middle) == 0) {
            __builtin_memcpy(to, from, head);
            __builtin_memcpy(to + head + middle, from + head + middle, n - head - middle);
            return;
        }
    }
    if (n) __builtin_memcpy(to, from, n);
}

void uw_memory_copy(uw_vmctx *ctx, uint32_t dst_mem, uint32_t src_mem, uint32_t dst, uint32_t src, uint32_t n) {
    uw_memory *to = ctx->memories[dst_mem];
    uw_memory *from = ctx->memories[src_mem];
    if (!in_range(src, n, from->size) || !in_range(dst, n, to->size)) uw_trap(ctx, UW_TRAP_MEMORY_OOB);
    if (n) __builtin_memmove(to->base + dst, from->base + src, n);
}

void uw_memory_fill(uw_vmctx *ctx, uint32_t mem, uint32_t dst, uint32_t value, uint32_t n) {
    uw_memory *m = ctx->memories[mem];
    if (!in_range(dst, n, m->size)) uw_trap(ctx, UW_TRAP_MEMORY_OOB);
    if (n) __builtin_memset(m->base + dst, (int)(uint8_t)value, n);
}

void uw_data_drop(uw_vmctx *ctx, uint32_t data) { ctx->data[data].len = 0; }
