/*
 * lse.S - 4 vCPUs x ITERS rounds of the ARMv8.1 atomics (LSE) on shared
 * words.  Run with -smp 4; exact results whatever the interleaving.
 *
 * Round i of vCPU h (0..3):
 *   LDADDAL 1 on cnt_add, summing the old values it returns: the final
 *     value is n = 4 * ITERS and the olds of all vCPUs sum to n(n-1)/2
 *     (each of 0..n-1 returned exactly once)
 *   STADD 1 (LDADD, no result) on cnt_st: n
 *   LDADDA 1 on the low word of cnt_w, LDADDL -1 on its high word:
 *     n and -n mod 2^32 (a W atomic done wider would lose the other's)
 *   LDADDB 1 on byte 0 and LDADDH 1 on bytes 2-3 of small_w, whose
 *     byte 1 (0x5a) nobody writes: n mod 2^8, 0x5a, n mod 2^16
 *   SWPAL (even i) or SWP (odd i) of v = (h+1) << 32 | (i+1) on
 *     swap_slot, summing the olds: sum(olds) + final = sum(all v)
 *   bit b = 16h + (i & 15) of set_word (owned by this vCPU only):
 *     LDSETA sets it (the old value must have it clear), LDCLRL clears
 *     it (must have it set); the same with LDEORAL then LDEOR on
 *     xor_word, bit 8h + (i & 7); both words end at 0
 *   LDSMAX of (i << 2 | h) - 2 * ITERS on max_d (starts at INT64_MIN):
 *     final ((ITERS-1) << 2 | 3) - 2 * ITERS, olds never decrease
 *   LDUMIN (W) of ~(i << 2 | h) on min_w (starts at 0xffffffff): final
 *     ~((ITERS-1) << 2 | 3), olds never increase (unsigned)
 *   a CASAL loop +1 on cnt_cas and a CAS (W, no ordering) loop +1 on
 *     cnt_cas_w: n each
 *   a CASPAL loop adding (1, 2) to pair: (n, 2n), and every pair it
 *     compared against had hi == 2 * lo (a torn pair is a violation)
 * A wrong old value counts a violation (one counter per kind).  vCPU 0
 * waits for all, checks every total and that no violation was counted,
 * and prints how many CAS and CASP comparisons failed (contention).
 *
 * TORTURE_BREAK: the LDADDAL on cnt_add becomes LDR/ADD/STR (checks 1
 * and 2 fail when the vCPUs really run in parallel).
 */
#include "torture-a64.h"

#ifndef ITERS
#define ITERS   50000
#endif

#define N           (NCPUS * ITERS)
#define INT64_MIN   0x8000000000000000

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
    mov  x19, #0                    /* i */
    ldr  x20, =ITERS
    mov  x21, #0                    /* sum of LDADDAL's olds */
    mov  x22, #0                    /* sum of SWP's olds */
    mov  x23, #INT64_MIN            /* last old of LDSMAX */
    mov  w24, #0xffffffff           /* last old of LDUMIN */
    add  x25, x28, #1
    lsl  x25, x25, #32              /* (h+1) << 32 */
    mov  x26, #0                    /* failed CAS and CASP comparisons */
    START_GATE

round:
    OVERLAP_TICK
    mov  x10, #1
    /* ---- the adds ---- */
    adr  x9, cnt_add
#ifndef TORTURE_BREAK
    ldaddal x10, x0, [x9]
#else
    ldr  x0, [x9]
    add  x1, x0, #1
    str  x1, [x9]
#endif
    add  x21, x21, x0
    adr  x9, cnt_st
    stadd x10, [x9]
    adr  x9, cnt_w
    ldadda w10, w0, [x9]
    add  x9, x9, #4
    mov  w1, #-1
    ldaddl w1, w0, [x9]
    adr  x9, small_w
    ldaddb w10, w0, [x9]
    add  x9, x9, #2
    ldaddh w10, w0, [x9]

    /* ---- swap: (h+1) << 32 | (i+1) ---- */
    add  x1, x19, #1
    orr  x1, x1, x25
    adr  x9, swap_slot
    tbnz x19, #0, 1f
    swpal x1, x0, [x9]
    b    2f
1:  swp  x1, x0, [x9]
2:  add  x22, x22, x0

    /* ---- LDSETA / LDCLRL on this vCPU's bit of set_word ---- */
    and  x1, x19, #15
    add  x1, x1, x28, lsl #4
    lsl  x1, x10, x1                /* the bit */
    adr  x9, set_word
    ldseta x1, x0, [x9]
    tst  x0, x1
    b.eq 3f
    BUMP viol_set
3:  ldclrl x1, x0, [x9]
    tst  x0, x1
    b.ne 4f
    BUMP viol_clr
4:
    /* ---- LDEORAL then LDEOR on this vCPU's bit of xor_word ---- */
    and  x1, x19, #7
    add  x1, x1, x28, lsl #3
    lsl  w1, w10, w1
    adr  x9, xor_word
    ldeoral w1, w0, [x9]
    tst  w0, w1
    b.eq 5f
    BUMP viol_eor
5:  ldeor w1, w0, [x9]
    tst  w0, w1
    b.ne 6f
    BUMP viol_eor
6:
    /* ---- LDSMAX: (i << 2 | h) - 2 * ITERS; olds never decrease ---- */
    orr  x2, x28, x19, lsl #2       /* i << 2 | h */
    ldr  x1, =2 * ITERS
    sub  x1, x2, x1
    adr  x9, max_d
    ldsmax x1, x0, [x9]
    cmp  x0, x23
    b.ge 7f
    BUMP viol_max
7:  mov  x23, x0
    /* ---- LDUMIN (W): ~(i << 2 | h); olds never increase ---- */
    mvn  w1, w2
    adr  x9, min_w
    ldumin w1, w0, [x9]
    cmp  w0, w24
    b.ls 8f
    BUMP viol_min
8:  mov  w24, w0

    /* ---- CASAL +1 (X), CAS +1 (W, relaxed) ---- */
    adr  x9, cnt_cas
    ldr  x2, [x9]
9:  add  x3, x2, #1
    mov  x0, x2
    casal x0, x3, [x9]
    cmp  x0, x2
    b.eq 10f
    add  x26, x26, #1
    mov  x2, x0
    b    9b
10: adr  x9, cnt_cas_w
    ldr  w2, [x9]
11: add  w3, w2, #1
    mov  w0, w2
    cas  w0, w3, [x9]
    cmp  w0, w2
    b.eq 12f
    add  x26, x26, #1
    mov  w2, w0
    b    11b
12:
    /* ---- CASPAL: (lo, hi) += (1, 2); every compared pair whole ---- */
    adr  x9, pair
    ldp  x4, x5, [x9]               /* a guess: may be torn, CASP says */
13: mov  x0, x4
    mov  x1, x5
    add  x2, x4, #1
    add  x3, x5, #2
    caspal x0, x1, x2, x3, [x9]
    cmp  x0, x4
    ccmp x1, x5, #0, eq
    b.eq 15f
    add  x26, x26, #1               /* failed: x0, x1 = the pair in memory */
    cmp  x1, x0, lsl #1
    b.eq 14f
    BUMP viol_pair
14: mov  x4, x0
    mov  x5, x1
    b    13b
15:
    add  x19, x19, #1
    cmp  x19, x20
    b.ne round

    /* publish the sums and the failures */
    adr  x9, sum_add
    stadd x21, [x9]
    adr  x9, sum_swap
    stadd x22, [x9]
    adr  x9, cas_fails
    stadd x26, [x9]
    ARRIVE done
    cbz  x28, finish
16: wfi                             /* secondaries: done */
    b    16b

    /* ---- vCPU 0: wait for all, then check ---- */
finish:
    WAIT_GE done, NCPUS
    CHECK_MEM 1, cnt_add, N
    CHECK_MEM 2, sum_add, N * (N - 1) / 2
    CHECK_MEM 3, cnt_st, N
    adr  x9, cnt_w
    ldr  w1, [x9]
    CHECK 4, x1, N & 0xffffffff
    ldr  w1, [x9, #4]
    CHECK 5, x1, (-N) & 0xffffffff
    adr  x9, small_w
    ldr  w1, [x9]
    CHECK 6, x1, ((N & 0xffff) << 16) | 0x5a00 | (N & 0xff)
    /* sum(olds) + final == sum over h, i of ((h+1) << 32 | (i+1)) */
    adr  x9, sum_swap
    ldr  x1, [x9]
    adr  x9, swap_slot
    ldr  x2, [x9]
    add  x1, x1, x2
    CHECK 7, x1, ((1 + 2 + 3 + 4) * ITERS << 32) + NCPUS * ITERS * (ITERS + 1) / 2
    CHECK_MEM 8, set_word, 0
    adr  x9, xor_word
    ldr  w1, [x9]
    CHECK 9, x1, 0
    CHECK_MEM 10, max_d, (((ITERS - 1) << 2) | 3) - 2 * ITERS
    adr  x9, min_w
    ldr  w1, [x9]
    CHECK 11, x1, (~(((ITERS - 1) << 2) | 3)) & 0xffffffff
    CHECK_MEM 12, cnt_cas, N
    adr  x9, cnt_cas_w
    ldr  w1, [x9]
    CHECK 13, x1, N
    CHECK_MEM 14, pair, N
    CHECK_MEM 15, pair + 8, 2 * N
    CHECK_MEM 16, viol_set, 0
    CHECK_MEM 17, viol_clr, 0
    CHECK_MEM 18, viol_eor, 0
    CHECK_MEM 19, viol_max, 0
    CHECK_MEM 20, viol_min, 0
    CHECK_MEM 21, viol_pair, 0
    adr  x9, cas_fails
    ldr  x19, [x9]
    PRINT_NUM "lse: failed CAS and CASP comparisons ", x19
    OVERLAP_REPORT
    mov  x0, #0
    ldr  x30, [sp], #16
    ret
    .ltorg

    .data
    .balign 64
max_d:      .quad INT64_MIN
    .balign 64
min_w:      .word 0xffffffff
    .balign 64
small_w:    .byte 0, 0x5a, 0, 0

    /* every shared word in its own 64-byte line */
    .bss
    .balign 64
cnt_add:    .quad 0
    .balign 64
cnt_st:     .quad 0
    .balign 64
cnt_w:      .word 0, 0
    .balign 64
swap_slot:  .quad 0
    .balign 64
set_word:   .quad 0
    .balign 64
xor_word:   .word 0
    .balign 64
cnt_cas:    .quad 0
    .balign 64
cnt_cas_w:  .word 0
    .balign 64
pair:       .quad 0, 0
    .balign 64
done:       .quad 0
    .balign 64
sum_add:    .quad 0
sum_swap:   .quad 0
cas_fails:  .quad 0
viol_set:   .quad 0
viol_clr:   .quad 0
viol_eor:   .quad 0
viol_max:   .quad 0
viol_min:   .quad 0
viol_pair:  .quad 0

    TORTURE_DATA "lse"
