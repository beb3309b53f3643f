#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "fdtable.h"
#include "sock.h"

#define MAX_DESCRIPTORS 65536u

static struct fd_entry *table;
static uint32_t capacity;
static bool ready;

static bool grow(uint32_t at_least) {
    uint32_t cap = capacity ? capacity : 16;
    while (cap < at_least) cap *= 2;
    if (cap > MAX_DESCRIPTORS) cap = MAX_DESCRIPTORS;
    if (cap < at_least) return false;
    struct fd_entry *t = heap_realloc(table, sizeof(struct fd_entry) * cap);
    if (!t) return false;
    table = t;
    capacity = cap;
    return true;
}

/* Stdio and one directory per mount; the mounts exist by the time the app makes its first call. */
static void setup(void) {
    ready = true;
    uint32_t mounts = vfs_mount_count();
    if (!grow(3 + mounts)) panic("out of memory for the descriptor table");
    table[0] = (struct fd_entry){
        .open = true, .ops = &fd_stdin_ops, .preopen = -1, .rights_base = RIGHT_FD_READ | RIGHT_POLL_FD_READWRITE};
    table[1] = (struct fd_entry){.open = true,
                                 .ops = &fd_stdout_ops,
                                 .preopen = -1,
                                 .fdflags = FDFLAG_APPEND,
                                 .rights_base = RIGHT_FD_WRITE | RIGHT_POLL_FD_READWRITE};
    table[2] = (struct fd_entry){.open = true,
                                 .ops = &fd_stderr_ops,
                                 .preopen = -1,
                                 .fdflags = FDFLAG_APPEND,
                                 .rights_base = RIGHT_FD_WRITE | RIGHT_POLL_FD_READWRITE};
    for (uint32_t i = 0; i < mounts; i++) {
        struct vnode *root = vfs_mount(i)->root;
        root->opens++;
        table[3 + i] = (struct fd_entry){.open = true,
                                         .ops = &fd_directory_ops,
                                         .node = root,
                                         .preopen = (int32_t)i,
                                         .rights_base = RIGHTS_DIRECTORY,
                                         .rights_inheriting = RIGHTS_DIRECTORY | RIGHTS_REGULAR_FILE};
    }
    sock_preopen_listeners(); /* --tcplisten sockets follow the directories */
}

uint32_t fd_table_size(void) {
    if (!ready) setup();
    return capacity;
}

struct fd_entry *fd_get(int32_t fd) {
    if (!ready) setup();
    if (fd < 0 || (uint32_t)fd >= capacity || !table[fd].open) return NULL;
    return &table[fd];
}

struct fd_entry *fd_get_with(int32_t fd, uint64_t rights, int32_t missing, int32_t *err) {
    struct fd_entry *e = fd_get(fd);
    if (!e) {
        *err = WASI_EBADF;
        return NULL;
    }
    if ((e->rights_base & rights) != rights) {
        *err = missing;
        return NULL;
    }
    *err = WASI_ESUCCESS;
    return e;
}

struct fd_entry *fd_allocate(int32_t *fd_out, int32_t *err) {
    if (!ready) setup();
    uint32_t fd = 0;
    while (fd < capacity && table[fd].open) fd++;
    if (fd == capacity && !grow(capacity + 1)) {
        *err = capacity >= MAX_DESCRIPTORS ? WASI_EMFILE : WASI_ENOMEM;
        return NULL;
    }
    memset(&table[fd], 0, sizeof table[fd]);
    table[fd].preopen = -1;
    *fd_out = (int32_t)fd;
    *err = WASI_ESUCCESS;
    return &table[fd];
}

void fd_release(struct fd_entry *e) {
    if (e->ops->close) e->ops->close(e);
    memset(e, 0, sizeof *e);
}
