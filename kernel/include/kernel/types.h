/* Basic freestanding types and helpers shared by every kernel file. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define PAGE_SIZE 4096ull
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* For a static buffer of a KiB or more that starts zeroed: page-aligned, in a section the process
 * platform's kernel.ld lays out before the small variables. A process then dirties only the pages
 * of such a buffer it uses, not every page that a hot variable happens to share with one. */
#define LARGE_STATIC __attribute__((section(".bss.large"), aligned(4096)))

#endif
