/*
 * WASI preview 1 (wasi_snapshot_preview1) as plain C functions. Compiled apps call each import
 * directly as the symbol "uw_imp.wasi_snapshot_preview1.<name>" with the caller's instance first and
 * the Wasm parameters as int32_t/int64_t. Guest pointers are offsets into the caller's memory 0 and
 * are checked against its current size; a bad one gives EFAULT, never a kernel fault.
 */
#ifndef KERNEL_WASI_H
#define KERNEL_WASI_H

#include "kernel/types.h"
#include "uniwasm/abi.h"

#include "kernel/errno.h"

/* One entry per preview1 function: its Wasm signature in the module descriptor's notation
 * (i = i32, l = i64; params ':' results) and its code. */
struct wasi_function {
    const char *name;
    const char *signature;
    void *code;
};
const struct wasi_function *wasi_find(const char *name);
/* The shape of `name` with that signature (WasmEdge has two shapes of some socket functions). */
const struct wasi_function *wasi_find_typed(const char *name, const char *signature);
extern const struct wasi_function wasi_functions[];
extern const uint32_t wasi_function_count;

/* Host address of guest range [offset, offset + len) in memory 0, or NULL when any byte is outside. */
static inline uint8_t *guest_range(uw_vmctx *ctx, uint32_t offset, uint64_t len) {
    if (!ctx || !ctx->module || !ctx->module->num_memories || !ctx->memories || !ctx->memories[0]) return NULL;
    const uw_memory *m = ctx->memories[0];
    if ((uint64_t)offset + len > m->size) return NULL;
    return m->base + offset;
}

static inline void guest_store_u32(uint8_t *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void guest_store_u64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }
static inline uint32_t guest_load_u32(const uint8_t *p) {
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

/* Stores a u32 result at a guest offset; EFAULT when it does not fit. */
static inline int32_t guest_put_u32(uw_vmctx *ctx, uint32_t offset, uint32_t v) {
    uint8_t *p = guest_range(ctx, offset, 4);
    if (!p) return WASI_EFAULT;
    guest_store_u32(p, v);
    return WASI_ESUCCESS;
}

/* ---- The prototype of every function of functions.h, made from its row; what each does is in
 * kernel/README.md, "WASI" (args.c, clock.c, random.c, proc.c, fd.c, filestat.c, dir.c, open.c,
 * poll.c; proc_raise is ENOSYS in unsupported.c; sockets in sock.c and sock_wasmedge.c). Parameters
 * are unnamed here; the definitions name them. ---- */

/* A row's types in C: a Wasm type letter as a parameter (after the instance) and as the result. */
#define WASI_PARAM_i , int32_t
#define WASI_PARAM_l , int64_t
#define WASI_PARAM_ /* from `()`: no parameters */
#define WASI_PARAM(letter) WASI_PARAM_##letter
#define WASI_RESULT_i int32_t
#define WASI_RESULT_l int64_t
#define WASI_RESULT_ void
/* A type letter in the module descriptor's notation. */
#define WASI_LETTER_i "i"
#define WASI_LETTER_l "l"
#define WASI_LETTER_
#define WASI_LETTER(letter) WASI_LETTER_##letter
/* A row's signature in the module descriptor's notation: (i, l, i), i -> "ili:i". */
#define WASI_SIGNATURE(params, result) WASI_EACH(WASI_LETTER, params) ":" WASI_LETTER(result)

/* m(x) for each x of a parenthesised list of at most 12; `()` is one empty x. */
#define WASI_EACH(m, list) WASI_EACH_(m, WASI_UNPAREN list)
#define WASI_UNPAREN(...) __VA_ARGS__
#define WASI_EACH_(m, ...) WASI_EACH_N(__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, )(m, __VA_ARGS__)
#define WASI_EACH_N(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, n, ...) WASI_EACH_##n
#define WASI_EACH_1(m, a) m(a)
#define WASI_EACH_2(m, a, ...) m(a) WASI_EACH_1(m, __VA_ARGS__)
#define WASI_EACH_3(m, a, ...) m(a) WASI_EACH_2(m, __VA_ARGS__)
#define WASI_EACH_4(m, a, ...) m(a) WASI_EACH_3(m, __VA_ARGS__)
#define WASI_EACH_5(m, a, ...) m(a) WASI_EACH_4(m, __VA_ARGS__)
#define WASI_EACH_6(m, a, ...) m(a) WASI_EACH_5(m, __VA_ARGS__)
#define WASI_EACH_7(m, a, ...) m(a) WASI_EACH_6(m, __VA_ARGS__)
#define WASI_EACH_8(m, a, ...) m(a) WASI_EACH_7(m, __VA_ARGS__)
#define WASI_EACH_9(m, a, ...) m(a) WASI_EACH_8(m, __VA_ARGS__)
#define WASI_EACH_10(m, a, ...) m(a) WASI_EACH_9(m, __VA_ARGS__)
#define WASI_EACH_11(m, a, ...) m(a) WASI_EACH_10(m, __VA_ARGS__)
#define WASI_EACH_12(m, a, ...) m(a) WASI_EACH_11(m, __VA_ARGS__)

#define WASI_PROTOTYPE(function, params, result, symbol) \
    WASI_RESULT_##result function(uw_vmctx *WASI_EACH(WASI_PARAM, params)) __asm__(symbol);
#define WASI_FUNCTION(name, params, result) \
    WASI_PROTOTYPE(wasi_##name, params, result, "uw_imp.wasi_snapshot_preview1." #name)
#define WASMEDGE_FUNCTION(name, params, result) WASI_FUNCTION(name, params, result)
#define WASMEDGE_VARIANT(name, params, result, version) \
    WASI_PROTOTYPE(wasmedge_##name##_##version, params, result, "uw_wasmedge_" #version "." #name)
#include "functions.h"
#undef WASI_FUNCTION
#undef WASMEDGE_FUNCTION
#undef WASMEDGE_VARIANT

#endif
