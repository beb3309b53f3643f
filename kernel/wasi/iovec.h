/* Guest iovec lists ({u32 buf; u32 len} each): checked as a whole before any byte moves. */
#ifndef KERNEL_WASI_IOVEC_H
#define KERNEL_WASI_IOVEC_H

#include "wasi.h"

#define IOVEC_SIZE 8

/* The total length (capped to fit the u32 result), or -1 when the list or any buffer is outside
 * memory (EFAULT). */
static inline int64_t iovecs_check(uw_vmctx *ctx, uint32_t iovs, uint32_t count) {
    uint8_t *list = guest_range(ctx, iovs, (uint64_t)count * IOVEC_SIZE);
    if (!list) return -1;
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t buf = guest_load_u32(list + (uint64_t)i * IOVEC_SIZE);
        uint32_t len = guest_load_u32(list + (uint64_t)i * IOVEC_SIZE + 4);
        if (!guest_range(ctx, buf, len)) return -1;
        total += len;
    }
    return total > UINT32_MAX ? UINT32_MAX : (int64_t)total;
}

/* Buffer i of a checked list, its length in *len. */
static inline uint8_t *iovec_at(uw_vmctx *ctx, uint32_t iovs, uint32_t i, uint32_t *len) {
    uint8_t *entry = guest_range(ctx, iovs + i * IOVEC_SIZE, IOVEC_SIZE);
    *len = guest_load_u32(entry + 4);
    return guest_range(ctx, guest_load_u32(entry), *len);
}

#endif
