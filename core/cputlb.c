/*
 * The softmmu: per-vCPU TLBs and the slow paths of guest loads, stores,
 * atomics and code fetch.
 *
 * Geometry: the front-end declares its page size (page_bits 12, 14 or
 * 16) and its number of MMU modes (1..16); each vCPU gets, per mode, a
 * table of 1 << TLB_BITS_DEFAULT fast-path entries and as many private
 * IOTLBEntry, allocated at vCPU creation and resized at flushes
 * (mode_clear).  Back-ends reach a table through cpu->tlb_fast[mode]
 * (mask and pointer), the last 256 bytes before env.
 *
 * Each vCPU's TLB is written only by its own thread (fills on a miss,
 * local flushes); other vCPUs that want it flushed queue work to it.
 * A TLB entry maps one guest page; its physical side (and its tag and
 * mapping size) lives in the private IOTLBEntry of the same index.
 *
 * Code pages (tb-page.c): a write entry for a RAM page holding
 * translated code carries LOOM_TLB_NOTDIRTY, set at fill time or by
 * tlb_code_sync when the page became code after the fill.  The slow path
 * then writes and calls tb_page_written, which invalidates the TBs on the
 * bytes written; a NOTDIRTY entry for a page no longer holding code loses
 * the flag on its next write.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include <sched.h>
#include "internal.h"
#include "gdbstub.h"
#include "icount.h"

unsigned tlb_page_bits = 12;            /* set once, before vCPUs start */

/* The table of modes at or above nb_mmu_modes: mask 0, never a hit.
   Read by fast paths, never written. */
static LoomTLBEntry tlb_unused_entry = { UINT64_MAX, UINT64_MAX, UINT64_MAX, 0 };

unsigned loom_tlb_page_bits(void)
{
    return tlb_page_bits;
}

static inline uint64_t page_mask(void)
{
    return ~((UINT64_C(1) << tlb_page_bits) - 1);
}

static inline unsigned tlb_entries(const LoomCPU *cpu, unsigned m)
{
    return (unsigned)(cpu->tlb_fast[m].mask >> LOOM_TLB_ENTRY_BITS) + 1;
}

static inline unsigned tlb_index(const LoomCPU *cpu, unsigned m, uint64_t addr)
{
    return (unsigned)((addr >> tlb_page_bits) & (cpu->tlb_fast[m].mask >> LOOM_TLB_ENTRY_BITS));
}

static inline LoomTLBEntry *tlb_entry(LoomCPU *cpu, unsigned m, uint64_t addr)
{
    return &cpu->tlb_fast[m].table[tlb_index(cpu, m, addr)];
}

static inline IOTLBEntry *io_entry(LoomCPU *cpu, unsigned m, uint64_t addr)
{
    return &cpu->priv->tlbm[m].io[tlb_index(cpu, m, addr)];
}

/* Does the entry's tag for one access kind map addr's page? */
static inline bool tlb_hit(uint64_t tag, uint64_t addr)
{
    return (tag & (page_mask() | LOOM_TLB_INVALID)) == (addr & page_mask());
}

/* The virtual page an entry maps, or UINT64_MAX for an empty one (every
   access kind invalid: nothing to flush). */
static inline uint64_t entry_page(const LoomTLBEntry *e)
{
    uint64_t t = e->addr_read != UINT64_MAX ? e->addr_read :
                 e->addr_write != UINT64_MAX ? e->addr_write : e->addr_code;

    return t == UINT64_MAX ? t : t & page_mask();
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

/* Give mode m an empty table of 1 << bits entries (freeing the old). */
static void mode_size(LoomCPU *cpu, unsigned m, unsigned bits)
{
    size_t n = (size_t)1 << bits;
    LoomTLBFast *f = &cpu->tlb_fast[m];
    TLBMode *tm = &cpu->priv->tlbm[m];

    if (tm->io) {
        free(f->table);
        g_free(tm->io);
    }
    /* 64-byte aligned: two entries per host cache line */
    f->table = aligned_alloc(64, n * sizeof(LoomTLBEntry));
    if (!f->table) {
        loom_fatal("out of memory allocating the TLB of vCPU %u", cpu->cpu_index);
    }
    f->mask = (uintptr_t)(n - 1) << LOOM_TLB_ENTRY_BITS;
    tm->io = g_new0(IOTLBEntry, n);
}

/* Empty mode m, first resizing its table as its use since the last
   emptying says (TLBMode).  Owner only: no entry pointer into the table
   may be held across a call that can flush. */
static void mode_clear(LoomCPU *cpu, unsigned m)
{
    TLBMode *tm = &cpu->priv->tlbm[m];
    unsigned n = tlb_entries(cpu, m), bits = (unsigned)__builtin_ctz(n);

    if (tm->fills > n && bits < TLB_BITS_MAX) {
        mode_size(cpu, m, bits + 1);
        tm->idle_clears = 0;
    } else if (tm->fills < n / 8 && bits > TLB_BITS_MIN) {
        if (++tm->idle_clears >= 16) {
            mode_size(cpu, m, bits - 1);
            tm->idle_clears = 0;
        }
    } else {
        tm->idle_clears = 0;
    }
    memset(cpu->tlb_fast[m].table, 0xff, (size_t)tlb_entries(cpu, m) * sizeof(LoomTLBEntry));
    tm->lp_base = 0;
    tm->lp_low = 0;
    tm->fills = 0;
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
        mode_size(cpu, m, TLB_BITS_DEFAULT);
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
        free(cpu->tlb_fast[m].table);
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

/*
 * Cross-vCPU flushes.  Each target's TLB is still flushed only by the
 * thread that runs it: a target this thread runs (itself in
 * multi-threaded mode, every vCPU in single-threaded mode) is flushed
 * here and now, any other gets a work item (async_run_on_cpu, which
 * kicks it out of translated code or out of its idle sleep).
 *
 * Not the tb-page.c protect handshake: that one carries no request (a
 * page flush needs its address) and lets the protector go on while a
 * stopped vCPU has not synced yet, since it syncs before its next TB;
 * here the synced variants promise the flush is done on return.
 *
 * Synced variants: every item points at one TLBFlushSync; the target
 * decrements its pending count (release) after its flush, and the
 * requester returns once it reads 0 (acquire), so every target's flush
 * happens before the return.  The record is reference counted (the
 * requester and each item) because a requester whose own vCPU is being
 * stopped gives up waiting: targets may be stopped too and never flush,
 * and no vCPU runs guest code after a stop.
 * Deadlock freedom: every place a vCPU thread can wait for another
 * thread, it runs the TLB flushes queued to it, so a target always gets
 * to the requester's item:
 *  - idle sleep (cpus.c thread loops): the item's kick wakes it and it
 *    runs its whole queue;
 *  - waiting in a synced flush of its own: the loop below runs its
 *    queued flushes, so two requesters never wait for each other;
 *  - waiting for a tb-page.c protection: the loop below also runs
 *    tlb_code_sync for the requester, which is what that waiter needs;
 *  - parked in an exclusive wait (start_exclusive, cpu_exec_start): a
 *    pending section waits for the requester, which is still running
 *    (it waits inside a helper), so the parked thread must flush
 *    without the section: it runs its queued flushes before each sleep
 *    and the requester wakes it (cpus_wake_exclusive_waiters);
 *  - the BQL: a synced requester must not hold it (a target may be
 *    waiting for it in device code); that is checked.
 * No lock is held while the requester waits.  The targets must be
 * running their threads (between cpus_start and cpus_stop).
 */
typedef struct TLBFlushSync {
    unsigned pending;                   /* atomic: targets yet to flush */
    unsigned refs;                      /* atomic: requester + items */
} TLBFlushSync;

typedef enum { FLUSH_MODES, FLUSH_PAGE, FLUSH_RANGE, FLUSH_TAG } FlushKind;

/* One flush, as the owner-only calls above take it. */
typedef struct TLBFlushReq {
    FlushKind kind;
    uint32_t modes;
    uint64_t a, b;                      /* vaddr, len / tag, tag_mask */
} TLBFlushReq;

typedef struct TLBFlushItem {
    TLBFlushReq req;
    TLBFlushSync *sync;                 /* synced only */
} TLBFlushItem;

static void sync_unref(TLBFlushSync *sync)
{
    /* acq_rel: the last owner sees every other owner's accesses */
    if (__atomic_sub_fetch(&sync->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        g_free(sync);
    }
}

static void flush_req(LoomCPU *cpu, const TLBFlushReq *r)
{
    switch (r->kind) {
    case FLUSH_MODES: loom_tlb_flush_modes(cpu, r->modes); break;
    case FLUSH_PAGE: loom_tlb_flush_page_modes(cpu, r->a, r->modes); break;
    case FLUSH_RANGE: loom_tlb_flush_range(cpu, r->a, r->b, r->modes); break;
    case FLUSH_TAG: loom_tlb_flush_tag(cpu, r->a, r->b, r->modes); break;
    }
}

static void tlb_flush_work(LoomCPU *cpu, void *data)
{
    TLBFlushItem *it = data;
    TLBFlushSync *sync = it->sync;

    flush_req(cpu, &it->req);
    g_free(it);
    if (sync) {
        /* release: our flush happens before the requester's return */
        __atomic_sub_fetch(&sync->pending, 1, __ATOMIC_RELEASE);
        sync_unref(sync);
    }
}

/* Does this thread run cpu (and so own its TLB)? */
static bool tlb_owned(const LoomCPU *cpu)
{
    return current_cpu &&
           (current_cpu == cpu || cpu->machine->mode == THREAD_SINGLE);
}

void tlb_flush_run_queued(void)
{
    LoomCPU *me = current_cpu;

    if (!me) {
        return;
    }
    if (me->machine->mode == THREAD_SINGLE) {
        for (unsigned i = 0; i < me->machine->nb_cpus; i++) {
            cpu_run_queued_fn(me->machine->cpus[i], tlb_flush_work);
        }
    } else {
        cpu_run_queued_fn(me, tlb_flush_work);
    }
}

static void flush_cpus(LoomCPU *src, LoomCPUSet set, const TLBFlushReq *req, bool synced,
                       const char *what)
{
    LoomMachine *m = src ? src->machine : current_machine;
    TLBFlushSync *sync = NULL;
    unsigned n = 0;

    if (set != LOOM_CPUS_ALL && set != LOOM_CPUS_OTHERS) {
        loom_fatal("internal error: %s: unknown vCPU set %d", what, (int)set);
    }
    if (src ? !tlb_owned(src) : (set == LOOM_CPUS_OTHERS)) {
        loom_fatal("internal error: %s: src must be the vCPU this thread runs%s", what,
                   src ? "" : " (LOOM_CPUS_OTHERS needs one)");
    }
    if (synced && loom_bql_locked()) {
        loom_fatal("internal error: %s called with the BQL held", what);
    }
    /* count every remote target before queueing the first item, so no
       early completion can take the counter to 0 */
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *c = m->cpus[i];
        if (!(set == LOOM_CPUS_OTHERS && c == src) && !tlb_owned(c)) {
            n++;
        }
    }
    if (synced && n) {
        sync = g_new(TLBFlushSync, 1);
        sync->pending = n;
        sync->refs = n + 1;
    }
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *c = m->cpus[i];
        TLBFlushItem *it;

        if (set == LOOM_CPUS_OTHERS && c == src) {
            continue;
        }
        if (tlb_owned(c)) {
            /* ours: done now, before any remote one */
            flush_req(c, req);
            continue;
        }
        it = g_new(TLBFlushItem, 1);
        it->req = *req;
        it->sync = sync;
        async_run_on_cpu(c, tlb_flush_work, it);
    }
    if (!sync) {
        return;
    }
    cpus_wake_exclusive_waiters();
    /* acquire: pairs with each target's release in tlb_flush_work */
    while (__atomic_load_n(&sync->pending, __ATOMIC_ACQUIRE)) {
        if (current_cpu) {
            if (__atomic_load_n(&current_cpu->priv->stop, __ATOMIC_ACQUIRE)) {
                break;          /* the machine stops: see TLBFlushSync */
            }
            tlb_flush_run_queued();
            tlb_code_sync(current_cpu);
        }
        sched_yield();
    }
    sync_unref(sync);
}

#define FLUSH_CPUS(name, params, ...)                                                   \
    void name params                                                                    \
    {                                                                                   \
        TLBFlushReq r = { __VA_ARGS__ };                                                \
        flush_cpus(src, set, &r, false, #name);                                         \
    }                                                                                   \
    void name##_synced params                                                           \
    {                                                                                   \
        TLBFlushReq r = { __VA_ARGS__ };                                                \
        flush_cpus(src, set, &r, true, #name "_synced");                                \
    }

FLUSH_CPUS(loom_tlb_flush_cpus, (LoomCPU *src, LoomCPUSet set),
           FLUSH_MODES, LOOM_TLB_MODES_ALL, 0, 0)
FLUSH_CPUS(loom_tlb_flush_modes_cpus, (LoomCPU *src, LoomCPUSet set, uint32_t modes),
           FLUSH_MODES, modes, 0, 0)
FLUSH_CPUS(loom_tlb_flush_page_cpus, (LoomCPU *src, LoomCPUSet set, uint64_t vaddr),
           FLUSH_PAGE, LOOM_TLB_MODES_ALL, vaddr, 0)
FLUSH_CPUS(loom_tlb_flush_page_modes_cpus,
           (LoomCPU *src, LoomCPUSet set, uint64_t vaddr, uint32_t modes),
           FLUSH_PAGE, modes, vaddr, 0)
FLUSH_CPUS(loom_tlb_flush_range_cpus,
           (LoomCPU *src, LoomCPUSet set, uint64_t vaddr, uint64_t len, uint32_t modes),
           FLUSH_RANGE, modes, vaddr, len)
FLUSH_CPUS(loom_tlb_flush_tag_cpus,
           (LoomCPU *src, LoomCPUSet set, uint64_t tag, uint64_t tag_mask, uint32_t modes),
           FLUSH_TAG, modes, tag, tag_mask)

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
    cpu->priv->tlbm[mmu_idx].fills++;
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

/* After a store through the TLB entry for addr (just resolved): if the
   page may hold code, invalidate what the store overwrote. */
static void store_done(LoomCPU *cpu, uint64_t addr, unsigned size, int mmu_idx)
{
    LoomTLBEntry *e = tlb_entry(cpu, (unsigned)mmu_idx, addr);
    uint64_t paddr;

    if ((e->addr_write & (LOOM_TLB_NOTDIRTY | LOOM_TLB_MMIO)) != LOOM_TLB_NOTDIRTY) {
        return;
    }
    paddr = io_entry(cpu, (unsigned)mmu_idx, addr)->paddr | (addr & ~page_mask());
    if (!tb_page_written(cpu->machine, paddr, size)) {
        /* not code any more: fast writes again (a later protection
           re-marks it through tlb_code_sync) */
        e->addr_write &= ~(uint64_t)LOOM_TLB_NOTDIRTY;
    }
}

static inline uint64_t *tag_of(LoomTLBEntry *e, int access)
{
    return access == LOOM_ACCESS_LOAD ? &e->addr_read :
           access == LOOM_ACCESS_STORE ? &e->addr_write : &e->addr_code;
}

/* Does region r (may be NULL) hold all of [paddr, paddr + size)? */
static inline bool region_holds(const MemRegion *r, uint64_t paddr, unsigned size)
{
    return r && paddr >= r->base && paddr - r->base < r->size &&
           size <= r->size - (paddr - r->base);
}

/*
 * Make the TLB map addr for access (calling the front-end's tlb_fill,
 * which raises guest faults).  Returns the host address for RAM, or NULL
 * for device memory with *mr (NULL: nothing there) and *paddr set.
 */
static uint8_t *tlb_resolve(LoomCPU *cpu, uint64_t addr, unsigned size, int access,
                            int mmu_idx, uintptr_t ra, MemRegion **mr, uint64_t *paddr)
{
    LoomTLBEntry *e;
    uint64_t tag;
    IOTLBEntry *io;

    if (mmu_idx < 0 || (unsigned)mmu_idx >= cpu->priv->tlb_modes) {
        loom_fatal("plugin %s: an access in MMU mode %d, but the front-end declares %u modes "
                   "(nb_mmu_modes): fix the plugin", cpu->machine->frontend_plugin ?
                   cpu->machine->frontend_plugin->file : "(front-end)", mmu_idx,
                   cpu->priv->tlb_modes);
    }
    e = tlb_entry(cpu, (unsigned)mmu_idx, addr);
    tag = *tag_of(e, access);
    if (!tlb_hit(tag, addr) || (tag & LOOM_TLB_FILL_EACH)) {
        cpu->machine->fe->tlb_fill(cpu, addr, (int)size, access, mmu_idx, false, ra);
        e = tlb_entry(cpu, (unsigned)mmu_idx, addr);   /* a flush may resize */
        tag = *tag_of(e, access);
        if (!tlb_hit(tag, addr)) {
            /* the front-end filled nothing usable: treat as a bus error */
            cpu->machine->fe->do_transaction_failed(cpu, addr, addr, access, mmu_idx, ra);
            loom_fatal("internal error: front-end returned from do_transaction_failed");
        }
    }
    if ((tag & LOOM_TLB_WATCH) && gdbstub_enabled) {
        /* before the access: a hit leaves here and replays the insn */
        gdbstub_watch_check(cpu, addr, size, access, ra);
    }
    io = io_entry(cpu, (unsigned)mmu_idx, addr);
    if (!(tag & LOOM_TLB_MMIO)) {
        return (uint8_t *)(uintptr_t)(addr + e->addend);
    }
    *mr = io->mr;
    *paddr = io->paddr | (addr & ~page_mask());
    /*
     * The entry names the region holding the page's first byte (or none).
     * A region smaller than a page shares its page with holes and maybe
     * other regions: an access it does not hold goes to the region that
     * does, and one that no region holds whole (a hole, or straddling a
     * region's end) is an access fault, as for an unmapped address.
     * Regions are fixed once vCPUs run, so the lookup needs no lock.
     */
    if (!region_holds(*mr, *paddr, size)) {
        *mr = as_find(&cpu->machine->as, *paddr);
        if (!region_holds(*mr, *paddr, size)) {
            cpu->machine->fe->do_transaction_failed(cpu, *paddr, addr, access, mmu_idx, ra);
            loom_fatal("internal error: front-end returned from do_transaction_failed");
        }
    }
    if ((*mr)->ram) {
        return (*mr)->ram + (*paddr - (*mr)->base);    /* RAM sharing a page */
    }
    return NULL;
}

static inline uint64_t bswap_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32((uint32_t)v);
    case 8: return __builtin_bswap64(v);
    default: return v;
    }
}

/* Host little-endian is assumed by the byte order logic below. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host");

/* Guest RAM is shared with other vCPU threads: aligned accesses are
   relaxed atomics (single-copy atomic, race-free for the C model). */
static inline uint64_t host_load(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;

    if (((uintptr_t)p & (size - 1)) == 0) {
        switch (size) {
        case 1: return __atomic_load_n(p, __ATOMIC_RELAXED);
        case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
        case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
        default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
        }
    }
    memcpy(&v, p, size);
    return v;
}

static inline void host_store(uint8_t *p, uint64_t v, unsigned size)
{
    if (((uintptr_t)p & (size - 1)) == 0) {
        switch (size) {
        case 1: __atomic_store_n(p, (uint8_t)v, __ATOMIC_RELAXED); return;
        case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_RELAXED); return;
        case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_RELAXED); return;
        default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED); return;
        }
    }
    memcpy(p, &v, size);
}

static void check_align(LoomCPU *cpu, uint64_t addr, unsigned memop, int access,
                        int mmu_idx, uintptr_t ra)
{
    if ((memop & LOOM_MEM_ALIGN) && (addr & (loom_memop_size(memop) - 1))) {
        cpu->machine->fe->do_unaligned_access(cpu, addr, access, mmu_idx, ra);
        loom_fatal("internal error: front-end returned from do_unaligned_access");
    }
}

/*
 * Misaligned accesses the memop allows (no LOOM_MEM_ALIGN).  Both pages of a
 * page-crossing access are resolved first, in address order, so a
 * fault on either leaves registers and memory untouched; a fault on the
 * second page names the first byte on that page (the address of the
 * portion of the access that faulted), one on the first page the
 * access's address.  The bytes are then moved as relaxed atomic bytes:
 * a misaligned access is not single-copy atomic, but is race-free.
 * Device memory is never accessed misaligned: it has side effects that
 * splitting the access would change, so touching a device raises the
 * front-end's misaligned-access exception (after both translations),
 * the way a core without misaligned support for I/O regions does;
 * the guest's firmware may then emulate it with aligned accesses.
 */
typedef struct SplitAccess {
    uint8_t *host[2];           /* host addresses of the two parts */
    unsigned len[2];            /* bytes in each part; len[1] = 0: one page */
} SplitAccess;

static void split_resolve(LoomCPU *cpu, uint64_t addr, unsigned size, int access,
                          int mmu_idx, uintptr_t ra, SplitAccess *sa)
{
    uint64_t room = (UINT64_C(1) << tlb_page_bits) - (addr & ~page_mask());
    bool device = false;

    sa->len[0] = (unsigned)MIN((uint64_t)size, room);
    sa->len[1] = size - sa->len[0];
    for (int i = 0; i < 2 && sa->len[i]; i++) {
        uint64_t a = i ? addr + sa->len[0] : addr;
        MemRegion *mr = NULL;
        uint64_t paddr = 0;

        sa->host[i] = tlb_resolve(cpu, a, sa->len[i], access, mmu_idx, ra, &mr, &paddr);
        device |= !sa->host[i];
    }
    if (device) {
        cpu->machine->fe->do_unaligned_access(cpu, addr, access, mmu_idx, ra);
        loom_fatal("internal error: front-end returned from do_unaligned_access");
    }
}

static uint64_t ld_misaligned(LoomCPU *cpu, uint64_t addr, unsigned memop, int mmu_idx,
                              uintptr_t ra)
{
    unsigned size = loom_memop_size(memop), n = 0;
    SplitAccess sa;
    uint64_t v = 0;

    split_resolve(cpu, addr, size, LOOM_ACCESS_LOAD, mmu_idx, ra, &sa);
    for (int i = 0; i < 2; i++) {
        for (unsigned j = 0; j < sa.len[i]; j++, n++) {
            uint64_t b = __atomic_load_n(sa.host[i] + j, __ATOMIC_RELAXED);
            v |= b << (8 * ((memop & LOOM_MEM_BE) ? size - 1 - n : n));
        }
    }
    return v;
}

static void st_misaligned(LoomCPU *cpu, uint64_t addr, uint64_t val, unsigned memop,
                          int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop), n = 0;
    SplitAccess sa;

    split_resolve(cpu, addr, size, LOOM_ACCESS_STORE, mmu_idx, ra, &sa);
    for (int i = 0; i < 2; i++) {
        for (unsigned j = 0; j < sa.len[i]; j++, n++) {
            unsigned shift = 8 * ((memop & LOOM_MEM_BE) ? size - 1 - n : n);
            __atomic_store_n(sa.host[i] + j, (uint8_t)(val >> shift), __ATOMIC_RELAXED);
        }
    }
    /* code on either page: invalidate what each part overwrote */
    store_done(cpu, addr, sa.len[0], mmu_idx);
    if (sa.len[1]) {
        store_done(cpu, addr + sa.len[0], sa.len[1], mmu_idx);
    }
}

uint64_t loom_ld(LoomCPU *cpu, uint64_t addr, unsigned memop, int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    MemRegion *mr = NULL;
    uint64_t paddr = 0, v;
    uint8_t *host;

    check_align(cpu, addr, memop, LOOM_ACCESS_LOAD, mmu_idx, ra);
    if (addr & (size - 1)) {
        /* allowed by the memop; every page-crossing access is one */
        return loom_memop_extend(ld_misaligned(cpu, addr, memop, mmu_idx, ra), memop);
    }
    host = tlb_resolve(cpu, addr, size, LOOM_ACCESS_LOAD, mmu_idx, ra, &mr, &paddr);
    if (host) {
        v = host_load(host, size);
        if (memop & LOOM_MEM_BE) {
            v = bswap_size(v, size);
        }
    } else {
        icount_io(cpu);                 /* icount: MMIO ends its TB */
        v = mmio_read(mr, paddr, size, loom_mem_attrs_cpu(cpu->cpu_index));
        if (memop & LOOM_MEM_BE) {
            v = bswap_size(v, size);
        }
    }
    return loom_memop_extend(v, memop);
}

void loom_st(LoomCPU *cpu, uint64_t addr, uint64_t val, unsigned memop, int mmu_idx,
             uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    MemRegion *mr = NULL;
    uint64_t paddr = 0;
    uint8_t *host;

    check_align(cpu, addr, memop, LOOM_ACCESS_STORE, mmu_idx, ra);
    if (addr & (size - 1)) {
        /* allowed by the memop; every page-crossing access is one */
        st_misaligned(cpu, addr, val, memop, mmu_idx, ra);
        return;
    }
    if (memop & LOOM_MEM_BE) {
        val = bswap_size(val, size);
    }
    host = tlb_resolve(cpu, addr, size, LOOM_ACCESS_STORE, mmu_idx, ra, &mr, &paddr);
    if (host) {
        host_store(host, val, size);
        store_done(cpu, addr, size, mmu_idx);
    } else {
        icount_io(cpu);                 /* icount: MMIO ends its TB */
        mmio_write(mr, paddr, val, size, loom_mem_attrs_cpu(cpu->cpu_index));
    }
}

/* The value an atomic read-modify-write op stores, given the old one. */
static uint64_t rmw_result(unsigned opc, uint64_t old, uint64_t val, unsigned memop)
{
    uint64_t so = loom_memop_extend(old, memop | LOOM_MEM_SIGN), sv = loom_memop_extend(val, memop | LOOM_MEM_SIGN);
    uint64_t uo = loom_memop_extend(old, memop & ~LOOM_MEM_SIGN), uv = loom_memop_extend(val, memop & ~LOOM_MEM_SIGN);

    switch (opc) {
    case LOOM_IR_OP_atomic_xchg_i32: case LOOM_IR_OP_atomic_xchg_i64: return val;
    case LOOM_IR_OP_atomic_fetch_add_i32: case LOOM_IR_OP_atomic_fetch_add_i64: return old + val;
    case LOOM_IR_OP_atomic_fetch_and_i32: case LOOM_IR_OP_atomic_fetch_and_i64: return old & val;
    case LOOM_IR_OP_atomic_fetch_or_i32: case LOOM_IR_OP_atomic_fetch_or_i64: return old | val;
    case LOOM_IR_OP_atomic_fetch_xor_i32: case LOOM_IR_OP_atomic_fetch_xor_i64: return old ^ val;
    case LOOM_IR_OP_atomic_fetch_smin_i32: case LOOM_IR_OP_atomic_fetch_smin_i64:
        return (int64_t)so < (int64_t)sv ? old : val;
    case LOOM_IR_OP_atomic_fetch_smax_i32: case LOOM_IR_OP_atomic_fetch_smax_i64:
        return (int64_t)so > (int64_t)sv ? old : val;
    case LOOM_IR_OP_atomic_fetch_umin_i32: case LOOM_IR_OP_atomic_fetch_umin_i64:
        return uo < uv ? old : val;
    case LOOM_IR_OP_atomic_fetch_umax_i32: case LOOM_IR_OP_atomic_fetch_umax_i64:
        return uo > uv ? old : val;
    default:
        loom_fatal("internal error: opcode %u is not an atomic op", opc);
    }
}

/* Sequentially consistent compare-and-swap on host memory of one size. */
static bool host_cas(uint8_t *p, unsigned size, uint64_t *expected, uint64_t desired)
{
    switch (size) {
    case 1: {
        uint8_t e = (uint8_t)*expected;
        bool ok = __atomic_compare_exchange_n(p, &e, (uint8_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    case 2: {
        uint16_t e = (uint16_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint16_t *)p, &e, (uint16_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    case 4: {
        uint32_t e = (uint32_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint32_t *)p, &e, (uint32_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    default:
        return __atomic_compare_exchange_n((uint64_t *)p, expected, desired, false,
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

uint64_t loom_atomic(LoomCPU *cpu, unsigned opc, uint64_t addr, uint64_t cmp, uint64_t val,
                     unsigned memop, int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    MemRegion *mr = NULL;
    uint64_t paddr = 0, old, mask = size == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8)) - 1;
    bool is_cmpxchg = opc == LOOM_IR_OP_atomic_cmpxchg_i32 || opc == LOOM_IR_OP_atomic_cmpxchg_i64;
    uint8_t *host;

    /* atomics are always naturally aligned, whatever the memop says */
    check_align(cpu, addr, memop | LOOM_MEM_ALIGN, LOOM_ACCESS_STORE, mmu_idx, ra);
    host = tlb_resolve(cpu, addr, size, LOOM_ACCESS_STORE, mmu_idx, ra, &mr, &paddr);
    if (!host && mr->lockless && cpu->machine->parallel && !cpu->priv->excl) {
        /* a device that takes no lock has no atomic read-modify-write:
           replay the insn with every other vCPU stopped (cpu-exec.c) */
        loom_cpu_exit_atomic(cpu, ra);
    }
    if (memop & LOOM_MEM_BE) {
        /* big-endian guests: swap in and out (values, not addresses) */
        cmp = bswap_size(cmp, size);
        val = bswap_size(val, size);
    }
    if (!host) {
        /* device memory: read-modify-write as one step under the BQL;
           a lockless device gets a plain read and write, atomic for the
           guest because no other vCPU runs meanwhile (above) */
        bool lock;

        icount_io(cpu);                 /* icount: MMIO ends its TB */
        lock = !mr->lockless && !loom_bql_locked();
        if (lock) {
            loom_bql_lock();
        }
        old = mmio_read(mr, paddr, size, loom_mem_attrs_cpu(cpu->cpu_index));
        if (is_cmpxchg) {
            if (old == (cmp & mask)) {
                mmio_write(mr, paddr, val & mask, size, loom_mem_attrs_cpu(cpu->cpu_index));
            }
        } else {
            mmio_write(mr, paddr, rmw_result(opc, old, val, memop) & mask, size,
                       loom_mem_attrs_cpu(cpu->cpu_index));
        }
        if (lock) {
            loom_bql_unlock();
        }
    } else if (is_cmpxchg) {
        old = cmp & mask;
        host_cas(host, size, &old, val & mask);
        store_done(cpu, addr, size, mmu_idx);
    } else {
        /* one CAS loop serves every read-modify-write op and every size */
        old = host_load(host, size);
        while (!host_cas(host, size, &old, rmw_result(opc, old, val, memop) & mask)) {
            /* old now holds the current value: retry */
        }
        store_done(cpu, addr, size, mmu_idx);
    }
    if (memop & LOOM_MEM_BE) {
        old = bswap_size(old, size);
    }
    return loom_memop_extend(old, memop);
}

uint8_t *tlb_code_ptr(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uintptr_t ra)
{
    MemRegion *mr = NULL;
    uint64_t paddr = 0;
    uint8_t *host = tlb_resolve(cpu, vaddr, 1, LOOM_ACCESS_FETCH, mmu_idx, ra, &mr, &paddr);

    if (!host) {
        /* executing from device memory is not supported: a bus error */
        cpu->machine->fe->do_transaction_failed(cpu, paddr, vaddr, LOOM_ACCESS_FETCH,
                                                mmu_idx, ra);
        loom_fatal("internal error: front-end returned from do_transaction_failed");
    }
    return host;
}

uint64_t tlb_code_phys(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uintptr_t ra)
{
    tlb_code_ptr(cpu, vaddr, mmu_idx, ra);
    return io_entry(cpu, (unsigned)mmu_idx, vaddr)->paddr | (vaddr & ~page_mask());
}

bool tlb_code_phys_probe(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uint64_t *paddr)
{
    const LoomTLBEntry *e;

    if (mmu_idx < 0 || (unsigned)mmu_idx >= cpu->priv->tlb_modes) {
        return false;
    }
    e = tlb_entry(cpu, (unsigned)mmu_idx, vaddr);

    if (!tlb_hit(e->addr_code, vaddr) || (e->addr_code & LOOM_TLB_FILL_EACH)) {
        if (!cpu->machine->fe->tlb_fill(cpu, vaddr, 1, LOOM_ACCESS_FETCH, mmu_idx, true, 0)) {
            return false;
        }
        e = tlb_entry(cpu, (unsigned)mmu_idx, vaddr);  /* a flush may resize */
        if (!tlb_hit(e->addr_code, vaddr)) {
            return false;
        }
    }
    *paddr = io_entry(cpu, (unsigned)mmu_idx, vaddr)->paddr | (vaddr & ~page_mask());
    return true;
}
