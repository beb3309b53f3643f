/*
 * TCP sockets on lwIP's raw API, with blocking and non-blocking calls for the WASI layer.
 * Listening sockets queue the connections lwIP accepts until the app takes them; connected
 * sockets queue received data until the app reads it (the TCP window closes meanwhile, so a slow
 * app slows its peer instead of using memory). Results are WASI errno values (0 = success).
 */
#ifndef KERNEL_NET_TCP_SOCKET_H
#define KERNEL_NET_TCP_SOCKET_H

#include "kernel/errno.h"
#include "kernel/types.h"

/* An IPv4 endpoint: address bytes in wire order (a.b.c.d = bytes 0..3) and a host-order port. */
struct net_endpoint {
    uint8_t address[4];
    uint16_t port;
};

/* Socket options the WASI layer can set or read on TCP sockets. */
enum tcp_option {
    TCP_OPTION_REUSEADDR,
    TCP_OPTION_KEEPALIVE,
};

struct tcp_socket;

/* A socket listening on address:port (network byte order bytes; 0.0.0.0 = any). */
int tcp_socket_listen(const uint8_t address[4], uint16_t port, struct tcp_socket **out);

/* ---- sockets the app creates (WasmEdge's sock_open): unconnected until bind + listen or connect ---- */
/* ENETDOWN when the VM has no network (lwIP is not even started then). */
int tcp_socket_open(struct tcp_socket **out);
/* Binds an unconnected socket; port 0 picks an ephemeral port. EADDRNOTAVAIL for an address that
 * is neither 0.0.0.0 nor the guest's, EADDRINUSE, EINVAL when already bound or not unconnected. */
int tcp_socket_bind(struct tcp_socket *s, const struct net_endpoint *local);
/* Turns an unconnected socket into a listener (binding it to an ephemeral port first if it is not
 * bound); backlog is clamped to 1..TCP_DEFAULT_LISTEN_BACKLOG. */
int tcp_socket_listen_on(struct tcp_socket *s, int32_t backlog);
/* Connects an unconnected socket. Blocking: waits for the handshake (ECONNREFUSED on a reset,
 * ETIMEDOUT when lwIP gives up retransmitting the SYN). Non-blocking: EINPROGRESS, then the socket
 * becomes writable when the handshake ends and tcp_socket_error says how. EALREADY while a
 * handshake is under way, EISCONN once connected. */
int tcp_socket_connect(struct tcp_socket *s, const struct net_endpoint *remote, bool nonblock);
/* The local or remote endpoint. ENOTCONN for the peer of a socket that is not connected. */
int tcp_socket_endpoint(const struct tcp_socket *s, bool peer, struct net_endpoint *out);
/* The pending error (0 = none): a failed connect, a reset. */
int tcp_socket_error(const struct tcp_socket *s);
int tcp_socket_set_option(struct tcp_socket *s, enum tcp_option option, bool on);
bool tcp_socket_option(const struct tcp_socket *s, enum tcp_option option);
/* SO_RCVTIMEO / SO_SNDTIMEO: how long a blocking receive (and accept) or send (and connect) waits
 * at most, in ns (0 = no limit); then it fails with EAGAIN (a connect with EINPROGRESS, the
 * handshake going on). */
void tcp_socket_set_timeout(struct tcp_socket *s, bool send, uint64_t ns);
uint64_t tcp_socket_timeout(const struct tcp_socket *s, bool send);
/* The send buffer or the receive window of every connection, in bytes (lwIP's TCP_SND_BUF, TCP_WND). */
uint32_t tcp_socket_buffer_size(bool send);
/* True for a socket that is still unconnected (neither listening nor connecting). */
bool tcp_socket_is_unconnected(const struct tcp_socket *s);
/* The next accepted connection; EAGAIN when `nonblock` and none is waiting. */
int tcp_socket_accept(struct tcp_socket *listener, bool nonblock, struct tcp_socket **out);
/* Up to len bytes into buf; *received = 0 at end of stream. EAGAIN when `nonblock` and nothing is
 * there. */
int tcp_socket_recv(struct tcp_socket *s, uint8_t *buf, size_t len, bool nonblock, size_t *received);
/* Like tcp_socket_recv but leaves the bytes queued, copying from `offset` bytes into the queue
 * (0 when fewer are queued). */
int tcp_socket_peek(struct tcp_socket *s, uint8_t *buf, size_t len, size_t offset, bool nonblock, size_t *copied);
/* Queues up to len bytes (blocking until at least one byte fits unless `nonblock`). */
int tcp_socket_send(struct tcp_socket *s, const uint8_t *buf, size_t len, bool nonblock, size_t *sent);
/* Stops receiving and/or sending (a FIN goes out for `write`). */
int tcp_socket_shutdown(struct tcp_socket *s, bool read, bool write);
/* Closes the socket and frees it (a listener also drops the connections nobody accepted). */
void tcp_socket_close(struct tcp_socket *s);

bool tcp_socket_is_listener(const struct tcp_socket *s);
/* Readiness for poll_oneoff: a read/accept would not block; a write would not block. */
bool tcp_socket_readable(const struct tcp_socket *s);
bool tcp_socket_writable(const struct tcp_socket *s);
/* Bytes a read would return now (for poll_oneoff's nbytes). */
size_t tcp_socket_bytes_available(const struct tcp_socket *s);
/* True when the peer ended its stream, the connection failed or was reset (poll's hang-up). */
bool tcp_socket_hung_up(const struct tcp_socket *s);
/* Bytes a send would accept now. */
size_t tcp_socket_send_space(const struct tcp_socket *s);
/* Sockets in existence (for leak checks). */
uint32_t tcp_socket_count(void);

/* Runs the network event loop until the peers have acknowledged everything the app sent on every
 * TCP connection, closed ones included (their FINs too), or the monotonic deadline passes: an app
 * that exits right after sending would otherwise lose what lwIP still queued when the VM stops.
 * False on the deadline, with the number of connections still owing data in *undelivered. */
bool tcp_socket_flush_all(uint64_t deadline_ns, uint32_t *undelivered);

#endif
