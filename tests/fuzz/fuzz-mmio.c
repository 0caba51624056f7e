/*
 * Every device plugin as a malicious guest sees it: MMIO reads and
 * writes of every size (1, 2, 4, 8) at every offset of every device
 * region of a 2-hart virt machine with a virtio-blk (a 4 KiB scratch
 * disk) and a virtio-rng in its first virtio-mmio slots: sifive_test,
 * aclint, ns16550a, goldfish_rtc, plic, virtio-mmio (empty, blk, rng).
 * Guest code can make all of these: an unaligned access that stays in
 * its page reaches the device as one access, even across the end of a
 * small region.  (htif has no MMIO: the spike machine's tohost lives in
 * RAM.)  Devices, RAM and the disk start afresh for each input.
 *
 * Input: records of 14 bytes: region index, op (bit 0: write; bits 1-2:
 * size 1 << n), offset (4 bytes, little-endian, modulo the region's
 * size), value (8 bytes, little-endian).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "fuzz-common.h"
#include "drive-setup.h"

#define DISK_SIZE 4096

static LoomMachine *m;
static MemRegion **mmio;
static unsigned nb_mmio;
static char *disk;
static uint8_t *ram;
static int disk_fd;

static void setup(void)
{
    static const char *const devices[] = { "virtio-rng", NULL };

    fuzz_core_init();
    disk = fuzz_virtio_disk_new(DISK_SIZE);
    m = fuzz_machine_new("virt", 2, 1u << 20, devices);
    mmio = g_new(MemRegion *, m->as.nb_regions);
    for (unsigned i = 0; i < m->as.nb_regions; i++) {
        if (!m->as.regions[i]->ram) {
            mmio[nb_mmio++] = m->as.regions[i];
        }
    }
    ram = as_ram_ptr(&m->as, m->ram_base, m->ram_size);
    disk_fd = open(disk, O_WRONLY | O_CLOEXEC);
    if (disk_fd < 0) {
        g_error("fuzz: cannot open %s", disk);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setup();
    return 0;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

/* Start afresh: devices reset, RAM and disk zeroed (in place: the
   drive keeps its file open). */
static void fresh(void)
{
    static const uint8_t zero[DISK_SIZE];

    fuzz_machine_reset_devices(m);
    memset(ram, 0, m->ram_size);
    if (pwrite(disk_fd, zero, sizeof(zero), 0) != sizeof(zero)) {
        g_error("fuzz: cannot write %s", disk);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fresh();
    for (size_t i = 0; i + 14 <= size; i += 14) {
        const uint8_t *r = data + i;
        MemRegion *mr = mmio[r[0] % nb_mmio];
        unsigned sz = 1u << ((r[1] >> 1) & 3);
        uint64_t off = le(r + 2, 4) % mr->size;
        uint64_t val = le(r + 6, 8);

        if (r[1] & 1) {
            mmio_write(mr, mr->base + off, sz == 8 ? val : val & ((UINT64_C(1) << (sz * 8)) - 1), sz,
                       loom_mem_attrs_cpu(0));
        } else {
            mmio_read(mr, mr->base + off, sz, loom_mem_attrs_cpu(0));
        }
    }
    m->shutdown_requested = 0;
    m->reset_requested = 0;
    return 0;
}
