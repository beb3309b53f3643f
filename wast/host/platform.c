/*
 * Embedder hooks for Linux: linear memories are PROT_NONE reservations whose committed prefix is
 * made accessible with mprotect; heap objects come from calloc.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host.h"

typedef struct reservation {
    uintptr_t start, end;
} reservation;

static reservation *reservations;
static size_t reservation_count, reservation_capacity;

int uwh_in_memory_reservation(uintptr_t addr) {
    /* Called from the signal handler: reads only, and the array is only replaced between calls. */
    for (size_t i = 0; i < reservation_count; i++) {
        if (addr >= reservations[i].start && addr < reservations[i].end) return 1;
    }
    return 0;
}

void *uw_platform_reserve(uint64_t bytes) {
    if (reservation_count == reservation_capacity) {
        size_t capacity = reservation_capacity ? reservation_capacity * 2 : 64;
        reservation *grown = realloc(reservations, capacity * sizeof(reservation));
        if (!grown) return NULL;
        reservations = grown;
        reservation_capacity = capacity;
    }
    void *base = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    reservations[reservation_count++] = (reservation){(uintptr_t)base, (uintptr_t)base + bytes};
    return base;
}

int uw_platform_commit(uint8_t *base, uint64_t old_size, uint64_t new_size) {
    /* Fresh anonymous pages read as zero, and memories never shrink, so no clearing is needed. */
    if (new_size <= old_size) return 0;
    return mprotect(base + old_size, new_size - old_size, PROT_READ | PROT_WRITE) == 0 ? 0 : -1;
}

void *uw_platform_alloc(size_t bytes) { return calloc(1, bytes ? bytes : 1); }

void *uw_platform_realloc(void *p, size_t old_bytes, size_t new_bytes) {
    unsigned char *q = realloc(p, new_bytes ? new_bytes : 1);
    if (q && new_bytes > old_bytes) memset(q + old_bytes, 0, new_bytes - old_bytes);
    return q;
}

void uw_platform_free(void *p) { free(p); }

/* Modules are loaded by dlopen here and run once per process: nothing to share, so the runtime copies. */
int uw_platform_map_image(uint8_t *dst, const uint8_t *src, uint64_t n) {
    (void)dst;
    (void)src;
    (void)n;
    return -1;
}
