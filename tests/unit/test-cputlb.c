/*
 * Cross-vCPU TLB flushes (cputlb.c): exact TLB contents after each call,
 * synced variants done on return while the vCPUs run, no deadlock between
 * synced requesters, idle vCPUs and exclusive sections.  A small harness
 * stands in for the vCPU threads: it runs the real work queues and
 * exclusive-section entry points of cpus.c around a "guest" body, in the
 * multi-threaded (a thread per vCPU) and single-threaded (one thread,
 * round robin) shapes.
 */
#include "config.h"
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define NCPUS 4
#define PAGE_P UINT64_C(0x5000)
#define PAGE_Q UINT64_C(0x6000)
#define PAGE_R UINT64_C(0x9000)
/* same TLB index as PAGE_P, another page */
#define PAGE_P2 (PAGE_P + ((uint64_t)LOOM_TLB_SIZE << 12))

typedef enum { CMD_NONE, CMD_PAGE_OTHERS_SYNCED, CMD_PAGE_ALL_SYNCED, CMD_ALL_OTHERS,
               CMD_ASID_ALL_SYNCED } Cmd;

typedef struct Harness {
    LoomMachine m;
    LoomCPU *cpus[NCPUS];
    pthread_t threads[NCPUS];
    unsigned nthreads;
    pthread_mutex_t rr_lock;
    pthread_cond_t rr_cond;
    bool stop;                          /* atomic */
    bool idle_odd;                      /* odd vCPUs sleep until work comes */
    bool stress;                        /* every vCPU issues synced flushes */
    int cmd;                            /* atomic: for vCPU 0 */
    int cmd_done;                       /* atomic */
    unsigned flushes;                   /* atomic: stress requests done */
} Harness;

static Harness h;

static void fill(LoomCPU *cpu, uint64_t vaddr, int mmu)
{
    LoomTLBEntry *e = &cpu->tlb[mmu][(vaddr >> 12) & (LOOM_TLB_SIZE - 1)];

    e->addr_read = e->addr_write = e->addr_code = vaddr;
    e->addend = 0;
}

static bool mapped(LoomCPU *cpu, uint64_t vaddr, int mmu)
{
    LoomTLBEntry *e = &cpu->tlb[mmu][(vaddr >> 12) & (LOOM_TLB_SIZE - 1)];

    return e->addr_read == vaddr && e->addr_write == vaddr && e->addr_code == vaddr;
}

static bool empty(LoomCPU *cpu, uint64_t vaddr, int mmu)
{
    LoomTLBEntry *e = &cpu->tlb[mmu][(vaddr >> 12) & (LOOM_TLB_SIZE - 1)];

    return e->addr_read == UINT64_MAX && e->addr_write == UINT64_MAX &&
           e->addr_code == UINT64_MAX && e->addend == UINT64_MAX;
}

/* P in MMU modes 0 and 1, Q in mode 0, P2 (P's index) in mode 2. */
static void fill_all(LoomCPU *cpu)
{
    fill(cpu, PAGE_P, 0);
    fill(cpu, PAGE_P, 1);
    fill(cpu, PAGE_Q, 0);
    fill(cpu, PAGE_P2, 2);
}

static void check_page_flushed(LoomCPU *cpu)
{
    g_assert_true(empty(cpu, PAGE_P, 0));
    g_assert_true(empty(cpu, PAGE_P, 1));
    g_assert_true(mapped(cpu, PAGE_Q, 0));
    g_assert_true(mapped(cpu, PAGE_P2, 2));
}

static void check_untouched(LoomCPU *cpu)
{
    g_assert_true(mapped(cpu, PAGE_P, 0));
    g_assert_true(mapped(cpu, PAGE_P, 1));
    g_assert_true(mapped(cpu, PAGE_Q, 0));
    g_assert_true(mapped(cpu, PAGE_P2, 2));
}

static void check_all_flushed(LoomCPU *cpu)
{
    g_assert_true(empty(cpu, PAGE_P, 0));
    g_assert_true(empty(cpu, PAGE_P, 1));
    g_assert_true(empty(cpu, PAGE_Q, 0));
    g_assert_true(empty(cpu, PAGE_P2, 2));
}

static bool stopping(void)
{
    return __atomic_load_n(&h.stop, __ATOMIC_ACQUIRE);
}

static void nop_safe(LoomCPU *cpu, void *data)
{
    (void)cpu;
    (void)data;
}

/* vCPU 0 runs main's commands, as a helper would, while "running". */
static void run_cmd(LoomCPU *cpu)
{
    int c = __atomic_load_n(&h.cmd, __ATOMIC_ACQUIRE);

    switch (c) {
    case CMD_PAGE_OTHERS_SYNCED:
        loom_tlb_flush_page_cpus_synced(cpu, LOOM_CPUS_OTHERS, PAGE_P);
        break;
    case CMD_PAGE_ALL_SYNCED:
        loom_tlb_flush_page_cpus_synced(cpu, LOOM_CPUS_ALL, PAGE_P);
        break;
    case CMD_ALL_OTHERS:
        loom_tlb_flush_cpus(cpu, LOOM_CPUS_OTHERS);
        break;
    case CMD_ASID_ALL_SYNCED:
        loom_tlb_flush_asid_cpus_synced(cpu, LOOM_CPUS_ALL, 7);
        break;
    default:
        return;
    }
    __atomic_store_n(&h.cmd, CMD_NONE, __ATOMIC_RELAXED);
    __atomic_store_n(&h.cmd_done, 1, __ATOMIC_RELEASE);
}

/* The guest: a while in translated code, leaving early when kicked. */
static void body(LoomCPU *cpu, unsigned turn)
{
    for (unsigned i = 0; i < 200; i++) {
        if (__atomic_load_n(&cpu->exit_request, __ATOMIC_RELAXED) &&
            __atomic_exchange_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST)) {
            return;
        }
        if (cpu->cpu_index == 0) {
            run_cmd(cpu);
        }
        if (h.stress && !stopping()) {
            switch ((turn + i + cpu->cpu_index) % 4) {
            case 0:
                loom_tlb_flush_page_cpus_synced(cpu, LOOM_CPUS_OTHERS, PAGE_P);
                break;
            case 1:
                loom_tlb_flush_cpus_synced(cpu, LOOM_CPUS_ALL);
                break;
            case 2:
                loom_tlb_flush_page_cpus(cpu, LOOM_CPUS_OTHERS, PAGE_Q);
                break;
            default:
                /* an exclusive section, entered outside the body while
                   others wait inside theirs */
                if (cpu->cpu_index == 1) {
                    async_safe_run_on_cpu(cpu, nop_safe, NULL);
                }
                break;
            }
            __atomic_add_fetch(&h.flushes, 1, __ATOMIC_RELAXED);
        }
    }
}

static void *vcpu_thread(void *arg)
{
    LoomCPU *cpu = arg;

    current_cpu = cpu;
    for (unsigned turn = 0; !stopping(); turn++) {
        if (h.idle_odd && (cpu->cpu_index & 1)) {
            /* a halted vCPU: sleeps until work is queued (cpus.c) */
            pthread_mutex_lock(cpu->priv->lock);
            while (!stopping() && !cpu->priv->work_first) {
                pthread_cond_wait(cpu->priv->cond, cpu->priv->lock);
            }
            pthread_mutex_unlock(cpu->priv->lock);
            cpu_process_work(cpu);
            continue;
        }
        cpu_process_work(cpu);
        cpu_exec_start(cpu);
        body(cpu, turn);
        cpu_exec_end(cpu);
    }
    cpu_process_work(cpu);
    return NULL;
}

static void *rr_thread(void *arg)
{
    (void)arg;
    for (unsigned turn = 0; !stopping(); turn++) {
        for (unsigned i = 0; i < NCPUS; i++) {
            LoomCPU *cpu = h.cpus[i];

            current_cpu = cpu;
            cpu_process_work(cpu);
            cpu_exec_start(cpu);
            body(cpu, turn);
            cpu_exec_end(cpu);
        }
    }
    for (unsigned i = 0; i < NCPUS; i++) {
        current_cpu = h.cpus[i];
        cpu_process_work(h.cpus[i]);
    }
    return NULL;
}

static void setup(ThreadMode mode, bool idle_odd, bool stress)
{
    memset(&h, 0, sizeof(h));
    h.m.nb_cpus = NCPUS;
    h.m.cpus = h.cpus;
    h.m.mode = mode;
    h.m.parallel = mode == THREAD_MULTI;
    h.idle_odd = idle_odd;
    h.stress = stress;
    for (unsigned i = 0; i < NCPUS; i++) {
        void *p = NULL;

        g_assert_cmpint(posix_memalign(&p, 64, sizeof(LoomCPU)), ==, 0);
        memset(p, 0, sizeof(LoomCPU));
        h.cpus[i] = p;
        h.cpus[i]->priv = g_new0(LoomCPUPrivate, 1);
        h.cpus[i]->machine = &h.m;
        h.cpus[i]->cpu_index = i;
        tlb_init(h.cpus[i]);
        fill_all(h.cpus[i]);
    }
    cpus_init(&h.m);
    if (mode == THREAD_SINGLE) {
        pthread_mutex_init(&h.rr_lock, NULL);
        pthread_cond_init(&h.rr_cond, NULL);
        for (unsigned i = 0; i < NCPUS; i++) {
            h.cpus[i]->priv->lock = &h.rr_lock;
            h.cpus[i]->priv->cond = &h.rr_cond;
        }
        pthread_create(&h.threads[0], NULL, rr_thread, NULL);
        h.nthreads = 1;
    } else {
        for (unsigned i = 0; i < NCPUS; i++) {
            pthread_create(&h.threads[i], NULL, vcpu_thread, h.cpus[i]);
        }
        h.nthreads = NCPUS;
    }
}

static void teardown(void)
{
    for (unsigned i = 0; i < NCPUS; i++) {
        pthread_mutex_lock(h.cpus[i]->priv->lock);
        __atomic_store_n(&h.cpus[i]->priv->stop, true, __ATOMIC_RELEASE);
        pthread_mutex_unlock(h.cpus[i]->priv->lock);
    }
    __atomic_store_n(&h.stop, true, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < NCPUS; i++) {
        loom_cpu_kick(h.cpus[i]);
    }
    for (unsigned i = 0; i < h.nthreads; i++) {
        pthread_join(h.threads[i], NULL);
    }
    cpus_destroy(&h.m);
    for (unsigned i = 0; i < NCPUS; i++) {
        g_free(h.cpus[i]->priv);
        free(h.cpus[i]);
    }
    if (h.m.mode == THREAD_SINGLE) {
        pthread_mutex_destroy(&h.rr_lock);
        pthread_cond_destroy(&h.rr_cond);
    }
}

/* vCPU 0 runs cmd; returns when it is done. */
static void on_cpu0(Cmd cmd)
{
    __atomic_store_n(&h.cmd_done, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h.cmd, cmd, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&h.cmd_done, __ATOMIC_ACQUIRE)) {
        g_usleep(100);
    }
}

/* From a thread that runs no vCPU: every vCPU flushed on return. */
static void test_from_main(gconstpointer data)
{
    ThreadMode mode = GPOINTER_TO_INT(data);

    setup(mode, mode == THREAD_MULTI, false);
    loom_tlb_flush_page_cpus_synced(NULL, LOOM_CPUS_ALL, PAGE_P);
    for (unsigned i = 0; i < NCPUS; i++) {
        check_page_flushed(h.cpus[i]);
    }
    loom_tlb_flush_cpus_synced(NULL, LOOM_CPUS_ALL);
    for (unsigned i = 0; i < NCPUS; i++) {
        check_all_flushed(h.cpus[i]);
    }
    teardown();
}

/* From vCPU 0 inside its "helper": its own TLB flushed or kept as the set
   says, the others flushed on return (synced) or soon (async). */
static void test_from_vcpu(gconstpointer data)
{
    ThreadMode mode = GPOINTER_TO_INT(data);

    setup(mode, mode == THREAD_MULTI, false);
    on_cpu0(CMD_PAGE_OTHERS_SYNCED);
    check_untouched(h.cpus[0]);
    for (unsigned i = 1; i < NCPUS; i++) {
        check_page_flushed(h.cpus[i]);
    }
    on_cpu0(CMD_PAGE_ALL_SYNCED);
    for (unsigned i = 0; i < NCPUS; i++) {
        check_page_flushed(h.cpus[i]);
    }
    on_cpu0(CMD_ALL_OTHERS);
    check_page_flushed(h.cpus[0]);
    /* async: queues run in order, so a synced flush of another page
       from main completes after it */
    loom_tlb_flush_page_cpus_synced(NULL, LOOM_CPUS_ALL, PAGE_R);
    check_page_flushed(h.cpus[0]);
    for (unsigned i = 1; i < NCPUS; i++) {
        check_all_flushed(h.cpus[i]);
    }
    for (unsigned i = 0; i < NCPUS; i++) {
        fill_all(h.cpus[i]);    /* owners are busy in body(): no TLB use */
    }
    on_cpu0(CMD_ASID_ALL_SYNCED);
    for (unsigned i = 0; i < NCPUS; i++) {
        check_all_flushed(h.cpus[i]);
    }
    teardown();
}

/* Every vCPU issues synced flushes at the others while vCPU 1 keeps
   starting exclusive sections and main flushes too: no deadlock. */
static void test_stress(gconstpointer data)
{
    ThreadMode mode = GPOINTER_TO_INT(data);
    gint64 end = g_get_monotonic_time() + G_USEC_PER_SEC / 2;

    setup(mode, false, true);
    while (g_get_monotonic_time() < end) {
        loom_tlb_flush_cpus_synced(NULL, LOOM_CPUS_ALL);
    }
    teardown();
    g_test_message("%u flush requests", h.flushes);
    g_assert_cmpuint(h.flushes, >, 0);
}

/* A vCPU that was not running when a page became code honours it before
   it can store anything: from cpu_exec_start on, not only from its next
   TB lookup (an interrupt delivered first may store). */
static void test_code_sync_on_entry(void)
{
    LoomMachine m;
    LoomCPU *cpus[2];
    unsigned idx = (PAGE_P >> 12) & (LOOM_TLB_SIZE - 1);
    MemRegion *ram;
    char *err = NULL;

    memset(&m, 0, sizeof(m));
    m.nb_cpus = 2;
    m.cpus = cpus;
    m.mode = THREAD_MULTI;
    m.parallel = true;
    for (unsigned i = 0; i < 2; i++) {
        void *p = NULL;

        g_assert_cmpint(posix_memalign(&p, 64, sizeof(LoomCPU)), ==, 0);
        memset(p, 0, sizeof(LoomCPU));
        cpus[i] = p;
        cpus[i]->priv = g_new0(LoomCPUPrivate, 1);
        cpus[i]->machine = &m;
        cpus[i]->cpu_index = i;
        tlb_init(cpus[i]);
    }
    ram = as_add_ram(&m.as, "ram", 0, 1 << 20, &err);
    g_assert_null(err);
    g_assert_nonnull(ram);
    /* vCPU 1 maps PAGE_P writable (RAM, fast path), and is not running */
    fill(cpus[1], PAGE_P, 0);
    cpus[1]->priv->iotlb[0][idx].mr = ram;
    cpus[1]->priv->iotlb[0][idx].paddr = PAGE_P;
    /* vCPU 0 makes the page code: vCPU 1 is not waited for */
    tb_page_protect(cpus[0], PAGE_P);
    g_assert_cmphex(cpus[1]->tlb[0][idx].addr_write & LOOM_TLB_NOTDIRTY, ==, 0);
    cpu_exec_start(cpus[1]);
    g_assert_cmphex(cpus[1]->tlb[0][idx].addr_write & LOOM_TLB_NOTDIRTY, ==, LOOM_TLB_NOTDIRTY);
    cpu_exec_end(cpus[1]);
    tb_page_flush_all();
    as_destroy(&m.as);
    for (unsigned i = 0; i < 2; i++) {
        g_free(cpus[i]->priv);
        free(cpus[i]);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* a deadlock fails the test instead of hanging the suite */
    alarm(120);
    g_test_add_data_func("/cputlb/from-main/multi", GINT_TO_POINTER(THREAD_MULTI),
                         test_from_main);
    g_test_add_data_func("/cputlb/from-main/single", GINT_TO_POINTER(THREAD_SINGLE),
                         test_from_main);
    g_test_add_data_func("/cputlb/from-vcpu/multi", GINT_TO_POINTER(THREAD_MULTI),
                         test_from_vcpu);
    g_test_add_data_func("/cputlb/from-vcpu/single", GINT_TO_POINTER(THREAD_SINGLE),
                         test_from_vcpu);
    g_test_add_data_func("/cputlb/stress/multi", GINT_TO_POINTER(THREAD_MULTI), test_stress);
    g_test_add_data_func("/cputlb/stress/single", GINT_TO_POINTER(THREAD_SINGLE), test_stress);
    g_test_add_func("/cputlb/code-sync-on-entry", test_code_sync_on_entry);
    return g_test_run();
}
