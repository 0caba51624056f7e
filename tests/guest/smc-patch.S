/*
 * smc-patch.S - a patched instruction runs after fence.i, also when the
 * block holding it is chained to from a hot loop on the same page.
 *
 * loom invalidates the translations of the bytes a store overwrites
 * (docs/design.md, "Self-modifying code"): the TB holding the patched
 * instruction leaves the TB table and every chained jump into it is
 * unlinked.  fence.i only ends the TB.  Each round below patches an
 * instruction that the previous round ran through a chained jump, so a
 * chain left in place would run the old immediate.
 *
 *   1. 300 rounds: patch "addi a0, zero, k" (k = round * 3 - 700) in a
 *      block the loop jumps to, fence.i, jump to it: a0 = k every round
 *      and the sum is exact.
 *   2. the patched instruction sits in the middle of a block (not its
 *      first), 100 rounds, exact sum.
 *   3. patch a 4-byte instruction with two halfword stores (the
 *      encoding is only whole after the second): exact result.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* addi a0, zero, imm  (imm: -2048..2047) */
#define ADDI_A0(imm)    ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)
/* addi a1, a1, imm */
#define ADDI_A1_A1(imm) ((((imm) & 0xfff) << 20) | (11 << 15) | (11 << 7) | 0x13)

TEST_BEGIN 1
    /* ---- 1. the patched block starts at the jump target ---- */
    li   s1, 0                      /* round */
    li   s2, 300                    /* rounds */
    li   s3, 0                      /* sum of a0 */
    li   s4, 0                      /* expected sum */
    la   s5, target1
    li   t1, ADDI_A0(0)
1:  li   t0, 3
    mul  t0, s1, t0
    addi t0, t0, -700               /* k */
    add  s4, s4, t0
    slli t0, t0, 20
    or   t0, t0, t1
    sw   t0, 0(s5)
    fence.i
    j    target1                    /* same page: a chained jump */
target1:
    addi a0, zero, 1                /* patched every round */
    j    back1
back1:
    li   t0, 3                      /* k again, to check this round */
    mul  t0, s1, t0
    addi t0, t0, -700
    CHECK_REG a0, t0, 1
    add  s3, s3, a0
    addi s1, s1, 1
    bne  s1, s2, 1b
    CHECK_REG s3, s4, 2

    /* ---- 2. the patched instruction in the middle of a block ---- */
    li   s1, 0
    li   s2, 100
    li   s3, 0
    li   s4, 0
    la   s5, mid_insn
    li   t1, ADDI_A1_A1(0)
2:  addi t0, s1, 5                  /* a1 += round + 5 */
    add  s4, s4, t0
    slli t0, t0, 20
    or   t0, t0, t1
    sw   t0, 0(s5)
    fence.i
    j    block2
block2:
    li   a1, 0
    addi a1, a1, 1
mid_insn:
    addi a1, a1, 100                /* patched */
    addi a1, a1, -1
    j    back2
back2:
    add  s3, s3, a1
    addi s1, s1, 1
    bne  s1, s2, 2b
    CHECK_REG s3, s4, 3

    /* ---- 3. two halfword stores make one instruction ---- */
    call half_func                  /* translated: addi a0, zero, 11 */
    CHECK a0, 11, 4
    la   t0, half_insn
    li   t1, ADDI_A0(-1234)
    sh   t1, 0(t0)
    srli t1, t1, 16
    sh   t1, 2(t0)
    fence.i
    call half_func
    CHECK a0, -1234, 5

    PASS
TEST_END

    .balign 4
half_func:
half_insn:
    addi a0, zero, 11
    ret
