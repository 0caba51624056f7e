/*
 * rvc_page.S - 32-bit instructions that straddle a page boundary (C makes
 * 2-byte alignment possible), in M-mode with both pages RAM.
 *
 * Each straddling instruction sits at page offset 4094 and is reached two
 * ways: after three c.nop (so it is not the first instruction of its
 * translation block) and directly (so it is).
 *
 * Covers:
 *   - addi: executes once with the right result;
 *   - jal: link = its pc + 4 (on the next page);
 *   - beq taken and not taken: the fall-through is its pc + 4;
 *   - an illegal 32-bit encoding: mcause 2, mepc = its address, mtval = the
 *     whole 32-bit instruction;
 *   - rewriting the half on the second page (then fence.i) changes what
 *     runs.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

#define INSN_CUSTOM0_A0 ((10 << 7) | 0x0b)  /* custom-0, rd = a0: illegal */

/* Start a block whose 32-bit instruction at label `insn` straddles the
   next page boundary; `fn` is three c.nop before it. */
.macro STRADDLE fn, insn
    .balign 4096
    .skip 4096 - 8
\fn:
    c.nop
    c.nop
    c.nop
\insn:
.endm

TEST_BEGIN 1
    TRAP_RECORD_ON

    /* ---- addi ---- */
    li   a0, 10
    call pg_addi_fn
    CHECK a0, 11, 1
    la   t0, pg_addi
    jalr t0                         /* straddler first in its TB */
    CHECK a0, 12, 2
    la   t0, pg_addi
    slli t1, t0, 52
    srli t1, t1, 52
    CHECK t1, 0xffe, 3              /* really at page offset 4094 */

    /* ---- jal: link = pc + 4 ---- */
    li   a0, 0
    call pg_jal_fn                  /* returns the link of the jal in a0 */
    la   t0, pg_jal
    addi t0, t0, 4
    CHECK_REG a0, t0, 4
    li   a0, 0
    la   t0, pg_jal
    jalr t0
    la   t0, pg_jal
    addi t0, t0, 4
    CHECK_REG a0, t0, 5

    /* ---- beq not taken / taken ---- */
    li   a1, 1
    li   a2, 2
    li   a0, 0
    call pg_beq_fn
    CHECK a0, 1, 6                  /* fell through */
    li   a2, 1
    li   a0, 0
    call pg_beq_fn
    CHECK a0, 2, 7                  /* taken */
    li   a2, 2
    li   a0, 0
    la   t0, pg_beq
    jalr t0
    CHECK a0, 1, 8

    /* ---- illegal, straddling ---- */
    TRAP_RESET
    li   a0, 0x1234
    call pg_ill_fn
    CHECK_TRAP 9, CAUSE_ILLEGAL_INSN, pg_ill, INSN_CUSTOM0_A0
    CHECK a0, 0x1234, 13
    TRAP_RESET
    la   t0, pg_ill
    jalr t0
    CHECK_TRAP 14, CAUSE_ILLEGAL_INSN, pg_ill, INSN_CUSTOM0_A0

    /* ---- rewrite the second half: addi a0, a0, 1 -> addi a0, a0, 5 ---- */
    la   t0, pg_addi
    lhu  t1, 2(t0)
    addi t1, t1, 4 << 4             /* imm[3:0] is at bits 7:4 of the half */
    sh   t1, 2(t0)
    fence.i
    li   a0, 0
    call pg_addi_fn
    CHECK a0, 5, 18
    li   a0, 0
    la   t0, pg_addi
    jalr t0
    CHECK a0, 5, 19

    TRAP_RECORD_OFF
    PASS
TEST_END

    STRADDLE pg_addi_fn, pg_addi
    .option push
    .option norvc
    addi a0, a0, 1
    .option pop
    ret

    STRADDLE pg_jal_fn, pg_jal
    .option push
    .option norvc
    jal  t1, 1f
    .option pop
1:  mv   a0, t1
    ret

    STRADDLE pg_beq_fn, pg_beq
    .option push
    .option norvc
    beq  a1, a2, 1f
    .option pop
    li   a0, 1
    ret
1:  li   a0, 2
    ret

    STRADDLE pg_ill_fn, pg_ill
    .word INSN_CUSTOM0_A0           /* the handler resumes 4 bytes on */
    ret
