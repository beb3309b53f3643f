/* TCP sockets over lwIP's raw API: callbacks fill per-socket queues; calls drain them. */
#include "tcp_socket.h"

#include "kernel/platform.h"
#include "kernel/heap.h"
#include "kernel/string.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h" /* tcp_active_pcbs: closed connections no socket refers to any more */
#include "lwip/tcp.h"
#include "net.h"

struct tcp_socket {
    struct tcp_pcb *pcb; /* NULL once lwIP freed it (reset, abort) or after close */
    bool listener;
    bool unconnected; /* opened by the app, neither listening nor connecting yet */
    bool connecting;  /* tcp_connect sent the SYN; the handshake has not ended */
    int error;        /* sticky error from lwIP (reset, abort), as net_errno */
    /* listener: accepted connections in arrival order */
    struct tcp_socket *pending_head, *pending_tail;
    struct tcp_socket *next_pending;
    struct tcp_socket *listened_by; /* while queued on a listener */
    /* connection: received data, consumed from the front */
    struct pbuf *received;
    uint16_t received_offset; /* bytes of the first pbuf already read */
    bool peer_closed;         /* FIN received */
    bool read_shut, write_shut;
    uint64_t recv_timeout_ns, send_timeout_ns; /* 0 = wait as long as it takes */
};

/* A connection's receive queue is one pbuf chain, whose length is 16-bit; lwIP delivers at most a
 * window's worth that the app has not read. */
_Static_assert(TCP_WND + TCP_MSS <= 0xffff, "TCP_WND too large for one pbuf chain");

static uint32_t sockets;

static struct tcp_socket *socket_new(void) {
    struct tcp_socket *s = heap_alloc(sizeof *s);
    if (s) sockets++;
    return s;
}

static void socket_free(struct tcp_socket *s) {
    if (s->received) pbuf_free(s->received);
    heap_free(s);
    sockets--;
}

uint32_t tcp_socket_count(void) { return sockets; }

/* The monotonic deadline of a wait bounded by `timeout_ns` (0: none, which net_wait takes as no deadline). */
static uint64_t deadline_after(uint64_t timeout_ns) { return timeout_ns ? plat_clock_monotonic_ns() + timeout_ns : 0; }

/* ---- lwIP callbacks (main context, from net_poll) ---- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err) {
    struct tcp_socket *s = arg;
    (void)err;
    if (!s) { /* the socket is gone: nobody will read */
        if (p) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (!p) {
        s->peer_closed = true;
        return ERR_OK;
    }
    if (s->read_shut) { /* reads were shut down: discard, keep the window open */
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
        return ERR_OK;
    }
    if (s->received) pbuf_cat(s->received, p);
    else s->received = p;
    return ERR_OK;
}

static void on_error(void *arg, err_t err) {
    struct tcp_socket *s = arg;
    if (!s) return;
    s->pcb = NULL; /* lwIP has freed it */
    if (s->connecting) {
        /* a reset answers the SYN when nobody listens; lwIP aborts when the SYN retries run out */
        s->connecting = false;
        s->error = err == ERR_RST ? WASI_ECONNREFUSED : err == ERR_ABRT ? WASI_ETIMEDOUT : WASI_ECONNABORTED;
        return;
    }
    s->error = err == ERR_RST ? WASI_ECONNRESET : WASI_ECONNABORTED;
}

static void attach(struct tcp_socket *s, struct tcp_pcb *pcb) {
    s->pcb = pcb;
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_error);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err) {
    struct tcp_socket *l = arg;
    if (err != ERR_OK || !pcb) return ERR_VAL;
    if (!l) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    struct tcp_socket *s = socket_new();
    if (!s) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    attach(s, pcb);
    /* Nagle off: each send goes out at once. With it, a reply written while the peer still delays
     * its ACK of the previous one waits for that ACK (up to the peer's delayed-ACK timer). */
    tcp_nagle_disable(pcb);
    tcp_backlog_delayed(pcb); /* counts against the listen backlog until the app accepts it */
    s->listened_by = l;
    if (l->pending_tail) l->pending_tail->next_pending = s;
    else l->pending_head = s;
    l->pending_tail = s;
    return ERR_OK;
}

/* ---- calls ---- */

int tcp_socket_listen(const uint8_t address[4], uint16_t port, struct tcp_socket **out) {
    if (!net_available()) return WASI_EADDRNOTAVAIL;
    struct tcp_pcb *pcb = tcp_new();
    if (!pcb) return WASI_ENOMEM;
    ip_addr_t ip;
    IP_ADDR4(&ip, address[0], address[1], address[2], address[3]);
    ip_set_option(pcb, SOF_REUSEADDR);
    err_t err = tcp_bind(pcb, &ip, port);
    if (err != ERR_OK) {
        tcp_abort(pcb);
        return err == ERR_USE ? WASI_EADDRINUSE : WASI_EADDRNOTAVAIL;
    }
    struct tcp_pcb *listening = tcp_listen_with_backlog(pcb, TCP_DEFAULT_LISTEN_BACKLOG);
    if (!listening) {
        tcp_abort(pcb);
        return WASI_ENOMEM;
    }
    struct tcp_socket *s = socket_new();
    if (!s) {
        tcp_close(listening);
        return WASI_ENOMEM;
    }
    s->listener = true;
    s->pcb = listening;
    tcp_arg(listening, s);
    tcp_accept(listening, on_accept);
    *out = s;
    return 0;
}

/* ---- sockets the app opens ---- */

static int bind_error(err_t err) {
    return err == ERR_USE ? WASI_EADDRINUSE : err == ERR_MEM ? WASI_ENOMEM : WASI_EINVAL;
}

int tcp_socket_open(struct tcp_socket **out) {
    if (!net_available()) return WASI_ENETDOWN;
    struct tcp_pcb *pcb = tcp_new();
    if (!pcb) return WASI_ENOMEM;
    struct tcp_socket *s = socket_new();
    if (!s) {
        tcp_abort(pcb);
        return WASI_ENOMEM;
    }
    s->unconnected = true;
    attach(s, pcb);
    tcp_nagle_disable(pcb); /* as on accepted connections (see on_accept) */
    *out = s;
    return 0;
}

bool tcp_socket_is_unconnected(const struct tcp_socket *s) { return s->unconnected; }

/* True when the guest owns `address` (or it is 0.0.0.0): binding elsewhere cannot receive anything. */
static bool is_local_address(const ip_addr_t *address) {
    if (ip_addr_isany(address)) return true;
    return netif_default && ip_addr_cmp(address, &netif_default->ip_addr);
}

int tcp_socket_bind(struct tcp_socket *s, const struct net_endpoint *local) {
    if (!s->unconnected || !s->pcb) return WASI_EINVAL;
    if (s->pcb->local_port) return WASI_EINVAL; /* already bound, as on Linux */
    ip_addr_t ip;
    IP_ADDR4(&ip, local->address[0], local->address[1], local->address[2], local->address[3]);
    if (!is_local_address(&ip)) return WASI_EADDRNOTAVAIL;
    err_t err = tcp_bind(s->pcb, &ip, local->port);
    return err == ERR_OK ? 0 : bind_error(err);
}

int tcp_socket_listen_on(struct tcp_socket *s, int32_t backlog) {
    if (s->listener && s->pcb) return 0; /* listening again only changes the backlog on Linux */
    if (!s->unconnected || !s->pcb) return WASI_EINVAL;
    if (!s->pcb->local_port) {
        err_t err = tcp_bind(s->pcb, IP_ADDR_ANY, 0);
        if (err != ERR_OK) return bind_error(err);
    }
    if (backlog < 1) backlog = 1;
    if (backlog > TCP_DEFAULT_LISTEN_BACKLOG) backlog = TCP_DEFAULT_LISTEN_BACKLOG;
    err_t err = ERR_OK;
    struct tcp_pcb *listening = tcp_listen_with_backlog_and_err(s->pcb, (u8_t)backlog, &err);
    if (!listening) return err == ERR_USE ? WASI_EADDRINUSE : WASI_ENOMEM; /* s->pcb is still valid */
    /* lwIP freed the unconnected pcb and copied its options (SO_REUSEADDR, SO_KEEPALIVE) */
    s->pcb = listening;
    s->unconnected = false;
    s->listener = true;
    tcp_arg(listening, s);
    tcp_accept(listening, on_accept);
    return 0;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err) {
    struct tcp_socket *s = arg;
    (void)pcb;
    (void)err; /* lwIP 2.1 always passes ERR_OK: failures come through on_error */
    if (s) s->connecting = false;
    return ERR_OK;
}

static bool handshake_over(void *arg) { return !((struct tcp_socket *)arg)->connecting; }

int tcp_socket_connect(struct tcp_socket *s, const struct net_endpoint *remote, bool nonblock) {
    if (s->listener) return WASI_EISCONN;
    if (s->connecting) {
        if (nonblock) return WASI_EALREADY;
        if (!net_wait(handshake_over, s, deadline_after(s->send_timeout_ns))) return WASI_EINPROGRESS;
        return s->error;
    }
    if (!s->unconnected) return s->error ? s->error : WASI_EISCONN;
    if (!s->pcb) return s->error ? s->error : WASI_EINVAL;
    ip_addr_t ip;
    IP_ADDR4(&ip, remote->address[0], remote->address[1], remote->address[2], remote->address[3]);
    if (ip_addr_isany(&ip) || !remote->port) return WASI_EINVAL;
    err_t err = tcp_connect(s->pcb, &ip, remote->port, on_connected);
    if (err == ERR_RTE) return WASI_ENETUNREACH;
    if (err == ERR_USE) return WASI_EADDRINUSE;
    if (err == ERR_MEM || err == ERR_BUF) return WASI_ENOBUFS;
    if (err != ERR_OK) return WASI_EINVAL;
    s->unconnected = false;
    s->connecting = true;
    if (nonblock) return WASI_EINPROGRESS;
    if (!net_wait(handshake_over, s, deadline_after(s->send_timeout_ns))) return WASI_EINPROGRESS;
    return s->error;
}

int tcp_socket_endpoint(const struct tcp_socket *s, bool peer, struct net_endpoint *out) {
    memset(out, 0, sizeof *out);
    if (!s->pcb) return s->error ? s->error : WASI_ENOTCONN;
    if (peer && (s->listener || s->unconnected || s->connecting)) return WASI_ENOTCONN;
    const ip_addr_t *ip = peer ? &s->pcb->remote_ip : &s->pcb->local_ip;
    uint32_t a = ip4_addr_get_u32(ip_2_ip4(ip)); /* network order in memory */
    memcpy(out->address, &a, 4);
    out->port = peer ? s->pcb->remote_port : s->pcb->local_port;
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

uint32_t tcp_socket_buffer_size(bool send) { return send ? TCP_SND_BUF : TCP_WND; }

int tcp_socket_set_option(struct tcp_socket *s, enum tcp_option option, bool on) {
    if (!s->pcb) return s->error ? s->error : WASI_EINVAL;
    switch (option) {
    case TCP_OPTION_REUSEADDR:
        if (on) ip_set_option(s->pcb, SOF_REUSEADDR);
        else ip_reset_option(s->pcb, SOF_REUSEADDR);
        return 0;
    case TCP_OPTION_KEEPALIVE:
        if (on) ip_set_option(s->pcb, SOF_KEEPALIVE);
        else ip_reset_option(s->pcb, SOF_KEEPALIVE);
        return 0;
    }
    return WASI_ENOPROTOOPT;
}

bool tcp_socket_option(const struct tcp_socket *s, enum tcp_option option) {
    if (!s->pcb) return false;
    switch (option) {
    case TCP_OPTION_REUSEADDR: return ip_get_option(s->pcb, SOF_REUSEADDR) != 0;
    case TCP_OPTION_KEEPALIVE: return ip_get_option(s->pcb, SOF_KEEPALIVE) != 0;
    }
    return false;
}

static bool has_pending(void *arg) { return ((struct tcp_socket *)arg)->pending_head != NULL; }

int tcp_socket_accept(struct tcp_socket *l, bool nonblock, struct tcp_socket **out) {
    if (!l->listener || !l->pcb) return WASI_EINVAL;
    net_poll();
    if (!l->pending_head) {
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(has_pending, l, deadline_after(l->recv_timeout_ns))) return WASI_EAGAIN;
    }
    struct tcp_socket *s = l->pending_head;
    l->pending_head = s->next_pending;
    if (!l->pending_head) l->pending_tail = NULL;
    s->next_pending = NULL;
    s->listened_by = NULL;
    if (s->pcb) tcp_backlog_accepted(s->pcb);
    *out = s;
    return 0;
}

static bool can_read(void *arg) { return tcp_socket_readable(arg); }

/* Waits (unless nonblock) until data, end of stream or an error; 0 when there is data to copy,
 * 1 at end of stream, else a net_errno. */
static int await_data(struct tcp_socket *s, bool nonblock) {
    if (s->listener || s->unconnected) return WASI_ENOTCONN;
    net_poll();
    if (!tcp_socket_readable(s)) {
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(can_read, s, deadline_after(s->recv_timeout_ns))) return WASI_EAGAIN;
    }
    if (s->received) return 0;
    if (s->peer_closed || s->read_shut) return 1;
    return s->error ? s->error : WASI_ENOTCONN;
}

int tcp_socket_peek(struct tcp_socket *s, uint8_t *buf, size_t len, size_t offset, bool nonblock, size_t *copied) {
    *copied = 0;
    int state = await_data(s, nonblock);
    if (state) return state == 1 ? 0 : state;
    size_t available = s->received->tot_len - s->received_offset;
    if (offset >= available) return 0;
    size_t n = len < available - offset ? len : available - offset;
    *copied = pbuf_copy_partial(s->received, buf, (u16_t)n, (u16_t)(s->received_offset + offset));
    return 0;
}

int tcp_socket_recv(struct tcp_socket *s, uint8_t *buf, size_t len, bool nonblock, size_t *received) {
    *received = 0;
    int state = await_data(s, nonblock);
    if (state) return state == 1 ? 0 : state;
    size_t available = s->received->tot_len - s->received_offset;
    size_t n = len < available ? len : available;
    if (n > 0xffff) n = 0xffff; /* pbuf offsets are 16-bit; the caller comes back for more */
    pbuf_copy_partial(s->received, buf, (u16_t)n, s->received_offset);
    *received = n;
    /* drop what was consumed, whole pbufs first */
    size_t consumed = n + s->received_offset;
    while (s->received && consumed >= s->received->len) {
        struct pbuf *head = s->received;
        consumed -= head->len;
        s->received = head->next;
        if (s->received) pbuf_ref(s->received);
        pbuf_free(head);
    }
    s->received_offset = (uint16_t)consumed;
    if (s->pcb) tcp_recved(s->pcb, (u16_t)n);
    return 0;
}

static bool can_write(void *arg) { return tcp_socket_writable(arg); }

int tcp_socket_send(struct tcp_socket *s, const uint8_t *buf, size_t len, bool nonblock, size_t *sent) {
    *sent = 0;
    if (s->listener || s->unconnected) return WASI_ENOTCONN;
    if (s->error) return s->error;
    if (s->connecting) {
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(handshake_over, s, deadline_after(s->send_timeout_ns))) return WASI_EAGAIN;
        if (s->error) return s->error;
    }
    if (s->write_shut || !s->pcb) return WASI_EPIPE;
    if (!len) return 0;
    net_poll();
    if (!tcp_socket_writable(s)) {
        if (nonblock) return WASI_EAGAIN;
        if (!net_wait(can_write, s, deadline_after(s->send_timeout_ns))) return WASI_EAGAIN;
    }
    /* the frames just taken in may have reset the connection: lwIP then freed the pcb (err callback),
     * and "writable" only meant that the write fails at once */
    if (s->error) return s->error;
    if (!s->pcb || s->write_shut) return WASI_EPIPE;
    size_t room = tcp_sndbuf(s->pcb);
    size_t n = len < room ? len : room;
    if (n > 0xffff) n = 0xffff;
    err_t err = tcp_write(s->pcb, buf, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (err == ERR_MEM) {
        tcp_output(s->pcb);
        return nonblock ? WASI_EAGAIN : WASI_ENOBUFS;
    }
    if (err != ERR_OK) return WASI_EIO;
    tcp_output(s->pcb);
    *sent = n;
    return 0;
}

int tcp_socket_shutdown(struct tcp_socket *s, bool read, bool write) {
    if (s->listener || s->unconnected || s->connecting) return WASI_ENOTCONN;
    if (!s->pcb) return s->error ? s->error : WASI_ENOTCONN;
    if (read) {
        s->read_shut = true;
        if (s->received) {
            tcp_recved(s->pcb, (u16_t)(s->received->tot_len - s->received_offset));
            pbuf_free(s->received);
            s->received = NULL;
            s->received_offset = 0;
        }
    }
    if (write) s->write_shut = true;
    err_t err = tcp_shutdown(s->pcb, read, write);
    return err == ERR_OK ? 0 : WASI_ENOTCONN;
}

static void close_connection(struct tcp_pcb *pcb) {
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_accept(pcb, NULL);
    /* tcp_close fails only when memory for the FIN is short: then reset instead of leaking */
    if (tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
}

void tcp_socket_close(struct tcp_socket *s) {
    if (s->listener) {
        while (s->pending_head) {
            struct tcp_socket *c = s->pending_head;
            s->pending_head = c->next_pending;
            if (c->pcb) {
                tcp_arg(c->pcb, NULL);
                tcp_err(c->pcb, NULL);
                tcp_abort(c->pcb);
            }
            socket_free(c);
        }
        if (s->pcb) {
            tcp_arg(s->pcb, NULL);
            tcp_accept(s->pcb, NULL);
            tcp_close(s->pcb); /* always succeeds for a listening pcb */
        }
    } else if (s->pcb && s->unconnected) {
        tcp_arg(s->pcb, NULL);
        tcp_err(s->pcb, NULL);
        tcp_recv(s->pcb, NULL);
        tcp_abort(s->pcb); /* nothing was sent: freeing it is all closing means */
    } else if (s->pcb) {
        close_connection(s->pcb);
    }
    s->pcb = NULL;
    socket_free(s);
    net_poll();
}

bool tcp_socket_is_listener(const struct tcp_socket *s) { return s->listener; }

bool tcp_socket_readable(const struct tcp_socket *s) {
    if (s->listener) return s->pending_head != NULL || !s->pcb;
    if (s->unconnected) return true; /* a read fails at once (ENOTCONN) */
    if (s->connecting) return false;
    return s->received != NULL || s->peer_closed || s->read_shut || s->error || !s->pcb;
}

bool tcp_socket_writable(const struct tcp_socket *s) {
    if (s->listener) return false;
    if (s->unconnected) return true;                       /* a write fails at once (ENOTCONN) */
    if (s->connecting) return false;                       /* until the handshake ends, either way */
    if (s->error || !s->pcb || s->write_shut) return true; /* a write would fail at once */
    return tcp_sndbuf(s->pcb) > 0 && tcp_sndqueuelen(s->pcb) < TCP_SND_QUEUELEN;
}

bool tcp_socket_hung_up(const struct tcp_socket *s) {
    if (s->unconnected || s->connecting) return s->error != 0;
    return !s->listener && (s->peer_closed || s->error || !s->pcb);
}

size_t tcp_socket_send_space(const struct tcp_socket *s) {
    if (s->listener || s->unconnected || s->connecting) return 0;
    return !s->pcb || s->error || s->write_shut ? 0 : tcp_sndbuf(s->pcb);
}

size_t tcp_socket_bytes_available(const struct tcp_socket *s) {
    if (s->listener || !s->received) return 0;
    return s->received->tot_len - s->received_offset;
}

/* ---- flushing at exit ---- */

/* True when the peer has acknowledged everything this connection sent, its FIN included when it was
 * closed. lwIP keeps a closed connection's pcb (no socket refers to it) until its FIN is
 * acknowledged, so this is asked of every pcb lwIP has, not of the sockets. */
static bool pcb_delivered(const struct tcp_pcb *pcb) {
    switch (pcb->state) {
    case ESTABLISHED:
    case CLOSE_WAIT: return pcb->unsent == NULL && pcb->unacked == NULL;
    case FIN_WAIT_1: /* our FIN is queued or unacknowledged; data may be too */
    case CLOSING:
    case LAST_ACK: return false;
    default: /* handshakes (nothing of the app's sent yet), FIN_WAIT_2, TIME_WAIT: nothing owed */ return true;
    }
}

static bool all_delivered(void *arg) {
    (void)arg;
    for (const struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
        if (!pcb_delivered(pcb)) return false;
    }
    return true;
}

bool tcp_socket_flush_all(uint64_t deadline_ns, uint32_t *undelivered) {
    *undelivered = 0;
    if (!net_available()) return true;
    if (net_wait(all_delivered, NULL, deadline_ns)) return true;
    for (const struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
        if (!pcb_delivered(pcb)) (*undelivered)++;
    }
    return false;
}
