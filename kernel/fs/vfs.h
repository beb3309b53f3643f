/*
 * The in-memory file system behind WASI's pre-opened directories: one tree of vnodes per mount.
 * Directories hold a growable array of named entries; regular files keep their bytes either in
 * place in a read-only image (no copy) or in a two-level table of 4 KiB pages (sparse: holes read
 * as zero, no physically contiguous run is ever needed); symlinks hold their target text.
 * Every call returns a WASI errno (0 on success).
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include "kernel/types.h"

/* Node types are WASI filetype codes. */
enum vnode_type { VNODE_DIRECTORY = 3, VNODE_REGULAR_FILE = 4, VNODE_SYMLINK = 7 };

struct mount {
    const char *guest_path; /* as given in the boot config, NUL-terminated copy */
    uint32_t guest_path_len;
    bool read_only;
    uint64_t device;     /* filestat dev: the mount's index + 1 */
    uint64_t size_limit; /* bytes of file pages; 0: bounded by guest memory */
    uint64_t bytes_used; /* file pages currently allocated on this mount */
    uint64_t next_inode;
    struct vnode *root;
};

struct dir_entry {
    char *name;
    uint32_t name_len;
    struct vnode *node;
};

/* Pages of a file: `chunks[i]` is a page of FILE_CHUNK_PAGES page pointers (NULL: a hole). */
#define FILE_CHUNK_PAGES 512u
#define FILE_CHUNK_BYTES (FILE_CHUNK_PAGES * PAGE_SIZE)

struct vnode {
    enum vnode_type type;
    struct mount *mount;
    uint64_t inode;
    uint64_t links; /* names in directories (a directory counts its entry only) */
    uint64_t opens; /* descriptors referring to it: the node lives while either is > 0 */
    uint64_t atim, mtim, ctim;
    union {
        struct {
            struct dir_entry *entries;
            uint32_t count, capacity;
            struct vnode *parent; /* the root is its own parent */
        } dir;
        struct {
            uint64_t size;
            const uint8_t *in_place; /* image bytes served until the first change (copy on write) */
            uint8_t ***chunks;
            uint64_t chunk_count;
        } file;
        struct {
            char *target;
            uint32_t len;
        } link;
    };
};

/* ---- nodes and directories (fs/vnode.c) ---- */
struct vnode *vnode_new(struct mount *m, enum vnode_type type);
/* Drops a reference (a name or an open descriptor); frees the node when none is left. */
void vnode_release(struct vnode *n);
struct vnode *dir_lookup(struct vnode *dir, const char *name, uint32_t len);
/* Adds `node` under `name`; EEXIST when taken, ENOMEM when out of memory. Counts a link. */
int32_t dir_link(struct vnode *dir, const char *name, uint32_t len, struct vnode *node);
/* Removes the entry (the node loses a link). ENOENT when absent. */
int32_t dir_unlink(struct vnode *dir, const char *name, uint32_t len);
/* Replaces the entry's node in place (rename over an existing name). */
void dir_replace(struct vnode *dir, const char *name, uint32_t len, struct vnode *node);
uint64_t vfs_now(void);

/* ---- file contents (fs/filedata.c) ---- */
/* Copies up to len bytes from `offset`; returns the count (0 at or past the end). */
uint64_t file_read(struct vnode *f, uint64_t offset, void *buf, uint64_t len);
/* Writes all of buf at offset, growing the file; ENOSPC (file unchanged beyond what fit is not
 * promised: the size only grows over bytes that were stored) or EFBIG. *written gets the count. */
int32_t file_write(struct vnode *f, uint64_t offset, const void *buf, uint64_t len, uint64_t *written);
/* Sets the size: shrinking frees pages past it, growing reads as zeros. */
int32_t file_set_size(struct vnode *f, uint64_t size);
/* Frees every page (the node is going away). */
void file_free_pages(struct vnode *f);

/* ---- mounts (fs/mount.c, fs/fsimage.c) ---- */
uint32_t vfs_mount_count(void);
struct mount *vfs_mount(uint32_t index);
/* Builds the trees of every mount in the boot configs; panics on a malformed image. */
struct boot_config;
void vfs_init(const struct boot_config *baked, const struct boot_config *run_time);
/* Parses a UWFS image into m's tree (fs/fsimage.c). */
void fsimage_load(struct mount *m, const uint8_t *image, uint64_t size, uint32_t mount_index);

#endif
