/*
 * The TLB (cputlb.c): run-time geometry (modes, page size) and each kind
 * of flush (modes, page, range, tag, large pages) with the exact entries
 * that survive; cross-vCPU flushes: exact TLB contents after each call,
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
#define PAGE_P2 (PAGE_P + (UINT64_C(1) << (TLB_BITS + 12)))
#define NMODES 4

typedef enum { CMD_NONE, CMD_PAGE_OTHERS_SYNCED, CMD_PAGE_ALL_SYNCED, CMD_ALL_OTHERS,
               CMD_TAG_ALL_SYNCED, CMD_MODES_OTHERS_SYNCED, CMD_RANGE_ALL,
               CMD_PAGE_MODES_ALL_SYNCED } Cmd;

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

/* An entry as loom_tlb_set_page leaves it for a RAM page, written
   directly so that a vCPU thread may be using the TLB meanwhile (the
   harness's owners run no guest accesses) */
static void fill_tag(LoomCPU *cpu, uint64_t vaddr, int mmu, bool tagged, uint64_t tag)
{
    LoomTLBEntry *e = loom_tlb_entry(cpu, (unsigned)mmu, vaddr, tlb_page_bits);
    IOTLBEntry *io = &cpu->priv->tlbm[mmu].io[e - cpu->tlb_fast[mmu].table];

    e->addr_read = e->addr_write = e->addr_code = vaddr;
    e->addend = 0;
    io->tagged = tagged;
    io->tag = tag;
    io->size_bits = (uint8_t)tlb_page_bits;
}

static void fill(LoomCPU *cpu, uint64_t vaddr, int mmu)
{
    fill_tag(cpu, vaddr, mmu, false, 0);
}

static bool mapped(LoomCPU *cpu, uint64_t vaddr, int mmu)
{
    LoomTLBEntry *e = loom_tlb_entry(cpu, (unsigned)mmu, vaddr, tlb_page_bits);

    return e->addr_read == vaddr && e->addr_write == vaddr && e->addr_code == vaddr;
}

static bool empty(LoomCPU *cpu, uint64_t vaddr, int mmu)
{
    LoomTLBEntry *e = loom_tlb_entry(cpu, (unsigned)mmu, vaddr, tlb_page_bits);

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
    case CMD_TAG_ALL_SYNCED:
        loom_tlb_flush_tag_cpus_synced(cpu, LOOM_CPUS_ALL, 7, 0xff, LOOM_TLB_MODES_ALL);
        break;
    case CMD_MODES_OTHERS_SYNCED:
        loom_tlb_flush_modes_cpus_synced(cpu, LOOM_CPUS_OTHERS, 1u << 1 | 1u << 2);
        break;
    case CMD_RANGE_ALL:
        /* [R - 1 byte, R + 1 page): the page before R, and R */
        loom_tlb_flush_range_cpus(cpu, LOOM_CPUS_ALL, PAGE_R - 1, 0x1001, 1u << 0);
        break;
    case CMD_PAGE_MODES_ALL_SYNCED:
        loom_tlb_flush_page_modes_cpus_synced(cpu, LOOM_CPUS_ALL, PAGE_P, 1u << 1);
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
        tlb_alloc(h.cpus[i], NMODES);
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
        tlb_destroy(h.cpus[i]);
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
    on_cpu0(CMD_TAG_ALL_SYNCED);    /* all untagged: all dropped */
    for (unsigned i = 0; i < NCPUS; i++) {
        check_all_flushed(h.cpus[i]);
        /* P/0 tag 7, P/1 tag 8, Q/0 tag 0x107 (7 under the mask),
           P2/2 untagged */
        fill_tag(h.cpus[i], PAGE_P, 0, true, 7);
        fill_tag(h.cpus[i], PAGE_P, 1, true, 8);
        fill_tag(h.cpus[i], PAGE_Q, 0, true, 0x107);
        fill_tag(h.cpus[i], PAGE_P2, 2, false, 0);
    }
    on_cpu0(CMD_TAG_ALL_SYNCED);
    for (unsigned i = 0; i < NCPUS; i++) {
        g_assert_true(empty(h.cpus[i], PAGE_P, 0));
        g_assert_true(mapped(h.cpus[i], PAGE_P, 1));
        g_assert_true(empty(h.cpus[i], PAGE_Q, 0));
        g_assert_true(empty(h.cpus[i], PAGE_P2, 2));
        fill_all(h.cpus[i]);
    }
    on_cpu0(CMD_MODES_OTHERS_SYNCED);
    check_untouched(h.cpus[0]);
    for (unsigned i = 1; i < NCPUS; i++) {
        g_assert_true(mapped(h.cpus[i], PAGE_P, 0));
        g_assert_true(empty(h.cpus[i], PAGE_P, 1));
        g_assert_true(mapped(h.cpus[i], PAGE_Q, 0));
        g_assert_true(empty(h.cpus[i], PAGE_P2, 2));
    }
    for (unsigned i = 0; i < NCPUS; i++) {
        fill_all(h.cpus[i]);
        fill(h.cpus[i], PAGE_R, 0);
        fill(h.cpus[i], PAGE_R - 0x1000, 0);
        fill(h.cpus[i], PAGE_R - 0x2000, 0);
    }
    on_cpu0(CMD_RANGE_ALL);
    /* async: a synced flush after it completes after it */
    on_cpu0(CMD_PAGE_MODES_ALL_SYNCED);
    for (unsigned i = 0; i < NCPUS; i++) {
        g_assert_true(mapped(h.cpus[i], PAGE_P, 0));
        g_assert_true(empty(h.cpus[i], PAGE_P, 1));
        g_assert_true(mapped(h.cpus[i], PAGE_Q, 0));
        g_assert_true(empty(h.cpus[i], PAGE_R, 0));
        g_assert_true(empty(h.cpus[i], PAGE_R - 0x1000, 0));
        g_assert_true(mapped(h.cpus[i], PAGE_R - 0x2000, 0));
        g_assert_true(mapped(h.cpus[i], PAGE_P2, 2));
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
    unsigned idx = (PAGE_P >> 12) & ((1u << TLB_BITS) - 1);
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
        tlb_alloc(cpus[i], 1);
    }
    ram = as_add_ram(&m.as, "ram", 0, 1 << 20, &err);
    g_assert_null(err);
    g_assert_nonnull(ram);
    /* vCPU 1 maps PAGE_P writable (RAM, fast path), and is not running */
    fill(cpus[1], PAGE_P, 0);
    cpus[1]->priv->tlbm[0].io[idx].mr = ram;
    cpus[1]->priv->tlbm[0].io[idx].paddr = PAGE_P;
    /* vCPU 0 makes the page code: vCPU 1 is not waited for */
    tb_page_protect(cpus[0], PAGE_P);
    g_assert_cmphex(cpus[1]->tlb_fast[0].table[idx].addr_write & LOOM_TLB_NOTDIRTY, ==, 0);
    cpu_exec_start(cpus[1]);
    g_assert_cmphex(cpus[1]->tlb_fast[0].table[idx].addr_write & LOOM_TLB_NOTDIRTY, ==,
                    LOOM_TLB_NOTDIRTY);
    cpu_exec_end(cpus[1]);
    tb_page_flush_all();
    as_destroy(&m.as);
    for (unsigned i = 0; i < 2; i++) {
        tlb_destroy(cpus[i]);
        g_free(cpus[i]->priv);
        free(cpus[i]);
    }
}

/* ---- one vCPU, owner-only flushes, through loom_tlb_set_page ---- */

#define RAM_SIZE (UINT64_C(1) << 20)

static LoomMachine solo_m;

/* A vCPU of nb_modes modes over 1 MiB of RAM at 0; page_bits as given. */
static LoomCPU *solo_new(unsigned nb_modes, unsigned page_bits)
{
    LoomCPU *cpu = cpu_alloc(64, nb_modes);      /* as the machine makes them */
    char *err = NULL;

    g_assert_nonnull(cpu);
    memset(&solo_m, 0, sizeof(solo_m));
    tlb_page_bits = page_bits;
    cpu->machine = &solo_m;
    solo_m.nb_cpus = 1;
    solo_m.cpus = &cpu;         /* only while the test runs */
    g_assert_nonnull(as_add_ram(&solo_m.as, "ram", 0, RAM_SIZE, &err));
    g_assert_null(err);
    tlb_alloc(cpu, nb_modes);
    return cpu;
}

static void solo_free(LoomCPU *cpu)
{
    as_destroy(&solo_m.as);
    cpu_free(cpu);
    tlb_page_bits = 12;
}

#define RWX (LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC)

/* map vaddr's page to RAM (physical = vaddr mod RAM size) */
static void map(LoomCPU *cpu, uint64_t vaddr, int mmu, uint64_t size)
{
    loom_tlb_set_page(cpu, vaddr, vaddr & (RAM_SIZE - 1), RWX, mmu, size);
    g_assert_true(mapped(cpu, vaddr & ~((UINT64_C(1) << tlb_page_bits) - 1), mmu));
}

static void map_tag(LoomCPU *cpu, uint64_t vaddr, int mmu, uint64_t tag)
{
    loom_tlb_set_page_tag(cpu, vaddr, vaddr & (RAM_SIZE - 1), RWX, mmu, 0x1000, tag);
    g_assert_true(mapped(cpu, vaddr, mmu));
}

/* 16 modes of 64 KiB pages: every mode has its own table, reached
   through descriptors in the 256 bytes before env. */
static void test_geometry_16_modes(void)
{
    LoomCPU *cpu = solo_new(16, 16);
    uint64_t v = UINT64_C(0x7fff0000);

    g_assert_cmpint((char *)&cpu->tlb_fast[0] - (char *)cpu->env, ==, -256);
    g_assert_cmpint((char *)&cpu->tlb_fast[15].table - (char *)cpu->env, ==, -8);
    for (int m = 0; m < 16; m++) {
        g_assert_cmphex(cpu->tlb_fast[m].mask, ==, ((1u << TLB_BITS) - 1) << 5);
        for (int k = 0; k < m; k++) {
            g_assert_true(cpu->tlb_fast[m].table != cpu->tlb_fast[k].table);
        }
        map(cpu, v + ((uint64_t)m << 16) + 0x1234, m, 0x10000);
    }
    for (int m = 0; m < 16; m++) {
        uint64_t page = v + ((uint64_t)m << 16);
        LoomTLBEntry *e = &cpu->tlb_fast[m].table[(page >> 16) & 0xff];

        /* the 64 KiB page, its index by 64 KiB, host = RAM + page offset */
        g_assert_cmphex(e->addr_read, ==, page);
        g_assert_cmphex(e->addend + page, ==,
                        (uintptr_t)solo_m.as.regions[0]->ram + (page & (RAM_SIZE - 1)));
        g_assert_true(e == loom_tlb_entry(cpu, (unsigned)m, page + 0xffff, 16));
    }
    /* a page flush by 64 KiB: the last byte's page is the same page */
    loom_tlb_flush_page_modes(cpu, v + (15u << 16) + 0xffff, 1u << 15);
    g_assert_true(empty(cpu, v + (15u << 16), 15));
    g_assert_true(mapped(cpu, v + (14u << 16), 14));
    loom_tlb_flush_modes(cpu, 0x7fff);
    for (int m = 0; m < 16; m++) {
        g_assert_true(empty(cpu, v + ((uint64_t)m << 16), m));
    }
    solo_free(cpu);
}

/* Modes the front-end does not declare: a table that never hits. */
static void test_geometry_unused_modes(void)
{
    LoomCPU *cpu = solo_new(2, 14);

    g_assert_cmpuint(loom_tlb_page_bits(), ==, 14);
    map(cpu, 0, 0, 0x4000);                     /* entry 0 of mode 0 */
    map(cpu, 0, 1, 0x4000);
    for (int m = 2; m < LOOM_TLB_MAX_MODES; m++) {
        LoomTLBEntry *e = loom_tlb_entry(cpu, (unsigned)m, 0x4000, 14);

        g_assert_cmphex(cpu->tlb_fast[m].mask, ==, 0);
        g_assert_cmphex(e->addr_read & e->addr_write & e->addr_code, ==, UINT64_MAX);
    }
    map(cpu, 0x8000, 1, 0x4000);
    /* bits of undeclared modes are ignored */
    loom_tlb_flush_modes(cpu, LOOM_TLB_MODES_ALL & ~3u);
    g_assert_true(mapped(cpu, 0x8000, 1));
    solo_free(cpu);
}

/* Each table has 1 << TLB_BITS entries for the whole run, at the place
   and with the mask loom_tlb_fast_fixed gives (the x86_64 fast path bakes
   both into its code): many fills and flushes of every kind move
   nothing, and an address's entry is the one the fixed mask picks. */
static void fixed_descriptors(LoomCPU *cpu)
{
    for (unsigned m = 0; m < 2; m++) {
        int32_t ofs;
        uintptr_t mask;

        g_assert_true(loom_tlb_fast_fixed(m, &ofs, &mask));
        g_assert_true((uint8_t *)cpu->tlb_fast[m].table == cpu->env + ofs);
        g_assert_cmphex(cpu->tlb_fast[m].mask, ==, mask);
        g_assert_cmphex(mask, ==, ((1u << TLB_BITS) - 1) << 5);
    }
    g_assert_false(loom_tlb_fast_fixed(2, &(int32_t){ 0 }, &(uintptr_t){ 0 }));
}

static void test_geometry_fixed(void)
{
    LoomCPU *cpu = solo_new(2, 12);
    unsigned n = 1u << TLB_BITS;

    fixed_descriptors(cpu);
    for (unsigned round = 0; round < 4; round++) {
        for (unsigned i = 0; i < 4 * n; i++) {
            map(cpu, (uint64_t)i << 12, 0, 0x1000);
        }
        loom_tlb_flush_modes(cpu, 1u << 0);
        fixed_descriptors(cpu);
        for (unsigned i = 0; i < n; i++) {
            g_assert_cmphex(cpu->tlb_fast[0].table[i].addr_read, ==, UINT64_MAX);
        }
        map(cpu, 0x200000, 1, 0x200000);
        loom_tlb_flush_page(cpu, 0x201000);
        loom_tlb_flush_tag(cpu, 0, 0, LOOM_TLB_MODES_ALL);
        loom_tlb_flush_range(cpu, 0, 0x400000, LOOM_TLB_MODES_ALL);
        loom_tlb_flush(cpu);
        fixed_descriptors(cpu);
    }
    map(cpu, 0xfff000, 0, 0x1000);
    g_assert_true(loom_tlb_entry(cpu, 0, 0xfff000, 12) ==
                  &cpu->tlb_fast[0].table[0xfff & (n - 1)]);
    solo_free(cpu);
}

/* Bad declarations are refused with the plugin's name and the fix. */
static void test_geometry_check(void)
{
    LoomFrontendOps o = { .page_bits = 12, .nb_mmu_modes = 16 };
    char *err = NULL;

    g_assert_true(tlb_geometry_check(&o, "fe.so", &err));
    o.page_bits = 14;
    g_assert_true(tlb_geometry_check(&o, "fe.so", &err));
    o.page_bits = 16;
    o.nb_mmu_modes = 1;
    g_assert_true(tlb_geometry_check(&o, "fe.so", &err));
    g_assert_null(err);
    o.page_bits = 13;
    g_assert_false(tlb_geometry_check(&o, "fe.so", &err));
    g_assert_cmpstr(err, ==, "plugin fe.so: page_bits 13 is not a supported page size: "
                    "declare 12, 14 or 16 (4, 16 or 64 KiB pages)");
    g_clear_pointer(&err, g_free);
    o.page_bits = 12;
    o.nb_mmu_modes = 17;
    g_assert_false(tlb_geometry_check(&o, "fe.so", &err));
    g_assert_cmpstr(err, ==, "plugin fe.so: nb_mmu_modes 17 is out of range: declare 1 to 16 "
                    "MMU modes");
    g_clear_pointer(&err, g_free);
    o.nb_mmu_modes = 0;
    g_assert_false(tlb_geometry_check(&o, "fe.so", &err));
    g_assert_cmpstr(err, ==, "plugin fe.so: nb_mmu_modes 0 is out of range: declare 1 to 16 "
                    "MMU modes");
    g_free(err);
}

/* Page flushes by mode mask: only that page, only those modes. */
static void test_flush_page_modes(void)
{
    LoomCPU *cpu = solo_new(NMODES, 12);

    for (int m = 0; m < NMODES; m++) {
        map(cpu, PAGE_P, m, 0x1000);
        map(cpu, PAGE_Q, m, 0x1000);
    }
    map(cpu, PAGE_P2, 3, 0x1000);   /* evicts P in mode 3 (same index) */
    loom_tlb_flush_page_modes(cpu, PAGE_P + 0xfff, 1u << 0 | 1u << 2 | 1u << 3);
    g_assert_true(empty(cpu, PAGE_P, 0));
    g_assert_true(mapped(cpu, PAGE_P, 1));
    g_assert_true(empty(cpu, PAGE_P, 2));
    g_assert_true(mapped(cpu, PAGE_P2, 3));     /* another page, same index */
    for (int m = 0; m < NMODES; m++) {
        g_assert_true(mapped(cpu, PAGE_Q, m));
    }
    loom_tlb_flush_page(cpu, PAGE_P2);
    g_assert_true(empty(cpu, PAGE_P2, 3));
    g_assert_true(mapped(cpu, PAGE_P, 1));
    solo_free(cpu);
}

/* Range flushes: every page the bytes touch, in those modes; a range of
   more pages than entries walks the table. */
static void test_flush_range(void)
{
    LoomCPU *cpu = solo_new(NMODES, 12);
    uint64_t v = UINT64_C(0x10000), high = UINT64_C(0xfffffffffffff000);

    for (int i = 0; i < 6; i++) {
        map(cpu, v + i * 0x1000, 0, 0x1000);
        map(cpu, v + i * 0x1000, 1, 0x1000);
    }
    map(cpu, high, 1, 0x1000);
    /* bytes 0x11800 .. 0x137ff: pages 1, 2 and 3 */
    loom_tlb_flush_range(cpu, v + 0x1800, 0x2000, 1u << 1);
    for (int i = 0; i < 6; i++) {
        g_assert_true(mapped(cpu, v + i * 0x1000, 0));
        g_assert_true((i >= 1 && i <= 3) ? empty(cpu, v + i * 0x1000, 1)
                                         : mapped(cpu, v + i * 0x1000, 1));
    }
    loom_tlb_flush_range(cpu, v, 0, LOOM_TLB_MODES_ALL);       /* nothing */
    g_assert_true(mapped(cpu, v, 0));
    /* up to the top of the address space, no wrap: only the last page */
    loom_tlb_flush_range(cpu, high + 0x10, UINT64_MAX, LOOM_TLB_MODES_ALL);
    g_assert_true(empty(cpu, high, 1));
    g_assert_true(mapped(cpu, v, 1));
    /* 1 GiB: more pages than entries */
    map(cpu, UINT64_C(0x40000000), 0, 0x1000);
    loom_tlb_flush_range(cpu, 0, UINT64_C(0x40000000), 1u << 0);
    for (int i = 0; i < 6; i++) {
        g_assert_true(empty(cpu, v + i * 0x1000, 0));
    }
    g_assert_true(mapped(cpu, UINT64_C(0x40000000), 0));
    g_assert_true(mapped(cpu, v, 1));
    solo_free(cpu);
}

/* Tag flushes drop the tag's entries (under the mask) and untagged ones,
   in those modes only. */
static void test_flush_tag(void)
{
    LoomCPU *cpu = solo_new(NMODES, 12);
    const uint64_t asid7 = 7, asid8 = 8, global = 0x10000 | 7;

    map_tag(cpu, 0x1000, 0, asid7);
    map_tag(cpu, 0x2000, 0, asid8);
    map_tag(cpu, 0x3000, 0, global);
    map(cpu, 0x4000, 0, 0x1000);                /* untagged */
    map_tag(cpu, 0x1000, 1, asid7);
    loom_tlb_flush_tag(cpu, asid7, 0x1ffff, 1u << 0);
    g_assert_true(empty(cpu, 0x1000, 0));
    g_assert_true(mapped(cpu, 0x2000, 0));
    g_assert_true(mapped(cpu, 0x3000, 0));
    g_assert_true(empty(cpu, 0x4000, 0));
    g_assert_true(mapped(cpu, 0x1000, 1));
    /* a mask without the global bit: a VMID-style flush of everything
       whose low 16 bits are 7 */
    loom_tlb_flush_tag(cpu, asid7, 0xffff, LOOM_TLB_MODES_ALL);
    g_assert_true(mapped(cpu, 0x2000, 0));
    g_assert_true(empty(cpu, 0x3000, 0));
    g_assert_true(empty(cpu, 0x1000, 1));
    solo_free(cpu);
}

/* Large pages: a flush anywhere in a 2 MiB or 1 GiB mapping drops every
   entry that mapping gave, in its mode; nothing else goes. */
static void test_flush_large(void)
{
    LoomCPU *cpu = solo_new(NMODES, 12);
    const uint64_t mb2 = UINT64_C(2) << 20, gb1 = UINT64_C(1) << 30;
    const uint64_t a = UINT64_C(0x40000000), b = a + 2 * mb2;  /* two 2 MiB mappings */
    /* (the pages below all have different TLB indexes in their mode) */
    const uint64_t small = a + mb2 + 0x10000;      /* between them: 4 KiB */
    const uint64_t outside = a + 8 * mb2 + 0x20000; /* beyond both */
    const uint64_t g = UINT64_C(0x80000000);       /* a 1 GiB mapping */

    map(cpu, a, 0, mb2);
    map(cpu, a + 0x1000, 0, mb2);
    map(cpu, a + mb2 - 0x1000, 0, mb2);
    map(cpu, b + 0x3000, 0, mb2);
    map(cpu, small, 0, 0x1000);
    map(cpu, outside, 0, 0x1000);
    map(cpu, a + 0x1000, 1, 0x1000);            /* another mode, 4 KiB */
    map(cpu, g + 0x2000, 2, gb1);
    map(cpu, g + gb1 - 0x1000, 2, gb1);
    map(cpu, g + gb1, 2, 0x1000);               /* just past it */

    /* a page of a's mapping the TLB does not hold: all of a goes */
    loom_tlb_flush_page(cpu, a + 0x5000);
    g_assert_true(empty(cpu, a, 0));
    g_assert_true(empty(cpu, a + 0x1000, 0));
    g_assert_true(empty(cpu, a + mb2 - 0x1000, 0));
    g_assert_true(mapped(cpu, b + 0x3000, 0));
    g_assert_true(mapped(cpu, small, 0));
    g_assert_true(mapped(cpu, outside, 0));
    g_assert_true(mapped(cpu, a + 0x1000, 1));
    g_assert_true(mapped(cpu, g + 0x2000, 2));

    /* inside the tracked region but in no large mapping: a page flush */
    loom_tlb_flush_page(cpu, small + 0x1000);
    g_assert_true(mapped(cpu, small, 0));
    g_assert_true(mapped(cpu, b + 0x3000, 0));
    loom_tlb_flush_page(cpu, small);
    g_assert_true(empty(cpu, small, 0));
    g_assert_true(mapped(cpu, b + 0x3000, 0));

    /* a range touching b's last byte, in mode 0 only */
    loom_tlb_flush_range(cpu, b + mb2 - 1, 2, 1u << 0);
    g_assert_true(empty(cpu, b + 0x3000, 0));
    g_assert_true(mapped(cpu, outside, 0));

    /* the 1 GiB mapping, by a page in the middle, in mode 2 only */
    loom_tlb_flush_page_modes(cpu, g + gb1 / 2, 1u << 2);
    g_assert_true(empty(cpu, g + 0x2000, 2));
    g_assert_true(empty(cpu, g + gb1 - 0x1000, 2));
    g_assert_true(mapped(cpu, g + gb1, 2));
    g_assert_true(mapped(cpu, outside, 0));
    g_assert_true(mapped(cpu, a + 0x1000, 1));
    solo_free(cpu);
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
    g_test_add_func("/cputlb/geometry/16-modes-64k", test_geometry_16_modes);
    g_test_add_func("/cputlb/geometry/unused-modes", test_geometry_unused_modes);
    g_test_add_func("/cputlb/geometry/check", test_geometry_check);
    g_test_add_func("/cputlb/geometry/fixed", test_geometry_fixed);
    g_test_add_func("/cputlb/flush/page-modes", test_flush_page_modes);
    g_test_add_func("/cputlb/flush/range", test_flush_range);
    g_test_add_func("/cputlb/flush/tag", test_flush_tag);
    g_test_add_func("/cputlb/flush/large-page", test_flush_large);
    return g_test_run();
}
