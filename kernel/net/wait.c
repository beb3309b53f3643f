/* net_wait (net.h): the one waiting loop over whichever stack the platform has; each stack supplies
 * net_poll and net_halt_until_event. */
#include "net.h"

#include "kernel/platform.h"

bool net_wait(bool (*ready)(void *arg), void *arg, uint64_t deadline_ns) {
    for (;;) {
        net_poll();
        if (ready(arg)) break;
        if (deadline_ns && plat_clock_monotonic_ns() >= deadline_ns) break;
        uint64_t held = plat_events_hold();
        net_halt_until_event(deadline_ns);
        plat_events_release(held);
    }
    return ready(arg);
}
