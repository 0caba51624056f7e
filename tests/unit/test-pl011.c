/*
 * Unit tests of the PL011 UART (plugins/devices/pl011), built with its
 * source and the core's device API stubbed (device-stubs.c): register
 * values, the console, the receive FIFO, interrupts and the device tree.
 *
 *  /pl011/reset            the TRM's reset values and PrimeCell IDs
 *  /pl011/transmit         UARTDR to the console; TX interrupt, UARTICR,
 *                          TXE gating
 *  /pl011/receive-timeout  console input, RX below the trigger level,
 *                          RT 32 bit periods later, RXFE after reads
 *  /pl011/receive-trigger  RX at the trigger level and below it again
 *  /pl011/receive-full     input waits while the FIFO (or the 1-byte
 *                          holding register) is full
 *  /pl011/loopback         LBE: transmit into the receiver; modem bits
 *  /pl011/bad-access       wrong sizes, read-only and absent registers
 *  /pl011/fdt              serial@ node, clocks and /apb-pclk
 *  /pl011/bad-props        one-line errors for a short reg, a 0 clock
 *  /pl011/random-access    200000 random accesses, input and time: no
 *                          crash, the invariants hold
 */
#include <string.h>
#include <libfdt.h>
#include "device-stubs.h"

enum {
    DR = 0x000, RSR = 0x004, FR = 0x018, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02c,
    CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044,
};

#define IRQ "gic.33"

static void *uart_new(void)
{
    char *err = NULL;
    void *s;

    stub_reset(1);
    stub_set_prop("reg", "0x9000000,0x1000");
    stub_set_prop("irq", IRQ);
    s = stub_device_new(&err);
    g_assert_null(err);
    g_assert_nonnull(s);
    return s;
}

static uint32_t rd(uint64_t off)
{
    return (uint32_t)stub_read(0, off, 4, 0);
}

static void wr(uint64_t off, uint32_t val)
{
    stub_write(0, off, val, 4, 0);
}

static void test_reset(void)
{
    static const uint32_t ids[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    void *s = uart_new();

    g_assert_cmphex(rd(FR), ==, 0x97);          /* TXFE RXFE DCD DSR CTS */
    g_assert_cmphex(rd(CR), ==, 0x300);
    g_assert_cmphex(rd(IFLS), ==, 0x12);
    g_assert_cmphex(rd(LCR_H), ==, 0);
    g_assert_cmphex(rd(IMSC), ==, 0);
    g_assert_cmphex(rd(RIS), ==, 0);
    for (unsigned i = 0; i < 8; i++)
        g_assert_cmphex(rd(0xfe0 + 4 * i), ==, ids[i]);
    /* 16-bit accesses as Linux's driver makes them */
    g_assert_cmphex(stub_read(0, CR, 2, 0), ==, 0x300);
    g_assert_cmpuint(stub_region_base(0), ==, 0x9000000);
    g_assert_cmpuint(stub_region_size(0), ==, 0x1000);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    stub_device_free(s);
}

static void test_transmit(void)
{
    void *s = uart_new();

    wr(DR, 'h');
    stub_write(0, DR, 'i', 1, 0);
    stub_write(0, DR, '\n', 2, 0);
    g_assert_cmpstr(stub_console_output()->str, ==, "hi\n");
    g_assert_cmphex(rd(RIS), ==, 0x20);
    g_assert_cmphex(rd(MIS), ==, 0);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    wr(IMSC, 0x20);
    g_assert_cmphex(rd(MIS), ==, 0x20);
    g_assert_cmpint(stub_line_level(IRQ), ==, 1);
    wr(ICR, 0x7ff);
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    /* TXE clear: the character goes nowhere */
    wr(CR, 0x201);
    wr(DR, 'x');
    g_assert_cmpstr(stub_console_output()->str, ==, "hi\n");
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmphex(rd(FR) & 0x88, ==, 0x80);   /* TXFE, not BUSY */
    stub_device_free(s);
}

static void test_receive_timeout(void)
{
    void *s = uart_new();

    wr(IBRD, 13);               /* 24 MHz / (16 * 13.015625): 115200 baud */
    wr(FBRD, 1);
    wr(LCR_H, 0x70);            /* 8 bits, FIFOs on */
    wr(IMSC, 0x50);             /* RX, RT */
    stub_clock_set(1000);
    stub_console_type("abc");
    g_assert_cmpuint(stub_console_waiting(), ==, 0);
    g_assert_cmphex(rd(FR) & 0x50, ==, 0);      /* neither empty nor full */
    g_assert_cmphex(rd(RIS), ==, 0);            /* 3 < 16, the trigger level */
    /* 32 bits at 24e6 / (16 * (13 + 1/64)) baud: 277666 ns */
    g_assert_cmpint(stub_next_deadline(), ==, 1000 + 277666);
    stub_clock_set(1000 + 277665);
    g_assert_cmphex(rd(RIS), ==, 0);
    stub_clock_set(1000 + 277666);
    g_assert_cmphex(rd(RIS), ==, 0x40);
    g_assert_cmphex(rd(MIS), ==, 0x40);
    g_assert_cmpint(stub_line_level(IRQ), ==, 1);
    g_assert_cmphex(rd(DR), ==, 'a');
    g_assert_cmphex(rd(DR), ==, 'b');
    g_assert_cmphex(rd(RIS), ==, 0x40);         /* RT stays until empty */
    g_assert_cmphex(rd(DR), ==, 'c');
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    g_assert_cmphex(rd(FR) & 0x10, ==, 0x10);   /* RXFE */
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    g_assert_cmphex(rd(DR), ==, 0);             /* empty: 0 */
    stub_device_free(s);
}

static void test_receive_trigger(void)
{
    void *s = uart_new();

    wr(LCR_H, 0x70);
    wr(IMSC, 0x10);
    /* the reset level, 1/2: 16 characters */
    stub_console_type("abcdefghijklmno");
    g_assert_cmphex(rd(RIS), ==, 0);
    stub_console_type("p");
    g_assert_cmphex(rd(RIS), ==, 0x10);
    wr(LCR_H, 0x60);            /* FEN off and on: empty */
    wr(LCR_H, 0x70);
    g_assert_cmphex(rd(RIS), ==, 0);
    wr(IFLS, 0x08);             /* RX at 1/4: 8 characters */
    stub_console_type("0123456");
    g_assert_cmphex(rd(RIS), ==, 0);
    stub_console_type("7");
    g_assert_cmphex(rd(RIS), ==, 0x10);
    g_assert_cmpint(stub_line_level(IRQ), ==, 1);
    g_assert_cmphex(rd(DR), ==, '0');
    g_assert_cmphex(rd(RIS), ==, 0);            /* 7 left: below the level */
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    /* without FIFOs every character raises RX; the FEN change empties */
    wr(LCR_H, 0x60);
    g_assert_cmphex(rd(FR) & 0x10, ==, 0x10);
    stub_console_type("z");
    g_assert_cmphex(rd(RIS), ==, 0x10);
    wr(ICR, 0x10);
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmphex(rd(DR), ==, 'z');
    stub_device_free(s);
}

static void test_receive_full(void)
{
    char text[41];
    void *s = uart_new();

    /* reset: no FIFO, one holding register */
    stub_console_type("xy");
    g_assert_cmpuint(stub_console_waiting(), ==, 1);
    g_assert_cmphex(rd(FR) & 0x50, ==, 0x40);   /* RXFF */
    g_assert_cmphex(rd(DR), ==, 'x');
    stub_console_deliver();
    g_assert_cmpuint(stub_console_waiting(), ==, 0);
    g_assert_cmphex(rd(DR), ==, 'y');
    /* FIFOs on: 32 characters */
    wr(LCR_H, 0x70);
    for (unsigned i = 0; i < 40; i++)
        text[i] = (char)('A' + i);
    text[40] = 0;
    stub_console_type(text);
    g_assert_cmpuint(stub_console_waiting(), ==, 8);
    g_assert_cmphex(rd(FR) & 0x50, ==, 0x40);
    g_assert_cmphex(rd(RIS) & 0x400, ==, 0);    /* no overrun */
    for (unsigned i = 0; i < 32; i++)
        g_assert_cmphex(rd(DR), ==, 'A' + i);
    stub_console_deliver();
    for (unsigned i = 32; i < 40; i++)
        g_assert_cmphex(rd(DR), ==, 'A' + i);
    g_assert_cmphex(rd(FR) & 0x10, ==, 0x10);
    /* RXE clear: input waits */
    wr(CR, 0x101);
    stub_console_type("q");
    g_assert_cmpuint(stub_console_waiting(), ==, 1);
    wr(CR, 0x301);
    stub_console_deliver();
    g_assert_cmphex(rd(DR), ==, 'q');
    stub_device_free(s);
}

static void test_loopback(void)
{
    void *s = uart_new();

    wr(CR, 0x381);              /* UARTEN TXE RXE LBE */
    g_assert_cmphex(rd(FR) & 0x107, ==, 0);     /* modem inputs: our outputs, off */
    g_assert_cmphex(rd(RIS), ==, 0x0e);         /* CTS, DCD and DSR fell */
    wr(ICR, 0x7ff);
    wr(DR, 'z');
    g_assert_cmpstr(stub_console_output()->str, ==, "");
    g_assert_cmphex(rd(DR), ==, 'z');
    /* console input waits while the receiver listens to the transmitter */
    stub_console_type("k");
    g_assert_cmpuint(stub_console_waiting(), ==, 1);
    /* overrun: the holding register is full */
    wr(DR, '1');
    wr(DR, '2');
    g_assert_cmphex(rd(RIS) & 0x400, ==, 0x400);
    g_assert_cmphex(rd(DR), ==, '1' | 0x800);   /* OE with the last character kept */
    g_assert_cmphex(rd(RSR), ==, 0x8);
    wr(RSR, 0);
    g_assert_cmphex(rd(RSR), ==, 0);
    wr(ICR, 0x7ff);
    wr(CR, 0x381 | 0x800 | 0x2000);             /* RTS, Out2 */
    g_assert_cmphex(rd(FR) & 0x107, ==, 0x101); /* CTS, RI */
    g_assert_cmphex(rd(RIS), ==, 0x03);         /* CTS and RI changed */
    wr(CR, 0x301);
    stub_console_deliver();
    g_assert_cmphex(rd(DR), ==, 'k');
    g_assert_cmphex(rd(FR) & 0x107, ==, 0x07);
    stub_device_free(s);
}

static void test_bad_access(void)
{
    void *s = uart_new();

    g_assert_cmphex(stub_read(0, FR, 8, 0), ==, 0);
    g_assert_cmphex(stub_read(0, FR + 1, 1, 0), ==, 0);
    g_assert_cmphex(rd(ICR), ==, 0);
    g_assert_cmphex(rd(0x100), ==, 0);
    wr(FR, 0);
    wr(RIS, 0x7ff);
    wr(0xfe0, 0);
    stub_write(0, IMSC, 0x7ff, 8, 0);
    g_assert_cmphex(rd(FR), ==, 0x97);
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmphex(rd(IMSC), ==, 0);
    g_assert_cmphex(rd(0xfe0), ==, 0x11);
    stub_device_free(s);
}

static void test_fdt(void)
{
    static const char compat[] = "arm,pl011\0arm,primecell";
    static const char names[] = "uartclk\0apb_pclk";
    void *s = uart_new();
    char *err = NULL;
    void *blob = stub_fdt(s, &err);
    const fdt32_t *p;
    const char *c;
    int node, clk, len;

    g_assert_null(err);
    node = fdt_path_offset(blob, "/soc/serial@9000000");
    g_assert_cmpint(node, >=, 0);
    c = fdt_getprop(blob, node, "compatible", &len);
    g_assert_cmpint(len, ==, sizeof(compat));
    g_assert_cmpmem(c, len, compat, sizeof(compat));
    c = fdt_getprop(blob, node, "clock-names", &len);
    g_assert_cmpmem(c, len, names, sizeof(names));
    p = fdt_getprop(blob, node, "clocks", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 0x10);
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==, 0x10);
    p = fdt_getprop(blob, node, "interrupts", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 33);
    clk = fdt_path_offset(blob, "/apb-pclk");
    g_assert_cmpint(clk, >=, 0);
    g_assert_cmpstr(fdt_getprop(blob, clk, "compatible", NULL), ==, "fixed-clock");
    g_assert_cmphex(fdt_get_phandle(blob, clk), ==, 0x10);
    p = fdt_getprop(blob, clk, "clock-frequency", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 24000000);
    p = fdt_getprop(blob, clk, "#clock-cells", &len);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 0);
    g_free(blob);
    stub_device_free(s);
}

static void test_bad_props(void)
{
    char *err = NULL;

    stub_reset(1);
    stub_set_prop("reg", "0x9000000,0x100");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "reg size 0x100 does not reach the ID registers at "
                             "0xfe0..0xfff: use 0x1000");
    g_free(err);
    stub_reset(1);
    stub_set_prop("reg", "0x9000000");
    stub_set_prop("clock-frequency", "0");
    g_assert_null(stub_device_new(&err));
    g_assert_cmpstr(err, ==, "clock-frequency=0 is out of range: give UARTCLK in Hz, "
                             "1 to 4294967295");
    g_free(err);
}

/* A guest doing anything: 200000 accesses of every size at random
   offsets, console input and time passing; the UART's sanity check runs
   after each change (assert). */
static void test_random_access(void)
{
    static const unsigned sizes[4] = { 1, 2, 4, 8 };
    GRand *r = g_rand_new_with_seed(11);
    void *s = uart_new();

    for (unsigned i = 0; i < 200000; i++) {
        uint64_t off = g_rand_int_range(r, 0, 0x1000);
        unsigned size = sizes[g_rand_int_range(r, 0, 4)];

        switch (g_rand_int_range(r, 0, 10)) {
        case 0:
            stub_console_type("x");
            break;
        case 1:
            stub_console_deliver();
            break;
        case 2:
            stub_clock_set(stub_clock() + g_rand_int_range(r, 0, 1000000));
            break;
        case 3: case 4: case 5:
            stub_read(0, g_rand_boolean(r) ? off & 0x7c : off, size, 0);
            break;
        default:
            stub_write(0, g_rand_boolean(r) ? off & 0x7c : off, g_rand_int(r), size, 0);
            break;
        }
    }
    g_rand_free(r);
    stub_device_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl011/reset", test_reset);
    g_test_add_func("/pl011/transmit", test_transmit);
    g_test_add_func("/pl011/receive-timeout", test_receive_timeout);
    g_test_add_func("/pl011/receive-trigger", test_receive_trigger);
    g_test_add_func("/pl011/receive-full", test_receive_full);
    g_test_add_func("/pl011/loopback", test_loopback);
    g_test_add_func("/pl011/bad-access", test_bad_access);
    g_test_add_func("/pl011/fdt", test_fdt);
    g_test_add_func("/pl011/bad-props", test_bad_props);
    g_test_add_func("/pl011/random-access", test_random_access);
    return g_test_run();
}
