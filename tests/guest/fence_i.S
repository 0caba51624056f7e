/*
 * fence_i.S - fence, fence.i and self-modifying code.
 *
 * A binary translator caches translations of guest code; after a store
 * to code followed by fence.i the hart must execute the NEW instruction
 * (Zifencei: fence.i makes the hart's own earlier stores visible to its
 * later instruction fetches).
 *
 * Covers:
 *   - patching a called function 200 times with different immediates
 *     (store, fence.i, call, check): stale translations are never used;
 *   - patching an instruction later in the SAME straight-line code that
 *     is currently executing (store; fence.i; the patched instruction);
 *   - patching a branch into a different branch (control flow changes);
 *   - patching code, executing it, patching it back: both versions seen;
 *   - fence variants (fence, fence rw,rw, fence r,r, fence w,w,
 *     fence iorw,iorw, fence.tso, the pause hint) execute as no-ops
 *     without trapping on a single hart.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* addi a0, zero, imm  (imm: -2048..2047) */
#define ADDI_A0(imm)    ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)
/* addi a3, zero, imm */
#define ADDI_A3(imm)    ((((imm) & 0xfff) << 20) | (13 << 7) | 0x13)

TEST_BEGIN 1

    /* ---- fences are harmless ---- */
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence iorw, iorw
    fence.tso
    .word 0x0100000f                /* pause (fence w,0): a hint */
    fence.i

    /* ---- 1. patch a function 200 times ---- */
    la   s0, smc_func
    call smc_func
    CHECK a0, 1, 1                  /* original code */
    li   s1, 0                      /* s1 = imm to patch in */
    li   s2, 200
1:  /* build "addi a0, zero, s1" = (s1 << 20) | ADDI_A0(0) */
    slli t0, s1, 20
    li   t1, ADDI_A0(0)
    or   t0, t0, t1
    sw   t0, 0(s0)
    fence.i
    call smc_func
    CHECK_REG a0, s1, 2
    addi s1, s1, 7
    addi s2, s2, -1
    bnez s2, 1b

    /* ---- 2. patch the instruction just ahead in the running code ---- */
    la   t0, patch_here
    li   t1, ADDI_A3(42)
    li   a3, 0
    sw   t1, 0(t0)
    fence.i
patch_here:
    addi a3, zero, 7                /* replaced by addi a3, zero, 42 */
    CHECK a3, 42, 3

    /* run the same code again: the patched version persists */
    la   t0, patch_loop_insn
    li   t1, ADDI_A3(5)
    sw   t1, 0(t0)
    fence.i
    li   s2, 3
    li   a4, 0
2:
patch_loop_insn:
    addi a3, zero, 1                /* replaced by addi a3, zero, 5 */
    add  a4, a4, a3
    addi s2, s2, -1
    bnez s2, 2b
    CHECK a4, 15, 4                 /* 3 iterations x 5 */

    /* ---- 3. change a branch: beq zero,zero (always taken) -> bne ---- */
    call branch_func
    CHECK a0, 100, 5                /* original: branch taken */
    la   t0, branch_insn
    lwu  t1, 0(t0)
    li   t2, 1 << 12                /* funct3 000 (beq) -> 001 (bne) */
    or   t1, t1, t2
    sw   t1, 0(t0)
    fence.i
    call branch_func
    CHECK a0, 200, 6                /* now never taken */

    /* ---- 4. patch and un-patch ---- */
    la   s0, smc_func
    li   t0, ADDI_A0(-5)
    sw   t0, 0(s0)
    fence.i
    call smc_func
    CHECK a0, -5, 7
    li   t0, ADDI_A0(1)             /* the original instruction */
    sw   t0, 0(s0)
    fence.i
    call smc_func
    CHECK a0, 1, 8

    PASS
TEST_END

/* Patched code lives in .text like everything else (RAM is RWX). */
    .balign 4
smc_func:
    addi a0, zero, 1
    ret

branch_func:
branch_insn:
    beq  zero, zero, 1f
    li   a0, 200
    ret
1:  li   a0, 100
    ret
