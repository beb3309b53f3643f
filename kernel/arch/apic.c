#include "kernel/apic.h"
#include "kernel/interrupts.h"
#include "kernel/io.h"

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

static volatile uint32_t *lapic;
static bool have_ioapic;

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
    if (irq > max_entry) return false;
    uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
    /* Fixed delivery, physical destination, active high, edge-triggered, unmasked. */
    ioapic_write(IOAPIC_REG_REDIRECTION + 2 * irq + 1, apic_id << 24);
    ioapic_write(IOAPIC_REG_REDIRECTION + 2 * irq, VECTOR_IRQ_BASE + irq);
    return true;
}

void apic_eoi(void) {
    if (lapic) lapic_write(LAPIC_EOI, 0);
}
