#include "kernel/platform.h"
#include "wasi.h"

enum { CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME = 2, CLOCK_THREAD_CPUTIME = 3 };

/* The kernel runs one app with one thread that owns the CPU: its CPU time is the time since start. */
static bool read_clock(int32_t id, uint64_t *out) {
    switch (id) {
    case CLOCK_REALTIME: *out = plat_clock_realtime_ns(); return true;
    case CLOCK_MONOTONIC:
    case CLOCK_PROCESS_CPUTIME:
    case CLOCK_THREAD_CPUTIME: *out = plat_clock_monotonic_ns(); return true;
    default: return false;
    }
}

int32_t wasi_clock_time_get(uw_vmctx *ctx, int32_t id, int64_t precision, int32_t time_out) {
    (void)precision; /* every read is as precise as the platform's clock allows */
    uint8_t *out = guest_range(ctx, (uint32_t)time_out, 8);
    uint64_t now;
    if (!read_clock(id, &now)) return WASI_EINVAL;
    if (!out) return WASI_EFAULT;
    guest_store_u64(out, now);
    return WASI_ESUCCESS;
}

int32_t wasi_clock_res_get(uw_vmctx *ctx, int32_t id, int32_t res_out) {
    uint8_t *out = guest_range(ctx, (uint32_t)res_out, 8);
    uint64_t ignored;
    if (!read_clock(id, &ignored)) return WASI_EINVAL;
    if (!out) return WASI_EFAULT;
    guest_store_u64(out, plat_clock_resolution_ns());
    return WASI_ESUCCESS;
}
