/*
 * TCP echo server for many clients at once, driven by WASI poll_oneoff on the pre-opened listener
 * (--tcplisten) and the accepted connections; sockets are non-blocking (fcntl O_NONBLOCK, i.e.
 * fd_fdstat_set_flags). poll_oneoff is called directly with static arrays: wasi-libc's poll()
 * puts its subscriptions in a stack array, which for a thousand descriptors overflows the default
 * 64 KiB Wasm stack. Serves until argv[1] connections (default 1) have ended, then exits 0.
 * Prints "ready fd N" before the first poll and "served N connections" at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wasi/api.h>

#include "preopened_listener.h"

#define MAX_CLIENTS 1024
#define PENDING_MAX 4096

struct client {
    int fd;
    char pending[PENDING_MAX]; /* received but not yet echoed */
    size_t pending_len;
    int peer_done;
};

static struct client clients[MAX_CLIENTS];
/* one read and one write subscription per client, one for the listener */
static __wasi_subscription_t subscriptions[2 * MAX_CLIENTS + 1];
static __wasi_event_t events[2 * MAX_CLIENTS + 1];

#define LISTENER_TAG ((uint64_t)-1)

static void subscribe(size_t *n, uint64_t tag, int fd, __wasi_eventtype_t type) {
    __wasi_subscription_t *s = &subscriptions[(*n)++];
    memset(s, 0, sizeof *s);
    s->userdata = tag;
    s->u.tag = type;
    if (type == __WASI_EVENTTYPE_FD_READ) s->u.u.fd_read.file_descriptor = (__wasi_fd_t)fd;
    else s->u.u.fd_write.file_descriptor = (__wasi_fd_t)fd;
}

static void drop(struct client *c) {
    close(c->fd);
    c->fd = -1;
    c->pending_len = 0;
    c->peer_done = 0;
}

int main(int argc, char **argv) {
    long wanted = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    if (wanted < 1 || wanted > 1000000) {
        fprintf(stderr, "tcp_echo_poll: connection count must be 1..1000000\n");
        return 2;
    }
    int listener = find_preopened_listener();
    if (listener < 0) {
        fprintf(stderr, "tcp_echo_poll: no pre-opened listening socket (run with --tcplisten ADDR:PORT)\n");
        return 2;
    }
    for (int i = 0; i < MAX_CLIENTS; i++) clients[i].fd = -1;
    printf("ready fd %d\n", listener);
    fflush(stdout);
    long served = 0;
    while (served < wanted) {
        size_t n = 0;
        subscribe(&n, LISTENER_TAG, listener, __WASI_EVENTTYPE_FD_READ);
        for (int i = 0; i < MAX_CLIENTS; i++) {
            if (clients[i].fd < 0) continue;
            if (!clients[i].peer_done && clients[i].pending_len < PENDING_MAX)
                subscribe(&n, (uint64_t)i, clients[i].fd, __WASI_EVENTTYPE_FD_READ);
            if (clients[i].pending_len) subscribe(&n, (uint64_t)i, clients[i].fd, __WASI_EVENTTYPE_FD_WRITE);
        }
        __wasi_size_t ready = 0;
        __wasi_errno_t err = __wasi_poll_oneoff(subscriptions, events, n, &ready);
        if (err) {
            fprintf(stderr, "tcp_echo_poll: poll_oneoff: WASI errno %d\n", err);
            return 1;
        }
        for (__wasi_size_t k = 0; k < ready; k++) {
            if (events[k].error) {
                fprintf(stderr, "tcp_echo_poll: poll_oneoff event error %d\n", events[k].error);
                return 1;
            }
            if (events[k].userdata == LISTENER_TAG) {
                int conn = accept(listener, NULL, NULL);
                if (conn < 0) {
                    if (errno == EAGAIN) continue;
                    fprintf(stderr, "tcp_echo_poll: accept: %s\n", strerror(errno));
                    return 1;
                }
                int slot = -1;
                for (int i = 0; i < MAX_CLIENTS && slot < 0; i++)
                    if (clients[i].fd < 0) slot = i;
                if (slot < 0 || fcntl(conn, F_SETFL, O_NONBLOCK) != 0) {
                    close(conn);
                    continue;
                }
                clients[slot].fd = conn;
                continue;
            }
            struct client *c = &clients[events[k].userdata];
            if (c->fd < 0) continue; /* dropped by its other event in this round */
            if (events[k].type == __WASI_EVENTTYPE_FD_READ) {
                ssize_t got = recv(c->fd, c->pending + c->pending_len, PENDING_MAX - c->pending_len, 0);
                if (got == 0) c->peer_done = 1;
                else if (got > 0) c->pending_len += (size_t)got;
                else if (errno != EAGAIN) {
                    fprintf(stderr, "tcp_echo_poll: recv: %s\n", strerror(errno));
                    drop(c);
                    served++;
                    continue;
                }
            }
            if (events[k].type == __WASI_EVENTTYPE_FD_WRITE && c->pending_len) {
                ssize_t sent = send(c->fd, c->pending, c->pending_len, 0);
                if (sent > 0) {
                    memmove(c->pending, c->pending + sent, c->pending_len - (size_t)sent);
                    c->pending_len -= (size_t)sent;
                } else if (sent < 0 && errno != EAGAIN) {
                    fprintf(stderr, "tcp_echo_poll: send: %s\n", strerror(errno));
                    drop(c);
                    served++;
                    continue;
                }
            }
            if (c->peer_done && !c->pending_len) {
                shutdown(c->fd, SHUT_WR);
                drop(c);
                served++;
            }
        }
    }
    printf("served %ld connections\n", served);
    return 0;
}
