/*
 * arm_timer.c - the Arm generic timer (Arm ARM, chapter D11) as a device:
 * the system counter and, for each vCPU, its EL1 physical and virtual
 * timers.  It has no MMIO: the front-end reaches its registers through
 * the interfaces it publishes (include/loom/arm.h):
 *
 *   "timebase"   (include/loom/timebase.h) the count and its frequency
 *   "arm.timer"  LoomArmSysregIface, these system registers:
 *       CNTFRQ_EL0      frequency (read-only here: writes are ignored)
 *       CNTPCT_EL0      physical count           CNTVCT_EL0  virtual count
 *       CNTP_CTL_EL0    ENABLE, IMASK, ISTATUS   CNTV_CTL_EL0  the same
 *       CNTP_CVAL_EL0   compare value            CNTV_CVAL_EL0
 *       CNTP_TVAL_EL0   CVAL - count, 32 bits    CNTV_TVAL_EL0
 *       CNTKCTL_EL1     EL0 access (bits 9:0 stored)
 *       CNTVOFF_EL2     zero (EL2 and up only)
 *
 * The count is the virtual clock in ticks of `frequency` Hz (62.5 MHz by
 * default, as QEMU), from 0 at power-on and at each system reset.
 * CNTVOFF is 0, so the virtual count is the physical one.  A timer's
 * condition is met when it is enabled and count >= CVAL (ISTATUS); its
 * output, ISTATUS && !IMASK, is level-sensitive and drives the PPI of
 * its vCPU on the interrupt controller named by `intc`: 30 (physical)
 * and 27 (virtual), lines <intc>.<LOOM_ARM_GIC_PPI(cpu, id)>.  A loom
 * timer fires at the exact deadline, so the line rises on time even
 * while the vCPU sleeps.
 *
 * EL0 access as CNTKCTL_EL1 allows it (no EL2 traps): CNTPCT needs
 * EL0PCTEN (bit 0), CNTVCT EL0VCTEN (bit 1), CNTFRQ either, CNTV_*
 * EL0VTEN (bit 8), CNTP_* EL0PTEN (bit 9); CNTKCTL_EL1 needs EL1,
 * CNTVOFF_EL2 EL2.  A refused access, and a write to CNTPCT or CNTVCT,
 * is the front-end's undefined-instruction exception (read/write return
 * false).
 *
 * Device tree: /timer { compatible = "arm,armv8-timer"; always-on;
 * interrupts = secure physical, physical, virtual, hypervisor PPIs
 * (13, 14, 11, 10 in the GIC binding's cells, level high, every vCPU in
 * the mask; no mask under a GICv3, whose binding has none) }, with the
 * interrupt controller the root's interrupt-parent (the GIC sets it).
 *
 * Locking: the interface's read and write run on vCPU threads with the
 * BQL held (the front-end takes it), as do timer callbacks and reset;
 * the BQL protects all of ArmTimer except count_base, which the
 * timebase interface reads from any thread (atomic, relaxed).
 */
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>
#include <loom/timebase.h>
#include <loom/arm.h>

#define NS_PER_SEC 1000000000ull

enum { TIMER_PHYS = 0, TIMER_VIRT = 1, NB_TIMERS = 2 };

/* PPI ids of the EL1 physical and virtual timers (SBSA / QEMU virt). */
static const unsigned timer_ppi[NB_TIMERS] = { 30, 27 };

enum {
    CTL_ENABLE = 1u << 0, CTL_IMASK = 1u << 1, CTL_ISTATUS = 1u << 2,

    KCTL_EL0PCTEN = 1u << 0, KCTL_EL0VCTEN = 1u << 1,
    KCTL_EL0VTEN = 1u << 8, KCTL_EL0PTEN = 1u << 9,
    KCTL_MASK = 0x3ff,
};

/* The registers, as MRS/MSR encode them. */
#define ENC_CNTFRQ      LOOM_ARM_SYSREG(3, 3, 14, 0, 0)
#define ENC_CNTPCT      LOOM_ARM_SYSREG(3, 3, 14, 0, 1)
#define ENC_CNTVCT      LOOM_ARM_SYSREG(3, 3, 14, 0, 2)
#define ENC_CNTP_TVAL   LOOM_ARM_SYSREG(3, 3, 14, 2, 0)
#define ENC_CNTP_CTL    LOOM_ARM_SYSREG(3, 3, 14, 2, 1)
#define ENC_CNTP_CVAL   LOOM_ARM_SYSREG(3, 3, 14, 2, 2)
#define ENC_CNTV_TVAL   LOOM_ARM_SYSREG(3, 3, 14, 3, 0)
#define ENC_CNTV_CTL    LOOM_ARM_SYSREG(3, 3, 14, 3, 1)
#define ENC_CNTV_CVAL   LOOM_ARM_SYSREG(3, 3, 14, 3, 2)
#define ENC_CNTKCTL     LOOM_ARM_SYSREG(3, 0, 14, 1, 0)
#define ENC_CNTVOFF     LOOM_ARM_SYSREG(3, 4, 14, 0, 3)

typedef struct ArmTimer ArmTimer;

/* One of a vCPU's timers.  Invariant: level == (ENABLE && count >= cval
   && !IMASK), up to the loom timer's latency; the loom timer is armed
   iff the timer is enabled, its condition not yet met and the deadline
   representable. */
typedef struct CpuTimer {
    ArmTimer *s;
    LoomIRQ *irq;               /* <intc>.<PPI(cpu, 30 or 27)> */
    LoomTimer *timer;
    uint64_t cval;
    uint32_t ctl;               /* ENABLE and IMASK */
    int level;
} CpuTimer;

typedef struct CpuTimers {
    CpuTimer t[NB_TIMERS];
    uint32_t cntkctl;
} CpuTimers;

struct ArmTimer {
    LoomDevice *dev;
    LoomMachine *machine;
    uint64_t freq;              /* ticks per second, 1 Hz .. 1 GHz */
    /* clock ticks at the last reset, subtracted from the clock's: atomic,
       relaxed (written under the BQL, read by timebase from any thread) */
    uint64_t count_base;
    unsigned ncpu;
    CpuTimers *cpu;             /* [ncpu] */
};

/* --- the counter --- */

static uint64_t clock_to_ticks(const ArmTimer *s, int64_t ns)
{
    if (ns <= 0)
        return 0;
    return (uint64_t)((unsigned __int128)ns * s->freq / NS_PER_SEC);
}

static uint64_t timer_count_at(const ArmTimer *s, int64_t now)
{
    return clock_to_ticks(s, now) - __atomic_load_n(&s->count_base, __ATOMIC_RELAXED);
}

static uint64_t timer_count(const ArmTimer *s)
{
    return timer_count_at(s, loom_clock_ns());
}

static uint64_t timebase_ticks(void *opaque)
{
    return timer_count(opaque);
}

static uint64_t timebase_frequency(void *opaque)
{
    return ((const ArmTimer *)opaque)->freq;
}

static const LoomTimebaseIface arm_timebase = {
    .ticks = timebase_ticks,
    .frequency = timebase_frequency,
};

/* --- the timers --- */

static bool timer_istatus(const CpuTimer *t, uint64_t count)
{
    return (t->ctl & CTL_ENABLE) && count >= t->cval;
}

/* Bring the output in line with the count; arm the loom timer for the
   deadline otherwise. */
static void timer_update(CpuTimer *t)
{
    ArmTimer *s = t->s;
    int64_t now = loom_clock_ns();
    uint64_t count = timer_count_at(s, now);
    bool met = timer_istatus(t, count);
    int level = met && !(t->ctl & CTL_IMASK);

    if (level != t->level) {
        t->level = level;
        loom_irq_set(t->irq, level);
    }
    if (met || !(t->ctl & CTL_ENABLE)) {
        loom_timer_del(t->timer);
    } else {
        /* the first ns at which the clock's ticks reach cval + base:
           ceil(ticks * 1e9 / freq) */
        unsigned __int128 ticks = (unsigned __int128)t->cval +
                                  __atomic_load_n(&s->count_base, __ATOMIC_RELAXED);
        unsigned __int128 ns = (ticks * NS_PER_SEC + s->freq - 1) / s->freq;

        if (ns > (unsigned __int128)INT64_MAX)
            loom_timer_del(t->timer);   /* beyond the clock's range */
        else
            loom_timer_mod(t->timer, (int64_t)ns);
    }
}

static void timer_cb(void *opaque)
{
    timer_update(opaque);
}

/* --- the system registers --- */

static bool arm_timer_owns(void *opaque, uint32_t enc)
{
    switch (enc) {
    case ENC_CNTFRQ: case ENC_CNTPCT: case ENC_CNTVCT:
    case ENC_CNTP_TVAL: case ENC_CNTP_CTL: case ENC_CNTP_CVAL:
    case ENC_CNTV_TVAL: case ENC_CNTV_CTL: case ENC_CNTV_CVAL:
    case ENC_CNTKCTL: case ENC_CNTVOFF:
        return true;
    default:
        return false;
    }
}

/* May code at el reach enc (CNTKCTL_EL1 for EL0)? */
static bool arm_timer_allowed(const CpuTimers *ct, unsigned el, uint32_t enc)
{
    uint32_t k = ct->cntkctl;

    switch (enc) {
    case ENC_CNTKCTL:
        return el >= 1;
    case ENC_CNTVOFF:
        return el >= 2;
    default:
        break;
    }
    if (el >= 1)
        return true;
    switch (enc) {
    case ENC_CNTFRQ:
        return k & (KCTL_EL0PCTEN | KCTL_EL0VCTEN);
    case ENC_CNTPCT:
        return k & KCTL_EL0PCTEN;
    case ENC_CNTVCT:
        return k & KCTL_EL0VCTEN;
    case ENC_CNTP_TVAL: case ENC_CNTP_CTL: case ENC_CNTP_CVAL:
        return k & KCTL_EL0PTEN;
    default:
        return k & KCTL_EL0VTEN;
    }
}

static CpuTimer *timer_of(CpuTimers *ct, uint32_t enc)
{
    unsigned crm = (enc >> 3) & 0xf;

    return &ct->t[crm == 2 ? TIMER_PHYS : TIMER_VIRT];
}

static bool arm_timer_read(void *opaque, unsigned cpu, unsigned el, uint32_t enc,
                           uint64_t *val)
{
    ArmTimer *s = opaque;
    CpuTimers *ct;
    CpuTimer *t;
    uint64_t count;

    if (cpu >= s->ncpu || !arm_timer_owns(s, enc))
        return false;
    ct = &s->cpu[cpu];
    if (!arm_timer_allowed(ct, el, enc))
        return false;
    count = timer_count(s);
    switch (enc) {
    case ENC_CNTFRQ:
        *val = s->freq;
        return true;
    case ENC_CNTPCT:
    case ENC_CNTVCT:            /* CNTVOFF is 0 */
        *val = count;
        return true;
    case ENC_CNTKCTL:
        *val = ct->cntkctl;
        return true;
    case ENC_CNTVOFF:
        *val = 0;
        return true;
    default:
        break;
    }
    t = timer_of(ct, enc);
    switch (enc & 7) {
    case 0:                     /* TVAL: the low 32 bits of CVAL - count */
        *val = (uint32_t)(t->cval - count);
        break;
    case 1:                     /* CTL */
        *val = t->ctl | (timer_istatus(t, count) ? CTL_ISTATUS : 0);
        break;
    default:                    /* CVAL */
        *val = t->cval;
        break;
    }
    return true;
}

static bool arm_timer_write(void *opaque, unsigned cpu, unsigned el, uint32_t enc,
                            uint64_t val)
{
    ArmTimer *s = opaque;
    CpuTimers *ct;
    CpuTimer *t;

    if (cpu >= s->ncpu || !arm_timer_owns(s, enc))
        return false;
    ct = &s->cpu[cpu];
    if (!arm_timer_allowed(ct, el, enc))
        return false;
    switch (enc) {
    case ENC_CNTFRQ:
        return true;            /* the frequency is the device's: ignored */
    case ENC_CNTPCT:
    case ENC_CNTVCT:
        return false;           /* read-only: no MSR form */
    case ENC_CNTKCTL:
        ct->cntkctl = (uint32_t)val & KCTL_MASK;
        return true;
    case ENC_CNTVOFF:
        return true;            /* fixed at 0 */
    default:
        break;
    }
    t = timer_of(ct, enc);
    switch (enc & 7) {
    case 0:                     /* TVAL: CVAL = count + SignExtend(val[31:0]) */
        t->cval = timer_count(s) + (uint64_t)(int64_t)(int32_t)(uint32_t)val;
        break;
    case 1:                     /* CTL: ISTATUS is read-only */
        t->ctl = (uint32_t)val & (CTL_ENABLE | CTL_IMASK);
        break;
    default:
        t->cval = val;
        break;
    }
    timer_update(t);
    return true;
}

static const LoomArmSysregIface arm_timer_iface = {
    .owns = arm_timer_owns,
    .read = arm_timer_read,
    .write = arm_timer_write,
};

/* --- lifecycle --- */

static const LoomPropInfo arm_timer_props[] = {
    { "intc", LOOM_PROP_STR, "gic",
      "the interrupt controller device whose PPIs the timers drive" },
    { "frequency", LOOM_PROP_U64, "62500000",
      "counter ticks per second (CNTFRQ_EL0), 1 Hz .. 1 GHz" },
    { NULL, 0, NULL, NULL },
};

static const char *const arm_timer_compatible[] = { "arm,armv8-timer", NULL };

static void arm_timer_reset(void *opaque)
{
    ArmTimer *s = opaque;

    __atomic_store_n(&s->count_base, clock_to_ticks(s, loom_clock_ns()), __ATOMIC_RELAXED);
    for (unsigned c = 0; c < s->ncpu; c++) {
        CpuTimers *ct = &s->cpu[c];

        ct->cntkctl = 0;
        for (unsigned i = 0; i < NB_TIMERS; i++) {
            ct->t[i].ctl = 0;
            ct->t[i].cval = 0;
            if (ct->t[i].timer)
                timer_update(&ct->t[i]);
        }
    }
}

static void *arm_timer_create(LoomDevice *dev, char **err)
{
    LoomMachine *m = loom_device_machine(dev);
    uint64_t freq = loom_device_prop_u64(dev, "frequency");
    ArmTimer *s;

    if (freq == 0 || freq > NS_PER_SEC) {
        *err = g_strdup_printf("frequency=%" G_GUINT64_FORMAT " is out of range: give "
                               "1 Hz .. 1 GHz (62500000 is QEMU virt's)", freq);
        return NULL;
    }
    s = g_new0(ArmTimer, 1);
    s->dev = dev;
    s->machine = m;
    s->freq = freq;
    s->ncpu = loom_machine_nb_cpus(m);
    s->cpu = g_new0(CpuTimers, s->ncpu);
    if (!loom_interface_publish(m, LOOM_TIMEBASE_IFACE, LOOM_TIMEBASE_VERSION, &arm_timebase,
                                s, loom_device_name(dev), err) ||
        !loom_interface_publish(m, LOOM_ARM_TIMER_IFACE, LOOM_ARM_SYSREG_VERSION,
                                &arm_timer_iface, s, loom_device_name(dev), err)) {
        g_free(s->cpu);
        g_free(s);
        return NULL;
    }
    return s;
}

static bool arm_timer_realize(void *opaque, LoomDevice *dev, char **err)
{
    ArmTimer *s = opaque;
    const char *intc = loom_device_prop_str(dev, "intc");

    if (!intc || !*intc) {
        *err = g_strdup("intc is empty: name the interrupt controller device whose PPIs "
                        "the timers drive (e.g. intc=gic)");
        return false;
    }
    for (unsigned c = 0; c < s->ncpu; c++) {
        for (unsigned i = 0; i < NB_TIMERS; i++) {
            CpuTimer *t = &s->cpu[c].t[i];
            char *line = g_strdup_printf("%s.%u", intc, LOOM_ARM_GIC_PPI(c, timer_ppi[i]));

            t->s = s;
            t->irq = loom_irq_lookup(s->machine, line, err);
            g_free(line);
            if (!t->irq)
                return false;
            t->timer = loom_timer_new(s->machine, timer_cb, t);
        }
    }
    arm_timer_reset(s);
    return true;
}

static void arm_timer_destroy(void *opaque)
{
    ArmTimer *s = opaque;

    for (unsigned c = 0; c < s->ncpu; c++) {
        for (unsigned i = 0; i < NB_TIMERS; i++) {
            if (s->cpu[c].t[i].timer)
                loom_timer_free(s->cpu[c].t[i].timer);
        }
    }
    g_free(s->cpu);
    g_free(s);
}

/* /timer: see the header.  PPI ids 29, 30, 27, 26 are 13, 14, 11, 10 in
   the GIC binding's PPI numbering; flags: level high (4) and, in bits
   15:8, every vCPU unless a GICv3 is there. */
static bool arm_timer_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt, char **err)
{
    static const uint32_t ppis[4] = { 13, 14, 11, 10 };
    ArmTimer *s = opaque;
    void *blob = loom_fdt_blob(fdt);
    uint32_t flags = ((1u << MIN(s->ncpu, 8u)) - 1) << 8 | 4;
    char *ierr = NULL;
    fdt32_t cells[12];
    int node, rc;

    /* under a GICv3 (it publishes arm.gicv3): its binding has no CPU mask */
    if (loom_interface_lookup(s->machine, LOOM_ARM_GICV3_IFACE, LOOM_ARM_SYSREG_VERSION,
                              NULL, &ierr))
        flags = 4;
    g_free(ierr);
    for (unsigned i = 0; i < 4; i++) {
        cells[3 * i] = cpu_to_fdt32(1);
        cells[3 * i + 1] = cpu_to_fdt32(ppis[i]);
        cells[3 * i + 2] = cpu_to_fdt32(flags);
    }
    node = fdt_add_subnode(blob, 0, "timer");
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_string(blob, node, "compatible", arm_timer_compatible[0]);
    rc = rc ? rc : fdt_setprop(blob, node, "always-on", NULL, 0);
    rc = rc ? rc : fdt_setprop(blob, node, "interrupts", cells, sizeof(cells));
    if (rc) {
        *err = g_strdup_printf("/timer: %s", fdt_strerror(rc));
        return false;
    }
    return true;
}

static const LoomDeviceOps arm_timer_ops = {
    .compatible = arm_timer_compatible,
    .props = arm_timer_props,
    .lockless_mmio = false,
    .create = arm_timer_create,
    .realize = arm_timer_realize,
    .reset = arm_timer_reset,
    .destroy = arm_timer_destroy,
    .fdt_node = arm_timer_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "arm_timer", "1.0", "MIT",
                   "Arm generic timer: system counter, EL1 physical and virtual timers "
                   "per vCPU", &arm_timer_ops);
