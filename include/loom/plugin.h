/*
 * loom plugin ABI: the one descriptor every plugin exports.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * LOOM_PLUGIN_SYMBOL, a const LoomPluginDescriptor.  The core checks it
 * field by field before using anything else in the object.
 *
 * ABI rules: a minor bump may only append fields (taken from the reserved
 * padding) or add new optional hooks at the end of an ops table; anything
 * else is a major bump.  The core accepts a plugin whose major equals its
 * own and whose minor is not newer than its own.
 */
#ifndef LOOM_PLUGIN_H
#define LOOM_PLUGIN_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define LOOM_ABI_MAJOR 2
#define LOOM_ABI_MINOR 0

/* Marks the core functions that plugins may call. */
#define LOOM_API __attribute__((visibility("default")))

#define LOOM_PLUGIN_SYMBOL "loom_plugin_descriptor"

typedef enum LoomPluginKind {
    LOOM_PLUGIN_FRONTEND = 1,
    LOOM_PLUGIN_BACKEND = 2,
    LOOM_PLUGIN_DEVICE = 3,
} LoomPluginKind;

typedef struct LoomPluginDescriptor {
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t kind;              /* LoomPluginKind */
    uint32_t flags;             /* reserved, 0 */
    const char *name;           /* "riscv64", "interp", "ns16550a" */
    const char *version;        /* the plugin's own version */
    const char *license;        /* SPDX identifier */
    const char *description;    /* one line, no trailing period */
    const void *ops;            /* LoomFrontendOps, LoomBackendOps or
                                   LoomDeviceOps, by kind */
    void *reserved[8];          /* zero; room for minor-version additions */
} LoomPluginDescriptor;

/*
 * Use once per plugin:
 *   LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "ns16550a", "1.0", "MIT",
 *                      "NS16550A UART", &ns16550a_ops);
 */
#define LOOM_PLUGIN_DEFINE(kind_, name_, version_, license_, desc_, ops_) \
    __attribute__((visibility("default")))                               \
    const LoomPluginDescriptor loom_plugin_descriptor = {                \
        .abi_major = LOOM_ABI_MAJOR,                                     \
        .abi_minor = LOOM_ABI_MINOR,                                     \
        .kind = (kind_),                                                 \
        .name = (name_),                                                 \
        .version = (version_),                                           \
        .license = (license_),                                           \
        .description = (desc_),                                          \
        .ops = (ops_),                                                   \
    }

/*
 * Memory-ordering bits.  A front-end states the orderings its guest's
 * plain loads and stores promise (guest_default_mo); a back-end states
 * what the host gives for free (host_default_mo).  The same bits are the
 * ordering argument of the IR `mb` op.
 */
enum {
    LOOM_MO_LD_LD = 0x01,       /* earlier loads before later loads */
    LOOM_MO_ST_LD = 0x02,       /* earlier stores before later loads */
    LOOM_MO_LD_ST = 0x04,       /* earlier loads before later stores */
    LOOM_MO_ST_ST = 0x08,       /* earlier stores before later stores */
    LOOM_MO_ALL = 0x0f,
};

#endif /* LOOM_PLUGIN_H */
