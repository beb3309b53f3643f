/*
 * The host-socket stack's event loop (net.h) for a platform whose host has sockets of its own (the
 * Linux process): no frames, no timers, no TCP state here; the host's kernel does all of that.
 * Polling is asking the host which sockets are ready (plat_sock_refresh), waiting is plat_wait on
 * the sockets a waiter found not ready (plat_sock_watch), besides stdin and the deadline.
 */
#include "net.h"

#include "host.h"
#include "kernel/console.h"
#include "kernel/platform.h"

static bool up;
static struct boot_network active;

void net_init(const struct boot_network *config) {
    if (!config || !config->present) return;
    active = *config;
    up = true;
    /* the listeners exist before plat_confine: the sandbox then need not allow socket, bind or listen */
    host_tcp_prepare_listeners(config);
    console_verbose("net: host sockets, %u pre-opened listeners", config->listener_count);
}

bool net_available(void) { return up; }

const struct boot_network *net_config(void) { return &active; }

void net_poll(void) {
    if (!up) return;
    plat_sock_refresh();
    host_tcp_after_refresh();
}

bool net_work_pending(void) { return false; }

uint64_t net_next_timer_ns(void) { return UINT64_MAX; }

void net_halt_until_event(uint64_t deadline_ns) {
    if (deadline_ns && deadline_ns <= plat_clock_monotonic_ns()) return;
    plat_wait(deadline_ns ? deadline_ns : PLAT_NO_DEADLINE);
}

/* What the stack sends is the host's to deliver once handed over: nothing is queued here. */
bool net_flush_output(uint64_t deadline_ns) {
    (void)deadline_ns;
    return true;
}
