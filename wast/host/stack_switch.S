/*
 * void uwh_call_on_stack(void *stack_top, void (*fn)(void *), void *arg)
 *
 * Runs fn(arg) on another stack and returns on the caller's. A trap leaves fn with siglongjmp,
 * which restores the caller's stack pointer itself, so nothing here needs to unwind.
 */
    .text
    .globl uwh_call_on_stack
    .type uwh_call_on_stack, @function
uwh_call_on_stack:
    .cfi_startproc
    pushq %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    movq %rsp, %rbp
    .cfi_def_cfa_register %rbp
    movq %rdi, %rsp
    movq %rdx, %rdi
    callq *%rsi
    movq %rbp, %rsp
    popq %rbp
    .cfi_def_cfa %rsp, 8
    retq
    .cfi_endproc
    .size uwh_call_on_stack, . - uwh_call_on_stack

    .section .note.GNU-stack, "", @progbits
