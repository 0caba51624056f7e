/*
 * misaligned.S - misaligned data accesses and jump targets TRAP under
 * `-cpu rv64,c=off,misaligned=off` (tests.list).
 *
 * With misaligned=off every misaligned load/store/AMO raises an
 * exception, with mtval = the effective address and nothing read or
 * written (by default loads and stores complete: misaligned_ldst.S;
 * AMOs and LR/SC trap either way).  Without the C extension
 * (IALIGN = 32) a taken branch or a jump to an address that is not a
 * multiple of 4 raises instruction-address-misaligned (mcause 0),
 * reported on the branch/jump itself (mepc = its address, mtval = the
 * target) without writing the link register.
 * QEMU 7.2 has no misaligned=off and has the C extension, so this test
 * is qemu-skip in tests.list (see README.md).
 *
 * Covers:
 *   - lh/lhu/lw/lwu/ld at odd and 2-/4-byte offsets: mcause 4;
 *   - sh/sw/sd: mcause 6, memory unchanged;
 *   - lr.w/lr.d: mcause 4; sc.w, amoadd.w, amoswap.d: mcause 6;
 *   - jalr/jal/taken beq to pc+2-style targets: mcause 0;
 *     a not-taken branch with a misaligned target does not trap.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* jal ra, .+6  (J-type, offset 6 -> imm[10:1] = 3) */
#define INSN_JAL_RA_PLUS6   ((3 << 21) | (1 << 7) | 0x6f)
/* beq zero, zero, .+6  (B-type, offset 6 -> imm[4:1] = 3 in bits 11:8) */
#define INSN_BEQ_PLUS6      ((3 << 8) | (0 << 12) | 0x63)
/* bne zero, zero, .+6  (never taken) */
#define INSN_BNE_PLUS6      ((3 << 8) | (1 << 12) | 0x63)

/* Expect one misaligned trap at 'site' with mtval = s0 + off. */
.macro CHECK_MIS code, cause, site, off
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, \code
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, \cause, \code+1
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, \site, \code+2
    TRAP_FIELD t4, TR_TVAL
    addi t5, s0, \off
    CHECK_REG t4, t5, \code+3
.endm

TEST_BEGIN 1
    TRAP_RECORD_ON
    la   s0, mis_buf                /* 16-byte aligned */

    /* ================= loads: mcause 4, rd unchanged ================= */
    TRAP_RESET
    li   a3, 0x1234
mis_lh:
    lh   a3, 1(s0)
    CHECK_MIS 1, CAUSE_LOAD_MISALIGNED, mis_lh, 1
    CHECK a3, 0x1234, 5

    TRAP_RESET
mis_lhu:
    lhu  a3, 7(s0)
    CHECK_MIS 6, CAUSE_LOAD_MISALIGNED, mis_lhu, 7

    TRAP_RESET
mis_lw:
    lw   a3, 2(s0)
    CHECK_MIS 10, CAUSE_LOAD_MISALIGNED, mis_lw, 2

    TRAP_RESET
mis_lwu:
    lwu  a3, 3(s0)
    CHECK_MIS 14, CAUSE_LOAD_MISALIGNED, mis_lwu, 3

    TRAP_RESET
mis_ld:
    ld   a3, 4(s0)
    CHECK_MIS 18, CAUSE_LOAD_MISALIGNED, mis_ld, 4

    TRAP_RESET
mis_ld7:
    ld   a3, 7(s0)
    CHECK_MIS 22, CAUSE_LOAD_MISALIGNED, mis_ld7, 7
    CHECK a3, 0x1234, 26

    /* ================= stores: mcause 6, memory unchanged ================= */
    li   a2, -1
    TRAP_RESET
mis_sh:
    sh   a2, 1(s0)
    CHECK_MIS 27, CAUSE_STORE_MISALIGNED, mis_sh, 1

    TRAP_RESET
mis_sw:
    sw   a2, 6(s0)
    CHECK_MIS 31, CAUSE_STORE_MISALIGNED, mis_sw, 6

    TRAP_RESET
mis_sd:
    sd   a2, 12(s0)
    CHECK_MIS 35, CAUSE_STORE_MISALIGNED, mis_sd, 12

    CHECK_MEMD mis_buf, 0x0706050403020100, 39
    CHECK_MEMD mis_buf + 8, 0x0f0e0d0c0b0a0908, 40
    CHECK_MEMD mis_buf + 16, 0x1716151413121110, 41

    /* ================= LR / SC / AMO ================= */
    TRAP_RESET
    addi a1, s0, 2
mis_lrw:
    lr.w a3, (a1)
    CHECK_MIS 42, CAUSE_LOAD_MISALIGNED, mis_lrw, 2

    TRAP_RESET
    addi a1, s0, 4
mis_lrd:
    lr.d a3, (a1)
    CHECK_MIS 46, CAUSE_LOAD_MISALIGNED, mis_lrd, 4

    TRAP_RESET
    lr.w a3, (s0)                   /* a valid reservation at s0 ... */
    addi a1, s0, 1
mis_scw:
    sc.w a4, a2, (a1)               /* ... does not make this one legal */
    CHECK_MIS 50, CAUSE_STORE_MISALIGNED, mis_scw, 1

    TRAP_RESET
    li   a3, 0x1234
    addi a1, s0, 2
mis_amow:
    amoadd.w a3, a2, (a1)
    CHECK_MIS 54, CAUSE_STORE_MISALIGNED, mis_amow, 2
    CHECK a3, 0x1234, 58

    TRAP_RESET
    addi a1, s0, 4
mis_amod:
    amoswap.d a3, a2, (a1)
    CHECK_MIS 59, CAUSE_STORE_MISALIGNED, mis_amod, 4

    CHECK_MEMD mis_buf, 0x0706050403020100, 63
    CHECK_MEMD mis_buf + 8, 0x0f0e0d0c0b0a0908, 64

    /* ================= misaligned jump / branch targets ================= */
    /* The handler resumes at the given label after each of these. */
    TRAP_RESET
    TRAP_RESUME_AT jalr_back
    la   s0, jalr_dest
    addi a1, s0, 2
    li   ra, 0x1234
mis_jalr:
    jalr ra, 0(a1)                  /* target jalr_dest + 2 */
    FAIL 65
jalr_back:
    CHECK_MIS 66, CAUSE_INSN_MISALIGNED, mis_jalr, 2
    CHECK ra, 0x1234, 70            /* link not written */

    TRAP_RESET
    TRAP_RESUME_AT jal_back
    la   s0, mis_jal
    li   ra, 0x1234
mis_jal:
    .word INSN_JAL_RA_PLUS6         /* target mis_jal + 6 */
    FAIL 71
jal_back:
    CHECK_MIS 72, CAUSE_INSN_MISALIGNED, mis_jal, 6
    CHECK ra, 0x1234, 76

    TRAP_RESET
    TRAP_RESUME_AT beq_back
    la   s0, mis_beq
mis_beq:
    .word INSN_BEQ_PLUS6            /* taken, target mis_beq + 6 */
    FAIL 77
beq_back:
    CHECK_MIS 78, CAUSE_INSN_MISALIGNED, mis_beq, 6

    TRAP_RESET
    .word INSN_BNE_PLUS6            /* not taken: no exception */
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 82

    TRAP_RECORD_OFF
    PASS
TEST_END

jalr_dest:
    FAIL 83                         /* never reached */

    .data
    .balign 16
mis_buf:
    .byte 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .byte 16, 17, 18, 19, 20, 21, 22, 23
