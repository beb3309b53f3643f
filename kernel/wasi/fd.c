/*
 * Descriptor calls: read, write, pread, pwrite, seek, tell, close, renumber, fdstat, prestat, sync,
 * advise, allocate. Each checks rights and guest pointers, then calls through the descriptor's
 * kind (fdtable.h, struct fd_ops; the kinds are in fd_kinds.c and sock.c).
 */
#include "kernel/string.h"
#include "fdtable.h"
#include "iovec.h"
#include "wasi.h"

#define FDSTAT_SIZE 24 /* u8 filetype; u16 flags @2; u64 rights_base @8; u64 rights_inheriting @16 */
#define PRESTAT_SIZE 8 /* u8 tag (0 = dir); u32 name length @4 */
#define ADVICE_MAX 5

int32_t wasi_fd_write(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_WRITE, WASI_EBADF, &err);
    if (!e) return err;
    uint8_t *result = guest_range(ctx, (uint32_t)nwritten_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    if (!e->ops->write) return WASI_EBADF;
    uint32_t done = 0;
    err = e->ops->write(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, (uint64_t)total, &done);
    if (err) return err;
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_pwrite(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset,
                       int32_t nwritten_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_WRITE, WASI_EBADF, &err);
    if (!e) return err;
    if (!e->ops->pwrite) return e->ops->no_position;
    if (!(e->rights_base & RIGHT_FD_SEEK)) return WASI_ENOTCAPABLE;
    uint8_t *result = guest_range(ctx, (uint32_t)nwritten_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    if (offset < 0) return WASI_EINVAL;
    uint32_t done = 0;
    err = e->ops->pwrite(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, (uint64_t)total, (uint64_t)offset, &done);
    if (err) return err;
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_read(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_READ, WASI_EBADF, &err);
    if (!e) return err;
    uint8_t *result = guest_range(ctx, (uint32_t)nread_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    if (!e->ops->read) return WASI_EBADF;
    uint32_t done = 0;
    err = e->ops->read(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, (uint64_t)total, &done);
    if (err) return err;
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_pread(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nread_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_READ, WASI_EBADF, &err);
    if (!e) return err;
    if (!e->ops->pread) return e->ops->no_position;
    if (!(e->rights_base & RIGHT_FD_SEEK)) return WASI_ENOTCAPABLE;
    uint8_t *result = guest_range(ctx, (uint32_t)nread_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    if (offset < 0) return WASI_EINVAL;
    uint32_t done = 0;
    err = e->ops->pread(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, (uint64_t)total, (uint64_t)offset, &done);
    if (err) return err;
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_seek(uw_vmctx *ctx, int32_t fd, int64_t offset, int32_t whence, int32_t new_offset_out) {
    /* a seek to the current position is a tell: either right allows it */
    bool is_tell = whence == WHENCE_CUR && offset == 0;
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    if (!e->ops->seek) return e->ops->no_position;
    uint64_t allowed = is_tell ? RIGHT_FD_TELL | RIGHT_FD_SEEK : RIGHT_FD_SEEK;
    if (!(e->rights_base & allowed)) return WASI_ENOTCAPABLE;
    uint8_t *out = guest_range(ctx, (uint32_t)new_offset_out, 8);
    if (!out) return WASI_EFAULT;
    uint64_t position;
    int32_t err = e->ops->seek(e, offset, whence, &position);
    if (err) return err;
    guest_store_u64(out, position);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_tell(uw_vmctx *ctx, int32_t fd, int32_t offset_out) {
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    if (!e->ops->seek) return e->ops->no_position;
    if (!(e->rights_base & (RIGHT_FD_TELL | RIGHT_FD_SEEK))) return WASI_ENOTCAPABLE;
    uint8_t *out = guest_range(ctx, (uint32_t)offset_out, 8);
    if (!out) return WASI_EFAULT;
    uint64_t position;
    int32_t err = e->ops->seek(e, 0, WHENCE_CUR, &position);
    if (err) return err;
    guest_store_u64(out, position);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_close(uw_vmctx *ctx, int32_t fd) {
    (void)ctx;
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    fd_release(e);
    return WASI_ESUCCESS;
}

/* Moves `fd` onto `to`, closing what `to` held; both must be open (WASI preview1 semantics). */
int32_t wasi_fd_renumber(uw_vmctx *ctx, int32_t fd, int32_t to) {
    (void)ctx;
    struct fd_entry *from = fd_get(fd);
    struct fd_entry *dest = fd_get(to);
    if (!from || !dest) return WASI_EBADF;
    if (fd == to) return WASI_ESUCCESS;
    fd_release(dest);
    *dest = *from;
    memset(from, 0, sizeof *from);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_fdstat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) {
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    uint8_t *stat = guest_range(ctx, (uint32_t)stat_out, FDSTAT_SIZE);
    if (!stat) return WASI_EFAULT;
    memset(stat, 0, FDSTAT_SIZE);
    stat[0] = e->ops->filetype(e);
    stat[2] = (uint8_t)e->fdflags;
    guest_store_u64(stat + 8, e->rights_base);
    guest_store_u64(stat + 16, e->rights_inheriting);
    return WASI_ESUCCESS;
}

/* Only append and nonblock change anything; the sync flags are accepted (memory is always in sync). */
int32_t wasi_fd_fdstat_set_flags(uw_vmctx *ctx, int32_t fd, int32_t flags) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_FDSTAT_SET_FLAGS, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    if ((uint32_t)flags & ~(uint32_t)FDFLAGS_ALL) return WASI_EINVAL;
    e->fdflags = (uint16_t)flags;
    return WASI_ESUCCESS;
}

int32_t wasi_fd_fdstat_set_rights(uw_vmctx *ctx, int32_t fd, int64_t base, int64_t inheriting) {
    (void)ctx;
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    if (((uint64_t)base & ~e->rights_base) || ((uint64_t)inheriting & ~e->rights_inheriting)) return WASI_ENOTCAPABLE;
    e->rights_base = (uint64_t)base;
    e->rights_inheriting = (uint64_t)inheriting;
    return WASI_ESUCCESS;
}

int32_t wasi_fd_prestat_get(uw_vmctx *ctx, int32_t fd, int32_t prestat_out) {
    struct fd_entry *e = fd_get(fd);
    uint8_t *out = guest_range(ctx, (uint32_t)prestat_out, PRESTAT_SIZE);
    if (!e || e->preopen < 0) return WASI_EBADF;
    if (!out) return WASI_EFAULT;
    memset(out, 0, PRESTAT_SIZE);
    guest_store_u32(out + 4, vfs_mount((uint32_t)e->preopen)->guest_path_len);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_prestat_dir_name(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) {
    struct fd_entry *e = fd_get(fd);
    if (!e || e->preopen < 0) return WASI_EBADF;
    struct mount *m = vfs_mount((uint32_t)e->preopen);
    uint8_t *out = guest_range(ctx, (uint32_t)path, (uint32_t)path_len);
    if (!out) return WASI_EFAULT;
    if ((uint32_t)path_len < m->guest_path_len) return WASI_ENAMETOOLONG;
    memcpy(out, m->guest_path, m->guest_path_len);
    return WASI_ESUCCESS;
}

/* Files live in memory: there is nothing to flush, but the descriptor and its right are checked. */
int32_t wasi_fd_sync(uw_vmctx *ctx, int32_t fd) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_SYNC, WASI_ENOTCAPABLE, &err);
    return e ? WASI_ESUCCESS : err;
}

int32_t wasi_fd_datasync(uw_vmctx *ctx, int32_t fd) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_DATASYNC, WASI_ENOTCAPABLE, &err);
    return e ? WASI_ESUCCESS : err;
}

/* Advice changes nothing for memory-backed files; arguments are validated as the spec asks. */
int32_t wasi_fd_advise(uw_vmctx *ctx, int32_t fd, int64_t offset, int64_t len, int32_t advice) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_ADVISE, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    if (!e->ops->seek) return e->ops->no_position;
    if (advice < 0 || advice > ADVICE_MAX || offset < 0 || len < 0) return WASI_EINVAL;
    return WASI_ESUCCESS;
}

/* Extends the file to cover [offset, offset + len); the range stays sparse until written (a later
 * write may still find the mount full: ENOSPC then). */
int32_t wasi_fd_allocate(uw_vmctx *ctx, int32_t fd, int64_t offset, int64_t len) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_ALLOCATE, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    if (!e->ops->allocate) return e->ops->no_position;
    if (offset < 0 || len <= 0) return WASI_EINVAL;
    uint64_t end;
    if (__builtin_add_overflow((uint64_t)offset, (uint64_t)len, &end)) return WASI_EFBIG;
    return e->ops->allocate(e, end);
}
