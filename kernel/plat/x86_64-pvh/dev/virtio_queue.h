/*
 * Split virtqueues (virtio spec 1.2, section 2.7) with a fixed buffer per descriptor: descriptor i
 * always points at buffer i, so the driver only recycles indices. The three rings live in one
 * zeroed heap block (identity-mapped: its address is its physical address).
 */
#ifndef KERNEL_DEV_VIRTIO_QUEUE_H
#define KERNEL_DEV_VIRTIO_QUEUE_H

#include "kernel/types.h"

#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_USED_F_NO_NOTIFY 1u

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[];
};

struct virtq {
    uint16_t size; /* a power of two */
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint16_t last_used; /* next used entry to look at */
    uint8_t *buffers;   /* size * buffer_size bytes */
    uint32_t buffer_size;
};

/* Lays out a queue of `size` descriptors, each owning one buffer of `buffer_size` bytes that the
 * device writes (`device_writes`) or reads. False when memory is short. */
bool virtq_init(struct virtq *q, uint16_t size, uint32_t buffer_size, bool device_writes);
static inline uint8_t *virtq_buffer(const struct virtq *q, uint16_t id) {
    return q->buffers + (uint64_t)id * q->buffer_size;
}
/* Offers descriptor `id` with `len` bytes (device-readable queues) or its whole buffer. */
void virtq_offer(struct virtq *q, uint16_t id, uint32_t len);
/* After offering: false when the device said it needs no notification now (VIRTQ_USED_F_NO_NOTIFY:
 * it is already working through the queue and will look at the new buffers without one). */
bool virtq_device_wants_notification(const struct virtq *q);
/* Takes the next used descriptor: true with its id and written length, false when none is new. */
bool virtq_take_used(struct virtq *q, uint16_t *id, uint32_t *len);
/* True when the device has used buffers the driver has not taken yet. */
bool virtq_has_used(const struct virtq *q);

#endif
