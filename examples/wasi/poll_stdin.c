/* poll_oneoff on stdin together with a 10 s clock: with input waiting the fd_read event comes
 * first (then the line is read and echoed); at end of input it comes with the hang-up flag. */
#include "check.h"

int main(void) {
    __wasi_subscription_t subs[2];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = 0;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[1].u.u.clock.timeout = 10000000000ull;
    __wasi_event_t ev[2];
    __wasi_size_t n;
    CHECK_ERRNO(__wasi_poll_oneoff(subs, ev, 2, &n), 0, "poll stdin and a 10 s clock");
    CHECK(n == 1 && ev[0].userdata == 1 && ev[0].error == 0, "stdin is ready before the clock");
    int hangup = ev[0].fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP;
    printf("stdin %s\n", hangup ? "ended" : "has data");
    if (!hangup) {
        char line[128];
        if (fgets(line, sizeof line, stdin)) printf("read: %s", line);
    }
    return check_done();
}
