/*
 * ns16550a.c - the National Semiconductor 16550A UART.
 *
 * Register model from the PC16550D datasheet: eight byte-wide registers,
 * spaced 1 << reg-shift bytes apart, with the divisor latch (DLL/DLM)
 * overlaying RBR/THR and IER while LCR.DLAB is set.
 *
 *   off  read            write           DLAB=1
 *   0    RBR receive     THR transmit    DLL
 *   1    IER             IER             DLM
 *   2    IIR             FCR
 *   3    LCR             LCR
 *   4    MCR             MCR
 *   5    LSR             (ignored)
 *   6    MSR             (ignored)
 *   7    SCR             SCR
 *
 * Model choices:
 *  - Transmission is instant: a THR write goes straight to the console
 *    (or, in loopback, into the receive FIFO), so LSR.THRE and LSR.TEMT
 *    read as set again right after the write and the THR-empty interrupt
 *    condition comes back at once.
 *  - The receive FIFO holds 16 bytes (1 with FCR.FIFOE clear); console
 *    input is accepted only while there is room, so an overrun can only
 *    happen in loopback.  The character-timeout interrupt fires after
 *    four character times at the programmed baud rate (datasheet), with
 *    no activity on a FIFO that holds data below the trigger level.
 *  - Modem inputs: a connected terminal (CTS, DSR, DCD set, RI clear);
 *    in loopback MSR reflects MCR's RTS/DTR/OUT1/OUT2, deltas included.
 *  - The interrupt output is not gated by MCR.OUT2 (that gate is PC
 *    board logic, not part of the chip).
 *  - Accesses wider than a register slot touch the addressed register
 *    only (low 8 bits), and are logged as guest errors.
 *
 * Locking: every entry point (MMIO, console input, the timeout timer,
 * reset) runs with the BQL held, which protects all of Uart.
 */
#include <assert.h>
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

#define UART_FIFO_SIZE 16

/* register indexes */
enum {
    REG_RBR_THR = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3,
    REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};

enum {
    IER_ERBFI = 0x01,       /* received data available */
    IER_ETBEI = 0x02,       /* transmitter holding register empty */
    IER_ELSI = 0x04,        /* receiver line status */
    IER_EDSSI = 0x08,       /* modem status */
    IER_MASK = 0x0f,

    IIR_NO_INT = 0x01,
    IIR_MSI = 0x00,         /* modem status (lowest priority) */
    IIR_THRI = 0x02,        /* THR empty */
    IIR_RDI = 0x04,         /* received data available */
    IIR_RLSI = 0x06,        /* receiver line status (highest) */
    IIR_CTI = 0x0c,         /* character timeout */
    IIR_FIFOS = 0xc0,       /* FIFOs enabled */

    FCR_FIFOE = 0x01,
    FCR_RXRST = 0x02,
    FCR_TXRST = 0x04,
    FCR_TRIG_MASK = 0xc0,

    LCR_DLAB = 0x80,

    MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08,
    MCR_LOOP = 0x10,
    MCR_MASK = 0x1f,

    LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08,
    LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40,
    LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI,

    MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08,
    MSR_DELTAS = 0x0f,
    MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
};

/* Invariants: 0 <= rx_count <= rx_depth() <= UART_FIFO_SIZE;
   LSR.DR == (rx_count > 0); rx_timeout implies rx_count > 0. */
typedef struct Uart {
    LoomDevice *dev;
    LoomChardev *chr;           /* NULL: output discarded, no input */
    LoomIRQ *irq;               /* NULL: not wired */
    LoomTimer *timeout_timer;
    unsigned reg_shift;
    uint64_t clock_hz;

    uint8_t rx_fifo[UART_FIFO_SIZE];
    unsigned rx_head;           /* index of the oldest byte */
    unsigned rx_count;
    bool rx_timeout;            /* character-timeout condition pending */
    bool thri_pending;          /* THR-empty interrupt condition pending */
    bool rx_blocked;            /* can_receive said no to waiting input */
    int irq_level;

    uint16_t divisor;
    uint8_t ier, fcr, lcr, mcr, lsr, msr, scr;
} Uart;

static bool uart_sanity(const Uart *s)
{
    return s->rx_count <= UART_FIFO_SIZE && s->rx_head < UART_FIFO_SIZE &&
           !!(s->lsr & LSR_DR) == (s->rx_count > 0) &&
           (!s->rx_timeout || s->rx_count > 0);
}

static unsigned rx_depth(const Uart *s)
{
    return (s->fcr & FCR_FIFOE) ? UART_FIFO_SIZE : 1;
}

static unsigned rx_trigger(const Uart *s)
{
    static const unsigned levels[4] = { 1, 4, 8, 14 };

    if (!(s->fcr & FCR_FIFOE))
        return 1;
    return levels[(s->fcr & FCR_TRIG_MASK) >> 6];
}

/* The interrupt the IIR reports now, highest priority first. */
static uint8_t uart_pending_iid(const Uart *s)
{
    if ((s->ier & IER_ELSI) && (s->lsr & LSR_ERRORS))
        return IIR_RLSI;
    if ((s->ier & IER_ERBFI) && s->rx_count >= rx_trigger(s) && s->rx_count > 0)
        return IIR_RDI;
    if ((s->ier & IER_ERBFI) && s->rx_timeout)
        return IIR_CTI;
    if ((s->ier & IER_ETBEI) && s->thri_pending)
        return IIR_THRI;
    if ((s->ier & IER_EDSSI) && (s->msr & MSR_DELTAS))
        return IIR_MSI;
    return IIR_NO_INT;
}

static void uart_update_irq(Uart *s)
{
    int level = uart_pending_iid(s) != IIR_NO_INT;

    assert(uart_sanity(s));
    if (level != s->irq_level) {
        s->irq_level = level;
        if (s->irq)
            loom_irq_set(s->irq, level);
    }
}

/* Nanoseconds for four characters at the current line settings. */
static int64_t uart_timeout_ns(const Uart *s)
{
    /* start bit + 5..8 data bits + parity + 1..2 stop bits */
    unsigned bits = 1 + 5 + (s->lcr & 0x03) + !!(s->lcr & 0x08) +
                    1 + !!(s->lcr & 0x04);
    uint64_t div = s->divisor ? s->divisor : 1;
    uint64_t hz = s->clock_hz ? s->clock_hz : 1;

    /* baud = clock / (16 * divisor); 4 chars = 4 * bits * 16 * div / clock */
    return (int64_t)((uint64_t)4 * bits * 16 * div * 1000000000ull / hz);
}

static void uart_rearm_timeout(Uart *s)
{
    if ((s->fcr & FCR_FIFOE) && s->rx_count > 0)
        loom_timer_mod(s->timeout_timer, loom_clock_ns() + uart_timeout_ns(s));
    else
        loom_timer_del(s->timeout_timer);
}

static void uart_timeout_cb(void *opaque)
{
    Uart *s = opaque;

    if ((s->fcr & FCR_FIFOE) && s->rx_count > 0) {
        s->rx_timeout = true;
        uart_update_irq(s);
    }
}

static void uart_rx_clear(Uart *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->rx_timeout = false;
    s->lsr &= ~LSR_DR;
    loom_timer_del(s->timeout_timer);
}

/* One character arrives at the receiver (console or loopback). */
static void uart_rx_push(Uart *s, uint8_t byte)
{
    if (s->rx_count >= rx_depth(s)) {
        /* Overrun: the new character is lost (FIFO mode) or overwrites
           the holding register (non-FIFO mode). */
        s->lsr |= LSR_OE;
        if (!(s->fcr & FCR_FIFOE))
            s->rx_fifo[s->rx_head] = byte;
    } else {
        s->rx_fifo[(s->rx_head + s->rx_count) % UART_FIFO_SIZE] = byte;
        s->rx_count++;
        s->lsr |= LSR_DR;
    }
    s->rx_timeout = false;
    uart_rearm_timeout(s);
    uart_update_irq(s);
}

static uint8_t uart_rx_pop(Uart *s)
{
    uint8_t byte;

    if (s->rx_count == 0)
        return 0;
    byte = s->rx_fifo[s->rx_head];
    s->rx_head = (s->rx_head + 1) % UART_FIFO_SIZE;
    s->rx_count--;
    if (s->rx_count == 0)
        s->lsr &= ~LSR_DR;
    s->rx_timeout = false;
    uart_rearm_timeout(s);
    return byte;
}

/* MSR bits 4..7 as the modem inputs present them now. */
static uint8_t uart_modem_inputs(const Uart *s)
{
    uint8_t in = 0;

    if (!(s->mcr & MCR_LOOP))
        return MSR_CTS | MSR_DSR | MSR_DCD;
    if (s->mcr & MCR_RTS)
        in |= MSR_CTS;
    if (s->mcr & MCR_DTR)
        in |= MSR_DSR;
    if (s->mcr & MCR_OUT1)
        in |= MSR_RI;
    if (s->mcr & MCR_OUT2)
        in |= MSR_DCD;
    return in;
}

/* Latch new modem inputs into MSR, accumulating the delta bits. */
static void uart_update_msr(Uart *s)
{
    uint8_t old = s->msr & 0xf0;
    uint8_t new = uart_modem_inputs(s);
    uint8_t changed = old ^ new;
    uint8_t deltas = s->msr & MSR_DELTAS;

    if (changed & MSR_CTS)
        deltas |= MSR_DCTS;
    if (changed & MSR_DSR)
        deltas |= MSR_DDSR;
    if ((old & MSR_RI) && !(new & MSR_RI))
        deltas |= MSR_TERI;          /* trailing edge only */
    if (changed & MSR_DCD)
        deltas |= MSR_DDCD;
    s->msr = new | deltas;
}

static void uart_transmit(Uart *s, uint8_t byte)
{
    if (s->mcr & MCR_LOOP)
        uart_rx_push(s, byte);
    else if (s->chr)
        loom_chr_write(s->chr, &byte, 1);
    /* Instant transmission: THR and the shift register are empty again. */
    s->lsr |= LSR_THRE | LSR_TEMT;
    s->thri_pending = true;
}

static bool uart_can_receive(void *opaque);
static void uart_receive(void *opaque, uint8_t byte);

/* After the receiver refused input the core holds it until told that
   there is room again. */
static void uart_accept_input(Uart *s)
{
    if (s->rx_blocked && uart_can_receive(s)) {
        s->rx_blocked = false;
        loom_chr_accept_input(s->chr);
    }
}

/* Map an MMIO offset to a register index; -1 for a bad access. */
static int uart_reg_index(Uart *s, uint64_t offset, unsigned size)
{
    uint64_t stride = (uint64_t)1 << s->reg_shift;

    if (offset & (stride - 1)) {
        loom_device_guest_error(s->dev, "access between registers", offset, size);
        return -1;
    }
    if ((offset >> s->reg_shift) > REG_SCR) {
        loom_device_guest_error(s->dev, "access past the last register", offset, size);
        return -1;
    }
    if (size > stride && size > 1)
        loom_device_guest_error(s->dev, "access wider than a register (low byte used)",
                         offset, size);
    return (int)(offset >> s->reg_shift);
}

static uint64_t uart_read(void *opaque, uint64_t offset, unsigned size,
                          LoomMemAttrs attrs)
{
    Uart *s = opaque;
    int reg = uart_reg_index(s, offset, size);
    uint8_t val = 0;

    switch (reg) {
    case REG_RBR_THR:
        if (s->lcr & LCR_DLAB) {
            val = s->divisor & 0xff;
        } else {
            val = uart_rx_pop(s);
            uart_update_irq(s);
        }
        break;
    case REG_IER:
        val = (s->lcr & LCR_DLAB) ? s->divisor >> 8 : s->ier;
        break;
    case REG_IIR_FCR:
        val = uart_pending_iid(s);
        /* Reading IIR while it reports THR-empty clears that source. */
        if (val == IIR_THRI) {
            s->thri_pending = false;
            uart_update_irq(s);
        }
        if (s->fcr & FCR_FIFOE)
            val |= IIR_FIFOS;
        break;
    case REG_LCR:
        val = s->lcr;
        break;
    case REG_MCR:
        val = s->mcr;
        break;
    case REG_LSR:
        val = s->lsr;
        if (s->lsr & LSR_ERRORS) {
            s->lsr &= ~LSR_ERRORS;
            uart_update_irq(s);
        }
        break;
    case REG_MSR:
        val = s->msr;
        if (s->msr & MSR_DELTAS) {
            s->msr &= ~MSR_DELTAS;
            uart_update_irq(s);
        }
        break;
    case REG_SCR:
        val = s->scr;
        break;
    default:            /* bad access, already logged */
        break;
    }
    uart_accept_input(s);
    return val;
}

static void uart_write_fcr(Uart *s, uint8_t val)
{
    /* The other FCR bits are programmed only together with FIFOE. */
    if (!(val & FCR_FIFOE))
        val = 0;
    /* Changing FIFOE resets both FIFOs (datasheet). */
    if ((val ^ s->fcr) & FCR_FIFOE)
        val |= FCR_RXRST | FCR_TXRST;
    if (val & FCR_RXRST)
        uart_rx_clear(s);
    /* The transmit FIFO is always empty (instant transmission). */
    s->fcr = val & (FCR_FIFOE | FCR_TRIG_MASK);
    uart_rearm_timeout(s);
}

static void uart_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size,
                       LoomMemAttrs attrs)
{
    Uart *s = opaque;
    int reg = uart_reg_index(s, offset, size);
    uint8_t val = (uint8_t)value;

    switch (reg) {
    case REG_RBR_THR:
        if (s->lcr & LCR_DLAB) {
            s->divisor = (s->divisor & 0xff00) | val;
        } else {
            s->thri_pending = false;
            uart_transmit(s, val);
        }
        break;
    case REG_IER:
        if (s->lcr & LCR_DLAB) {
            s->divisor = (s->divisor & 0x00ff) | (uint16_t)val << 8;
        } else {
            uint8_t old = s->ier;

            s->ier = val & IER_MASK;
            /* Enabling ETBEI with THR empty raises THR-empty at once. */
            if (!(old & IER_ETBEI) && (s->ier & IER_ETBEI) &&
                (s->lsr & LSR_THRE))
                s->thri_pending = true;
        }
        break;
    case REG_IIR_FCR:
        uart_write_fcr(s, val);
        break;
    case REG_LCR:
        s->lcr = val;
        break;
    case REG_MCR:
        /* Loopback on/off also (dis)connects console input, which
           uart_can_receive reports. */
        s->mcr = val & MCR_MASK;
        uart_update_msr(s);
        break;
    case REG_LSR:
    case REG_MSR:
        /* Read-only; writes are a factory-test feature.  Ignore. */
        break;
    case REG_SCR:
        s->scr = val;
        break;
    default:            /* bad access, already logged */
        return;
    }
    uart_update_irq(s);
    uart_accept_input(s);
}

static const LoomMMIOOps uart_mmio_ops = {
    .read = uart_read,
    .write = uart_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- console input --- */

static bool uart_can_receive(void *opaque)
{
    Uart *s = opaque;
    /* Loopback disconnects the serial input from the receiver. */
    bool ok = !(s->mcr & MCR_LOOP) && s->rx_count < rx_depth(s);

    if (!ok)
        s->rx_blocked = true;
    return ok;
}

static void uart_receive(void *opaque, uint8_t byte)
{
    Uart *s = opaque;

    if (!uart_can_receive(s))
        return;         /* the core promised not to; drop rather than overrun */
    uart_rx_push(s, byte);
}

/* --- lifecycle --- */

static const LoomPropInfo uart_props[] = {
    { "reg", LOOM_PROP_REG, NULL,
      "MMIO base[,size]; size defaults to 8 << reg-shift" },
    { "reg-shift", LOOM_PROP_U64, "0",
      "log2 of the distance between registers (0..3)" },
    { "irq", LOOM_PROP_IRQ, "",
      "interrupt line, e.g. plic.10; empty = not wired" },
    { "clock-frequency", LOOM_PROP_U64, "3686400",
      "input clock in Hz (baud = clock / (16 * divisor))" },
    { NULL, 0, NULL, NULL },
};

static const char *const uart_compatible[] = { "ns16550a", NULL };

static void uart_reset(void *opaque)
{
    Uart *s = opaque;

    /* Master reset (datasheet table): the divisor latch and SCR keep
       their values. */
    s->ier = 0;
    s->fcr = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr = LSR_THRE | LSR_TEMT;
    s->msr = uart_modem_inputs(s);
    s->thri_pending = false;
    uart_rx_clear(s);
    uart_update_irq(s);
    uart_accept_input(s);
}

static void *uart_create(LoomDevice *dev, char **err)
{
    uint64_t base, size, shift, hz;
    Uart *s;

    loom_device_prop_reg(dev, "reg", &base, &size);
    shift = loom_device_prop_u64(dev, "reg-shift");
    hz = loom_device_prop_u64(dev, "clock-frequency");
    if (shift > 3) {
        *err = g_strdup_printf("reg-shift=%" G_GUINT64_FORMAT " is out of "
                               "range: use 0, 1, 2 or 3", shift);
        return NULL;
    }
    if (hz == 0) {
        *err = g_strdup("clock-frequency=0 is invalid: give the UART input "
                        "clock in Hz");
        return NULL;
    }
    if (size == 0)
        size = (uint64_t)8 << shift;
    if (size < ((uint64_t)8 << shift)) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x is too "
                               "small for 8 registers at reg-shift=%"
                               G_GUINT64_FORMAT ": use at least 0x%"
                               G_GINT64_MODIFIER "x", size, shift,
                               (uint64_t)8 << shift);
        return NULL;
    }

    s = g_new0(Uart, 1);
    s->dev = dev;
    s->reg_shift = (unsigned)shift;
    s->clock_hz = hz;
    s->divisor = 1;
    s->chr = loom_device_chardev(dev);
    s->timeout_timer = loom_timer_new(loom_device_machine(dev),
                                      uart_timeout_cb, s);
    if (!loom_device_map_mmio(dev, base, size, &uart_mmio_ops, s, err)) {
        loom_timer_free(s->timeout_timer);
        g_free(s);
        return NULL;
    }
    uart_reset(s);
    return s;
}

static bool uart_realize(void *opaque, LoomDevice *dev, char **err)
{
    Uart *s = opaque;
    const char *irq_name = loom_device_prop_str(dev, "irq");

    if (irq_name && irq_name[0]) {
        s->irq = loom_device_prop_irq(dev, "irq", err);
        if (!s->irq)
            return false;
        /* The line may have been computed high before it was wired. */
        if (s->irq_level)
            loom_irq_set(s->irq, s->irq_level);
    }
    if (s->chr)
        loom_chr_set_handlers(s->chr, uart_can_receive, uart_receive, s);
    return true;
}

static void uart_destroy(void *opaque)
{
    Uart *s = opaque;

    if (s->chr)
        loom_chr_set_handlers(s->chr, NULL, NULL, NULL);
    loom_timer_free(s->timeout_timer);
    g_free(s);
}

/* serial@BASE { compatible; reg; clock-frequency; [reg-shift;]
   interrupt-parent + interrupts when irq is wired } */
static bool uart_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt,
                          char **err)
{
    Uart *s = opaque;
    void *blob = loom_fdt_blob(fdt);
    uint64_t base, size;
    char name[40];
    int node, rc;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = (uint64_t)8 << s->reg_shift;
    snprintf(name, sizeof(name), "serial@%" G_GINT64_MODIFIER "x", base);
    node = loom_fdt_add_node(fdt, "serial", base, size, uart_compatible);
    rc = node < 0 ? node : 0;
    if (!rc && s->clock_hz > UINT32_MAX)    /* one cell unless it must not */
        rc = fdt_setprop_u64(blob, node, "clock-frequency", s->clock_hz);
    else if (!rc)
        rc = fdt_setprop_u32(blob, node, "clock-frequency",
                             (uint32_t)s->clock_hz);
    if (!rc && s->reg_shift)
        rc = fdt_setprop_u32(blob, node, "reg-shift", s->reg_shift);
    if (rc) {
        *err = g_strdup_printf("%s: %s", name, fdt_strerror(rc));
        return false;
    }
    return loom_fdt_set_irq(fdt, node, dev, "irq", err);
}

static const LoomDeviceOps uart_ops = {
    .compatible = uart_compatible,
    .props = uart_props,
    .lockless_mmio = false,
    .create = uart_create,
    .realize = uart_realize,
    .reset = uart_reset,
    .destroy = uart_destroy,
    .fdt_node = uart_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "ns16550a", "1.0", "MIT",
                   "NS16550A UART", &uart_ops);
