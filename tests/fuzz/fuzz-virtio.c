/*
 * virtio queues from a malicious guest (plugins/devices/virtio): the
 * harness drives a virtio-blk (on a 4 KiB scratch disk) or a virtio-rng
 * through the virtio-mmio registers as a driver does (reset, ACKNOWLEDGE,
 * DRIVER, features, FEATURES_OK, queue 0 at fixed addresses, DRIVER_OK),
 * with the descriptor table, the rings and the buffers taken from the
 * fuzzer's bytes in guest RAM, then notifies the queue.
 *
 * Input: 4 header bytes, then the start of guest RAM (1 MiB at
 * 0x80000000):
 *   byte 0  bit 0: 0 virtio-blk, 1 virtio-rng; bit 1: accept
 *           INDIRECT_DESC; bit 2: the guest asks for no interrupt
 *   byte 1  queue size: 1 << (byte % 9) (the device refuses sizes
 *           above its QueueNumMax)
 *   byte 2  notifications: 1 + byte % 4 (each after an InterruptACK)
 *   byte 3  unused
 * RAM layout: descriptor table at +0, available ring at +0x1000, used
 * ring at +0x2000, buffers from +0x3000 (by convention: descriptors
 * may point anywhere).
 */
#include "config.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "fuzz-common.h"
#include "drive-setup.h"

#define DISK_SIZE 4096
#define DESC_OFF 0x0000
#define AVAIL_OFF 0x1000
#define USED_OFF 0x2000

static LoomMachine *m;
static MemRegion *dev_mr[2];            /* virtio-blk, virtio-rng transports */
static uint8_t *ram;
static char *disk;
static int disk_fd;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const devices[] = { "virtio-rng", NULL };

    fuzz_core_init();
    disk = fuzz_virtio_disk_new(DISK_SIZE);
    m = fuzz_machine_new("virt", 1, 1u << 20, devices);
    for (unsigned i = 0; i < m->as.nb_regions; i++) {
        MemRegion *r = m->as.regions[i];
        if (!r->ram && mmio_read(r, r->base, 4, loom_mem_attrs_cpu(0)) == 0x74726976) {     /* "virt" */
            uint32_t id = (uint32_t)mmio_read(r, r->base + 0x008, 4, loom_mem_attrs_cpu(0));
            if (id == 2 && !dev_mr[0]) {
                dev_mr[0] = r;
            } else if (id == 4 && !dev_mr[1]) {
                dev_mr[1] = r;
            }
        }
    }
    if (!dev_mr[0] || !dev_mr[1]) {
        g_error("fuzz: the machine has no virtio-blk or virtio-rng");
    }
    ram = as_ram_ptr(&m->as, m->ram_base, m->ram_size);
    disk_fd = open(disk, O_WRONLY | O_CLOEXEC);
    if (disk_fd < 0) {
        g_error("fuzz: cannot open %s", disk);
    }
    return 0;
}

static void wr(MemRegion *r, uint64_t off, uint32_t v)
{
    mmio_write(r, r->base + off, v, 4, loom_mem_attrs_cpu(0));
}

static uint32_t rd(MemRegion *r, uint64_t off)
{
    return (uint32_t)mmio_read(r, r->base + off, 4, loom_mem_attrs_cpu(0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t zero[DISK_SIZE];
    MemRegion *r;
    uint64_t base = m->ram_base;
    unsigned num, notifies;
    size_t n;

    if (size < 4) {
        return 0;
    }
    fuzz_machine_reset_devices(m);
    memset(ram, 0, m->ram_size);
    if (pwrite(disk_fd, zero, sizeof(zero), 0) != sizeof(zero)) {
        g_error("fuzz: cannot write %s", disk);
    }
    r = dev_mr[data[0] & 1];
    num = 1u << (data[1] % 9);
    notifies = 1 + data[2] % 4;
    n = MIN(size - 4, (size_t)m->ram_size);
    memcpy(ram, data + 4, n);

    wr(r, 0x070, 0);                                    /* Status: reset */
    wr(r, 0x070, 1 | 2);                                /* ACKNOWLEDGE | DRIVER */
    wr(r, 0x024, 0);                                    /* DriverFeaturesSel */
    wr(r, 0x020, (data[0] & 2) ? 1u << 28 : 0);         /* INDIRECT_DESC */
    wr(r, 0x024, 1);
    wr(r, 0x020, 1);                                    /* VERSION_1 (bit 32) */
    wr(r, 0x070, 1 | 2 | 8);                            /* FEATURES_OK */
    wr(r, 0x030, 0);                                    /* QueueSel */
    wr(r, 0x038, num);                                  /* QueueNum */
    wr(r, 0x080, (uint32_t)(base + DESC_OFF));
    wr(r, 0x084, (uint32_t)((base + DESC_OFF) >> 32));
    wr(r, 0x090, (uint32_t)(base + AVAIL_OFF));
    wr(r, 0x094, (uint32_t)((base + AVAIL_OFF) >> 32));
    wr(r, 0x0a0, (uint32_t)(base + USED_OFF));
    wr(r, 0x0a4, (uint32_t)((base + USED_OFF) >> 32));
    wr(r, 0x044, 1);                                    /* QueueReady */
    wr(r, 0x070, 1 | 2 | 8 | 4);                        /* DRIVER_OK */
    if (data[0] & 4) {
        ram[AVAIL_OFF] |= 1;                            /* VIRTQ_AVAIL_F_NO_INTERRUPT */
    }
    for (unsigned i = 0; i < notifies; i++) {
        wr(r, 0x050, 0);                                /* QueueNotify */
        wr(r, 0x064, rd(r, 0x060));                     /* InterruptACK */
    }
    rd(r, 0x070);
    m->shutdown_requested = 0;
    m->reset_requested = 0;
    return 0;
}
