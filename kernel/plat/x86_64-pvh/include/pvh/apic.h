/* Local APIC (interrupt acceptance and EOI) and I/O APIC (routing ISA IRQs to vectors). */
#ifndef PVH_APIC_H
#define PVH_APIC_H

#include "kernel/types.h"

/* Masks the legacy 8259 PICs and enables the local APIC; false when the CPU has none. */
bool apic_init(void);
/* Routes ISA IRQ `irq` (identity-mapped to GSI `irq`, as on QEMU's microvm and q35) to vector
 * 32 + irq on this CPU, edge-triggered; false when no I/O APIC answers at 0xfec00000 or the
 * slot was given to an MSI. */
bool ioapic_route_isa_irq(unsigned irq);
/* For a PCI device's MSI or MSI-X: claims an IRQ slot (vector 32 + slot) that no I/O APIC pin is
 * routed to and no other MSI holds, and gives the message address and data that deliver it to
 * this CPU as a fixed, edge-triggered interrupt. Install the handler with
 * interrupts_set_irq_handler(slot, ...). Returns the slot, or -1 when none is left. */
int apic_claim_msi(uint64_t *address, uint32_t *data);
void apic_eoi(void);

#endif
