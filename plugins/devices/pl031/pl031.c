/*
 * pl031.c - the Arm PrimeCell real-time clock (PL031), register model from
 * the PL031 Technical Reference Manual:
 *
 *   off    name        read                        write
 *   0x000  RTCDR       the count (seconds)         (read-only)
 *   0x004  RTCMR       match value                 match value
 *   0x008  RTCLR       the last value loaded       load the count
 *   0x00c  RTCCR       bit 0: started              1 starts it (then fixed)
 *   0x010  RTCIMSC     interrupt mask (bit 0)      mask
 *   0x014  RTCRIS      raw interrupt (bit 0)       (read-only)
 *   0x018  RTCMIS      RIS & IMSC                  (read-only)
 *   0x01c  RTCICR      -                           1: clear the interrupt
 *   0xfe0..0xffc       PrimeCell IDs: RTCPeriphID0-3 = 0x31 0x10 0x14 0x00,
 *                      RTCPCellID0-3 = 0x0d 0xf0 0x05 0xb1
 *
 * The count is seconds since 1970 (UTC): at power-on the host's time,
 * then it advances with the virtual clock; a write to RTCLR sets it.  It
 * always counts (the model starts enabled, as after firmware: RTCCR reads
 * 1).  The interrupt is raised when the count becomes equal to RTCMR (a
 * timer at that second), and stays until RTCICR clears it.
 *
 * Registers take 4-byte accesses (1 and 2 bytes read the low bits);
 * anything else is a guest error (-d guest_errors): ignored, reads 0.
 *
 * Locking: MMIO, the timer and reset run with the BQL held, which
 * protects all of Pl031.
 */
#include <stdio.h>
#include <time.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

#define PL031_MMIO_SIZE 0x1000
#define NS_PER_SEC 1000000000ll

enum {
    REG_DR = 0x000, REG_MR = 0x004, REG_LR = 0x008, REG_CR = 0x00c, REG_IMSC = 0x010,
    REG_RIS = 0x014, REG_MIS = 0x018, REG_ICR = 0x01c, REG_ID_BASE = 0xfe0,
};

static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* Invariant: irq_level == (ris & imsc); the timer is armed for the
   second the count reaches mr, when that is ahead. */
typedef struct Pl031 {
    LoomDevice *dev;
    LoomIRQ *irq;               /* NULL: not wired */
    LoomTimer *timer;
    /* the count is base + (clock - base_ns) / 1e9, in 32 bits */
    uint32_t base;
    int64_t base_ns;
    uint32_t mr, lr, imsc, ris;
    int irq_level;
} Pl031;

static uint32_t pl031_count(const Pl031 *s)
{
    int64_t ns = loom_clock_ns() - s->base_ns;

    return s->base + (uint32_t)(uint64_t)(ns / NS_PER_SEC);
}

static void pl031_update_irq(Pl031 *s)
{
    int level = (s->ris & s->imsc & 1) != 0;

    if (level != s->irq_level) {
        s->irq_level = level;
        if (s->irq)
            loom_irq_set(s->irq, level);
    }
}

/* Arm the timer for the start of the second at which the count equals
   mr (it wraps after 2^32 seconds). */
static void pl031_arm(Pl031 *s)
{
    uint32_t ahead = s->mr - pl031_count(s);
    int64_t now = loom_clock_ns();
    int64_t into = (now - s->base_ns) % NS_PER_SEC;

    /* 0: the count already is mr, which it became (if ever) before the
       write: the next match is 2^32 seconds away */
    if (ahead == 0) {
        loom_timer_del(s->timer);
        return;
    }
    loom_timer_mod(s->timer, now - into + (int64_t)ahead * NS_PER_SEC);
}

static void pl031_timer_cb(void *opaque)
{
    Pl031 *s = opaque;

    if (pl031_count(s) == s->mr) {
        s->ris |= 1;
        pl031_update_irq(s);
    }
    pl031_arm(s);
}

static void pl031_set_count(Pl031 *s, uint32_t value)
{
    s->base = value;
    s->base_ns = loom_clock_ns();
    pl031_arm(s);
}

static uint64_t pl031_read(void *opaque, uint64_t offset, unsigned size, LoomMemAttrs attrs)
{
    Pl031 *s = opaque;
    uint32_t val;

    if (size > 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "read needs a 4-byte access at a register", offset, size);
        return 0;
    }
    switch (offset) {
    case REG_DR:
        val = pl031_count(s);
        break;
    case REG_MR:
        val = s->mr;
        break;
    case REG_LR:
        val = s->lr;
        break;
    case REG_CR:
        val = 1;
        break;
    case REG_IMSC:
        val = s->imsc;
        break;
    case REG_RIS:
        val = s->ris;
        break;
    case REG_MIS:
        val = s->ris & s->imsc;
        break;
    default:
        if (offset >= REG_ID_BASE && offset < PL031_MMIO_SIZE) {
            val = pl031_id[(offset - REG_ID_BASE) / 4];
            break;
        }
        loom_device_guest_error(s->dev, offset == REG_ICR ? "read of the write-only RTCICR"
                                               : "read of an absent register", offset, size);
        return 0;
    }
    return size == 4 ? val : val & ((1u << (8 * size)) - 1);
}

static void pl031_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                        LoomMemAttrs attrs)
{
    Pl031 *s = opaque;
    uint32_t v = (uint32_t)value;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    switch (offset) {
    case REG_MR:
        s->mr = v;
        pl031_arm(s);
        break;
    case REG_LR:
        s->lr = v;
        pl031_set_count(s, v);
        break;
    case REG_CR:
        break;                  /* started, and a start cannot be undone */
    case REG_IMSC:
        s->imsc = v & 1;
        break;
    case REG_ICR:
        s->ris &= ~(v & 1);
        break;
    default:
        loom_device_guest_error(s->dev, "write to a read-only or absent register ignored", offset, size);
        return;
    }
    pl031_update_irq(s);
}

static const LoomMMIOOps pl031_mmio_ops = {
    .read = pl031_read,
    .write = pl031_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

static const LoomPropInfo pl031_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "MMIO base[,size]; size defaults to 0x1000" },
    { "irq", LOOM_PROP_IRQ, "", "interrupt line, e.g. gic.34; empty = not wired" },
    { NULL, 0, NULL, NULL },
};

static const char *const pl031_compatible[] = { "arm,pl031", "arm,primecell", NULL };

static void pl031_reset(void *opaque)
{
    Pl031 *s = opaque;

    s->mr = s->lr = s->imsc = s->ris = 0;
    pl031_set_count(s, (uint32_t)time(NULL));
    pl031_update_irq(s);
}

static void *pl031_create(LoomDevice *dev, char **err)
{
    uint64_t base, size;
    Pl031 *s;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = PL031_MMIO_SIZE;
    if (size < PL031_MMIO_SIZE) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x does not reach the ID "
                               "registers at 0xfe0..0xfff: use 0x1000", size);
        return NULL;
    }
    s = g_new0(Pl031, 1);
    s->dev = dev;
    s->timer = loom_timer_new(loom_device_machine(dev), pl031_timer_cb, s);
    if (!loom_device_map_mmio(dev, base, size, &pl031_mmio_ops, s, err)) {
        loom_timer_free(s->timer);
        g_free(s);
        return NULL;
    }
    pl031_reset(s);
    return s;
}

static bool pl031_realize(void *opaque, LoomDevice *dev, char **err)
{
    Pl031 *s = opaque;
    const char *irq_name = loom_device_prop_str(dev, "irq");

    if (irq_name && irq_name[0]) {
        s->irq = loom_device_prop_irq(dev, "irq", err);
        if (!s->irq)
            return false;
        if (s->irq_level)
            loom_irq_set(s->irq, s->irq_level);
    }
    return true;
}

static void pl031_destroy(void *opaque)
{
    Pl031 *s = opaque;

    loom_timer_free(s->timer);
    g_free(s);
}

/* The APB clock the AMBA bus wants: /apb-pclk, the fixed clock a PL011
   adds (plugins/devices/pl011), or one this device adds at QEMU virt's
   24 MHz with its own phandle when it comes first.  Its phandle, or a
   negative libfdt error. */
static int64_t pl031_fdt_clock(LoomDevice *dev, LoomFdt *fdt)
{
    void *blob = loom_fdt_blob(fdt);
    int node = fdt_subnode_offset(blob, 0, "apb-pclk");
    uint32_t phandle;
    int rc;

    if (node >= 0 && fdt_get_phandle(blob, node))
        return fdt_get_phandle(blob, node);
    phandle = loom_fdt_device_phandle(fdt, dev);
    node = fdt_add_subnode(blob, 0, "apb-pclk");
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_string(blob, node, "compatible", "fixed-clock");
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#clock-cells", 0);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "clock-frequency", 24000000);
    rc = rc ? rc : fdt_setprop_string(blob, node, "clock-output-names", "apb-pclk");
    rc = rc ? rc : fdt_setprop_u32(blob, node, "phandle", phandle);
    return rc ? rc : (int64_t)phandle;
}

/* pl031@BASE { compatible = "arm,pl031", "arm,primecell"; reg; clocks =
   <&apb-pclk>; clock-names = "apb_pclk"; interrupts } */
static bool pl031_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt, char **err)
{
    static const char clock_names[] = "apb_pclk";
    void *blob;
    uint64_t base, size;
    int64_t clk = pl031_fdt_clock(dev, fdt);
    int node, rc;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = PL031_MMIO_SIZE;
    node = clk < 0 ? (int)clk : loom_fdt_add_node(fdt, "pl031", base, size, pl031_compatible);
    blob = loom_fdt_blob(fdt);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_u32(blob, node, "clocks", (uint32_t)clk);
    rc = rc ? rc : fdt_setprop(blob, node, "clock-names", clock_names, sizeof(clock_names));
    if (rc) {
        *err = g_strdup_printf("pl031@%" G_GINT64_MODIFIER "x: %s", base, fdt_strerror(rc));
        return false;
    }
    return loom_fdt_set_irq(fdt, node, dev, "irq", err);
}

static const LoomDeviceOps pl031_ops = {
    .compatible = pl031_compatible,
    .props = pl031_props,
    .lockless_mmio = false,
    .create = pl031_create,
    .realize = pl031_realize,
    .reset = pl031_reset,
    .destroy = pl031_destroy,
    .fdt_node = pl031_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "pl031", "1.0", "MIT",
                   "Arm PrimeCell real-time clock (PL031)", &pl031_ops);
