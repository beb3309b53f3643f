/*
 * virtio 1.x over MMIO (virtio spec 1.2, section 4.2.2, "version 2" register layout), as QEMU's
 * microvm and Firecracker expose it. Only modern devices are driven: a legacy (version 1)
 * transport is refused with a message telling the monitor to pass virtio-mmio.force-legacy=false.
 */
#ifndef KERNEL_DEV_VIRTIO_MMIO_H
#define KERNEL_DEV_VIRTIO_MMIO_H

#include "kernel/types.h"
#include "virtio_transport.h"

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_REG_MAGIC 0x000
#define VIRTIO_MMIO_REG_VERSION 0x004
#define VIRTIO_MMIO_REG_DEVICE_ID 0x008
#define VIRTIO_MMIO_REG_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_REG_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_REG_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_REG_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_REG_QUEUE_SEL 0x030
#define VIRTIO_MMIO_REG_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_REG_QUEUE_NUM 0x038
#define VIRTIO_MMIO_REG_QUEUE_READY 0x044
#define VIRTIO_MMIO_REG_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_REG_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_REG_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_REG_STATUS 0x070
#define VIRTIO_MMIO_REG_QUEUE_DESC 0x080
#define VIRTIO_MMIO_REG_QUEUE_DRIVER 0x090
#define VIRTIO_MMIO_REG_QUEUE_DEVICE 0x0a0
#define VIRTIO_MMIO_REG_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_REG_CONFIG 0x100

struct virtq;

struct virtio_mmio_device {
    struct virtio_transport transport; /* first: the ops get it back with a cast */
    volatile uint8_t *base;
    uint64_t phys;
    uint32_t irq; /* the GSI the transport raises */
    uint32_t device_id;
};

/*
 * Finds the first modern transport holding a device of `device_id`: from the
 * "virtio_mmio.device=<size>@<addr>:<irq>" entries of the kernel command line (QEMU's microvm
 * writes them), else, when `probe_window` is set, by probing microvm's standard window (8
 * transports of 512 bytes from 0xfeb00000, IRQs 5..12; on a PC that range may hold PCI BARs, so
 * only probe where there is no PCI). False when there is none; a legacy transport is a panic
 * naming it. On success out->transport is ready for a driver.
 */
bool virtio_mmio_find(const char *cmdline, uint32_t device_id, bool probe_window, struct virtio_mmio_device *out);

uint32_t virtio_mmio_read(const struct virtio_mmio_device *d, uint32_t reg);
void virtio_mmio_write(const struct virtio_mmio_device *d, uint32_t reg, uint32_t value);

/* Hands queue `index` (already laid out by virtq_init) to the device. False when the device has
 * no such queue or it is smaller than q's size. */
bool virtio_mmio_setup_queue(const struct virtio_mmio_device *d, uint16_t index, struct virtq *q);
/* Queue size the device allows for `index` (0 = no such queue). */
uint32_t virtio_mmio_queue_max(const struct virtio_mmio_device *d, uint16_t index);
void virtio_mmio_notify(const struct virtio_mmio_device *d, uint16_t index);
/* Reads and acknowledges the interrupt cause bits (1 = used buffer, 2 = configuration change). */
uint32_t virtio_mmio_ack_interrupt(const struct virtio_mmio_device *d);

#endif
