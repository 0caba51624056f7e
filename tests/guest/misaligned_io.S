/*
 * misaligned_io.S - where misaligned accesses still trap by default, and
 * loom's choices beyond QEMU 7.2's (qemu-skip, see README.md).
 *
 * Device memory is never accessed misaligned: a misaligned load or store
 * that touches a device raises address-misaligned (4/6, mtval = the
 * access's address) once both pages are translated, and the device
 * sees nothing; a store that faults on its second page writes nothing;
 * LR, SC and AMOs need natural alignment (LR: 4, SC and AMOs: 6), page
 * crossing or not.
 *
 * Covers:
 *   - lw at UART + 1, sh at the UART's scratch register + 0 (offset 7):
 *     mcause 4 / 6, the scratch register unchanged;
 *   - a store crossing into the hole after RAM: access fault, the RAM
 *     half unchanged;
 *   - Sv39, S-mode: lw/sw crossing from a RAM page into the UART's page:
 *     mcause 4 / 6 with mtval = the access's address, RAM unchanged;
 *   - lr.w/lr.d (4), sc.w after a valid LR, amoadd.w, amoswap.d, and an
 *     amoor.d crossing a page (6), memory unchanged.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"
#include "priv.h"

#define RAM_END         0x88000000      /* default -m 128M */
#define UART_SCR        7               /* ns16550a scratch register */


/* Expect one trap at 'site' with mcause 'cause' and mtval = reg + off. */
.macro CHECK_MIS code, cause, site, reg, off
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, \code
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, \cause, \code+1
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, \site, \code+2
    TRAP_FIELD t4, TR_TVAL
    addi t5, \reg, \off
    CHECK_REG t4, t5, \code+3
.endm

TEST_BEGIN 1
    TRAP_RECORD_ON

    /* ================= device memory (M-mode, physical) ================= */
    li   s0, UART_BASE
    li   t0, 0x5a
    sb   t0, UART_SCR(s0)
    TRAP_RESET
    li   a0, 0x1234
io_lw:
    lw   a0, 1(s0)
    CHECK_MIS 1, CAUSE_LOAD_MISALIGNED, io_lw, s0, 1
    CHECK a0, 0x1234, 5
    TRAP_RESET
    li   a1, 0xa5a5
io_sh:
    sh   a1, UART_SCR(s0)
    CHECK_MIS 6, CAUSE_STORE_MISALIGNED, io_sh, s0, UART_SCR
    lbu  t0, UART_SCR(s0)
    CHECK t0, 0x5a, 10

    /* ================= a store half into the hole after RAM ================= */
    li   s1, RAM_END
    li   t0, 0x5a5a5a5a
    sw   t0, -4(s1)
    TRAP_RESET
    li   a1, -1
end_sd:
    sd   a1, -2(s1)
    CHECK_TRAP 11, CAUSE_STORE_ACCESS, end_sd, RAM_END
    lwu  t0, -4(s1)
    CHECK t0, 0x5a5a5a5a, 15

    /* ================= LR, SC, AMOs ================= */
    la   s0, buf
    TRAP_RESET
    addi a1, s0, 2
amo_lrw:
    lr.w a3, (a1)
    CHECK_MIS 16, CAUSE_LOAD_MISALIGNED, amo_lrw, s0, 2
    TRAP_RESET
    addi a1, s0, 4
amo_lrd:
    lr.d a3, (a1)
    CHECK_MIS 20, CAUSE_LOAD_MISALIGNED, amo_lrd, s0, 4
    TRAP_RESET
    lr.w a3, (s0)
    addi a1, s0, 1
amo_scw:
    sc.w a4, a1, (a1)
    CHECK_MIS 24, CAUSE_STORE_MISALIGNED, amo_scw, s0, 1
    TRAP_RESET
    li   a3, 0x1234
    addi a1, s0, 2
amo_addw:
    amoadd.w a3, a1, (a1)
    CHECK_MIS 28, CAUSE_STORE_MISALIGNED, amo_addw, s0, 2
    CHECK a3, 0x1234, 32
    TRAP_RESET
    addi a1, s0, 4
amo_swapd:
    amoswap.d a3, a1, (a1)
    CHECK_MIS 33, CAUSE_STORE_MISALIGNED, amo_swapd, s0, 4
    CHECK_MEMD buf, 0x0706050403020100, 37
    CHECK_MEMD buf + 8, 0x0f0e0d0c0b0a0908, 38
    la   s0, xbuf + 4096
    TRAP_RESET
    li   a1, -1
    addi a2, s0, -4
amo_cross:
    amoor.d a3, a1, (a2)
    CHECK_MIS 39, CAUSE_STORE_MISALIGNED, amo_cross, s0, -4
    CHECK_MEMD xbuf + 4088, 0, 43
    CHECK_MEMD xbuf + 4096, 0, 44
    TRAP_RECORD_OFF

    /* ================= Sv39, S-mode: RAM page -> device page ================= */
    PRIV_INIT
    li   a0, RAM_BASE
    PTE_SET root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    la   a0, l1
    PTE_SET root, 0, a0, PTE_V
    la   a0, l0
    PTE_SET l1, 0, a0, PTE_V
    la   a0, pg_a
    PTE_SET l0, 6, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D   /* 0x6000 */
    li   a0, UART_BASE
    PTE_SET l0, 7, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D   /* 0x7000 */
    la   t0, pg_a + 4088
    li   t1, 0x7766554433221100
    sd   t1, 0(t0)
    la   t2, root
    srli t2, t2, 12
    li   t3, SATP_SV39
    or   t2, t2, t3
    csrw satp, t2
    sfence.vma

    M_CONT m_io_lw
    li   a2, 0x55
    MRET_TO 1, s_io_lw
s_io_lw:
    li   a1, 0x6ffe
s_io_lw_insn:
    lw   a2, 0(a1)
    ecall
m_io_lw:
    CHECK_PTRAP 45, CAUSE_LOAD_MISALIGNED, s_io_lw_insn, 0x6ffe
    CHECK a2, 0x55, 49
    M_CONT m_io_sw
    MRET_TO 1, s_io_sw
s_io_sw:
    li   a1, 0x6ffe
    li   a3, -1
s_io_sw_insn:
    sw   a3, 0(a1)
    ecall
m_io_sw:
    CHECK_PTRAP 50, CAUSE_STORE_MISALIGNED, s_io_sw_insn, 0x6ffe
    CHECK_MEMD pg_a + 4088, 0x7766554433221100, 54
    csrw satp, zero
    sfence.vma

    PASS
TEST_END

    PRIV_HANDLERS

    .data
    .balign 16
buf:
    .byte 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15

    .bss
    .balign 4096
xbuf:
    .space 8192
root:
    .space 4096
l1:
    .space 4096
l0:
    .space 4096
pg_a:
    .space 4096
