/*
 * virtio-slot.c - an empty virtio-mmio slot ("virtio-mmio"): the
 * transport with device ID 0, which drivers skip, as QEMU virt shows its
 * unused slots.  Machine files declare their slots with this type; the
 * core hands a slot to a -device virtio-* without reg or to a
 * -drive if=virtio (core/drive.c), and the slot then never exists.
 */
#include "virtio.h"

typedef struct VirtioSlot {
    VirtioDevice vdev;
} VirtioSlot;

static const VirtioDeviceClass slot_class = {
    .device_id = VIRTIO_ID_NONE,
    .num_queues = 0,
};

static const LoomPropInfo slot_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "MMIO base[,size]; size defaults to 0x1000" },
    { "irq", LOOM_PROP_IRQ, "", "interrupt line of the slot, e.g. plic.1; empty = none" },
    { "dma-coherent", LOOM_PROP_BOOL, "off", "say dma-coherent in the device-tree node (Arm boards: else Linux treats the device as not cache-coherent)" },
    { NULL, 0, NULL, NULL },
};

static const char *const slot_compatible[] = { "virtio,mmio", NULL };

static void *slot_create(LoomDevice *dev, char **err)
{
    VirtioSlot *s = g_new0(VirtioSlot, 1);

    if (!virtio_mmio_init(&s->vdev, dev, &slot_class, s, err)) {
        g_free(s);
        return NULL;
    }
    return s;
}

static bool slot_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED, char **err)
{
    VirtioSlot *s = opaque;
    return virtio_mmio_realize(&s->vdev, err);
}

static void slot_reset(void *opaque)
{
    VirtioSlot *s = opaque;
    virtio_mmio_reset(&s->vdev);
}

static bool slot_fdt_node(void *opaque, LoomDevice *dev G_GNUC_UNUSED, LoomFdt *fdt, char **err)
{
    VirtioSlot *s = opaque;
    return virtio_mmio_fdt_node(&s->vdev, fdt, err);
}

static void slot_destroy(void *opaque)
{
    g_free(opaque);
}

static const LoomDeviceOps slot_ops = {
    .compatible = slot_compatible,
    .props = slot_props,
    .lockless_mmio = false,
    .create = slot_create,
    .realize = slot_realize,
    .reset = slot_reset,
    .destroy = slot_destroy,
    .fdt_node = slot_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "virtio-mmio", "1.0", "MIT",
                   "an empty virtio-mmio slot (device ID 0) for -drive and -device virtio-*",
                   &slot_ops);
