#include "pvh/interrupts.h"
#include "pvh/apic.h"
#include "pvh/cpu.h"

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate (clears IF) */
#define VECTOR_NMI 2
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_MACHINE_CHECK 18

struct __attribute__((packed)) idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};

extern const uint64_t isr_stub_table[48];
extern char isr_stub_255[];

static struct idt_gate idt[256];
static irq_handler irq_handlers[VECTOR_IRQ_COUNT];

static void set_gate(unsigned vector, uint64_t entry, unsigned ist) {
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)entry,
        .selector = KERNEL_CODE_SELECTOR,
        .ist = (uint8_t)ist,
        .type = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(entry >> 16),
        .offset_high = (uint32_t)(entry >> 32),
    };
}

void idt_init(void) {
    for (unsigned v = 0; v < 32; v++) {
        unsigned ist = IST_EXCEPTION;
        if (v == VECTOR_DOUBLE_FAULT) ist = IST_DOUBLE_FAULT;
        if (v == VECTOR_NMI || v == VECTOR_MACHINE_CHECK) ist = IST_NMI;
        set_gate(v, isr_stub_table[v], ist);
    }
    for (unsigned v = VECTOR_IRQ_BASE; v < VECTOR_IRQ_BASE + VECTOR_IRQ_COUNT; v++)
        set_gate(v, isr_stub_table[v], IST_IRQ);
    set_gate(VECTOR_SPURIOUS, (uint64_t)(uintptr_t)isr_stub_255, IST_IRQ);
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } ptr = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ptr));
}

void interrupts_set_irq_handler(unsigned irq, irq_handler handler) { irq_handlers[irq] = handler; }

void interrupt_dispatch(struct trap_frame *frame) {
    if (frame->vector < 32) {
        exception_handle(frame);
        return;
    }
    if (frame->vector == VECTOR_SPURIOUS) return; /* no EOI for spurious interrupts */
    unsigned irq = (unsigned)frame->vector - VECTOR_IRQ_BASE;
    if (irq < VECTOR_IRQ_COUNT && irq_handlers[irq]) irq_handlers[irq]();
    apic_eoi();
}
