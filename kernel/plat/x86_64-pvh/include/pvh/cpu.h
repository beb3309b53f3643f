/* Per-CPU setup: descriptor tables with interrupt stacks, and the FPU/SSE/AVX state app code needs. */
#ifndef PVH_CPU_H
#define PVH_CPU_H

#include "kernel/types.h"

/* Interrupt stack table slots (TSS.IST1..7): every vector runs on a known-good stack, so a fault
 * with a broken stack pointer still gets reported and no handler writes below an interrupted
 * function's stack pointer (its red zone). */
enum ist_slot { IST_EXCEPTION = 1, IST_DOUBLE_FAULT = 2, IST_NMI = 3, IST_IRQ = 4 };

#define KERNEL_CODE_SELECTOR 0x08
#define KERNEL_DATA_SELECTOR 0x10
#define TSS_SELECTOR 0x18

void gdt_init(void);
/* Enables x87, SSE (FXSR) and, when present, XSAVE with AVX state; panics if SSE4.2/POPCNT
 * (x86-64-v2, the app code's baseline) are missing. */
void fpu_init(void);
/* The TSC frequency source needs to know; names such as "KVMKVMKVM" or "" on bare metal. */
bool cpu_is_kvm(void);

#endif
