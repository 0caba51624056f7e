/*
 * amo.S - 4 harts x ITERS rounds of every kind of AMO on shared words.
 * Run with -smp 4; exact results whatever the interleaving.
 *
 * Round i of hart h (0..3) does:
 *   amoadd.d 1 on cnt_d                  total 4 * ITERS
 *   amoadd.d 0xffffffff on cnt_carry     total 4 * ITERS * 0xffffffff:
 *                                        carries cross bit 32 every time
 *   amoadd.w 1 on cnt_w[0], -1 on cnt_w[1] (two halves of one dword):
 *                                        4 * ITERS and -4 * ITERS; a .w
 *                                        AMO done as a wider read-modify-
 *                                        write would lose the neighbour's
 *   amoswap.d v = (h+1) << 32 | (i+1) on swap_slot, summing the old
 *     values it gets back: sum(olds of all harts) + final = sum(all v),
 *     since every value stored is returned exactly once, except the last
 *   bit b = 16h + (i & 15) of or_word (owned by this hart only):
 *     amoor.d sets it (old must have it clear), amoand.d clears it (old
 *     must have it set); the same with amoxor.w twice on xor_word with
 *     bit 8h + (i & 7); both words end at 0
 *   amomax.d of (i << 2 | h) - 2 * ITERS on max_d (starts at INT64_MIN):
 *     final ((ITERS - 1) << 2 | 3) - 2 * ITERS, and the old values one
 *     hart sees never decrease
 *   amomin.w of -(i << 2 | h) - 1 on min_w (starts at 0): final
 *     -((ITERS - 1) << 2 | 3) - 1, old values never increase
 * A wrong old value adds 1 to a violation counter (one per kind); then
 * the hart arrives at 'done'.  Hart 0 waits for all four and checks every
 * total and that every violation counter is 0.
 *
 * TORTURE_BREAK: amoadd.d on cnt_d becomes ld/addi/sd (check 1 fails
 * when the harts really run in parallel).
 */
#include "torture.h"

#ifndef ITERS
#define ITERS   200000
#endif

#define INT64_MIN 0x8000000000000000

TEST_BEGIN NHARTS
    mv   s0, a0                     /* h */
    li   s1, 0                      /* i */
    li   s2, ITERS
    li   s3, 0                      /* sum of amoswap's old values */
    li   s4, INT64_MIN              /* last old value of amomax.d */
    li   s5, 0                      /* last old value of amomin.w */
    la   s6, cnt_d
    la   s7, cnt_carry
    la   s8, cnt_w
    la   s9, swap_slot
    la   s10, or_word
    la   s11, xor_word
    la   a6, max_d
    la   a7, min_w
    slli a2, s0, 4                  /* 16h: first bit owned in or_word */
    slli a3, s0, 3                  /* 8h: first bit owned in xor_word */
    addi a4, s0, 1
    slli a4, a4, 32                 /* (h+1) << 32 */
    li   a5, 0xffffffff
    START_GATE NHARTS

1:  OVERLAP_TICK
    li   t0, 1
#ifndef TORTURE_BREAK
    amoadd.d x0, t0, (s6)
#else
    ld   t1, 0(s6)
    add  t1, t1, t0
    sd   t1, 0(s6)
#endif
    amoadd.d x0, a5, (s7)
    amoadd.w x0, t0, (s8)
    addi t1, s8, 4
    li   t0, -1
    amoadd.w x0, t0, (t1)

    /* amoswap: (h+1) << 32 | (i+1) */
    addi t0, s1, 1
    or   t0, t0, a4
    amoswap.d t1, t0, (s9)
    add  s3, s3, t1

    /* amoor.d / amoand.d on this hart's bit of or_word */
    andi t0, s1, 15
    add  t0, t0, a2
    li   t1, 1
    sll  t0, t1, t0                 /* the bit */
    amoor.d t1, t0, (s10)
    and  t1, t1, t0
    beqz t1, 2f
    BUMP viol_or
2:  not  t2, t0
    amoand.d t1, t2, (s10)
    and  t1, t1, t0
    bnez t1, 3f
    BUMP viol_and
3:
    /* amoxor.w twice on this hart's bit of xor_word */
    andi t0, s1, 7
    add  t0, t0, a3
    li   t1, 1
    sll  t0, t1, t0
    amoxor.w t1, t0, (s11)
    and  t1, t1, t0
    beqz t1, 4f
    BUMP viol_xor
4:  amoxor.w t1, t0, (s11)
    and  t1, t1, t0
    bnez t1, 5f
    BUMP viol_xor
5:
    /* amomax.d: (i << 2 | h) - 2 * ITERS; olds never decrease */
    slli t0, s1, 2
    or   t0, t0, s0
    li   t1, 2 * ITERS
    sub  t1, t0, t1
    amomax.d t2, t1, (a6)
    bge  t2, s4, 6f
    BUMP viol_max
6:  mv   s4, t2
    /* amomin.w: -(i << 2 | h) - 1; olds never increase */
    not  t1, t0                     /* -(x) - 1 */
    amomin.w t2, t1, (a7)
    ble  t2, s5, 7f
    BUMP viol_min
7:  mv   s5, t2

    addi s1, s1, 1
    bne  s1, s2, 1b

    la   t0, swap_sum
    amoadd.d x0, s3, (t0)
    ARRIVE done
    bnez s0, park

    /* ---- hart 0: wait for all, then check ---- */
    WAIT_WORD_GE done, NHARTS
    CHECK_MEMD cnt_d, NHARTS * ITERS, 1
    CHECK_MEMD cnt_carry, NHARTS * ITERS * 0xffffffff, 2
    CHECK_MEMW cnt_w, NHARTS * ITERS, 3
    CHECK_MEMW cnt_w + 4, -NHARTS * ITERS, 4
    /* sum(olds) + final == sum over h, i of ((h+1) << 32 | (i+1)) */
    la   t0, swap_sum
    ld   t0, 0(t0)
    la   t1, swap_slot
    ld   t1, 0(t1)
    add  t0, t0, t1
    CHECK t0, ((1 + 2 + 3 + 4) * ITERS << 32) + NHARTS * ITERS * (ITERS + 1) / 2, 5
    CHECK_MEMD or_word, 0, 6
    CHECK_MEMW xor_word, 0, 7
    CHECK_MEMD max_d, (((ITERS - 1) << 2) | 3) - 2 * ITERS, 8
    CHECK_MEMW min_w, -(((ITERS - 1) << 2) | 3) - 1, 9
    CHECK_MEMD viol_or, 0, 10
    CHECK_MEMD viol_and, 0, 11
    CHECK_MEMD viol_xor, 0, 12
    CHECK_MEMD viol_max, 0, 13
    CHECK_MEMD viol_min, 0, 14
    OVERLAP_REPORT
    PASS
TEST_END

    .data
    .balign 64
max_d:      .dword INT64_MIN

    /* every shared word in its own 64-byte line */
    .bss
    .balign 64
cnt_d:      .dword 0
    .balign 64
cnt_carry:  .dword 0
    .balign 64
cnt_w:      .word 0, 0
    .balign 64
swap_slot:  .dword 0
    .balign 64
swap_sum:   .dword 0
    .balign 64
or_word:    .dword 0
    .balign 64
xor_word:   .word 0
    .balign 64
min_w:      .word 0
    .balign 64
done:       .word 0
    .balign 64
viol_or:    .dword 0
viol_and:   .dword 0
viol_xor:   .dword 0
viol_max:   .dword 0
viol_min:   .dword 0

    OVERLAP_DATA
