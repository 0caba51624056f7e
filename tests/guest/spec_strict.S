/*
 * spec_strict.S - behaviour the RISC-V specs require (or that follows
 * from loom's ISA: rv64ima_zicsr_zifencei, M-mode only, no C) but where
 * QEMU 7.2's default virt CPU differs.  Marked qemu-skip in tests.list;
 * README.md lists what QEMU does instead.
 *
 * Covers:
 *   - ebreak: mtval = address of the ebreak (QEMU writes 0);
 *   - csrrs/csrrc with rs1 != x0 are writes even when the register holds
 *     0: illegal on read-only CSRs (mhartid, cycle) (QEMU: no trap);
 *   - mepc[1:0] always read 0 when IALIGN = 32 (no C extension)
 *     (QEMU keeps the bits);
 *   - AMO to an unmapped address: store/AMO access fault, mcause 7
 *     (QEMU: mcause 5);
 *   - M-only hart: after mret, MPP holds M (3), the least-privileged
 *     supported mode (QEMU: 0, it has U-mode); sret is illegal
 *     (QEMU has S-mode);
 *   - misa: no C, F, D, S or U bit (QEMU's CPU has all of them).
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

#define MISA_BIT(c)  (1 << ((c) - 'A'))

TEST_BEGIN 1
    TRAP_RECORD_ON

    /* ---- ebreak: mtval = pc ---- */
    TRAP_RESET
ebreak_site:
    ebreak
    CHECK_TRAP_TVAL_ADDR 1, CAUSE_BREAKPOINT, ebreak_site, ebreak_site

    /* ---- csrrs / csrrc with a zero-valued rs1 != x0 still write ---- */
    TRAP_RESET
    li   a1, 0
    li   a3, 0x1234
csrrs_ro:
    csrrs a3, mhartid, a1
    CHECK_TRAP_INSN 5, CAUSE_ILLEGAL_INSN, csrrs_ro
    CHECK a3, 0x1234, 9

    TRAP_RESET
csrrc_ro:
    csrrc a3, cycle, a1
    CHECK_TRAP_INSN 10, CAUSE_ILLEGAL_INSN, csrrc_ro

    /* ---- mepc[1:0] read as zero (IALIGN = 32) ---- */
    li   a1, 0x8000567b
    csrw mepc, a1
    csrr a3, mepc
    CHECK a3, 0x80005678, 14
    li   a1, 0x80005679
    csrw mepc, a1
    csrr a3, mepc
    CHECK a3, 0x80005678, 15

    /* ---- AMOs at an unmapped address: store/AMO access fault ---- */
    TRAP_RESET
    li   a3, 0x1234
    li   a1, UNMAPPED_ADDR
    li   a2, 1
amo_fault_w:
    amoadd.w a3, a2, (a1)
    CHECK_TRAP 16, CAUSE_STORE_ACCESS, amo_fault_w, UNMAPPED_ADDR
    CHECK a3, 0x1234, 20

    TRAP_RESET
    addi a1, a1, 8
amo_fault_d:
    amoswap.d a3, a2, (a1)
    CHECK_TRAP 21, CAUSE_STORE_ACCESS, amo_fault_d, UNMAPPED_ADDR + 8

    /* ---- M-only hart: MPP stays M after mret; sret is illegal ---- */
    TRAP_RESET
    ecall
    csrr a1, mstatus
    li   t0, MSTATUS_MPP
    and  a3, a1, t0
    CHECK a3, MSTATUS_MPP, 25

    TRAP_RESET
sret_site:
    sret
    CHECK_TRAP_INSN 26, CAUSE_ILLEGAL_INSN, sret_site

    /* ---- misa: exactly the extensions loom has among A..Z we test ---- */
    csrr a1, misa
    li   t0, MISA_BIT('C') | MISA_BIT('F') | MISA_BIT('D') | MISA_BIT('S') | MISA_BIT('U')
    and  a3, a1, t0
    CHECK a3, 0, 30

    TRAP_RECORD_OFF
    PASS
TEST_END
