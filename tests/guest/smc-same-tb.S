/*
 * smc-same-tb.S - a store changes code of the block that is running it.
 *
 *   1. A loop whose block patches one of its own earlier instructions
 *      (already run this iteration), then fence.i: the next iteration
 *      runs the new instruction; 200 iterations, exact sum.  The running
 *      TB is invalidated under its own feet and must finish as it was.
 *   2. A store to the instruction right after it, in the same block,
 *      with no fence.i in between: the spec lets that instruction run
 *      old or new, so only that is checked; after fence.i, running it
 *      again gives the new one, every round (100 rounds).
 *   3. store; fence.i; the patched instruction right after it, in a loop
 *      (the block at the patched instruction was translated last round).
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* addi a0, zero, imm  (imm: -2048..2047) */
#define ADDI_A0(imm)    ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)
/* addi a3, zero, imm */
#define ADDI_A3(imm)    ((((imm) & 0xfff) << 20) | (13 << 7) | 0x13)

TEST_BEGIN 1
    /* ---- 1. the block patches its own first instruction ---- */
    la   s5, self_insn
    li   s6, ADDI_A0(0)
    li   s1, 0                      /* iteration; self_insn holds imm s1 */
    li   s2, 200
    li   s3, 0
    li   s4, 0
    sw   s6, 0(s5)                  /* start from addi a0, zero, 0 */
    fence.i
1:
self_insn:
    addi a0, zero, 0                /* imm = iteration, patched below */
    CHECK_REG a0, s1, 1
    add  s3, s3, a0
    add  s4, s4, s1
    addi s1, s1, 1
    slli t0, s1, 20                 /* next iteration's instruction */
    or   t0, t0, s6
    sw   t0, 0(s5)
    fence.i
    bne  s1, s2, 1b
    CHECK_REG s3, s4, 2

    /* ---- 2. store to the next instruction, no fence.i before it ---- */
    la   s5, next_insn
    li   s6, ADDI_A3(0)
    li   s1, 1
    li   s2, 101
2:  slli t0, s1, 20
    or   t0, t0, s6
    addi t1, s1, -1                 /* what the previous round stored */
    li   t3, 0                      /* first pass */
    sw   t0, 0(s5)
next_insn:
    addi a3, zero, 0                /* imm: old (s1 - 1) or new (s1) */
    bnez t3, 4f
    beq  a3, s1, 3f
    CHECK_REG a3, t1, 3
3:  li   t3, 1
    fence.i
    j    next_insn                  /* again, after fence.i: new only */
4:  CHECK_REG a3, s1, 4
    addi s1, s1, 1
    bne  s1, s2, 2b

    /* ---- 3. store; fence.i; the patched instruction ---- */
    la   s5, after_fence
    li   s6, ADDI_A3(0)
    li   s1, 0
    li   s2, 100
    li   s3, 0
    li   s4, 0
5:  addi t0, s1, -50
    add  s4, s4, t0
    slli t0, t0, 20
    or   t0, t0, s6
    sw   t0, 0(s5)
    fence.i
after_fence:
    addi a3, zero, 7                /* patched */
    add  s3, s3, a3
    addi s1, s1, 1
    bne  s1, s2, 5b
    CHECK_REG s3, s4, 5

    PASS
TEST_END
