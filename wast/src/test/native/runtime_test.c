/*
 * Unit tests of the C runtime (runtime/src) against its contract in runtime.h, with a minimal
 * embedder of its own: heap memory for reservations, setjmp for traps. Built and run by
 * RuntimeNativeTest; prints one line per failed check and exits non-zero if any failed.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "uniwasm/runtime.h"

static int failures, checks;

#define CHECK(cond)                                                \
    do {                                                           \
        checks++;                                                  \
        if (!(cond)) {                                             \
            failures++;                                            \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                          \
    } while (0)

/* ---- the embedder ---- */

static jmp_buf trap_exit;
static uint32_t last_trap;
static int fail_next_commit;

void *uw_platform_reserve(uint64_t bytes) {
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}
int uw_platform_commit(uint8_t *base, uint64_t old_size, uint64_t new_size) {
    if (fail_next_commit) {
        fail_next_commit = 0;
        return -1;
    }
    return mprotect(base + old_size, new_size - old_size, PROT_READ | PROT_WRITE);
}
void *uw_platform_alloc(size_t bytes) { return calloc(1, bytes); }
void *uw_platform_realloc(void *p, size_t old_bytes, size_t new_bytes) {
    unsigned char *q = realloc(p, new_bytes);
    if (q && new_bytes > old_bytes) memset(q + old_bytes, 0, new_bytes - old_bytes);
    return q;
}
void uw_platform_free(void *p) { free(p); }

/* Records each request and does it by copying (the contract: afterwards dst reads as src), or
 * refuses when map_refuse is set. */
static int map_calls, map_refuse;
static uint8_t *map_dst;
static const uint8_t *map_src;
static uint64_t map_n;
int uw_platform_map_image(uint8_t *dst, const uint8_t *src, uint64_t n) {
    map_calls++;
    map_dst = dst, map_src = src, map_n = n;
    if (map_refuse) return -1;
    memcpy(dst, src, n);
    return 0;
}
_Noreturn void uw_platform_trap(uw_vmctx *ctx, uint32_t code) {
    (void)ctx;
    last_trap = code;
    longjmp(trap_exit, 1);
}

/* Runs `stmt`; evaluates to the trap code it raised, or 0. */
#define TRAP_OF(stmt) (last_trap = 0, setjmp(trap_exit) == 0 ? ((stmt), 0u) : last_trap)

/* ---- a module with one memory (1..4 pages), one table (2..5), a data and an element segment ---- */

static const char *const sigs[] = {"ii:i", "i:", ":"};
static void no_array_call(void *code, uw_vmctx *ctx, uw_value *io) { (void)code, (void)ctx, (void)io; }
static const uw_array_call calls[] = {no_array_call, no_array_call, no_array_call};
static int32_t add(uw_vmctx *ctx, int32_t a, int32_t b) {
    (void)ctx;
    return a + b;
}
static const uint32_t func_types[] = {0};
static void *const func_code[] = {(void *)add};
static const uw_limits_desc one_memory[] = {{1, 4}};
static const uw_table_desc one_table[] = {{2, 5, UW_FUNCREF, 0}};
static const uint8_t bytes[] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uw_data_desc one_data[] = {{bytes, sizeof bytes, 0}};
static const uw_elem_desc one_elem[] = {{2, UW_FUNCREF}};
static const uw_global_desc one_global[] = {{UW_I64, 1}};
static const uw_export_desc exports[] = {
    UW_EXPORT("add", UW_EXTERN_FUNC, 0),
    UW_EXPORT("mem", UW_EXTERN_MEMORY, 0),
    UW_EXPORT("tab", UW_EXTERN_TABLE, 0),
    UW_EXPORT("g", UW_EXTERN_GLOBAL, 0),
};

static const uw_module_desc plain = {
    .abi_version = UW_ABI_VERSION,
    .num_types = 3,
    .type_sigs = sigs,
    .type_array_calls = calls,
    .num_exports = 4,
    .exports = exports,
    .num_funcs = 1,
    .func_types = func_types,
    .func_code = func_code,
    .num_memories = 1,
    .memories = one_memory,
    .num_tables = 1,
    .tables = one_table,
    .num_globals = 1,
    .globals = one_global,
    .num_data = 1,
    .data = one_data,
    .num_elems = 1,
    .elems = one_elem,
    .start_func = -1,
};

static uw_vmctx *instantiate(const uw_module_desc *m, uw_import_resolver r, void *data, char *err) {
    return uw_instance_new(m, r, data, NULL, err, 200);
}

static void test_types(void) {
    uint32_t a = uw_type_intern("il:f"), b = uw_type_intern("il:f"), c = uw_type_intern("i:");
    CHECK(a != 0 && a == b && a != c);
    char buf[8];
    /* a copy: equal text interned from another buffer gets the same id */
    strcpy(buf, "i:");
    CHECK(uw_type_intern(buf) == c);
    for (int i = 0; i < 500; i++) {
        char sig[16];
        snprintf(sig, sizeof sig, "%d:", i);
        CHECK(uw_type_intern(sig) == uw_type_intern(sig));
    }
    CHECK(uw_type_intern("il:f") == a);
}

static void test_memory(void) {
    char err[200];
    uw_vmctx *ctx = instantiate(&plain, NULL, NULL, err);
    CHECK(ctx != NULL);
    uw_memory *m = ctx->memories[0];
    CHECK(ctx->mem0_base == m->base && m->size == UW_PAGE_SIZE && m->max_pages == 4);
    CHECK(m->base[UW_PAGE_SIZE - 1] == 0);

    CHECK(uw_memory_grow(ctx, 0, 0) == 1);
    CHECK(uw_memory_grow(ctx, 0, 1) == 1);
    CHECK(m->size == 2 * UW_PAGE_SIZE && m->base[2 * UW_PAGE_SIZE - 1] == 0);
    CHECK(uw_memory_grow(ctx, 0, 3) == -1); /* beyond max 4 */
    fail_next_commit = 1;
    CHECK(uw_memory_grow(ctx, 0, 1) == -1); /* the platform refused */
    CHECK(m->size == 2 * UW_PAGE_SIZE);
    CHECK(uw_memory_grow(ctx, 0, 2) == 2);
    CHECK(uw_memory_grow(ctx, 0, 0) == 4);

    uint64_t size = m->size;
    /* fill: bounds first, nothing written when out of range */
    CHECK(TRAP_OF(uw_memory_fill(ctx, 0, (uint32_t)size - 4, 0x55, 8)) == UW_TRAP_MEMORY_OOB);
    CHECK(m->base[size - 1] == 0);
    CHECK(TRAP_OF(uw_memory_fill(ctx, 0, (uint32_t)size, 0, 0)) == 0); /* n = 0 at the end */
    CHECK(TRAP_OF(uw_memory_fill(ctx, 0, (uint32_t)size + 1, 0, 0)) == UW_TRAP_MEMORY_OOB);
    CHECK(TRAP_OF(uw_memory_fill(ctx, 0, 0xffffffffu, 0, 2)) == UW_TRAP_MEMORY_OOB); /* no wrap-around */
    CHECK(TRAP_OF(uw_memory_fill(ctx, 0, 10, 0x1ff, 3)) == 0);
    CHECK(m->base[9] == 0 && m->base[10] == 0xff && m->base[12] == 0xff && m->base[13] == 0);

    /* init from the data segment */
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 100, 2, 6)) == 0);
    CHECK(m->base[100] == 3 && m->base[105] == 8);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 200, 2, 7)) == UW_TRAP_MEMORY_OOB);
    CHECK(m->base[200] == 0);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 200, 8, 0)) == 0);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 200, 9, 0)) == UW_TRAP_MEMORY_OOB);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, (uint32_t)size - 2, 0, 4)) == UW_TRAP_MEMORY_OOB);
    CHECK(m->base[size - 2] == 0);
    uw_data_drop(ctx, 0);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 0, 0, 0)) == 0);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 0, 0, 1)) == UW_TRAP_MEMORY_OOB);

    /* copy with overlap in both directions */
    for (int i = 0; i < 8; i++) m->base[300 + i] = (uint8_t)(i + 1);
    CHECK(TRAP_OF(uw_memory_copy(ctx, 0, 0, 302, 300, 6)) == 0);
    CHECK(m->base[302] == 1 && m->base[307] == 6);
    CHECK(TRAP_OF(uw_memory_copy(ctx, 0, 0, 300, 302, 6)) == 0);
    CHECK(m->base[300] == 1 && m->base[305] == 6);
    CHECK(TRAP_OF(uw_memory_copy(ctx, 0, 0, 0, (uint32_t)size - 1, 2)) == UW_TRAP_MEMORY_OOB);
    CHECK(TRAP_OF(uw_memory_copy(ctx, 0, 0, (uint32_t)size, 0, 0)) == 0);
    CHECK(TRAP_OF(uw_memory_copy(ctx, 0, 0, 0, (uint32_t)size + 1, 0)) == UW_TRAP_MEMORY_OOB);
}

/* memory.init hands the whole host pages of a large copy to the platform when source and
 * destination share their page offset, and copies the head and tail (or all, when refused). */
static void test_memory_init_maps_whole_pages(void) {
    char err[200];
    uw_vmctx *ctx = instantiate(&plain, NULL, NULL, err);
    CHECK(ctx != NULL);
    uw_memory *m = ctx->memories[0];
    CHECK(uw_memory_grow(ctx, 0, 3) == 1); /* 4 pages: 256 KiB */
    enum { SEGMENT = 96 << 10 };
    uint8_t *bytes = aligned_alloc(UW_HOST_PAGE_SIZE, SEGMENT);
    for (uint32_t i = 0; i < SEGMENT; i++) bytes[i] = (uint8_t)(i * 7 + i / 251);
    uw_data_inst saved = ctx->data[0];
    ctx->data[0] = (uw_data_inst){bytes, SEGMENT};

    /* destination 100 and source 100 share their page offset: pages 1.. of both are mapped */
    map_calls = 0;
    uint32_t n = 90000;
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 100, 100, n)) == 0);
    CHECK(map_calls == 1 && map_dst == m->base + UW_HOST_PAGE_SIZE && map_src == bytes + UW_HOST_PAGE_SIZE);
    CHECK(map_n == (n - (UW_HOST_PAGE_SIZE - 100)) / UW_HOST_PAGE_SIZE * UW_HOST_PAGE_SIZE);
    CHECK(memcmp(m->base + 100, bytes + 100, n) == 0 && m->base[99] == 0 && m->base[100 + n] == 0);

    /* refused: copied all the same */
    memset(m->base, 0, 4 * UW_PAGE_SIZE);
    map_calls = 0, map_refuse = 1;
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 100, 100, n)) == 0);
    CHECK(map_calls == 1 && memcmp(m->base + 100, bytes + 100, n) == 0 && m->base[100 + n] == 0);
    map_refuse = 0;

    /* offsets that differ within a page, or a middle under UW_DATA_MAP_MIN_BYTES: copied, not asked */
    memset(m->base, 0, 4 * UW_PAGE_SIZE);
    map_calls = 0;
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 101, 100, n)) == 0);
    CHECK(map_calls == 0 && memcmp(m->base + 101, bytes + 100, n) == 0);
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 0, 0, UW_DATA_MAP_MIN_BYTES + UW_HOST_PAGE_SIZE - 1)) == 0);
    CHECK(map_calls == 1 && map_n == UW_DATA_MAP_MIN_BYTES); /* exactly the minimum is asked for */
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, 1, 1, UW_DATA_MAP_MIN_BYTES)) == 0);
    CHECK(map_calls == 1); /* its whole pages are one short of the minimum */

    /* bounds are checked before anything is mapped */
    map_calls = 0;
    CHECK(TRAP_OF(uw_memory_init(ctx, 0, 0, (uint32_t)m->size - 80000, 0, 90000)) == UW_TRAP_MEMORY_OOB);
    CHECK(map_calls == 0);
    ctx->data[0] = saved;
    free(bytes);
}

static void test_unbounded_memory_cap(void) {
    static const uw_limits_desc unbounded[] = {{0, UW_NO_MAX}};
    uw_module_desc m = plain;
    m.memories = unbounded;
    char err[200];
    uw_vmctx *ctx = instantiate(&m, NULL, NULL, err);
    CHECK(ctx != NULL && ctx->memories[0]->size == 0);
    CHECK(uw_memory_grow(ctx, 0, 65537) == -1);
    CHECK(uw_memory_grow(ctx, 0, 0) == 0);
}

static void test_tables(void) {
    char err[200];
    uw_vmctx *ctx = instantiate(&plain, NULL, NULL, err);
    uw_table *t = ctx->tables[0];
    CHECK(t->size == 2 && t->max == 5 && t->elem_type == UW_FUNCREF && t->elems[0] == NULL);
    void *f = ctx->funcs[0];
    CHECK(TRAP_OF(uw_table_set(ctx, 0, 1, f)) == 0 && uw_table_get(ctx, 0, 1) == f);
    CHECK(TRAP_OF(uw_table_get(ctx, 0, 2)) == UW_TRAP_TABLE_OOB);
    CHECK(TRAP_OF(uw_table_set(ctx, 0, 2, f)) == UW_TRAP_TABLE_OOB);

    CHECK(uw_table_grow(ctx, 0, f, 2) == 2);
    CHECK(t->size == 4 && t->elems[2] == f && t->elems[3] == f);
    CHECK(uw_table_grow(ctx, 0, NULL, 2) == -1);
    CHECK(uw_table_grow(ctx, 0, NULL, 0) == 4);
    CHECK(uw_table_grow(ctx, 0, NULL, 1) == 4 && t->elems[4] == NULL);

    CHECK(TRAP_OF(uw_table_fill(ctx, 0, 3, f, 3)) == UW_TRAP_TABLE_OOB);
    CHECK(t->elems[3] == f && t->elems[4] == NULL); /* nothing written */
    CHECK(TRAP_OF(uw_table_fill(ctx, 0, 5, f, 0)) == 0);
    CHECK(TRAP_OF(uw_table_fill(ctx, 0, 6, f, 0)) == UW_TRAP_TABLE_OOB);
    CHECK(TRAP_OF(uw_table_fill(ctx, 0, 0, NULL, 5)) == 0 && t->elems[3] == NULL);

    ctx->elems[0].items[0] = f;
    ctx->elems[0].items[1] = NULL;
    CHECK(TRAP_OF(uw_table_init(ctx, 0, 0, 3, 0, 2)) == 0 && t->elems[3] == f);
    CHECK(TRAP_OF(uw_table_init(ctx, 0, 0, 4, 0, 2)) == UW_TRAP_TABLE_OOB);
    CHECK(TRAP_OF(uw_table_init(ctx, 0, 0, 0, 1, 2)) == UW_TRAP_TABLE_OOB);
    CHECK(t->elems[0] == NULL);
    uw_elem_drop(ctx, 0);
    CHECK(TRAP_OF(uw_table_init(ctx, 0, 0, 0, 0, 0)) == 0);
    CHECK(TRAP_OF(uw_table_init(ctx, 0, 0, 0, 0, 1)) == UW_TRAP_TABLE_OOB);

    t->elems[0] = f;
    CHECK(TRAP_OF(uw_table_copy(ctx, 0, 0, 1, 0, 4)) == 0); /* overlapping, forwards */
    CHECK(t->elems[1] == f && t->elems[4] == f);
    CHECK(TRAP_OF(uw_table_copy(ctx, 0, 0, 0, 1, 5)) == UW_TRAP_TABLE_OOB);
}

static void test_table_cap(void) {
    static const uw_table_desc unbounded[] = {{0, UW_NO_MAX, UW_EXTERNREF, 0}};
    uw_module_desc m = plain;
    m.tables = unbounded;
    char err[200];
    uw_vmctx *ctx = instantiate(&m, NULL, NULL, err);
    CHECK(ctx->tables[0]->max == UINT32_MAX);
    CHECK(uw_table_grow(ctx, 0, (void *)8, 10000001u) == -1);
    CHECK(uw_table_grow(ctx, 0, (void *)8, 10000000u) == 0);
    CHECK(ctx->tables[0]->elems[9999999] == (void *)8);
    CHECK(uw_table_grow(ctx, 0, NULL, 1) == -1);
}

/* ---- imports ---- */

static uw_vmctx *exporter;

static int resolve_from_exporter(void *data, const uw_import_desc *imp, uw_extern *out) {
    (void)data;
    if (strcmp(imp->module, "ex") != 0) return -1;
    return uw_instance_export(exporter, imp->name, out);
}

static uw_vmctx *import_one(uw_import_desc imp, char *err) {
    static uw_module_desc m;
    static uw_import_desc imports[1];
    static uint32_t types[1];
    imports[0] = imp;
    types[0] = imp.type;
    m = (uw_module_desc){.abi_version = UW_ABI_VERSION,
                         .num_types = 3,
                         .type_sigs = sigs,
                         .type_array_calls = calls,
                         .num_imports = 1,
                         .imports = imports,
                         .start_func = -1};
    static const uw_limits_desc mem[1] = {{0, 0}};
    static const uw_table_desc tab[1] = {{0, 0, UW_FUNCREF, 0}};
    static const uw_global_desc glob[1] = {{UW_I64, 1}};
    static void *const no_code[1] = {NULL};
    switch (imp.kind) {
    case UW_EXTERN_FUNC: m.num_funcs = m.num_imported_funcs = 1, m.func_types = types, m.func_code = no_code; break;
    case UW_EXTERN_MEMORY: m.num_memories = m.num_imported_memories = 1, m.memories = mem; break;
    case UW_EXTERN_TABLE: m.num_tables = m.num_imported_tables = 1, m.tables = tab; break;
    case UW_EXTERN_GLOBAL: m.num_globals = m.num_imported_globals = 1, m.globals = glob; break;
    }
    return instantiate(&m, resolve_from_exporter, NULL, err);
}

#define IMPORT(kind, name, type, min, max) ((uw_import_desc)UW_IMPORT("ex", name, kind, 0, type, min, max))

static int starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static void test_imports(void) {
    char err[200];
    exporter = instantiate(&plain, NULL, NULL, err);
    uw_vmctx *ctx;

    ctx = import_one(IMPORT(UW_EXTERN_FUNC, "add", 0, 0, 0), err);
    CHECK(ctx && ctx->funcs[0] == exporter->funcs[0]);
    ctx = import_one(IMPORT(UW_EXTERN_FUNC, "add", 1, 0, 0), err);
    CHECK(!ctx && starts_with(err, "incompatible import type"));
    ctx = import_one(IMPORT(UW_EXTERN_FUNC, "nothing", 0, 0, 0), err);
    CHECK(!ctx && starts_with(err, "unknown import"));
    CHECK(strstr(err, "\"ex\" \"nothing\"") != NULL);
    ctx = import_one(IMPORT(UW_EXTERN_MEMORY, "add", 0, 0, UW_NO_MAX), err);
    CHECK(!ctx && starts_with(err, "incompatible import type"));

    /* exporter memory: 1 page now (tests above used their own instances), max 4 */
    CHECK(import_one(IMPORT(UW_EXTERN_MEMORY, "mem", 0, 1, UW_NO_MAX), err) != NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_MEMORY, "mem", 0, 1, 4), err) != NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_MEMORY, "mem", 0, 0, 5), err) != NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_MEMORY, "mem", 0, 2, UW_NO_MAX), err) == NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_MEMORY, "mem", 0, 1, 3), err) == NULL);
    uw_memory_grow(exporter, 0, 1);
    CHECK(import_one(IMPORT(UW_EXTERN_MEMORY, "mem", 0, 2, UW_NO_MAX), err) != NULL); /* current size counts */

    CHECK(import_one(IMPORT(UW_EXTERN_TABLE, "tab", UW_FUNCREF, 2, 5), err) != NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_TABLE, "tab", UW_EXTERNREF, 2, 5), err) == NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_TABLE, "tab", UW_FUNCREF, 3, 5), err) == NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_TABLE, "tab", UW_FUNCREF, 1, 4), err) == NULL);

    CHECK(import_one(IMPORT(UW_EXTERN_GLOBAL, "g", UW_I64 | 1u << 8, 0, 0), err) != NULL);
    CHECK(import_one(IMPORT(UW_EXTERN_GLOBAL, "g", UW_I64, 0, 0), err) == NULL);
    CHECK(starts_with(err, "incompatible import type"));
    CHECK(import_one(IMPORT(UW_EXTERN_GLOBAL, "g", UW_I32 | 1u << 8, 0, 0), err) == NULL);
    ctx = import_one(IMPORT(UW_EXTERN_GLOBAL, "g", UW_I64 | 1u << 8, 0, 0), err);
    CHECK(ctx->globals[0] == exporter->globals[0]);
}

static void test_direct_linkage(void) {
    static const uw_import_desc imp[1] = {UW_IMPORT("wasi", "add", UW_EXTERN_FUNC, 0, 0, 0, 0)};
    static void *const code[1] = {(void *)add};
    uw_module_desc m = {.abi_version = UW_ABI_VERSION,
                        .num_types = 3,
                        .type_sigs = sigs,
                        .type_array_calls = calls,
                        .num_imports = 1,
                        .imports = imp,
                        .num_funcs = 1,
                        .num_imported_funcs = 1,
                        .func_types = func_types,
                        .func_code = code,
                        .start_func = -1};
    char err[200];
    uw_vmctx *ctx = instantiate(&m, NULL, NULL, err); /* no resolver needed */
    CHECK(ctx && ctx->funcs[0]->code == (void *)add && ctx->funcs[0]->ctx == ctx);
    CHECK(ctx && ctx->funcs[0]->type_id == uw_type_intern("ii:i") && ctx->funcs[0]->type_index == 0);
}

static void test_descriptor_errors(void) {
    char err[200];
    uw_module_desc m = plain;
    m.abi_version = 99;
    CHECK(instantiate(&m, NULL, NULL, err) == NULL && strstr(err, "ABI version 99") != NULL);
    static void *const no_code[1] = {NULL};
    m = plain;
    m.func_code = no_code;
    CHECK(instantiate(&m, NULL, NULL, err) == NULL && strstr(err, "no code for exported function 0") != NULL);
    static const uw_table_desc huge[] = {{20000000, UW_NO_MAX, UW_FUNCREF, 0}};
    m = plain;
    m.tables = huge;
    CHECK(instantiate(&m, NULL, NULL, err) == NULL && strstr(err, "cannot allocate table 0") != NULL);
}

static void test_exports_and_messages(void) {
    char err[200];
    uw_vmctx *ctx = instantiate(&plain, NULL, NULL, err);
    uw_extern x;
    CHECK(uw_instance_export(ctx, "g", &x) == 0 && x.kind == UW_EXTERN_GLOBAL && x.global_type == UW_I64 &&
          x.global_mutable);
    CHECK(uw_instance_export(ctx, "add", &x) == 0 && x.u.func == ctx->funcs[0]);
    CHECK(uw_instance_export(ctx, "ad", &x) == -1);
    CHECK(strcmp(uw_trap_message(UW_TRAP_MEMORY_OOB), "out of bounds memory access") == 0);
    CHECK(strcmp(uw_trap_message(UW_TRAP_STACK_EXHAUSTED), "call stack exhausted") == 0);
    CHECK(strcmp(uw_trap_message(0), "unknown trap") == 0);
    CHECK(uw_func_name(ctx, 0) == NULL);
}

int main(void) {
    test_types();
    test_memory();
    test_memory_init_maps_whole_pages();
    test_unbounded_memory_cap();
    test_tables();
    test_table_cap();
    test_imports();
    test_direct_linkage();
    test_descriptor_errors();
    test_exports_and_messages();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
