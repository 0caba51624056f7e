/*
 * aclint.c - RISC-V ACLINT MSWI + MTIMER in the classic SiFive CLINT
 * layout (one 64 KiB region):
 *
 *   0x0000 + 4 * h    msip[h]      32-bit; bit 0 drives hart h's MSIP
 *   0x4000 + 8 * h    mtimecmp[h]  64-bit; MTIP = (mtime >= mtimecmp[h])
 *   0xbff8            mtime        64-bit, timebase-frequency ticks/s
 *
 * Up to 4095 harts.  mtime and mtimecmp take 8-byte accesses and 4-byte
 * accesses to either half; msip takes 4-byte accesses.  Anything else is
 * a guest error: logged, ignored, reads 0.
 *
 * mtime is derived from the virtual clock, mtime = clock_ns * freq / 1e9
 * + offset, where offset absorbs guest writes to mtime and the reset to 0.
 * Each hart has a timer armed at the exact nanosecond its mtimecmp is
 * reached, so MTIP rises on time even while the hart sleeps in wfi.
 *
 * Locking: MMIO, timer callbacks and reset run with the BQL held, which
 * protects all of Aclint and AclintHart.
 */
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>
#include <loom/timebase.h>

#define ACLINT_MSIP_BASE        0x0000
#define ACLINT_MTIMECMP_BASE    0x4000
#define ACLINT_MTIME            0xbff8
#define ACLINT_MIN_SIZE         0xc000  /* through mtime */
#define ACLINT_DEFAULT_SIZE     0x10000
#define ACLINT_MAX_HARTS        4095

#define NS_PER_SEC 1000000000ull

typedef struct Aclint Aclint;

typedef struct AclintHart {
    Aclint *s;
    unsigned index;             /* 0 .. nb_harts-1 within this device */
    LoomIRQ *msip_irq;          /* "cpu<base+index>.msip" */
    LoomIRQ *mtip_irq;          /* "cpu<base+index>.mtip" */
    LoomTimer *timer;           /* fires when mtime reaches mtimecmp */
    uint64_t mtimecmp;
    uint32_t msip;              /* 0 or 1 */
    int mtip_level;
} AclintHart;

/* Invariant: for every hart, mtip_level == (mtime now >= mtimecmp), up
   to the timer's latency; the timer is armed iff mtip_level == 0 and the
   deadline is representable. */
struct Aclint {
    LoomDevice *dev;
    LoomMachine *machine;
    uint64_t freq;              /* mtime ticks per second, > 0 */
    /* added (mod 2^64) to the clock's ticks; written with the BQL held,
       read by the timebase interface from any thread: atomic, relaxed */
    uint64_t mtime_offset;
    unsigned hart_base;         /* cpu index of hart 0 */
    unsigned nb_harts_prop;     /* the harts property; 0 = all CPUs */
    unsigned nb_harts;          /* set up by realize */
    AclintHart *harts;          /* nb_harts usable entries */
};

/* --- time --- */

static uint64_t clock_to_ticks(const Aclint *s, int64_t ns)
{
    if (ns <= 0)
        return 0;
    return (uint64_t)((unsigned __int128)ns * s->freq / NS_PER_SEC);
}

static uint64_t aclint_mtime_at(const Aclint *s, int64_t now)
{
    return clock_to_ticks(s, now) + __atomic_load_n(&s->mtime_offset, __ATOMIC_RELAXED);
}

static uint64_t aclint_mtime(const Aclint *s)
{
    return aclint_mtime_at(s, loom_clock_ns());
}

static void aclint_set_mtime(Aclint *s, uint64_t value)
{
    __atomic_store_n(&s->mtime_offset, value - clock_to_ticks(s, loom_clock_ns()),
                     __ATOMIC_RELAXED);
}

/* The "timebase" interface: mtime as the registers show it. */
static uint64_t timebase_ticks(void *opaque)
{
    return aclint_mtime(opaque);
}

static uint64_t timebase_frequency(void *opaque)
{
    return ((const Aclint *)opaque)->freq;
}

static const LoomTimebaseIface aclint_timebase = {
    .ticks = timebase_ticks,
    .frequency = timebase_frequency,
};

/* Bring MTIP in line with mtime vs mtimecmp; arm the timer otherwise. */
static void aclint_update_hart(AclintHart *h)
{
    Aclint *s = h->s;
    int64_t now = loom_clock_ns();
    uint64_t mtime = aclint_mtime_at(s, now);
    int level = mtime >= h->mtimecmp;

    if (level != h->mtip_level) {
        h->mtip_level = level;
        loom_irq_set(h->mtip_irq, level);
    }
    if (level) {
        loom_timer_del(h->timer);
    } else {
        /* First ns at which clock_to_ticks() reaches the raw tick count
           where mtime == mtimecmp: ceil(raw * 1e9 / freq). */
        unsigned __int128 raw = (unsigned __int128)clock_to_ticks(s, now) +
                                (h->mtimecmp - mtime);
        unsigned __int128 ns = (raw * NS_PER_SEC + s->freq - 1) / s->freq;

        if (ns > (unsigned __int128)INT64_MAX)
            loom_timer_del(h->timer);   /* beyond the clock's range */
        else
            loom_timer_mod(h->timer, (int64_t)ns);
    }
}

static void aclint_timer_cb(void *opaque)
{
    aclint_update_hart(opaque);
}

static void aclint_update_all(Aclint *s)
{
    for (unsigned i = 0; i < s->nb_harts; i++)
        aclint_update_hart(&s->harts[i]);
}

/* --- MMIO --- */

/* Replace the 4- or 8-byte part of reg at byte offset `lane` (0 or 4). */
static uint64_t deposit(uint64_t reg, unsigned lane, unsigned size,
                        uint64_t value)
{
    if (size == 8)
        return value;
    return (reg & ~(0xffffffffull << (lane * 8))) |
           ((value & 0xffffffffull) << (lane * 8));
}

static uint64_t extract(uint64_t reg, unsigned lane, unsigned size)
{
    return size == 8 ? reg : (reg >> (lane * 8)) & 0xffffffffull;
}

/* 4 bytes at either half or 8 bytes at offset 0 of a 64-bit register. */
static bool reg64_access_ok(uint64_t lane, unsigned size)
{
    return (size == 8 && lane == 0) || (size == 4 && (lane == 0 || lane == 4));
}

/* The hart for an msip/mtimecmp offset, or NULL (logged). */
static AclintHart *aclint_hart(Aclint *s, uint64_t index, uint64_t offset,
                               unsigned size)
{
    if (index >= s->nb_harts) {
        loom_device_guest_error(s->dev, "access to a hart this device does not serve",
                           offset, size);
        return NULL;
    }
    return &s->harts[index];
}

static uint64_t aclint_read(void *opaque, uint64_t offset, unsigned size,
                            LoomMemAttrs attrs)
{
    Aclint *s = opaque;
    AclintHart *h;

    if (offset < ACLINT_MTIMECMP_BASE) {
        if (size != 4 || (offset & 3)) {
            loom_device_guest_error(s->dev, "msip needs aligned 4-byte accesses",
                               offset, size);
            return 0;
        }
        h = aclint_hart(s, (offset - ACLINT_MSIP_BASE) / 4, offset, size);
        return h ? h->msip : 0;
    }
    if (!reg64_access_ok(offset & 7, size)) {
        loom_device_guest_error(s->dev, "bad access size or alignment", offset, size);
        return 0;
    }
    if (offset >= ACLINT_MTIME && offset < ACLINT_MTIME + 8)
        return extract(aclint_mtime(s), offset & 7, size);
    if (offset < ACLINT_MTIME) {
        h = aclint_hart(s, (offset - ACLINT_MTIMECMP_BASE) / 8, offset, size);
        return h ? extract(h->mtimecmp, offset & 7, size) : 0;
    }
    loom_device_guest_error(s->dev, "read of an unmapped register", offset, size);
    return 0;
}

static void aclint_write(void *opaque, uint64_t offset, uint64_t value,
                         unsigned size,
                         LoomMemAttrs attrs)
{
    Aclint *s = opaque;
    AclintHart *h;

    if (offset < ACLINT_MTIMECMP_BASE) {
        if (size != 4 || (offset & 3)) {
            loom_device_guest_error(s->dev, "msip needs aligned 4-byte accesses",
                               offset, size);
            return;
        }
        h = aclint_hart(s, (offset - ACLINT_MSIP_BASE) / 4, offset, size);
        if (h) {
            h->msip = value & 1;    /* bits 31..1 are hardwired to 0 */
            loom_irq_set(h->msip_irq, (int)h->msip);
        }
        return;
    }
    if (!reg64_access_ok(offset & 7, size)) {
        loom_device_guest_error(s->dev, "bad access size or alignment", offset, size);
        return;
    }
    if (offset >= ACLINT_MTIME && offset < ACLINT_MTIME + 8) {
        aclint_set_mtime(s, deposit(aclint_mtime(s), offset & 7, size, value));
        aclint_update_all(s);
        return;
    }
    if (offset < ACLINT_MTIME) {
        h = aclint_hart(s, (offset - ACLINT_MTIMECMP_BASE) / 8, offset, size);
        if (h) {
            h->mtimecmp = deposit(h->mtimecmp, offset & 7, size, value);
            aclint_update_hart(h);
        }
        return;
    }
    loom_device_guest_error(s->dev, "write to an unmapped register", offset, size);
}

static const LoomMMIOOps aclint_mmio_ops = {
    .read = aclint_read,
    .write = aclint_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- lifecycle --- */

static const LoomPropInfo aclint_props[] = {
    { "reg", LOOM_PROP_REG, NULL,
      "MMIO base[,size]; size defaults to 0x10000 (at least 0xc000)" },
    { "harts", LOOM_PROP_U64, "0",
      "number of harts served (max 4095); 0 = every CPU from hart-base on" },
    { "hart-base", LOOM_PROP_U64, "0",
      "CPU index of the first hart served" },
    { "timebase-frequency", LOOM_PROP_U64, "10000000",
      "mtime ticks per second" },
    { NULL, 0, NULL, NULL },
};

static const char *const aclint_compatible[] = {
    "sifive,clint0", "riscv,clint0", NULL,
};

static void aclint_reset(void *opaque)
{
    Aclint *s = opaque;

    aclint_set_mtime(s, 0);
    for (unsigned i = 0; i < s->nb_harts; i++) {
        AclintHart *h = &s->harts[i];

        h->msip = 0;
        loom_irq_set(h->msip_irq, 0);
        /* All ones: no timer interrupt until the guest programs one. */
        h->mtimecmp = UINT64_MAX;
        h->mtip_level = 0;
        loom_irq_set(h->mtip_irq, 0);
        aclint_update_hart(h);
    }
}

static void *aclint_create(LoomDevice *dev, char **err)
{
    uint64_t base, size, harts, hart_base, freq;
    Aclint *s;

    loom_device_prop_reg(dev, "reg", &base, &size);
    harts = loom_device_prop_u64(dev, "harts");
    hart_base = loom_device_prop_u64(dev, "hart-base");
    freq = loom_device_prop_u64(dev, "timebase-frequency");
    if (size == 0)
        size = ACLINT_DEFAULT_SIZE;
    if (size < ACLINT_MIN_SIZE) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x does not "
                               "reach mtime at 0xbff8: use 0x10000", size);
        return NULL;
    }
    if (harts > ACLINT_MAX_HARTS) {
        *err = g_strdup_printf("harts=%" G_GUINT64_FORMAT " is more than the "
                               "register layout holds: use at most %d per "
                               "device", harts, ACLINT_MAX_HARTS);
        return NULL;
    }
    if (hart_base > UINT32_MAX) {
        *err = g_strdup_printf("hart-base=%" G_GUINT64_FORMAT " is out of "
                               "range: give a CPU index", hart_base);
        return NULL;
    }
    if (freq == 0 || freq > NS_PER_SEC * 100) {
        *err = g_strdup_printf("timebase-frequency=%" G_GUINT64_FORMAT " is "
                               "out of range: give 1 Hz .. 100 GHz", freq);
        return NULL;
    }

    s = g_new0(Aclint, 1);
    s->dev = dev;
    s->machine = loom_device_machine(dev);
    s->freq = freq;
    s->hart_base = (unsigned)hart_base;
    s->nb_harts_prop = (unsigned)harts;
    if (!loom_device_map_mmio(dev, base, size, &aclint_mmio_ops, s, err)) {
        g_free(s);
        return NULL;
    }
    /* the ACLINT of hart 0 keeps the machine's timebase (others on a
       multi-socket machine count the same time) */
    if (hart_base == 0 &&
        !loom_interface_publish(s->machine, LOOM_TIMEBASE_IFACE, LOOM_TIMEBASE_VERSION,
                                &aclint_timebase, s, loom_device_name(dev), err)) {
        g_free(s);
        return NULL;
    }
    return s;
}

static bool aclint_realize(void *opaque, LoomDevice *dev G_GNUC_UNUSED,
                           char **err)
{
    Aclint *s = opaque;
    unsigned nb_cpus = loom_machine_nb_cpus(s->machine);
    unsigned n = s->nb_harts_prop;

    if (n == 0 && s->hart_base >= nb_cpus) {
        *err = g_strdup_printf("hart-base=%u leaves no CPU to serve (the "
                               "machine has %u): lower hart-base or raise "
                               "-smp", s->hart_base, nb_cpus);
        return false;
    }
    if (n == 0)
        n = nb_cpus - s->hart_base;
    if ((uint64_t)s->hart_base + n > nb_cpus) {
        *err = g_strdup_printf("harts=%u from hart-base=%u needs %u CPUs but "
                               "the machine has %u: lower harts or hart-base, "
                               "or raise -smp", n, s->hart_base,
                               s->hart_base + n, nb_cpus);
        return false;
    }
    if (n > ACLINT_MAX_HARTS) {
        *err = g_strdup_printf("%u harts are more than the %d one device "
                               "holds: set harts and add a second device with "
                               "hart-base", n, ACLINT_MAX_HARTS);
        return false;
    }

    /* nb_harts counts the fully set-up entries, for destroy. */
    s->harts = g_new0(AclintHart, n);
    for (unsigned i = 0; i < n; i++) {
        AclintHart *h = &s->harts[i];
        char *line;

        h->s = s;
        h->index = i;
        h->mtimecmp = UINT64_MAX;
        line = g_strdup_printf("cpu%u.msip", s->hart_base + i);
        h->msip_irq = loom_irq_lookup(s->machine, line, err);
        g_free(line);
        if (!h->msip_irq)
            return false;
        line = g_strdup_printf("cpu%u.mtip", s->hart_base + i);
        h->mtip_irq = loom_irq_lookup(s->machine, line, err);
        g_free(line);
        if (!h->mtip_irq)
            return false;
        h->timer = loom_timer_new(s->machine, aclint_timer_cb, h);
        s->nb_harts = i + 1;
    }
    return true;
}

static void aclint_destroy(void *opaque)
{
    Aclint *s = opaque;

    for (unsigned i = 0; i < s->nb_harts; i++)
        loom_timer_free(s->harts[i].timer);
    g_free(s->harts);
    g_free(s);
}

/* clint@BASE { compatible; reg; interrupts-extended = <&cpuN_intc 3
   &cpuN_intc 7> per hart } and /cpus timebase-frequency (mtime's rate) */
static bool aclint_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt,
                            char **err)
{
    Aclint *s = opaque;
    void *blob = loom_fdt_blob(fdt);
    uint64_t base, size;
    char name[40];
    int node, rc;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = ACLINT_DEFAULT_SIZE;
    snprintf(name, sizeof(name), "clint@%" G_GINT64_MODIFIER "x", base);
    node = loom_fdt_add_node(fdt, "clint", base, size, aclint_compatible);
    rc = node < 0 ? node : 0;
    for (unsigned i = 0; !rc && i < s->nb_harts; i++) {
        uint32_t intc = loom_fdt_cpu_intc_phandle(fdt, s->hart_base + i);
        uint32_t cells[4] = {
            cpu_to_fdt32(intc), cpu_to_fdt32(3),    /* machine software */
            cpu_to_fdt32(intc), cpu_to_fdt32(7),    /* machine timer */
        };
        rc = fdt_appendprop(blob, node, "interrupts-extended", cells,
                            sizeof(cells));
    }
    if (!rc && s->freq <= UINT32_MAX)
        rc = fdt_setprop_u32(blob, loom_fdt_cpus(fdt), "timebase-frequency",
                             (uint32_t)s->freq);
    else if (!rc)
        rc = fdt_setprop_u64(blob, loom_fdt_cpus(fdt), "timebase-frequency",
                             s->freq);
    if (rc) {
        *err = g_strdup_printf("%s: %s", name, fdt_strerror(rc));
        return false;
    }
    return true;
}

static const LoomDeviceOps aclint_ops = {
    .compatible = aclint_compatible,
    .props = aclint_props,
    .lockless_mmio = false,
    .create = aclint_create,
    .realize = aclint_realize,
    .reset = aclint_reset,
    .destroy = aclint_destroy,
    .fdt_node = aclint_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "aclint", "1.0", "MIT",
                   "RISC-V ACLINT MSWI and MTIMER in the SiFive CLINT layout",
                   &aclint_ops);
