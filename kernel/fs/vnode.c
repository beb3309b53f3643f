#include "kernel/platform.h"
#include "kernel/heap.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "vfs.h"

uint64_t vfs_now(void) { return plat_clock_realtime_ns(); }

struct vnode *vnode_new(struct mount *m, enum vnode_type type) {
    struct vnode *n = heap_alloc(sizeof *n);
    if (!n) return NULL;
    n->type = type;
    n->mount = m;
    n->inode = m->next_inode++;
    n->atim = n->mtim = n->ctim = vfs_now();
    if (type == VNODE_DIRECTORY) n->dir.parent = n;
    return n;
}

static void vnode_free(struct vnode *n) {
    switch (n->type) {
    case VNODE_DIRECTORY:
        /* only empty directories lose their last link (rmdir checks), so entries hold nothing */
        for (uint32_t i = 0; i < n->dir.count; i++) heap_free(n->dir.entries[i].name);
        heap_free(n->dir.entries);
        break;
    case VNODE_REGULAR_FILE: file_free_pages(n); break;
    case VNODE_SYMLINK: heap_free(n->link.target); break;
    }
    heap_free(n);
}

void vnode_release(struct vnode *n) {
    if (!n->links && !n->opens) vnode_free(n);
}

struct vnode *dir_lookup(struct vnode *dir, const char *name, uint32_t len) {
    for (uint32_t i = 0; i < dir->dir.count; i++) {
        struct dir_entry *e = &dir->dir.entries[i];
        if (e->name_len == len && memcmp(e->name, name, len) == 0) return e->node;
    }
    return NULL;
}

int32_t dir_link(struct vnode *dir, const char *name, uint32_t len, struct vnode *node) {
    if (dir_lookup(dir, name, len)) return WASI_EEXIST;
    if (dir->dir.count == dir->dir.capacity) {
        uint32_t cap = dir->dir.capacity ? dir->dir.capacity * 2 : 8;
        struct dir_entry *grown = heap_realloc(dir->dir.entries, sizeof(struct dir_entry) * cap);
        if (!grown) return WASI_ENOMEM;
        dir->dir.entries = grown;
        dir->dir.capacity = cap;
    }
    char *copy = heap_alloc(len ? len : 1);
    if (!copy) return WASI_ENOMEM;
    memcpy(copy, name, len);
    dir->dir.entries[dir->dir.count++] = (struct dir_entry){copy, len, node};
    node->links++;
    if (node->type == VNODE_DIRECTORY) node->dir.parent = dir;
    dir->mtim = dir->ctim = vfs_now();
    return WASI_ESUCCESS;
}

static int64_t entry_index(struct vnode *dir, const char *name, uint32_t len) {
    for (uint32_t i = 0; i < dir->dir.count; i++) {
        struct dir_entry *e = &dir->dir.entries[i];
        if (e->name_len == len && memcmp(e->name, name, len) == 0) return i;
    }
    return -1;
}

int32_t dir_unlink(struct vnode *dir, const char *name, uint32_t len) {
    int64_t i = entry_index(dir, name, len);
    if (i < 0) return WASI_ENOENT;
    struct vnode *node = dir->dir.entries[i].node;
    heap_free(dir->dir.entries[i].name);
    /* keep the order of the others, so a readdir in progress sees each remaining name once
     * (at worst it skips the one that moved into the freed slot behind its cookie) */
    memmove(&dir->dir.entries[i], &dir->dir.entries[i + 1], sizeof(struct dir_entry) * (dir->dir.count - i - 1));
    dir->dir.count--;
    dir->mtim = dir->ctim = vfs_now();
    node->links--;
    node->ctim = vfs_now();
    if (node->type == VNODE_DIRECTORY && !node->links) node->dir.parent = node;
    vnode_release(node);
    return WASI_ESUCCESS;
}

void dir_replace(struct vnode *dir, const char *name, uint32_t len, struct vnode *node) {
    int64_t i = entry_index(dir, name, len);
    struct vnode *old = dir->dir.entries[i].node;
    dir->dir.entries[i].node = node;
    node->links++;
    if (node->type == VNODE_DIRECTORY) node->dir.parent = dir;
    old->links--;
    if (old->type == VNODE_DIRECTORY && !old->links) old->dir.parent = old;
    vnode_release(old);
    dir->mtim = dir->ctim = vfs_now();
}
