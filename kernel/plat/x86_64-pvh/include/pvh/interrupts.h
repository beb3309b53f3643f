/* Interrupt descriptor table and dispatch. */
#ifndef PVH_INTERRUPTS_H
#define PVH_INTERRUPTS_H

#include "kernel/types.h"

/* Saved by arch/isr.S; field order mirrors the pushes (last pushed first). */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define VECTOR_PAGE_FAULT 14
#define VECTOR_IRQ_BASE 32 /* ISA IRQ n arrives as vector 32 + n */
#define VECTOR_IRQ_COUNT 16
#define VECTOR_SPURIOUS 255

typedef void (*irq_handler)(void);

void idt_init(void);
/* Routes ISA IRQ `irq` to `handler` (see apic.h for unmasking it). */
void interrupts_set_irq_handler(unsigned irq, irq_handler handler);

/* Implemented in arch/exceptions.c: vectors 0..31. */
void exception_handle(struct trap_frame *frame);

#endif
