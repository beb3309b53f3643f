/*
 * Finding a device on whichever transport has it, and the device initialisation sequence of virtio
 * spec 1.2 section 3.1.1, written once over the transport's register accessors, so MMIO and PCI
 * devices are brought up by the same steps.
 */
#include "virtio_transport.h"

#include "kernel/heap.h"
#include "kernel/panic.h"
#include "pci.h"
#include "pvh/bootinfo.h"
#include "virtio_mmio.h"
#include "virtio_pci.h"

/* Command-line virtio-mmio entries first (they are explicit), then PCI; microvm's MMIO window is
 * probed only on a machine without PCI, where nothing else can live there. */
struct virtio_transport *virtio_find(uint32_t device_id) {
    union found {
        struct virtio_mmio_device mmio;
        struct virtio_pci_device pci;
    } *found = heap_alloc(sizeof *found);
    if (!found) panic("virtio: out of memory looking for device type %u", device_id);
    bool pci = pci_present();
    if (virtio_mmio_find(pvh_boot_info.cmdline, device_id, !pci, &found->mmio)) return &found->mmio.transport;
    if (pci && virtio_pci_find(device_id, &found->pci)) return &found->pci.transport;
    heap_free(found);
    return NULL;
}

static uint64_t fail(struct virtio_transport *t, const char **why, const char *reason) {
    *why = reason;
    t->ops->set_status(t, VIRTIO_STATUS_FAILED);
    return 0;
}

uint64_t virtio_negotiate(struct virtio_transport *t, uint64_t wanted, const char **why) {
    const struct virtio_transport_ops *ops = t->ops;
    if (!ops->reset(t, why)) return 0;
    ops->set_status(t, VIRTIO_STATUS_ACKNOWLEDGE);
    ops->set_status(t, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    uint64_t offered = 0;
    for (uint32_t sel = 0; sel < 2; sel++) offered |= (uint64_t)ops->device_features(t, sel) << (32 * sel);
    if (!(offered & VIRTIO_F_VERSION_1)) return fail(t, why, "device does not offer VIRTIO_F_VERSION_1");
    uint64_t accepted = (offered & wanted) | VIRTIO_F_VERSION_1;
    for (uint32_t sel = 0; sel < 2; sel++) ops->set_driver_features(t, sel, (uint32_t)(accepted >> (32 * sel)));
    ops->set_status(t, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    if (!(ops->get_status(t) & VIRTIO_STATUS_FEATURES_OK)) {
        /* a device that insists on a feature we do not accept clears FEATURES_OK; on PCI the
         * usual one is VIRTIO_F_ACCESS_PLATFORM (an IOMMU between device and memory) */
        return fail(t, why,
                    "device refused the negotiated features (FEATURES_OK not kept; does it "
                    "require VIRTIO_F_ACCESS_PLATFORM, i.e. an IOMMU?)");
    }
    return accepted;
}

void virtio_driver_ok(struct virtio_transport *t) {
    t->ops->set_status(
        t, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}
