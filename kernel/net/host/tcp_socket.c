/*
 * TCP sockets (tcp_socket.h) on the host's sockets. A socket the app opens gets its host socket
 * only when it connects or binds (the sandbox lets socket(2) through only when the outbound rules
 * allow something, and the rules are checked before the connect); listeners are the pre-opened
 * ones, made before the sandbox. Every host call is non-blocking; a blocking WASI call waits on the
 * event loop (net_wait) for the host to say the socket is ready.
 */
#include "tcp_socket.h"

#include "host.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "net.h"
#include "outbound.h"

#define NO_HANDLE (-1)
/* The host's listen backlog for pre-opened listeners (Linux caps it at net.core.somaxconn). */
#define LISTEN_BACKLOG 4096
/* At exit, unread input is drained so that closing sends a FIN, not a reset that would throw away
 * what is still unsent; at most this much per connection. */
#define EXIT_DRAIN_LIMIT (1u << 20)
/* Nothing signals that a peer acknowledged data: the flush at exit looks again this often. */
#define FLUSH_POLL_NS 1000000ull

struct tcp_socket {
    int32_t h; /* the host socket, or NO_HANDLE before a connect or bind */
    bool listener;
    bool unconnected; /* opened by the app, neither listening nor connecting yet */
    bool connecting;  /* the host's connect is under way */
    bool bound;
    bool peer_closed; /* a read returned the end of the stream */
    bool read_shut, write_shut;
    bool reuse_address, keepalive; /* kept for a socket without a host socket yet */
    int error;                     /* sticky: a failed connect, a reset */
    uint64_t recv_timeout_ns, send_timeout_ns;
    struct tcp_socket *prev, *next; /* every socket, for the handshakes and the flush at exit */
};

static struct tcp_socket *all;
static uint32_t sockets, connecting;

/* The pre-opened listeners, made by net_init, until tcp_socket_listen hands each out once. */
struct prepared {
    uint8_t address[4];
    uint16_t port;
    int32_t h;
};
static struct prepared *prepared;
static uint32_t prepared_count;

static struct tcp_socket *socket_new(int32_t h) {
    struct tcp_socket *s = heap_alloc(sizeof *s);
    if (!s) return NULL;
    memset(s, 0, sizeof *s);
    s->h = h;
    s->next = all;
    if (all) all->prev = s;
    all = s;
    sockets++;
    return s;
}

static void socket_free(struct tcp_socket *s) {
    if (s->prev) s->prev->next = s->next;
    else all = s->next;
    if (s->next) s->next->prev = s->prev;
    if (s->connecting) connecting--;
    heap_free(s);
    sockets--;
}

uint32_t tcp_socket_count(void) { return sockets; }

static uint64_t deadline_after(uint64_t timeout_ns) { return timeout_ns ? plat_clock_monotonic_ns() + timeout_ns : 0; }

static struct plat_sockaddr to_plat(const struct net_endpoint *e) {
    struct plat_sockaddr a;
    memcpy(a.address, e->address, 4);
    a.port = e->port;
    return a;
}

void host_tcp_prepare_listeners(const struct boot_network *config) {
    if (!config->listener_count) return;
    prepared = heap_alloc(sizeof *prepared * config->listener_count);
    if (!prepared) panic("out of memory for %u listeners", config->listener_count);
    for (uint32_t i = 0; i < config->listener_count; i++) {
        const struct boot_listener *l = &config->listeners[i];
        struct plat_sockaddr at;
        memcpy(at.address, l->address, 4);
        at.port = l->port;
        int32_t h;
        int err = plat_sock_open(PLAT_SOCK_STREAM, &h);
        /* as lwIP's listeners have SO_REUSEADDR: a restarted server gets its port back at once */
        if (!err) err = plat_sock_set_option(h, PLAT_SOCK_OPT_REUSEADDR, 1);
        if (!err) err = plat_sock_bind(h, &at);
        if (!err) err = plat_sock_listen(h, LISTEN_BACKLOG);
        if (err) {
            panic("cannot listen on %u.%u.%u.%u:%u (--tcplisten): %s (WASI errno %d)", l->address[0], l->address[1],
                  l->address[2], l->address[3], l->port,
                  err == WASI_EADDRINUSE      ? "the port is in use"
                  : err == WASI_EADDRNOTAVAIL ? "not an address of this host"
                  : err == WASI_EACCES        ? "a privileged port"
                                              : "the host refused",
                  err);
        }
        prepared[prepared_count++] =
            (struct prepared){{l->address[0], l->address[1], l->address[2], l->address[3]}, l->port, h};
    }
}

/* A handshake that ended (the host says writable, or an error) is over: SO_ERROR says how. */
void host_tcp_after_refresh(void) {
    if (!connecting) return;
    for (struct tcp_socket *s = all; s; s = s->next) {
        if (!s->connecting) continue;
        uint32_t ready = plat_sock_ready(s->h);
        if (!(ready & (PLAT_SOCK_WRITE | PLAT_SOCK_ERROR | PLAT_SOCK_HANGUP))) continue;
        int32_t err = 0;
        int r = plat_sock_option(s->h, PLAT_SOCK_OPT_ERROR, &err);
        s->connecting = false;
        connecting--;
        s->error = r ? r : err;
    }
}

int tcp_socket_listen(const uint8_t address[4], uint16_t port, struct tcp_socket **out) {
    if (!net_available()) return WASI_EADDRNOTAVAIL;
    for (uint32_t i = 0; i < prepared_count; i++) {
        struct prepared *p = &prepared[i];
        if (p->h == NO_HANDLE || p->port != port || memcmp(p->address, address, 4)) continue;
        struct tcp_socket *s = socket_new(p->h);
        if (!s) return WASI_ENOMEM;
        p->h = NO_HANDLE;
        s->listener = true;
        s->bound = true;
        s->reuse_address = true;
        *out = s;
        return 0;
    }
    return WASI_EADDRNOTAVAIL; /* not one of the boot configuration's: the sandbox allows no new listener */
}

int tcp_socket_open(struct tcp_socket **out) {
    if (!net_available()) return WASI_ENETDOWN;
    struct tcp_socket *s = socket_new(NO_HANDLE);
    if (!s) return WASI_ENOMEM;
    s->unconnected = true;
    *out = s;
    return 0;
}

/* The host socket of an app-opened socket, made on first need. EACCES when the rules allow nothing
 * out: then the sandbox would not let the socket be made. */
static int ensure_handle(struct tcp_socket *s) {
    if (s->h != NO_HANDLE) return 0;
    if (!outbound_any()) return WASI_EACCES;
    int32_t h;
    int err = plat_sock_open(PLAT_SOCK_STREAM, &h);
    if (err) return err;
    s->h = h;
    /* Nagle off, as on the VM's connections: each send goes out at once */
    plat_sock_set_option(h, PLAT_SOCK_OPT_NODELAY, 1);
    if (s->reuse_address) plat_sock_set_option(h, PLAT_SOCK_OPT_REUSEADDR, 1);
    if (s->keepalive) plat_sock_set_option(h, PLAT_SOCK_OPT_KEEPALIVE, 1);
    return 0;
}

bool tcp_socket_is_unconnected(const struct tcp_socket *s) { return s->unconnected; }

int tcp_socket_bind(struct tcp_socket *s, const struct net_endpoint *local) {
    if (!s->unconnected || s->bound) return WASI_EINVAL;
    /* a fixed port would be a server on the host's own ports: only --tcplisten makes those */
    if (local->port) return WASI_EACCES;
    int err = ensure_handle(s);
    if (err) return err;
    struct plat_sockaddr at = to_plat(local);
    err = plat_sock_bind(s->h, &at);
    if (!err) s->bound = true;
    return err;
}

int tcp_socket_listen_on(struct tcp_socket *s, int32_t backlog) {
    (void)backlog;
    if (s->listener) return 0;
    if (!s->unconnected) return WASI_EINVAL;
    return WASI_EACCES; /* as tcp_socket_bind: the process listens only where --tcplisten said */
}

static bool handshake_over(void *arg) {
    const struct tcp_socket *s = arg;
    if (s->connecting) plat_sock_watch(s->h, PLAT_SOCK_WRITE);
    return !s->connecting;
}

static int await_handshake(struct tcp_socket *s) {
    if (!net_wait(handshake_over, s, deadline_after(s->send_timeout_ns))) return WASI_EINPROGRESS;
    return s->error;
}

int tcp_socket_connect(struct tcp_socket *s, const struct net_endpoint *remote, bool nonblock) {
    if (s->listener) return WASI_EISCONN;
    if (s->connecting) return nonblock ? WASI_EALREADY : await_handshake(s);
    if (!s->unconnected) return s->error ? s->error : WASI_EISCONN;
    static const uint8_t any[4];
    if (!memcmp(remote->address, any, 4) || !remote->port) return WASI_EINVAL;
    int err = ensure_handle(s);
    if (err) return err;
    struct plat_sockaddr to = to_plat(remote);
    err = plat_sock_connect(s->h, &to);
    if (err && err != WASI_EINPROGRESS) return err;
    s->unconnected = false;
    if (!err) return 0;
    s->connecting = true;
    connecting++;
    return nonblock ? WASI_EINPROGRESS : await_handshake(s);
}

int tcp_socket_endpoint(const struct tcp_socket *s, bool peer, struct net_endpoint *out) {
    memset(out, 0, sizeof *out);
    if (peer && (s->listener || s->unconnected || s->connecting)) return WASI_ENOTCONN;
    if (s->h == NO_HANDLE) return 0; /* 0.0.0.0:0, as an unbound socket's */
    struct plat_sockaddr a;
    int err = plat_sock_name(s->h, peer, &a);
    if (err) return s->error ? s->error : err;
    memcpy(out->address, a.address, 4);
    out->port = a.port;
    return 0;
}

int tcp_socket_error(const struct tcp_socket *s) { return s->error; }

void tcp_socket_set_timeout(struct tcp_socket *s, bool send, uint64_t ns) {
    if (send) s->send_timeout_ns = ns;
    else s->recv_timeout_ns = ns;
}

uint64_t tcp_socket_timeout(const struct tcp_socket *s, bool send) {
    return send ? s->send_timeout_ns : s->recv_timeout_ns;
}

uint32_t tcp_socket_buffer_size(bool send) {
    (void)send;
    return HOST_NOMINAL_BUFFER;
}

int tcp_socket_set_option(struct tcp_socket *s, enum tcp_option option, bool on) {
    if (s->error && s->h == NO_HANDLE) return s->error;
    enum plat_sock_option o = option == TCP_OPTION_REUSEADDR ? PLAT_SOCK_OPT_REUSEADDR : PLAT_SOCK_OPT_KEEPALIVE;
    if (s->h != NO_HANDLE) {
        int err = plat_sock_set_option(s->h, o, on);
        if (err) return err;
    }
    if (option == TCP_OPTION_REUSEADDR) s->reuse_address = on;
    else s->keepalive = on;
    return 0;
}

bool tcp_socket_option(const struct tcp_socket *s, enum tcp_option option) {
    return option == TCP_OPTION_REUSEADDR ? s->reuse_address : s->keepalive;
}

static bool listener_ready(void *arg) { return tcp_socket_readable(arg); }

int tcp_socket_accept(struct tcp_socket *l, bool nonblock, struct tcp_socket **out) {
    if (!l->listener) return WASI_EINVAL;
    uint64_t deadline = deadline_after(l->recv_timeout_ns);
    for (;;) {
        int32_t h;
        int err = plat_sock_accept(l->h, &h);
        if (!err) {
            struct tcp_socket *s = socket_new(h);
            if (!s) {
                plat_sock_close(h);
                return WASI_ENOMEM;
            }
            plat_sock_set_option(h, PLAT_SOCK_OPT_NODELAY, 1); /* as lwIP's accepted connections */
            *out = s;
            return 0;
        }
        if (err == WASI_ECONNABORTED) continue; /* reset before it was taken: the next one */
        if (err != WASI_EAGAIN) return err;
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(listener_ready, l, deadline)) return WASI_EAGAIN;
    }
}

static bool can_read(void *arg) { return tcp_socket_readable(arg); }
static bool can_write(void *arg) { return tcp_socket_writable(arg); }

/* Before data can be read or written: 0 to go on, 1 for the end of the stream, else an errno. */
static int ready_to_read(struct tcp_socket *s, bool nonblock) {
    if (s->listener || s->unconnected) return WASI_ENOTCONN;
    if (s->connecting) {
        if (nonblock) return WASI_EAGAIN;
        int err = await_handshake(s);
        if (err) return err == WASI_EINPROGRESS ? WASI_EAGAIN : err;
    }
    if (s->error) return s->error;
    if (s->peer_closed || s->read_shut) return 1;
    return 0;
}

/* One host read (or peek) with the waiting a blocking call does. */
static int read_host(struct tcp_socket *s, uint8_t *buf, size_t len, bool peek, bool nonblock, size_t *got) {
    *got = 0;
    int state = ready_to_read(s, nonblock);
    if (state) return state == 1 ? 0 : state;
    uint64_t deadline = deadline_after(s->recv_timeout_ns);
    for (;;) {
        struct plat_sock_part part = {buf, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len};
        int err = plat_sock_recv(s->h, &part, 1, peek, got, NULL, NULL);
        if (!err) {
            if (!*got && len) s->peer_closed = true;
            return 0;
        }
        if (err != WASI_EAGAIN) {
            if (err == WASI_ECONNRESET || err == WASI_ETIMEDOUT) s->error = err;
            return err;
        }
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(can_read, s, deadline)) return WASI_EAGAIN;
    }
}

int tcp_socket_recv(struct tcp_socket *s, uint8_t *buf, size_t len, bool nonblock, size_t *received) {
    return read_host(s, buf, len, false, nonblock, received);
}

/* The host's peek starts at the front of the queue: peek offset + len bytes and keep the tail. */
#define PEEK_LIMIT (256u << 10)

int tcp_socket_peek(struct tcp_socket *s, uint8_t *buf, size_t len, size_t offset, bool nonblock, size_t *copied) {
    *copied = 0;
    if (!offset) return read_host(s, buf, len, true, nonblock, copied);
    if (offset >= PEEK_LIMIT) return 0;
    size_t want = offset + len > PEEK_LIMIT ? PEEK_LIMIT : offset + len;
    uint8_t *tmp = heap_alloc(want);
    if (!tmp) return WASI_ENOMEM;
    size_t got;
    int err = read_host(s, tmp, want, true, nonblock, &got);
    if (!err && got > offset) {
        *copied = got - offset;
        memcpy(buf, tmp + offset, *copied);
    }
    heap_free(tmp);
    return err;
}

int tcp_socket_send(struct tcp_socket *s, const uint8_t *buf, size_t len, bool nonblock, size_t *sent) {
    *sent = 0;
    if (s->listener || s->unconnected) return WASI_ENOTCONN;
    if (s->error) return s->error;
    if (s->connecting) {
        if (nonblock) return WASI_EAGAIN;
        int err = await_handshake(s);
        if (err) return err == WASI_EINPROGRESS ? WASI_EAGAIN : err;
    }
    if (s->write_shut) return WASI_EPIPE;
    if (!len) return 0;
    uint64_t deadline = deadline_after(s->send_timeout_ns);
    for (;;) {
        struct plat_sock_part part = {(uint8_t *)buf, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len};
        int err = plat_sock_send(s->h, &part, 1, NULL, sent);
        if (!err) return 0;
        if (err != WASI_EAGAIN) {
            if (err == WASI_ECONNRESET || err == WASI_ETIMEDOUT) s->error = err;
            return err;
        }
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(can_write, s, deadline)) return WASI_EAGAIN;
    }
}

int tcp_socket_shutdown(struct tcp_socket *s, bool read, bool write) {
    if (s->listener || s->unconnected || s->connecting) return WASI_ENOTCONN;
    if (s->error) return s->error;
    int err = plat_sock_shutdown(s->h, read, write);
    if (err) return err;
    if (read) s->read_shut = true;
    if (write) s->write_shut = true;
    return 0;
}

void tcp_socket_close(struct tcp_socket *s) {
    if (s->h != NO_HANDLE) plat_sock_close(s->h); /* the host delivers what is queued, then the FIN */
    socket_free(s);
}

bool tcp_socket_is_listener(const struct tcp_socket *s) { return s->listener; }

bool tcp_socket_readable(const struct tcp_socket *s) {
    if (s->unconnected) return true; /* a read fails at once (ENOTCONN) */
    if (s->connecting) {
        plat_sock_watch(s->h, PLAT_SOCK_WRITE);
        return false;
    }
    if (!s->listener && (s->error || s->peer_closed || s->read_shut)) return true;
    if (plat_sock_ready(s->h) & PLAT_SOCK_READ) return true;
    plat_sock_watch(s->h, PLAT_SOCK_READ);
    return false;
}

bool tcp_socket_writable(const struct tcp_socket *s) {
    if (s->listener) return false;
    if (s->unconnected) return true; /* a write fails at once (ENOTCONN) */
    if (s->connecting) {
        plat_sock_watch(s->h, PLAT_SOCK_WRITE);
        return false;
    }
    if (s->error || s->write_shut) return true; /* a write would fail at once */
    if (plat_sock_ready(s->h) & PLAT_SOCK_WRITE) return true;
    plat_sock_watch(s->h, PLAT_SOCK_WRITE);
    return false;
}

bool tcp_socket_hung_up(const struct tcp_socket *s) {
    if (s->unconnected || s->connecting) return s->error != 0;
    if (s->listener) return false;
    return s->peer_closed || s->error || (plat_sock_ready(s->h) & PLAT_SOCK_HANGUP);
}

size_t tcp_socket_send_space(const struct tcp_socket *s) {
    if (s->listener || s->unconnected || s->connecting || s->error || s->write_shut) return 0;
    return plat_sock_ready(s->h) & PLAT_SOCK_WRITE ? HOST_NOMINAL_BUFFER : 0;
}

size_t tcp_socket_bytes_available(const struct tcp_socket *s) {
    if (s->listener || s->unconnected || s->connecting) return 0;
    uint32_t n = 0;
    plat_sock_queued(s->h, false, &n);
    return n;
}

/* ---- delivering at exit ---- */

static bool is_connection(const struct tcp_socket *s) {
    return !s->listener && !s->unconnected && !s->connecting && !s->error && s->h != NO_HANDLE;
}

/* Reads and drops what the peer sent that the app did not read (bounded). */
static void drain(struct tcp_socket *s) {
    static uint8_t sink[4096] LARGE_STATIC;
    for (uint32_t total = 0; total < EXIT_DRAIN_LIMIT;) {
        struct plat_sock_part part = {sink, sizeof sink};
        size_t got = 0;
        if (plat_sock_recv(s->h, &part, 1, false, &got, NULL, NULL) || !got) return;
        total += (uint32_t)got;
    }
}

static uint32_t undelivered_count(void) {
    uint32_t n = 0;
    for (struct tcp_socket *s = all; s; s = s->next) {
        uint32_t queued = 0;
        if (is_connection(s) && !plat_sock_queued(s->h, true, &queued) && queued) n++;
    }
    return n;
}

/* The app's open connections are closed by the host when the process ends, which delivers what
 * is queued and a FIN, unless unread input is left: then Linux sends a reset and drops the rest.
 * So unread input is dropped first, and the wait (bounded, as in the VM) is for the peers to have
 * acknowledged everything, so that a reset for input arriving later loses nothing sent. Sockets
 * the app closed are the host's to finish. */
bool tcp_socket_flush_all(uint64_t deadline_ns, uint32_t *undelivered) {
    *undelivered = 0;
    if (!net_available()) return true;
    for (struct tcp_socket *s = all; s; s = s->next) {
        if (is_connection(s)) drain(s);
    }
    for (;;) {
        net_poll(); /* forgets the interests of earlier waiters, which would end each wait at once */
        uint32_t n = undelivered_count();
        if (!n) return true;
        uint64_t now = plat_clock_monotonic_ns();
        if (now >= deadline_ns) {
            *undelivered = n;
            return false;
        }
        uint64_t held = plat_events_hold();
        plat_wait(now + FLUSH_POLL_NS < deadline_ns ? now + FLUSH_POLL_NS : deadline_ns);
        plat_events_release(held);
    }
}
