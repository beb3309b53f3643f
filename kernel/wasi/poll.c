/*
 * poll_oneoff: clock subscriptions (relative or absolute, on any clock, several at once) and
 * fd_read / fd_write subscriptions. Files and stdout/stderr are always ready; stdin is ready when
 * bytes have arrived or input has ended. With nothing ready the kernel waits (platform.h, plat_wait)
 * until the earliest deadline or an event, never spinning.
 */
#include "kernel/heap.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "../net/net.h"
#include "fdtable.h"
#include "wasi.h"

#define SUBSCRIPTION_SIZE                                                                                           \
    48 /* u64 userdata; u8 tag @8; clock: u32 id @16, u64 timeout @24, u64 precision @32, u16 flags @40; fd: u32 fd \
          @16 */
#define EVENT_SIZE 32 /* u64 userdata; u16 error @8; u8 type @10; u64 nbytes @16; u16 flags @24 */
#define EVENTTYPE_CLOCK 0
#define EVENTTYPE_FD_READ 1
#define EVENTTYPE_FD_WRITE 2
#define SUBCLOCK_ABSTIME 0x1
#define EVENT_FD_READWRITE_HANGUP 0x1
#define CLOCK_REALTIME 0
#define CLOCK_THREAD_CPUTIME 3
#define NO_DEADLINE PLAT_NO_DEADLINE

/* The monotonic time at which a clock subscription fires. */
static uint64_t clock_deadline(const uint8_t *sub, uint64_t now) {
    uint32_t id = guest_load_u32(sub + 16);
    uint64_t timeout;
    __builtin_memcpy(&timeout, sub + 24, 8);
    uint16_t flags = (uint16_t)(sub[40] | sub[41] << 8);
    if (!(flags & SUBCLOCK_ABSTIME)) return timeout > NO_DEADLINE - now ? NO_DEADLINE - 1 : now + timeout;
    /* absolute: realtime deadlines are moved onto the monotonic clock; the others are monotonic */
    uint64_t base = id == CLOCK_REALTIME ? plat_clock_realtime_ns() : now;
    if (timeout <= base) return now;
    uint64_t wait = timeout - base;
    return wait > NO_DEADLINE - now ? NO_DEADLINE - 1 : now + wait;
}

static void put_event(uint8_t *ev, const uint8_t *sub, uint16_t error, uint8_t type, uint64_t nbytes, uint16_t flags) {
    memset(ev, 0, EVENT_SIZE);
    memcpy(ev, sub, 8);
    ev[8] = (uint8_t)error;
    ev[9] = (uint8_t)(error >> 8);
    ev[10] = type;
    guest_store_u64(ev + 16, nbytes);
    ev[24] = (uint8_t)flags;
}

/* Fills events for every ready subscription; returns their count, and the earliest pending
 * deadline in *next. */
static uint32_t collect(const uint8_t *subs, uint32_t n, uint8_t *events, const uint64_t *deadlines, uint64_t now,
                        uint64_t *next, bool *waits_for_event) {
    uint32_t ready = 0;
    *next = NO_DEADLINE;
    *waits_for_event = false;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *sub = subs + (uint64_t)i * SUBSCRIPTION_SIZE;
        uint8_t tag = sub[8];
        uint8_t *ev = events + (uint64_t)ready * EVENT_SIZE;
        if (tag == EVENTTYPE_CLOCK) {
            uint32_t id = guest_load_u32(sub + 16);
            if (id > CLOCK_THREAD_CPUTIME) {
                put_event(ev, sub, WASI_EINVAL, tag, 0, 0);
                ready++;
            } else if (deadlines[i] <= now) {
                put_event(ev, sub, 0, tag, 0, 0);
                ready++;
            } else if (deadlines[i] < *next) {
                *next = deadlines[i];
            }
            continue;
        }
        if (tag != EVENTTYPE_FD_READ && tag != EVENTTYPE_FD_WRITE) {
            put_event(ev, sub, WASI_EINVAL, tag, 0, 0);
            ready++;
            continue;
        }
        int32_t fd = (int32_t)guest_load_u32(sub + 16);
        struct fd_entry *e = fd_get(fd);
        uint64_t need = tag == EVENTTYPE_FD_READ ? RIGHT_FD_READ : RIGHT_FD_WRITE;
        int32_t err = WASI_EBADF;
        bool is_ready = false;
        struct fd_readiness r = {0};
        if (e && (e->rights_base & (need | RIGHT_POLL_FD_READWRITE)) && e->ops->poll) {
            err = e->ops->poll(e, tag == EVENTTYPE_FD_READ, &is_ready, &r);
        }
        if (err) {
            put_event(ev, sub, (uint16_t)err, tag, 0, 0);
            ready++;
        } else if (is_ready) {
            put_event(ev, sub, 0, tag, r.nbytes, r.hangup ? EVENT_FD_READWRITE_HANGUP : 0);
            ready++;
        } else {
            *waits_for_event = true;
        }
    }
    return ready;
}

/* Room for n deadlines. A server polls all its connections on every call, so the buffer only
 * grows (to the largest n seen, doubling): no allocation per call once it has reached its peak.
 * poll_oneoff is never re-entered (interrupt handlers do not call it), so one buffer serves. */
static uint64_t *deadline_buffer(uint32_t n) {
    static uint64_t small[16];
    static uint64_t *buffer = small;
    static uint32_t capacity = 16;
    if (n <= capacity) return buffer;
    uint32_t grown = capacity;
    while (grown < n) grown = grown > UINT32_MAX / 2 ? n : grown * 2;
    uint64_t *bigger = heap_alloc(sizeof(uint64_t) * (uint64_t)grown);
    if (!bigger) return NULL;
    if (buffer != small) heap_free(buffer);
    buffer = bigger;
    capacity = grown;
    return buffer;
}

int32_t wasi_poll_oneoff(uw_vmctx *ctx, int32_t in, int32_t out, int32_t nsubscriptions, int32_t nevents_out) {
    uint32_t n = (uint32_t)nsubscriptions;
    if (!n) return WASI_EINVAL;
    const uint8_t *subs = guest_range(ctx, (uint32_t)in, (uint64_t)n * SUBSCRIPTION_SIZE);
    uint8_t *events = guest_range(ctx, (uint32_t)out, (uint64_t)n * EVENT_SIZE);
    uint8_t *count = guest_range(ctx, (uint32_t)nevents_out, 4);
    if (!subs || !events || !count) return WASI_EFAULT;
    /* deadlines are fixed once, from one reading of the clock */
    uint64_t *deadlines = deadline_buffer(n);
    if (!deadlines) return WASI_ENOMEM;
    uint64_t start = plat_clock_monotonic_ns();
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *sub = subs + (uint64_t)i * SUBSCRIPTION_SIZE;
        deadlines[i] = sub[8] == EVENTTYPE_CLOCK ? clock_deadline(sub, start) : 0;
    }
    uint32_t ready;
    for (;;) {
        net_poll(); /* received frames and lwIP's timers, before sockets are looked at */
        uint64_t now = plat_clock_monotonic_ns(), next;
        bool event_wait;
        /* events stay held from the check to the wait, so none is lost in between */
        uint64_t held = plat_events_hold();
        ready = collect(subs, n, events, deadlines, now, &next, &event_wait);
        if (ready || (next == NO_DEADLINE && !event_wait)) {
            plat_events_release(held);
            break;
        }
        if (net_work_pending()) { /* a frame arrived since net_poll: handle it before sleeping */
            plat_events_release(held);
            continue;
        }
        /* the network stack's timers (retransmissions, delayed ACKs) must run while the app waits */
        uint64_t net_timer = net_next_timer_ns();
        if (net_timer < next) next = net_timer > now ? net_timer : now;
        plat_wait(next);
        plat_events_release(held);
    }
    guest_store_u32(count, ready);
    return WASI_ESUCCESS;
}
