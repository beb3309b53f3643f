/*
 * The mounts of the boot configs: the baked config's first, then the run-time config's, in order.
 * Read-only images are served in place; writable images are served in place too and copy a file
 * into pages on its first change (copy on write per file; directories are always in memory);
 * tmpfs mounts start empty. Changes live in guest RAM and are lost when the VM exits.
 */
#include "kernel/bootconfig.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "vfs.h"

static struct mount *mounts;
static uint32_t mount_count;

uint32_t vfs_mount_count(void) { return mount_count; }
struct mount *vfs_mount(uint32_t index) {
    return index < mount_count ? &mounts[index] : NULL;
}

static void add_mounts(const struct boot_config *cfg) {
    for (uint32_t i = 0; i < cfg->mount_count; i++) {
        const struct boot_mount *b = &cfg->mounts[i];
        struct mount *m = &mounts[mount_count];
        char *path = heap_alloc(b->guest_path_len + 1);
        if (!path) panic("mount %u: out of memory", mount_count);
        memcpy(path, b->guest_path, b->guest_path_len);
        m->guest_path = path;
        m->guest_path_len = b->guest_path_len;
        m->read_only = b->kind == BOOT_MOUNT_IMAGE_READ_ONLY;
        m->device = mount_count + 1;
        m->size_limit = b->size_limit;
        m->next_inode = 1;
        if (b->kind == BOOT_MOUNT_TMPFS) {
            m->root = vnode_new(m, VNODE_DIRECTORY);
            if (!m->root) panic("mount %u: out of memory", mount_count);
            m->root->links = 1;
        } else {
            fsimage_load(m, b->image, b->image_size, mount_count);
        }
        console_verbose("mount %u: %s (%s)", mount_count, path,
                        b->kind == BOOT_MOUNT_TMPFS ? "tmpfs"
                        : m->read_only              ? "read-only image"
                                                    : "writable image");
        mount_count++;
    }
}

void vfs_init(const struct boot_config *baked, const struct boot_config *run_time) {
    uint32_t total = (baked ? baked->mount_count : 0) + (run_time ? run_time->mount_count : 0);
    if (!total) return;
    mounts = heap_alloc(sizeof(struct mount) * total);
    if (!mounts) panic("out of memory for %u mounts", total);
    if (baked) add_mounts(baked);
    if (run_time) add_mounts(run_time);
}
