/* The socket side of the WASI descriptor table (wasi/sock.c); fd.c and fdtable.c call these for
 * FD_SOCKET entries. */
#ifndef KERNEL_WASI_SOCK_H
#define KERNEL_WASI_SOCK_H

#include "../net/tcp_socket.h"
#include "fdtable.h"
#include "wasi.h"

/* Opens the host's --tcplisten sockets as the next descriptors (after the mounts' pre-opens);
 * a listener that cannot be opened is a panic naming it. */
void sock_preopen_listeners(void);
/* poll_oneoff on a socket: true when a read (accept on a listener) or write would not block, with
 * the bytes ready in *nbytes and whether the connection hung up. */
bool sock_poll_ready(const struct fd_entry *e, bool read, uint64_t *nbytes, bool *hangup);
/* fd_read / fd_write on a socket: the iovec list is already checked. */
int32_t sock_fd_read(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t *done);
int32_t sock_fd_write(struct fd_entry *e, uw_vmctx *ctx, uint32_t iovs, uint32_t count, uint32_t *done);

#endif
