/* Tables: creation, table.get/set/grow/fill/init/copy and elem.drop. */
#include "internal.h"

uw_table *uw_rt_table_new(uint64_t min, uint64_t max, uint32_t elem_type) {
    if (min > UW_TABLE_ELEMENT_CAP) return NULL;
    uw_table *t = uw_platform_alloc(sizeof(uw_table));
    if (!t) return NULL;
    /* Allocate at least one slot so that elems is never NULL, even for an empty table. */
    t->elems = uw_platform_alloc(sizeof(void *) * (min ? min : 1));
    if (!t->elems) {
        uw_platform_free(t);
        return NULL;
    }
    t->size = (uint32_t)min;
    t->max = (max == UW_NO_MAX || max > UINT32_MAX) ? UINT32_MAX : (uint32_t)max;
    t->elem_type = (uint8_t)elem_type;
    return t;
}

static inline int in_range(uint64_t offset, uint64_t n, uint64_t size) { return offset <= size && n <= size - offset; }

void *uw_table_get(uw_vmctx *ctx, uint32_t table, uint32_t index) {
    uw_table *t = ctx->tables[table];
    if (index >= t->size) uw_trap(ctx, UW_TRAP_TABLE_OOB);
    return t->elems[index];
}

void uw_table_set(uw_vmctx *ctx, uint32_t table, uint32_t index, void *ref) {
    uw_table *t = ctx->tables[table];
    if (index >= t->size) uw_trap(ctx, UW_TRAP_TABLE_OOB);
    t->elems[index] = ref;
}

int32_t uw_table_grow(uw_vmctx *ctx, uint32_t table, void *init, uint32_t delta) {
    uw_table *t = ctx->tables[table];
    uint64_t old_size = t->size;
    uint64_t new_size = old_size + delta;
    uint64_t limit = t->max < UW_TABLE_ELEMENT_CAP ? t->max : UW_TABLE_ELEMENT_CAP;
    if (new_size > limit) return -1;
    if (delta == 0) return (int32_t)old_size;
    uint64_t old_slots = old_size ? old_size : 1;
    if (new_size > old_slots) {
        void **elems = uw_platform_realloc(t->elems, old_slots * sizeof(void *), new_size * sizeof(void *));
        if (!elems) return -1;
        t->elems = elems;
    }
    for (uint64_t i = old_size; i < new_size; i++) t->elems[i] = init;
    t->size = (uint32_t)new_size;
    return (int32_t)old_size;
}

void uw_table_fill(uw_vmctx *ctx, uint32_t table, uint32_t dst, void *ref, uint32_t n) {
    uw_table *t = ctx->tables[table];
    if (!in_range(dst, n, t->size)) uw_trap(ctx, UW_TRAP_TABLE_OOB);
    for (uint32_t i = 0; i < n; i++) t->elems[dst + i] = ref;
}

void uw_table_init(uw_vmctx *ctx, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src, uint32_t n) {
    uw_table *t = ctx->tables[table];
    uw_elem_inst *e = &ctx->elems[elem];
    if (!in_range(src, n, e->len) || !in_range(dst, n, t->size)) uw_trap(ctx, UW_TRAP_TABLE_OOB);
    if (n) __builtin_memcpy(t->elems + dst, e->items + src, (size_t)n * sizeof(void *));
}

void uw_table_copy(uw_vmctx *ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t n) {
    uw_table *to = ctx->tables[dst_table];
    uw_table *from = ctx->tables[src_table];
    if (!in_range(src, n, from->size) || !in_range(dst, n, to->size)) uw_trap(ctx, UW_TRAP_TABLE_OOB);
    if (n) __builtin_memmove(to->elems + dst, from->elems + src, (size_t)n * sizeof(void *));
}

void uw_elem_drop(uw_vmctx *ctx, uint32_t elem) { ctx->elems[elem].len = 0; }
