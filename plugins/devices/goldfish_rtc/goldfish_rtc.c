/*
 * goldfish_rtc.c - the Goldfish real-time clock ("google,goldfish-rtc"),
 * QEMU virt's RTC, as Linux's rtc-goldfish driver uses it.  32-bit
 * registers:
 *
 *   0x00 TIME_LOW         r: low half of the time (ns since 1970), and
 *                            latches the high half into TIME_HIGH
 *                         w: sets the time to TIME_HIGH:value
 *   0x04 TIME_HIGH        r: the half latched by the last TIME_LOW read
 *                         w: high half for the next TIME_LOW write
 *   0x08 ALARM_LOW        w: arms the alarm at ALARM_HIGH:value; r: it
 *   0x0c ALARM_HIGH       rw: high half of the alarm time
 *   0x10 IRQ_ENABLED      rw: bit 0 lets a fired alarm raise the line
 *   0x14 CLEAR_ALARM      w: disarms the alarm
 *   0x18 ALARM_STATUS     r: 1 while the alarm is armed
 *   0x1c CLEAR_INTERRUPT  w: drops the interrupt
 *
 * The interrupt line is high while an alarm has fired and not been
 * cleared, and IRQ_ENABLED is set.  Other offsets and sizes than aligned
 * 4-byte accesses are guest errors: logged, ignored, reads return 0.
 *
 * Time: the host's wall-clock time when the machine was created, advanced
 * by the virtual clock (so the alarm timer and the time agree), plus the
 * offset guest writes to TIME_LOW set.
 *
 * Locking: MMIO, the timer callback and reset run with the BQL held,
 * which protects all of Rtc.
 */
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

enum {
    RTC_TIME_LOW = 0x00,
    RTC_TIME_HIGH = 0x04,
    RTC_ALARM_LOW = 0x08,
    RTC_ALARM_HIGH = 0x0c,
    RTC_IRQ_ENABLED = 0x10,
    RTC_CLEAR_ALARM = 0x14,
    RTC_ALARM_STATUS = 0x18,
    RTC_CLEAR_INTERRUPT = 0x1c,
};

#define RTC_DEFAULT_SIZE 0x1000

/* Invariant: the timer is armed iff alarm_running. */
typedef struct Rtc {
    LoomDevice *dev;
    LoomIRQ *irq;               /* NULL: not wired */
    LoomTimer *timer;           /* fires at the alarm time */
    uint64_t base, size;
    /* the time is a 64-bit count that wraps like the register pair: all
       of it is unsigned arithmetic modulo 2^64 (the guest may set any
       value, INT64_MAX or UINT64_MAX too) */
    uint64_t epoch_ns;          /* wall clock at virtual clock 0 */
    uint64_t offset_ns;         /* guest time changes */
    uint32_t time_high;         /* latched / written high half */
    uint64_t alarm_ns;
    bool alarm_running;
    bool irq_enabled;
    bool irq_pending;
    int irq_level;
} Rtc;

static uint64_t rtc_now(const Rtc *s)
{
    return s->epoch_ns + (uint64_t)loom_clock_ns() + s->offset_ns;
}

static void rtc_update_irq(Rtc *s)
{
    int level = s->irq_pending && s->irq_enabled;

    if (level != s->irq_level) {
        s->irq_level = level;
        loom_irq_set(s->irq, level);
    }
}

static void rtc_fire(Rtc *s)
{
    s->alarm_running = false;
    loom_timer_del(s->timer);
    s->irq_pending = true;
    rtc_update_irq(s);
}

/* (Re)arm the timer for alarm_ns, or fire now if it has passed. */
static void rtc_arm(Rtc *s)
{
    uint64_t now = rtc_now(s);
    int64_t deadline;

    s->alarm_running = true;
    if (s->alarm_ns <= now) {
        rtc_fire(s);
        return;
    }
    if (s->alarm_ns - now > (uint64_t)(INT64_MAX - loom_clock_ns())) {
        loom_timer_del(s->timer);   /* beyond the clock: never fires */
        return;
    }
    deadline = loom_clock_ns() + (int64_t)(s->alarm_ns - now);
    loom_timer_mod(s->timer, deadline);
}

static void rtc_timer_cb(void *opaque)
{
    Rtc *s = opaque;

    if (s->alarm_running)
        rtc_arm(s);             /* fires, or re-arms if time moved */
}

static uint64_t rtc_read(void *opaque, uint64_t offset, unsigned size,
                         LoomMemAttrs attrs)
{
    Rtc *s = opaque;
    uint64_t now;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "read needs an aligned 4-byte access", offset, size);
        return 0;
    }
    switch (offset) {
    case RTC_TIME_LOW:
        now = rtc_now(s);
        s->time_high = (uint32_t)(now >> 32);
        return (uint32_t)now;
    case RTC_TIME_HIGH:
        return s->time_high;
    case RTC_ALARM_LOW:
        return (uint32_t)s->alarm_ns;
    case RTC_ALARM_HIGH:
        return (uint32_t)(s->alarm_ns >> 32);
    case RTC_IRQ_ENABLED:
        return s->irq_enabled;
    case RTC_ALARM_STATUS:
        return s->alarm_running;
    default:
        loom_device_guest_error(s->dev, "read of an absent or write-only register",
                        offset, size);
        return 0;
    }
}

static void rtc_write(void *opaque, uint64_t offset, uint64_t value,
                      unsigned size,
                      LoomMemAttrs attrs)
{
    Rtc *s = opaque;
    uint32_t v = (uint32_t)value;

    if (size != 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, "write needs an aligned 4-byte access", offset, size);
        return;
    }
    switch (offset) {
    case RTC_TIME_LOW: {
        uint64_t t = ((uint64_t)s->time_high << 32) | v;
        s->offset_ns += t - rtc_now(s);
        if (s->alarm_running)
            rtc_arm(s);
        break;
    }
    case RTC_TIME_HIGH:
        s->time_high = v;
        break;
    case RTC_ALARM_LOW:
        s->alarm_ns = (s->alarm_ns & ~0xffffffffull) | v;
        rtc_arm(s);
        break;
    case RTC_ALARM_HIGH:
        s->alarm_ns = (s->alarm_ns & 0xffffffffull) | ((uint64_t)v << 32);
        break;
    case RTC_IRQ_ENABLED:
        s->irq_enabled = v & 1;
        rtc_update_irq(s);
        break;
    case RTC_CLEAR_ALARM:
        s->alarm_running = false;
        loom_timer_del(s->timer);
        break;
    case RTC_CLEAR_INTERRUPT:
        s->irq_pending = false;
        rtc_update_irq(s);
        break;
    default:
        loom_device_guest_error(s->dev, "write to an absent or read-only register",
                        offset, size);
        break;
    }
}

static const LoomMMIOOps rtc_mmio_ops = {
    .read = rtc_read,
    .write = rtc_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

static const LoomPropInfo rtc_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "MMIO base[,size]; size defaults to 0x1000" },
    { "irq", LOOM_PROP_IRQ, "", "interrupt line, e.g. plic.11; empty = not wired" },
    { NULL, 0, NULL, NULL },
};

static const char *const rtc_compatible[] = { "google,goldfish-rtc", NULL };

/* The time keeps running across a reset; alarm and interrupt stop. */
static void rtc_reset(void *opaque)
{
    Rtc *s = opaque;

    s->alarm_running = false;
    loom_timer_del(s->timer);
    s->alarm_ns = 0;
    s->time_high = 0;
    s->irq_enabled = false;
    s->irq_pending = false;
    rtc_update_irq(s);
}

static void *rtc_create(LoomDevice *dev, char **err)
{
    Rtc *s = g_new0(Rtc, 1);

    s->dev = dev;
    loom_device_prop_reg(dev, "reg", &s->base, &s->size);
    if (s->size == 0)
        s->size = RTC_DEFAULT_SIZE;
    if (s->size < 0x20) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x is too small "
                               "for the 8 registers: use at least 0x20", s->size);
        g_free(s);
        return NULL;
    }
    s->epoch_ns = (uint64_t)g_get_real_time() * 1000 - (uint64_t)loom_clock_ns();
    s->timer = loom_timer_new(loom_device_machine(dev), rtc_timer_cb, s);
    if (!loom_device_map_mmio(dev, s->base, s->size, &rtc_mmio_ops, s, err)) {
        loom_timer_free(s->timer);
        g_free(s);
        return NULL;
    }
    return s;
}

static bool rtc_realize(void *opaque, LoomDevice *dev, char **err)
{
    Rtc *s = opaque;
    const char *irq_name = loom_device_prop_str(dev, "irq");

    if (irq_name && irq_name[0]) {
        s->irq = loom_device_prop_irq(dev, "irq", err);
        if (!s->irq)
            return false;
    }
    return true;
}

static void rtc_destroy(void *opaque)
{
    Rtc *s = opaque;

    loom_timer_free(s->timer);
    g_free(s);
}

/* rtc@BASE { compatible; reg; interrupt-parent + interrupts if wired } */
static bool rtc_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt,
                         char **err)
{
    Rtc *s = opaque;
    int node = loom_fdt_add_node(fdt, "rtc", s->base, s->size, rtc_compatible);

    if (node < 0) {
        *err = g_strdup_printf("rtc@%" G_GINT64_MODIFIER "x: %s", s->base,
                               fdt_strerror(node));
        return false;
    }
    return loom_fdt_set_irq(fdt, node, dev, "irq", err);
}

static const LoomDeviceOps rtc_ops = {
    .compatible = rtc_compatible,
    .props = rtc_props,
    .lockless_mmio = false,
    .create = rtc_create,
    .realize = rtc_realize,
    .reset = rtc_reset,
    .destroy = rtc_destroy,
    .fdt_node = rtc_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "goldfish_rtc", "1.0", "MIT",
                   "Goldfish real-time clock with alarm interrupt", &rtc_ops);
