#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/io.h"
#include "kernel/power.h"

_Noreturn void panic(const char *fmt, ...) {
    irq_disable();
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    format_v(msg, sizeof msg, fmt, ap);
    va_end(ap);
    console_errorf("kernel panic: %s\n", msg);
    power_off(EXIT_STATUS_PANIC);
}
