#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "pvh/app.h"
#include "pvh/interrupts.h"
#include "pvh/io.h"

extern char __app_text_start[], __app_text_end[];
extern char boot_stack_guard[];

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved",
    "x87 floating-point exception",
    "alignment check",
    "machine check",
    "SIMD floating-point exception",
    "virtualization exception",
    "control protection exception",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection exception",
    "VMM communication exception",
    "security exception",
    "reserved",
};

static const char *code_owner(uint64_t rip) {
    if (rip >= (uint64_t)(uintptr_t)__kernel_text_start && rip < (uint64_t)(uintptr_t)__kernel_text_end)
        return "kernel";
    if (rip >= (uint64_t)(uintptr_t)__app_text_start && rip < (uint64_t)(uintptr_t)__app_text_end) return "app";
    return "unknown";
}

static bool reporting;

_Noreturn static void report_and_halt(const struct trap_frame *f, uint64_t cr2) {
    if (reporting) plat_exit(EXIT_STATUS_PANIC); /* faulted while reporting: just stop */
    reporting = true;
    const char *extra = "";
    uint64_t guard = (uint64_t)(uintptr_t)boot_stack_guard;
    if (f->vector == VECTOR_PAGE_FAULT && cr2 >= guard && cr2 < guard + 4096) extra = " (kernel stack overflow)";
    if (f->vector == VECTOR_PAGE_FAULT && cr2 < 4096) extra = " (null pointer)";
    console_errorf("kernel panic: %s%s (vector %llu, error code 0x%llx) at RIP 0x%llx in %s code\n",
                   exception_names[f->vector], extra, (unsigned long long)f->vector, (unsigned long long)f->error_code,
                   (unsigned long long)f->rip, code_owner(f->rip));
    console_errorf("  CR2=%016llx RFLAGS=%016llx CS=%llx SS=%llx\n", (unsigned long long)cr2,
                   (unsigned long long)f->rflags, (unsigned long long)f->cs, (unsigned long long)f->ss);
    console_errorf("  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n", (unsigned long long)f->rax,
                   (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    console_errorf("  RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n", (unsigned long long)f->rsi,
                   (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->rsp);
    console_errorf("  R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n", (unsigned long long)f->r8,
                   (unsigned long long)f->r9, (unsigned long long)f->r10, (unsigned long long)f->r11);
    console_errorf("  R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n", (unsigned long long)f->r12,
                   (unsigned long long)f->r13, (unsigned long long)f->r14, (unsigned long long)f->r15);
    plat_exit(EXIT_STATUS_PANIC);
}

void exception_handle(struct trap_frame *frame) {
    uint64_t cr2 = frame->vector == VECTOR_PAGE_FAULT ? read_cr2() : 0;
    if (frame->vector == VECTOR_PAGE_FAULT && !reporting) {
        if (app_stack_demand_fault(cr2, frame->error_code)) return; /* retried on the new page */
        kernel_memory_fault(cr2, frame->rip);                       /* returns when the fault is not the app's */
    }
    report_and_halt(frame, cr2);
}
