/*
 * amobench.c - a contended atomic counter: NHARTS harts each do AMOS
 * amoadd.w of 1 on ONE shared 32-bit word (bench/run's "amo" item).
 *
 * The harts meet at a start line (each arrives, hart 0 waits for all,
 * reads mtime and opens the gate), hammer the counter, and arrive at the
 * finish; hart 0 reads mtime again when the last one is in.  It then
 * checks the counter is exactly NHARTS * AMOS (a lost update is a broken
 * emulator, and fails the run with exit status 1) and prints
 *
 *     amobench: harts 2 amoadd.w per hart 20000000 total 40000000 ticks=1234567
 *
 * ticks: the 10 MHz mtime from the gate opening to the last hart done,
 * so AMOs per second per hart = AMOS * 10^7 / ticks.  Exit status 0 =
 * pass, 1 = wrong total, 2 = a hart never started, 3 = a hart never
 * finished.
 *
 * Run with -smp NHARTS (or more: the extra harts sleep).  Build-time
 * knobs: -DNHARTS=N (1..8), -DAMOS=N (default 20000000), -DAMOBENCH_BREAK
 * (see hammer()).
 */
#include "guest.h"

#ifndef NHARTS
#define NHARTS  2
#endif
#ifndef AMOS
#define AMOS    20000000
#endif

#if NHARTS < 1 || NHARTS > 8
#error "NHARTS must be 1..8 (smp-start.S gives 8 harts a stack)"
#endif
#if NHARTS * AMOS > 0xffffffff
#error "NHARTS * AMOS must fit the 32-bit counter"
#endif

/* Each word on its own cache line: only 'counter' is contended. */
static uint32_t counter __attribute__((aligned(64)));
static uint32_t ready __attribute__((aligned(64)));
static uint32_t gate __attribute__((aligned(64)));
static uint32_t finished __attribute__((aligned(64)));

/* n times amoadd.w of 1 on *p (n > 0); the old value is discarded.
 * -DAMOBENCH_BREAK makes it a plain load, add and store, to show that the
 * total check catches lost updates (it does, under thread=multi). */
static void hammer(uint32_t *p, uint64_t n)
{
#ifdef AMOBENCH_BREAK
    __asm__ volatile("1: lw t0, 0(%1)\n"
                     "   addw t0, t0, %2\n"
                     "   sw t0, 0(%1)\n"
                     "   addi %0, %0, -1\n"
                     "   bnez %0, 1b\n"
                     : "+r"(n)
                     : "r"(p), "r"(1)
                     : "t0", "memory");
    return;
#endif
    __asm__ volatile("1: amoadd.w zero, %2, (%1)\n"
                     "   addi %0, %0, -1\n"
                     "   bnez %0, 1b\n"
                     : "+r"(n)
                     : "r"(p), "r"(1)
                     : "memory");
}

void bench_hart_main(unsigned long hartid)
{
    uint64_t t0 = 0, ticks;
    uint32_t total;

    if (hartid >= NHARTS) {
        return;                          /* parks in wfi */
    }
    arrive(&ready);
    if (hartid == 0) {
        wait_for(&ready, NHARTS, ARRIVE_WAIT_S, "amobench: start", 2);
        t0 = mtime();
        __atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
    } else {
        /* hart 0 bounds the wait: it fails the run if a hart is missing */
        while (!__atomic_load_n(&gate, __ATOMIC_ACQUIRE)) {
        }
    }
    hammer(&counter, AMOS);
    arrive(&finished);
    if (hartid != 0) {
        return;
    }

    wait_for(&finished, NHARTS, FINISH_WAIT_S, "amobench: finish", 3);
    ticks = mtime() - t0;
    total = __atomic_load_n(&counter, __ATOMIC_ACQUIRE);
    if (total != (uint32_t)(NHARTS * AMOS)) {
        put_str("amobench: FAIL: counter ");
        put_dec(total);
        put_str(", expected ");
        put_dec((uint64_t)NHARTS * AMOS);
        put_str(" (");
        put_dec(NHARTS);
        put_str(" harts x ");
        put_dec(AMOS);
        put_str(" amoadd.w): updates were lost\n");
        finish(1);
    }
    put_str("amobench: harts ");
    put_dec(NHARTS);
    put_str(" amoadd.w per hart ");
    put_dec(AMOS);
    put_str(" total ");
    put_dec(total);
    put_str(" ticks=");
    put_dec(ticks);
    put_str("\n");
    finish(0);
}
