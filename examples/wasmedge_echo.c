/*
 * TCP echo server written against WasmEdge's socket API, the way WasmEdge and Mewz apps open
 * their own listeners: sock_open, SO_REUSEADDR, sock_bind to 0.0.0.0:PORT, sock_listen and the
 * 2-argument sock_accept. Usage: wasmedge_echo PORT [CONNECTIONS] (default 1). Prints
 * "listening on A.B.C.D:PORT" (from v2 sock_getlocaladdr) and "ready", then per connection the
 * peer (v2 sock_getpeeraddr) and the bytes echoed. Exit 0 when every connection was echoed, 1 on a
 * socket error, 2 on bad arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WASMEDGE_V2_ADDRESSES
#include "wasmedge_socket.h"

static int fail(const char *what, uint32_t err) {
    fprintf(stderr, "wasmedge_echo: %s: %s (WASI errno %u)\n", what, strerror((int)err), err);
    return 1;
}

/* Formats a v2 address buffer: u16 family, then the IPv4 address. */
static void show(char *out, size_t size, const uint8_t *storage, uint32_t port) {
    if (storage[0] != WE_AF_INET4) {
        snprintf(out, size, "(family %u)", storage[0]);
        return;
    }
    snprintf(out, size, "%u.%u.%u.%u:%u", storage[2], storage[3], storage[4], storage[5], port);
}

static int echo(int conn, unsigned long long *bytes) {
    char buf[4096];
    for (;;) {
        ssize_t n = recv(conn, buf, sizeof buf, 0);
        if (n == 0) return 0;
        if (n < 0) return fail("recv", (uint32_t)errno);
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(conn, buf + off, (size_t)(n - off), 0);
            if (w <= 0) return fail("send", w < 0 ? (uint32_t)errno : 0);
            off += w;
        }
        *bytes += (unsigned long long)n;
    }
}

int main(int argc, char **argv) {
    long port = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    long connections = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    if (port < 1 || port > 65535 || connections < 1 || connections > 1000000) {
        fprintf(stderr, "usage: wasmedge_echo PORT [CONNECTIONS]\n");
        return 2;
    }
    uint32_t listener, err;
    if ((err = we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &listener))) return fail("sock_open", err);
    int32_t on = 1;
    if ((err = we_sock_setsockopt(listener, WE_SOL_SOCKET, WE_SO_REUSEADDR, &on, sizeof on)))
        return fail("SO_REUSEADDR", err);
    uint8_t any[4] = {0, 0, 0, 0};
    we_address bind_to = {any, sizeof any};
    if ((err = we_sock_bind(listener, &bind_to, (uint32_t)port))) return fail("sock_bind", err);
    if ((err = we_sock_listen(listener, 16))) return fail("sock_listen", err);
    uint8_t storage[128];
    we_address local = {storage, sizeof storage};
    uint32_t local_port;
    if ((err = we_sock_getlocaladdr(listener, &local, &local_port))) return fail("sock_getlocaladdr", err);
    char text[64];
    show(text, sizeof text, storage, local_port);
    printf("listening on %s\nready\n", text);
    fflush(stdout);
    for (long i = 0; i < connections; i++) {
        uint32_t conn;
        if ((err = we_sock_accept(listener, &conn))) return fail("sock_accept", err);
        we_address peer = {storage, sizeof storage};
        uint32_t peer_port;
        if ((err = we_sock_getpeeraddr(conn, &peer, &peer_port))) return fail("sock_getpeeraddr", err);
        show(text, sizeof text, storage, peer_port);
        unsigned long long bytes = 0;
        int failed = echo((int)conn, &bytes);
        shutdown((int)conn, SHUT_WR);
        close((int)conn);
        if (failed) return 1;
        printf("connection %ld from %s: %llu bytes echoed\n", i + 1, text, bytes);
        fflush(stdout);
    }
    close((int)listener);
    return 0;
}
