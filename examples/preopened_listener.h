/*
 * The listening socket `uniwasm run --tcplisten` pre-opens (WASI preview1 has no socket() call):
 * the first descriptor from 3 on that is a stream socket with the right to accept.
 */
#ifndef EXAMPLES_PREOPENED_LISTENER_H
#define EXAMPLES_PREOPENED_LISTENER_H

#include <wasi/api.h>

#define PREOPENED_FIRST_FD 3
#define PREOPENED_LAST_FD 255

/* The pre-opened listener's descriptor, or -1 when there is none. */
static inline int find_preopened_listener(void) {
    for (int fd = PREOPENED_FIRST_FD; fd <= PREOPENED_LAST_FD; fd++) {
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st) != 0) continue;
        if (st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM && (st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT))
            return fd;
    }
    return -1;
}

#endif
