/*
 * A hand-written stand-in for a compiled module: a uw_module_desc plus C functions playing the part
 * of compiled code, built as a shared object and loaded by uwhost in HostProtocolTest. It exercises
 * the ABI the way the compiler's output does: imports through ctx->funcs (CONTEXT linkage), loads
 * through mem0_base without bounds checks, explicit traps, memory.grow, indirect calls through a
 * table, multiple results, an init function and a start function.
 */
#include "uniwasm/runtime.h"

typedef struct pair {
    int32_t a;
    int64_t b;
} pair;

/* Function indices; 0 is imported. */
enum {
    F_PRINT_I32,
    F_ADD,
    F_LOAD,
    F_RECURSE,
    F_DIVIDE,
    F_GROW,
    F_CALL_PRINT,
    F_FILL,
    F_CALL_INDIRECT,
    F_PAIR,
    F_START,
    F_CRASH,
    F_ECHO_REFS,
    F_COUNT
};
/* Type indices. */
enum { T_I_, T_II_I, T_I_I, T__, T__IL, T_RX_XR, T_COUNT };

static const char *const type_sigs[T_COUNT] = {"i:", "ii:i", "i:i", ":", ":il", "rx:xr"};

static int32_t add(uw_vmctx *ctx, int32_t a, int32_t b) {
    (void)ctx;
    return a + b;
}

static int32_t load(uw_vmctx *ctx, int32_t addr) { return *(volatile int32_t *)(ctx->mem0_base + (uint32_t)addr); }

__attribute__((noinline)) static int32_t recurse(uw_vmctx *ctx, int32_t depth) {
    volatile int32_t frame[16];
    frame[0] = depth;
    if (depth < 0) return 0; /* never: the stack runs out long before depth wraps */
    return recurse(ctx, depth + 1) + frame[0];
}

static int32_t divide(uw_vmctx *ctx, int32_t a, int32_t b) {
    if (b == 0) uw_trap(ctx, UW_TRAP_INT_DIV_BY_ZERO);
    return a / b;
}

static int32_t grow(uw_vmctx *ctx, int32_t delta) { return uw_memory_grow(ctx, 0, (uint32_t)delta); }

static void call_print(uw_vmctx *ctx, int32_t value) {
    uw_func *f = ctx->funcs[F_PRINT_I32];
    ((void (*)(uw_vmctx *, int32_t))f->code)(f->ctx, value);
}

/* memory.fill of `n` bytes of 0xab at address `dst`. */
static int32_t fill(uw_vmctx *ctx, int32_t dst, int32_t n) {
    uw_memory_fill(ctx, 0, (uint32_t)dst, 0xab, (uint32_t)n);
    return 0;
}

/* call_indirect (type ii:i) of table slot `slot` on (slot, 10), trapping like compiled code. */
static int32_t call_indirect(uw_vmctx *ctx, int32_t slot) {
    uw_table *t = ctx->tables[0];
    if ((uint32_t)slot >= t->size) uw_trap(ctx, UW_TRAP_UNDEFINED_ELEMENT);
    uw_func *f = t->elems[slot];
    if (!f) uw_trap(ctx, UW_TRAP_UNINIT_ELEMENT);
    if (f->type_id != ctx->type_ids[T_II_I]) uw_trap(ctx, UW_TRAP_INDIRECT_TYPE);
    return ((int32_t(*)(uw_vmctx *, int32_t, int32_t))f->code)(f->ctx, slot, 10);
}

static pair make_pair(uw_vmctx *ctx) {
    (void)ctx;
    return (pair){7, -2};
}

static void start(uw_vmctx *ctx) { ctx->globals[1]->i32 += 1; }

static int32_t crash(uw_vmctx *ctx, int32_t a) {
    (void)ctx;
    return *(volatile int32_t *)(uintptr_t)(16 + (uint32_t)a);
}

typedef struct two_refs {
    void *x;
    void *r;
} two_refs;

static two_refs echo_refs(uw_vmctx *ctx, void *funcref, void *externref) {
    (void)ctx;
    return (two_refs){externref, funcref};
}

/* Array-call trampolines, one per type. */
static void ac_i_(void *code, uw_vmctx *ctx, uw_value *io) { ((void (*)(uw_vmctx *, int32_t))code)(ctx, io[0].i32); }
static void ac_ii_i(void *code, uw_vmctx *ctx, uw_value *io) {
    io[0].i32 = ((int32_t(*)(uw_vmctx *, int32_t, int32_t))code)(ctx, io[0].i32, io[1].i32);
}
static void ac_i_i(void *code, uw_vmctx *ctx, uw_value *io) {
    io[0].i32 = ((int32_t(*)(uw_vmctx *, int32_t))code)(ctx, io[0].i32);
}
static void ac__(void *code, uw_vmctx *ctx, uw_value *io) {
    (void)io;
    ((void (*)(uw_vmctx *))code)(ctx);
}
static void ac__il(void *code, uw_vmctx *ctx, uw_value *io) {
    pair p = ((pair(*)(uw_vmctx *))code)(ctx);
    io[0].i32 = p.a;
    io[1].i64 = p.b;
}
static void ac_rx_xr(void *code, uw_vmctx *ctx, uw_value *io) {
    two_refs r = ((two_refs(*)(uw_vmctx *, void *, void *))code)(ctx, io[0].ref, io[1].ref);
    io[0].ref = r.x;
    io[1].ref = r.r;
}

static const uw_array_call array_calls[T_COUNT] = {ac_i_, ac_ii_i, ac_i_i, ac__, ac__il, ac_rx_xr};

static const uint32_t func_types[F_COUNT] = {
    [F_PRINT_I32] = T_I_,      [F_ADD] = T_II_I, [F_LOAD] = T_I_I,      [F_RECURSE] = T_I_I,
    [F_DIVIDE] = T_II_I,       [F_GROW] = T_I_I, [F_CALL_PRINT] = T_I_, [F_FILL] = T_II_I,
    [F_CALL_INDIRECT] = T_I_I, [F_PAIR] = T__IL, [F_START] = T__,       [F_CRASH] = T_I_I,
    [F_ECHO_REFS] = T_RX_XR,
};

static void *const func_code[F_COUNT] = {
    [F_ADD] = (void *)add,         [F_LOAD] = (void *)load,
    [F_RECURSE] = (void *)recurse, [F_DIVIDE] = (void *)divide,
    [F_GROW] = (void *)grow,       [F_CALL_PRINT] = (void *)call_print,
    [F_FILL] = (void *)fill,       [F_CALL_INDIRECT] = (void *)call_indirect,
    [F_PAIR] = (void *)make_pair,  [F_START] = (void *)start,
    [F_CRASH] = (void *)crash,     [F_ECHO_REFS] = (void *)echo_refs,
};

/* The second import names a module given by the test in FAKE_IMPORT_MODULE (default "spectest"),
 * so that the same source can also be built to be unlinkable. */
#ifndef FAKE_IMPORT_MODULE
#define FAKE_IMPORT_MODULE "spectest"
#endif
static const uw_import_desc imports[] = {
    UW_IMPORT("spectest", "print_i32", UW_EXTERN_FUNC, F_PRINT_I32, T_I_, 0, 0),
    UW_IMPORT(FAKE_IMPORT_MODULE, "global_i32", UW_EXTERN_GLOBAL, 0, UW_I32, 0, 0),
};

static const uw_export_desc exports[] = {
    UW_EXPORT("add", UW_EXTERN_FUNC, F_ADD),
    UW_EXPORT("load", UW_EXTERN_FUNC, F_LOAD),
    UW_EXPORT("recurse", UW_EXTERN_FUNC, F_RECURSE),
    UW_EXPORT("divide", UW_EXTERN_FUNC, F_DIVIDE),
    UW_EXPORT("grow", UW_EXTERN_FUNC, F_GROW),
    UW_EXPORT("call print", UW_EXTERN_FUNC, F_CALL_PRINT),
    UW_EXPORT("fill", UW_EXTERN_FUNC, F_FILL),
    UW_EXPORT("call_indirect", UW_EXTERN_FUNC, F_CALL_INDIRECT),
    UW_EXPORT("pair", UW_EXTERN_FUNC, F_PAIR),
    UW_EXPORT("crash", UW_EXTERN_FUNC, F_CRASH),
    UW_EXPORT("echo_refs", UW_EXTERN_FUNC, F_ECHO_REFS),
    UW_EXPORT("print", UW_EXTERN_FUNC, F_PRINT_I32),
    UW_EXPORT("imported", UW_EXTERN_GLOBAL, 0),
    UW_EXPORT("counter", UW_EXTERN_GLOBAL, 1),
    UW_EXPORT("memory", UW_EXTERN_MEMORY, 0),
    UW_EXPORT("table", UW_EXTERN_TABLE, 0),
};

static const uw_global_desc globals[] = {{UW_I32, 0}, {UW_I32, 1}};
static const uw_limits_desc memories[] = {{1, 3}};
static const uw_table_desc tables[] = {{4, UW_NO_MAX, UW_FUNCREF, 0}};
static const uint8_t greeting[] = {0x2a, 0, 0, 0, 'h', 'i'};
static const uw_data_desc data[] = {{greeting, sizeof greeting, 0}};
static const uw_elem_desc elems[] = {{3, UW_FUNCREF}};

/* What the compiler's init does: globals, element items, active segments, then drops. */
static void init(uw_vmctx *ctx) {
    ctx->globals[1]->i32 = ctx->globals[0]->i32 + 1; /* counter = imported + 1 */
    ctx->elems[0].items[0] = ctx->funcs[F_ADD];
    ctx->elems[0].items[1] = ctx->funcs[F_DIVIDE];
    ctx->elems[0].items[2] = ctx->funcs[F_LOAD]; /* wrong type for call_indirect */
    uw_table_init(ctx, 0, 0, 1, 0, 3);
    uw_memory_init(ctx, 0, 0, 16, 0, sizeof greeting);
    uw_elem_drop(ctx, 0);
    uw_data_drop(ctx, 0);
}

const uw_module_desc uw_module = {
    .abi_version = UW_ABI_VERSION,
    .num_types = T_COUNT,
    .type_sigs = type_sigs,
    .type_array_calls = array_calls,
    .num_imports = sizeof imports / sizeof imports[0],
    .imports = imports,
    .num_exports = sizeof exports / sizeof exports[0],
    .exports = exports,
    .num_funcs = F_COUNT,
    .num_imported_funcs = 1,
    .func_types = func_types,
    .func_code = func_code,
    .num_memories = 1,
    .memories = memories,
    .num_tables = 1,
    .tables = tables,
    .num_globals = 2,
    .num_imported_globals = 1,
    .globals = globals,
    .num_data = 1,
    .data = data,
    .num_elems = 1,
    .elems = elems,
    .init = init,
    .start_func = F_START,
};
