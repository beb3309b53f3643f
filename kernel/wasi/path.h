/*
 * Path resolution inside one directory descriptor, the sandbox: every descriptor is its own root.
 * Absolute paths, a ".." above the starting directory and symlinks whose target is absolute or
 * climbs out all fail with EPERM, as wasmtime reports escapes. Symlinks in the middle of a path
 * are always followed (at most 40 hops, then ELOOP); the last component only when asked or when
 * the path ends in '/'.
 */
#ifndef KERNEL_WASI_PATH_H
#define KERNEL_WASI_PATH_H

#include "../fs/vfs.h"
#include "kernel/types.h"

struct resolved {
    struct vnode *parent; /* directory that holds (or would hold) the last component */
    const char *name;     /* last component, inside `buffer` */
    uint32_t name_len;
    struct vnode *node; /* what it names, or NULL when absent */
    bool dot;           /* the last component is "." or ".." (cannot be created or removed) */
    bool trailing_slash;
    char *buffer;
};

/* Resolves `path` (guest bytes, `len` long) from directory `start`. On success the caller must
 * call resolved_release. A missing last component is not an error (node == NULL); a missing
 * directory on the way is ENOENT. */
int32_t path_resolve(struct vnode *start, const char *path, uint32_t len, bool follow_final, struct resolved *out);
void resolved_release(struct resolved *r);

#endif
