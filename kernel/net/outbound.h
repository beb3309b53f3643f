/*
 * The outbound policy: which destinations the app may send to first (TCP connect, UDP connect and
 * send_to) and whether it may ask the DNS server. The rules come from the boot configuration's
 * network section (--allow-outbound, --inherit-network, --allow-ip-name-lookup); without any,
 * nothing goes out. Inbound traffic is not its business: accepted connections and replies to the
 * senders of received datagrams are always allowed.
 *
 * The host's own addresses are reached only through a rule naming one exactly (a /32): 0.0.0.0/8
 * and 127.0.0.0/8 always (a host socket reaches the host's loopback there), and on QEMU's user
 * network (BOOTCONFIG_NET_SUBNET_IS_HOST) every address of the guest's subnet but its own, which
 * QEMU translates to the host's loopback (10.0.2.2, the DNS forwarder 10.0.2.3, the broadcast
 * address). A wildcard such as 0.0.0.0/0 therefore never opens the host's loopback services.
 *
 * Plain logic over the boot configuration, no lwIP: every way of running the kernel applies the
 * same rules. A refusal is WASI_EACCES, as wasmtime's socket address check denies.
 */
#ifndef KERNEL_NET_OUTBOUND_H
#define KERNEL_NET_OUTBOUND_H

#include "kernel/bootconfig.h"

/* How many distinct senders of received datagrams are remembered for replies (the most recent). */
#define OUTBOUND_REPLY_PEERS 128

/* Takes the rules of the network the kernel was started with (NULL or not present: none). */
void outbound_configure(const struct boot_network *config);
/* 0 when the app may send to address:port (wire-order address, host-order port) first or in
 * reply, else WASI_EACCES. */
int32_t outbound_check(const uint8_t address[4], uint16_t port);
/* Whether the rules allow anything at all (a destination or name lookups): the app may then open
 * sockets of its own (platform.h, struct plat_confinement). */
bool outbound_any(void);
/* Whether the app may have names looked up by the DNS server. */
bool outbound_name_lookup_allowed(void);
/* The app received a datagram from address:port: it may reply there. */
void outbound_note_peer(const uint8_t address[4], uint16_t port);

#endif
