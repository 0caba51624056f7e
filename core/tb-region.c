/*
 * Code regions: the code buffer, where TB headers, their insn-start data
 * and their host code live, handed out in chunks to the translating
 * threads' regions (tb_region(index)).
 *
 * Invariants:
 *  - Each translating thread has a code region: the chunk of the buffer
 *    it fills now, written only by that thread, so code generation takes
 *    no global lock (tb_gen_code allocates with tb_region_alloc/free/
 *    commit and gives back with tb_region_rewind).  A thread whose chunk
 *    is full takes the next free chunk (one atomic add, tb_region_next);
 *    when none is left, a full flush returns them all.  A busy thread can
 *    so use most of the buffer while idle ones hold a chunk each, instead
 *    of a fixed 1/N of it.
 *  - Regions are reset only by a full flush (tb_regions_reset, from
 *    tb_flush_all), when no vCPU is inside translated code or holds a TB
 *    pointer; nothing in a chunk is freed otherwise.
 *  - The buffer's mapping (two views with wx=on), and the region table,
 *    are set at init and kept until destroy.
 */
#include "config.h"
#include <inttypes.h>
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"

/* A thread's current chunk [start, end), filled up to ptr; all NULL
   before its first translation and after a flush.  Owner thread only
   (a flush resets it with every vCPU out of translated code). */
struct CodeRegion {
    uint8_t *start, *end;
    uint8_t *ptr;
};

/* The TB code buffer. */
static struct {
    uint8_t *buf;
    size_t size;
    CodeRegion *regions;        /* one per translating thread */
    unsigned nb_regions;
    size_t chunk_size;          /* set at init */
    unsigned nb_chunks;         /* set at init */
    unsigned next_chunk;        /* atomic: chunks handed out since the last flush */
    bool executable;            /* buf is mapped PROT_EXEC; set at init */
    /* wx=on: buf is the writable view, buf + exec_off the executable
       one, of the same memory; 0 otherwise.  Set at init */
    intptr_t exec_off;
} tbc;

/* Chunks: a quarter of an even share of the buffer, so that a busy
   thread can take several; at least 128 KiB (a TB of 512 insns needs
   about 50 KiB with its header) unless an even share is smaller. */
#define TB_CHUNK_MIN (128 * 1024)

bool tb_wx_enabled;

intptr_t loom_code_exec_offset(void)
{
    return tbc.exec_off;
}

/* wx=on: one memory file mapped twice, read-write for the translator and
   read-execute for the vCPUs, so no page is writable and executable at
   once.  tbc.buf is the writable view. */
static bool map_wx(char **err)
{
    int fd = memfd_create("loom-code", MFD_CLOEXEC);
    void *rw = MAP_FAILED, *rx = MAP_FAILED;

    if (fd >= 0 && ftruncate(fd, (off_t)tbc.size) == 0) {
        rw = mmap(NULL, tbc.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        rx = mmap(NULL, tbc.size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    }
    if (fd < 0 || rw == MAP_FAILED || rx == MAP_FAILED) {
        *err = g_strdup_printf("-accel tcg,wx=on: cannot map the code buffer twice: %s: "
                               "use wx=off", g_strerror(errno));
        if (rw != MAP_FAILED) {
            munmap(rw, tbc.size);
        }
        if (rx != MAP_FAILED) {
            munmap(rx, tbc.size);
        }
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    close(fd);      /* the mappings keep the memory */
    tbc.buf = rw;
    tbc.exec_off = (intptr_t)((uint8_t *)rx - (uint8_t *)rw);
    tbc.executable = true;
    return true;
}

bool tb_regions_init(uint64_t buffer_size, unsigned nb_regions, char **err)
{
    size_t share;

    tbc.size = buffer_size;
    tbc.exec_off = 0;
    if (tb_wx_enabled) {
        const LoomBackendOps *be = current_machine ? current_machine->be : NULL;
        if (be && !be->supports_wx) {
            *err = g_strdup_printf("back-end %s cannot run with -accel tcg,wx=on (it does not "
                                   "declare supports_wx): use wx=off or another back-end",
                                   current_machine->backend_plugin->desc->name);
            return false;
        }
        if (!map_wx(err)) {
            return false;
        }
    } else {
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
    }
    tbc.nb_regions = nb_regions;
    tbc.regions = g_new0(CodeRegion, nb_regions);      /* empty: no chunk yet */
    share = tbc.size / nb_regions;
    tbc.chunk_size = MAX(share / 4, MIN(share, TB_CHUNK_MIN)) & ~(size_t)4095;
    tbc.nb_chunks = (unsigned)(tbc.size / tbc.chunk_size);
    tbc.next_chunk = 0;
    return true;
}

void tb_regions_destroy(void)
{
    if (tbc.buf && tbc.buf != MAP_FAILED) {
        munmap(tbc.buf, tbc.size);
        if (tbc.exec_off) {
            munmap(tbc.buf + tbc.exec_off, tbc.size);
        }
    }
    tbc.buf = NULL;
    tbc.exec_off = 0;
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

/* Region allocation, owner thread only; NULL when the region's chunk is
   full (or it has none). */
void *tb_region_alloc(CodeRegion *r, size_t size, size_t align)
{
    uint8_t *p;

    if (!r->start) {
        return NULL;
    }
    p = (uint8_t *)(((uintptr_t)r->ptr + align - 1) & ~(uintptr_t)(align - 1));
    if (size > (size_t)(r->end - r->start) || p > r->end - size) {
        return NULL;
    }
    r->ptr = p + size;
    return p;
}

/* Give r the next free chunk; false when every chunk is taken (until the
   next flush).  Owner thread only. */
static bool region_refill(CodeRegion *r)
{
    unsigned i;

    /* relaxed: the counter only hands out indexes; the chunk's memory is
       the taker's alone, and a flush resets the counter with every vCPU
       stopped (the exclusive section orders it) */
    if (__atomic_load_n(&tbc.next_chunk, __ATOMIC_RELAXED) >= tbc.nb_chunks) {
        return false;
    }
    i = __atomic_fetch_add(&tbc.next_chunk, 1, __ATOMIC_RELAXED);
    if (i >= tbc.nb_chunks) {
        return false;
    }
    r->start = r->ptr = tbc.buf + (size_t)i * tbc.chunk_size;
    r->end = r->start + tbc.chunk_size;
    return true;
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

/* Every region empty again, every chunk free (tb_flush_all: no vCPU in
   translated code). */
void tb_regions_reset(void)
{
    for (unsigned i = 0; i < tbc.nb_regions; i++) {
        tbc.regions[i] = (CodeRegion){ NULL, NULL, NULL };
    }
    __atomic_store_n(&tbc.next_chunk, 0, __ATOMIC_RELAXED);
}

bool tb_region_next(CodeRegion *r, uint8_t *mark)
{
    if ((!r->start || mark != r->start) && region_refill(r)) {
        return true;
    }
    if (r->start && mark == r->start) {
        loom_fatal("a translation block needs more than a whole %zu KiB code chunk: "
                   "use a larger -accel tcg,tb-size", tbc.chunk_size >> 10);
    }
    return false;
}

/* The buffer's size, how much of it the regions use now (TB headers and
   insn data included) and how many regions there are. */
void tb_regions_usage(TBStats *st)
{
    st->buffer_size = tbc.size;
    st->nb_regions = tbc.nb_regions;
    /* chunks handed out, less what the regions' current chunks have left
       (the unused tail of a chunk given up counts as used) */
    st->buffer_used = (uint64_t)MIN(__atomic_load_n(&tbc.next_chunk, __ATOMIC_RELAXED),
                                    tbc.nb_chunks) * tbc.chunk_size;
    for (unsigned i = 0; i < tbc.nb_regions; i++) {
        st->buffer_used -= (uint64_t)(tbc.regions[i].end - tbc.regions[i].ptr);
    }
}
