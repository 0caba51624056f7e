/*
 * plic.c - RISC-V Platform-Level Interrupt Controller, in the SiFive /
 * RISC-V PLIC register layout that QEMU's virt board and Linux's
 * "sifive,plic-1.0.0" driver use:
 *
 *   0x000000 + 4 * i          priority of source i (source 0 does not exist)
 *   0x001000 + 4 * w          pending bits, sources 32w .. 32w+31 (read-only)
 *   0x002000 + 0x80 * c + 4w  enable bits of context c
 *   0x200000 + 0x1000 * c     priority threshold of context c
 *   0x200004 + 0x1000 * c     claim (read) / complete (write) of context c
 *
 * Every register is 32 bits and takes aligned 4-byte accesses only;
 * anything else, and writes to read-only or absent registers, are guest
 * errors: logged with -d guest_errors, ignored, reads return 0.
 *
 * Contexts: two per hart, in hart order: 2h is hart h's machine-mode
 * external interrupt (drives cpuN.meip), 2h + 1 its supervisor-mode one
 * (cpuN.seip).  Sources 1..ndev are the device's inputs "NAME.1" ..
 * "NAME.<ndev>" ("NAME.0" exists, as the input API counts from 0, and is
 * ignored: source 0 means "no interrupt").
 *
 * Sources are level-triggered.  While a source is not claimed its pending
 * bit follows its line (a line that drops before the claim withdraws the
 * request).  A claim returns the pending, enabled
 * source with the highest priority above the context's threshold (ties:
 * the lowest id), clears its pending bit and holds it claimed; completing
 * it (writing its id to the claim register of a context that has it
 * enabled, otherwise the write is ignored, as the specification says)
 * re-arms the gateway, so a line still high becomes pending again.
 * Priorities and thresholds are WARL: priority-bits wide.
 *
 * Locking: MMIO, the input handler and reset run with the BQL held, which
 * protects all of Plic.
 */
#include <assert.h>
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

#define PLIC_PRIORITY_BASE  0x000000
#define PLIC_PENDING_BASE   0x001000
#define PLIC_ENABLE_BASE    0x002000
#define PLIC_ENABLE_STRIDE  0x80
#define PLIC_CONTEXT_BASE   0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_MAX_SOURCES    1023        /* ids 1..1023 */
#define PLIC_MAX_CONTEXTS   15872
#define PLIC_DEFAULT_SIZE   0x600000    /* QEMU virt's window */

/* Invariants (plic_sanity): pending and claimed are disjoint; bit 0
   (source 0) and bits above ndev are clear in every bitmap; priorities
   and thresholds fit in prio_mask; out_level[c] == plic_context_level(c). */
typedef struct Plic {
    LoomDevice *dev;
    LoomMachine *machine;
    unsigned ndev;              /* sources 1..ndev */
    unsigned nwords;            /* 32-bit words per bitmap */
    uint32_t prio_mask;         /* WARL width of priority and threshold */
    unsigned hart_base;         /* CPU index of hart 0 */
    unsigned nb_harts_prop;     /* the harts property; 0 = all CPUs */
    unsigned nb_contexts;       /* 2 * harts, set by realize */
    uint64_t size;              /* MMIO window */
    uint32_t *priority;         /* [ndev + 1] */
    uint32_t *level;            /* bitmap: input line levels */
    uint32_t *pending;          /* bitmap */
    uint32_t *claimed;          /* bitmap: claimed, not yet completed */
    uint32_t *enable;           /* [nb_contexts * nwords] */
    uint32_t *threshold;        /* [nb_contexts] */
    LoomIRQ **out;              /* [nb_contexts]: cpuN.meip / cpuN.seip */
    int *out_level;             /* [nb_contexts] */
} Plic;

/* Bits of word w that name real sources (1..ndev). */
static uint32_t valid_bits(const Plic *s, unsigned w)
{
    uint32_t m = 0xffffffffu;

    if (w == 0)
        m &= ~1u;
    if (w == s->nwords - 1 && (s->ndev + 1) % 32)
        m &= (1u << ((s->ndev + 1) % 32)) - 1;
    return m;
}

/* The source context c would get from a claim now, or 0. */
static unsigned plic_best(const Plic *s, unsigned c)
{
    const uint32_t *en = &s->enable[c * s->nwords];
    unsigned best = 0;
    uint32_t best_prio = s->threshold[c];

    for (unsigned w = 0; w < s->nwords; w++) {
        uint32_t bits = s->pending[w] & en[w];
        while (bits) {
            unsigned i = w * 32 + (unsigned)__builtin_ctz(bits);
            bits &= bits - 1;
            if (s->priority[i] > best_prio) {
                best = i;
                best_prio = s->priority[i];
            }
        }
    }
    return best;
}

static G_GNUC_UNUSED bool plic_sanity(const Plic *s)
{
    for (unsigned w = 0; w < s->nwords; w++) {
        if ((s->pending[w] & s->claimed[w]) ||
            ((s->pending[w] | s->claimed[w] | s->level[w]) & ~valid_bits(s, w)))
            return false;
    }
    for (unsigned c = 0; c < s->nb_contexts; c++) {
        if (s->threshold[c] & ~s->prio_mask ||
            s->out_level[c] != (plic_best(s, c) != 0))
            return false;
    }
    return true;
}

/* Drive every context's output from the current state. */
static void plic_update(Plic *s)
{
    for (unsigned c = 0; c < s->nb_contexts; c++) {
        int level = plic_best(s, c) != 0;
        if (level != s->out_level[c]) {
            s->out_level[c] = level;
            loom_irq_set(s->out[c], level);
        }
    }
}

/* Input line n (source id n) changed: the level-triggered gateway. */
static void plic_input(void *opaque, int n, int level)
{
    Plic *s = opaque;
    unsigned i = (unsigned)n;

    if (n <= 0 || i > s->ndev)
        return;                 /* source 0 does not exist */
    loom_bitmap_set(s->level, i, level != 0);
    if (!loom_bitmap_get(s->claimed, i))
        loom_bitmap_set(s->pending, i, level != 0);
    plic_update(s);
}

static uint32_t plic_claim(Plic *s, unsigned c)
{
    unsigned i = plic_best(s, c);

    if (i) {
        loom_bitmap_set(s->pending, i, false);
        loom_bitmap_set(s->claimed, i, true);
        plic_update(s);
    }
    return i;
}

static void plic_complete(Plic *s, unsigned c, uint64_t offset, uint32_t id)
{
    if (id == 0 || id > s->ndev || !loom_bitmap_get(&s->enable[c * s->nwords], id)) {
        loom_device_guest_error(s->dev, "completion of a source the context does not "
                         "have enabled ignored", offset, 4);
        return;
    }
    if (!loom_bitmap_get(s->claimed, id))
        return;                 /* not claimed: nothing to re-arm */
    loom_bitmap_set(s->claimed, id, false);
    if (loom_bitmap_get(s->level, id))
        loom_bitmap_set(s->pending, id, true);
    plic_update(s);
}

/* --- MMIO --- */

static uint64_t plic_read(void *opaque, uint64_t offset, unsigned size,
                          LoomMemAttrs attrs)
{
    Plic *s = opaque;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "read needs an aligned 4-byte access", offset, size);
        return 0;
    }
    if (offset < PLIC_PENDING_BASE) {
        uint64_t i = (offset - PLIC_PRIORITY_BASE) / 4;
        return i <= s->ndev ? s->priority[i] : 0;
    }
    if (offset < PLIC_ENABLE_BASE) {
        uint64_t w = (offset - PLIC_PENDING_BASE) / 4;
        return w < s->nwords ? s->pending[w] : 0;
    }
    if (offset < PLIC_CONTEXT_BASE) {
        uint64_t c = (offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        uint64_t w = (offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
        if (c < s->nb_contexts && w < s->nwords)
            return s->enable[c * s->nwords + w];
        return 0;
    } else {
        uint64_t c = (offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
        uint64_t reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
        if (c < s->nb_contexts && reg == 0)
            return s->threshold[c];
        if (c < s->nb_contexts && reg == 4)
            return plic_claim(s, (unsigned)c);
    }
    loom_device_guest_error(s->dev, "read of an absent register", offset, size);
    return 0;
}

static void plic_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size,
                       LoomMemAttrs attrs)
{
    Plic *s = opaque;
    uint32_t v = (uint32_t)value;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    if (offset < PLIC_PENDING_BASE) {
        uint64_t i = (offset - PLIC_PRIORITY_BASE) / 4;
        if (i >= 1 && i <= s->ndev) {
            s->priority[i] = v & s->prio_mask;
            plic_update(s);
            return;
        }
    } else if (offset < PLIC_ENABLE_BASE) {
        loom_device_guest_error(s->dev, "write to the read-only pending bits ignored",
                         offset, size);
        return;
    } else if (offset < PLIC_CONTEXT_BASE) {
        uint64_t c = (offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        uint64_t w = (offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
        if (c < s->nb_contexts && w < s->nwords) {
            s->enable[c * s->nwords + w] = v & valid_bits(s, (unsigned)w);
            plic_update(s);
            return;
        }
    } else {
        uint64_t c = (offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
        uint64_t reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
        if (c < s->nb_contexts && reg == 0) {
            s->threshold[c] = v & s->prio_mask;
            plic_update(s);
            return;
        }
        if (c < s->nb_contexts && reg == 4) {
            plic_complete(s, (unsigned)c, offset, v);
            return;
        }
    }
    loom_device_guest_error(s->dev, "write to an absent register ignored", offset, size);
}

static const LoomMMIOOps plic_mmio_ops = {
    .read = plic_read,
    .write = plic_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- lifecycle --- */

static const LoomPropInfo plic_props[] = {
    { "reg", LOOM_PROP_REG, NULL,
      "MMIO base[,size]; size defaults to 0x600000" },
    { "ndev", LOOM_PROP_U64, "96",
      "number of interrupt sources, ids 1..ndev (max 1023)" },
    { "priority-bits", LOOM_PROP_U64, "3",
      "width of priorities and thresholds (1..32)" },
    { "harts", LOOM_PROP_U64, "0",
      "harts served, two contexts (M, S) each; 0 = every CPU from hart-base on" },
    { "hart-base", LOOM_PROP_U64, "0",
      "CPU index of the first hart served" },
    { NULL, 0, NULL, NULL },
};

static const char *const plic_compatible[] = {
    "sifive,plic-1.0.0", "riscv,plic0", NULL,
};

static void plic_reset(void *opaque)
{
    Plic *s = opaque;

    for (unsigned i = 0; i <= s->ndev; i++)
        s->priority[i] = 0;
    for (unsigned w = 0; w < s->nwords; w++) {
        s->claimed[w] = 0;
        s->pending[w] = s->level[w];    /* the lines keep their levels */
    }
    for (unsigned c = 0; c < s->nb_contexts; c++) {
        s->threshold[c] = 0;
        for (unsigned w = 0; w < s->nwords; w++)
            s->enable[c * s->nwords + w] = 0;
    }
    plic_update(s);
    assert(plic_sanity(s));
}

static void *plic_create(LoomDevice *dev, char **err)
{
    uint64_t base, size, ndev, bits, harts, hart_base;
    Plic *s;

    loom_device_prop_reg(dev, "reg", &base, &size);
    ndev = loom_device_prop_u64(dev, "ndev");
    bits = loom_device_prop_u64(dev, "priority-bits");
    harts = loom_device_prop_u64(dev, "harts");
    hart_base = loom_device_prop_u64(dev, "hart-base");
    if (size == 0)
        size = PLIC_DEFAULT_SIZE;
    if (ndev < 1 || ndev > PLIC_MAX_SOURCES) {
        *err = g_strdup_printf("ndev=%" G_GUINT64_FORMAT " is out of range: "
                               "give 1..%d sources", ndev, PLIC_MAX_SOURCES);
        return NULL;
    }
    if (bits < 1 || bits > 32) {
        *err = g_strdup_printf("priority-bits=%" G_GUINT64_FORMAT " is out of "
                               "range: give 1..32", bits);
        return NULL;
    }
    if (harts > PLIC_MAX_CONTEXTS / 2 || hart_base > UINT32_MAX) {
        *err = g_strdup_printf("harts=%" G_GUINT64_FORMAT " hart-base=%"
                               G_GUINT64_FORMAT " is out of range: at most %d "
                               "harts per PLIC", harts, hart_base,
                               PLIC_MAX_CONTEXTS / 2);
        return NULL;
    }
    if (size <= PLIC_CONTEXT_BASE) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x leaves no "
                               "room for contexts (from 0x200000): use 0x600000",
                               size);
        return NULL;
    }

    s = g_new0(Plic, 1);
    s->dev = dev;
    s->machine = loom_device_machine(dev);
    s->ndev = (unsigned)ndev;
    s->nwords = (s->ndev + 1 + 31) / 32;
    s->prio_mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
    s->hart_base = (unsigned)hart_base;
    s->nb_harts_prop = (unsigned)harts;
    s->size = size;
    s->priority = g_new0(uint32_t, s->ndev + 1);
    s->level = g_new0(uint32_t, s->nwords);
    s->pending = g_new0(uint32_t, s->nwords);
    s->claimed = g_new0(uint32_t, s->nwords);
    loom_device_irq_inputs(dev, s->ndev + 1, plic_input, s);
    if (!loom_device_map_mmio(dev, base, size, &plic_mmio_ops, s, err)) {
        g_free(s->priority);
        g_free(s->level);
        g_free(s->pending);
        g_free(s->claimed);
        g_free(s);
        return NULL;
    }
    return s;
}

static bool plic_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED,
                         char **err)
{
    Plic *s = opaque;
    unsigned nb_cpus = loom_machine_nb_cpus(s->machine);
    unsigned n = s->nb_harts_prop;

    if (n == 0 && s->hart_base >= nb_cpus) {
        *err = g_strdup_printf("hart-base=%u leaves no CPU to serve (the "
                               "machine has %u): lower hart-base or raise -smp",
                               s->hart_base, nb_cpus);
        return false;
    }
    if (n == 0)
        n = nb_cpus - s->hart_base;
    if ((uint64_t)s->hart_base + n > nb_cpus) {
        *err = g_strdup_printf("harts=%u from hart-base=%u needs %u CPUs but "
                               "the machine has %u: lower harts or raise -smp",
                               n, s->hart_base, s->hart_base + n, nb_cpus);
        return false;
    }
    if (PLIC_CONTEXT_BASE + (uint64_t)2 * n * PLIC_CONTEXT_STRIDE > s->size) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x holds too "
                               "few contexts for %u harts: use at least 0x%"
                               G_GINT64_MODIFIER "x", s->size, n,
                               PLIC_CONTEXT_BASE + (uint64_t)2 * n *
                               PLIC_CONTEXT_STRIDE);
        return false;
    }
    s->out = g_new0(LoomIRQ *, 2 * n);
    for (unsigned c = 0; c < 2 * n; c++) {
        char *line = g_strdup_printf("cpu%u.%s", s->hart_base + c / 2,
                                     c % 2 ? "seip" : "meip");
        s->out[c] = loom_irq_lookup(s->machine, line, err);
        g_free(line);
        if (!s->out[c]) {
            g_free(s->out);
            s->out = NULL;
            return false;
        }
    }
    s->enable = g_new0(uint32_t, (gsize)2 * n * s->nwords);
    s->threshold = g_new0(uint32_t, 2 * n);
    s->out_level = g_new0(int, 2 * n);
    s->nb_contexts = 2 * n;
    return true;
}

static void plic_destroy(void *opaque)
{
    Plic *s = opaque;

    g_free(s->priority);
    g_free(s->level);
    g_free(s->pending);
    g_free(s->claimed);
    g_free(s->enable);
    g_free(s->threshold);
    g_free(s->out);
    g_free(s->out_level);
    g_free(s);
}

/* plic@BASE { compatible; reg; #address-cells = <0>; #interrupt-cells =
   <1>; interrupt-controller; interrupts-extended = <&cpuN_intc 11
   &cpuN_intc 9> per hart; riscv,ndev; phandle } */
static bool plic_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt,
                          char **err)
{
    Plic *s = opaque;
    void *blob = loom_fdt_blob(fdt);
    uint64_t base, size;
    char name[40];
    int node, rc;

    loom_device_prop_reg(dev, "reg", &base, &size);
    snprintf(name, sizeof(name), "plic@%" G_GINT64_MODIFIER "x", base);
    node = loom_fdt_add_node(fdt, "plic", base, s->size, plic_compatible);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#address-cells", 0);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#interrupt-cells", 1);
    rc = rc ? rc : fdt_setprop(blob, node, "interrupt-controller", NULL, 0);
    for (unsigned h = 0; !rc && h < s->nb_contexts / 2; h++) {
        uint32_t intc = loom_fdt_cpu_intc_phandle(fdt, s->hart_base + h);
        uint32_t cells[4] = {
            cpu_to_fdt32(intc), cpu_to_fdt32(11),   /* machine external */
            cpu_to_fdt32(intc), cpu_to_fdt32(9),    /* supervisor external */
        };
        rc = fdt_appendprop(blob, node, "interrupts-extended", cells,
                            sizeof(cells));
    }
    rc = rc ? rc : fdt_setprop_u32(blob, node, "riscv,ndev", s->ndev);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "phandle",
                                   loom_fdt_device_phandle(fdt, dev));
    if (rc) {
        *err = g_strdup_printf("%s: %s", name, fdt_strerror(rc));
        return false;
    }
    return true;
}

static const LoomDeviceOps plic_ops = {
    .compatible = plic_compatible,
    .props = plic_props,
    .lockless_mmio = false,
    .create = plic_create,
    .realize = plic_realize,
    .reset = plic_reset,
    .destroy = plic_destroy,
    .fdt_node = plic_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "plic", "1.0", "MIT",
                   "RISC-V PLIC: level-triggered sources, M and S contexts "
                   "per hart", &plic_ops);
