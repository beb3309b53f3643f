/*
 * WASI preview1 socket semantics on a pre-opened listener (run with --tcplisten; the test
 * NetworkEchoTest plays the client): descriptor types, errors for wrong descriptors and flags,
 * non-blocking accept (the listener's flag), MSG_PEEK, MSG_WAITALL, shutdown, close. Prints "ready" before it waits for
 * the client, "ok ..."/"FAIL ..." per check and PASSED (exit 0) or FAILED n (exit 1).
 *
 * The client sends "hello" and, a little later, " world"; expects "done\n" back, then closes.
 */
#include "wasi/check.h"

#define LISTENER 3 /* the first descriptor after stdio when there are no mounts */

static __wasi_errno_t recv_into(__wasi_fd_t fd, char *buf, size_t len, __wasi_riflags_t flags, __wasi_size_t *got) {
    __wasi_iovec_t iov = {(uint8_t *)buf, len};
    __wasi_roflags_t ro;
    return __wasi_sock_recv(fd, &iov, 1, flags, got, &ro);
}

int main(void) {
    __wasi_fdstat_t st;
    CHECK_ERRNO(__wasi_fd_fdstat_get(LISTENER, &st), 0, "fdstat of the listener");
    CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM, "listener is a stream socket");
    CHECK(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT, "listener has the accept right");
    __wasi_filestat_t fst;
    CHECK_ERRNO(__wasi_fd_filestat_get(LISTENER, &fst), 0, "filestat of the listener");
    CHECK(fst.filetype == __WASI_FILETYPE_SOCKET_STREAM, "filestat says stream socket");
    __wasi_prestat_t pre;
    CHECK_ERRNO(__wasi_fd_prestat_get(LISTENER, &pre), __WASI_ERRNO_BADF, "a listener is no pre-opened directory");

    __wasi_fd_t conn;
    /* accept's flags are the new descriptor's; the listener's own flags decide whether it blocks */
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(LISTENER, __WASI_FDFLAGS_NONBLOCK), 0, "make the listener non-blocking");
    CHECK_ERRNO(__wasi_sock_accept(LISTENER, 0, &conn), __WASI_ERRNO_AGAIN, "non-blocking accept with nobody waiting");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(LISTENER, 0), 0, "make the listener blocking again");
    CHECK_ERRNO(__wasi_sock_accept(LISTENER, __WASI_FDFLAGS_APPEND, &conn), __WASI_ERRNO_INVAL,
                "accept with a bad flag");
    CHECK_ERRNO(__wasi_sock_accept(1, 0, &conn), __WASI_ERRNO_NOTSOCK, "accept on stdout");
    CHECK_ERRNO(__wasi_sock_accept(99, 0, &conn), __WASI_ERRNO_BADF, "accept on a closed descriptor");
    char buf[64];
    __wasi_size_t got = 0;
    CHECK_ERRNO(recv_into(1, buf, 5, 0, &got), __WASI_ERRNO_NOTSOCK, "recv on stdout");
    CHECK_ERRNO(recv_into(LISTENER, buf, 5, 0, &got), __WASI_ERRNO_NOTCONN, "recv on a listener");
    CHECK_ERRNO(__wasi_sock_shutdown(LISTENER, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTCAPABLE, "shutdown of a listener");
    CHECK_ERRNO(__wasi_sock_accept(LISTENER, 0, (__wasi_fd_t *)(uintptr_t)0xfffffff0u), __WASI_ERRNO_FAULT,
                "accept with a bad result pointer");

    printf("ready\n");
    fflush(stdout);
    CHECK_ERRNO(__wasi_sock_accept(LISTENER, 0, &conn), 0, "blocking accept");
    CHECK_ERRNO(__wasi_fd_fdstat_get(conn, &st), 0, "fdstat of the connection");
    CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM && (st.fs_rights_base & __WASI_RIGHTS_SOCK_SHUTDOWN),
          "connection is a stream socket that may shut down");

    memset(buf, 0, sizeof buf);
    CHECK_ERRNO(recv_into(conn, buf, 5, __WASI_RIFLAGS_RECV_PEEK, &got), 0, "peek");
    CHECK(got == 5 && memcmp(buf, "hello", 5) == 0, "peek sees the first bytes");
    memset(buf, 0, sizeof buf);
    CHECK_ERRNO(recv_into(conn, buf, 11, __WASI_RIFLAGS_RECV_WAITALL, &got), 0, "recv waitall");
    CHECK(got == 11 && memcmp(buf, "hello world", 11) == 0, "waitall waits for both writes, peeked bytes included");
    CHECK_ERRNO(recv_into(conn, buf, 5, 0x4, &got), __WASI_ERRNO_INVAL, "recv with an unknown flag");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(conn, __WASI_FDFLAGS_NONBLOCK), 0, "make the connection non-blocking");
    CHECK_ERRNO(recv_into(conn, buf, 5, 0, &got), __WASI_ERRNO_AGAIN, "non-blocking recv with nothing queued");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(conn, 0), 0, "make it blocking again");

    __wasi_ciovec_t out = {(const uint8_t *)"done\n", 5};
    __wasi_size_t sent = 0;
    CHECK_ERRNO(__wasi_sock_send(conn, &out, 1, 0, &sent), 0, "send");
    CHECK(sent == 5, "send took every byte");
    CHECK_ERRNO(__wasi_sock_send(conn, &out, 1, 1, &sent), __WASI_ERRNO_INVAL, "send with a flag");
    CHECK_ERRNO(__wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL, "shutdown of nothing");
    CHECK_ERRNO(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR), 0, "shutdown for writing");
    CHECK_ERRNO(__wasi_sock_send(conn, &out, 1, 0, &sent), __WASI_ERRNO_PIPE, "send after shutdown");
    CHECK_ERRNO(recv_into(conn, buf, sizeof buf, 0, &got), 0, "recv until the client closes");
    CHECK(got == 0, "end of stream once the client closed");
    CHECK_ERRNO(__wasi_fd_close(conn), 0, "close the connection");
    CHECK_ERRNO(__wasi_fd_close(conn), __WASI_ERRNO_BADF, "close it again");
    CHECK_ERRNO(__wasi_fd_close(LISTENER), 0, "close the listener");
    return check_done();
}
