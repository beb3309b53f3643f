/*
 * Tiny assertion helpers for the WASI test programs: each check prints "ok <what>" or
 * "FAIL <what>: ..." and a failure makes the program exit 1 at the end. The programs call the raw
 * WASI functions (wasi/api.h) where errno values matter, and wasi-libc where that is the point.
 */
#ifndef UNIWASM_EXAMPLES_WASI_CHECK_H
#define UNIWASM_EXAMPLES_WASI_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int check_failures;

#define CHECK(cond, what)                                                              \
    do {                                                                               \
        if (cond) printf("ok %s\n", what);                                             \
        else { printf("FAIL %s (line %d)\n", what, __LINE__); check_failures++; }      \
    } while (0)

/* Checks that a WASI call returned the expected errno. */
#define CHECK_ERRNO(call, expected, what)                                              \
    do {                                                                               \
        __wasi_errno_t got_ = (call);                                                  \
        if (got_ == (expected)) printf("ok %s\n", what);                               \
        else { printf("FAIL %s: errno %d, expected %d (line %d)\n", what, got_, (int)(expected), __LINE__); check_failures++; } \
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

#define RIGHTS_RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
                   __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | \
                   __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC | \
                   __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_POLL_FD_READWRITE)
#define RIGHTS_RO (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)

#endif
