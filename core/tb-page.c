/*
 * Translated code per physical page: which RAM pages hold code, the TBs
 * translated from each, and how a write to such a page finds them.  This
 * is what lets self-modifying code, cross-hart code patching and fence.i
 * work without flushing the whole code buffer.
 *
 * A page becomes a *code page* when a TB is about to be translated from
 * it, and *protected* once no vCPU can write it on the inline fast path
 * any more: every TLB write entry for it carries LOOM_TLB_NOTDIRTY, so
 * every write calls the core's slow path, which writes and then calls
 * tb_page_written.  That invalidates the TBs overlapping the bytes
 * written.  A page that keeps being written with no TB on it stops being
 * a code page (IDLE_WRITES), and fast writes come back.
 *
 * Invariants:
 *  - A TB is published (hash table, then jump caches and chains) only
 *    after every page it was translated from was protected, and only if
 *    no write reached those pages between the start of its translation
 *    and its linking (tb_page_link checks both under the page locks).
 *    Otherwise it runs once, unpublished, and is translated again next
 *    time: it was read while the guest was writing it, and the guest may
 *    see old or new bytes then, but never keep seeing old ones.
 *  - So no vCPU completes a fast-path write into a page after a TB from
 *    it was published, and every slow-path write to it (vCPU stores and
 *    atomics, device DMA, the loader) either happens before a TB's bytes
 *    were fetched or invalidates that TB before the writer goes on.
 *  - Writes happen before the invalidation (write, then tb_page_written):
 *    a TB translated concurrently from the old bytes either is on the
 *    page's list by then, and is invalidated, or sees the page's gen move
 *    past its snapshot when it tries to link.
 *
 * Protection (protect_all_tlbs): TLBs are owner-only, so a vCPU never
 * writes another's entries.  The protector bumps tlb_code_gen and waits
 * until every other vCPU has either run tlb_code_sync for that
 * generation (which re-marks its own write entries for code pages; done
 * in cpu_exec_start, at every TB lookup and while waiting here) or is not
 * running translated code (priv->running false: cpu_exec_start resyncs
 * before the vCPU can store anything, an interrupt delivery included).  A
 * flag set atomically on the others' entries would be cheaper, but it
 * cannot tell when a store that already passed the TLB check lands; this
 * handshake can: the vCPU's stores before its sync (or before
 * cpu_exec_end) are visible to the protector when it sees the ack.
 * Running vCPUs are kicked, so the wait is about one TB.  Waiters sync
 * while they wait, so two protectors never wait for each other, and a
 * vCPU waiting for an exclusive section is not running.
 *
 * Locks (core/internal.h has the whole order): a page lock, then
 * pages_lock or tb_lock (tb.c); several page locks (the pages of one TB,
 * tb_page_link) in ascending physical address.
 * No page lock is held across the handshake or a grace period.
 */
#include "config.h"
#include <sched.h>
#include <sys/mman.h>
#include <string.h>
#include "internal.h"
#include "rcu.h"

/* One descriptor per guest page (the front-end's page_bits, fixed
   before any RAM is added) */
#define PAGE_BITS tlb_page_bits
#define PAGE_SIZE_ (UINT64_C(1) << PAGE_BITS)
#define PAGE_MASK_ (~(PAGE_SIZE_ - 1))
/* writes to a code page with no TB on it before it stops being one */
#define IDLE_WRITES 32

struct PageDesc {
    uint32_t lock;                      /* spin lock: guards the rest */
    uint8_t code;                       /* atomic (written under lock): writes go slow */
    uint8_t protect;                    /* every TLB honours code (see above) */
    uint8_t listed;                     /* in code_pages */
    uint8_t pad;
    uint32_t idle_writes;               /* writes that found no TB */
    uint64_t gen;                       /* page_clock at the last write / change */
    uintptr_t first;                    /* TB list: tb | n, see TBLinks */
};

_Static_assert(sizeof(PageDesc) == 32, "page descriptor size");

/* atomic: gen source; incremented by every write to a code page and
   every protection change, read by translators as their snapshot */
static uint64_t page_clock;
/* atomic: bumped by each protection handshake */
uint64_t tlb_code_gen;

/* Pages ever made code, for full flushes (which empty their lists).
   Protected by pages_lock (taken inside a page lock). */
static pthread_mutex_t pages_lock = PTHREAD_MUTEX_INITIALIZER;
static PageDesc **code_pages;
static size_t nb_code_pages, code_pages_cap;

static size_t pages_bytes(uint64_t base, uint64_t size)
{
    return (((base + size - 1) >> PAGE_BITS) - (base >> PAGE_BITS) + 1) * sizeof(PageDesc);
}

PageDesc *tb_page_alloc(uint64_t base, uint64_t size)
{
    /* zero-filled by the host as it is touched: untouched pages cost
       nothing */
    void *p = mmap(NULL, pages_bytes(base, size), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void tb_page_free(PageDesc *pages, uint64_t base, uint64_t size)
{
    if (pages) {
        munmap(pages, pages_bytes(base, size));
    }
}

static PageDesc *page_desc(LoomMachine *m, uint64_t paddr)
{
    MemRegion *mr = as_find(&m->as, paddr);

    if (!mr || !mr->pages) {
        return NULL;
    }
    return &mr->pages[(paddr >> PAGE_BITS) - (mr->base >> PAGE_BITS)];
}

static void page_lock(PageDesc *pd)
{
    unsigned spins = 0;

    /* others spin on this lock: no grace-period wait while it is held */
    rcu_nowait_begin();
    /* acquire: pairs with the release in page_unlock */
    while (__atomic_exchange_n(&pd->lock, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&pd->lock, __ATOMIC_RELAXED)) {
            if (++spins > 64) {
                sched_yield();
            }
        }
    }
}

static void page_unlock(PageDesc *pd)
{
    __atomic_store_n(&pd->lock, 0, __ATOMIC_RELEASE);
    rcu_nowait_end();
}

static uint64_t clock_tick(void)
{
    return __atomic_add_fetch(&page_clock, 1, __ATOMIC_SEQ_CST);
}

bool tb_page_is_code(MemRegion *mr, uint64_t ppage)
{
    PageDesc *pd;

    if (!mr->pages || ppage - mr->base >= mr->size) {
        return false;
    }
    pd = &mr->pages[(ppage >> PAGE_BITS) - (mr->base >> PAGE_BITS)];
    /* acquire: pairs with the code store in tb_page_protect */
    return __atomic_load_n(&pd->code, __ATOMIC_ACQUIRE);
}

/* Make every vCPU's TLB honour the code bits as they are now. */
static void protect_all_tlbs(LoomCPU *cpu)
{
    LoomMachine *m = cpu->machine;
    /* seq_cst: against cpu_exec_start's store to running, which comes
       before that vCPU's seq_cst read of tlb_code_gen in tb_lookup:
       either it sees this generation or we see it running */
    uint64_t g = __atomic_add_fetch(&tlb_code_gen, 1, __ATOMIC_SEQ_CST);

    tlb_code_sync(cpu);
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *c = m->cpus[i];
        if (c != cpu && __atomic_load_n(&c->priv->running, __ATOMIC_SEQ_CST) &&
            __atomic_load_n(&c->priv->tlb_code_seen, __ATOMIC_ACQUIRE) < g) {
            loom_cpu_kick(c);
        }
    }
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *c = m->cpus[i];
        /* acquire (both): c's stores before its ack are visible here */
        while (c != cpu && __atomic_load_n(&c->priv->running, __ATOMIC_SEQ_CST) &&
               __atomic_load_n(&c->priv->tlb_code_seen, __ATOMIC_ACQUIRE) < g) {
            tlb_code_sync(cpu);     /* c may be waiting for us */
            sched_yield();
        }
    }
}

static void list_page_locked(PageDesc *pd)
{
    if (pd->listed) {
        return;
    }
    pd->listed = 1;
    pthread_mutex_lock(&pages_lock);
    if (nb_code_pages == code_pages_cap) {
        code_pages_cap = code_pages_cap ? 2 * code_pages_cap : 1024;
        code_pages = g_renew(PageDesc *, code_pages, code_pages_cap);
    }
    code_pages[nb_code_pages++] = pd;
    pthread_mutex_unlock(&pages_lock);
}

void tb_page_protect(LoomCPU *cpu, uint64_t phys)
{
    PageDesc *pd = page_desc(cpu->machine, phys);
    uint64_t gen;

    if (!pd) {
        return;
    }
    page_lock(pd);
    if (pd->protect) {
        page_unlock(pd);
        return;
    }
    if (!pd->code) {
        /* release: a TLB fill that sees it marks its entry NOTDIRTY */
        __atomic_store_n(&pd->code, 1, __ATOMIC_RELEASE);
        list_page_locked(pd);
    }
    gen = pd->gen;
    page_unlock(pd);

    protect_all_tlbs(cpu);

    page_lock(pd);
    /* unchanged since we set the bit (no write cleared it meanwhile):
       every TLB now honours it.  The tick tells translators that read
       the page before this point that they read it unprotected. */
    if (pd->code && !pd->protect && pd->gen == gen) {
        pd->protect = 1;
        pd->gen = clock_tick();
    }
    page_unlock(pd);
}

uint64_t tb_page_snapshot(void)
{
    /* acquire: pairs with the tick after each write, so bytes written
       before a tick this snapshot covers are the ones fetched */
    return __atomic_load_n(&page_clock, __ATOMIC_ACQUIRE);
}

static void add_to_list_locked(PageDesc *pd, LoomTB *tb, unsigned n)
{
    tb_links(tb)->page_next[n] = pd->first;
    pd->first = (uintptr_t)tb | n;
    pd->idle_writes = 0;
}

LoomTB *tb_page_link(LoomTB *tb, uint64_t snapshot, LoomTB *(*publish)(LoomTB *tb))
{
    LoomMachine *m = current_machine;
    TBLinks *l = tb_links(tb);
    uint64_t addr[TB_MAX_PAGES];
    PageDesc *pd[TB_MAX_PAGES];
    /* the distinct pages, in ascending physical address: the lock order */
    PageDesc *locked[TB_MAX_PAGES];
    uint64_t locked_addr[TB_MAX_PAGES];
    unsigned nb = l->nb_pages, nlocked = 0;
    LoomTB *res = NULL;
    bool ok = true;

    addr[0] = tb->phys_pc & PAGE_MASK_;
    for (unsigned i = 0; i < nb; i++) {
        if (i) {
            addr[i] = l->page_phys[i - 1];
        }
        pd[i] = page_desc(m, addr[i]);
        if (!pd[i]) {
            return NULL;
        }
    }
    for (unsigned i = 0; i < nb; i++) {
        /* two virtual pages of the TB may map one physical page: it is
           on that page's list twice (once per part), locked once */
        bool dup = false;
        unsigned j;
        for (j = 0; j < nlocked; j++) {
            dup |= locked[j] == pd[i];
        }
        if (dup) {
            continue;
        }
        /* insertion sort by physical address */
        for (j = nlocked; j > 0 && locked_addr[j - 1] > addr[i]; j--) {
            locked[j] = locked[j - 1];
            locked_addr[j] = locked_addr[j - 1];
        }
        locked[j] = pd[i];
        locked_addr[j] = addr[i];
        nlocked++;
    }
    for (unsigned i = 0; i < nlocked; i++) {
        page_lock(locked[i]);
    }
    for (unsigned i = 0; i < nlocked; i++) {
        ok &= locked[i]->protect && locked[i]->gen <= snapshot;
    }
    if (ok) {
        res = publish(tb);
        if (res == tb) {
            for (unsigned i = 0; i < nb; i++) {
                add_to_list_locked(pd[i], tb, i);
            }
        }
    }
    for (unsigned i = nlocked; i-- > 0;) {
        page_unlock(locked[i]);
    }
    return res;
}

/* Does list n of tb (its page n) cover any of [lo, hi)? */
static bool tb_overlaps(LoomTB *tb, unsigned n, uint64_t lo, uint64_t hi)
{
    /* the TB's bytes on virtual page n after pc's, then where they are */
    uint64_t vpage = (tb->pc & PAGE_MASK_) + n * PAGE_SIZE_;
    uint64_t vs = MAX(tb->pc, vpage);
    uint64_t ve = MIN(tb->pc + tb->size, vpage + PAGE_SIZE_);
    uint64_t s = n ? tb_links(tb)->page_phys[n - 1] + (vs - vpage) : tb->phys_pc;
    uint64_t e = s + (ve - vs);

    return s < hi && lo < e;
}

/* Invalidate the TBs of pd that overlap [lo, hi); returns whether the
   page is still a code page. */
static bool page_written_locked(PageDesc *pd, uint64_t lo, uint64_t hi)
{
    uintptr_t *pp = &pd->first;
    bool any = false;

    pd->gen = clock_tick();
    while (*pp) {
        LoomTB *tb = (LoomTB *)(*pp & ~TB_PAGE_TAG);
        unsigned n = (unsigned)(*pp & TB_PAGE_TAG);
        uintptr_t next = tb_links(tb)->page_next[n];

        if (tb_invalid(tb)) {
            *pp = next;         /* invalidated through its other page */
            continue;
        }
        any = true;
        if (tb_overlaps(tb, n, lo, hi)) {
            *pp = next;
            tb_unpublish(tb);
            continue;
        }
        pp = &tb_links(tb)->page_next[n];
    }
    if (any) {
        pd->idle_writes = 0;
    } else if (++pd->idle_writes >= IDLE_WRITES) {
        /* written, never executed: let writes go fast again (TLBs keep
           their NOTDIRTY entries; the slow path drops them one by one) */
        __atomic_store_n(&pd->code, 0, __ATOMIC_RELEASE);
        pd->protect = 0;
        pd->idle_writes = 0;
    }
    return pd->code;
}

bool tb_page_written(LoomMachine *m, uint64_t paddr, uint64_t len)
{
    bool code = false;
    uint64_t last;

    if (len == 0) {
        return false;
    }
    /* up to the end of the address space at most (a debugger may name
       any address); the loop stops at the last page rather than when
       page passes it, which it never does if the last page is the top */
    last = (len - 1 > UINT64_MAX - paddr ? UINT64_MAX : paddr + len - 1) & PAGE_MASK_;
    for (uint64_t page = paddr & PAGE_MASK_;; page += PAGE_SIZE_) {
        PageDesc *pd = page_desc(m, page);

        /* acquire: pairs with tb_page_protect's store.  A page with a
           descriptor is RAM, which never ends at 2^64: page + PAGE_SIZE_
           does not wrap below */
        if (pd && __atomic_load_n(&pd->code, __ATOMIC_ACQUIRE)) {
            page_lock(pd);
            if (pd->code) {
                code |= page_written_locked(pd, MAX(paddr, page),
                                            MIN(paddr + len, page + PAGE_SIZE_));
            }
            page_unlock(pd);
        }
        if (page == last) {
            break;
        }
    }
    return code;
}

void tb_page_flush_all(void)
{
    PageDesc **pages;
    size_t n;

    /* every vCPU is stopped, so nothing adds pages (only vCPUs do); a
       device may still write RAM, hence the page locks */
    pthread_mutex_lock(&pages_lock);
    pages = code_pages;
    n = nb_code_pages;
    pthread_mutex_unlock(&pages_lock);
    for (size_t i = 0; i < n; i++) {
        page_lock(pages[i]);
        pages[i]->first = 0;
        page_unlock(pages[i]);
    }
}
