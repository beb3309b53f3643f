/*
 * A hand-written stand-in for a compiled Wasm app: it defines `uw_module` the way the compiler's
 * object does (abi.h) and calls WASI through the direct-import symbols, with "guest pointers" that
 * are offsets into its own linear memory. argv[1] picks a scenario, so one image covers every
 * kernel test (see ImageBootTest).
 */
#include <stddef.h>
#include <stdint.h>
#include "uniwasm/runtime.h"

#define IMPORT(name) __asm__("uw_imp.wasi_snapshot_preview1." #name)
int32_t wasi_fd_write(uw_vmctx *, int32_t, int32_t, int32_t, int32_t) IMPORT(fd_write);
int32_t wasi_fd_read(uw_vmctx *, int32_t, int32_t, int32_t, int32_t) IMPORT(fd_read);
int32_t wasi_args_sizes_get(uw_vmctx *, int32_t, int32_t) IMPORT(args_sizes_get);
int32_t wasi_args_get(uw_vmctx *, int32_t, int32_t) IMPORT(args_get);
int32_t wasi_environ_sizes_get(uw_vmctx *, int32_t, int32_t) IMPORT(environ_sizes_get);
int32_t wasi_environ_get(uw_vmctx *, int32_t, int32_t) IMPORT(environ_get);
_Noreturn void wasi_proc_exit(uw_vmctx *, int32_t) IMPORT(proc_exit);
int32_t wasi_clock_time_get(uw_vmctx *, int32_t, int64_t, int32_t) IMPORT(clock_time_get);
int32_t wasi_random_get(uw_vmctx *, int32_t, int32_t) IMPORT(random_get);
int32_t wasi_proc_raise(uw_vmctx *, int32_t) IMPORT(proc_raise);

size_t strlen(const char *);
void *memcpy(void *, const void *, size_t);
int strcmp(const char *, const char *);

/* Linear memory layout of the fake app (offsets). */
enum {
    IOV = 0x100,
    RESULT = 0x110,
    CLOCK = 0x118,
    SCRATCH = 0x200,
    ARGV = 0x1000,
    ARGBUF = 0x2000,
    ENVP = 0x3000,
    ENVBUF = 0x4000,
    TEXT = 0x8000,
    INBUF = 0x10000,
    MEMORY_PAGES = 2
};

static uint8_t *mem(uw_vmctx *ctx) { return ctx->mem0_base; }

static void put32(uw_vmctx *ctx, uint32_t off, uint32_t v) { memcpy(mem(ctx) + off, &v, 4); }
static uint32_t get32(uw_vmctx *ctx, uint32_t off) {
    uint32_t v;
    memcpy(&v, mem(ctx) + off, 4);
    return v;
}

static int32_t write_at(uw_vmctx *ctx, int fd, uint32_t off, uint32_t len) {
    put32(ctx, IOV, off);
    put32(ctx, IOV + 4, len);
    return wasi_fd_write(ctx, fd, IOV, 1, RESULT);
}

static void print(uw_vmctx *ctx, int fd, const char *s) {
    uint32_t len = (uint32_t)strlen(s);
    memcpy(mem(ctx) + TEXT, s, len);
    write_at(ctx, fd, TEXT, len);
}

static void print_u64(uw_vmctx *ctx, int fd, uint64_t v) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char out[24];
    for (int i = 0; i < n; i++) out[i] = digits[n - 1 - i];
    out[n] = 0;
    print(ctx, fd, out);
}

static uint32_t parse_u32(const char *s) {
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

static void print_list(uw_vmctx *ctx, const char *label, int env) {
    int32_t rc = env ? wasi_environ_sizes_get(ctx, RESULT, RESULT + 4) : wasi_args_sizes_get(ctx, RESULT, RESULT + 4);
    if (rc) {
        print(ctx, 2, "sizes_get failed\n");
        return;
    }
    uint32_t count = get32(ctx, RESULT);
    rc = env ? wasi_environ_get(ctx, ENVP, ENVBUF) : wasi_args_get(ctx, ARGV, ARGBUF);
    if (rc) {
        print(ctx, 2, "get failed\n");
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t s = get32(ctx, (env ? ENVP : ARGV) + 4 * i);
        print(ctx, 1, label);
        print_u64(ctx, 1, i);
        print(ctx, 1, "=");
        write_at(ctx, 1, s, (uint32_t)strlen((const char *)mem(ctx) + s));
        print(ctx, 1, "\n");
    }
}

static int recurse(volatile uint8_t *p, int depth) {
    volatile uint8_t frame[512];
    frame[0] = (uint8_t)depth;
    frame[511] = p ? p[0] : 0;
    return recurse(frame, depth + 1) + frame[7];
}

static void fake_start(uw_vmctx *ctx) {
    if (wasi_args_sizes_get(ctx, RESULT, RESULT + 4) || wasi_args_get(ctx, ARGV, ARGBUF)) wasi_proc_exit(ctx, 99);
    uint32_t argc = get32(ctx, RESULT);
    const char *cmd = argc > 1 ? (const char *)mem(ctx) + get32(ctx, ARGV + 4) : "hello";
    const char *arg = argc > 2 ? (const char *)mem(ctx) + get32(ctx, ARGV + 8) : "0";

    if (!strcmp(cmd, "hello")) {
        print(ctx, 1, "hello from uniwasm\n");
    } else if (!strcmp(cmd, "args")) {
        print_list(ctx, "arg", 0);
        print_list(ctx, "env", 1);
    } else if (!strcmp(cmd, "stderr")) {
        print(ctx, 2, "to stderr\n");
    } else if (!strcmp(cmd, "exit")) {
        print(ctx, 1, "exiting\n");
        wasi_proc_exit(ctx, (int32_t)parse_u32(arg));
    } else if (!strcmp(cmd, "trap")) {
        uw_trap(ctx, parse_u32(arg));
    } else if (!strcmp(cmd, "oob")) {
        /* One byte past the end of memory, then far out in the reservation. */
        volatile uint8_t *p = mem(ctx) + (uint64_t)MEMORY_PAGES * UW_PAGE_SIZE + parse_u32(arg);
        print_u64(ctx, 1, *p);
    } else if (!strcmp(cmd, "stack")) {
        print_u64(ctx, 1, (uint64_t)recurse(NULL, 0));
    } else if (!strcmp(cmd, "null")) {
        volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)parse_u32(arg);
        print_u64(ctx, 1, *p);
    } else if (!strcmp(cmd, "echo")) {
        for (;;) {
            put32(ctx, IOV, INBUF);
            put32(ctx, IOV + 4, 4096);
            if (wasi_fd_read(ctx, 0, IOV, 1, RESULT)) wasi_proc_exit(ctx, 98);
            uint32_t n = get32(ctx, RESULT);
            if (!n) break;
            write_at(ctx, 1, INBUF, n);
        }
        print(ctx, 1, "<eof>\n");
    } else if (!strcmp(cmd, "clock")) {
        wasi_clock_time_get(ctx, 1, 1, CLOCK);
        uint64_t t0;
        memcpy(&t0, mem(ctx) + CLOCK, 8);
        for (volatile int i = 0; i < 1000000; i++) {
        }
        wasi_clock_time_get(ctx, 1, 1, CLOCK);
        uint64_t t1;
        memcpy(&t1, mem(ctx) + CLOCK, 8);
        print(ctx, 1, "monotonic_delta_ns=");
        print_u64(ctx, 1, t1 - t0);
        wasi_clock_time_get(ctx, 0, 1, CLOCK);
        memcpy(&t0, mem(ctx) + CLOCK, 8);
        print(ctx, 1, "\nrealtime_s=");
        print_u64(ctx, 1, t0 / 1000000000u);
        print(ctx, 1, "\nbad_clock_errno=");
        print_u64(ctx, 1, (uint64_t)wasi_clock_time_get(ctx, 9, 1, CLOCK));
        print(ctx, 1, "\n");
    } else if (!strcmp(cmd, "random")) {
        if (wasi_random_get(ctx, SCRATCH, 16)) wasi_proc_exit(ctx, 97);
        static const char hex[] = "0123456789abcdef";
        char out[34];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = hex[mem(ctx)[SCRATCH + i] >> 4];
            out[2 * i + 1] = hex[mem(ctx)[SCRATCH + i] & 15];
        }
        out[32] = '\n';
        out[33] = 0;
        print(ctx, 1, out);
    } else if (!strcmp(cmd, "errors")) {
        /* iovec list outside memory, iovec buffer outside memory, result outside memory, bad fd, ENOSYS */
        print(ctx, 1, "efault_list=");
        print_u64(ctx, 1, (uint64_t)wasi_fd_write(ctx, 1, MEMORY_PAGES * UW_PAGE_SIZE - 4, 1, RESULT));
        print(ctx, 1, "\nefault_buf=");
        put32(ctx, IOV, MEMORY_PAGES * UW_PAGE_SIZE - 2);
        put32(ctx, IOV + 4, 8);
        print_u64(ctx, 1, (uint64_t)wasi_fd_write(ctx, 1, IOV, 1, RESULT));
        print(ctx, 1, "\nefault_result=");
        print_u64(ctx, 1, (uint64_t)wasi_args_sizes_get(ctx, 0xfffffffe, RESULT));
        print(ctx, 1, "\nebadf=");
        print_u64(ctx, 1, (uint64_t)wasi_fd_write(ctx, 7, IOV, 0, RESULT));
        print(ctx, 1, "\nenosys=");
        print_u64(ctx, 1, (uint64_t)wasi_proc_raise(ctx, 1));
        print(ctx, 1, "\n");
    } else if (!strcmp(cmd, "grow")) {
        int32_t old = uw_memory_grow(ctx, 0, 1);
        volatile uint8_t *p = mem(ctx) + (uint64_t)MEMORY_PAGES * UW_PAGE_SIZE + 100;
        *p = 42;
        print(ctx, 1, "old_pages=");
        print_u64(ctx, 1, (uint64_t)old);
        print(ctx, 1, " value=");
        print_u64(ctx, 1, *p);
        print(ctx, 1, "\n");
    } else {
        print(ctx, 2, "unknown scenario\n");
        wasi_proc_exit(ctx, 2);
    }
}

/* ---- the module descriptor ---- */

static void call_void(void *code, uw_vmctx *ctx, uw_value *io) {
    (void)io;
    ((void (*)(uw_vmctx *))code)(ctx);
}
static void call_i_void(void *code, uw_vmctx *ctx, uw_value *io) {
    ((void (*)(uw_vmctx *, int32_t))code)(ctx, io[0].i32);
}
static void call_ii_i(void *code, uw_vmctx *ctx, uw_value *io) {
    io[0].i32 = ((int32_t(*)(uw_vmctx *, int32_t, int32_t))code)(ctx, io[0].i32, io[1].i32);
}
static void call_iiii_i(void *code, uw_vmctx *ctx, uw_value *io) {
    io[0].i32 = ((int32_t(*)(uw_vmctx *, int32_t, int32_t, int32_t, int32_t))code)(ctx, io[0].i32, io[1].i32, io[2].i32,
                                                                                   io[3].i32);
}
static void call_ili_i(void *code, uw_vmctx *ctx, uw_value *io) {
    io[0].i32 = ((int32_t(*)(uw_vmctx *, int32_t, int64_t, int32_t))code)(ctx, io[0].i32, io[1].i64, io[2].i32);
}
static void call_i_i(void *code, uw_vmctx *ctx, uw_value *io) {
    io[0].i32 = ((int32_t(*)(uw_vmctx *, int32_t))code)(ctx, io[0].i32);
}

enum { T_VOID, T_I_VOID, T_II_I, T_IIII_I, T_ILI_I, T_I_I, TYPE_COUNT };
static const char *const type_sigs[TYPE_COUNT] = {":", "i:", "ii:i", "iiii:i", "ili:i", "i:i"};
static const uw_array_call type_calls[TYPE_COUNT] = {call_void,   call_i_void, call_ii_i,
                                                     call_iiii_i, call_ili_i,  call_i_i};

#define WASI(name, type, index) UW_IMPORT("wasi_snapshot_preview1", #name, UW_EXTERN_FUNC, index, type, 0, 0)
static const uw_import_desc imports[] = {
    WASI(fd_write, T_IIII_I, 0),  WASI(fd_read, T_IIII_I, 1),         WASI(args_sizes_get, T_II_I, 2),
    WASI(args_get, T_II_I, 3),    WASI(environ_sizes_get, T_II_I, 4), WASI(environ_get, T_II_I, 5),
    WASI(proc_exit, T_I_VOID, 6), WASI(clock_time_get, T_ILI_I, 7),   WASI(random_get, T_II_I, 8),
    WASI(proc_raise, T_I_I, 9),
};
#define IMPORT_COUNT (sizeof imports / sizeof imports[0])
#define START_INDEX IMPORT_COUNT

static const uint32_t func_types[] = {T_IIII_I, T_IIII_I, T_II_I, T_II_I, T_II_I, T_II_I,
                                      T_I_VOID, T_ILI_I,  T_II_I, T_I_I,  T_VOID};
static void *const func_code[] = {
    (void *)wasi_fd_write,          (void *)wasi_fd_read,     (void *)wasi_args_sizes_get, (void *)wasi_args_get,
    (void *)wasi_environ_sizes_get, (void *)wasi_environ_get, (void *)wasi_proc_exit,      (void *)wasi_clock_time_get,
    (void *)wasi_random_get,        (void *)wasi_proc_raise,  (void *)fake_start,
};
static const char *const func_names[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "_start"};
static const uw_export_desc exports[] = {UW_EXPORT("_start", UW_EXTERN_FUNC, START_INDEX),
                                         UW_EXPORT("memory", UW_EXTERN_MEMORY, 0)};
static const uw_limits_desc memories[] = {{MEMORY_PAGES, UW_NO_MAX}};

static void init(uw_vmctx *ctx) { (void)ctx; }

const uw_module_desc uw_module = {
    .abi_version = UW_ABI_VERSION,
    .num_types = TYPE_COUNT,
    .type_sigs = type_sigs,
    .type_array_calls = type_calls,
    .num_imports = IMPORT_COUNT,
    .imports = imports,
    .num_exports = 2,
    .exports = exports,
    .num_funcs = IMPORT_COUNT + 1,
    .num_imported_funcs = IMPORT_COUNT,
    .func_types = func_types,
    .func_code = func_code,
    .func_names = func_names,
    .num_memories = 1,
    .memories = memories,
    .init = init,
    .start_func = -1,
};
