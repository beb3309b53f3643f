/* Local APIC (interrupt acceptance and EOI) and I/O APIC (routing ISA IRQs to vectors). */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#include "kernel/types.h"

/* Masks the legacy 8259 PICs and enables the local APIC; false when the CPU has none. */
bool apic_init(void);
/* Routes ISA IRQ `irq` (identity-mapped to GSI `irq`, as on QEMU's microvm and q35) to vector
 * 32 + irq on this CPU, edge-triggered; false when no I/O APIC answers at 0xfec00000. */
bool ioapic_route_isa_irq(unsigned irq);
void apic_eoi(void);

#endif
