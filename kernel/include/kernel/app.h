/* Running the linked Wasm app: instantiation, its stack, how it ends. */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include "kernel/bootconfig.h"
#include "uniwasm/runtime.h"

#define EXIT_STATUS_TRAP_BASE 128

/* Instantiates uw_module with WASI bound, runs _start on the app stack and ends the platform with
 * the app's exit status. */
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

/* True when `address` lies in a linear memory's reservation (app/runtime_hooks.c). */
bool app_memory_reserved(uint64_t address);

/* Binds the module's imports to kernel functions (WASI); see app/imports.c. */
int app_resolve_import(void *data, const uw_import_desc *imp, uw_extern *out);
/* Points the import function objects at the instance once it exists. */
void app_bind_import_instance(uw_vmctx *ctx);
/* Why the last import failed to resolve, or NULL. */
const char *app_import_error(void);

#endif
