/*
 * Unit tests of the GICv3 (plugins/devices/arm_gicv3), built with its
 * source and the core's device API stubbed (device-stubs.c), on three
 * vCPUs: the distributor is region 0, the redistributors region 1, and
 * the CPU interface is the "arm.gicv3" system-register interface, asked
 * as the front-end asks it (vCPU, EL, encoding).
 *
 *  /arm-gicv3/ids           TYPERs, IIDRs, PIDR2s, WAKER, the ICC reset
 *                           values, which encodings it owns, EL0
 *  /arm-gicv3/priority      IAR1 by priority (lowest id on a tie), PMR,
 *                           preemption by group priority (BPR1), RPR,
 *                           AP1R0, HPPIR1
 *  /arm-gicv3/group0       Group 0 signals FIQ, IAR0/EOIR0/HPPIR0, its
 *                           enables, preemption across groups, AP0R0
 *  /arm-gicv3/eoimode       EOImode 1: EOIR1 drops priority, DIR
 *                           deactivates; DIR in EOImode 0 does nothing
 *  /arm-gicv3/sgi           ICC_SGI1R_EL1 target lists, Aff1 and RS, IRM
 *                           (all but self); the SGI's group; SGI0R
 *  /arm-gicv3/ppi           a PPI reaches its own vCPU only; ICFGR1 edge
 *  /arm-gicv3/waker         a sleeping redistributor forwards nothing
 *  /arm-gicv3/irouter       SPIs to the vCPU IROUTER names, 32-bit
 *                           halves, IRM RAZ/WI, nobody for an absent
 *                           affinity; a level SPI through EOI
 *  /arm-gicv3/fdt           the node (GICD + GICR regions) and its cells
 *  /arm-gicv3/bad-props     one-line errors
 *  /arm-gicv3/random-access random MMIO, system register accesses and
 *                           lines: no crash, the invariants hold
 */
#include <string.h>
#include <libfdt.h>
#include <loom/arm.h>
#include "device-stubs.h"

enum {
    GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008, GICD_IGROUPR = 0x0080,
    GICD_ISENABLER = 0x0100, GICD_ICENABLER = 0x0180, GICD_ISPENDR = 0x0200,
    GICD_ICPENDR = 0x0280, GICD_ISACTIVER = 0x0300, GICD_ICACTIVER = 0x0380,
    GICD_IPRIORITYR = 0x0400,
    GICD_ITARGETSR = 0x0800, GICD_ICFGR = 0x0c00, GICD_IROUTER = 0x6000, GICD_PIDR2 = 0xffe8,
    GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008, GICR_WAKER = 0x0014,
    GICR_PIDR2 = 0xffe8,
    GICR_SGI = 0x10000,
    GICR_IGROUPR0 = GICR_SGI + 0x080, GICR_ISENABLER0 = GICR_SGI + 0x100,
    GICR_ISPENDR0 = GICR_SGI + 0x200, GICR_ICPENDR0 = GICR_SGI + 0x280,
    GICR_ISACTIVER0 = GICR_SGI + 0x300, GICR_IPRIORITYR = GICR_SGI + 0x400,
    GICR_ICFGR0 = GICR_SGI + 0xc00, GICR_ICFGR1 = GICR_SGI + 0xc04,
};

#define ICC(crn, crm, op2) LOOM_ARM_SYSREG(3, 0, crn, crm, op2)
enum {
    ICC_PMR = ICC(4, 6, 0), ICC_IAR0 = ICC(12, 8, 0), ICC_EOIR0 = ICC(12, 8, 1),
    ICC_HPPIR0 = ICC(12, 8, 2), ICC_BPR0 = ICC(12, 8, 3),
    ICC_AP0R0 = ICC(12, 8, 4), ICC_AP1R0 = ICC(12, 9, 0), ICC_AP1R1 = ICC(12, 9, 1),
    ICC_DIR = ICC(12, 11, 1), ICC_RPR = ICC(12, 11, 3), ICC_SGI1R = ICC(12, 11, 5),
    ICC_SGI0R = ICC(12, 11, 7), ICC_IAR1 = ICC(12, 12, 0), ICC_EOIR1 = ICC(12, 12, 1),
    ICC_HPPIR1 = ICC(12, 12, 2), ICC_BPR1 = ICC(12, 12, 3), ICC_CTLR = ICC(12, 12, 4),
    ICC_SRE = ICC(12, 12, 5), ICC_IGRPEN0 = ICC(12, 12, 6), ICC_IGRPEN1 = ICC(12, 12, 7),
};

#define FRAME(cpu) ((uint64_t)(cpu) << 17)

static const LoomArmSysregIface *icc;
static void *icc_opaque;

static uint32_t d_rd(uint64_t off)
{
    return (uint32_t)stub_read(0, off, 4, 0);
}

static void d_wr(uint64_t off, uint32_t v)
{
    stub_write(0, off, v, 4, 0);
}

static void d_wrb(uint64_t off, uint8_t v)
{
    stub_write(0, off, v, 1, 0);
}

/* Redistributor registers of vCPU cpu (any vCPU may access any frame). */
static uint32_t r_rd(unsigned cpu, uint64_t off)
{
    return (uint32_t)stub_read(1, FRAME(cpu) + off, 4, 0);
}

static void r_wr(unsigned cpu, uint64_t off, uint32_t v)
{
    stub_write(1, FRAME(cpu) + off, v, 4, 0);
}

static uint64_t icc_rd(unsigned cpu, uint32_t enc)
{
    uint64_t v = 0xdead;

    g_assert_true(icc->read(icc_opaque, cpu, 1, enc, &v));
    return v;
}

static void icc_wr(unsigned cpu, uint32_t enc, uint64_t v)
{
    g_assert_true(icc->write(icc_opaque, cpu, 1, enc, v));
}

static int irq(unsigned cpu)
{
    char name[16];

    snprintf(name, sizeof(name), "cpu%u.irq", cpu);
    return stub_line_level(name);
}

static int fiq(unsigned cpu)
{
    char name[16];

    snprintf(name, sizeof(name), "cpu%u.fiq", cpu);
    return stub_line_level(name);
}

/* ncpu vCPUs, created and reset, nothing set up. */
static void *gic3_create(unsigned ncpu)
{
    char *err = NULL;
    void *s;

    stub_reset(ncpu);
    stub_set_prop("reg", "0x8000000,0x10000");
    stub_set_prop("redist-reg", "0x80a0000");
    s = stub_device_new(&err);
    g_assert_null(err);
    g_assert_nonnull(s);
    icc = stub_interface(LOOM_ARM_GICV3_IFACE, &icc_opaque);
    g_assert_nonnull(icc);
    return s;
}

/* Three vCPUs as Linux sets them up: redistributors awake, everything in
   Group 1, the distributor's Group 1 on, PMR open, IGRPEN1 set. */
static void *gic3_new(void)
{
    void *s = gic3_create(3);

    d_wr(GICD_CTLR, 2);
    for (unsigned w = 1; w < 9; w++)
        d_wr(GICD_IGROUPR + 4 * w, 0xffffffff);
    for (unsigned c = 0; c < 3; c++) {
        r_wr(c, GICR_WAKER, 0);
        r_wr(c, GICR_IGROUPR0, 0xffffffff);
        icc_wr(c, ICC_PMR, 0xff);
        icc_wr(c, ICC_IGRPEN1, 1);
    }
    return s;
}

/* SPI id: priority prio, enabled, routed to vCPU 0 (reset IROUTER). */
static void spi_setup(unsigned id, uint8_t prio)
{
    d_wrb(GICD_IPRIORITYR + id, prio);
    d_wr(GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

static void test_ids(void)
{
    void *s = gic3_create(3);
    uint64_t v;

    /* 9 x 32 ids, CPUNumber 2, IDbits 9, No1N */
    g_assert_cmphex(d_rd(GICD_TYPER), ==, 0x02480048);
    g_assert_cmphex(d_rd(GICD_CTLR), ==, 0x50);             /* ARE, DS */
    g_assert_cmphex(d_rd(GICD_IIDR), ==, 0x43b);
    g_assert_cmphex(d_rd(GICD_PIDR2), ==, 0x3b);            /* GICv3 */
    g_assert_cmphex(d_rd(GICD_ITARGETSR + 32), ==, 0);
    g_assert_cmphex(r_rd(2, GICR_PIDR2), ==, 0x3b);
    g_assert_cmphex(r_rd(1, GICR_IIDR), ==, 0x43b);
    g_assert_cmphex(stub_read(1, FRAME(0) + GICR_TYPER, 8, 0), ==, 0);
    g_assert_cmphex(stub_read(1, FRAME(1) + GICR_TYPER, 8, 0), ==, 0x100000100ull);
    g_assert_cmphex(stub_read(1, FRAME(2) + GICR_TYPER, 8, 0), ==, 0x200000210ull);   /* Last */
    g_assert_cmphex(r_rd(2, GICR_TYPER), ==, 0x210);
    g_assert_cmphex(r_rd(2, GICR_TYPER + 4), ==, 2);
    g_assert_cmphex(r_rd(1, GICR_WAKER), ==, 6);
    r_wr(1, GICR_WAKER, 0);
    g_assert_cmphex(r_rd(1, GICR_WAKER), ==, 0);
    g_assert_cmphex(r_rd(0, GICR_WAKER), ==, 6);            /* per vCPU */
    r_wr(1, GICR_WAKER, 2);
    g_assert_cmphex(r_rd(1, GICR_WAKER), ==, 6);
    g_assert_cmphex(r_rd(0, GICR_ICFGR0), ==, 0xaaaaaaaa);
    g_assert_cmphex(r_rd(0, GICR_ICFGR1), ==, 0);
    g_assert_cmpuint(stub_nb_regions(), ==, 2);
    g_assert_cmphex(stub_region_base(1), ==, 0x80a0000);
    g_assert_cmphex(stub_region_size(1), ==, 0x60000);
    g_assert_cmpint(stub_nb_inputs(), ==, LOOM_ARM_GIC_PPI(3, 0));

    g_assert_cmphex(icc_rd(0, ICC_SRE), ==, 7);
    g_assert_cmphex(icc_rd(0, ICC_CTLR), ==, 0x400);        /* PRIbits 4 */
    g_assert_cmphex(icc_rd(0, ICC_BPR0), ==, 2);
    g_assert_cmphex(icc_rd(0, ICC_BPR1), ==, 3);
    g_assert_cmphex(icc_rd(0, ICC_PMR), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    g_assert_cmphex(icc_rd(0, ICC_IAR0), ==, 1023);
    icc_wr(0, ICC_PMR, 0xff);
    g_assert_cmphex(icc_rd(0, ICC_PMR), ==, 0xf8);          /* 5 priority bits */
    icc_wr(0, ICC_BPR1, 0);
    g_assert_cmphex(icc_rd(0, ICC_BPR1), ==, 3);            /* minimum */
    icc_wr(0, ICC_SRE, 0);
    g_assert_cmphex(icc_rd(0, ICC_SRE), ==, 7);             /* RAO/WI */
    /* write-only, unimplemented, and every register at EL0: undefined */
    g_assert_false(icc->read(icc_opaque, 0, 1, ICC_SGI1R, &v));
    g_assert_false(icc->read(icc_opaque, 0, 1, ICC_EOIR1, &v));
    g_assert_false(icc->read(icc_opaque, 0, 1, ICC_AP1R1, &v));
    g_assert_false(icc->write(icc_opaque, 0, 1, ICC_RPR, 0));
    g_assert_false(icc->read(icc_opaque, 0, 0, ICC_PMR, &v));
    g_assert_false(icc->write(icc_opaque, 0, 0, ICC_PMR, 0));
    g_assert_true(icc->owns(icc_opaque, ICC_PMR));
    g_assert_true(icc->owns(icc_opaque, ICC_IAR1));
    g_assert_true(icc->owns(icc_opaque, ICC_SGI1R));
    g_assert_true(icc->owns(icc_opaque, ICC_AP0R0));
    g_assert_false(icc->owns(icc_opaque, ICC(12, 0, 0)));  /* VBAR_EL1 */
    g_assert_false(icc->owns(icc_opaque, ICC(12, 1, 0)));  /* ISR_EL1 */
    g_assert_false(icc->owns(icc_opaque, LOOM_ARM_SYSREG(3, 3, 14, 2, 1)));   /* CNTP_CTL */
    g_assert_false(icc->owns(icc_opaque, LOOM_ARM_SYSREG(3, 4, 12, 9, 5)));   /* ICC_SRE_EL2 */
    g_assert_cmpint(irq(0), ==, 0);
    stub_device_free(s);
}

static void test_priority(void)
{
    void *s = gic3_new();

    spi_setup(40, 0xa0);
    spi_setup(41, 0x80);
    spi_setup(42, 0x80);
    d_wr(GICD_ISPENDR + 4, 7u << 8);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4), ==, 0x700);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR1), ==, 41);
    g_assert_cmphex(icc_rd(1, ICC_IAR1), ==, 1023);
    /* PMR at the interrupt's priority masks it */
    icc_wr(0, ICC_PMR, 0x80);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR1), ==, 41);         /* HPPIR ignores PMR */
    icc_wr(0, ICC_PMR, 0xf0);
    g_assert_cmpint(irq(0), ==, 1);
    /* 41 and 42 tie: the lower id first; the same priority cannot preempt */
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 41);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0x80);
    g_assert_cmphex(icc_rd(0, ICC_AP1R0), ==, 1u << 16);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 0x200);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4), ==, 0x500);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR1), ==, 42);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    icc_wr(0, ICC_EOIR1, 41);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 42);
    icc_wr(0, ICC_EOIR1, 42);
    /* 40 (0xa0) active; 41 (0x80) preempts it, unless BPR1 = 7 puts
       every priority in one group */
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 40);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xa0);
    icc_wr(0, ICC_BPR1, 7);
    d_wr(GICD_ISPENDR + 4, 1u << 9);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    icc_wr(0, ICC_BPR1, 3);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 41);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0x80);
    g_assert_cmphex(icc_rd(0, ICC_AP1R0), ==, 1u << 16 | 1u << 20);
    icc_wr(0, ICC_EOIR1, 41);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xa0);
    icc_wr(0, ICC_EOIR1, 40);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);
    g_assert_cmphex(icc_rd(0, ICC_AP1R0), ==, 0);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 0);
    /* a Group 0 SPI (its group disabled here) is not Group 1's, and does
       not block it */
    d_wr(GICD_IGROUPR + 4, ~(1u << 11));
    spi_setup(43, 0x10);
    spi_setup(44, 0x90);
    d_wr(GICD_ISPENDR + 4, 3u << 11);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 44);
    g_assert_cmphex(icc_rd(0, ICC_IAR0), ==, 1023);
    icc_wr(0, ICC_EOIR1, 44);
    /* the distributor's Group 1 enable and IGRPEN1 gate everything */
    d_wr(GICD_IGROUPR + 4, 0xffffffff);
    g_assert_cmpint(irq(0), ==, 1);
    d_wr(GICD_CTLR, 1);
    g_assert_cmpint(irq(0), ==, 0);
    d_wr(GICD_CTLR, 2);
    icc_wr(0, ICC_IGRPEN1, 0);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    stub_device_free(s);
}

static void test_group0(void)
{
    void *s = gic3_new();

    d_wr(GICD_CTLR, 3);
    g_assert_cmphex(d_rd(GICD_CTLR), ==, 0x53);
    d_wr(GICD_IGROUPR + 4, ~(1u << 13));            /* SPI 45 in Group 0 */
    spi_setup(45, 0x40);
    spi_setup(46, 0x80);
    icc_wr(0, ICC_IGRPEN0, 1);
    d_wr(GICD_ISPENDR + 4, 3u << 13);
    g_assert_cmpint(fiq(0), ==, 1);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmpint(fiq(1), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR0), ==, 45);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR1), ==, 46);
    /* Group 1 first; Group 0's higher priority then preempts it */
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 46);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0x80);
    g_assert_cmpint(fiq(0), ==, 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR0), ==, 45);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0x40);
    g_assert_cmphex(icc_rd(0, ICC_AP0R0), ==, 1u << 8);
    g_assert_cmphex(icc_rd(0, ICC_AP1R0), ==, 1u << 16);
    g_assert_cmpint(fiq(0), ==, 0);
    icc_wr(0, ICC_EOIR0, 45);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0x80);
    g_assert_cmphex(icc_rd(0, ICC_AP0R0), ==, 0);
    icc_wr(0, ICC_EOIR1, 46);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 0);
    /* its enables: ICC_IGRPEN0_EL1 and GICD_CTLR.EnableGrp0 */
    d_wr(GICD_ISPENDR + 4, 1u << 13);
    icc_wr(0, ICC_IGRPEN0, 0);
    g_assert_cmpint(fiq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR0), ==, 1023);
    icc_wr(0, ICC_IGRPEN0, 1);
    g_assert_cmpint(fiq(0), ==, 1);
    d_wr(GICD_CTLR, 2);
    g_assert_cmpint(fiq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR0), ==, 1023);
    d_wr(GICD_CTLR, 3);
    /* writing AP0R0 0 drops Group 0's priorities only */
    d_wr(GICD_ISPENDR + 4, 1u << 14);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 46);
    g_assert_cmphex(icc_rd(0, ICC_IAR0), ==, 45);
    icc_wr(0, ICC_AP0R0, 0);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0x80);
    g_assert_cmphex(icc_rd(0, ICC_AP1R0), ==, 1u << 16);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 3u << 13);
    icc_wr(0, ICC_AP1R0, 0);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);
    d_wr(GICD_ICACTIVER + 4, 3u << 13);
    /* Group 0 preempts by BPR0's group priority: with BPR0 = 7 (one
       group) a 0x40 does not preempt an active 0x80 */
    d_wr(GICD_IGROUPR + 4, ~(3u << 13));            /* 45 and 46 in Group 0 */
    icc_wr(0, ICC_BPR0, 7);
    d_wr(GICD_ISPENDR + 4, 1u << 14);
    g_assert_cmphex(icc_rd(0, ICC_IAR0), ==, 46);
    d_wr(GICD_ISPENDR + 4, 1u << 13);
    g_assert_cmpint(fiq(0), ==, 0);
    icc_wr(0, ICC_BPR0, 2);
    g_assert_cmpint(fiq(0), ==, 1);
    stub_device_free(s);
}

static void test_eoimode(void)
{
    void *s = gic3_new();

    spi_setup(50, 0x80);
    icc_wr(0, ICC_CTLR, 2);
    g_assert_cmphex(icc_rd(0, ICC_CTLR), ==, 0x402);
    d_wr(GICD_ISPENDR + 4, 1u << 18);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 50);
    icc_wr(0, ICC_EOIR1, 50);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);         /* priority dropped */
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 1u << 18);
    d_wr(GICD_ISPENDR + 4, 1u << 18);
    g_assert_cmpint(irq(0), ==, 0);                         /* active: not again */
    icc_wr(0, ICC_DIR, 50);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 0);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 50);
    /* EOImode 0: EOIR1 deactivates, DIR is ignored */
    icc_wr(0, ICC_CTLR, 0);
    icc_wr(0, ICC_DIR, 50);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 1u << 18);
    icc_wr(0, ICC_EOIR1, 50);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 0);
    /* an EOI with nothing active, and of a special id, change nothing */
    icc_wr(0, ICC_EOIR1, 50);
    icc_wr(0, ICC_EOIR1, 1023);
    g_assert_cmphex(icc_rd(0, ICC_RPR), ==, 0xff);
    stub_device_free(s);
}

static void test_sgi(void)
{
    void *s = gic3_new();

    for (unsigned c = 0; c < 3; c++) {
        r_wr(c, GICR_ISENABLER0, 0xffff);
        stub_write(1, FRAME(c) + GICR_IPRIORITYR + 3, 0xa0, 1, 0);
    }
    /* vCPU 0: SGI 3 to Aff1 0, targets 1 and 2 */
    icc_wr(0, ICC_SGI1R, 3ull << 24 | 0x6);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmpint(irq(2), ==, 1);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 1u << 3);
    g_assert_cmphex(icc_rd(1, ICC_IAR1), ==, 3);           /* no source id in v3 */
    g_assert_cmphex(icc_rd(1, ICC_RPR), ==, 0xa0);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 0);
    g_assert_cmphex(r_rd(1, GICR_ISACTIVER0), ==, 1u << 3);
    icc_wr(1, ICC_EOIR1, 3);
    g_assert_cmphex(icc_rd(2, ICC_IAR1), ==, 3);
    icc_wr(2, ICC_EOIR1, 3);
    /* vCPU 1: SGI 5, IRM: every vCPU but itself */
    icc_wr(1, ICC_SGI1R, 1ull << 40 | 5ull << 24);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmpint(irq(2), ==, 1);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 5);
    g_assert_cmphex(icc_rd(2, ICC_IAR1), ==, 5);
    icc_wr(0, ICC_EOIR1, 5);
    icc_wr(2, ICC_EOIR1, 5);
    /* Aff1 1, Aff2 1, Aff3 1 or RS 1: nobody has that affinity */
    icc_wr(0, ICC_SGI1R, 1ull << 16 | 7ull << 24 | 0x7);
    icc_wr(0, ICC_SGI1R, 1ull << 32 | 7ull << 24 | 0x7);
    icc_wr(0, ICC_SGI1R, 1ull << 48 | 7ull << 24 | 0x7);
    icc_wr(0, ICC_SGI1R, 1ull << 44 | 7ull << 24 | 0x7);
    for (unsigned c = 0; c < 3; c++)
        g_assert_cmphex(r_rd(c, GICR_ISPENDR0), ==, 0);
    /* vCPU 2 targets itself */
    icc_wr(2, ICC_SGI1R, 9ull << 24 | 0x4);
    g_assert_cmphex(r_rd(2, GICR_ISPENDR0), ==, 1u << 9);
    r_wr(2, GICR_ICPENDR0, 1u << 9);
    g_assert_cmpint(irq(2), ==, 0);
    /* an SGI in Group 0 on the target: SGI1R does not set it, SGI0R does
       (and Group 0 is not delivered) */
    r_wr(1, GICR_IGROUPR0, ~(1u << 4));
    icc_wr(0, ICC_SGI1R, 4ull << 24 | 0x2);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 0);
    icc_wr(0, ICC_SGI0R, 4ull << 24 | 0x2);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 1u << 4);
    g_assert_cmpint(irq(1), ==, 0);
    stub_device_free(s);
}

static void test_ppi(void)
{
    void *s = gic3_new();

    r_wr(1, GICR_ISENABLER0, 1u << 30 | 1u << 27);
    stub_write(1, FRAME(1) + GICR_IPRIORITYR + 28, 0x80000000, 4, 0);  /* 31..28 */
    g_assert_cmphex(stub_read(1, FRAME(1) + GICR_IPRIORITYR + 30, 1, 0), ==, 0x00);
    stub_write(1, FRAME(1) + GICR_IPRIORITYR + 30, 0x80, 1, 0);
    stub_write(1, FRAME(1) + GICR_IPRIORITYR + 27, 0x80, 1, 0);
    g_assert_cmphex(r_rd(1, GICR_IPRIORITYR + 28), ==, 0x80800000);
    stub_input(LOOM_ARM_GIC_PPI(1, 30), 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 1u << 30);
    g_assert_cmphex(r_rd(0, GICR_ISPENDR0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    g_assert_cmphex(icc_rd(1, ICC_IAR1), ==, 30);
    stub_input(LOOM_ARM_GIC_PPI(1, 30), 0);
    icc_wr(1, ICC_EOIR1, 30);
    g_assert_cmpint(irq(1), ==, 0);
    /* PPI 27 edge-triggered (ICFGR1 bits 23:22): latched on the rising
       edge, pending after the line falls */
    r_wr(1, GICR_ICFGR1, 2u << 22);
    g_assert_cmphex(r_rd(1, GICR_ICFGR1), ==, 2u << 22);
    g_assert_cmphex(r_rd(0, GICR_ICFGR1), ==, 0);
    stub_input(LOOM_ARM_GIC_PPI(1, 27), 1);
    stub_input(LOOM_ARM_GIC_PPI(1, 27), 0);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmphex(icc_rd(1, ICC_IAR1), ==, 27);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 0);
    icc_wr(1, ICC_EOIR1, 27);
    g_assert_cmpint(irq(1), ==, 0);
    /* SGI lines (ids 0..15) and PPIs of absent vCPUs do nothing */
    stub_input(LOOM_ARM_GIC_PPI(1, 3), 1);
    g_assert_cmphex(r_rd(1, GICR_ISPENDR0), ==, 0);
    stub_device_free(s);
}

static void test_waker(void)
{
    void *s = gic3_new();

    r_wr(0, GICR_ISENABLER0, 1u << 30);
    r_wr(0, GICR_WAKER, 2);                 /* ProcessorSleep */
    stub_input(LOOM_ARM_GIC_PPI(0, 30), 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 1023);
    g_assert_cmphex(icc_rd(0, ICC_HPPIR1), ==, 1023);
    r_wr(0, GICR_WAKER, 0);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(icc_rd(0, ICC_IAR1), ==, 30);
    stub_device_free(s);
}

static void test_irouter(void)
{
    void *s = gic3_new();

    spi_setup(60, 0x80);
    g_assert_cmphex(stub_read(0, GICD_IROUTER + 8 * 60, 8, 0), ==, 0);
    stub_write(0, GICD_IROUTER + 8 * 60, 2, 8, 0);
    g_assert_cmphex(stub_read(0, GICD_IROUTER + 8 * 60, 8, 0), ==, 2);
    stub_input(60, 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmpint(irq(2), ==, 1);
    /* to vCPU 1 by the low half; IRM (bit 31) is RAZ/WI */
    stub_write(0, GICD_IROUTER + 8 * 60, 0x80000001, 4, 0);
    g_assert_cmphex(stub_read(0, GICD_IROUTER + 8 * 60, 8, 0), ==, 1);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmpint(irq(2), ==, 0);
    /* Aff3 1 (the high half): nobody */
    stub_write(0, GICD_IROUTER + 8 * 60 + 4, 1, 4, 0);
    g_assert_cmphex(stub_read(0, GICD_IROUTER + 8 * 60, 8, 0), ==, 0x100000001ull);
    g_assert_cmphex(stub_read(0, GICD_IROUTER + 8 * 60 + 4, 4, 0), ==, 1);
    g_assert_cmpint(irq(1), ==, 0);
    stub_write(0, GICD_IROUTER + 8 * 60, 0x100, 8, 0);     /* Aff1 1: nobody */
    g_assert_cmpint(irq(0) | irq(1) | irq(2), ==, 0);
    stub_write(0, GICD_IROUTER + 8 * 60, 1, 8, 0);
    /* a level SPI: active and pending while the line is high; after EOI
       with the line still high it is pending again */
    g_assert_cmphex(icc_rd(1, ICC_IAR1), ==, 60);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4), ==, 1u << 28);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4), ==, 1u << 28);
    icc_wr(1, ICC_EOIR1, 60);
    g_assert_cmpint(irq(1), ==, 1);
    stub_input(60, 0);
    g_assert_cmpint(irq(1), ==, 0);
    /* ids 0..31 have no router; their distributor words are RAZ/WI */
    stub_write(0, GICD_IROUTER + 8 * 5, 1, 8, 0);
    g_assert_cmphex(stub_read(0, GICD_IROUTER + 8 * 5, 8, 0), ==, 0);
    d_wr(GICD_ISENABLER, 0xffffffff);
    g_assert_cmphex(d_rd(GICD_ISENABLER), ==, 0);
    g_assert_cmphex(r_rd(0, GICR_ISENABLER0), ==, 0);
    /* an edge SPI (ICFGR) latches */
    d_wr(GICD_ICFGR + 60 / 16 * 4, 2u << (2 * (60 % 16)));
    g_assert_cmphex(d_rd(GICD_ICFGR + 60 / 16 * 4), ==, 2u << (2 * (60 % 16)));
    stub_input(60, 1);
    stub_input(60, 0);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmphex(icc_rd(1, ICC_IAR1), ==, 60);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4), ==, 0);
    stub_device_free(s);
}

static void test_fdt(void)
{
    const LoomDeviceOps *ops = stub_device_ops();
    void *s = gic3_new();
    char *err = NULL;
    void *blob = stub_fdt(s, &err);
    const fdt64_t *reg;
    const fdt32_t *p;
    uint32_t cells[8];
    int node, len;

    g_assert_null(err);
    node = fdt_path_offset(blob, "/soc/intc@8000000");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmpstr(fdt_getprop(blob, node, "compatible", NULL), ==, "arm,gic-v3");
    reg = fdt_getprop(blob, node, "reg", &len);
    g_assert_cmpint(len, ==, 32);
    g_assert_cmphex(fdt64_to_cpu(reg[0]), ==, 0x8000000);
    g_assert_cmphex(fdt64_to_cpu(reg[1]), ==, 0x10000);
    g_assert_cmphex(fdt64_to_cpu(reg[2]), ==, 0x80a0000);
    g_assert_cmphex(fdt64_to_cpu(reg[3]), ==, 0x60000);
    p = fdt_getprop(blob, node, "#redistributor-regions", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 1);
    p = fdt_getprop(blob, node, "#interrupt-cells", &len);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 3);
    g_assert_nonnull(fdt_getprop(blob, node, "interrupt-controller", NULL));
    g_assert_cmphex(fdt_get_phandle(blob, node), ==, 0x10);
    p = fdt_getprop(blob, 0, "interrupt-parent", &len);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 0x10);
    g_free(blob);

    g_assert_cmpint(ops->fdt_irq_cells(s, 33, cells, 8), ==, 3);
    g_assert_cmpuint(cells[0], ==, 0);
    g_assert_cmpuint(cells[1], ==, 1);
    g_assert_cmpuint(cells[2], ==, 4);
    g_assert_cmpint(ops->fdt_irq_cells(s, LOOM_ARM_GIC_PPI(2, 30), cells, 8), ==, 3);
    g_assert_cmpuint(cells[0], ==, 1);
    g_assert_cmpuint(cells[1], ==, 14);
    g_assert_cmphex(cells[2], ==, 4);           /* no CPU mask in the v3 binding */
    g_assert_cmpint(ops->fdt_irq_cells(s, 5, cells, 8), ==, 0);
    g_assert_cmpint(ops->fdt_irq_cells(s, 288, cells, 8), ==, 0);
    g_assert_cmpint(ops->fdt_irq_cells(s, LOOM_ARM_GIC_PPI(3, 30), cells, 8), ==, 0);
    stub_device_free(s);
}

static void test_bad_props(void)
{
    char *err = NULL;

    stub_reset(2);
    stub_set_prop("reg", "0x8000000");
    stub_set_prop("redist-reg", "0x80a0000");
    stub_set_prop("num-irqs", "100");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "num-irqs=100 is out of range: give a multiple of 32 from 64 "
                             "to 1024");
    g_free(err);
    stub_reset(2);
    stub_set_prop("reg", "0x8000000");
    stub_set_prop("redist-reg", "0x80a0000,0x20000");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "reg size 0x10000 or redist-reg size 0x20000 is too small: the "
                             "distributor needs 0x10000, the redistributors 0x20000 per vCPU "
                             "(0x40000 for 2)");
    g_free(err);
}

/* A guest doing anything: random accesses of every size to both regions,
   random system register accesses and input lines; the GIC's own sanity
   check runs after each change (assert). */
static void test_random_access(void)
{
    static const unsigned sizes[4] = { 1, 2, 4, 8 };
    GRand *r = g_rand_new_with_seed(3);
    void *s = gic3_new();

    for (unsigned i = 0; i < 200000; i++) {
        unsigned region = g_rand_int_range(r, 0, 2);
        uint64_t off = g_rand_int_range(r, 0, region ? 0x60000 : 0x10000);
        unsigned size = sizes[g_rand_int_range(r, 0, 4)];
        unsigned cpu = g_rand_int_range(r, 0, 3);
        uint64_t v = (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
        uint32_t enc = ICC(12, 8 + g_rand_int_range(r, 0, 5), g_rand_int_range(r, 0, 8));

        if (g_rand_int_range(r, 0, 4) == 0)
            off &= 0x10fff;     /* the registers, mostly */
        switch (g_rand_int_range(r, 0, 10)) {
        case 0:
            stub_input(g_rand_int_range(r, 0, stub_nb_inputs()), g_rand_int_range(r, 0, 2));
            break;
        case 1: case 2:
            stub_read(region, off & ~(uint64_t)(size - 1), size, cpu);
            break;
        case 3: case 4: case 5:
            stub_write(region, off & ~(uint64_t)(size - 1), v, size, cpu);
            break;
        case 6: case 7:
            icc->read(icc_opaque, cpu, g_rand_int_range(r, 0, 2), enc, &v);
            break;
        default:
            if (g_rand_int_range(r, 0, 2))
                v &= 0x10000ff0fffffull;        /* sensible SGI1R/IDs */
            icc->write(icc_opaque, cpu, g_rand_int_range(r, 0, 2), enc, v);
            break;
        }
    }
    g_rand_free(r);
    stub_device_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-gicv3/ids", test_ids);
    g_test_add_func("/arm-gicv3/priority", test_priority);
    g_test_add_func("/arm-gicv3/group0", test_group0);
    g_test_add_func("/arm-gicv3/eoimode", test_eoimode);
    g_test_add_func("/arm-gicv3/sgi", test_sgi);
    g_test_add_func("/arm-gicv3/ppi", test_ppi);
    g_test_add_func("/arm-gicv3/waker", test_waker);
    g_test_add_func("/arm-gicv3/irouter", test_irouter);
    g_test_add_func("/arm-gicv3/fdt", test_fdt);
    g_test_add_func("/arm-gicv3/bad-props", test_bad_props);
    g_test_add_func("/arm-gicv3/random-access", test_random_access);
    return g_test_run();
}
