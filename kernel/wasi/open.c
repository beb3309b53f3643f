/* path_open: every oflag (creat, directory, excl, trunc) and fdflag; the new descriptor's rights are
 * the requested ones within what the directory may hand out. */
#include "fdtable.h"
#include "path.h"
#include "wasi.h"

#define LOOKUP_SYMLINK_FOLLOW 0x1
#define OFLAG_CREAT 0x1
#define OFLAG_DIRECTORY 0x2
#define OFLAG_EXCL 0x4
#define OFLAG_TRUNC 0x8
#define OFLAGS_ALL 0xf

static int32_t open_node(struct vnode *dir, const char *p, uint32_t len, uint32_t dirflags, uint32_t oflags,
                         uint64_t rights, struct vnode **out) {
    struct resolved r;
    int32_t err = path_resolve(dir, p, len, dirflags & LOOKUP_SYMLINK_FOLLOW, &r);
    if (err) return err;
    struct vnode *n = r.node;
    if (!n) {
        if (!(oflags & OFLAG_CREAT)) err = WASI_ENOENT;
        else if (oflags & OFLAG_DIRECTORY || r.trailing_slash) err = r.trailing_slash ? WASI_EISDIR : WASI_EINVAL;
        else if (r.parent->mount->read_only) err = WASI_EROFS;
        else if (!(n = vnode_new(r.parent->mount, VNODE_REGULAR_FILE))) err = WASI_ENOMEM;
        else if ((err = dir_link(r.parent, r.name, r.name_len, n))) {
            vnode_release(n);
            n = NULL;
        }
        resolved_release(&r);
        if (err) return err;
        *out = n;
        return WASI_ESUCCESS;
    }
    resolved_release(&r);
    if (oflags & OFLAG_CREAT && oflags & OFLAG_EXCL) return WASI_EEXIST;
    if (n->type == VNODE_SYMLINK) return WASI_ELOOP; /* last component not followed: O_NOFOLLOW */
    if (oflags & OFLAG_DIRECTORY && n->type != VNODE_DIRECTORY) return WASI_ENOTDIR;
    if (n->type == VNODE_DIRECTORY) {
        if (oflags & OFLAG_TRUNC || rights & RIGHT_FD_WRITE) return WASI_EISDIR;
    } else {
        if (n->mount->read_only && (oflags & OFLAG_TRUNC || rights & RIGHT_FD_WRITE)) return WASI_EROFS;
        if (oflags & OFLAG_TRUNC && (err = file_set_size(n, 0))) return err;
    }
    *out = n;
    return WASI_ESUCCESS;
}

int32_t wasi_path_open(uw_vmctx *ctx, int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                       int64_t rights_base, int64_t rights_inheriting, int32_t fdflags, int32_t fd_out) {
    int32_t err;
    struct fd_entry *d = fd_get_with(fd, RIGHT_PATH_OPEN, WASI_ENOTCAPABLE, &err);
    if (!d) return err;
    struct vnode *dir = fd_directory(d);
    if (!dir) return WASI_ENOTDIR;
    const char *p = (const char *)guest_range(ctx, (uint32_t)path, (uint32_t)path_len);
    uint8_t *out = guest_range(ctx, (uint32_t)fd_out, 4);
    if (!p || !out) return WASI_EFAULT;
    if ((uint32_t)oflags & ~(uint32_t)OFLAGS_ALL || (uint32_t)fdflags & ~(uint32_t)FDFLAGS_ALL) return WASI_EINVAL;
    if (oflags & OFLAG_CREAT && !(d->rights_base & RIGHT_PATH_CREATE_FILE)) return WASI_ENOTCAPABLE;
    if (oflags & OFLAG_TRUNC && !(d->rights_base & RIGHT_PATH_FILESTAT_SET_SIZE)) return WASI_ENOTCAPABLE;
    uint64_t inheritable = d->rights_inheriting;
    struct vnode *n;
    err = open_node(dir, p, (uint32_t)path_len, (uint32_t)dirflags, (uint32_t)oflags, (uint64_t)rights_base, &n);
    if (err) return err;
    int32_t new_fd;
    /* d is not used past this point: growing the table may move it */
    struct fd_entry *e = fd_allocate(&new_fd, &err);
    if (!e) {
        vnode_release(n);
        return err;
    }
    bool is_dir = n->type == VNODE_DIRECTORY;
    e->open = true;
    e->ops = is_dir ? &fd_directory_ops : &fd_file_ops;
    e->node = n;
    n->opens++;
    e->fdflags = (uint16_t)fdflags;
    e->rights_base = (uint64_t)rights_base & inheritable & (is_dir ? RIGHTS_DIRECTORY : RIGHTS_REGULAR_FILE);
    e->rights_inheriting = (uint64_t)rights_inheriting & inheritable;
    guest_store_u32(out, (uint32_t)new_fd);
    return WASI_ESUCCESS;
}
