/*
 * Loads a UWFS image (kernel/README.md, "File-system images", written by dev.uniwasm.image.FsImage)
 * into a mount's tree. File bytes stay in the image and are served in place; a writable mount
 * copies a file into pages on its first change. Every offset is checked: a bad image is a panic
 * naming the mount and the byte offset.
 */
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "vfs.h"

#define FSIMAGE_HEADER_SIZE 32
#define FSIMAGE_INODE_SIZE 32

static uint32_t rd32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static uint16_t rd16(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}
static uint64_t rd64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

struct image_ctx {
    const uint8_t *image;
    uint64_t size;
    uint32_t inode_count;
    uint64_t table;
    struct vnode **nodes;
    uint32_t mount_index;
};

static bool memchr_slash(const char *s, uint32_t len) {
    for (uint32_t i = 0; i < len; i++) {
        if (s[i] == '/' || s[i] == 0) return true;
    }
    return false;
}

static const uint8_t *inode_at(struct image_ctx *c, uint32_t i) {
    return c->image + c->table + (uint64_t)i * FSIMAGE_INODE_SIZE;
}

void fsimage_load(struct mount *m, const uint8_t *image, uint64_t size, uint32_t mount_index) {
    if (size < FSIMAGE_HEADER_SIZE || memcmp(image, "UWFS", 4) != 0) {
        panic("mount %u: file-system image has a bad magic at byte 0 (expected \"UWFS\")", mount_index);
    }
    if (rd32(image + 4) != 1)
        panic("mount %u: file-system image version %u at byte 4 is not 1", mount_index, rd32(image + 4));
    struct image_ctx c = {image, size, rd32(image + 8), rd64(image + 16), NULL, mount_index};
    if (rd64(image + 24) != size) {
        panic("mount %u: file-system image size %llu at byte 24 differs from its %llu bytes", mount_index,
              (unsigned long long)rd64(image + 24), (unsigned long long)size);
    }
    if (!c.inode_count || c.table < FSIMAGE_HEADER_SIZE || c.table > size ||
        (uint64_t)c.inode_count * FSIMAGE_INODE_SIZE > size - c.table) {
        panic("mount %u: file-system image inode table (bytes 8, 16) lies outside the image", mount_index);
    }
    c.nodes = heap_alloc(sizeof(struct vnode *) * c.inode_count);
    if (!c.nodes) panic("mount %u: out of memory for %u inodes", mount_index, c.inode_count);
    for (uint32_t i = 0; i < c.inode_count; i++) {
        const uint8_t *e = inode_at(&c, i);
        uint64_t at = c.table + (uint64_t)i * FSIMAGE_INODE_SIZE;
        uint8_t type = e[0];
        uint64_t data = rd64(e + 16), len = rd64(e + 24);
        if (data > size || len > size - data) {
            panic("mount %u: inode %u data (bytes %llu..%llu) lies outside the image", mount_index, i,
                  (unsigned long long)at + 16, (unsigned long long)at + 31);
        }
        if (type != VNODE_DIRECTORY && type != VNODE_REGULAR_FILE && type != VNODE_SYMLINK) {
            panic("mount %u: inode %u has unknown type %u at byte %llu", mount_index, i, type, (unsigned long long)at);
        }
        if (i == 0 && type != VNODE_DIRECTORY) panic("mount %u: inode 0 (the root) is not a directory", mount_index);
        struct vnode *n = vnode_new(m, (enum vnode_type)type);
        if (!n) panic("mount %u: out of memory for inode %u", mount_index, i);
        n->atim = n->mtim = n->ctim = rd64(e + 8);
        if (type == VNODE_REGULAR_FILE) {
            n->file.in_place = image + data;
            n->file.size = len;
        } else if (type == VNODE_SYMLINK) {
            n->link.target = heap_alloc(len ? len : 1);
            if (!n->link.target) panic("mount %u: out of memory for a symlink", mount_index);
            memcpy(n->link.target, image + data, len);
            n->link.len = (uint32_t)len;
        }
        c.nodes[i] = n;
    }
    /* links second, so a directory may name inodes after it */
    for (uint32_t i = 0; i < c.inode_count; i++) {
        struct vnode *dir = c.nodes[i];
        if (dir->type != VNODE_DIRECTORY) continue;
        const uint8_t *e = inode_at(&c, i);
        uint64_t pos = rd64(e + 16), end = pos + rd64(e + 24);
        while (pos < end) {
            if (end - pos < 6)
                panic("mount %u: directory entry at byte %llu is truncated", mount_index, (unsigned long long)pos);
            uint32_t child = rd32(image + pos);
            uint16_t name_len = rd16(image + pos + 4);
            const char *name = (const char *)image + pos + 6;
            if (name_len > end - pos - 6)
                panic("mount %u: directory entry name at byte %llu is truncated", mount_index, (unsigned long long)pos);
            if (!child || child >= c.inode_count) {
                panic("mount %u: directory entry at byte %llu names inode %u (of %u)", mount_index,
                      (unsigned long long)pos, child, c.inode_count);
            }
            bool dot = (name_len == 1 && name[0] == '.') || (name_len == 2 && name[0] == '.' && name[1] == '.');
            if (!name_len || dot || memchr_slash(name, name_len)) {
                panic("mount %u: directory entry at byte %llu has an invalid name", mount_index,
                      (unsigned long long)pos);
            }
            struct vnode *node = c.nodes[child];
            if (node->type == VNODE_DIRECTORY && node->links) {
                panic("mount %u: directory inode %u at byte %llu is linked twice", mount_index, child,
                      (unsigned long long)pos);
            }
            int32_t err = dir_link(dir, name, name_len, node);
            if (err)
                panic("mount %u: directory entry at byte %llu: cannot link (errno %d)", mount_index,
                      (unsigned long long)pos, err);
            pos += 6 + (uint64_t)name_len;
        }
        /* dir_link stamps the time of the change: the image's times win */
        dir->atim = dir->mtim = dir->ctim = rd64(e + 8);
    }
    m->root = c.nodes[0];
    m->root->links = 1;
    for (uint32_t i = 1; i < c.inode_count; i++) {
        if (!c.nodes[i]->links) panic("mount %u: inode %u is in no directory", mount_index, i);
    }
    heap_free(c.nodes);
}
