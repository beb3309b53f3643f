#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/platform.h"

_Noreturn void panic(const char *fmt, ...) {
    plat_events_hold(); /* no handler may run, or write, during the report */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    format_v(msg, sizeof msg, fmt, ap);
    va_end(ap);
    console_errorf("kernel panic: %s\n", msg);
    plat_exit(EXIT_STATUS_PANIC);
}
