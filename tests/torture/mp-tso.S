/*
 * mp-tso.S - message passing with no fence at all, run with
 * -cpu rv64,ztso=on (RVTSO).  Run with -smp 4: two pairs, 0 -> 1 and
 * 2 -> 3, the same code.
 *
 * Under RVTSO plain loads are ordered with later loads and plain stores
 * with later stores, so a producer that stores data_a, data_b, then the
 * flag, and a consumer that loads the flag, then data_a and data_b, need
 * no fence: a consumer that sees flag = f must see data >= f.  This holds
 * on loom only because the core inserts the barriers RVTSO needs and the
 * host lacks (mb LD_LD before loads, mb LD_ST|ST_ST before stores on the
 * interpreter; nothing on x86-64, which is TSO itself).
 *
 * Round i = 1..ROUNDS of a producer: sd i to data_a and to data_b
 * (another 4 KiB page), then sd i to the flag.  The consumer samples as
 * fast as it can until it reads ROUNDS, counting a violation for data
 * older than the flag it saw or a flag that went backwards (coherence).
 * Hart 0 waits for all and checks both counters are 0 and both flags and
 * data ended at ROUNDS.
 */
#include "torture.h"

#ifndef ROUNDS
#define ROUNDS  2000000
#endif

#define P_FLAG      0
#define P_DATA_A    64
#define P_DATA_B    4096
#define P_SIZE      8192

TEST_BEGIN NHARTS
    mv   s0, a0
    la   s1, pair0
    li   t0, 2
    bltu s0, t0, 1f
    la   s1, pair1
1:  addi s2, s1, P_DATA_A
    li   t0, P_DATA_B
    add  s3, s1, t0                 /* s3 = &data_b */
    li   s4, ROUNDS
    andi t0, s0, 1
    bnez t0, consumer

    /* ---- producer (harts 0 and 2): data, then flag, no fence ---- */
    li   s5, 1                      /* i */
2:  sd   s5, 0(s2)
    sd   s5, 0(s3)
    sd   s5, P_FLAG(s1)
    addi s5, s5, 1
    bleu s5, s4, 2b
    j    finish

    /* ---- consumer (harts 1 and 3): flag, then data, no fence ---- */
consumer:
    li   s5, 0                      /* previous flag value */
    li   s6, 0                      /* violations */
    li   s7, 0                      /* samples */
    WAIT_START s8
5:  ld   t0, P_FLAG(s1)
    ld   t1, 0(s2)
    ld   t2, 0(s3)
    addi s7, s7, 1
    bgeu t1, t0, 8f
    addi s6, s6, 1                  /* data_a older than the flag */
8:  bgeu t2, t0, 9f
    addi s6, s6, 1                  /* data_b older than the flag */
9:  bgeu t0, s5, 10f
    addi s6, s6, 1                  /* the flag went backwards */
10: mv   s5, t0
    beq  t0, s4, 11f
    WAIT_CHECK s8
    j    5b
11: srli t0, s0, 1                  /* viol[pair], samples[pair] */
    slli t0, t0, 3
    la   t1, viol
    add  t1, t1, t0
    sd   s6, 0(t1)
    la   t1, samples
    add  t1, t1, t0
    sd   s7, 0(t1)

finish:
    ARRIVE done
    bnez s0, park

    /* ---- hart 0: wait for all, then check ---- */
    WAIT_WORD_GE done, NHARTS
    CHECK_MEMD viol, 0, 1
    CHECK_MEMD viol + 8, 0, 2
    CHECK_MEMD pair0 + P_FLAG, ROUNDS, 3
    CHECK_MEMD pair1 + P_FLAG, ROUNDS, 4
    CHECK_MEMD pair0 + P_DATA_B, ROUNDS, 5
    CHECK_MEMD pair1 + P_DATA_B, ROUNDS, 6
    la   t0, samples
    ld   s2, 0(t0)
    ld   s3, 8(t0)
    PRINT_NUM "mp-tso: samples taken by consumer 1 ", s2
    PRINT_NUM "mp-tso: samples taken by consumer 3 ", s3
    snez t1, s2
    CHECK t1, 1, 7
    snez t1, s3
    CHECK t1, 1, 8
    PASS
TEST_END

    .bss
    .balign 4096
pair0:  .space P_SIZE
pair1:  .space P_SIZE
    .balign 64
done:   .word 0
    .balign 64
viol:   .dword 0, 0
samples: .dword 0, 0
