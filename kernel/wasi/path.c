#include "kernel/heap.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "path.h"

#define MAX_SYMLINK_HOPS 40
#define MAX_PATH_BYTES 65536u

void resolved_release(struct resolved *r) {
    heap_free(r->buffer);
    r->buffer = NULL;
}

/* Replaces the path being walked by `target` followed by what is left of it after `rest`. */
static int32_t splice_symlink(char **buf, uint32_t *len, uint32_t *pos, const struct vnode *link, uint32_t rest) {
    if (!link->link.len) return WASI_ENOENT;
    if (link->link.target[0] == '/') return WASI_EPERM;
    uint32_t tail = *len - rest;
    uint64_t total = (uint64_t)link->link.len + 1 + tail;
    if (total > MAX_PATH_BYTES) return WASI_ENAMETOOLONG;
    char *next = heap_alloc(total);
    if (!next) return WASI_ENOMEM;
    memcpy(next, link->link.target, link->link.len);
    next[link->link.len] = '/';
    memcpy(next + link->link.len + 1, *buf + rest, tail);
    /* without a tail the added '/' would turn "link" into "target/": keep it only when one was there */
    uint32_t next_len = tail ? (uint32_t)total : link->link.len;
    heap_free(*buf);
    *buf = next;
    *len = next_len;
    *pos = 0;
    return WASI_ESUCCESS;
}

int32_t path_resolve(struct vnode *start, const char *path, uint32_t len, bool follow_final, struct resolved *out) {
    memset(out, 0, sizeof *out);
    if (start->type != VNODE_DIRECTORY) return WASI_ENOTDIR;
    if (!len) return WASI_ENOENT;
    if (len > MAX_PATH_BYTES) return WASI_ENAMETOOLONG;
    if (path[0] == '/') return WASI_EPERM;
    for (uint32_t i = 0; i < len; i++) {
        if (!path[i]) return WASI_EINVAL;
    }
    char *buf = heap_alloc(len);
    if (!buf) return WASI_ENOMEM;
    memcpy(buf, path, len);
    uint32_t pos = 0, hops = 0;
    uint64_t depth = 0;
    struct vnode *cur = start;
    int32_t err;
    for (;;) {
        while (pos < len && buf[pos] == '/') pos++;
        uint32_t s = pos;
        while (pos < len && buf[pos] != '/') pos++;
        uint32_t e = pos;
        while (pos < len && buf[pos] == '/') pos++;
        bool final = pos == len;
        bool trailing = final && e < len;
        const char *name = buf + s;
        uint32_t n = e - s;
        if (n > 255) {
            err = WASI_ENAMETOOLONG;
            goto fail;
        }
        bool is_dot = n == 1 && name[0] == '.';
        bool is_dotdot = n == 2 && name[0] == '.' && name[1] == '.';
        if (is_dot || is_dotdot || n == 0) {
            if (is_dotdot) {
                if (!depth) {
                    err = WASI_EPERM;
                    goto fail;
                }
                cur = cur->dir.parent;
                depth--;
            }
            if (final) {
                *out = (struct resolved){cur, name, n, cur, true, trailing, buf};
                return WASI_ESUCCESS;
            }
            continue;
        }
        struct vnode *node = dir_lookup(cur, name, n);
        if (node && node->type == VNODE_SYMLINK && (!final || follow_final || trailing)) {
            if (++hops > MAX_SYMLINK_HOPS) {
                err = WASI_ELOOP;
                goto fail;
            }
            err = splice_symlink(&buf, &len, &pos, node, trailing ? e : pos);
            if (err) goto fail;
            continue;
        }
        if (final) {
            if (trailing && node && node->type != VNODE_DIRECTORY) {
                err = WASI_ENOTDIR;
                goto fail;
            }
            *out = (struct resolved){cur, name, n, node, false, trailing, buf};
            return WASI_ESUCCESS;
        }
        if (!node) {
            err = WASI_ENOENT;
            goto fail;
        }
        if (node->type != VNODE_DIRECTORY) {
            err = WASI_ENOTDIR;
            goto fail;
        }
        cur = node;
        depth++;
    }
fail:
    heap_free(buf);
    return err;
}
