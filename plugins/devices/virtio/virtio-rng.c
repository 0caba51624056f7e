/*
 * virtio-rng.c - a virtio entropy device (spec 5.4): one request queue
 * whose device-writable buffers are filled from the host's getrandom().
 *
 * Each request gets at most RNG_MAX_BYTES (the used length says how
 * many; the spec lets the device return fewer than the buffer holds).
 * Requests run synchronously in the notify, under the BQL.
 */
#include <errno.h>
#include <sys/random.h>
#include "virtio.h"

#define RNG_QUEUE_MAX   64
#define RNG_MAX_BYTES   4096

typedef struct VirtioRng {
    VirtioDevice vdev;
} VirtioRng;

static void rng_handle_queue(VirtioDevice *vdev, unsigned q);

static const VirtioDeviceClass rng_class = {
    .device_id = VIRTIO_ID_RNG,
    .num_queues = 1,
    .queue_max = RNG_QUEUE_MAX,
    .features = 0,
    .config_size = 0,
    .handle_queue = rng_handle_queue,
};

/* Fill buf with host entropy; false if the host cannot provide it. */
static bool fill_random(uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

static void rng_handle_queue(VirtioDevice *vdev, unsigned q)
{
    uint8_t buf[RNG_MAX_BYTES];
    bool pushed = false;

    while (virtq_pop(vdev, q, &vdev->elem)) {
        size_t n = (size_t)MIN(vdev->elem.in_len, (uint64_t)RNG_MAX_BYTES);
        if (!fill_random(buf, n)) {
            n = 0;
        }
        if (n && !virtq_write_in(vdev, &vdev->elem, 0, buf, n)) {
            return;
        }
        virtq_push(vdev, q, &vdev->elem, (uint32_t)n);
        pushed = true;
    }
    if (pushed) {
        virtq_notify(vdev, q);
    }
}

static const LoomPropInfo rng_props[] = {
    { "reg", LOOM_PROP_REG, "", "MMIO base[,size] (default: the next free virtio-mmio slot)" },
    { "irq", LOOM_PROP_IRQ, "", "interrupt line, e.g. plic.1; empty = not wired (polling)" },
    { "dma-coherent", LOOM_PROP_BOOL, "off", "say dma-coherent in the device-tree node (Arm boards: else Linux treats the device as not cache-coherent)" },
    { NULL, 0, NULL, NULL },
};

static const char *const rng_compatible[] = { "virtio,mmio", NULL };

static void *rng_create(LoomDevice *dev, char **err)
{
    VirtioRng *s;
    uint64_t base, size;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (base == 0) {
        *err = g_strdup("no reg and no free virtio-mmio slot: give reg=BASE[,SIZE]");
        return NULL;
    }
    s = g_new0(VirtioRng, 1);
    if (!virtio_mmio_init(&s->vdev, dev, &rng_class, s, err)) {
        g_free(s);
        return NULL;
    }
    return s;
}

static bool rng_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED, char **err)
{
    VirtioRng *s = opaque;
    return virtio_mmio_realize(&s->vdev, err);
}

static void rng_reset(void *opaque)
{
    VirtioRng *s = opaque;
    virtio_mmio_reset(&s->vdev);
}

static bool rng_fdt_node(void *opaque, LoomDevice *dev G_GNUC_UNUSED, LoomFdt *fdt, char **err)
{
    VirtioRng *s = opaque;
    return virtio_mmio_fdt_node(&s->vdev, fdt, err);
}

static void rng_destroy(void *opaque)
{
    g_free(opaque);
}

static const LoomDeviceOps rng_ops = {
    .compatible = rng_compatible,
    .props = rng_props,
    .lockless_mmio = false,
    .create = rng_create,
    .realize = rng_realize,
    .reset = rng_reset,
    .destroy = rng_destroy,
    .fdt_node = rng_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "virtio-rng", "1.0", "MIT",
                   "virtio entropy device (virtio-mmio v2) fed by getrandom()", &rng_ops);
