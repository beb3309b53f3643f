/* Split virtqueue bookkeeping for queues whose descriptors each own one fixed buffer. */
#include "virtio_queue.h"

#include "kernel/heap.h"

static void barrier(void) { __asm__ volatile("" ::: "memory"); }

bool virtq_init(struct virtq *q, uint16_t size, uint32_t buffer_size, bool device_writes) {
    /* descriptor table (16-byte aligned), then the available ring, then the used ring (4-aligned) */
    uint64_t desc_bytes = 16ull * size;
    uint64_t avail_bytes = 6 + 2ull * size;
    uint64_t used_offset = ALIGN_UP(desc_bytes + avail_bytes, 8);
    uint64_t used_bytes = 6 + 8ull * size;
    uint8_t *rings = heap_alloc(used_offset + used_bytes);
    uint8_t *buffers = heap_alloc((uint64_t)size * buffer_size);
    if (!rings || !buffers) {
        if (rings) heap_free(rings);
        if (buffers) heap_free(buffers);
        return false;
    }
    q->size = size;
    q->desc = (struct virtq_desc *)rings;
    q->avail = (struct virtq_avail *)(rings + desc_bytes);
    q->used = (struct virtq_used *)(rings + used_offset);
    q->last_used = 0;
    q->buffers = buffers;
    q->buffer_size = buffer_size;
    for (uint16_t i = 0; i < size; i++) {
        q->desc[i].addr = (uint64_t)(uintptr_t)virtq_buffer(q, i);
        q->desc[i].len = buffer_size;
        q->desc[i].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
        q->desc[i].next = 0;
    }
    return true;
}

void virtq_offer(struct virtq *q, uint16_t id, uint32_t len) {
    q->desc[id].len = len;
    uint16_t idx = q->avail->idx;
    q->avail->ring[idx & (q->size - 1)] = id;
    barrier(); /* the ring entry before the index that publishes it */
    *(volatile uint16_t *)&q->avail->idx = (uint16_t)(idx + 1);
}

bool virtq_device_wants_notification(const struct virtq *q) {
    /* A full fence: the index store above must be visible before the flag is read, or the device
     * could re-enable notifications, find no new buffer, and never hear of this one (x86 lets a
     * later load pass an earlier store). */
    __asm__ volatile("mfence" ::: "memory");
    return !(*(volatile uint16_t *)&q->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

bool virtq_has_used(const struct virtq *q) { return *(volatile uint16_t *)&q->used->idx != q->last_used; }

bool virtq_take_used(struct virtq *q, uint16_t *id, uint32_t *len) {
    if (!virtq_has_used(q)) return false;
    barrier(); /* the index before the entry it covers */
    struct virtq_used_elem e = ((volatile struct virtq_used_elem *)q->used->ring)[q->last_used & (q->size - 1)];
    q->last_used++;
    *id = (uint16_t)e.id;
    *len = e.len;
    return e.id < q->size;
}
