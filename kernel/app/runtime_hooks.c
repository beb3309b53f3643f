/* The embedder hooks of runtime.h section 3, as the kernel provides them. */
#include "kernel/app.h"
#include "kernel/heap.h"
#include "kernel/platform.h"

/* The linear memories' reservations, for kernel_memory_fault. The kernel runs one instance whose
 * memories live as long as it does, so entries are only ever added. */
struct reservation {
    uint64_t start, end;
    struct reservation *next;
};
static struct reservation *reservations;

bool app_memory_reserved(uint64_t address) {
    for (const struct reservation *r = reservations; r; r = r->next) {
        if (address >= r->start && address < r->end) return true;
    }
    return false;
}

void *uw_platform_reserve(uint64_t bytes) {
    struct reservation *r = heap_alloc(sizeof *r);
    if (!r) return NULL;
    void *base = plat_memory_reserve(bytes);
    if (!base) {
        heap_free(r);
        return NULL;
    }
    r->start = (uint64_t)(uintptr_t)base;
    r->end = r->start + bytes;
    r->next = reservations;
    reservations = r;
    return base;
}

int uw_platform_commit(uint8_t *base, uint64_t old_size, uint64_t new_size) {
    return plat_memory_commit(base, old_size, new_size);
}

int uw_platform_map_image(uint8_t *dst, const uint8_t *src, uint64_t n) { return plat_memory_map_image(dst, src, n); }

void *uw_platform_alloc(size_t bytes) { return heap_alloc(bytes); }

void *uw_platform_realloc(void *p, size_t old_bytes, size_t new_bytes) {
    (void)old_bytes; /* the heap knows each block's size */
    return heap_realloc(p, new_bytes);
}

void uw_platform_free(void *p) { heap_free(p); }

_Noreturn void uw_platform_trap(uw_vmctx *ctx, uint32_t code) {
    (void)ctx;
    app_trap(code, app_trap_caller_pc());
}
