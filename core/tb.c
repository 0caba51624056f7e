/*
 * Translation blocks: the code buffer handed out to translating threads
 * in chunks, the TB hash table, the per-vCPU jump caches and full flushes.
 *
 * Invariants:
 *  - Each translating thread has a code region: the chunk of the buffer
 *    it fills now, written only by that thread, so code generation takes
 *    no global lock.  A thread whose chunk is full takes the next free
 *    chunk (one atomic add); when none is left, a full flush returns them
 *    all.  A busy thread can so use most of the buffer while idle ones
 *    hold a chunk each, instead of a fixed 1/N of it.
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
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"
#include "icount.h"
#include "qht.h"

/* A thread's current chunk [start, end), filled up to ptr; all NULL
   before its first translation and after a flush.  Owner thread only
   (a flush resets it with every vCPU out of translated code). */
struct CodeRegion {
    uint8_t *start, *end;
    uint8_t *ptr;
};

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
    uint8_t *buf;
    size_t size;
    CodeRegion *regions;        /* one per translating thread */
    unsigned nb_regions;
    size_t chunk_size;          /* set at init */
    unsigned nb_chunks;         /* set at init */
    unsigned next_chunk;        /* atomic: chunks handed out since the last flush */
    pthread_mutex_t lock;       /* tb_lock: protects chaining and stats */
    QHT table;                  /* LoomTB *, hashed by tb_hash; lock-free */
    bool table_ready;           /* set at init, cleared at destroy */
    TBStats stats;              /* protected by lock */
    /* atomic: bumped by every full flush */
    uint32_t flush_count;
    bool executable;            /* buf is mapped PROT_EXEC; set at init */
    /* wx=on: buf is the writable view, buf + exec_off the executable
       one, of the same memory; 0 otherwise.  Set at init */
    intptr_t exec_off;
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

bool tb_cache_init(uint64_t buffer_size, unsigned nb_regions, char **err)
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
    /* no automatic growth: inserts happen under page locks
       (tb_page_link), and growing waits for a grace period; tb_gen_code
       grows the table after it let go of them */
    qht_init(&tbc.table, tb_equal, MAX(tbc.size / TB_TABLE_BYTES_PER_TB, 1024), 0);
    tbc.table_ready = true;
    return true;
}

void tb_cache_destroy(void)
{
    if (tbc.table_ready) {
        qht_destroy(&tbc.table);
        tbc.table_ready = false;
    }
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

/* Region allocation, owner thread only; NULL when the region's chunk is
   full (or it has none). */
static void *region_alloc(CodeRegion *r, size_t size, size_t align)
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

static void log_tb(LoomCPU *cpu, LoomTB *tb);

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
    for (unsigned i = 0; i < tbc.nb_regions; i++) {
        tbc.regions[i] = (CodeRegion){ NULL, NULL, NULL };
    }
    __atomic_store_n(&tbc.next_chunk, 0, __ATOMIC_RELAXED);
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
static LoomTB *publish(LoomTB *tb)
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

LoomTB *tb_gen_code(LoomCPU *cpu, uint64_t pc, uint64_t flags, uint64_t flags2, uint32_t cflags)
{
    LoomMachine *m = cpu->machine;
    CodeRegion *r = cpu->priv->region;
    LoomIRContext *ir = cpu->priv->ir;
    int mmu_idx = m->fe->mmu_index(cpu, true);
    uint64_t phys = tlb_code_phys(cpu, pc, mmu_idx, 0);
    uint8_t *saved;
    LoomTB *tb, *existing;
    long used;
    int max_insns = cflags & LOOM_CF_COUNT_MASK;
    uint64_t snapshot;
    unsigned words = m->fe->insn_start_words;

    /* no write may reach the page on the fast path once we read it;
       then note the time (tb-page.c) */
    tb_page_protect(cpu, phys);
    snapshot = tb_page_snapshot();
retry:
    saved = r->ptr;
    tb = region_alloc(r, sizeof(TBCore), 64);
    if (!tb) {
        goto full;
    }
    memset(tb, 0, sizeof(TBCore));
    tb_links(tb)->nb_pages = 1;
    tb->pc = pc;
    tb->phys_pc = phys;
    tb->flags = flags;
    tb->flags2 = flags2;
    tb->cflags = cflags;

    loom_ir_context_reset(ir);
    loom_ir_set_source(ir, m->frontend_plugin ? m->frontend_plugin->file : "front-end", m->fe, m->be);
    m->fe->translate(cpu, ir, tb, max_insns ? max_insns : 512);
    if (loom_log_enabled(LOOM_LOG_OP) && log_pc_wanted(pc)) {
        char *title = g_strdup_printf("OP: cpu%u pc=0x%" PRIx64 " flags=0x%" PRIx64
                                      " flags2=0x%" PRIx64, cpu->cpu_index, pc, flags, flags2);
        loom_ir_dump(ir, title);
        g_free(title);
    }
    if (loom_ir_opt_enabled) {
        loom_ir_optimize(ir);
    }
    /* the optional ops the back-end lacks become ops it has */
    loom_ir_legalize(ir, m->be);
    if (loom_log_enabled(LOOM_LOG_OP_OPT) && log_pc_wanted(pc)) {
        char *title = g_strdup_printf("OP after optimization: cpu%u pc=0x%" PRIx64 " flags=0x%"
                                      PRIx64 " flags2=0x%" PRIx64 "%s", cpu->cpu_index, pc, flags,
                                      flags2, loom_ir_opt_enabled ? "" : " (opt=off)");
        loom_ir_dump(ir, title);
        g_free(title);
    }

    /* insn_start data, for restoring state on a fault: the front-end's
       insn_start_words per insn (loom_ir_emit checked each op has them) */
    tb->nb_insn_data = 0;
    tb->insn_data = region_alloc(r, ir->nb_insns * words * sizeof(uint64_t) + 8, 8);
    if (!tb->insn_data) {
        goto full;
    }
    for (uint32_t i = 0; i < ir->nb_ops; i++) {
        if (ir->ops[i].opc == LOOM_IR_OP_insn_start) {
            memcpy(&tb->insn_data[tb->nb_insn_data * words], ir->ops[i].args,
                   words * sizeof(uint64_t));
            tb->nb_insn_data++;
        }
    }
    tb->icount = tb->nb_insn_data;

    /* the back-end logs out_asm itself: mute it for a filtered-out TB */
    log_mute(!log_pc_wanted(pc));
    used = m->be->gen_code(tb, ir, r->ptr, (size_t)(r->end - r->ptr));
    log_mute(false);
    if (used < 0) {
        goto full;
    }
    r->ptr += used;
    cpu->priv->stats.translations++;
    log_tb(cpu, tb);

    /* every insn starts on the first page; the last may reach into the
       following ones, as many as the front-end's max_insn_bytes allows */
    if (tb->size) {
        uint64_t page = UINT64_C(1) << tlb_page_bits;
        unsigned n = (unsigned)(((pc + tb->size - 1) >> tlb_page_bits) - (pc >> tlb_page_bits)) + 1;

        if (n > m->tb_max_pages) {
            loom_fatal("front-end %s translated a block at 0x%" PRIx64 " of %u bytes, which "
                       "covers %u pages: more than its max_insn_bytes (%u) allows: fix the "
                       "front-end", m->frontend_plugin->desc->name, pc, tb->size, n,
                       m->fe->max_insn_bytes);
        }
        for (unsigned i = 1; i < n; i++) {
            /* mapped now (the front-end fetched from it, or the fetch
               faults here, which is the guest's fault at that insn) */
            uint64_t p = tlb_code_phys(cpu, (pc & ~(page - 1)) + i * page, mmu_idx, 0) &
                         ~(page - 1);
            tb_links(tb)->page_phys[i - 1] = p;
            /* fetched before this: tb_page_link sees it unprotected then */
            tb_page_protect(cpu, p);
        }
        tb_links(tb)->nb_pages = n;
    }
    /* release, paired with tb_invalid()'s acquire: a vCPU that reaches
       this TB without the table (through a jump patched into another
       TB's code) sees every field above once it has checked the flag */
    __atomic_store_n(&tb_links(tb)->invalid, false, __ATOMIC_RELEASE);
    existing = tb_page_link(tb, snapshot, publish);
    qht_grow_if_needed(&tbc.table);     /* no page lock held any more */
    if (!existing) {
        /* its code was written while we read it: run it this once, in
           nobody's table, cache or chain; next time translates again */
        __atomic_store_n(&tb_links(tb)->invalid, true, __ATOMIC_RELEASE);
        return tb;
    }
    if (existing != tb) {
        /* another vCPU translated the same block first: use theirs */
        r->ptr = saved;
        tb = existing;
    } else {
        pthread_mutex_lock(&tbc.lock);
        tbc.stats.translated++;
        tbc.stats.code_bytes += (uint64_t)used;
        tbc.stats.guest_insns += tb->icount;
        pthread_mutex_unlock(&tbc.lock);
    }
    __atomic_store_n(&cpu->priv->jmp_cache[jc_hash(pc)], tb, __ATOMIC_RELEASE);
    return tb;

full:
    r->ptr = saved;
    /* the chunk is full (or there is none yet): translate again in a
       fresh one */
    if ((!r->start || saved != r->start) && region_refill(r)) {
        goto retry;
    }
    if (r->start && saved == r->start) {
        loom_fatal("a translation block needs more than a whole %zu KiB code chunk: "
                   "use a larger -accel tcg,tb-size", tbc.chunk_size >> 10);
    }
    /* no chunk left: flush everything as safe work, then come back to
       the loop, which retries */
    loom_tb_flush(cpu);
    cpu->exception_index = LOOM_EXCP_INTERRUPT;
    loom_cpu_loop_exit(cpu);
}

/* -d in_asm: each guest insn of the TB as address and encoding (the
   bytes between consecutive insn starts); -d out_asm: what the back-end
   made of it. */
static void log_tb(LoomCPU *cpu, LoomTB *tb)
{
    if (!log_pc_wanted(tb->pc)) {
        return;
    }
    if (loom_log_enabled(LOOM_LOG_IN_ASM)) {
        int mmu_idx = cpu->machine->fe->mmu_index(cpu, true);
        GString *s = g_string_new(NULL);

        g_string_append_printf(s, "IN: cpu%u pc=0x%" PRIx64 " phys=0x%" PRIx64 " insns=%u\n",
                               cpu->cpu_index, tb->pc, tb->phys_pc, tb->icount);
        for (uint32_t i = 0; i < tb->nb_insn_data; i++) {
            unsigned words = cpu->machine->fe->insn_start_words;
            uint64_t pc = tb->insn_data[i * words];
            uint64_t next = i + 1 < tb->nb_insn_data ? tb->insn_data[(i + 1) * words]
                                                     : tb->pc + tb->size;
            g_string_append_printf(s, "0x%016" PRIx64 ":  ", pc);
            /* already fetched once to translate: the TLB maps it */
            for (uint64_t a = next; a > pc && a - pc <= 8; ) {
                a--;
                g_string_append_printf(s, "%02x", *tlb_code_ptr(cpu, a, mmu_idx, 0));
            }
            g_string_append_c(s, '\n');
        }
        loom_log("%s", s->str);
        g_string_free(s, TRUE);
    }
    if (loom_log_enabled(LOOM_LOG_OUT_ASM)) {
        loom_log("OUT: cpu%u pc=0x%" PRIx64 ": back-end %s, %u bytes at %p\n",
                 cpu->cpu_index, tb->pc, cpu->machine->backend_plugin->desc->name,
                 tb->code_size, tb->code);
    }
}

void tb_get_stats(TBStats *st)
{
    pthread_mutex_lock(&tbc.lock);
    *st = tbc.stats;
    pthread_mutex_unlock(&tbc.lock);
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
