/*
 * mp.S - message passing on 4 vCPUs, two producer/consumer pairs, the
 * A64 form of tests/torture/mp-common.h.  Run with -smp 4.
 *
 *   vCPU 0 -> 1  barriers: the producer orders its data before the flag
 *                with DMB ISHST (even rounds) or DMB ISH (odd rounds);
 *                the consumer orders the flag before the data with DMB
 *                ISHLD (even samples) or DMB ISH (odd samples)
 *   vCPU 2 -> 3  acquire/release: the producer stores the flag with
 *                STLR; the consumer loads it with LDAR (even samples) or
 *                LDAPR (odd samples: RCpc, enough for message passing)
 *
 * Round i = 1..ROUNDS of a producer: store i to data_a and to data_b
 * (data_b on another 4 KiB page), then i to the flag, in its pair's
 * way.  No handshake: the consumer reads the flag as fast as it can
 * until it reads ROUNDS; for every sample flag = f it reads data_a and
 * data_b and counts a violation if either is < f (it saw the flag of
 * round f but older data) and if f is below the previous sample (two
 * loads of one location went backwards: coherence).  vCPU 0 waits for
 * all and checks: 1, 2 both violation counts are 0; 3, 4 both flags
 * and 5, 6 both data_b ended at ROUNDS; 7, 8 each consumer took at
 * least one sample.
 *
 * On an x86-64 host a missing barrier cannot show (the host is TSO);
 * on the interpreter's weak=on it does (run-weak-broken.sh).
 * TORTURE_BREAK=1 (mp-nofence.elf): no DMB, STR for STLR and LDR for
 * LDAR/LDAPR.  TORTURE_BREAK=2: the flag stored before the data (shows
 * on any host).
 */
#include "torture-a64.h"

#ifndef ROUNDS
#define ROUNDS  1000000
#endif

/* per-pair block: the flag, data_a in its own line, data_b a page on */
#define P_FLAG      0
#define P_DATA_A    64
#define P_DATA_B    4096
#define P_SIZE      8192

#if defined(TORTURE_BREAK) && TORTURE_BREAK == 1
#define DMB(x)
#define STLR        str
#define LDAR        ldr
#define LDAPR       ldr
#else
#define DMB(x)      dmb x
#define STLR        stlr
#define LDAR        ldar
#define LDAPR       ldapr
#endif

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

/* x19 = &flag (the pair's block), x20 = &data_a, x21 = &data_b,
 * x22 = ROUNDS, x23 = round (producer) or previous flag (consumer),
 * x24 violations, x25 samples, x26 start of the consumer's wait */
worker:
    adr  x19, pair0
    cmp  x28, #2
    b.lo 1f
    adr  x19, pair1
1:  add  x20, x19, #P_DATA_A
    add  x21, x19, #P_DATA_B
    ldr  x22, =ROUNDS
    START_GATE
    tbnz x28, #0, consumer

    /* ---- producers: vCPUs 0 and 2 ---- */
    mov  x23, #1
2:
#if defined(TORTURE_BREAK) && TORTURE_BREAK == 2
    str  x23, [x19, #P_FLAG]        /* broken: the flag first */
#endif
    str  x23, [x20]
    str  x23, [x21]
#if !defined(TORTURE_BREAK) || TORTURE_BREAK != 2
    cbnz x28, 4f
    tbnz x23, #0, 3f
    DMB(ishst)                      /* release: data before flag */
    str  x23, [x19, #P_FLAG]
    b    5f
3:  DMB(ish)
    str  x23, [x19, #P_FLAG]
    b    5f
4:  STLR x23, [x19]                 /* release store of the flag */
5:
#endif
    OVERLAP_TICK
    add  x23, x23, #1
    cmp  x23, x22
    b.ls 2b
    b    finish

    /* ---- consumers: vCPUs 1 and 3 ---- */
consumer:
    mov  x23, #0                    /* previous flag */
    mov  x24, #0                    /* violations */
    mov  x25, #0                    /* samples */
    WAIT_START x26
6:  cmp  x28, #1
    b.ne 8f
    ldr  x0, [x19, #P_FLAG]
    tbnz x25, #0, 7f
    DMB(ishld)                      /* acquire: flag before data */
    b    10f
7:  DMB(ish)
    b    10f
8:  tbnz x25, #0, 9f
    LDAR x0, [x19]                  /* acquire load of the flag */
    b    10f
9:  LDAPR x0, [x19]
10: OVERLAP_TICK
    ldr  x1, [x20]
    ldr  x2, [x21]
    add  x25, x25, #1
    cmp  x1, x0
    b.hs 11f
    add  x24, x24, #1               /* data_a older than the flag */
11: cmp  x2, x0
    b.hs 12f
    add  x24, x24, #1               /* data_b older than the flag */
12: cmp  x0, x23
    b.hs 13f
    add  x24, x24, #1               /* the flag went backwards */
13: mov  x23, x0
    cmp  x0, x22
    b.eq 14f
    WAIT_CHECK x26
    b    6b
14: lsr  x0, x28, #1                /* the pair */
    adr  x1, viol
    str  x24, [x1, x0, lsl #3]
    adr  x1, samples
    str  x25, [x1, x0, lsl #3]

finish:
    ARRIVE done
    cbz  x28, 15f
16: wfi                             /* secondaries: done */
    b    16b

    /* ---- vCPU 0: wait for all, then check ---- */
15: WAIT_GE done, NCPUS
    CHECK_MEM 1, viol, 0
    CHECK_MEM 2, viol + 8, 0
    CHECK_MEM 3, pair0 + P_FLAG, ROUNDS
    CHECK_MEM 4, pair1 + P_FLAG, ROUNDS
    CHECK_MEM 5, pair0 + P_DATA_B, ROUNDS
    CHECK_MEM 6, pair1 + P_DATA_B, ROUNDS
    adr  x0, samples
    ldp  x19, x20, [x0]
    PRINT_NUM "mp: samples taken by the DMB consumer ", x19
    PRINT_NUM "mp: samples taken by the LDAR/LDAPR consumer ", x20
    OVERLAP_REPORT
    cmp  x19, #0
    cset x0, ne
    CHECK 7, x0, 1
    cmp  x20, #0
    cset x0, ne
    CHECK 8, x0, 1
    mov  x0, #0
    ldr  x30, [sp], #16
    ret
    .ltorg

    .bss
    .balign 4096
pair0:      .space P_SIZE
pair1:      .space P_SIZE
    .balign 64
done:       .quad 0
    .balign 64
viol:       .quad 0, 0
samples:    .quad 0, 0

    TORTURE_DATA "mp"
