/*
 * Machines as data: parse a machine file (GKeyFile), load the front-end,
 * back-end and device plugins it names, build RAM, vCPUs and devices.
 * Setup-time only: everything here runs before vCPU threads start.
 *
 * File format:
 *   [machine]         name, description, frontend, cpu, ram-base, ram-size,
 *                     max-cpus, kernel-offset, compatible, model, firmware,
 *                     firmware-install, firmware-address, flash-base,
 *                     flash-size (see machines/virt.machine)
 *   [device NAME]     type = device plugin, then that device's properties
 *   [option NAME]     a -machine NAME=VALUE choice, and the [device NAME
 *                     if OPTION=VALUE] and [machine if OPTION=VALUE]
 *                     groups it selects (machine-options.c)
 */
#include "config.h"
#include <string.h>
#include <stdlib.h>
#include <inttypes.h>
#include "internal.h"
#include "paths.h"
#include "drive-setup.h"

/* a raw -kernel after firmware, unless the machine file says otherwise:
   the next 2 MiB boundary */
#define BOOT_KERNEL_OFFSET  UINT64_C(0x200000)

static const char *const machine_keys[] = {
    "name", "description", "frontend", "cpu", "ram-base", "ram-size", "max-cpus",
    "kernel-offset", "compatible", "model", "firmware", "firmware-install",
    "firmware-address", "flash-base", "flash-size", NULL,
};

bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    uint64_t v, mul = 1;

    if (!s || !*s || *s == '-') {
        return false;
    }
    errno = 0;
    v = g_ascii_strtoull(s, &end, 0);
    if (errno || end == s) {
        return false;
    }
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    case 't': case 'T': mul = 1ull << 40; end++; break;
    default: break;
    }
    if ((*end == 'b' || *end == 'B') && mul > 1) {
        end++;
    }
    if (*end || (mul > 1 && v > UINT64_MAX / mul)) {
        return false;
    }
    *out = v * mul;
    return true;
}

/* Locate a machine by name or path; NULL with *err set. */
char *machine_find_file(const char *arg, char **err)
{
    char *fname, *dir, *path;

    if (strchr(arg, '/') || g_str_has_suffix(arg, ".machine")) {
        if (g_file_test(arg, G_FILE_TEST_IS_REGULAR)) {
            return g_strdup(arg);
        }
        *err = g_strdup_printf("machine file %s not found: check the path, or try -M help", arg);
        return NULL;
    }
    fname = g_strdup_printf("%s.machine", arg);
    dir = loom_source_tree_dir("machines");
    path = dir ? g_build_filename(dir, fname, NULL) : NULL;
    if (!path || !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_free(path);
        path = g_build_filename(loom_installed_machine_dir(), fname, NULL);
    }
    g_free(dir);
    g_free(fname);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_free(path);
        *err = g_strdup_printf("unknown machine '%s': try -M help", arg);
        return NULL;
    }
    return path;
}

void machine_list(FILE *f)
{
    char *dirs[2] = { loom_source_tree_dir("machines"), g_strdup(loom_installed_machine_dir()) };
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    fprintf(f, "Supported machines are:\n");
    for (int d = 0; d < 2; d++) {
        GDir *dir = dirs[d] ? g_dir_open(dirs[d], 0, NULL) : NULL;
        const char *ent;
        if (!dir) {
            continue;
        }
        while ((ent = g_dir_read_name(dir))) {
            MachineFile *mf;
            char *path, *name, *desc, *err = NULL;
            if (!g_str_has_suffix(ent, ".machine")) {
                continue;
            }
            name = g_strndup(ent, strlen(ent) - strlen(".machine"));
            if (g_hash_table_contains(seen, name)) {
                g_free(name);
                continue;
            }
            path = g_build_filename(dirs[d], ent, NULL);
            mf = machine_file_load(path, &err);     /* with its includes */
            g_clear_pointer(&err, g_free);
            desc = mf ? g_key_file_get_string(machine_file_keys(mf), "machine", "description", NULL)
                      : NULL;
            fprintf(f, "%-14s %s (%s)\n", name, desc ? desc : "(unreadable machine file)", path);
            g_hash_table_add(seen, name);
            g_free(desc);
            g_free(path);
            machine_file_free(mf);
        }
        g_dir_close(dir);
    }
    g_free(dirs[0]);
    g_free(dirs[1]);
    g_hash_table_destroy(seen);
}

/* ---- devices ---- */

static const LoomPropInfo *find_prop(const LoomDeviceOps *ops, const char *name)
{
    for (const LoomPropInfo *p = ops->props; p->name; p++) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

static bool parse_bool(const char *s, bool *out)
{
    if (!g_ascii_strcasecmp(s, "on") || !g_ascii_strcasecmp(s, "true") ||
        !g_ascii_strcasecmp(s, "yes") || !strcmp(s, "1")) {
        *out = true;
        return true;
    }
    if (!g_ascii_strcasecmp(s, "off") || !g_ascii_strcasecmp(s, "false") ||
        !g_ascii_strcasecmp(s, "no") || !strcmp(s, "0")) {
        *out = false;
        return true;
    }
    return false;
}

static bool parse_reg(const char *s, uint64_t *base, uint64_t *size)
{
    gchar **parts = g_strsplit(s, ",", 3);
    bool ok = parts[0] && parse_size(g_strstrip(parts[0]), base);

    *size = 0;
    if (ok && parts[1]) {
        ok = parse_size(g_strstrip(parts[1]), size) && !parts[2];
    }
    g_strfreev(parts);
    return ok;
}

static char *valid_keys(const LoomDeviceOps *ops)
{
    GString *s = g_string_new(NULL);

    for (const LoomPropInfo *p = ops->props; p->name; p++) {
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", p->name);
    }
    return g_string_free(s, FALSE);
}

/* Check one property value against its declared type. */
static bool check_prop(LoomDevice *dev, const LoomPropInfo *pi, const char *val,
                       const char *loc, char **err)
{
    uint64_t a, b;
    bool bv;
    bool ok = true;
    const char *want = "";

    switch (pi->type) {
    case LOOM_PROP_U64: ok = parse_size(val, &a); want = "a number"; break;
    case LOOM_PROP_BOOL: ok = parse_bool(val, &bv); want = "on or off"; break;
    case LOOM_PROP_REG: ok = parse_reg(val, &a, &b); want = "BASE[,SIZE]"; break;
    default: break;
    }
    if (!ok) {
        *err = g_strdup_printf("%s: device %s: property %s='%s' is not valid: give %s",
                               loc, dev->name, pi->name, val, want);
    }
    return ok;
}

static LoomDevice *device_new(LoomMachine *m, const char *name, const char *type,
                              const char *origin, char **err)
{
    LoomPlugin *p = plugin_load(LOOM_PLUGIN_DEVICE, type, err);
    LoomDevice *dev;

    if (!p) {
        char *inner = *err;
        *err = g_strdup_printf("%s: device %s: %s", origin, name, inner);
        g_free(inner);
        return NULL;
    }
    for (guint i = 0; i < m->devices->len; i++) {
        if (!strcmp(((LoomDevice *)m->devices->pdata[i])->name, name)) {
            *err = g_strdup_printf("%s: a device named %s already exists: give it another id",
                                   origin, name);
            return NULL;
        }
    }
    dev = g_new0(LoomDevice, 1);
    dev->name = g_strdup(name);
    dev->plugin = p;
    dev->ops = p->desc->ops;
    dev->machine = m;
    dev->props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    dev->origin = g_strdup(origin);
    g_ptr_array_add(m->devices, dev);
    return dev;
}

/* Set a property from text, checked against the device's table. */
static bool device_set_prop(LoomDevice *dev, const char *key, const char *val,
                            const char *loc, char **err)
{
    const LoomPropInfo *pi = find_prop(dev->ops, key);

    if (!pi) {
        char *keys = valid_keys(dev->ops);
        *err = g_strdup_printf("%s: device %s (%s) has no property '%s': valid ones are %s",
                               loc, dev->name, dev->plugin->desc->name, key, keys);
        g_free(keys);
        return false;
    }
    if (!check_prop(dev, pi, val, loc, err)) {
        return false;
    }
    g_hash_table_replace(dev->props, g_strdup(key), g_strdup(val));
    return true;
}

static bool device_finish_props(LoomDevice *dev, char **err)
{
    for (const LoomPropInfo *p = dev->ops->props; p->name; p++) {
        if (!g_hash_table_contains(dev->props, p->name)) {
            if (!p->def) {
                *err = g_strdup_printf("%s: device %s (%s) needs property '%s' (%s)",
                                       dev->origin, dev->name, dev->plugin->desc->name,
                                       p->name, p->desc ? p->desc : "no default");
                return false;
            }
            g_hash_table_insert(dev->props, g_strdup(p->name), g_strdup(p->def));
        }
    }
    return true;
}

static const char *prop_text(LoomDevice *dev, const char *name, LoomPropType type)
{
    const LoomPropInfo *pi = find_prop(dev->ops, name);

    if (!pi || pi->type != type) {
        loom_fatal("plugin %s: device property '%s' is not declared with that type: fix the plugin",
                   dev->plugin->file, name);
    }
    return g_hash_table_lookup(dev->props, name);
}

uint64_t loom_device_prop_u64(LoomDevice *dev, const char *name)
{
    uint64_t v = 0;
    parse_size(prop_text(dev, name, LOOM_PROP_U64), &v);
    return v;
}

const char *loom_device_prop_str(LoomDevice *dev, const char *name)
{
    const LoomPropInfo *pi = find_prop(dev->ops, name);
    if (!pi) {
        loom_fatal("plugin %s: device property '%s' is not declared: fix the plugin",
                   dev->plugin->file, name);
    }
    return g_hash_table_lookup(dev->props, name);
}

bool loom_device_prop_bool(LoomDevice *dev, const char *name)
{
    bool v = false;
    parse_bool(prop_text(dev, name, LOOM_PROP_BOOL), &v);
    return v;
}

void loom_device_prop_reg(LoomDevice *dev, const char *name, uint64_t *base, uint64_t *size)
{
    *base = *size = 0;
    parse_reg(prop_text(dev, name, LOOM_PROP_REG), base, size);
}

LoomMachine *loom_device_machine(LoomDevice *dev)
{
    return dev->machine;
}

const char *loom_device_name(LoomDevice *dev)
{
    return dev->name;
}

bool loom_device_map_mmio(LoomDevice *dev, uint64_t base, uint64_t size,
                          const LoomMMIOOps *ops, void *opaque, char **err)
{
    /* the caller's error gets the device's location prefixed */
    return as_add_mmio(&dev->machine->as, dev->name, base, size, ops, opaque,
                       dev->ops->lockless_mmio, err) != NULL;
}

void loom_device_irq_inputs(LoomDevice *dev, int count, LoomIRQHandler *handler, void *opaque)
{
    g_free(dev->irq_in);
    dev->irq_in = g_new0(LoomIRQ, count);
    dev->irq_in_count = count;
    for (int i = 0; i < count; i++) {
        dev->irq_in[i] = (LoomIRQ){ .handler = handler, .opaque = opaque, .n = i };
    }
}

static void cpu_irq_handler(void *opaque, int n, int level)
{
    LoomCPU *cpu = opaque;
    cpu->machine->fe->set_irq(cpu, n, level);
}

LoomIRQ *loom_irq_lookup(LoomMachine *m, const char *name, char **err)
{
    const char *dot = strrchr(name, '.');
    char *owner;
    LoomIRQ *res = NULL;

    if (!dot || dot == name || !dot[1]) {
        *err = g_strdup_printf("interrupt line '%s' is not of the form DEVICE.N or cpuN.LINE", name);
        return NULL;
    }
    owner = g_strndup(name, (gsize)(dot - name));
    if (g_str_has_prefix(owner, "cpu") && g_ascii_isdigit(owner[3])) {
        char *end;
        unsigned long idx = strtoul(owner + 3, &end, 10);
        const char *const *lines = m->fe->irq_lines;
        if (*end || idx >= m->nb_cpus) {
            *err = g_strdup_printf("interrupt line '%s': there is no %s (the machine has %u CPUs)",
                                   name, owner, m->nb_cpus);
        } else {
            for (unsigned i = 0; lines && lines[i]; i++) {
                if (!strcmp(lines[i], dot + 1)) {
                    res = &m->cpu_irqs[idx * m->nb_cpu_irq_lines + i];
                }
            }
            if (!res) {
                *err = g_strdup_printf("interrupt line '%s': CPUs of front-end %s have no line '%s'",
                                       name, m->frontend_plugin->desc->name, dot + 1);
            }
        }
    } else {
        LoomDevice *dev = NULL;
        for (guint i = 0; i < m->devices->len; i++) {
            if (!strcmp(((LoomDevice *)m->devices->pdata[i])->name, owner)) {
                dev = m->devices->pdata[i];
            }
        }
        if (!dev) {
            *err = g_strdup_printf("interrupt line '%s': no device named %s", name, owner);
        } else {
            char *end;
            unsigned long n = strtoul(dot + 1, &end, 0);
            /* digits only: strtoul takes "-1" (as ULONG_MAX), "+1" and " 1" */
            if (!g_ascii_isdigit(dot[1]) || *end || dev->irq_in_count <= 0 ||
                n >= (unsigned long)dev->irq_in_count) {
                *err = dev->irq_in_count <= 0
                    ? g_strdup_printf("interrupt line '%s': device %s has no interrupt inputs",
                                      name, owner)
                    : g_strdup_printf("interrupt line '%s': device %s has %d inputs (0..%d)",
                                      name, owner, dev->irq_in_count, dev->irq_in_count - 1);
            } else {
                res = &dev->irq_in[n];
            }
        }
    }
    g_free(owner);
    return res;
}

LoomIRQ *loom_device_prop_irq(LoomDevice *dev, const char *name, char **err)
{
    const char *v = prop_text(dev, name, LOOM_PROP_IRQ);

    /* an empty optional line is "not wired": NULL without an error */
    if (!v || !*v) {
        return NULL;
    }
    return loom_irq_lookup(dev->machine, v, err);
}

void loom_irq_set(LoomIRQ *irq, int level)
{
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

bool loom_machine_symbol(LoomMachine *m, const char *name, uint64_t *addr)
{
    const uint64_t *a = g_hash_table_lookup(m->symbols, name);

    if (a) {
        *addr = *a;
    }
    return a != NULL;
}

LoomChardev *loom_device_chardev(LoomDevice *dev)
{
    if (!dev->chardev) {
        dev->chardev = chardev_serial(dev->machine->next_serial++);
    }
    return dev->chardev;
}

/* ---- -device ---- */

/*
 * "TYPE,key=val,key=val": a part without '=' continues the previous value,
 * so reg=BASE,SIZE works.  Returns the pairs (key, value, key, value...).
 */
static GPtrArray *split_options(const char *arg, char **type, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    GPtrArray *kv = g_ptr_array_new_with_free_func(g_free);

    *type = g_strdup(parts[0] ? parts[0] : "");
    if (!**type) {
        *err = g_strdup_printf("-device '%s': no device type: give one, e.g. "
                               "-device ns16550a,reg=ADDR (-device help lists them)", arg);
        g_ptr_array_free(kv, TRUE);
        g_strfreev(parts);
        return NULL;
    }
    for (int i = 1; parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        if (eq) {
            g_ptr_array_add(kv, g_strndup(parts[i], (gsize)(eq - parts[i])));
            g_ptr_array_add(kv, g_strdup(eq + 1));
        } else if (kv->len) {
            char *prev = kv->pdata[kv->len - 1];
            kv->pdata[kv->len - 1] = g_strdup_printf("%s,%s", prev, parts[i]);
            g_free(prev);
        } else {
            *err = g_strdup_printf("-device %s: '%s' is not PROP=VALUE", arg, parts[i]);
            g_ptr_array_free(kv, TRUE);
            g_strfreev(parts);
            return NULL;
        }
    }
    g_strfreev(parts);
    return kv;
}

static bool device_from_option(LoomMachine *m, const char *arg, char **err)
{
    char *type = NULL, *name;
    const char *id = NULL;
    GPtrArray *kv = split_options(arg, &type, err);
    LoomDevice *dev;
    bool ok = kv != NULL;

    for (guint i = 0; ok && i < kv->len; i += 2) {
        if (!strcmp(kv->pdata[i], "id")) {
            id = kv->pdata[i + 1];
        }
    }
    name = id ? g_strdup(id) : g_strdup_printf("%s%u", type, m->devices ? m->devices->len : 0);
    dev = ok ? device_new(m, name, type, "-device", err) : NULL;
    ok = dev != NULL;
    for (guint i = 0; ok && i < kv->len; i += 2) {
        if (strcmp(kv->pdata[i], "id")) {
            ok = device_set_prop(dev, kv->pdata[i], kv->pdata[i + 1], "-device", err);
        }
    }
    g_free(name);
    g_free(type);
    if (kv) {
        g_ptr_array_free(kv, TRUE);
    }
    return ok;
}

bool device_help(const char *arg, FILE *f, char **err)
{
    char *type = NULL;
    GPtrArray *kv;
    LoomPlugin *p;
    const LoomDeviceOps *ops;

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        fprintf(f, "Device types:\n");
        plugin_list(LOOM_PLUGIN_DEVICE, f);
        return true;
    }
    kv = split_options(arg, &type, err);
    if (!kv) {
        g_free(type);
        return false;
    }
    g_ptr_array_free(kv, TRUE);
    p = plugin_load(LOOM_PLUGIN_DEVICE, type, err);
    g_free(type);
    if (!p) {
        return false;
    }
    ops = p->desc->ops;
    fprintf(f, "%s: %s (%s)\n", p->desc->name, p->desc->description, p->path);
    fprintf(f, "MMIO: %s\n", ops->lockless_mmio ? "lockless" : "under the BQL");
    for (const LoomPropInfo *pi = ops->props; pi->name; pi++) {
        static const char *const tn[] = { "?", "u64", "str", "bool", "irq", "reg" };
        fprintf(f, "  %-20s %-5s %s%s%s%s\n", pi->name,
                pi->type <= LOOM_PROP_REG ? tn[pi->type] : "?", pi->desc ? pi->desc : "",
                pi->def ? " (default: " : " (required)", pi->def ? (*pi->def ? pi->def : "none") : "",
                pi->def ? ")" : "");
    }
    return true;
}

/* ---- machine ---- */

/* The machine's name: [machine] name, else the file's name up to a dot. */
static char *machine_name(const MachineFile *mf)
{
    char *name = g_key_file_get_string(machine_file_keys(mf), "machine", "name", NULL);

    if (!name) {
        char *base = g_path_get_basename(machine_file_path(mf));
        name = g_strndup(base, strcspn(base, "."));
        g_free(base);
    }
    return name;
}

static bool parse_machine_group(LoomMachine *m, const MachineFile *mf, char **err)
{
    GKeyFile *kf = machine_file_keys(mf);
    const char *file = machine_file_path(mf);
    gchar **keys;
    char *v;
    bool ok = true;

    if (!g_key_file_has_group(kf, "machine")) {
        *err = g_strdup_printf("%s: no [machine] group: every machine file starts with one", file);
        return false;
    }
    keys = g_key_file_get_keys(kf, "machine", NULL, NULL);
    for (gchar **k = keys; k && *k && ok; k++) {
        if (!g_strv_contains(machine_keys, *k)) {
            char *loc = machine_file_where(mf, "machine", *k);
            char *valid = g_strjoinv(", ", (gchar **)machine_keys);
            *err = g_strdup_printf("%s: [machine] has no key '%s': valid keys are %s", loc, *k, valid);
            g_free(valid);
            g_free(loc);
            ok = false;
        }
    }
    g_strfreev(keys);
    if (!ok) {
        return false;
    }
    m->name = machine_name(mf);
    m->description = g_key_file_get_string(kf, "machine", "description", NULL);
    m->fdt_compatible = g_key_file_get_string(kf, "machine", "compatible", NULL);
    m->fdt_model = g_key_file_get_string(kf, "machine", "model", NULL);
    static const char *const nums[] = { "ram-base", "ram-size" };
    uint64_t *dst[] = { &m->ram_base, &m->ram_size };
    for (int i = 0; i < 2; i++) {
        v = g_key_file_get_string(kf, "machine", nums[i], NULL);
        if (!v || !parse_size(g_strstrip(v), dst[i])) {
            char *loc = machine_file_where(mf, "machine", nums[i]);
            *err = g_strdup_printf("%s: [machine] %s %s%s%s: give an address or size such as 0x80000000 or 128M",
                                   loc, nums[i], v ? "'" : "is missing", v ? v : "", v ? "' is not a number" : "");
            g_free(loc);
            g_free(v);
            return false;
        }
        g_free(v);
    }
    m->kernel_offset = BOOT_KERNEL_OFFSET;
    v = g_key_file_get_string(kf, "machine", "kernel-offset", NULL);
    if (v && (!parse_size(g_strstrip(v), &m->kernel_offset) || m->kernel_offset == 0)) {
        char *loc = machine_file_where(mf, "machine", "kernel-offset");
        *err = g_strdup_printf("%s: [machine] kernel-offset '%s' is not valid: give the offset "
                               "into RAM of a raw -kernel after firmware, such as 0x200000",
                               loc, v);
        g_free(loc);
        g_free(v);
        return false;
    }
    g_free(v);
    /* flash: both keys or neither; checked against RAM and the page
       size once the front-end is known (machine_add_flash) */
    {
        static const char *const fk[] = { "flash-base", "flash-size" };
        uint64_t *fdst[] = { &m->flash_base, &m->flash_size };
        bool given[2];

        for (int i = 0; i < 2; i++) {
            v = g_key_file_get_string(kf, "machine", fk[i], NULL);
            given[i] = v != NULL;
            if (v && (!parse_size(g_strstrip(v), fdst[i]) || (i == 1 && !*fdst[i]))) {
                char *loc = machine_file_where(mf, "machine", fk[i]);
                *err = g_strdup_printf("%s: [machine] %s '%s' is not valid: give %s", loc, fk[i], v,
                                       i ? "the flash's size, such as 32M" :
                                           "the flash's address, such as 0x20000000");
                g_free(loc);
                g_free(v);
                return false;
            }
            g_free(v);
        }
        if (given[0] != given[1]) {
            char *loc = machine_file_where(mf, "machine", fk[given[0] ? 0 : 1]);
            *err = g_strdup_printf("%s: [machine] %s without %s: give both or neither", loc,
                                   fk[given[0] ? 0 : 1], fk[given[0] ? 1 : 0]);
            g_free(loc);
            return false;
        }
    }
    m->firmware_addr = m->ram_base;
    v = g_key_file_get_string(kf, "machine", "firmware-address", NULL);
    if (v && !parse_size(g_strstrip(v), &m->firmware_addr)) {
        char *loc = machine_file_where(mf, "machine", "firmware-address");
        *err = g_strdup_printf("%s: [machine] firmware-address '%s' is not a number: give the "
                               "guest-physical address of a raw -bios, in RAM or flash, such "
                               "as 0x20000000", loc, v);
        g_free(loc);
        g_free(v);
        return false;
    }
    g_free(v);
    return true;
}

/* The machine file's flash region (if any), then a check that a raw
   -bios's address is in RAM or flash; after RAM exists.  False with *err
   naming the key to fix. */
static bool machine_add_flash(LoomMachine *m, const MachineFile *mf, char **err)
{
    uint64_t page_mask = (UINT64_C(1) << m->fe->page_bits) - 1;
    char *inner = NULL, *loc;

    if (m->flash_size) {
        if ((m->flash_base | m->flash_size) & page_mask) {
            loc = machine_file_where(mf, "machine", m->flash_base & page_mask ? "flash-base"
                                                                              : "flash-size");
            *err = g_strdup_printf("%s: [machine] flash at 0x%" PRIx64 " size 0x%" PRIx64
                                   " is not on page boundaries (%u KiB): align it", loc,
                                   m->flash_base, m->flash_size,
                                   (unsigned)((page_mask + 1) >> 10));
            g_free(loc);
            return false;
        }
        if (!as_add_ram(&m->as, "flash", m->flash_base, m->flash_size, &inner)) {
            loc = machine_file_where(mf, "machine", "flash-base");
            *err = g_strdup_printf("%s: [machine] %s", loc, inner);
            g_free(loc);
            g_free(inner);
            return false;
        }
    }
    if (!as_ram_ptr(&m->as, m->firmware_addr, 1)) {
        loc = machine_file_where(mf, "machine", "firmware-address");
        if (m->flash_size) {
            *err = g_strdup_printf("%s: [machine] firmware-address 0x%" PRIx64 " is in neither "
                                   "RAM (0x%" PRIx64 "-0x%" PRIx64 ") nor flash (0x%" PRIx64
                                   "-0x%" PRIx64 "): give an address in one of them", loc,
                                   m->firmware_addr, m->ram_base, m->ram_base + m->ram_size - 1,
                                   m->flash_base, m->flash_base + m->flash_size - 1);
        } else {
            *err = g_strdup_printf("%s: [machine] firmware-address 0x%" PRIx64 " is not in RAM "
                                   "(0x%" PRIx64 "-0x%" PRIx64 "): give an address in RAM, or "
                                   "add flash (flash-base, flash-size) there", loc,
                                   m->firmware_addr, m->ram_base, m->ram_base + m->ram_size - 1);
        }
        g_free(loc);
        return false;
    }
    return true;
}

/* -bios default: the machine file's firmware; false with *err set. */
static bool resolve_default_firmware(LoomMachine *m, const MachineFile *mf, char **err)
{
    GKeyFile *kf = machine_file_keys(mf);
    char *fw = g_key_file_get_string(kf, "machine", "firmware", NULL);
    char *install = g_key_file_get_string(kf, "machine", "firmware-install", NULL);
    bool ok = true;

    if (!fw || !*g_strstrip(fw)) {
        *err = g_strdup_printf("-bios default: machine %s names no default firmware: give "
                               "-bios FILE or -bios none", m->name);
        ok = false;
    } else if (!g_file_test(fw, G_FILE_TEST_IS_REGULAR)) {
        *err = g_strdup_printf("-bios default: %s is not installed: %s%sgive -bios FILE or "
                               "-bios none", fw, install ? g_strstrip(install) : "",
                               install ? ", or " : "");
        ok = false;
    } else {
        g_free(m->bios);
        m->bios = g_strdup(fw);
    }
    g_free(fw);
    g_free(install);
    return ok;
}

static LoomCPU *cpu_new(LoomMachine *m, unsigned index)
{
    LoomCPU *cpu = cpu_alloc(m->fe->env_size, m->fe->nb_mmu_modes);

    if (!cpu) {
        loom_fatal("out of memory allocating vCPU %u", index);
    }
    cpu->machine = m;
    cpu->cpu_index = index;
    cpu->exception_index = LOOM_EXCP_NONE;
    tlb_init(cpu);
    return cpu;
}

/*
 * Booting, the part every guest shares: a raw -bios at the machine
 * file's firmware-address (RAM start by default, or flash), a raw
 * -kernel at kernel-offset into RAM after firmware (at RAM start
 * without), ELF images at their own addresses; the device tree and
 * -initrd wherever the front-end's boot_place puts them; nothing may
 * overlap.  The front-end's boot_cpu then sets the entry registers.
 */
#define BOOT_PAGE           UINT64_C(4096)

typedef struct BootImage {
    const char *what;                   /* the option it came from */
    uint64_t start, end;                /* [start, end) in guest RAM */
} BootImage;

/* One line naming the first two images that overlap; NULL if none. */
static char *boot_overlap(const BootImage *img, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = i + 1; j < n; j++) {
            if (img[i].start < img[j].end && img[j].start < img[i].end) {
                return g_strdup_printf("%s (0x%" PRIx64 "-0x%" PRIx64 ") overlaps %s (0x%" PRIx64
                                       "-0x%" PRIx64 "): link the images apart or raise -m",
                                       img[j].what, img[j].start, img[j].end - 1, img[i].what,
                                       img[i].start, img[i].end - 1);
            }
        }
    }
    return NULL;
}

bool loom_boot_place_top(LoomBootInfo *bi, uint64_t fdt_align, uint64_t limit,
                         uint64_t initrd_align, char **err)
{
    uint64_t top = bi->ram_base + bi->ram_size;

    if (!fdt_align || (fdt_align & (fdt_align - 1)) || !initrd_align ||
        (initrd_align & (initrd_align - 1))) {
        *err = g_strdup_printf("the front-end's boot protocol asks for alignments 0x%" PRIx64
                               " and 0x%" PRIx64 ", not powers of two: fix the front-end",
                               fdt_align, initrd_align);
        return false;
    }
    if (limit && bi->ram_base < limit) {
        top = MIN(top, limit);
    }
    if (bi->fdt_size > top - bi->ram_base) {
        *err = g_strdup_printf("the device tree (%" PRIu64 " bytes) does not fit in guest RAM: "
                               "raise -m", bi->fdt_size);
        return false;
    }
    bi->fdt_addr = (top - bi->fdt_size) & ~(fdt_align - 1);
    if (bi->fdt_addr < bi->ram_base) {
        bi->fdt_addr = (top - bi->fdt_size) & ~(initrd_align - 1);
    }
    bi->initrd_addr = 0;
    if (bi->initrd) {
        if (bi->initrd_size > bi->fdt_addr - bi->ram_base) {
            *err = g_strdup_printf("-initrd: %s (%" PRIu64 " bytes) does not fit in guest RAM "
                                   "below the device tree: raise -m", bi->initrd,
                                   bi->initrd_size);
            return false;
        }
        bi->initrd_addr = (bi->fdt_addr - bi->initrd_size) & ~(initrd_align - 1);
    }
    return true;
}

bool machine_boot(LoomMachine *m, char **err)
{
    bool have_bios = m->bios && strcmp(m->bios, "none");
    LoomBootInfo bi = {
        .ram_base = m->ram_base, .ram_size = m->ram_size,
        .firmware = have_bios ? m->bios : NULL, .kernel = m->kernel, .initrd = m->initrd,
        .entry = m->ram_base,
    };
    char *inner = NULL;
    gchar *initrd = NULL;
    gsize initrd_len = 0;
    BootImage img[4];
    unsigned nimg = 0;
    GError *gerr = NULL;
    uint8_t *dst;
    bool ok;

    g_hash_table_remove_all(m->symbols);  /* the images' symbols, reloaded */
    if (have_bios) {
        if (!load_image(m, m->bios, m->firmware_addr, &bi.firmware_entry, &bi.firmware_start,
                        &bi.firmware_end, &inner)) {
            *err = g_strdup_printf("-bios: %s", inner);
            g_free(inner);
            return false;
        }
        bi.entry = bi.firmware_entry;
        img[nimg++] = (BootImage){ "-bios", bi.firmware_start, bi.firmware_end };
    }
    if (m->kernel) {
        bi.kernel_addr = have_bios ? m->ram_base + m->kernel_offset : m->ram_base;
        if (!load_image(m, m->kernel, bi.kernel_addr, &bi.kernel_entry, &bi.kernel_start,
                        &bi.kernel_end, &inner)) {
            *err = g_strdup_printf("-kernel: %s", inner);
            g_free(inner);
            return false;
        }
        img[nimg++] = (BootImage){ "-kernel", bi.kernel_start, bi.kernel_end };
        if (!have_bios) {
            bi.entry = bi.kernel_entry;
        }
    }
    if (m->initrd && !g_file_get_contents(m->initrd, &initrd, &initrd_len, &gerr)) {
        *err = g_strdup_printf("-initrd: cannot read %s: %s", m->initrd, gerr->message);
        g_error_free(gerr);
        return false;
    }
    bi.initrd_size = initrd_len;

    g_free(m->fdt);
    m->fdt = fdt_build(m, m->append, m->initrd != NULL, &m->fdt_size, err);
    if (!m->fdt) {
        g_free(initrd);
        return false;
    }
    bi.fdt_size = m->fdt_size;
    ok = m->fe->boot_place ? m->fe->boot_place(&bi, err)
                           : loom_boot_place_top(&bi, BOOT_PAGE, 0, BOOT_PAGE, err);
    if (!ok) {
        if (!*err) {
            *err = g_strdup_printf("front-end %s could not place the device tree and -initrd: "
                                   "raise -m", m->frontend_plugin->desc->name);
        }
        g_free(initrd);
        return false;
    }
    m->fdt_addr = bi.fdt_addr;
    if (m->initrd) {
        dst = as_ram_ptr(&m->as, bi.initrd_addr, initrd_len);
        if (initrd_len && !dst) {
            *err = g_strdup_printf("-initrd: %s at 0x%" PRIx64 " is not in guest RAM: raise -m",
                                   m->initrd, bi.initrd_addr);
            g_free(initrd);
            return false;
        }
        if (initrd_len) {
            memcpy(dst, initrd, initrd_len);
            img[nimg++] = (BootImage){ "-initrd", bi.initrd_addr, bi.initrd_addr + initrd_len };
        }
        if (!fdt_set_initrd(m->fdt, bi.initrd_addr, bi.initrd_addr + initrd_len, err)) {
            g_free(initrd);
            return false;
        }
    }
    g_free(initrd);
    img[nimg++] = (BootImage){ "the device tree", m->fdt_addr, m->fdt_addr + m->fdt_size };
    inner = boot_overlap(img, nimg);
    if (inner) {
        *err = inner;
        return false;
    }
    dst = as_ram_ptr(&m->as, m->fdt_addr, m->fdt_size);
    if (!dst) {
        *err = g_strdup_printf("the device tree at 0x%" PRIx64 " is not in guest RAM: raise -m",
                               m->fdt_addr);
        return false;
    }
    memcpy(dst, m->fdt, m->fdt_size);
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        m->fe->boot_cpu(m->cpus[i], &bi);
    }
    return true;
}

/* Every vCPU thread is stopped: reset devices and vCPUs, drop every
   translation (RAM is reloaded) and boot again. */
void machine_reset(LoomMachine *m)
{
    char *err = NULL;

    for (guint i = 0; i < m->devices->len; i++) {
        LoomDevice *dev = m->devices->pdata[i];
        if (dev->ops->reset) {
            loom_bql_lock();
            dev->ops->reset(dev->state);
            loom_bql_unlock();
        }
    }
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *cpu = m->cpus[i];
        cpu->halted = 0;
        cpu->exception_index = LOOM_EXCP_NONE;
        cpu->interrupt_request = 0;
        cpu->exit_request = 0;
        m->fe->cpu_reset(cpu);
        tlb_init(cpu);
    }
    tb_flush_all();
    if (!machine_boot(m, &err)) {
        loom_fatal("reset: %s", err);
    }
}

/*
 * Hand the -accel options the core did not know to the back-end's
 * optional set_option hook.  An option nobody takes is an error naming
 * every valid one.
 */
static bool backend_set_options(LoomMachine *m, GPtrArray *opts, char **err)
{
    const LoomPluginDescriptor *d = m->backend_plugin->desc;
    int (*set)(const char *, const char *, char *, size_t) = m->be->set_option;

    for (guint i = 0; opts && i < opts->len; i++) {
        char msg[256] = "";
        char *name = g_strdup(g_ptr_array_index(opts, i));
        char *eq = strchr(name, '=');
        int r = LOOM_BACKEND_OPTION_UNKNOWN;

        if (eq) {
            *eq = 0;
        }
        if (set) {
            r = set(name, eq ? eq + 1 : "", msg, sizeof(msg));
            msg[sizeof(msg) - 1] = 0;
        }
        if (r == LOOM_BACKEND_OPTION_INVALID) {
            *err = g_strdup_printf("-accel: %s", msg);
        } else if (r != LOOM_BACKEND_OPTION_TAKEN) {
            *err = g_strdup_printf("-accel: unknown option '%s': valid ones are thread, tb-size, "
                                   "backend, opt, atomics, mb-insert, wx%s%s%s", name,
                                   msg[0] ? " and back-end " : " (back-end ", d->name,
                                   msg[0] ? "'s " : " takes none)");
            if (msg[0]) {
                char *full = g_strconcat(*err, msg, NULL);
                g_free(*err);
                *err = full;
            }
        }
        g_free(name);
        if (r != LOOM_BACKEND_OPTION_TAKEN) {
            return false;
        }
    }
    return true;
}

LoomMachine *machine_create(const MachineOptions *opt, char **err)
{
    LoomMachine *m = g_new0(LoomMachine, 1);
    MachineFile *mf = NULL;
    GKeyFile *kf;
    char *v, *fe_name = NULL, *cpu_model = NULL;
    gchar **groups = NULL;
    GHashTable *optvals = NULL;
    uint64_t max_cpus = 8;
    char *path = machine_find_file(opt->machine, err);
    bool ok = false;

    m->devices = g_ptr_array_new();
    m->symbols = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    m->bios = g_strdup(opt->bios);
    m->kernel = g_strdup(opt->kernel);
    m->initrd = g_strdup(opt->initrd);
    m->append = g_strdup(opt->append);
    if (!path) {
        goto out;
    }
    m->file = path;
    mf = machine_file_load(path, err);
    if (!mf) {
        goto out;
    }
    kf = machine_file_keys(mf);
    if (!g_key_file_has_group(kf, "machine")) {
        *err = g_strdup_printf("%s: no [machine] group: every machine file starts with one",
                               path);
        goto out;
    }
    /* machine options: [option NAME] groups, -machine NAME=VALUE; the
       [machine if ...] groups that hold change [machine] first */
    {
        char *name = machine_name(mf);

        optvals = machine_options_resolve(mf, name, opt->machine_opts, err);
        g_free(name);
    }
    if (!optvals || !machine_options_apply_machine(mf, optvals, err)) {
        goto out;
    }
    if (!parse_machine_group(m, mf, err)) {
        goto out;
    }
    if (m->bios && !strcmp(m->bios, "default") && !resolve_default_firmware(m, mf, err)) {
        goto out;
    }
    v = g_key_file_get_string(kf, "machine", "max-cpus", NULL);
    if (v && (!parse_size(g_strstrip(v), &max_cpus) || max_cpus == 0 || max_cpus > 1024)) {
        char *loc = machine_file_where(mf, "machine", "max-cpus");
        *err = g_strdup_printf("%s: [machine] max-cpus '%s' is not valid: give 1..1024", loc, v);
        g_free(loc);
        g_free(v);
        goto out;
    }
    g_free(v);
    if (opt->smp == 0 || opt->smp > max_cpus) {
        *err = g_strdup_printf("-smp %u: machine %s supports 1 to %" PRIu64 " CPUs",
                               opt->smp, m->name, max_cpus);
        goto out;
    }
    m->nb_cpus = opt->smp;
    if (opt->ram_size) {
        m->ram_size = opt->ram_size;
    }
    if (m->ram_size < (1u << 20) || m->ram_size > (UINT64_C(1) << 40)) {
        *err = g_strdup_printf("-m: RAM size %" PRIu64 " bytes is out of range: give 1M to 1T",
                               m->ram_size);
        goto out;
    }

    fe_name = g_key_file_get_string(kf, "machine", "frontend", NULL);
    if (!fe_name) {
        *err = g_strdup_printf("%s: [machine] needs 'frontend' (the guest ISA plugin: "
                               "-cpu help lists them)", path);
        goto out;
    }
    m->frontend_plugin = plugin_load(LOOM_PLUGIN_FRONTEND, g_strstrip(fe_name), err);
    if (!m->frontend_plugin) {
        goto out;
    }
    m->fe = m->frontend_plugin->desc->ops;
    m->backend_plugin = plugin_load(LOOM_PLUGIN_BACKEND, opt->backend ? opt->backend : "interp", err);
    if (!m->backend_plugin) {
        goto out;
    }
    m->be = m->backend_plugin->desc->ops;
    if (!backend_set_options(m, opt->backend_opts, err)) {
        goto out;
    }
    tlb_page_bits = m->fe->page_bits;
    {
        /* a TB's insns start on its first page; the last one reaches at
           most max_insn_bytes - 1 bytes further */
        uint64_t page = UINT64_C(1) << m->fe->page_bits;
        uint64_t longest = m->fe->max_insn_bytes ? m->fe->max_insn_bytes : 16;
        uint64_t pages = 1 + (longest - 1 + page - 1) / page;

        if (pages > TB_MAX_PAGES) {
            *err = g_strdup_printf("front-end %s declares max_insn_bytes %u: a block could "
                                   "cover %" PRIu64 " pages of %" PRIu64 " KiB, more than the "
                                   "%u this loom keys a block on: fix the front-end",
                                   m->frontend_plugin->desc->name, m->fe->max_insn_bytes,
                                   pages, page >> 10, TB_MAX_PAGES);
            goto out;
        }
        m->tb_max_pages = (unsigned)pages;
    }
    loom_ir_globals_reset();
    loom_ir_globals_source(m->frontend_plugin ? m->frontend_plugin->file : NULL);
    if (m->fe->global_init) {
        m->fe->global_init();
    }

    /* the softmmu maps RAM page by page: both ends on page boundaries
       (this also keeps the boot pc, RAM's start for raw images, aligned) */
    {
        uint64_t page_mask = (UINT64_C(1) << m->fe->page_bits) - 1;
        if (m->ram_base & page_mask) {
            char *loc = machine_file_where(mf, "machine", "ram-base");
            *err = g_strdup_printf("%s: [machine] ram-base 0x%" PRIx64 " is not a multiple of "
                                   "the page size (%u KiB): align it", loc, m->ram_base,
                                   (unsigned)((page_mask + 1) >> 10));
            g_free(loc);
            goto out;
        }
        if (m->ram_size & page_mask) {
            char *loc = opt->ram_size ? g_strdup("-m")
                                      : machine_file_where(mf, "machine", "ram-size");
            *err = g_strdup_printf("%s: RAM size %" PRIu64 " bytes is not a multiple of the page "
                                   "size (%u KiB): round it", loc, m->ram_size,
                                   (unsigned)((page_mask + 1) >> 10));
            g_free(loc);
            goto out;
        }
    }
    if (!as_add_ram(&m->as, "ram", m->ram_base, m->ram_size, err)) {
        goto out;
    }
    if (!machine_add_flash(m, mf, err)) {
        goto out;
    }

    if (opt->cpu_model && (!*opt->cpu_model || *opt->cpu_model == ',')) {
        *err = g_strdup_printf("-cpu '%s': no CPU model: give one, e.g. -cpu %s (-cpu help "
                               "lists the front-ends)", opt->cpu_model,
                               m->fe->default_cpu ? m->fe->default_cpu : "MODEL");
        goto out;
    }
    cpu_model = opt->cpu_model ? g_strdup(opt->cpu_model)
                               : g_key_file_get_string(kf, "machine", "cpu", NULL);
    m->cpus = g_new0(LoomCPU *, m->nb_cpus);
    for (const char *const *l = m->fe->irq_lines; l && *l; l++) {
        m->nb_cpu_irq_lines++;
    }
    m->cpu_irqs = g_new0(LoomIRQ, (gsize)m->nb_cpus * MAX(m->nb_cpu_irq_lines, 1));
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        char *cerr = NULL;
        m->cpus[i] = cpu_new(m, i);
        if (!m->fe->cpu_init(m->cpus[i], cpu_model, &cerr)) {
            *err = g_strdup_printf("-cpu: %s", cerr ? cerr : "CPU model rejected");
            g_free(cerr);
            goto out;
        }
        m->fe->cpu_reset(m->cpus[i]);
        for (unsigned l = 0; l < m->nb_cpu_irq_lines; l++) {
            m->cpu_irqs[i * m->nb_cpu_irq_lines + l] =
                (LoomIRQ){ .handler = cpu_irq_handler, .opaque = m->cpus[i], .n = (int)l };
        }
    }

    /* devices: the file's groups in order (a conditional group that holds
       in its device's place), then -device options */
    groups = g_key_file_get_groups(kf, NULL);
    for (gchar **g = groups; *g; g++) {
        gchar **keys;
        char *type, *loc, *name, *use;
        LoomDevice *dev;
        int sel;

        if (!strcmp(*g, "machine") || g_str_has_prefix(*g, "option ") ||
            g_str_has_prefix(*g, "machine if ")) {
            continue;
        }
        sel = machine_options_select(mf, optvals, *g, &name, &use, err);
        if (sel < 0) {
            goto out;
        }
        if (sel == 0) {
            continue;
        }
        loc = machine_file_where(mf, use, NULL);
        type = g_key_file_get_string(kf, use, "type", NULL);
        if (!type) {
            *err = g_strdup_printf("%s: [%s] needs 'type' (a device plugin: try -device help)", loc, use);
            g_free(loc);
            g_free(name);
            g_free(use);
            goto out;
        }
        if (!strcmp(g_strstrip(type), "none")) {
            /* an including file, or an option, removed this device */
            g_free(type);
            g_free(loc);
            g_free(name);
            g_free(use);
            continue;
        }
        dev = device_new(m, name, g_strstrip(type), loc, err);
        g_free(type);
        g_free(loc);
        g_free(name);
        if (!dev) {
            g_free(use);
            goto out;
        }
        keys = g_key_file_get_keys(kf, use, NULL, NULL);
        for (gchar **k = keys; *k; k++) {
            char *val, *kloc;
            bool pok;
            if (!strcmp(*k, "type")) {
                continue;
            }
            val = g_key_file_get_string(kf, use, *k, NULL);
            kloc = machine_file_where(mf, use, *k);
            pok = device_set_prop(dev, *k, val ? g_strstrip(val) : "", kloc, err);
            g_free(val);
            g_free(kloc);
            if (!pok) {
                g_strfreev(keys);
                g_free(use);
                goto out;
            }
        }
        g_strfreev(keys);
        g_free(use);
    }
    for (guint i = 0; opt->devices && i < opt->devices->len; i++) {
        if (!device_from_option(m, opt->devices->pdata[i], err)) {
            goto out;
        }
    }
    /* virtio-mmio slots: -device virtio-* and -drive if=virtio (drive.c) */
    if (!drive_fill_slots(m, err)) {
        goto out;
    }
    for (guint i = 0; i < m->devices->len; i++) {
        LoomDevice *dev = m->devices->pdata[i];
        char *derr = NULL;
        if (!device_finish_props(dev, err)) {
            goto out;
        }
        dev->state = dev->ops->create(dev, &derr);
        if (!dev->state) {
            *err = g_strdup_printf("%s: device %s: %s", dev->origin, dev->name,
                                   derr ? derr : "creation failed");
            g_free(derr);
            goto out;
        }
    }
    for (guint i = 0; i < m->devices->len; i++) {
        LoomDevice *dev = m->devices->pdata[i];
        char *derr = NULL;
        if (dev->ops->realize && !dev->ops->realize(dev->state, dev, &derr)) {
            *err = g_strdup_printf("%s: device %s: %s", dev->origin, dev->name,
                                   derr ? derr : "realize failed");
            g_free(derr);
            goto out;
        }
    }
    ok = true;
out:
    g_strfreev(groups);
    if (optvals) {
        g_hash_table_destroy(optvals);
    }
    g_free(fe_name);
    g_free(cpu_model);
    machine_file_free(mf);
    if (!ok) {
        machine_destroy(m);
        return NULL;
    }
    return m;
}

void machine_destroy(LoomMachine *m)
{
    if (!m) {
        return;
    }
    for (guint i = 0; i < m->devices->len; i++) {
        LoomDevice *dev = m->devices->pdata[i];
        if (dev->state && dev->ops->destroy) {
            dev->ops->destroy(dev->state);
        }
        g_hash_table_destroy(dev->props);
        g_free(dev->irq_in);
        g_free(dev->name);
        g_free(dev->origin);
        g_free(dev);
    }
    g_ptr_array_free(m->devices, TRUE);
    g_hash_table_destroy(m->symbols);
    interfaces_free(m);
    for (unsigned i = 0; m->cpus && i < m->nb_cpus; i++) {
        if (m->cpus[i]) {
            cpu_free(m->cpus[i]);
        }
    }
    g_free(m->cpus);
    g_free(m->cpu_irqs);
    as_destroy(&m->as);
    g_free(m->name);
    g_free(m->description);
    g_free(m->fdt_compatible);
    g_free(m->fdt_model);
    g_free(m->file);
    g_free(m->bios);
    g_free(m->kernel);
    g_free(m->initrd);
    g_free(m->append);
    g_free(m->fdt);
    g_free(m);
}

unsigned loom_machine_nb_cpus(const LoomMachine *m)
{
    return m->nb_cpus;
}

LoomCPU *loom_machine_cpu(const LoomMachine *m, unsigned index)
{
    return index < m->nb_cpus ? m->cpus[index] : NULL;
}
