/*
 * smp_pause.S - a ping-pong of ROUNDS turns between 2 harts, each
 * waiting for its turn in a loop with pause (Zihintpause); each turn is
 * passed by a release store and read with an acquire fence.  The turn
 * word ends at exactly 2 * ROUNDS and each hart counts ROUNDS turns.
 * Run with -smp 2.
 *
 * Under thread=single both harts share one host thread: a pause hands
 * it to the other hart at once.  Were a waiting hart to spin out its
 * 10 ms slice instead, the 2 * ROUNDS hand-overs would take some 200 s,
 * past the runner's 60 s limit: that is how this test fails when the
 * hand-over is lost.  On hardware, and under thread=multi, pause is a
 * hint that changes nothing.
 */
#include "testmacros.h"

#define NHARTS 2
#define ROUNDS 10000
/* pause (fence w, 0), spelled out: the assembler wants zihintpause in -march */
#define PAUSE 0x0100000f

TEST_BEGIN NHARTS
    mv   s0, a0                     /* hart id: 0 takes even turns, 1 odd */
    START_GATE NHARTS
    la   s1, turn
    li   s2, 0                      /* my turns taken */
    li   s3, ROUNDS
1:  lw   t0, 0(s1)
    fence r, rw
    andi t1, t0, 1
    bne  t1, s0, 2f                 /* not my turn: wait */
    addi t0, t0, 1
    fence rw, w
    sw   t0, 0(s1)
    addi s2, s2, 1
    beq  s2, s3, 3f
    j    1b
2:  .word PAUSE
    j    1b
3:  la   t0, done
    slli t1, s0, 2
    add  t0, t0, t1
    fence rw, w
    sw   s2, 0(t0)
    bnez s0, park                   /* hart 1 is done */
    /* hart 0: wait for hart 1 to publish its count (after its last turn) */
    SPIN_START s5
    la   s4, done + 4
4:  lw   t0, 0(s4)
    bnez t0, 5f
    SPIN_CHECK s5
    .word PAUSE
    j    4b
5:  fence r, rw
    CHECK_MEMW turn, 2 * ROUNDS, 1
    CHECK_MEMW done, ROUNDS, 2
    CHECK_MEMW done + 4, ROUNDS, 3
    PASS
TEST_END

    .bss
    .balign 64
turn:
    .word 0
    .balign 64
done:
    .word 0, 0

    START_GATE_DATA
