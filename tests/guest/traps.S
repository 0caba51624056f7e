/*
 * traps.S - synchronous exceptions in M-mode, with exact mcause, mepc
 * and mtval, and the mstatus MIE/MPIE/MPP behaviour of trap entry/mret.
 *
 * All traps go to trap_record_handler (common.S), which records the CSRs
 * and returns to mepc + 4 (or to a TRAP_RESUME_AT address).
 * CHECK_TRAP* use four codes: n = trap count, n+1 = mcause, n+2 = mepc,
 * n+3 = mtval.
 *
 * Covers:
 *   - illegal instruction (mcause 2, mtval = the instruction bits):
 *     all-zero word, custom-0 opcode, reserved encodings (OP with
 *     funct7 = 2, slliw with shamt[5] = 1), an F-extension load (loom
 *     has no F), a non-existent CSR, and writes to read-only CSRs
 *     (mhartid via csrw and csrrwi x0, cycle, time, instret) -- with the
 *     destination register left unchanged;
 *   - ecall (11, mtval 0); ebreak (3; its mtval is in spec_strict.S);
 *   - load access fault (5) and store/AMO access fault (7) at the
 *     unmapped address 0 (mtval = the address, rd unchanged, nothing
 *     stored), lr.w -> 5, amoadd.w -> 7;
 *   - instruction access fault (1): jump to 0; mepc = mtval = 0 and the
 *     jalr's link register was written;
 *   - precise traps: earlier instructions of the same straight-line code
 *     have executed, later ones have not;
 *   - trap entry: MPIE <- MIE, MIE <- 0, MPP <- 3;
 *     mret: MIE <- MPIE, MPIE <- 1, pc <- mepc (also a bare mret);
 *   - 100 traps in a loop are all counted.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* Encodings written as .word so that the assembler cannot refuse them. */
#define INSN_CUSTOM0      0x0000000b      /* custom-0 opcode, all zero  */
#define INSN_OP_FUNCT7_2  ((2 << 25) | (12 << 20) | (11 << 15) | (10 << 7) | 0x33)
#define INSN_SLLIW_32     ((32 << 20) | (11 << 15) | (1 << 12) | (10 << 7) | 0x1b)
#define INSN_FLW          ((10 << 15) | (2 << 12) | (0 << 7) | 0x07) /* flw f0,0(a0) */
#define CSR_CUSTOM_M      0x7c0           /* custom M-mode CSR: not implemented */

TEST_BEGIN 1
    TRAP_RECORD_ON

    /* ================= illegal instructions ================= */
    TRAP_RESET
    li   a0, 0x1234
ill_zero:
    .word 0
    CHECK_TRAP 1, CAUSE_ILLEGAL_INSN, ill_zero, 0

    TRAP_RESET
ill_custom0:
    .word INSN_CUSTOM0
    CHECK_TRAP_INSN 5, CAUSE_ILLEGAL_INSN, ill_custom0

    TRAP_RESET
    li   a0, 0x1234
ill_funct7:
    .word INSN_OP_FUNCT7_2          /* would write a0 */
    CHECK_TRAP_INSN 9, CAUSE_ILLEGAL_INSN, ill_funct7
    CHECK a0, 0x1234, 13            /* rd not written */

    TRAP_RESET
    li   a0, 0x1234
ill_slliw:
    .word INSN_SLLIW_32             /* slliw a0, a1, 32: reserved */
    CHECK_TRAP_INSN 14, CAUSE_ILLEGAL_INSN, ill_slliw
    CHECK a0, 0x1234, 18

    TRAP_RESET
    la   a0, trap_data
ill_flw:
    .word INSN_FLW                  /* no F extension (QEMU: mstatus.FS = Off) */
    CHECK_TRAP_INSN 19, CAUSE_ILLEGAL_INSN, ill_flw

    TRAP_RESET
    li   a3, 0x1234
ill_csr_custom:
    csrr a3, CSR_CUSTOM_M           /* non-existent CSR */
    CHECK_TRAP_INSN 23, CAUSE_ILLEGAL_INSN, ill_csr_custom
    CHECK a3, 0x1234, 27            /* rd not written */

    TRAP_RESET
    li   a1, 5
ill_mhartid_w:
    csrw mhartid, a1                /* read-only CSR */
    CHECK_TRAP_INSN 28, CAUSE_ILLEGAL_INSN, ill_mhartid_w
    csrr a3, mhartid
    CHECK a3, 0, 32                 /* unchanged */

    TRAP_RESET
ill_mhartid_wi:
    csrrwi x0, mhartid, 0           /* csrrwi always writes, even with uimm 0 */
    CHECK_TRAP_INSN 33, CAUSE_ILLEGAL_INSN, ill_mhartid_wi

    TRAP_RESET
    li   a1, 0
ill_cycle_w:
    csrw cycle, a1                  /* user counters are read-only */
    CHECK_TRAP_INSN 37, CAUSE_ILLEGAL_INSN, ill_cycle_w

    TRAP_RESET
    li   a1, 1
ill_time_s:
    csrs time, a1                   /* csrrs with rs1 != x0 writes */
    CHECK_TRAP_INSN 41, CAUSE_ILLEGAL_INSN, ill_time_s

    TRAP_RESET
    li   a3, 0x1234
ill_instret_si:
    csrrsi a3, instret, 1           /* csrrsi with uimm != 0 writes */
    CHECK_TRAP_INSN 45, CAUSE_ILLEGAL_INSN, ill_instret_si
    CHECK a3, 0x1234, 49

    /* ================= ecall / ebreak ================= */
    TRAP_RESET
ecall_site:
    ecall
    CHECK_TRAP 50, CAUSE_ECALL_M, ecall_site, 0

    TRAP_RESET
ebreak_site:
    ebreak
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 54
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_BREAKPOINT, 55
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, ebreak_site, 56

    /* ================= access faults at unmapped addresses ================= */
    TRAP_RESET
    li   a3, 0x1234
ld_fault:
    ld   a3, UNMAPPED_ADDR(zero)
    CHECK_TRAP 57, CAUSE_LOAD_ACCESS, ld_fault, UNMAPPED_ADDR
    CHECK a3, 0x1234, 61            /* rd not written */

    TRAP_RESET
    li   a3, 0x1234
    li   a1, UNMAPPED_ADDR + 16
lbu_fault:
    lbu  a3, 1(a1)
    CHECK_TRAP 62, CAUSE_LOAD_ACCESS, lbu_fault, UNMAPPED_ADDR + 17
    CHECK a3, 0x1234, 66

    TRAP_RESET
    li   a1, UNMAPPED_ADDR
lw_fault:
    lw   a3, 8(a1)
    CHECK_TRAP 67, CAUSE_LOAD_ACCESS, lw_fault, UNMAPPED_ADDR + 8

    TRAP_RESET
    li   a1, UNMAPPED_ADDR + 32
lh_fault:
    lh   a3, -2(a1)
    CHECK_TRAP 71, CAUSE_LOAD_ACCESS, lh_fault, UNMAPPED_ADDR + 30

    TRAP_RESET
    li   a2, 0x55
sd_fault:
    sd   a2, UNMAPPED_ADDR(zero)
    CHECK_TRAP 75, CAUSE_STORE_ACCESS, sd_fault, UNMAPPED_ADDR

    TRAP_RESET
    li   a1, UNMAPPED_ADDR
sb_fault:
    sb   a2, 5(a1)
    CHECK_TRAP 79, CAUSE_STORE_ACCESS, sb_fault, UNMAPPED_ADDR + 5

    TRAP_RESET
sw_fault:
    sw   a2, 12(a1)
    CHECK_TRAP 83, CAUSE_STORE_ACCESS, sw_fault, UNMAPPED_ADDR + 12

    TRAP_RESET
    li   a3, 0x1234
    li   a1, UNMAPPED_ADDR
lr_fault:
    lr.w a3, (a1)
    CHECK_TRAP 87, CAUSE_LOAD_ACCESS, lr_fault, UNMAPPED_ADDR
    CHECK a3, 0x1234, 91

    /* amoadd.w at an unmapped address: a store/AMO access fault (7).
     * This one lives in spec_strict.S: QEMU 7.2 reports a load fault. */

    /* ---- instruction access fault: jump to address 0 ---- */
    TRAP_RESET
    TRAP_RESUME_AT fetch_back
    li   a1, UNMAPPED_ADDR
    li   ra, 0
fetch_jump:
    jalr ra, 0(a1)
fetch_link:
    FAIL 92                         /* the handler resumes at fetch_back */
fetch_back:
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 93
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_INSN_ACCESS, 94
    TRAP_FIELD t4, TR_EPC
    CHECK t4, UNMAPPED_ADDR, 95     /* mepc = the address fetched */
    TRAP_FIELD t4, TR_TVAL
    CHECK t4, UNMAPPED_ADDR, 96
    CHECK_ADDR ra, fetch_link, 97   /* the jalr itself completed */

    /* ================= precise traps ================= */
    TRAP_RESET
    TRAP_RESUME_AT precise_back
    li   a4, 1
    li   a5, 0x1234
    addi a4, a4, 1                  /* executed */
    slli a4, a4, 4                  /* executed: a4 = 32 */
precise_fault:
    ld   a5, UNMAPPED_ADDR(zero)
    addi a4, a4, 100                /* never executed */
    li   a5, 0                      /* never executed */
precise_back:
    CHECK_TRAP 98, CAUSE_LOAD_ACCESS, precise_fault, UNMAPPED_ADDR
    CHECK a4, 32, 102
    CHECK a5, 0x1234, 103

    /* a store before a faulting store has happened */
    TRAP_RESET
    la   a1, trap_data
    li   a2, 0x600d
    sd   a2, 0(a1)
    sd   a2, UNMAPPED_ADDR(zero)
    CHECK_MEMD trap_data, 0x600d, 104

    /* ================= mstatus on trap entry and mret ================= */
    /* MIE = 1 before the trap (mie = 0, so no interrupt can be taken) */
    li   t0, MSTATUS_MPIE
    csrc mstatus, t0                /* MPIE = 0 */
    csrsi mstatus, MSTATUS_MIE      /* MIE = 1 */
    TRAP_RESET
    ecall
    TRAP_FIELD a1, TR_STATUS
    andi a3, a1, MSTATUS_MIE
    CHECK a3, 0, 105                /* handler runs with MIE = 0 */
    andi a3, a1, MSTATUS_MPIE
    CHECK a3, MSTATUS_MPIE, 106     /* MPIE = old MIE = 1 */
    li   t0, MSTATUS_MPP
    and  a3, a1, t0
    CHECK a3, MSTATUS_MPP, 107      /* MPP = M (3) */
    csrr a1, mstatus
    andi a3, a1, MSTATUS_MIE
    CHECK a3, MSTATUS_MIE, 108      /* after mret: MIE = MPIE = 1 */
    andi a3, a1, MSTATUS_MPIE
    CHECK a3, MSTATUS_MPIE, 109     /* after mret: MPIE = 1 */

    /* MIE = 0 before the trap */
    csrci mstatus, MSTATUS_MIE
    TRAP_RESET
    ecall
    TRAP_FIELD a1, TR_STATUS
    andi a3, a1, MSTATUS_MIE | MSTATUS_MPIE
    CHECK a3, 0, 110                /* MIE = 0, MPIE = old MIE = 0 */
    csrr a1, mstatus
    andi a3, a1, MSTATUS_MIE
    CHECK a3, 0, 111                /* after mret: MIE = MPIE = 0 */
    andi a3, a1, MSTATUS_MPIE
    CHECK a3, MSTATUS_MPIE, 112     /* after mret: MPIE = 1 */

    /* a bare mret: jumps to mepc, MIE <- MPIE (1), MPIE <- 1 */
    la   t0, mret_target1
    csrw mepc, t0
    li   t0, MSTATUS_MPIE | MSTATUS_MPP
    csrs mstatus, t0
    csrci mstatus, MSTATUS_MIE
    mret
    FAIL 113
mret_target1:
    csrr a1, mstatus
    andi a3, a1, MSTATUS_MIE | MSTATUS_MPIE
    CHECK a3, MSTATUS_MIE | MSTATUS_MPIE, 114

    /* a bare mret with MPIE = 0: MIE <- 0 */
    la   t0, mret_target2
    csrw mepc, t0
    li   t0, MSTATUS_MPIE
    csrc mstatus, t0
    li   t0, MSTATUS_MPP
    csrs mstatus, t0
    mret
    FAIL 115
mret_target2:
    csrr a1, mstatus
    andi a3, a1, MSTATUS_MIE | MSTATUS_MPIE
    CHECK a3, MSTATUS_MPIE, 116

    /* ================= many traps ================= */
    TRAP_RESET
    li   s0, 100
1:  ecall
    addi s0, s0, -1
    bnez s0, 1b
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 100, 117

    TRAP_RECORD_OFF
    PASS
TEST_END

    .data
    .balign 8
trap_data:
    .dword 0
