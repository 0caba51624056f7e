/*
 * smp_counter.S - 4 harts start together, each computes a value from its
 * hart id, publishes it in its own slot and checks in with amoadd.w.
 * Run with -smp 4.
 *
 * Each hart h:
 *   - checks a0 == mhartid == h and its private stack pointer;
 *   - x = h + 1, then 1000 steps of x = x * 6364136223846793005
 *     + 1442695040888963407 (mod 2^64);
 *   - stores x and sp into slot h (one 64-byte line per hart);
 *   - fence rw,rw; amoor.w its bit into 'seen'; amoadd.w 1 to 'checkin'.
 * Harts 1..3 then sleep (wfi loop); hart 0 waits (bounded, 10 s of
 * mtime) for checkin == 4, fences, and checks every slot exactly:
 *   slot 0: 0xf517ff66df0cbea9   slot 1: 0xdda9ebb7ec352f4a
 *   slot 2: 0xc63bd808f95d9feb   slot 3: 0xaecdc45a0686108c
 * and seen == 0xf, checkin == 4, sp[h] == __stacks_top - h * 4096.
 * Failure exit code = check number (254: timeout waiting for harts).
 */
#include "testmacros.h"

#define NHARTS      4
#define LCG_MUL     6364136223846793005
#define LCG_ADD     1442695040888963407

TEST_BEGIN NHARTS
    mv   s0, a0                     /* hart id from _start */
    csrr t0, mhartid
    CHECK_REG t0, s0, 1

    START_GATE NHARTS

    /* the computation */
    addi s1, s0, 1
    li   t1, LCG_MUL
    li   t2, LCG_ADD
    li   t0, 1000
1:  mul  s1, s1, t1
    add  s1, s1, t2
    addi t0, t0, -1
    bnez t0, 1b

    /* publish: slot h = { x, sp } */
    la   s2, slots
    slli t0, s0, 6
    add  s2, s2, t0
    sd   s1, 0(s2)
    sd   sp, 8(s2)
    fence rw, rw
    li   t0, 1
    sll  t0, t0, s0
    la   t1, seen
    amoor.w x0, t0, (t1)
    li   t0, 1
    la   t1, checkin
    amoadd.w.rl x0, t0, (t1)

    bnez s0, park                   /* harts 1..3 are done */

    /* ---- hart 0: wait for everybody ---- */
    SPIN_START s5
    la   s3, checkin
2:  lw   t0, 0(s3)
    li   t1, NHARTS
    beq  t0, t1, 3f
    SPIN_CHECK s5
    j    2b
3:  fence rw, rw

    CHECK_MEMD slots + 0 * 64, 0xf517ff66df0cbea9, 2
    CHECK_MEMD slots + 1 * 64, 0xdda9ebb7ec352f4a, 3
    CHECK_MEMD slots + 2 * 64, 0xc63bd808f95d9feb, 4
    CHECK_MEMD slots + 3 * 64, 0xaecdc45a0686108c, 5
    CHECK_MEMW seen, 0xf, 6
    CHECK_MEMW checkin, NHARTS, 7

    /* each hart ran on its own stack */
    la   s4, __stacks_top
    li   s6, 0                      /* h */
    la   s7, slots
4:  ld   t0, 8(s7)
    slli t1, s6, 12
    sub  t1, s4, t1
    CHECK_REG t0, t1, 8
    addi s6, s6, 1
    addi s7, s7, 64
    li   t0, NHARTS
    bne  s6, t0, 4b

    PASS
TEST_END

    .bss
    .balign 64
slots:
    .space NHARTS * 64
checkin:
    .word 0
    .balign 64
seen:
    .word 0

    START_GATE_DATA
