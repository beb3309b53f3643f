/*
 * printf-style formatting for kernel messages. Supports %s %c %d %i %u %x %p %% with the length
 * modifiers l and ll, a field width and the 0 flag; nothing else (no floating point: the kernel is
 * built without SSE).
 */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>
#include "kernel/types.h"

/* Formats into buf (always NUL-terminated when size > 0); returns the length that was written. */
size_t format_v(char *buf, size_t size, const char *fmt, va_list ap);
size_t format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
