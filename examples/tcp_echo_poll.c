/*
 * TCP echo server for many clients at once, driven by poll() (WASI poll_oneoff) on the pre-opened
 * listener (--tcplisten) and the accepted connections; sockets are non-blocking (fcntl O_NONBLOCK,
 * i.e. fd_fdstat_set_flags). Serves until argv[1] connections (default 1) have ended, then exits 0.
 * Prints "ready fd N" before the first poll and "served N connections" at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wasi/api.h>

#define MAX_CLIENTS 64
#define PENDING_MAX 65536

struct client {
    int fd;
    char pending[PENDING_MAX]; /* received but not yet echoed */
    size_t pending_len;
    int peer_done;
};

static struct client clients[MAX_CLIENTS];

static int find_listener(void) {
    for (int fd = 3; fd <= 64; fd++) {
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st) != 0) continue;
        if (st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM && (st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT)) return fd;
    }
    return -1;
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
    int listener = find_listener();
    if (listener < 0) {
        fprintf(stderr, "tcp_echo_poll: no pre-opened listening socket (run with --tcplisten ADDR:PORT)\n");
        return 2;
    }
    for (int i = 0; i < MAX_CLIENTS; i++) clients[i].fd = -1;
    printf("ready fd %d\n", listener);
    fflush(stdout);
    long served = 0;
    while (served < wanted) {
        struct pollfd fds[MAX_CLIENTS + 1];
        int owner[MAX_CLIENTS + 1];
        int n = 0;
        fds[n] = (struct pollfd){.fd = listener, .events = POLLIN};
        owner[n++] = -1;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            if (clients[i].fd < 0) continue;
            short events = 0;
            if (!clients[i].peer_done && clients[i].pending_len < PENDING_MAX) events |= POLLIN;
            if (clients[i].pending_len) events |= POLLOUT;
            fds[n] = (struct pollfd){.fd = clients[i].fd, .events = events};
            owner[n++] = i;
        }
        if (poll(fds, (nfds_t)n, 10000) < 0) {
            fprintf(stderr, "tcp_echo_poll: poll: %s\n", strerror(errno));
            return 1;
        }
        for (int k = 0; k < n; k++) {
            if (!fds[k].revents) continue;
            if (owner[k] < 0) {
                int conn = accept(listener, NULL, NULL);
                if (conn < 0) {
                    if (errno == EAGAIN) continue;
                    fprintf(stderr, "tcp_echo_poll: accept: %s\n", strerror(errno));
                    return 1;
                }
                int slot = -1;
                for (int i = 0; i < MAX_CLIENTS && slot < 0; i++) if (clients[i].fd < 0) slot = i;
                if (slot < 0 || fcntl(conn, F_SETFL, O_NONBLOCK) != 0) {
                    close(conn);
                    continue;
                }
                clients[slot].fd = conn;
                continue;
            }
            struct client *c = &clients[owner[k]];
            if (fds[k].revents & (POLLIN | POLLHUP)) {
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
            if (c->pending_len) {
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
