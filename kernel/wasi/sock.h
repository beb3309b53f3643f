/* The socket side of the WASI descriptor table (wasi/sock.c) and what the WasmEdge socket API
 * (wasi/sock_wasmedge.c) shares with it. Socket descriptors are of two kinds (fdtable.h, struct
 * fd_ops, with struct sock_ops below): fd_tcp_ops entries hold a TCP socket (e->socket),
 * fd_udp_ops ones a UDP socket (e->udp_socket). */
#ifndef KERNEL_WASI_SOCK_H
#define KERNEL_WASI_SOCK_H

#include "../net/tcp_socket.h"
#include "../net/udp_socket.h"
#include "fdtable.h"
#include "wasi.h"

#define FILETYPE_SOCKET_DGRAM 5
#define FILETYPE_SOCKET_STREAM 6

/* WasmEdge's sock_type (sock_open, SO_TYPE, sock_getaddrinfo) */
#define SOCK_TYPE_ANY 0
#define SOCK_TYPE_DGRAM 1
#define SOCK_TYPE_STREAM 2

/* WasmEdge's sock_opt_level and sock_opt_so */
#define SOL_SOCKET 0
#define SO_REUSEADDR 0
#define SO_TYPE 1
#define SO_ERROR 2
#define SO_BROADCAST 4
#define SO_SNDBUF 5
#define SO_RCVBUF 6
#define SO_KEEPALIVE 7
#define SO_RCVTIMEO 11
#define SO_SNDTIMEO 12
#define SO_ACCEPTCONN 13
#define SO_LAST 14 /* SO_BINDTODEVICE */

#define RIFLAGS_RECV_PEEK 0x1
#define RIFLAGS_RECV_WAITALL 0x2
#define ROFLAGS_RECV_DATA_TRUNCATED 0x1

/* Rights of a connected socket, a listener and an app-opened socket that may become either. */
#define RIGHTS_SOCKET_CONNECTION                                                                                    \
    (RIGHT_FD_READ | RIGHT_FD_WRITE | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET | RIGHT_POLL_FD_READWRITE | \
     RIGHT_SOCK_SHUTDOWN)
#define RIGHTS_SOCKET_LISTENER \
    (RIGHT_FD_READ | RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET | RIGHT_POLL_FD_READWRITE | RIGHT_SOCK_ACCEPT)
#define RIGHTS_SOCKET_OPENED (RIGHTS_SOCKET_CONNECTION | RIGHT_SOCK_ACCEPT)

/*
 * What a kind of socket does (fd_ops.sock): the TCP and UDP tables are in sock.c. The calls in
 * sock.c and sock_wasmedge.c check rights, flags and guest memory, then call through it. A NULL
 * entry is a call the kind does not have, answered as given beside it.
 */
struct sock_ops {
    /* sock_bind, sock_connect (the outbound rules already checked) */
    int32_t (*bind)(struct fd_entry *e, const struct net_endpoint *local);
    int32_t (*connect)(struct fd_entry *e, const struct net_endpoint *remote);
    /* sock_listen; NULL: ENOTSUP */
    int32_t (*listen)(struct fd_entry *e, int32_t backlog);
    /* sock_accept: a new descriptor with `fdflags` in *fd_out (the entry may move); NULL: EINVAL */
    int32_t (*accept)(struct fd_entry *e, uint16_t fdflags, int32_t *fd_out);
    /* The local address, or the peer's. */
    int32_t (*endpoint)(const struct fd_entry *e, bool peer, struct net_endpoint *out);
    /* sock_recv, sock_recv_from into a checked iovec list with RIFLAGS_*: the count, whether a
     * datagram was cut short, and (when `from` is not NULL) the sender. */
    int32_t (*recv)(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t riflags, uint32_t *done,
                    bool *truncated, struct net_endpoint *from);
    /* sock_send_to `to`; NULL: a stream, which sends as sock_send and ignores the address, as
     * sendto(2) on a connected stream does */
    int32_t (*send_to)(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, const struct net_endpoint *to,
                       uint32_t *done);
    /* sock_shutdown; NULL: ENOTSUP */
    int32_t (*shutdown)(struct fd_entry *e, bool read, bool write);
    /* SO_RCVTIMEO / SO_SNDTIMEO in ns (0: none) */
    uint64_t (*timeout)(const struct fd_entry *e, bool send);
    void (*set_timeout)(struct fd_entry *e, bool send, uint64_t ns);
    /* The other SOL_SOCKET options (0..SO_LAST): ENOPROTOOPT for those the kind lacks or that are
     * read-only (set_option). */
    int32_t (*option)(const struct fd_entry *e, int32_t name, int32_t *value);
    int32_t (*set_option)(struct fd_entry *e, int32_t name, bool on);
};

/* Opens the host's --tcplisten sockets as the next descriptors (after the mounts' pre-opens);
 * a listener that cannot be opened is a panic naming it. */
void sock_preopen_listeners(void);
/* The socket entry for fd with `rights` (all required): *err gets EBADF, ENOTSOCK or ENOTCAPABLE. */
struct fd_entry *sock_entry(int32_t fd, uint64_t rights, int32_t *err);
/* Takes a new descriptor for a socket (exactly one of tcp/udp non-NULL); on failure closes the
 * socket and returns the errno. */
int32_t sock_install(struct tcp_socket *tcp, struct udp_socket *udp, uint16_t fdflags, uint64_t rights,
                     int32_t *fd_out);
/* preview1's sock_accept. Kernel code calls this, never the import symbol: an app importing
 * WasmEdge's 2-argument sock_accept has the image linker point that symbol at the other shape. */
int32_t sock_accept_with(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out);

#endif
