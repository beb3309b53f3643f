/* What the host-socket stack's files share (kernel/net/host). */
#ifndef KERNEL_NET_HOST_HOST_H
#define KERNEL_NET_HOST_HOST_H

#include "kernel/bootconfig.h"

/* tcp_socket.c: makes the boot configuration's listeners (bound and listening host sockets) for
 * tcp_socket_listen to hand out; a listener the host refuses is a panic naming it. */
void host_tcp_prepare_listeners(const struct boot_network *config);
/* tcp_socket.c: after a refresh, connections whose handshake ended learn how. */
void host_tcp_after_refresh(void);

/* Nominal buffer sizes reported to the app (SO_SNDBUF, SO_RCVBUF, poll's nbytes for writes): the
 * host sizes its own buffers per socket and grows them as it likes. */
#define HOST_NOMINAL_BUFFER 65536u

#endif
