/* Running a function on another stack and abandoning it (context.S), for every x86-64 platform's
 * plat_app_enter and plat_app_leave. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include "kernel/types.h"

struct saved_context {
    uint64_t rsp;
};
/* Runs fn(arg) on the stack whose top is stack_top; returns 0 when fn returns, or the value a later
 * context_resume(save, value) passes. */
uint64_t context_run_on_stack(struct saved_context *save, void *stack_top, void (*fn)(void *), void *arg);
/* From anywhere below context_run_on_stack (any stack, a signal handler included): restores the
 * stack and callee-saved registers saved in `save` and makes that call return `value`. */
_Noreturn void context_resume(struct saved_context *save, uint64_t value);

#endif
