/*
 * What the PVH loader hands over (Xen's arch-x86/hvm/start_info.h, version 1): the RAM map, the
 * command line and the modules (QEMU's -initrd becomes module 0).
 */
#ifndef PVH_BOOTINFO_H
#define PVH_BOOTINFO_H

#include "kernel/types.h"

#define HVM_START_MAGIC 0x336ec578u
#define E820_RAM 1

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; /* version >= 1 */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

struct boot_region {
    uint64_t start, end;
};

#define BOOT_MAX_RAM_REGIONS 32
#define BOOT_MAX_RESERVED 16

/* The parts of start_info the kernel keeps, copied out before the allocator can reuse their pages. */
struct boot_info {
    struct boot_region ram[BOOT_MAX_RAM_REGIONS];
    uint32_t ram_count;
    /* Physical ranges the page allocator must not hand out: start_info, its tables, the modules. */
    struct boot_region reserved[BOOT_MAX_RESERVED];
    uint32_t reserved_count;
    const uint8_t *runtime_config; /* module 0 (QEMU -initrd), identity-mapped, or NULL */
    uint64_t runtime_config_size;
    const char *cmdline; /* the loader's kernel command line, identity-mapped, or NULL */
};

/* Validates and copies start_info; panics with a clear message when it is unusable. */
void bootinfo_parse(uint64_t start_info_paddr, struct boot_info *out);

/* What this boot's loader handed over (main.c); the NIC reads the command line from it. */
extern struct boot_info pvh_boot_info;

#endif
