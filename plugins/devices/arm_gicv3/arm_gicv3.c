/*
 * arm_gicv3.c - an Arm Generic Interrupt Controller, architecture
 * version 3 (GICv3), as Linux drives it: affinity routing only, one
 * Security state (GICD_CTLR.DS = 1), no LPIs and no ITS.  Register model
 * from the GICv3/v4 Architecture Specification (IHI 0069).
 *
 * Two MMIO regions and a set of system registers:
 *   reg         the distributor (GICD), 64 KiB (QEMU virt: 0x08000000)
 *   redist-reg  the redistributors (GICR), one 128 KiB frame per vCPU in
 *               vCPU order: RD_base then SGI_base (QEMU virt: 0x080a0000)
 *   "arm.gicv3" (include/loom/arm.h) the CPU interface, ICC_*_EL1, which
 *               the front-end asks for on MRS/MSR
 *
 *   GICD  0x0000 CTLR (EnableGrp0 bit 0, EnableGrp1 bit 1; ARE bit 4 and
 *                DS bit 6 RAO/WI; RWP reads 0)  0x0004 TYPER  0x0008 IIDR
 *         0x000c TYPER2 (0)
 *         0x0080 IGROUPR  0x0100 ISENABLER  0x0180 ICENABLER
 *         0x0200 ISPENDR  0x0280 ICPENDR  0x0300 ISACTIVER  0x0380 ICACTIVER
 *         0x0400 IPRIORITYR (bytes)  0x0c00 ICFGR (SPIs: edge or level)
 *                (the words and bytes of ids 0..31 are RAZ/WI: the
 *                redistributors own SGIs and PPIs)
 *         0x0800 ITARGETSR, 0x0d00 IGRPMODR, 0x0e00 NSACR, 0x0f00 SGIR..
 *                RAZ/WI (affinity routing, one Security state)
 *         0x6000 IROUTER<n> (64 bits at 0x6000 + 8n, or 32-bit halves):
 *                Aff3.Aff2.Aff1.Aff0; IRM (1 of N) RAZ/WI (TYPER.No1N)
 *         0xffd0..0xfffc identification (PIDR2.ArchRev = 3)
 *   GICR  RD_base  0x0000 CTLR (0)  0x0004 IIDR  0x0008 TYPER (64 bits:
 *                Affinity_Value, Processor_Number, Last on the last frame)
 *                0x0014 WAKER (ProcessorSleep bit 1, ChildrenAsleep bit 2
 *                follows it; both set at reset)  0xffd0.. identification
 *         SGI_base 0x0080 IGROUPR0  0x0100 ISENABLER0  0x0180 ICENABLER0
 *                0x0200 ISPENDR0  0x0280 ICPENDR0  0x0300 ISACTIVER0
 *                0x0380 ICACTIVER0  0x0400 IPRIORITYR0-7 (bytes)
 *                0x0c00 ICFGR0 (SGIs: edge, read-only)  0x0c04 ICFGR1
 *                (PPIs: level or edge)  0x0d00 IGRPMODR0, 0x0e00 NSACR RAZ/WI
 *   ICC   SRE_EL1 (reads 7: system registers only)  PMR_EL1  CTLR_EL1
 *         (CBPR bit 0, EOImode bit 1; PRIbits = 4)  BPR0_EL1 (2..7)
 *         BPR1_EL1 (3..7)  IGRPEN0_EL1  IGRPEN1_EL1  IAR0/1_EL1
 *         EOIR0/1_EL1  HPPIR0/1_EL1  DIR_EL1  RPR_EL1  SGI1R_EL1
 *         SGI0R_EL1  ASGI1R_EL1 (WI: no other Security state)  AP0R0_EL1
 *         AP1R0_EL1; AP0R1-3 and AP1R1-3 are not implemented with 5
 *         priority bits: undefined.  Every ICC register is undefined at
 *         EL0.
 *
 * Interrupts: SGIs 0..15 and PPIs 16..31 per vCPU (its redistributor),
 * SPIs 32..num-irqs-1 routed by IROUTER to the vCPU with that affinity
 * (none: to nobody).  vCPU n's affinity is Aff0 = n & 0xff, Aff1 = n >> 8,
 * as the aarch64 front-end's MPIDR_EL1.  Input lines (include/loom/
 * arm.h): NAME.<intid> for an SPI, NAME.<LOOM_ARM_GIC_PPI(cpu, id)> for
 * vCPU cpu's PPI id.  Outputs: each vCPU's cpuN.irq and cpuN.fiq.
 *
 * Groups, with one Security state: Group 1 (IGROUPR bit set, as Linux
 * sets every interrupt) signals IRQ and is acknowledged by ICC_IAR1_EL1;
 * Group 0 (the reset value) signals FIQ and is acknowledged by
 * ICC_IAR0_EL1.  Each group has its enables (GICD_CTLR.EnableGrp0/1,
 * ICC_IGRPEN0/1_EL1) and its binary point (Group 0: mask
 * 0xff << (BPR0 + 1); Group 1: 0xff << BPR1, or BPR0's with CBPR); the
 * running priority is shared.
 *
 * Priorities have 5 bits (& 0xf8).  The CPU interface of vCPU c signals
 * a group's exception when both its enables are set, its redistributor
 * is awake (WAKER.ProcessorSleep clear), and the group's highest-
 * priority pending, enabled, inactive interrupt for c (lowest id on a
 * tie) has a priority below PMR and a group priority below the running
 * priority's.  IARn acknowledges it (active; an edge's latch and an
 * SGI's pending bit cleared; a level line still high stays pending) and
 * pushes its priority; EOIRn drops the most recent priority and, with
 * EOImode 0, deactivates the id written; DIR deactivates (EOImode 1).
 * RPR is the running priority (0xff when idle); APnR0 has bit
 * (prio >> 3) of each priority group n acknowledged and not yet dropped,
 * and writing it 0 drops them.
 * ICC_SGI1R_EL1 sets SGI INTID pending on the vCPUs of its target list
 * (Aff3.Aff2.Aff1 and RS * 16 + each TargetList bit) or, with IRM, on
 * every other vCPU, where that SGI is in Group 1 (SGI0R: in Group 0).
 *
 * Accesses: registers take aligned 4-byte accesses, IROUTER and
 * GICR_TYPER 8-byte ones too, IPRIORITYR 1-byte ones too.  Anything
 * else, and writes to read-only registers, are guest errors (-d
 * guest_errors): ignored, reads 0.
 *
 * Locking: MMIO, input lines, reset and the CPU interface's system
 * register accesses (the front-end holds the BQL around them, on the
 * accessing vCPU's thread) run with the BQL held, which protects all of
 * Gic3.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>
#include <loom/arm.h>

#define GIC3_MAX_CPUS       512         /* Aff1 up to 1: Processor_Number fits */
#define GIC3_MAX_IRQS       1020        /* ids 1020..1023 are special */
#define GIC3_NR_SGIS        16
#define GIC3_INTERNAL       32          /* SGIs + PPIs, per redistributor */
#define GIC3_SPURIOUS       1023
#define GIC3_PRIO_MASK      0xf8        /* 5 implemented priority bits */
#define GIC3_BPR0_MIN       2
#define GIC3_BPR1_MIN       3
#define GIC3_IDLE_PRIO      0x100       /* running priority with nothing active */
#define GICD_SIZE           0x10000
#define GICR_FRAME          0x20000     /* RD_base + SGI_base */
#define GICR_SGI_BASE       0x10000

enum {
    GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008, GICD_TYPER2 = 0x000c,
    GICD_IGROUPR = 0x0080, GICD_ISENABLER = 0x0100, GICD_ICENABLER = 0x0180,
    GICD_ISPENDR = 0x0200, GICD_ICPENDR = 0x0280, GICD_ISACTIVER = 0x0300,
    GICD_ICACTIVER = 0x0380, GICD_IPRIORITYR = 0x0400, GICD_ITARGETSR = 0x0800,
    GICD_ICFGR = 0x0c00, GICD_IGRPMODR = 0x0d00, GICD_NSACR = 0x0e00, GICD_SGIR = 0x0f00,
    GICD_IROUTER = 0x6000, GICD_ID = 0xffd0,

    GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008, GICR_WAKER = 0x0014,
    GICR_ID = 0xffd0,
    /* SGI_base offsets */
    GICR_IGROUPR0 = 0x0080, GICR_ISENABLER0 = 0x0100, GICR_ICENABLER0 = 0x0180,
    GICR_ISPENDR0 = 0x0200, GICR_ICPENDR0 = 0x0280, GICR_ISACTIVER0 = 0x0300,
    GICR_ICACTIVER0 = 0x0380, GICR_IPRIORITYR = 0x0400, GICR_ICFGR0 = 0x0c00,
    GICR_ICFGR1 = 0x0c04, GICR_IGRPMODR0 = 0x0d00, GICR_NSACR = 0x0e00,

    GICD_CTLR_GRP0 = 1u << 0,
    GICD_CTLR_GRP1 = 1u << 1,
    GICD_CTLR_ARE = 1u << 4,
    GICD_CTLR_DS = 1u << 6,

    GICR_WAKER_SLEEP = 1u << 1,
    GICR_WAKER_ASLEEP = 1u << 2,

    ICC_CTLR_CBPR = 1u << 0,
    ICC_CTLR_EOIMODE = 1u << 1,
    ICC_CTLR_PRIBITS = 4u << 8,         /* 5 priority bits */
};

/* The ICC registers, as LOOM_ARM_SYSREG encodes them (op0 3, op1 0). */
#define ICC(crn, crm, op2) LOOM_ARM_SYSREG(3, 0, crn, crm, op2)
enum {
    ICC_PMR = ICC(4, 6, 0),
    ICC_IAR0 = ICC(12, 8, 0), ICC_EOIR0 = ICC(12, 8, 1), ICC_HPPIR0 = ICC(12, 8, 2),
    ICC_BPR0 = ICC(12, 8, 3), ICC_AP0R0 = ICC(12, 8, 4), ICC_AP0R3 = ICC(12, 8, 7),
    ICC_AP1R0 = ICC(12, 9, 0), ICC_AP1R3 = ICC(12, 9, 3),
    ICC_DIR = ICC(12, 11, 1), ICC_RPR = ICC(12, 11, 3), ICC_SGI1R = ICC(12, 11, 5),
    ICC_ASGI1R = ICC(12, 11, 6), ICC_SGI0R = ICC(12, 11, 7),
    ICC_IAR1 = ICC(12, 12, 0), ICC_EOIR1 = ICC(12, 12, 1), ICC_HPPIR1 = ICC(12, 12, 2),
    ICC_BPR1 = ICC(12, 12, 3), ICC_CTLR = ICC(12, 12, 4), ICC_SRE = ICC(12, 12, 5),
    ICC_IGRPEN0 = ICC(12, 12, 6), ICC_IGRPEN1 = ICC(12, 12, 7),
};

/* GICD_IIDR and GICR_IIDR: implementer Arm (0x43b). */
#define GIC3_IIDR_VALUE     0x0000043bu

/* 0xffd0..0xfffc of GICD and RD_base: PIDR4-7, PIDR0-3, CIDR0-3; PIDR2
   bits 7:4 say architecture version 3 (what Linux checks). */
static const uint8_t gic3_id[12] = {
    0x44, 0x00, 0x00, 0x00, 0x92, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

/* One acknowledged interrupt whose priority has not been dropped. */
typedef struct Gic3Active {
    uint16_t irq;
    uint8_t prio;
    uint8_t grp;                /* 0 or 1: the IAR that acknowledged it */
} Gic3Active;

/* One vCPU: its redistributor (SGIs, PPIs, WAKER) and CPU interface. */
typedef struct Gic3Cpu {
    LoomIRQ *out[2];            /* cpuN.fiq (Group 0), cpuN.irq (Group 1) */
    int out_level[2];
    uint32_t group, enabled, pending, active, level, edge;     /* ids 0..31; pending: latched */
    uint8_t priority[GIC3_INTERNAL];
    uint32_t waker;
    uint32_t pmr, bpr0, bpr1, ctlr, igrpen0, igrpen1;
    /* acknowledged, not yet priority-dropped, most recent last; preemption
       needs a strictly higher group priority, so there are at most 32 */
    Gic3Active stack[GIC3_INTERNAL + 1];
    unsigned depth;
} Gic3Cpu;

/* Invariants (gic3_sanity): depth <= 33; priorities & ~GIC3_PRIO_MASK ==
   0; every output's out_level is gic3_cpu_level() of its vCPU and group. */
typedef struct Gic3 {
    LoomDevice *dev;
    LoomMachine *machine;
    unsigned ncpu;
    unsigned num_irqs;          /* multiple of 32, 64..1024 */
    uint32_t ctlr;              /* GICD_CTLR EnableGrp0/1 */
    uint64_t dist_base, dist_size, redist_base, redist_size;
    Gic3Cpu *cpu;
    /* SPIs: bitmaps indexed by intid (word 0 unused) */
    uint32_t *group, *enabled, *pending, *active, *level, *edge;
    uint8_t *priority;
    uint64_t *router;           /* IROUTER, by intid */
} Gic3;

/* vCPU c's affinity, Aff3.Aff2.Aff1.Aff0 in IROUTER's layout (Aff3 at
   bits 39:32): the front-end's MPIDR_EL1. */
static uint64_t cpu_affinity(unsigned c)
{
    return (c & 0xffu) | (uint64_t)(c >> 8) << 8;
}

/* The vCPU whose affinity is aff (IROUTER layout), or -1. */
static int cpu_by_affinity(const Gic3 *s, uint64_t aff)
{
    aff &= UINT64_C(0xff00ffffff);
    for (unsigned c = 0; c < s->ncpu; c++) {
        if (cpu_affinity(c) == aff)
            return (int)c;
    }
    return -1;
}

/* --- interrupt state --- */

/* Pending bits of ids 0..31 of vCPU c: latched, and level lines. */
static uint32_t internal_pending(const Gic3Cpu *c)
{
    return c->pending | (c->level & ~c->edge & 0xffff0000u);
}

static uint32_t spi_pending(const Gic3 *s, unsigned w)
{
    return s->pending[w] | (s->level[w] & ~s->edge[w]);
}

/* The group priority mask of group grp's interrupts. */
static uint32_t group_mask(const Gic3Cpu *c, unsigned grp)
{
    if (!grp || (c->ctlr & ICC_CTLR_CBPR))
        return (0xffu << (c->bpr0 + 1)) & 0xff;
    return (0xffu << c->bpr1) & 0xff;
}

/* The IGROUPR bits of group grp among group bits g. */
static uint32_t in_group(uint32_t g, unsigned grp)
{
    return grp ? g : ~g;
}

/* The highest-priority pending, enabled, inactive interrupt of group grp
   for vCPU c (lowest id on a tie), or GIC3_SPURIOUS; its priority in
   *prio. */
static unsigned gic3_best(const Gic3 *s, unsigned c, unsigned grp, unsigned *prio)
{
    const Gic3Cpu *cpu = &s->cpu[c];
    unsigned best = GIC3_SPURIOUS, best_prio = GIC3_IDLE_PRIO;
    uint32_t bits;

    *prio = best_prio;
    if (!(s->ctlr & (grp ? GICD_CTLR_GRP1 : GICD_CTLR_GRP0)) ||
        (cpu->waker & GICR_WAKER_SLEEP))
        return best;
    bits = internal_pending(cpu) & cpu->enabled & ~cpu->active & in_group(cpu->group, grp);
    while (bits) {
        unsigned i = (unsigned)__builtin_ctz(bits);

        bits &= bits - 1;
        if (cpu->priority[i] < best_prio) {
            best = i;
            best_prio = cpu->priority[i];
        }
    }
    for (unsigned w = 1; w < s->num_irqs / 32; w++) {
        bits = spi_pending(s, w) & s->enabled[w] & ~s->active[w] & in_group(s->group[w], grp);
        while (bits) {
            unsigned i = w * 32 + (unsigned)__builtin_ctz(bits);

            bits &= bits - 1;
            if (s->priority[i] < best_prio && cpu_by_affinity(s, s->router[i]) == (int)c) {
                best = i;
                best_prio = s->priority[i];
            }
        }
    }
    *prio = best_prio;
    return best;
}

static unsigned running_prio(const Gic3Cpu *c)
{
    return c->depth ? c->stack[c->depth - 1].prio : GIC3_IDLE_PRIO;
}

/* Does vCPU c's interface signal group grp's exception (FIQ, IRQ) now? */
static int gic3_cpu_level(const Gic3 *s, unsigned c, unsigned grp)
{
    const Gic3Cpu *cpu = &s->cpu[c];
    unsigned prio, running = running_prio(cpu);
    uint32_t gmask = group_mask(cpu, grp);

    if (!((grp ? cpu->igrpen1 : cpu->igrpen0) & 1) ||
        gic3_best(s, c, grp, &prio) == GIC3_SPURIOUS)
        return 0;
    if (prio >= cpu->pmr)
        return 0;
    return running == GIC3_IDLE_PRIO || (prio & gmask) < (running & gmask);
}

static G_GNUC_UNUSED bool gic3_sanity(const Gic3 *s)
{
    for (unsigned c = 0; c < s->ncpu; c++) {
        const Gic3Cpu *cpu = &s->cpu[c];

        if (cpu->depth > GIC3_INTERNAL + 1 || cpu->out_level[0] != gic3_cpu_level(s, c, 0) ||
            cpu->out_level[1] != gic3_cpu_level(s, c, 1))
            return false;
        for (unsigned i = 0; i < GIC3_INTERNAL; i++) {
            if (cpu->priority[i] & ~GIC3_PRIO_MASK)
                return false;
        }
    }
    for (unsigned i = GIC3_INTERNAL; i < s->num_irqs; i++) {
        if (s->priority[i] & ~GIC3_PRIO_MASK)
            return false;
    }
    return true;
}

/* Drive every vCPU's FIQ and IRQ lines from the current state. */
static void gic3_update(Gic3 *s)
{
    for (unsigned c = 0; c < s->ncpu; c++) {
        for (unsigned grp = 0; grp < 2; grp++) {
            int level = gic3_cpu_level(s, c, grp);

            if (level != s->cpu[c].out_level[grp]) {
                s->cpu[c].out_level[grp] = level;
                loom_irq_set(s->cpu[c].out[grp], level);
            }
        }
    }
    assert(gic3_sanity(s));
}

/* Input line n changed (see the header for the numbering). */
static void gic3_input(void *opaque, int n, int level)
{
    Gic3 *s = opaque;
    bool high = level != 0;

    if (n >= LOOM_ARM_GIC_PPI_BASE) {
        unsigned c = (unsigned)(n - LOOM_ARM_GIC_PPI_BASE) / 32;
        unsigned id = (unsigned)(n - LOOM_ARM_GIC_PPI_BASE) % 32;
        Gic3Cpu *cpu;

        if (c >= s->ncpu || id < GIC3_NR_SGIS)
            return;
        cpu = &s->cpu[c];
        if (high && !(cpu->level & (1u << id)) && (cpu->edge & (1u << id)))
            cpu->pending |= 1u << id;           /* rising edge */
        if (high)
            cpu->level |= 1u << id;
        else
            cpu->level &= ~(1u << id);
    } else if (n >= GIC3_INTERNAL && (unsigned)n < MIN(s->num_irqs, GIC3_MAX_IRQS)) {
        unsigned i = (unsigned)n;

        if (high && !loom_bitmap_get(s->level, i) && loom_bitmap_get(s->edge, i))
            loom_bitmap_set(s->pending, i, true);       /* rising edge */
        loom_bitmap_set(s->level, i, high);
    } else {
        return;
    }
    gic3_update(s);
}

/* ICC_SGI1R_EL1 / ICC_SGI0R_EL1 from vCPU src: SGI pending on the
   targets where it is in group grp. */
static void gic3_send_sgi(Gic3 *s, unsigned src, uint64_t val, unsigned grp)
{
    unsigned id = (unsigned)(val >> 24) & 0xf;
    uint64_t aff = (val >> 16 & 0xff) << 8 | (val >> 32 & 0xff) << 16 |
                   (val >> 48 & 0xff) << 32;
    unsigned rs = (unsigned)(val >> 44) & 0xf;
    bool irm = (val >> 40) & 1;

    for (unsigned c = 0; c < s->ncpu; c++) {
        uint64_t a = cpu_affinity(c);
        bool hit;

        if (irm) {
            hit = c != src;
        } else {
            unsigned aff0 = (unsigned)(a & 0xff);

            hit = (a & ~UINT64_C(0xff)) == aff && aff0 / 16 == rs &&
                  ((val >> (aff0 % 16)) & 1);
        }
        if (hit && ((s->cpu[c].group >> id) & 1) == grp)
            s->cpu[c].pending |= 1u << id;
    }
}

/* ICC_IAR0/1_EL1: acknowledge group grp's interrupt that is signalled. */
static uint32_t gic3_acknowledge(Gic3 *s, unsigned c, unsigned grp)
{
    Gic3Cpu *cpu = &s->cpu[c];
    unsigned prio, irq;

    if (!gic3_cpu_level(s, c, grp))
        return GIC3_SPURIOUS;
    irq = gic3_best(s, c, grp, &prio);
    if (irq < GIC3_INTERNAL) {
        cpu->pending &= ~(1u << irq);
        cpu->active |= 1u << irq;
    } else {
        loom_bitmap_set(s->pending, irq, false);
        loom_bitmap_set(s->active, irq, true);
    }
    assert(cpu->depth <= GIC3_INTERNAL);
    cpu->stack[cpu->depth++] = (Gic3Active){ .irq = (uint16_t)irq, .prio = (uint8_t)prio,
                                             .grp = (uint8_t)grp };
    gic3_update(s);
    return irq;
}

static void gic3_deactivate(Gic3 *s, unsigned c, unsigned irq)
{
    if (irq < GIC3_INTERNAL)
        s->cpu[c].active &= ~(1u << irq);
    else if (irq < s->num_irqs)
        loom_bitmap_set(s->active, irq, false);
}

/* ICC_EOIR0/1_EL1: drop the running priority and, in EOImode 0,
   deactivate the interrupt val names. */
static void gic3_eoi(Gic3 *s, unsigned c, uint64_t val)
{
    Gic3Cpu *cpu = &s->cpu[c];
    unsigned irq = (unsigned)val & 0xffffff;

    if (irq >= GIC3_MAX_IRQS)
        return;                 /* a special id: nothing to do */
    if (!cpu->depth) {
        loom_device_guest_error(s->dev, "ICC_EOIRn_EL1 with no active priority ignored", irq, 8);
        return;
    }
    cpu->depth--;
    if (!(cpu->ctlr & ICC_CTLR_EOIMODE))
        gic3_deactivate(s, c, irq);
}

/* --- the CPU interface (system registers) --- */

static bool gic3_owns(void *opaque G_GNUC_UNUSED, uint32_t enc)
{
    if (enc == ICC_PMR)
        return true;
    if ((enc & ~(uint32_t)0x7f) != ICC(12, 0, 0))
        return false;
    switch ((enc >> 3) & 0xf) {         /* CRm */
    case 8: case 9: case 11: case 12:
        return true;
    default:
        return false;
    }
}

/* ICC_APnR0_EL1 of group grp: a bit per active priority (prio >> 3). */
static uint32_t gic3_apr(const Gic3Cpu *cpu, unsigned grp)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < cpu->depth; i++) {
        if (cpu->stack[i].grp == grp)
            v |= 1u << (cpu->stack[i].prio >> 3);
    }
    return v;
}

/* Writing ICC_APnR0_EL1: 0 drops group grp's active priorities (their
   interrupts stay active); its own value changes nothing. */
static void gic3_apr_write(Gic3 *s, Gic3Cpu *cpu, unsigned grp, uint32_t v)
{
    unsigned n = 0;

    if (v == gic3_apr(cpu, grp))
        return;
    if (v) {
        loom_device_guest_error(s->dev, "ICC_APnR0_EL1 write of a value other than 0 or its own ignored",
                         v, 8);
        return;
    }
    for (unsigned i = 0; i < cpu->depth; i++) {
        if (cpu->stack[i].grp != grp)
            cpu->stack[n++] = cpu->stack[i];
    }
    cpu->depth = n;
}

static bool gic3_sysreg_read(void *opaque, unsigned c, unsigned el, uint32_t enc, uint64_t *val)
{
    Gic3 *s = opaque;
    Gic3Cpu *cpu;
    unsigned prio, running;

    if (el == 0 || c >= s->ncpu)
        return false;
    cpu = &s->cpu[c];
    switch (enc) {
    case ICC_SRE:
        *val = 7;               /* SRE, DFB, DIB: system registers only */
        return true;
    case ICC_PMR:
        *val = cpu->pmr;
        return true;
    case ICC_CTLR:
        *val = ICC_CTLR_PRIBITS | (cpu->ctlr & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE));
        return true;
    case ICC_BPR0:
        *val = cpu->bpr0;
        return true;
    case ICC_BPR1:
        *val = (cpu->ctlr & ICC_CTLR_CBPR) ? MIN(cpu->bpr0 + 1, 7) : cpu->bpr1;
        return true;
    case ICC_IGRPEN0:
        *val = cpu->igrpen0;
        return true;
    case ICC_IGRPEN1:
        *val = cpu->igrpen1;
        return true;
    case ICC_IAR0:
    case ICC_IAR1:
        *val = gic3_acknowledge(s, c, enc == ICC_IAR1);
        return true;
    case ICC_HPPIR0:
    case ICC_HPPIR1:
        *val = gic3_best(s, c, enc == ICC_HPPIR1, &prio);
        return true;
    case ICC_RPR:
        running = running_prio(cpu);
        *val = running == GIC3_IDLE_PRIO ? 0xff : running;
        return true;
    case ICC_AP0R0:
    case ICC_AP1R0:
        *val = gic3_apr(cpu, enc == ICC_AP1R0);
        return true;
    default:
        /* write-only (EOIR, DIR, SGIxR) or not implemented (AP0R1-3,
           AP1R1-3 with 5 priority bits) */
        return false;
    }
}

static bool gic3_sysreg_write(void *opaque, unsigned c, unsigned el, uint32_t enc, uint64_t val)
{
    Gic3 *s = opaque;
    Gic3Cpu *cpu;

    if (el == 0 || c >= s->ncpu)
        return false;
    cpu = &s->cpu[c];
    switch (enc) {
    case ICC_SRE:
        return true;            /* RAO/WI */
    case ICC_PMR:
        cpu->pmr = (uint32_t)val & GIC3_PRIO_MASK;
        break;
    case ICC_CTLR:
        cpu->ctlr = (uint32_t)val & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
        break;
    case ICC_BPR0:
        cpu->bpr0 = MAX((uint32_t)val & 7, GIC3_BPR0_MIN);
        break;
    case ICC_BPR1:
        if (!(cpu->ctlr & ICC_CTLR_CBPR))
            cpu->bpr1 = MAX((uint32_t)val & 7, GIC3_BPR1_MIN);
        break;
    case ICC_IGRPEN0:
        cpu->igrpen0 = (uint32_t)val & 1;
        break;
    case ICC_IGRPEN1:
        cpu->igrpen1 = (uint32_t)val & 1;
        break;
    case ICC_EOIR0:
    case ICC_EOIR1:
        gic3_eoi(s, c, val);
        break;
    case ICC_DIR:
        if (!(cpu->ctlr & ICC_CTLR_EOIMODE)) {
            loom_device_guest_error(s->dev, "ICC_DIR_EL1 with EOImode 0 ignored", val, 8);
            return true;
        }
        gic3_deactivate(s, c, (unsigned)val & 0xffffff);
        break;
    case ICC_SGI1R:
        gic3_send_sgi(s, c, val, 1);
        break;
    case ICC_SGI0R:
        gic3_send_sgi(s, c, val, 0);
        break;
    case ICC_ASGI1R:
        return true;            /* the other Security state's: none here */
    case ICC_AP0R0:
    case ICC_AP1R0:
        gic3_apr_write(s, cpu, enc == ICC_AP1R0, (uint32_t)val);
        break;
    default:
        return false;           /* read-only or not implemented */
    }
    gic3_update(s);
    return true;
}

static const LoomArmSysregIface gic3_sysreg_iface = {
    .owns = gic3_owns,
    .read = gic3_sysreg_read,
    .write = gic3_sysreg_write,
};

/* --- shared by the distributor (SPIs) and redistributors (ids 0..31) --- */

/* The bit registers (group, enable, pending, active) of word w: vCPU c's
   for w == 0, the SPIs' otherwise. */
static uint32_t bits_read(Gic3 *s, unsigned c, uint64_t base, unsigned w)
{
    Gic3Cpu *cpu = &s->cpu[c];

    switch (base) {
    case GICD_IGROUPR:
        return w ? s->group[w] : cpu->group;
    case GICD_ISENABLER:
    case GICD_ICENABLER:
        return w ? s->enabled[w] : cpu->enabled;
    case GICD_ISPENDR:
    case GICD_ICPENDR:
        return w ? spi_pending(s, w) : internal_pending(cpu);
    default:
        return w ? s->active[w] : cpu->active;
    }
}

static void bits_write(Gic3 *s, unsigned c, uint64_t base, unsigned w, uint32_t v)
{
    Gic3Cpu *cpu = &s->cpu[c];
    uint32_t *group = w ? &s->group[w] : &cpu->group;
    uint32_t *enabled = w ? &s->enabled[w] : &cpu->enabled;
    uint32_t *pending = w ? &s->pending[w] : &cpu->pending;
    uint32_t *active = w ? &s->active[w] : &cpu->active;

    switch (base) {
    case GICD_IGROUPR:
        *group = v;
        break;
    case GICD_ISENABLER:
        *enabled |= v;
        break;
    case GICD_ICENABLER:
        *enabled &= ~v;
        break;
    case GICD_ISPENDR:
        *pending |= v;
        break;
    case GICD_ICPENDR:
        /* a level line still high stays pending */
        *pending &= ~v;
        break;
    case GICD_ISACTIVER:
        *active |= v;
        break;
    default:
        *active &= ~v;
        break;
    }
}

/* --- the distributor --- */

static uint64_t gicd_read(void *opaque, uint64_t offset, unsigned size,
                          LoomMemAttrs attrs G_GNUC_UNUSED)
{
    Gic3 *s = opaque;
    unsigned nwords = s->num_irqs / 32;

    if (offset >= GICD_IROUTER && offset < GICD_IROUTER + 8 * GIC3_MAX_IRQS) {
        unsigned i = (unsigned)(offset - GICD_IROUTER) / 8;
        uint64_t v = i >= GIC3_INTERNAL && i < s->num_irqs ? s->router[i] : 0;

        if (size == 8 && !(offset & 7))
            return v;
        if (size == 4 && !(offset & 3))
            return (uint32_t)(v >> (8 * (offset & 4)));
        loom_device_guest_error(s->dev, "IROUTER read needs an aligned 8- or 4-byte access", offset, size);
        return 0;
    }
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + 0x400 && size == 1) {
        unsigned i = (unsigned)(offset - GICD_IPRIORITYR);

        return i >= GIC3_INTERNAL && i < s->num_irqs ? s->priority[i] : 0;
    }
    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "read needs an aligned 4-byte access", offset, size);
        return 0;
    }
    if (offset == GICD_CTLR)
        return s->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    if (offset == GICD_TYPER) {
        /* ITLinesNumber, CPUNumber, IDbits = 9 (10 bits), No1N */
        return (nwords - 1) | (MIN(s->ncpu, 8u) - 1) << 5 | 9u << 19 | 1u << 25;
    }
    if (offset == GICD_IIDR)
        return GIC3_IIDR_VALUE;
    if (offset >= GICD_IGROUPR && offset < GICD_IPRIORITYR) {
        unsigned w = (unsigned)(offset & 0x7f) / 4;

        /* word 0 is the redistributors' */
        return w && w < nwords ? bits_read(s, 0, offset & ~(uint64_t)0x7f, w) : 0;
    }
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + 0x400) {
        uint32_t v = 0;

        for (unsigned b = 0; b < 4; b++)
            v |= (uint32_t)gicd_read(s, offset + b, 1, attrs) << (8 * b);
        return v;
    }
    if (offset >= GICD_ICFGR && offset < GICD_ICFGR + 0x100) {
        unsigned first = (unsigned)(offset - GICD_ICFGR) * 4;     /* 16 ids a word */
        uint32_t v = 0;

        for (unsigned i = 0; first >= GIC3_INTERNAL && i < 16 && first + i < s->num_irqs; i++) {
            if (loom_bitmap_get(s->edge, first + i))
                v |= 2u << (2 * i);
        }
        return v;
    }
    if (offset >= GICD_ID && offset < 0x10000)
        return gic3_id[(offset - GICD_ID) / 4];
    if (offset == GICD_TYPER2 || (offset >= GICD_ITARGETSR && offset < GICD_ICFGR) ||
        (offset >= GICD_IGRPMODR && offset < GICD_SGIR + 0x30))
        return 0;               /* RAZ with affinity routing and one Security state */
    loom_device_guest_error(s->dev, "read of an absent register", offset, size);
    return 0;
}

static void gicd_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                       LoomMemAttrs attrs)
{
    Gic3 *s = opaque;
    unsigned nwords = s->num_irqs / 32;
    uint32_t v = (uint32_t)value;

    if (offset >= GICD_IROUTER && offset < GICD_IROUTER + 8 * GIC3_MAX_IRQS) {
        unsigned i = (unsigned)(offset - GICD_IROUTER) / 8;
        /* Aff3 and Aff2..0; IRM (bit 31) RAZ/WI: no 1 of N */
        const uint64_t mask = UINT64_C(0xff00ffffff);

        if (i < GIC3_INTERNAL || i >= s->num_irqs) {
            /* RES0 / beyond num-irqs: WI */
        } else if (size == 8 && !(offset & 7)) {
            s->router[i] = value & mask;
        } else if (size == 4 && !(offset & 3)) {
            unsigned sh = 8 * (unsigned)(offset & 4);

            s->router[i] = ((s->router[i] & ~(UINT64_C(0xffffffff) << sh)) |
                            (uint64_t)v << sh) & mask;
        } else {
            loom_device_guest_error(s->dev, "IROUTER write needs an aligned 8- or 4-byte access",
                             offset, size);
            return;
        }
        gic3_update(s);
        return;
    }
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + 0x400 && (size == 1 ||
        (size == 4 && !(offset & 3)))) {
        for (unsigned b = 0; b < size; b++) {
            unsigned i = (unsigned)(offset - GICD_IPRIORITYR) + b;

            if (i >= GIC3_INTERNAL && i < s->num_irqs)
                s->priority[i] = (uint8_t)(v >> (8 * b)) & GIC3_PRIO_MASK;
        }
        gic3_update(s);
        return;
    }
    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    if (offset == GICD_CTLR) {
        s->ctlr = v & (GICD_CTLR_GRP0 | GICD_CTLR_GRP1);
    } else if (offset >= GICD_IGROUPR && offset < GICD_IPRIORITYR) {
        unsigned w = (unsigned)(offset & 0x7f) / 4;

        if (w && w < nwords)
            bits_write(s, 0, offset & ~(uint64_t)0x7f, w, v);
    } else if (offset >= GICD_ICFGR && offset < GICD_ICFGR + 0x100) {
        unsigned first = (unsigned)(offset - GICD_ICFGR) * 4;

        for (unsigned i = 0; first >= GIC3_INTERNAL && i < 16 && first + i < s->num_irqs; i++)
            loom_bitmap_set(s->edge, first + i, (v >> (2 * i + 1)) & 1);
    } else if ((offset >= GICD_ITARGETSR && offset < GICD_ICFGR) ||
               (offset >= GICD_IGRPMODR && offset < GICD_SGIR + 0x30)) {
        /* WI with affinity routing and one Security state */
    } else {
        loom_device_guest_error(s->dev, offset >= GICD_ID || offset == GICD_TYPER || offset == GICD_IIDR
                            ? "write to a read-only register ignored"
                            : "write to an absent register ignored", offset, size);
        return;
    }
    (void)attrs;
    gic3_update(s);
}

static const LoomMMIOOps gicd_mmio_ops = {
    .read = gicd_read,
    .write = gicd_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- the redistributors --- */

static uint64_t gicr_read(void *opaque, uint64_t offset, unsigned size,
                          LoomMemAttrs attrs G_GNUC_UNUSED)
{
    Gic3 *s = opaque;
    unsigned c = (unsigned)(offset / GICR_FRAME);
    uint64_t off = offset % GICR_FRAME;
    Gic3Cpu *cpu = &s->cpu[c];

    if (off == GICR_TYPER && (size == 8 || size == 4)) {
        uint64_t v = cpu_affinity(c) << 32 | (uint64_t)c << 8 |
                     (c == s->ncpu - 1 ? 1u << 4 : 0);     /* Last */

        return size == 8 ? v : (uint32_t)v;
    }
    if (off == GICR_TYPER + 4 && size == 4)
        return cpu_affinity(c);
    if (off >= GICR_SGI_BASE + GICR_IPRIORITYR && off < GICR_SGI_BASE + GICR_IPRIORITYR + 32 &&
        (size == 1 || (size == 4 && !(off & 3)))) {
        uint32_t v = 0;

        for (unsigned b = 0; b < size; b++)
            v |= (uint32_t)cpu->priority[off - GICR_SGI_BASE - GICR_IPRIORITYR + b] << (8 * b);
        return v;
    }
    if (size != 4 || (off & 3)) {
        loom_device_guest_error(s->dev, "read needs an aligned 4-byte access", offset, size);
        return 0;
    }
    if (off < GICR_SGI_BASE) {
        switch (off) {
        case GICR_CTLR:
            return 0;
        case GICR_IIDR:
            return GIC3_IIDR_VALUE;
        case GICR_WAKER:
            return cpu->waker;
        default:
            if (off >= GICR_ID)
                return gic3_id[(off - GICR_ID) / 4];
            loom_device_guest_error(s->dev, "read of an absent register", offset, size);
            return 0;
        }
    }
    off -= GICR_SGI_BASE;
    switch (off) {
    case GICR_IGROUPR0:
    case GICR_ISENABLER0:
    case GICR_ICENABLER0:
    case GICR_ISPENDR0:
    case GICR_ICPENDR0:
    case GICR_ISACTIVER0:
    case GICR_ICACTIVER0:
        return bits_read(s, c, off, 0);
    case GICR_ICFGR0:
        return 0xaaaaaaaau;     /* SGIs: edge-triggered */
    case GICR_ICFGR1: {
        uint32_t v = 0;

        for (unsigned i = 0; i < 16; i++) {
            if (cpu->edge & (1u << (16 + i)))
                v |= 2u << (2 * i);
        }
        return v;
    }
    case GICR_IGRPMODR0:
    case GICR_NSACR:
        return 0;
    default:
        loom_device_guest_error(s->dev, "read of an absent register", offset, size);
        return 0;
    }
}

static void gicr_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                       LoomMemAttrs attrs G_GNUC_UNUSED)
{
    Gic3 *s = opaque;
    unsigned c = (unsigned)(offset / GICR_FRAME);
    uint64_t off = offset % GICR_FRAME;
    Gic3Cpu *cpu = &s->cpu[c];
    uint32_t v = (uint32_t)value;

    if (off >= GICR_SGI_BASE + GICR_IPRIORITYR && off < GICR_SGI_BASE + GICR_IPRIORITYR + 32 &&
        (size == 1 || (size == 4 && !(off & 3)))) {
        for (unsigned b = 0; b < size; b++)
            cpu->priority[off - GICR_SGI_BASE - GICR_IPRIORITYR + b] =
                (uint8_t)(v >> (8 * b)) & GIC3_PRIO_MASK;
        gic3_update(s);
        return;
    }
    if (size != 4 || (off & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    if (off < GICR_SGI_BASE) {
        if (off == GICR_WAKER) {
            /* ChildrenAsleep follows ProcessorSleep at once */
            cpu->waker = (v & GICR_WAKER_SLEEP) ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP : 0;
        } else if (off == GICR_CTLR) {
            /* EnableLPIs and the rest: no LPIs, WI */
        } else {
            loom_device_guest_error(s->dev, "write to a read-only or absent register ignored", offset, size);
            return;
        }
        gic3_update(s);
        return;
    }
    off -= GICR_SGI_BASE;
    switch (off) {
    case GICR_IGROUPR0:
    case GICR_ISENABLER0:
    case GICR_ICENABLER0:
    case GICR_ISPENDR0:
    case GICR_ICPENDR0:
    case GICR_ISACTIVER0:
    case GICR_ICACTIVER0:
        bits_write(s, c, off, 0, v);
        break;
    case GICR_ICFGR0:
        break;                  /* SGIs: always edge, WI */
    case GICR_ICFGR1:
        cpu->edge &= 0xffff;
        for (unsigned i = 0; i < 16; i++) {
            if ((v >> (2 * i + 1)) & 1)
                cpu->edge |= 1u << (16 + i);
        }
        break;
    case GICR_IGRPMODR0:
    case GICR_NSACR:
        break;
    default:
        loom_device_guest_error(s->dev, "write to a read-only or absent register ignored", offset, size);
        return;
    }
    gic3_update(s);
}

static const LoomMMIOOps gicr_mmio_ops = {
    .read = gicr_read,
    .write = gicr_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- lifecycle --- */

static const LoomPropInfo gic3_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "distributor MMIO base[,size]; size defaults to 0x10000" },
    { "redist-reg", LOOM_PROP_REG, NULL,
      "redistributors' MMIO base[,size]: 0x20000 per vCPU; size defaults to that" },
    { "num-irqs", LOOM_PROP_U64, "288",
      "interrupt ids, SGIs and PPIs included: a multiple of 32, 64..1024 (ids up to 1019)" },
    { NULL, 0, NULL, NULL },
};

static const char *const gic3_compatible[] = { "arm,gic-v3", NULL };

static void gic3_reset(void *opaque)
{
    Gic3 *s = opaque;
    unsigned nwords = s->num_irqs / 32;

    s->ctlr = 0;
    for (unsigned c = 0; c < s->ncpu; c++) {
        Gic3Cpu *cpu = &s->cpu[c];

        cpu->group = cpu->enabled = cpu->pending = cpu->active = 0;
        cpu->edge = 0x0000ffffu;        /* SGIs edge, PPIs level */
        memset(cpu->priority, 0, sizeof(cpu->priority));
        cpu->waker = GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP;
        cpu->pmr = cpu->ctlr = cpu->igrpen0 = cpu->igrpen1 = 0;
        cpu->bpr0 = GIC3_BPR0_MIN;
        cpu->bpr1 = GIC3_BPR1_MIN;
        cpu->depth = 0;
        /* the lines keep their levels */
    }
    memset(s->group, 0, nwords * sizeof(uint32_t));
    memset(s->enabled, 0, nwords * sizeof(uint32_t));
    memset(s->pending, 0, nwords * sizeof(uint32_t));
    memset(s->active, 0, nwords * sizeof(uint32_t));
    memset(s->edge, 0, nwords * sizeof(uint32_t));
    memset(s->priority, 0, s->num_irqs);
    memset(s->router, 0, s->num_irqs * sizeof(uint64_t));
    gic3_update(s);
}

static void gic3_free(Gic3 *s)
{
    g_free(s->cpu);
    g_free(s->group);
    g_free(s->enabled);
    g_free(s->pending);
    g_free(s->active);
    g_free(s->level);
    g_free(s->edge);
    g_free(s->priority);
    g_free(s->router);
    g_free(s);
}

static void *gic3_create(LoomDevice *dev, char **err)
{
    LoomMachine *m = loom_device_machine(dev);
    unsigned ncpu = loom_machine_nb_cpus(m);
    uint64_t nirq = loom_device_prop_u64(dev, "num-irqs");
    unsigned nwords;
    Gic3 *s;

    if (ncpu > GIC3_MAX_CPUS) {
        *err = g_strdup_printf("this GICv3 serves at most %d CPUs and the machine has %u: "
                               "lower -smp", GIC3_MAX_CPUS, ncpu);
        return NULL;
    }
    if (nirq < 64 || nirq > 1024 || nirq % 32) {
        *err = g_strdup_printf("num-irqs=%" G_GUINT64_FORMAT " is out of range: give a "
                               "multiple of 32 from 64 to 1024", nirq);
        return NULL;
    }
    s = g_new0(Gic3, 1);
    s->dev = dev;
    s->machine = m;
    s->ncpu = ncpu;
    s->num_irqs = (unsigned)nirq;
    nwords = s->num_irqs / 32;
    loom_device_prop_reg(dev, "reg", &s->dist_base, &s->dist_size);
    loom_device_prop_reg(dev, "redist-reg", &s->redist_base, &s->redist_size);
    if (s->dist_size == 0)
        s->dist_size = GICD_SIZE;
    if (s->redist_size == 0)
        s->redist_size = (uint64_t)ncpu * GICR_FRAME;
    if (s->dist_size < GICD_SIZE || s->redist_size < (uint64_t)ncpu * GICR_FRAME) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x or redist-reg size 0x%"
                               G_GINT64_MODIFIER "x is too small: the distributor needs "
                               "0x10000, the redistributors 0x20000 per vCPU (0x%"
                               G_GINT64_MODIFIER "x for %u)", s->dist_size, s->redist_size,
                               (uint64_t)ncpu * GICR_FRAME, ncpu);
        g_free(s);
        return NULL;
    }
    /* only the frames of existing vCPUs are mapped: the rest of a larger
       region reads as nothing there (a bus error), past Last */
    s->redist_size = (uint64_t)ncpu * GICR_FRAME;
    s->cpu = g_new0(Gic3Cpu, ncpu);
    s->group = g_new0(uint32_t, nwords);
    s->enabled = g_new0(uint32_t, nwords);
    s->pending = g_new0(uint32_t, nwords);
    s->active = g_new0(uint32_t, nwords);
    s->level = g_new0(uint32_t, nwords);
    s->edge = g_new0(uint32_t, nwords);
    s->priority = g_new0(uint8_t, nwords * 32);
    s->router = g_new0(uint64_t, nwords * 32);
    if (!loom_device_map_mmio(dev, s->dist_base, s->dist_size, &gicd_mmio_ops, s, err) ||
        !loom_device_map_mmio(dev, s->redist_base, s->redist_size, &gicr_mmio_ops, s, err) ||
        !loom_interface_publish(m, LOOM_ARM_GICV3_IFACE, LOOM_ARM_SYSREG_VERSION,
                                &gic3_sysreg_iface, s, loom_device_name(dev), err)) {
        gic3_free(s);
        return NULL;
    }
    loom_device_irq_inputs(dev, LOOM_ARM_GIC_PPI(ncpu, 0), gic3_input, s);
    return s;
}

static bool gic3_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED, char **err)
{
    Gic3 *s = opaque;

    for (unsigned c = 0; c < s->ncpu; c++) {
        for (unsigned grp = 0; grp < 2; grp++) {
            char *line = g_strdup_printf("cpu%u.%s", c, grp ? "irq" : "fiq");

            s->cpu[c].out[grp] = loom_irq_lookup(s->machine, line, err);
            g_free(line);
            if (!s->cpu[c].out[grp])
                return false;
        }
    }
    gic3_reset(s);
    return true;
}

static void gic3_destroy(void *opaque)
{
    gic3_free(opaque);
}

/* An SPI: <0 intid-32 4>; a PPI: <1 id-16 4> (level high; the GICv3
   binding has no CPU mask). */
static int gic3_fdt_irq_cells(void *opaque, unsigned n, uint32_t *cells, int max)
{
    Gic3 *s = opaque;

    if (max < 3)
        return 0;
    if (n >= GIC3_INTERNAL && n < MIN(s->num_irqs, GIC3_MAX_IRQS)) {
        cells[0] = 0;
        cells[1] = n - GIC3_INTERNAL;
        cells[2] = 4;
        return 3;
    }
    if (n >= LOOM_ARM_GIC_PPI_BASE && n < LOOM_ARM_GIC_PPI(s->ncpu, 0) &&
        (n - LOOM_ARM_GIC_PPI_BASE) % 32 >= GIC3_NR_SGIS) {
        cells[0] = 1;
        cells[1] = (n - LOOM_ARM_GIC_PPI_BASE) % 32 - GIC3_NR_SGIS;
        cells[2] = 4;
        return 3;
    }
    return 0;
}

/* intc@BASE { compatible = "arm,gic-v3"; reg = <GICD> <GICR>;
   #redistributor-regions = <1>; #interrupt-cells = <3>;
   interrupt-controller; #address-cells = <2>; #size-cells = <2>; ranges;
   phandle }, and the root's interrupt-parent. */
static bool gic3_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt, char **err)
{
    Gic3 *s = opaque;
    void *blob;
    uint32_t phandle = loom_fdt_device_phandle(fdt, dev);
    int node, rc;

    node = loom_fdt_add_node(fdt, "intc", s->dist_base, s->dist_size, gic3_compatible);
    blob = loom_fdt_blob(fdt);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_appendprop_u64(blob, node, "reg", s->redist_base);
    rc = rc ? rc : fdt_appendprop_u64(blob, node, "reg", s->redist_size);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#redistributor-regions", 1);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#interrupt-cells", 3);
    rc = rc ? rc : fdt_setprop(blob, node, "interrupt-controller", NULL, 0);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#address-cells", 2);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#size-cells", 2);
    rc = rc ? rc : fdt_setprop(blob, node, "ranges", NULL, 0);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "phandle", phandle);
    if (!rc && !fdt_getprop(blob, 0, "interrupt-parent", NULL))
        rc = fdt_setprop_u32(blob, 0, "interrupt-parent", phandle);
    if (rc) {
        *err = g_strdup_printf("intc@%" G_GINT64_MODIFIER "x: %s", s->dist_base,
                               fdt_strerror(rc));
        return false;
    }
    return true;
}

static const LoomDeviceOps gic3_ops = {
    .compatible = gic3_compatible,
    .props = gic3_props,
    .lockless_mmio = false,
    .create = gic3_create,
    .realize = gic3_realize,
    .reset = gic3_reset,
    .destroy = gic3_destroy,
    .fdt_node = gic3_fdt_node,
    .fdt_irq_cells = gic3_fdt_irq_cells,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "arm_gicv3", "1.0", "MIT",
                   "Arm GICv3 interrupt controller: distributor, redistributors, system-register "
                   "CPU interface", &gic3_ops);
