#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/platform.h"

static bool verbose;

void console_set_verbose(bool on) { verbose = on; }

void console_errorf(const char *fmt, ...) {
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_v(line, sizeof line, fmt, ap);
    va_end(ap);
    plat_console_write(PLAT_STDERR, line, n);
}

static void control_write_line(const char *fmt, va_list ap, const char *prefix) {
    char line[256];
    size_t n = format(line, sizeof line, "%s", prefix);
    n += format_v(line + n, sizeof line - n - 1, fmt, ap);
    line[n++] = '\n';
    plat_console_write(PLAT_CONTROL, line, n);
}

void console_control(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    control_write_line(fmt, ap, "");
    va_end(ap);
}

void console_verbose(const char *fmt, ...) {
    if (!verbose) return;
    va_list ap;
    va_start(ap, fmt);
    control_write_line(fmt, ap, "log ");
    va_end(ap);
}
