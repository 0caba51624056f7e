/*
 * shootdown: a riscv64 Linux user program that makes the kernel shoot
 * down TLB entries on other CPUs, and checks that none survives.
 *
 * Freestanding (no libc: riscv64-unknown-elf-gcc -nostdlib -static):
 * raw ecall system calls, threads from a raw clone().  One process,
 * NTHREADS threads sharing the mm, thread t pinned to CPU t.  Each round
 * g, a writer thread (g % NTHREADS, so every CPU sends remote fences)
 * changes the mappings of a shared window W of NPAGES pages while the
 * others hold TLB entries for them; each change is followed by checks
 * on every thread that a stale translation would fail:
 *
 *   P0  the writer fills fresh pages at T with pattern(g) and mremaps
 *       them over W: the old pages (pattern g-1) are freed only after
 *       the shootdown, and the new ones were allocated while the old
 *       were held, so a stale entry reads a different frame and sees
 *       g-1 or junk, never pattern(g).  Everyone checks every word, then
 *       writes its own slot word in each page (a stale write entry would
 *       write to the old frame and the others would miss it).
 *   P1  the writer mprotects page g % NPAGES read-only: a write there
 *       must fault, writes to the other pages must land (page-sized
 *       remote fence, not just flush-all).
 *   P2  the writer munmaps page (g + 1) % NPAGES: a read there must
 *       fault, reads of the others must see the current values.
 *   P3  the writer mprotects all of W PROT_NONE: every read must fault.
 *
 * Between the steps threads wait at a barrier (spin, then futex), so the
 * CPUs stay in the mm and keep their TLB entries: the kernel must use
 * remote fences (SBI RFENCE on a machine without S-mode IPIs).  Each
 * thread also keeps a private mapping it updates and checks every round,
 * and maps/writes/unmaps a private page a few times per round (more
 * fences from every CPU, and a local one it checks itself).
 *
 * Faults are caught with a SIGSEGV handler that only accepts the two
 * probe instructions below and resumes after them with a flag set.
 *
 * Output (exact, every value fixed by the constants below):
 *   shootdown: thread T cpu T rounds R checked N sum 0xS segv F
 * (the cpu is where getcpu() said the thread ran after pinning itself)
 *   shootdown: ok threads 4 rounds R pages P segv F errors 0
 * On a failure, "shootdown: FAIL ..." lines (at most MAX_REPORTS) and a
 * final "shootdown: FAIL errors N"; exit status 1.  A barrier that waits
 * more than WAIT_LIMIT_S seconds prints "shootdown: FAIL timeout ..."
 * and exits with status 3.
 */
#include <stdint.h>
#include <stddef.h>

#define NTHREADS 4
#define NPAGES 8
#define ROUNDS 32
#define CHURN 4                 /* private map/unmap cycles per round */
#define OWN_PAGES 2             /* long-lived private pages per thread */
#define PAGE 4096ul
#define WORDS (PAGE / 8)
#define SLOT0 8                 /* word index of thread 0's slot in a page */
#define MAX_REPORTS 8
#define WAIT_LIMIT_S 120
#define SPIN 2000               /* barrier polls before sleeping */

/* fixed virtual addresses, far from the program and the stacks */
#define W_ADDR 0x2000000000ul           /* the shared window */
#define T_ADDR 0x2100000000ul           /* where the next window is built */
#define PRIV_ADDR(t) (0x2200000000ul + (uint64_t)(t) * 0x1000000ul)
#define OWN_ADDR(t) (0x2300000000ul + (uint64_t)(t) * 0x1000000ul)

/* ---- system calls (riscv64 Linux: number in a7, args a0..a5) ---- */

enum {
    SYS_futex = 98, SYS_clock_gettime = 113, SYS_sched_setaffinity = 122,
    SYS_rt_sigaction = 134, SYS_getcpu = 168, SYS_munmap = 215,
    SYS_mremap = 216, SYS_clone = 220, SYS_mmap = 222, SYS_mprotect = 226,
    SYS_write = 64, SYS_exit = 93, SYS_exit_group = 94, SYS_read = 63,
    SYS_close = 57, SYS_perf_event_open = 241,
};

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(a0)
                     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                     : "memory");
    return a0;
}
#define sys(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define CLOCK_MONOTONIC 1
#define SIGSEGV 11
#define SA_SIGINFO 4

static void *map_fixed(uint64_t addr, uint64_t len)
{
    return (void *)sys6(SYS_mmap, (long)addr, (long)len, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/* ---- output: one write() per line, so lines of threads never mix ---- */

typedef struct {
    char b[160];
    int n;
} Line;

static void put_s(Line *l, const char *s)
{
    while (*s && l->n < (int)sizeof(l->b) - 1) {
        l->b[l->n++] = *s++;
    }
}

static void put_u(Line *l, uint64_t v)
{
    char d[24];
    int i = 0;
    do {
        d[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i && l->n < (int)sizeof(l->b) - 1) {
        l->b[l->n++] = d[--i];
    }
}

static void put_x(Line *l, uint64_t v)
{
    put_s(l, "0x");
    for (int s = 60; s >= 0; s -= 4) {
        if (l->n < (int)sizeof(l->b) - 1) {
            l->b[l->n++] = "0123456789abcdef"[(v >> s) & 15];
        }
    }
}

static void put_end(Line *l)
{
    l->b[l->n++] = '\n';
    sys(SYS_write, 1, l->b, l->n);
    l->n = 0;
}

/* gcc may call these for struct copies and zeroing */
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

/* ---- probes: an access that may fault; the SIGSEGV handler resumes at
   probe_fault, which returns fault = 1 ---- */

typedef struct {
    uint64_t v, fault;
} Probe;

Probe probe_read(volatile uint64_t *p);
Probe probe_write(volatile uint64_t *p, uint64_t v);
extern char probe_read_insn[], probe_write_insn[], probe_fault[];

__asm__(".text\n"
        ".option push\n"
        ".option norvc\n"
        ".globl probe_read, probe_read_insn, probe_write, probe_write_insn, probe_fault\n"
        "probe_read:\n"
        "    li a1, 0\n"
        "probe_read_insn:\n"
        "    ld a0, 0(a0)\n"
        "    ret\n"
        "probe_write:\n"
        "    mv t0, a1\n"
        "    li a1, 0\n"
        "probe_write_insn:\n"
        "    sd t0, 0(a0)\n"
        "    li a0, 0\n"
        "    ret\n"
        "probe_fault:\n"
        "    li a0, 0\n"
        "    li a1, 1\n"
        "    ret\n"
        ".option pop\n");

/* ---- threads ---- */

/* Per-thread state, found through tp (this program has no TLS). */
typedef struct {
    int id;
    unsigned cpu;               /* where it ran, from getcpu() */
    uint64_t checked;           /* words compared */
    uint64_t sum;               /* of every value compared */
    uint64_t segv;              /* probes that faulted as expected */
    uint64_t errors;
    uint64_t stack[2048] __attribute__((aligned(16)));
} Thread;

static Thread threads[NTHREADS];

/* shared between the threads: atomics, with the orders said at each use */
static unsigned bar_count;      /* arrivals at the current barrier */
static unsigned bar_gen;        /* barrier generation; futex word */
static unsigned finished;       /* threads done (main waits for all) */
static unsigned reports;        /* FAIL lines printed so far */

/* clone(flags, stack) with the child calling fn(arg) then exit(0);
   returns the child's tid (or -errno) in the parent */
long spawn(uint64_t flags, void *stack_top, void (*fn)(Thread *), Thread *arg);
__asm__(".text\n"
        ".globl spawn\n"
        "spawn:\n"
        "    addi a1, a1, -16\n"
        "    sd a2, 0(a1)\n"
        "    sd a3, 8(a1)\n"
        "    li a2, 0\n"
        "    li a3, 0\n"
        "    li a4, 0\n"
        "    li a7, 220\n"          /* clone */
        "    ecall\n"
        "    bnez a0, 1f\n"
        "    ld a1, 0(sp)\n"        /* child: on its own stack */
        "    ld a0, 8(sp)\n"
        "    jalr a1\n"
        "    li a0, 0\n"
        "    li a7, 93\n"           /* exit: this thread only */
        "    ecall\n"
        "1:  ret\n");

static Thread *self(void)
{
    Thread *t;
    __asm__ volatile("mv %0, tp" : "=r"(t));
    return t;
}

static uint64_t now_s(void)
{
    long ts[2];
    sys(SYS_clock_gettime, CLOCK_MONOTONIC, ts, 0);
    return (uint64_t)ts[0];
}

static void die_timeout(const char *what)
{
    Line l = { .n = 0 };
    put_s(&l, "shootdown: FAIL timeout: thread ");
    put_u(&l, (uint64_t)self()->id);
    put_s(&l, " waited more than ");
    put_u(&l, WAIT_LIMIT_S);
    put_s(&l, " s ");
    put_s(&l, what);
    put_end(&l);
    sys(SYS_exit_group, 3, 0, 0);
}

/* Every thread waits here until all NTHREADS arrived.  The last one
   resets the count and bumps the generation (release: everything each
   thread did before arriving is visible to every thread after it leaves,
   since each arrival is an acq_rel add on bar_count). */
static void barrier(void)
{
    unsigned gen = __atomic_load_n(&bar_gen, __ATOMIC_ACQUIRE);

    if (__atomic_add_fetch(&bar_count, 1, __ATOMIC_ACQ_REL) == NTHREADS) {
        __atomic_store_n(&bar_count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&bar_gen, gen + 1, __ATOMIC_RELEASE);
        sys(SYS_futex, &bar_gen, FUTEX_WAKE_PRIVATE, NTHREADS);
        return;
    }
    for (int i = 0; i < SPIN; i++) {
        if (__atomic_load_n(&bar_gen, __ATOMIC_ACQUIRE) != gen) {
            return;
        }
    }
    uint64_t t0 = now_s();
    long timeout[2] = { 1, 0 };
    while (__atomic_load_n(&bar_gen, __ATOMIC_ACQUIRE) == gen) {
        sys6(SYS_futex, (long)&bar_gen, FUTEX_WAIT_PRIVATE, gen, (long)timeout, 0, 0);
        if (now_s() - t0 > WAIT_LIMIT_S) {
            die_timeout("at a barrier");
        }
    }
}

static void report(Thread *t, const char *what, uint64_t round, uint64_t addr,
                   uint64_t got, uint64_t want)
{
    t->errors++;
    if (__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED) >= MAX_REPORTS) {
        return;
    }
    Line l = { .n = 0 };
    put_s(&l, "shootdown: FAIL thread ");
    put_u(&l, (uint64_t)t->id);
    put_s(&l, " round ");
    put_u(&l, round);
    put_s(&l, " ");
    put_s(&l, what);
    put_s(&l, " at ");
    put_x(&l, addr);
    put_s(&l, ": got ");
    put_x(&l, got);
    put_s(&l, " want ");
    put_x(&l, want);
    put_end(&l);
}

/* The window's contents in round g: every word distinct across rounds,
   pages and words; the slot words are written by the threads. */
static uint64_t pattern(uint64_t g, uint64_t p, uint64_t i)
{
    return 0x5ad0000000000000ul ^ (g << 32) ^ (p << 16) ^ i;
}

static uint64_t slot_value(uint64_t g, uint64_t t, uint64_t p)
{
    return 0xc0de000000000000ul ^ (g << 32) ^ (t << 16) ^ p;
}

static volatile uint64_t *word(uint64_t base, uint64_t p, uint64_t i)
{
    return (volatile uint64_t *)(base + p * PAGE + i * 8);
}

static void check(Thread *t, const char *what, uint64_t g, volatile uint64_t *a,
                  uint64_t got, uint64_t want)
{
    t->checked++;
    t->sum += got;
    if (got != want) {
        report(t, what, g, (uint64_t)a, got, want);
    }
}

/* A probe that must fault. */
static void expect_fault(Thread *t, const char *what, uint64_t g, volatile uint64_t *a,
                         Probe r)
{
    if (r.fault) {
        t->segv++;
    } else {
        report(t, what, g, (uint64_t)a, r.v, 0);
    }
}

/* The writer's system calls must all succeed: a failure is a bug in
   this program or the kernel, not a stale TLB, so it stops the run. */
static void must(Thread *t, const char *what, uint64_t g, long r, long want)
{
    if (r != want) {
        report(t, what, g, 0, (uint64_t)r, (uint64_t)want);
        sys(SYS_exit_group, 1, 0, 0);
    }
}

/* A private page mapped, written, read back and unmapped: the munmap
   is a fence to every CPU of the mm; the probe after it checks the
   local one. */
static void churn(Thread *t, uint64_t g)
{
    uint64_t base = PRIV_ADDR(t->id);

    for (uint64_t c = 0; c < CHURN; c++) {
        must(t, "mmap private", g, (long)map_fixed(base, PAGE), (long)base);
        for (uint64_t i = 0; i < WORDS; i += 64) {
            *word(base, 0, i) = slot_value(g, (uint64_t)t->id, c) + i;
        }
        for (uint64_t i = 0; i < WORDS; i += 64) {
            check(t, "private page", g, word(base, 0, i), *word(base, 0, i),
                  slot_value(g, (uint64_t)t->id, c) + i);
        }
        must(t, "munmap private", g, sys(SYS_munmap, base, PAGE, 0), 0);
        expect_fault(t, "read of an unmapped private page did not fault", g,
                     word(base, 0, 0), probe_read(word(base, 0, 0)));
    }
}

static void worker(Thread *t)
{
    uint64_t own = OWN_ADDR(t->id);
    uint64_t me = (uint64_t)t->id;

    __asm__ volatile("mv tp, %0" : : "r"(t));
    uint64_t mask = 1ul << t->id;
    sys(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
    t->cpu = ~0u;
    sys(SYS_getcpu, &t->cpu, 0, 0);
    must(t, "mmap own", 0, (long)map_fixed(own, OWN_PAGES * PAGE), (long)own);
    barrier();

    for (uint64_t g = 1; g <= ROUNDS; g++) {
        uint64_t writer = g % NTHREADS;
        uint64_t ro = g % NPAGES, gone = (g + 1) % NPAGES;

        /* P0: a new window */
        if (me == writer) {
            must(t, "mmap T", g, (long)map_fixed(T_ADDR, NPAGES * PAGE), (long)T_ADDR);
            for (uint64_t p = 0; p < NPAGES; p++) {
                for (uint64_t i = 0; i < WORDS; i++) {
                    *word(T_ADDR, p, i) = pattern(g, p, i);
                }
            }
            must(t, "mremap T over W", g,
                 sys6(SYS_mremap, T_ADDR, NPAGES * PAGE, NPAGES * PAGE,
                      MREMAP_MAYMOVE | MREMAP_FIXED, W_ADDR, 0), (long)W_ADDR);
        }
        barrier();
        for (uint64_t p = 0; p < NPAGES; p++) {
            for (uint64_t i = 0; i < WORDS; i++) {
                if (i >= SLOT0 && i < SLOT0 + NTHREADS) {
                    continue;   /* the slots: written by the threads now */
                }
                check(t, "window word", g, word(W_ADDR, p, i), *word(W_ADDR, p, i),
                      pattern(g, p, i));
            }
            *word(W_ADDR, p, SLOT0 + me) = slot_value(g, me, p);
        }
        for (uint64_t p = 0; p < OWN_PAGES; p++) {
            for (uint64_t i = 0; i < WORDS; i += 8) {
                *word(own, p, i) += g + i;
            }
        }
        churn(t, g);
        barrier();
        for (uint64_t p = 0; p < NPAGES; p++) {
            for (uint64_t u = 0; u < NTHREADS; u++) {
                check(t, "slot word", g, word(W_ADDR, p, SLOT0 + u),
                      *word(W_ADDR, p, SLOT0 + u), slot_value(g, u, p));
            }
        }
        barrier();

        /* P1: one page read-only */
        if (me == writer) {
            must(t, "mprotect read-only", g,
                 sys(SYS_mprotect, W_ADDR + ro * PAGE, PAGE, PROT_READ), 0);
        }
        barrier();
        for (uint64_t p = 0; p < NPAGES; p++) {
            volatile uint64_t *a = word(W_ADDR, p, SLOT0 + NTHREADS + me);
            Probe r = probe_write(a, slot_value(g, me, p + 64));
            if (p == ro) {
                expect_fault(t, "write to a read-only page did not fault", g, a, r);
                check(t, "read-only word", g, a, *a, pattern(g, p, SLOT0 + NTHREADS + me));
            } else if (r.fault) {
                report(t, "write to a writable page faulted", g, (uint64_t)a, 0, 0);
            } else {
                check(t, "written word", g, a, *a, slot_value(g, me, p + 64));
            }
        }
        barrier();

        /* P2: one page unmapped */
        if (me == writer) {
            must(t, "munmap one page", g, sys(SYS_munmap, W_ADDR + gone * PAGE, PAGE, 0), 0);
        }
        barrier();
        for (uint64_t p = 0; p < NPAGES; p++) {
            volatile uint64_t *a = word(W_ADDR, p, SLOT0 + NTHREADS);
            Probe r = probe_read(a);
            if (p == gone) {
                expect_fault(t, "read of an unmapped page did not fault", g, a, r);
            } else if (r.fault) {
                report(t, "read of a mapped page faulted", g, (uint64_t)a, 0, 0);
            } else {
                /* thread 0's P1 word: written unless the page was read-only */
                uint64_t want = p == ro ? pattern(g, p, SLOT0 + NTHREADS)
                                        : slot_value(g, 0, p + 64);
                check(t, "word after munmap", g, a, r.v, want);
            }
        }
        barrier();

        /* P3: the whole window inaccessible */
        if (me == writer) {
            /* around the hole P2 left: mprotect fails on unmapped ranges */
            must(t, "mprotect none", g,
                 sys(SYS_mprotect, W_ADDR, gone * PAGE, PROT_NONE), 0);
            must(t, "mprotect none", g,
                 sys(SYS_mprotect, W_ADDR + (gone + 1) * PAGE,
                     (NPAGES - gone - 1) * PAGE, PROT_NONE), 0);
        }
        barrier();
        for (uint64_t p = 0; p < NPAGES; p++) {
            volatile uint64_t *a = word(W_ADDR, p, (g + me) % WORDS);
            expect_fault(t, "read of a PROT_NONE page did not fault", g, a, probe_read(a));
        }
        barrier();
    }

    /* the private mapping kept its values through every fence */
    for (uint64_t p = 0; p < OWN_PAGES; p++) {
        for (uint64_t i = 0; i < WORDS; i += 8) {
            check(t, "own word", ROUNDS, word(own, p, i), *word(own, p, i),
                  ROUNDS * (ROUNDS + 1) / 2 + ROUNDS * i);
        }
    }
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
}

/* ---- SIGSEGV: only the probes may fault ---- */

/* struct ucontext (Linux uapi, riscv): flags, link, stack_t (24 bytes),
   sigset_t (8), 120 bytes reserved, then the 16-byte aligned
   sigcontext, whose first field is the pc */
#define UC_PC_OFFSET 176

static void on_segv(int sig, void *info, void *uc)
{
    uint64_t *pc = (uint64_t *)((char *)uc + UC_PC_OFFSET);
    (void)sig;

    if (*pc == (uint64_t)probe_read_insn || *pc == (uint64_t)probe_write_insn) {
        *pc = (uint64_t)probe_fault;
        return;
    }
    Line l = { .n = 0 };
    put_s(&l, "shootdown: FAIL unexpected SIGSEGV: thread ");
    put_u(&l, (uint64_t)self()->id);
    put_s(&l, " pc ");
    put_x(&l, *pc);
    put_s(&l, " addr ");
    put_x(&l, *(uint64_t *)((char *)info + 16));        /* si_addr */
    put_end(&l);
    sys(SYS_exit_group, 2, 0, 0);
}

/* ---- remote fences, counted by the SBI firmware ----
 *
 * The SBI PMU extension's firmware events (SBI spec, "Performance
 * Monitoring Unit Extension": SFENCE_VMA_SENT 10, _RCVD 11,
 * SFENCE_VMA_ASID_SENT 12, _RCVD 13), read through perf_event_open as
 * raw events with config bits 63:62 = 0b10 (Linux's riscv-pmu-sbi).  One
 * counter per CPU and event, opened before the threads start: the
 * counts say how many remote fences the run made the firmware send and
 * execute.  They depend on scheduling, so they are printed apart from
 * the exact lines; without the PMU extension the line says so.
 */
#define NFENCE_EVENTS 4
static long fence_fd[NTHREADS][NFENCE_EVENTS];

static void fence_counters_open(void)
{
    for (int c = 0; c < NTHREADS; c++) {
        for (int e = 0; e < NFENCE_EVENTS; e++) {
            uint64_t attr[16] = { 0 };          /* struct perf_event_attr */
            attr[0] = 4 | (64ul << 32);         /* type RAW, size 64 (VER0) */
            attr[1] = (2ul << 62) | (uint64_t)(10 + e);
            fence_fd[c][e] = sys6(SYS_perf_event_open, (long)attr, -1, c, -1, 0, 0);
        }
    }
}

static void fence_counters_print(void)
{
    uint64_t n[NFENCE_EVENTS] = { 0 };
    Line l = { .n = 0 };

    for (int c = 0; c < NTHREADS; c++) {
        for (int e = 0; e < NFENCE_EVENTS; e++) {
            uint64_t v = 0;
            if (fence_fd[c][e] < 0) {
                put_s(&l, "shootdown: sbi fence counters: unavailable (perf_event_open: ");
                put_u(&l, (uint64_t)-fence_fd[c][e]);
                put_s(&l, ")");
                put_end(&l);
                return;
            }
            sys(SYS_read, fence_fd[c][e], &v, 8);
            sys(SYS_close, fence_fd[c][e], 0, 0);
            n[e] += v;
        }
    }
    put_s(&l, "shootdown: sbi fence counters: remote sfence.vma sent ");
    put_u(&l, n[0] + n[2]);
    put_s(&l, " received ");
    put_u(&l, n[1] + n[3]);
    put_end(&l);
}

void start(void) __attribute__((noreturn, used));
void start(void)
{
    struct {
        void (*handler)(int, void *, void *);
        unsigned long flags;
        uint64_t mask;
    } sa = { on_segv, SA_SIGINFO, 0 };
    Line l = { .n = 0 };
    uint64_t segv = 0, errors = 0;

    for (int i = 0; i < NTHREADS; i++) {
        threads[i].id = i;
    }
    __asm__ volatile("mv tp, %0" : : "r"(&threads[0]));
    if (sys6(SYS_rt_sigaction, SIGSEGV, (long)&sa, 0, 8, 0, 0) != 0) {
        put_s(&l, "shootdown: FAIL rt_sigaction");
        put_end(&l);
        sys(SYS_exit_group, 1, 0, 0);
    }
    fence_counters_open();
    for (int i = 1; i < NTHREADS; i++) {
        /* VM, FS, FILES, SIGHAND, THREAD, SYSVSEM: a thread of this process */
        long r = spawn(0x00000100 | 0x00000200 | 0x00000400 | 0x00000800 |
                       0x00010000 | 0x00040000,
                       threads[i].stack + sizeof(threads[i].stack) / 8,
                       worker, &threads[i]);
        if (r <= 0) {
            put_s(&l, "shootdown: FAIL clone");
            put_end(&l);
            sys(SYS_exit_group, 1, 0, 0);
        }
    }
    worker(&threads[0]);

    uint64_t t0 = now_s();
    long timeout[2] = { 1, 0 };
    while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) != NTHREADS) {
        sys6(SYS_futex, (long)&finished, FUTEX_WAIT_PRIVATE,
             __atomic_load_n(&finished, __ATOMIC_RELAXED), (long)timeout, 0, 0);
        if (now_s() - t0 > WAIT_LIMIT_S) {
            die_timeout("for the other threads to finish");
        }
    }
    for (int i = 0; i < NTHREADS; i++) {
        Thread *t = &threads[i];
        put_s(&l, "shootdown: thread ");
        put_u(&l, (uint64_t)i);
        put_s(&l, " cpu ");
        put_u(&l, t->cpu);
        put_s(&l, " rounds ");
        put_u(&l, ROUNDS);
        put_s(&l, " checked ");
        put_u(&l, t->checked);
        put_s(&l, " sum ");
        put_x(&l, t->sum);
        put_s(&l, " segv ");
        put_u(&l, t->segv);
        put_end(&l);
        segv += t->segv;
        errors += t->errors;
    }
    fence_counters_print();
    put_s(&l, errors ? "shootdown: FAIL" : "shootdown: ok");
    put_s(&l, " threads ");
    put_u(&l, NTHREADS);
    put_s(&l, " rounds ");
    put_u(&l, ROUNDS);
    put_s(&l, " pages ");
    put_u(&l, NPAGES);
    put_s(&l, " segv ");
    put_u(&l, segv);
    put_s(&l, " errors ");
    put_u(&l, errors);
    put_end(&l);
    sys(SYS_exit_group, errors ? 1 : 0, 0, 0);
    __builtin_unreachable();
}

/* the kernel enters with sp at argc; keep it 16-byte aligned */
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "    andi sp, sp, -16\n"
        "    call start\n");
