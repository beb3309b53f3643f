/* What the process platform's files share (kernel/plat/x86_64-linux). */
#ifndef PROCESS_PROCESS_H
#define PROCESS_PROCESS_H

#include "kernel/types.h"

struct linux_pollfd;

/* The descriptor control lines go to when `uniwasm run` passed a run-time channel (the run file,
 * kernel/README.md "The process platform"); the sandbox lets writes through only to it and 1, 2. */
#define PROCESS_CONTROL_FD 3

/* The first descriptor a host socket can get: after stdio, the control descriptor (when `uniwasm
 * run` passed one) and the image's (when found). */
int process_first_socket_fd(void);
/* How many host sockets may be open at once (RLIMIT_NOFILE leaves room for them and no more). */
#define PROCESS_SOCKET_LIMIT 1024u

/* hostsock.c, for plat_wait: the watched sockets as pollfds into `fds`
 * (room for `room`); returns how many it added. process_sock_woken takes ppoll's answer. */
uint32_t process_sock_wait_set(struct linux_pollfd *fds, uint32_t room);
void process_sock_woken(const struct linux_pollfd *fds, uint32_t count);

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
/* memory.c, told by image.c: [start, start + bytes) of a linear memory is the executable's,
 * copy-on-write, so idle reclaim leaves it alone. */
void process_memory_mapped_from_image(uint64_t start, uint64_t bytes);
/* memory.c, for plat_wait and a blocking read of stdin (console.c), before a wait that may block:
 * idle reclaim of the pages committed since the last one. */
void process_memory_reclaim_idle(void);

/* time.c */
void process_clock_init(void);

/* signals.c: SIGSEGV/SIGBUS -> kernel_memory_fault, everything else a crash report (status 250),
 * on an alternate signal stack. */
void process_signals_init(void);

/* platform.c: true between plat_app_enter and its return */
bool process_app_running(void);

/* sandbox.c: rlimits, no_new_privs, namespaces where allowed, then the seccomp filter, whose
 * socket lines depend on `network` and `outbound` (platform.h, struct plat_confinement). Writes a
 * short description (for the verbose log) into `summary`. `test_calls` (test hooks only the
 * run-time channel can set) makes the named system calls right after the filter is installed. */
#define PROCESS_TEST_FORBIDDEN_CALL 0x1 /* openat, which no filter allows */
#define PROCESS_TEST_SOCKET_CALL 0x2    /* socket(AF_INET, SOCK_STREAM), which only outbound permission allows */
void process_sandbox_install(int control_fd, uint32_t test_calls, bool network, bool outbound, char *summary,
                             size_t size);
/* image.c: the executable's own file for plat_memory_map_image. process_image_find (first thing at
 * start; execfn is AT_EXECFN) opens it where it can, parked on a high descriptor;
 * process_image_place moves it to `slot` once the start's other descriptors have theirs and returns
 * that, or -1 when there is none. process_image_fd: its descriptor, or -1. */
void process_image_find(const char *execfn);
int process_image_place(int slot);
int process_image_fd(void);

/* main.c: what process_main learnt for plat_confine */
int process_control_fd(void);
uint32_t process_test_calls(void);

#endif
