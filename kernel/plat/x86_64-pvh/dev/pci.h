/*
 * PCI configuration space through the legacy port pair 0xcf8/0xcfc (configuration mechanism #1,
 * which QEMU's q35 and i440fx both decode; the first 256 bytes of each function's space are all
 * a virtio driver needs), enumeration of bus 0 and the buses behind PCI-to-PCI bridges, BAR
 * decoding (32- and 64-bit), the capability list, and mapping memory BARs for the kernel.
 */
#ifndef KERNEL_DEV_PCI_H
#define KERNEL_DEV_PCI_H

#include "kernel/types.h"

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34

#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_BUS_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAPABILITIES (1u << 4)

#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_MSIX 0x11

#define PCI_BAR_COUNT 6

struct pci_function {
    uint8_t bus, slot, function;
    uint16_t vendor, device;
    uint8_t class_code, subclass;
    uint8_t header_type; /* without the multi-function bit: 0 device, 1 PCI-to-PCI bridge */
};

struct pci_bar {
    uint64_t phys;
    uint64_t size; /* 0: the BAR is not implemented */
    bool io;       /* an I/O port range rather than memory */
    bool is64;     /* a 64-bit memory BAR (it also occupies the next BAR slot) */
};

/* True when a configuration mechanism #1 host bridge answers (false on microvm and Firecracker). */
bool pci_present(void);

uint32_t pci_read32(const struct pci_function *f, uint8_t offset);
uint16_t pci_read16(const struct pci_function *f, uint8_t offset);
uint8_t pci_read8(const struct pci_function *f, uint8_t offset);
void pci_write32(const struct pci_function *f, uint8_t offset, uint32_t value);
void pci_write16(const struct pci_function *f, uint8_t offset, uint16_t value);

/* Calls `visit` for every function on bus 0 and on the buses behind bridges, depth first, until
 * it returns true; returns whether one did. */
typedef bool (*pci_visitor)(const struct pci_function *f, void *arg);
bool pci_enumerate(pci_visitor visit, void *arg);

/* Decodes BAR `index` (0..5) of a header-type-0 function, sizing it with memory and I/O decoding
 * briefly off. False when the index is out of range or names the upper half of a 64-bit BAR. */
bool pci_bar(const struct pci_function *f, unsigned index, struct pci_bar *out);

/* Offset of the first capability with `id` after the one at `after` (0: from the start of the
 * list), or 0 when there is none. A malformed list (a loop or a pointer into the header) is a
 * panic naming the function. */
uint8_t pci_find_capability(const struct pci_function *f, uint8_t id, uint8_t after);

/* Kernel address of bytes [offset, offset + length) of memory BAR `index`: the identity map below
 * 4 GiB, else pages mapped uncached into the device window (README, "Memory map"). Panics naming
 * the function when the BAR is not a memory BAR, is unassigned, or the range does not fit in it. */
volatile uint8_t *pci_map_bar(const struct pci_function *f, unsigned index, uint64_t offset, uint64_t length);

/* Sets command-register bits `set` and clears `clear`. */
void pci_update_command(const struct pci_function *f, uint16_t set, uint16_t clear);

/* "bb:ss.f" for messages; `buf` must hold 8 bytes. */
const char *pci_name(const struct pci_function *f, char buf[8]);

#endif
