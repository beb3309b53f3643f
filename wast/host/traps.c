/*
 * Traps on Linux. Each call into Wasm runs on a stack of its own with an inaccessible guard region
 * below it. Explicit traps (uw_trap -> uw_platform_trap) and faults classified by the SIGSEGV/SIGBUS
 * handler both leave the call with siglongjmp back to uwh_run_protected. A fault that is neither in
 * a linear-memory reservation nor in the stack guard is a bug (in the compiler or here): the host
 * prints a crash report and exits, and the Java runner restarts it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "host.h"

/* Large enough that a frame of compiled code without stack probes cannot jump over it. */
#define GUARD_BYTES (1u << 20)
#define ALT_STACK_BYTES (256u << 10)
#define CRASH_EXIT_STATUS 70

static uintptr_t guard_start, guard_end; /* [guard_start, guard_end): PROT_NONE */
static uint8_t *stack_top;

static sigjmp_buf *active_call; /* non-NULL while Wasm code runs */
static volatile uint32_t pending_trap;

static void write_str(const char *s) {
    ssize_t ignored = write(STDERR_FILENO, s, strlen(s));
    (void)ignored;
}

static void write_hex(uint64_t v) {
    char text[19] = "0x";
    for (int i = 0; i < 16; i++) text[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    text[18] = 0;
    write_str(text);
}

/* Names the shared object and nearest symbol of a code address; best effort, we are dying anyway. */
static void describe_code_address(uintptr_t pc) {
    Dl_info info;
    if (dladdr((void *)pc, &info) && info.dli_fname) {
        write_str(" in ");
        write_str(info.dli_fname);
        if (info.dli_sname) {
            write_str(" (");
            write_str(info.dli_sname);
            write_str("+");
            write_hex(pc - (uintptr_t)info.dli_saddr);
            write_str(")");
        }
        write_str(" at offset ");
        write_hex(pc - (uintptr_t)info.dli_fbase);
    }
}

static _Noreturn void crash(int sig, siginfo_t *si, ucontext_t *uc) {
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    write_str("uwhost: crash: ");
    write_str(strsignal(sig));
    write_str(" (signal code ");
    write_hex((uint64_t)si->si_code);
    write_str(") at address ");
    write_hex((uintptr_t)si->si_addr);
    write_str(", pc ");
    write_hex(pc);
    describe_code_address(pc);
    write_str(", sp ");
    write_hex(sp);
    write_str(active_call ? ", inside a Wasm call\n" : ", outside any Wasm call\n");
    _exit(CRASH_EXIT_STATUS);
}

static void on_fault(int sig, siginfo_t *si, void *context) {
    uintptr_t addr = (uintptr_t)si->si_addr;
    if (active_call && (sig == SIGSEGV || sig == SIGBUS)) {
        if (uwh_in_memory_reservation(addr)) {
            pending_trap = UW_TRAP_MEMORY_OOB;
            siglongjmp(*active_call, 1);
        }
        if (addr >= guard_start && addr < guard_end) {
            pending_trap = UW_TRAP_STACK_EXHAUSTED;
            siglongjmp(*active_call, 1);
        }
    }
    crash(sig, si, (ucontext_t *)context);
}

_Noreturn void uw_platform_trap(uw_vmctx *ctx, uint32_t code) {
    (void)ctx;
    if (!active_call) {
        fprintf(stderr, "uwhost: crash: trap \"%s\" outside any Wasm call\n", uw_trap_message(code));
        _exit(CRASH_EXIT_STATUS);
    }
    pending_trap = code;
    siglongjmp(*active_call, 1);
}

void uwh_traps_init(size_t stack_bytes) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stack_bytes = (stack_bytes + page - 1) & ~(page - 1);
    uint8_t *region =
        mmap(NULL, GUARD_BYTES + stack_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED || mprotect(region + GUARD_BYTES, stack_bytes, PROT_READ | PROT_WRITE) != 0) {
        perror("uwhost: cannot map the Wasm stack");
        exit(2);
    }
    guard_start = (uintptr_t)region;
    guard_end = guard_start + GUARD_BYTES;
    stack_top = region + GUARD_BYTES + stack_bytes;

    stack_t alt = {.ss_sp = malloc(ALT_STACK_BYTES), .ss_size = ALT_STACK_BYTES};
    if (!alt.ss_sp || sigaltstack(&alt, NULL) != 0) {
        perror("uwhost: cannot install the signal stack");
        exit(2);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &sa, NULL) != 0) {
            perror("uwhost: sigaction");
            exit(2);
        }
    }
}

uint32_t uwh_run_protected(void (*fn)(void *), void *arg) {
    sigjmp_buf jump;
    if (sigsetjmp(jump, 1)) {
        active_call = NULL;
        return pending_trap;
    }
    active_call = &jump;
    uwh_call_on_stack(stack_top, fn, arg);
    active_call = NULL;
    return 0;
}
