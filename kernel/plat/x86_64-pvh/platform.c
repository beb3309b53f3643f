/* The x86-64 PVH platform's side of platform.h that has no other home: waiting for events with
 * hlt, and entering and leaving the app. */
#include "kernel/console.h"
#include "kernel/platform.h"
#include "pvh/app.h"
#include "pvh/clock.h"
#include "pvh/io.h"
#include "pvh/wakeup.h"

_Static_assert(
    PLATFORM_INTERFACE_VERSION == 4,
    "kernel/plat/x86_64-pvh implements version 4 of platform.h (not its host sockets: its stack is net/lwip)");

uint64_t plat_events_hold(void) { return irq_save(); }

void plat_events_release(uint64_t held) { irq_restore(held); }

void plat_wait(uint64_t deadline_ns) {
    if (deadline_ns != PLAT_NO_DEADLINE) {
        uint64_t now = plat_clock_monotonic_ns();
        if (deadline_ns <= now) return;
        if (!wakeup_arm_tsc(rdtsc() + clock_ns_to_tsc(deadline_ns - now))) {
            __builtin_ia32_pause(); /* no usable timer: the caller's loop polls */
            return;
        }
    }
    /* sti takes effect after the hlt begins, so an interrupt pending since the caller's check
     * still ends the halt */
    irq_enable_and_halt();
    irq_disable();
    /* woken by something else: a timer left armed would only cut a later wait short */
    if (deadline_ns != PLAT_NO_DEADLINE && plat_clock_monotonic_ns() < deadline_ns) wakeup_disarm();
}

static struct saved_context kernel_context;
static bool in_app;

bool pvh_app_running(void) { return in_app; }

uint64_t plat_app_enter(void (*fn)(void *arg), void *arg) {
    in_app = true;
    uint64_t value = context_run_on_stack(&kernel_context, (void *)(uintptr_t)plat_app_stack()->top, fn, arg);
    in_app = false;
    irq_enable(); /* a fault handler may have resumed us with interrupts off */
    return value;
}

_Noreturn void plat_app_leave(uint64_t value) { context_resume(&kernel_context, value); }

void plat_app_starting(void) {
    console_control("start tsc=%llu tsc_hz=%llu", (unsigned long long)rdtsc(), (unsigned long long)clock_tsc_hz());
}

/* The VM is the confinement: the app shares the machine with nothing but the kernel. */
void plat_confine(const struct plat_confinement *c) { (void)c; }
