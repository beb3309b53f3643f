/*
 * Interrupt entry stubs. Each pushes a uniform frame (a dummy error code where the CPU pushes none,
 * then the vector number and all general registers) and calls interrupt_dispatch(struct trap_frame *).
 * The layout must match struct trap_frame in include/pvh/interrupts.h.
 */
    .text

.macro STUB vector, has_error_code
    .globl isr_stub_\vector
isr_stub_\vector:
    .if \has_error_code == 0
    pushq $0
    .endif
    pushq $\vector
    jmp isr_common
.endm

isr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    mov %rsp, %rdi
    call interrupt_dispatch
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    add $16, %rsp
    iretq

/* Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30. */
STUB 0, 0
STUB 1, 0
STUB 2, 0
STUB 3, 0
STUB 4, 0
STUB 5, 0
STUB 6, 0
STUB 7, 0
STUB 8, 1
STUB 9, 0
STUB 10, 1
STUB 11, 1
STUB 12, 1
STUB 13, 1
STUB 14, 1
STUB 15, 0
STUB 16, 0
STUB 17, 1
STUB 18, 0
STUB 19, 0
STUB 20, 0
STUB 21, 1
STUB 22, 0
STUB 23, 0
STUB 24, 0
STUB 25, 0
STUB 26, 0
STUB 27, 0
STUB 28, 0
STUB 29, 1
STUB 30, 1
STUB 31, 0
.altmacro
.set vec, 32
.rept 16
    STUB %vec, 0
    .set vec, vec + 1
.endr
STUB 255, 0

    .section .rodata
    .balign 8
    .globl isr_stub_table
/* Entry addresses for vectors 0..47; vector 255 (APIC spurious) is wired separately. */
isr_stub_table:
.macro STUB_ADDRESS vector
    .quad isr_stub_\vector
.endm
.set vec, 0
.rept 48
    STUB_ADDRESS %vec
    .set vec, vec + 1
.endr

    .section .note.GNU-stack, "", @progbits
