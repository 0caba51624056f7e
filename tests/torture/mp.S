/*
 * mp.S - message passing: a producer publishes data then a flag, a
 * consumer reads the flag then the data.  Run with -smp 4: two pairs.
 *
 *   harts 0 -> 1   fences: producer "fence rw,w" before the flag store,
 *                  consumer "fence r,rw" after the flag load (Linux's
 *                  smp_store_release / smp_load_acquire on RISC-V)
 *   harts 2 -> 3   AMOs: producer amoswap.d.rl to store the flag,
 *                  consumer amoor.d.aq x0 to read it
 *
 * Round i = 1..ROUNDS of a producer: store i to data_a and to data_b
 * (data_b on another 4 KiB page), release, store i to the flag.  No
 * handshake: the consumer samples as fast as it can until it reads
 * ROUNDS.  For every sample flag = f it reads data_a and data_b and
 * counts a violation if either is < f (it saw the flag of round f but
 * data older than round f) and if f is below the previous sample
 * (two loads of one location went backwards: coherence).  Each
 * consumer also counts its samples.  Hart 0 waits for all and checks
 * both violation counters are 0 and both flags ended at ROUNDS.
 *
 * On an x86-64 host (TSO) a missing guest fence cannot show here, since
 * the host keeps stores and loads in order anyway; TORTURE_BREAK=2
 * stores the flag before the data instead, which does show.
 */
#include "torture.h"

#ifndef ROUNDS
#define ROUNDS  2000000
#endif

/* Per-pair block: flag, then data_a in its own line, then data_b a page
 * further on. */
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

    /* ---- producer (harts 0 and 2) ---- */
    li   s5, 1                      /* i */
2:
#if defined(TORTURE_BREAK) && TORTURE_BREAK == 2
    sd   s5, P_FLAG(s1)             /* broken: flag first */
#endif
    sd   s5, 0(s2)
    sd   s5, 0(s3)
#if defined(TORTURE_BREAK) && TORTURE_BREAK == 2
#elif defined(TORTURE_BREAK)
    sd   s5, P_FLAG(s1)             /* broken: no fence */
#else
    bnez s0, 3f
    fence rw, w                     /* release: data before flag */
    sd   s5, P_FLAG(s1)
    j    4f
3:  amoswap.d.rl x0, s5, (s1)       /* release store of the flag */
4:
#endif
    addi s5, s5, 1
    bleu s5, s4, 2b
    j    finish

    /* ---- consumer (harts 1 and 3) ---- */
consumer:
    li   s5, 0                      /* previous flag value */
    li   s6, 0                      /* violations */
    li   s7, 0                      /* samples */
    WAIT_START s8
5:  li   t0, 1
    bne  s0, t0, 6f
    ld   t0, P_FLAG(s1)
    fence r, rw                     /* acquire: flag before data */
    j    7f
6:  amoor.d.aq t0, x0, (s1)         /* acquire load of the flag */
7:  ld   t1, 0(s2)
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
11: /* publish this consumer's counts: viol[pair], samples[pair] */
    srli t0, s0, 1
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
    /* each consumer took at least its last sample */
    la   t0, samples
    ld   s2, 0(t0)
    ld   s3, 8(t0)
    PRINT_NUM "mp: samples taken by the fence consumer ", s2
    PRINT_NUM "mp: samples taken by the AMO consumer ", s3
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
