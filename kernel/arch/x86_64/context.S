/*
 * Running a function on another stack, and abandoning it. The kernel calls the app on the app's own
 * stack through context_run_on_stack; proc_exit, a trap or a fault anywhere below ends the app with
 * context_resume, which restores the kernel's stack and callee-saved registers as if
 * context_run_on_stack had returned `value`.
 *
 *   uint64_t context_run_on_stack(struct saved_context *save, void *stack_top, void (*fn)(void *), void *arg)
 *   _Noreturn void context_resume(struct saved_context *save, uint64_t value)
 */
    .text
    .globl context_run_on_stack
context_run_on_stack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    mov %rsp, (%rdi)
    mov %rdi, %r12
    mov %rsi, %rsp
    xor %ebp, %ebp          /* ends frame-pointer walks at the app's first frame */
    mov %rcx, %rdi
    call *%rdx
    mov (%r12), %rsp
    xor %eax, %eax
    jmp 1f

    .globl context_resume
context_resume:
    mov (%rdi), %rsp
    mov %rsi, %rax
1:  popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .section .note.GNU-stack, "", @progbits
