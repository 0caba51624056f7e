/*
 * Cross-vCPU TLB flushes: the loom_tlb_flush_*_cpus calls, which flush
 * the TLBs of a set of vCPUs, each by the thread that runs it, and the
 * synced variants, which return once every target has flushed.  The
 * local flushes they queue are in cputlb.c.  Lock rules and the
 * deadlock-freedom argument are below.
 */
#include "config.h"
#include <sched.h>
#include "internal.h"

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
