/*
 * Formatted kernel messages over the platform's console streams (platform.h, plat_console_write):
 * error text on stderr, control lines (kernel/README.md, "Console protocol") and verbose chatter.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

void console_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes one control line (a newline is appended). */
void console_control(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes "log <text>" on the control channel when the boot config asked for verbose output. */
void console_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_set_verbose(bool verbose);

#endif
