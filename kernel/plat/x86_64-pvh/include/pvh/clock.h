/*
 * Time: the TSC counts nanoseconds once its frequency is known. The frequency comes from the first
 * source that answers: KVM's pvclock scale (kvm), the hypervisor timing leaf 0x40000010 (cpuid-hv),
 * CPUID leaf 0x15 (cpuid-15), a 10 ms measurement against the i8254 PIT (pit), CPUID leaf 0x16's
 * nominal base frequency (cpuid-16). Wall-clock time is read once from the CMOS RTC at boot.
 */
#ifndef PVH_CLOCK_H
#define PVH_CLOCK_H

#include "kernel/types.h"

/* TSC at the PVH entry point (boot/pvh.S). */
extern uint64_t boot_tsc;

void clock_init(void);
uint64_t clock_tsc_hz(void);
const char *clock_tsc_source(void);
/* The TSC ticks in `ns` nanoseconds. The clocks themselves are platform.h's plat_clock_*:
 * monotonic since the PVH entry, realtime counting from 0 when there is no RTC. */
uint64_t clock_ns_to_tsc(uint64_t ns);

/* Frequency sources, each returning 0 when unavailable. */
uint64_t pvclock_tsc_hz(void);
uint64_t pit_measure_tsc_hz(void);
/* Seconds since the epoch from the CMOS RTC, or -1 when no RTC answers. */
int64_t rtc_read_epoch_seconds(void);

#endif
