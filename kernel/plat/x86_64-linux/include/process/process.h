/* What the process platform's files share (kernel/plat/x86_64-linux). */
#ifndef PROCESS_PROCESS_H
#define PROCESS_PROCESS_H

#include "kernel/types.h"

/* The descriptor control lines go to when `uniwasm run` passed a run-time channel (the run file,
 * kernel/README.md "The process platform"); the sandbox lets writes through only to it and 1, 2. */
#define PROCESS_CONTROL_FD 3

/* Exit status of a failure before the kernel started (README.md: uniwasm could not start the app). */
#define PROCESS_START_FAILURE 1

/* "uniwasm: <message>" on stderr and exit_group(PROCESS_START_FAILURE); for start-up failures,
 * before kernel_main (no console formatting needed). */
_Noreturn void process_fail(const char *message, int64_t error);

/* console.c: fd 1, fd 2 and the control descriptor (-1: none, control lines are dropped). */
void process_console_init(int control_fd);

/* console.c, for plat_wait: whether to wait on fd 0, and taking in what arrived there */
bool process_stdin_pollable(void);
void process_stdin_readable(void);

/* memory.c: the memory limit in bytes (kernel pages + committed linear-memory pages). */
void process_memory_init(uint64_t limit_bytes);
/* Counts `bytes` mapped by the platform itself (the run-time config) against the limit. */
void process_memory_account(uint64_t bytes);
uint64_t process_memory_limit(void);

/* time.c */
void process_clock_init(void);

/* signals.c: SIGSEGV/SIGBUS -> kernel_memory_fault, everything else a crash report (status 250),
 * on an alternate signal stack. */
void process_signals_init(void);

/* platform.c: true between plat_app_enter and its return */
bool process_app_running(void);

/* sandbox.c: rlimits, no_new_privs, namespaces where allowed, then the seccomp filter. Writes a
 * short description (for the verbose summary) into `summary`. With `forbidden_call_after` (a test
 * hook only the run-time channel can set), makes a system call outside the allowlist right after
 * the filter is installed, which must kill the process. */
void process_sandbox_install(int control_fd, bool forbidden_call_after, char *summary, size_t size);

#endif
