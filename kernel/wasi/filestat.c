/* fd_filestat_* and path_filestat_*: stat, truncate and timestamps of files and directories. */
#include "kernel/string.h"
#include "fdtable.h"
#include "path.h"
#include "wasi.h"

#define FILESTAT_SIZE 64 /* dev, ino, u8 filetype @16, nlink @24, size @32, atim @40, mtim @48, ctim @56 */
#define LOOKUP_SYMLINK_FOLLOW 0x1
#define FST_ATIM 0x1
#define FST_ATIM_NOW 0x2
#define FST_MTIM 0x4
#define FST_MTIM_NOW 0x8

static void store_filestat(uint8_t *out, const struct vnode *n) {
    memset(out, 0, FILESTAT_SIZE);
    if (!n) return; /* a descriptor without a node: only its filetype, which the caller sets */
    guest_store_u64(out, n->mount->device);
    guest_store_u64(out + 8, n->inode);
    out[16] = (uint8_t)n->type;
    guest_store_u64(out + 24, n->links);
    uint64_t size = n->type == VNODE_REGULAR_FILE ? n->file.size
                    : n->type == VNODE_SYMLINK    ? n->link.len
                                                  : n->dir.count;
    guest_store_u64(out + 32, size);
    guest_store_u64(out + 40, n->atim);
    guest_store_u64(out + 48, n->mtim);
    guest_store_u64(out + 56, n->ctim);
}

static int32_t set_times(struct vnode *n, uint64_t atim, uint64_t mtim, uint32_t flags) {
    if (flags & ~(uint32_t)(FST_ATIM | FST_ATIM_NOW | FST_MTIM | FST_MTIM_NOW)) return WASI_EINVAL;
    if ((flags & FST_ATIM && flags & FST_ATIM_NOW) || (flags & FST_MTIM && flags & FST_MTIM_NOW)) return WASI_EINVAL;
    if (n->mount->read_only) return WASI_EROFS;
    uint64_t now = vfs_now();
    if (flags & FST_ATIM) n->atim = atim;
    if (flags & FST_ATIM_NOW) n->atim = now;
    if (flags & FST_MTIM) n->mtim = mtim;
    if (flags & FST_MTIM_NOW) n->mtim = now;
    n->ctim = now;
    return WASI_ESUCCESS;
}

int32_t wasi_fd_filestat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) {
    struct fd_entry *e = fd_get(fd);
    if (!e) return WASI_EBADF;
    if (e->node && !(e->rights_base & RIGHT_FD_FILESTAT_GET)) return WASI_ENOTCAPABLE;
    uint8_t *out = guest_range(ctx, (uint32_t)stat_out, FILESTAT_SIZE);
    if (!out) return WASI_EFAULT;
    store_filestat(out, e->node);
    out[16] = e->ops->filetype(e);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_filestat_set_size(uw_vmctx *ctx, int32_t fd, int64_t size) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_FILESTAT_SET_SIZE, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    if (!e->ops->set_size) return WASI_EINVAL;
    if (size < 0) return WASI_EINVAL;
    return e->ops->set_size(e, (uint64_t)size);
}

int32_t wasi_fd_filestat_set_times(uw_vmctx *ctx, int32_t fd, int64_t atim, int64_t mtim, int32_t flags) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_FD_FILESTAT_SET_TIMES, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    if (!e->node) return WASI_ENOTSUP;
    return set_times(e->node, (uint64_t)atim, (uint64_t)mtim, (uint32_t)flags);
}

int32_t wasi_path_filestat_get(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t path, int32_t path_len,
                               int32_t stat_out) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_PATH_FILESTAT_GET, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    struct vnode *dir = fd_directory(e);
    if (!dir) return WASI_ENOTDIR;
    const char *p = (const char *)guest_range(ctx, (uint32_t)path, (uint32_t)path_len);
    uint8_t *out = guest_range(ctx, (uint32_t)stat_out, FILESTAT_SIZE);
    if (!p || !out) return WASI_EFAULT;
    struct resolved r;
    err = path_resolve(dir, p, (uint32_t)path_len, (uint32_t)flags & LOOKUP_SYMLINK_FOLLOW, &r);
    if (err) return err;
    if (!r.node) err = WASI_ENOENT;
    else store_filestat(out, r.node);
    resolved_release(&r);
    return err;
}

int32_t wasi_path_filestat_set_times(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t path, int32_t path_len,
                                     int64_t atim, int64_t mtim, int32_t fst_flags) {
    int32_t err;
    struct fd_entry *e = fd_get_with(fd, RIGHT_PATH_FILESTAT_SET_TIMES, WASI_ENOTCAPABLE, &err);
    if (!e) return err;
    struct vnode *dir = fd_directory(e);
    if (!dir) return WASI_ENOTDIR;
    const char *p = (const char *)guest_range(ctx, (uint32_t)path, (uint32_t)path_len);
    if (!p) return WASI_EFAULT;
    struct resolved r;
    err = path_resolve(dir, p, (uint32_t)path_len, (uint32_t)flags & LOOKUP_SYMLINK_FOLLOW, &r);
    if (err) return err;
    if (!r.node) err = WASI_ENOENT;
    else err = set_times(r.node, (uint64_t)atim, (uint64_t)mtim, (uint32_t)fst_flags);
    resolved_release(&r);
    return err;
}
