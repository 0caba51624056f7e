/*
 * Device models.  A device plugin describes its properties as data; the
 * core creates one instance per machine-file group or -device option.
 *
 * Threading: MMIO callbacks run on vCPU threads.  Unless the device
 * declares lockless_mmio, they run with the BQL held, as do timer
 * callbacks, console input and irq handlers; a lockless device does its
 * own locking and must not call BQL-only services.
 */
#ifndef LOOM_DEVICE_H
#define LOOM_DEVICE_H

#include <inttypes.h>
#include <stdbool.h>
#include <loom/cpu.h>

typedef struct LoomDevice LoomDevice;       /* core-owned instance */
typedef struct LoomIRQ LoomIRQ;             /* an interrupt line */
typedef struct LoomTimer LoomTimer;
typedef struct LoomChardev LoomChardev;     /* a console backend */
typedef struct LoomFdt LoomFdt;             /* the device tree being built */

typedef enum LoomPropType {
    LOOM_PROP_U64 = 1,      /* number: decimal, 0x hex, K/M/G suffixes */
    LOOM_PROP_STR,
    LOOM_PROP_BOOL,         /* on/off, true/false, yes/no, 1/0 */
    LOOM_PROP_IRQ,          /* interrupt line by name: "plic.10", "cpu0.mtip" */
    LOOM_PROP_REG,          /* "base[,size]" */
} LoomPropType;

typedef struct LoomPropInfo {
    const char *name;
    LoomPropType type;
    const char *def;        /* default as text, NULL = required */
    const char *desc;
} LoomPropInfo;

/*
 * Who makes a memory transaction, as a device sees it.  vCPU accesses are
 * non-secure with requester = the vCPU's cpu_index (a front-end with a
 * secure state may set secure per access later); DMA and the core's own
 * accesses name their kind.  Unused fields are zero.
 */
typedef enum LoomRequester {
    LOOM_REQ_CPU = 0,       /* requester_id is the vCPU's cpu_index */
    LOOM_REQ_DMA,           /* requester_id is the DMA master's id */
    LOOM_REQ_CORE,          /* the core itself (debugger, loader) */
} LoomRequester;

typedef struct LoomMemAttrs {
    uint32_t requester_id;  /* see requester */
    uint8_t requester;      /* LoomRequester */
    uint8_t secure;         /* 1: a secure-world access */
    uint8_t reserved8[2];
    uint32_t reserved[2];   /* zero; room for minor-version additions */
} LoomMemAttrs;

_Static_assert(sizeof(LoomMemAttrs) == 16, "LoomMemAttrs is 16 bytes");

/* The attributes of a non-secure access by vCPU n. */
static inline LoomMemAttrs loom_mem_attrs_cpu(uint32_t n)
{
    LoomMemAttrs a = { .requester_id = n, .requester = LOOM_REQ_CPU };
    return a;
}

/* Byte order of a device's registers.  The core byte-swaps between the
   order of the access and the device's, so a callback always sees the
   register's value as a number. */
typedef enum LoomEndian {
    LOOM_ENDIAN_LITTLE = 0, /* the default (every device so far) */
    LOOM_ENDIAN_BIG,
    LOOM_ENDIAN_GUEST,      /* the guest's byte order, whatever it is */
} LoomEndian;

typedef struct LoomMMIOOps {
    /* offset is relative to the region base; size is 1, 2, 4 or 8 */
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size, LoomMemAttrs attrs);
    void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size,
                  LoomMemAttrs attrs);
    LoomEndian endianness;  /* zero: little */
    uint32_t pad;
    void *reserved[4];      /* zero; room for minor-version additions */
} LoomMMIOOps;

typedef struct LoomDeviceOps {
    const char *const *compatible;  /* device-tree compatibles, NULL-terminated */
    const LoomPropInfo *props;      /* terminated by an entry with name NULL */
    bool lockless_mmio;             /* MMIO callbacks do their own locking */
    /* Allocate the state, read properties, map MMIO.  Return the state,
       or NULL with *err set (a g_strdup'ed sentence naming the fix). */
    void *(*create)(LoomDevice *dev, char **err);
    /* After every device exists: resolve links to other devices (irq
       properties).  May be NULL. */
    bool (*realize)(void *state, LoomDevice *dev, char **err);
    /* Power-on/system reset.  May be NULL. */
    void (*reset)(void *state);
    /* Free everything create allocated.  May be NULL. */
    void (*destroy)(void *state);
    /* Add the device's node(s) to the guest's device tree, normally under
       loom_fdt_soc(fdt), with the libfdt read-write API on
       loom_fdt_blob(fdt).  May be NULL (no node). */
    bool (*fdt_node)(void *state, LoomDevice *dev, LoomFdt *fdt, char **err);
    /* An interrupt controller's encoding of its input line n in another
       node's `interrupts` (its #interrupt-cells cells): store them in
       cells[0..max-1] and return how many, or 0 if n is not a line it
       can describe.  May be NULL: one cell, n. */
    int (*fdt_irq_cells)(void *state, unsigned n, uint32_t *cells, int max);
    void *reserved[14];
} LoomDeviceOps;

/* --- core services for devices --- */
LOOM_API LoomMachine *loom_device_machine(LoomDevice *dev);
LOOM_API const char *loom_device_name(LoomDevice *dev);

/* Property values (defaults applied; types checked by the core before
   create runs, so these only fail for names the device did not declare). */
LOOM_API uint64_t loom_device_prop_u64(LoomDevice *dev, const char *name);
LOOM_API const char *loom_device_prop_str(LoomDevice *dev, const char *name);
LOOM_API bool loom_device_prop_bool(LoomDevice *dev, const char *name);
/* base and size of a LOOM_PROP_REG property; size 0 if not given */
LOOM_API void loom_device_prop_reg(LoomDevice *dev, const char *name,
                                   uint64_t *base, uint64_t *size);

/* Map an MMIO region at guest-physical base.  False with *err set if it
   overlaps RAM or another region. */
LOOM_API bool loom_device_map_mmio(LoomDevice *dev, uint64_t base, uint64_t size,
                                   const LoomMMIOOps *ops, void *opaque,
                                   char **err);

/* Interrupt lines.  A device with inputs (an interrupt controller)
   declares them as "<name>.0" .. "<name>.<count-1>". */
typedef void LoomIRQHandler(void *opaque, int n, int level);
LOOM_API void loom_device_irq_inputs(LoomDevice *dev, int count,
                                     LoomIRQHandler *handler, void *opaque);
/* Find a line by name ("plic.10", "cpu2.mtip"); NULL with *err set. */
LOOM_API LoomIRQ *loom_irq_lookup(LoomMachine *m, const char *name, char **err);
/* The line named by an irq property of dev; NULL with *err set. */
LOOM_API LoomIRQ *loom_device_prop_irq(LoomDevice *dev, const char *name, char **err);
LOOM_API void loom_irq_set(LoomIRQ *irq, int level);

/* Timers on the virtual clock; callbacks run on the I/O thread with the
   BQL held. */
typedef void LoomTimerCB(void *opaque);
LOOM_API LoomTimer *loom_timer_new(LoomMachine *m, LoomTimerCB *cb, void *opaque);
LOOM_API void loom_timer_mod(LoomTimer *t, int64_t deadline_ns);
LOOM_API void loom_timer_del(LoomTimer *t);
LOOM_API void loom_timer_free(LoomTimer *t);

/* The console backend for this device (-serial), or NULL if none. */
LOOM_API LoomChardev *loom_device_chardev(LoomDevice *dev);
LOOM_API void loom_chr_write(LoomChardev *chr, const void *buf, size_t len);
/* Input: receive(opaque, byte) is called on the I/O thread with the BQL
   held, only while can_receive(opaque) is true. */
LOOM_API void loom_chr_set_handlers(LoomChardev *chr, bool (*can_receive)(void *),
                                    void (*receive)(void *, uint8_t), void *opaque);
/* The device can take input again (can_receive may have become true):
   deliver what is waiting.  Any thread. */
LOOM_API void loom_chr_accept_input(LoomChardev *chr);

/* Guest physical memory for device DMA (RAM only): false if any byte of
   [addr, addr+len) is not RAM.  Any thread; takes no lock. */
LOOM_API bool loom_dma_rw(LoomMachine *m, uint64_t addr, void *buf, size_t len,
                          bool is_write);

/*
 * Device-tree building (fdt_node hooks).  The blob is a libfdt read-write
 * tree (fdt_add_subnode, fdt_setprop_*); it is grown as needed between
 * hooks, so re-read offsets after adding nodes.
 */
LOOM_API void *loom_fdt_blob(LoomFdt *fdt);
LOOM_API int loom_fdt_soc(LoomFdt *fdt);            /* offset of /soc */
LOOM_API int loom_fdt_cpus(LoomFdt *fdt);           /* offset of /cpus */
/* Add /soc/NAME@BASE (BASE in hex) with compatible (NULL-terminated
   list) and reg = <BASE SIZE> in 2+2 cells.  Returns the node's offset,
   or a negative libfdt error (fdt_strerror) if the blob refused. */
LOOM_API int loom_fdt_add_node(LoomFdt *fdt, const char *name, uint64_t base,
                               uint64_t size, const char *const *compatible);
/* The phandle reserved for a device (for interrupt controllers: every
   device gets one before any fdt_node hook runs). */
LOOM_API uint32_t loom_fdt_device_phandle(LoomFdt *fdt, LoomDevice *dev);
/* The phandle of vCPU n's interrupt-controller node, as the front-end's
   fdt_cpu named it; 0 if the vCPU has none or there is no vCPU n. */
LOOM_API uint32_t loom_fdt_cpu_intc_phandle(LoomFdt *fdt, unsigned n);
/* Set interrupt-parent and interrupts on node for dev's irq property
   (e.g. "plic.10" -> <&plic 10>, in the cells the controller's
   fdt_irq_cells gives); nothing if the line is not wired. */
LOOM_API bool loom_fdt_set_irq(LoomFdt *fdt, int node, LoomDevice *dev,
                               const char *prop, char **err);

/*
 * Interfaces between plugins (ABI 2.0): a plugin publishes a typed
 * interface under a name and version, e.g. an interrupt controller's CPU
 * interface that a front-end reaches through system registers; another
 * plugin looks it up.  The interface's type (a struct of function
 * pointers, by convention) is declared in a header under include/loom
 * both sides include, never in a plugin's own directory.
 *
 * A version is LOOM_IFACE_VERSION(major, minor): a new major changes the
 * struct incompatibly, a new minor only appends fields.  A lookup wants
 * one major and at least one minor.  Names are per machine: one provider
 * each.  Publish from create (setup time, one thread); look up from
 * realize on, or once the machine runs (any thread: the registry is
 * read-only by then), and keep the result.
 */
#define LOOM_IFACE_VERSION(major, minor) (((uint32_t)(major) << 16) | ((minor) & 0xffffu))
#define LOOM_IFACE_MAJOR(v) ((uint32_t)(v) >> 16)
#define LOOM_IFACE_MINOR(v) ((uint32_t)(v) & 0xffffu)

/* Publish iface (and opaque, handed back to every user) as name.
   provider names the publisher in errors (e.g. loom_device_name(dev)).
   False with *err set if name is taken or an argument is missing. */
LOOM_API bool loom_interface_publish(LoomMachine *m, const char *name, uint32_t version,
                                     const void *iface, void *opaque, const char *provider,
                                     char **err);
/* The interface published as name with version's major and a minor at
   least version's, with *opaque (if not NULL) set to its opaque; NULL
   with *err set if none is published or its version does not fit. */
LOOM_API const void *loom_interface_lookup(LoomMachine *m, const char *name, uint32_t version,
                                           void **opaque, char **err);

/* BQL: the big lock around device state. */
LOOM_API void loom_bql_lock(void);
LOOM_API void loom_bql_unlock(void);
LOOM_API bool loom_bql_locked(void);

/* The physical address of symbol name in the ELF images (-bios, -kernel)
   machine_boot loaded; false if none defines it.  Images are loaded after
   every device is realized (and again on reset), so call this once the
   machine runs (a timer callback, an MMIO access), not in create/realize. */
LOOM_API bool loom_machine_symbol(LoomMachine *m, const char *name, uint64_t *addr);

/* Request poweroff with an exit status, or a reset (from any thread). */
LOOM_API void loom_machine_shutdown(LoomMachine *m, int status);
LOOM_API void loom_machine_reset_request(LoomMachine *m);

/* A guest's bad register access, under -d guest_errors:
   "DEVICE: what at offset 0x... size N" */
static inline void loom_device_guest_error(LoomDevice *dev, const char *what, uint64_t offset,
                                           unsigned size)
{
    if (loom_log_enabled(LOOM_LOG_GUEST_ERROR)) {
        loom_log("%s: %s at offset 0x%" PRIx64 " size %u\n", loom_device_name(dev), what,
                 offset, size);
    }
}

/* Bit i of a bitmap of 32-bit words (interrupt controllers' registers) */
static inline bool loom_bitmap_get(const uint32_t *map, unsigned i)
{
    return (map[i / 32] >> (i % 32)) & 1;
}

static inline void loom_bitmap_set(uint32_t *map, unsigned i, bool v)
{
    if (v) {
        map[i / 32] |= 1u << (i % 32);
    } else {
        map[i / 32] &= ~(1u << (i % 32));
    }
}

#endif /* LOOM_DEVICE_H */
