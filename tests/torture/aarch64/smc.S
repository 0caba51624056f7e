/*
 * smc.S - cross-vCPU code patching: vCPU 0 rewrites two functions while
 * vCPUs 1..3 keep calling them.  Run with -smp 4.  The A64 form of
 * ../smc.S.
 *
 * Each function returns a pair (x0, x1) built by two patched
 * instructions, "MOVZ x0, #V" and "MOVZ x1, #V":
 *   smc_same    both in one straight-line block on one page
 *   smc_split   the first is the last word of a page, the second the
 *               first word of the next page (two pages to invalidate)
 * Generation g (0..GENS) of the code has V = g.
 *
 * Writer (vCPU 0), for g = 1..GENS, a sequence lock on 'gen':
 *   gen = 2g - 1 (odd: patching), DMB ISHST;
 *   store the four instructions with V = g, then the architecture's
 *   sequence for code other PEs will run: DC CVAU of each, DSB ISH,
 *   IC IVAU of each, DSB ISH, ISB;
 *   call both functions itself: each must return (g, g) (checks 15..18);
 *   STLR gen = 2g (even: generation g is complete);
 *   wait until every reader acknowledged generation g (ack[h] = 2g).
 * Reader (vCPUs 1..3), until it acknowledged generation GENS:
 *   g1 = gen (LDAR); skip if odd;
 *   if g1 differs from the generation it last synchronised with: ISB
 *     (a PE that sees the writer's flag must resynchronise its fetches
 *     before it runs the new code);
 *   call both functions; DMB ISHLD; g2 = gen;
 *   g1 != g2: the call overlapped a patch and is not checked (old, new
 *     or a mix are all allowed then);
 *   g1 == g2: each pair must be (g1/2, g1/2): never old-new or new-old
 *     (a translation of half-patched code) and never an older
 *     generation (a stale translation run after the ISB); then
 *     ack[h] = g1.
 * As on RISC-V, the check of a call that did not overlap assumes its
 * instruction fetches happen before the later load of g2, as in loom.
 * vCPU 0 checks that no reader counted a mixed or a stale pair and that
 * every reader acknowledged the last generation.
 *
 * Failure codes: 1/2, 3/4, 5/6 = mixed/stale pairs seen by vCPUs 1, 2,
 * 3; 7..9 a reader never acknowledged the last generation; 10..14 the
 * final state; 15..18 the writer's own calls.
 *
 * TORTURE_BREAK(=1): the writer publishes the generation, waits for
 * the acks, and only then patches, so readers run the old code under
 * the new generation (a stale pair: check 2, 4 or 6 fails).
 * TORTURE_BREAK=2: the readers skip their ISB (the architecture then
 * allows the old code; loom passes, since the writer's stores drop
 * every vCPU's translations of the page as they happen).
 */
#include "torture-a64.h"

#ifndef GENS
#define GENS    50
#endif

#define MOVZ_X0(v)  (0xd2800000 | ((v) << 5) | 0)
#define MOVZ_X1(v)  (0xd2800000 | ((v) << 5) | 1)

/* Writer: wait (bounded) until ack[1..3] >= x27.  Clobbers x0-x2,
 * x13, x15-x17. */
.macro WAIT_ACKS
    WAIT_START x13
.Lack_scan\@:
    adr  x0, ack
    mov  x1, #1
.Lack_next\@:
    ldr  x2, [x0, x1, lsl #3]
    cmp  x2, x27
    b.lo .Lack_wait\@
    add  x1, x1, #1
    cmp  x1, #NCPUS
    b.ne .Lack_next\@
    b    .Lack_done\@
.Lack_wait\@:
    WAIT_CHECK x13
    b    .Lack_scan\@
.Lack_done\@:
    dmb  ishld                      /* acquire: the acks before what follows */
.endm

/* Clean and invalidate for instruction fetch the four patched words
 * (x21-x24), as code another PE will run needs (DC CVAU ... ISB). */
.macro SYNC_CODE
    dc   cvau, x21
    dc   cvau, x22
    dc   cvau, x23
    dc   cvau, x24
    dsb  ish
    ic   ivau, x21
    ic   ivau, x22
    ic   ivau, x23
    ic   ivau, x24
    dsb  ish
    isb
.endm

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

worker:
    adr  x19, gen
    START_GATE
    cbnz x28, reader

    /* ---- writer: vCPU 0 ---- */
    mov  x20, #1                    /* g */
    adr  x21, smc_same_a
    adr  x22, smc_same_b
    adr  x23, smc_split_a
    adr  x24, smc_split_b
writer_loop:
    OVERLAP_TICK
    ldr  w25, =MOVZ_X0(0)
    orr  w25, w25, w20, lsl #5      /* MOVZ x0, #g */
    ldr  w26, =MOVZ_X1(0)
    orr  w26, w26, w20, lsl #5      /* MOVZ x1, #g */
    lsl  x27, x20, #1               /* 2g */
#if !defined(TORTURE_BREAK) || TORTURE_BREAK != 1
    sub  x0, x27, #1
    str  x0, [x19]                  /* odd: patching */
    dmb  ishst                      /* the odd value before the patch */
#else
    stlr x27, [x19]                 /* broken: published before the patch */
    WAIT_ACKS                       /* and the readers run the old code */
#endif
    str  w25, [x21]
    str  w26, [x22]
    str  w25, [x23]
    str  w26, [x24]
    SYNC_CODE
    bl   smc_same                   /* the writer sees its own patch */
    cmp  x0, x20
    mov  x0, #15
    b.ne test_fail
    cmp  x1, x20
    mov  x0, #16
    b.ne test_fail
    bl   smc_split
    cmp  x0, x20
    mov  x0, #17
    b.ne test_fail
    cmp  x1, x20
    mov  x0, #18
    b.ne test_fail
#if !defined(TORTURE_BREAK) || TORTURE_BREAK != 1
    stlr x27, [x19]                 /* release: the patch before gen */
#endif
    WAIT_ACKS
    add  x20, x20, #1
    cmp  x20, #GENS
    b.ls writer_loop
    b    finish

    /* ---- readers: vCPUs 1..3 ---- */
reader:
    mov  x20, #0                    /* mixed pairs */
    mov  x21, #0                    /* stale (whole but old) pairs */
    mov  x22, #0                    /* the generation last synchronised */
    mov  x23, #0                    /* calls checked */
    mov  x24, #0                    /* calls overlapping a patch */
    WAIT_START x25
1:  OVERLAP_TICK
    WAIT_CHECK x25
    ldar x26, [x19]                 /* g1 */
    tbnz x26, #0, 1b
    cmp  x26, x22
    b.eq 2f
#if !defined(TORTURE_BREAK) || TORTURE_BREAK != 2
    isb                             /* new code: resynchronise fetches */
#endif
    mov  x22, x26
2:  lsr  x27, x26, #1               /* V expected */
    /* call and keep the results aside until g2 is known */
    bl   smc_same
    mov  x2, x0
    mov  x3, x1
    bl   smc_split
    mov  x4, x0
    mov  x5, x1
    dmb  ishld                      /* the calls before the load of g2 */
    ldr  x0, [x19]                  /* g2 */
    cmp  x0, x26
    b.eq 3f
    add  x24, x24, #1
    b    1b
3:  add  x23, x23, #1
    /* both pairs whole and equal to V */
    cmp  x2, x3
    b.eq 4f
    add  x20, x20, #1
    b    5f
4:  cmp  x2, x27
    b.eq 5f
    add  x21, x21, #1
5:  cmp  x4, x5
    b.eq 6f
    add  x20, x20, #1
    b    7f
6:  cmp  x4, x27
    b.eq 7f
    add  x21, x21, #1
7:  adr  x0, ack
    str  x26, [x0, x28, lsl #3]
    cmp  x26, #2 * GENS
    b.ne 1b

    /* viol[h] = (mixed, stale), calls[h] = (checked, overlapped) */
    adr  x0, viol
    add  x0, x0, x28, lsl #4
    stp  x20, x21, [x0]
    adr  x0, calls
    add  x0, x0, x28, lsl #4
    stp  x23, x24, [x0]

finish:
    ARRIVE done
    cbz  x28, 9f
8:  wfi                             /* secondaries: done */
    b    8b

    /* ---- vCPU 0: wait for all, then check ---- */
9:  WAIT_GE done, NCPUS
    adr  x20, calls + 16
    mov  x21, #1
10: ldp  x22, x23, [x20], #16
    PRINT_NUM "smc: reader calls checked ", x22
    PRINT_NUM "smc: reader calls overlapping a patch ", x23
    add  x21, x21, #1
    cmp  x21, #NCPUS
    b.ne 10b
    CHECK_MEM 1, viol + 16, 0       /* vCPU 1: mixed, stale */
    CHECK_MEM 2, viol + 24, 0
    CHECK_MEM 3, viol + 32, 0       /* vCPU 2 */
    CHECK_MEM 4, viol + 40, 0
    CHECK_MEM 5, viol + 48, 0       /* vCPU 3 */
    CHECK_MEM 6, viol + 56, 0
    CHECK_MEM 7, ack + 8, 2 * GENS
    CHECK_MEM 8, ack + 16, 2 * GENS
    CHECK_MEM 9, ack + 24, 2 * GENS
    CHECK_MEM 10, gen, 2 * GENS
    /* the code holds the last generation */
    bl   smc_same
    CHECK 11, x0, GENS
    CHECK 12, x1, GENS
    bl   smc_split
    CHECK 13, x0, GENS
    CHECK 14, x1, GENS
    OVERLAP_REPORT
    mov  x0, #0
    ldr  x30, [sp], #16
    ret
    .ltorg

    /* the patched functions, on pages of their own */
    .balign 4096
smc_same:
smc_same_a:
    movz x0, #0
    mov  x6, #1                     /* filler: the two sites are apart */
    add  x6, x6, #1
smc_same_b:
    movz x1, #0
    ret

    .balign 4096
    .skip 4096 - 4
smc_split:
smc_split_a:
    movz x0, #0                     /* the last word of a page */
smc_split_b:
    movz x1, #0                     /* the first word of the next */
    ret
    .balign 4096

    .bss
    .balign 64
gen:        .quad 0
    .balign 64
ack:        .fill NCPUS, 8, 0
    .balign 64
done:       .quad 0
    .balign 64
viol:       .fill 2 * NCPUS, 8, 0
calls:      .fill 2 * NCPUS, 8, 0

    TORTURE_DATA "smc"
