/*
 * Faults as signals. SIGSEGV and SIGBUS go to kernel_memory_fault, which ends the app with "out of
 * bounds memory access" (a linear memory's reservation) or "call stack exhausted" (the app stack's
 * guard) and does not return; any other fault, and those it returns from, is a crash report and
 * status 250, as a CPU exception is in the VM. The handler runs on its own stack (the app stack may
 * be what overflowed) and leaves through plat_app_leave without returning: SA_NODEFER keeps the
 * signal unblocked afterwards, since no sigreturn restores the mask. As a pid namespace's init, the
 * process also handles the signals that ask it to stop (handle_stop_requests_as_init).
 */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "process/process.h"
#include "process/sys.h"

#define SIGNAL_STACK_SIZE KiB(64)

extern char __app_text_start[], __app_text_end[];
void process_signal_restorer(void);

static const char *code_owner(uint64_t rip) {
    if (rip >= (uint64_t)(uintptr_t)__kernel_text_start && rip < (uint64_t)(uintptr_t)__kernel_text_end)
        return "kernel";
    if (rip >= (uint64_t)(uintptr_t)__app_text_start && rip < (uint64_t)(uintptr_t)__app_text_end) return "app";
    return "unknown";
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (invalid memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic exception)";
    case SIGILL: return "SIGILL (invalid opcode)";
    case SIGTRAP: return "SIGTRAP (breakpoint)";
    default: return "signal";
    }
}

static bool reporting;

static void on_fault(int sig, struct linux_siginfo *si, void *context) {
    const struct linux_ucontext *uc = context;
    uint64_t rip = uc->gregs[GREG_RIP];
    if (reporting) sys1(SYS_exit_group, EXIT_STATUS_PANIC); /* faulted while reporting: just stop */
    if ((sig == SIGSEGV || sig == SIGBUS) && process_app_running()) kernel_memory_fault(si->addr, rip);
    reporting = true;
    const uint64_t *g = uc->gregs;
    console_errorf("kernel panic: %s (signal %d, code %d) at RIP 0x%llx in %s code\n", signal_name(sig), sig, si->code,
                   (unsigned long long)rip, code_owner(rip));
    console_errorf("  ADDR=%016llx RFLAGS=%016llx\n", (unsigned long long)si->addr, (unsigned long long)g[GREG_EFL]);
    console_errorf("  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n", (unsigned long long)g[GREG_RAX],
                   (unsigned long long)g[GREG_RBX], (unsigned long long)g[GREG_RCX], (unsigned long long)g[GREG_RDX]);
    console_errorf("  RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n", (unsigned long long)g[GREG_RSI],
                   (unsigned long long)g[GREG_RDI], (unsigned long long)g[GREG_RBP], (unsigned long long)g[GREG_RSP]);
    console_errorf("  R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n", (unsigned long long)g[GREG_R8],
                   (unsigned long long)g[GREG_R9], (unsigned long long)g[GREG_R10], (unsigned long long)g[GREG_R11]);
    console_errorf("  R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n", (unsigned long long)g[GREG_R12],
                   (unsigned long long)g[GREG_R13], (unsigned long long)g[GREG_R14], (unsigned long long)g[GREG_R15]);
    plat_exit(EXIT_STATUS_PANIC);
}

/* The first process of a pid namespace (a container's, as uniwasm-runtime or runc starts it) gets
 * no signal whose action is the default, SIGKILL apart: `ctr task kill` and `docker stop` (SIGTERM)
 * would do nothing. There, the signals that ask a process to stop end it with 128 + N, the status
 * containerd and shells give a process killed by N. Elsewhere their default action does the same. */
static void on_stop_request(int sig) { sys1(SYS_exit_group, 128 + (uint64_t)sig); }

static void handle_stop_requests_as_init(void) {
    if (sys0(SYS_getpid) != 1) return;
    struct linux_sigaction sa = {
        .handler = (void *)on_stop_request,
        .flags = SA_ONSTACK | SA_RESTORER,
        .restorer = process_signal_restorer,
        .mask = 0,
    };
    static const int stops[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    for (size_t i = 0; i < ARRAY_LEN(stops); i++) {
        int64_t r = sys4(SYS_rt_sigaction, (uint64_t)stops[i], (uint64_t)(uintptr_t)&sa, 0, sizeof sa.mask);
        if (sys_failed(r)) process_fail("rt_sigaction failed", r);
    }
}

void process_signals_init(void) {
    void *stack = sys_mmap(NULL, SIGNAL_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (!stack) process_fail("cannot map the signal stack", 0);
    struct linux_stack ss = {.sp = stack, .flags = 0, .size = SIGNAL_STACK_SIZE};
    int64_t r = sys2(SYS_sigaltstack, (uint64_t)(uintptr_t)&ss, 0);
    if (sys_failed(r)) process_fail("sigaltstack failed", r);
    struct linux_sigaction sa = {
        .handler = (void *)on_fault,
        .flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_NODEFER,
        .restorer = process_signal_restorer,
        .mask = 0,
    };
    static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
    for (size_t i = 0; i < ARRAY_LEN(faults); i++) {
        r = sys4(SYS_rt_sigaction, (uint64_t)faults[i], (uint64_t)(uintptr_t)&sa, 0, sizeof sa.mask);
        if (sys_failed(r)) process_fail("rt_sigaction failed", r);
    }
    handle_stop_requests_as_init();
}
