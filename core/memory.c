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
    r->pages = tb_page_alloc(base, size);
    if (!r->pages) {
        *err = g_strdup_printf("cannot allocate the page table of %" PRIu64 " MiB of guest RAM: "
                               "use a smaller -m", size >> 20);
        munmap(p, size);
        g_free(r);
        return NULL;
    }
    r->name = g_strdup(name);
    return add_region(as, r);
}

bool guest_big_endian;

MemRegion *as_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                       const LoomMMIOOps *ops, void *opaque, bool lockless, char **err)
{
    MemRegion *r;

    if ((unsigned)ops->endianness > LOOM_ENDIAN_GUEST) {
        *err = g_strdup_printf("%s: its MMIO ops declare byte order %u: use LOOM_ENDIAN_LITTLE, "
                               "LOOM_ENDIAN_BIG or LOOM_ENDIAN_GUEST", name,
                               (unsigned)ops->endianness);
        return NULL;
    }
    if (overlaps(as, base, size, err, name)) {
        return NULL;
    }
    r = g_new0(MemRegion, 1);
    r->base = base;
    r->size = size;
    r->ops = ops;
    r->opaque = opaque;
    r->lockless = lockless;
    r->swap = ops->endianness == LOOM_ENDIAN_BIG ||
              (ops->endianness == LOOM_ENDIAN_GUEST && guest_big_endian);
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
uint64_t mmio_read(MemRegion *r, uint64_t addr, unsigned size, LoomMemAttrs attrs)
{
    bool lock = !r->lockless && !loom_bql_locked();
    uint64_t v = 0;

    if (lock) {
        loom_bql_lock();
    }
    if (r->ops->read) {
        v = r->ops->read(r->opaque, addr - r->base, size, attrs);
    }
    if (lock) {
        loom_bql_unlock();
    }
    v = size == 8 ? v : v & ((1ull << (size * 8)) - 1);
    return r->swap ? loom_bswap_size(v, size) : v;
}

void mmio_write(MemRegion *r, uint64_t addr, uint64_t val, unsigned size, LoomMemAttrs attrs)
{
    bool lock = !r->lockless && !loom_bql_locked();

    if (r->swap) {
        val = loom_bswap_size(val, size);
    }
    if (lock) {
        loom_bql_lock();
    }
    if (r->ops->write) {
        r->ops->write(r->opaque, addr - r->base, val, size, attrs);
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
            tb_page_free(r->pages, r->base, r->size);
        }
        g_free(r->name);
        g_free(r);
    }
    g_free(as->regions);
    as->regions = NULL;
    as->nb_regions = 0;
}

/* One aligned chunk of n bytes (1, 2, 4, 8) as a single relaxed atomic. */
static void dma_chunk(uint8_t *host, uint8_t *buf, unsigned n, bool is_write)
{
    switch (n) {
    case 8: {
        uint64_t v;
        if (is_write) {
            memcpy(&v, buf, 8);
            __atomic_store_n((uint64_t *)host, v, __ATOMIC_RELAXED);
        } else {
            v = __atomic_load_n((uint64_t *)host, __ATOMIC_RELAXED);
            memcpy(buf, &v, 8);
        }
        break;
    }
    case 4: {
        uint32_t v;
        if (is_write) {
            memcpy(&v, buf, 4);
            __atomic_store_n((uint32_t *)host, v, __ATOMIC_RELAXED);
        } else {
            v = __atomic_load_n((uint32_t *)host, __ATOMIC_RELAXED);
            memcpy(buf, &v, 4);
        }
        break;
    }
    case 2: {
        uint16_t v;
        if (is_write) {
            memcpy(&v, buf, 2);
            __atomic_store_n((uint16_t *)host, v, __ATOMIC_RELAXED);
        } else {
            v = __atomic_load_n((uint16_t *)host, __ATOMIC_RELAXED);
            memcpy(buf, &v, 2);
        }
        break;
    }
    default:
        if (is_write) {
            __atomic_store_n(host, *buf, __ATOMIC_RELAXED);
        } else {
            *buf = __atomic_load_n(host, __ATOMIC_RELAXED);
        }
        break;
    }
}

/*
 * Vring indices and descriptors are shared with vCPUs running at the same
 * time: every naturally aligned 2-, 4- or 8-byte piece of the transfer is
 * one atomic access, as a vCPU's own access to it would be, so neither
 * side sees it torn.  Ordering between pieces is the caller's (barriers).
 * A write into pages holding translated code invalidates it afterwards
 * (tb-page.c: write first, then invalidate).
 */
bool loom_dma_rw(LoomMachine *m, uint64_t addr, void *buf, size_t len, bool is_write)
{
    uint8_t *host = as_ram_ptr(&m->as, addr, len);
    uint8_t *b = buf;
    size_t i = 0;

    if (!host) {
        return false;
    }
    while (i < len) {
        unsigned n = 8;
        while (n > 1 && (((addr + i) & (n - 1)) || len - i < n)) {
            n >>= 1;
        }
        dma_chunk(host + i, b + i, n, is_write);
        i += n;
    }
    if (is_write) {
        tb_page_written(m, addr, len);
    }
    return true;
}

/*
 * Compare-and-swap of one aligned 64-bit word of guest RAM, sequentially
 * consistent with guest atomics on other vCPUs (page-table A/D updates).
 * Not a guest store: translated code on the page is not invalidated.
 */
bool loom_phys_cmpxchg64(LoomMachine *m, uint64_t paddr, uint64_t *expected,
                         uint64_t desired)
{
    uint8_t *host = (paddr & 7) ? NULL : as_ram_ptr(&m->as, paddr, 8);

    if (!host) {
        return false;
    }
    return __atomic_compare_exchange_n((uint64_t *)(void *)host, expected, desired, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* One naturally aligned RAM access of size bytes, host byte order. */
static uint64_t ram_load(const uint8_t *host, unsigned size)
{
    switch (size) {
    case 8: return __atomic_load_n((const uint64_t *)(const void *)host, __ATOMIC_SEQ_CST);
    case 4: return __atomic_load_n((const uint32_t *)(const void *)host, __ATOMIC_SEQ_CST);
    case 2: return __atomic_load_n((const uint16_t *)(const void *)host, __ATOMIC_SEQ_CST);
    default: return __atomic_load_n(host, __ATOMIC_SEQ_CST);
    }
}

static void ram_store(uint8_t *host, uint64_t v, unsigned size)
{
    switch (size) {
    case 8: __atomic_store_n((uint64_t *)(void *)host, v, __ATOMIC_SEQ_CST); break;
    case 4: __atomic_store_n((uint32_t *)(void *)host, (uint32_t)v, __ATOMIC_SEQ_CST); break;
    case 2: __atomic_store_n((uint16_t *)(void *)host, (uint16_t)v, __ATOMIC_SEQ_CST); break;
    default: __atomic_store_n(host, (uint8_t)v, __ATOMIC_SEQ_CST); break;
    }
}

/* The region behind every byte of [paddr, paddr + size), or NULL. */
static MemRegion *phys_region(LoomMachine *m, uint64_t paddr, unsigned size, unsigned memop)
{
    MemRegion *r = as_find(&m->as, paddr);
    bool aligned = (paddr & (size - 1)) == 0;

    if (!r || size > r->size - (paddr - r->base)) {
        return NULL;
    }
    if (!aligned && (!r->ram || (memop & LOOM_MEM_ALIGN))) {
        return NULL;
    }
    return r;
}

/* Whether memop's byte order differs from the host's. */
static bool phys_swap(unsigned memop)
{
    bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

    return ((memop & LOOM_MEM_BE) != 0) != host_be;
}

bool loom_phys_ld(LoomMachine *m, uint64_t paddr, unsigned memop, const LoomMemAttrs *attrs,
                  uint64_t *val)
{
    static const LoomMemAttrs core_attrs = { .requester = LOOM_REQ_CORE };
    unsigned size = loom_memop_size(memop);
    MemRegion *r = phys_region(m, paddr, size, memop);
    uint64_t v = 0;

    if (!r) {
        return false;
    }
    if (r->ram) {
        uint8_t *host = r->ram + (paddr - r->base);

        if (paddr & (size - 1)) {
            memcpy(&v, host, size);     /* host-order low bytes on a LE host */
            if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) {
                v >>= 64 - 8 * size;
            }
        } else {
            v = ram_load(host, size);
        }
        if (phys_swap(memop)) {
            v = loom_bswap_size(v, size);
        }
    } else {
        v = mmio_read(r, paddr, size, attrs ? *attrs : core_attrs);
        if (memop & LOOM_MEM_BE) {
            v = loom_bswap_size(v, size);
        }
    }
    *val = loom_memop_extend(v, memop);
    return true;
}

bool loom_phys_st(LoomMachine *m, uint64_t paddr, unsigned memop, const LoomMemAttrs *attrs,
                  uint64_t val)
{
    static const LoomMemAttrs core_attrs = { .requester = LOOM_REQ_CORE };
    unsigned size = loom_memop_size(memop);
    MemRegion *r = phys_region(m, paddr, size, memop);
    uint64_t v = loom_memop_extend(val, memop & ~LOOM_MEM_SIGN);

    if (!r) {
        return false;
    }
    if (r->ram) {
        uint8_t *host = r->ram + (paddr - r->base);

        if (phys_swap(memop)) {
            v = loom_bswap_size(v, size);
        }
        if (paddr & (size - 1)) {
            if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) {
                v <<= 64 - 8 * size;
            }
            memcpy(host, &v, size);
        } else {
            ram_store(host, v, size);
        }
        /* after the store: a translator reading the page from now on
           sees the new bytes (tb-page.c: write first, then invalidate) */
        tb_page_written(m, paddr, size);
    } else {
        if (memop & LOOM_MEM_BE) {
            v = loom_bswap_size(v, size);
        }
        mmio_write(r, paddr, v, size, attrs ? *attrs : core_attrs);
    }
    return true;
}
