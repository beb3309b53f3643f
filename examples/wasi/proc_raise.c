/* proc_raise is not implemented: there are no signal handlers in WASI preview1 and no other
 * process to signal, so uniwasm answers ENOSYS for every signal and the program goes on (wasmtime
 * traps with "proc_raise unsupported" instead). Signals whose default action would end the
 * program are not tried, so that the program behaves the same under runtimes that do deliver them.
 * Debian's wasi-libc no longer declares proc_raise, hence the import below. */
#include "check.h"

/* wasi_snapshot_preview1's signal enum: urg is 22; the enum ends at sys (30). */
#define SIGNAL_URG 22
#define SIGNAL_OUT_OF_RANGE 200

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) __wasi_errno_t raw_proc_raise(
    uint32_t signal);

int main(void) {
    CHECK_ERRNO(raw_proc_raise(SIGNAL_URG), __WASI_ERRNO_NOSYS, "proc_raise(SIGURG)");
    CHECK_ERRNO(raw_proc_raise(SIGNAL_OUT_OF_RANGE), __WASI_ERRNO_NOSYS, "proc_raise of a signal number past the enum");
    CHECK(1, "the program goes on after proc_raise");
    return check_done();
}
