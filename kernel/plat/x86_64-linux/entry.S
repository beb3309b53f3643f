/*
 * The process's entry point: Linux starts a static executable with %rsp at argc, then argv[],
 * NULL, envp[], NULL, the auxiliary vector. No libc runs before us: process_main gets that pointer
 * on a 16-byte aligned stack (the ABI's alignment at a call) and never returns.
 */
    .section .text.boot, "ax"
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp          /* ends frame-pointer walks here */
    mov %rsp, %rdi
    and $-16, %rsp
    call process_main
    ud2

/* rt_sigaction needs a restorer on x86-64 (SA_RESTORER): the kernel's signal frame returns into it.
 * The fault handlers never return (a fault ends the app), but a handler that did would land here. */
    .globl process_signal_restorer
    .type process_signal_restorer, @function
process_signal_restorer:
    mov $15, %eax           /* rt_sigreturn */
    syscall
    ud2

    .section .note.GNU-stack, "", @progbits
