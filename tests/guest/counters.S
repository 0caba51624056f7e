/*
 * counters.S - mcycle, minstret, cycle, instret, time and MTIME.
 *
 * Covers:
 *   - mcycle, minstret, cycle, instret advance across a busy loop; the
 *     minstret delta is at least the number of loop instructions
 *     (a lower bound only: how many more is implementation-defined);
 *   - cycle / instret read the same counters as mcycle / minstret
 *     (m1 <= user-view <= m2 for reads in that order);
 *   - time is a view of the ACLINT MTIME register:
 *     time(1) <= MTIME <= time(2); time advances (bounded wait);
 *   - mcycle and minstret are writable: after writing 2^40 they read
 *     back in [2^40, 2^40 + 2^32).
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

#define LOOP_ITERS 100000       /* 2 instructions each */

TEST_BEGIN 1

    /* ---- all four advance across a loop ---- */
    csrr s0, mcycle
    csrr s1, minstret
    csrr s2, cycle
    csrr s3, instret
    li   t0, LOOP_ITERS
1:  addi t0, t0, -1
    bnez t0, 1b
    csrr s4, mcycle
    csrr s5, minstret
    csrr s6, cycle
    csrr s7, instret
    sltu a3, s0, s4
    CHECK a3, 1, 1                  /* mcycle advanced */
    sltu a3, s1, s5
    CHECK a3, 1, 2                  /* minstret advanced */
    sltu a3, s2, s6
    CHECK a3, 1, 3                  /* cycle advanced */
    sltu a3, s3, s7
    CHECK a3, 1, 4                  /* instret advanced */
    sub  a3, s5, s1
    li   a4, 2 * LOOP_ITERS
    sltu a3, a3, a4
    CHECK a3, 0, 5                  /* minstret delta >= loop instructions */

    /* ---- cycle and instret are views of mcycle and minstret ---- */
    csrr s0, mcycle
    csrr s1, cycle
    csrr s2, mcycle
    sltu a3, s1, s0
    CHECK a3, 0, 6                  /* mcycle(1) <= cycle */
    sltu a3, s2, s1
    CHECK a3, 0, 7                  /* cycle <= mcycle(2) */
    csrr s0, minstret
    csrr s1, instret
    csrr s2, minstret
    sltu a3, s1, s0
    CHECK a3, 0, 8                  /* minstret(1) <= instret */
    sltu a3, s2, s1
    CHECK a3, 0, 9                  /* instret <= minstret(2) */

    /* ---- time is a view of MTIME ---- */
    li   s4, CLINT_MTIME
    csrr s0, time
    ld   s1, 0(s4)
    csrr s2, time
    sltu a3, s1, s0
    CHECK a3, 0, 10                 /* time(1) <= MTIME */
    sltu a3, s2, s1
    CHECK a3, 0, 11                 /* MTIME <= time(2) */

    /* ---- time advances (give up after 50M polls) ---- */
    csrr s0, time
    li   t0, 50000000
1:  csrr s1, time
    bne  s1, s0, 2f
    addi t0, t0, -1
    bnez t0, 1b
    FAIL 12                         /* time never changed */
2:  sltu a3, s0, s1
    CHECK a3, 1, 13                 /* and it went forward */
    /* ... and so does the memory-mapped MTIME */
    ld   s0, 0(s4)
    li   t0, 50000000
1:  ld   s1, 0(s4)
    bne  s1, s0, 2f
    addi t0, t0, -1
    bnez t0, 1b
    FAIL 14
2:  sltu a3, s0, s1
    CHECK a3, 1, 15

    /* ---- mcycle / minstret are writable ---- */
    li   s0, 1 << 40
    li   s1, (1 << 40) + (1 << 32)
    csrw mcycle, s0
    csrr a1, mcycle
    sltu a3, a1, s0
    CHECK a3, 0, 16                 /* >= 2^40 */
    sltu a3, a1, s1
    CHECK a3, 1, 17                 /* < 2^40 + 2^32 */
    csrr a1, cycle                  /* the user view follows */
    sltu a3, a1, s0
    CHECK a3, 0, 18
    csrw minstret, s0
    csrr a1, minstret
    sltu a3, a1, s0
    CHECK a3, 0, 19
    sltu a3, a1, s1
    CHECK a3, 1, 20
    csrr a1, instret
    sltu a3, a1, s0
    CHECK a3, 0, 21

    PASS
TEST_END
