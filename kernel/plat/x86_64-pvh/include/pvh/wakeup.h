/*
 * A one-shot wake-up interrupt for sleeping with hlt: the local APIC timer in TSC-deadline mode
 * when the CPU has it, else in one-shot mode with its rate measured against the TSC once.
 */
#ifndef PVH_WAKEUP_H
#define PVH_WAKEUP_H

#include "kernel/types.h"

/* Arms the timer to interrupt at or soon after TSC value `tsc` (replacing any earlier arming);
 * false when there is no usable local APIC (callers then poll). */
bool wakeup_arm_tsc(uint64_t tsc);
void wakeup_disarm(void);

#endif
