/*
 * The guest side of the console protocol (kernel/README.md, "Console protocol"): COM1 carries the
 * app's stdout and stdin, COM2 its stderr, COM3 the control channel.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

void console_init(void);
/* Switches stdin and the control channel to interrupt-driven receive (after the IDT and APIC). */
void console_enable_receive(void);

void console_stdout(const void *buf, size_t len);
void console_stderr(const void *buf, size_t len);
void console_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes one control line (a newline is appended). */
void console_control(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes "log <text>" on the control channel when the boot config asked for verbose output. */
void console_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_set_verbose(bool verbose);

/* Copies up to len received stdin bytes; waits (hlt) until at least one byte arrives or the host
 * has signalled end of input. Returns 0 only at end of input. */
size_t console_read_stdin(void *buf, size_t len);

/* True when received stdin bytes are waiting (a read would not block). */
bool console_stdin_available(void);
/* True when the host has ended stdin and every byte has been consumed: a read returns 0. */
bool console_stdin_at_eof(void);

/* Called from the serial interrupt handler. */
void console_receive_interrupt(void);

#endif
