/*
 * The network stack's event loop, as the portable kernel sees it (with tcp_socket.h, udp_socket.h
 * and dns.h: the interface every stack under net/ implements; net/lwip is lwIP on the platform's
 * raw NIC). There is no network thread: whoever waits for the network (a blocking socket call,
 * poll_oneoff) runs net_poll, which moves received frames into the stack and fires its timers,
 * and waits in between (platform.h, plat_wait) until the NIC signals or the next timer is due.
 */
#ifndef KERNEL_NET_NET_H
#define KERNEL_NET_NET_H

#include "kernel/bootconfig.h"

/* Brings up the device and the stack with a static address. Without a config it does nothing
 * (net_available() stays false); a config without a device is a panic naming the fix. */
void net_init(const struct boot_network *config);
bool net_available(void);
/* The configuration net_init was given (present = false when none). */
const struct boot_network *net_config(void);

/* Processes what the device delivered and lwIP's due timers; never blocks. */
void net_poll(void);

/* Polls until ready(arg) holds, halting between polls. With a deadline (monotonic ns, 0 = none)
 * it also returns when that passes; returns ready(arg)'s last value. */
bool net_wait(bool (*ready)(void *arg), void *arg, uint64_t deadline_ns);

/* Waits, until the monotonic time deadline_ns at the latest, for everything the stack has handed to
 * the device to have left it; true when it has. An app that ends right after a send must not lose
 * the datagram to the power-off (QEMU sends a kicked frame later, from its main loop). */
bool net_flush_output(uint64_t deadline_ns);

/* True when the device has delivered something net_poll has not handled yet; call with events
 * held right before plat_wait, so a frame that arrived after the last poll is not slept through. */
bool net_work_pending(void);

/* Monotonic time (ns) of lwIP's next due timer, or UINT64_MAX when none is pending or there is
 * no network: a waiter that halts must wake by then so TCP keeps its timing. */
uint64_t net_next_timer_ns(void);

/* Waits once until an event (device, the stack's timer or `deadline_ns` if nonzero). Events must
 * be held on entry (so the caller's readiness check and the wait cannot race); they are held again
 * on return. */
void net_halt_until_event(uint64_t deadline_ns);

#endif
