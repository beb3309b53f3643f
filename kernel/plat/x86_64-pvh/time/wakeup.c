#include "pvh/clock.h"
#include "kernel/console.h"
#include "pvh/interrupts.h"
#include "pvh/io.h"
#include "pvh/wakeup.h"

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_ADDR_MASK 0xffffff000ull
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)
#define DIVIDE_BY_1 0xb
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
/* The timer's vector sits in the ISA range (32 + 15); ISA IRQ 15 is never routed by the I/O APIC,
 * so the slot is free and the common dispatch sends the EOI. */
#define WAKEUP_IRQ_SLOT 15

enum mode { UNINITIALISED, NONE, TSC_DEADLINE, ONE_SHOT };
static enum mode mode;
static volatile uint32_t *lapic;
static uint64_t lapic_ticks_per_tsc_q32; /* one-shot mode: APIC ticks per TSC tick, 32.32 fixed point */

/* Nothing to do: the interrupt's only job is to end the hlt. */
static void on_wakeup(void) {}

static void setup(void) {
    mode = NONE;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE) || !clock_tsc_hz()) return;
    lapic = (volatile uint32_t *)(uintptr_t)(base & APIC_ADDR_MASK);
    interrupts_set_irq_handler(WAKEUP_IRQ_SLOT, on_wakeup);
    uint32_t vector = VECTOR_IRQ_BASE + WAKEUP_IRQ_SLOT;
    if (cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE) {
        lapic[LAPIC_LVT_TIMER / 4] = LVT_TSC_DEADLINE | vector;
        mode = TSC_DEADLINE;
        console_verbose("wake-up timer: local APIC in TSC-deadline mode");
        return;
    }
    /* measure the APIC timer against the TSC over ~1 ms, masked */
    lapic[LAPIC_TIMER_DIVIDE / 4] = DIVIDE_BY_1;
    lapic[LAPIC_LVT_TIMER / 4] = LVT_MASKED | vector;
    uint64_t span = clock_tsc_hz() / 1000;
    uint64_t t0 = rdtsc();
    lapic[LAPIC_TIMER_INITIAL / 4] = 0xffffffffu;
    while (rdtsc() - t0 < span) __builtin_ia32_pause();
    uint32_t left = lapic[LAPIC_TIMER_CURRENT / 4];
    uint64_t elapsed = rdtsc() - t0;
    lapic[LAPIC_TIMER_INITIAL / 4] = 0;
    uint64_t ticks = 0xffffffffull - left;
    if (!ticks || !elapsed) return;
    lapic_ticks_per_tsc_q32 = (ticks << 32) / elapsed;
    lapic[LAPIC_LVT_TIMER / 4] = vector; /* one-shot, unmasked */
    mode = ONE_SHOT;
    console_verbose("wake-up timer: local APIC one-shot, %llu ticks per 1000 TSC ticks",
                    (unsigned long long)((lapic_ticks_per_tsc_q32 * 1000) >> 32));
}

bool wakeup_arm_tsc(uint64_t tsc) {
    if (mode == UNINITIALISED) setup();
    switch (mode) {
    case TSC_DEADLINE: wrmsr(MSR_TSC_DEADLINE, tsc ? tsc : 1); return true;
    case ONE_SHOT: {
        uint64_t now = rdtsc();
        uint64_t delta = tsc > now ? tsc - now : 1;
        /* long sleeps wake early and re-arm: the 32-bit counter bounds one arming */
        uint64_t ticks = delta > (1ull << 31) ? 0xffffffffull : (delta * lapic_ticks_per_tsc_q32) >> 32;
        if (ticks > 0xffffffffull) ticks = 0xffffffffull;
        lapic[LAPIC_TIMER_INITIAL / 4] = ticks ? (uint32_t)ticks : 1;
        return true;
    }
    default: return false;
    }
}

void wakeup_disarm(void) {
    if (mode == TSC_DEADLINE) wrmsr(MSR_TSC_DEADLINE, 0);
    else if (mode == ONE_SHOT) lapic[LAPIC_TIMER_INITIAL / 4] = 0;
}
