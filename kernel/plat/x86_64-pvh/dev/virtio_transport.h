/*
 * What a virtio device driver needs from its transport (virtio spec 1.2, section 4): the device
 * status and feature words, queue registration, doorbells, device configuration and the interrupt.
 * virtio_mmio.c and virtio_pci.c each fill in the register accessors; the initialisation sequence
 * built on them (spec 3.1.1) is transport-neutral and lives once, in virtio_transport.c, and so
 * does discovery over all transports (virtio_find). Drivers (virtio_net.c) see only this header
 * and virtio_queue.h; KernelLayoutTest keeps it so.
 *
 * Order of use: virtio_find, virtio_negotiate, attach_interrupt, queue_max/setup_queue per queue,
 * virtio_driver_ok.
 */
#ifndef KERNEL_DEV_VIRTIO_TRANSPORT_H
#define KERNEL_DEV_VIRTIO_TRANSPORT_H

#include "pvh/interrupts.h"
#include "kernel/types.h"

#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED 128u

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTIO_DEVICE_NET 1u

struct virtq;
struct virtio_transport;

struct virtio_transport_ops {
    /* Writes status 0 and waits until the device has finished its reset. False (with `why`) when
     * it does not finish. */
    bool (*reset)(struct virtio_transport *t, const char **why);
    uint8_t (*get_status)(struct virtio_transport *t);
    void (*set_status)(struct virtio_transport *t, uint8_t status);
    /* 32 bits of the device's feature set: bits 32*select .. 32*select+31 */
    uint32_t (*device_features)(struct virtio_transport *t, uint32_t select);
    void (*set_driver_features)(struct virtio_transport *t, uint32_t select, uint32_t bits);
    /* Makes `handler` run (in interrupt context) whenever any queue of the device has used
     * buffers; before the queues are set up. False with `why` when it cannot be wired. */
    bool (*attach_interrupt)(struct virtio_transport *t, irq_handler handler, const char **why);
    /* Queue size the device allows for `index` (0 = no such queue, or already in use). */
    uint32_t (*queue_max)(struct virtio_transport *t, uint16_t index);
    /* Hands queue `index` (laid out by virtq_init) to the device. False when the device has no
     * such queue, it is smaller than q's size, or the queue's interrupt cannot be wired. */
    bool (*setup_queue)(struct virtio_transport *t, uint16_t index, struct virtq *q);
    /* Rings queue `index`'s doorbell; ring updates made before the call are visible to the device. */
    void (*notify)(struct virtio_transport *t, uint16_t index);
    /* Byte `offset` of the device-specific configuration space. */
    uint8_t (*config_read8)(struct virtio_transport *t, uint32_t offset);
    /* From the interrupt handler: acknowledges the interrupt and returns its cause bits
     * (1 = used buffer, 2 = configuration change); 0 when the device did not interrupt. */
    uint32_t (*ack_interrupt)(struct virtio_transport *t);
};

struct virtio_transport {
    const struct virtio_transport_ops *ops;
    /* for messages, e.g. "virtio-mmio 0xfeb00000 irq 5" or "virtio-pci 00:02.0 msi-x" */
    char name[48];
};

/* The transport of the first device of type `device_id` (VIRTIO_DEVICE_NET, ...): a virtio-mmio
 * transport named on the kernel command line (virtio_mmio.h), else a virtio PCI function, else, on
 * a machine without PCI, a transport in microvm's MMIO window. NULL when there is none; a legacy
 * or incomplete device is a panic naming what is missing. */
struct virtio_transport *virtio_find(uint32_t device_id);

/* Reset, ACKNOWLEDGE|DRIVER, feature negotiation (VERSION_1 always required, `wanted` accepted
 * where the device offers it), FEATURES_OK. Returns the negotiated set, or 0 on failure (device
 * marked FAILED; `why` says what went wrong). */
uint64_t virtio_negotiate(struct virtio_transport *t, uint64_t wanted, const char **why);
/* Tells the device the driver is ready (after the queues are set up). */
void virtio_driver_ok(struct virtio_transport *t);

#endif
