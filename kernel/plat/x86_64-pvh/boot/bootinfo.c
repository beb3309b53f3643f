#include "pvh/bootinfo.h"
#include "kernel/panic.h"

#define IDENTITY_LIMIT GiB(4) /* what the boot page tables map */

static void reserve(struct boot_info *bi, uint64_t start, uint64_t size) {
    if (!size) return;
    if (bi->reserved_count == BOOT_MAX_RESERVED) panic("boot: more than %u reserved regions", BOOT_MAX_RESERVED);
    bi->reserved[bi->reserved_count++] =
        (struct boot_region){ALIGN_DOWN(start, PAGE_SIZE), ALIGN_UP(start + size, PAGE_SIZE)};
}

static void check_mapped(uint64_t paddr, uint64_t size, const char *what) {
    if (paddr + size < paddr || paddr + size > IDENTITY_LIMIT) {
        panic("boot: %s at 0x%llx (+%llu bytes) lies above 4 GiB", what, (unsigned long long)paddr,
              (unsigned long long)size);
    }
}

void bootinfo_parse(uint64_t paddr, struct boot_info *bi) {
    check_mapped(paddr, sizeof(struct hvm_start_info), "hvm_start_info");
    const struct hvm_start_info *si = (const struct hvm_start_info *)(uintptr_t)paddr;
    if (si->magic != HVM_START_MAGIC) {
        panic("boot: bad hvm_start_info magic 0x%x at 0x%llx (not started through PVH?)", si->magic,
              (unsigned long long)paddr);
    }
    if (si->version < 1 || !si->memmap_paddr || !si->memmap_entries) {
        panic("boot: hvm_start_info version %u has no memory map", si->version);
    }
    reserve(bi, paddr, sizeof *si);

    uint64_t map_bytes = (uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_entry);
    check_mapped(si->memmap_paddr, map_bytes, "memory map");
    reserve(bi, si->memmap_paddr, map_bytes);
    const struct hvm_memmap_entry *map = (const struct hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
    for (uint32_t i = 0; i < si->memmap_entries; i++) {
        if (map[i].type != E820_RAM || !map[i].size) continue;
        if (bi->ram_count == BOOT_MAX_RAM_REGIONS) break;
        uint64_t start = ALIGN_UP(map[i].addr, PAGE_SIZE);
        uint64_t end = ALIGN_DOWN(map[i].addr + map[i].size, PAGE_SIZE);
        if (end > start) bi->ram[bi->ram_count++] = (struct boot_region){start, end};
    }
    if (!bi->ram_count) panic("boot: the memory map lists no RAM");

    if (si->cmdline_paddr) reserve(bi, si->cmdline_paddr, PAGE_SIZE);
    bi->cmdline = si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : NULL;
    if (si->nr_modules) {
        uint64_t list_bytes = (uint64_t)si->nr_modules * sizeof(struct hvm_modlist_entry);
        check_mapped(si->modlist_paddr, list_bytes, "module list");
        reserve(bi, si->modlist_paddr, list_bytes);
        const struct hvm_modlist_entry *mods = (const struct hvm_modlist_entry *)(uintptr_t)si->modlist_paddr;
        check_mapped(mods[0].paddr, mods[0].size, "module 0 (run-time boot config)");
        reserve(bi, mods[0].paddr, mods[0].size);
        bi->runtime_config = (const uint8_t *)(uintptr_t)mods[0].paddr;
        bi->runtime_config_size = mods[0].size;
    }
}
