/*
 * Sends and exits at once: accepts one connection on the --tcplisten socket, writes SIZE bytes to
 * it (argv[1]: a count with an optional K or M suffix, 1..1024M; default 1M) and calls proc_exit(0)
 * without closing the connection or waiting for the peer, so whatever the network stack still
 * holds unsent or unacknowledged must be delivered on the way out (NetworkExitFlushTest). A size
 * within one send buffer (16K) is sent while TCP's slow start still holds most of it back. Byte i
 * of the stream is (i * 7 + i / 4096) & 0xff, so a receiver can tell lost, repeated and reordered
 * data apart. Prints "ready fd N" on stdout before it accepts, nothing after (printing would give
 * the stack time to send).
 * With the argument --until-stalled it sends on a non-blocking socket until the peer has taken
 * nothing for 500 ms (its window stays closed), prints "stalled after N bytes" and exits: what is
 * left can never be delivered, so the kernel's wait at exit must give up by its time limit.
 * Exit status 0 after sending, 1 on a socket error, 2 on bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <wasi/api.h>

#include "preopened_listener.h"

#define CHUNK 65536 /* a 16K stream in one send: nothing polls the network between its write and the exit */

static unsigned char pattern_byte(unsigned long long i) { return (unsigned char)((i * 7 + i / 4096) & 0xff); }

#define STALL_MS 500

static void fill(unsigned char *buf, size_t n, unsigned long long offset) {
    for (size_t k = 0; k < n; k++) buf[k] = pattern_byte(offset + k);
}

/* Sends until the socket has stayed unwritable for STALL_MS; returns the bytes sent, or -1. */
static long long send_until_stalled(int conn, unsigned char *buf) {
    if (fcntl(conn, F_SETFL, O_NONBLOCK) != 0) {
        fprintf(stderr, "tcp_send_exit: fcntl O_NONBLOCK: %s\n", strerror(errno));
        return -1;
    }
    unsigned long long sent = 0;
    for (;;) {
        fill(buf, CHUNK, sent);
        ssize_t w = send(conn, buf, CHUNK, 0);
        if (w > 0) {
            sent += (unsigned long long)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN) {
            fprintf(stderr, "tcp_send_exit: send after %llu bytes: %s\n", sent, strerror(errno));
            return -1;
        }
        struct pollfd p = {.fd = conn, .events = POLLOUT};
        int ready = poll(&p, 1, STALL_MS);
        if (ready < 0) {
            fprintf(stderr, "tcp_send_exit: poll: %s\n", strerror(errno));
            return -1;
        }
        if (ready == 0) return (long long)sent;
    }
}

/* "4096", "16K", "2M" */
static bool parse_size(const char *text, unsigned long long *out) {
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (errno || end == text || *text == '-') return false;
    if (*end == 'K') n <<= 10, end++;
    else if (*end == 'M') n <<= 20, end++;
    if (*end || n < 1 || n > (1024ull << 20)) return false;
    *out = n;
    return true;
}

int main(int argc, char **argv) {
    unsigned long long total = 1ull << 20;
    bool until_stalled = argc > 1 && strcmp(argv[1], "--until-stalled") == 0;
    if (argc > 1 && !until_stalled && !parse_size(argv[1], &total)) {
        fprintf(stderr, "tcp_send_exit: size must be 1..1024M (a byte count, optionally with K or M), got \"%s\"\n",
                argv[1]);
        return 2;
    }
    int listener = find_preopened_listener();
    if (listener < 0) {
        fprintf(stderr, "tcp_send_exit: no pre-opened listening socket (run with --tcplisten ADDR:PORT)\n");
        return 2;
    }
    printf("ready fd %d\n", listener);
    fflush(stdout);
    int conn = accept(listener, NULL, NULL);
    if (conn < 0) {
        fprintf(stderr, "tcp_send_exit: accept: %s\n", strerror(errno));
        return 1;
    }
    static unsigned char buf[CHUNK];
    if (until_stalled) {
        long long stalled = send_until_stalled(conn, buf);
        if (stalled < 0) return 1;
        printf("stalled after %lld bytes\n", stalled);
        fflush(stdout);
        __wasi_proc_exit(0);
    }
    unsigned long long sent = 0;
    while (sent < total) {
        size_t n = total - sent < CHUNK ? (size_t)(total - sent) : CHUNK;
        fill(buf, n, sent);
        for (size_t off = 0; off < n;) {
            ssize_t w = send(conn, buf + off, n - off, 0);
            if (w <= 0) {
                fprintf(stderr, "tcp_send_exit: send after %llu bytes: %s\n", sent + off,
                        w < 0 ? strerror(errno) : "sent nothing");
                return 1;
            }
            off += (size_t)w;
        }
        sent += n;
    }
    /* straight to proc_exit: no close, no shutdown, no atexit flushing of sockets */
    __wasi_proc_exit(0);
}
