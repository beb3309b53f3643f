/* The socket side of the WASI descriptor table (wasi/sock.c) and what the WasmEdge socket API
 * (wasi/sock_wasmedge.c) shares with it. Socket descriptors are of two kinds (fdtable.h, struct
 * fd_ops): fd_tcp_ops entries hold a TCP socket (e->socket), fd_udp_ops ones a UDP socket
 * (e->udp_socket). */
#ifndef KERNEL_WASI_SOCK_H
#define KERNEL_WASI_SOCK_H

#include "../net/tcp_socket.h"
#include "../net/udp_socket.h"
#include "fdtable.h"
#include "wasi.h"

#define FILETYPE_SOCKET_DGRAM 5
#define FILETYPE_SOCKET_STREAM 6

#define RIFLAGS_RECV_PEEK 0x1
#define RIFLAGS_RECV_WAITALL 0x2
#define ROFLAGS_RECV_DATA_TRUNCATED 0x1

/* Rights of a connected socket, a listener and an app-opened socket that may become either. */
#define RIGHTS_SOCKET_CONNECTION                                                                        \
    (RIGHT_FD_READ | RIGHT_FD_WRITE | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET |               \
     RIGHT_POLL_FD_READWRITE | RIGHT_SOCK_SHUTDOWN)
#define RIGHTS_SOCKET_LISTENER                                                                          \
    (RIGHT_FD_READ | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET | RIGHT_POLL_FD_READWRITE |     \
     RIGHT_SOCK_ACCEPT)
#define RIGHTS_SOCKET_OPENED (RIGHTS_SOCKET_CONNECTION | RIGHT_SOCK_ACCEPT)

/* Opens the host's --tcplisten sockets as the next descriptors (after the mounts' pre-opens);
 * a listener that cannot be opened is a panic naming it. */
void sock_preopen_listeners(void);
/* The socket entry for fd with `rights` (all required): *err gets EBADF, ENOTSOCK or ENOTCAPABLE. */
struct fd_entry *sock_entry(int32_t fd, uint64_t rights, int32_t *err);
/* Takes a new descriptor for a socket (exactly one of tcp/udp non-NULL); on failure closes the
 * socket and returns the errno. */
int32_t sock_install(struct tcp_socket *tcp, struct udp_socket *udp, uint16_t fdflags, uint64_t rights, int32_t *fd_out);
/* preview1's sock_accept. Kernel code calls this, never the import symbol: an app importing
 * WasmEdge's 2-argument sock_accept has the image linker point that symbol at the other shape. */
int32_t sock_accept_with(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out);
/* Datagram I/O on a checked iovec list (sock_recv, sock_recv_from, fd_read on UDP sockets). */
int32_t sock_udp_recv(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, bool peek, uint32_t *done,
                      bool *truncated, struct net_endpoint *from);
int32_t sock_udp_send(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, const struct net_endpoint *to,
                      uint32_t *done);

#endif
