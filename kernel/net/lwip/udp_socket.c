/* UDP sockets over lwIP's raw API: the receive callback fills a per-socket ring; calls drain it. */
#include "udp_socket.h"

#include "kernel/platform.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/string.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "net.h"

struct queued_datagram {
    struct pbuf *data;
    struct net_endpoint from;
};

struct udp_socket {
    struct udp_pcb *pcb;
    bool connected;
    uint32_t head, count; /* ring of received datagrams */
    uint32_t dropped;
    uint64_t recv_timeout_ns; /* 0 = wait as long as it takes */
    uint64_t send_timeout_ns; /* only read back: sends never wait */
    struct queued_datagram queue[UDP_SOCKET_QUEUE_LIMIT];
};

static uint32_t sockets;

uint32_t udp_socket_count(void) { return sockets; }

static struct net_endpoint endpoint_of(const ip_addr_t *ip, u16_t port) {
    struct net_endpoint e;
    uint32_t a = ip4_addr_get_u32(ip_2_ip4(ip)); /* network order in memory */
    memcpy(e.address, &a, 4);
    e.port = port;
    return e;
}

static ip_addr_t ip_of(const struct net_endpoint *e) {
    ip_addr_t ip;
    IP_ADDR4(&ip, e->address[0], e->address[1], e->address[2], e->address[3]);
    return ip;
}

/* lwIP callback (main context, from net_poll): queue the datagram or count it as dropped. */
static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port) {
    (void)pcb;
    struct udp_socket *s = arg;
    if (!s || s->count == UDP_SOCKET_QUEUE_LIMIT) {
        if (s) s->dropped++;
        pbuf_free(p);
        return;
    }
    struct queued_datagram *q = &s->queue[(s->head + s->count) % UDP_SOCKET_QUEUE_LIMIT];
    q->data = p;
    q->from = endpoint_of(addr, port);
    s->count++;
}

int udp_socket_open(struct udp_socket **out) {
    if (!net_available()) return WASI_ENETDOWN;
    struct udp_pcb *pcb = udp_new();
    if (!pcb) return WASI_ENOMEM;
    struct udp_socket *s = heap_alloc(sizeof *s);
    if (!s) {
        udp_remove(pcb);
        return WASI_ENOMEM;
    }
    memset(s, 0, sizeof *s);
    sockets++;
    s->pcb = pcb;
    udp_recv(pcb, on_recv, s);
    *out = s;
    return 0;
}

static bool is_local_address(const ip_addr_t *address) {
    if (ip_addr_isany(address)) return true;
    return netif_default && ip_addr_cmp(address, &netif_default->ip_addr);
}

int udp_socket_bind(struct udp_socket *s, const struct net_endpoint *local) {
    if (s->pcb->local_port) return WASI_EINVAL; /* already bound (also implicitly, by a send) */
    ip_addr_t ip = ip_of(local);
    if (!is_local_address(&ip)) return WASI_EADDRNOTAVAIL;
    err_t err = udp_bind(s->pcb, &ip, local->port);
    return err == ERR_OK ? 0 : err == ERR_USE ? WASI_EADDRINUSE : WASI_EINVAL;
}

int udp_socket_connect(struct udp_socket *s, const struct net_endpoint *remote) {
    ip_addr_t ip = ip_of(remote);
    if (ip_addr_isany(&ip) || !remote->port) return WASI_EINVAL;
    err_t err = udp_connect(s->pcb, &ip, remote->port); /* binds an ephemeral port if needed */
    if (err != ERR_OK) return err == ERR_USE ? WASI_EADDRINUSE : WASI_EINVAL;
    s->connected = true;
    /* datagrams from others that were queued before stay: Linux drops them, but an app cannot
     * tell them apart from ones that raced with connect, so keeping them loses nothing */
    return 0;
}

int udp_socket_send(struct udp_socket *s, const struct udp_part *parts, uint32_t count, const struct net_endpoint *to) {
    if (!to && !s->connected) return WASI_EDESTADDRREQ;
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; i++) total += parts[i].len;
    if (total > UDP_SOCKET_MAX_PAYLOAD) return WASI_EMSGSIZE;
    ip_addr_t ip;
    if (to) {
        ip = ip_of(to);
        if (ip_addr_isany(&ip) || !to->port) return WASI_EINVAL;
    }
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)total, PBUF_RAM);
    if (!p) return WASI_ENOBUFS;
    uint32_t at = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (parts[i].len) pbuf_take_at(p, parts[i].data, (u16_t)parts[i].len, (u16_t)at);
        at += parts[i].len;
    }
    err_t err = to ? udp_sendto(s->pcb, p, &ip, to->port) : udp_send(s->pcb, p);
    pbuf_free(p);
    net_poll(); /* the frame may have been queued behind ARP: let lwIP make progress */
    if (err == ERR_OK) return 0;
    if (err == ERR_RTE) return WASI_EHOSTUNREACH;
    if (err == ERR_MEM || err == ERR_BUF) return WASI_ENOBUFS;
    if (err == ERR_USE) return WASI_EADDRINUSE;
    return WASI_EIO;
}

static bool has_datagram(void *arg) { return ((struct udp_socket *)arg)->count != 0; }

int udp_socket_recv(struct udp_socket *s, const struct udp_part *parts, uint32_t count, bool nonblock, bool peek,
                    uint32_t *received, bool *truncated, struct net_endpoint *from) {
    *received = 0;
    *truncated = false;
    net_poll();
    if (!s->count) {
        if (nonblock) return WASI_EAGAIN;
        uint64_t deadline = s->recv_timeout_ns ? plat_clock_monotonic_ns() + s->recv_timeout_ns : 0;
        if (!net_wait(has_datagram, s, deadline)) return WASI_EAGAIN;
    }
    struct queued_datagram *q = &s->queue[s->head];
    uint32_t size = q->data->tot_len, at = 0;
    for (uint32_t i = 0; i < count && at < size; i++) {
        uint32_t n = parts[i].len < size - at ? parts[i].len : size - at;
        pbuf_copy_partial(q->data, (void *)parts[i].data, (u16_t)n, (u16_t)at);
        at += n;
    }
    *received = at;
    *truncated = at < size;
    if (from) *from = q->from;
    if (!peek) {
        pbuf_free(q->data);
        q->data = NULL;
        s->head = (s->head + 1) % UDP_SOCKET_QUEUE_LIMIT;
        s->count--;
    }
    return 0;
}

void udp_socket_close(struct udp_socket *s) {
    if (s->dropped) console_verbose("udp socket closed: %u datagrams dropped (queue full)", s->dropped);
    udp_remove(s->pcb);
    while (s->count) {
        pbuf_free(s->queue[s->head].data);
        s->head = (s->head + 1) % UDP_SOCKET_QUEUE_LIMIT;
        s->count--;
    }
    heap_free(s);
    sockets--;
}

int udp_socket_endpoint(const struct udp_socket *s, bool peer, struct net_endpoint *out) {
    if (peer && !s->connected) {
        memset(out, 0, sizeof *out);
        return WASI_ENOTCONN;
    }
    *out = peer ? endpoint_of(&s->pcb->remote_ip, s->pcb->remote_port)
                : endpoint_of(&s->pcb->local_ip, s->pcb->local_port);
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
    if (on) ip_set_option(s->pcb, SOF_REUSEADDR);
    else ip_reset_option(s->pcb, SOF_REUSEADDR);
    return 0;
}

bool udp_socket_reuse_address(const struct udp_socket *s) { return ip_get_option(s->pcb, SOF_REUSEADDR) != 0; }

bool udp_socket_is_connected(const struct udp_socket *s) { return s->connected; }

bool udp_socket_readable(const struct udp_socket *s) { return s->count != 0; }

size_t udp_socket_bytes_available(const struct udp_socket *s) { return s->count ? s->queue[s->head].data->tot_len : 0; }

uint32_t udp_socket_dropped(const struct udp_socket *s) { return s->dropped; }
