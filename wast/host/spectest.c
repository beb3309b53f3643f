/*
 * The spec tests' `spectest` module, written as a module descriptor by hand so that it is
 * instantiated, exported and imported exactly like compiled modules: print functions (writing to
 * stderr, away from the protocol on stdout), four immutable globals of value 666 / 666.6, a funcref
 * table of 10..20 elements and a memory of 1..2 pages.
 */
#include <inttypes.h>
#include <stdio.h>

#include "host.h"

enum { T_NONE, T_I32, T_I64, T_F32, T_F64, T_I32_F32, T_F64_F64, TYPE_COUNT };

static const char *const type_sigs[TYPE_COUNT] = {":", "i:", "l:", "f:", "d:", "if:", "dd:"};

static void print(uw_vmctx *ctx) {
    (void)ctx;
    fprintf(stderr, "spectest.print\n");
}
static void print_i32(uw_vmctx *ctx, int32_t a) {
    (void)ctx;
    fprintf(stderr, "spectest.print_i32 %" PRId32 "\n", a);
}
static void print_i64(uw_vmctx *ctx, int64_t a) {
    (void)ctx;
    fprintf(stderr, "spectest.print_i64 %" PRId64 "\n", a);
}
static void print_f32(uw_vmctx *ctx, float a) {
    (void)ctx;
    fprintf(stderr, "spectest.print_f32 %g\n", (double)a);
}
static void print_f64(uw_vmctx *ctx, double a) {
    (void)ctx;
    fprintf(stderr, "spectest.print_f64 %g\n", a);
}
static void print_i32_f32(uw_vmctx *ctx, int32_t a, float b) {
    (void)ctx;
    fprintf(stderr, "spectest.print_i32_f32 %" PRId32 " %g\n", a, (double)b);
}
static void print_f64_f64(uw_vmctx *ctx, double a, double b) {
    (void)ctx;
    fprintf(stderr, "spectest.print_f64_f64 %g %g\n", a, b);
}

/* Array-call trampolines, one per type, as the compiler emits them for compiled modules. */
static void call_none(void *code, uw_vmctx *ctx, uw_value *io) {
    (void)io;
    ((void (*)(uw_vmctx *))code)(ctx);
}
static void call_i32(void *code, uw_vmctx *ctx, uw_value *io) { ((void (*)(uw_vmctx *, int32_t))code)(ctx, io[0].i32); }
static void call_i64(void *code, uw_vmctx *ctx, uw_value *io) { ((void (*)(uw_vmctx *, int64_t))code)(ctx, io[0].i64); }
static void call_f32(void *code, uw_vmctx *ctx, uw_value *io) { ((void (*)(uw_vmctx *, float))code)(ctx, io[0].f32); }
static void call_f64(void *code, uw_vmctx *ctx, uw_value *io) { ((void (*)(uw_vmctx *, double))code)(ctx, io[0].f64); }
static void call_i32_f32(void *code, uw_vmctx *ctx, uw_value *io) {
    ((void (*)(uw_vmctx *, int32_t, float))code)(ctx, io[0].i32, io[1].f32);
}
static void call_f64_f64(void *code, uw_vmctx *ctx, uw_value *io) {
    ((void (*)(uw_vmctx *, double, double))code)(ctx, io[0].f64, io[1].f64);
}

static const uw_array_call array_calls[TYPE_COUNT] = {
    call_none, call_i32, call_i64, call_f32, call_f64, call_i32_f32, call_f64_f64,
};

enum { FUNC_COUNT = 7 };
static const uint32_t func_types[FUNC_COUNT] = {T_NONE, T_I32, T_I64, T_F32, T_F64, T_I32_F32, T_F64_F64};
static void *const func_code[FUNC_COUNT] = {
    (void *)print,     (void *)print_i32,     (void *)print_i64,     (void *)print_f32,
    (void *)print_f64, (void *)print_i32_f32, (void *)print_f64_f64,
};
static const char *const func_names[FUNC_COUNT] = {
    "print", "print_i32", "print_i64", "print_f32", "print_f64", "print_i32_f32", "print_f64_f64",
};

static const uw_global_desc globals[4] = {{UW_I32, 0}, {UW_I64, 0}, {UW_F32, 0}, {UW_F64, 0}};
static const uw_table_desc tables[1] = {{10, 20, UW_FUNCREF, 0}};
static const uw_limits_desc memories[1] = {{1, 2}};

static const uw_export_desc exports[] = {
    UW_EXPORT("print", UW_EXTERN_FUNC, 0),         UW_EXPORT("print_i32", UW_EXTERN_FUNC, 1),
    UW_EXPORT("print_i64", UW_EXTERN_FUNC, 2),     UW_EXPORT("print_f32", UW_EXTERN_FUNC, 3),
    UW_EXPORT("print_f64", UW_EXTERN_FUNC, 4),     UW_EXPORT("print_i32_f32", UW_EXTERN_FUNC, 5),
    UW_EXPORT("print_f64_f64", UW_EXTERN_FUNC, 6), UW_EXPORT("global_i32", UW_EXTERN_GLOBAL, 0),
    UW_EXPORT("global_i64", UW_EXTERN_GLOBAL, 1),  UW_EXPORT("global_f32", UW_EXTERN_GLOBAL, 2),
    UW_EXPORT("global_f64", UW_EXTERN_GLOBAL, 3),  UW_EXPORT("table", UW_EXTERN_TABLE, 0),
    UW_EXPORT("memory", UW_EXTERN_MEMORY, 0),
};

static void init_globals(uw_vmctx *ctx) {
    ctx->globals[0]->i32 = 666;
    ctx->globals[1]->i64 = 666;
    ctx->globals[2]->f32 = 666.6f;
    ctx->globals[3]->f64 = 666.6;
}

static const uw_module_desc spectest_module = {
    .abi_version = UW_ABI_VERSION,
    .num_types = TYPE_COUNT,
    .type_sigs = type_sigs,
    .type_array_calls = array_calls,
    .num_exports = sizeof exports / sizeof exports[0],
    .exports = exports,
    .num_funcs = FUNC_COUNT,
    .func_types = func_types,
    .func_code = func_code,
    .func_names = func_names,
    .num_memories = 1,
    .memories = memories,
    .num_tables = 1,
    .tables = tables,
    .num_globals = 4,
    .globals = globals,
    .init = init_globals,
    .start_func = -1,
};

uw_vmctx *uwh_spectest_new(char *err, size_t errlen) {
    uw_vmctx *ctx = uw_instance_new(&spectest_module, NULL, NULL, NULL, err, errlen);
    /* init only stores constants, so it cannot trap and needs no protected call. */
    if (ctx) uw_instance_start(ctx);
    return ctx;
}
