/*
 * The Arm device plugins as a malicious guest sees them: the arm-virt
 * machine's devices (machines/arm-virt.machine) on two vCPUs of the toy
 * front-end with an Arm CPU's irq and fiq lines (tests/fixtures/
 * machines/arm-devices.machine): MMIO reads and writes of every size at
 * every offset of every region (GICv2 distributor and CPU interface,
 * PL011, PL031, the virtio-mmio slots), from either vCPU (the GIC banks
 * by requester), and the generic timer's system registers as the
 * front-end reaches them (LoomArmSysregIface, at any EL, for any vCPU
 * number).  Devices start afresh for each input.
 *
 * Input: records of 14 bytes: index, op, offset (4 bytes, little-endian),
 * value (8 bytes, little-endian).  op bit 3 clear: an MMIO access to
 * region index % regions, op bit 0 write, bits 1-2 size 1 << n, bit 6
 * the vCPU making it, offset modulo the region's size.  op bit 3 set: a
 * timer register, index % 12 of the table below, op bit 0 write (MSR),
 * bits 4-5 the EL, bits 6-7 the vCPU (2 and 3 do not exist).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <loom/arm.h>
#include "fuzz-common.h"

static LoomMachine *m;
static MemRegion **mmio;
static unsigned nb_mmio;
static const LoomArmSysregIface *timer;
static void *timer_opaque;

/* CNTFRQ, CNTPCT, CNTVCT, CNTP_TVAL/CTL/CVAL, CNTV_TVAL/CTL/CVAL,
   CNTKCTL_EL1, CNTVOFF_EL2, and SCTLR_EL1 (not the timer's) */
static const uint32_t timer_regs[12] = {
    LOOM_ARM_SYSREG(3, 3, 14, 0, 0), LOOM_ARM_SYSREG(3, 3, 14, 0, 1),
    LOOM_ARM_SYSREG(3, 3, 14, 0, 2), LOOM_ARM_SYSREG(3, 3, 14, 2, 0),
    LOOM_ARM_SYSREG(3, 3, 14, 2, 1), LOOM_ARM_SYSREG(3, 3, 14, 2, 2),
    LOOM_ARM_SYSREG(3, 3, 14, 3, 0), LOOM_ARM_SYSREG(3, 3, 14, 3, 1),
    LOOM_ARM_SYSREG(3, 3, 14, 3, 2), LOOM_ARM_SYSREG(3, 0, 14, 1, 0),
    LOOM_ARM_SYSREG(3, 4, 14, 0, 3), LOOM_ARM_SYSREG(3, 0, 1, 0, 0),
};

static void setup(void)
{
    char *err = NULL;

    /* the toy front-end is a test fixture */
    g_setenv("LOOM_PLUGIN_PATH", LOOM_BUILDDIR "/tests/fixtures", TRUE);
    m = fuzz_machine_new("../tests/fixtures/machines/arm-devices", 2, 1u << 20, NULL);
    mmio = g_new(MemRegion *, m->as.nb_regions);
    for (unsigned i = 0; i < m->as.nb_regions; i++) {
        if (!m->as.regions[i]->ram) {
            mmio[nb_mmio++] = m->as.regions[i];
        }
    }
    timer = loom_interface_lookup(m, LOOM_ARM_TIMER_IFACE, LOOM_ARM_SYSREG_VERSION,
                                  &timer_opaque, &err);
    if (!timer) {
        fprintf(stderr, "fuzz: %s\n", err);
        exit(1);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_machine_reset_devices(m);
    for (size_t i = 0; i + 14 <= size; i += 14) {
        const uint8_t *r = data + i;
        uint64_t val = le(r + 6, 8);

        if (r[1] & 8) {
            uint32_t enc = timer_regs[r[0] % 12];
            unsigned el = (r[1] >> 4) & 3, cpu = r[1] >> 6;

            /* the front-end holds the BQL around each call */
            loom_bql_lock();
            if (r[1] & 1) {
                timer->write(timer_opaque, cpu, el, enc, val);
            } else {
                timer->read(timer_opaque, cpu, el, enc, &val);
            }
            loom_bql_unlock();
        } else {
            MemRegion *mr = mmio[r[0] % nb_mmio];
            unsigned sz = 1u << ((r[1] >> 1) & 3);
            uint64_t off = le(r + 2, 4) % mr->size;
            LoomMemAttrs attrs = loom_mem_attrs_cpu((r[1] >> 6) & 1);

            if (r[1] & 1) {
                mmio_write(mr, mr->base + off,
                           sz == 8 ? val : val & ((UINT64_C(1) << (sz * 8)) - 1), sz, attrs);
            } else {
                mmio_read(mr, mr->base + off, sz, attrs);
            }
        }
    }
    m->shutdown_requested = 0;
    m->reset_requested = 0;
    return 0;
}
