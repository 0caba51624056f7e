/*
 * pl011.c - the Arm PrimeCell UART (PL011), register model from the
 * PL011 Technical Reference Manual (r1p5):
 *
 *   off    name        read                        write
 *   0x000  UARTDR      data | error bits 11:8      transmit
 *   0x004  UARTRSR     error bits 3:0              UARTECR: clear them
 *   0x018  UARTFR      flags (read-only)
 *   0x020  UARTILPR    IrDA low-power divisor (stored)
 *   0x024  UARTIBRD    integer baud divisor (16 bits)
 *   0x028  UARTFBRD    fractional baud divisor (6 bits)
 *   0x02c  UARTLCR_H   line control (8 bits; FEN is bit 4)
 *   0x030  UARTCR      control (16 bits; reset 0x0300: TXE, RXE)
 *   0x034  UARTIFLS    FIFO trigger levels (6 bits; reset 0x12: 1/2, 1/2)
 *   0x038  UARTIMSC    interrupt mask (11 bits)
 *   0x03c  UARTRIS     raw interrupt status (read-only)
 *   0x040  UARTMIS     masked interrupt status (read-only)
 *   0x044  UARTICR     interrupt clear (write-only)
 *   0x048  UARTDMACR   DMA control (3 bits, stored; no DMA)
 *   0xfe0..0xffc       PrimeCell IDs: UARTPeriphID0-3 = 0x11 0x10 0x34
 *                      0x00 (part 0x011, designer Arm, revision 3 = r1p5),
 *                      UARTPCellID0-3 = 0x0d 0xf0 0x05 0xb1
 *
 * Interrupts (UARTRIS bits): 0 RI, 1 CTS, 2 DCD, 3 DSR modem status
 * changes; 4 RX; 5 TX; 6 RT receive timeout; 7 FE, 8 PE, 9 BE, 10 OE
 * errors.  The one output, UARTINTR, is the OR of UARTMIS.
 *
 * Model choices:
 *  - Transmission is instant: the transmit FIFO is always empty (FR.TXFE
 *    set, TXFF and BUSY clear), and every character written sets the TX
 *    interrupt (the FIFO passed through its trigger level on the way
 *    down), which stays until UARTICR clears it.
 *  - The receive FIFO holds 32 characters with LCR_H.FEN set, 1 without;
 *    console input is taken only while there is room (no overrun except
 *    in loopback).  RX is raised when a character arrives and the FIFO
 *    holds at least the trigger level (IFLS bits 5:3: 1/8, 1/4, 1/2,
 *    3/4, 7/8 of 32; every character without FEN) and lowered when
 *    reads take it below that level or by UARTICR.  RT is raised 32 bit
 *    periods after the last character arrived while the FIFO is not
 *    empty, and lowered when the FIFO empties or by UARTICR.  Changing
 *    FEN empties the receive FIFO.
 *  - UARTCR.UARTEN does not gate the UART: loom starts kernels without
 *    the firmware that would set it, and Linux's earlycon writes to a
 *    UART it expects enabled.  TXE and RXE do gate it (reset: set):
 *    with TXE clear writes to UARTDR are dropped, with RXE clear input
 *    waits.
 *  - Modem inputs: a connected terminal (CTS, DSR, DCD asserted, RI not);
 *    in loopback (UARTCR.LBE) CTS follows RTS, DSR follows DTR, DCD
 *    follows Out1 and RI follows Out2, and changes raise the modem
 *    status interrupts.  Line errors and breaks never happen.
 *  - Registers take 1-, 2- and 4-byte accesses at their offset (Linux
 *    uses 16- and 32-bit ones); other accesses are guest errors, logged
 *    with -d guest_errors and ignored (reads return 0).
 *
 * Locking: every entry point (MMIO, console input, the timeout timer,
 * reset) runs with the BQL held, which protects all of Pl011.
 */
#include <assert.h>
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

#define PL011_FIFO_SIZE 32
#define PL011_MMIO_SIZE 0x1000

enum {
    REG_DR = 0x000, REG_RSR = 0x004, REG_FR = 0x018, REG_ILPR = 0x020,
    REG_IBRD = 0x024, REG_FBRD = 0x028, REG_LCR_H = 0x02c, REG_CR = 0x030,
    REG_IFLS = 0x034, REG_IMSC = 0x038, REG_RIS = 0x03c, REG_MIS = 0x040,
    REG_ICR = 0x044, REG_DMACR = 0x048, REG_ID_BASE = 0xfe0,
};

enum {
    FR_CTS = 1u << 0, FR_DSR = 1u << 1, FR_DCD = 1u << 2, FR_BUSY = 1u << 3,
    FR_RXFE = 1u << 4, FR_TXFF = 1u << 5, FR_RXFF = 1u << 6, FR_TXFE = 1u << 7,
    FR_RI = 1u << 8,
    FR_MODEM = FR_CTS | FR_DSR | FR_DCD | FR_RI,

    LCR_H_FEN = 1u << 4,

    CR_UARTEN = 1u << 0, CR_LBE = 1u << 7, CR_TXE = 1u << 8, CR_RXE = 1u << 9,
    CR_DTR = 1u << 10, CR_RTS = 1u << 11, CR_OUT1 = 1u << 12, CR_OUT2 = 1u << 13,
    CR_RESET = CR_TXE | CR_RXE,

    INT_RI = 1u << 0, INT_CTS = 1u << 1, INT_DCD = 1u << 2, INT_DSR = 1u << 3,
    INT_RX = 1u << 4, INT_TX = 1u << 5, INT_RT = 1u << 6, INT_FE = 1u << 7,
    INT_PE = 1u << 8, INT_BE = 1u << 9, INT_OE = 1u << 10,
    INT_ALL = 0x7ff,

    DR_OE = 1u << 11,
    RSR_OE = 1u << 3,
    IFLS_RESET = 0x12,
};

/* The PrimeCell identification registers, 0xfe0 .. 0xffc (TRM r1p5). */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* Invariants (pl011_sanity): rx_count <= rx_depth() <= PL011_FIFO_SIZE;
   rx_head < PL011_FIFO_SIZE; RT is raised only with rx_count > 0; the
   irq output is (ris & imsc) != 0. */
typedef struct Pl011 {
    LoomDevice *dev;
    LoomChardev *chr;           /* NULL: output dropped, no input */
    LoomIRQ *irq;               /* NULL: not wired */
    LoomTimer *rt_timer;        /* the receive timeout */
    uint64_t clock_hz;          /* UARTCLK */

    uint16_t rx_fifo[PL011_FIFO_SIZE];  /* data | error bits 11:8 */
    unsigned rx_head, rx_count;
    bool rx_blocked;            /* can_receive refused waiting input */
    int irq_level;

    uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
    uint32_t modem;             /* FR_MODEM bits as the inputs show them */
} Pl011;

static G_GNUC_UNUSED bool pl011_sanity(const Pl011 *s);

static unsigned rx_depth(const Pl011 *s)
{
    return (s->lcr_h & LCR_H_FEN) ? PL011_FIFO_SIZE : 1;
}

/* Characters at which RX is raised (IFLS.RXIFLSEL, bits 5:3). */
static unsigned rx_trigger(const Pl011 *s)
{
    static const unsigned eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };

    if (!(s->lcr_h & LCR_H_FEN))
        return 1;
    return PL011_FIFO_SIZE * eighths[(s->ifls >> 3) & 7] / 8;
}

static bool pl011_sanity(const Pl011 *s)
{
    return s->rx_count <= rx_depth(s) && s->rx_head < PL011_FIFO_SIZE &&
           (!(s->ris & INT_RT) || s->rx_count > 0) &&
           s->irq_level == ((s->ris & s->imsc) != 0);
}

static void pl011_update_irq(Pl011 *s)
{
    int level = (s->ris & s->imsc) != 0;

    if (level != s->irq_level) {
        s->irq_level = level;
        if (s->irq)
            loom_irq_set(s->irq, level);
    }
    assert(pl011_sanity(s));
}

/* 32 bit periods at the programmed baud rate, in ns: baud = UARTCLK /
   (16 * (IBRD + FBRD / 64)), so a bit lasts 16 * (64 * IBRD + FBRD) / 64
   clocks.  An unprogrammed divisor (0) counts as 115200 baud. */
static int64_t pl011_timeout_ns(const Pl011 *s)
{
    uint64_t div64 = 64 * (uint64_t)s->ibrd + s->fbrd;

    if (s->ibrd == 0)
        return (int64_t)(32 * 1000000000ull / 115200);
    return (int64_t)((unsigned __int128)32 * 16 * div64 * 1000000000ull /
                     (64 * (unsigned __int128)s->clock_hz));
}

static void pl011_rearm_timeout(Pl011 *s)
{
    if (s->rx_count > 0)
        loom_timer_mod(s->rt_timer, loom_clock_ns() + pl011_timeout_ns(s));
    else
        loom_timer_del(s->rt_timer);
}

static void pl011_timeout_cb(void *opaque)
{
    Pl011 *s = opaque;

    if (s->rx_count > 0) {
        s->ris |= INT_RT;
        pl011_update_irq(s);
    }
}

static void pl011_rx_clear(Pl011 *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->ris &= ~(INT_RX | INT_RT);
    loom_timer_del(s->rt_timer);
}

/* One character arrives at the receiver (console or loopback). */
static void pl011_rx_push(Pl011 *s, uint8_t byte)
{
    if (s->rx_count >= rx_depth(s)) {
        /* Overrun: the character is lost; the error goes with the
           character already at the FIFO's end. */
        unsigned last = (s->rx_head + s->rx_count - 1) % PL011_FIFO_SIZE;

        s->rx_fifo[last] |= DR_OE;
        s->ris |= INT_OE;
    } else {
        s->rx_fifo[(s->rx_head + s->rx_count) % PL011_FIFO_SIZE] = byte;
        s->rx_count++;
    }
    if (s->rx_count >= rx_trigger(s))
        s->ris |= INT_RX;
    pl011_rearm_timeout(s);
    pl011_update_irq(s);
}

static uint32_t pl011_rx_pop(Pl011 *s)
{
    uint32_t val;

    if (s->rx_count == 0)
        return 0;
    val = s->rx_fifo[s->rx_head];
    s->rx_head = (s->rx_head + 1) % PL011_FIFO_SIZE;
    s->rx_count--;
    /* the error bits of the character read show in UARTRSR too */
    s->rsr = (val >> 8) & 0xf;
    if (s->rx_count < rx_trigger(s))
        s->ris &= ~INT_RX;
    if (s->rx_count == 0)
        s->ris &= ~INT_RT;
    pl011_rearm_timeout(s);
    return val;
}

/* FR's modem bits as the inputs are now: a connected terminal, or in
   loopback the UART's own outputs. */
static uint32_t pl011_modem_inputs(const Pl011 *s)
{
    uint32_t in = 0;

    if (!(s->cr & CR_LBE))
        return FR_CTS | FR_DSR | FR_DCD;
    if (s->cr & CR_RTS)
        in |= FR_CTS;
    if (s->cr & CR_DTR)
        in |= FR_DSR;
    if (s->cr & CR_OUT1)
        in |= FR_DCD;
    if (s->cr & CR_OUT2)
        in |= FR_RI;
    return in;
}

/* Latch the modem inputs; a change raises its status interrupt. */
static void pl011_update_modem(Pl011 *s)
{
    uint32_t in = pl011_modem_inputs(s);
    uint32_t changed = in ^ s->modem;

    if (changed & FR_RI)
        s->ris |= INT_RI;
    if (changed & FR_CTS)
        s->ris |= INT_CTS;
    if (changed & FR_DCD)
        s->ris |= INT_DCD;
    if (changed & FR_DSR)
        s->ris |= INT_DSR;
    s->modem = in;
}

static bool pl011_can_receive(void *opaque);

/* After the receiver refused input the core holds it until told that
   there is room again. */
static void pl011_accept_input(Pl011 *s)
{
    if (s->rx_blocked && pl011_can_receive(s)) {
        s->rx_blocked = false;
        loom_chr_accept_input(s->chr);
    }
}

static void pl011_transmit(Pl011 *s, uint8_t byte)
{
    if (!(s->cr & CR_TXE))
        return;
    if (s->cr & CR_LBE) {
        if (s->cr & CR_RXE)
            pl011_rx_push(s, byte);
    } else if (s->chr) {
        loom_chr_write(s->chr, &byte, 1);
    }
    s->ris |= INT_TX;
}

static bool pl011_access_ok(Pl011 *s, uint64_t offset, unsigned size, bool write)
{
    if (size > 4 || (offset & 3)) {
        loom_device_guest_error(s->dev, write ? "write needs a 1-, 2- or 4-byte access at a register"
                                   : "read needs a 1-, 2- or 4-byte access at a register",
                          offset, size);
        return false;
    }
    return true;
}

static uint64_t pl011_read(void *opaque, uint64_t offset, unsigned size, LoomMemAttrs attrs)
{
    Pl011 *s = opaque;
    uint32_t val = 0;

    if (!pl011_access_ok(s, offset, size, false))
        return 0;
    switch (offset) {
    case REG_DR:
        val = pl011_rx_pop(s);
        pl011_update_irq(s);
        pl011_accept_input(s);
        break;
    case REG_RSR:
        val = s->rsr;
        break;
    case REG_FR:
        val = FR_TXFE | s->modem;
        if (s->rx_count == 0)
            val |= FR_RXFE;
        if (s->rx_count >= rx_depth(s))
            val |= FR_RXFF;
        break;
    case REG_ILPR:
        val = s->ilpr;
        break;
    case REG_IBRD:
        val = s->ibrd;
        break;
    case REG_FBRD:
        val = s->fbrd;
        break;
    case REG_LCR_H:
        val = s->lcr_h;
        break;
    case REG_CR:
        val = s->cr;
        break;
    case REG_IFLS:
        val = s->ifls;
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
    case REG_DMACR:
        val = s->dmacr;
        break;
    default:
        if (offset >= REG_ID_BASE && offset < PL011_MMIO_SIZE) {
            val = pl011_id[(offset - REG_ID_BASE) / 4];
            break;
        }
        loom_device_guest_error(s->dev, offset == REG_ICR ? "read of the write-only UARTICR"
                                               : "read of an absent register",
                          offset, size);
        return 0;
    }
    return size == 4 ? val : val & ((1u << (size * 8)) - 1);
}

static void pl011_write(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                        LoomMemAttrs attrs)
{
    Pl011 *s = opaque;
    uint32_t val = (uint32_t)value;

    if (!pl011_access_ok(s, offset, size, true))
        return;
    switch (offset) {
    case REG_DR:
        pl011_transmit(s, (uint8_t)val);
        break;
    case REG_RSR:               /* UARTECR: any write clears the errors */
        s->rsr = 0;
        break;
    case REG_ILPR:
        s->ilpr = val & 0xff;
        break;
    case REG_IBRD:
        s->ibrd = val & 0xffff;
        break;
    case REG_FBRD:
        s->fbrd = val & 0x3f;
        break;
    case REG_LCR_H:
        if ((val ^ s->lcr_h) & LCR_H_FEN)
            pl011_rx_clear(s);
        s->lcr_h = val & 0xff;
        break;
    case REG_CR:
        s->cr = val & 0xffff;
        pl011_update_modem(s);
        break;
    case REG_IFLS:
        s->ifls = val & 0x3f;
        break;
    case REG_IMSC:
        s->imsc = val & INT_ALL;
        break;
    case REG_ICR:
        s->ris &= ~(val & INT_ALL);
        break;
    case REG_DMACR:
        s->dmacr = val & 0x7;
        break;
    case REG_FR:
    case REG_RIS:
    case REG_MIS:
        loom_device_guest_error(s->dev, "write to a read-only register ignored", offset, size);
        return;
    default:
        loom_device_guest_error(s->dev, offset >= REG_ID_BASE ? "write to an ID register ignored"
                                                   : "write to an absent register ignored",
                          offset, size);
        return;
    }
    pl011_update_irq(s);
    /* input that waited for room, for RXE or for loopback to end */
    pl011_accept_input(s);
}

static const LoomMMIOOps pl011_mmio_ops = {
    .read = pl011_read,
    .write = pl011_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

/* --- console input --- */

static bool pl011_can_receive(void *opaque)
{
    Pl011 *s = opaque;
    /* loopback disconnects the serial input from the receiver */
    bool ok = (s->cr & CR_RXE) && !(s->cr & CR_LBE) && s->rx_count < rx_depth(s);

    if (!ok)
        s->rx_blocked = true;
    return ok;
}

static void pl011_receive(void *opaque, uint8_t byte)
{
    Pl011 *s = opaque;

    if (!pl011_can_receive(s))
        return;         /* the core promised not to; drop rather than overrun */
    pl011_rx_push(s, byte);
}

/* --- lifecycle --- */

static const LoomPropInfo pl011_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "MMIO base[,size]; size defaults to 0x1000" },
    { "irq", LOOM_PROP_IRQ, "", "interrupt line, e.g. gic.33; empty = not wired" },
    { "clock-frequency", LOOM_PROP_U64, "24000000",
      "UARTCLK in Hz (baud = clock / (16 * divisor)), the device tree's apb-pclk" },
    { NULL, 0, NULL, NULL },
};

static const char *const pl011_compatible[] = { "arm,pl011", "arm,primecell", NULL };

static void pl011_reset(void *opaque)
{
    Pl011 *s = opaque;

    s->rsr = s->ilpr = s->ibrd = s->fbrd = s->lcr_h = 0;
    s->imsc = s->ris = s->dmacr = 0;
    s->cr = CR_RESET;
    s->ifls = IFLS_RESET;
    s->modem = pl011_modem_inputs(s);
    pl011_rx_clear(s);
    pl011_update_irq(s);
    pl011_accept_input(s);
}

static void *pl011_create(LoomDevice *dev, char **err)
{
    uint64_t base, size, hz;
    Pl011 *s;

    loom_device_prop_reg(dev, "reg", &base, &size);
    hz = loom_device_prop_u64(dev, "clock-frequency");
    if (size == 0)
        size = PL011_MMIO_SIZE;
    if (size < PL011_MMIO_SIZE) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x does not reach the ID "
                               "registers at 0xfe0..0xfff: use 0x1000", size);
        return NULL;
    }
    if (hz == 0 || hz > UINT32_MAX) {
        *err = g_strdup_printf("clock-frequency=%" G_GUINT64_FORMAT " is out of range: give "
                               "UARTCLK in Hz, 1 to 4294967295", hz);
        return NULL;
    }
    s = g_new0(Pl011, 1);
    s->dev = dev;
    s->clock_hz = hz;
    s->chr = loom_device_chardev(dev);
    s->rt_timer = loom_timer_new(loom_device_machine(dev), pl011_timeout_cb, s);
    if (!loom_device_map_mmio(dev, base, size, &pl011_mmio_ops, s, err)) {
        loom_timer_free(s->rt_timer);
        g_free(s);
        return NULL;
    }
    pl011_reset(s);
    return s;
}

static bool pl011_realize(void *opaque, LoomDevice *dev, char **err)
{
    Pl011 *s = opaque;
    const char *irq_name = loom_device_prop_str(dev, "irq");

    if (irq_name && irq_name[0]) {
        s->irq = loom_device_prop_irq(dev, "irq", err);
        if (!s->irq)
            return false;
        if (s->irq_level)
            loom_irq_set(s->irq, s->irq_level);
    }
    if (s->chr)
        loom_chr_set_handlers(s->chr, pl011_can_receive, pl011_receive, s);
    return true;
}

static void pl011_destroy(void *opaque)
{
    Pl011 *s = opaque;

    if (s->chr)
        loom_chr_set_handlers(s->chr, NULL, NULL, NULL);
    loom_timer_free(s->rt_timer);
    g_free(s);
}

/*
 * The fixed clock feeding UARTCLK and the APB clock, as Linux's binding
 * wants (clocks = <&clk &clk>, clock-names = "uartclk", "apb_pclk"): one
 * root node /apb-pclk { compatible = "fixed-clock"; #clock-cells = <0>;
 * clock-frequency; clock-output-names }, shared by every PL011 of the
 * same clock-frequency (the first hook to run adds it, with its own
 * device's phandle, which no other node uses).  Returns its phandle, or
 * a negative libfdt error.
 */
static int64_t pl011_fdt_clock(Pl011 *s, LoomDevice *dev, LoomFdt *fdt)
{
    void *blob = loom_fdt_blob(fdt);
    char name[48];
    uint32_t phandle;
    int node, rc;

    snprintf(name, sizeof(name), "apb-pclk");
    node = fdt_subnode_offset(blob, 0, name);
    if (node >= 0) {
        const fdt32_t *hz = fdt_getprop(blob, node, "clock-frequency", NULL);

        if (hz && fdt32_to_cpu(*hz) == s->clock_hz && fdt_get_phandle(blob, node))
            return fdt_get_phandle(blob, node);
        /* another clock rate: a node of this device's own */
        snprintf(name, sizeof(name), "apb-pclk-%s", loom_device_name(dev));
    }
    phandle = loom_fdt_device_phandle(fdt, dev);
    node = fdt_add_subnode(blob, 0, name);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_string(blob, node, "compatible", "fixed-clock");
    rc = rc ? rc : fdt_setprop_u32(blob, node, "#clock-cells", 0);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "clock-frequency", (uint32_t)s->clock_hz);
    rc = rc ? rc : fdt_setprop_string(blob, node, "clock-output-names", name);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "phandle", phandle);
    return rc ? rc : (int64_t)phandle;
}

/* serial@BASE { compatible = "arm,pl011", "arm,primecell"; reg; clocks;
   clock-names; interrupt-parent + interrupts when irq is wired }.  The
   name serial@ makes it /chosen's stdout-path (core/fdt.c). */
static bool pl011_fdt_node(void *opaque, LoomDevice *dev, LoomFdt *fdt, char **err)
{
    static const char clock_names[] = "uartclk\0apb_pclk";
    Pl011 *s = opaque;
    void *blob;
    uint64_t base, size;
    int64_t clk;
    int node, rc;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = PL011_MMIO_SIZE;
    clk = pl011_fdt_clock(s, dev, fdt);
    if (clk < 0) {
        *err = g_strdup_printf("apb-pclk: %s", fdt_strerror((int)clk));
        return false;
    }
    node = loom_fdt_add_node(fdt, "serial", base, size, pl011_compatible);
    blob = loom_fdt_blob(fdt);
    rc = node < 0 ? node : 0;
    if (!rc) {
        fdt32_t cells[2] = { cpu_to_fdt32((uint32_t)clk), cpu_to_fdt32((uint32_t)clk) };

        rc = fdt_setprop(blob, node, "clocks", cells, sizeof(cells));
    }
    rc = rc ? rc : fdt_setprop(blob, node, "clock-names", clock_names, sizeof(clock_names));
    if (rc) {
        *err = g_strdup_printf("serial@%" G_GINT64_MODIFIER "x: %s", base, fdt_strerror(rc));
        return false;
    }
    return loom_fdt_set_irq(fdt, node, dev, "irq", err);
}

static const LoomDeviceOps pl011_ops = {
    .compatible = pl011_compatible,
    .props = pl011_props,
    .lockless_mmio = false,
    .create = pl011_create,
    .realize = pl011_realize,
    .reset = pl011_reset,
    .destroy = pl011_destroy,
    .fdt_node = pl011_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "pl011", "1.0", "MIT",
                   "Arm PrimeCell UART (PL011) with a 32-byte receive FIFO", &pl011_ops);
