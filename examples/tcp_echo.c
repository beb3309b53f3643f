/*
 * TCP echo server on a WASI preview1 pre-opened listener (uniwasm run --tcplisten ADDR:PORT, or
 * wasmtime's --tcplisten): finds the first listening socket descriptor, then serves the number of
 * connections given as argv[1] (default 1) one after another, sending every byte back until the
 * client closes its side. Prints "ready fd N" on stdout once it is about to accept, and a summary
 * line per connection. Exit status 0 when every connection was echoed, 1 on a socket error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wasi/api.h>

#include "preopened_listener.h"

static int echo(int conn, unsigned long long *bytes) {
    char buf[4096];
    for (;;) {
        ssize_t n = recv(conn, buf, sizeof buf, 0);
        if (n == 0) return 0;
        if (n < 0) {
            fprintf(stderr, "tcp_echo: recv: %s\n", strerror(errno));
            return -1;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(conn, buf + off, (size_t)(n - off), 0);
            if (w <= 0) {
                fprintf(stderr, "tcp_echo: send: %s\n", w < 0 ? strerror(errno) : "sent nothing");
                return -1;
            }
            off += w;
        }
        *bytes += (unsigned long long)n;
    }
}

int main(int argc, char **argv) {
    long connections = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    if (connections < 1 || connections > 1000000) {
        fprintf(stderr, "tcp_echo: connection count must be 1..1000000, got %s\n", argv[1]);
        return 2;
    }
    int listener = find_preopened_listener();
    if (listener < 0) {
        fprintf(stderr, "tcp_echo: no pre-opened listening socket (run with --tcplisten ADDR:PORT)\n");
        return 2;
    }
    printf("ready fd %d\n", listener);
    fflush(stdout);
    for (long i = 0; i < connections; i++) {
        int conn = accept(listener, NULL, NULL);
        if (conn < 0) {
            fprintf(stderr, "tcp_echo: accept: %s\n", strerror(errno));
            return 1;
        }
        unsigned long long bytes = 0;
        int failed = echo(conn, &bytes);
        shutdown(conn, SHUT_WR);
        close(conn);
        if (failed) return 1;
        printf("connection %ld: %llu bytes echoed\n", i + 1, bytes);
        fflush(stdout);
    }
    return 0;
}
