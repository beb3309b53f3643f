/* The modern virtio PCI transport: discovery, capability parsing, status and feature registers,
 * queues, MSI-X. */
#include "virtio_pci.h"

#include "pvh/apic.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "pvh/io.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "virtio_queue.h"

#define VIRTIO_PCI_VENDOR 0x1af4
/* virtio spec 1.2, 4.1.2: modern-only devices are 0x1040 + type; transitional ones 0x1000..0x103f
 * with the type in the subsystem device ID */
#define VIRTIO_PCI_MODERN_BASE 0x1040
#define VIRTIO_PCI_MODERN_LAST 0x107f
#define VIRTIO_PCI_TRANSITIONAL_FIRST 0x1000
#define VIRTIO_PCI_TRANSITIONAL_LAST 0x103f

/* struct virtio_pci_cap */
#define CAP_CFG_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CAP_NOTIFY_MULTIPLIER 16
#define CFG_TYPE_COMMON 1
#define CFG_TYPE_NOTIFY 2
#define CFG_TYPE_DEVICE 4

/* struct virtio_pci_common_cfg */
#define COMMON_DEVICE_FEATURE_SELECT 0x00
#define COMMON_DEVICE_FEATURE 0x04
#define COMMON_DRIVER_FEATURE_SELECT 0x08
#define COMMON_DRIVER_FEATURE 0x0c
#define COMMON_MSIX_CONFIG 0x10
#define COMMON_NUM_QUEUES 0x12
#define COMMON_DEVICE_STATUS 0x14
#define COMMON_QUEUE_SELECT 0x16
#define COMMON_QUEUE_SIZE 0x18
#define COMMON_QUEUE_MSIX_VECTOR 0x1a
#define COMMON_QUEUE_ENABLE 0x1c
#define COMMON_QUEUE_NOTIFY_OFF 0x1e
#define COMMON_QUEUE_DESC 0x20
#define COMMON_QUEUE_DRIVER 0x28
#define COMMON_QUEUE_DEVICE 0x30
#define COMMON_LENGTH 0x38
#define VIRTIO_MSI_NO_VECTOR 0xffff

/* MSI-X capability and table (PCI local bus 3.0, 6.8.2) */
#define MSIX_CONTROL 2
#define MSIX_TABLE 4
#define MSIX_CONTROL_TABLE_SIZE 0x7ffu
#define MSIX_CONTROL_FUNCTION_MASK (1u << 14)
#define MSIX_CONTROL_ENABLE (1u << 15)
#define MSIX_TABLE_BIR 0x7u
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_ADDRESS_LOW 0
#define MSIX_ENTRY_ADDRESS_HIGH 4
#define MSIX_ENTRY_DATA 8
#define MSIX_ENTRY_CONTROL 12
#define MSIX_ENTRY_MASKED 1u
#define QUEUE_VECTOR 0 /* every queue signals through MSI-X table entry 0 */

#define RESET_POLL_LIMIT 1000000u

static const struct virtio_transport_ops pci_ops;

static uint8_t read8(volatile uint8_t *base, uint32_t offset) { return *(volatile uint8_t *)(base + offset); }
static uint16_t read16(volatile uint8_t *base, uint32_t offset) { return *(volatile uint16_t *)(base + offset); }
static uint32_t read32(volatile uint8_t *base, uint32_t offset) { return *(volatile uint32_t *)(base + offset); }
static void write8(volatile uint8_t *base, uint32_t offset, uint8_t v) { *(volatile uint8_t *)(base + offset) = v; }
static void write16(volatile uint8_t *base, uint32_t offset, uint16_t v) { *(volatile uint16_t *)(base + offset) = v; }
static void write32(volatile uint8_t *base, uint32_t offset, uint32_t v) { *(volatile uint32_t *)(base + offset) = v; }
/* the spec lets 64-bit fields be written as two 32-bit halves, low first */
static void write64(volatile uint8_t *base, uint32_t offset, uint64_t v) {
    write32(base, offset, (uint32_t)v);
    write32(base, offset + 4, (uint32_t)(v >> 32));
}

struct search {
    uint32_t device_id;
    struct pci_function found;
};

static bool matches(const struct pci_function *f, void *arg) {
    struct search *s = arg;
    if (f->vendor != VIRTIO_PCI_VENDOR || f->header_type != 0) return false;
    bool modern = f->device >= VIRTIO_PCI_MODERN_BASE && f->device <= VIRTIO_PCI_MODERN_LAST &&
                  f->device - VIRTIO_PCI_MODERN_BASE == s->device_id;
    bool transitional = f->device >= VIRTIO_PCI_TRANSITIONAL_FIRST && f->device <= VIRTIO_PCI_TRANSITIONAL_LAST &&
                        pci_read16(f, PCI_SUBSYSTEM_ID) == s->device_id;
    if (!modern && !transitional) return false;
    s->found = *f;
    return true;
}

/* Maps the structure a vendor capability at `cap` describes; its length in *length. */
static volatile uint8_t *map_structure(const struct pci_function *f, uint8_t cap, uint32_t *length) {
    uint8_t bar = pci_read8(f, (uint8_t)(cap + CAP_BAR));
    uint32_t offset = pci_read32(f, (uint8_t)(cap + CAP_OFFSET));
    *length = pci_read32(f, (uint8_t)(cap + CAP_LENGTH));
    return pci_map_bar(f, bar, offset, *length);
}

bool virtio_pci_find(uint32_t device_id, struct virtio_pci_device *out) {
    if (!pci_present()) return false;
    struct search s = {.device_id = device_id};
    if (!pci_enumerate(matches, &s)) return false;
    *out = (struct virtio_pci_device){.transport.ops = &pci_ops, .pci = s.found, .device_id = device_id};
    const struct pci_function *f = &out->pci;
    char name[8];
    pci_name(f, name);
    format(out->transport.name, sizeof out->transport.name, "virtio-pci %s", name);

    uint32_t common_length = 0;
    for (uint8_t cap = pci_find_capability(f, PCI_CAP_ID_VENDOR, 0); cap;
         cap = pci_find_capability(f, PCI_CAP_ID_VENDOR, cap)) {
        uint8_t type = pci_read8(f, (uint8_t)(cap + CAP_CFG_TYPE));
        uint8_t bar = pci_read8(f, (uint8_t)(cap + CAP_BAR));
        if (bar >= PCI_BAR_COUNT) continue; /* reserved BAR numbers: skip, as the spec asks */
        /* the first capability of each type is the one to use (spec 4.1.4.1) */
        if (type == CFG_TYPE_COMMON && !out->common) {
            out->common = map_structure(f, cap, &common_length);
        } else if (type == CFG_TYPE_NOTIFY && !out->notify_base) {
            out->notify_multiplier = pci_read32(f, (uint8_t)(cap + CAP_NOTIFY_MULTIPLIER));
            out->notify_base = map_structure(f, cap, &out->notify_length);
        } else if (type == CFG_TYPE_DEVICE && !out->device_config) {
            out->device_config = map_structure(f, cap, &out->device_config_length);
        }
    }
    /* the ISR structure is not needed: with MSI-X the device does not set it */
    if (!out->common || !out->notify_base) {
        panic(
            "%s (device %04x): no modern virtio capabilities (common and notification structures); "
            "a legacy-only device? Run QEMU with -device virtio-*-pci,disable-legacy=on",
            out->transport.name, f->device);
    }
    if (common_length < COMMON_LENGTH) {
        panic("%s: common configuration structure of %u bytes, expected at least %u", out->transport.name,
              common_length, COMMON_LENGTH);
    }
    pci_update_command(f, PCI_COMMAND_MEMORY | PCI_COMMAND_BUS_MASTER, 0);
    return true;
}

static struct virtio_pci_device *of(struct virtio_transport *t) { return (struct virtio_pci_device *)t; }

static bool op_reset(struct virtio_transport *t, const char **why) {
    volatile uint8_t *c = of(t)->common;
    /* the reset is done once the status reads back as 0 (spec 4.1.4.3.2) */
    write8(c, COMMON_DEVICE_STATUS, 0);
    for (uint32_t n = 0; read8(c, COMMON_DEVICE_STATUS) != 0; n++) {
        if (n == RESET_POLL_LIMIT) {
            *why = "device did not finish its reset";
            return false;
        }
        __builtin_ia32_pause();
    }
    return true;
}

static uint8_t op_get_status(struct virtio_transport *t) { return read8(of(t)->common, COMMON_DEVICE_STATUS); }

static void op_set_status(struct virtio_transport *t, uint8_t status) {
    write8(of(t)->common, COMMON_DEVICE_STATUS, status);
}

static uint32_t op_device_features(struct virtio_transport *t, uint32_t select) {
    write32(of(t)->common, COMMON_DEVICE_FEATURE_SELECT, select);
    return read32(of(t)->common, COMMON_DEVICE_FEATURE);
}

static void op_set_driver_features(struct virtio_transport *t, uint32_t select, uint32_t bits) {
    write32(of(t)->common, COMMON_DRIVER_FEATURE_SELECT, select);
    write32(of(t)->common, COMMON_DRIVER_FEATURE, bits);
}

static bool op_attach_interrupt(struct virtio_transport *t, irq_handler handler, const char **why) {
    struct virtio_pci_device *d = of(t);
    const struct pci_function *f = &d->pci;
    uint8_t cap = pci_find_capability(f, PCI_CAP_ID_MSIX, 0);
    if (!cap) {
        *why = "no MSI-X capability (QEMU: do not pass vectors=0); INTx is not supported";
        return false;
    }
    uint16_t control = pci_read16(f, (uint8_t)(cap + MSIX_CONTROL));
    uint32_t table = pci_read32(f, (uint8_t)(cap + MSIX_TABLE));
    d->msix_vectors = (uint16_t)((control & MSIX_CONTROL_TABLE_SIZE) + 1);
    d->msix_table =
        pci_map_bar(f, table & MSIX_TABLE_BIR, table & ~MSIX_TABLE_BIR, (uint64_t)d->msix_vectors * MSIX_ENTRY_SIZE);
    uint64_t address;
    uint32_t data;
    int slot = apic_claim_msi(&address, &data);
    if (slot < 0) {
        *why = "no free interrupt vector for MSI-X";
        return false;
    }
    interrupts_set_irq_handler((unsigned)slot, handler);
    /* every entry masked but ours, so a stray vector choice by the device cannot fire */
    for (uint16_t i = 0; i < d->msix_vectors; i++) {
        write32(d->msix_table, i * MSIX_ENTRY_SIZE + MSIX_ENTRY_CONTROL, MSIX_ENTRY_MASKED);
    }
    volatile uint8_t *entry = d->msix_table + QUEUE_VECTOR * MSIX_ENTRY_SIZE;
    write32(entry, MSIX_ENTRY_ADDRESS_LOW, (uint32_t)address);
    write32(entry, MSIX_ENTRY_ADDRESS_HIGH, (uint32_t)(address >> 32));
    write32(entry, MSIX_ENTRY_DATA, data);
    write32(entry, MSIX_ENTRY_CONTROL, 0);
    pci_write16(f, (uint8_t)(cap + MSIX_CONTROL),
                (uint16_t)((control | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_FUNCTION_MASK));
    pci_update_command(f, PCI_COMMAND_INTX_DISABLE, 0);
    /* configuration changes (link status) are not acted on: no vector for them */
    write16(d->common, COMMON_MSIX_CONFIG, VIRTIO_MSI_NO_VECTOR);
    d->interrupt_attached = true;
    size_t used = strlen(t->name);
    format(t->name + used, sizeof t->name - used, " msi-x vector %d", VECTOR_IRQ_BASE + slot);
    return true;
}

static uint32_t op_queue_max(struct virtio_transport *t, uint16_t index) {
    volatile uint8_t *c = of(t)->common;
    if (index >= read16(c, COMMON_NUM_QUEUES)) return 0;
    write16(c, COMMON_QUEUE_SELECT, index);
    if (read16(c, COMMON_QUEUE_ENABLE)) return 0; /* already in use: not ours to set up */
    return read16(c, COMMON_QUEUE_SIZE);
}

static bool op_setup_queue(struct virtio_transport *t, uint16_t index, struct virtq *q) {
    struct virtio_pci_device *d = of(t);
    volatile uint8_t *c = d->common;
    uint32_t max = op_queue_max(t, index);
    if (!max || q->size > max || index >= VIRTIO_PCI_MAX_QUEUES) return false;
    write16(c, COMMON_QUEUE_SIZE, q->size);
    if (d->interrupt_attached) {
        write16(c, COMMON_QUEUE_MSIX_VECTOR, QUEUE_VECTOR);
        /* the device answers NO_VECTOR when it could not take the vector (spec 4.1.5.1.2) */
        if (read16(c, COMMON_QUEUE_MSIX_VECTOR) != QUEUE_VECTOR) return false;
    }
    write64(c, COMMON_QUEUE_DESC, (uint64_t)(uintptr_t)q->desc);
    write64(c, COMMON_QUEUE_DRIVER, (uint64_t)(uintptr_t)q->avail);
    write64(c, COMMON_QUEUE_DEVICE, (uint64_t)(uintptr_t)q->used);
    uint64_t doorbell = (uint64_t)read16(c, COMMON_QUEUE_NOTIFY_OFF) * d->notify_multiplier;
    if (doorbell + 2 > d->notify_length) {
        panic("%s: queue %u's doorbell at offset 0x%llx lies outside the notification structure (%u bytes)", t->name,
              index, (unsigned long long)doorbell, d->notify_length);
    }
    d->notify[index] = (volatile uint16_t *)(d->notify_base + doorbell);
    write16(c, COMMON_QUEUE_ENABLE, 1);
    return true;
}

static void op_notify(struct virtio_transport *t, uint16_t index) {
    __asm__ volatile("" ::: "memory"); /* ring updates before the doorbell (x86 keeps store order) */
    *of(t)->notify[index] = index;
}

static uint8_t op_config_read8(struct virtio_transport *t, uint32_t offset) {
    struct virtio_pci_device *d = of(t);
    if (!d->device_config || offset >= d->device_config_length) {
        panic("%s: device configuration byte %u is beyond its %u bytes", t->name, offset, d->device_config_length);
    }
    return read8(d->device_config, offset);
}

/* With MSI-X a vector means a used buffer (config changes have none) and the ISR is not set
 * (spec 4.1.4.5): nothing to read or acknowledge. */
static uint32_t op_ack_interrupt(struct virtio_transport *t) {
    (void)t;
    return 1;
}

static const struct virtio_transport_ops pci_ops = {
    .reset = op_reset,
    .get_status = op_get_status,
    .set_status = op_set_status,
    .device_features = op_device_features,
    .set_driver_features = op_set_driver_features,
    .attach_interrupt = op_attach_interrupt,
    .queue_max = op_queue_max,
    .setup_queue = op_setup_queue,
    .notify = op_notify,
    .config_read8 = op_config_read8,
    .ack_interrupt = op_ack_interrupt,
};
