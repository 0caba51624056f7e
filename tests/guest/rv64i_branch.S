/*
 * rv64i_branch.S - RV64I conditional branches, jal and jalr.
 *
 * Covers:
 *   - beq/bne/blt/bge/bltu/bgeu, each taken and not taken, with the
 *     signed/unsigned distinction at -1/0/INT64_MIN/INT64_MAX, equality
 *     (bge/bgeu taken on equal), 64-bit compare (values that differ only
 *     in the upper 32 bits);
 *   - backward branches (a counted loop) and branches/jumps with large
 *     offsets (> 2 KiB for branches, > 64 KiB for jal) in both directions;
 *   - jal: link register = address of the next instruction, jal x0;
 *   - jalr: link value, positive/negative offsets, bit 0 of the target
 *     cleared, rd == rs1 (target computed from the old value), jalr x0.
 * Every conditional branch check runs twice: with li operands and with
 * operands loaded from memory (testmacros.h, LOAD_MEM).
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* Branch must be taken: a3 = 1 if it was, 0 if it fell through.  Then
 * the memory form: the same with both operands loaded (LOAD_MEM), so the
 * optimiser cannot decide the branch at translation time. */
.macro BR_TAKEN code, op, v1, v2
    li   a1, \v1
    li   a2, \v2
    li   a3, 1
    \op  a1, a2, .Ltaken\@
    li   a3, 0
.Ltaken\@:
    CHECK a3, 1, \code
    LOAD_MEM a1, \v1
    LOAD_MEM a2, \v2
    li   a3, 1
    \op  a1, a2, .Lmtaken\@
    li   a3, 0
.Lmtaken\@:
    CHECK_MEM a3, 1, \code
.endm

/* Branch must not be taken: a3 = 1 if it was.  Then the memory form. */
.macro BR_NOT code, op, v1, v2
    li   a1, \v1
    li   a2, \v2
    li   a3, 0
    \op  a1, a2, .Ltaken\@
    j    .Lnot\@
.Ltaken\@:
    li   a3, 1
.Lnot\@:
    CHECK a3, 0, \code
    LOAD_MEM a1, \v1
    LOAD_MEM a2, \v2
    li   a3, 0
    \op  a1, a2, .Lmtaken\@
    j    .Lmnot\@
.Lmtaken\@:
    li   a3, 1
.Lmnot\@:
    CHECK_MEM a3, 0, \code
.endm

TEST_BEGIN 1

    /* ---- beq / bne ---- */
    BR_TAKEN  1, beq, 0, 0
    BR_TAKEN  2, beq, -1, -1
    BR_NOT    3, beq, 1, 2
    BR_NOT    4, beq, 0x100000000, 0        /* differ only in bit 32 */
    BR_NOT    5, beq, 0x8000000000000000, 0
    BR_TAKEN  6, bne, 0x100000000, 0
    BR_TAKEN  7, bne, 1, 2
    BR_NOT    8, bne, 5, 5
    BR_NOT    9, bne, 0xffffffffffffffff, -1

    /* ---- blt / bge (signed) ---- */
    BR_TAKEN 10, blt, -1, 0
    BR_TAKEN 11, blt, 0x8000000000000000, 0x7fffffffffffffff
    BR_TAKEN 12, blt, -2, -1
    BR_NOT   13, blt, 0, -1
    BR_NOT   14, blt, 5, 5                  /* equal: not less */
    BR_NOT   15, blt, 0x7fffffffffffffff, 0x8000000000000000
    BR_NOT   16, blt, 0x80000000, 0x7fffffff /* 64-bit compare, not 32-bit */
    BR_TAKEN 17, bge, 0, -1
    BR_TAKEN 18, bge, 5, 5                  /* equal: taken */
    BR_TAKEN 19, bge, 0x7fffffffffffffff, 0x8000000000000000
    BR_NOT   20, bge, -1, 0
    BR_NOT   21, bge, 0x8000000000000000, 0x7fffffffffffffff

    /* ---- bltu / bgeu (unsigned) ---- */
    BR_TAKEN 22, bltu, 0, -1
    BR_TAKEN 23, bltu, 0x7fffffffffffffff, 0x8000000000000000
    BR_TAKEN 24, bltu, 0xffffffff, 0x100000000
    BR_NOT   25, bltu, -1, 0
    BR_NOT   26, bltu, 7, 7
    BR_TAKEN 27, bgeu, -1, 0
    BR_TAKEN 28, bgeu, 7, 7
    BR_TAKEN 29, bgeu, 0x8000000000000000, 0x7fffffffffffffff
    BR_NOT   30, bgeu, 0, -1
    BR_NOT   31, bgeu, 0xffffffff, 0x100000000

    /* ---- backward branch: loop runs exactly 10 times ---- */
    li   a1, 10
    li   a3, 0
1:  addi a3, a3, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK a3, 30, 32
    CHECK a1, 0, 33

    /* ---- branch with a large forward and backward offset (> 2 KiB) ---- */
    li   a3, 0
    li   a4, 0
    beqz a3, far_fwd                /* forward, offset ~ +3 KiB */
    li   a4, 34                     /* fell through */
    j    far_done
far_back:
    addi a3, a3, 2                  /* a3 = 3 via far_fwd, then here */
    j    far_done
    .rept 750                       /* 3000 bytes never executed */
    .word 0
    .endr
far_fwd:
    li   a3, 1
    beqz zero, far_back             /* backward, offset ~ -3 KiB */
    li   a4, 35                     /* fell through */
far_done:
    CHECK a4, 0, 34                 /* neither branch fell through */
    CHECK a3, 3, 35                 /* both far targets were reached */

    /* ---- jal: link = address of the next instruction ---- */
    jal  ra, jal_target1
jal_ret1:
    CHECK_ADDR ra, jal_ret1, 37
    CHECK a4, 0x11, 38              /* target really ran */
    jal  s1, jal_target2            /* any register can be the link */
jal_ret2:
    CHECK_ADDR s1, jal_ret2, 39
    CHECK a4, 0x22, 40
    li   a3, 0
    jal  x0, 1f                     /* jal x0: plain jump, x0 stays 0 */
    li   a3, 1                      /* skipped */
1:  CHECK a3, 0, 41
    CHECK x0, 0, 42

    /* ---- jal over more than 64 KiB, forward then back ---- */
    li   a4, 0
    jal  ra, jal_far_target
jal_far_ret:
    CHECK_ADDR ra, jal_far_ret, 43
    CHECK a4, 0x33, 44

    /* ---- jalr: link, offsets, bit 0 of target cleared ---- */
    la   t0, jalr_target
    li   a4, 0
    jalr ra, 0(t0)
jalr_ret1:
    CHECK_ADDR ra, jalr_ret1, 45
    CHECK a4, 0x44, 46

    la   t0, jalr_target
    addi t0, t0, -16
    li   a4, 0
    jalr ra, 16(t0)                 /* positive offset */
jalr_ret2:
    CHECK_ADDR ra, jalr_ret2, 47
    CHECK a4, 0x44, 48

    la   t0, jalr_target
    addi t0, t0, 2000
    li   a4, 0
    jalr ra, -2000(t0)              /* negative offset */
jalr_ret3:
    CHECK_ADDR ra, jalr_ret3, 49
    CHECK a4, 0x44, 50

    la   t0, jalr_target
    addi t0, t0, 1                  /* odd address: bit 0 is cleared */
    li   a4, 0
    jalr ra, 0(t0)
jalr_ret4:
    CHECK_ADDR ra, jalr_ret4, 51
    CHECK a4, 0x44, 52

    la   t0, jalr_target
    li   a4, 0
    jalr ra, 1(t0)                  /* odd sum (rs1 + imm): bit 0 cleared */
jalr_ret5:
    CHECK_ADDR ra, jalr_ret5, 53
    CHECK a4, 0x44, 54

    /* rd == rs1: the target uses the old value, then rd gets the link */
    la   t1, jalr_target_t1
    li   a4, 0
    jalr t1, 0(t1)
jalr_ret6:
    CHECK_ADDR t1, jalr_ret6, 55
    CHECK a4, 0x55, 56

    /* jalr x0, 0(ra) is "ret": no link written */
    li   a4, 0
    call jalr_leaf
    CHECK a4, 0x66, 57

    /* jalr through a register other than ra, with link in a5 */
    la   s2, jalr_leaf_a5
    li   a4, 0
    jalr a5, 0(s2)
jalr_ret7:
    CHECK a4, 0x77, 58

    PASS
TEST_END

/* ---- jump targets ---- */
jal_target1:
    li   a4, 0x11
    jr   ra

jal_target2:
    li   a4, 0x22
    jr   s1

jalr_target:
    li   a4, 0x44
    ret

jalr_target_t1:
    li   a4, 0x55
    jr   t1

jalr_leaf:
    li   a4, 0x66
    jalr x0, 0(ra)

jalr_leaf_a5:
    CHECK_ADDR a5, jalr_ret7, 59
    li   a4, 0x77
    jr   a5

    /* 80 KiB of never-executed padding: jal_far_target is > 64 KiB away
     * from the jal above (jal reaches +-1 MiB). */
    .balign 4
    .skip 80 * 1024
jal_far_target:
    li   a4, 0x33
    jalr x0, 0(ra)                  /* back across the padding */
