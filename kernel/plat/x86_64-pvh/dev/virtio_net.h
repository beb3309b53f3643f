/*
 * virtio-net (virtio spec 1.2, section 5.1) over virtio-mmio or virtio-pci (virtio_transport.h):
 * one receive and one transmit queue of fixed 2 KiB buffers, interrupt driven. The interrupt
 * handler only acknowledges the device and records that work is waiting; frames are moved by
 * virtio_net_receive and virtio_net_tx_* from the kernel's main context (the network event loop,
 * net/net.c).
 */
#ifndef KERNEL_DEV_VIRTIO_NET_H
#define KERNEL_DEV_VIRTIO_NET_H

#include "kernel/types.h"

#define VIRTIO_NET_MAX_FRAME 1514 /* Ethernet header + 1500-byte MTU, no FCS */

/* Finds and starts the device: a virtio-mmio transport named on the kernel command line (see
 * virtio_mmio_find for `cmdline`), else a virtio PCI function, else, on a machine without PCI, a
 * transport in microvm's MMIO window. False when there is none.
 * A device that fails the handshake is a panic naming the reason. */
bool virtio_net_init(const char *cmdline);
const uint8_t *virtio_net_mac(void);

/* Hands each received frame (Ethernet header first) to `deliver`, at most `budget` of them, and
 * gives the buffers back to the device. Returns the number delivered. */
typedef void (*virtio_net_deliver)(const uint8_t *frame, uint32_t len, void *arg);
unsigned virtio_net_receive(virtio_net_deliver deliver, void *arg, unsigned budget);

/* A free transmit buffer of VIRTIO_NET_MAX_FRAME bytes, or NULL when all are in flight. */
uint8_t *virtio_net_tx_buffer(uint16_t *slot);
/* Queues the frame of `len` bytes written into slot's buffer and rings the doorbell. With
 * `csum_start` nonzero the device completes a checksum: it sums the frame from csum_start to the
 * end (the field at csum_start + csum_offset holding the pseudo-header sum) and stores the result
 * in that field. Only when virtio_net_tx_checksum_offload() said yes. */
void virtio_net_tx_submit(uint16_t slot, uint32_t len, uint16_t csum_start, uint16_t csum_offset);
/* True when the device completes TCP/UDP checksums of sent frames (VIRTIO_NET_F_CSUM). */
bool virtio_net_tx_checksum_offload(void);

/* True when the device has signalled work (received frames or finished sends) not yet handled.
 * Call with interrupts off before halting. */
bool virtio_net_work_pending(void);

#endif
