/*
 * UDP sockets (udp_socket.h) on the host's sockets. As with TCP, an app-opened socket gets its host
 * socket on first need (bind, connect, send), which the sandbox allows only when the outbound rules
 * allow something; receive queues and drops are the host's. The VM's limits are kept where an app
 * can see them: a datagram is at most UDP_SOCKET_MAX_PAYLOAD bytes, and ICMP errors (port
 * unreachable) do not surface as ECONNREFUSED, as lwIP ignores them.
 */
#include "udp_socket.h"

#include "kernel/heap.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "net.h"
#include "outbound.h"

#define NO_HANDLE (-1)

struct udp_socket {
    int32_t h;
    bool connected, bound, reuse_address;
    uint64_t recv_timeout_ns, send_timeout_ns;
};

static uint32_t sockets;

uint32_t udp_socket_count(void) { return sockets; }

int udp_socket_open(struct udp_socket **out) {
    if (!net_available()) return WASI_ENETDOWN;
    struct udp_socket *s = heap_alloc(sizeof *s);
    if (!s) return WASI_ENOMEM;
    memset(s, 0, sizeof *s);
    s->h = NO_HANDLE;
    sockets++;
    *out = s;
    return 0;
}

static int ensure_handle(struct udp_socket *s) {
    if (s->h != NO_HANDLE) return 0;
    if (!outbound_any()) return WASI_EACCES;
    int32_t h;
    int err = plat_sock_open(PLAT_SOCK_DGRAM, &h);
    if (err) return err;
    s->h = h;
    if (s->reuse_address) plat_sock_set_option(h, PLAT_SOCK_OPT_REUSEADDR, 1);
    return 0;
}

static struct plat_sockaddr to_plat(const struct net_endpoint *e) {
    struct plat_sockaddr a;
    memcpy(a.address, e->address, 4);
    a.port = e->port;
    return a;
}

static bool is_any(const uint8_t a[4]) { return !(a[0] | a[1] | a[2] | a[3]); }

int udp_socket_bind(struct udp_socket *s, const struct net_endpoint *local) {
    if (s->bound) return WASI_EINVAL;
    if (local->port) return WASI_EACCES; /* a fixed port is a server on the host's ports */
    int err = ensure_handle(s);
    if (err) return err;
    struct plat_sockaddr at = to_plat(local);
    err = plat_sock_bind(s->h, &at);
    if (!err) s->bound = true;
    return err;
}

int udp_socket_connect(struct udp_socket *s, const struct net_endpoint *remote) {
    if (is_any(remote->address) || !remote->port) return WASI_EINVAL;
    int err = ensure_handle(s);
    if (err) return err;
    struct plat_sockaddr to = to_plat(remote);
    err = plat_sock_connect(s->h, &to);
    if (err) return err;
    s->connected = s->bound = true;
    return 0;
}

int udp_socket_send(struct udp_socket *s, const struct udp_part *parts, uint32_t count, const struct net_endpoint *to) {
    if (!to && !s->connected) return WASI_EDESTADDRREQ;
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; i++) total += parts[i].len;
    if (total > UDP_SOCKET_MAX_PAYLOAD) return WASI_EMSGSIZE;
    if (to && (is_any(to->address) || !to->port)) return WASI_EINVAL;
    int err = ensure_handle(s);
    if (err) return err;
    /* the parts are at most UDP_SOCKET_MAX_PAYLOAD bytes: gather them here rather than hand the
     * host more buffers than it takes in one call */
    uint8_t datagram[UDP_SOCKET_MAX_PAYLOAD];
    uint32_t at = 0;
    for (uint32_t i = 0; i < count; i++) {
        memcpy(datagram + at, parts[i].data, parts[i].len);
        at += parts[i].len;
    }
    struct plat_sock_part part = {datagram, at};
    struct plat_sockaddr dest;
    if (to) dest = to_plat(to);
    size_t sent;
    for (int attempt = 0; attempt < 2; attempt++) {
        err = plat_sock_send(s->h, &part, 1, to ? &dest : NULL, &sent);
        /* an ICMP error for an earlier datagram is reported once, on the next call: lwIP has none */
        if (err != WASI_ECONNREFUSED) break;
    }
    if (err == WASI_EAGAIN) return WASI_ENOBUFS; /* sends never wait, as lwIP's */
    if (!err) s->bound = true;
    return err;
}

static bool has_datagram(void *arg) { return udp_socket_readable(arg); }

int udp_socket_recv(struct udp_socket *s, const struct udp_part *parts, uint32_t count, bool nonblock, bool peek,
                    uint32_t *received, bool *truncated, struct net_endpoint *from) {
    *received = 0;
    *truncated = false;
    uint64_t deadline = s->recv_timeout_ns ? plat_clock_monotonic_ns() + s->recv_timeout_ns : 0;
    for (;;) {
        if (s->h != NO_HANDLE) {
            struct plat_sock_part local[8], *host = count <= 8 ? local : heap_alloc(sizeof *host * count);
            if (!host) return WASI_ENOMEM;
            for (uint32_t i = 0; i < count; i++)
                host[i] = (struct plat_sock_part){(uint8_t *)parts[i].data, parts[i].len};
            size_t got = 0;
            struct plat_sockaddr sender;
            int err = plat_sock_recv(s->h, host, count, peek, &got, truncated, &sender);
            if (host != local) heap_free(host);
            if (!err) {
                *received = (uint32_t)got;
                if (from) {
                    memcpy(from->address, sender.address, 4);
                    from->port = sender.port;
                }
                return 0;
            }
            if (err != WASI_EAGAIN && err != WASI_ECONNREFUSED) return err;
        }
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(has_datagram, s, deadline)) return WASI_EAGAIN;
    }
}

void udp_socket_close(struct udp_socket *s) {
    if (s->h != NO_HANDLE) plat_sock_close(s->h);
    heap_free(s);
    sockets--;
}

int udp_socket_endpoint(const struct udp_socket *s, bool peer, struct net_endpoint *out) {
    memset(out, 0, sizeof *out);
    if (peer && !s->connected) return WASI_ENOTCONN;
    if (s->h == NO_HANDLE) return 0;
    struct plat_sockaddr a;
    int err = plat_sock_name(s->h, peer, &a);
    if (err) return err;
    memcpy(out->address, a.address, 4);
    out->port = a.port;
    return 0;
}

void udp_socket_set_timeout(struct udp_socket *s, bool send, uint64_t ns) {
    if (send) s->send_timeout_ns = ns;
    else s->recv_timeout_ns = ns;
}

uint64_t udp_socket_timeout(const struct udp_socket *s, bool send) {
    return send ? s->send_timeout_ns : s->recv_timeout_ns;
}

int udp_socket_set_reuse_address(struct udp_socket *s, bool on) {
    if (s->h != NO_HANDLE) {
        int err = plat_sock_set_option(s->h, PLAT_SOCK_OPT_REUSEADDR, on);
        if (err) return err;
    }
    s->reuse_address = on;
    return 0;
}

bool udp_socket_reuse_address(const struct udp_socket *s) { return s->reuse_address; }

bool udp_socket_is_connected(const struct udp_socket *s) { return s->connected; }

bool udp_socket_readable(const struct udp_socket *s) {
    if (s->h == NO_HANDLE) return false; /* nothing can arrive before it has an address */
    if (plat_sock_ready(s->h) & PLAT_SOCK_READ) return true;
    plat_sock_watch(s->h, PLAT_SOCK_READ);
    return false;
}

size_t udp_socket_bytes_available(const struct udp_socket *s) {
    uint32_t n = 0;
    if (s->h != NO_HANDLE) plat_sock_queued(s->h, false, &n);
    return n;
}

/* The host drops what does not fit its receive buffer and does not tell this socket. */
uint32_t udp_socket_dropped(const struct udp_socket *s) {
    (void)s;
    return 0;
}
