/*
 * The image's map from code addresses to Wasm functions, so that a trap can name the function it
 * happened in. The image linker (dev.uniwasm.image.FunctionMap) builds it from the linked image's
 * symbol table (`uw_f<index>[.<name>]`) and the module's name section, and places it in the
 * section .uw_function_map, which kernel.ld puts after everything else so that adding it moves no
 * code. Little-endian; the Java writer mirrors this layout.
 *
 *   header   struct function_map
 *   entries  count x struct function_map_entry, sorted by start, not overlapping
 *   names    names_size bytes of NUL-terminated UTF-8 names (control characters already escaped)
 */
#ifndef KERNEL_FUNCMAP_H
#define KERNEL_FUNCMAP_H

#include "kernel/types.h"

#define FUNCTION_MAP_MAGIC 0x4d465755u /* "UWFM" */
#define FUNCTION_MAP_VERSION 1u
#define FUNCTION_MAP_NO_NAME UINT32_MAX

struct function_map_entry {
    uint32_t start;       /* first code byte (the image lives below 2 GiB: small code model) */
    uint32_t size;        /* code bytes */
    uint32_t func_index;  /* Wasm function index */
    uint32_t name_offset; /* into the names, or FUNCTION_MAP_NO_NAME */
};

struct function_map {
    uint32_t magic;
    uint16_t version;
    uint16_t reserved;
    uint32_t count;
    uint32_t names_size;
    struct function_map_entry entries[];
};

_Static_assert(sizeof(struct function_map_entry) == 16, "function map entry layout");
_Static_assert(sizeof(struct function_map) == 16, "function map header layout");

/* The Wasm function whose code contains `pc`: fills *func_index and *name (NULL when the module's
 * name section has none) and returns true; false when `pc` is in no Wasm function. */
bool function_map_lookup(uint64_t pc, uint32_t *func_index, const char **name);

#endif
