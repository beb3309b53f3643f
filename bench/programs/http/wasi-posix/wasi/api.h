/*
 * A native (x86-64 Linux) stand-in for wasi-libc's <wasi/api.h>, with the same names and values,
 * so that examples/http_server.c compiles unchanged against wasi_posix.c. Only what the server
 * uses is declared; wasi-libc's header cannot be used natively because it asserts 32-bit
 * pointers. Values are WASI preview1's (wasi_snapshot_preview1 witx).
 */
#ifndef UNIWASM_BENCH_WASI_POSIX_API_H
#define UNIWASM_BENCH_WASI_POSIX_API_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t __wasi_size_t;
typedef uint64_t __wasi_filesize_t;
typedef uint64_t __wasi_timestamp_t;
typedef uint32_t __wasi_clockid_t;
typedef uint16_t __wasi_errno_t;
typedef uint64_t __wasi_rights_t;
typedef uint32_t __wasi_fd_t;
typedef uint64_t __wasi_device_t;
typedef uint64_t __wasi_inode_t;
typedef uint8_t __wasi_filetype_t;
typedef uint16_t __wasi_fdflags_t;
typedef uint64_t __wasi_linkcount_t;
typedef uint32_t __wasi_lookupflags_t;
typedef uint16_t __wasi_oflags_t;
typedef uint64_t __wasi_userdata_t;
typedef uint8_t __wasi_eventtype_t;
typedef uint16_t __wasi_eventrwflags_t;
typedef uint16_t __wasi_subclockflags_t;
typedef uint8_t __wasi_preopentype_t;

#define __WASI_CLOCKID_REALTIME ((__wasi_clockid_t)0)
#define __WASI_CLOCKID_MONOTONIC ((__wasi_clockid_t)1)

#define __WASI_ERRNO_SUCCESS ((__wasi_errno_t)0)
#define __WASI_ERRNO_2BIG ((__wasi_errno_t)1)
#define __WASI_ERRNO_ACCES ((__wasi_errno_t)2)
#define __WASI_ERRNO_ADDRINUSE ((__wasi_errno_t)3)
#define __WASI_ERRNO_ADDRNOTAVAIL ((__wasi_errno_t)4)
#define __WASI_ERRNO_AGAIN ((__wasi_errno_t)6)
#define __WASI_ERRNO_BADF ((__wasi_errno_t)8)
#define __WASI_ERRNO_CONNABORTED ((__wasi_errno_t)13)
#define __WASI_ERRNO_CONNREFUSED ((__wasi_errno_t)14)
#define __WASI_ERRNO_CONNRESET ((__wasi_errno_t)15)
#define __WASI_ERRNO_EXIST ((__wasi_errno_t)20)
#define __WASI_ERRNO_FAULT ((__wasi_errno_t)21)
#define __WASI_ERRNO_INTR ((__wasi_errno_t)27)
#define __WASI_ERRNO_INVAL ((__wasi_errno_t)28)
#define __WASI_ERRNO_IO ((__wasi_errno_t)29)
#define __WASI_ERRNO_ISDIR ((__wasi_errno_t)31)
#define __WASI_ERRNO_LOOP ((__wasi_errno_t)32)
#define __WASI_ERRNO_MFILE ((__wasi_errno_t)33)
#define __WASI_ERRNO_NAMETOOLONG ((__wasi_errno_t)37)
#define __WASI_ERRNO_NFILE ((__wasi_errno_t)41)
#define __WASI_ERRNO_NOBUFS ((__wasi_errno_t)42)
#define __WASI_ERRNO_NOENT ((__wasi_errno_t)44)
#define __WASI_ERRNO_NOMEM ((__wasi_errno_t)48)
#define __WASI_ERRNO_NOSYS ((__wasi_errno_t)52)
#define __WASI_ERRNO_NOTCONN ((__wasi_errno_t)53)
#define __WASI_ERRNO_NOTDIR ((__wasi_errno_t)54)
#define __WASI_ERRNO_NOTSOCK ((__wasi_errno_t)57)
#define __WASI_ERRNO_NOTSUP ((__wasi_errno_t)58)
#define __WASI_ERRNO_PERM ((__wasi_errno_t)63)
#define __WASI_ERRNO_PIPE ((__wasi_errno_t)64)
#define __WASI_ERRNO_TIMEDOUT ((__wasi_errno_t)73)
#define __WASI_ERRNO_NOTCAPABLE ((__wasi_errno_t)76)

#define __WASI_RIGHTS_FD_READ ((__wasi_rights_t)(1 << 1))
#define __WASI_RIGHTS_FD_WRITE ((__wasi_rights_t)(1 << 6))
#define __WASI_RIGHTS_FD_FILESTAT_GET ((__wasi_rights_t)(1 << 21))
#define __WASI_RIGHTS_SOCK_ACCEPT ((__wasi_rights_t)(1 << 29))

#define __WASI_FILETYPE_UNKNOWN ((__wasi_filetype_t)0)
#define __WASI_FILETYPE_BLOCK_DEVICE ((__wasi_filetype_t)1)
#define __WASI_FILETYPE_CHARACTER_DEVICE ((__wasi_filetype_t)2)
#define __WASI_FILETYPE_DIRECTORY ((__wasi_filetype_t)3)
#define __WASI_FILETYPE_REGULAR_FILE ((__wasi_filetype_t)4)
#define __WASI_FILETYPE_SOCKET_DGRAM ((__wasi_filetype_t)5)
#define __WASI_FILETYPE_SOCKET_STREAM ((__wasi_filetype_t)6)
#define __WASI_FILETYPE_SYMBOLIC_LINK ((__wasi_filetype_t)7)

#define __WASI_FDFLAGS_NONE ((__wasi_fdflags_t)0)
#define __WASI_FDFLAGS_APPEND ((__wasi_fdflags_t)(1 << 0))
#define __WASI_FDFLAGS_NONBLOCK ((__wasi_fdflags_t)(1 << 2))

#define __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW ((__wasi_lookupflags_t)(1 << 0))

#define __WASI_OFLAGS_CREAT ((__wasi_oflags_t)(1 << 0))
#define __WASI_OFLAGS_DIRECTORY ((__wasi_oflags_t)(1 << 1))
#define __WASI_OFLAGS_EXCL ((__wasi_oflags_t)(1 << 2))
#define __WASI_OFLAGS_TRUNC ((__wasi_oflags_t)(1 << 3))

#define __WASI_EVENTTYPE_CLOCK ((__wasi_eventtype_t)0)
#define __WASI_EVENTTYPE_FD_READ ((__wasi_eventtype_t)1)
#define __WASI_EVENTTYPE_FD_WRITE ((__wasi_eventtype_t)2)

#define __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP ((__wasi_eventrwflags_t)(1 << 0))
#define __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME ((__wasi_subclockflags_t)(1 << 0))

#define __WASI_PREOPENTYPE_DIR ((__wasi_preopentype_t)0)

typedef struct __wasi_iovec_t {
    uint8_t *buf;
    __wasi_size_t buf_len;
} __wasi_iovec_t;

typedef struct __wasi_ciovec_t {
    const uint8_t *buf;
    __wasi_size_t buf_len;
} __wasi_ciovec_t;

typedef struct __wasi_fdstat_t {
    __wasi_filetype_t fs_filetype;
    __wasi_fdflags_t fs_flags;
    __wasi_rights_t fs_rights_base;
    __wasi_rights_t fs_rights_inheriting;
} __wasi_fdstat_t;

typedef struct __wasi_filestat_t {
    __wasi_device_t dev;
    __wasi_inode_t ino;
    __wasi_filetype_t filetype;
    __wasi_linkcount_t nlink;
    __wasi_filesize_t size;
    __wasi_timestamp_t atim;
    __wasi_timestamp_t mtim;
    __wasi_timestamp_t ctim;
} __wasi_filestat_t;

typedef struct __wasi_event_fd_readwrite_t {
    __wasi_filesize_t nbytes;
    __wasi_eventrwflags_t flags;
} __wasi_event_fd_readwrite_t;

typedef struct __wasi_event_t {
    __wasi_userdata_t userdata;
    __wasi_errno_t error;
    __wasi_eventtype_t type;
    __wasi_event_fd_readwrite_t fd_readwrite;
} __wasi_event_t;

typedef struct __wasi_subscription_clock_t {
    __wasi_clockid_t id;
    __wasi_timestamp_t timeout;
    __wasi_timestamp_t precision;
    __wasi_subclockflags_t flags;
} __wasi_subscription_clock_t;

typedef struct __wasi_subscription_fd_readwrite_t {
    __wasi_fd_t file_descriptor;
} __wasi_subscription_fd_readwrite_t;

typedef union __wasi_subscription_u_u_t {
    __wasi_subscription_clock_t clock;
    __wasi_subscription_fd_readwrite_t fd_read;
    __wasi_subscription_fd_readwrite_t fd_write;
} __wasi_subscription_u_u_t;

typedef struct __wasi_subscription_u_t {
    uint8_t tag;
    __wasi_subscription_u_u_t u;
} __wasi_subscription_u_t;

typedef struct __wasi_subscription_t {
    __wasi_userdata_t userdata;
    __wasi_subscription_u_t u;
} __wasi_subscription_t;

typedef struct __wasi_prestat_dir_t {
    __wasi_size_t pr_name_len;
} __wasi_prestat_dir_t;

typedef union __wasi_prestat_u_t {
    __wasi_prestat_dir_t dir;
} __wasi_prestat_u_t;

typedef struct __wasi_prestat_t {
    uint8_t tag;
    __wasi_prestat_u_t u;
} __wasi_prestat_t;

#define WASI_POSIX_RESULT __attribute__((__warn_unused_result__))

__wasi_errno_t __wasi_clock_time_get(__wasi_clockid_t id, __wasi_timestamp_t precision,
                                     __wasi_timestamp_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_close(__wasi_fd_t fd) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_fdstat_get(__wasi_fd_t fd, __wasi_fdstat_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_fdstat_set_flags(__wasi_fd_t fd, __wasi_fdflags_t flags) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_filestat_get(__wasi_fd_t fd, __wasi_filestat_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_prestat_get(__wasi_fd_t fd, __wasi_prestat_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_prestat_dir_name(__wasi_fd_t fd, uint8_t *path, __wasi_size_t path_len) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_read(__wasi_fd_t fd, const __wasi_iovec_t *iovs, size_t iovs_len,
                              __wasi_size_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_fd_write(__wasi_fd_t fd, const __wasi_ciovec_t *iovs, size_t iovs_len,
                               __wasi_size_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_path_open(__wasi_fd_t fd, __wasi_lookupflags_t dirflags, const char *path, __wasi_oflags_t oflags,
                                __wasi_rights_t fs_rights_base, __wasi_rights_t fs_rights_inheriting,
                                __wasi_fdflags_t fdflags, __wasi_fd_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_poll_oneoff(const __wasi_subscription_t *in, __wasi_event_t *out, __wasi_size_t nsubscriptions,
                                  __wasi_size_t *retptr0) WASI_POSIX_RESULT;
__wasi_errno_t __wasi_sock_accept(__wasi_fd_t fd, __wasi_fdflags_t flags, __wasi_fd_t *retptr0) WASI_POSIX_RESULT;

#endif
