/*
 * UDP sockets on lwIP's raw API. Each socket keeps a bounded queue of received datagrams (with
 * their senders); a datagram that arrives while the queue is full is dropped and counted, as a
 * full socket buffer drops it on Linux. Sending never blocks: a datagram goes out at once or not
 * at all. Results are WASI errno values (0 = success), as in tcp_socket.h.
 */
#ifndef KERNEL_NET_UDP_SOCKET_H
#define KERNEL_NET_UDP_SOCKET_H

#include "tcp_socket.h"

/* Datagrams a socket holds before it drops new ones. */
#define UDP_SOCKET_QUEUE_LIMIT 64
/* The largest payload that fits one Ethernet frame: lwIP is built without IP fragmentation. */
#define UDP_SOCKET_MAX_PAYLOAD (1500 - 20 - 8)

struct udp_socket;

/* ENETDOWN when the VM has no network. */
int udp_socket_open(struct udp_socket **out);
/* Binds to a local endpoint (port 0: an ephemeral one); the address must be 0.0.0.0 or the guest's. */
int udp_socket_bind(struct udp_socket *s, const struct net_endpoint *local);
/* Fixes the peer: sends without an address go there and only its datagrams are received. */
int udp_socket_connect(struct udp_socket *s, const struct net_endpoint *remote);
/* Sends len bytes gathered from `parts` (count buffers) as one datagram, to `to` or (NULL) to the
 * connected peer: EDESTADDRREQ when there is none, EMSGSIZE above UDP_SOCKET_MAX_PAYLOAD. */
struct udp_part {
    const uint8_t *data;
    uint32_t len;
};
int udp_socket_send(struct udp_socket *s, const struct udp_part *parts, uint32_t count, const struct net_endpoint *to);
/* Copies the first queued datagram into `parts` (scattered), waiting for one unless `nonblock`
 * (then EAGAIN). *received is the bytes copied, *truncated whether the datagram was longer; the
 * sender goes to *from when it is not NULL. With `peek` the datagram stays queued. */
int udp_socket_recv(struct udp_socket *s, const struct udp_part *parts, uint32_t count, bool nonblock, bool peek,
                    uint32_t *received, bool *truncated, struct net_endpoint *from);
void udp_socket_close(struct udp_socket *s);

int udp_socket_endpoint(const struct udp_socket *s, bool peer, struct net_endpoint *out);
/* SO_RCVTIMEO: how long a blocking receive waits at most, in ns (0 = no limit); then EAGAIN.
 * SO_SNDTIMEO is kept for reading back only: a send never waits. */
void udp_socket_set_timeout(struct udp_socket *s, bool send, uint64_t ns);
uint64_t udp_socket_timeout(const struct udp_socket *s, bool send);
int udp_socket_set_reuse_address(struct udp_socket *s, bool on);
bool udp_socket_reuse_address(const struct udp_socket *s);
bool udp_socket_is_connected(const struct udp_socket *s);
/* Readiness for poll_oneoff: a datagram is queued; the size of the first one. */
bool udp_socket_readable(const struct udp_socket *s);
size_t udp_socket_bytes_available(const struct udp_socket *s);
/* Datagrams dropped so far because this socket's queue was full. */
uint32_t udp_socket_dropped(const struct udp_socket *s);
/* Sockets in existence (for leak checks). */
uint32_t udp_socket_count(void);

#endif
