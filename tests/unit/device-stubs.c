/*
 * device-stubs.c - the core's device API as a test double (see
 * device-stubs.h).  Only what device plugins call is here; each unit
 * test links it with one plugin's source.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "device-stubs.h"

extern const LoomPluginDescriptor loom_plugin_descriptor;

#define STUB_MAX_REGIONS 4
#define STUB_DEV_PHANDLE 0x10
#define STUB_INTC_PHANDLE 0x20

struct LoomIRQ {
    char *name;
    int level, sets;
};

struct LoomTimer {
    LoomTimerCB *cb;
    void *opaque;
    int64_t deadline;           /* -1: not armed */
};

struct LoomFdt {
    void *blob;
};

typedef struct StubRegion {
    uint64_t base, size;
    const LoomMMIOOps *ops;
    void *opaque;
} StubRegion;

typedef struct StubIface {
    const void *iface;
    void *opaque;
} StubIface;

uint32_t loom_log_mask;
static int64_t clock_ns;
static unsigned nb_cpus = 1;
static GHashTable *props;       /* name -> value text */
static GHashTable *lines;       /* name -> LoomIRQ */
static GPtrArray *timers;
static GHashTable *ifaces;      /* name -> StubIface */
static StubRegion regions[STUB_MAX_REGIONS];
static unsigned nb_regions;
static LoomIRQHandler *in_handler;
static void *in_opaque;
static int in_count;
static GString *console_out;
static GByteArray *console_in;
static bool (*chr_can_receive)(void *);
static void (*chr_receive)(void *, uint8_t);
static void *chr_opaque;
static LoomChardev *const stub_chr = (LoomChardev *)&console_in;

static void irq_free(gpointer p)
{
    LoomIRQ *irq = p;

    g_free(irq->name);
    g_free(irq);
}

void stub_reset(unsigned cpus)
{
    if (!props) {
        props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        lines = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, irq_free);
        ifaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        timers = g_ptr_array_new();
        console_out = g_string_new(NULL);
        console_in = g_byte_array_new();
    }
    g_hash_table_remove_all(props);
    g_hash_table_remove_all(lines);
    g_hash_table_remove_all(ifaces);
    g_ptr_array_set_size(timers, 0);
    g_string_truncate(console_out, 0);
    g_byte_array_set_size(console_in, 0);
    chr_can_receive = NULL;
    chr_receive = NULL;
    nb_regions = 0;
    in_handler = NULL;
    in_count = 0;
    clock_ns = 0;
    nb_cpus = cpus;
}

void stub_set_prop(const char *name, const char *value)
{
    g_hash_table_replace(props, g_strdup(name), g_strdup(value));
}

static const char *prop_text(const char *name)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;
    const char *v = g_hash_table_lookup(props, name);

    if (v)
        return v;
    for (const LoomPropInfo *p = ops->props; p->name; p++) {
        if (!strcmp(p->name, name))
            return p->def;
    }
    g_error("device asked for property %s, which it does not declare", name);
}

void *stub_device_new(char **err)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;
    void *s;

    *err = NULL;
    s = ops->create(NULL, err);
    if (!s)
        return NULL;
    if (ops->realize && !ops->realize(s, NULL, err)) {
        ops->destroy(s);
        return NULL;
    }
    return s;
}

const LoomDeviceOps *stub_device_ops(void)
{
    return loom_plugin_descriptor.ops;
}

void stub_device_reset(void *state)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;

    ops->reset(state);
}

void stub_device_free(void *state)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;

    ops->destroy(state);
    g_assert_cmpuint(timers->len, ==, 0);       /* every timer freed */
}

uint64_t stub_read(unsigned region, uint64_t offset, unsigned size, unsigned cpu)
{
    g_assert_cmpuint(region, <, nb_regions);
    return regions[region].ops->read(regions[region].opaque, offset, size,
                                     loom_mem_attrs_cpu(cpu));
}

void stub_write(unsigned region, uint64_t offset, uint64_t value, unsigned size, unsigned cpu)
{
    g_assert_cmpuint(region, <, nb_regions);
    regions[region].ops->write(regions[region].opaque, offset, value, size,
                               loom_mem_attrs_cpu(cpu));
}

unsigned stub_nb_regions(void)
{
    return nb_regions;
}

uint64_t stub_region_base(unsigned region)
{
    return regions[region].base;
}

uint64_t stub_region_size(unsigned region)
{
    return regions[region].size;
}

int stub_line_level(const char *name)
{
    LoomIRQ *irq = g_hash_table_lookup(lines, name);

    return irq ? irq->level : -1;
}

int stub_line_sets(const char *name)
{
    LoomIRQ *irq = g_hash_table_lookup(lines, name);

    return irq ? irq->sets : -1;
}

void stub_input(int n, int level)
{
    g_assert_cmpint(n, <, in_count);
    in_handler(in_opaque, n, level);
}

int stub_nb_inputs(void)
{
    return in_count;
}

/* The armed timer with the earliest deadline (first made on a tie). */
static LoomTimer *next_timer(void)
{
    LoomTimer *best = NULL;

    for (guint i = 0; i < timers->len; i++) {
        LoomTimer *t = timers->pdata[i];
        if (t->deadline >= 0 && (!best || t->deadline < best->deadline))
            best = t;
    }
    return best;
}

void stub_clock_set(int64_t ns)
{
    LoomTimer *t;

    while ((t = next_timer()) && t->deadline <= ns) {
        if (t->deadline > clock_ns)
            clock_ns = t->deadline;
        t->deadline = -1;
        t->cb(t->opaque);
    }
    clock_ns = ns;
}

int64_t stub_clock(void)
{
    return clock_ns;
}

int stub_timers_armed(void)
{
    int n = 0;

    for (guint i = 0; i < timers->len; i++)
        n += ((LoomTimer *)timers->pdata[i])->deadline >= 0;
    return n;
}

int64_t stub_next_deadline(void)
{
    LoomTimer *t = next_timer();

    return t ? t->deadline : -1;
}

const GString *stub_console_output(void)
{
    return console_out;
}

void stub_console_deliver(void)
{
    guint used = 0;

    while (used < console_in->len && chr_receive &&
           chr_can_receive(chr_opaque)) {
        chr_receive(chr_opaque, console_in->data[used++]);
    }
    g_byte_array_remove_range(console_in, 0, used);
}

void stub_console_type(const char *text)
{
    g_byte_array_append(console_in, (const guint8 *)text, (guint)strlen(text));
    stub_console_deliver();
}

unsigned stub_console_waiting(void)
{
    return console_in->len;
}

const void *stub_interface(const char *name, void **opaque)
{
    StubIface *i = g_hash_table_lookup(ifaces, name);

    if (i && opaque)
        *opaque = i->opaque;
    return i ? i->iface : NULL;
}

void *stub_fdt(void *state, char **err)
{
    const LoomDeviceOps *ops = loom_plugin_descriptor.ops;
    LoomFdt f = { .blob = g_malloc0(64 << 10) };
    int soc;

    *err = NULL;
    g_assert_cmpint(fdt_create_empty_tree(f.blob, 64 << 10), ==, 0);
    soc = fdt_add_subnode(f.blob, 0, "soc");
    g_assert_cmpint(soc, >=, 0);
    if (!ops->fdt_node(state, NULL, &f, err)) {
        g_free(f.blob);
        return NULL;
    }
    return f.blob;
}

/* ---- the API the device calls ---- */

void loom_log(const char *fmt, ...)
{
    (void)fmt;
}

int64_t loom_clock_ns(void)
{
    return clock_ns;
}

LoomMachine *loom_device_machine(LoomDevice *dev)
{
    return NULL;
}

const char *loom_device_name(LoomDevice *dev)
{
    return "dev";
}

unsigned loom_machine_nb_cpus(const LoomMachine *m)
{
    return nb_cpus;
}

uint64_t loom_device_prop_u64(LoomDevice *dev, const char *name)
{
    return g_ascii_strtoull(prop_text(name), NULL, 0);
}

const char *loom_device_prop_str(LoomDevice *dev, const char *name)
{
    return prop_text(name);
}

bool loom_device_prop_bool(LoomDevice *dev, const char *name)
{
    const char *v = prop_text(name);

    return !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1");
}

void loom_device_prop_reg(LoomDevice *dev, const char *name, uint64_t *base, uint64_t *size)
{
    const char *v = prop_text(name);
    char *end;

    g_assert_nonnull(v);
    *base = g_ascii_strtoull(v, &end, 0);
    *size = *end == ',' ? g_ascii_strtoull(end + 1, NULL, 0) : 0;
}

bool loom_device_map_mmio(LoomDevice *dev, uint64_t base, uint64_t size,
                          const LoomMMIOOps *ops, void *opaque, char **err)
{
    g_assert_cmpuint(nb_regions, <, STUB_MAX_REGIONS);
    regions[nb_regions++] = (StubRegion){ base, size, ops, opaque };
    return true;
}

void loom_device_irq_inputs(LoomDevice *dev, int count, LoomIRQHandler *handler, void *opaque)
{
    in_count = count;
    in_handler = handler;
    in_opaque = opaque;
}

LoomIRQ *loom_irq_lookup(LoomMachine *m, const char *name, char **err)
{
    LoomIRQ *irq = g_hash_table_lookup(lines, name);

    if (!irq) {
        irq = g_new0(LoomIRQ, 1);
        irq->name = g_strdup(name);
        g_hash_table_insert(lines, irq->name, irq);
    }
    return irq;
}

LoomIRQ *loom_device_prop_irq(LoomDevice *dev, const char *name, char **err)
{
    const char *v = prop_text(name);

    return v && *v ? loom_irq_lookup(NULL, v, err) : NULL;
}

void loom_irq_set(LoomIRQ *irq, int level)
{
    if (irq) {
        irq->level = level;
        irq->sets++;
    }
}

LoomTimer *loom_timer_new(LoomMachine *m, LoomTimerCB *cb, void *opaque)
{
    LoomTimer *t = g_new0(LoomTimer, 1);

    t->cb = cb;
    t->opaque = opaque;
    t->deadline = -1;
    g_ptr_array_add(timers, t);
    return t;
}

void loom_timer_mod(LoomTimer *t, int64_t deadline_ns)
{
    t->deadline = deadline_ns < 0 ? 0 : deadline_ns;
}

void loom_timer_del(LoomTimer *t)
{
    t->deadline = -1;
}

void loom_timer_free(LoomTimer *t)
{
    g_assert_true(g_ptr_array_remove(timers, t));
    g_free(t);
}

LoomChardev *loom_device_chardev(LoomDevice *dev)
{
    return stub_chr;
}

void loom_chr_write(LoomChardev *chr, const void *buf, size_t len)
{
    g_string_append_len(console_out, buf, (gssize)len);
}

void loom_chr_set_handlers(LoomChardev *chr, bool (*can_receive)(void *),
                           void (*receive)(void *, uint8_t), void *opaque)
{
    chr_can_receive = can_receive;
    chr_receive = receive;
    chr_opaque = opaque;
}

void loom_chr_accept_input(LoomChardev *chr)
{
    /* the core delivers later, on its I/O thread: stub_console_deliver */
}

bool loom_interface_publish(LoomMachine *m, const char *name, uint32_t version,
                            const void *iface, void *opaque, const char *provider, char **err)
{
    StubIface *i;

    if (g_hash_table_contains(ifaces, name)) {
        *err = g_strdup_printf("interface %s is taken", name);
        return false;
    }
    i = g_new0(StubIface, 1);
    i->iface = iface;
    i->opaque = opaque;
    g_hash_table_insert(ifaces, g_strdup(name), i);
    return true;
}

const void *loom_interface_lookup(LoomMachine *m, const char *name, uint32_t version,
                                  void **opaque, char **err)
{
    const void *i = stub_interface(name, opaque);

    if (!i)
        *err = g_strdup_printf("no interface %s", name);
    return i;
}

void *loom_fdt_blob(LoomFdt *fdt)
{
    return fdt->blob;
}

int loom_fdt_soc(LoomFdt *fdt)
{
    return fdt_path_offset(fdt->blob, "/soc");
}

int loom_fdt_add_node(LoomFdt *fdt, const char *name, uint64_t base, uint64_t size,
                      const char *const *compatible)
{
    char *full = g_strdup_printf("%s@%" G_GINT64_MODIFIER "x", name, base);
    int node = fdt_add_subnode(fdt->blob, loom_fdt_soc(fdt), full);
    int rc = node < 0 ? node : 0;

    for (int i = 0; !rc && compatible && compatible[i]; i++)
        rc = fdt_appendprop_string(fdt->blob, node, "compatible", compatible[i]);
    rc = rc ? rc : fdt_setprop_u64(fdt->blob, node, "reg", base);
    rc = rc ? rc : fdt_appendprop_u64(fdt->blob, node, "reg", size);
    g_free(full);
    return rc ? rc : node;
}

uint32_t loom_fdt_device_phandle(LoomFdt *fdt, LoomDevice *dev)
{
    return STUB_DEV_PHANDLE;
}

bool loom_fdt_set_irq(LoomFdt *fdt, int node, LoomDevice *dev, const char *prop, char **err)
{
    const char *v = prop_text(prop);
    const char *dot = v ? strrchr(v, '.') : NULL;
    int rc;

    if (!dot)
        return true;
    rc = fdt_setprop_u32(fdt->blob, node, "interrupt-parent", STUB_INTC_PHANDLE);
    rc = rc ? rc : fdt_setprop_u32(fdt->blob, node, "interrupts",
                                   (uint32_t)g_ascii_strtoull(dot + 1, NULL, 0));
    g_assert_cmpint(rc, ==, 0);
    return true;
}
