/* poll_oneoff: a relative clock sleeps at least its timeout; absolute ones (realtime and monotonic)
 * fire at their time, and at once when in the past; of several clocks the earliest fires alone; fd_write on stdout and
 * fd_read on a file are ready at once; a closed fd gives an EBADF event; no subscriptions is EINVAL. */
#include "check.h"

static uint64_t now(void) {
    __wasi_timestamp_t t;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int abs) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

int main(void) {
    __wasi_event_t ev[4];
    __wasi_size_t n;
    uint64_t t0 = now();
    __wasi_subscription_t s1 = clock_sub(7, __WASI_CLOCKID_MONOTONIC, 50000000, 0);
    CHECK_ERRNO(__wasi_poll_oneoff(&s1, ev, 1, &n), 0, "poll a relative 50 ms clock");
    uint64_t slept = now() - t0;
    /* on stderr: stdout carries only what can be compared between runtimes */
    fprintf(stderr, "slept %llu ms\n", (unsigned long long)(slept / 1000000));
    CHECK(n == 1 && ev[0].userdata == 7 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0,
          "one clock event with its userdata");
    CHECK(slept >= 50000000 && slept < 2000000000, "slept at least 50 ms (and not forever)");

    __wasi_timestamp_t real;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &real);
    t0 = now();
    __wasi_subscription_t s2 = clock_sub(8, __WASI_CLOCKID_REALTIME, real + 30000000, 1);
    CHECK_ERRNO(__wasi_poll_oneoff(&s2, ev, 1, &n), 0, "poll an absolute realtime clock 30 ms ahead");
    slept = now() - t0;
    CHECK(n == 1 && ev[0].userdata == 8 && slept >= 25000000, "the absolute clock fired at its time");
    /* the absolute clocks below come with a relative 2 s backstop, so that a runtime getting them
     * wrong fails a check instead of sleeping for ever */
    t0 = now();
    __wasi_subscription_t mono[2] = {
        clock_sub(8, __WASI_CLOCKID_MONOTONIC, now() + 30000000, 1),
        clock_sub(99, __WASI_CLOCKID_MONOTONIC, 2000000000, 0),
    };
    CHECK_ERRNO(__wasi_poll_oneoff(mono, ev, 2, &n), 0, "poll an absolute monotonic clock 30 ms ahead");
    slept = now() - t0;
    CHECK(n == 1 && ev[0].userdata == 8 && slept >= 25000000, "the absolute monotonic clock fired at its time");
    __wasi_subscription_t past[2] = {
        clock_sub(9, __WASI_CLOCKID_MONOTONIC, 1, 1),
        clock_sub(99, __WASI_CLOCKID_MONOTONIC, 2000000000, 0),
    };
    CHECK_ERRNO(__wasi_poll_oneoff(past, ev, 2, &n), 0, "poll an absolute time in the past");
    CHECK(n == 1 && ev[0].userdata == 9, "a past deadline fires at once");

    __wasi_subscription_t several[3] = {
        clock_sub(1, __WASI_CLOCKID_MONOTONIC, 400000000, 0),
        clock_sub(2, __WASI_CLOCKID_MONOTONIC, 20000000, 0),
        clock_sub(3, __WASI_CLOCKID_MONOTONIC, 300000000, 0),
    };
    t0 = now();
    CHECK_ERRNO(__wasi_poll_oneoff(several, ev, 3, &n), 0, "poll three clocks");
    slept = now() - t0;
    CHECK(n == 1 && ev[0].userdata == 2, "the earliest (20 ms) fires alone");
    CHECK(slept < 300000000, "without waiting for the later ones");

    __wasi_errno_t err;
    __wasi_fd_t f = open_at(PREOPEN, "data", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &err);
    __wasi_ciovec_t w = {(const uint8_t *)"0123456789", 10};
    (void)__wasi_fd_write(f, &w, 1, &n);
    __wasi_filesize_t pos;
    (void)__wasi_fd_seek(f, 4, __WASI_WHENCE_SET, &pos);
    __wasi_subscription_t mixed[4] = {
        clock_sub(10, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0),
        fd_sub(11, __WASI_EVENTTYPE_FD_WRITE, 1),
        fd_sub(12, __WASI_EVENTTYPE_FD_READ, f),
        fd_sub(13, __WASI_EVENTTYPE_FD_READ, 55),
    };
    t0 = now();
    CHECK_ERRNO(__wasi_poll_oneoff(mixed, ev, 4, &n), 0, "poll stdout, a file, a closed fd and a long clock");
    CHECK(now() - t0 < 1000000000ull, "ready descriptors return at once");
    int saw_out = 0, saw_file = 0, saw_bad = 0, saw_clock = 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        if (ev[i].userdata == 11 && ev[i].error == 0 && ev[i].type == __WASI_EVENTTYPE_FD_WRITE) saw_out = 1;
        if (ev[i].userdata == 12 && ev[i].error == 0 && ev[i].fd_readwrite.nbytes == 6) saw_file = 1;
        if (ev[i].userdata == 13 && ev[i].error == __WASI_ERRNO_BADF) saw_bad = 1;
        if (ev[i].userdata == 10) saw_clock = 1;
    }
    CHECK(n == 3 && saw_out && saw_file && saw_bad && !saw_clock,
          "stdout writable, file readable with 6 bytes left, EBADF for the closed fd");
    CHECK_ERRNO(__wasi_poll_oneoff(mixed, ev, 0, &n), __WASI_ERRNO_INVAL, "no subscriptions");
    CHECK_ERRNO(__wasi_poll_oneoff(mixed, (__wasi_event_t *)0xfffffff0u, 4, &n), __WASI_ERRNO_FAULT,
                "events outside memory");
    return check_done();
}
