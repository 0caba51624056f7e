/*
 * vCPU threads: the thread-mode decision, the single- and multi-threaded
 * loops, halting, kicks, queued work and exclusive sections.
 *
 * Locks: excl_lock, then a vCPU's lock (core/internal.h has the whole
 * order).  Neither is held while translated code runs.
 *
 * Exclusive sections: a vCPU is "running" (priv->running) between
 * cpu_exec_start and cpu_exec_end.  start_exclusive raises excl_active,
 * then waits until every vCPU that was running has left; vCPUs entering
 * meanwhile see excl_active and wait.  The running/excl_active pair is a
 * store-then-load handshake on both sides, so both use seq_cst: at least
 * one side sees the other's store.
 *
 * A thread parked in an exclusive wait runs its queued TLB flushes
 * before each sleep (tlb_flush_run_queued, under excl_lock: the flushes
 * take only vCPU locks, which come after it), and synced TLB flush
 * requesters wake it (cpus_wake_exclusive_waiters): a pending section
 * waits for a requester that is still running, so the requester must
 * not wait for the parked thread's flush (tlb-flush.c).
 */
#include "config.h"
#include <string.h>
#include <time.h>
#include "internal.h"
#include "gdbstub.h"
#include "icount.h"

LoomMachine *current_machine;           /* set once before vCPUs start */
__thread LoomCPU *current_cpu;

struct WorkItem {
    RunOnCPUFunc *fn;
    void *data;
    bool safe;                          /* needs all vCPUs quiescent */
    WorkItem *next;
};

static pthread_mutex_t excl_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t excl_cond = PTHREAD_COND_INITIALIZER;     /* a vCPU left */
static pthread_cond_t excl_resume = PTHREAD_COND_INITIALIZER;   /* section ended */
static bool excl_active;                /* atomic; written under excl_lock */
static int excl_pending;                /* protected by excl_lock */

/* single-threaded mode: the round-robin thread's lock and condition */
static pthread_mutex_t rr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rr_cond = PTHREAD_COND_INITIALIZER;
static pthread_t rr_thread;
static LoomCPU *rr_current;             /* atomic: the vCPU the rr thread runs */
/* atomic: the running vCPU should give way (its slice is over, or
   another vCPU was kicked); a vCPU that only left translated code for
   its own queued work keeps the thread */
static bool rr_yield;
static LoomTimer *rr_timer;             /* time-slice kicks, under the BQL */

#define RR_SLICE_NS 10000000            /* 10 ms */

/* ---- thread mode ---- */

static const char *mo_text(uint32_t mo, char *buf, size_t n)
{
    if (!mo) {
        return "none (weak)";
    }
    snprintf(buf, n, "%s%s%s%s", (mo & LOOM_MO_LD_LD) ? "LD_LD " : "",
             (mo & LOOM_MO_LD_ST) ? "LD_ST " : "", (mo & LOOM_MO_ST_LD) ? "ST_LD " : "",
             (mo & LOOM_MO_ST_ST) ? "ST_ST " : "");
    buf[strlen(buf) - 1] = 0;
    return buf;
}

void loom_cpu_set_memory_order(LoomCPU *cpu, uint32_t mo)
{
    cpu->priv->guest_mo = mo & LOOM_MO_ALL;
    cpu->priv->guest_mo_set = true;
}

bool mb_insert_enabled = true;

static uint32_t cpu_guest_mo(const LoomCPU *cpu)
{
    return cpu->priv->guest_mo_set ? cpu->priv->guest_mo : cpu->machine->fe->guest_default_mo;
}

/* -d mttcg: the barriers translations get before guest accesses. */
static void log_barriers(const LoomMachine *m, uint32_t missing)
{
    char b1[64], b2[64];
    uint32_t ld = m->mb_needed & (LOOM_MO_LD_LD | LOOM_MO_ST_LD);
    uint32_t st = m->mb_needed & (LOOM_MO_LD_ST | LOOM_MO_ST_ST);

    if (!m->mb_needed) {
        loom_log("mttcg: barriers inserted: none (%s)\n",
                 !missing ? "the host gives the guest's order"
                 : !m->parallel ? "one thread runs the guest"
                 : !m->be->can_emit_mb ? "the back-end cannot emit them"
                 : "mb-insert=off: for testing only, the guest may break");
        return;
    }
    loom_log("mttcg: barriers inserted: mb %s before each guest load, mb %s before each "
             "guest store\n", ld ? mo_text(ld, b1, sizeof(b1)) : "(none)",
             st ? mo_text(st, b2, sizeof(b2)) : "(none)");
}

bool cpus_choose_mode(LoomMachine *m, ThreadMode requested, char **err)
{
    const LoomFrontendOps *fe = m->fe;
    const LoomBackendOps *be = m->be;
    const char *fname = m->frontend_plugin->desc->name;
    const char *bname = m->backend_plugin->desc->name;
    uint32_t guest_mo = 0, missing;
    bool order_ok;
    char b1[64], b2[64], b3[64];
    const char *why;

    /* the strongest order any vCPU promises (they share one -cpu) */
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        guest_mo |= cpu_guest_mo(m->cpus[i]);
    }
    missing = guest_mo & ~be->host_default_mo;
    order_ok = missing == 0 || be->can_emit_mb;
    if (loom_log_enabled(LOOM_LOG_MTTCG)) {
        loom_log("mttcg: front-end %s: %s MTTCG; guest memory order: %s\n", fname,
                 fe->supports_mttcg ? "supports" : "does not support",
                 mo_text(guest_mo, b1, sizeof(b1)));
        loom_log("mttcg: back-end %s: host memory order: %s; %s emit barriers\n", bname,
                 mo_text(be->host_default_mo, b2, sizeof(b2)),
                 be->can_emit_mb ? "can" : "cannot");
        if (missing) {
            loom_log("mttcg: the guest needs %s that the host does not give; the back-end "
                     "%s emit barriers for it\n", mo_text(missing, b3, sizeof(b3)),
                     be->can_emit_mb ? "can" : "cannot");
        } else {
            loom_log("mttcg: the host already gives every ordering the guest needs\n");
        }
    }
    if (icount_enabled) {
        /* deterministic execution needs one thread in a fixed order */
        if (requested == THREAD_MULTI) {
            *err = g_strdup("-icount needs single-threaded execution and --accel tcg,thread=multi "
                            "asks for one thread per vCPU: drop thread=multi or give thread=single");
            return false;
        }
        requested = THREAD_SINGLE;
    }
    switch (requested) {
    case THREAD_SINGLE:
        m->mode = THREAD_SINGLE;
        why = icount_enabled ? "-icount: deterministic execution" : "thread=single requested";
        break;
    case THREAD_MULTI:
        m->mode = THREAD_MULTI;
        why = "thread=multi requested";
        if (!fe->supports_mttcg) {
            loom_warn("front-end %s does not declare MTTCG support: running it "
                      "multi-threaded as requested may break the guest "
                      "(use --accel tcg,thread=single)", fname);
        } else if (!order_ok) {
            loom_warn("back-end %s cannot emit the barriers guest %s needs: "
                      "running multi-threaded as requested may break the guest", bname, fname);
        }
        break;
    default:
        if (!fe->supports_mttcg) {
            m->mode = THREAD_SINGLE;
            why = "thread=auto: the front-end does not support MTTCG";
        } else if (!order_ok) {
            m->mode = THREAD_SINGLE;
            why = "thread=auto: the back-end cannot give the guest's memory order";
        } else {
            m->mode = THREAD_MULTI;
            why = missing ? "thread=auto: the front-end supports MTTCG and the back-end "
                            "emits the barriers the guest needs"
                          : "thread=auto: the front-end supports MTTCG and the host "
                            "memory order covers the guest's";
        }
        break;
    }
    m->parallel = m->mode == THREAD_MULTI && m->nb_cpus > 1;
    if (m->mode == THREAD_SINGLE) {
        /* one thread runs them all: one lock and condition for every
           vCPU, set before any other thread (the gdbstub's, the I/O
           thread) can queue work */
        for (unsigned i = 0; i < m->nb_cpus; i++) {
            m->cpus[i]->priv->lock = &rr_lock;
            m->cpus[i]->priv->cond = &rr_cond;
        }
    }
    m->mb_needed = 0;
    if (m->parallel && be->can_emit_mb && missing && !mb_insert_enabled) {
        loom_warn("-accel tcg,mb-insert=off: the guest gets no barriers for the %s it needs "
                  "and back-end %s lacks; for testing only", mo_text(missing, b3, sizeof(b3)),
                  bname);
    }
    if (m->parallel && be->can_emit_mb && mb_insert_enabled) {
        for (unsigned i = 0; i < m->nb_cpus; i++) {
            LoomCPU *cpu = m->cpus[i];
            cpu->priv->mb_insert = cpu_guest_mo(cpu) & ~be->host_default_mo;
            m->mb_needed |= cpu->priv->mb_insert;
        }
    }
    if (loom_log_enabled(LOOM_LOG_MTTCG)) {
        if (m->mode == THREAD_MULTI) {
            loom_log("mttcg: chose multi-threaded mode: %u vCPU thread%s (%s)\n",
                     m->nb_cpus, m->nb_cpus == 1 ? "" : "s", why);
        } else {
            loom_log("mttcg: chose single-threaded mode: 1 thread runs %u vCPU%s "
                     "round-robin (%s)\n", m->nb_cpus, m->nb_cpus == 1 ? "" : "s", why);
        }
        log_barriers(m, missing);
    }
    return true;
}

/* ---- kicks and work ---- */

/*
 * The wake condition (mip, the work queue, stop) is published by the
 * caller before this takes the vCPU's lock, so a sleeper that checks it
 * under the lock cannot miss it.  In single-threaded mode the vCPU to
 * interrupt is the one running now, whichever the kick is for: the
 * target itself is not running, and a stale exit_request on it would
 * only cut its next turn short.
 */
void loom_cpu_kick(LoomCPU *cpu)
{
    LoomCPU *target = cpu;

    if (cpu->machine->mode == THREAD_SINGLE) {
        target = __atomic_load_n(&rr_current, __ATOMIC_ACQUIRE);
        if (target != cpu) {
            __atomic_store_n(&rr_yield, true, __ATOMIC_SEQ_CST);
        }
    }
    if (target) {
        __atomic_store_n(&target->exit_request, 1, __ATOMIC_SEQ_CST);
    }
    pthread_mutex_lock(cpu->priv->lock);
    pthread_cond_broadcast(cpu->priv->cond);
    pthread_mutex_unlock(cpu->priv->lock);
}

void loom_cpu_interrupt(LoomCPU *cpu, uint32_t mask)
{
    __atomic_fetch_or(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    loom_cpu_kick(cpu);
}

static void queue_work(LoomCPU *cpu, RunOnCPUFunc *fn, void *data, bool safe)
{
    WorkItem *w = g_new0(WorkItem, 1);

    w->fn = fn;
    w->data = data;
    w->safe = safe;
    pthread_mutex_lock(cpu->priv->lock);
    if (cpu->priv->work_last) {
        cpu->priv->work_last->next = w;
    } else {
        cpu->priv->work_first = w;
    }
    cpu->priv->work_last = w;
    pthread_mutex_unlock(cpu->priv->lock);
    loom_cpu_kick(cpu);
}

void async_run_on_cpu(LoomCPU *cpu, RunOnCPUFunc *fn, void *data)
{
    queue_work(cpu, fn, data, false);
}

void async_safe_run_on_cpu(LoomCPU *cpu, RunOnCPUFunc *fn, void *data)
{
    queue_work(cpu, fn, data, true);
}

void cpu_process_work(LoomCPU *cpu)
{
    for (;;) {
        WorkItem *w;

        pthread_mutex_lock(cpu->priv->lock);
        w = cpu->priv->work_first;
        if (w) {
            cpu->priv->work_first = w->next;
            if (!w->next) {
                cpu->priv->work_last = NULL;
            }
        }
        pthread_mutex_unlock(cpu->priv->lock);
        if (!w) {
            return;
        }
        if (w->safe) {
            start_exclusive();
            w->fn(cpu, w->data);
            end_exclusive();
        } else {
            w->fn(cpu, w->data);
        }
        g_free(w);
    }
}

/*
 * Run now, in queue order, the items queued to cpu whose function is fn,
 * leaving the others queued.  Owner thread only: a vCPU that must wait
 * where it cannot run all its work (inside a helper, in an exclusive
 * wait) still serves the requests others may be waiting for.
 */
void cpu_run_queued_fn(LoomCPU *cpu, RunOnCPUFunc *fn)
{
    WorkItem *mine = NULL, **tail = &mine, *prev = NULL;

    pthread_mutex_lock(cpu->priv->lock);
    for (WorkItem *w = cpu->priv->work_first, *next; w; w = next) {
        next = w->next;
        if (w->fn != fn) {
            prev = w;
            continue;
        }
        if (prev) {
            prev->next = next;
        } else {
            cpu->priv->work_first = next;
        }
        if (cpu->priv->work_last == w) {
            cpu->priv->work_last = prev;
        }
        w->next = NULL;
        *tail = w;
        tail = &w->next;
    }
    pthread_mutex_unlock(cpu->priv->lock);
    while (mine) {
        WorkItem *w = mine;
        mine = w->next;
        w->fn(cpu, w->data);
        g_free(w);
    }
}

/* ---- exclusive sections ---- */

/* Wake every thread parked in an exclusive wait (it then runs its queued
   TLB flushes, see tlb_flush_run_queued, and waits again). */
void cpus_wake_exclusive_waiters(void)
{
    pthread_mutex_lock(&excl_lock);
    pthread_cond_broadcast(&excl_resume);
    pthread_cond_broadcast(&excl_cond);
    pthread_mutex_unlock(&excl_lock);
}

void start_exclusive(void)
{
    LoomMachine *m = current_machine;
    int n = 0;

    pthread_mutex_lock(&excl_lock);
    while (__atomic_load_n(&excl_active, __ATOMIC_RELAXED)) {
        tlb_flush_run_queued();
        pthread_cond_wait(&excl_resume, &excl_lock);
    }
    __atomic_store_n(&excl_active, true, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *c = m->cpus[i];
        if (__atomic_load_n(&c->priv->running, __ATOMIC_SEQ_CST)) {
            c->priv->has_waiter = true;
            n++;
            loom_cpu_kick(c);
        }
    }
    excl_pending = n;
    while (excl_pending > 0) {
        /* a running vCPU we wait for may itself wait for our TLB flush */
        tlb_flush_run_queued();
        pthread_cond_wait(&excl_cond, &excl_lock);
    }
    pthread_mutex_unlock(&excl_lock);
}

void end_exclusive(void)
{
    pthread_mutex_lock(&excl_lock);
    __atomic_store_n(&excl_active, false, __ATOMIC_SEQ_CST);
    pthread_cond_broadcast(&excl_resume);
    pthread_mutex_unlock(&excl_lock);
}

/* Called with excl_lock held: stop counting cpu as running. */
static void leave_running_locked(LoomCPU *cpu)
{
    if (cpu->priv->has_waiter) {
        cpu->priv->has_waiter = false;
        if (--excl_pending == 0) {
            pthread_cond_signal(&excl_cond);
        }
    }
}

void cpu_exec_start(LoomCPU *cpu)
{
    __atomic_store_n(&cpu->priv->running, true, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&excl_active, __ATOMIC_SEQ_CST)) {
        pthread_mutex_lock(&excl_lock);
        while (__atomic_load_n(&excl_active, __ATOMIC_RELAXED)) {
            __atomic_store_n(&cpu->priv->running, false, __ATOMIC_SEQ_CST);
            leave_running_locked(cpu);
            tlb_flush_run_queued();
            pthread_cond_wait(&excl_resume, &excl_lock);
        }
        __atomic_store_n(&cpu->priv->running, true, __ATOMIC_SEQ_CST);
        pthread_mutex_unlock(&excl_lock);
    }
    /* Before this vCPU stores anything (cpu_exec may deliver an interrupt,
       and a front-end may store to guest memory doing so), its TLB
       honours every code page protected while it was not running: a
       protector that did not see running set (seq_cst above) bumped
       tlb_code_gen first, and tlb_code_sync's seq_cst load sees it
       (tb-page.c, "Protection").  tb_lookup syncs again for protections
       made while this vCPU runs. */
    tlb_code_sync(cpu);
}

void cpu_exec_end(LoomCPU *cpu)
{
    __atomic_store_n(&cpu->priv->running, false, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&excl_active, __ATOMIC_SEQ_CST)) {
        pthread_mutex_lock(&excl_lock);
        leave_running_locked(cpu);
        pthread_mutex_unlock(&excl_lock);
    }
}

/* ---- thread loops ---- */

static bool cpu_stopping(LoomCPU *cpu)
{
    return __atomic_load_n(&cpu->priv->stop, __ATOMIC_ACQUIRE);
}

/* Idle: halted with nothing to wake it, or held stopped by the debugger
   (gdbstub.c), and no queued work.  Called with the vCPU's lock held, so
   a kick cannot slip between check and sleep. */
static bool cpu_idle_locked(LoomCPU *cpu)
{
    return ((__atomic_load_n(&cpu->halted, __ATOMIC_SEQ_CST) &&
             !cpu->machine->fe->cpu_has_work(cpu)) || cpu_held(cpu)) &&
           !cpu->priv->work_first;
}

/* After cpu_exec (outside cpu_exec_start/end): a debug exit goes to the
   gdbstub, which reports the stop and stops every vCPU. */
static void exec_done(LoomCPU *cpu, int excp)
{
    if (excp == LOOM_EXCP_DEBUG && gdbstub_enabled) {
        gdbstub_cpu_debug(cpu);
    }
}

static void thread_setup(LoomCPU *cpu, unsigned region)
{
    if (!cpu->priv->ir) {
        cpu->priv->ir = loom_ir_context_new();
    }
    cpu->priv->region = tb_region(region);
}

static void *mttcg_thread(void *arg)
{
    LoomCPU *cpu = arg;
    char name[16];
    int excp;

    snprintf(name, sizeof(name), "vcpu%u", cpu->cpu_index);
    pthread_setname_np(pthread_self(), name);
    current_cpu = cpu;
    thread_setup(cpu, cpu->cpu_index);
    for (;;) {
        pthread_mutex_lock(cpu->priv->lock);
        while (!cpu_stopping(cpu) && cpu_idle_locked(cpu)) {
            pthread_cond_wait(cpu->priv->cond, cpu->priv->lock);
        }
        if (cpu_stopping(cpu)) {
            pthread_mutex_unlock(cpu->priv->lock);
            break;
        }
        pthread_mutex_unlock(cpu->priv->lock);
        cpu_process_work(cpu);
        cpu_exec_start(cpu);
        excp = cpu_exec(cpu);
        cpu_exec_end(cpu);
        exec_done(cpu, excp);
    }
    codegen_thread_end();
    return NULL;
}

static void rr_kick_cb(void *opaque)
{
    LoomCPU *cpu = __atomic_load_n(&rr_current, __ATOMIC_ACQUIRE);

    __atomic_store_n(&rr_yield, true, __ATOMIC_SEQ_CST);
    if (cpu) {
        __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
    }
    loom_timer_mod(rr_timer, loom_clock_ns() + RR_SLICE_NS);
}

static void *rr_thread_fn(void *arg)
{
    LoomMachine *m = arg;

    pthread_setname_np(pthread_self(), "vcpu-rr");
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        thread_setup(m->cpus[i], 0);
    }
    for (;;) {
        bool ran = false;

        for (unsigned i = 0; i < m->nb_cpus; i++) {
            LoomCPU *cpu = m->cpus[i];

            if (cpu_stopping(cpu)) {
                codegen_thread_end();
                return NULL;
            }
            current_cpu = cpu;
            __atomic_store_n(&rr_yield, false, __ATOMIC_SEQ_CST);
            if (icount_enabled) {
                icount_turn_start();    /* turns are counted in instructions */
            }
            /* this vCPU's turn: it keeps the thread through its own
               queued work (a fence.i flush, say) until it halts, its
               slice ends or another vCPU needs the thread */
            for (;;) {
                bool idle;
                int excp;

                cpu_process_work(cpu);
                pthread_mutex_lock(&rr_lock);
                idle = cpu_idle_locked(cpu);
                pthread_mutex_unlock(&rr_lock);
                if (idle || cpu_stopping(cpu)) {
                    break;
                }
                __atomic_store_n(&rr_current, cpu, __ATOMIC_RELEASE);
                cpu_exec_start(cpu);
                excp = cpu_exec(cpu);
                cpu_exec_end(cpu);
                __atomic_store_n(&rr_current, NULL, __ATOMIC_RELEASE);
                exec_done(cpu, excp);
                ran = true;
                if (icount_enabled && icount_turn_over()) {
                    break;
                }
                /* the guest waits for another vCPU (WFE, YIELD): hand
                   the thread on now rather than spin out the slice */
                if (excp == LOOM_EXCP_YIELD) {
                    break;
                }
                if (__atomic_load_n(&rr_yield, __ATOMIC_SEQ_CST)) {
                    break;
                }
            }
        }
        if (!ran) {
            /* icount: time jumps to the next deadline instead (sleep=off) */
            if (icount_enabled && icount_warp()) {
                continue;
            }
            /* every vCPU is idle: sleep until a kick */
            pthread_mutex_lock(&rr_lock);
            for (;;) {
                bool any = icount_enabled && icount_has_deadline();
                for (unsigned i = 0; i < m->nb_cpus; i++) {
                    if (cpu_stopping(m->cpus[i]) || !cpu_idle_locked(m->cpus[i])) {
                        any = true;
                    }
                }
                if (any) {
                    break;
                }
                pthread_cond_wait(&rr_cond, &rr_lock);
            }
            pthread_mutex_unlock(&rr_lock);
        }
    }
}

void cpus_icount_wake(void)
{
    pthread_mutex_lock(&rr_lock);
    pthread_cond_broadcast(&rr_cond);
    pthread_mutex_unlock(&rr_lock);
}

void cpus_init(LoomMachine *m)
{
    current_machine = m;
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPUPrivate *p = m->cpus[i]->priv;
        pthread_mutex_init(&p->own_lock, NULL);
        pthread_cond_init(&p->own_cond, NULL);
        p->lock = &p->own_lock;
        p->cond = &p->own_cond;
    }
}

/*
 * The run state (monitor stop/cont, -S without a debugger).  While
 * vm_stopped is set no vCPU runs guest code: cpu_exec returns at once and
 * the thread loops count the vCPU idle, so it sleeps and still serves
 * queued work.  The guest's clock stands still meanwhile.  The debugger
 * holds vCPUs through its own flags (gdbstub.c); a vCPU runs only when
 * neither holds it.
 */
static int vm_stopped;                  /* atomic */

bool cpu_held(LoomCPU *cpu)
{
    return __atomic_load_n(&vm_stopped, __ATOMIC_ACQUIRE) ||
           (gdbstub_enabled && gdbstub_cpu_paused(cpu));
}

bool vm_running(void)
{
    return !__atomic_load_n(&vm_stopped, __ATOMIC_ACQUIRE);
}

void vm_stop(LoomMachine *m)
{
    (void)m;
    if (__atomic_exchange_n(&vm_stopped, 1, __ATOMIC_SEQ_CST)) {
        return;
    }
    /* the barrier: once every vCPU has left translated code, each later
       entry sees the flag; then nothing the guest sees reads the clock */
    start_exclusive();
    end_exclusive();
    clock_pause();
}

void vm_start(LoomMachine *m)
{
    if (!__atomic_load_n(&vm_stopped, __ATOMIC_ACQUIRE)) {
        return;
    }
    clock_resume();
    __atomic_store_n(&vm_stopped, 0, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        loom_cpu_kick(m->cpus[i]);
    }
}

void vm_start_stopped(void)
{
    __atomic_store_n(&vm_stopped, 1, __ATOMIC_SEQ_CST);
    clock_pause();
}

void cpus_start(LoomMachine *m)
{
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        __atomic_store_n(&m->cpus[i]->priv->stop, false, __ATOMIC_RELEASE);
    }
    if (m->mode == THREAD_MULTI) {
        for (unsigned i = 0; i < m->nb_cpus; i++) {
            LoomCPU *cpu = m->cpus[i];
            if (pthread_create(&cpu->priv->thread, NULL, mttcg_thread, cpu)) {
                loom_fatal("cannot create vCPU thread %u: %s", i, g_strerror(errno));
            }
        }
        return;
    }
    if (m->nb_cpus > 1 && !icount_enabled) {
        loom_bql_lock();
        rr_timer = loom_timer_new(m, rr_kick_cb, NULL);
        loom_timer_mod(rr_timer, loom_clock_ns() + RR_SLICE_NS);
        loom_bql_unlock();
    }
    if (pthread_create(&rr_thread, NULL, rr_thread_fn, m)) {
        loom_fatal("cannot create the vCPU thread: %s", g_strerror(errno));
    }
}

void cpus_stop(LoomMachine *m)
{
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *cpu = m->cpus[i];
        pthread_mutex_lock(cpu->priv->lock);
        __atomic_store_n(&cpu->priv->stop, true, __ATOMIC_RELEASE);
        pthread_mutex_unlock(cpu->priv->lock);
        /* every vCPU, not just the one a single-mode kick reaches: the
           round-robin thread may be between two of them */
        __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
        loom_cpu_kick(cpu);
    }
    /* A vCPU waiting in cpu_exec_start for an exclusive section does not
       look at stop: it waits for the section to end, which it always
       does (sections never block on anything the stop withholds). */
    if (m->mode == THREAD_MULTI) {
        for (unsigned i = 0; i < m->nb_cpus; i++) {
            pthread_join(m->cpus[i]->priv->thread, NULL);
        }
    } else {
        pthread_join(rr_thread, NULL);
        if (rr_timer) {
            loom_bql_lock();
            loom_timer_free(rr_timer);
            rr_timer = NULL;
            loom_bql_unlock();
        }
    }
}

void cpus_destroy(LoomMachine *m)
{
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPUPrivate *p = m->cpus[i]->priv;
        WorkItem *w = p->work_first;
        while (w) {
            WorkItem *n = w->next;
            g_free(w);
            w = n;
        }
        loom_ir_context_free(p->ir);
        pthread_mutex_destroy(&p->own_lock);
        pthread_cond_destroy(&p->own_cond);
    }
}
