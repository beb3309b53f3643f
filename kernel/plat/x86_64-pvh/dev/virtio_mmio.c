/* The virtio-mmio transport: discovery, status and feature registers, queue registration. */
#include "virtio_mmio.h"

#include "pvh/apic.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "virtio_queue.h"

/* QEMU microvm's layout with neither ACPI nor the second I/O APIC (hw/i386/microvm.c): with ACPI
 * the transports move to IRQs 16..23, with ioapic2 to 24.., which the probe cannot know; QEMU's
 * command-line entries (below) always say, and the monitor turns both off. */
#define MICROVM_MMIO_BASE 0xfeb00000ull
#define MICROVM_MMIO_STRIDE 0x200ull
#define MICROVM_MMIO_COUNT 8
#define MICROVM_MMIO_IRQ_BASE 5
/* only routable IRQs are of use (include/pvh/interrupts.h: ISA IRQs 0..15) */
#define MAX_ROUTABLE_IRQ 15
#define CMDLINE_KEY "virtio_mmio.device="
#define CMDLINE_MAX 4096

uint32_t virtio_mmio_read(const struct virtio_mmio_device *d, uint32_t reg) {
    return *(volatile uint32_t *)(d->base + reg);
}

void virtio_mmio_write(const struct virtio_mmio_device *d, uint32_t reg, uint32_t value) {
    *(volatile uint32_t *)(d->base + reg) = value;
}

/* Parses a number in C notation (decimal or 0x hex) with an optional K/M/G suffix. */
static const char *parse_number(const char *s, uint64_t *out) {
    uint64_t v = 0;
    int digits = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        for (;; s++, digits++) {
            char c = *s;
            unsigned d;
            if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
            else break;
            if (digits >= 16) return NULL;
            v = v << 4 | d;
        }
    } else {
        for (; *s >= '0' && *s <= '9'; s++, digits++) {
            if (digits >= 19) return NULL;
            v = v * 10 + (uint64_t)(*s - '0');
        }
    }
    if (!digits) return NULL;
    if (*s == 'K' || *s == 'k') {
        v <<= 10;
        s++;
    } else if (*s == 'M' || *s == 'm') {
        v <<= 20;
        s++;
    } else if (*s == 'G' || *s == 'g') {
        v <<= 30;
        s++;
    }
    *out = v;
    return s;
}

/* True when the transport at `phys` is a modern device of `device_id`. */
static bool probe(uint64_t phys, uint32_t irq, uint32_t device_id, struct virtio_mmio_device *out) {
    struct virtio_mmio_device d = {.base = (volatile uint8_t *)(uintptr_t)phys, .phys = phys, .irq = irq};
    if (virtio_mmio_read(&d, VIRTIO_MMIO_REG_MAGIC) != VIRTIO_MMIO_MAGIC) return false;
    d.device_id = virtio_mmio_read(&d, VIRTIO_MMIO_REG_DEVICE_ID);
    if (d.device_id != device_id) return false;
    uint32_t version = virtio_mmio_read(&d, VIRTIO_MMIO_REG_VERSION);
    if (version == 1) {
        panic(
            "virtio-mmio device %u at 0x%llx is a legacy (version 1) transport; run QEMU with "
            "-global virtio-mmio.force-legacy=false",
            device_id, (unsigned long long)phys);
    }
    if (version != 2) {
        console_verbose("virtio-mmio at 0x%llx: unknown transport version %u, skipped", (unsigned long long)phys,
                        version);
        return false;
    }
    if (irq > MAX_ROUTABLE_IRQ) {
        panic(
            "virtio-mmio device %u at 0x%llx uses IRQ %u, beyond the I/O APIC pins the kernel routes (0..%u); "
            "run QEMU's microvm with ioapic2=off",
            device_id, (unsigned long long)phys, irq, MAX_ROUTABLE_IRQ);
    }
    *out = d;
    return true;
}

static const struct virtio_transport_ops mmio_ops;

static void make_transport(struct virtio_mmio_device *d) {
    d->transport.ops = &mmio_ops;
    format(d->transport.name, sizeof d->transport.name, "virtio-mmio 0x%llx irq %u", (unsigned long long)d->phys,
           d->irq);
}

bool virtio_mmio_find(const char *cmdline, uint32_t device_id, bool probe_window, struct virtio_mmio_device *out) {
    bool listed = false;
    if (cmdline) {
        size_t keylen = strlen(CMDLINE_KEY);
        for (size_t i = 0; cmdline[i] && i < CMDLINE_MAX; i++) {
            if ((i && cmdline[i - 1] != ' ') || strncmp(cmdline + i, CMDLINE_KEY, keylen) != 0) continue;
            listed = true;
            uint64_t size, addr, irq;
            const char *p = parse_number(cmdline + i + keylen, &size);
            if (p && *p == '@') p = parse_number(p + 1, &addr);
            else p = NULL;
            if (p && *p == ':') p = parse_number(p + 1, &irq);
            else p = NULL;
            if (!p || (*p && *p != ' ' && *p != ':') || size < VIRTIO_MMIO_REG_CONFIG || irq > 255) {
                panic("kernel command line: malformed %s entry at byte %llu", CMDLINE_KEY, (unsigned long long)i);
            }
            if (probe(addr, (uint32_t)irq, device_id, out)) {
                make_transport(out);
                console_verbose("virtio-mmio device %u from the kernel command line", device_id);
                return true;
            }
        }
    }
    if (listed || !probe_window) return false; /* the command line is the complete list when it has one */
    for (unsigned i = 0; i < MICROVM_MMIO_COUNT; i++) {
        if (probe(MICROVM_MMIO_BASE + i * MICROVM_MMIO_STRIDE, MICROVM_MMIO_IRQ_BASE + i, device_id, out)) {
            make_transport(out);
            console_verbose("virtio-mmio device %u probed in microvm's window (no command-line entry)", device_id);
            return true;
        }
    }
    return false;
}

uint32_t virtio_mmio_queue_max(const struct virtio_mmio_device *d, uint16_t index) {
    virtio_mmio_write(d, VIRTIO_MMIO_REG_QUEUE_SEL, index);
    if (virtio_mmio_read(d, VIRTIO_MMIO_REG_QUEUE_READY)) return 0; /* already in use: not ours to set up */
    return virtio_mmio_read(d, VIRTIO_MMIO_REG_QUEUE_NUM_MAX);
}

static void write64(const struct virtio_mmio_device *d, uint32_t reg, uint64_t v) {
    virtio_mmio_write(d, reg, (uint32_t)v);
    virtio_mmio_write(d, reg + 4, (uint32_t)(v >> 32));
}

bool virtio_mmio_setup_queue(const struct virtio_mmio_device *d, uint16_t index, struct virtq *q) {
    uint32_t max = virtio_mmio_queue_max(d, index);
    if (!max || q->size > max) return false;
    virtio_mmio_write(d, VIRTIO_MMIO_REG_QUEUE_NUM, q->size);
    write64(d, VIRTIO_MMIO_REG_QUEUE_DESC, (uint64_t)(uintptr_t)q->desc);
    write64(d, VIRTIO_MMIO_REG_QUEUE_DRIVER, (uint64_t)(uintptr_t)q->avail);
    write64(d, VIRTIO_MMIO_REG_QUEUE_DEVICE, (uint64_t)(uintptr_t)q->used);
    virtio_mmio_write(d, VIRTIO_MMIO_REG_QUEUE_READY, 1);
    return true;
}

void virtio_mmio_notify(const struct virtio_mmio_device *d, uint16_t index) {
    __asm__ volatile("" ::: "memory"); /* ring updates before the doorbell (x86 keeps store order) */
    virtio_mmio_write(d, VIRTIO_MMIO_REG_QUEUE_NOTIFY, index);
}

uint32_t virtio_mmio_ack_interrupt(const struct virtio_mmio_device *d) {
    uint32_t cause = virtio_mmio_read(d, VIRTIO_MMIO_REG_INTERRUPT_STATUS);
    if (cause) virtio_mmio_write(d, VIRTIO_MMIO_REG_INTERRUPT_ACK, cause);
    return cause;
}

/* The transport interface (virtio_transport.h) over the functions above. */

static struct virtio_mmio_device *of(struct virtio_transport *t) { return (struct virtio_mmio_device *)t; }

static bool op_reset(struct virtio_transport *t, const char **why) {
    (void)why; /* the MMIO transport resets on the write itself */
    virtio_mmio_write(of(t), VIRTIO_MMIO_REG_STATUS, 0);
    return true;
}

static uint8_t op_get_status(struct virtio_transport *t) {
    return (uint8_t)virtio_mmio_read(of(t), VIRTIO_MMIO_REG_STATUS);
}

static void op_set_status(struct virtio_transport *t, uint8_t status) {
    virtio_mmio_write(of(t), VIRTIO_MMIO_REG_STATUS, status);
}

static uint32_t op_device_features(struct virtio_transport *t, uint32_t select) {
    virtio_mmio_write(of(t), VIRTIO_MMIO_REG_DEVICE_FEATURES_SEL, select);
    return virtio_mmio_read(of(t), VIRTIO_MMIO_REG_DEVICE_FEATURES);
}

static void op_set_driver_features(struct virtio_transport *t, uint32_t select, uint32_t bits) {
    virtio_mmio_write(of(t), VIRTIO_MMIO_REG_DRIVER_FEATURES_SEL, select);
    virtio_mmio_write(of(t), VIRTIO_MMIO_REG_DRIVER_FEATURES, bits);
}

static bool op_attach_interrupt(struct virtio_transport *t, irq_handler handler, const char **why) {
    if (!ioapic_route_isa_irq(of(t)->irq)) {
        *why = "the I/O APIC cannot route its IRQ";
        return false;
    }
    interrupts_set_irq_handler(of(t)->irq, handler);
    return true;
}

static uint32_t op_queue_max(struct virtio_transport *t, uint16_t index) { return virtio_mmio_queue_max(of(t), index); }

static bool op_setup_queue(struct virtio_transport *t, uint16_t index, struct virtq *q) {
    return virtio_mmio_setup_queue(of(t), index, q);
}

static void op_notify(struct virtio_transport *t, uint16_t index) { virtio_mmio_notify(of(t), index); }

static uint8_t op_config_read8(struct virtio_transport *t, uint32_t offset) {
    return *(volatile uint8_t *)(of(t)->base + VIRTIO_MMIO_REG_CONFIG + offset);
}

static uint32_t op_ack_interrupt(struct virtio_transport *t) { return virtio_mmio_ack_interrupt(of(t)); }

static const struct virtio_transport_ops mmio_ops = {
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
