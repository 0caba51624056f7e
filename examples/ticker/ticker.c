/*
 * ticker: an example MMIO device for loom, built out of tree
 * (examples/README.md).  A one-shot countdown timer with an interrupt.
 *
 * Three 32-bit registers:
 *   0x0 COUNT   read: how many times the timer has fired since reset
 *   0x4 DELAY   write N: fire once, N microseconds of virtual time from
 *               now (0 disarms); read: the last value written
 *   0x8 STATUS  read: bit 0 = the interrupt line is high; write bit 0 = 1:
 *               acknowledge (lower the line)
 * Firing counts, then raises the irq line until the guest acknowledges.
 * Other offsets and sizes are guest errors (-d guest_errors), ignored.
 *
 * Properties: reg (base[,size], size 0x1000 by default), irq (the line,
 * e.g. cpu0.irq).
 *
 * Locking: MMIO and the timer callback run with the BQL held; it protects
 * the whole Ticker.
 */
#include <stdlib.h>
#include <loom/loom.h>

typedef struct Ticker {
    LoomDevice *dev;
    LoomTimer *timer;
    LoomIRQ *irq;
    uint32_t count, delay, status;
} Ticker;

static void ticker_set_status(Ticker *s, uint32_t status)
{
    s->status = status;
    loom_irq_set(s->irq, status & 1);
}

static void ticker_fire(void *opaque)
{
    Ticker *s = opaque;

    s->count++;
    ticker_set_status(s, 1);
}

static uint64_t ticker_read(void *opaque, uint64_t offset, unsigned size,
                            LoomMemAttrs attrs)
{
    Ticker *s = opaque;

    switch (size == 4 ? offset : ~0ull) {
    case 0x0: return s->count;
    case 0x4: return s->delay;
    case 0x8: return s->status;
    }
    if (loom_log_enabled(LOOM_LOG_GUEST_ERROR)) {
        loom_log("%s: bad read at 0x%x size %u\n", loom_device_name(s->dev),
                 (unsigned)offset, size);
    }
    return 0;
}

static void ticker_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                         LoomMemAttrs attrs)
{
    Ticker *s = opaque;

    switch (size == 4 ? offset : ~0ull) {
    case 0x4:
        s->delay = (uint32_t)value;
        if (s->delay) {
            loom_timer_mod(s->timer, loom_clock_ns() + (int64_t)s->delay * 1000);
        } else {
            loom_timer_del(s->timer);
        }
        return;
    case 0x8:
        if (value & 1) {
            ticker_set_status(s, 0);
        }
        return;
    }
    if (loom_log_enabled(LOOM_LOG_GUEST_ERROR)) {
        loom_log("%s: bad write at 0x%x size %u\n", loom_device_name(s->dev),
                 (unsigned)offset, size);
    }
}

static const LoomMMIOOps ticker_mmio_ops = {
    .read = ticker_read,
    .write = ticker_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

static void *ticker_create(LoomDevice *dev, char **err)
{
    Ticker *s = calloc(1, sizeof(*s));
    uint64_t base, size;

    loom_device_prop_reg(dev, "reg", &base, &size);
    s->dev = dev;
    if (!loom_device_map_mmio(dev, base, size ? size : 0x1000, &ticker_mmio_ops, s, err)) {
        free(s);
        return NULL;
    }
    s->timer = loom_timer_new(loom_device_machine(dev), ticker_fire, s);
    return s;
}

/* After every device exists: the irq line can be looked up. */
static bool ticker_realize(void *opaque, LoomDevice *dev, char **err)
{
    Ticker *s = opaque;

    s->irq = loom_device_prop_irq(dev, "irq", err);
    return s->irq != NULL;
}

static void ticker_reset(void *opaque)
{
    Ticker *s = opaque;

    loom_timer_del(s->timer);
    s->count = s->delay = 0;
    ticker_set_status(s, 0);
}

static void ticker_destroy(void *opaque)
{
    Ticker *s = opaque;

    loom_timer_free(s->timer);
    free(s);
}

static const LoomPropInfo ticker_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "MMIO base[,size]; size defaults to 0x1000" },
    { "irq", LOOM_PROP_IRQ, NULL, "the interrupt line, e.g. cpu0.irq" },
    { NULL, 0, NULL, NULL },
};

static const LoomDeviceOps ticker_ops = {
    .props = ticker_props,
    .create = ticker_create,
    .realize = ticker_realize,
    .reset = ticker_reset,
    .destroy = ticker_destroy,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "ticker", "1.0", "MIT",
                   "example countdown timer with an interrupt (examples/ticker)", &ticker_ops);
