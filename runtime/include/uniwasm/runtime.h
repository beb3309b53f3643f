/*
 * The uniwasm runtime: what compiled code calls (section 1), what an embedder calls to instantiate
 * and invoke modules (section 2), and what each embedder must provide (section 3: the kernel in
 * kernel/, the Linux test host in wast/host/). Written once, linked into both. See docs/ABI.md.
 */
#ifndef UNIWASM_RUNTIME_H
#define UNIWASM_RUNTIME_H

#include "abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Entry points called by compiled code (all take the caller's instance first) ---- */

_Noreturn void uw_trap(uw_vmctx *ctx, uint32_t code);

/* memory.grow: returns the old size in pages, or -1. Memory contents are zero-extended. */
int32_t uw_memory_grow(uw_vmctx *ctx, uint32_t mem, uint32_t delta_pages);
/* Bulk memory; each checks all bounds first and traps UW_TRAP_MEMORY_OOB without writing. */
void uw_memory_init(uw_vmctx *ctx, uint32_t mem, uint32_t data, uint32_t dst, uint32_t src, uint32_t n);
void uw_memory_copy(uw_vmctx *ctx, uint32_t dst_mem, uint32_t src_mem, uint32_t dst, uint32_t src, uint32_t n);
void uw_memory_fill(uw_vmctx *ctx, uint32_t mem, uint32_t dst, uint32_t value, uint32_t n);
void uw_data_drop(uw_vmctx *ctx, uint32_t data);

/* Tables; out-of-range indices trap UW_TRAP_TABLE_OOB. */
void *uw_table_get(uw_vmctx *ctx, uint32_t table, uint32_t index);
void uw_table_set(uw_vmctx *ctx, uint32_t table, uint32_t index, void *ref);
int32_t uw_table_grow(uw_vmctx *ctx, uint32_t table, void *init, uint32_t delta); /* old size or -1 */
void uw_table_fill(uw_vmctx *ctx, uint32_t table, uint32_t dst, void *ref, uint32_t n);
void uw_table_init(uw_vmctx *ctx, uint32_t table, uint32_t elem, uint32_t dst, uint32_t src, uint32_t n);
void uw_table_copy(uw_vmctx *ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t n);
void uw_elem_drop(uw_vmctx *ctx, uint32_t elem);

/* ---- 2. Embedder API ---- */

/* Canonical id of a signature string ("il:f"); equal strings get equal ids, in any instance. */
uint32_t uw_type_intern(const char *sig);

/* Something an import binds to, or an export yields. */
typedef struct uw_extern {
    uint32_t kind; /* enum uw_extern_kind */
    union {
        uw_func *func;
        uw_table *table;
        uw_memory *memory;
        uw_global *global;
    } u;
    /* globals only: value type and mutability of the cell */
    uint32_t global_type;
    uint32_t global_mutable;
} uw_extern;

/* Resolves one import; returns 0 and fills *out, or -1 if nothing of that name exists. */
typedef int (*uw_import_resolver)(void *data, const uw_import_desc *imp, uw_extern *out);

/*
 * Allocates an instance: memories (reserved, min pages committed, zeroed), tables (null-filled),
 * global cells, segment state, and binds imports through `resolve`, checking each import's type
 * against the spec's import-matching rules. On failure returns NULL and writes the spec's reason
 * ("unknown import", "incompatible import type") to err. Does not run any Wasm code.
 */
uw_vmctx *uw_instance_new(const uw_module_desc *m, uw_import_resolver resolve, void *data, void *host, char *err,
                          size_t errlen);

/* Runs the module's init (globals, segments) and then its start function. May trap (through
 * uw_platform_trap), so call it where traps are caught. */
void uw_instance_start(uw_vmctx *ctx);

/* Finds an export by its NUL-terminated name; returns 0 and fills *out, or -1. */
int uw_instance_export(uw_vmctx *ctx, const char *name, uw_extern *out);
/* The same for a name of `len` bytes, which may contain NUL. */
int uw_instance_export_n(uw_vmctx *ctx, const char *name, size_t len, uw_extern *out);

/* Calls a function with params in io[0..n); results are written to io[0..m). May trap. */
void uw_invoke(uw_func *f, uw_value *io);

/* The spec's message for a trap code. */
const char *uw_trap_message(uint32_t code);

/* Name of function `index` of the instance's module from its name section, or NULL. */
const char *uw_func_name(const uw_vmctx *ctx, uint32_t index);

/* ---- 3. Provided by the embedder ---- */

/* Reserve `bytes` of address space with no access; NULL on failure. */
void *uw_platform_reserve(uint64_t bytes);
/* Make [base+old_size, base+new_size) readable, writable and zero; 0 on success. */
int uw_platform_commit(uint8_t *base, uint64_t old_size, uint64_t new_size);
void *uw_platform_alloc(size_t bytes);                                  /* zeroed */
void *uw_platform_realloc(void *p, size_t old_bytes, size_t new_bytes); /* new part zeroed */
void uw_platform_free(void *p);
/* Makes [dst, dst + n) of a committed linear memory read as [src, src + n) of a data segment's
 * bytes (the module's read-only data) by mapping the file they were loaded from copy-on-write, so
 * that pages the app never writes stay shared by every process of the same executable. dst and src
 * are UW_HOST_PAGE_SIZE-aligned and n is a multiple of it. Returns 0 when done, -1 when the
 * platform cannot (nothing changed): the runtime then copies. */
int uw_platform_map_image(uint8_t *dst, const uint8_t *src, uint64_t n);
/* Ends the current Wasm activation with a trap. Never returns. */
_Noreturn void uw_platform_trap(uw_vmctx *ctx, uint32_t code);

#ifdef __cplusplus
}
#endif
#endif
