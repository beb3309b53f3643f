/* platform.h's clocks from clock_gettime (a system call: the vDSO would need its ELF parsed, and
 * the sandbox allows the call). */
#include "kernel/platform.h"
#include "process/process.h"
#include "process/sys.h"

static uint64_t start_ns, resolution_ns = 1;

static uint64_t read_clock(int clock) {
    struct linux_timespec ts;
    if (sys_failed(sys2(SYS_clock_gettime, (uint64_t)clock, (uint64_t)(uintptr_t)&ts))) return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void process_clock_init(void) {
    start_ns = read_clock(CLOCK_MONOTONIC);
    /* read once before the sandbox, which does not allow clock_getres */
    struct linux_timespec res;
    if (!sys_failed(sys2(SYS_clock_getres, CLOCK_MONOTONIC, (uint64_t)(uintptr_t)&res))) {
        uint64_t ns = (uint64_t)res.tv_sec * 1000000000ull + (uint64_t)res.tv_nsec;
        if (ns) resolution_ns = ns;
    }
}

uint64_t plat_clock_monotonic_ns(void) { return read_clock(CLOCK_MONOTONIC) - start_ns; }

uint64_t plat_clock_realtime_ns(void) { return read_clock(CLOCK_REALTIME); }

uint64_t plat_clock_resolution_ns(void) { return resolution_ns; }
