#include "pvh/paging.h"
#include "pvh/io.h"
#include "kernel/panic.h"
#include "pvh/pmm.h"

#define MSR_EFER 0xc0000080
#define EFER_NXE (1ull << 11)
#define ADDR_MASK 0x000ffffffffff000ull
#define ENTRIES 512

extern char boot_stack_guard[];

static uint64_t *pml4;
static bool have_nx;

static uint64_t *table_at(uint64_t entry) { return (uint64_t *)(uintptr_t)(entry & ADDR_MASK); }

/* Returns the next-level table for `index` of `table`, allocating it when `create` is set. */
static uint64_t *next_level(uint64_t *table, unsigned index, bool create) {
    if (table[index] & PTE_PRESENT) {
        if (table[index] & PTE_HUGE) return NULL;
        return table_at(table[index]);
    }
    if (!create) return NULL;
    uint64_t page = pmm_alloc_zeroed();
    if (!page) return NULL;
    table[index] = page | PTE_PRESENT | PTE_WRITABLE;
    return table_at(page);
}

static uint64_t *leaf_entry(uint64_t va, bool create) {
    uint64_t *pdpt = next_level(pml4, (va >> 39) & 511, create);
    if (!pdpt) return NULL;
    uint64_t *pd = next_level(pdpt, (va >> 30) & 511, create);
    if (!pd) return NULL;
    uint64_t *pt = next_level(pd, (va >> 21) & 511, create);
    if (!pt) return NULL;
    return &pt[(va >> 12) & 511];
}

bool paging_map(uint64_t va, uint64_t pa, uint64_t flags) {
    uint64_t *pte = leaf_entry(va, true);
    if (!pte) return false;
    *pte = (pa & ADDR_MASK) | flags | PTE_PRESENT;
    invlpg(va);
    return true;
}

uint64_t paging_unmap(uint64_t va) {
    uint64_t *pte = leaf_entry(va, false);
    if (!pte || !(*pte & PTE_PRESENT)) panic("paging: unmapping 0x%llx, which is not mapped", (unsigned long long)va);
    uint64_t pa = *pte & ADDR_MASK;
    *pte = 0;
    invlpg(va);
    return pa;
}

bool paging_is_mapped(uint64_t va) {
    uint64_t *pdpt = next_level(pml4, (va >> 39) & 511, false);
    if (!pdpt) return false;
    if (pdpt[(va >> 30) & 511] & PTE_HUGE) return true;
    uint64_t *pd = next_level(pdpt, (va >> 30) & 511, false);
    if (!pd) return false;
    if (pd[(va >> 21) & 511] & PTE_HUGE) return true;
    uint64_t *pte = leaf_entry(va, false);
    return pte && (*pte & PTE_PRESENT);
}

uint64_t paging_data_flags(void) { return PTE_WRITABLE | (have_nx ? PTE_NO_EXECUTE : 0); }

static void unmap_small(uint64_t va) {
    uint64_t *pte = leaf_entry(va, false);
    if (!pte) panic("paging: 0x%llx is not mapped with 4 KiB pages", (unsigned long long)va);
    *pte = 0;
}

void paging_init(void) {
    have_nx = cpuid(0x80000000, 0).eax >= 0x80000001 && (cpuid(0x80000001, 0).edx >> 20 & 1);
    if (have_nx) wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

    uint64_t top = pmm_ram_top();
    if (top < GiB(4)) top = GiB(4); /* MMIO (APICs, virtio-mmio) lives just below 4 GiB */
    top = ALIGN_UP(top, MiB(2));

    uint64_t page = pmm_alloc_zeroed();
    if (!page) panic("paging: out of memory for the top-level table");
    pml4 = (uint64_t *)(uintptr_t)page;

    /* The first 2 MiB in 4 KiB pages (so page 0 and guard pages can be left out), then 2 MiB pages. */
    for (uint64_t va = PAGE_SIZE; va < MiB(2); va += PAGE_SIZE) {
        if (!paging_map(va, va, PTE_WRITABLE)) panic("paging: out of memory for the identity map");
    }
    for (uint64_t va = MiB(2); va < top; va += MiB(2)) {
        uint64_t *pdpt = next_level(pml4, (va >> 39) & 511, true);
        uint64_t *pd = pdpt ? next_level(pdpt, (va >> 30) & 511, true) : NULL;
        if (!pd) panic("paging: out of memory for the identity map");
        pd[(va >> 21) & 511] = va | PTE_PRESENT | PTE_WRITABLE | PTE_HUGE;
    }
    unmap_small(0);
    /* The boot stack's guard page is in the image, so it sits in the 4 KiB-mapped first 2 MiB
     * only for small images; split its 2 MiB page otherwise. */
    uint64_t guard = (uint64_t)(uintptr_t)boot_stack_guard;
    if (guard >= MiB(2)) {
        uint64_t big = ALIGN_DOWN(guard, MiB(2));
        uint64_t *pdpt = next_level(pml4, (big >> 39) & 511, false);
        uint64_t *pd = next_level(pdpt, (big >> 30) & 511, false);
        uint64_t pt_page = pmm_alloc_zeroed();
        if (!pt_page) panic("paging: out of memory splitting the stack guard's page");
        uint64_t *pt = (uint64_t *)(uintptr_t)pt_page;
        for (unsigned i = 0; i < ENTRIES; i++) pt[i] = (big + i * PAGE_SIZE) | PTE_PRESENT | PTE_WRITABLE;
        pd[(big >> 21) & 511] = pt_page | PTE_PRESENT | PTE_WRITABLE;
    }
    write_cr3((uint64_t)(uintptr_t)pml4);
    unmap_small(guard);
    invlpg(guard);
}
