/*
 * Where an explicit trap came from. Compiled code calls uw_trap (or a runtime helper such as
 * uw_memory_copy, which calls uw_trap) and the kernel's uw_platform_trap ends the app; the Wasm
 * function to blame is the first caller outside the kernel archive. Kernel and runtime are built
 * with frame pointers, so their frames form a chain up to that caller; compiled Wasm code need not
 * keep one, so the walk stops at the first return address outside kernel text and never follows a
 * frame pointer that Wasm code left behind.
 */
#include "kernel/app.h"
#include "kernel/platform.h"

struct frame {
    const struct frame *caller;
    uint64_t return_address;
};

#define MAX_KERNEL_FRAMES 64 /* a trap path is a handful of frames; more means a broken chain */

static bool in_kernel_text(uint64_t pc) {
    return pc >= (uint64_t)(uintptr_t)__kernel_text_start && pc < (uint64_t)(uintptr_t)__kernel_text_end;
}

__attribute__((noinline)) uint64_t app_trap_caller_pc(void) {
    const struct frame *f = __builtin_frame_address(0);
    const struct plat_stack *stack = plat_app_stack();
    uint64_t stack_top = stack->top;
    uint64_t stack_low = (uint64_t)(uintptr_t)f;
    if (stack_low < stack->low) return 0; /* not on the app stack: no Wasm caller */
    for (int depth = 0; depth < MAX_KERNEL_FRAMES; depth++) {
        uint64_t at = (uint64_t)(uintptr_t)f;
        if (at < stack_low || at > stack_top - sizeof *f || (at & 7)) return 0;
        uint64_t ret = f->return_address;
        /* A return address points after the call, which may be the last byte of its function
         * (calls to noreturn functions end blocks): step back into the call instruction. */
        if (!in_kernel_text(ret)) return ret ? ret - 1 : 0;
        if ((uint64_t)(uintptr_t)f->caller <= at) return 0;
        f = f->caller;
    }
    return 0;
}
