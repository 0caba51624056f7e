/*
 * drive.c - block backends (-drive) and their placement in the machine's
 * virtio-mmio slots.
 *
 * A drive is a raw image opened read-write or read-only.  -drive options
 * are parsed (and their files opened) before the machine is built, so a
 * missing image is reported at once.  `-drive ...,if=virtio` then becomes
 * a virtio-blk device in the machine's next free virtio-mmio slot (see
 * drive_fill_slots); `if=none` only names the drive for
 * `-device virtio-blk,drive=ID`.
 *
 * Slots: a machine file declares each virtio-mmio slot as a device of type
 * virtio-mmio (an empty transport, device ID 0, as QEMU virt shows unused
 * slots to the guest):
 *     [device virtio0]
 *     type=virtio-mmio
 *     reg=0x10001000,0x1000
 *     irq=plic.1
 * A slot is taken, in file order, by a -device whose reg has the slot's
 * base, by a virtio-* -device given without reg (it inherits the slot's
 * reg, irq and dma-coherent), or by an if=virtio drive (the slot becomes
 * a virtio-blk).
 *
 * Shared state: `drives` is written during setup (main thread, before any
 * vCPU thread exists) and only read afterwards; each drive's fd is used
 * with positioned I/O, which needs no lock.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "drive-setup.h"
#include <loom/drive.h>

struct LoomDrive {
    char *id;                   /* -drive id, or generated "driveN" */
    char *file;
    int fd;
    bool read_only;
    bool if_virtio;             /* wants a virtio-mmio slot */
    uint64_t size;
    LoomDevice *owner;          /* device using it, NULL if none yet */
};

static GPtrArray *drives;       /* LoomDrive *, setup-time only */

static LoomDrive *drive_open_file(const char *what, const char *path,
                                  bool read_only, char **err)
{
    struct stat st;
    LoomDrive *d;
    int fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);

    if (fd < 0) {
        int e = errno;
        *err = g_strdup_printf("%s: cannot open image %s: %s%s", what, path, g_strerror(e),
                               e == EACCES || e == EROFS ? " (add readonly=on?)" : "");
        return NULL;
    }
    if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
        *err = g_strdup_printf("%s: %s is not a regular file or block device: give a raw image",
                               what, path);
        close(fd);
        return NULL;
    }
    d = g_new0(LoomDrive, 1);
    d->fd = fd;
    d->file = g_strdup(path);
    d->read_only = read_only;
    if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(fd, 0, SEEK_END);
        d->size = end > 0 ? (uint64_t)end : 0;
    } else {
        d->size = (uint64_t)st.st_size;
    }
    if (!drives) {
        drives = g_ptr_array_new();
    }
    g_ptr_array_add(drives, d);
    return d;
}

static LoomDrive *drive_find(const char *id)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        LoomDrive *d = drives->pdata[i];
        if (d->id && !strcmp(d->id, id)) {
            return d;
        }
    }
    return NULL;
}

/* -drive file=IMG[,format=raw][,if=virtio|none][,id=ID][,readonly=on|off] */
bool drive_add(const char *arg, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    const char *file = NULL, *format = "raw", *iface = "virtio", *id = NULL;
    bool read_only = false, ok = true;
    LoomDrive *d;

    for (int i = 0; ok && parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        const char *v = eq ? eq + 1 : "";
        if (eq) {
            *eq = 0;
        }
        if (!strcmp(parts[i], "file")) {
            file = v;
        } else if (!strcmp(parts[i], "format")) {
            format = v;
        } else if (!strcmp(parts[i], "if")) {
            iface = v;
        } else if (!strcmp(parts[i], "id")) {
            id = v;
        } else if (!strcmp(parts[i], "readonly")) {
            if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") || !*v) {
                read_only = true;
            } else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no")) {
                read_only = false;
            } else {
                *err = g_strdup_printf("-drive: readonly=%s is not valid: give on or off", v);
                ok = false;
            }
        } else {
            *err = g_strdup_printf("-drive: unknown option '%s': valid ones are file, format, "
                                   "if, id, readonly", parts[i]);
            ok = false;
        }
    }
    if (ok && (!file || !*file)) {
        *err = g_strdup_printf("-drive %s: no image: give file=IMAGE", arg);
        ok = false;
    } else if (ok && strcmp(format, "raw")) {
        *err = g_strdup_printf("-drive: format=%s is not supported: only raw images "
                               "(convert with qemu-img convert -O raw)", format);
        ok = false;
    } else if (ok && strcmp(iface, "virtio") && strcmp(iface, "none")) {
        *err = g_strdup_printf("-drive: if=%s is not supported: use if=virtio (or if=none "
                               "with -device virtio-blk,drive=ID)", iface);
        ok = false;
    } else if (ok && id && (!*id || drive_find(id))) {
        *err = *id ? g_strdup_printf("-drive: id=%s is used twice: give each drive its own id", id)
                   : g_strdup("-drive: id= is empty: give a name");
        ok = false;
    }
    if (ok) {
        char *what = g_strdup_printf("-drive file=%s", file);
        d = drive_open_file(what, file, read_only, err);
        g_free(what);
        ok = d != NULL;
        if (ok) {
            d->id = id ? g_strdup(id) : g_strdup_printf("drive%u", drives->len - 1);
            d->if_virtio = !strcmp(iface, "virtio");
        }
    }
    g_strfreev(parts);
    return ok;
}

void drive_close_all(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        LoomDrive *d = drives->pdata[i];
        close(d->fd);
        g_free(d->id);
        g_free(d->file);
        g_free(d);
    }
    if (drives) {
        g_ptr_array_free(drives, TRUE);
        drives = NULL;
    }
}

/* ---- the plugin API ---- */

LoomDrive *loom_drive_attach(LoomDevice *dev, const char *id, char **err)
{
    LoomDrive *d = drive_find(id);

    if (!d) {
        *err = g_strdup_printf("drive=%s: there is no -drive with id=%s", id, id);
        return NULL;
    }
    if (d->owner && d->owner != dev) {
        *err = g_strdup_printf("drive=%s is already used by device %s: give each device its "
                               "own -drive", id, d->owner->name);
        return NULL;
    }
    d->owner = dev;
    return d;
}

LoomDrive *loom_drive_open(LoomDevice *dev, const char *path, bool read_only, char **err)
{
    LoomDrive *d = drive_open_file("file", path, read_only, err);

    if (d) {
        d->owner = dev;
    }
    return d;
}

uint64_t loom_drive_size(const LoomDrive *d)
{
    return d->size;
}

bool loom_drive_read_only(const LoomDrive *d)
{
    return d->read_only;
}

const char *loom_drive_id(const LoomDrive *d)
{
    return d->id ? d->id : d->file;
}

static bool in_range(const LoomDrive *d, uint64_t off, size_t len)
{
    return off <= d->size && len <= d->size - off;
}

bool loom_drive_pread(LoomDrive *d, uint64_t off, void *buf, size_t len)
{
    uint8_t *p = buf;

    if (!in_range(d, off, len)) {
        return false;
    }
    while (len) {
        ssize_t n = pread(d->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            /* the file shrank under us: what is gone reads as zeros */
            memset(p, 0, len);
            return true;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return true;
}

bool loom_drive_pwrite(LoomDrive *d, uint64_t off, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (d->read_only || !in_range(d, off, len)) {
        return false;
    }
    while (len) {
        ssize_t n = pwrite(d->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return true;
}

bool loom_drive_flush(LoomDrive *d)
{
    if (d->read_only) {
        return true;
    }
    return fdatasync(d->fd) == 0;
}

/* ---- slots ---- */

#define SLOT_TYPE "virtio-mmio"

static bool is_slot(const LoomDevice *dev)
{
    return !strcmp(dev->plugin->desc->name, SLOT_TYPE);
}

static bool reg_base(const LoomDevice *dev, uint64_t *base)
{
    const char *v = g_hash_table_lookup(dev->props, "reg");
    char *first;
    bool ok;

    if (!v) {
        return false;
    }
    first = g_strndup(v, strcspn(v, ","));
    ok = parse_size(g_strstrip(first), base);
    g_free(first);
    return ok;
}

static bool has_prop(const LoomDevice *dev, const char *name)
{
    for (const LoomPropInfo *p = dev->ops->props; p->name; p++) {
        if (!strcmp(p->name, name)) {
            return true;
        }
    }
    return false;
}

/* Drop a slot another device took (it was never created). */
static void slot_remove(LoomMachine *m, LoomDevice *slot)
{
    g_ptr_array_remove(m->devices, slot);
    g_hash_table_destroy(slot->props);
    g_free(slot->name);
    g_free(slot->origin);
    g_free(slot);
}

/* The first slot still free, or NULL. */
static LoomDevice *next_slot(LoomMachine *m)
{
    for (guint i = 0; i < m->devices->len; i++) {
        LoomDevice *dev = m->devices->pdata[i];
        if (is_slot(dev)) {
            return dev;
        }
    }
    return NULL;
}

static unsigned count_slots(LoomMachine *m)
{
    unsigned n = 0;
    for (guint i = 0; i < m->devices->len; i++) {
        n += is_slot(m->devices->pdata[i]);
    }
    return n;
}

bool drive_fill_slots(LoomMachine *m, char **err)
{
    unsigned nb_slots = count_slots(m);
    GPtrArray *devs = g_ptr_array_new();

    /* the devices that are not slots (slots are freed as they go) */
    for (guint i = 0; i < m->devices->len; i++) {
        if (!is_slot(m->devices->pdata[i])) {
            g_ptr_array_add(devs, m->devices->pdata[i]);
        }
    }
    /* 1. devices placed at a slot's address take it */
    for (guint i = 0; i < devs->len; i++) {
        LoomDevice *dev = devs->pdata[i];
        uint64_t base, sbase;
        if (!reg_base(dev, &base)) {
            continue;
        }
        for (guint j = 0; j < m->devices->len; j++) {
            LoomDevice *slot = m->devices->pdata[j];
            if (is_slot(slot) && reg_base(slot, &sbase) && sbase == base) {
                slot_remove(m, slot);
                break;
            }
        }
    }
    /* 2. virtio devices without reg go to the next free slot */
    for (guint i = 0; i < devs->len; i++) {
        LoomDevice *dev = devs->pdata[i];
        LoomDevice *slot;
        const char *irq, *coherent;
        if (!g_str_has_prefix(dev->plugin->desc->name, "virtio-") ||
            g_hash_table_contains(dev->props, "reg") || !has_prop(dev, "reg")) {
            continue;
        }
        slot = next_slot(m);
        if (!slot) {
            *err = g_strdup_printf("%s: device %s: no free virtio-mmio slot (machine %s has %u): "
                                   "give reg= and irq=", dev->origin, dev->name, m->name, nb_slots);
            g_ptr_array_free(devs, TRUE);
            return false;
        }
        g_hash_table_replace(dev->props, g_strdup("reg"),
                             g_strdup(g_hash_table_lookup(slot->props, "reg")));
        irq = g_hash_table_lookup(slot->props, "irq");
        if (irq && has_prop(dev, "irq") && !g_hash_table_contains(dev->props, "irq")) {
            g_hash_table_replace(dev->props, g_strdup("irq"), g_strdup(irq));
        }
        /* and the board's word on coherence (arm-virt's slots say on) */
        coherent = g_hash_table_lookup(slot->props, "dma-coherent");
        if (coherent && has_prop(dev, "dma-coherent") &&
            !g_hash_table_contains(dev->props, "dma-coherent")) {
            g_hash_table_replace(dev->props, g_strdup("dma-coherent"), g_strdup(coherent));
        }
        slot_remove(m, slot);
    }
    g_ptr_array_free(devs, TRUE);

    /* 3. -drive if=virtio, unless a -device claims it by id */
    for (guint i = 0; drives && i < drives->len; i++) {
        LoomDrive *d = drives->pdata[i];
        LoomDevice *slot;
        LoomPlugin *blk;
        bool claimed = false;

        for (guint j = 0; j < m->devices->len; j++) {
            const char *v = g_hash_table_lookup(((LoomDevice *)m->devices->pdata[j])->props, "drive");
            claimed |= v && !strcmp(v, d->id);
        }
        if (!d->if_virtio || claimed) {
            continue;
        }
        slot = next_slot(m);
        if (!slot) {
            *err = nb_slots
                ? g_strdup_printf("-drive file=%s: no free virtio-mmio slot (machine %s has %u): "
                                  "use fewer -drive/-device options", d->file, m->name, nb_slots)
                : g_strdup_printf("-drive file=%s: machine %s declares no virtio-mmio slots: use "
                                  "if=none and -device virtio-blk,drive=%s,reg=...", d->file,
                                  m->name, d->id);
            return false;
        }
        blk = plugin_load(LOOM_PLUGIN_DEVICE, "virtio-blk", err);
        if (!blk) {
            return false;
        }
        /* the slot becomes a virtio-blk with the slot's reg and irq */
        slot->plugin = blk;
        slot->ops = blk->desc->ops;
        g_hash_table_replace(slot->props, g_strdup("drive"), g_strdup(d->id));
    }
    return true;
}
