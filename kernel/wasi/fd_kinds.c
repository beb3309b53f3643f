/*
 * The descriptor kinds that are not sockets (fdtable.h, struct fd_ops): the console's three
 * streams, regular files and directories. Sockets' tables are in sock.c.
 */
#include "kernel/app.h"
#include "kernel/bootconfig.h"
#include "kernel/platform.h"
#include "fdtable.h"
#include "iovec.h"
#include "wasi.h"

#define FILETYPE_CHARACTER_DEVICE 2

/* ---- the console: stdin, stdout, stderr ---- */

static uint8_t console_filetype(const struct fd_entry *e) {
    (void)e;
    return FILETYPE_CHARACTER_DEVICE;
}

/* The boot configuration says the app has no stdin: its end, at once, without asking the platform
 * (whose host then never has to send it). */
static bool no_stdin(void) { return app_config()->no_stdin; }

static int32_t stdin_read(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                          uint32_t *done) {
    (void)e;
    (void)total;
    *done = 0;
    if (no_stdin()) return WASI_ESUCCESS;
    /* Block for the first byte only; then take what has already arrived, like a read on a tty. */
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;
        uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        if (!len) continue;
        size_t got = plat_stdin_read(buf, len);
        *done += (uint32_t)got;
        if (got < len || !plat_stdin_ready()) break;
    }
    return WASI_ESUCCESS;
}

static int32_t console_write(enum plat_stream stream, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                             uint32_t *done) {
    *done = (uint32_t)total;
    for (uint32_t i = 0; i < count && total; i++) {
        uint32_t len;
        uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        if (len > total) len = (uint32_t)total;
        plat_console_write(stream, buf, len);
        total -= len;
    }
    return WASI_ESUCCESS;
}

static int32_t stdout_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                            uint32_t *done) {
    (void)e;
    return console_write(PLAT_STDOUT, ctx, iovs, count, total, done);
}

static int32_t stderr_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                            uint32_t *done) {
    (void)e;
    return console_write(PLAT_STDERR, ctx, iovs, count, total, done);
}

/* Ready when bytes have arrived, or (with the hang-up flag) when input has ended. */
static int32_t stdin_poll(const struct fd_entry *e, bool read, bool *ready, struct fd_readiness *r) {
    (void)e;
    if (!read) return WASI_EBADF;
    if (no_stdin()) {
        r->hangup = true;
    } else if (plat_stdin_ready()) {
        r->nbytes = 1;
    } else if (plat_stdin_at_eof()) {
        r->hangup = true;
    } else {
        *ready = false;
        return WASI_ESUCCESS;
    }
    *ready = true;
    return WASI_ESUCCESS;
}

/* Output never waits (serial output is polled, a process's is the host's business). */
static int32_t output_poll(const struct fd_entry *e, bool read, bool *ready, struct fd_readiness *r) {
    (void)e;
    (void)r;
    if (read) return WASI_EBADF;
    *ready = true;
    return WASI_ESUCCESS;
}

const struct fd_ops fd_stdin_ops = {
    .filetype = console_filetype,
    .read = stdin_read,
    .no_position = WASI_ESPIPE,
    .poll = stdin_poll,
};

const struct fd_ops fd_stdout_ops = {
    .filetype = console_filetype,
    .write = stdout_write,
    .no_position = WASI_ESPIPE,
    .poll = output_poll,
};

const struct fd_ops fd_stderr_ops = {
    .filetype = console_filetype,
    .write = stderr_write,
    .no_position = WASI_ESPIPE,
    .poll = output_poll,
};

/* ---- files and directories (fs/vfs.h nodes) ---- */

static uint8_t node_filetype(const struct fd_entry *e) { return (uint8_t)e->node->type; }

static void node_close(struct fd_entry *e) {
    e->node->opens--;
    vnode_release(e->node);
}

/* Reads at `offset` into the iovecs; the count in *done. */
static int32_t file_pread(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                          uint64_t offset, uint32_t *done) {
    struct vnode *f = e->node;
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
    return WASI_ESUCCESS;
}

static int32_t write_at(struct vnode *f, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t offset, uint64_t total,
                        uint32_t *done) {
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

static int32_t file_read_stream(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                                uint32_t *done) {
    file_pread(e, ctx, iovs, count, total, e->offset, done);
    e->offset += *done;
    return WASI_ESUCCESS;
}

static int32_t file_write_stream(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                                 uint32_t *done) {
    if (e->node->mount->read_only) return WASI_EROFS;
    uint64_t at = e->fdflags & FDFLAG_APPEND ? e->node->file.size : e->offset;
    int32_t err = write_at(e->node, ctx, iovs, count, at, total, done);
    e->offset = at + *done;
    return err;
}

static int32_t file_pwrite(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                           uint64_t offset, uint32_t *done) {
    if (e->node->mount->read_only) return WASI_EROFS;
    /* POSIX leaves pwrite on an append descriptor to the platform; like Linux, the data go at the
     * end; wasmtime does the same */
    uint64_t at = e->fdflags & FDFLAG_APPEND ? e->node->file.size : offset;
    return write_at(e->node, ctx, iovs, count, at, total, done);
}

static int32_t file_seek(struct fd_entry *e, int64_t offset, int32_t whence, uint64_t *position) {
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
    *position = e->offset;
    return WASI_ESUCCESS;
}

/* The range stays sparse until written (a later write may still find the mount full: ENOSPC). */
static int32_t file_allocate(struct fd_entry *e, uint64_t end) {
    if (e->node->mount->read_only) return WASI_EROFS;
    if (end <= e->node->file.size) return WASI_ESUCCESS;
    return file_set_size(e->node, end);
}

static int32_t file_truncate(struct fd_entry *e, uint64_t size) {
    if (e->node->mount->read_only) return WASI_EROFS;
    return file_set_size(e->node, size);
}

/* Files are always ready (as POSIX poll): reads report the bytes left after the position. */
static int32_t file_poll(const struct fd_entry *e, bool read, bool *ready, struct fd_readiness *r) {
    if (read) {
        uint64_t size = e->node->file.size;
        r->nbytes = size > e->offset ? size - e->offset : 0;
    }
    *ready = true;
    return WASI_ESUCCESS;
}

const struct fd_ops fd_file_ops = {
    .filetype = node_filetype,
    .read = file_read_stream,
    .write = file_write_stream,
    .pread = file_pread,
    .pwrite = file_pwrite,
    .seek = file_seek,
    .allocate = file_allocate,
    .set_size = file_truncate,
    .poll = file_poll,
    .close = node_close,
};

static int32_t directory_read(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                              uint32_t *done) {
    (void)e, (void)ctx, (void)iovs, (void)count, (void)total, (void)done;
    return WASI_EISDIR;
}

static int32_t directory_set_size(struct fd_entry *e, uint64_t size) {
    (void)e, (void)size;
    return WASI_EISDIR;
}

static struct vnode *directory_node(const struct fd_entry *e) { return e->node; }

/* Directories have no position (fd_readdir takes cookies): the positioned calls are EBADF, as
 * wasmtime answers them. No poll: a directory subscription is EBADF. */
const struct fd_ops fd_directory_ops = {
    .filetype = node_filetype,
    .read = directory_read,
    .set_size = directory_set_size,
    .no_position = WASI_EBADF,
    .directory = directory_node,
    .close = node_close,
};
