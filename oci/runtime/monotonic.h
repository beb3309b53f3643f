/*
 * Milliseconds on CLOCK_MONOTONIC: what the runtime's deadlines (a freeze, a hook's timeout, a
 * compile's) and its timings are measured in, unmoved by changes to the wall clock.
 */
#ifndef UNIWASM_RUNTIME_MONOTONIC_H
#define UNIWASM_RUNTIME_MONOTONIC_H

#include <time.h>

static inline long long monotonic_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

#endif
