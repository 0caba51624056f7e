/*
 * Machine files: a good one builds; each kind of mistake is one line that
 * names the file, the line and the key.  The arm-virt machine's devices,
 * wiring and device tree, on a toy front-end with an Arm CPU's lines.
 */
#include "config.h"
#include <string.h>
#include "internal.h"
#include <loom/timebase.h>
#include <loom/arm.h>
#include <libfdt.h>

static char *fixture(const char *name)
{
    return g_strdup_printf("%s/tests/fixtures/machines/%s.machine", g_getenv("LOOM_SRCDIR"), name);
}

static LoomMachine *create(const char *name, unsigned smp, char **err)
{
    char *path = fixture(name);
    MachineOptions opt = { .machine = path, .smp = smp };
    LoomMachine *m = machine_create(&opt, err);

    g_free(path);
    return m;
}

static void expect_error(const char *name, const char *where, const char *needle)
{
    char *err = NULL;
    LoomMachine *m = create(name, 1, &err);
    char *loc = g_strdup_printf("%s.machine%s", name, where);

    g_assert_null(m);
    g_assert_nonnull(err);
    g_test_message("error: %s", err);
    g_assert_nonnull(strstr(err, needle));
    g_assert_nonnull(strstr(err, loc));
    g_assert_null(strchr(err, '\n'));
    g_free(loc);
    g_free(err);
}

static void test_good(void)
{
    char *err = NULL;
    LoomMachine *m = create("good", 2, &err);

    g_assert_null(err);
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "good");
    g_assert_cmpuint(m->ram_base, ==, 0x80000000u);
    g_assert_cmpuint(m->ram_size, ==, 16u << 20);
    g_assert_cmpuint(m->nb_cpus, ==, 2);
    g_assert_cmpuint(m->devices->len, ==, 1);
    g_assert_nonnull(as_find(&m->as, 0x100800));
    g_assert_null(as_find(&m->as, 0x101000));
    g_assert_nonnull(as_ram_ptr(&m->as, 0x80000000u + (16u << 20) - 8, 8));
    g_assert_null(as_ram_ptr(&m->as, 0x80000000u + (16u << 20) - 4, 8));
    machine_destroy(m);
}

static void test_too_many_cpus(void)
{
    char *err = NULL;

    g_assert_null(create("good", 5, &err));
    g_assert_cmpstr(err, ==, "-smp 5: machine good supports 1 to 4 CPUs");
    g_free(err);
    g_assert_null(create("good", 0, &err));
    g_assert_nonnull(strstr(err, "-smp 0"));
    g_free(err);
}

static void test_bad_group(void)
{
    expect_error("bad-group", ":6", "unknown group [devices test]");
}

static void test_unknown_type(void)
{
    expect_error("unknown-type", ":6", "no device plugin 'nosuchdevice'");
}

static void test_bad_address(void)
{
    expect_error("bad-address", ":8", "property reg='0x10zz00' is not valid");
}

static void test_unknown_key(void)
{
    expect_error("unknown-key", ":9", "has no property 'colour'");
}

static void test_overlap(void)
{
    expect_error("overlap", ":6", "overlaps ram");
}

static void test_bad_ram(void)
{
    expect_error("bad-ram", ":3", "ram-base 'lots' is not a number");
}

static void test_no_machine_group(void)
{
    expect_error("no-machine", "", "no [machine] group");
}

static void test_syntax(void)
{
    expect_error("syntax", "", "fix the machine file's syntax");
}

/* include= lays a file over another: keys replace, new devices add,
   type=none removes; two levels deep */
static void test_include(void)
{
    char *err = NULL;
    LoomMachine *m = create("inc-child", 1, &err);

    g_assert_null(err);
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "child");
    g_assert_cmpuint(m->ram_size, ==, 32u << 20);
    g_assert_cmpuint(m->ram_base, ==, 0x80000000u);     /* from good */
    g_assert_cmpuint(m->devices->len, ==, 2);
    g_assert_null(as_find(&m->as, 0x100000));           /* test moved */
    g_assert_nonnull(as_find(&m->as, 0x200000));
    g_assert_nonnull(as_find(&m->as, 0x101000));        /* rtc added */
    machine_destroy(m);

    m = create("inc-grandchild", 1, &err);
    g_assert_null(err);
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "grandchild");
    g_assert_cmpuint(m->ram_size, ==, 32u << 20);
    g_assert_cmpuint(m->devices->len, ==, 1);
    g_assert_nonnull(as_find(&m->as, 0x200000));
    g_assert_null(as_find(&m->as, 0x101000));           /* rtc removed */
    machine_destroy(m);
}

/* a path include is relative to the including file (-M NAME's lookup,
   which include=NAME uses, is tested in tests/system/cli.sh) */
static void test_include_virt(void)
{
    char *err = NULL;
    char *path = g_build_filename(g_getenv("LOOM_SRCDIR"), "machines", "virt.machine", NULL);
    MachineOptions opt = { .machine = path, .smp = 1 };
    LoomMachine *virt = machine_create(&opt, &err);
    LoomMachine *m;

    g_assert_null(err);
    m = create("inc-virt", 1, &err);
    g_assert_null(err);
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "small-virt");
    g_assert_cmpuint(m->ram_size, ==, 64u << 20);
    g_assert_cmpuint(m->devices->len, ==, virt->devices->len - 1);
    g_assert_nonnull(as_find(&virt->as, 0x101000));
    g_assert_null(as_find(&m->as, 0x101000));
    g_assert_nonnull(as_find(&m->as, 0x10000000));      /* virt's uart0 */
    machine_destroy(m);
    machine_destroy(virt);
    g_free(path);
}

/* mistakes name the file and line that made them, at any depth */
static void test_include_errors(void)
{
    char *err = NULL;
    LoomMachine *m;

    /* a includes b, whose line 2 includes a again */
    m = create("inc-cycle-a", 1, &err);
    g_assert_null(m);
    g_assert_nonnull(strstr(err, "inc-cycle-b.machine:2: include=inc-cycle-a.machine: "));
    g_assert_nonnull(strstr(err, "is already being included: remove the cycle"));
    g_free(err);
    expect_error("inc-missing", ":3", "include=nosuch.machine");
    expect_error("inc-badprop", ":5", "has no property 'colour'");
    /* the bad key is in unknown-key.machine, line 9 */
    m = create("inc-basebad", 1, &err);
    g_assert_null(m);
    g_assert_nonnull(strstr(err, "unknown-key.machine:9: "));
    g_assert_nonnull(strstr(err, "has no property 'colour'"));
    g_free(err);
}

static void test_unknown_name(void)
{
    char *err = NULL;
    MachineOptions opt = { .machine = "nosuch", .smp = 1 };

    g_assert_null(machine_create(&opt, &err));
    g_assert_cmpstr(err, ==, "unknown machine 'nosuch': try -M help");
    g_free(err);
}

/* virt's ACLINT publishes the machine's timebase: the value its mtime
   register shows, at its timebase-frequency. */
static void test_timebase_interface(void)
{
    char *err = NULL;
    char *path = g_build_filename(g_getenv("LOOM_SRCDIR"), "machines", "virt.machine", NULL);
    MachineOptions opt = { .machine = path, .smp = 2 };
    LoomMachine *m = machine_create(&opt, &err);
    const LoomTimebaseIface *tb;
    void *opaque = NULL;
    uint64_t t, mtime;

    g_assert_null(err);
    tb = loom_interface_lookup(m, LOOM_TIMEBASE_IFACE, LOOM_TIMEBASE_VERSION, &opaque, &err);
    g_assert_null(err);
    g_assert_nonnull(tb);
    g_assert_cmpuint(tb->frequency(opaque), ==, 10000000);
    /* a write to mtime (0x2000000 + 0xbff8) moves the interface's count */
    g_assert_true(loom_phys_stq_le(m, 0x2000000 + 0xbff8, 5000000000ull));
    t = tb->ticks(opaque);
    g_assert_cmpuint(t, >=, 5000000000ull);
    g_assert_cmpuint(t, <, 5000000000ull + 10 * 10000000ull);
    g_assert_true(loom_phys_ldq_le(m, 0x2000000 + 0xbff8, &mtime));
    g_assert_cmpuint(mtime, >=, t);
    g_assert_cmpuint(mtime, <, t + 10 * 10000000ull);
    machine_destroy(m);
    g_free(path);
}

/* The toy front-end's irq line of vCPU n (frontend-nomttcg.c,
   TOY_ARM_LINES: ToyEnv.spare[0], after the 8-byte pc). */
static int toy_irq(LoomMachine *m, unsigned n)
{
    return ((const uint8_t *)loom_cpu_env(m->cpus[n]))[8];
}

static uint64_t ld32(LoomMachine *m, uint64_t pa, unsigned cpu)
{
    LoomMemAttrs a = loom_mem_attrs_cpu(cpu);
    uint64_t v = 0;

    g_assert_true(loom_phys_ld(m, pa, LOOM_MEM_UL, &a, &v));
    return v;
}

static void st(LoomMachine *m, uint64_t pa, unsigned memop, uint64_t v, unsigned cpu)
{
    LoomMemAttrs a = loom_mem_attrs_cpu(cpu);

    g_assert_true(loom_phys_st(m, pa, memop, &a, v));
}

/* machine_create on fixture name with -machine OPTION=VALUE strings
   (NULL-terminated). */
static LoomMachine *create_opts(const char *name, const char *const *opts, char **err)
{
    char *path = fixture(name);
    MachineOptions opt = { .machine = path, .smp = 1 };
    LoomMachine *m;

    opt.machine_opts = g_ptr_array_new();
    for (const char *const *o = opts; *o; o++) {
        g_ptr_array_add(opt.machine_opts, (gpointer)*o);
    }
    m = machine_create(&opt, err);
    g_ptr_array_free(opt.machine_opts, TRUE);
    g_free(path);
    return m;
}

/* [option NAME] choices select [device NAME if OPTION=VALUE] groups: in
   the unconditional group's place and whole (no inherited keys), type=none
   removes, a device only a condition gives is added; bad values, unknown
   options and bad conditions are one line each. */
static void test_options(void)
{
    static const char *const none[] = { NULL };
    static const char *const high[] = { "finisher=low", "finisher=high", NULL };
    static const char *const gone[] = { "finisher=none", "extra=on", NULL };
    static const char *const bad_value[] = { "finisher=middle", NULL };
    static const char *const bad_name[] = { "colour=red", NULL };
    char *err = NULL;
    LoomMachine *m;

    m = create_opts("options", none, &err);
    g_assert_null(err);
    g_assert_cmpuint(m->devices->len, ==, 1);
    g_assert_nonnull(as_find(&m->as, 0x100000));
    g_assert_null(as_find(&m->as, 0x200000));
    machine_destroy(m);

    /* the last value wins; the conditional group's reg has no size: the
       plugin's default, not the base group's */
    m = create_opts("options", high, &err);
    g_assert_null(err);
    g_assert_cmpuint(m->devices->len, ==, 1);
    g_assert_cmpstr(loom_device_name(m->devices->pdata[0]), ==, "test");
    g_assert_null(as_find(&m->as, 0x100000));
    g_assert_nonnull(as_find(&m->as, 0x200000));
    machine_destroy(m);

    m = create_opts("options", gone, &err);
    g_assert_null(err);
    g_assert_cmpuint(m->devices->len, ==, 1);
    g_assert_cmpstr(loom_device_name(m->devices->pdata[0]), ==, "test2");
    g_assert_null(as_find(&m->as, 0x100000));
    g_assert_nonnull(as_find(&m->as, 0x300000));
    machine_destroy(m);

    /* [machine if extra=on] lays its keys over [machine] */
    {
        char *path = fixture("options");
        MachineOptions o = { .machine = path, .smp = 3 };

        o.machine_opts = g_ptr_array_new();
        g_ptr_array_add(o.machine_opts, (gpointer)"extra=on");
        g_assert_null(machine_create(&o, &err));
        g_assert_cmpstr(err, ==, "-smp 3: machine opts supports 1 to 2 CPUs");
        g_free(err);
        err = NULL;
        o.smp = 2;
        m = machine_create(&o, &err);
        g_assert_null(err);
        g_assert_cmpstr(m->description, ==, "opts with a second finisher");
        machine_destroy(m);
        g_ptr_array_set_size(o.machine_opts, 0);
        o.smp = 3;
        m = machine_create(&o, &err);           /* extra=off: max-cpus 8 */
        g_assert_null(err);
        g_assert_null(m->description);
        machine_destroy(m);
        /* a bad value there is reported at its own line */
        g_free(path);
        path = fixture("opt-bad-machine");
        o.machine = path;
        g_ptr_array_add(o.machine_opts, (gpointer)"extra=on");
        g_assert_null(machine_create(&o, &err));
        g_assert_nonnull(strstr(err, "opt-bad-machine.machine:5: [machine] max-cpus 'lots' is "
                                     "not valid"));
        g_free(err);
        err = NULL;
        g_ptr_array_free(o.machine_opts, TRUE);
        g_free(path);
    }

    g_assert_null(create_opts("options", bad_value, &err));
    g_assert_cmpstr(err, ==, "-machine: finisher=middle is not valid for machine opts: give "
                             "finisher=low or high or none");
    g_free(err);
    err = NULL;
    g_assert_null(create_opts("options", bad_name, &err));
    g_assert_cmpstr(err, ==, "-machine: machine opts has no option 'colour': valid ones are "
                             "dumpdtb=FILE, extra=off|on, finisher=low|high|none");
    g_free(err);
    err = NULL;
    expect_error("opt-bad-cond", ":4", "[device test3 if colour=red]: the condition names no "
                                       "declared option");
    expect_error("opt-bad-default", ":5", "[option extra] needs default= one of its choices");
    expect_error("opt-both", ":7", "[device test if finisher=high] and [device test if extra=off] "
                                   "both apply");
}

/* machines/arm-virt.machine's devices on a toy front-end with an Arm
   CPU's lines: QEMU virt's addresses, the UART's SPI and a vCPU's timer
   PPI through the GIC to that vCPU's irq line. */
static void test_arm_virt_devices(void)
{
    char *err = NULL;
    LoomMachine *m = create("arm-devices", 2, &err);
    const LoomArmSysregIface *sr;
    const LoomTimebaseIface *tb;
    void *op = NULL;
    uint64_t v;

    g_assert_null(err);
    g_assert_nonnull(m);
    g_assert_cmphex(m->ram_base, ==, 0x40000000);
    g_assert_cmpuint(m->ram_size, ==, 128u << 20);
    g_assert_cmpuint(m->devices->len, ==, 4 + 32);
    g_assert_cmphex(ld32(m, 0x08000004, 0), ==, 0x28);      /* GICD_TYPER: 288 ids, 2 CPUs */
    g_assert_cmphex(ld32(m, 0x080100fc, 0), ==, 0x2043b);   /* GICC_IIDR */
    g_assert_cmphex(ld32(m, 0x09000fe0, 0), ==, 0x11);      /* PL011 */
    g_assert_cmphex(ld32(m, 0x09010fe0, 0), ==, 0x31);      /* PL031 */
    g_assert_cmphex(ld32(m, 0x0a000000, 0), ==, 0x74726976);        /* "virt" */
    g_assert_cmphex(ld32(m, 0x0a003e00, 0), ==, 0x74726976);
    g_assert_false(loom_phys_ldl_le(m, 0x0a004000, &v));

    /* the UART's transmit interrupt: SPI 1 to vCPU 0 */
    st(m, 0x08000000, LOOM_MEM_UL, 1, 0);                   /* GICD_CTLR */
    st(m, 0x08000400 + 33, LOOM_MEM_UB, 0x80, 0);
    st(m, 0x08000800 + 33, LOOM_MEM_UB, 0x1, 0);
    st(m, 0x08000104, LOOM_MEM_UL, 0x2, 0);
    for (unsigned c = 0; c < 2; c++) {
        st(m, 0x08010000, LOOM_MEM_UL, 1, c);               /* GICC_CTLR */
        st(m, 0x08010004, LOOM_MEM_UL, 0xf0, c);            /* GICC_PMR */
    }
    st(m, 0x09000030, LOOM_MEM_UL, 0x381, 0);               /* loopback: no console */
    st(m, 0x09000038, LOOM_MEM_UL, 0x20, 0);                /* TXIM */
    g_assert_cmpint(toy_irq(m, 0), ==, 0);
    st(m, 0x09000000, LOOM_MEM_UL, 'x', 0);
    g_assert_cmpint(toy_irq(m, 0), ==, 1);
    g_assert_cmpint(toy_irq(m, 1), ==, 0);
    g_assert_cmphex(ld32(m, 0x0801000c, 0), ==, 33);        /* GICC_IAR */
    g_assert_cmpint(toy_irq(m, 0), ==, 0);
    st(m, 0x09000044, LOOM_MEM_UL, 0x20, 0);
    st(m, 0x08010010, LOOM_MEM_UL, 33, 0);

    /* vCPU 1's physical timer: PPI 30 of vCPU 1 only */
    st(m, 0x08000100, LOOM_MEM_UL, 1u << 30, 1);            /* banked ISENABLER0 */
    st(m, 0x08000400 + 30, LOOM_MEM_UB, 0x80, 1);
    tb = loom_interface_lookup(m, LOOM_TIMEBASE_IFACE, LOOM_TIMEBASE_VERSION, &op, &err);
    g_assert_nonnull(tb);
    g_assert_cmpuint(tb->frequency(op), ==, 62500000);
    sr = loom_interface_lookup(m, LOOM_ARM_TIMER_IFACE, LOOM_ARM_SYSREG_VERSION, &op, &err);
    g_assert_null(err);
    g_assert_nonnull(sr);
    g_assert_true(sr->write(op, 1, 1, LOOM_ARM_SYSREG(3, 3, 14, 2, 2), 0));    /* CVAL */
    g_assert_true(sr->write(op, 1, 1, LOOM_ARM_SYSREG(3, 3, 14, 2, 1), 1));    /* CTL */
    g_assert_cmpint(toy_irq(m, 1), ==, 1);
    g_assert_cmpint(toy_irq(m, 0), ==, 0);
    g_assert_cmphex(ld32(m, 0x0801000c, 0), ==, 1023);
    g_assert_cmphex(ld32(m, 0x0801000c, 1), ==, 30);
    machine_destroy(m);
}

/* arm-virt's device tree: the GIC is the root's interrupt controller,
   each device's interrupts are in its cells, the UART is the console
   with the AMBA clocks Linux wants. */
static void test_arm_virt_fdt(void)
{
    char *err = NULL;
    LoomMachine *m = create("arm-devices", 2, &err);
    size_t size;
    void *blob;
    const fdt32_t *p;
    int node, len;

    g_assert_null(err);
    blob = fdt_build(m, "console=ttyAMA0", false, &size, &err);
    g_assert_null(err);
    g_assert_nonnull(blob);
    g_assert_cmpstr(fdt_getprop(blob, 0, "compatible", NULL), ==, "linux,dummy-virt");
    node = fdt_path_offset(blob, "/soc/intc@8000000");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmphex(fdt_get_phandle(blob, node), ==, 1);
    p = fdt_getprop(blob, 0, "interrupt-parent", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 1);
    g_assert_cmpstr(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "stdout-path", NULL),
                    ==, "/soc/serial@9000000");
    {
        static const struct { const char *path; uint32_t spi; } irqs[] = {
            { "/soc/serial@9000000", 1 }, { "/soc/pl031@9010000", 2 },
            { "/soc/virtio_mmio@a000000", 16 }, { "/soc/virtio_mmio@a003e00", 47 },
        };
        for (unsigned i = 0; i < G_N_ELEMENTS(irqs); i++) {
            node = fdt_path_offset(blob, irqs[i].path);
            g_assert_cmpint(node, >=, 0);
            p = fdt_getprop(blob, node, "interrupts", &len);
            g_assert_cmpint(len, ==, 12);
            g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 0);
            g_assert_cmpuint(fdt32_to_cpu(p[1]), ==, irqs[i].spi);
            g_assert_cmpuint(fdt32_to_cpu(p[2]), ==, 4);
            p = fdt_getprop(blob, node, "interrupt-parent", &len);
            g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 1);
        }
    }
    /* the UART and the RTC share one 24 MHz /apb-pclk */
    node = fdt_path_offset(blob, "/apb-pclk");
    g_assert_cmpint(node, >=, 0);
    p = fdt_getprop(blob, fdt_path_offset(blob, "/soc/serial@9000000"), "clocks", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, fdt_get_phandle(blob, node));
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==, fdt_get_phandle(blob, node));
    p = fdt_getprop(blob, fdt_path_offset(blob, "/soc/pl031@9010000"), "clocks", &len);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, fdt_get_phandle(blob, node));
    p = fdt_getprop(blob, node, "clock-frequency", &len);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 24000000);
    node = fdt_path_offset(blob, "/timer");
    p = fdt_getprop(blob, node, "interrupts", &len);
    g_assert_cmpint(len, ==, 48);
    g_assert_cmphex(fdt32_to_cpu(p[4]), ==, 14);            /* the EL1 physical timer */
    g_assert_cmphex(fdt32_to_cpu(p[5]), ==, 0x304);
    g_free(blob);
    machine_destroy(m);
}

/* arm-virt with gic-version=3: the GICv3 at QEMU's addresses, the UART's
   SPI to the vCPU IROUTER names, vCPU 1's timer PPI through its
   redistributor, the CPU interface as system registers; the device tree
   names it and the timer's cells have no CPU mask. */
static void test_arm_virt_gicv3(void)
{
    static const char *const v3[] = { "gic-version=3", NULL };
    char *err = NULL;
    LoomMachine *m = create_opts("arm-devices", v3, &err);
    const LoomArmSysregIface *sr, *icc;
    void *op = NULL, *iop = NULL;
    uint64_t v;
    size_t size;
    void *blob;
    const fdt32_t *p;
    int node, len;

    g_assert_null(err);
    g_assert_nonnull(m);
    /* create_opts makes one vCPU: GICD_TYPER, GICR_TYPER (Last), no GICC */
    g_assert_cmphex(ld32(m, 0x08000004, 0), ==, 0x02480008);
    g_assert_cmphex(ld32(m, 0x080a0008, 0), ==, 0x10);
    g_assert_cmphex(ld32(m, 0x080affe8, 0), ==, 0x3b);
    g_assert_false(loom_phys_ldl_le(m, 0x080c0008, &v));
    g_assert_false(loom_phys_ldl_le(m, 0x08010000, &v));
    icc = loom_interface_lookup(m, LOOM_ARM_GICV3_IFACE, LOOM_ARM_SYSREG_VERSION, &iop, &err);
    g_assert_null(err);
    g_assert_nonnull(icc);

    st(m, 0x08000000, LOOM_MEM_UL, 2, 0);                   /* GICD_CTLR.EnableGrp1 */
    st(m, 0x080a0014, LOOM_MEM_UL, 0, 0);                   /* GICR_WAKER */
    st(m, 0x080b0080, LOOM_MEM_UL, 0xffffffff, 0);          /* GICR_IGROUPR0 */
    st(m, 0x08000084, LOOM_MEM_UL, 0xffffffff, 0);          /* GICD_IGROUPR1 */
    g_assert_true(icc->write(iop, 0, 1, LOOM_ARM_SYSREG(3, 0, 4, 6, 0), 0xf0));   /* PMR */
    g_assert_true(icc->write(iop, 0, 1, LOOM_ARM_SYSREG(3, 0, 12, 12, 7), 1));    /* IGRPEN1 */

    /* the UART's transmit interrupt, SPI 1 */
    st(m, 0x08000400 + 33, LOOM_MEM_UB, 0x80, 0);
    st(m, 0x08000104, LOOM_MEM_UL, 0x2, 0);
    st(m, 0x09000030, LOOM_MEM_UL, 0x381, 0);               /* loopback: no console */
    st(m, 0x09000038, LOOM_MEM_UL, 0x20, 0);
    st(m, 0x09000000, LOOM_MEM_UL, 'x', 0);
    g_assert_cmpint(toy_irq(m, 0), ==, 1);
    g_assert_true(icc->read(iop, 0, 1, LOOM_ARM_SYSREG(3, 0, 12, 12, 0), &v));    /* IAR1 */
    g_assert_cmphex(v, ==, 33);
    st(m, 0x09000044, LOOM_MEM_UL, 0x20, 0);
    g_assert_true(icc->write(iop, 0, 1, LOOM_ARM_SYSREG(3, 0, 12, 12, 1), 33));   /* EOIR1 */
    g_assert_cmpint(toy_irq(m, 0), ==, 0);

    /* the physical timer: PPI 30 */
    st(m, 0x080b0100, LOOM_MEM_UL, 1u << 30, 0);            /* GICR_ISENABLER0 */
    st(m, 0x080b0400 + 30, LOOM_MEM_UB, 0x80, 0);
    sr = loom_interface_lookup(m, LOOM_ARM_TIMER_IFACE, LOOM_ARM_SYSREG_VERSION, &op, &err);
    g_assert_nonnull(sr);
    g_assert_true(sr->write(op, 0, 1, LOOM_ARM_SYSREG(3, 3, 14, 2, 2), 0));    /* CVAL */
    g_assert_true(sr->write(op, 0, 1, LOOM_ARM_SYSREG(3, 3, 14, 2, 1), 1));    /* CTL */
    g_assert_cmpint(toy_irq(m, 0), ==, 1);
    g_assert_true(icc->read(iop, 0, 1, LOOM_ARM_SYSREG(3, 0, 12, 12, 0), &v));
    g_assert_cmphex(v, ==, 30);

    blob = fdt_build(m, NULL, false, &size, &err);
    g_assert_null(err);
    node = fdt_path_offset(blob, "/soc/intc@8000000");
    g_assert_cmpint(node, >=, 0);
    g_assert_cmpstr(fdt_getprop(blob, node, "compatible", NULL), ==, "arm,gic-v3");
    p = fdt_getprop(blob, node, "reg", &len);
    g_assert_cmpint(len, ==, 32);
    g_assert_cmphex(fdt32_to_cpu(p[5]), ==, 0x080a0000);
    g_assert_cmphex(fdt32_to_cpu(p[7]), ==, 0x20000);
    p = fdt_getprop(blob, fdt_path_offset(blob, "/timer"), "interrupts", &len);
    g_assert_cmpint(len, ==, 48);
    g_assert_cmphex(fdt32_to_cpu(p[4]), ==, 14);
    g_assert_cmphex(fdt32_to_cpu(p[5]), ==, 4);
    p = fdt_getprop(blob, fdt_path_offset(blob, "/soc/serial@9000000"), "interrupts", &len);
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==, 1);
    g_free(blob);
    machine_destroy(m);
}

int main(int argc, char **argv)
{
    char *plugins;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("LOOM_BUILDDIR") || !g_getenv("LOOM_SRCDIR")) {
        g_printerr("run through make check (LOOM_BUILDDIR unset)\n");
        return 77;
    }
    /* the toy front-ends (frontend-armlines.so) */
    plugins = g_build_filename(g_getenv("LOOM_BUILDDIR"), "tests", "fixtures", NULL);
    g_setenv("LOOM_PLUGIN_PATH", plugins, TRUE);
    g_free(plugins);
    plugins = g_build_filename(g_getenv("LOOM_BUILDDIR"), "plugins", NULL);
    plugin_path_init(plugins);
    g_free(plugins);
    clock_init();
    timers_init();
    g_test_add_func("/machine/good", test_good);
    g_test_add_func("/machine/too-many-cpus", test_too_many_cpus);
    g_test_add_func("/machine/bad-group", test_bad_group);
    g_test_add_func("/machine/unknown-type", test_unknown_type);
    g_test_add_func("/machine/bad-address", test_bad_address);
    g_test_add_func("/machine/unknown-key", test_unknown_key);
    g_test_add_func("/machine/overlap", test_overlap);
    g_test_add_func("/machine/bad-ram", test_bad_ram);
    g_test_add_func("/machine/no-machine-group", test_no_machine_group);
    g_test_add_func("/machine/syntax", test_syntax);
    g_test_add_func("/machine/unknown-name", test_unknown_name);
    g_test_add_func("/machine/include", test_include);
    g_test_add_func("/machine/include-errors", test_include_errors);
    g_test_add_func("/machine/include-virt", test_include_virt);
    g_test_add_func("/machine/timebase-interface", test_timebase_interface);
    g_test_add_func("/machine/options", test_options);
    g_test_add_func("/machine/arm-virt-devices", test_arm_virt_devices);
    g_test_add_func("/machine/arm-virt-fdt", test_arm_virt_fdt);
    g_test_add_func("/machine/arm-virt-gicv3", test_arm_virt_gicv3);
    return g_test_run();
}
