/*
 * virtio.h - the virtio-mmio transport (virtio-mmio.c) as seen by the
 * device models compiled with it (virtio-blk.c, virtio-rng.c,
 * virtio-slot.c).  Each plugin links its own copy of the transport.
 *
 * Spec: Virtual I/O Device (VIRTIO) 1.x, "Virtio Over MMIO" (version 2,
 * modern only) and "Split Virtqueues".  Everything the guest sees is
 * little-endian.
 *
 * Threading: all state below is protected by the BQL (the transport maps
 * its MMIO without lockless_mmio).  Queues are processed synchronously,
 * inside the QueueNotify write, on the notifying vCPU's thread.
 */
#ifndef LOOM_VIRTIO_H
#define LOOM_VIRTIO_H

#include <glib.h>
#include <loom/plugin.h>
#include <loom/device.h>

/* Feature bits (spec 6, "Reserved Feature Bits") */
#define VIRTIO_F_INDIRECT_DESC      28
#define VIRTIO_F_EVENT_IDX          29
#define VIRTIO_F_VERSION_1          32

/* Device status bits (spec 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE   1
#define VIRTIO_STATUS_DRIVER        2
#define VIRTIO_STATUS_DRIVER_OK     4
#define VIRTIO_STATUS_FEATURES_OK   8
#define VIRTIO_STATUS_NEEDS_RESET   64
#define VIRTIO_STATUS_FAILED        128

/* Device IDs (spec 5) */
#define VIRTIO_ID_NONE              0   /* an empty slot */
#define VIRTIO_ID_BLOCK             2
#define VIRTIO_ID_RNG               4

#define VIRTIO_MAX_QUEUES           4
#define VIRTIO_CONFIG_MAX           64
/* Longest chain a request may have (direct or in an indirect table). */
#define VIRTQ_MAX_SEGS              1024

typedef struct VirtioDevice VirtioDevice;

/* One buffer segment: guest-physical address and length. */
typedef struct VirtqSeg {
    uint64_t addr;
    uint32_t len;
} VirtqSeg;

/* A descriptor chain popped from a queue: device-readable segments first
   (out), then device-writable ones (in). */
typedef struct VirtqElem {
    uint16_t head;
    unsigned nb_out, nb_in;
    uint64_t out_len, in_len;           /* total bytes of each kind */
    VirtqSeg seg[VIRTQ_MAX_SEGS];       /* out segments, then in segments */
} VirtqElem;

/* What a device model gives the transport. */
typedef struct VirtioDeviceClass {
    uint32_t device_id;
    unsigned num_queues;
    uint16_t queue_max;                 /* QueueNumMax, a power of 2 */
    uint64_t features;                  /* device-specific bits offered */
    uint32_t config_size;               /* bytes of config space used */
    /* The driver notified queue q (DRIVER_OK is set, q is ready): pop and
       push elements.  May be NULL for a device without queues. */
    void (*handle_queue)(VirtioDevice *vdev, unsigned q);
    /* Device reset (status 0 or system reset).  May be NULL. */
    void (*reset)(VirtioDevice *vdev);
} VirtioDeviceClass;

/* One split virtqueue; written by MMIO (BQL). */
typedef struct VirtQueue {
    uint16_t num;                       /* QueueNum */
    bool ready;                         /* QueueReady */
    uint64_t desc, avail, used;         /* ring addresses */
    uint16_t last_avail;                /* next avail entry to consume */
    uint16_t used_idx;                  /* our copy of used->idx */
} VirtQueue;

struct VirtioDevice {
    LoomDevice *dev;
    LoomMachine *machine;
    const VirtioDeviceClass *cls;
    void *opaque;                       /* the device model's state */
    LoomIRQ *irq;                       /* NULL: not wired (guest polls) */
    uint64_t host_features;             /* cls->features + transport bits */
    uint64_t guest_features;            /* DriverFeatures as written */
    uint32_t dev_features_sel, drv_features_sel, queue_sel;
    uint32_t status;
    uint32_t isr;                       /* InterruptStatus */
    uint32_t config_generation;
    uint8_t config[VIRTIO_CONFIG_MAX];  /* little-endian, filled by the model */
    VirtQueue vq[VIRTIO_MAX_QUEUES];
    VirtqElem elem;                     /* scratch for the request in flight */
};

/* create: map the MMIO window from the reg property; false with *err. */
bool virtio_mmio_init(VirtioDevice *vdev, LoomDevice *dev, const VirtioDeviceClass *cls,
                      void *opaque, char **err);
/* realize: resolve the irq property. */
bool virtio_mmio_realize(VirtioDevice *vdev, char **err);
void virtio_mmio_reset(VirtioDevice *vdev);
/* fdt_node: a "virtio,mmio" node under /soc. */
bool virtio_mmio_fdt_node(VirtioDevice *vdev, LoomFdt *fdt, char **err);

/* Pop the next available chain of queue q into vdev->elem.  False when
   the queue is empty or broken (then the device needs a reset). */
bool virtq_pop(VirtioDevice *vdev, unsigned q, VirtqElem *elem);
/* Return elem to the driver with `written` bytes written. */
void virtq_push(VirtioDevice *vdev, unsigned q, const VirtqElem *elem, uint32_t written);
/* After a batch of pushes: interrupt the driver unless it asked not to. */
void virtq_notify(VirtioDevice *vdev, unsigned q);
/* Copy between a host buffer and the chain's out (readable) / in
   (writable) bytes, starting at byte offset off of that kind.  False if
   the range is outside the chain or guest memory is not RAM (the latter
   marks the device broken). */
bool virtq_read_out(VirtioDevice *vdev, const VirtqElem *elem, uint64_t off, void *buf,
                    size_t len);
bool virtq_write_in(VirtioDevice *vdev, const VirtqElem *elem, uint64_t off, const void *buf,
                    size_t len);
/* A guest error that breaks the device: log it and set NEEDS_RESET. */
void virtio_error(VirtioDevice *vdev, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Log a guest error (under -d guest_errors) without breaking the device. */
void virtio_guest_error(VirtioDevice *vdev, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
bool virtio_broken(const VirtioDevice *vdev);

static inline void virtio_stl(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline void virtio_stq(uint8_t *p, uint64_t v)
{
    virtio_stl(p, (uint32_t)v);
    virtio_stl(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t virtio_ldl(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t virtio_ldq(const uint8_t *p)
{
    return virtio_ldl(p) | (uint64_t)virtio_ldl(p + 4) << 32;
}

static inline uint16_t virtio_lduw(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

#endif /* LOOM_VIRTIO_H */
