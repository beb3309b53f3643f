/*
 * Descriptor I/O: read, write, pread, pwrite, seek, tell on the console streams and on files;
 * close, renumber, fdstat, prestat, sync, advise, allocate. Files on read-only mounts refuse every
 * change with EROFS.
 */
#include "kernel/platform.h"
#include "kernel/string.h"
#include "fdtable.h"
#include "iovec.h"
#include "sock.h"
#include "wasi.h"

#define FDSTAT_SIZE 24   /* u8 filetype; u16 flags @2; u64 rights_base @8; u64 rights_inheriting @16 */
#define PRESTAT_SIZE 8   /* u8 tag (0 = dir); u32 name length @4 */
#define FILETYPE_CHARACTER_DEVICE 2
#define WHENCE_SET 0
#define WHENCE_CUR 1
#define WHENCE_END 2
#define ADVICE_MAX 5

static int32_t console_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total) {
    for (uint32_t i = 0; i < count && total; i++) {
        uint32_t len;
        uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        if (len > total) len = (uint32_t)total;
        plat_console_write(e->kind == FD_STDOUT ? PLAT_STDOUT : PLAT_STDERR, buf, len);
        total -= len;
    }
    return WASI_ESUCCESS;
}

/* Reads at `offset` into the iovecs; the count in *done. */
static void file_read_iovecs(struct vnode *f, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t offset, uint64_t total, uint32_t *done) {
    uint64_t got = 0;
    for (uint32_t i = 0; i < count && got < total; i++) {
        uint32_t len;
        uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        if (len > total - got) len = (uint32_t)(total - got);
        uint64_t n = file_read(f, offset + got, buf, len);
        got += n;
        if (n < len) break;
    }
    f->atim = vfs_now();
    *done = (uint32_t)got;
}

static int32_t file_write_iovecs(struct vnode *f, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t offset, uint64_t total, uint32_t *done) {
    uint64_t put = 0;
    int32_t err = WASI_ESUCCESS;
    for (uint32_t i = 0; i < count && put < total; i++) {
        uint32_t len;
        uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        if (len > total - put) len = (uint32_t)(total - put);
        uint64_t n;
        err = file_write(f, offset + put, buf, len, &n);
        put += n;
        if (err || n < len) break;
    }
    *done = (uint32_t)put;
    /* a partial write reports what was stored; the error comes with the next attempt */
    return put ? WASI_ESUCCESS : err;
}

int32_t wasi_fd_write(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_WRITE, WASI_EBADF, &err);
    if (!e) return err;
    uint8_t *result = guest_range(ctx, (uint32_t)nwritten_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    uint32_t done = (uint32_t)total;
    if (e->kind == FD_STDOUT || e->kind == FD_STDERR) {
        err = console_write(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, (uint64_t)total);
    } else if (e->kind == FD_FILE) {
        if (e->node->mount->read_only) return WASI_EROFS;
        uint64_t at = e->fdflags & FDFLAG_APPEND ? e->node->file.size : e->offset;
        err = file_write_iovecs(e->node, ctx, (uint32_t)iovs, (uint32_t)iovs_len, at, (uint64_t)total, &done);
        e->offset = at + done;
    } else if (e->kind == FD_SOCKET) {
        err = sock_fd_write(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, &done);
    } else {
        return WASI_EBADF;
    }
    if (err) return err;
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_pwrite(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nwritten_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_WRITE, WASI_EBADF, &err);
    if (!e) return err;
    if (e->kind != FD_FILE) return e->kind == FD_DIRECTORY ? WASI_EBADF : WASI_ESPIPE;
    if (!(e->rights_base & RIGHT_FD_SEEK)) return WASI_ENOTCAPABLE;
    uint8_t *result = guest_range(ctx, (uint32_t)nwritten_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    if (offset < 0) return WASI_EINVAL;
    if (e->node->mount->read_only) return WASI_EROFS;
    uint32_t done;
    /* POSIX leaves pwrite on an append descriptor to the platform; like Linux, the data go at the
     * end; wasmtime does the same */
    uint64_t at = e->fdflags & FDFLAG_APPEND ? e->node->file.size : (uint64_t)offset;
    err = file_write_iovecs(e->node, ctx, (uint32_t)iovs, (uint32_t)iovs_len, at, (uint64_t)total, &done);
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
    uint32_t done = 0;
    if (e->kind == FD_STDIN) {
        /* Block for the first byte only; then take what has already arrived, like a read on a tty. */
        for (uint32_t i = 0; i < (uint32_t)iovs_len; i++) {
            uint32_t len;
            uint8_t *buf = iovec_at(ctx, (uint32_t)iovs, i, &len);
            if (!len) continue;
            size_t got = plat_stdin_read(buf, len);
            done += (uint32_t)got;
            if (got < len || !plat_stdin_ready()) break;
        }
    } else if (e->kind == FD_FILE) {
        file_read_iovecs(e->node, ctx, (uint32_t)iovs, (uint32_t)iovs_len, e->offset, (uint64_t)total, &done);
        e->offset += done;
    } else if (e->kind == FD_DIRECTORY) {
        return WASI_EISDIR;
    } else if (e->kind == FD_SOCKET) {
        err = sock_fd_read(e, ctx, (uint32_t)iovs, (uint32_t)iovs_len, &done);
        if (err) return err;
    } else {
        return WASI_EBADF;
    }
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_pread(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nread_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_READ, WASI_EBADF, &err);
    if (!e) return err;
    if (e->kind == FD_DIRECTORY) return WASI_EISDIR;
    if (e->kind != FD_FILE) return WASI_ESPIPE;
    if (!(e->rights_base & RIGHT_FD_SEEK)) return WASI_ENOTCAPABLE;
    uint8_t *result = guest_range(ctx, (uint32_t)nread_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)iovs, (uint32_t)iovs_len);
    if (!result || total < 0) return WASI_EFAULT;
    if (offset < 0) return WASI_EINVAL;
    uint32_t done;
    file_read_iovecs(e->node, ctx, (uint32_t)iovs, (uint32_t)iovs_len, (uint64_t)offset, (uint64_t)total, &done);
    guest_store_u32(result, done);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_seek(uw_vmctx *ctx, int32_t fd, int64_t offset, int32_t whence, int32_t new_offset_out) {
    /* a seek to the current position is a tell: either right allows it */
    bool is_tell = whence == WHENCE_CUR && offset == 0;
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    if (e->kind == FD_DIRECTORY) return WASI_EBADF;
    if (e->kind != FD_FILE) return WASI_ESPIPE;
    uint64_t allowed = is_tell ? RIGHT_FD_TELL | RIGHT_FD_SEEK : RIGHT_FD_SEEK;
    if (!(e->rights_base & allowed)) return WASI_ENOTCAPABLE;
    uint8_t *out = guest_range(ctx, (uint32_t)new_offset_out, 8);
    if (!out) return WASI_EFAULT;
    int64_t base;
    switch (whence) {
    case WHENCE_SET: base = 0; break;
    case WHENCE_CUR: base = (int64_t)e->offset; break;
    case WHENCE_END: base = (int64_t)e->node->file.size; break;
    default: return WASI_EINVAL;
    }
    int64_t target;
    if (__builtin_add_overflow(base, offset, &target)) return WASI_EOVERFLOW;
    if (target < 0) return WASI_EINVAL;
    e->offset = (uint64_t)target;
    guest_store_u64(out, e->offset);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_tell(uw_vmctx *ctx, int32_t fd, int32_t offset_out) {
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    if (e->kind == FD_DIRECTORY) return WASI_EBADF;
    if (e->kind != FD_FILE) return WASI_ESPIPE;
    if (!(e->rights_base & (RIGHT_FD_TELL | RIGHT_FD_SEEK))) return WASI_ENOTCAPABLE;
    uint8_t *out = guest_range(ctx, (uint32_t)offset_out, 8);
    if (!out) return WASI_EFAULT;
    guest_store_u64(out, e->offset);
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

static uint8_t filetype_of(const struct fd_entry *e) {
    if (e->kind == FD_SOCKET) return sock_filetype(e);
    return e->node ? (uint8_t)e->node->type : FILETYPE_CHARACTER_DEVICE;
}

int32_t wasi_fd_fdstat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) {
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    uint8_t *stat = guest_range(ctx, (uint32_t)stat_out, FDSTAT_SIZE);
    if (!stat) return WASI_EFAULT;
    memset(stat, 0, FDSTAT_SIZE);
    stat[0] = filetype_of(e);
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
    if (e->kind == FD_DIRECTORY) return WASI_EBADF;
    if (e->kind != FD_FILE) return WASI_ESPIPE;
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
    if (e->kind != FD_FILE) return e->kind == FD_DIRECTORY ? WASI_EBADF : WASI_ESPIPE;
    if (offset < 0 || len <= 0) return WASI_EINVAL;
    uint64_t end;
    if (__builtin_add_overflow((uint64_t)offset, (uint64_t)len, &end)) return WASI_EFBIG;
    if (e->node->mount->read_only) return WASI_EROFS;
    if (end <= e->node->file.size) return WASI_ESUCCESS;
    return file_set_size(e->node, end);
}
