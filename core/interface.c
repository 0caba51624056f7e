/*
 * The registry through which plugins find each other's interfaces by
 * name and version (include/loom/device.h), one per machine.
 *
 * Concurrency: publishing happens while the machine is set up (device
 * create hooks, one thread); afterwards the table is only read, from
 * any thread, and needs no lock.
 */
#include "config.h"
#include "internal.h"

typedef struct Interface {
    uint32_t version;
    const void *iface;
    void *opaque;
    char *provider;
} Interface;

static void interface_free(gpointer p)
{
    Interface *i = p;

    g_free(i->provider);
    g_free(i);
}

void interfaces_free(LoomMachine *m)
{
    if (m->interfaces) {
        g_hash_table_destroy(m->interfaces);
        m->interfaces = NULL;
    }
}

bool loom_interface_publish(LoomMachine *m, const char *name, uint32_t version,
                            const void *iface, void *opaque, const char *provider,
                            char **err)
{
    const char *who = provider && *provider ? provider : "a plugin";
    Interface *i;

    if (!name || !*name || !iface) {
        *err = g_strdup_printf("%s published an interface without a %s: pass both the "
                               "name and the interface struct", who,
                               !name || !*name ? "name" : "struct");
        return false;
    }
    if (!m->interfaces) {
        m->interfaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, interface_free);
    }
    i = g_hash_table_lookup(m->interfaces, name);
    if (i) {
        *err = g_strdup_printf("%s publishes interface %s, which %s already publishes: "
                               "a machine has one provider of each interface, drop one "
                               "of the devices", who, name, i->provider);
        return false;
    }
    i = g_new0(Interface, 1);
    i->version = version;
    i->iface = iface;
    i->opaque = opaque;
    i->provider = g_strdup(who);
    g_hash_table_insert(m->interfaces, g_strdup(name), i);
    return true;
}

const void *loom_interface_lookup(LoomMachine *m, const char *name, uint32_t version,
                                  void **opaque, char **err)
{
    Interface *i = m->interfaces && name ? g_hash_table_lookup(m->interfaces, name) : NULL;

    if (!i) {
        *err = g_strdup_printf("no device publishes interface %s: add the device that "
                               "provides it to the machine", name ? name : "(null)");
        return NULL;
    }
    if (LOOM_IFACE_MAJOR(i->version) != LOOM_IFACE_MAJOR(version)) {
        *err = g_strdup_printf("interface %s from %s is version %u.%u, version %u.x is "
                               "needed: rebuild the plugins against the same interface "
                               "header", name, i->provider, LOOM_IFACE_MAJOR(i->version),
                               LOOM_IFACE_MINOR(i->version), LOOM_IFACE_MAJOR(version));
        return NULL;
    }
    if (LOOM_IFACE_MINOR(i->version) < LOOM_IFACE_MINOR(version)) {
        *err = g_strdup_printf("interface %s from %s is version %u.%u, %u.%u or later is "
                               "needed: update %s", name, i->provider,
                               LOOM_IFACE_MAJOR(i->version), LOOM_IFACE_MINOR(i->version),
                               LOOM_IFACE_MAJOR(version), LOOM_IFACE_MINOR(version),
                               i->provider);
        return NULL;
    }
    if (opaque) {
        *opaque = i->opaque;
    }
    return i->iface;
}
