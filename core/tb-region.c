/*
 * Code regions: the code buffer, where TB headers, their insn-start data
 * and their host code live, split into one region per translating
 * thread (tb_region(index)).
 *
 * Invariants:
 *  - A code region is written only by the thread that owns it, so code
 *    generation takes no global lock (tb_gen_code allocates with
 *    tb_region_alloc/free/commit and gives back with tb_region_rewind).
 *  - Regions are reset only by a full flush (tb_regions_reset, from
 *    tb_flush_all), when no vCPU is inside translated code or holds a TB
 *    pointer; nothing in a region is freed otherwise.
 *  - The buffer's mapping, and the region table, are set at init and
 *    kept until destroy.
 */
#include "config.h"
#include <inttypes.h>
#include <sys/mman.h>
#include "internal.h"

struct CodeRegion {
    uint8_t *start, *end;
    uint8_t *ptr;               /* owner thread only */
};

/* The TB code buffer. */
static struct {
    uint8_t *buf;
    size_t size;
    CodeRegion *regions;
    unsigned nb_regions;
    bool executable;            /* buf is mapped PROT_EXEC; set at init */
} tbc;

bool tb_regions_init(uint64_t buffer_size, unsigned nb_regions, char **err)
{
    size_t per;

    tbc.size = buffer_size;
    /* Readable, writable and executable: a JIT back-end writes host code
       here and runs it, and patches chained jumps while other threads run
       them (docs/design.md, "The x86_64 JIT").  A host that refuses
       W+X memory still gets a buffer the interpreter can use. */
    tbc.buf = mmap(NULL, tbc.size, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    tbc.executable = tbc.buf != MAP_FAILED;
    if (!tbc.executable) {
        tbc.buf = mmap(NULL, tbc.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (tbc.buf == MAP_FAILED) {
        *err = g_strdup_printf("cannot allocate a %" PRIu64 " MiB code buffer: %s: "
                               "use a smaller tb-size", buffer_size >> 20, g_strerror(errno));
        return false;
    }
    tbc.nb_regions = nb_regions;
    tbc.regions = g_new0(CodeRegion, nb_regions);
    per = (tbc.size / nb_regions) & ~(size_t)4095;
    for (unsigned i = 0; i < nb_regions; i++) {
        tbc.regions[i].start = tbc.buf + i * per;
        tbc.regions[i].end = tbc.regions[i].start + per;
        tbc.regions[i].ptr = tbc.regions[i].start;
    }
    return true;
}

void tb_regions_destroy(void)
{
    if (tbc.buf && tbc.buf != MAP_FAILED) {
        munmap(tbc.buf, tbc.size);
    }
    tbc.buf = NULL;
    g_free(tbc.regions);
    tbc.regions = NULL;
}

bool tb_code_executable(void)
{
    return tbc.executable;
}

CodeRegion *tb_region(unsigned index)
{
    return &tbc.regions[index % tbc.nb_regions];
}

/* Region allocation, owner thread only; NULL when the region is full. */
void *tb_region_alloc(CodeRegion *r, size_t size, size_t align)
{
    uint8_t *p = (uint8_t *)(((uintptr_t)r->ptr + align - 1) & ~(uintptr_t)(align - 1));

    if (p + size > r->end || p + size < p) {
        return NULL;
    }
    r->ptr = p + size;
    return p;
}

/* The region's next free byte, and how many follow it (owner only). */
uint8_t *tb_region_free(CodeRegion *r, size_t *avail)
{
    *avail = (size_t)(r->end - r->ptr);
    return r->ptr;
}

/* Give back everything allocated since tb_region_free returned mark
   (owner only). */
void tb_region_rewind(CodeRegion *r, uint8_t *mark)
{
    r->ptr = mark;
}

/* Keep used bytes of the space tb_region_free returned (owner only). */
void tb_region_commit(CodeRegion *r, size_t used)
{
    r->ptr += used;
}

/* Every region empty again (tb_flush_all: no vCPU in translated code). */
void tb_regions_reset(void)
{
    for (unsigned i = 0; i < tbc.nb_regions; i++) {
        tbc.regions[i].ptr = tbc.regions[i].start;
    }
}

/* The buffer's size, how much of it the regions use now (TB headers and
   insn data included) and how many regions there are. */
void tb_regions_usage(TBStats *st)
{
    st->buffer_size = tbc.size;
    st->buffer_used = 0;
    st->nb_regions = tbc.nb_regions;
    for (unsigned i = 0; i < tbc.nb_regions; i++) {
        st->buffer_used += (uint64_t)(tbc.regions[i].ptr - tbc.regions[i].start);
    }
}
