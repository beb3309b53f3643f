/* Physical page allocator: one bit per 4 KiB frame of RAM from the PVH memory map. */
#ifndef PVH_PMM_H
#define PVH_PMM_H

#include "pvh/bootinfo.h"

void pmm_init(const struct boot_info *bi);
/* Physical address of `count` contiguous free frames, or 0 when none. Contents are undefined. */
uint64_t pmm_alloc(uint64_t count);
/* One zeroed frame, or 0. */
uint64_t pmm_alloc_zeroed(void);
void pmm_free(uint64_t paddr, uint64_t count);
uint64_t pmm_free_frames(void);
/* Frames allocated since pmm_init (heap, page tables, app memory, ...), for the "stats" control line. */
uint64_t pmm_allocated_frames(void);
/* End of the highest RAM region (exclusive). */
uint64_t pmm_ram_top(void);

#endif
