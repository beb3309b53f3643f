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

#define WASI_IMPORT(name) __asm__("uw_imp.wasi_snapshot_preview1." #name)

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
static inline uint32_t guest_load_u32(const uint8_t *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }

/* Stores a u32 result at a guest offset; EFAULT when it does not fit. */
static inline int32_t guest_put_u32(uw_vmctx *ctx, uint32_t offset, uint32_t v) {
    uint8_t *p = guest_range(ctx, offset, 4);
    if (!p) return WASI_EFAULT;
    guest_store_u32(p, v);
    return WASI_ESUCCESS;
}

/* ---- args, environment, clocks, randomness, process (args.c, clock.c, random.c, proc.c) and the
 * descriptor functions (fd.c, filestat.c, dir.c, open.c, poll.c); the status of each is in
 * kernel/README.md, "WASI" ---- */
int32_t wasi_args_get(uw_vmctx *ctx, int32_t argv, int32_t argv_buf) WASI_IMPORT(args_get);
int32_t wasi_args_sizes_get(uw_vmctx *ctx, int32_t argc_out, int32_t buf_size_out) WASI_IMPORT(args_sizes_get);
int32_t wasi_environ_get(uw_vmctx *ctx, int32_t environ, int32_t environ_buf) WASI_IMPORT(environ_get);
int32_t wasi_environ_sizes_get(uw_vmctx *ctx, int32_t count_out, int32_t buf_size_out) WASI_IMPORT(environ_sizes_get);
int32_t wasi_clock_res_get(uw_vmctx *ctx, int32_t id, int32_t res_out) WASI_IMPORT(clock_res_get);
int32_t wasi_clock_time_get(uw_vmctx *ctx, int32_t id, int64_t precision, int32_t time_out) WASI_IMPORT(clock_time_get);
int32_t wasi_fd_fdstat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) WASI_IMPORT(fd_fdstat_get);
int32_t wasi_fd_prestat_get(uw_vmctx *ctx, int32_t fd, int32_t prestat_out) WASI_IMPORT(fd_prestat_get);
int32_t wasi_fd_read(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread_out) WASI_IMPORT(fd_read);
int32_t wasi_fd_write(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten_out) WASI_IMPORT(fd_write);
_Noreturn void wasi_proc_exit(uw_vmctx *ctx, int32_t code) WASI_IMPORT(proc_exit);
int32_t wasi_random_get(uw_vmctx *ctx, int32_t buf, int32_t buf_len) WASI_IMPORT(random_get);
int32_t wasi_sched_yield(uw_vmctx *ctx) WASI_IMPORT(sched_yield);

/* ---- files, directories, polling (see above); proc_raise is ENOSYS (wasi/unsupported.c); sockets in wasi/sock.c ---- */
int32_t wasi_fd_advise(uw_vmctx *ctx, int32_t fd, int64_t offset, int64_t len, int32_t advice) WASI_IMPORT(fd_advise);
int32_t wasi_fd_allocate(uw_vmctx *ctx, int32_t fd, int64_t offset, int64_t len) WASI_IMPORT(fd_allocate);
int32_t wasi_fd_close(uw_vmctx *ctx, int32_t fd) WASI_IMPORT(fd_close);
int32_t wasi_fd_datasync(uw_vmctx *ctx, int32_t fd) WASI_IMPORT(fd_datasync);
int32_t wasi_fd_fdstat_set_flags(uw_vmctx *ctx, int32_t fd, int32_t flags) WASI_IMPORT(fd_fdstat_set_flags);
int32_t wasi_fd_fdstat_set_rights(uw_vmctx *ctx, int32_t fd, int64_t base, int64_t inheriting) WASI_IMPORT(fd_fdstat_set_rights);
int32_t wasi_fd_filestat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) WASI_IMPORT(fd_filestat_get);
int32_t wasi_fd_filestat_set_size(uw_vmctx *ctx, int32_t fd, int64_t size) WASI_IMPORT(fd_filestat_set_size);
int32_t wasi_fd_filestat_set_times(uw_vmctx *ctx, int32_t fd, int64_t atim, int64_t mtim, int32_t flags) WASI_IMPORT(fd_filestat_set_times);
int32_t wasi_fd_pread(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nread_out) WASI_IMPORT(fd_pread);
int32_t wasi_fd_prestat_dir_name(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) WASI_IMPORT(fd_prestat_dir_name);
int32_t wasi_fd_pwrite(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nwritten_out) WASI_IMPORT(fd_pwrite);
int32_t wasi_fd_readdir(uw_vmctx *ctx, int32_t fd, int32_t buf, int32_t buf_len, int64_t cookie, int32_t used_out) WASI_IMPORT(fd_readdir);
int32_t wasi_fd_renumber(uw_vmctx *ctx, int32_t fd, int32_t to) WASI_IMPORT(fd_renumber);
int32_t wasi_fd_seek(uw_vmctx *ctx, int32_t fd, int64_t offset, int32_t whence, int32_t new_offset_out) WASI_IMPORT(fd_seek);
int32_t wasi_fd_sync(uw_vmctx *ctx, int32_t fd) WASI_IMPORT(fd_sync);
int32_t wasi_fd_tell(uw_vmctx *ctx, int32_t fd, int32_t offset_out) WASI_IMPORT(fd_tell);
int32_t wasi_path_create_directory(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) WASI_IMPORT(path_create_directory);
int32_t wasi_path_filestat_get(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t path, int32_t path_len, int32_t stat_out) WASI_IMPORT(path_filestat_get);
int32_t wasi_path_filestat_set_times(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t path, int32_t path_len, int64_t atim, int64_t mtim, int32_t fst_flags) WASI_IMPORT(path_filestat_set_times);
int32_t wasi_path_link(uw_vmctx *ctx, int32_t old_fd, int32_t old_flags, int32_t old_path, int32_t old_path_len, int32_t new_fd, int32_t new_path, int32_t new_path_len) WASI_IMPORT(path_link);
int32_t wasi_path_open(uw_vmctx *ctx, int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags, int64_t rights_base, int64_t rights_inheriting, int32_t fdflags, int32_t fd_out) WASI_IMPORT(path_open);
int32_t wasi_path_readlink(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len, int32_t buf, int32_t buf_len, int32_t used_out) WASI_IMPORT(path_readlink);
int32_t wasi_path_remove_directory(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) WASI_IMPORT(path_remove_directory);
int32_t wasi_path_rename(uw_vmctx *ctx, int32_t fd, int32_t old_path, int32_t old_path_len, int32_t new_fd, int32_t new_path, int32_t new_path_len) WASI_IMPORT(path_rename);
int32_t wasi_path_symlink(uw_vmctx *ctx, int32_t old_path, int32_t old_path_len, int32_t fd, int32_t new_path, int32_t new_path_len) WASI_IMPORT(path_symlink);
int32_t wasi_path_unlink_file(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) WASI_IMPORT(path_unlink_file);
int32_t wasi_poll_oneoff(uw_vmctx *ctx, int32_t in, int32_t out, int32_t nsubscriptions, int32_t nevents_out) WASI_IMPORT(poll_oneoff);
int32_t wasi_proc_raise(uw_vmctx *ctx, int32_t sig) WASI_IMPORT(proc_raise);
int32_t wasi_sock_accept(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) WASI_IMPORT(sock_accept);
int32_t wasi_sock_recv(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t ri_flags, int32_t datalen_out, int32_t flags_out) WASI_IMPORT(sock_recv);
int32_t wasi_sock_send(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t si_flags, int32_t datalen_out) WASI_IMPORT(sock_send);
int32_t wasi_sock_shutdown(uw_vmctx *ctx, int32_t fd, int32_t how) WASI_IMPORT(sock_shutdown);

#endif
