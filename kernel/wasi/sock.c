/*
 * WASI preview1 sockets: sock_accept on listeners the host pre-opened (--tcplisten) or the app
 * opened (sock_wasmedge.c), sock_recv, sock_send, sock_shutdown, and the socket side of fd_read /
 * fd_write / fd_close / poll_oneoff, for TCP and UDP sockets. Calls block (halting the CPU) unless
 * the descriptor has FDFLAG_NONBLOCK.
 */
#include "sock.h"

#include "../net/net.h"
#include "../net/outbound.h"
#include "iovec.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"

#define SDFLAGS_RD 0x1
#define SDFLAGS_WR 0x2
/* iovecs gathered into one datagram at most (wasi-libc's IOV_MAX) */
#define DATAGRAM_MAX_PARTS 1024

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
        int32_t fd;
        if (sock_install(s, NULL, 0, RIGHTS_SOCKET_LISTENER, &fd)) panic("no descriptor for the pre-opened listener %u", i);
    }
}

struct fd_entry *sock_entry(int32_t fd, uint64_t rights, int32_t *err) {
    struct fd_entry *e = fd_get(fd);
    if (!e) {
        *err = WASI_EBADF;
        return NULL;
    }
    if (e->ops != &fd_tcp_ops && e->ops != &fd_udp_ops) {
        *err = WASI_ENOTSOCK;
        return NULL;
    }
    if ((e->rights_base & rights) != rights) {
        *err = WASI_ENOTCAPABLE;
        return NULL;
    }
    return e;
}

int32_t sock_install(struct tcp_socket *tcp, struct udp_socket *udp, uint16_t fdflags, uint64_t rights, int32_t *fd_out) {
    int32_t err;
    struct fd_entry *e = fd_allocate(fd_out, &err);
    if (!e) {
        if (tcp) tcp_socket_close(tcp);
        if (udp) udp_socket_close(udp);
        return err;
    }
    e->open = true;
    e->ops = tcp ? &fd_tcp_ops : &fd_udp_ops;
    e->socket = tcp;
    e->udp_socket = udp;
    e->fdflags = fdflags;
    e->rights_base = rights;
    e->rights_inheriting = tcp && tcp_socket_is_listener(tcp) ? RIGHTS_SOCKET_CONNECTION : 0;
    return WASI_ESUCCESS;
}

int32_t sock_accept_with(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) {
    int32_t err;
    struct fd_entry *l = sock_entry(fd, RIGHT_SOCK_ACCEPT, &err);
    if (!l) return err;
    if ((uint32_t)flags & ~(uint32_t)FDFLAG_NONBLOCK) return WASI_EINVAL;
    uint8_t *out = guest_range(ctx, (uint32_t)fd_out, 4);
    if (!out) return WASI_EFAULT;
    if (!l->socket || !tcp_socket_is_listener(l->socket)) return WASI_EINVAL;
    struct tcp_socket *s;
    err = tcp_socket_accept(l->socket, (l->fdflags & FDFLAG_NONBLOCK) != 0, &s);
    if (err) return err;
    int32_t new_fd;
    err = sock_install(s, NULL, (uint16_t)flags, RIGHTS_SOCKET_CONNECTION, &new_fd); /* l is stale from here */
    if (err) return err;
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

/* Datagram parts of a checked iovec list: in `local` when they fit (the common case of one or two
 * buffers), else on the heap (release with release_parts). EINVAL above DATAGRAM_MAX_PARTS. */
#define LOCAL_PARTS 8
static int32_t datagram_parts(uw_vmctx *ctx, uint32_t iovs, uint32_t count, struct udp_part *local,
                              struct udp_part **out) {
    if (count > DATAGRAM_MAX_PARTS) return WASI_EINVAL;
    struct udp_part *parts = count <= LOCAL_PARTS ? local : heap_alloc(sizeof *parts * count);
    if (!parts) return WASI_ENOMEM;
    for (uint32_t i = 0; i < count; i++) parts[i].data = iovec_at(ctx, iovs, i, &parts[i].len);
    *out = parts;
    return WASI_ESUCCESS;
}

static void release_parts(struct udp_part *parts, const struct udp_part *local) {
    if (parts != local) heap_free(parts);
}

int32_t sock_udp_recv(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, bool peek, uint32_t *done,
                      bool *truncated, struct net_endpoint *from) {
    struct udp_part local[LOCAL_PARTS], *parts;
    int32_t err = datagram_parts(ctx, iovs, count, local, &parts);
    if (err) return err;
    struct net_endpoint sender;
    if (!from) from = &sender;
    err = udp_socket_recv(e->udp_socket, parts, count, (e->fdflags & FDFLAG_NONBLOCK) != 0, peek, done, truncated, from);
    release_parts(parts, local);
    if (!err) outbound_note_peer(from->address, from->port); /* the app may answer whoever wrote to it */
    return err;
}

int32_t sock_udp_send(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, const struct net_endpoint *to,
                      uint32_t *done) {
    struct udp_part local[LOCAL_PARTS], *parts;
    *done = 0;
    int32_t err = datagram_parts(ctx, iovs, count, local, &parts);
    if (err) return err;
    err = udp_socket_send(e->udp_socket, parts, count, to);
    if (!err) {
        for (uint32_t i = 0; i < count; i++) *done += parts[i].len;
    }
    release_parts(parts, local);
    return err;
}

int32_t wasi_sock_accept(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) {
    return sock_accept_with(ctx, fd, flags, fd_out);
}

int32_t wasi_sock_recv(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t ri_flags,
                       int32_t datalen_out, int32_t flags_out) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, RIGHT_FD_READ, &err);
    if (!e) return err;
    if ((uint32_t)ri_flags & ~(uint32_t)(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL)) return WASI_EINVAL;
    uint8_t *datalen = guest_range(ctx, (uint32_t)datalen_out, 4);
    uint8_t *roflags = guest_range(ctx, (uint32_t)flags_out, 2);
    if (!datalen || !roflags || iovecs_check(ctx, (uint32_t)ri_data, (uint32_t)ri_data_len) < 0) return WASI_EFAULT;
    uint32_t done = 0;
    if (e->udp_socket) { /* one datagram; waitall means nothing for datagrams */
        bool truncated;
        err = sock_udp_recv(e, ctx, (uint32_t)ri_data, (uint32_t)ri_data_len, (ri_flags & RIFLAGS_RECV_PEEK) != 0,
                            &done, &truncated, NULL);
        if (err) return err;
        guest_store_u32(datalen, done);
        roflags[0] = truncated ? ROFLAGS_RECV_DATA_TRUNCATED : 0;
        roflags[1] = 0;
        return WASI_ESUCCESS;
    }
    if (tcp_socket_is_listener(e->socket)) return WASI_ENOTCONN;
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
    struct fd_entry *e = sock_entry(fd, RIGHT_FD_WRITE, &err);
    if (!e) return err;
    if (si_flags) return WASI_EINVAL;
    uint8_t *datalen = guest_range(ctx, (uint32_t)datalen_out, 4);
    int64_t total = iovecs_check(ctx, (uint32_t)si_data, (uint32_t)si_data_len);
    if (!datalen || total < 0) return WASI_EFAULT;
    uint32_t done = 0;
    err = e->ops->write(e, ctx, (uint32_t)si_data, (uint32_t)si_data_len, (uint64_t)total, &done);
    if (err) return err;
    guest_store_u32(datalen, done);
    return WASI_ESUCCESS;
}

int32_t wasi_sock_shutdown(uw_vmctx *ctx, int32_t fd, int32_t how) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = sock_entry(fd, RIGHT_SOCK_SHUTDOWN, &err);
    if (!e) return err;
    if (!how || ((uint32_t)how & ~(uint32_t)(SDFLAGS_RD | SDFLAGS_WR))) return WASI_EINVAL;
    if (e->udp_socket) return WASI_ENOTSUP; /* datagram sockets have no stream to end */
    return tcp_socket_shutdown(e->socket, (how & SDFLAGS_RD) != 0, (how & SDFLAGS_WR) != 0);
}

/* ---- the descriptor kinds (fdtable.h, struct fd_ops) ---- */

static int32_t tcp_fd_read(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                           uint32_t *done) {
    (void)total;
    if (tcp_socket_is_listener(e->socket)) return WASI_ENOTCONN;
    return recv_iovecs(e, ctx, iovs, count, false, false, done);
}

static int32_t tcp_fd_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                            uint32_t *done) {
    (void)total;
    if (tcp_socket_is_listener(e->socket)) return WASI_ENOTCONN;
    return send_iovecs(e, ctx, iovs, count, done);
}

/* Readable: bytes queued, the stream ended, or (a listener) a connection to accept. */
static int32_t tcp_poll(const struct fd_entry *e, bool read, bool *ready, struct fd_readiness *r) {
    const struct tcp_socket *s = e->socket;
    r->hangup = tcp_socket_hung_up(s);
    if (read) {
        *ready = tcp_socket_readable(s);
        r->nbytes = !*ready ? 0 : tcp_socket_is_listener(s) ? 1 : tcp_socket_bytes_available(s);
    } else {
        *ready = tcp_socket_writable(s);
        r->nbytes = *ready ? tcp_socket_send_space(s) : 0;
    }
    return WASI_ESUCCESS;
}

static void tcp_close(struct fd_entry *e) {
    tcp_socket_close(e->socket);
    e->socket = NULL;
}

static uint8_t tcp_filetype(const struct fd_entry *e) {
    (void)e;
    return FILETYPE_SOCKET_STREAM;
}

static int32_t udp_fd_read(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                           uint32_t *done) {
    (void)total;
    bool truncated;
    return sock_udp_recv(e, ctx, iovs, count, false, done, &truncated, NULL);
}

static int32_t udp_fd_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint64_t total,
                            uint32_t *done) {
    (void)total;
    return sock_udp_send(e, ctx, iovs, count, NULL, done); /* EDESTADDRREQ unless connected */
}

static int32_t udp_poll(const struct fd_entry *e, bool read, bool *ready, struct fd_readiness *r) {
    if (!read) {
        *ready = true;
        r->nbytes = UDP_SOCKET_MAX_PAYLOAD; /* a send never waits */
        return WASI_ESUCCESS;
    }
    *ready = udp_socket_readable(e->udp_socket);
    if (*ready) r->nbytes = udp_socket_bytes_available(e->udp_socket);
    return WASI_ESUCCESS;
}

static void udp_close(struct fd_entry *e) {
    udp_socket_close(e->udp_socket);
    e->udp_socket = NULL;
}

static uint8_t udp_filetype(const struct fd_entry *e) {
    (void)e;
    return FILETYPE_SOCKET_DGRAM;
}

/* Sockets are streams: the positioned calls are ESPIPE, as lseek(2) on a socket. */
const struct fd_ops fd_tcp_ops = {
    .filetype = tcp_filetype,
    .read = tcp_fd_read,
    .write = tcp_fd_write,
    .no_position = WASI_ESPIPE,
    .poll = tcp_poll,
    .close = tcp_close,
};

const struct fd_ops fd_udp_ops = {
    .filetype = udp_filetype,
    .read = udp_fd_read,
    .write = udp_fd_write,
    .no_position = WASI_ESPIPE,
    .poll = udp_poll,
    .close = udp_close,
};
