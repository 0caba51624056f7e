/*
 * The softmmu's TLBs: per-vCPU tables, their geometry, fills
 * (loom_tlb_set_page*), local flushes by mode, page, range and tag, and
 * the code-page marks.  Cross-vCPU flushes are in tlb-flush.c, the slow
 * paths of guest loads, stores, atomics and code fetch in ldst.c.
 *
 * Geometry: the front-end declares its page size (page_bits 12, 14 or
 * 16) and its number of MMU modes (1..16); each vCPU gets, per mode, a
 * table of 1 << TLB_BITS fast-path entries and as many private
 * IOTLBEntry, allocated at vCPU creation, the same size for the whole
 * run.  Back-ends reach a table through cpu->tlb_fast[mode] (mask and
 * pointer), the last 256 bytes before env, or, for vCPUs made by
 * cpu_alloc (all the machine runs), at a fixed distance from env with
 * a fixed mask (loom_tlb_fast_fixed).
 *
 * Each vCPU's TLB is written only by its own thread (fills on a miss,
 * local flushes); other vCPUs that want it flushed queue work to it.
 * A TLB entry maps one guest page; its physical side (and its tag and
 * mapping size) lives in the private IOTLBEntry of the same index.
 *
 * Code pages (tb-page.c): a write entry for a RAM page holding
 * translated code carries LOOM_TLB_NOTDIRTY, set at fill time or by
 * tlb_code_sync when the page became code after the fill.  The slow path
 * (ldst.c) then writes and calls tb_page_written, which invalidates the
 * TBs on the bytes written; a NOTDIRTY entry for a page no longer holding
 * code loses the flag on its next write.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include "internal.h"
#include "cputlb.h"
#include "gdbstub.h"

unsigned tlb_page_bits = 12;            /* set once, before vCPUs start */

/* The table of modes at or above nb_mmu_modes: mask 0, never a hit.
   Read by fast paths, never written. */
static LoomTLBEntry tlb_unused_entry = { UINT64_MAX, UINT64_MAX, UINT64_MAX, 0 };

/* The modes cpu_alloc made tables for (0: no vCPU came from it): set
   before any code is translated, the same for every vCPU.  Relaxed
   atomics: unit tests make vCPUs on several threads at once, each
   storing the same value. */
static unsigned tlb_fixed_modes;

unsigned loom_tlb_page_bits(void)
{
    return tlb_page_bits;
}

LOOM_API bool loom_tlb_fast_fixed(unsigned mode, int32_t *table_ofs, uintptr_t *mask)
{
    if (mode >= __atomic_load_n(&tlb_fixed_modes, __ATOMIC_RELAXED)) {
        return false;
    }
    *table_ofs = -(int32_t)(offsetof(LoomCPU, env) + (mode + 1) * TLB_TABLE_SPAN);
    *mask = (((uintptr_t)1 << TLB_BITS) - 1) << LOOM_TLB_ENTRY_BITS;
    return true;
}

LoomCPU *cpu_alloc(size_t env_size, unsigned nb_modes)
{
    size_t cpu_size = (sizeof(LoomCPU) + env_size + 63) & ~(size_t)63;
    size_t size = nb_modes * TLB_TABLE_SPAN + cpu_size;
    uint8_t *block;
    LoomCPU *cpu;

    /* heap memory (a leak checker sees the pointers in it), 64-byte
       aligned as env and the tables want */
    block = aligned_alloc(64, size);
    if (!block) {
        return NULL;
    }
    memset(block, 0, size);
    cpu = (LoomCPU *)(block + nb_modes * TLB_TABLE_SPAN);
    cpu->priv = g_malloc0(sizeof(LoomCPUPrivate));
    cpu->priv->tlb_block = block;
    cpu->priv->tlb_block_modes = nb_modes;
    __atomic_store_n(&tlb_fixed_modes, nb_modes, __ATOMIC_RELAXED);
    return cpu;
}

void cpu_free(LoomCPU *cpu)
{
    LoomCPUPrivate *p = cpu->priv;

    tlb_destroy(cpu);
    free(p->tlb_block);
    g_free(p);
}

bool tlb_geometry_check(const LoomFrontendOps *o, const char *file, char **err)
{
    if (o->page_bits != 12 && o->page_bits != 14 && o->page_bits != 16) {
        *err = g_strdup_printf("plugin %s: page_bits %u is not a supported page size: "
                               "declare 12, 14 or 16 (4, 16 or 64 KiB pages)",
                               file, o->page_bits);
        return false;
    }
    if (o->nb_mmu_modes == 0 || o->nb_mmu_modes > LOOM_TLB_MAX_MODES) {
        *err = g_strdup_printf("plugin %s: nb_mmu_modes %u is out of range: declare 1 to %u "
                               "MMU modes", file, o->nb_mmu_modes, LOOM_TLB_MAX_MODES);
        return false;
    }
    return true;
}

/* Give mode m its table: cpu_alloc's, or one of its own for a vCPU made
   elsewhere (unit tests). */
static void mode_alloc(LoomCPU *cpu, unsigned m)
{
    size_t n = (size_t)1 << TLB_BITS;
    LoomTLBFast *f = &cpu->tlb_fast[m];

    if (m < cpu->priv->tlb_block_modes) {
        f->table = (LoomTLBEntry *)((uint8_t *)cpu - (m + 1) * TLB_TABLE_SPAN);
    } else {
        /* 64-byte aligned: two entries per host cache line */
        f->table = aligned_alloc(64, n * sizeof(LoomTLBEntry));
        if (!f->table) {
            loom_fatal("out of memory allocating the TLB of vCPU %u", cpu->cpu_index);
        }
    }
    f->mask = (uintptr_t)(n - 1) << LOOM_TLB_ENTRY_BITS;
    cpu->priv->tlbm[m].io = g_new0(IOTLBEntry, n);
}

/* Empty mode m.  Owner only. */
static void mode_clear(LoomCPU *cpu, unsigned m)
{
    TLBMode *tm = &cpu->priv->tlbm[m];

    memset(cpu->tlb_fast[m].table, 0xff, (size_t)tlb_entries(cpu, m) * sizeof(LoomTLBEntry));
    tm->lp_base = 0;
    tm->lp_low = 0;
}

void tlb_alloc(LoomCPU *cpu, unsigned nb_modes)
{
    if (!nb_modes) {
        nb_modes = cpu->machine->fe->nb_mmu_modes;
    }
    if (nb_modes == 0 || nb_modes > LOOM_TLB_MAX_MODES) {
        /* tlb_geometry_check refused such a front-end at load time */
        loom_fatal("internal error: a TLB of %u MMU modes", nb_modes);
    }
    cpu->priv->tlb_modes = nb_modes;
    for (unsigned m = 0; m < LOOM_TLB_MAX_MODES; m++) {
        LoomTLBFast *f = &cpu->tlb_fast[m];

        if (m >= nb_modes) {
            f->mask = 0;
            f->table = &tlb_unused_entry;
            continue;
        }
        memset(&cpu->priv->tlbm[m], 0, sizeof(TLBMode));
        mode_alloc(cpu, m);
        mode_clear(cpu, m);
    }
}

void tlb_init(LoomCPU *cpu)
{
    if (!cpu->priv->tlb_modes) {
        tlb_alloc(cpu, 0);
        return;
    }
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        mode_clear(cpu, m);
    }
}

void tlb_destroy(LoomCPU *cpu)
{
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        if (m >= cpu->priv->tlb_block_modes) {
            free(cpu->tlb_fast[m].table);
        }
        g_free(cpu->priv->tlbm[m].io);
        cpu->tlb_fast[m].table = &tlb_unused_entry;
        cpu->tlb_fast[m].mask = 0;
        cpu->priv->tlbm[m].io = NULL;
    }
    cpu->priv->tlb_modes = 0;
}

/* The modes of a public mode mask this vCPU has. */
static inline uint32_t own_modes(const LoomCPU *cpu, uint32_t modes)
{
    return modes & ((UINT32_C(1) << cpu->priv->tlb_modes) - 1);
}

static void log_flush(const LoomCPU *cpu, const char *what, uint64_t a, uint64_t b,
                      uint32_t modes)
{
    if (loom_log_enabled(LOOM_LOG_MMU)) {
        loom_log("mmu: cpu%u: tlb flush %s 0x%" PRIx64 " 0x%" PRIx64 " modes 0x%x\n",
                 cpu->cpu_index, what, a, b, modes);
    }
}

void loom_tlb_flush_modes(LoomCPU *cpu, uint32_t modes)
{
    modes = own_modes(cpu, modes);
    log_flush(cpu, "modes", 0, 0, modes);
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        if (modes & (1u << m)) {
            mode_clear(cpu, m);
        }
    }
    /* the jump cache is keyed by virtual pc: stale after a remap */
    tb_jmp_cache_clear(cpu);
}

void loom_tlb_flush(LoomCPU *cpu)
{
    loom_tlb_flush_modes(cpu, LOOM_TLB_MODES_ALL);
}

/* Drop, in mode m, every entry whose mapping overlaps [first, last]
   (pages; inclusive, so the top of the address space is expressible). */
static void mode_flush_span(LoomCPU *cpu, unsigned m, uint64_t first, uint64_t last)
{
    LoomTLBEntry *t = cpu->tlb_fast[m].table;
    IOTLBEntry *io = cpu->priv->tlbm[m].io;
    unsigned n = tlb_entries(cpu, m);

    for (unsigned i = 0; i < n; i++) {
        uint64_t page = entry_page(&t[i]), low;

        if (page == UINT64_MAX) {
            continue;
        }
        low = (UINT64_C(1) << io[i].size_bits) - 1;
        if ((page & ~low) <= last && first <= (page | low)) {
            memset(&t[i], 0xff, sizeof(t[i]));
        }
    }
}

/* Does [first, last] overlap mode m's large-page region? */
static inline bool in_large(const TLBMode *tm, uint64_t first, uint64_t last)
{
    return tm->lp_low && tm->lp_base <= last && first <= (tm->lp_base | tm->lp_low);
}

static void mode_flush_page(LoomCPU *cpu, unsigned m, uint64_t vaddr)
{
    uint64_t page = vaddr & page_mask();
    LoomTLBEntry *e = tlb_entry(cpu, m, page);

    if (in_large(&cpu->priv->tlbm[m], page, page)) {
        /* a large mapping may hold it: find every entry it gave */
        mode_flush_span(cpu, m, page, page);
    } else if (entry_page(e) == page) {
        memset(e, 0xff, sizeof(*e));
    }
}

void loom_tlb_flush_page_modes(LoomCPU *cpu, uint64_t vaddr, uint32_t modes)
{
    modes = own_modes(cpu, modes);
    log_flush(cpu, "page", vaddr, 0, modes);
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        if (modes & (1u << m)) {
            mode_flush_page(cpu, m, vaddr);
        }
    }
    tb_jmp_cache_clear(cpu);
}

void loom_tlb_flush_page(LoomCPU *cpu, uint64_t vaddr)
{
    loom_tlb_flush_page_modes(cpu, vaddr, LOOM_TLB_MODES_ALL);
}

void loom_tlb_flush_range(LoomCPU *cpu, uint64_t vaddr, uint64_t len, uint32_t modes)
{
    uint64_t first = vaddr & page_mask();
    uint64_t last = len > UINT64_MAX - vaddr ? UINT64_MAX : vaddr + len - 1;

    modes = own_modes(cpu, modes);
    log_flush(cpu, "range", vaddr, len, modes);
    if (len == 0) {
        return;
    }
    last &= page_mask();
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        if (!(modes & (1u << m))) {
            continue;
        }
        if ((last - first) >> tlb_page_bits < tlb_entries(cpu, m) &&
            !in_large(&cpu->priv->tlbm[m], first, last)) {
            /* fewer pages than entries, no large mapping: page by page */
            for (uint64_t p = first; ; p += UINT64_C(1) << tlb_page_bits) {
                LoomTLBEntry *e = tlb_entry(cpu, m, p);
                if (entry_page(e) == p) {
                    memset(e, 0xff, sizeof(*e));
                }
                if (p == last) {
                    break;
                }
            }
        } else {
            mode_flush_span(cpu, m, first, last);
        }
    }
    tb_jmp_cache_clear(cpu);
}

void loom_tlb_flush_tag(LoomCPU *cpu, uint64_t tag, uint64_t tag_mask, uint32_t modes)
{
    modes = own_modes(cpu, modes);
    log_flush(cpu, "tag", tag, tag_mask, modes);
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        LoomTLBEntry *t = cpu->tlb_fast[m].table;
        IOTLBEntry *io = cpu->priv->tlbm[m].io;
        unsigned n = tlb_entries(cpu, m);

        if (!(modes & (1u << m))) {
            continue;
        }
        for (unsigned i = 0; i < n; i++) {
            if (entry_page(&t[i]) != UINT64_MAX &&
                (!io[i].tagged || ((io[i].tag ^ tag) & tag_mask) == 0)) {
                memset(&t[i], 0xff, sizeof(t[i]));
            }
        }
    }
    tb_jmp_cache_clear(cpu);
}

/* Widen mode m's large-page region to cover [base, base + low]. */
static void large_add(TLBMode *tm, uint64_t base, uint64_t low)
{
    if (!tm->lp_low) {
        tm->lp_base = base;
        tm->lp_low = low;
        return;
    }
    tm->lp_low |= low;
    while ((tm->lp_base ^ base) & ~tm->lp_low) {
        tm->lp_low = (tm->lp_low << 1) | 1;
    }
    tm->lp_base &= ~tm->lp_low;
}

static void set_page(LoomCPU *cpu, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx,
                     uint64_t page_size, bool tagged, uint64_t tag)
{
    uint64_t vpage = vaddr & page_mask(), ppage = paddr & page_mask();
    LoomTLBEntry *e;
    IOTLBEntry *io;
    MemRegion *mr;
    uint64_t flags = 0;
    unsigned size_bits = tlb_page_bits;

    if (mmu_idx < 0 || (unsigned)mmu_idx >= cpu->priv->tlb_modes) {
        loom_fatal("plugin %s: tlb_fill entered MMU mode %d, but the front-end declares %u "
                   "modes (nb_mmu_modes): fix the plugin", cpu->machine->frontend_plugin ?
                   cpu->machine->frontend_plugin->file : "(front-end)", mmu_idx,
                   cpu->priv->tlb_modes);
    }
    e = tlb_entry(cpu, (unsigned)mmu_idx, vaddr);
    io = io_entry(cpu, (unsigned)mmu_idx, vaddr);
    mr = as_find(&cpu->machine->as, ppage);
    if (!mr || !mr->ram || ppage + (UINT64_C(1) << tlb_page_bits) > mr->base + mr->size) {
        flags = LOOM_TLB_MMIO;  /* device, hole or partial page: slow path */
        e->addend = 0;
    } else {
        e->addend = (uintptr_t)(mr->ram + (ppage - mr->base)) - (uintptr_t)vpage;
    }
    if (page_size < (UINT64_C(1) << tlb_page_bits)) {
        flags |= LOOM_TLB_FILL_EACH;    /* checked for one access only */
    } else if (page_size > (UINT64_C(1) << tlb_page_bits)) {
        /* a large mapping, entered one base page at a time: remember it
           (a non-power-of-two size counts as the power of two below) */
        size_bits = 63 - (unsigned)__builtin_clzll(page_size);
        large_add(&cpu->priv->tlbm[mmu_idx], vpage & ~((UINT64_C(1) << size_bits) - 1),
                  (UINT64_C(1) << size_bits) - 1);
    }
    e->addr_read = (prot & LOOM_PROT_READ) ? (vpage | flags) : UINT64_MAX;
    e->addr_write = (prot & LOOM_PROT_WRITE) ? (vpage | flags) : UINT64_MAX;
    if ((prot & LOOM_PROT_WRITE) && !(flags & LOOM_TLB_MMIO) && tb_page_is_code(mr, ppage)) {
        e->addr_write |= LOOM_TLB_NOTDIRTY;
    }
    e->addr_code = (prot & LOOM_PROT_EXEC) ? (vpage | flags) : UINT64_MAX;
    if (gdbstub_enabled) {
        /* gdbstub watchpoints on this page: its accesses of that kind
           take the slow path, which checks them (tlb_resolve) */
        uint64_t psize = UINT64_C(1) << tlb_page_bits;
        if (gdbstub_page_watched(vpage, psize, LOOM_ACCESS_LOAD)) {
            e->addr_read |= LOOM_TLB_WATCH;
        }
        if (gdbstub_page_watched(vpage, psize, LOOM_ACCESS_STORE)) {
            e->addr_write |= LOOM_TLB_WATCH;
        }
    }
    io->paddr = ppage;
    io->mr = mr;
    io->tag = tag;
    io->tagged = tagged;
    io->size_bits = (uint8_t)size_bits;
    if (loom_log_enabled(LOOM_LOG_MMU)) {
        loom_log("mmu: cpu%u: map v=0x%" PRIx64 " -> p=0x%" PRIx64 " prot=%c%c%c mmu=%d%s\n",
                 cpu->cpu_index, vpage, ppage, (prot & LOOM_PROT_READ) ? 'r' : '-',
                 (prot & LOOM_PROT_WRITE) ? 'w' : '-', (prot & LOOM_PROT_EXEC) ? 'x' : '-',
                 mmu_idx, (flags & LOOM_TLB_MMIO) ? " (io)" :
                 (flags & LOOM_TLB_FILL_EACH) ? " (one access)" : "");
    }
}

void loom_tlb_set_page(LoomCPU *cpu, uint64_t vaddr, uint64_t paddr, int prot,
                       int mmu_idx, uint64_t page_size)
{
    set_page(cpu, vaddr, paddr, prot, mmu_idx, page_size, false, 0);
}

void loom_tlb_set_page_tag(LoomCPU *cpu, uint64_t vaddr, uint64_t paddr, int prot,
                           int mmu_idx, uint64_t page_size, uint64_t tag)
{
    set_page(cpu, vaddr, paddr, prot, mmu_idx, page_size, true, tag);
}

void tlb_code_sync(LoomCPU *cpu)
{
    /* seq_cst: see protect_all_tlbs (tb-page.c) */
    uint64_t g = __atomic_load_n(&tlb_code_gen, __ATOMIC_SEQ_CST);

    if (g == __atomic_load_n(&cpu->priv->tlb_code_seen, __ATOMIC_RELAXED)) {
        return;
    }
    for (unsigned m = 0; m < cpu->priv->tlb_modes; m++) {
        unsigned n = tlb_entries(cpu, m);

        for (unsigned i = 0; i < n; i++) {
            LoomTLBEntry *e = &cpu->tlb_fast[m].table[i];
            IOTLBEntry *io = &cpu->priv->tlbm[m].io[i];

            if (!(e->addr_write & (LOOM_TLB_INVALID | LOOM_TLB_MMIO | LOOM_TLB_NOTDIRTY)) &&
                io->mr && tb_page_is_code(io->mr, io->paddr)) {
                e->addr_write |= LOOM_TLB_NOTDIRTY;
            }
        }
    }
    /* release: the stores this vCPU made before (fast path included)
       are visible to the protector that sees the ack */
    __atomic_store_n(&cpu->priv->tlb_code_seen, g, __ATOMIC_RELEASE);
}
