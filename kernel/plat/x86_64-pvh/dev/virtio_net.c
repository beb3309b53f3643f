/*
 * virtio-net (virtio spec 1.2, section 5.1) over virtio-mmio or virtio-pci (virtio_transport.h),
 * as the platform's raw NIC (platform.h, plat_nic_*): one receive and one transmit queue of fixed
 * 2 KiB buffers, interrupt driven. The interrupt handler only acknowledges the device and records
 * that work is waiting; frames are moved by plat_nic_receive and plat_nic_tx_* from the kernel's
 * main context (the network event loop, net/lwip/net.c).
 */
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "virtio_queue.h"
#include "virtio_transport.h"

#define VIRTIO_NET_F_CSUM (1ull << 0)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1u
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define QUEUE_RX 0
#define QUEUE_TX 1
/* Enough receive buffers to absorb a burst while the app is busy; each holds one whole frame. */
#define RX_QUEUE_SIZE 256
#define TX_QUEUE_SIZE 256
#define BUFFER_SIZE 2048
/* struct virtio_net_hdr for VERSION_1 devices: always 12 bytes (num_buffers included) */
#define NET_HDR_SIZE 12
#define CONFIG_MAC 0

static struct virtio_transport *dev;
static struct virtq rx, tx;
static uint8_t mac[6];
/* transmit descriptors not in flight: a stack of ids */
static uint16_t tx_free[TX_QUEUE_SIZE];
static uint16_t tx_free_count;
static volatile bool irq_seen;
static bool tx_csum;

static void interrupt(void) {
    if (dev->ops->ack_interrupt(dev)) irq_seen = true;
}

static uint16_t queue_size(uint16_t index, uint16_t wanted) {
    uint32_t max = dev->ops->queue_max(dev, index);
    if (!max) panic("virtio-net (%s) has no queue %u", dev->name, index);
    uint16_t size = wanted;
    while (size > max) size >>= 1;
    return size;
}

/* The first virtio network device any transport has (virtio_find). A device that fails the
 * handshake is a panic naming the reason. */
bool plat_nic_init(void) {
    dev = virtio_find(VIRTIO_DEVICE_NET);
    if (!dev) return false;
    const char *why = "";
    uint64_t features = virtio_negotiate(dev, VIRTIO_NET_F_CSUM | VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS, &why);
    if (!features) panic("virtio-net (%s): %s", dev->name, why);
    tx_csum = (features & VIRTIO_NET_F_CSUM) != 0;
    if (features & VIRTIO_NET_F_MAC) {
        for (uint32_t i = 0; i < 6; i++) mac[i] = dev->ops->config_read8(dev, CONFIG_MAC + i);
    } else {
        /* locally administered, unicast */
        static const uint8_t fallback[6] = {0x02, 0x75, 0x77, 0x00, 0x00, 0x01};
        memcpy(mac, fallback, sizeof mac);
    }
    uint16_t rx_size = queue_size(QUEUE_RX, RX_QUEUE_SIZE), tx_size = queue_size(QUEUE_TX, TX_QUEUE_SIZE);
    if (!virtq_init(&rx, rx_size, BUFFER_SIZE, true) || !virtq_init(&tx, tx_size, BUFFER_SIZE, false)) {
        panic("virtio-net: out of memory for %u + %u ring buffers", rx_size, tx_size);
    }
    /* the interrupt before the queues: on PCI each queue is bound to the MSI-X vector as it is set up */
    if (!dev->ops->attach_interrupt(dev, interrupt, &why)) panic("virtio-net (%s): %s", dev->name, why);
    if (!dev->ops->setup_queue(dev, QUEUE_RX, &rx) || !dev->ops->setup_queue(dev, QUEUE_TX, &tx)) {
        panic("virtio-net (%s) refused its queues", dev->name);
    }
    for (uint16_t i = 0; i < rx.size; i++) virtq_offer(&rx, i, BUFFER_SIZE);
    for (uint16_t i = 0; i < tx.size; i++) tx_free[tx_free_count++] = (uint16_t)(tx.size - 1 - i);

    virtio_driver_ok(dev);
    dev->ops->notify(dev, QUEUE_RX);
    console_verbose(
        "virtio-net on %s, mac %02x:%02x:%02x:%02x:%02x:%02x, %u rx / %u tx buffers, "
        "tx checksum offload %s",
        dev->name, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], rx.size, tx.size, tx_csum ? "on" : "off");
    return true;
}

const uint8_t *plat_nic_mac(void) { return mac; }

bool plat_nic_tx_checksum_offload(void) { return tx_csum; }

static void reclaim_tx(void) {
    uint16_t id;
    uint32_t len;
    while (virtq_has_used(&tx)) {
        if (!virtq_take_used(&tx, &id, &len)) panic("virtio-net: device returned bad transmit descriptor %u", id);
        tx_free[tx_free_count++] = id;
    }
}

bool plat_nic_tx_idle(void) {
    reclaim_tx();
    return tx_free_count == tx.size;
}

unsigned plat_nic_receive(plat_nic_deliver deliver, void *arg, unsigned budget) {
    irq_seen = false;
    reclaim_tx();
    unsigned delivered = 0;
    uint16_t id;
    uint32_t len;
    bool offered = false;
    while (delivered < budget && virtq_has_used(&rx)) {
        if (!virtq_take_used(&rx, &id, &len)) panic("virtio-net: device returned bad receive descriptor %u", id);
        if (len > NET_HDR_SIZE && len <= BUFFER_SIZE) {
            deliver(virtq_buffer(&rx, id) + NET_HDR_SIZE, len - NET_HDR_SIZE, arg);
            delivered++;
        }
        virtq_offer(&rx, id, BUFFER_SIZE);
        offered = true;
    }
    if (offered && virtq_device_wants_notification(&rx)) dev->ops->notify(dev, QUEUE_RX);
    return delivered;
}

uint8_t *plat_nic_tx_buffer(uint16_t *slot) {
    if (!tx_free_count) reclaim_tx();
    if (!tx_free_count) return NULL;
    *slot = tx_free[tx_free_count - 1];
    return virtq_buffer(&tx, *slot) + NET_HDR_SIZE;
}

void plat_nic_tx_submit(uint16_t slot, uint32_t len, uint16_t csum_start, uint16_t csum_offset) {
    tx_free_count--; /* the slot plat_nic_tx_buffer handed out is the top of the free stack */
    /* struct virtio_net_hdr: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers */
    uint8_t *hdr = virtq_buffer(&tx, slot);
    memset(hdr, 0, NET_HDR_SIZE); /* no segmentation offload */
    if (csum_start) {
        hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        memcpy(hdr + 6, &csum_start, 2);
        memcpy(hdr + 8, &csum_offset, 2);
    }
    virtq_offer(&tx, slot, NET_HDR_SIZE + len);
    if (virtq_device_wants_notification(&tx)) dev->ops->notify(dev, QUEUE_TX);
}

bool plat_nic_work_pending(void) { return irq_seen || virtq_has_used(&rx); }
