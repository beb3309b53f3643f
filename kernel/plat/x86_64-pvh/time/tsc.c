#include "kernel/platform.h"
#include "pvh/clock.h"
#include "pvh/cpu.h"
#include "pvh/io.h"
#include "kernel/panic.h"

#define NS_PER_SEC 1000000000ull

static uint64_t tsc_hz;
static const char *tsc_source = "none";
static uint64_t ns_per_tick_q32;  /* nanoseconds per TSC tick, 32.32 fixed point */
static uint64_t realtime_base_ns; /* realtime at boot_tsc */

static uint64_t hypervisor_timing_leaf_hz(void) {
    if (!(cpuid(1, 0).ecx >> 31 & 1)) return 0; /* no hypervisor */
    if (cpuid(0x40000000, 0).eax < 0x40000010) return 0;
    return (uint64_t)cpuid(0x40000010, 0).eax * 1000; /* kHz */
}

static uint64_t cpuid_15_hz(void) {
    if (cpuid(0, 0).eax < 0x15) return 0;
    struct cpuid_regs r = cpuid(0x15, 0);
    if (!r.eax || !r.ebx || !r.ecx) return 0; /* ratio or crystal frequency not enumerated */
    return (uint64_t)r.ecx * r.ebx / r.eax;
}

static uint64_t cpuid_16_hz(void) {
    if (cpuid(0, 0).eax < 0x16) return 0;
    return (uint64_t)(cpuid(0x16, 0).eax & 0xffff) * 1000000;
}

static uint64_t ticks_to_ns(uint64_t ticks) { return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_q32) >> 32); }

void clock_init(void) {
    struct {
        const char *name;
        uint64_t (*measure)(void);
    } sources[] = {
        {"kvm", cpu_is_kvm() ? pvclock_tsc_hz : NULL},
        {"cpuid-hv", hypervisor_timing_leaf_hz},
        {"cpuid-15", cpuid_15_hz},
        {"pit", pit_measure_tsc_hz},
        {"cpuid-16", cpuid_16_hz},
    };
    for (unsigned i = 0; i < ARRAY_LEN(sources) && !tsc_hz; i++) {
        if (!sources[i].measure) continue;
        tsc_hz = sources[i].measure();
        tsc_source = sources[i].name;
    }
    if (tsc_hz < 1000000) panic("clock: cannot determine the TSC frequency (no pvclock, CPUID 0x15/0x16 or PIT)");
    ns_per_tick_q32 = (NS_PER_SEC << 32) / tsc_hz;

    int64_t epoch = rtc_read_epoch_seconds();
    uint64_t since_boot = plat_clock_monotonic_ns();
    if (epoch >= 0) realtime_base_ns = (uint64_t)epoch * NS_PER_SEC - since_boot;
}

uint64_t clock_tsc_hz(void) { return tsc_hz; }
const char *clock_tsc_source(void) { return tsc_source; }

uint64_t clock_ns_to_tsc(uint64_t ns) { return ns / NS_PER_SEC * tsc_hz + ns % NS_PER_SEC * tsc_hz / NS_PER_SEC; }

uint64_t plat_clock_monotonic_ns(void) { return ticks_to_ns(rdtsc() - boot_tsc); }

uint64_t plat_clock_realtime_ns(void) { return realtime_base_ns + plat_clock_monotonic_ns(); }

uint64_t plat_clock_resolution_ns(void) {
    uint64_t ns = NS_PER_SEC / tsc_hz;
    return ns ? ns : 1;
}
