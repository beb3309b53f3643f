/*
 * Kernel heap: size classes of 32 bytes to 2 KiB carved from pages, larger blocks as runs of
 * contiguous frames. Every block starts with a 16-byte header, so blocks are 16-byte aligned and
 * heap_free needs no size.
 */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include "kernel/types.h"

/* Zeroed block of `bytes`, or NULL when memory is exhausted. */
void *heap_alloc(size_t bytes);
/* Resizes keeping the common prefix; the grown part is zeroed. NULL (old block intact) on failure. */
void *heap_realloc(void *p, size_t new_bytes);
void heap_free(void *p);
/* Bytes of live blocks (each counted at its size class or page run, header included). */
uint64_t heap_bytes_in_use(void);

#endif
