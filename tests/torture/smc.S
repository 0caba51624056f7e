/*
 * smc.S - cross-hart code patching: hart 0 rewrites two functions while
 * harts 1..3 keep calling them.  Run with -smp 4.
 *
 * Each function returns a pair (a0, a1) built by two patched
 * instructions, "addi a0, zero, V" and "addi a1, zero, V":
 *   smc_same    both in one straight-line block on one page
 *   smc_split   the first is the last word of a page, the second the
 *               first word of the next page (two pages to invalidate)
 * Generation g (0..GENS) of the code has V = g.
 *
 * Writer (hart 0), for g = 1..GENS, a sequence lock on 'gen':
 *   gen = 2g - 1 (odd: patching), fence w,w;
 *   store the four instructions with V = g; fence.i;
 *   call both functions itself: each must return (g, g) (checks
 *   15..18);
 *   fence rw,w; gen = 2g (even: generation g is complete);
 *   wait until every reader acknowledged generation g (ack[h] = 2g).
 * Reader (harts 1..3), until it acknowledged generation GENS:
 *   g1 = gen (load, fence r,rw); skip if odd;
 *   if g1 differs from the generation it last synchronised with:
 *     fence.i (as Linux does after its code patching: every hart
 *     synchronises before running the new code);
 *   call both functions; fence r,r; g2 = gen;
 *   g1 != g2: the call overlapped a patch, its result says nothing
 *     (without a fence.i after the stores, the spec allows old, new
 *     or a mix), so it is not checked;
 *   g1 == g2: each pair must be (g1/2, g1/2): never old-new or new-old
 *     (a translation made of half-patched code) and never an older
 *     generation (a stale translation run after fence.i); then
 *     ack[h] = g1.
 * The check of a non-overlapping call assumes the instruction fetches
 * of a call happen before the later load of g2, as in loom (RVWMO alone
 * does not order fetches with loads).
 * Hart 0 checks no reader counted a mixed or a stale pair and every
 * reader acknowledged the last generation (so every hart eventually ran
 * the new code).  The test passes whether fence.i flushes every
 * translation or only the hart's own view: stores to code must reach
 * other harts' translations either way once they run fence.i.
 *
 * Failure codes: 1/2, 3/4, 5/6 = mixed/stale pairs seen by harts 1, 2,
 * 3; 7..9 a reader never acknowledged the last generation; 10..14 the
 * final state; 15..18 the writer's own calls.
 *
 * TORTURE_BREAK: the writer publishes the generation, waits for the
 * acks, and only then patches, so readers run the old code under the
 * new generation (a stale pair: check 2, 4 or 6 fails).
 * TORTURE_BREAK=2: the readers skip their fence.i (the spec then allows
 * old code; in loom this passes, since the stores to code invalidate
 * every hart's translations of the page).
 */
#include "torture.h"

#ifndef GENS
#define GENS    50
#endif

#define ADDI_A0(v)  ((((v) & 0xfff) << 20) | (10 << 7) | 0x13)
#define ADDI_A1(v)  ((((v) & 0xfff) << 20) | (11 << 7) | 0x13)

/* Writer: wait (bounded) until ack[1..3] >= s8.  Clobbers t0-t2, s11. */
.macro WAIT_ACKS
    WAIT_START s11
.Lack_scan\@:
    la   t0, ack
    li   t1, 1
.Lack_next\@:
    slli t2, t1, 3
    add  t2, t2, t0
    ld   t2, 0(t2)
    blt  t2, s8, .Lack_wait\@
    addi t1, t1, 1
    li   t2, NHARTS
    bne  t1, t2, .Lack_next\@
    j    .Lack_done\@
.Lack_wait\@:
    WAIT_CHECK s11
    j    .Lack_scan\@
.Lack_done\@:
.endm

TEST_BEGIN NHARTS
    mv   s0, a0
    la   s1, gen
    START_GATE NHARTS
    bnez s0, reader

    /* ---- writer: hart 0 ---- */
    li   s2, 1                      /* g */
    li   s3, GENS
    la   s4, smc_same_a
    la   s5, smc_same_b
    la   s6, smc_split_a
    la   s7, smc_split_b
writer_loop:
    OVERLAP_TICK
    slli t0, s2, 20                 /* V << 20 */
    li   t1, ADDI_A0(0)
    or   a2, t0, t1
    li   t1, ADDI_A1(0)
    or   a3, t0, t1
    slli s8, s2, 1                  /* 2g */
#ifndef TORTURE_BREAK
    addi t0, s8, -1
    sd   t0, 0(s1)                  /* odd: patching */
    fence w, w                      /* the odd value before the patch */
#elif TORTURE_BREAK == 1
    fence rw, w
    sd   s8, 0(s1)                  /* broken: published before the patch */
    WAIT_ACKS                       /* and the readers run the old code */
#else
    addi t0, s8, -1
    sd   t0, 0(s1)
    fence w, w
#endif
    sw   a2, 0(s4)
    sw   a3, 0(s5)
    sw   a2, 0(s6)
    sw   a3, 0(s7)
    fence.i
    call smc_same                   /* the writer sees its own patch */
    CHECK_REG a0, s2, 15
    CHECK_REG a1, s2, 16
    call smc_split
    CHECK_REG a0, s2, 17
    CHECK_REG a1, s2, 18
#if !defined(TORTURE_BREAK) || TORTURE_BREAK != 1
    fence rw, w                     /* release: the patch before gen */
    sd   s8, 0(s1)
#endif
    WAIT_ACKS
    addi s2, s2, 1
    ble  s2, s3, writer_loop

    j    finish

    /* ---- readers: harts 1..3 ---- */
reader:
    li   s9, 0                      /* mixed pairs */
    li   s10, 0                     /* stale (whole but old) pairs */
    li   s2, 0                      /* generation last synchronised */
    li   s3, 2 * GENS
    li   s4, 0                      /* calls checked */
    li   s5, 0                      /* calls overlapping a patch */
    WAIT_START s11
5:  OVERLAP_TICK
    WAIT_CHECK s11
    ld   s6, 0(s1)                  /* g1 */
    fence r, rw                     /* acquire: gen before the code */
    andi t0, s6, 1
    bnez t0, 5b
    beq  s6, s2, 6f
#if !defined(TORTURE_BREAK) || TORTURE_BREAK != 2
    fence.i
#endif
    mv   s2, s6
6:  srli s7, s6, 1                  /* V expected */
    /* call and keep the results aside until g2 is known */
    call smc_same
    mv   a4, a0
    mv   a5, a1
    call smc_split
    mv   a6, a0
    mv   a7, a1
    fence r, r
    ld   t0, 0(s1)                  /* g2 */
    beq  t0, s6, 7f
    addi s5, s5, 1
    j    5b
7:  addi s4, s4, 1
    /* both pairs whole and equal to V */
    beq  a4, a5, 8f
    addi s9, s9, 1
    j    9f
8:  beq  a4, s7, 9f
    addi s10, s10, 1
9:  beq  a6, a7, 10f
    addi s9, s9, 1
    j    11f
10: beq  a6, s7, 11f
    addi s10, s10, 1
11: slli t0, s0, 3
    la   t1, ack
    add  t1, t1, t0
    sd   s6, 0(t1)
    bne  s6, s3, 5b

    /* viol[h] = (mixed, stale), calls[h] = (checked, overlapped) */
    slli t0, s0, 4
    la   t1, viol
    add  t1, t1, t0
    sd   s9, 0(t1)
    sd   s10, 8(t1)
    la   t1, calls
    add  t1, t1, t0
    sd   s4, 0(t1)
    sd   s5, 8(t1)

finish:
    ARRIVE done
    bnez s0, park

    /* ---- hart 0: wait for all, then check ---- */
    WAIT_WORD_GE done, NHARTS
    la   s2, calls + 16
    li   s3, 1
12: ld   s4, 0(s2)
    ld   s5, 8(s2)
    PRINT_NUM "smc: reader calls checked ", s4
    PRINT_NUM "smc: reader calls overlapping a patch ", s5
    addi s2, s2, 16
    addi s3, s3, 1
    li   t0, NHARTS
    bne  s3, t0, 12b
    CHECK_MEMD viol + 16, 0, 1      /* hart 1: mixed, stale */
    CHECK_MEMD viol + 24, 0, 2
    CHECK_MEMD viol + 32, 0, 3      /* hart 2 */
    CHECK_MEMD viol + 40, 0, 4
    CHECK_MEMD viol + 48, 0, 5      /* hart 3 */
    CHECK_MEMD viol + 56, 0, 6
    CHECK_MEMD ack + 8, 2 * GENS, 7
    CHECK_MEMD ack + 16, 2 * GENS, 8
    CHECK_MEMD ack + 24, 2 * GENS, 9
    CHECK_MEMD gen, 2 * GENS, 10
    /* the code holds the last generation */
    call smc_same
    CHECK a0, GENS, 11
    CHECK a1, GENS, 12
    call smc_split
    CHECK a0, GENS, 13
    CHECK a1, GENS, 14
    OVERLAP_REPORT
    PASS
TEST_END

    /* the patched functions, on pages of their own */
    .text
    .balign 4096
smc_same:
smc_same_a:
    addi a0, zero, 0
    addi t2, zero, 1                /* filler: the two sites are apart */
    addi t2, t2, 1
smc_same_b:
    addi a1, zero, 0
    ret

    .balign 4096
    .skip 4096 - 4
smc_split:
smc_split_a:
    addi a0, zero, 0                /* last word of a page */
smc_split_b:
    addi a1, zero, 0                /* first word of the next page */
    ret
    .balign 4096

    .bss
    .balign 64
gen:    .dword 0
    .balign 64
ack:    .dword 0, 0, 0, 0
    .balign 64
done:   .word 0
    .balign 64
viol:   .dword 0, 0, 0, 0, 0, 0, 0, 0
calls:  .dword 0, 0, 0, 0, 0, 0, 0, 0

    OVERLAP_DATA
