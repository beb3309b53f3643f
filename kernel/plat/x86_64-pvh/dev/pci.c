/* PCI configuration space (mechanism #1), enumeration, BARs, capabilities, BAR mapping. */
#include "pci.h"

#include "kernel/console.h"
#include "kernel/format.h"
#include "pvh/io.h"
#include "pvh/paging.h"
#include "kernel/panic.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define CONFIG_ENABLE 0x80000000u
#define SLOTS_PER_BUS 32
#define FUNCTIONS_PER_SLOT 8
#define HEADER_MULTI_FUNCTION 0x80
#define HEADER_TYPE_DEVICE 0
#define HEADER_TYPE_BRIDGE 1
#define BRIDGE_SECONDARY_BUS 0x19
#define PCI_COMMAND_IO (1u << 0)
#define BAR_IO 0x1u
#define BAR_MEM_TYPE_MASK 0x6u
#define BAR_MEM_TYPE_64 0x4u
#define BAR_MEM_ADDR_MASK 0xfffffff0u
#define BAR_IO_ADDR_MASK 0xfffffffcu
#define CAP_FIRST_OFFSET 0x40 /* capabilities live after the standard header */
#define CAP_MAX_COUNT 48      /* (256 - 64) / 4: more means the list loops */
#define IDENTITY_LIMIT GiB(4) /* always identity-mapped (paging.h) */
/* Virtual range for BARs above 4 GiB: between the app stack (512..514 GiB) and the Wasm
 * memories (from 1 TiB), so a 64-bit BAR placed anywhere in the physical space fits. */
#define DEVICE_WINDOW_START GiB(768)
#define DEVICE_WINDOW_END WASM_REGION_START
#define PTE_WRITE_THROUGH 0x8ull
#define PTE_CACHE_DISABLE 0x10ull

static uint64_t device_window_next = DEVICE_WINDOW_START;

static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) {
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port) {
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void select(uint8_t bus, uint8_t slot, uint8_t function, uint8_t offset) {
    outl(CONFIG_ADDRESS,
         CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)slot << 11 | (uint32_t)function << 8 | (offset & 0xfcu));
}

static uint32_t raw_read32(uint8_t bus, uint8_t slot, uint8_t function, uint8_t offset) {
    select(bus, slot, function, offset);
    return inl(CONFIG_DATA);
}

uint32_t pci_read32(const struct pci_function *f, uint8_t offset) {
    return raw_read32(f->bus, f->slot, f->function, offset);
}

uint16_t pci_read16(const struct pci_function *f, uint8_t offset) {
    select(f->bus, f->slot, f->function, offset);
    return inw((uint16_t)(CONFIG_DATA + (offset & 2u)));
}

uint8_t pci_read8(const struct pci_function *f, uint8_t offset) {
    select(f->bus, f->slot, f->function, offset);
    return inb((uint16_t)(CONFIG_DATA + (offset & 3u)));
}

void pci_write32(const struct pci_function *f, uint8_t offset, uint32_t value) {
    select(f->bus, f->slot, f->function, offset);
    outl(CONFIG_DATA, value);
}

/* 16-bit writes go out as such: a 32-bit read-modify-write would also write the status
 * register next to the command register, clearing its write-one-to-clear bits. */
void pci_write16(const struct pci_function *f, uint8_t offset, uint16_t value) {
    select(f->bus, f->slot, f->function, offset);
    outw((uint16_t)(CONFIG_DATA + (offset & 2u)), value);
}

bool pci_present(void) {
    /* A mechanism #1 bridge latches the enable bit in CONFIG_ADDRESS; nothing else answers there
     * with what was written (unclaimed ports read as all ones, or zeros on some monitors). */
    uint32_t saved = inl(CONFIG_ADDRESS);
    outl(CONFIG_ADDRESS, CONFIG_ENABLE);
    bool latched = inl(CONFIG_ADDRESS) == CONFIG_ENABLE;
    outl(CONFIG_ADDRESS, saved);
    if (!latched) return false;
    uint16_t vendor = (uint16_t)raw_read32(0, 0, 0, PCI_VENDOR_ID);
    return vendor != 0xffff && vendor != 0;
}

const char *pci_name(const struct pci_function *f, char buf[8]) {
    format(buf, 8, "%02x:%02x.%x", f->bus, f->slot, f->function);
    return buf;
}

struct walk {
    pci_visitor visit;
    void *arg;
    uint32_t seen_buses[256 / 32]; /* a misconfigured bridge must not make the walk loop */
};

static bool scan_bus(struct walk *w, uint8_t bus);

static bool scan_function(struct walk *w, uint8_t bus, uint8_t slot, uint8_t function, uint8_t *header) {
    uint32_t id = raw_read32(bus, slot, function, PCI_VENDOR_ID);
    if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) return false;
    uint32_t class_revision = raw_read32(bus, slot, function, PCI_CLASS_REVISION);
    *header = (uint8_t)(raw_read32(bus, slot, function, PCI_HEADER_TYPE & 0xfc) >> 16);
    struct pci_function f = {
        .bus = bus,
        .slot = slot,
        .function = function,
        .vendor = (uint16_t)id,
        .device = (uint16_t)(id >> 16),
        .class_code = (uint8_t)(class_revision >> 24),
        .subclass = (uint8_t)(class_revision >> 16),
        .header_type = (uint8_t)(*header & ~HEADER_MULTI_FUNCTION),
    };
    if (w->visit(&f, w->arg)) return true;
    if (f.header_type == HEADER_TYPE_BRIDGE) {
        uint8_t secondary = pci_read8(&f, BRIDGE_SECONDARY_BUS);
        if (secondary != 0 && scan_bus(w, secondary)) return true;
    }
    return false;
}

static bool scan_bus(struct walk *w, uint8_t bus) {
    if (w->seen_buses[bus / 32] & (1u << (bus % 32))) return false;
    w->seen_buses[bus / 32] |= 1u << (bus % 32);
    for (uint8_t slot = 0; slot < SLOTS_PER_BUS; slot++) {
        uint8_t header = 0;
        if (scan_function(w, bus, slot, 0, &header)) return true;
        if (!(header & HEADER_MULTI_FUNCTION)) continue; /* also when function 0 is absent */
        for (uint8_t function = 1; function < FUNCTIONS_PER_SLOT; function++) {
            uint8_t ignored;
            if (scan_function(w, bus, slot, function, &ignored)) return true;
        }
    }
    return false;
}

bool pci_enumerate(pci_visitor visit, void *arg) {
    struct walk w = {.visit = visit, .arg = arg};
    return scan_bus(&w, 0);
}

void pci_update_command(const struct pci_function *f, uint16_t set, uint16_t clear) {
    uint16_t command = pci_read16(f, PCI_COMMAND);
    pci_write16(f, PCI_COMMAND, (uint16_t)((command & ~clear) | set));
}

/* Writes all ones to the BAR dword at `offset` and returns what sticks; restores the old value. */
static uint32_t size_mask(const struct pci_function *f, uint8_t offset, uint32_t *old) {
    *old = pci_read32(f, offset);
    pci_write32(f, offset, 0xffffffffu);
    uint32_t mask = pci_read32(f, offset);
    pci_write32(f, offset, *old);
    return mask;
}

bool pci_bar(const struct pci_function *f, unsigned index, struct pci_bar *out) {
    if (index >= PCI_BAR_COUNT || f->header_type != HEADER_TYPE_DEVICE) return false;
    /* the slot after a 64-bit BAR is that BAR's upper half, not a BAR of its own */
    for (unsigned i = 0; i < index; i++) {
        uint32_t v = pci_read32(f, (uint8_t)(PCI_BAR0 + 4 * i));
        if (!(v & BAR_IO) && (v & BAR_MEM_TYPE_MASK) == BAR_MEM_TYPE_64 && ++i == index) return false;
    }
    uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * index);
    /* sizing writes garbage addresses into the BAR for a moment: no decoding meanwhile */
    uint16_t command = pci_read16(f, PCI_COMMAND);
    pci_write16(f, PCI_COMMAND, (uint16_t)(command & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO)));
    uint32_t low, high = 0;
    uint32_t low_mask = size_mask(f, offset, &low);
    *out = (struct pci_bar){.io = (low & BAR_IO) != 0};
    if (out->io) {
        uint32_t mask = low_mask & BAR_IO_ADDR_MASK & 0xffffu;
        out->phys = low & BAR_IO_ADDR_MASK;
        out->size = mask ? (~mask & 0xffffu) + 1 : 0;
    } else {
        out->is64 = (low & BAR_MEM_TYPE_MASK) == BAR_MEM_TYPE_64;
        uint64_t mask = low_mask & BAR_MEM_ADDR_MASK;
        out->phys = low & BAR_MEM_ADDR_MASK;
        if (out->is64) {
            if (index + 1 >= PCI_BAR_COUNT) {
                pci_write16(f, PCI_COMMAND, command);
                return false;
            }
            mask |= (uint64_t)size_mask(f, (uint8_t)(offset + 4), &high) << 32;
            out->phys |= (uint64_t)high << 32;
        } else if (mask) {
            mask |= 0xffffffff00000000ull; /* a 32-bit BAR: the address bits above 31 are fixed zeros */
        }
        out->size = mask ? ~mask + 1 : 0;
    }
    pci_write16(f, PCI_COMMAND, command);
    return true;
}

uint8_t pci_find_capability(const struct pci_function *f, uint8_t id, uint8_t after) {
    if (!(pci_read16(f, PCI_STATUS) & PCI_STATUS_CAPABILITIES)) return 0;
    uint8_t at = pci_read8(f, PCI_CAPABILITY_LIST) & 0xfc;
    bool past = after == 0;
    for (unsigned n = 0; at; n++) {
        char name[8];
        if (n >= CAP_MAX_COUNT || at < CAP_FIRST_OFFSET) {
            panic("pci %s: malformed capability list (entry %u at 0x%x)", pci_name(f, name), n, at);
        }
        if (past && pci_read8(f, at) == id) return at;
        if (at == after) past = true;
        at = pci_read8(f, (uint8_t)(at + 1)) & 0xfc;
    }
    return 0;
}

volatile uint8_t *pci_map_bar(const struct pci_function *f, unsigned index, uint64_t offset, uint64_t length) {
    char name[8];
    struct pci_bar bar;
    if (!pci_bar(f, index, &bar) || bar.io || !bar.size) {
        panic("pci %s: BAR %u is not a memory BAR", pci_name(f, name), index);
    }
    if (!bar.phys) panic("pci %s: BAR %u was never assigned an address by the firmware", pci_name(f, name), index);
    if (offset > bar.size || length > bar.size - offset) {
        panic("pci %s: range 0x%llx+0x%llx lies outside BAR %u (0x%llx bytes)", pci_name(f, name),
              (unsigned long long)offset, (unsigned long long)length, index, (unsigned long long)bar.size);
    }
    uint64_t phys = bar.phys + offset;
    if (phys + length <= IDENTITY_LIMIT) return (volatile uint8_t *)(uintptr_t)phys;
    uint64_t first = ALIGN_DOWN(phys, PAGE_SIZE), end = ALIGN_UP(phys + length, PAGE_SIZE);
    if (device_window_next + (end - first) > DEVICE_WINDOW_END) {
        panic("pci %s: device window full mapping BAR %u", pci_name(f, name), index);
    }
    pci_name(f, name);
    uint64_t va = device_window_next;
    device_window_next += end - first;
    for (uint64_t p = first; p < end; p += PAGE_SIZE) {
        if (!paging_map(va + (p - first), p, paging_data_flags() | PTE_CACHE_DISABLE | PTE_WRITE_THROUGH)) {
            panic("pci %s: out of memory for the page tables of BAR %u", pci_name(f, name), index);
        }
    }
    console_verbose("pci %s: BAR %u at 0x%llx lies above 4 GiB; bytes 0x%llx+0x%llx mapped at 0x%llx", name, index,
                    (unsigned long long)bar.phys, (unsigned long long)offset, (unsigned long long)length,
                    (unsigned long long)(va + (phys - first)));
    return (volatile uint8_t *)(uintptr_t)(va + (phys - first));
}
