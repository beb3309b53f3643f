/*
 * Page tables. Virtual layout (kernel/README.md, "Memory map"):
 *   [4 KiB, max(4 GiB, top of RAM))   identity map of RAM and MMIO, 2 MiB pages (4 KiB in the first 2 MiB);
 *                                     page 0 and the kernel stack's guard page are not mapped
 *   [512 GiB, 514 GiB)                the app's stack: top 8 MiB demand-paged, the rest an unmapped guard
 *   [768 GiB, 1 TiB)                  device window: PCI BARs above 4 GiB, mapped uncached in 4 KiB pages
 *                                     when a driver maps them (dev/pci.c, pci_map_bar)
 *   [1 TiB, 128 TiB)                  Wasm linear memories, 8 GiB reservations, committed pages only
 */
#ifndef PVH_PAGING_H
#define PVH_PAGING_H

#include "kernel/types.h"

#define PTE_PRESENT 0x1ull
#define PTE_WRITABLE 0x2ull
#define PTE_HUGE 0x80ull
#define PTE_NO_EXECUTE (1ull << 63)

#define APP_STACK_REGION_START GiB(512)
#define APP_STACK_REGION_END GiB(514)
#define WASM_REGION_START GiB(1024)
#define WASM_REGION_END GiB(128 * 1024)

/* Builds the kernel's page tables from the RAM size and switches to them. */
void paging_init(void);
/* Maps one 4 KiB page; false when a page table cannot be allocated. */
bool paging_map(uint64_t va, uint64_t pa, uint64_t flags);
/* Removes the 4 KiB mapping of va and returns the physical page it mapped. */
uint64_t paging_unmap(uint64_t va);
/* True when va is mapped by a present entry. */
bool paging_is_mapped(uint64_t va);
/* Flags for data pages of the app: no-execute when the CPU supports it. */
uint64_t paging_data_flags(void);

#endif
