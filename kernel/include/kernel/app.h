/* Running the linked Wasm app: instantiation, its stack, how it ends. */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include "kernel/bootconfig.h"
#include "kernel/interrupts.h"
#include "uniwasm/runtime.h"

#define APP_STACK_SIZE MiB(8)
#define EXIT_STATUS_TRAP_BASE 128

struct saved_context { uint64_t rsp; };
uint64_t context_run_on_stack(struct saved_context *save, void *stack_top, void (*fn)(void *), void *arg);
_Noreturn void context_resume(struct saved_context *save, uint64_t value);

/* Instantiates uw_module with WASI bound, runs _start on the app stack and powers off with the
 * app's exit status. */
_Noreturn void app_run(const struct boot_config *config);

/* Ends the running app (from app context or a fault handler). `pc` is an address inside the
 * instruction that trapped (0 when unknown); the trap report names the Wasm function holding it. */
_Noreturn void app_exit(uint32_t status);
_Noreturn void app_trap(uint32_t code, uint64_t pc);
/* For explicit traps (uw_platform_trap): the address of the call in the Wasm function that
 * entered the kernel or runtime on the way to the trap, or 0 if there is none (app/trapsite.c). */
uint64_t app_trap_caller_pc(void);
bool app_is_running(void);

/* The boot config the app sees through args_get / environ_get. */
const struct boot_config *app_config(void);

/* The app's stack: demand-paged [top - APP_STACK_SIZE, top) with everything below down to
 * APP_STACK_REGION_START left unmapped as its guard. */
void *app_stack_top(void);
enum stack_fault { STACK_FAULT_NONE, STACK_FAULT_GROW, STACK_FAULT_GUARD };
enum stack_fault app_stack_classify(uint64_t address);
/* Maps a zeroed page at `address`; false when out of memory. */
bool app_stack_grow(uint64_t address);

/* Page-fault policy for the app's address ranges; returns true when the fault was resolved (the
 * faulting instruction is retried), does not return when it ended the app, false otherwise. */
bool app_handle_page_fault(const struct trap_frame *frame, uint64_t address);

/* Binds the module's imports to kernel functions (WASI); see app/imports.c. */
int app_resolve_import(void *data, const uw_import_desc *imp, uw_extern *out);
/* Points the import function objects at the instance once it exists. */
void app_bind_import_instance(uw_vmctx *ctx);
/* Why the last import failed to resolve, or NULL. */
const char *app_import_error(void);

#endif
