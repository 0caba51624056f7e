/*
 * arm_gic.c - an Arm Generic Interrupt Controller, architecture version 2
 * (GICv2), without the Security and Virtualization Extensions, for up to
 * 8 vCPUs.  Register model from the GICv2 Architecture Specification.
 *
 * Two MMIO regions: the distributor (GICD) at reg, the CPU interface
 * (GICC) at cpu-reg (QEMU virt: 0x08000000 and 0x08010000, 64 KiB each).
 * The CPU interface is banked: an access acts on the interface of the
 * vCPU that makes it (LoomMemAttrs.requester_id; accesses from anything
 * but a vCPU act on vCPU 0's), as are the distributor's registers for
 * interrupts 0..31 (SGIs and PPIs).
 *
 *   GICD  0x000 CTLR (bit 0: forward interrupts)   0x004 TYPER   0x008 IIDR
 *         0x080 IGROUPR (RAZ/WI: every interrupt is in group 0)
 *         0x100 ISENABLER  0x180 ICENABLER  0x200 ISPENDR  0x280 ICPENDR
 *         0x300 ISACTIVER  0x380 ICACTIVER  0x400 IPRIORITYR (bytes)
 *         0x800 ITARGETSR (bytes; 0..31 read-only, the reader's own bit;
 *               with one vCPU all RAZ/WI, every SPI targets it)
 *         0xc00 ICFGR (SGIs edge, PPIs level, both read-only; SPIs R/W)
 *         0xf00 SGIR (write-only)  0xf10 CPENDSGIR  0xf20 SPENDSGIR (bytes)
 *         0xfd0..0xffc identification (ICPIDR2.ArchRev = 2)
 *   GICC  0x00 CTLR (bit 0: signal interrupts; bit 9: EOImode)
 *         0x04 PMR  0x08 BPR  0x0c IAR  0x10 EOIR  0x14 RPR  0x18 HPPIR
 *         0x1c ABPR, 0x20 AIAR, 0x24 AEOIR, 0x28 AHPPIR (group 1: RAZ/WI,
 *         AIAR and AHPPIR read 1023)  0xd0..0xdc APRn (RAZ/WI)
 *         0xfc IIDR  0x1000 DIR
 *
 * Interrupts: SGIs 0..15 (pending per source vCPU), PPIs 16..31 (per
 * vCPU), SPIs 32..num-irqs-1.  Input lines (include/loom/arm.h):
 * NAME.<intid> for an SPI, NAME.<LOOM_ARM_GIC_PPI(cpu, id)> for vCPU
 * cpu's PPI id; lines 0..31 and num-irqs..1023 exist and do nothing.
 * Output: each vCPU's cpuN.irq (the FIQ input is never driven: without
 * group 1 and FIQEn every interrupt is an IRQ).
 *
 * Priorities have 5 bits (values & 0xf8, 32 levels, as the GIC-400); BPR
 * is 2..7 (reset 2), so group priority = priority & (0xff << (BPR + 1)).
 * A level-sensitive interrupt is pending while its line is high or it
 * was made pending by ISPENDR; an edge-triggered one is latched on the
 * line's rising edge.  The CPU interface of vCPU c signals IRQ when the
 * distributor and the interface are enabled and the highest-priority
 * pending, enabled, inactive interrupt targeting c has a priority below
 * PMR and a group priority below that of the running priority.  IAR
 * acknowledges it (active; an edge's or an SGI source's pending state
 * cleared, a level line still high stays pending: active and pending)
 * and pushes its priority; EOIR drops the priority of the interrupt it
 * names and, with EOImode 0, deactivates it; DIR deactivates (EOImode
 * 1).  RPR is the priority of the most recent acknowledged interrupt
 * not yet dropped (0xff when idle).  HPPIR names the highest-priority
 * pending interrupt ignoring PMR and the running priority.
 *
 * Accesses: every register takes aligned 4-byte accesses; the byte
 * arrays (IPRIORITYR, ITARGETSR, CPENDSGIR, SPENDSGIR) take 1-byte ones
 * too.  Anything else, and writes to read-only registers, are guest
 * errors (-d guest_errors): ignored, reads 0.
 *
 * Locking: MMIO, input lines and reset run with the BQL held, which
 * protects all of Gic.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>
#include <loom/arm.h>

#define GIC_MAX_CPUS        8
#define GIC_MAX_IRQS        1020        /* ids 1020..1023 are special */
#define GIC_NR_SGIS         16
#define GIC_INTERNAL        32          /* SGIs + PPIs, banked per vCPU */
#define GIC_SPURIOUS        1023
#define GIC_PRIO_MASK       0xf8        /* 5 implemented priority bits */
#define GIC_BPR_MIN         2
#define GIC_IDLE_PRIO       0x100       /* running priority with nothing active */
#define GIC_REGION_SIZE     0x10000
#define GICC_MIN_SIZE       0x2000      /* through GICC_DIR */

enum {
    GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008,
    GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180,
    GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
    GICD_ICACTIVER = 0x380, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800,
    GICD_ICFGR = 0xc00, GICD_NSACR = 0xe00, GICD_SGIR = 0xf00,
    GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20, GICD_ID = 0xfd0,

    GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c,
    GICC_EOIR = 0x10, GICC_RPR = 0x14, GICC_HPPIR = 0x18, GICC_ABPR = 0x1c,
    GICC_AIAR = 0x20, GICC_AEOIR = 0x24, GICC_AHPPIR = 0x28, GICC_APR = 0xd0,
    GICC_NSAPR = 0xe0, GICC_IIDR = 0xfc, GICC_DIR = 0x1000,

    GICC_CTLR_ENABLE = 1u << 0,
    GICC_CTLR_EOIMODE = 1u << 9,
    GICC_CTLR_MASK = 0x7ff,
};

/* GICD_IIDR: implementer Arm (0x43b); GICC_IIDR: the same, architecture
   version 2 (bits 19:16). */
#define GICD_IIDR_VALUE     0x0000043bu
#define GICC_IIDR_VALUE     0x0002043bu

/* GICD 0xfd0..0xffc: ICPIDR4-7, ICPIDR0-3, ICCIDR0-3 as a GIC-400
   presents them; ICPIDR2 bits 7:4 say architecture version 2. */
static const uint8_t gicd_id[12] = {
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

/* One acknowledged interrupt whose priority has not been dropped. */
typedef struct GicActive {
    uint16_t irq;               /* intid */
    uint8_t src;                /* an SGI's source vCPU */
    uint8_t prio;
} GicActive;

/* The banked state of one vCPU: its SGIs and PPIs, and its CPU interface. */
typedef struct GicCpu {
    LoomIRQ *irq;               /* cpuN.irq */
    int irq_level;
    uint32_t enabled, pending, active, level;   /* ids 0..31; pending: latched */
    uint8_t sgi_pending[GIC_NR_SGIS];           /* source vCPU mask per SGI */
    uint8_t priority[GIC_INTERNAL];
    uint32_t ctlr, pmr, bpr;
    /* acknowledged, not yet priority-dropped, most recent last; preemption
       needs a strictly higher group priority, so there are at most 32 */
    GicActive stack[GIC_INTERNAL + 1];
    unsigned depth;
} GicCpu;

/* Invariants (gic_sanity): depth <= 33; priorities & ~GIC_PRIO_MASK == 0;
   bits of SPI bitmaps at or above num_irqs are clear; every output's
   irq_level is gic_cpu_level() of its vCPU. */
typedef struct Gic {
    LoomDevice *dev;
    LoomMachine *machine;
    unsigned ncpu;
    unsigned num_irqs;          /* multiple of 32, 64..1024; ids 1020.. have no state */
    uint32_t ctlr;              /* GICD_CTLR bit 0 */
    uint64_t dist_base, cpu_base, dist_size, cpu_size;
    GicCpu cpu[GIC_MAX_CPUS];
    /* SPIs: bitmaps indexed by intid (words 0 unused) */
    uint32_t *enabled, *pending, *active, *level, *edge;
    uint8_t *priority, *target;
} Gic;

/* The vCPU an access comes from. */
static unsigned gic_requester(const Gic *s, LoomMemAttrs attrs)
{
    if (attrs.requester == LOOM_REQ_CPU && attrs.requester_id < s->ncpu)
        return attrs.requester_id;
    return 0;
}

/* --- interrupt state --- */

/* Pending bits of ids 0..31 for vCPU c: latched, level lines, SGIs. */
static uint32_t gic_internal_pending(const GicCpu *c)
{
    uint32_t p = c->pending | (c->level & 0xffff0000u);

    for (unsigned i = 0; i < GIC_NR_SGIS; i++) {
        if (c->sgi_pending[i])
            p |= 1u << i;
    }
    return p;
}

/* Pending bits of SPI word w (ids 32w..32w+31). */
static uint32_t gic_spi_pending(const Gic *s, unsigned w)
{
    return s->pending[w] | (s->level[w] & ~s->edge[w]);
}

static uint32_t group_mask(const GicCpu *c)
{
    return (0xffu << (c->bpr + 1)) & 0xff;
}

/* The highest-priority pending, enabled, inactive interrupt targeting
   vCPU c (lowest id on a tie), or GIC_SPURIOUS; its priority in *prio. */
static unsigned gic_best(const Gic *s, unsigned c, unsigned *prio)
{
    const GicCpu *cpu = &s->cpu[c];
    unsigned best = GIC_SPURIOUS, best_prio = GIC_IDLE_PRIO;
    uint32_t bits;

    if (!(s->ctlr & 1)) {
        *prio = best_prio;
        return best;
    }
    bits = gic_internal_pending(cpu) & cpu->enabled & ~cpu->active;
    while (bits) {
        unsigned i = (unsigned)__builtin_ctz(bits);

        bits &= bits - 1;
        if (cpu->priority[i] < best_prio) {
            best = i;
            best_prio = cpu->priority[i];
        }
    }
    for (unsigned w = 1; w < s->num_irqs / 32; w++) {
        bits = gic_spi_pending(s, w) & s->enabled[w] & ~s->active[w];
        while (bits) {
            unsigned i = w * 32 + (unsigned)__builtin_ctz(bits);

            bits &= bits - 1;
            if ((s->ncpu == 1 || (s->target[i] & (1u << c))) && s->priority[i] < best_prio) {
                best = i;
                best_prio = s->priority[i];
            }
        }
    }
    *prio = best_prio;
    return best;
}

static unsigned gic_running_prio(const GicCpu *c)
{
    return c->depth ? c->stack[c->depth - 1].prio : GIC_IDLE_PRIO;
}

/* Does vCPU c's interface signal IRQ now? */
static int gic_cpu_level(const Gic *s, unsigned c)
{
    const GicCpu *cpu = &s->cpu[c];
    unsigned prio, running = gic_running_prio(cpu);
    uint32_t gmask = group_mask(cpu);

    if (!(cpu->ctlr & GICC_CTLR_ENABLE) || gic_best(s, c, &prio) == GIC_SPURIOUS)
        return 0;
    if (prio >= cpu->pmr)
        return 0;
    return running == GIC_IDLE_PRIO || (prio & gmask) < (running & gmask);
}

static G_GNUC_UNUSED bool gic_sanity(const Gic *s)
{
    for (unsigned c = 0; c < s->ncpu; c++) {
        const GicCpu *cpu = &s->cpu[c];

        if (cpu->depth > GIC_INTERNAL + 1 || cpu->irq_level != gic_cpu_level(s, c))
            return false;
        for (unsigned i = 0; i < GIC_INTERNAL; i++) {
            if (cpu->priority[i] & ~GIC_PRIO_MASK)
                return false;
        }
    }
    for (unsigned i = GIC_INTERNAL; i < s->num_irqs; i++) {
        if (s->priority[i] & ~GIC_PRIO_MASK)
            return false;
    }
    return true;
}

/* Drive every vCPU's IRQ line from the current state. */
static void gic_update(Gic *s)
{
    for (unsigned c = 0; c < s->ncpu; c++) {
        int level = gic_cpu_level(s, c);

        if (level != s->cpu[c].irq_level) {
            s->cpu[c].irq_level = level;
            loom_irq_set(s->cpu[c].irq, level);
        }
    }
    assert(gic_sanity(s));
}

/* Input line n changed (see the header for the numbering). */
static void gic_input(void *opaque, int n, int level)
{
    Gic *s = opaque;
    bool high = level != 0;

    if (n >= LOOM_ARM_GIC_PPI_BASE) {
        unsigned c = (unsigned)(n - LOOM_ARM_GIC_PPI_BASE) / 32;
        unsigned id = (unsigned)(n - LOOM_ARM_GIC_PPI_BASE) % 32;

        if (c >= s->ncpu || id < GIC_NR_SGIS)
            return;
        /* PPIs are level-sensitive: pending follows the line */
        if (high)
            s->cpu[c].level |= 1u << id;
        else
            s->cpu[c].level &= ~(1u << id);
    } else if (n >= GIC_INTERNAL && (unsigned)n < MIN(s->num_irqs, GIC_MAX_IRQS)) {
        unsigned i = (unsigned)n;

        if (high && !loom_bitmap_get(s->level, i) && loom_bitmap_get(s->edge, i))
            loom_bitmap_set(s->pending, i, true);       /* rising edge */
        loom_bitmap_set(s->level, i, high);
    } else {
        return;
    }
    gic_update(s);
}

static void gic_send_sgi(Gic *s, unsigned src, uint32_t val)
{
    unsigned id = val & 0xf;
    unsigned filter = (val >> 24) & 3;
    unsigned targets;

    switch (filter) {
    case 0:
        targets = (val >> 16) & 0xff;
        break;
    case 1:
        targets = 0xffu & ~(1u << src);
        break;
    case 2:
        targets = 1u << src;
        break;
    default:
        loom_device_guest_error(s->dev, "GICD_SGIR with the reserved TargetListFilter 3 ignored",
                        GICD_SGIR, 4);
        return;
    }
    for (unsigned c = 0; c < s->ncpu; c++) {
        if (targets & (1u << c))
            s->cpu[c].sgi_pending[id] |= (uint8_t)(1u << src);
    }
}

static uint32_t gic_acknowledge(Gic *s, unsigned c)
{
    GicCpu *cpu = &s->cpu[c];
    unsigned prio, irq;
    unsigned src = 0;

    if (!gic_cpu_level(s, c))
        return GIC_SPURIOUS;
    irq = gic_best(s, c, &prio);
    if (irq < GIC_NR_SGIS) {
        /* the lowest-numbered source first */
        src = (unsigned)__builtin_ctz(cpu->sgi_pending[irq]);
        cpu->sgi_pending[irq] &= (uint8_t)~(1u << src);
        cpu->active |= 1u << irq;
    } else if (irq < GIC_INTERNAL) {
        cpu->pending &= ~(1u << irq);
        cpu->active |= 1u << irq;
    } else {
        loom_bitmap_set(s->pending, irq, false);
        loom_bitmap_set(s->active, irq, true);
    }
    assert(cpu->depth <= GIC_INTERNAL);
    cpu->stack[cpu->depth++] = (GicActive){ .irq = (uint16_t)irq, .src = (uint8_t)src,
                                            .prio = (uint8_t)prio };
    gic_update(s);
    return irq | (src << 10);
}

static void gic_deactivate(Gic *s, unsigned c, unsigned irq)
{
    if (irq < GIC_INTERNAL)
        s->cpu[c].active &= ~(1u << irq);
    else if (irq < s->num_irqs)
        loom_bitmap_set(s->active, irq, false);
}

/* GICC_EOIR: drop the priority of the acknowledged interrupt val names
   (the most recent one normally) and, in EOImode 0, deactivate it. */
static void gic_eoi(Gic *s, unsigned c, uint32_t val)
{
    GicCpu *cpu = &s->cpu[c];
    unsigned irq = val & 0x3ff, src = (val >> 10) & 7;
    unsigned i = cpu->depth;

    if (irq >= GIC_MAX_IRQS)
        return;                 /* a spurious id: nothing to do */
    while (i-- > 0) {
        if (cpu->stack[i].irq == irq && (irq >= GIC_NR_SGIS || cpu->stack[i].src == src))
            break;
    }
    if (i == (unsigned)-1) {
        loom_device_guest_error(s->dev, "GICC_EOIR of an interrupt that is not acknowledged ignored",
                        GICC_EOIR, 4);
        return;
    }
    memmove(&cpu->stack[i], &cpu->stack[i + 1], (cpu->depth - i - 1) * sizeof(cpu->stack[0]));
    cpu->depth--;
    if (!(cpu->ctlr & GICC_CTLR_EOIMODE))
        gic_deactivate(s, c, irq);
}

/* --- the distributor --- */

/* Bitmap registers (enable, pending, active), word w for vCPU c. */
static uint32_t gicd_read_bits(Gic *s, unsigned c, uint64_t base, unsigned w)
{
    GicCpu *cpu = &s->cpu[c];

    if (w == 0) {
        switch (base) {
        case GICD_ISENABLER:
            return cpu->enabled;
        case GICD_ISPENDR:
            return gic_internal_pending(cpu);
        default:
            return cpu->active;
        }
    }
    switch (base) {
    case GICD_ISENABLER:
        return s->enabled[w];
    case GICD_ISPENDR:
        return gic_spi_pending(s, w);
    default:
        return s->active[w];
    }
}

static void gicd_write_bits(Gic *s, unsigned c, uint64_t reg, unsigned w, uint32_t v)
{
    GicCpu *cpu = &s->cpu[c];
    bool set = (reg & 0x80) == 0;
    uint64_t base = reg & ~(uint64_t)0x80;
    uint32_t *word;

    if (w == 0) {
        if (base == GICD_ISPENDR)
            v &= 0xffff0000u;   /* SGIs: through SPENDSGIR/CPENDSGIR */
        word = base == GICD_ISENABLER ? &cpu->enabled
             : base == GICD_ISPENDR ? &cpu->pending : &cpu->active;
    } else {
        word = base == GICD_ISENABLER ? &s->enabled[w]
             : base == GICD_ISPENDR ? &s->pending[w] : &s->active[w];
    }
    if (w == 31)
        v &= 0x0fffffffu;       /* ids 1020..1023 are special: no state */
    if (set)
        *word |= v;
    else
        *word &= ~v;
}

static uint8_t *gicd_priority(Gic *s, unsigned c, unsigned i)
{
    return i < GIC_INTERNAL ? &s->cpu[c].priority[i] : &s->priority[i];
}

static uint64_t gicd_read(void *opaque, uint64_t offset, unsigned size, LoomMemAttrs attrs)
{
    Gic *s = opaque;
    unsigned c = gic_requester(s, attrs);
    unsigned nwords = s->num_irqs / 32;
    uint64_t w = (offset & 0x7f) / 4;

    if (size == 1) {
        if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + s->num_irqs)
            return *gicd_priority(s, c, (unsigned)(offset - GICD_IPRIORITYR));
        if (offset >= GICD_ITARGETSR && offset < GICD_ITARGETSR + s->num_irqs) {
            unsigned i = (unsigned)(offset - GICD_ITARGETSR);
            if (s->ncpu == 1)
                return 0;       /* uniprocessor: RAZ/WI */
            return i < GIC_INTERNAL ? 1u << c : s->target[i];
        }
        if (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + GIC_NR_SGIS)
            return s->cpu[c].sgi_pending[(offset - GICD_CPENDSGIR) % GIC_NR_SGIS];
        loom_device_guest_error(s->dev, "byte read of a register that takes 4-byte accesses", offset, size);
        return 0;
    }
    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "read needs an aligned 4-byte access", offset, size);
        return 0;
    }
    if (offset == GICD_CTLR)
        return s->ctlr;
    if (offset == GICD_TYPER)
        return (nwords - 1) | (s->ncpu - 1) << 5;
    if (offset == GICD_IIDR)
        return GICD_IIDR_VALUE;
    if (offset >= GICD_IGROUPR && offset < GICD_ISENABLER)
        return 0;
    if (offset >= GICD_ISENABLER && offset < GICD_IPRIORITYR) {
        /* the set and clear registers read the same */
        return w < nwords ? gicd_read_bits(s, c, offset & ~(uint64_t)0xff, (unsigned)w) : 0;
    }
    if ((offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + s->num_irqs) ||
        (offset >= GICD_ITARGETSR && offset < GICD_ITARGETSR + s->num_irqs) ||
        (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + GIC_NR_SGIS)) {
        uint32_t v = 0;

        for (unsigned b = 0; b < 4; b++)
            v |= (uint32_t)gicd_read(s, offset + b, 1, attrs) << (8 * b);
        return v;
    }
    if (offset >= GICD_ICFGR && offset < GICD_ICFGR + s->num_irqs / 4) {
        unsigned first = (unsigned)(offset - GICD_ICFGR) * 4;     /* 16 ids a word */
        uint32_t v = 0;

        if (first == 0)
            return 0xaaaaaaaau;         /* SGIs: edge-triggered */
        if (first == 16)
            return 0;                   /* PPIs: level-sensitive */
        for (unsigned i = 0; i < 16; i++) {
            if (loom_bitmap_get(s->edge, first + i))
                v |= 2u << (2 * i);
        }
        return v;
    }
    if (offset >= GICD_ID && offset < 0x1000)
        return gicd_id[(offset - GICD_ID) / 4];
    if ((offset >= GICD_IPRIORITYR && offset < GICD_ICFGR + 0x100) ||
        (offset >= GICD_NSACR && offset < GICD_NSACR + 0x100))
        return 0;                       /* ids beyond num-irqs, NSACR: RAZ */
    loom_device_guest_error(s->dev, offset == GICD_SGIR ? "read of the write-only GICD_SGIR"
                                           : "read of an absent register", offset, size);
    return 0;
}

static void gicd_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                       LoomMemAttrs attrs)
{
    Gic *s = opaque;
    unsigned c = gic_requester(s, attrs);
    unsigned nwords = s->num_irqs / 32;
    uint32_t v = (uint32_t)value;

    if (size == 1) {
        uint8_t b = (uint8_t)value;

        if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + s->num_irqs) {
            *gicd_priority(s, c, (unsigned)(offset - GICD_IPRIORITYR)) = b & GIC_PRIO_MASK;
        } else if (offset >= GICD_ITARGETSR && offset < GICD_ITARGETSR + s->num_irqs) {
            unsigned i = (unsigned)(offset - GICD_ITARGETSR);

            if (i >= GIC_INTERNAL && s->ncpu > 1)   /* 0..31: read-only */
                s->target[i] = b & (uint8_t)((1u << s->ncpu) - 1);
        } else if (offset >= GICD_CPENDSGIR && offset < GICD_CPENDSGIR + GIC_NR_SGIS) {
            s->cpu[c].sgi_pending[offset - GICD_CPENDSGIR] &= (uint8_t)~b;
        } else if (offset >= GICD_SPENDSGIR && offset < GICD_SPENDSGIR + GIC_NR_SGIS) {
            s->cpu[c].sgi_pending[offset - GICD_SPENDSGIR] |=
                b & (uint8_t)((1u << s->ncpu) - 1);
        } else {
            loom_device_guest_error(s->dev, "byte write to a register that takes 4-byte accesses ignored",
                            offset, size);
            return;
        }
        gic_update(s);
        return;
    }
    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    if (offset == GICD_CTLR) {
        s->ctlr = v & 1;
    } else if (offset >= GICD_IGROUPR && offset < GICD_ISENABLER) {
        /* RAZ/WI */
    } else if (offset >= GICD_ISENABLER && offset < GICD_IPRIORITYR) {
        unsigned w = (unsigned)(offset & 0x7f) / 4;

        if (w < nwords)
            gicd_write_bits(s, c, offset & ~(uint64_t)0x7f, w, v);
    } else if ((offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + s->num_irqs) ||
               (offset >= GICD_ITARGETSR && offset < GICD_ITARGETSR + s->num_irqs) ||
               (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + GIC_NR_SGIS)) {
        for (unsigned b = 0; b < 4; b++)
            gicd_write(s, offset + b, (v >> (8 * b)) & 0xff, 1, attrs);
        return;
    } else if (offset >= GICD_ICFGR && offset < GICD_ICFGR + s->num_irqs / 4) {
        unsigned first = (unsigned)(offset - GICD_ICFGR) * 4;

        if (first < GIC_INTERNAL)
            return;                     /* SGIs and PPIs: read-only */
        for (unsigned i = 0; i < 16; i++)
            loom_bitmap_set(s->edge, first + i, (v >> (2 * i + 1)) & 1);
    } else if (offset == GICD_SGIR) {
        gic_send_sgi(s, c, v);
    } else if ((offset >= GICD_IPRIORITYR && offset < GICD_ICFGR + 0x100) ||
               (offset >= GICD_NSACR && offset < GICD_NSACR + 0x100)) {
        /* ids beyond num-irqs, NSACR: WI */
    } else {
        loom_device_guest_error(s->dev, offset >= GICD_ID ? "write to an ID register ignored"
                                             : "write to an absent register ignored",
                        offset, size);
        return;
    }
    gic_update(s);
}

static const LoomMMIOOps gicd_mmio_ops = {
    .read = gicd_read,
    .write = gicd_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- the CPU interface --- */

static uint64_t gicc_read(void *opaque, uint64_t offset, unsigned size, LoomMemAttrs attrs)
{
    Gic *s = opaque;
    unsigned c = gic_requester(s, attrs);
    GicCpu *cpu = &s->cpu[c];
    unsigned prio, running;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "read needs an aligned 4-byte access", offset, size);
        return 0;
    }
    switch (offset) {
    case GICC_CTLR:
        return cpu->ctlr;
    case GICC_PMR:
        return cpu->pmr;
    case GICC_BPR:
        return cpu->bpr;
    case GICC_IAR:
        return gic_acknowledge(s, c);
    case GICC_RPR:
        running = gic_running_prio(cpu);
        return running == GIC_IDLE_PRIO ? 0xff : running;
    case GICC_HPPIR: {
        unsigned irq = gic_best(s, c, &prio);

        if (irq < GIC_NR_SGIS)
            return irq | (unsigned)__builtin_ctz(cpu->sgi_pending[irq]) << 10;
        return irq;
    }
    case GICC_AIAR:
    case GICC_AHPPIR:
        return GIC_SPURIOUS;
    case GICC_ABPR:
        return 0;
    case GICC_IIDR:
        return GICC_IIDR_VALUE;
    default:
        if (offset >= GICC_APR && offset < GICC_NSAPR + 0x10)
            return 0;
        loom_device_guest_error(s->dev, offset == GICC_EOIR || offset == GICC_DIR || offset == GICC_AEOIR
                           ? "read of a write-only register" : "read of an absent register",
                        offset, size);
        return 0;
    }
}

static void gicc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                       LoomMemAttrs attrs)
{
    Gic *s = opaque;
    unsigned c = gic_requester(s, attrs);
    GicCpu *cpu = &s->cpu[c];
    uint32_t v = (uint32_t)value;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    switch (offset) {
    case GICC_CTLR:
        cpu->ctlr = v & GICC_CTLR_MASK;
        break;
    case GICC_PMR:
        cpu->pmr = v & GIC_PRIO_MASK;
        break;
    case GICC_BPR:
        cpu->bpr = MAX(v & 7, GIC_BPR_MIN);
        break;
    case GICC_EOIR:
        gic_eoi(s, c, v);
        break;
    case GICC_DIR:
        if (cpu->ctlr & GICC_CTLR_EOIMODE)
            gic_deactivate(s, c, v & 0x3ff);
        else
            loom_device_guest_error(s->dev, "GICC_DIR with EOImode 0 ignored", offset, size);
        break;
    case GICC_ABPR:
    case GICC_AEOIR:
        break;                  /* group 1: WI */
    default:
        if (offset >= GICC_APR && offset < GICC_NSAPR + 0x10)
            break;
        loom_device_guest_error(s->dev, "write to a read-only or absent register ignored", offset, size);
        return;
    }
    gic_update(s);
}

static const LoomMMIOOps gicc_mmio_ops = {
    .read = gicc_read,
    .write = gicc_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- lifecycle --- */

static const LoomPropInfo gic_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "distributor MMIO base[,size]; size defaults to 0x10000" },
    { "cpu-reg", LOOM_PROP_REG, NULL,
      "CPU interface MMIO base[,size]; size defaults to 0x10000 (at least 0x2000)" },
    { "num-irqs", LOOM_PROP_U64, "288",
      "interrupt ids, SGIs and PPIs included: a multiple of 32, 64..1024 (ids up to 1019)" },
    { NULL, 0, NULL, NULL },
};

static const char *const gic_compatible[] = { "arm,cortex-a15-gic", NULL };

static void gic_reset(void *opaque)
{
    Gic *s = opaque;
    unsigned nwords = s->num_irqs / 32;

    s->ctlr = 0;
    for (unsigned c = 0; c < s->ncpu; c++) {
        GicCpu *cpu = &s->cpu[c];

        cpu->enabled = cpu->pending = cpu->active = 0;
        memset(cpu->sgi_pending, 0, sizeof(cpu->sgi_pending));
        memset(cpu->priority, 0, sizeof(cpu->priority));
        cpu->ctlr = cpu->pmr = 0;
        cpu->bpr = GIC_BPR_MIN;
        cpu->depth = 0;
        /* the lines keep their levels */
    }
    memset(s->enabled, 0, nwords * sizeof(uint32_t));
    memset(s->pending, 0, nwords * sizeof(uint32_t));
    memset(s->active, 0, nwords * sizeof(uint32_t));
    memset(s->edge, 0, nwords * sizeof(uint32_t));
    memset(s->priority, 0, s->num_irqs);
    memset(s->target, 0, s->num_irqs);
    gic_update(s);
}

static void gic_free(Gic *s)
{
    g_free(s->enabled);
    g_free(s->pending);
    g_free(s->active);
    g_free(s->level);
    g_free(s->edge);
    g_free(s->priority);
    g_free(s->target);
    g_free(s);
}

static void *gic_create(LoomDevice *dev, char **err)
{
    LoomMachine *m = loom_device_machine(dev);
    unsigned ncpu = loom_machine_nb_cpus(m);
    uint64_t nirq = loom_device_prop_u64(dev, "num-irqs");
    unsigned nwords;
    Gic *s;

    if (ncpu > GIC_MAX_CPUS) {
        *err = g_strdup_printf("a GICv2 serves at most %d CPUs and the machine has %u: "
                               "lower -smp", GIC_MAX_CPUS, ncpu);
        return NULL;
    }
    if (nirq < 64 || nirq > 1024 || nirq % 32) {
        *err = g_strdup_printf("num-irqs=%" G_GUINT64_FORMAT " is out of range: give a "
                               "multiple of 32 from 64 to 1024", nirq);
        return NULL;
    }
    s = g_new0(Gic, 1);
    s->dev = dev;
    s->machine = m;
    s->ncpu = ncpu;
    s->num_irqs = (unsigned)nirq;
    nwords = s->num_irqs / 32;
    loom_device_prop_reg(dev, "reg", &s->dist_base, &s->dist_size);
    loom_device_prop_reg(dev, "cpu-reg", &s->cpu_base, &s->cpu_size);
    if (s->dist_size == 0)
        s->dist_size = GIC_REGION_SIZE;
    if (s->cpu_size == 0)
        s->cpu_size = GIC_REGION_SIZE;
    if (s->dist_size < 0x1000 || s->cpu_size < GICC_MIN_SIZE) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x or cpu-reg size 0x%"
                               G_GINT64_MODIFIER "x is too small: the distributor needs "
                               "0x1000, the CPU interface 0x2000 (QEMU virt: 0x10000 each)",
                               s->dist_size, s->cpu_size);
        g_free(s);
        return NULL;
    }
    s->enabled = g_new0(uint32_t, nwords);
    s->pending = g_new0(uint32_t, nwords);
    s->active = g_new0(uint32_t, nwords);
    s->level = g_new0(uint32_t, nwords);
    s->edge = g_new0(uint32_t, nwords);
    s->priority = g_new0(uint8_t, nwords * 32);
    s->target = g_new0(uint8_t, nwords * 32);
    if (!loom_device_map_mmio(dev, s->dist_base, s->dist_size, &gicd_mmio_ops, s, err) ||
        !loom_device_map_mmio(dev, s->cpu_base, s->cpu_size, &gicc_mmio_ops, s, err)) {
        gic_free(s);
        return NULL;
    }
    loom_device_irq_inputs(dev, LOOM_ARM_GIC_PPI(ncpu, 0), gic_input, s);
    return s;
}

static bool gic_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED, char **err)
{
    Gic *s = opaque;

    for (unsigned c = 0; c < s->ncpu; c++) {
        char *line = g_strdup_printf("cpu%u.irq", c);

        s->cpu[c].irq = loom_irq_lookup(s->machine, line, err);
        g_free(line);
        if (!s->cpu[c].irq)
            return false;
    }
    gic_reset(s);
    return true;
}

static void gic_destroy(void *opaque)
{
    gic_free(opaque);
}

/* An SPI: <0 intid-32 4>; a PPI: <1 id-16 (cpumask << 8) | 4>, level
   high, the mask naming every vCPU (the binding's bits 15:8). */
static int gic_fdt_irq_cells(void *opaque, unsigned n, uint32_t *cells, int max)
{
    Gic *s = opaque;

    if (max < 3)
        return 0;
    if (n >= GIC_INTERNAL && n < MIN(s->num_irqs, GIC_MAX_IRQS)) {
        cells[0] = 0;
        cells[1] = n - GIC_INTERNAL;
        cells[2] = 4;
        return 3;
    }
    if (n >= LOOM_ARM_GIC_PPI_BASE && n < LOOM_ARM_GIC_PPI(s->ncpu, 0) &&
        (n - LOOM_ARM_GIC_PPI_BASE) % 32 >= GIC_NR_SGIS) {
        cells[0] = 1;
        cells[1] = (n - LOOM_ARM_GIC_PPI_BASE) % 32 - GIC_NR_SGIS;
        cells[2] = ((1u << s->ncpu) - 1) << 8 | 4;
        return 3;
    }
    return 0;
}

/* intc@BASE { compatible = "arm,cortex-a15-gic"; reg = <GICD> <GICC>;
   #interrupt-cells = <3>; interrupt-controller; #address-cells = <2>;
   #size-cells = <2>; ranges; phandle }, and the root's interrupt-parent
   (the timer's node and any other without its own inherit it). */
static bool gic_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt, char **err)
{
    Gic *s = opaque;
    void *blob;
    uint32_t phandle = loom_fdt_device_phandle(fdt, dev);
    int node, rc;

    node = loom_fdt_add_node(fdt, "intc", s->dist_base, s->dist_size, gic_compatible);
    blob = loom_fdt_blob(fdt);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_appendprop_u64(blob, node, "reg", s->cpu_base);
    rc = rc ? rc : fdt_appendprop_u64(blob, node, "reg", s->cpu_size);
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

static const LoomDeviceOps gic_ops = {
    .compatible = gic_compatible,
    .props = gic_props,
    .lockless_mmio = false,
    .create = gic_create,
    .realize = gic_realize,
    .reset = gic_reset,
    .destroy = gic_destroy,
    .fdt_node = gic_fdt_node,
    .fdt_irq_cells = gic_fdt_irq_cells,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "arm_gic", "1.0", "MIT",
                   "Arm GICv2 interrupt controller: SGIs, PPIs per vCPU, SPIs", &gic_ops);
