/*
 * Unit tests of the Goldfish RTC device (plugins/devices/goldfish_rtc),
 * built with its source and with signed-overflow checks that trap
 * (-fsanitize=signed-integer-overflow -fsanitize-undefined-trap-on-error,
 * when configure found them): the core's device API is stubbed here, the
 * virtual clock is a variable the tests move.
 *
 *  /goldfish-rtc/set-time          the guest sets the time; it reads back
 *                                  advanced by the virtual clock
 *  /goldfish-rtc/set-time-extremes INT64_MAX, UINT64_MAX and 0 as the new
 *                                  time: the 64-bit count wraps, no
 *                                  signed overflow
 */
#include <glib.h>
#include <loom/plugin.h>
#include <loom/device.h>

extern const LoomPluginDescriptor loom_plugin_descriptor;

/* ---- the core's device API, stubbed ---- */

uint32_t loom_log_mask;
static int64_t fake_clock_ns;
static const LoomMMIOOps *mapped_ops;
static void *mapped_opaque;

int64_t loom_clock_ns(void) { return fake_clock_ns; }
void loom_log(const char *fmt, ...) { (void)fmt; }
LoomMachine *loom_device_machine(LoomDevice *dev) { return NULL; }
const char *loom_device_name(LoomDevice *dev) { return "rtc"; }
const char *loom_device_prop_str(LoomDevice *dev, const char *name) { return ""; }
LoomIRQ *loom_device_prop_irq(LoomDevice *dev, const char *name, char **err) { return NULL; }
void loom_irq_set(LoomIRQ *irq, int level) { }
LoomTimer *loom_timer_new(LoomMachine *m, LoomTimerCB *cb, void *opaque)
{
    return (LoomTimer *)g_malloc0(1);
}
void loom_timer_mod(LoomTimer *t, int64_t deadline_ns) { }
void loom_timer_del(LoomTimer *t) { }
void loom_timer_free(LoomTimer *t) { g_free(t); }
int loom_fdt_add_node(LoomFdt *fdt, const char *name, uint64_t base, uint64_t size,
                      const char *const *compatible)
{
    return -1;
}
bool loom_fdt_set_irq(LoomFdt *fdt, int node, LoomDevice *dev, const char *prop, char **err)
{
    return true;
}
void loom_device_prop_reg(LoomDevice *dev, const char *name, uint64_t *base, uint64_t *size)
{
    *base = 0x101000;
    *size = 0x1000;
}
bool loom_device_map_mmio(LoomDevice *dev, uint64_t base, uint64_t size,
                          const LoomMMIOOps *ops, void *opaque, char **err)
{
    mapped_ops = ops;
    mapped_opaque = opaque;
    return true;
}

/* ---- the guest's view ---- */

enum { TIME_LOW = 0x00, TIME_HIGH = 0x04 };

static void *rtc_new(void)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;
    char *err = NULL;
    void *s = ops->create(NULL, &err);

    g_assert_null(err);
    g_assert_nonnull(s);
    g_assert_true(mapped_opaque == s);
    return s;
}

static void rtc_free(void *s)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;

    ops->destroy(s);
}

static void set_time(uint64_t t)
{
    mapped_ops->write(mapped_opaque, TIME_HIGH, t >> 32, 4, loom_mem_attrs_cpu(0));
    mapped_ops->write(mapped_opaque, TIME_LOW, (uint32_t)t, 4, loom_mem_attrs_cpu(0));
}

static uint64_t get_time(void)
{
    uint64_t lo = mapped_ops->read(mapped_opaque, TIME_LOW, 4, loom_mem_attrs_cpu(0));

    return mapped_ops->read(mapped_opaque, TIME_HIGH, 4, loom_mem_attrs_cpu(0)) << 32 | lo;
}

static void test_set_time(void)
{
    void *s;

    fake_clock_ns = 1000;
    s = rtc_new();
    set_time(UINT64_C(1700000000000000000));
    g_assert_cmphex(get_time(), ==, UINT64_C(1700000000000000000));
    fake_clock_ns += 5000;
    g_assert_cmphex(get_time(), ==, UINT64_C(1700000000000005000));
    rtc_free(s);
}

static void test_set_time_extremes(void)
{
    static const uint64_t times[] = { INT64_MAX, UINT64_MAX, 0, INT64_MAX, (uint64_t)INT64_MIN };
    void *s;

    fake_clock_ns = 0;
    s = rtc_new();
    for (size_t i = 0; i < G_N_ELEMENTS(times); i++) {
        set_time(times[i]);
        g_assert_cmphex(get_time(), ==, times[i]);
        /* the count runs on across the top: a 64-bit counter wraps */
        fake_clock_ns += 1000;
        g_assert_cmphex(get_time(), ==, times[i] + 1000);
    }
    rtc_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/goldfish-rtc/set-time", test_set_time);
    g_test_add_func("/goldfish-rtc/set-time-extremes", test_set_time_extremes);
    return g_test_run();
}
