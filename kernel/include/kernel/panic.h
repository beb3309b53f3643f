/* Fatal kernel errors: a report on stderr, "exit 250" on the control channel, then power off. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/types.h"

#define EXIT_STATUS_PANIC 250

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
