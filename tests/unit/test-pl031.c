/*
 * Unit tests of the PL031 real-time clock (plugins/devices/pl031), built
 * with its source and the core's device API stubbed (device-stubs.c).
 *
 *  /pl031/registers    PrimeCell IDs, RTCCR started, load and count with
 *                      the virtual clock
 *  /pl031/match        the interrupt at the exact second the count
 *                      reaches RTCMR; mask, clear
 *  /pl031/fdt          pl031@ node with the AMBA clock
 *  /pl031/random-access 100000 random accesses with time passing: no crash
 */
#include <libfdt.h>
#include "device-stubs.h"

enum { DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0c, IMSC = 0x10, RIS = 0x14, MIS = 0x18,
       ICR = 0x1c };

#define IRQ "gic.34"

static void *rtc_new(void)
{
    char *err = NULL;
    void *s;

    stub_reset(1);
    stub_set_prop("reg", "0x9010000,0x1000");
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

static void wr(uint64_t off, uint32_t v)
{
    stub_write(0, off, v, 4, 0);
}

static void test_registers(void)
{
    static const uint32_t ids[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    void *s = rtc_new();

    for (unsigned i = 0; i < 8; i++)
        g_assert_cmphex(rd(0xfe0 + 4 * i), ==, ids[i]);
    g_assert_cmphex(rd(CR), ==, 1);
    g_assert_cmphex(rd(RIS), ==, 0);
    stub_clock_set(500000000);
    wr(LR, 1000);
    g_assert_cmphex(rd(LR), ==, 1000);
    g_assert_cmphex(rd(DR), ==, 1000);
    stub_clock_set(500000000 + 2999999999ll);
    g_assert_cmphex(rd(DR), ==, 1002);
    stub_clock_set(500000000 + 3000000000ll);
    g_assert_cmphex(rd(DR), ==, 1003);
    /* read-only and absent registers */
    wr(DR, 5);
    wr(RIS, 1);
    wr(0x40, 1);
    g_assert_cmphex(rd(DR), ==, 1003);
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmphex(rd(ICR), ==, 0);
    g_assert_cmphex(stub_read(0, DR, 8, 0), ==, 0);
    stub_device_free(s);
}

static void test_match(void)
{
    void *s = rtc_new();

    wr(LR, 1000);
    wr(MR, 1003);
    g_assert_cmpint(stub_next_deadline(), ==, 3000000000ll);
    wr(IMSC, 1);
    stub_clock_set(2999999999ll);
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    stub_clock_set(3000000000ll);
    g_assert_cmphex(rd(RIS), ==, 1);
    g_assert_cmphex(rd(MIS), ==, 1);
    g_assert_cmpint(stub_line_level(IRQ), ==, 1);
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    wr(IMSC, 0);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    g_assert_cmphex(rd(MIS), ==, 0);
    wr(IMSC, 1);
    wr(ICR, 1);
    g_assert_cmphex(rd(RIS), ==, 0);
    g_assert_cmpint(stub_line_level(IRQ), ==, 0);
    /* a match value equal to the count now is 2^32 seconds away */
    wr(MR, 1003);
    g_assert_cmpint(stub_timers_armed(), ==, 0);
    /* mid-second: the deadline is the start of the matching second */
    stub_clock_set(3250000000ll);
    wr(MR, 1005);
    g_assert_cmpint(stub_next_deadline(), ==, 5000000000ll);
    stub_device_free(s);
}

static void test_fdt(void)
{
    static const char compat[] = "arm,pl031\0arm,primecell";
    void *s = rtc_new();
    char *err = NULL;
    void *blob = stub_fdt(s, &err);
    const fdt32_t *p;
    const char *c;
    int node, clk, len;

    g_assert_null(err);
    node = fdt_path_offset(blob, "/soc/pl031@9010000");
    g_assert_cmpint(node, >=, 0);
    c = fdt_getprop(blob, node, "compatible", &len);
    g_assert_cmpmem(c, len, compat, sizeof(compat));
    g_assert_cmpstr(fdt_getprop(blob, node, "clock-names", NULL), ==, "apb_pclk");
    p = fdt_getprop(blob, node, "clocks", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 0x10);
    clk = fdt_path_offset(blob, "/apb-pclk");
    g_assert_cmphex(fdt_get_phandle(blob, clk), ==, 0x10);
    p = fdt_getprop(blob, node, "interrupts", &len);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 34);
    g_free(blob);
    stub_device_free(s);
}

/* A guest doing anything: 100000 accesses of every size at random
   offsets while the clock runs. */
static void test_random_access(void)
{
    static const unsigned sizes[4] = { 1, 2, 4, 8 };
    GRand *r = g_rand_new_with_seed(31);
    void *s = rtc_new();

    for (unsigned i = 0; i < 100000; i++) {
        uint64_t off = g_rand_int_range(r, 0, 0x1000);
        unsigned size = sizes[g_rand_int_range(r, 0, 4)];

        switch (g_rand_int_range(r, 0, 6)) {
        case 0:
            stub_clock_set(stub_clock() + g_rand_int_range(r, 0, 2000000000));
            break;
        case 1: case 2:
            stub_read(0, g_rand_boolean(r) ? off & 0x1c : off, size, 0);
            break;
        default:
            stub_write(0, g_rand_boolean(r) ? off & 0x1c : off,
                       g_rand_boolean(r) ? g_rand_int(r) : (uint32_t)stub_read(0, 0, 4, 0) +
                       g_rand_int_range(r, 0, 3), size, 0);
            break;
        }
    }
    g_rand_free(r);
    stub_device_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl031/registers", test_registers);
    g_test_add_func("/pl031/match", test_match);
    g_test_add_func("/pl031/fdt", test_fdt);
    g_test_add_func("/pl031/random-access", test_random_access);
    return g_test_run();
}
