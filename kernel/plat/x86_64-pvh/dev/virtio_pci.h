/*
 * virtio 1.x over PCI, the modern interface only (virtio spec 1.2, section 4.1): the vendor
 * capabilities locate the common, notification and device configuration structures in the BARs. Interrupts come by
 * MSI-X, one vector shared by all queues, delivered to a local APIC vector (arch/apic.c); configuration-change
 * interrupts are not used. A device without MSI-X or without the modern capabilities (a legacy-only device) is a panic
 * naming what is missing.
 */
#ifndef KERNEL_DEV_VIRTIO_PCI_H
#define KERNEL_DEV_VIRTIO_PCI_H

#include "kernel/types.h"
#include "pci.h"
#include "virtio_transport.h"

#define VIRTIO_PCI_MAX_QUEUES 8

struct virtio_pci_device {
    struct virtio_transport transport; /* first: the ops get it back with a cast */
    struct pci_function pci;
    uint32_t device_id;
    volatile uint8_t *common;
    volatile uint8_t *device_config;
    uint32_t device_config_length;
    volatile uint8_t *notify_base;
    uint32_t notify_length;
    uint32_t notify_multiplier;
    volatile uint16_t *notify[VIRTIO_PCI_MAX_QUEUES]; /* doorbell of each queue set up */
    volatile uint8_t *msix_table;
    uint16_t msix_vectors;
    bool interrupt_attached;
};

/* Finds the first virtio PCI function of `device_id` (virtio device type: 1 = network) on any
 * bus, enables its memory decoding and bus mastering, and maps its structures. False when there
 * is no PCI bus or no such device. On success out->transport is ready for a driver. */
bool virtio_pci_find(uint32_t device_id, struct virtio_pci_device *out);

#endif
