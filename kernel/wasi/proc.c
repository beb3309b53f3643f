#include "kernel/app.h"
#include "wasi.h"

/* Exit statuses are truncated to 8 bits as on POSIX systems: proc_exit(256) exits 0. */
_Noreturn void wasi_proc_exit(uw_vmctx *ctx, int32_t code) {
    (void)ctx;
    app_exit((uint32_t)code & 0xff);
}

/* One thread on one CPU: there is nobody to yield to. */
int32_t wasi_sched_yield(uw_vmctx *ctx) {
    (void)ctx;
    return WASI_ESUCCESS;
}
