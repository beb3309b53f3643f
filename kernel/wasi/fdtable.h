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

#define RIGHTS_REGULAR_FILE                                                                              \
    (RIGHT_FD_DATASYNC | RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_SYNC |    \
     RIGHT_FD_TELL | RIGHT_FD_WRITE | RIGHT_FD_ADVISE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_GET |     \
     RIGHT_FD_FILESTAT_SET_SIZE | RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_POLL_FD_READWRITE)
#define RIGHTS_DIRECTORY                                                                                 \
    (RIGHT_FD_DATASYNC | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_SYNC | RIGHT_FD_ADVISE |                  \
     RIGHT_PATH_CREATE_DIRECTORY | RIGHT_PATH_CREATE_FILE | RIGHT_PATH_LINK_SOURCE |                     \
     RIGHT_PATH_LINK_TARGET | RIGHT_PATH_OPEN | RIGHT_FD_READDIR | RIGHT_PATH_READLINK |                 \
     RIGHT_PATH_RENAME_SOURCE | RIGHT_PATH_RENAME_TARGET | RIGHT_PATH_FILESTAT_GET |                     \
     RIGHT_PATH_FILESTAT_SET_SIZE | RIGHT_PATH_FILESTAT_SET_TIMES | RIGHT_FD_FILESTAT_GET |              \
     RIGHT_FD_FILESTAT_SET_TIMES | RIGHT_PATH_SYMLINK | RIGHT_PATH_REMOVE_DIRECTORY |                    \
     RIGHT_PATH_UNLINK_FILE)

#define FDFLAG_APPEND 0x1
#define FDFLAG_DSYNC 0x2
#define FDFLAG_NONBLOCK 0x4
#define FDFLAG_RSYNC 0x8
#define FDFLAG_SYNC 0x10
#define FDFLAGS_ALL 0x1f

enum fd_kind { FD_STDIN, FD_STDOUT, FD_STDERR, FD_FILE, FD_DIRECTORY, FD_SOCKET };

struct tcp_socket;
struct udp_socket;

struct fd_entry {
    bool open;
    enum fd_kind kind;
    struct vnode *node;       /* FD_FILE, FD_DIRECTORY */
    uint64_t offset;          /* FD_FILE */
    uint16_t fdflags;
    uint64_t rights_base, rights_inheriting;
    int32_t preopen;          /* index of the mount it pre-opens, or -1 */
    struct tcp_socket *socket; /* FD_SOCKET, stream (wasi/sock.c) */
    struct udp_socket *udp_socket; /* FD_SOCKET, datagram (wasi/sock.c): exactly one of the two is set */
};

/* The open entry for fd, or NULL (EBADF). The table is set up on first use. */
struct fd_entry *fd_get(int32_t fd);
/* Same, but also checks `rights` (all required): *err gets EBADF or `missing` when absent. */
struct fd_entry *fd_get_with(int32_t fd, uint64_t rights, int32_t missing, int32_t *err);
/* A free descriptor number with its entry (zeroed, not yet open), or NULL (EMFILE / ENOMEM). */
struct fd_entry *fd_allocate(int32_t *fd_out, int32_t *err);
void fd_release(struct fd_entry *e);
uint32_t fd_table_size(void);

#endif
