/*
 * The TB cache: the TB hash table, the per-vCPU jump caches, chaining
 * and full flushes.  tb_gen_code, which builds TBs, is in translate.c;
 * the code buffer and its per-thread regions, where TBs live, in
 * tb-region.c; TBs per guest page and invalidation on write in tb-page.c.
 *
 * Locks (order: the top of internal.h): tb_lock (tbc.lock) comes after
 * page locks (tb_unpublish and tb_publish run under them) and before the
 * QHT's bucket locks (qht_remove under tb_lock).
 *
 * Invariants:
 *  - The TB table is a QHT (qht.h): lookups take no lock; inserts are
 *    find-or-insert, so of two vCPUs translating the same block the first
 *    inserter wins and both run its TB.  A TB is inserted only once fully
 *    built (the QHT publishes it with a release store).
 *  - tb_lock protects chaining decisions and the stats; it is never held
 *    while translated code runs.  Lookups through the per-vCPU jump cache
 *    take no lock: entries are published with release stores and read
 *    with acquire loads, after the TB is fully built.
 *  - TBs are never freed one by one: a full flush resets every region,
 *    and runs as safe work, when no vCPU can be inside translated code or
 *    hold a TB pointer.  A TB whose guest code was written is invalidated
 *    instead (tb-page.c finds it, tb_unpublish unhooks it): no new lookup,
 *    jump cache hit or chain reaches it, but a vCPU already running it, or
 *    holding it, may finish it.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include "internal.h"
#include "icount.h"
#include "qht.h"

/* A lookup key.  The key of a TB is its pc, flags, flags2, cflags and
   the physical pages its code lies on now: phys_pc, and for a TB whose
   last instruction reaches into following virtual pages, each of those
   pages' current translation too (page_phys), so a remap of one of them
   alone does not find the old code.  Those pages are probed only when a
   candidate covers them: the key holds nb_probed of them, and the
   comparison with a TB that covers more raises *pages_wanted so that
   tb_lookup probes that many and looks again (no page-table walk inside
   the QHT's read section). */
typedef struct TBKey {
    uint64_t phys_pc, pc;
    uint64_t page_phys[TB_MAX_PAGES - 1];
    unsigned nb_probed;                 /* valid entries of page_phys */
    uint64_t flags, flags2;
    uint32_t cflags;
    unsigned *pages_wanted;             /* NULL: do not ask for more */
} TBKey;

static struct {
    pthread_mutex_t lock;       /* tb_lock: protects chaining and stats */
    QHT table;                  /* LoomTB *, hashed by tb_hash; lock-free */
    bool table_ready;           /* set at init, cleared at destroy */
    TBStats stats;              /* protected by lock */
    /* atomic: bumped by every full flush */
    uint32_t flush_count;
} tbc = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The QHT indexes heads by the low bits: fold the high half of the
   product, where every input bit has an effect, onto them.  Pages after
   the first are not hashed: a lookup does not know them before it finds
   a candidate. */
static uint32_t tb_hash(uint64_t phys_pc, uint64_t pc, uint64_t flags, uint64_t flags2,
                        uint32_t cflags)
{
    uint64_t h = phys_pc * 0x9e3779b97f4a7c15ull;

    h = (h ^ pc ^ cflags) * 0x9e3779b97f4a7c15ull;
    /* the words go in rotated so that a bit of one does not cancel the
       same bit of another */
    h = (h ^ flags ^ ((flags2 << 32) | (flags2 >> 32))) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* QHT comparisons: a stored TB against a key (lookups), against a new TB
   (inserts). */
static bool tb_key_match(const void *obj, const void *userp)
{
    const LoomTB *tb = obj;
    const TBKey *k = userp;
    const TBLinks *l = &((const TBCore *)tb)->links;
    unsigned more = l->nb_pages - 1;

    if (tb->phys_pc != k->phys_pc || tb->pc != k->pc || tb->flags != k->flags ||
        tb->flags2 != k->flags2 || tb->cflags != k->cflags) {
        return false;
    }
    if (more > k->nb_probed) {
        if (k->pages_wanted && *k->pages_wanted < more) {
            *k->pages_wanted = more;    /* probe, then ask again */
        }
        return false;
    }
    /* every page it covers, each one a part of the key */
    for (unsigned i = 0; i < more; i++) {
        if (l->page_phys[i] != k->page_phys[i]) {
            return false;
        }
    }
    return true;
}

static bool tb_equal(const void *obj, const void *userp)
{
    const LoomTB *a = obj, *b = userp;
    const TBLinks *la = &((const TBCore *)a)->links, *lb = &((const TBCore *)b)->links;

    if (a->phys_pc != b->phys_pc || a->pc != b->pc || a->flags != b->flags ||
        a->flags2 != b->flags2 || a->cflags != b->cflags || la->nb_pages != lb->nb_pages) {
        return false;
    }
    for (unsigned i = 0; i + 1 < la->nb_pages; i++) {
        if (la->page_phys[i] != lb->page_phys[i]) {
            return false;
        }
    }
    return true;
}

/* The table starts sized for a buffer of blocks this large on average
   (about a quarter of what the default buffer ends up holding), and
   grows as needed: a small tb-size gives a small table, which the
   flush and SMC tests then grow while vCPUs translate. */
#define TB_TABLE_BYTES_PER_TB 2048

bool tb_cache_init(uint64_t buffer_size, unsigned nb_regions, char **err)
{
    if (!tb_regions_init(buffer_size, nb_regions, err)) {
        return false;
    }
    /* no automatic growth: inserts happen under page locks
       (tb_page_link), and growing waits for a grace period; tb_gen_code
       grows the table after it let go of them */
    qht_init(&tbc.table, tb_equal, MAX(buffer_size / TB_TABLE_BYTES_PER_TB, 1024), 0);
    tbc.table_ready = true;
    return true;
}

void tb_cache_destroy(void)
{
    if (tbc.table_ready) {
        qht_destroy(&tbc.table);
        tbc.table_ready = false;
    }
    tb_regions_destroy();
}

static inline unsigned jc_hash(uint64_t pc)
{
    return (unsigned)((pc >> 2) ^ (pc >> (2 + JMP_CACHE_BITS))) & (JMP_CACHE_SIZE - 1);
}

void tb_jmp_cache_clear(LoomCPU *cpu)
{
    for (unsigned i = 0; i < JMP_CACHE_SIZE; i++) {
        __atomic_store_n(&cpu->priv->jmp_cache[i], NULL, __ATOMIC_RELAXED);
    }
}

static inline bool tb_matches(const LoomTB *tb, uint64_t pc, uint64_t flags, uint64_t flags2,
                              uint32_t cflags)
{
    return tb->pc == pc && tb->flags == flags && tb->flags2 == flags2 && tb->cflags == cflags;
}

LoomTB *loom_tb_lookup_current(LoomCPU *cpu)
{
    uint64_t pc, flags, flags2;
    LoomTB *tb;

    if (icount_enabled) {
        return NULL;    /* icount charges every TB in cpu_exec: no TB-to-TB jumps */
    }
    if (cpu->priv->excl) {
        /* an exclusive section runs one insn per TB (cpu-exec.c) */
        return NULL;
    }
    cpu->machine->fe->get_tb_cpu_state(cpu, &pc, &flags, &flags2);
    /* acquire: pairs with the release store in tb_lookup, so the TB's
       contents are visible before we run it */
    tb = __atomic_load_n(&cpu->priv->jmp_cache[jc_hash(pc)], __ATOMIC_ACQUIRE);
    if (tb && tb_matches(tb, pc, flags, flags2, cpu->machine->parallel ? LOOM_CF_PARALLEL : 0) &&
        !tb_invalid(tb)) {
        return tb;
    }
    return NULL;
}

LoomTB *tb_lookup(LoomCPU *cpu, uint64_t pc, uint64_t flags, uint64_t flags2, uint32_t cflags)
{
    unsigned h = jc_hash(pc);
    int mmu_idx = cpu->machine->fe->mmu_index(cpu, true);
    unsigned pages_wanted = 0;
    uint32_t hash;
    LoomTB *tb;
    TBKey key;

    /* before this vCPU runs another TB, its TLB honours every code page
       protected so far (tb-page.c); seq_cst as in protect_all_tlbs */
    if (__atomic_load_n(&tlb_code_gen, __ATOMIC_SEQ_CST) !=
        __atomic_load_n(&cpu->priv->tlb_code_seen, __ATOMIC_RELAXED)) {
        tlb_code_sync(cpu);
    }
    /* an entry may be a TB invalidated since (the invalidation clears it,
       but a racing lookup can store it back) */
    tb = __atomic_load_n(&cpu->priv->jmp_cache[h], __ATOMIC_ACQUIRE);
    if (tb && tb_matches(tb, pc, flags, flags2, cflags) && !tb_invalid(tb)) {
        return tb;
    }
    memset(&key, 0, sizeof(key));
    key.pc = pc;
    key.flags = flags;
    key.flags2 = flags2;
    key.cflags = cflags;
    key.nb_probed = 0;
    key.pages_wanted = &pages_wanted;
    /* may raise an instruction fetch fault: no lock is held here */
    key.phys_pc = tlb_code_phys(cpu, pc, mmu_idx, 0);
    /* lock-free; a TB found here stays valid until a flush, which waits
       until this vCPU is out of the execution loop */
    hash = tb_hash(key.phys_pc, pc, flags, flags2, cflags);
    tb = qht_lookup_custom(&tbc.table, &key, hash, tb_key_match);
    if (!tb && pages_wanted) {
        /* a candidate covers following pages too: what do they map to
           now?  One unmapped: no TB that covers it can run (translating
           it again raises the fetch fault where the guest expects it),
           so look for those that stop before it. */
        uint64_t page = UINT64_C(1) << tlb_page_bits;
        uint64_t next = pc & ~(page - 1);

        key.pages_wanted = NULL;
        while (key.nb_probed < pages_wanted && key.nb_probed < TB_MAX_PAGES - 1) {
            uint64_t phys;
            next += page;
            if (!tlb_code_phys_probe(cpu, next, mmu_idx, &phys)) {
                break;
            }
            key.page_phys[key.nb_probed++] = phys & ~(page - 1);
        }
        if (key.nb_probed) {
            tb = qht_lookup_custom(&tbc.table, &key, hash, tb_key_match);
        }
    }
    if (tb) {
        /* release: see loom_tb_lookup_current */
        __atomic_store_n(&cpu->priv->jmp_cache[h], tb, __ATOMIC_RELEASE);
    }
    return tb;
}

static void do_flush_work(LoomCPU *cpu, void *data)
{
    uint32_t count = (uint32_t)GPOINTER_TO_UINT(data);

    /* several vCPUs may ask for the same flush: do it once */
    if (__atomic_load_n(&tbc.flush_count, __ATOMIC_RELAXED) == count) {
        tb_flush_all();
    }
}

void loom_tb_flush(LoomCPU *cpu)
{
    uint32_t count = __atomic_load_n(&tbc.flush_count, __ATOMIC_RELAXED);

    async_safe_run_on_cpu(cpu, do_flush_work, GUINT_TO_POINTER(count));
}

/* Runs with every vCPU outside translated code (exclusive section). */
void tb_flush_all(void)
{
    LoomMachine *m = current_machine;

    qht_reset(&tbc.table);
    pthread_mutex_lock(&tbc.lock);
    tb_regions_reset();
    tbc.stats.flushes++;
    tbc.stats.nb_tbs = 0;
    __atomic_store_n(&tbc.flush_count, tbc.flush_count + 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&tbc.lock);
    tb_page_flush_all();
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        tb_jmp_cache_clear(m->cpus[i]);
    }
}

void tb_add_jump(LoomTB *tb, int n, LoomTB *dest)
{
    const LoomBackendOps *be = current_machine->be;
    uint64_t pmask = ~((UINT64_C(1) << tlb_page_bits) - 1);

    /* only within one guest page: a jump to another page must look the
       mapping up again, which chaining would skip.  For the same reason
       never into a TB that covers more pages: a remap of one of those
       alone (a TLB flush clears the jump caches, not the chains) would
       leave the chain running the old code.  tb may have been reached
       through a chain: its fields are read after the acquire in
       tb_invalid() (see tb_gen_code) */
    if (tb_invalid(tb) || tb_invalid(dest) || (tb->pc & pmask) != (dest->pc & pmask) ||
        tb_nb_pages(dest) > 1) {
        return;
    }
    pthread_mutex_lock(&tbc.lock);
    /* never into or out of an invalid TB: tb_unpublish, under this lock,
       unlinks what points into a TB once and for all */
    if (!__atomic_load_n(&tb->jmp_dest[n], __ATOMIC_RELAXED) &&
        !tb_invalid(tb) && !tb_invalid(dest)) {
        if (be->set_jmp_target) {
            be->set_jmp_target(tb, n, dest);
        }
        /* release: dest is fully built before anyone follows the chain */
        __atomic_store_n(&tb->jmp_dest[n], dest, __ATOMIC_RELEASE);
        tb_links(tb)->jmp_in_next[n] = tb_links(dest)->jmp_in;
        tb_links(dest)->jmp_in = (uintptr_t)tb | (unsigned)n;
    }
    pthread_mutex_unlock(&tbc.lock);
}

/* Take tb out of the TB table (tb_lock held; the QHT needs no more). */
static void table_remove_locked(LoomTB *tb)
{
    if (qht_remove(&tbc.table, tb, tb_hash(tb->phys_pc, tb->pc, tb->flags, tb->flags2, tb->cflags))) {
        tbc.stats.nb_tbs--;
    }
}

void tb_unpublish(LoomTB *tb)
{
    LoomMachine *m = current_machine;
    TBLinks *l = tb_links(tb);
    unsigned h = jc_hash(tb->pc);
    uintptr_t in;

    pthread_mutex_lock(&tbc.lock);
    if (tb_invalid(tb)) {
        pthread_mutex_unlock(&tbc.lock);
        return;
    }
    /* seq_cst: a lookup that stores tb in its jump cache after our sweep
       below checks this flag on every hit */
    __atomic_store_n(&l->invalid, true, __ATOMIC_SEQ_CST);
    table_remove_locked(tb);
    /* every chained jump into tb goes back to the core: one atomic patch
       per jump (set_jmp_target), so a thread running the source takes
       the old jump or its own exit */
    for (in = l->jmp_in; in; ) {
        LoomTB *src = (LoomTB *)(in & ~(uintptr_t)1);
        unsigned n = in & 1;

        if (m->be->set_jmp_target) {
            m->be->set_jmp_target(src, (int)n, NULL);
        }
        __atomic_store_n(&src->jmp_dest[n], NULL, __ATOMIC_RELEASE);
        in = tb_links(src)->jmp_in_next[n];
    }
    l->jmp_in = 0;
    tbc.stats.invalidated++;
    pthread_mutex_unlock(&tbc.lock);
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomTB *expected = tb;
        __atomic_compare_exchange_n(&m->cpus[i]->priv->jmp_cache[h], &expected, NULL, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
    }
}

/* Insert tb in the table (called by tb_page_link under the page locks);
   returns the TB to use: tb, or one with the same key inserted first. */
LoomTB *tb_publish(LoomTB *tb)
{
    void *existing = NULL;

    if (qht_insert(&tbc.table, tb, tb_hash(tb->phys_pc, tb->pc, tb->flags, tb->flags2, tb->cflags),
                   &existing)) {
        pthread_mutex_lock(&tbc.lock);
        tbc.stats.nb_tbs++;
        pthread_mutex_unlock(&tbc.lock);
        return tb;
    }
    return existing;
}

/* The table may have grown past its size: resize it (tb_gen_code, with
   no page lock held). */
void tb_table_grow(void)
{
    qht_grow_if_needed(&tbc.table);
}

/* A TB this thread translated and published (tb_gen_code). */
void tb_stats_translated(uint64_t code_bytes, uint64_t guest_insns)
{
    pthread_mutex_lock(&tbc.lock);
    tbc.stats.translated++;
    tbc.stats.code_bytes += code_bytes;
    tbc.stats.guest_insns += guest_insns;
    pthread_mutex_unlock(&tbc.lock);
}

/* Remember tb in cpu's jump cache (release: see loom_tb_lookup_current). */
void tb_jmp_cache_set(LoomCPU *cpu, LoomTB *tb)
{
    __atomic_store_n(&cpu->priv->jmp_cache[jc_hash(tb->pc)], tb, __ATOMIC_RELEASE);
}

void tb_get_stats(TBStats *st)
{
    pthread_mutex_lock(&tbc.lock);
    *st = tbc.stats;
    pthread_mutex_unlock(&tbc.lock);
    tb_regions_usage(st);
}
