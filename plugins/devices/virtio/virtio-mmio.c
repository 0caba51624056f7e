/*
 * virtio-mmio.c - the virtio-mmio transport, version 2 (modern), with
 * split virtqueues.  Compiled into every virtio device plugin.
 *
 * Register window (32-bit registers, little-endian; config space from
 * 0x100 takes 1-, 2-, 4- and 8-byte accesses):
 *   0x000 MagicValue "virt"   0x004 Version 2   0x008 DeviceID   0x00c VendorID
 *   0x010 DeviceFeatures      0x014 DeviceFeaturesSel
 *   0x020 DriverFeatures      0x024 DriverFeaturesSel
 *   0x030 QueueSel  0x034 QueueNumMax  0x038 QueueNum  0x044 QueueReady
 *   0x050 QueueNotify  0x060 InterruptStatus  0x064 InterruptACK  0x070 Status
 *   0x080/0x084 QueueDesc  0x090/0x094 QueueDriver  0x0a0/0x0a4 QueueDevice
 *   0x0ac SHMSel  0x0b0/0x0b4 SHMLen  0x0b8/0x0bc SHMBase (no regions: ~0)
 *   0x0fc ConfigGeneration    0x100+ device config
 *
 * Choices:
 * - Queues are processed synchronously in the QueueNotify write, under the
 *   BQL, on the notifying vCPU's thread: simple and ordered; a slow host
 *   file stalls that vCPU (an I/O thread can come later).
 * - Offered transport features: VERSION_1 (required: no legacy interface)
 *   and INDIRECT_DESC.  EVENT_IDX is not offered; the driver's
 *   VIRTQ_AVAIL_F_NO_INTERRUPT hint is honoured.
 * - Every index and length the guest gives is checked.  A ring that
 *   breaks the rules (index out of range, chain loop, bad indirect table,
 *   ring or buffer outside RAM) is logged under -d guest_errors and sets
 *   DEVICE_NEEDS_RESET; the device then ignores the queues until reset.
 *   Misuse of registers (bad offset or size) is logged and ignored.
 * - FEATURES_OK only sticks when the driver accepted VERSION_1 and no
 *   feature the device did not offer (the driver re-reads Status).
 *
 * Ring memory is shared with vCPUs running concurrently; it is accessed
 * with loom_dma_rw and the fences below, each saying what it orders.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "virtio.h"

#define VIRTIO_MMIO_MAGIC       0x74726976u     /* "virt" */
#define VIRTIO_MMIO_VERSION     2
#define VIRTIO_MMIO_VENDOR      0x4d4f4f4cu     /* "LOOM" */
#define VIRTIO_MMIO_SIZE        0x200

enum {
    REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
    REG_DEV_FEATURES = 0x010, REG_DEV_FEATURES_SEL = 0x014,
    REG_DRV_FEATURES = 0x020, REG_DRV_FEATURES_SEL = 0x024,
    REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050,
    REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
    REG_QUEUE_DESC_LO = 0x080, REG_QUEUE_DESC_HI = 0x084,
    REG_QUEUE_DRIVER_LO = 0x090, REG_QUEUE_DRIVER_HI = 0x094,
    REG_QUEUE_DEVICE_LO = 0x0a0, REG_QUEUE_DEVICE_HI = 0x0a4,
    REG_SHM_SEL = 0x0ac, REG_SHM_LEN_LO = 0x0b0, REG_SHM_LEN_HI = 0x0b4,
    REG_SHM_BASE_LO = 0x0b8, REG_SHM_BASE_HI = 0x0bc,
    REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};

/* InterruptStatus bits */
#define VIRTIO_ISR_USED         1u
#define VIRTIO_ISR_CONFIG       2u

/* Split ring layout (spec 2.7) */
#define VIRTQ_DESC_SIZE         16
#define VIRTQ_DESC_F_NEXT       1
#define VIRTQ_DESC_F_WRITE      2
#define VIRTQ_DESC_F_INDIRECT   4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_MAX_SIZE          32768

static void vlog(VirtioDevice *vdev, const char *what, const char *fmt, va_list ap)
{
    char *msg;

    if (!loom_log_enabled(LOOM_LOG_GUEST_ERROR)) {
        return;
    }
    msg = g_strdup_vprintf(fmt, ap);
    loom_log("%s: %s%s\n", loom_device_name(vdev->dev), what, msg);
    g_free(msg);
}

void virtio_guest_error(VirtioDevice *vdev, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(vdev, "", fmt, ap);
    va_end(ap);
}

static void update_irq(VirtioDevice *vdev)
{
    loom_irq_set(vdev->irq, vdev->isr != 0);
}

void virtio_error(VirtioDevice *vdev, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(vdev, "device needs reset: ", fmt, ap);
    va_end(ap);
    if (vdev->status & VIRTIO_STATUS_NEEDS_RESET) {
        return;
    }
    vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
    /* spec 2.1.2: with DRIVER_OK set, tell the driver by a config change */
    if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
        vdev->isr |= VIRTIO_ISR_CONFIG;
        update_irq(vdev);
    }
}

bool virtio_broken(const VirtioDevice *vdev)
{
    return (vdev->status & VIRTIO_STATUS_NEEDS_RESET) != 0;
}

static bool has_feature(const VirtioDevice *vdev, unsigned bit)
{
    return (vdev->guest_features >> bit) & 1;
}

/* ---- guest memory ---- */

static bool dma(VirtioDevice *vdev, uint64_t addr, void *buf, size_t len, bool write,
                const char *what)
{
    if (addr + len < addr || !loom_dma_rw(vdev->machine, addr, buf, len, write)) {
        virtio_error(vdev, "%s at 0x%" G_GINT64_MODIFIER "x (+%zu) is not in RAM", what, addr,
                     len);
        return false;
    }
    return true;
}

static bool ld16(VirtioDevice *vdev, uint64_t addr, uint16_t *v, const char *what)
{
    uint8_t b[2], c[2];

    if (!dma(vdev, addr, b, 2, false, what)) {
        return false;
    }
    /* loom_dma_rw copies bytes: read again until two reads agree, so that
       an index being updated by another vCPU is not seen torn */
    for (int i = 0; i < 4; i++) {
        if (!dma(vdev, addr, c, 2, false, what)) {
            return false;
        }
        if (b[0] == c[0] && b[1] == c[1]) {
            break;
        }
        b[0] = c[0];
        b[1] = c[1];
    }
    *v = virtio_lduw(b);
    return true;
}

static bool st16(VirtioDevice *vdev, uint64_t addr, uint16_t v, const char *what)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    return dma(vdev, addr, b, 2, true, what);
}

/* ---- virtqueues ---- */

bool virtq_pop(VirtioDevice *vdev, unsigned q, VirtqElem *elem)
{
    VirtQueue *vq = &vdev->vq[q];
    uint64_t table;
    uint32_t table_len, count = 0;
    uint16_t avail_idx, head, i;
    bool indirect = false;
    uint8_t d[VIRTQ_DESC_SIZE];

    if (virtio_broken(vdev) || !vq->ready) {
        return false;
    }
    if (!ld16(vdev, vq->avail + 2, &avail_idx, "avail.idx")) {
        return false;
    }
    if (avail_idx == vq->last_avail) {
        return false;
    }
    if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
        virtio_error(vdev, "queue %u: avail.idx %u is more than %u ahead of %u", q,
                     avail_idx, vq->num, vq->last_avail);
        return false;
    }
    /* read the ring entry and descriptors only after the index that
       published them (pairs with the driver's write barrier) */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (!ld16(vdev, vq->avail + 4 + 2u * (vq->last_avail % vq->num), &head, "avail.ring")) {
        return false;
    }
    vq->last_avail++;
    if (head >= vq->num) {
        virtio_error(vdev, "queue %u: head descriptor %u is beyond the queue size %u", q, head,
                     vq->num);
        return false;
    }

    elem->head = head;
    elem->nb_out = elem->nb_in = 0;
    elem->out_len = elem->in_len = 0;
    table = vq->desc;
    table_len = vq->num;
    i = head;
    for (;;) {
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;

        /* a chain visits each descriptor of its table at most once */
        if (count >= table_len) {
            virtio_error(vdev, "queue %u: descriptor chain from %u is longer than its table "
                         "(%u): a loop", q, head, table_len);
            return false;
        }
        if (!dma(vdev, table + (uint64_t)i * VIRTQ_DESC_SIZE, d, sizeof(d), false,
                 "descriptor")) {
            return false;
        }
        addr = virtio_ldq(d);
        len = virtio_ldl(d + 8);
        flags = virtio_lduw(d + 12);
        next = virtio_lduw(d + 14);
        count++;

        if (flags & VIRTQ_DESC_F_INDIRECT) {
            if (!has_feature(vdev, VIRTIO_F_INDIRECT_DESC) || indirect || count != 1 ||
                (flags & VIRTQ_DESC_F_NEXT) || len == 0 || len % VIRTQ_DESC_SIZE ||
                len / VIRTQ_DESC_SIZE > VIRTQ_MAX_SEGS) {
                virtio_error(vdev, "queue %u: bad indirect descriptor %u (flags 0x%x, len %u)",
                             q, i, flags, len);
                return false;
            }
            indirect = true;
            table = addr;
            table_len = len / VIRTQ_DESC_SIZE;
            count = 0;
            i = 0;
            continue;
        }
        if (!(flags & VIRTQ_DESC_F_WRITE) && elem->nb_in) {
            virtio_error(vdev, "queue %u: readable descriptor %u after a writable one", q, i);
            return false;
        }
        if (elem->nb_out + elem->nb_in >= VIRTQ_MAX_SEGS) {
            virtio_error(vdev, "queue %u: chain from %u has more than %u descriptors", q, head,
                         VIRTQ_MAX_SEGS);
            return false;
        }
        elem->seg[elem->nb_out + elem->nb_in] = (VirtqSeg){ .addr = addr, .len = len };
        if (flags & VIRTQ_DESC_F_WRITE) {
            elem->nb_in++;
            elem->in_len += len;
        } else {
            elem->nb_out++;
            elem->out_len += len;
        }
        if (!(flags & VIRTQ_DESC_F_NEXT)) {
            return true;
        }
        if (next >= table_len) {
            virtio_error(vdev, "queue %u: next descriptor %u is beyond the table (%u)", q, next,
                         table_len);
            return false;
        }
        i = next;
    }
}

void virtq_push(VirtioDevice *vdev, unsigned q, const VirtqElem *elem, uint32_t written)
{
    VirtQueue *vq = &vdev->vq[q];
    uint8_t e[8];

    if (virtio_broken(vdev)) {
        return;
    }
    virtio_stl(e, elem->head);
    virtio_stl(e + 4, written);
    if (!dma(vdev, vq->used + 4 + 8u * (vq->used_idx % vq->num), e, sizeof(e), true,
             "used.ring")) {
        return;
    }
    /* the element (and the buffer contents before it) must be visible
       before the index that hands them to the driver */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->used_idx++;
    st16(vdev, vq->used + 2, vq->used_idx, "used.idx");
}

void virtq_notify(VirtioDevice *vdev, unsigned q)
{
    VirtQueue *vq = &vdev->vq[q];
    uint16_t flags;

    if (virtio_broken(vdev)) {
        return;
    }
    /* order the used.idx store before reading the driver's flags, so a
       driver that just cleared NO_INTERRUPT is not missed (spec 2.7.10) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!ld16(vdev, vq->avail, &flags, "avail.flags")) {
        return;
    }
    if (!(flags & VIRTQ_AVAIL_F_NO_INTERRUPT)) {
        vdev->isr |= VIRTIO_ISR_USED;
        update_irq(vdev);
    }
}

static bool elem_copy(VirtioDevice *vdev, const VirtqElem *elem, bool in, uint64_t off,
                      void *buf, size_t len)
{
    unsigned first = in ? elem->nb_out : 0, n = in ? elem->nb_in : elem->nb_out;
    uint8_t *p = buf;

    if (off > (in ? elem->in_len : elem->out_len) ||
        len > (in ? elem->in_len : elem->out_len) - off) {
        return false;
    }
    for (unsigned k = first; k < first + n && len; k++) {
        const VirtqSeg *s = &elem->seg[k];
        size_t chunk;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        chunk = MIN((uint64_t)len, s->len - off);
        if (!dma(vdev, s->addr + off, p, chunk, in, in ? "writable buffer" : "readable buffer")) {
            return false;
        }
        p += chunk;
        len -= chunk;
        off = 0;
    }
    return true;
}

bool virtq_read_out(VirtioDevice *vdev, const VirtqElem *elem, uint64_t off, void *buf,
                    size_t len)
{
    return elem_copy(vdev, elem, false, off, buf, len);
}

bool virtq_write_in(VirtioDevice *vdev, const VirtqElem *elem, uint64_t off, const void *buf,
                    size_t len)
{
    return elem_copy(vdev, elem, true, off, (void *)buf, len);
}

/* ---- registers ---- */

void virtio_mmio_reset(VirtioDevice *vdev)
{
    vdev->status = 0;
    vdev->isr = 0;
    vdev->guest_features = 0;
    vdev->dev_features_sel = vdev->drv_features_sel = vdev->queue_sel = 0;
    memset(vdev->vq, 0, sizeof(vdev->vq));
    if (vdev->cls->reset) {
        vdev->cls->reset(vdev);
    }
    update_irq(vdev);
}

static VirtQueue *sel_queue(VirtioDevice *vdev)
{
    return vdev->queue_sel < vdev->cls->num_queues ? &vdev->vq[vdev->queue_sel] : NULL;
}

static uint64_t config_read(VirtioDevice *vdev, uint64_t off, unsigned size)
{
    uint64_t v = 0;

    if (off + size > vdev->cls->config_size || off % size) {
        virtio_guest_error(vdev, "config read at 0x%" G_GINT64_MODIFIER "x size %u is outside "
                           "the %u-byte config space or unaligned", off, size,
                           vdev->cls->config_size);
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)vdev->config[off + i] << (8 * i);
    }
    return v;
}

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size,
                          LoomMemAttrs attrs)
{
    VirtioDevice *vdev = opaque;
    VirtQueue *vq = sel_queue(vdev);

    if (offset >= REG_CONFIG) {
        return config_read(vdev, offset - REG_CONFIG, size);
    }
    if (size != 4 || offset % 4) {
        virtio_guest_error(vdev, "register read at 0x%" G_GINT64_MODIFIER "x size %u: "
                           "registers take aligned 32-bit accesses", offset, size);
        return 0;
    }
    switch (offset) {
    case REG_MAGIC: return VIRTIO_MMIO_MAGIC;
    case REG_VERSION: return VIRTIO_MMIO_VERSION;
    case REG_DEVICE_ID: return vdev->cls->device_id;
    case REG_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
    case REG_DEV_FEATURES:
        return vdev->dev_features_sel < 2
               ? (uint32_t)(vdev->host_features >> (32 * vdev->dev_features_sel)) : 0;
    case REG_QUEUE_NUM_MAX: return vq ? vdev->cls->queue_max : 0;
    case REG_QUEUE_READY: return vq ? vq->ready : 0;
    case REG_INTERRUPT_STATUS: return vdev->isr;
    case REG_STATUS: return vdev->status;
    case REG_SHM_LEN_LO: case REG_SHM_LEN_HI:
    case REG_SHM_BASE_LO: case REG_SHM_BASE_HI:
        return 0xffffffffu;                     /* no shared memory regions */
    case REG_CONFIG_GENERATION: return vdev->config_generation;
    default:
        virtio_guest_error(vdev, "read of write-only or unknown register 0x%"
                           G_GINT64_MODIFIER "x", offset);
        return 0;
    }
}

/* The driver sets FEATURES_OK: accept only a subset of what we offered,
   including VERSION_1 (this is a modern-only device). */
static bool features_ok(VirtioDevice *vdev)
{
    if (vdev->guest_features & ~vdev->host_features) {
        virtio_guest_error(vdev, "driver features 0x%" G_GINT64_MODIFIER "x include ones not "
                           "offered (0x%" G_GINT64_MODIFIER "x): FEATURES_OK refused",
                           vdev->guest_features, vdev->host_features);
        return false;
    }
    if (!has_feature(vdev, VIRTIO_F_VERSION_1)) {
        virtio_guest_error(vdev, "driver did not accept VIRTIO_F_VERSION_1 (legacy drivers are "
                           "not supported): FEATURES_OK refused");
        return false;
    }
    return true;
}

static void write_status(VirtioDevice *vdev, uint32_t val)
{
    uint32_t set = val & ~vdev->status;

    if (val == 0) {
        virtio_mmio_reset(vdev);
        return;
    }
    if ((set & VIRTIO_STATUS_FEATURES_OK) && !features_ok(vdev)) {
        val &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    if ((set & VIRTIO_STATUS_DRIVER_OK) && !(val & VIRTIO_STATUS_FEATURES_OK)) {
        virtio_guest_error(vdev, "DRIVER_OK without FEATURES_OK");
    }
    /* NEEDS_RESET is the device's bit: only a reset clears it */
    vdev->status = (val & ~VIRTIO_STATUS_NEEDS_RESET) |
                   (vdev->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void queue_ready(VirtioDevice *vdev, VirtQueue *vq, uint32_t val)
{
    if (!val) {
        vq->ready = false;
        return;
    }
    if (vq->num == 0 || vq->num > vdev->cls->queue_max || (vq->num & (vq->num - 1))) {
        virtio_guest_error(vdev, "queue %u: QueueNum %u is not a power of 2 from 1 to %u: "
                           "queue not enabled", vdev->queue_sel, vq->num, vdev->cls->queue_max);
        return;
    }
    if (vq->desc % 16 || vq->avail % 2 || vq->used % 4) {
        virtio_guest_error(vdev, "queue %u: ring addresses are misaligned (desc 16, driver 2, "
                           "device 4 bytes): queue not enabled", vdev->queue_sel);
        return;
    }
    vq->last_avail = 0;
    vq->used_idx = 0;
    vq->ready = true;
}

static void set_addr_half(VirtioDevice *vdev, VirtQueue *vq, uint64_t *addr, bool high,
                          uint32_t val)
{
    if (vq->ready) {
        virtio_guest_error(vdev, "queue %u: ring address written while the queue is ready: "
                           "ignored", vdev->queue_sel);
        return;
    }
    if (high) {
        *addr = (*addr & 0xffffffffu) | (uint64_t)val << 32;
    } else {
        *addr = (*addr & ~(uint64_t)0xffffffffu) | val;
    }
}

static void notify(VirtioDevice *vdev, uint32_t val)
{
    unsigned q = val & 0xffff;

    if (q >= vdev->cls->num_queues) {
        virtio_guest_error(vdev, "notify of queue %u: the device has %u", q,
                           vdev->cls->num_queues);
        return;
    }
    if (!(vdev->status & VIRTIO_STATUS_DRIVER_OK) || virtio_broken(vdev)) {
        virtio_guest_error(vdev, "notify of queue %u before DRIVER_OK or while the device "
                           "needs a reset: ignored", q);
        return;
    }
    if (!vdev->vq[q].ready) {
        virtio_guest_error(vdev, "notify of queue %u, which is not ready: ignored", q);
        return;
    }
    if (vdev->cls->handle_queue) {
        vdev->cls->handle_queue(vdev, q);
    }
}

static void mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                       LoomMemAttrs attrs)
{
    VirtioDevice *vdev = opaque;
    VirtQueue *vq = sel_queue(vdev);
    uint32_t val = (uint32_t)value;

    if (offset >= REG_CONFIG) {
        /* no device here has writable config fields */
        virtio_guest_error(vdev, "config write at 0x%" G_GINT64_MODIFIER "x: read-only, "
                           "ignored", offset - REG_CONFIG);
        return;
    }
    if (size != 4 || offset % 4) {
        virtio_guest_error(vdev, "register write at 0x%" G_GINT64_MODIFIER "x size %u: "
                           "registers take aligned 32-bit accesses", offset, size);
        return;
    }
    switch (offset) {
    case REG_DEV_FEATURES_SEL: vdev->dev_features_sel = val; return;
    case REG_DRV_FEATURES_SEL: vdev->drv_features_sel = val; return;
    case REG_DRV_FEATURES:
        if (vdev->status & VIRTIO_STATUS_FEATURES_OK) {
            virtio_guest_error(vdev, "DriverFeatures written after FEATURES_OK: ignored");
        } else if (vdev->drv_features_sel < 2) {
            unsigned sh = 32 * vdev->drv_features_sel;
            vdev->guest_features = (vdev->guest_features & ~((uint64_t)0xffffffffu << sh)) |
                                   (uint64_t)val << sh;
        } else if (val) {
            virtio_guest_error(vdev, "DriverFeatures page %u: no such features",
                               vdev->drv_features_sel);
        }
        return;
    case REG_QUEUE_SEL: vdev->queue_sel = val; return;
    case REG_STATUS: write_status(vdev, val); return;
    case REG_INTERRUPT_ACK:
        vdev->isr &= ~val;
        update_irq(vdev);
        return;
    case REG_QUEUE_NOTIFY: notify(vdev, val); return;
    case REG_SHM_SEL: return;
    default:
        break;
    }
    if (offset == REG_QUEUE_NUM || offset == REG_QUEUE_READY ||
        (offset >= REG_QUEUE_DESC_LO && offset <= REG_QUEUE_DEVICE_HI)) {
        if (!vq) {
            virtio_guest_error(vdev, "queue register 0x%" G_GINT64_MODIFIER "x written with "
                               "QueueSel %u: the device has %u queues", offset,
                               vdev->queue_sel, vdev->cls->num_queues);
            return;
        }
        switch (offset) {
        case REG_QUEUE_NUM:
            if (vq->ready) {
                virtio_guest_error(vdev, "QueueNum written while the queue is ready: ignored");
            } else {
                /* checked at QueueReady; 0 there means "too big" */
                vq->num = val <= VIRTQ_MAX_SIZE ? (uint16_t)val : 0;
            }
            return;
        case REG_QUEUE_READY: queue_ready(vdev, vq, val); return;
        case REG_QUEUE_DESC_LO: case REG_QUEUE_DESC_HI:
            set_addr_half(vdev, vq, &vq->desc, offset == REG_QUEUE_DESC_HI, val);
            return;
        case REG_QUEUE_DRIVER_LO: case REG_QUEUE_DRIVER_HI:
            set_addr_half(vdev, vq, &vq->avail, offset == REG_QUEUE_DRIVER_HI, val);
            return;
        case REG_QUEUE_DEVICE_LO: case REG_QUEUE_DEVICE_HI:
            set_addr_half(vdev, vq, &vq->used, offset == REG_QUEUE_DEVICE_HI, val);
            return;
        default:
            break;
        }
    }
    virtio_guest_error(vdev, "write of read-only or unknown register 0x%" G_GINT64_MODIFIER
                       "x: ignored", offset);
}

static const LoomMMIOOps virtio_mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

bool virtio_mmio_init(VirtioDevice *vdev, LoomDevice *dev, const VirtioDeviceClass *cls,
                      void *opaque, char **err)
{
    uint64_t base, size;

    g_assert(cls->num_queues <= VIRTIO_MAX_QUEUES && cls->config_size <= VIRTIO_CONFIG_MAX);
    g_assert(cls->num_queues == 0 || (cls->queue_max && !(cls->queue_max & (cls->queue_max - 1))));
    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0) {
        size = 0x1000;
    }
    if (size < VIRTIO_MMIO_SIZE) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x is too small for the "
                               "virtio-mmio registers: use at least 0x%x (normally 0x1000)",
                               size, VIRTIO_MMIO_SIZE);
        return false;
    }
    vdev->dev = dev;
    vdev->machine = loom_device_machine(dev);
    vdev->cls = cls;
    vdev->opaque = opaque;
    vdev->host_features = cls->features | (UINT64_C(1) << VIRTIO_F_VERSION_1);
    if (cls->num_queues) {
        vdev->host_features |= UINT64_C(1) << VIRTIO_F_INDIRECT_DESC;
    }
    return loom_device_map_mmio(dev, base, size, &virtio_mmio_ops, vdev, err);
}

bool virtio_mmio_realize(VirtioDevice *vdev, char **err)
{
    *err = NULL;
    vdev->irq = loom_device_prop_irq(vdev->dev, "irq", err);
    return vdev->irq || *err == NULL;
}

static const char *const virtio_mmio_compatible[] = { "virtio,mmio", NULL };

bool virtio_mmio_fdt_node(VirtioDevice *vdev, LoomFdt *fdt, char **err)
{
    uint64_t base, size;
    char name[48];
    int node;

    loom_device_prop_reg(vdev->dev, "reg", &base, &size);
    if (size == 0) {
        size = 0x1000;
    }
    snprintf(name, sizeof(name), "virtio_mmio@%" G_GINT64_MODIFIER "x", base);
    node = loom_fdt_add_node(fdt, "virtio_mmio", base, size, virtio_mmio_compatible);
    /* the device's memory accesses are coherent with the vCPUs' caches
       (loom has none); Arm's Linux assumes otherwise unless told */
    if (node >= 0 && loom_device_prop_bool(vdev->dev, "dma-coherent")) {
        int rc = fdt_setprop_empty(loom_fdt_blob(fdt), node, "dma-coherent");
        node = rc < 0 ? rc : node;
    }
    if (node < 0) {
        *err = g_strdup_printf("device tree node %s: %s", name, fdt_strerror(node));
        return false;
    }
    return loom_fdt_set_irq(fdt, node, vdev->dev, "irq", err);
}
