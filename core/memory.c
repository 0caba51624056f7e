/*
 * The guest physical address space: RAM and the MMIO regions devices map.
 * Regions are added during machine setup only; once vCPUs run the table
 * is read-only and needs no lock.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include <sys/mman.h>
#include "internal.h"

static bool overlaps(const AddressSpace *as, uint64_t base, uint64_t size, char **err,
                     const char *name)
{
    if (size == 0 || base + size - 1 < base) {
        *err = g_strdup_printf("%s: region at 0x%" PRIx64 " size 0x%" PRIx64
                               " is empty or wraps around: fix its reg property",
                               name, base, size);
        return true;
    }
    for (unsigned i = 0; i < as->nb_regions; i++) {
        const MemRegion *r = as->regions[i];
        if (base < r->base + r->size && r->base < base + size) {
            *err = g_strdup_printf("%s at 0x%" PRIx64 "-0x%" PRIx64 " overlaps %s at 0x%"
                                   PRIx64 "-0x%" PRIx64 ": move one of them",
                                   name, base, base + size - 1, r->name,
                                   r->base, r->base + r->size - 1);
            return true;
        }
    }
    return false;
}

static MemRegion *add_region(AddressSpace *as, MemRegion *r)
{
    unsigned i;

    as->regions = g_renew(MemRegion *, as->regions, as->nb_regions + 1);
    for (i = as->nb_regions; i > 0 && as->regions[i - 1]->base > r->base; i--) {
        as->regions[i] = as->regions[i - 1];
    }
    as->regions[i] = r;
    as->nb_regions++;
    return r;
}

MemRegion *as_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                      char **err)
{
    MemRegion *r;
    void *p;

    if (overlaps(as, base, size, err, name)) {
        return NULL;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0);
    if (p == MAP_FAILED) {
        *err = g_strdup_printf("cannot allocate %" PRIu64 " MiB of guest RAM: %s: use a smaller -m",
                               size >> 20, g_strerror(errno));
        return NULL;
    }
    r = g_new0(MemRegion, 1);
    r->base = base;
    r->size = size;
    r->ram = p;
    r->name = g_strdup(name);
    return add_region(as, r);
}

MemRegion *as_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                       const LoomMMIOOps *ops, void *opaque, bool lockless, char **err)
{
    MemRegion *r;

    if (overlaps(as, base, size, err, name)) {
        return NULL;
    }
    r = g_new0(MemRegion, 1);
    r->base = base;
    r->size = size;
    r->ops = ops;
    r->opaque = opaque;
    r->lockless = lockless;
    r->name = g_strdup(name);
    return add_region(as, r);
}

MemRegion *as_find(const AddressSpace *as, uint64_t addr)
{
    unsigned lo = 0, hi = as->nb_regions;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        MemRegion *r = as->regions[mid];
        if (addr < r->base) {
            hi = mid;
        } else if (addr - r->base >= r->size) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    return NULL;
}

uint8_t *as_ram_ptr(const AddressSpace *as, uint64_t addr, uint64_t len)
{
    MemRegion *r = as_find(as, addr);

    if (!r || !r->ram || len > r->size - (addr - r->base)) {
        return NULL;
    }
    return r->ram + (addr - r->base);
}

/* Device callbacks run under the BQL unless the device is lockless. */
uint64_t mmio_read(MemRegion *r, uint64_t addr, unsigned size)
{
    bool lock = !r->lockless && !loom_bql_locked();
    uint64_t v = 0;

    if (lock) {
        loom_bql_lock();
    }
    if (r->ops->read) {
        v = r->ops->read(r->opaque, addr - r->base, size);
    }
    if (lock) {
        loom_bql_unlock();
    }
    return size == 8 ? v : v & ((1ull << (size * 8)) - 1);
}

void mmio_write(MemRegion *r, uint64_t addr, uint64_t val, unsigned size)
{
    bool lock = !r->lockless && !loom_bql_locked();

    if (lock) {
        loom_bql_lock();
    }
    if (r->ops->write) {
        r->ops->write(r->opaque, addr - r->base, val, size);
    }
    if (lock) {
        loom_bql_unlock();
    }
}

void as_destroy(AddressSpace *as)
{
    for (unsigned i = 0; i < as->nb_regions; i++) {
        MemRegion *r = as->regions[i];
        if (r->ram) {
            munmap(r->ram, r->size);
        }
        g_free(r->name);
        g_free(r);
    }
    g_free(as->regions);
    as->regions = NULL;
    as->nb_regions = 0;
}

bool loom_dma_rw(LoomMachine *m, uint64_t addr, void *buf, size_t len, bool is_write)
{
    uint8_t *host = as_ram_ptr(&m->as, addr, len);

    if (!host || len == 0) {
        return host != NULL;
    }
    /* byte copies: another vCPU may touch the same RAM at the same time,
       and neither side promises more than single-byte atomicity here */
    if (is_write) {
        for (size_t i = 0; i < len; i++) {
            __atomic_store_n(&host[i], ((uint8_t *)buf)[i], __ATOMIC_RELAXED);
        }
    } else {
        for (size_t i = 0; i < len; i++) {
            ((uint8_t *)buf)[i] = __atomic_load_n(&host[i], __ATOMIC_RELAXED);
        }
    }
    return true;
}
