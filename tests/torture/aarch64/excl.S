/*
 * excl.S - 4 vCPUs x ITERS rounds on the exclusive monitor: counters
 * and two spinlocks.  Run with -smp 4; exact results whatever the
 * interleaving.
 *
 * Round i of vCPU h (0..3):
 *   LDXR/STXR +1 on cnt_x                 total 4 * ITERS
 *   LDXR/STXR (W) +1 on the low word of cnt_w and -1 on its high word:
 *                                         4 * ITERS and -4 * ITERS mod
 *                                         2^32 (a W exclusive done as
 *                                         a wider one would lose the
 *                                         neighbour's updates)
 *   LDXP/STXP +1 on pair[0], +2 on pair[1]: 4 * ITERS, 8 * ITERS, and
 *                                         every pair loaded has
 *                                         pair[1] == 2 * pair[0] (a
 *                                         torn pair counts a violation)
 *   lock_a: taken with LDAXR/STXR (spinning on a plain load while it is
 *     held), released with STLR wzr (Linux's arm64 spinlock shape)
 *   lock_b: taken with LDAXR/STLXR, released with DMB ISH + STR (the
 *     pre-ARMv8 release)
 *   each lock guards a plain LDR/ADD/STR counter and an owner word: 0
 *   on entry, still h + 1 before the exit, else a violation.
 * vCPU 0 waits for all and checks every total, that no violation was
 * counted and that both locks are free.  It prints how many STXRs of
 * cnt_x failed (contention: the monitor was lost to another vCPU).
 *
 * TORTURE_BREAK=1: cnt_x's LDXR/STXR becomes LDR/ADD/STR (check 1
 * fails when the vCPUs really run in parallel).  TORTURE_BREAK=2:
 * lock_a's STXR becomes a plain STR, so two vCPUs can both take it
 * (check 7 or 9).
 * TORTURE_NOFENCE (excl-nofence.elf): lock_a released by a plain STR,
 * lock_b without its DMB, both taken without acquire (LDXR): the
 * section's stores may become visible after the lock is free.  Passes
 * on an x86-64 host (TSO), fails under the interpreter's weak=on
 * (run-weak-broken.sh).
 */
#include "torture-a64.h"

#ifndef ITERS
#define ITERS   100000
#endif

#ifdef TORTURE_NOFENCE
#define LDAXR   ldxr
#define STLXR   stxr
#else
#define LDAXR   ldaxr
#define STLXR   stlxr
#endif

/* Critical section on counter cnt with owner word own; x21 = h + 1.
 * Clobbers x0, x12, x14-x16. */
.macro CRITICAL cnt, own, viol
    adr  x12, \own
    ldr  x0, [x12]
    cbz  x0, .Lcs_in\@
    BUMP \viol
.Lcs_in\@:
    str  x21, [x12]
    adr  x12, \cnt
    ldr  x0, [x12]
    add  x0, x0, #1
    str  x0, [x12]
    adr  x12, \own
    ldr  x0, [x12]
    cmp  x0, x21
    b.eq .Lcs_out\@
    BUMP \viol
.Lcs_out\@:
    str  xzr, [x12]
.endm

    .text
    .global test_main
test_main:
    str  x30, [sp, #-16]!           /* back to common.S at the end */
    CPU_SETUP
    START_SECONDARIES
    b    worker

    .global secondary_main
secondary_main:
    CPU_SETUP

worker:
    mov  x19, #0                    /* i */
    ldr  x20, =ITERS
    add  x21, x28, #1               /* owner tag h + 1 */
    mov  x23, #0                    /* failed STXRs on cnt_x */
    adr  x22, cnt_x
    adr  x24, cnt_w
    adr  x25, pair
    adr  x26, lock_a
    adr  x27, lock_b
    mov  w11, #1
    START_GATE

round:
    OVERLAP_TICK
    /* ---- cnt_x ---- */
#if defined(TORTURE_BREAK) && TORTURE_BREAK == 1
    ldr  x0, [x22]
    add  x0, x0, #1
    str  x0, [x22]
#else
1:  ldxr x0, [x22]
    add  x0, x0, #1
    stxr w1, x0, [x22]
    cbz  w1, 2f
    add  x23, x23, #1
    b    1b
2:
#endif
    /* ---- cnt_w: both halves of one doubleword ---- */
3:  ldxr w0, [x24]
    add  w0, w0, #1
    stxr w1, w0, [x24]
    cbnz w1, 3b
    add  x2, x24, #4
4:  ldxr w0, [x2]
    sub  w0, w0, #1
    stxr w1, w0, [x2]
    cbnz w1, 4b

    /* ---- the pair: every load whole ---- */
5:  ldxp x0, x1, [x25]
    add  x0, x0, #1
    add  x1, x1, #2
    stxp w2, x0, x1, [x25]
    cbnz w2, 5b
    cmp  x1, x0, lsl #1             /* the new pair: hi == 2 * lo */
    b.eq 6f
    BUMP viol_pair
6:
    /* ---- lock_a: LDAXR/STXR, released by STLR ---- */
7:  ldr  w0, [x26]                  /* wait until it looks free */
    cbnz w0, 7b
    LDAXR w0, [x26]
    cbnz w0, 7b
#if defined(TORTURE_BREAK) && TORTURE_BREAK == 2
    str  w11, [x26]
#else
    stxr w1, w11, [x26]
    cbnz w1, 7b
#endif
    CRITICAL cnt_a, own_a, viol_a
#ifdef TORTURE_NOFENCE
    str  wzr, [x26]
#else
    stlr wzr, [x26]                 /* release: the section before it */
#endif

    /* ---- lock_b: LDAXR/STLXR, released by DMB ISH + STR ---- */
8:  ldr  w0, [x27]
    cbnz w0, 8b
    LDAXR w0, [x27]
    cbnz w0, 8b
    STLXR w1, w11, [x27]
    cbnz w1, 8b
    CRITICAL cnt_b, own_b, viol_b
#ifndef TORTURE_NOFENCE
    dmb  ish                        /* release: the section before it */
#endif
    str  wzr, [x27]

    add  x19, x19, #1
    cmp  x19, x20
    b.ne round

    /* the failed STXRs, summed */
    adr  x0, fails
9:  ldxr x1, [x0]
    add  x1, x1, x23
    stxr w2, x1, [x0]
    cbnz w2, 9b
    ARRIVE done
    cbz  x28, finish
10: wfi                             /* secondaries: done */
    b    10b

    /* ---- vCPU 0: wait for all, then check ---- */
finish:
    WAIT_GE done, NCPUS
    CHECK_MEM 1, cnt_x, NCPUS * ITERS
    adr  x0, cnt_w
    ldr  w1, [x0]
    CHECK 2, x1, (NCPUS * ITERS) & 0xffffffff
    ldr  w1, [x0, #4]
    CHECK 3, x1, (-NCPUS * ITERS) & 0xffffffff
    CHECK_MEM 4, pair, NCPUS * ITERS
    CHECK_MEM 5, pair + 8, 2 * NCPUS * ITERS
    CHECK_MEM 6, viol_pair, 0
    CHECK_MEM 7, cnt_a, NCPUS * ITERS
    CHECK_MEM 8, cnt_b, NCPUS * ITERS
    CHECK_MEM 9, viol_a, 0
    CHECK_MEM 10, viol_b, 0
    adr  x0, lock_a
    ldr  w1, [x0]
    CHECK 11, x1, 0
    adr  x0, lock_b
    ldr  w1, [x0]
    CHECK 12, x1, 0
    adr  x0, fails
    ldr  x19, [x0]
    PRINT_NUM "excl: failed STXRs on cnt_x ", x19
    OVERLAP_REPORT
    mov  x0, #0
    ldr  x30, [sp], #16
    ret
    .ltorg

    /* every shared word in its own 64-byte line */
    .bss
    .balign 64
cnt_x:      .quad 0
    .balign 64
cnt_w:      .word 0, 0
    .balign 64
pair:       .quad 0, 0
    .balign 64
lock_a:     .word 0
    .balign 64
lock_b:     .word 0
    .balign 64
cnt_a:      .quad 0
own_a:      .quad 0
    .balign 64
cnt_b:      .quad 0
own_b:      .quad 0
    .balign 64
done:       .quad 0
    .balign 64
fails:      .quad 0
viol_pair:  .quad 0
viol_a:     .quad 0
viol_b:     .quad 0

    TORTURE_DATA "excl"
