#include "pvh/apic.h"
#include "pvh/interrupts.h"
#include "pvh/io.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_ADDR_MASK 0xffffff000ull
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define SVR_ENABLE 0x100u
#define IOAPIC_BASE 0xfec00000ull
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_REDIRECTION 0x10
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1
#define MSI_ADDRESS_BASE 0xfee00000ull
#define MSI_DESTINATION_SHIFT 12
/* IRQ slots an MSI must not take although no I/O APIC pin uses them: 15 is the local APIC
 * timer's (time/wakeup.c). */
#define SLOTS_NOT_FOR_MSI (1u << 15)

static volatile uint32_t *lapic;
static bool have_ioapic;
static uint32_t routed_slots, msi_slots;

static uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }

static uint32_t ioapic_read(unsigned reg) {
    volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;
    io[0] = reg;
    return io[4];
}

static void ioapic_write(unsigned reg, uint32_t v) {
    volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;
    io[0] = reg;
    io[4] = v;
}

bool apic_init(void) {
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    if (!(cpuid(1, 0).edx >> 9 & 1)) return false;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    lapic = (volatile uint32_t *)(uintptr_t)(base & APIC_ADDR_MASK);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    have_ioapic = ioapic_read(IOAPIC_REG_VERSION) != 0xffffffffu;
    return true;
}

bool ioapic_route_isa_irq(unsigned irq) {
    if (!lapic || !have_ioapic) return false;
    uint32_t max_entry = ioapic_read(IOAPIC_REG_VERSION) >> 16 & 0xff;
    if (irq > max_entry || irq >= VECTOR_IRQ_COUNT || (msi_slots & 1u << irq)) return false;
    uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
    /* Fixed delivery, physical destination, active high, edge-triggered, unmasked. */
    ioapic_write(IOAPIC_REG_REDIRECTION + 2 * irq + 1, apic_id << 24);
    ioapic_write(IOAPIC_REG_REDIRECTION + 2 * irq, VECTOR_IRQ_BASE + irq);
    routed_slots |= 1u << irq;
    return true;
}

int apic_claim_msi(uint64_t *address, uint32_t *data) {
    if (!lapic) return -1;
    /* from the top: the low slots are the ISA devices' IRQs, which a later driver may route */
    for (int slot = VECTOR_IRQ_COUNT - 1; slot >= 0; slot--) {
        uint32_t bit = 1u << slot;
        if ((routed_slots | msi_slots | SLOTS_NOT_FOR_MSI) & bit) continue;
        msi_slots |= bit;
        uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
        /* physical destination, no redirection hint; data: fixed delivery, edge */
        *address = MSI_ADDRESS_BASE | (uint64_t)apic_id << MSI_DESTINATION_SHIFT;
        *data = VECTOR_IRQ_BASE + (uint32_t)slot;
        return slot;
    }
    return -1;
}

void apic_eoi(void) {
    if (lapic) lapic_write(LAPIC_EOI, 0);
}
