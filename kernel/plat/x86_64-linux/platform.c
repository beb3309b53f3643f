/* The process platform's side of platform.h that has no other home: waiting, the app's stack and
 * entering and leaving it, entropy, the end, and the NIC it does not have. */
#include "arch/context.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "process/process.h"
#include "process/sys.h"

_Static_assert(PLATFORM_INTERFACE_VERSION == 4, "kernel/plat/x86_64-linux implements version 4 of platform.h");

/* Below the app stack: large enough that no frame, the kernel's own (built without stack probes)
 * included, can step over it; it costs address space only. */
#define APP_STACK_GUARD GiB(1)

/* Nothing is delivered asynchronously: the only events are input on fd 0, the host sockets a
 * waiter watches and deadlines, all of which plat_wait asks the host about itself, so there is
 * nothing to hold. */
uint64_t plat_events_hold(void) { return 0; }

void plat_events_release(uint64_t held) { (void)held; }

void plat_wait(uint64_t deadline_ns) {
    struct linux_timespec timeout, *limit = NULL;
    if (deadline_ns != PLAT_NO_DEADLINE) {
        uint64_t now = plat_clock_monotonic_ns();
        if (deadline_ns <= now) return;
        uint64_t left = deadline_ns - now;
        timeout.tv_sec = (int64_t)(left / 1000000000ull);
        timeout.tv_nsec = (int64_t)(left % 1000000000ull);
        limit = &timeout;
    }
    process_memory_reclaim_idle();
    /* fd 0 only while a read could bring something new: buffered bytes or the end of input would
     * make ppoll return at once, every time, and the wait a busy loop */
    static struct linux_pollfd fds[1 + PROCESS_SOCKET_LIMIT] LARGE_STATIC;
    uint32_t n = 0;
    bool poll_stdin = process_stdin_pollable();
    if (poll_stdin) fds[n++] = (struct linux_pollfd){.fd = 0, .events = POLLIN};
    uint32_t sockets = process_sock_wait_set(fds + n, PROCESS_SOCKET_LIMIT);
    /* with nothing to watch and no deadline, this sleeps for good, as the VM's hlt would */
    int64_t r = sys4(SYS_ppoll, n + sockets ? (uint64_t)(uintptr_t)fds : 0, n + sockets, (uint64_t)(uintptr_t)limit, 0);
    if (r <= 0) return;
    if (poll_stdin && fds[0].revents) process_stdin_readable();
    process_sock_woken(fds + n, sockets);
}

static struct plat_stack app_stack;

const struct plat_stack *plat_app_stack(void) {
    if (!app_stack.top) {
        uint8_t *region = sys_mmap(NULL, APP_STACK_GUARD + PLAT_APP_STACK_SIZE, PROT_NONE,
                                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
        if (!region) panic("cannot reserve the app stack (%llu MiB)", (unsigned long long)(PLAT_APP_STACK_SIZE >> 20));
        uint64_t low = (uint64_t)(uintptr_t)region + APP_STACK_GUARD;
        if (sys_failed(sys3(SYS_mprotect, low, PLAT_APP_STACK_SIZE, PROT_READ | PROT_WRITE))) {
            panic("cannot map the app stack");
        }
        app_stack = (struct plat_stack){
            .guard_low = (uint64_t)(uintptr_t)region,
            .low = low,
            .top = low + PLAT_APP_STACK_SIZE,
        };
    }
    return &app_stack;
}

static struct saved_context kernel_context;
static bool in_app;

bool process_app_running(void) { return in_app; }

uint64_t plat_app_enter(void (*fn)(void *arg), void *arg) {
    void *top = (void *)(uintptr_t)plat_app_stack()->top;
    in_app = true;
    uint64_t value = context_run_on_stack(&kernel_context, top, fn, arg);
    in_app = false;
    return value;
}

_Noreturn void plat_app_leave(uint64_t value) { context_resume(&kernel_context, value); }

static bool confined;

/* The host's /etc/resolv.conf, read while files may still be opened: the sandbox allows no openat. */
static char resolver_config[PLAT_RESOLVER_CONFIG_MAX] LARGE_STATIC;
static size_t resolver_config_length;

static void read_resolver_config(void) {
    int64_t fd =
        sys4(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t) "/etc/resolv.conf", O_RDONLY | O_CLOEXEC, 0);
    if (sys_failed(fd)) {
        console_verbose("dns: no /etc/resolv.conf (error %lld): names other than numbers and localhost fail",
                        (long long)-fd);
        return;
    }
    /* bounded: at most the buffer's size, and a read that returns nothing or fails ends it */
    while (resolver_config_length < sizeof resolver_config) {
        int64_t n = sys3(SYS_read, (uint64_t)fd, (uint64_t)(uintptr_t)(resolver_config + resolver_config_length),
                         sizeof resolver_config - resolver_config_length);
        if (n == -LINUX_EINTR) continue;
        if (n <= 0) break;
        resolver_config_length += (size_t)n;
    }
    sys1(SYS_close, (uint64_t)fd);
}

size_t plat_resolver_config(const char **text) {
    *text = resolver_config;
    return resolver_config_length;
}

void plat_confine(const struct plat_confinement *c) {
    char summary[160];
    if (c->name_lookup) read_resolver_config();
    process_sandbox_install(process_control_fd(), process_test_calls(), c->network, c->outbound, summary,
                            sizeof summary);
    confined = true;
    console_verbose("sandbox: %s", summary);
}

void plat_app_starting(void) {
    /* the app's first instruction never runs outside the sandbox, whatever kernel_main did */
    if (!confined) panic("the app was about to start before the sandbox was installed");
    console_control("start ns=%llu", (unsigned long long)plat_clock_monotonic_ns());
}

void plat_entropy(void *buf, size_t len) {
    uint8_t *out = buf;
    while (len) {
        int64_t n = sys3(SYS_getrandom, (uint64_t)(uintptr_t)out, len, 0);
        if (n == -LINUX_EINTR) continue;
        if (n <= 0) panic("random_get: getrandom failed (error %lld)", (long long)-n);
        out += n;
        len -= (size_t)n;
    }
}

_Noreturn void plat_exit(uint32_t status) {
    /* the line first: `uniwasm run` tells an exit from a kill (say by the sandbox) by it */
    console_control("exit %u", status);
    for (;;) sys1(SYS_exit_group, status);
}
