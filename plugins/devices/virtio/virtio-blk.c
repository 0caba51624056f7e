/*
 * virtio-blk.c - a virtio block device (spec 5.2) on a raw image.
 *
 * One request queue.  Requests: VIRTIO_BLK_T_IN (read), T_OUT (write),
 * T_FLUSH and T_GET_ID; others get VIRTIO_BLK_S_UNSUPP.  The capacity is
 * the image size in 512-byte sectors (rounded down).  A transfer that is
 * not a whole number of sectors, reaches beyond the capacity, writes a
 * read-only drive (which also advertises VIRTIO_BLK_F_RO) or fails on the
 * host gets VIRTIO_BLK_S_IOERR.  A request without the 16-byte header or
 * the status byte is a broken ring (DEVICE_NEEDS_RESET).
 *
 * Requests run synchronously in the notify (see virtio-mmio.c), under
 * the BQL, which serialises them; the bounce buffer is protected by it.
 */
#include <string.h>
#include <loom/drive.h>
#include "virtio.h"

/* Feature bits (spec 5.2.3) */
#define VIRTIO_BLK_F_SEG_MAX    2
#define VIRTIO_BLK_F_RO         5
#define VIRTIO_BLK_F_BLK_SIZE   6
#define VIRTIO_BLK_F_FLUSH      9

enum {
    VIRTIO_BLK_T_IN = 0,
    VIRTIO_BLK_T_OUT = 1,
    VIRTIO_BLK_T_FLUSH = 4,
    VIRTIO_BLK_T_GET_ID = 8,
};

enum {
    VIRTIO_BLK_S_OK = 0,
    VIRTIO_BLK_S_IOERR = 1,
    VIRTIO_BLK_S_UNSUPP = 2,
};

#define SECTOR_SIZE             512
#define VIRTIO_BLK_ID_BYTES     20
#define BLK_QUEUE_MAX           256
#define BLK_BOUNCE_SIZE         (64 * 1024)

/* Config space layout (spec 5.2.4), byte offsets */
#define CFG_CAPACITY            0       /* le64 */
#define CFG_SEG_MAX             12      /* le32 */
#define CFG_BLK_SIZE            20      /* le32 */
#define CFG_SIZE                60      /* through write_zeroes_may_unmap + pad */

typedef struct VirtioBlk {
    VirtioDevice vdev;
    LoomDrive *drive;
    uint64_t sectors;
    uint8_t bounce[BLK_BOUNCE_SIZE];    /* protected by the BQL */
} VirtioBlk;

static void blk_handle_queue(VirtioDevice *vdev, unsigned q);

static const VirtioDeviceClass blk_class = {
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_max = BLK_QUEUE_MAX,
    /* VIRTIO_BLK_F_RO is added per instance, for read-only drives */
    .features = (UINT64_C(1) << VIRTIO_BLK_F_SEG_MAX) | (UINT64_C(1) << VIRTIO_BLK_F_BLK_SIZE) |
                (UINT64_C(1) << VIRTIO_BLK_F_FLUSH),
    .config_size = CFG_SIZE,
    .handle_queue = blk_handle_queue,
};

/* Bounds-check a data transfer of len bytes at sector. */
static bool range_ok(VirtioBlk *s, uint64_t sector, uint64_t len)
{
    return len % SECTOR_SIZE == 0 && sector <= s->sectors &&
           len / SECTOR_SIZE <= s->sectors - sector;
}

/* Returns the status byte, or -1 if the ring turned out broken. */
static int blk_read(VirtioBlk *s, const VirtqElem *e, uint64_t sector, uint64_t len)
{
    uint64_t off = sector * SECTOR_SIZE;

    if (!range_ok(s, sector, len)) {
        return VIRTIO_BLK_S_IOERR;
    }
    for (uint64_t done = 0; done < len;) {
        size_t n = (size_t)MIN(len - done, (uint64_t)BLK_BOUNCE_SIZE);
        if (!loom_drive_pread(s->drive, off + done, s->bounce, n)) {
            return VIRTIO_BLK_S_IOERR;
        }
        if (!virtq_write_in(&s->vdev, e, done, s->bounce, n)) {
            return -1;
        }
        done += n;
    }
    return VIRTIO_BLK_S_OK;
}

static int blk_write(VirtioBlk *s, const VirtqElem *e, uint64_t sector, uint64_t len)
{
    uint64_t off = sector * SECTOR_SIZE;

    if (loom_drive_read_only(s->drive) || !range_ok(s, sector, len)) {
        return VIRTIO_BLK_S_IOERR;
    }
    for (uint64_t done = 0; done < len;) {
        size_t n = (size_t)MIN(len - done, (uint64_t)BLK_BOUNCE_SIZE);
        if (!virtq_read_out(&s->vdev, e, 16 + done, s->bounce, n)) {
            return -1;
        }
        if (!loom_drive_pwrite(s->drive, off + done, s->bounce, n)) {
            return VIRTIO_BLK_S_IOERR;
        }
        done += n;
    }
    return VIRTIO_BLK_S_OK;
}

static int blk_get_id(VirtioBlk *s, const VirtqElem *e, uint64_t len)
{
    uint8_t id[VIRTIO_BLK_ID_BYTES] = { 0 };
    const char *name = loom_drive_id(s->drive);

    /* NUL-padded; not terminated when it fills all 20 bytes */
    memcpy(id, name, MIN(strlen(name), sizeof(id)));
    if (!virtq_write_in(&s->vdev, e, 0, id, (size_t)MIN(len, (uint64_t)sizeof(id)))) {
        return -1;
    }
    return VIRTIO_BLK_S_OK;
}

/* Handle one request; false if the ring is broken. */
static bool blk_request(VirtioBlk *s, const VirtqElem *e)
{
    uint8_t hdr[16], status;
    uint32_t type;
    uint64_t sector;
    int st;

    if (e->out_len < sizeof(hdr) || e->in_len < 1) {
        virtio_error(&s->vdev, "request %u lacks the 16-byte header or the status byte",
                     e->head);
        return false;
    }
    if (!virtq_read_out(&s->vdev, e, 0, hdr, sizeof(hdr))) {
        return false;
    }
    type = virtio_ldl(hdr);
    sector = virtio_ldq(hdr + 8);
    switch (type) {
    case VIRTIO_BLK_T_IN:
        st = blk_read(s, e, sector, e->in_len - 1);
        break;
    case VIRTIO_BLK_T_OUT:
        st = blk_write(s, e, sector, e->out_len - sizeof(hdr));
        break;
    case VIRTIO_BLK_T_FLUSH:
        st = loom_drive_flush(s->drive) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        break;
    case VIRTIO_BLK_T_GET_ID:
        st = blk_get_id(s, e, e->in_len - 1);
        break;
    default:
        st = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    if (st < 0) {
        return false;
    }
    if (st == VIRTIO_BLK_S_IOERR) {
        virtio_guest_error(&s->vdev, "request type %u sector %" G_GUINT64_FORMAT
                           " (capacity %" G_GUINT64_FORMAT "): I/O error", type, sector,
                           s->sectors);
    }
    status = (uint8_t)st;
    if (!virtq_write_in(&s->vdev, e, e->in_len - 1, &status, 1)) {
        return false;
    }
    /* as written: the whole device-writable part (data, then status) */
    virtq_push(&s->vdev, 0, e, (uint32_t)MIN(e->in_len, (uint64_t)UINT32_MAX));
    return true;
}

static void blk_handle_queue(VirtioDevice *vdev, unsigned q)
{
    VirtioBlk *s = vdev->opaque;
    bool pushed = false;

    while (virtq_pop(vdev, q, &vdev->elem)) {
        if (!blk_request(s, &vdev->elem)) {
            return;
        }
        pushed = true;
    }
    if (pushed) {
        virtq_notify(vdev, q);
    }
}

static const LoomPropInfo blk_props[] = {
    { "reg", LOOM_PROP_REG, "", "MMIO base[,size] (default: the next free virtio-mmio slot)" },
    { "irq", LOOM_PROP_IRQ, "", "interrupt line, e.g. plic.1; empty = not wired (polling)" },
    { "dma-coherent", LOOM_PROP_BOOL, "off", "say dma-coherent in the device-tree node (Arm boards: else Linux treats the device as not cache-coherent)" },
    { "drive", LOOM_PROP_STR, "", "the -drive id of the image" },
    { "file", LOOM_PROP_STR, "", "a raw image to open directly (instead of drive=)" },
    { "readonly", LOOM_PROP_BOOL, "off", "with file=: open the image read-only" },
    { NULL, 0, NULL, NULL },
};

static const char *const blk_compatible[] = { "virtio,mmio", NULL };

static void *blk_create(LoomDevice *dev, char **err)
{
    const char *drive = loom_device_prop_str(dev, "drive");
    const char *file = loom_device_prop_str(dev, "file");
    VirtioBlk *s;
    uint64_t base, size;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (base == 0) {
        *err = g_strdup("no reg and no free virtio-mmio slot: give reg=BASE[,SIZE]");
        return NULL;
    }
    if (!*drive == !*file) {
        *err = g_strdup("give either drive=ID (a -drive id) or file=IMAGE");
        return NULL;
    }
    s = g_new0(VirtioBlk, 1);
    s->drive = *drive ? loom_drive_attach(dev, drive, err)
                      : loom_drive_open(dev, file, loom_device_prop_bool(dev, "readonly"), err);
    if (!s->drive) {
        g_free(s);
        return NULL;
    }
    s->sectors = loom_drive_size(s->drive) / SECTOR_SIZE;
    if (!virtio_mmio_init(&s->vdev, dev, &blk_class, s, err)) {
        g_free(s);
        return NULL;
    }
    if (loom_drive_read_only(s->drive)) {
        s->vdev.host_features |= UINT64_C(1) << VIRTIO_BLK_F_RO;
    }
    virtio_stq(s->vdev.config + CFG_CAPACITY, s->sectors);
    virtio_stl(s->vdev.config + CFG_SEG_MAX, BLK_QUEUE_MAX - 2);
    virtio_stl(s->vdev.config + CFG_BLK_SIZE, SECTOR_SIZE);
    return s;
}

static bool blk_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED, char **err)
{
    VirtioBlk *s = opaque;
    return virtio_mmio_realize(&s->vdev, err);
}

static void blk_reset(void *opaque)
{
    VirtioBlk *s = opaque;
    virtio_mmio_reset(&s->vdev);
}

static bool blk_fdt_node(void *opaque, LoomDevice *dev G_GNUC_UNUSED, LoomFdt *fdt, char **err)
{
    VirtioBlk *s = opaque;
    return virtio_mmio_fdt_node(&s->vdev, fdt, err);
}

static void blk_destroy(void *opaque)
{
    g_free(opaque);         /* the drive belongs to the core */
}

static const LoomDeviceOps blk_ops = {
    .compatible = blk_compatible,
    .props = blk_props,
    .lockless_mmio = false,
    .create = blk_create,
    .realize = blk_realize,
    .reset = blk_reset,
    .destroy = blk_destroy,
    .fdt_node = blk_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "virtio-blk", "1.0", "MIT",
                   "virtio block device (virtio-mmio v2) on a raw image", &blk_ops);
