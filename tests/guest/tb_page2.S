/*
 * tb_page2.S - a translation block whose last instruction straddles into
 * a second virtual page, and that page remapped under it (Sv39, S mode).
 *
 * VA 0x10000 maps the code page P1; VA 0x11000 maps P2a or P2b.  At
 * offset 4094 of P1 sits the low half of `addi a0, a0, imm`; its high
 * half (the immediate) is the first half-word of P2a (imm 1) or P2b
 * (imm 5), each followed by `ret`.  So what the block computes depends
 * on the mapping of its second page alone: its first page, pc and flags
 * stay the same.
 *
 * Covers, in S mode after each switch of the second page's PTE and an
 * sfence.vma:
 *   - a call straight to the block (a TB-table lookup) runs the bytes
 *     now mapped: +1, +5, then +1 again;
 *   - a block at 0x10100 in P1 that jumps to it (a chainable jump within
 *     P1), called three times each round, runs the bytes now mapped too.
 * loom's RISC-V front-end ends a block before an instruction that
 * crosses a page, so the straddler is a block of its own, reached from
 * the c.nop block by a chainable jump: check 4 fails both when the TB
 * key ignores the second page and when a jump is chained into a
 * two-page block.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"
#include "priv.h"

#define ADDI_A0_1 0x00150513        /* addi a0, a0, 1 */
#define ADDI_A0_5 0x00550513        /* addi a0, a0, 5 */
#define VA_P1     0x10000
#define VA_BLOCK  (VA_P1 + 4088)    /* three c.nop, then the straddler */
#define VA_CHAIN  (VA_P1 + 0x100)

/* In S: a0 = 0, call the block directly; result to \dst. */
.macro RUN_DIRECT dst
    li   a0, 0
    li   t0, VA_BLOCK
    jalr t0
    mv   \dst, a0
.endm

/* In S: a0 = 0, call through the chaining block three times (the jump is
   chained after the first); the results summed into \dst. */
.macro RUN_CHAIN dst
    li   \dst, 0
    li   s11, 3
1:  li   a0, 0
    li   t0, VA_CHAIN
    jalr t0
    add  \dst, \dst, a0
    addi s11, s11, -1
    bnez s11, 1b
.endm

TEST_BEGIN 1
    PRIV_INIT
    li   t0, RAM_BASE
    srli t2, t0, 12
    slli t2, t2, 10
    ori  t2, t2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    la   t3, root
    sd   t2, (2 * 8)(t3)            /* RAM: identity gigapage */
    PTE_SET_SYM root, 0, l1, PTE_V
    PTE_SET_SYM l1, 0, l0, PTE_V
    PTE_SET_SYM l0, 16, page1, PTE_V | PTE_R | PTE_X | PTE_A
    PTE_SET_SYM l0, 17, page2a, PTE_V | PTE_R | PTE_X | PTE_A
    la   t2, root
    srli t2, t2, 12
    li   t3, SATP_SV39
    or   t2, t2, t3
    csrw satp, t2
    sfence.vma

    M_CONT m_done
    MRET_TO 1, s_code
s_code:
    RUN_DIRECT s1                   /* P2a: +1 */
    RUN_CHAIN s2
    PTE_SET_SYM l0, 17, page2b, PTE_V | PTE_R | PTE_X | PTE_A
    sfence.vma
    RUN_DIRECT s3                   /* P2b: +5 */
    RUN_CHAIN s4
    PTE_SET_SYM l0, 17, page2a, PTE_V | PTE_R | PTE_X | PTE_A
    sfence.vma
    RUN_DIRECT s5                   /* P2a again: +1 */
    RUN_CHAIN s6
    ecall
m_done:
    PREC t0, PR_CAUSE
    CHECK t0, CAUSE_ECALL_S, 1
    CHECK s1, 1, 2
    CHECK s2, 3, 3
    CHECK s3, 5, 4
    CHECK s4, 15, 5
    CHECK s5, 1, 6
    CHECK s6, 3, 7
    PASS
TEST_END

    PRIV_HANDLERS

    /* P1: the chaining block at 0x100, the straddler's block at 4088 */
    .balign 4096
page1:
    .skip 0x100
    .option push
    .option norvc
    nop
    j    block
    .option pop
    .skip 4088 - 0x100 - 8
block:
    c.nop
    c.nop
    c.nop
    .2byte ADDI_A0_1 & 0xffff       /* the same low half in both */

    /* P2a and P2b: the high half, then ret */
    .balign 4096
page2a:
    .2byte ADDI_A0_1 >> 16
    ret
    .balign 4096
page2b:
    .2byte ADDI_A0_5 >> 16
    ret

    .pushsection .bss
    .balign 4096
root:
    .space 4096
l1:
    .space 4096
l0:
    .space 4096
    .popsection
