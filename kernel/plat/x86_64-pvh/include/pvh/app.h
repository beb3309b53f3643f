/* The app's stack and how the platform enters and leaves the app (platform.h, plat_app_*). */
#ifndef PVH_APP_H
#define PVH_APP_H

#include "arch/context.h"
#include "kernel/platform.h"
#include "kernel/types.h"

/* The app stack's demand-paged top; the rest of [APP_STACK_REGION_START, APP_STACK_REGION_END)
 * below it (pvh/paging.h) stays unmapped as its guard. */
#define APP_STACK_SIZE PLAT_APP_STACK_SIZE

/* Resolves a page fault at `address` (error code `error_code`) in the app stack's demand-paged
 * part while the app runs by mapping a zeroed page; false for any other fault. Out of memory is a
 * panic. (mm/stack.c) */
bool app_stack_demand_fault(uint64_t address, uint64_t error_code);
/* True between plat_app_enter and its return (platform.c). */
bool pvh_app_running(void);

#endif
