/*
 * sifive_test.c - the SiFive test "finisher": a guest ends the emulation.
 *
 * One write-only 32-bit register at offset 0:
 *   bits 15..0   command: 0x5555 pass, 0x3333 fail, 0x7777 reset
 *   bits 31..16  exit code, for fail
 * pass  -> loom exits with status 0
 * fail  -> loom exits with the code; 0 becomes 1 and codes above 255
 *          become 255, so that a fail is never read as a success from
 *          an 8-bit process exit status
 * reset -> a system reset
 * Anything else is a guest error and ignored; reads return 0.  Writes of
 * 2 bytes (command only) and 8 bytes (low 32 bits used) are accepted too.
 *
 * Locking: MMIO runs with the BQL held; the device has no mutable state.
 */
#include <stdio.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

enum {
    FINISHER_FAIL = 0x3333,
    FINISHER_PASS = 0x5555,
    FINISHER_RESET = 0x7777,
};

typedef struct Finisher {
    LoomDevice *dev;
    LoomMachine *machine;
} Finisher;

static void finisher_guest_error(Finisher *s, const char *what,
                                 uint64_t offset, uint64_t value, unsigned size)
{
    if (loom_log_enabled(LOOM_LOG_GUEST_ERROR))
        loom_log("%s: %s: offset 0x%" G_GINT64_MODIFIER "x value 0x%"
                 G_GINT64_MODIFIER "x size %u\n", loom_device_name(s->dev),
                 what, offset, value, size);
}

static uint64_t finisher_read(void *opaque G_GNUC_UNUSED,
                              uint64_t offset G_GNUC_UNUSED,
                              unsigned size G_GNUC_UNUSED,
                              LoomMemAttrs attrs G_GNUC_UNUSED)
{
    return 0;           /* write-only register */
}

static void finisher_write(void *opaque, uint64_t offset, uint64_t value,
                           unsigned size,
                           LoomMemAttrs attrs)
{
    Finisher *s = opaque;
    uint32_t val = (uint32_t)value;
    int code;

    if (offset != 0 || size < 2) {
        finisher_guest_error(s, "write ignored (use a 32-bit write at "
                             "offset 0)", offset, value, size);
        return;
    }
    switch (val & 0xffff) {
    case FINISHER_PASS:
        loom_machine_shutdown(s->machine, 0);
        break;
    case FINISHER_FAIL:
        code = (int)(val >> 16);
        loom_machine_shutdown(s->machine, code == 0 ? 1 : MIN(code, 255));
        break;
    case FINISHER_RESET:
        loom_machine_reset_request(s->machine);
        break;
    default:
        finisher_guest_error(s, "unknown command ignored", offset, value,
                             size);
        break;
    }
}

static const LoomMMIOOps finisher_mmio_ops = {
    .read = finisher_read,
    .write = finisher_write,
    .endianness = LOOM_ENDIAN_LITTLE,
};

static const LoomPropInfo finisher_props[] = {
    { "reg", LOOM_PROP_REG, NULL, "MMIO base[,size]; size defaults to 0x1000" },
    { NULL, 0, NULL, NULL },
};

/* "syscon" lets Linux's syscon-poweroff/-reboot drivers use it. */
static const char *const finisher_compatible[] = {
    "sifive,test1", "sifive,test0", "syscon", NULL,
};

static void *finisher_create(LoomDevice *dev, char **err)
{
    uint64_t base, size;
    Finisher *s;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = 0x1000;
    if (size < 4) {
        *err = g_strdup_printf("reg size 0x%" G_GINT64_MODIFIER "x is too "
                               "small for the 32-bit register: use at least "
                               "0x4", size);
        return NULL;
    }
    s = g_new0(Finisher, 1);
    s->dev = dev;
    s->machine = loom_device_machine(dev);
    if (!loom_device_map_mmio(dev, base, size, &finisher_mmio_ops, s, err)) {
        g_free(s);
        return NULL;
    }
    return s;
}

static void finisher_destroy(void *opaque)
{
    g_free(opaque);
}

/* A root-level syscon-poweroff/-reboot node writing `value` at offset 0
   of the finisher (Linux's generic syscon power drivers use them). */
static int finisher_syscon_node(void *blob, const char *name,
                                const char *compatible, uint32_t phandle,
                                uint32_t value)
{
    int node = fdt_add_subnode(blob, 0, name);
    int rc = node < 0 ? node : 0;

    rc = rc ? rc : fdt_setprop_string(blob, node, "compatible", compatible);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "regmap", phandle);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "offset", 0);
    rc = rc ? rc : fdt_setprop_u32(blob, node, "value", value);
    return rc;
}

/* test@BASE { compatible; reg; phandle } plus /poweroff and /reboot */
static bool finisher_fdt_node(void *opaque G_GNUC_UNUSED, LoomDevice *dev,
                              LoomFdt *fdt, char **err)
{
    void *blob = loom_fdt_blob(fdt);
    uint32_t phandle = loom_fdt_device_phandle(fdt, dev);
    uint64_t base, size;
    char name[40];
    int node, rc = 0;

    loom_device_prop_reg(dev, "reg", &base, &size);
    if (size == 0)
        size = 0x1000;
    snprintf(name, sizeof(name), "test@%" G_GINT64_MODIFIER "x", base);
    node = loom_fdt_add_node(fdt, "test", base, size, finisher_compatible);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_u32(blob, node, "phandle", phandle);
    rc = rc ? rc : finisher_syscon_node(blob, "poweroff", "syscon-poweroff",
                                        phandle, FINISHER_PASS);
    rc = rc ? rc : finisher_syscon_node(blob, "reboot", "syscon-reboot",
                                        phandle, FINISHER_RESET);
    if (rc) {
        *err = g_strdup_printf("%s: %s", name, fdt_strerror(rc));
        return false;
    }
    return true;
}

static const LoomDeviceOps finisher_ops = {
    .compatible = finisher_compatible,
    .props = finisher_props,
    .lockless_mmio = false,
    .create = finisher_create,
    .destroy = finisher_destroy,
    .fdt_node = finisher_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "sifive_test", "1.0", "MIT",
                   "SiFive test finisher: the guest ends the emulation "
                   "with pass, fail or reset", &finisher_ops);
