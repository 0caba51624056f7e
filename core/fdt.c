/*
 * The guest's device tree: built with libfdt's read-write API from the
 * machine (RAM, vCPUs) and the plugins' hooks (front-end fdt_cpu, devices'
 * fdt_node), then packed.  Setup-time only: runs before vCPU threads start
 * (and again at a reset, with every vCPU stopped), so nothing here locks.
 *
 * Layout, as QEMU's virt board presents it to firmware and Linux:
 *   /                 #address-cells 2, #size-cells 2, compatible and model
 *                     (the machine file's)
 *   /chosen           bootargs, stdout-path, linux,initrd-start/end
 *   /memory@BASE      device_type "memory", reg
 *   /cpus             #address-cells 1, #size-cells 0 (timebase-frequency
 *                     comes from the timer device's hook), cpu@N nodes
 *   /soc              simple-bus with an empty ranges: one node per device
 *
 * Phandles are reserved before any hook runs, so hooks can refer to
 * nodes that do not exist yet (a UART's interrupt-parent, the PLIC's
 * interrupts-extended): the front-end's fdt_cpu_phandles for each vCPU
 * (vCPU n's from 1 + n * fdt_cpu_phandles), then one per device in
 * machine order.  The front-end's fdt_cpu says which of its vCPU's is
 * the interrupt controller devices wire to (loom_fdt_cpu_intc_phandle);
 * vCPU hooks run before device hooks, so devices always see it.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include <libfdt.h>
#include "internal.h"

/* Free space guaranteed to each hook: the blob grows between hooks only,
   so a hook must not add more than this (a few nodes need ~1 KiB). */
#define FDT_HOOK_ROOM (64u << 10)

struct LoomFdt {
    LoomMachine *m;
    void *blob;                 /* g_malloc'ed, cap bytes */
    size_t cap;
    uint32_t first_dev_phandle; /* device i has first_dev_phandle + i */
    uint32_t *cpu_intc;         /* vCPU n's intc phandle (0: none), set by fdt_cpu */
};

/* Make sure at least FDT_HOOK_ROOM bytes are free; false on failure. */
static bool fdt_make_room(LoomFdt *f)
{
    int free_bytes = fdt_totalsize(f->blob) - fdt_size_dt_struct(f->blob) -
                     fdt_size_dt_strings(f->blob) - fdt_off_dt_struct(f->blob);
    size_t ncap;
    void *nb;

    if (free_bytes >= (int)FDT_HOOK_ROOM) {
        return true;
    }
    ncap = f->cap * 2 + FDT_HOOK_ROOM;
    nb = g_malloc0(ncap);
    if (fdt_open_into(f->blob, nb, (int)ncap) != 0) {
        g_free(nb);
        return false;
    }
    g_free(f->blob);
    f->blob = nb;
    f->cap = ncap;
    return true;
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
    void *blob = loom_fdt_blob(fdt);
    char *full = g_strdup_printf("%s@%" PRIx64, name, base);
    int node = fdt_add_subnode(blob, loom_fdt_soc(fdt), full);
    int rc = node < 0 ? node : 0;

    for (int i = 0; !rc && compatible && compatible[i]; i++) {
        rc = fdt_appendprop_string(blob, node, "compatible", compatible[i]);
    }
    rc = rc ? rc : fdt_setprop_u64(blob, node, "reg", base);
    rc = rc ? rc : fdt_appendprop_u64(blob, node, "reg", size);
    g_free(full);
    return rc ? rc : node;
}

int loom_fdt_cpus(LoomFdt *fdt)
{
    return fdt_path_offset(fdt->blob, "/cpus");
}

uint32_t loom_fdt_cpu_intc_phandle(LoomFdt *fdt, unsigned n)
{
    return n < fdt->m->nb_cpus ? fdt->cpu_intc[n] : 0;
}

uint32_t loom_fdt_device_phandle(LoomFdt *fdt, LoomDevice *dev)
{
    for (guint i = 0; i < fdt->m->devices->len; i++) {
        if (fdt->m->devices->pdata[i] == dev) {
            return fdt->first_dev_phandle + i;
        }
    }
    return 0;
}

/*
 * An irq property names "<device>.<n>": the node gets interrupt-parent
 * = that device's phandle and interrupts = line n in the controller's
 * encoding (its fdt_irq_cells hook; without one, one cell: n).  Lines
 * into a vCPU ("cpu0.mtip") have no generic encoding: the device's hook
 * describes those itself with interrupts-extended.
 */
#define FDT_MAX_IRQ_CELLS 8
bool loom_fdt_set_irq(LoomFdt *fdt, int node, LoomDevice *dev, const char *prop,
                      char **err)
{
    const char *v = loom_device_prop_str(dev, prop);
    const char *dot;
    LoomDevice *ctl = NULL;
    char *owner, *end;
    unsigned long n;
    uint32_t cells[FDT_MAX_IRQ_CELLS];
    int ncells = 1, rc;

    if (!v || !*v) {
        return true;                /* not wired: no interrupt */
    }
    dot = strrchr(v, '.');
    owner = dot ? g_strndup(v, (gsize)(dot - v)) : g_strdup(v);
    for (guint i = 0; i < fdt->m->devices->len; i++) {
        LoomDevice *d = fdt->m->devices->pdata[i];
        if (!strcmp(d->name, owner)) {
            ctl = d;
        }
    }
    g_free(owner);
    if (!dot || !ctl) {
        *err = g_strdup_printf("device tree: %s=%s of %s is not a line of an interrupt "
                               "controller device: wire it to one (e.g. plic.10)",
                               prop, v, dev->name);
        return false;
    }
    n = strtoul(dot + 1, &end, 0);
    if (*end || n > UINT32_MAX) {
        *err = g_strdup_printf("device tree: %s=%s of %s has no line number after the dot",
                               prop, v, dev->name);
        return false;
    }
    cells[0] = (uint32_t)n;
    if (ctl->ops->fdt_irq_cells) {
        ncells = ctl->ops->fdt_irq_cells(ctl->state, (unsigned)n, cells, FDT_MAX_IRQ_CELLS);
        if (ncells <= 0 || ncells > FDT_MAX_IRQ_CELLS) {
            *err = g_strdup_printf("%s=%s: controller %s (%s) gives %d interrupt cells for "
                                   "line %lu: wire it to a line the controller has, or fix "
                                   "the plugin", prop, v, ctl->name, ctl->plugin->desc->name,
                                   ncells, n);
            return false;
        }
    }
    for (int i = 0; i < ncells; i++) {
        cells[i] = cpu_to_fdt32(cells[i]);
    }
    rc = fdt_setprop_u32(fdt->blob, node, "interrupt-parent",
                         loom_fdt_device_phandle(fdt, ctl));
    if (rc == 0) {
        rc = fdt_setprop(fdt->blob, node, "interrupts", cells, ncells * (int)sizeof(cells[0]));
    }
    if (rc != 0) {
        *err = g_strdup_printf("device tree: interrupts of %s: %s", dev->name, fdt_strerror(rc));
        return false;
    }
    return true;
}

/* Names of the direct subnodes of the node at path. */
static GPtrArray *subnode_names(const void *blob, const char *path)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    int parent = fdt_path_offset(blob, path), node;

    if (parent >= 0) {
        fdt_for_each_subnode(node, blob, parent) {
            g_ptr_array_add(names, g_strdup(fdt_get_name(blob, node, NULL)));
        }
    }
    return names;
}

static bool name_in(GPtrArray *names, const char *name)
{
    for (guint i = 0; i < names->len; i++) {
        if (!strcmp(names->pdata[i], name)) {
            return true;
        }
    }
    return false;
}

/* The nodes every machine has: root properties, chosen, memory, cpus, soc. */
static int fdt_skeleton(LoomFdt *f, const char *bootargs, bool initrd)
{
    LoomMachine *m = f->m;
    void *b = f->blob;
    uint64_t mem[2] = { cpu_to_fdt64(m->ram_base), cpu_to_fdt64(m->ram_size) };
    char *name;
    int rc, node;

    rc = fdt_setprop_u32(b, 0, "#address-cells", 2);
    rc = rc ? rc : fdt_setprop_u32(b, 0, "#size-cells", 2);
    /* the board's identity, from its machine file */
    if (m->fdt_compatible) {
        rc = rc ? rc : fdt_setprop_string(b, 0, "compatible", m->fdt_compatible);
    }
    if (m->fdt_model) {
        rc = rc ? rc : fdt_setprop_string(b, 0, "model", m->fdt_model);
    }
    if (rc) {
        return rc;
    }
    node = fdt_add_subnode(b, 0, "chosen");
    if (node < 0) {
        return node;
    }
    if (bootargs && (rc = fdt_setprop_string(b, node, "bootargs", bootargs))) {
        return rc;
    }
    /* placeholders, patched in place once the initrd's address is known */
    if (initrd && ((rc = fdt_setprop_u64(b, node, "linux,initrd-start", 0)) ||
                   (rc = fdt_setprop_u64(b, node, "linux,initrd-end", 0)))) {
        return rc;
    }
    name = g_strdup_printf("memory@%" PRIx64, m->ram_base);
    node = fdt_add_subnode(b, 0, name);
    g_free(name);
    if (node < 0) {
        return node;
    }
    rc = fdt_setprop_string(b, node, "device_type", "memory");
    rc = rc ? rc : fdt_setprop(b, node, "reg", mem, sizeof(mem));
    if (rc) {
        return rc;
    }
    node = fdt_add_subnode(b, 0, "cpus");
    if (node < 0) {
        return node;
    }
    rc = fdt_setprop_u32(b, node, "#address-cells", 1);
    rc = rc ? rc : fdt_setprop_u32(b, node, "#size-cells", 0);
    if (rc) {
        return rc;
    }
    node = fdt_add_subnode(b, 0, "soc");
    if (node < 0) {
        return node;
    }
    rc = fdt_setprop_u32(b, node, "#address-cells", 2);
    rc = rc ? rc : fdt_setprop_u32(b, node, "#size-cells", 2);
    rc = rc ? rc : fdt_setprop_string(b, node, "compatible", "simple-bus");
    rc = rc ? rc : fdt_setprop(b, node, "ranges", NULL, 0);
    return rc;
}

void *fdt_build(LoomMachine *m, const char *bootargs, bool initrd, size_t *size, char **err)
{
    uint32_t per_cpu = m->fe->fdt_cpu_phandles;
    LoomFdt f = { .m = m, .cap = FDT_HOOK_ROOM * 2,
                  .first_dev_phandle = 1 + m->nb_cpus * per_cpu };
    char *stdout_path = NULL;
    bool stdout_has_chr = false;
    int rc;

    if (per_cpu > LOOM_FDT_MAX_CPU_PHANDLES) {
        *err = g_strdup_printf("device tree: front-end %s reserves %u phandles per vCPU "
                               "(fdt_cpu_phandles), more than %u: fix the front-end",
                               m->frontend_plugin->desc->name, per_cpu,
                               LOOM_FDT_MAX_CPU_PHANDLES);
        return NULL;
    }
    f.cpu_intc = g_new0(uint32_t, m->nb_cpus);
    f.blob = g_malloc0(f.cap);
    rc = fdt_create_empty_tree(f.blob, (int)f.cap);
    rc = rc ? rc : fdt_skeleton(&f, bootargs, initrd);
    if (rc) {
        *err = g_strdup_printf("device tree: %s", fdt_strerror(rc));
        goto fail;
    }

    /* libfdt adds a node before its siblings: go backwards so that the
       tree lists harts and devices in order */
    for (unsigned i = m->nb_cpus; m->fe->fdt_cpu && i-- > 0;) {
        uint32_t first = per_cpu ? 1 + i * per_cpu : 0;
        char *cerr = NULL;
        if (!fdt_make_room(&f)) {
            *err = g_strdup("device tree: out of memory growing the blob");
            goto fail;
        }
        if (!m->fe->fdt_cpu(m->cpus[i], f.blob, loom_fdt_cpus(&f), first,
                            &f.cpu_intc[i], &cerr)) {
            *err = g_strdup_printf("device tree: cpu %u: %s", i,
                                   cerr ? cerr : "the front-end's fdt_cpu failed");
            g_free(cerr);
            goto fail;
        }
        if (f.cpu_intc[i] && (f.cpu_intc[i] < first || f.cpu_intc[i] - first >= per_cpu)) {
            *err = g_strdup_printf("device tree: cpu %u: front-end %s names phandle %u as the "
                                   "vCPU's interrupt controller, not one of the %u reserved for "
                                   "it: fix the front-end's fdt_cpu", i,
                                   m->frontend_plugin->desc->name, f.cpu_intc[i], per_cpu);
            goto fail;
        }
    }

    for (guint i = m->devices->len; i-- > 0;) {
        LoomDevice *dev = m->devices->pdata[i];
        GPtrArray *before;
        char *derr = NULL;
        bool ok;

        if (!dev->ops->fdt_node) {
            continue;
        }
        if (!fdt_make_room(&f)) {
            *err = g_strdup("device tree: out of memory growing the blob");
            goto fail;
        }
        before = subnode_names(f.blob, "/soc");
        ok = dev->ops->fdt_node(dev->state, dev, &f, &derr);
        if (!ok) {
            *err = g_strdup_printf("device tree: device %s: %s", dev->name,
                                   derr ? derr : "its fdt_node hook failed");
            g_free(derr);
            g_ptr_array_free(before, TRUE);
            goto fail;
        }
        /* the console: the first serial node in machine order, preferring
           one with a chardev (we walk backwards: later wins) */
        if (dev->chardev || !stdout_has_chr) {
            GPtrArray *after = subnode_names(f.blob, "/soc");
            for (guint j = 0; j < after->len; j++) {
                const char *nm = after->pdata[j];
                if (!name_in(before, nm) && g_str_has_prefix(nm, "serial@")) {
                    g_free(stdout_path);
                    stdout_path = g_strdup_printf("/soc/%s", nm);
                    stdout_has_chr = dev->chardev != NULL;
                    break;
                }
            }
            g_ptr_array_free(after, TRUE);
        }
        g_ptr_array_free(before, TRUE);
    }

    if (stdout_path) {
        rc = fdt_setprop_string(f.blob, fdt_path_offset(f.blob, "/chosen"),
                                "stdout-path", stdout_path);
        if (rc) {
            *err = g_strdup_printf("device tree: /chosen: %s", fdt_strerror(rc));
            goto fail;
        }
    }
    rc = fdt_pack(f.blob);
    if (rc) {
        *err = g_strdup_printf("device tree: %s", fdt_strerror(rc));
        goto fail;
    }
    g_free(stdout_path);
    g_free(f.cpu_intc);
    *size = fdt_totalsize(f.blob);
    return f.blob;

fail:
    g_free(stdout_path);
    g_free(f.cpu_intc);
    g_free(f.blob);
    return NULL;
}

bool fdt_set_initrd(void *blob, uint64_t start, uint64_t end, char **err)
{
    int node = fdt_path_offset(blob, "/chosen");
    int rc = node < 0 ? node : fdt_setprop_inplace_u64(blob, node, "linux,initrd-start", start);

    rc = rc ? rc : fdt_setprop_inplace_u64(blob, node, "linux,initrd-end", end);
    if (rc) {
        *err = g_strdup_printf("device tree: /chosen initrd: %s", fdt_strerror(rc));
        return false;
    }
    return true;
}
