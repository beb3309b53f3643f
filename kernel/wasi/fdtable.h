/*
 * The app's descriptor table: 0-2 are the console streams, then one pre-opened directory per mount
 * (fd 3, 4, ... in mount order), then whatever path_open returns (lowest free number). Each
 * descriptor carries WASI rights: an operation whose right is missing fails (EBADF for reads and
 * writes, ENOTCAPABLE otherwise) and rights can only be dropped.
 */
#ifndef KERNEL_WASI_FDTABLE_H
#define KERNEL_WASI_FDTABLE_H

#include "kernel/types.h"
#include "../fs/vfs.h"
#include "uniwasm/abi.h"

#define RIGHT_FD_DATASYNC (1ull << 0)
#define RIGHT_FD_READ (1ull << 1)
#define RIGHT_FD_SEEK (1ull << 2)
#define RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define RIGHT_FD_SYNC (1ull << 4)
#define RIGHT_FD_TELL (1ull << 5)
#define RIGHT_FD_WRITE (1ull << 6)
#define RIGHT_FD_ADVISE (1ull << 7)
#define RIGHT_FD_ALLOCATE (1ull << 8)
#define RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define RIGHT_PATH_CREATE_FILE (1ull << 10)
#define RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define RIGHT_PATH_LINK_TARGET (1ull << 12)
#define RIGHT_PATH_OPEN (1ull << 13)
#define RIGHT_FD_READDIR (1ull << 14)
#define RIGHT_PATH_READLINK (1ull << 15)
#define RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define RIGHT_FD_FILESTAT_GET (1ull << 21)
#define RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define RIGHT_PATH_SYMLINK (1ull << 24)
#define RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define RIGHT_POLL_FD_READWRITE (1ull << 27)
#define RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define RIGHT_SOCK_ACCEPT (1ull << 29)

#define RIGHTS_REGULAR_FILE                                                                                          \
    (RIGHT_FD_DATASYNC | RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_SYNC | RIGHT_FD_TELL | \
     RIGHT_FD_WRITE | RIGHT_FD_ADVISE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_GET | RIGHT_FD_FILESTAT_SET_SIZE |     \
     RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_POLL_FD_READWRITE)
#define RIGHTS_DIRECTORY                                                                                             \
    (RIGHT_FD_DATASYNC | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_SYNC | RIGHT_FD_ADVISE | RIGHT_PATH_CREATE_DIRECTORY | \
     RIGHT_PATH_CREATE_FILE | RIGHT_PATH_LINK_SOURCE | RIGHT_PATH_LINK_TARGET | RIGHT_PATH_OPEN | RIGHT_FD_READDIR | \
     RIGHT_PATH_READLINK | RIGHT_PATH_RENAME_SOURCE | RIGHT_PATH_RENAME_TARGET | RIGHT_PATH_FILESTAT_GET |           \
     RIGHT_PATH_FILESTAT_SET_SIZE | RIGHT_PATH_FILESTAT_SET_TIMES | RIGHT_FD_FILESTAT_GET |                          \
     RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_PATH_SYMLINK | RIGHT_PATH_REMOVE_DIRECTORY | RIGHT_PATH_UNLINK_FILE)

#define FDFLAG_APPEND 0x1
#define FDFLAG_DSYNC 0x2
#define FDFLAG_NONBLOCK 0x4
#define FDFLAG_RSYNC 0x8
#define FDFLAG_SYNC 0x10
#define FDFLAGS_ALL 0x1f

#define WHENCE_SET 0
#define WHENCE_CUR 1
#define WHENCE_END 2

struct fd_entry;
struct sock_ops;
struct tcp_socket;
struct udp_socket;

/* What poll_oneoff learns of a descriptor that is ready (fd_ops.poll). */
struct fd_readiness {
    uint64_t nbytes; /* bytes that can be read (or written) without waiting */
    bool hangup;     /* the peer or the input has gone */
};

/*
 * What a kind of descriptor does (the console's streams, files, directories, TCP and UDP sockets):
 * one table per kind, as Unikraft's vnode operations or this kernel's virtio transports. The WASI
 * calls check the descriptor's rights and the guest's pointers, then call through the table, so a
 * new kind is one more table. A NULL entry is an operation the kind does not have; the call's
 * answer for it is given beside the entry.
 */
struct fd_ops {
    /* fd_fdstat_get's and fd_filestat_get's filetype. */
    uint8_t (*filetype)(const struct fd_entry *e);
    /* fd_read / fd_write on a checked iovec list of `total` bytes (capped to u32); the count in
     * *done. NULL: EBADF. */
    int32_t (*read)(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total, uint32_t *done);
    int32_t (*write)(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total, uint32_t *done);
    /* The calls on a position or on contents (pread, pwrite, seek, tell, advise, allocate): NULL
     * for kinds without a position, which answer them with `no_position`. pread / pwrite take an
     * offset >= 0; seek computes, sets and returns the new position. */
    int32_t (*pread)(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total, uint64_t offset,
                     uint32_t *done);
    int32_t (*pwrite)(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total, uint64_t offset,
                      uint32_t *done);
    int32_t (*seek)(struct fd_entry *e, int64_t offset, int32_t whence, uint64_t *position);
    /* fd_allocate: makes the contents cover [0, end) (NULL: no_position); fd_filestat_set_size
     * (NULL: EINVAL, as ftruncate(2) on what is not a file). */
    int32_t (*allocate)(struct fd_entry *e, uint64_t end);
    int32_t (*set_size)(struct fd_entry *e, uint64_t size);
    int32_t no_position;
    /* The directory path operations start from (path_*, fd_readdir); NULL: ENOTDIR. */
    struct vnode *(*directory)(const struct fd_entry *e);
    /* poll_oneoff: 0 and *ready (with *r filled) or not yet (an event may change that), or the
     * subscription's error. NULL: EBADF. */
    int32_t (*poll)(const struct fd_entry *e, bool read, bool *ready, struct fd_readiness *r);
    /* fd_close, fd_renumber's target: lets go of what the descriptor holds. */
    void (*close)(struct fd_entry *e);
    /* The socket calls (wasi/sock.h, struct sock_ops); NULL: not a socket (ENOTSOCK). */
    const struct sock_ops *sock;
};

extern const struct fd_ops fd_stdin_ops, fd_stdout_ops, fd_stderr_ops; /* wasi/fd_kinds.c */
extern const struct fd_ops fd_file_ops, fd_directory_ops;              /* wasi/fd_kinds.c */
extern const struct fd_ops fd_tcp_ops, fd_udp_ops;                     /* wasi/sock.c */

struct fd_entry {
    bool open;
    const struct fd_ops *ops;
    struct vnode *node; /* files and directories */
    uint64_t offset;    /* files */
    uint16_t fdflags;
    uint64_t rights_base, rights_inheriting;
    int32_t preopen;               /* index of the mount it pre-opens, or -1 */
    struct tcp_socket *socket;     /* fd_tcp_ops (wasi/sock.c) */
    struct udp_socket *udp_socket; /* fd_udp_ops (wasi/sock.c) */
};

/* The open entry for fd, or NULL (EBADF). The table is set up on first use. */
struct fd_entry *fd_get(int32_t fd);
/* Same, but also checks `rights` (all required): *err gets EBADF or `missing` when absent. */
struct fd_entry *fd_get_with(int32_t fd, uint64_t rights, int32_t missing, int32_t *err);
/* A free descriptor number with its entry (zeroed, not yet open), or NULL (EMFILE / ENOMEM). */
struct fd_entry *fd_allocate(int32_t *fd_out, int32_t *err);
void fd_release(struct fd_entry *e);
/* The directory a path operation on e starts from, or NULL (ENOTDIR). */
static inline struct vnode *fd_directory(const struct fd_entry *e) {
    return e->ops->directory ? e->ops->directory(e) : NULL;
}
uint32_t fd_table_size(void);

#endif
