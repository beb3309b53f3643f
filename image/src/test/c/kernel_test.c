/*
 * Unit tests of the kernel code that needs no machine, compiled for the host with the kernel's own
 * sources (KernelNativeTest lists them): path resolution in a directory descriptor's sandbox
 * (wasi/path.c over fs/vnode.c), UWFS images (fs/fsimage.c), sparse file contents
 * (fs/filedata.c), boot configuration parsing and a process's own arguments (boot/bootconfig.c),
 * and split virtqueues
 * (plat/x86_64-pvh/dev/virtio_queue.c). This file is the platform those sources are written
 * against: the heap on malloc, pages on aligned_alloc, a fixed clock, and a panic that records its
 * message and returns to the test by longjmp. Prints one line per failed check and exits non-zero
 * if any failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/bootconfig.h"
#include "kernel/errno.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "fs/vfs.h"
#include "wasi/path.h"
#include "plat/x86_64-pvh/dev/virtio_queue.h"

static int failures, checks;

#define CHECK(cond)                                                \
    do {                                                           \
        checks++;                                                  \
        if (!(cond)) {                                             \
            failures++;                                            \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                          \
    } while (0)

/* ---- the platform the sources see ---- */

/* Blocks carry their size in front, so heap_realloc can zero what it grows, as the kernel's does. */
void *heap_alloc(size_t bytes) {
    size_t *p = calloc(1, sizeof(size_t) * 2 + bytes);
    if (!p) return NULL;
    p[0] = bytes;
    return p + 2;
}
void *heap_realloc(void *old, size_t bytes) {
    if (!old) return heap_alloc(bytes);
    size_t *p = (size_t *)old - 2;
    size_t before = p[0];
    size_t *q = realloc(p, sizeof(size_t) * 2 + bytes);
    if (!q) return NULL;
    if (bytes > before) memset((char *)(q + 2) + before, 0, bytes - before);
    q[0] = bytes;
    return q + 2;
}
void heap_free(void *p) {
    if (p) free((size_t *)p - 2);
}

static uint64_t pages_free = 1u << 20; /* what plat_pages_free_count reports: tests lower it */
static uint64_t pages_out;             /* pages handed out and not yet freed */
void *plat_pages_alloc_zeroed(uint64_t count) {
    CHECK(count == 1); /* the file data code asks for one at a time */
    void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    if (!p) return NULL;
    memset(p, 0, PAGE_SIZE);
    pages_out++;
    pages_free--;
    return p;
}
void plat_pages_free(void *pages, uint64_t count) {
    CHECK(count == 1);
    free(pages);
    pages_out--;
    pages_free++;
}
uint64_t plat_pages_free_count(void) { return pages_free; }
uint64_t plat_clock_realtime_ns(void) { return 1700000000000000000ull; }

static jmp_buf panic_exit;
static char panic_message[512];
_Noreturn void panic(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_message, sizeof panic_message, fmt, ap);
    va_end(ap);
    longjmp(panic_exit, 1);
}

/* Runs `stmt`; true when it panicked (the message in panic_message). */
#define PANICS(stmt) (panic_message[0] = 0, setjmp(panic_exit) == 0 ? ((stmt), false) : true)
#define PANICS_WITH(stmt, text) (PANICS(stmt) && strstr(panic_message, text) != NULL)

/* ---- path resolution: every directory descriptor is its own root ---- */

static struct mount mnt;

static struct vnode *mkdir_in(struct vnode *dir, const char *name) {
    struct vnode *d = vnode_new(&mnt, VNODE_DIRECTORY);
    CHECK(dir_link(dir, name, (uint32_t)strlen(name), d) == WASI_ESUCCESS);
    d->dir.parent = dir;
    return d;
}

static struct vnode *file_in(struct vnode *dir, const char *name) {
    struct vnode *f = vnode_new(&mnt, VNODE_REGULAR_FILE);
    CHECK(dir_link(dir, name, (uint32_t)strlen(name), f) == WASI_ESUCCESS);
    return f;
}

static void symlink_in(struct vnode *dir, const char *name, const char *target) {
    struct vnode *l = vnode_new(&mnt, VNODE_SYMLINK);
    l->link.len = (uint32_t)strlen(target);
    l->link.target = heap_alloc(l->link.len + 1);
    memcpy(l->link.target, target, l->link.len);
    CHECK(dir_link(dir, name, (uint32_t)strlen(name), l) == WASI_ESUCCESS);
}

/* Resolves `path` from `start`: the errno, and what the path names in *node. */
static int32_t resolve(struct vnode *start, const char *path, bool follow, struct vnode **node) {
    struct resolved r;
    int32_t err = path_resolve(start, path, (uint32_t)strlen(path), follow, &r);
    if (node) *node = err ? NULL : r.node;
    if (!err) resolved_release(&r);
    return err;
}

static void test_path_resolution(void) {
    /* root/
     *   a/b/file     a/up -> ..     a/out -> ../..     a/via -> ../a/b/file
     *   abs -> /etc  in -> a/b      loop1 -> loop2     loop2 -> loop1     dangling -> nothing */
    struct vnode *root = vnode_new(&mnt, VNODE_DIRECTORY);
    mnt.root = root;
    struct vnode *a = mkdir_in(root, "a");
    struct vnode *b = mkdir_in(a, "b");
    struct vnode *file = file_in(b, "file");
    symlink_in(a, "up", "..");
    symlink_in(a, "out", "../..");
    symlink_in(a, "via", "../a/b/file");
    symlink_in(root, "abs", "/etc");
    symlink_in(root, "in", "a/b");
    symlink_in(root, "loop1", "loop2");
    symlink_in(root, "loop2", "loop1");
    symlink_in(root, "dangling", "nothing");
    struct vnode *n;

    CHECK(resolve(root, "a/b/file", false, &n) == 0 && n == file);
    CHECK(resolve(root, "a/./b//file", false, &n) == 0 && n == file);
    CHECK(resolve(root, "a/../a/b/../b/file", false, &n) == 0 && n == file);
    CHECK(resolve(root, ".", false, &n) == 0 && n == root);
    CHECK(resolve(root, "a/b/missing", false, &n) == 0 && n == NULL); /* may be created */
    CHECK(resolve(root, "missing/x", false, &n) == WASI_ENOENT);
    CHECK(resolve(root, "a/b/file/x", false, &n) == WASI_ENOTDIR);
    CHECK(resolve(root, "a/b/file/", false, &n) == WASI_ENOTDIR);
    CHECK(resolve(root, "", false, &n) == WASI_ENOENT);
    CHECK(path_resolve(root, "a\0b", 3, false, &(struct resolved){0}) == WASI_EINVAL);

    /* escapes: absolute paths, ".." above the start, symlinks that climb out or are absolute */
    CHECK(resolve(root, "/a", false, &n) == WASI_EPERM);
    CHECK(resolve(root, "..", false, &n) == WASI_EPERM);
    CHECK(resolve(root, "a/../..", false, &n) == WASI_EPERM);
    CHECK(resolve(root, "a/b/../../../a", false, &n) == WASI_EPERM);
    CHECK(resolve(root, "abs/passwd", false, &n) == WASI_EPERM);
    CHECK(resolve(root, "abs", true, &n) == WASI_EPERM);
    CHECK(resolve(root, "a/out/x", false, &n) == WASI_EPERM);
    CHECK(resolve(root, "a/out", true, &n) == WASI_EPERM);
    /* the start is the root even when the tree goes higher: a/.. is outside a descriptor for a */
    CHECK(resolve(a, "..", false, &n) == WASI_EPERM);
    CHECK(resolve(a, "up/a", false, &n) == WASI_EPERM);
    CHECK(resolve(a, "via", true, &n) == WASI_EPERM);
    CHECK(resolve(b, "../b", false, &n) == WASI_EPERM);
    /* ... while from the root the same links stay inside */
    CHECK(resolve(root, "a/up/a/b/file", false, &n) == 0 && n == file);
    CHECK(resolve(root, "a/via", true, &n) == 0 && n == file);

    /* symlinks: always followed in the middle, at the end only when asked or with a trailing '/' */
    CHECK(resolve(root, "in/file", false, &n) == 0 && n == file);
    CHECK(resolve(root, "in", false, &n) == 0 && n && n->type == VNODE_SYMLINK);
    CHECK(resolve(root, "in", true, &n) == 0 && n == b);
    CHECK(resolve(root, "in/", false, &n) == 0 && n == b);
    CHECK(resolve(root, "a/via", false, &n) == 0 && n && n->type == VNODE_SYMLINK);
    CHECK(resolve(root, "loop1/x", false, &n) == WASI_ELOOP);
    CHECK(resolve(root, "loop1", true, &n) == WASI_ELOOP);
    CHECK(resolve(root, "loop1", false, &n) == 0 && n && n->type == VNODE_SYMLINK);
    CHECK(resolve(root, "dangling", true, &n) == 0 && n == NULL);

    /* limits: a 255-byte name is fine, 256 is not */
    char name[300];
    memset(name, 'x', sizeof name);
    name[255] = 0;
    CHECK(resolve(root, name, false, &n) == 0 && n == NULL);
    name[255] = 'x';
    name[256] = 0;
    CHECK(resolve(root, name, false, &n) == WASI_ENAMETOOLONG);
    /* resolution starts only from a directory */
    CHECK(resolve(file, "x", false, &n) == WASI_ENOTDIR);
}

/* ---- UWFS images (fs/fsimage.c) ---- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* An image of a root holding "f" (the file "hi") and "l" (a symlink to "f"). */
static size_t small_image(uint8_t *img) {
    memset(img, 0, 256);
    memcpy(img, "UWFS", 4);
    put32(img + 4, 1);
    put32(img + 8, 3);
    put64(img + 16, 32);
    uint64_t data = 32 + 3 * 32;
    uint8_t *dir = img + data;
    put32(dir, 1), put16(dir + 4, 1), dir[6] = 'f';
    put32(dir + 7, 2), put16(dir + 11, 1), dir[13] = 'l';
    uint64_t dir_size = 14, file_at = data + dir_size, link_at = file_at + 2;
    memcpy(img + file_at, "hi", 2);
    img[link_at] = 'f';
    uint8_t types[3] = {VNODE_DIRECTORY, VNODE_REGULAR_FILE, VNODE_SYMLINK};
    uint64_t at[3] = {data, file_at, link_at}, size[3] = {dir_size, 2, 1};
    for (int i = 0; i < 3; i++) {
        uint8_t *inode = img + 32 + i * 32;
        inode[0] = types[i];
        put64(inode + 16, at[i]);
        put64(inode + 24, size[i]);
    }
    size_t total = link_at + 1;
    put64(img + 24, total);
    return total;
}

static void test_fsimage(void) {
    uint8_t img[256];
    size_t size = small_image(img);
    struct mount m = {.read_only = true};
    CHECK(!PANICS(fsimage_load(&m, img, size, 0)));
    struct vnode *n;
    CHECK(resolve(m.root, "l", true, &n) == 0 && n && n->type == VNODE_REGULAR_FILE && n->file.size == 2);
    char buf[4] = {0};
    CHECK(n && file_read(n, 0, buf, sizeof buf) == 2 && memcmp(buf, "hi", 2) == 0);

    /* a directory entry naming a node beyond the table, and one cut short by the directory's end */
    struct mount bad = {0};
    size = small_image(img);
    put32(img + 32 + 3 * 32 + 7, 9);
    CHECK(PANICS_WITH(fsimage_load(&bad, img, size, 4), "mount 4: directory entry at byte 135 names inode 9 (of 3)"));
    size = small_image(img);
    put64(img + 32 + 24, 13); /* the root's data ends inside the second entry's name */
    CHECK(PANICS_WITH(fsimage_load(&bad, img, size, 0), "directory entry name at byte 135 is truncated"));
    /* data running past the image's end */
    size = small_image(img);
    put64(img + 64 + 24, 1000);
    CHECK(PANICS_WITH(fsimage_load(&bad, img, size, 0), "inode 1 data"));
    /* a name holding '/' would let a lookup reach another directory's entry */
    size = small_image(img);
    img[32 + 3 * 32 + 6] = '/';
    CHECK(PANICS_WITH(fsimage_load(&bad, img, size, 0), "has an invalid name"));
    /* the image claims more bytes than were loaded */
    size = small_image(img);
    CHECK(PANICS_WITH(fsimage_load(&bad, img, size - 1, 0), "differs from its"));
}

/* ---- sparse file contents (fs/filedata.c) ---- */

static void test_file_data(void) {
    struct mount m = {0};
    struct vnode *f = vnode_new(&m, VNODE_REGULAR_FILE);
    uint64_t before = pages_out;
    uint64_t written;
    /* one byte 5 MiB in: one chunk index page and one data page, the rest is a hole */
    uint64_t far = 5ull << 20;
    CHECK(file_write(f, far, "z", 1, &written) == 0 && written == 1);
    CHECK(f->file.size == far + 1);
    CHECK(pages_out - before == 2);
    char buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    CHECK(file_read(f, 4096 * 7, buf, 8) == 8 && memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
    CHECK(file_read(f, far, buf, 8) == 1 && buf[0] == 'z');
    /* a write across a page boundary lands in both pages */
    CHECK(file_write(f, 4096 - 2, "abcd", 4, &written) == 0 && written == 4);
    CHECK(file_read(f, 4096 - 2, buf, 4) == 4 && memcmp(buf, "abcd", 4) == 0);
    /* shrinking frees what lies past the end and re-growing reads zeros there */
    CHECK(file_set_size(f, 4096 - 1) == 0);
    CHECK(file_set_size(f, 8192) == 0);
    CHECK(file_read(f, 4096 - 2, buf, 4) == 4 && memcmp(buf, "a\0\0\0", 4) == 0);
    /* 1 TiB is the limit */
    CHECK(file_write(f, 1ull << 40, "x", 1, &written) == WASI_EFBIG);
    /* a full mount: what fits is stored and counted, the size covers only that */
    struct mount small = {.size_limit = PAGE_SIZE};
    struct vnode *g = vnode_new(&small, VNODE_REGULAR_FILE);
    static char big[3 * 4096];
    memset(big, 'q', sizeof big);
    CHECK(file_write(g, 0, big, sizeof big, &written) == WASI_ESUCCESS && written == 4096);
    CHECK(g->file.size == 4096);
    CHECK(file_write(g, 4096, big, 1, &written) == WASI_ENOSPC && written == 0 && g->file.size == 4096);
    /* the platform's last pages stay with the kernel, whatever the mount allows: for a new chunk
     * index and for a page under an index the file already has */
    struct vnode *h = vnode_new(&m, VNODE_REGULAR_FILE);
    CHECK(file_write(h, 0, "x", 1, &written) == 0);
    uint64_t saved = pages_free;
    pages_free = 512;
    CHECK(file_write(h, 4096, "y", 1, &written) == WASI_ENOSPC && h->file.size == 1);
    CHECK(file_write(h, 4ull << 20, "y", 1, &written) == WASI_ENOSPC && h->file.size == 1);
    pages_free = 513;
    CHECK(file_write(h, 4096, "y", 1, &written) == 0 && h->file.size == 4097);
    pages_free = saved;
    f->links = g->links = h->links = 0;
    vnode_release(f);
    vnode_release(g);
    vnode_release(h);
    CHECK(pages_out == before);
}

/* ---- boot configuration (boot/bootconfig.c) ---- */

/* A version 1 config: header, then "prog", "-v" and "K=V". */
static size_t config_v1(uint8_t *c) {
    memset(c, 0, 128);
    memcpy(c, "UWBC", 4);
    put16(c + 4, 1);
    put32(c + 12, 2);
    put32(c + 16, 1);
    memcpy(c + 20, "prog\0-v\0K=V", 12);
    put32(c + 8, 32);
    return 32;
}

/* A version 3 config with no strings, no mounts and a network section of one listener. */
static size_t config_v3(uint8_t *c) {
    memset(c, 0, 128);
    memcpy(c, "UWBC", 4);
    put16(c + 4, 3);
    put32(c + 24, 32); /* mount table (empty) right after the header */
    put32(c + 28, 32); /* network section */
    uint8_t *n = c + 32;
    memcpy(n, "\x0a\x00\x02\x0f", 4);
    put32(n + 16, 1);
    put16(n + 24 + 4, 8080);
    put32(c + 8, 32 + 24 + 8);
    return 32 + 24 + 8;
}

static void test_boot_config(void) {
    uint8_t c[128];
    struct boot_config out;
    size_t size = config_v1(c);
    memset(&out, 0, sizeof out);
    CHECK(!PANICS(bootconfig_parse(c, size, "test", &out)));
    CHECK(out.argc == 2 && strcmp(out.argv[0], "prog") == 0 && strcmp(out.argv[1], "-v") == 0);
    CHECK(out.envc == 1 && strcmp(out.envp[0], "K=V") == 0);
    CHECK(out.args_bytes == 8 && out.env_bytes == 4);

    /* truncated: shorter than the header, the total beyond what was loaded, the last string cut */
    CHECK(PANICS_WITH(bootconfig_parse(c, 19, "test", &out),
                      "boot config (test): 19 bytes, shorter than the 20-byte header"));
    CHECK(PANICS_WITH(bootconfig_parse(c, size - 1, "test", &out), "total size 32 at byte 8 is outside [20, 31]"));
    put32(c + 8, 31);
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out),
                      "environment string 0 starting at byte 28 has no terminating NUL before the end (byte 31)"));
    /* overlong: more strings than bytes, bytes after the last string */
    size = config_v1(c);
    put32(c + 12, 13);
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out),
                      "13 args and 1 env entries (bytes 12, 16) cannot fit in 12 bytes"));
    size = config_v1(c);
    put32(c + 8, 36);
    CHECK(PANICS_WITH(bootconfig_parse(c, 40, "test", &out), "4 unexpected bytes after the last string, at byte 32"));
    size = config_v1(c);
    c[0] = 'X';
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out), "bad magic at byte 0"));
    size = config_v1(c);
    put16(c + 6, 4);
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out), "unknown flags 0x4 at byte 6"));
    /* the flags it knows: verbose, no stdin */
    size = config_v1(c);
    put16(c + 6, 3);
    memset(&out, 0, sizeof out);
    CHECK(!PANICS(bootconfig_parse(c, size, "test", &out)));
    CHECK(out.verbose && out.no_stdin);
    size = config_v1(c);
    memset(&out, 0, sizeof out);
    CHECK(!PANICS(bootconfig_parse(c, size, "test", &out)));
    CHECK(!out.verbose && !out.no_stdin);

    /* the network section: accepted as written; cut short or with more entries than bytes, refused */
    size = config_v3(c);
    memset(&out, 0, sizeof out);
    CHECK(!PANICS(bootconfig_parse(c, size, "test", &out)));
    CHECK(out.network.present && out.network.listener_count == 1 && out.network.listeners[0].port == 8080);
    CHECK(out.network.address[0] == 10 && out.network.address[3] == 15);
    put32(c + 8, (uint32_t)size - 1);
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out), "1 listeners (byte 48) do not fit in the config"));
    size = config_v3(c);
    put16(c + 32 + 20, 1); /* one outbound rule, with no bytes for it */
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out), "1 outbound rules (byte 52) do not fit in the config"));
    size = config_v3(c);
    put32(c + 28, 36);
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out), "network section offset 36 at byte 28 is unaligned"));
    size = config_v3(c);
    put32(c + 32 + 16, 0x40000000u); /* a count whose byte size wraps a u32 must not slip through */
    CHECK(PANICS_WITH(bootconfig_parse(c, size, "test", &out), "1073741824 listeners (byte 48) do not fit"));

    /* a mount whose guest path lies past the end */
    size = config_v3(c);
    put32(c + 28, 0);
    put32(c + 20, 1);
    put32(c + 8, 64);
    put32(c + 32, BOOT_MOUNT_TMPFS);
    put32(c + 36, 4);
    put64(c + 40, 62);
    CHECK(PANICS_WITH(bootconfig_parse(c, 64, "test", &out),
                      "mount 0 guest path (bytes 36..47) lies outside the config"));
    put32(c + 20, 2);
    CHECK(
        PANICS_WITH(bootconfig_parse(c, 64, "test", &out), "2 mounts (byte 20) do not fit after the table offset 32"));
}

/* A process run by itself: its arguments replace the baked ones (argv[0] as a file name), its
 * variables join the baked environment and win over a baked one of the same name. */
static void test_host_arguments(void) {
    uint8_t c[128];
    struct boot_config config;
    memset(&config, 0, sizeof config);
    bootconfig_parse(c, config_v1(c), "test", &config);
    const char *argv[] = {"/usr/local/bin/app", "one", "", NULL};
    const char *envp[] = {"K=host", "NEW=1", "junk", "=x", NULL};
    bootconfig_add_host(&config, argv, envp);
    CHECK(config.argc == 3 && strcmp(config.argv[0], "app") == 0 && strcmp(config.argv[1], "one") == 0);
    CHECK(config.argv[2][0] == 0 && config.args_bytes == 4 + 4 + 1);
    CHECK(config.envc == 2 && strcmp(config.envp[0], "K=host") == 0 && strcmp(config.envp[1], "NEW=1") == 0);
    CHECK(config.env_bytes == 7 + 6);
    /* argv[0] alone keeps the baked arguments; a folder's trailing '/' is not a file name */
    memset(&config, 0, sizeof config);
    bootconfig_parse(c, config_v1(c), "test", &config);
    const char *alone[] = {"dir/", NULL};
    bootconfig_add_host(&config, alone, NULL);
    CHECK(config.argc == 2 && strcmp(config.argv[0], "prog") == 0 && config.envc == 1);
    const char *trailing[] = {"dir/", "x", NULL};
    bootconfig_add_host(&config, trailing, NULL);
    CHECK(config.argc == 2 && strcmp(config.argv[0], "dir/") == 0);
}

/* ---- split virtqueues ---- */

/* What a device does with a buffer: puts it on the used ring with the length it wrote. */
static void device_uses(struct virtq *q, uint16_t id, uint32_t len) {
    uint16_t idx = q->used->idx;
    q->used->ring[idx & (q->size - 1)] = (struct virtq_used_elem){id, len};
    q->used->idx = (uint16_t)(idx + 1);
}

static void test_virtqueue(void) {
    struct virtq q;
    CHECK(virtq_init(&q, 4, 64, true));
    CHECK(q.desc[3].addr == (uint64_t)(uintptr_t)virtq_buffer(&q, 3) && q.desc[3].flags == VIRTQ_DESC_F_WRITE);
    CHECK((uintptr_t)q.used % 4 == 0 && (uint8_t *)q.used >= (uint8_t *)&q.avail->ring[4]);
    /* both free-running 16-bit indices near their wrap, as after 65534 frames */
    q.avail->idx = 65534;
    q.used->idx = 65534;
    q.last_used = 65534;
    CHECK(!virtq_has_used(&q));
    for (uint16_t id = 0; id < 4; id++) virtq_offer(&q, id, 64);
    CHECK(q.avail->idx == 2); /* 65534 + 4, modulo 2^16 */
    /* ring slots are the index modulo the size: 65534 -> 2, 65535 -> 3, 0 -> 0, 1 -> 1 */
    CHECK(q.avail->ring[2] == 0 && q.avail->ring[3] == 1 && q.avail->ring[0] == 2 && q.avail->ring[1] == 3);
    device_uses(&q, 2, 60);
    device_uses(&q, 0, 10);
    device_uses(&q, 3, 64);
    CHECK(q.used->idx == 1);
    uint16_t id;
    uint32_t len;
    CHECK(virtq_has_used(&q));
    CHECK(virtq_take_used(&q, &id, &len) && id == 2 && len == 60);
    CHECK(virtq_take_used(&q, &id, &len) && id == 0 && len == 10);
    CHECK(virtq_take_used(&q, &id, &len) && id == 3 && len == 64);
    CHECK(!virtq_has_used(&q) && !virtq_take_used(&q, &id, &len));
    CHECK(q.last_used == 1);
    /* a device handing back a descriptor the queue does not have is caught, not indexed with */
    device_uses(&q, 7, 1);
    CHECK(!virtq_take_used(&q, &id, &len) && id == 7);
    /* the device's "no notification" flag */
    CHECK(virtq_device_wants_notification(&q));
    q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
    CHECK(!virtq_device_wants_notification(&q));
    /* a device-readable queue carries the length offered */
    struct virtq tx;
    CHECK(virtq_init(&tx, 8, 2048, false));
    virtq_offer(&tx, 5, 100);
    CHECK(tx.desc[5].len == 100 && tx.desc[5].flags == 0 && tx.avail->ring[0] == 5 && tx.avail->idx == 1);
}

int main(void) {
    test_path_resolution();
    test_fsimage();
    test_file_data();
    test_boot_config();
    test_host_arguments();
    test_virtqueue();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
