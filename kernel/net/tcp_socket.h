/*
 * TCP sockets on lwIP's raw API, with blocking and non-blocking calls for the WASI layer.
 * Listening sockets queue the connections lwIP accepts until the app takes them; connected
 * sockets queue received data until the app reads it (the TCP window closes meanwhile, so a slow
 * app slows its peer instead of using memory). Results are WASI errno values (0 = success).
 */
#ifndef KERNEL_NET_TCP_SOCKET_H
#define KERNEL_NET_TCP_SOCKET_H

#include "kernel/types.h"

/* WASI errno values for socket errors (the values of wasi_snapshot_preview1's errno). */
enum net_errno {
    NET_EADDRINUSE = 3,
    NET_EADDRNOTAVAIL = 4,
    NET_EAGAIN = 6,
    NET_ECONNABORTED = 13,
    NET_ECONNRESET = 15,
    NET_EINVAL = 28,
    NET_EIO = 29,
    NET_ENOBUFS = 42,
    NET_ENOMEM = 48,
    NET_ENOTCONN = 53,
    NET_ENOTSOCK = 57,
    NET_EPIPE = 64,
};

struct tcp_socket;

/* A socket listening on address:port (network byte order bytes; 0.0.0.0 = any). */
int tcp_socket_listen(const uint8_t address[4], uint16_t port, struct tcp_socket **out);
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

#endif
