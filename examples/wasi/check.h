/*
 * Tiny assertion helpers for the WASI test programs. Every check prints one line on stdout:
 * "ok <what>" or "FAIL <what>"; checks of an errno name it: "ok <what>: EPERM", or on failure
 * "FAIL <what>: ENOTCAPABLE, expected EPERM". A failure also names its source line on stderr and
 * makes the program exit 1 at the end. stdout depends only on what the WASI calls answered (no line
 * numbers, times or addresses), so that the output under two runtimes can be compared line by line
 * (NodeWasiCrossCheckTest). The programs call the raw WASI functions (wasi/api.h) where errno
 * values matter, and wasi-libc where that is the point.
 */
#ifndef UNIWASM_EXAMPLES_WASI_CHECK_H
#define UNIWASM_EXAMPLES_WASI_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int check_failures;

/* WASI errno names, indexed by value (wasi_snapshot_preview1's errno enum, 0 .. 76). */
static const char *const check_errno_names[] = {
    "success",      "E2BIG",           "EACCES",       "EADDRINUSE",   "EADDRNOTAVAIL",
    "EAFNOSUPPORT", "EAGAIN",          "EALREADY",     "EBADF",        "EBADMSG",
    "EBUSY",        "ECANCELED",       "ECHILD",       "ECONNABORTED", "ECONNREFUSED",
    "ECONNRESET",   "EDEADLK",         "EDESTADDRREQ", "EDOM",         "EDQUOT",
    "EEXIST",       "EFAULT",          "EFBIG",        "EHOSTUNREACH", "EIDRM",
    "EILSEQ",       "EINPROGRESS",     "EINTR",        "EINVAL",       "EIO",
    "EISCONN",      "EISDIR",          "ELOOP",        "EMFILE",       "EMLINK",
    "EMSGSIZE",     "EMULTIHOP",       "ENAMETOOLONG", "ENETDOWN",     "ENETRESET",
    "ENETUNREACH",  "ENFILE",          "ENOBUFS",      "ENODEV",       "ENOENT",
    "ENOEXEC",      "ENOLCK",          "ENOLINK",      "ENOMEM",       "ENOMSG",
    "ENOPROTOOPT",  "ENOSPC",          "ENOSYS",       "ENOTCONN",     "ENOTDIR",
    "ENOTEMPTY",    "ENOTRECOVERABLE", "ENOTSOCK",     "ENOTSUP",      "ENOTTY",
    "ENXIO",        "EOVERFLOW",       "EOWNERDEAD",   "EPERM",        "EPIPE",
    "EPROTO",       "EPROTONOSUPPORT", "EPROTOTYPE",   "ERANGE",       "EROFS",
    "ESPIPE",       "ESRCH",           "ESTALE",       "ETIMEDOUT",    "ETXTBSY",
    "EXDEV",        "ENOTCAPABLE"};

static inline const char *errno_name(__wasi_errno_t e) {
    static char unknown[24];
    if (e < sizeof check_errno_names / sizeof check_errno_names[0]) return check_errno_names[e];
    snprintf(unknown, sizeof unknown, "errno %u", (unsigned)e);
    return unknown;
}

static inline void check_failed_at(int line) {
    fprintf(stderr, "check failed at line %d\n", line);
    check_failures++;
}

#define CHECK(cond, what)                  \
    do {                                   \
        if (cond) printf("ok %s\n", what); \
        else {                             \
            printf("FAIL %s\n", what);     \
            check_failed_at(__LINE__);     \
        }                                  \
    } while (0)

/* Checks that a WASI call returned the expected errno (0: success, then no name is printed). */
#define CHECK_ERRNO(call, expected, what)                              \
    do {                                                               \
        __wasi_errno_t got_ = (call), want_ = (expected);              \
        if (got_ == want_) {                                           \
            if (want_) printf("ok %s: %s\n", what, errno_name(want_)); \
            else printf("ok %s\n", what);                              \
        } else {                                                       \
            printf("FAIL %s: %s", what, errno_name(got_));             \
            printf(", expected %s\n", errno_name(want_));              \
            check_failed_at(__LINE__);                                 \
        }                                                              \
    } while (0)

static inline int check_done(void) {
    printf(check_failures ? "FAILED %d\n" : "PASSED\n", check_failures);
    fflush(stdout);
    return check_failures ? 1 : 0;
}

/* The first pre-opened directory (fd 3) is where every test works. */
#define PREOPEN 3

static inline __wasi_fd_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags, __wasi_rights_t rights,
                                  __wasi_fdflags_t fdflags, __wasi_errno_t *err) {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    *err = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, rights, fdflags, &fd);
    return fd;
}

#define RIGHTS_RW                                                                                               \
    (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |           \
     __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | \
     __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC |  \
     __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_POLL_FD_READWRITE)
#define RIGHTS_RO \
    (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)

#endif
