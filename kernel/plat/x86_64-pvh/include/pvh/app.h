/* The app's stack and how the platform enters and leaves the app (platform.h, plat_app_*). */
#ifndef PVH_APP_H
#define PVH_APP_H

#include "kernel/types.h"

/* The app stack's demand-paged top; the rest of [APP_STACK_REGION_START, APP_STACK_REGION_END)
 * below it (pvh/paging.h) stays unmapped as its guard. */
#define APP_STACK_SIZE MiB(8)

/* Resolves a page fault at `address` (error code `error_code`) in the app stack's demand-paged
 * part while the app runs by mapping a zeroed page; false for any other fault. Out of memory is a
 * panic. (mm/stack.c) */
bool app_stack_demand_fault(uint64_t address, uint64_t error_code);
/* True between plat_app_enter and its return (platform.c). */
bool pvh_app_running(void);

/* arch/context.S: run fn on another stack; resume the kernel from anywhere below it. */
struct saved_context { uint64_t rsp; };
uint64_t context_run_on_stack(struct saved_context *save, void *stack_top, void (*fn)(void *), void *arg);
_Noreturn void context_resume(struct saved_context *save, uint64_t value);

#endif
