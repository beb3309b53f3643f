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
        if (sock_install(s, NULL, 0, RIGHTS_SOCKET_LISTENER, &fd))
            panic("no descriptor for the pre-opened listener %u", i);
    }
}

struct fd_entry *sock_entry(int32_t fd, uint64_t rights, int32_t *err) {
    struct fd_entry *e = fd_get(fd);
    if (!e) {
        *err = WASI_EBADF;
        return NULL;
    }
    if (!e->ops->sock) {
        *err = WASI_ENOTSOCK;
        return NULL;
    }
    if ((e->rights_base & rights) != rights) {
        *err = WASI_ENOTCAPABLE;
        return NULL;
    }
    return e;
}

int32_t sock_install(struct tcp_socket *tcp, struct udp_socket *udp, uint16_t fdflags, uint64_t rights,
                     int32_t *fd_out) {
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
    if (!l->ops->sock->accept) return WASI_EINVAL;
    int32_t new_fd;
    err = l->ops->sock->accept(l, (uint16_t)flags, &new_fd); /* l is stale from here */
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

static int32_t sock_udp_recv(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, bool peek,
                             uint32_t *done, bool *truncated, struct net_endpoint *from) {
    struct udp_part local[LOCAL_PARTS], *parts;
    int32_t err = datagram_parts(ctx, iovs, count, local, &parts);
    if (err) return err;
    struct net_endpoint sender;
    if (!from) from = &sender;
    err =
        udp_socket_recv(e->udp_socket, parts, count, (e->fdflags & FDFLAG_NONBLOCK) != 0, peek, done, truncated, from);
    release_parts(parts, local);
    if (!err) outbound_note_peer(from->address, from->port); /* the app may answer whoever wrote to it */
    return err;
}

static int32_t sock_udp_send(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count,
                             const struct net_endpoint *to, uint32_t *done) {
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
    bool truncated = false;
    err = e->ops->sock->recv(e, ctx, (uint32_t)ri_data, (uint32_t)ri_data_len, (uint32_t)ri_flags, &done, &truncated,
                             NULL);
    if (err) return err;
    guest_store_u32(datalen, done);
    roflags[0] = truncated ? ROFLAGS_RECV_DATA_TRUNCATED : 0;
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
    if (!e->ops->sock->shutdown) return WASI_ENOTSUP;
    return e->ops->sock->shutdown(e, (how & SDFLAGS_RD) != 0, (how & SDFLAGS_WR) != 0);
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

/* ---- the socket calls (sock.h, struct sock_ops) ---- */

static bool nonblocking(const struct fd_entry *e) { return (e->fdflags & FDFLAG_NONBLOCK) != 0; }

static int32_t tcp_bind(struct fd_entry *e, const struct net_endpoint *local) {
    return tcp_socket_bind(e->socket, local);
}

static int32_t tcp_connect(struct fd_entry *e, const struct net_endpoint *remote) {
    return tcp_socket_connect(e->socket, remote, nonblocking(e));
}

static int32_t tcp_listen(struct fd_entry *e, int32_t backlog) { return tcp_socket_listen_on(e->socket, backlog); }

static int32_t tcp_accept(struct fd_entry *l, uint16_t fdflags, int32_t *fd_out) {
    if (!tcp_socket_is_listener(l->socket)) return WASI_EINVAL;
    struct tcp_socket *s;
    int32_t err = tcp_socket_accept(l->socket, nonblocking(l), &s);
    if (err) return err;
    return sock_install(s, NULL, fdflags, RIGHTS_SOCKET_CONNECTION, fd_out);
}

static int32_t tcp_endpoint(const struct fd_entry *e, bool peer, struct net_endpoint *out) {
    return tcp_socket_endpoint(e->socket, peer, out);
}

/* A stream's sender is its peer. */
static int32_t tcp_recv(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t riflags,
                        uint32_t *done, bool *truncated, struct net_endpoint *from) {
    int32_t err;
    if (from && (err = tcp_socket_endpoint(e->socket, true, from))) return err;
    if (tcp_socket_is_listener(e->socket)) return WASI_ENOTCONN;
    *truncated = false;
    return recv_iovecs(e, ctx, iovs, count, (riflags & RIFLAGS_RECV_PEEK) != 0, (riflags & RIFLAGS_RECV_WAITALL) != 0,
                       done);
}

static int32_t tcp_shutdown(struct fd_entry *e, bool read, bool write) {
    return tcp_socket_shutdown(e->socket, read, write);
}

static uint64_t tcp_timeout(const struct fd_entry *e, bool send) { return tcp_socket_timeout(e->socket, send); }

static void tcp_set_timeout(struct fd_entry *e, bool send, uint64_t ns) { tcp_socket_set_timeout(e->socket, send, ns); }

static int32_t tcp_option(const struct fd_entry *e, int32_t name, int32_t *value) {
    const struct tcp_socket *s = e->socket;
    switch (name) {
    case SO_REUSEADDR: *value = tcp_socket_option(s, TCP_OPTION_REUSEADDR); return 0;
    case SO_TYPE: *value = SOCK_TYPE_STREAM; return 0;
    case SO_ERROR: *value = tcp_socket_error(s); return 0;
    case SO_BROADCAST: *value = 0; return 0;
    case SO_SNDBUF: *value = (int32_t)tcp_socket_buffer_size(true); return 0;
    case SO_RCVBUF: *value = (int32_t)tcp_socket_buffer_size(false); return 0;
    case SO_KEEPALIVE: *value = tcp_socket_option(s, TCP_OPTION_KEEPALIVE); return 0;
    case SO_ACCEPTCONN: *value = tcp_socket_is_listener(s); return 0;
    default: return WASI_ENOPROTOOPT;
    }
}

static int32_t tcp_set_option(struct fd_entry *e, int32_t name, bool on) {
    switch (name) {
    case SO_REUSEADDR: return tcp_socket_set_option(e->socket, TCP_OPTION_REUSEADDR, on);
    case SO_KEEPALIVE: return tcp_socket_set_option(e->socket, TCP_OPTION_KEEPALIVE, on);
    default: return WASI_ENOPROTOOPT; /* read-only (type, error, buffer sizes, acceptconn) or not supported */
    }
}

static const struct sock_ops tcp_sock_ops = {
    .bind = tcp_bind,
    .connect = tcp_connect,
    .listen = tcp_listen,
    .accept = tcp_accept,
    .endpoint = tcp_endpoint,
    .recv = tcp_recv,
    .shutdown = tcp_shutdown,
    .timeout = tcp_timeout,
    .set_timeout = tcp_set_timeout,
    .option = tcp_option,
    .set_option = tcp_set_option,
};

static int32_t udp_bind(struct fd_entry *e, const struct net_endpoint *local) {
    return udp_socket_bind(e->udp_socket, local);
}

static int32_t udp_connect(struct fd_entry *e, const struct net_endpoint *remote) {
    return udp_socket_connect(e->udp_socket, remote);
}

static int32_t udp_endpoint(const struct fd_entry *e, bool peer, struct net_endpoint *out) {
    return udp_socket_endpoint(e->udp_socket, peer, out);
}

/* One datagram; waitall means nothing for datagrams. */
static int32_t udp_recv(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t riflags,
                        uint32_t *done, bool *truncated, struct net_endpoint *from) {
    return sock_udp_recv(e, ctx, iovs, count, (riflags & RIFLAGS_RECV_PEEK) != 0, done, truncated, from);
}

static uint64_t udp_timeout(const struct fd_entry *e, bool send) { return udp_socket_timeout(e->udp_socket, send); }

static void udp_set_timeout(struct fd_entry *e, bool send, uint64_t ns) {
    udp_socket_set_timeout(e->udp_socket, send, ns);
}

static int32_t udp_option(const struct fd_entry *e, int32_t name, int32_t *value) {
    switch (name) {
    case SO_REUSEADDR: *value = udp_socket_reuse_address(e->udp_socket); return 0;
    case SO_TYPE: *value = SOCK_TYPE_DGRAM; return 0;
    case SO_ERROR: *value = 0; return 0;
    case SO_BROADCAST: *value = 1; return 0; /* lwIP lets UDP sockets broadcast always */
    case SO_SNDBUF: *value = UDP_SOCKET_MAX_PAYLOAD; return 0;
    case SO_RCVBUF: *value = UDP_SOCKET_QUEUE_LIMIT * UDP_SOCKET_MAX_PAYLOAD; return 0;
    case SO_ACCEPTCONN: *value = 0; return 0;
    default: return WASI_ENOPROTOOPT;
    }
}

static int32_t udp_set_option(struct fd_entry *e, int32_t name, bool on) {
    switch (name) {
    case SO_REUSEADDR: return udp_socket_set_reuse_address(e->udp_socket, on);
    /* lwIP is built without IP_SOF_BROADCAST, so broadcasting is always allowed and turning it off
     * cannot be honoured */
    case SO_BROADCAST: return on ? WASI_ESUCCESS : WASI_ENOPROTOOPT;
    default: return WASI_ENOPROTOOPT;
    }
}

/* No listen, accept or shutdown: datagram sockets have no connections or stream to end. */
static const struct sock_ops udp_sock_ops = {
    .bind = udp_bind,
    .connect = udp_connect,
    .endpoint = udp_endpoint,
    .recv = udp_recv,
    .send_to = sock_udp_send,
    .timeout = udp_timeout,
    .set_timeout = udp_set_timeout,
    .option = udp_option,
    .set_option = udp_set_option,
};

/* Sockets are streams: the positioned calls are ESPIPE, as lseek(2) on a socket. */
const struct fd_ops fd_tcp_ops = {
    .filetype = tcp_filetype,
    .read = tcp_fd_read,
    .write = tcp_fd_write,
    .no_position = WASI_ESPIPE,
    .poll = tcp_poll,
    .close = tcp_close,
    .sock = &tcp_sock_ops,
};

const struct fd_ops fd_udp_ops = {
    .filetype = udp_filetype,
    .read = udp_fd_read,
    .write = udp_fd_write,
    .no_position = WASI_ESPIPE,
    .poll = udp_poll,
    .close = udp_close,
    .sock = &udp_sock_ops,
};
