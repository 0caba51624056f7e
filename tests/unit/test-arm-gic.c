/*
 * Unit tests of the GICv2 (plugins/devices/arm_gic), built with its
 * source and the core's device API stubbed (device-stubs.c), on two
 * vCPUs: the distributor is region 0, the CPU interface region 1, and
 * each access names the vCPU making it.
 *
 *  /arm-gic/ids            TYPER, IIDRs, ICPIDR2, the input lines
 *  /arm-gic/spi            a level SPI: signal, acknowledge (active and
 *                          pending), EOI, the line again
 *  /arm-gic/sgi            SGIR's three target filters, the source in
 *                          IAR, SPENDSGIR/CPENDSGIR
 *  /arm-gic/priority       order, PMR masking, preemption by group
 *                          priority (BPR), RPR
 *  /arm-gic/edge           ICFGR: an edge SPI latches its rising edge
 *  /arm-gic/ppi            a PPI reaches its own vCPU only
 *  /arm-gic/eoimode        EOImode 1: EOIR drops priority, DIR deactivates
 *  /arm-gic/bad-access     sizes, read-only and write-only registers
 *  /arm-gic/fdt            the node, the root's interrupt-parent, the
 *                          cells of SPIs and PPIs
 *  /arm-gic/bad-props      one-line errors: num-irqs, -smp 9
 *  /arm-gic/uniprocessor   one vCPU: ITARGETSR RAZ/WI, every SPI reaches it
 *  /arm-gic/random-access  200000 random accesses and line changes: no
 *                          crash, the invariants hold
 */
#include <string.h>
#include <libfdt.h>
#include <loom/arm.h>
#include "device-stubs.h"

enum {
    GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008, GICD_ISENABLER = 0x100,
    GICD_ICENABLER = 0x180, GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280,
    GICD_ISACTIVER = 0x300, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800,
    GICD_ICFGR = 0xc00, GICD_SGIR = 0xf00, GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20,
    GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c, GICC_EOIR = 0x10,
    GICC_RPR = 0x14, GICC_HPPIR = 0x18, GICC_IIDR = 0xfc, GICC_DIR = 0x1000,
};

static uint32_t d_rd(uint64_t off, unsigned cpu)
{
    return (uint32_t)stub_read(0, off, 4, cpu);
}

static void d_wr(uint64_t off, uint32_t v, unsigned cpu)
{
    stub_write(0, off, v, 4, cpu);
}

static void d_wrb(uint64_t off, uint8_t v, unsigned cpu)
{
    stub_write(0, off, v, 1, cpu);
}

static uint32_t c_rd(uint64_t off, unsigned cpu)
{
    return (uint32_t)stub_read(1, off, 4, cpu);
}

static void c_wr(uint64_t off, uint32_t v, unsigned cpu)
{
    stub_write(1, off, v, 4, cpu);
}

static int irq(unsigned cpu)
{
    char name[16];

    snprintf(name, sizeof(name), "cpu%u.irq", cpu);
    return stub_line_level(name);
}

/* Two vCPUs, both interfaces and the distributor on, PMR open. */
static void *gic_new(void)
{
    char *err = NULL;
    void *s;

    stub_reset(2);
    stub_set_prop("reg", "0x8000000,0x10000");
    stub_set_prop("cpu-reg", "0x8010000,0x10000");
    s = stub_device_new(&err);
    g_assert_null(err);
    g_assert_nonnull(s);
    d_wr(GICD_CTLR, 1, 0);
    for (unsigned c = 0; c < 2; c++) {
        c_wr(GICC_CTLR, 1, c);
        c_wr(GICC_PMR, 0xff, c);
    }
    return s;
}

/* SPI id: priority prio, targets mask, enabled. */
static void spi_setup(unsigned id, uint8_t prio, uint8_t targets)
{
    d_wrb(GICD_IPRIORITYR + id, prio, 0);
    d_wrb(GICD_ITARGETSR + id, targets, 0);
    d_wr(GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32), 0);
}

static void test_ids(void)
{
    void *s = gic_new();

    g_assert_cmphex(d_rd(GICD_TYPER, 0), ==, 0x28);     /* 9 x 32 ids, 2 CPUs */
    g_assert_cmphex(d_rd(GICD_IIDR, 0), ==, 0x43b);
    g_assert_cmphex(d_rd(0xfe8, 0), ==, 0x2b);          /* ICPIDR2: GICv2 */
    g_assert_cmphex(d_rd(0xff0, 0), ==, 0x0d);
    g_assert_cmphex(d_rd(0xffc, 0), ==, 0xb1);
    g_assert_cmphex(c_rd(GICC_IIDR, 0), ==, 0x2043b);
    g_assert_cmpint(stub_nb_inputs(), ==, LOOM_ARM_GIC_PPI(2, 0));
    g_assert_cmpuint(stub_nb_regions(), ==, 2);
    g_assert_cmphex(stub_region_base(1), ==, 0x8010000);
    g_assert_cmphex(c_rd(GICC_BPR, 0), ==, 2);
    g_assert_cmphex(c_rd(GICC_PMR, 0), ==, 0xf8);       /* 5 priority bits */
    g_assert_cmphex(d_rd(GICD_ICFGR, 0), ==, 0xaaaaaaaa);
    g_assert_cmphex(d_rd(GICD_ICFGR + 4, 0), ==, 0);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0xff);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 1023);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 0);
    stub_device_free(s);
}

static void test_spi(void)
{
    void *s = gic_new();

    spi_setup(33, 0xa0, 0x1);
    g_assert_cmphex(d_rd(GICD_IPRIORITYR + 32, 0), ==, 0xa000);
    g_assert_cmphex(d_rd(GICD_ITARGETSR + 32, 1), ==, 0x0100);
    g_assert_cmphex(d_rd(GICD_ISENABLER + 4, 1), ==, 0x2);
    stub_input(33, 1);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmphex(c_rd(GICC_HPPIR, 0), ==, 33);
    g_assert_cmphex(c_rd(GICC_HPPIR, 1), ==, 1023);
    g_assert_cmphex(c_rd(GICC_IAR, 1), ==, 1023);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 33);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0xa0);
    /* active and pending: the line is still high */
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4, 0), ==, 0x2);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4, 0), ==, 0x2);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 1023);
    stub_input(33, 0);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4, 0), ==, 0);
    c_wr(GICC_EOIR, 33, 0);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0xff);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4, 0), ==, 0);
    g_assert_cmpint(irq(0), ==, 0);
    /* again, now to vCPU 1 */
    d_wrb(GICD_ITARGETSR + 33, 0x2, 0);
    stub_input(33, 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 1);
    /* disabled: no signal, still pending */
    d_wr(GICD_ICENABLER + 4, 0x2, 0);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4, 0), ==, 0x2);
    d_wr(GICD_ISENABLER + 4, 0x2, 0);
    g_assert_cmpint(irq(1), ==, 1);
    /* the distributor off */
    d_wr(GICD_CTLR, 0, 0);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmphex(c_rd(GICC_IAR, 1), ==, 1023);
    stub_device_free(s);
}

static void test_sgi(void)
{
    void *s = gic_new();

    d_wr(GICD_ISENABLER, 0xffff, 0);
    d_wr(GICD_ISENABLER, 0xffff, 1);
    g_assert_cmphex(d_rd(GICD_ISENABLER, 1), ==, 0xffff);
    /* vCPU 0 to the list {1}: SGI 5 */
    d_wr(GICD_SGIR, 0x2 << 16 | 5, 0);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmphex(d_rd(GICD_SPENDSGIR + 4, 1), ==, 0x0100);  /* SGI 5 from 0 */
    g_assert_cmphex(d_rd(GICD_ISPENDR, 1), ==, 1u << 5);
    g_assert_cmphex(c_rd(GICC_IAR, 1), ==, 5);
    c_wr(GICC_EOIR, 5, 1);
    g_assert_cmpint(irq(1), ==, 0);
    /* vCPU 1 to all others: SGI 3 from source 1 */
    d_wr(GICD_SGIR, 1u << 24 | 3, 1);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmpint(irq(1), ==, 0);
    g_assert_cmphex(c_rd(GICC_HPPIR, 0), ==, 0x403);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 0x403);
    c_wr(GICC_EOIR, 0x403, 0);
    /* to itself: SGI 9, twice from two sources, acknowledged lowest
       source first */
    d_wr(GICD_SGIR, 2u << 24 | 9, 0);
    d_wrb(GICD_SPENDSGIR + 9, 0x2, 0);
    g_assert_cmphex(d_rd(GICD_SPENDSGIR + 8, 0), ==, 0x0300);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 9);
    c_wr(GICC_EOIR, 9, 0);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 0x409);
    c_wr(GICC_EOIR, 0x409, 0);
    g_assert_cmpint(irq(0), ==, 0);
    /* CPENDSGIR withdraws one */
    d_wr(GICD_SGIR, 0x1 << 16 | 2, 1);
    g_assert_cmpint(irq(0), ==, 1);
    d_wrb(GICD_CPENDSGIR + 2, 0x2, 0);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 1023);
    /* ISPENDR cannot make an SGI pending */
    d_wr(GICD_ISPENDR, 0x1, 0);
    g_assert_cmphex(d_rd(GICD_ISPENDR, 0), ==, 0);
    stub_device_free(s);
}

static void test_priority(void)
{
    void *s = gic_new();

    spi_setup(40, 0x80, 0x1);
    spi_setup(41, 0x40, 0x1);
    d_wrb(GICD_IPRIORITYR + 42, 0xff, 0);
    g_assert_cmphex(d_rd(GICD_IPRIORITYR + 40, 0), ==, 0x00f84080);
    stub_input(40, 1);
    stub_input(41, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 41);
    g_assert_cmpint(irq(0), ==, 0);             /* 0x80 cannot preempt 0x40 */
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 1023);
    stub_input(41, 0);
    c_wr(GICC_EOIR, 41, 0);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 40);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0x80);
    /* 0x40 preempts 0x80 ... */
    stub_input(41, 1);
    g_assert_cmpint(irq(0), ==, 1);
    /* ... unless BPR leaves no group priority bits (7): no preemption */
    c_wr(GICC_BPR, 7, 0);
    g_assert_cmpint(irq(0), ==, 0);
    c_wr(GICC_BPR, 0, 0);
    g_assert_cmphex(c_rd(GICC_BPR, 0), ==, 2);  /* the minimum */
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 41);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0x40);
    stub_input(41, 0);
    c_wr(GICC_EOIR, 41, 0);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0x80);
    stub_input(40, 0);
    c_wr(GICC_EOIR, 40, 0);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0xff);
    /* PMR: only priorities below it */
    c_wr(GICC_PMR, 0x40, 0);
    stub_input(41, 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(c_rd(GICC_HPPIR, 0), ==, 41);       /* HPPIR ignores PMR */
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 1023);
    c_wr(GICC_PMR, 0x48, 0);
    g_assert_cmpint(irq(0), ==, 1);
    /* the lowest priority is never signalled */
    stub_input(41, 0);
    c_wr(GICC_PMR, 0xff, 0);
    stub_input(42, 1);
    d_wr(GICD_ISENABLER + 4, 1u << 10, 0);
    d_wrb(GICD_ITARGETSR + 42, 1, 0);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmphex(c_rd(GICC_HPPIR, 0), ==, 42);
    stub_device_free(s);
}

static void test_edge(void)
{
    void *s = gic_new();

    spi_setup(34, 0x10, 0x1);
    d_wr(GICD_ICFGR + 8, 0x2 << 4, 0);          /* id 34: edge */
    g_assert_cmphex(d_rd(GICD_ICFGR + 8, 0), ==, 0x20);
    stub_input(34, 1);
    stub_input(34, 0);
    g_assert_cmpint(irq(0), ==, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 34);
    g_assert_cmphex(d_rd(GICD_ISPENDR + 4, 0), ==, 0);
    c_wr(GICC_EOIR, 34, 0);
    g_assert_cmpint(irq(0), ==, 0);
    /* a level that stays high makes one edge */
    stub_input(34, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 34);
    c_wr(GICC_EOIR, 34, 0);
    stub_input(34, 1);
    g_assert_cmpint(irq(0), ==, 0);
    /* ISPENDR and ICPENDR */
    d_wr(GICD_ISPENDR + 4, 1u << 2, 0);
    g_assert_cmpint(irq(0), ==, 1);
    d_wr(GICD_ICPENDR + 4, 1u << 2, 0);
    g_assert_cmpint(irq(0), ==, 0);
    stub_device_free(s);
}

static void test_ppi(void)
{
    void *s = gic_new();

    d_wr(GICD_ISENABLER, 1u << 30, 1);
    d_wrb(GICD_IPRIORITYR + 30, 0x20, 1);
    g_assert_cmphex(d_rd(GICD_ISENABLER, 0), ==, 0);    /* banked */
    g_assert_cmphex(d_rd(GICD_IPRIORITYR + 28, 1), ==, 0x00200000);
    g_assert_cmphex(d_rd(GICD_IPRIORITYR + 28, 0), ==, 0);
    g_assert_cmphex(d_rd(GICD_ITARGETSR + 28, 1), ==, 0x02020202);
    g_assert_cmphex(d_rd(GICD_ITARGETSR + 28, 0), ==, 0x01010101);
    stub_input(LOOM_ARM_GIC_PPI(1, 30), 1);
    g_assert_cmpint(irq(0), ==, 0);
    g_assert_cmpint(irq(1), ==, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 1023);
    g_assert_cmphex(c_rd(GICC_IAR, 1), ==, 30);
    g_assert_cmpint(irq(1), ==, 0);
    stub_input(LOOM_ARM_GIC_PPI(1, 30), 0);
    c_wr(GICC_EOIR, 30, 1);
    g_assert_cmpint(irq(1), ==, 0);
    /* vCPU 0's PPI 30 is another interrupt */
    stub_input(LOOM_ARM_GIC_PPI(0, 30), 1);
    g_assert_cmpint(irq(0), ==, 0);             /* not enabled on vCPU 0 */
    g_assert_cmphex(d_rd(GICD_ISPENDR, 0), ==, 1u << 30);
    g_assert_cmphex(d_rd(GICD_ISPENDR, 1), ==, 0);
    stub_device_free(s);
}

static void test_eoimode(void)
{
    void *s = gic_new();

    spi_setup(50, 0x60, 0x1);
    c_wr(GICC_CTLR, 1u << 9 | 1, 0);
    g_assert_cmphex(c_rd(GICC_CTLR, 0), ==, 0x201);
    stub_input(50, 1);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 50);
    stub_input(50, 0);
    c_wr(GICC_EOIR, 50, 0);
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0xff);       /* priority dropped */
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4, 0), ==, 1u << 18);     /* still active */
    stub_input(50, 1);
    g_assert_cmpint(irq(0), ==, 0);
    c_wr(GICC_DIR, 50, 0);
    g_assert_cmphex(d_rd(GICD_ISACTIVER + 4, 0), ==, 0);
    g_assert_cmpint(irq(0), ==, 1);
    stub_device_free(s);
}

static void test_bad_access(void)
{
    void *s = gic_new();

    spi_setup(33, 0xa0, 0x1);
    g_assert_cmphex(stub_read(0, GICD_TYPER, 2, 0), ==, 0);
    g_assert_cmphex(stub_read(0, GICD_TYPER, 8, 0), ==, 0);
    g_assert_cmphex(stub_read(1, GICC_IAR, 1, 0), ==, 0);
    g_assert_cmphex(d_rd(GICD_SGIR, 0), ==, 0);
    g_assert_cmphex(c_rd(GICC_EOIR, 0), ==, 0);
    g_assert_cmphex(d_rd(0x0a0, 0), ==, 0);                 /* IGROUPR: RAZ */
    d_wr(0x0a0, 0xffffffff, 0);
    g_assert_cmphex(d_rd(0x0a0, 0), ==, 0);
    d_wr(GICD_TYPER, 0, 0);
    g_assert_cmphex(d_rd(GICD_TYPER, 0), ==, 0x28);
    stub_write(0, GICD_CTLR, 0, 1, 0);
    g_assert_cmphex(d_rd(GICD_CTLR, 0), ==, 1);
    d_wrb(GICD_ITARGETSR + 3, 0xff, 0);                     /* SGI targets: read-only */
    g_assert_cmphex(d_rd(GICD_ITARGETSR, 1), ==, 0x02020202);
    d_wr(GICD_ICFGR + 4, 0xffffffff, 0);                    /* PPIs: read-only */
    g_assert_cmphex(d_rd(GICD_ICFGR + 4, 0), ==, 0);
    d_wrb(GICD_ITARGETSR + 33, 0xff, 0);                    /* only real vCPUs */
    g_assert_cmphex(d_rd(GICD_ITARGETSR + 32, 0), ==, 0x0300);
    d_wr(GICD_SGIR, 3u << 24 | 1, 0);                       /* reserved filter */
    g_assert_cmphex(d_rd(GICD_ISPENDR, 0), ==, 0);
    c_wr(GICC_EOIR, 33, 0);                                 /* not acknowledged */
    g_assert_cmphex(c_rd(GICC_RPR, 0), ==, 0xff);
    /* beyond num-irqs: RAZ/WI */
    d_wr(GICD_ISENABLER + 4 * 9, 0xffffffff, 0);
    g_assert_cmphex(d_rd(GICD_ISENABLER + 4 * 9, 0), ==, 0);
    d_wrb(GICD_IPRIORITYR + 300, 0x80, 0);
    g_assert_cmphex(d_rd(GICD_IPRIORITYR + 300, 0), ==, 0);
    stub_input(300, 1);                                     /* no such SPI */
    stub_input(3, 1);                                       /* SGIs have no lines */
    g_assert_cmphex(c_rd(GICC_HPPIR, 0), ==, 1023);
    stub_device_free(s);
}

static void test_fdt(void)
{
    const LoomDeviceOps *ops = stub_device_ops();
    void *s = gic_new();
    char *err = NULL;
    void *blob = stub_fdt(s, &err);
    const fdt64_t *reg;
    const fdt32_t *p;
    uint32_t cells[8];
    int node, len;

    g_assert_null(err);
    node = fdt_path_offset(blob, "/soc/intc@8000000");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmpstr(fdt_getprop(blob, node, "compatible", NULL), ==, "arm,cortex-a15-gic");
    reg = fdt_getprop(blob, node, "reg", &len);
    g_assert_cmpint(len, ==, 32);
    g_assert_cmphex(fdt64_to_cpu(reg[0]), ==, 0x8000000);
    g_assert_cmphex(fdt64_to_cpu(reg[1]), ==, 0x10000);
    g_assert_cmphex(fdt64_to_cpu(reg[2]), ==, 0x8010000);
    g_assert_cmphex(fdt64_to_cpu(reg[3]), ==, 0x10000);
    p = fdt_getprop(blob, node, "#interrupt-cells", &len);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 3);
    g_assert_nonnull(fdt_getprop(blob, node, "interrupt-controller", NULL));
    g_assert_cmphex(fdt_get_phandle(blob, node), ==, 0x10);
    p = fdt_getprop(blob, 0, "interrupt-parent", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 0x10);
    g_free(blob);

    g_assert_cmpint(ops->fdt_irq_cells(s, 33, cells, 8), ==, 3);
    g_assert_cmpuint(cells[0], ==, 0);
    g_assert_cmpuint(cells[1], ==, 1);
    g_assert_cmpuint(cells[2], ==, 4);
    g_assert_cmpint(ops->fdt_irq_cells(s, 79, cells, 8), ==, 3);
    g_assert_cmpuint(cells[1], ==, 47);
    g_assert_cmpint(ops->fdt_irq_cells(s, LOOM_ARM_GIC_PPI(1, 30), cells, 8), ==, 3);
    g_assert_cmpuint(cells[0], ==, 1);
    g_assert_cmpuint(cells[1], ==, 14);
    g_assert_cmphex(cells[2], ==, 0x304);       /* vCPUs 0 and 1, level high */
    g_assert_cmpint(ops->fdt_irq_cells(s, 5, cells, 8), ==, 0);
    g_assert_cmpint(ops->fdt_irq_cells(s, 288, cells, 8), ==, 0);
    g_assert_cmpint(ops->fdt_irq_cells(s, LOOM_ARM_GIC_PPI(1, 3), cells, 8), ==, 0);
    g_assert_cmpint(ops->fdt_irq_cells(s, LOOM_ARM_GIC_PPI(2, 30), cells, 8), ==, 0);
    g_assert_cmpint(ops->fdt_irq_cells(s, 33, cells, 2), ==, 0);
    stub_device_free(s);
}

/* With one vCPU the target registers are RAZ/WI and every SPI targets
   it (the GICv2 specification, uniprocessor implementations). */
static void test_uniprocessor(void)
{
    char *err = NULL;
    void *s;

    stub_reset(1);
    stub_set_prop("reg", "0x8000000");
    stub_set_prop("cpu-reg", "0x8010000");
    s = stub_device_new(&err);
    g_assert_null(err);
    g_assert_cmphex(d_rd(GICD_TYPER, 0), ==, 0x08);
    d_wr(GICD_CTLR, 1, 0);
    c_wr(GICC_CTLR, 1, 0);
    c_wr(GICC_PMR, 0xf0, 0);
    g_assert_cmphex(d_rd(GICD_ITARGETSR, 0), ==, 0);
    d_wrb(GICD_IPRIORITYR + 40, 0x80, 0);
    d_wr(GICD_ISENABLER + 4, 1u << 8, 0);
    stub_input(40, 1);                  /* no target written */
    g_assert_cmpint(irq(0), ==, 1);
    d_wrb(GICD_ITARGETSR + 40, 0x1, 0);
    g_assert_cmphex(d_rd(GICD_ITARGETSR + 40, 0), ==, 0);
    g_assert_cmphex(c_rd(GICC_IAR, 0), ==, 40);
    stub_device_free(s);
}

static void test_bad_props(void)
{
    char *err = NULL;

    stub_reset(2);
    stub_set_prop("reg", "0x8000000");
    stub_set_prop("cpu-reg", "0x8010000");
    stub_set_prop("num-irqs", "100");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "num-irqs=100 is out of range: give a multiple of 32 from 64 "
                             "to 1024");
    g_free(err);
    stub_reset(9);
    stub_set_prop("reg", "0x8000000");
    stub_set_prop("cpu-reg", "0x8010000");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "a GICv2 serves at most 8 CPUs and the machine has 9: lower -smp");
    g_free(err);
}

/* A guest doing anything: 200000 accesses of every size at random
   offsets of both regions from both vCPUs, and random input lines; the
   GIC's own sanity check runs after each change (assert). */
static void test_random_access(void)
{
    static const unsigned sizes[4] = { 1, 2, 4, 8 };
    GRand *r = g_rand_new_with_seed(14);
    void *s = gic_new();

    for (unsigned i = 0; i < 200000; i++) {
        unsigned region = g_rand_int_range(r, 0, 2);
        uint64_t off = g_rand_int_range(r, 0, region ? 0x2000 : 0x1000);
        unsigned size = sizes[g_rand_int_range(r, 0, 4)];
        unsigned cpu = g_rand_int_range(r, 0, 2);

        switch (g_rand_int_range(r, 0, 8)) {
        case 0:
            stub_input(g_rand_int_range(r, 0, stub_nb_inputs()), g_rand_int_range(r, 0, 2));
            break;
        case 1: case 2: case 3:
            stub_read(region, off & ~(uint64_t)(size - 1), size, cpu);
            break;
        default:
            stub_write(region, off & ~(uint64_t)(size - 1),
                       (uint64_t)g_rand_int(r) << 32 | g_rand_int(r), size, cpu);
            break;
        }
    }
    g_rand_free(r);
    stub_device_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-gic/ids", test_ids);
    g_test_add_func("/arm-gic/spi", test_spi);
    g_test_add_func("/arm-gic/sgi", test_sgi);
    g_test_add_func("/arm-gic/priority", test_priority);
    g_test_add_func("/arm-gic/edge", test_edge);
    g_test_add_func("/arm-gic/ppi", test_ppi);
    g_test_add_func("/arm-gic/eoimode", test_eoimode);
    g_test_add_func("/arm-gic/bad-access", test_bad_access);
    g_test_add_func("/arm-gic/fdt", test_fdt);
    g_test_add_func("/arm-gic/uniprocessor", test_uniprocessor);
    g_test_add_func("/arm-gic/bad-props", test_bad_props);
    g_test_add_func("/arm-gic/random-access", test_random_access);
    return g_test_run();
}
