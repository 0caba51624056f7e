/*
 * lrsc_aba.S - LR/SC must not be fooled by ABA.  Run with -smp 2 and
 * -cpu rv64,lrsc=strict (tests.list); the default cmpxchg scheme fails
 * check 2 by design (docs/design.md, "Atomics").
 *
 * Hart 0 loads word w (= 7) with lr.w, then tells hart 1 to go (flag1)
 * and waits for flag2.  Hart 1 stores 99 to w, then 7 again (A-B-A), and
 * only then sets flag2.  Hart 0's sc.w comes after a store by another
 * hart to the reserved word, so it must fail (the spec: an SC fails if
 * another hart wrote the reservation set between LR and SC), although w
 * holds the value lr.w read.  The handshake makes the order the same in
 * every run, in both thread modes.
 *
 * Checks (exit status = number, 254: a wait timed out):
 *   1  lr.w/sc.w with nothing between succeeds (sc writes 0)
 *   2  the sc.w after the A-B-A fails (writes non-zero)
 *   3  and leaves w = 7
 *   4  a retried lr.w/sc.w then succeeds and stores 42
 *   5  lr.d/sc.d with nothing between succeeds
 */
#include "testmacros.h"

TEST_BEGIN 2
    la   s1, w
    la   s2, flag1
    la   s3, flag2
    bnez a0, hart1

    /* ---- hart 0 ---- */
    li   t0, 7                      /* 1: w = 7 through lr/sc */
    lr.w t2, (s1)
    sc.w t1, t0, (s1)
    CHECK t1, 0, 1

    lr.w t2, (s1)                   /* 2, 3: A-B-A between lr and sc */
    li   t0, 1
    sw   t0, 0(s2)                  /* hart 1: go */
    SPIN_START s11
1:  lw   t0, 0(s3)
    bnez t0, 2f
    SPIN_CHECK s11
    j    1b
2:  li   t0, 123
    sc.w t1, t0, (s1)
    sltu t1, x0, t1                 /* failure code -> 1 */
    CHECK t1, 1, 2
    CHECK_MEMW w, 7, 3

    li   t0, 42                     /* 4: a retry succeeds */
3:  lr.w t2, (s1)
    sc.w t1, t0, (s1)
    bnez t1, 3b
    CHECK_MEMW w, 42, 4

    la   s4, d                      /* 5: lr.d/sc.d */
    li   t0, -5
    lr.d t2, (s4)
    sc.d t1, t0, (s4)
    CHECK t1, 0, 5
    PASS

    /* ---- hart 1: wait for hart 0's lr, then A-B-A ---- */
hart1:
    SPIN_START s11
1:  lw   t0, 0(s2)
    bnez t0, 2f
    SPIN_CHECK s11
    j    1b
2:  li   t0, 99
    sw   t0, 0(s1)
    li   t0, 7
    sw   t0, 0(s1)
    fence w, w
    li   t0, 1
    sw   t0, 0(s3)
    j    park
TEST_END

    .bss
    .balign 64
w:      .word 0
    .balign 64
flag1:  .word 0
    .balign 64
flag2:  .word 0
    .balign 64
d:      .dword 0
