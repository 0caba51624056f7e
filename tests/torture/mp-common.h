/*
 * mp-common.h - the message-passing torture test, less its ordering.
 *
 * mp.S and mp-tso.S run the same test (tests/torture/README.md) and
 * differ only in how a producer publishes the flag and how a consumer
 * reads it; everything else is here.  Run with -smp 4: two pairs,
 * harts 0 -> 1 on pair0 and 2 -> 3 on pair1.
 *
 * Round i = 1..ROUNDS of a producer: store i to data_a and to data_b
 * (data_b on another 4 KiB page), then store i to the flag in the
 * file's own way.  No handshake: the consumer reads the flag in the
 * file's own way as fast as it can until it reads ROUNDS; for every
 * sample flag = f it reads data_a and data_b and counts a violation if
 * either is < f (it saw the flag of round f but data older than round
 * f) and if f is below the previous sample (two loads of one location
 * went backwards: coherence).  Each consumer also counts its samples.
 * Hart 0 waits for all and checks: 1, 2 both violation counts are 0;
 * 3, 4 both flags and 5, 6 both data_b ended at ROUNDS; 7, 8 each
 * consumer took at least one sample.
 *
 * A test file is, in this order:
 *
 *     TEST_BEGIN NHARTS
 *         MP_SETUP                 # consumers branch to mp_consumer
 *         li   s5, 1
 *     1:  MP_STORE_DATA
 *         <store s5 to the flag at P_FLAG(s1), with its release>
 *         MP_NEXT_ROUND 1b         # then j mp_finish
 *     mp_consumer:
 *         MP_CONSUMER_BEGIN
 *     2:  <load the flag at P_FLAG(s1) into t0, with its acquire>
 *         MP_CONSUMER_SAMPLE 2b    # loops to 2b, then publishes
 *     mp_finish:
 *         MP_FINISH                # s2, s3 = the two sample counts
 *         PRINT_NUM "...", s2 / s3
 *         MP_CHECK_SAMPLES
 *     TEST_END
 *         MP_DATA
 *
 * Registers: s0 hart id, s1 &flag (pair base), s2 &data_a, s3 &data_b,
 * s4 ROUNDS, s5 round (producer) or previous flag (consumer), s6
 * violations, s7 samples, s8 start of the consumer's bounded wait.
 *
 * TORTURE_BREAK=2: MP_STORE_DATA stores the flag before the data; the
 * file must then skip its own flag store.
 */
#ifndef LOOM_TORTURE_MP_COMMON_H
#define LOOM_TORTURE_MP_COMMON_H

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

#if defined(TORTURE_BREAK) && TORTURE_BREAK == 2
#define MP_BREAK_FLAG_FIRST 1
#else
#define MP_BREAK_FLAG_FIRST 0
#endif

#ifdef __ASSEMBLER__

/* Set s0..s4 (above); the consumers (odd harts) go to mp_consumer. */
.macro MP_SETUP
    mv   s0, a0
    la   s1, pair0
    li   t0, 2
    bltu s0, t0, .Lpair\@
    la   s1, pair1
.Lpair\@:
    addi s2, s1, P_DATA_A
    li   t0, P_DATA_B
    add  s3, s1, t0                 /* s3 = &data_b */
    li   s4, ROUNDS
    START_GATE NHARTS
    andi t0, s0, 1
    bnez t0, mp_consumer
.endm

/* Store round s5 to data_a and data_b. */
.macro MP_STORE_DATA
#if MP_BREAK_FLAG_FIRST
    sd   s5, P_FLAG(s1)             /* broken: flag first */
#endif
    sd   s5, 0(s2)
    sd   s5, 0(s3)
.endm

/* Next round: back to loop while s5 <= ROUNDS, then to mp_finish. */
.macro MP_NEXT_ROUND loop
    OVERLAP_TICK
    addi s5, s5, 1
    bleu s5, s4, \loop
    j    mp_finish
.endm

.macro MP_CONSUMER_BEGIN
    li   s5, 0                      /* previous flag value */
    li   s6, 0                      /* violations */
    li   s7, 0                      /* samples */
    WAIT_START s8
.endm

/* With the flag in t0: read the data, count violations and the sample,
 * back to loop until the flag is ROUNDS; then publish this consumer's
 * counts in viol[pair] and samples[pair]. */
.macro MP_CONSUMER_SAMPLE loop
    OVERLAP_TICK
    ld   t1, 0(s2)
    ld   t2, 0(s3)
    addi s7, s7, 1
    bgeu t1, t0, .La_ok\@
    addi s6, s6, 1                  /* data_a older than the flag */
.La_ok\@:
    bgeu t2, t0, .Lb_ok\@
    addi s6, s6, 1                  /* data_b older than the flag */
.Lb_ok\@:
    bgeu t0, s5, .Lflag_ok\@
    addi s6, s6, 1                  /* the flag went backwards */
.Lflag_ok\@:
    mv   s5, t0
    beq  t0, s4, .Ldone\@
    WAIT_CHECK s8
    j    \loop
.Ldone\@:
    srli t0, s0, 1
    slli t0, t0, 3
    la   t1, viol
    add  t1, t1, t0
    sd   s6, 0(t1)
    la   t1, samples
    add  t1, t1, t0
    sd   s7, 0(t1)
.endm

/* Every hart arrives; harts 1..3 park, hart 0 waits for all and makes
 * checks 1..6, then loads the fence/first consumer's sample count into
 * s2 and the AMO/second one's into s3 for the file to print. */
.macro MP_FINISH
    ARRIVE done
    bnez s0, park
    WAIT_WORD_GE done, NHARTS
    CHECK_MEMD viol, 0, 1
    CHECK_MEMD viol + 8, 0, 2
    CHECK_MEMD pair0 + P_FLAG, ROUNDS, 3
    CHECK_MEMD pair1 + P_FLAG, ROUNDS, 4
    CHECK_MEMD pair0 + P_DATA_B, ROUNDS, 5
    CHECK_MEMD pair1 + P_DATA_B, ROUNDS, 6
    OVERLAP_REPORT
    la   t0, samples
    ld   s2, 0(t0)
    ld   s3, 8(t0)
.endm

/* Checks 7, 8: each consumer took at least its last sample; then PASS. */
.macro MP_CHECK_SAMPLES
    snez t1, s2
    CHECK t1, 1, 7
    snez t1, s3
    CHECK t1, 1, 8
    PASS
.endm

.macro MP_DATA
    .bss
    .balign 4096
pair0:  .space P_SIZE
pair1:  .space P_SIZE
    .balign 64
done:   .word 0
    .balign 64
viol:   .dword 0, 0
samples: .dword 0, 0
.endm

#endif /* __ASSEMBLER__ */
#endif /* LOOM_TORTURE_MP_COMMON_H */
