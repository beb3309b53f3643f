/*
 * WASI preview1 sockets: sock_accept on listeners the host pre-opened (--tcplisten), sock_recv,
 * sock_send, sock_shutdown, and the socket side of fd_read / fd_write / fd_close. Calls block
 * (halting the CPU) unless the descriptor has FDFLAG_NONBLOCK.
 */
#include "sock.h"

#include "../net/net.h"
#include "iovec.h"
#include "kernel/panic.h"
#include "kernel/string.h"

#define RIFLAGS_RECV_PEEK 0x1
#define RIFLAGS_RECV_WAITALL 0x2
#define SDFLAGS_RD 0x1
#define SDFLAGS_WR 0x2
#define RIGHTS_SOCKET_CONNECTION                                                                        \
    (RIGHT_FD_READ | RIGHT_FD_WRITE | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET |               \
     RIGHT_POLL_FD_READWRITE | RIGHT_SOCK_SHUTDOWN)
#define RIGHTS_SOCKET_LISTENER                                                                          \
    (RIGHT_FD_READ | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET | RIGHT_POLL_FD_READWRITE |     \
     RIGHT_SOCK_ACCEPT)

void sock_preopen_listeners(void) {
    const struct boot_network *config = net_config();
    for (uint32_t i = 0; config->present && i < config->listener_count; i++) {
        const struct boot_listener *l = &config->listeners[i];
        struct tcp_socket *s;
        int err = tcp_socket_listen(l->address, l->port, &s);
        if (err) {
            panic("cannot listen on %u.%u.%u.%u:%u (--tcplisten): WASI errno %d", l->address[0], l->address[1],
                  l->address[2], l->address[3], l->port, err);
        }
        int32_t fd, fd_err;
        struct fd_entry *e = fd_allocate(&fd, &fd_err);
        if (!e) panic("no descriptor for the pre-opened listener %u", i);
        e->open = true;
        e->kind = FD_SOCKET;
        e->socket = s;
        e->rights_base = RIGHTS_SOCKET_LISTENER;
        e->rights_inheriting = RIGHTS_SOCKET_CONNECTION;
    }
}

static struct fd_entry *socket_entry(int32_t fd, uint64_t rights, int32_t *err) {
    struct fd_entry *e = fd_get(fd);
    if (!e) {
        *err = WASI_EBADF;
        return NULL;
    }
    if (e->kind != FD_SOCKET) {
        *err = NET_ENOTSOCK;
        return NULL;
    }
    if ((e->rights_base & rights) != rights) {
        *err = WASI_ENOTCAPABLE;
        return NULL;
    }
    return e;
}

int32_t wasi_sock_accept(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) {
    int32_t err;
    struct fd_entry *l = socket_entry(fd, RIGHT_SOCK_ACCEPT, &err);
    if (!l) return err;
    if ((uint32_t)flags & ~(uint32_t)FDFLAG_NONBLOCK) return WASI_EINVAL;
    uint8_t *out = guest_range(ctx, (uint32_t)fd_out, 4);
    if (!out) return WASI_EFAULT;
    if (!tcp_socket_is_listener(l->socket)) return WASI_EINVAL;
    struct tcp_socket *listener = l->socket;
    struct tcp_socket *s;
    err = tcp_socket_accept(listener, (l->fdflags & FDFLAG_NONBLOCK) != 0, &s);
    if (err) return err;
    int32_t new_fd;
    struct fd_entry *e = fd_allocate(&new_fd, &err); /* may move the table: l is stale from here */
    if (!e) {
        tcp_socket_close(s);
        return err;
    }
    e->open = true;
    e->kind = FD_SOCKET;
    e->socket = s;
    e->fdflags = (uint16_t)flags;
    e->rights_base = RIGHTS_SOCKET_CONNECTION;
    e->rights_inheriting = 0;
    guest_store_u32(out, (uint32_t)new_fd);
    return WASI_ESUCCESS;
}

/* Reads into a checked iovec list. Blocks (unless non-blocking) for the first byte only, then takes
 * what is already queued, like a read on a Unix socket; with `waitall`, blocks until the buffers
 * are full or the stream ends; with `peek`, leaves the bytes queued. */
static int32_t recv_iovecs(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, bool peek, bool waitall,
                           uint32_t *done) {
    *done = 0;
    bool nonblock = (e->fdflags & FDFLAG_NONBLOCK) != 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;
        uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        while (len) {
            /* after the first bytes only `waitall` may block again */
            bool dont_block = nonblock || (*done && !waitall);
            size_t got = 0;
            int err = peek ? tcp_socket_peek(e->socket, buf, len, *done, dont_block, &got)
                           : tcp_socket_recv(e->socket, buf, len, dont_block, &got);
            if (err) return *done ? WASI_ESUCCESS : err;
            if (!got) return WASI_ESUCCESS; /* end of stream, or nothing more queued to peek at */
            *done += (uint32_t)got;
            buf += got;
            len -= (uint32_t)got;
        }
    }
    return WASI_ESUCCESS;
}

static int32_t send_iovecs(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t *done) {
    *done = 0;
    bool nonblock = (e->fdflags & FDFLAG_NONBLOCK) != 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;
        const uint8_t *buf = iovec_at(ctx, iovs, i, &len);
        while (len) {
            size_t sent = 0;
            /* after the first bytes, never block: report the partial count like send(2) */
            int err = tcp_socket_send(e->socket, buf, len, nonblock || *done, &sent);
            if (err) return *done ? WASI_ESUCCESS : err;
            if (!sent) return WASI_ESUCCESS;
            *done += (uint32_t)sent;
            buf += sent;
            len -= (uint32_t)sent;
        }
    }
    return WASI_ESUCCESS;
}

bool sock_poll_ready(const struct fd_entry *e, bool read, uint64_t *nbytes, bool *hangup) {
    const struct tcp_socket *s = e->socket;
    *hangup = tcp_socket_hung_up(s);
    if (read) {
        if (!tcp_socket_readable(s)) return false;
        *nbytes = tcp_socket_is_listener(s) ? 1 : tcp_socket_bytes_available(s);
        return true;
    }
    if (!tcp_socket_writable(s)) return false;
    *nbytes = tcp_socket_send_space(s);
    return true;
}

int32_t sock_fd_read(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t *done) {
    if (tcp_socket_is_listener(e->socket)) return NET_ENOTCONN;
    return recv_iovecs(e, ctx, iovs, count, false, false, done);
}

int32_t sock_fd_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t *done) {
    if (tcp_socket_is_listener(e->socket)) return NET_ENOTCONN;
    return send_iovecs(e, ctx, iovs, count, done);
}

int32_t wasi_sock_recv(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t ri_flags,
                       int32_t datalen_out, int32_t flags_out) {
    int32_t err;
    struct fd_entry *e = socket_entry(fd, RIGHT_FD_READ, &err);
    if (!e) return err;
    if ((uint32_t)ri_flags & ~(uint32_t)(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL)) return WASI_EINVAL;
    uint8_t *datalen = guest_range(ctx, (uint32_t)datalen_out, 4);
    uint8_t *roflags = guest_range(ctx, (uint32_t)flags_out, 2);
    if (!datalen || !roflags || iovecs_check(ctx, (uint32_t)ri_data, (uint32_t)ri_data_len) < 0) return WASI_EFAULT;
    if (tcp_socket_is_listener(e->socket)) return NET_ENOTCONN;
    uint32_t done = 0;
    err = recv_iovecs(e, ctx, (uint32_t)ri_data, (uint32_t)ri_data_len, (ri_flags & RIFLAGS_RECV_PEEK) != 0,
                      (ri_flags & RIFLAGS_RECV_WAITALL) != 0, &done);
    if (err) return err;
    guest_store_u32(datalen, done);
    roflags[0] = 0;
    roflags[1] = 0;
    return WASI_ESUCCESS;
}

int32_t wasi_sock_send(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t si_flags,
                       int32_t datalen_out) {
    int32_t err;
    struct fd_entry *e = socket_entry(fd, RIGHT_FD_WRITE, &err);
    if (!e) return err;
    if (si_flags) return WASI_EINVAL;
    uint8_t *datalen = guest_range(ctx, (uint32_t)datalen_out, 4);
    if (!datalen || iovecs_check(ctx, (uint32_t)si_data, (uint32_t)si_data_len) < 0) return WASI_EFAULT;
    uint32_t done = 0;
    err = sock_fd_write(e, ctx, (uint32_t)si_data, (uint32_t)si_data_len, &done);
    if (err) return err;
    guest_store_u32(datalen, done);
    return WASI_ESUCCESS;
}

int32_t wasi_sock_shutdown(uw_vmctx *ctx, int32_t fd, int32_t how) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = socket_entry(fd, RIGHT_SOCK_SHUTDOWN, &err);
    if (!e) return err;
    if (!how || ((uint32_t)how & ~(uint32_t)(SDFLAGS_RD | SDFLAGS_WR))) return WASI_EINVAL;
    return tcp_socket_shutdown(e->socket, (how & SDFLAGS_RD) != 0, (how & SDFLAGS_WR) != 0);
}
