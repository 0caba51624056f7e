/*
 * smc-alias.S - code patched through a second virtual mapping of its
 * physical page, as Linux's text patching does through a fixmap: the
 * store's virtual address is not the one the code runs at, so only the
 * physical page can tie the store to the translation.  Sv39, S-mode.
 *
 * Mappings: VA 0-1 GiB -> PA 0 (devices, RW), VA 2-3 GiB -> PA 2-3 GiB
 * (identity for RAM, RWX), and one 4 KiB page, code_page, twice more:
 * VA 0x40001000 execute-only and VA 0x40002000 read-write.
 *
 *   1. Write the code page through the RW alias while it holds no code
 *      (the write TLB entry is a fast one), then run it through the X
 *      alias: a0 = 5.  The page becomes code with that fast entry in the
 *      TLB; it must turn slow, or check 2 fails.
 *   2. 200 rounds: patch through the RW alias, fence.i, run through the
 *      X alias and through the identity mapping: both give the new
 *      immediate.
 *   3. ecall back to M.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"
#include "priv.h"

#define VA_X  0x40001000
#define VA_RW 0x40002000
/* addi a0, zero, imm */
#define ADDI_A0(imm)    ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)

TEST_BEGIN 1
    PRIV_INIT
    li   a0, 0
    PTE_SET root, 0, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    li   a0, RAM_BASE
    PTE_SET root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    la   a0, l1
    PTE_SET root, 1, a0, PTE_V
    la   a0, l0
    PTE_SET l1, 0, a0, PTE_V
    la   a0, code_page
    PTE_SET l0, 1, a0, PTE_V | PTE_X | PTE_A
    PTE_SET l0, 2, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    la   t2, root
    srli t2, t2, 12
    li   t3, SATP_SV39
    or   t2, t2, t3
    csrw satp, t2
    sfence.vma
    M_CONT m_back
    MRET_TO 1, s_main

s_main:
    /* ---- 1. fast write entry first, then the page becomes code ---- */
    li   s5, VA_RW
    li   s6, VA_X
    li   t0, ADDI_A0(5)
    sw   t0, 0(s5)
    fence.i
    jalr s6
    CHECK a0, 5, 1

    /* ---- 2. patch through the alias ---- */
    la   s7, code_page              /* identity VA = PA */
    li   s1, 0
    li   s2, 200
    li   s3, ADDI_A0(0)
1:  li   t0, 5
    mul  s4, s1, t0
    addi s4, s4, -400               /* the immediate this round */
    slli t0, s4, 20
    or   t0, t0, s3
    sw   t0, 0(s5)
    fence.i
    jalr s6
    CHECK_REG a0, s4, 2
    jalr s7
    CHECK_REG a0, s4, 3
    addi s1, s1, 1
    bne  s1, s2, 1b
s_ecall:
    ecall

m_back:
    CHECK_PTRAP 10, CAUSE_ECALL_S, s_ecall, 0
    csrw satp, zero
    PASS
TEST_END
    PRIV_HANDLERS

    .balign 4096
code_page:
    addi a0, zero, 1
    ret
    .balign 4096

    .bss
    .balign 4096
root:   .space 4096
l1:     .space 4096
l0:     .space 4096
