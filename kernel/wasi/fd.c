/* The standard streams: fd 0 reads COM1, fd 1 writes COM1, fd 2 writes COM2. No other descriptor
 * exists yet (no pre-opened directories, no sockets). */
#include "kernel/console.h"
#include "wasi.h"

#define FILETYPE_CHARACTER_DEVICE 2
#define RIGHT_FD_READ (1ull << 1)
#define RIGHT_FD_WRITE (1ull << 6)
#define RIGHT_POLL_FD_READWRITE (1ull << 27)
#define IOVEC_SIZE 8     /* { u32 buf; u32 len } */
#define FDSTAT_SIZE 24   /* u8 filetype; u16 flags @2; u64 rights_base @8; u64 rights_inheriting @16 */
#define PRESTAT_SIZE 8

/* Checks every iovec before any byte moves, so a bad one fails the call without side effects.
 * Returns the total length to transfer (capped so it fits the u32 result) or -1 for EFAULT. */
static int64_t check_iovecs(uw_vmctx *ctx, uint32_t iovs, uint32_t count) {
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

int32_t wasi_fd_write(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten_out) {
    if (fd != 1 && fd != 2) return WASI_EBADF;
    uint8_t *result = guest_range(ctx, (uint32_t)nwritten_out, 4);
    int64_t total = check_iovecs(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    uint8_t *list = guest_range(ctx, (uint32_t)iovs, (uint64_t)(uint32_t)iovs_len * IOVEC_SIZE);
    uint64_t left = (uint64_t)total;
    for (uint32_t i = 0; i < (uint32_t)iovs_len && left; i++) {
        uint32_t len = guest_load_u32(list + (uint64_t)i * IOVEC_SIZE + 4);
        if (len > left) len = (uint32_t)left;
        uint8_t *buf = guest_range(ctx, guest_load_u32(list + (uint64_t)i * IOVEC_SIZE), len);
        if (fd == 1) console_stdout(buf, len);
        else console_stderr(buf, len);
        left -= len;
    }
    guest_store_u32(result, (uint32_t)total);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_read(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread_out) {
    if (fd != 0) return WASI_EBADF;
    uint8_t *result = guest_range(ctx, (uint32_t)nread_out, 4);
    int64_t total = check_iovecs(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    uint8_t *list = guest_range(ctx, (uint32_t)iovs, (uint64_t)(uint32_t)iovs_len * IOVEC_SIZE);
    uint32_t done = 0;
    /* Block for the first byte only; then take what has already arrived, like a read on a tty. */
    for (uint32_t i = 0; i < (uint32_t)iovs_len; i++) {
        uint32_t len = guest_load_u32(list + (uint64_t)i * IOVEC_SIZE + 4);
        if (!len) continue;
        uint8_t *buf = guest_range(ctx, guest_load_u32(list + (uint64_t)i * IOVEC_SIZE), len);
        size_t got = console_read_stdin(buf, len);
        done += (uint32_t)got;
        if (got < len || !console_stdin_available()) break;
    }
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_fdstat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) {
    if (fd < 0 || fd > 2) return WASI_EBADF;
    uint8_t *stat = guest_range(ctx, (uint32_t)stat_out, FDSTAT_SIZE);
    if (!stat) return WASI_EFAULT;
    __builtin_memset(stat, 0, FDSTAT_SIZE);
    stat[0] = FILETYPE_CHARACTER_DEVICE;
    uint64_t rights = (fd == 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE) | RIGHT_POLL_FD_READWRITE;
    guest_store_u64(stat + 8, rights);
    return WASI_ESUCCESS;
}

/* No directory is pre-opened, so no descriptor has a prestat: EBADF is the true answer, and the one
 * wasi-libc's start-up scan of descriptors 3, 4, ... stops at. */
int32_t wasi_fd_prestat_get(uw_vmctx *ctx, int32_t fd, int32_t prestat_out) {
    (void)fd;
    if (!guest_range(ctx, (uint32_t)prestat_out, PRESTAT_SIZE)) return WASI_EFAULT;
    return WASI_EBADF;
}
