/*
 * KVM's paravirtual clock publishes the scale it uses to turn TSC ticks into nanoseconds; inverting
 * it gives the TSC frequency exactly as the host measured it, without waiting on a timer.
 */
#include "pvh/clock.h"
#include "pvh/io.h"

#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)

struct pvclock_vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad[2];
};

static volatile struct pvclock_vcpu_time_info time_info __attribute__((aligned(64)));

uint64_t pvclock_tsc_hz(void) {
    if (!(cpuid(0x40000001, 0).eax & KVM_FEATURE_CLOCKSOURCE2)) return 0;
    wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uint64_t)(uintptr_t)&time_info | 1);
    uint32_t mul = 0;
    int8_t shift = 0;
    for (int tries = 0; tries < 1000; tries++) {
        uint32_t version = time_info.version;
        if (version & 1 || !version) continue; /* being updated, or not yet written */
        mul = time_info.tsc_to_system_mul;
        shift = time_info.tsc_shift;
        if (time_info.version == version) break;
    }
    wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0); /* the TSC is our clock; stop the host's updates */
    if (!mul) return 0;
    /* ns = ticks * 2^shift * mul / 2^32  =>  hz = 10^9 * 2^32 / (mul * 2^shift) */
    uint64_t hz = (1000000000ull << 32) / mul;
    return shift >= 0 ? hz >> shift : hz << -shift;
}
