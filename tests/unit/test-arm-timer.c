/*
 * Unit tests of the generic timer device (plugins/devices/arm_timer),
 * built with its source and the core's device API stubbed
 * (device-stubs.c), on two vCPUs at QEMU virt's 62.5 MHz: the interfaces
 * it publishes, the system registers through them as a front-end calls
 * them, and its outputs to the GIC's PPIs.
 *
 *  /arm-timer/count        timebase and CNTFRQ/CNTPCT/CNTVCT: exact ticks
 *  /arm-timer/cval         CVAL: the line rises at the exact deadline;
 *                          ISTATUS, IMASK, ENABLE
 *  /arm-timer/tval         TVAL: count + sign-extended 32 bits; reads
 *                          CVAL - count; the virtual timer's PPI 27
 *  /arm-timer/access       CNTKCTL_EL1's EL0 gates; EL1 and EL2
 *                          registers; read-only counts; unowned encodings
 *  /arm-timer/reset        the count restarts at 0; timers off, lines low
 *  /arm-timer/fdt          /timer: compatible, always-on, 4 PPIs
 *  /arm-timer/bad-props    one-line errors: frequency 0, intc empty
 *  /arm-timer/random-access 100000 random register accesses at every EL:
 *                          no crash
 */
#include <string.h>
#include <libfdt.h>
#include <loom/arm.h>
#include <loom/timebase.h>
#include "device-stubs.h"

#define CNTFRQ      LOOM_ARM_SYSREG(3, 3, 14, 0, 0)
#define CNTPCT      LOOM_ARM_SYSREG(3, 3, 14, 0, 1)
#define CNTVCT      LOOM_ARM_SYSREG(3, 3, 14, 0, 2)
#define CNTP_TVAL   LOOM_ARM_SYSREG(3, 3, 14, 2, 0)
#define CNTP_CTL    LOOM_ARM_SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL   LOOM_ARM_SYSREG(3, 3, 14, 2, 2)
#define CNTV_TVAL   LOOM_ARM_SYSREG(3, 3, 14, 3, 0)
#define CNTV_CTL    LOOM_ARM_SYSREG(3, 3, 14, 3, 1)
#define CNTV_CVAL   LOOM_ARM_SYSREG(3, 3, 14, 3, 2)
#define CNTKCTL     LOOM_ARM_SYSREG(3, 0, 14, 1, 0)
#define CNTVOFF     LOOM_ARM_SYSREG(3, 4, 14, 0, 3)

/* the lines: gic.<LOOM_ARM_GIC_PPI(cpu, 30 or 27)> */
#define PHYS0 "gic.1054"
#define VIRT0 "gic.1051"
#define PHYS1 "gic.1086"
#define VIRT1 "gic.1083"

static const LoomArmSysregIface *sr;
static void *sr_opaque;

static void *timer_new(void)
{
    char *err = NULL;
    void *s;

    stub_reset(2);
    s = stub_device_new(&err);
    g_assert_null(err);
    g_assert_nonnull(s);
    sr = stub_interface(LOOM_ARM_TIMER_IFACE, &sr_opaque);
    g_assert_nonnull(sr);
    g_assert_true(sr_opaque == s);
    return s;
}

static uint64_t mrs(unsigned cpu, unsigned el, uint32_t enc)
{
    uint64_t v = 0xdeadbeef;

    g_assert_true(sr->read(sr_opaque, cpu, el, enc, &v));
    return v;
}

static void msr(unsigned cpu, unsigned el, uint32_t enc, uint64_t v)
{
    g_assert_true(sr->write(sr_opaque, cpu, el, enc, v));
}

static void test_count(void)
{
    void *s = timer_new();
    void *tb_opaque = NULL;
    const LoomTimebaseIface *tb = stub_interface(LOOM_TIMEBASE_IFACE, &tb_opaque);

    g_assert_nonnull(tb);
    g_assert_cmpuint(tb->frequency(tb_opaque), ==, 62500000);
    g_assert_cmpuint(tb->ticks(tb_opaque), ==, 0);
    stub_clock_set(1000000000);
    g_assert_cmpuint(tb->ticks(tb_opaque), ==, 62500000);
    stub_clock_set(1000000017);                 /* 1.0625 ticks later */
    g_assert_cmpuint(tb->ticks(tb_opaque), ==, 62500001);
    g_assert_cmpuint(mrs(0, 1, CNTPCT), ==, 62500001);
    g_assert_cmpuint(mrs(1, 1, CNTVCT), ==, 62500001);
    g_assert_cmpuint(mrs(1, 1, CNTFRQ), ==, 62500000);
    msr(0, 1, CNTFRQ, 1000);                    /* ignored */
    g_assert_cmpuint(mrs(0, 1, CNTFRQ), ==, 62500000);
    g_assert_cmpuint(mrs(0, 2, CNTVOFF), ==, 0);
    /* the lines exist and are low */
    g_assert_cmpint(stub_line_level(PHYS0), ==, 0);
    g_assert_cmpint(stub_line_level(VIRT1), ==, 0);
    stub_device_free(s);
}

static void test_cval(void)
{
    void *s = timer_new();

    msr(0, 1, CNTP_CVAL, 1000);                 /* 16 us at 62.5 MHz */
    g_assert_cmpint(stub_timers_armed(), ==, 0);        /* not enabled */
    msr(0, 1, CNTP_CTL, 1);
    g_assert_cmpint(stub_next_deadline(), ==, 16000);
    g_assert_cmphex(mrs(0, 1, CNTP_CTL), ==, 1);
    stub_clock_set(15999);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 0);
    stub_clock_set(16000);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 1);
    g_assert_cmpint(stub_line_level(PHYS1), ==, 0);
    g_assert_cmpint(stub_line_level(VIRT0), ==, 0);
    g_assert_cmphex(mrs(0, 1, CNTP_CTL), ==, 5);        /* ENABLE, ISTATUS */
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    /* IMASK: the line falls, ISTATUS stays */
    msr(0, 1, CNTP_CTL, 3);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 0);
    g_assert_cmphex(mrs(0, 1, CNTP_CTL), ==, 7);
    msr(0, 1, CNTP_CTL, 1);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 1);
    /* a later CVAL: the condition is no longer met */
    msr(0, 1, CNTP_CVAL, 2000);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 0);
    g_assert_cmpint(stub_next_deadline(), ==, 32000);
    /* disabled: no ISTATUS, no timer */
    msr(0, 1, CNTP_CTL, 0);
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    stub_clock_set(40000);
    g_assert_cmphex(mrs(0, 1, CNTP_CTL), ==, 0);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 0);
    /* enabling past the deadline raises the line at once */
    msr(0, 1, CNTP_CTL, 1);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 1);
    /* a deadline beyond the clock's range is never armed */
    msr(0, 1, CNTP_CVAL, UINT64_MAX);
    g_assert_cmpint(stub_line_level(PHYS0), ==, 0);
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    g_assert_cmphex(mrs(0, 1, CNTP_CVAL), ==, UINT64_MAX);
    stub_device_free(s);
}

static void test_tval(void)
{
    void *s = timer_new();

    msr(1, 1, CNTV_TVAL, 100);
    g_assert_cmpuint(mrs(1, 1, CNTV_CVAL), ==, 100);
    msr(1, 1, CNTV_CTL, 1);
    stub_clock_set(800);                        /* count 50 */
    g_assert_cmpuint(mrs(1, 1, CNTV_TVAL), ==, 50);
    g_assert_cmpint(stub_line_level(VIRT1), ==, 0);
    stub_clock_set(2400);                       /* count 150 */
    g_assert_cmpint(stub_line_level(VIRT1), ==, 1);
    g_assert_cmpint(stub_line_level(VIRT0), ==, 0);
    g_assert_cmpint(stub_line_level(PHYS1), ==, 0);
    g_assert_cmphex(mrs(1, 1, CNTV_TVAL), ==, 0xffffffceu);     /* -50 */
    /* a negative TVAL is in the past: the line stays high */
    msr(1, 1, CNTV_TVAL, 0xfffffff6u);          /* -10 */
    g_assert_cmpuint(mrs(1, 1, CNTV_CVAL), ==, 140);
    g_assert_cmpint(stub_line_level(VIRT1), ==, 1);
    /* bits 63:32 of a TVAL write do not count */
    msr(1, 1, CNTV_TVAL, 0x1234567800000010ull);
    g_assert_cmpuint(mrs(1, 1, CNTV_CVAL), ==, 166);
    g_assert_cmpint(stub_line_level(VIRT1), ==, 0);
    g_assert_cmpint(stub_next_deadline(), ==, 2656);
    /* the physical timer of the same vCPU is separate */
    g_assert_cmpuint(mrs(1, 1, CNTP_CVAL), ==, 0);
    stub_device_free(s);
}

static void test_access(void)
{
    void *s = timer_new();
    uint64_t v;

    g_assert_true(sr->owns(sr_opaque, CNTP_CTL));
    g_assert_true(sr->owns(sr_opaque, CNTKCTL));
    g_assert_false(sr->owns(sr_opaque, LOOM_ARM_SYSREG(3, 0, 1, 0, 0)));    /* SCTLR_EL1 */
    g_assert_false(sr->owns(sr_opaque, LOOM_ARM_SYSREG(3, 4, 14, 1, 0)));   /* CNTHCTL_EL2 */
    g_assert_false(sr->read(sr_opaque, 0, 1, LOOM_ARM_SYSREG(3, 0, 1, 0, 0), &v));
    /* EL0: nothing until CNTKCTL_EL1 allows it */
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTPCT, &v));
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTVCT, &v));
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTFRQ, &v));
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTP_CTL, &v));
    g_assert_false(sr->write(sr_opaque, 0, 0, CNTV_CVAL, 5));
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTKCTL, &v));
    g_assert_false(sr->write(sr_opaque, 0, 0, CNTKCTL, 0x3ff));
    msr(0, 1, CNTKCTL, 0xffffffff);
    g_assert_cmphex(mrs(0, 1, CNTKCTL), ==, 0x3ff);
    msr(0, 1, CNTKCTL, 0x202);                  /* EL0PTEN, EL0VCTEN */
    g_assert_cmphex(mrs(1, 1, CNTKCTL), ==, 0); /* per vCPU */
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTPCT, &v));
    g_assert_true(sr->read(sr_opaque, 0, 0, CNTVCT, &v));
    g_assert_true(sr->read(sr_opaque, 0, 0, CNTFRQ, &v));
    g_assert_true(sr->read(sr_opaque, 0, 0, CNTP_CTL, &v));
    g_assert_false(sr->read(sr_opaque, 0, 0, CNTV_CTL, &v));
    g_assert_false(sr->read(sr_opaque, 1, 0, CNTP_CTL, &v));
    msr(0, 1, CNTKCTL, 0x101);                  /* EL0VTEN, EL0PCTEN */
    g_assert_true(sr->read(sr_opaque, 0, 0, CNTPCT, &v));
    g_assert_true(sr->write(sr_opaque, 0, 0, CNTV_CVAL, 5));
    g_assert_false(sr->write(sr_opaque, 0, 0, CNTP_CVAL, 5));
    /* CNTVOFF_EL2 from EL2 only; counts are read-only */
    g_assert_false(sr->read(sr_opaque, 0, 1, CNTVOFF, &v));
    g_assert_true(sr->write(sr_opaque, 0, 2, CNTVOFF, 1234));
    g_assert_cmpuint(mrs(0, 2, CNTVOFF), ==, 0);
    g_assert_false(sr->write(sr_opaque, 0, 1, CNTPCT, 0));
    g_assert_false(sr->write(sr_opaque, 0, 1, CNTVCT, 0));
    /* no vCPU 2 */
    g_assert_false(sr->read(sr_opaque, 2, 1, CNTPCT, &v));
    stub_device_free(s);
}

static void test_reset(void)
{
    void *s = timer_new();

    msr(0, 1, CNTKCTL, 3);
    msr(0, 1, CNTV_CVAL, 10);
    msr(0, 1, CNTV_CTL, 1);
    stub_clock_set(1000000);
    g_assert_cmpint(stub_line_level(VIRT0), ==, 1);
    stub_device_reset(s);
    g_assert_cmpint(stub_line_level(VIRT0), ==, 0);
    g_assert_cmpuint(mrs(0, 1, CNTVCT), ==, 0);
    g_assert_cmphex(mrs(0, 1, CNTV_CTL), ==, 0);
    g_assert_cmphex(mrs(0, 1, CNTKCTL), ==, 0);
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    stub_clock_set(1000000 + 16000);
    g_assert_cmpuint(mrs(0, 1, CNTPCT), ==, 1000);
    /* deadlines count from the reset */
    msr(0, 1, CNTP_CVAL, 2000);
    msr(0, 1, CNTP_CTL, 1);
    g_assert_cmpint(stub_next_deadline(), ==, 1000000 + 32000);
    stub_device_free(s);
}

static void test_fdt(void)
{
    static const uint32_t want[12] = {
        1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10, 0x304,
    };
    void *s = timer_new();
    char *err = NULL;
    void *blob = stub_fdt(s, &err);
    const fdt32_t *p;
    int node, len;

    g_assert_null(err);
    node = fdt_path_offset(blob, "/timer");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmpstr(fdt_getprop(blob, node, "compatible", NULL), ==, "arm,armv8-timer");
    g_assert_nonnull(fdt_getprop(blob, node, "always-on", &len));
    g_assert_cmpint(len, ==, 0);
    p = fdt_getprop(blob, node, "interrupts", &len);
    g_assert_cmpint(len, ==, sizeof(want));
    for (unsigned i = 0; i < 12; i++)
        g_assert_cmphex(fdt32_to_cpu(p[i]), ==, want[i]);
    g_assert_null(fdt_getprop(blob, node, "interrupt-parent", NULL));
    g_free(blob);
    stub_device_free(s);
}

static void test_bad_props(void)
{
    char *err = NULL;

    stub_reset(1);
    stub_set_prop("frequency", "0");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "frequency=0 is out of range: give 1 Hz .. 1 GHz (62500000 is "
                             "QEMU virt's)");
    g_free(err);
    stub_reset(1);
    stub_set_prop("intc", "");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "intc is empty: name the interrupt controller device whose PPIs "
                             "the timers drive (e.g. intc=gic)");
    g_free(err);
}

/* A guest doing anything: 100000 reads and writes of random values to
   every owned register (and a few others) at every EL on both vCPUs,
   with time passing; a refused access changes nothing. */
static void test_random_access(void)
{
    static const uint32_t encs[12] = {
        CNTFRQ, CNTPCT, CNTVCT, CNTP_TVAL, CNTP_CTL, CNTP_CVAL, CNTV_TVAL, CNTV_CTL,
        CNTV_CVAL, CNTKCTL, CNTVOFF, LOOM_ARM_SYSREG(3, 0, 1, 0, 0),
    };
    GRand *r = g_rand_new_with_seed(27);
    void *s = timer_new();
    uint64_t v;

    for (unsigned i = 0; i < 100000; i++) {
        uint32_t enc = encs[g_rand_int_range(r, 0, 12)];
        unsigned cpu = g_rand_int_range(r, 0, 3), el = g_rand_int_range(r, 0, 4);

        switch (g_rand_int_range(r, 0, 4)) {
        case 0:
            stub_clock_set(stub_clock() + g_rand_int_range(r, 0, 100000));
            break;
        case 1:
            sr->read(sr_opaque, cpu, el, enc, &v);
            break;
        default:
            v = g_rand_boolean(r) ? (uint64_t)g_rand_int(r) << 32 | g_rand_int(r)
                                  : (uint64_t)g_rand_int_range(r, 0, 4);
            sr->write(sr_opaque, cpu, el, enc, v);
            break;
        }
    }
    g_rand_free(r);
    stub_device_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-timer/count", test_count);
    g_test_add_func("/arm-timer/cval", test_cval);
    g_test_add_func("/arm-timer/tval", test_tval);
    g_test_add_func("/arm-timer/access", test_access);
    g_test_add_func("/arm-timer/reset", test_reset);
    g_test_add_func("/arm-timer/fdt", test_fdt);
    g_test_add_func("/arm-timer/bad-props", test_bad_props);
    g_test_add_func("/arm-timer/random-access", test_random_access);
    return g_test_run();
}
