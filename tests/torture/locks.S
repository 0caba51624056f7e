/*
 * locks.S - 4 harts x ITERS rounds through two spinlocks, each guarding
 * a plain (ld/addi/sd) counter.  Run with -smp 4.
 *
 *   lrsc_lock    taken with an lr.w.aq / sc.w loop (spinning on a plain
 *                load while it is held), released with fence rw,w + sw
 *                (a store-release, as Linux's smp_store_release)
 *   swap_lock    taken with amoswap.w.aq (test-and-set), released with
 *                amoswap.w.rl x0 (Linux's old RISC-V spinlock)
 *
 * Inside each critical section the hart also checks mutual exclusion:
 * the section's owner word must be 0 on entry and still hold h+1 before
 * the exit; otherwise a violation counter goes up.
 * Hart 0 waits for all and checks: each counter is 4 * ITERS, each
 * violation counter 0, each lock free.
 *
 * No ticket lock: under thread=single a fair lock convoys (the next
 * ticket's holder is never the running hart, so every 10 ms time slice
 * serves one ticket) and the run would take minutes.
 *
 * TORTURE_BREAK: the LR/SC lock's sc.w becomes a plain sw, so two harts
 * can both take it (check 1 or 3 fails when harts run in parallel).
 *
 * TORTURE_NOFENCE (locks-nofence.elf): the LR/SC lock is released by a
 * plain sw without the fence rw,w before it, so the section's stores may
 * become visible after the lock is free.  Passes on x86-64 hosts (TSO);
 * fails under the interpreter's weak=on (tests/torture/README.md).
 */
#include "torture.h"

#ifndef ITERS
#define ITERS   300000
#endif

/* Critical section on counter 'cnt' with owner word 'own'; s0 = h,
 * s3 = h + 1.  Clobbers t0, t1, t3, t4. */
.macro CRITICAL cnt, own, viol
    la   t1, \own
    ld   t0, 0(t1)
    beqz t0, .Lcs_in\@
    BUMP \viol
.Lcs_in\@:
    la   t1, \own
    sd   s3, 0(t1)
    la   t1, \cnt
    ld   t0, 0(t1)
    addi t0, t0, 1
    sd   t0, 0(t1)
    la   t1, \own
    ld   t0, 0(t1)
    beq  t0, s3, .Lcs_out\@
    BUMP \viol
.Lcs_out\@:
    la   t1, \own
    sd   zero, 0(t1)
.endm

TEST_BEGIN NHARTS
    mv   s0, a0                     /* h */
    li   s1, 0                      /* i */
    li   s2, ITERS
    addi s3, s0, 1                  /* owner tag h + 1 */
    la   s4, lrsc_lock
    la   s5, swap_lock
    li   s8, 1
    START_GATE NHARTS

round:
    OVERLAP_TICK
    /* ---- LR/SC lock ---- */
1:  lw   t0, 0(s4)                  /* wait until it looks free */
    bnez t0, 1b
    lr.w.aq t0, (s4)
    bnez t0, 1b
#ifndef TORTURE_BREAK
    sc.w t0, s8, (s4)
    bnez t0, 1b
#else
    sw   s8, 0(s4)
#endif
    CRITICAL cnt_lrsc, own_lrsc, viol_lrsc
#ifndef TORTURE_NOFENCE
    fence rw, w                     /* release: the section before the store */
#endif
    sw   zero, 0(s4)

    /* ---- amoswap lock ---- */
2:  amoswap.w.aq t0, s8, (s5)
    beqz t0, 3f
21: lw   t0, 0(s5)                  /* held: wait with plain loads */
    bnez t0, 21b
    j    2b
3:  CRITICAL cnt_swap, own_swap, viol_swap
    amoswap.w.rl x0, x0, (s5)

    addi s1, s1, 1
    bne  s1, s2, round

    ARRIVE done
    bnez s0, park

    /* ---- hart 0: wait for all, then check ---- */
    WAIT_WORD_GE done, NHARTS
    CHECK_MEMD cnt_lrsc, NHARTS * ITERS, 1
    CHECK_MEMD cnt_swap, NHARTS * ITERS, 2
    CHECK_MEMD viol_lrsc, 0, 3
    CHECK_MEMD viol_swap, 0, 4
    CHECK_MEMW lrsc_lock, 0, 5
    CHECK_MEMW swap_lock, 0, 6
    OVERLAP_REPORT
    PASS
TEST_END

    /* locks, counters and owner words in separate 64-byte lines */
    .bss
    .balign 64
lrsc_lock:      .word 0
    .balign 64
swap_lock:      .word 0
    .balign 64
cnt_lrsc:       .dword 0
own_lrsc:       .dword 0
    .balign 64
cnt_swap:       .dword 0
own_swap:       .dword 0
    .balign 64
done:           .word 0
    .balign 64
viol_lrsc:      .dword 0
viol_swap:      .dword 0

    OVERLAP_DATA
