/*
 * priv_modes.S - M/S/U transitions, trap delegation, interrupts and the
 * mstatus trap bits (privileged spec 1.12).
 *
 * Covers:
 *   - misa has S and U; medeleg/mideleg writable masks;
 *   - ecall from U not delegated -> M (cause 8, MPP = U); delegated -> S
 *     (scause 8, SPP = U, SPIE <- SIE, SIE <- 0); ecall from S -> M
 *     (cause 9, MPP = S); sret to U (SIE <- SPIE, SPIE <- 1, SPP <- U);
 *   - SSIP set by software: delegated -> S interrupt at the next insn,
 *     masked in M and in S with SIE = 0, taken in U regardless of SIE;
 *     not delegated -> M interrupt;
 *   - STIP from Sstc (menvcfg.STCE, stimecmp in the near future, wfi in S),
 *     cleared by a later stimecmp;
 *   - MSIP and MTIP (ACLINT) taken in S/U with mstatus.MIE = 0, MSI before
 *     MTI;
 *   - TSR (sret), TW (wfi in S), wfi in U, TVM (satp, sfence.vma),
 *     sret in U, mret in S: illegal instruction with mtval = the insn;
 *   - mcounteren/scounteren gate cycle/time/instret in S and U.
 * Single hart.
 */
#include "testmacros.h"
#include "priv.h"

#define MIP_SSIP 0x2
#define MIP_STIP 0x20
#define MENVCFG_STCE (1 << 63)

TEST_BEGIN 1
    PRIV_INIT

    /* ---- misa, delegation masks ---- */
    csrr a1, misa
    srli a2, a1, 18             /* S */
    andi a2, a2, 1
    CHECK a2, 1, 1
    srli a2, a1, 20             /* U */
    andi a2, a2, 1
    CHECK a2, 1, 2
    li   a1, -1
    csrw medeleg, a1
    csrr a2, medeleg                /* loom: exactly 0xb3ff; QEMU 7.2 more */
    li   t0, 0xb3ff
    and  a2, a2, t0
    CHECK a2, 0xb3ff, 3
    csrw mideleg, a1
    csrr a2, mideleg                /* loom: exactly 0x222; QEMU 7.2 more */
    andi a2, a2, 0x222
    CHECK a2, 0x222, 4
    csrw medeleg, zero
    csrw mideleg, zero

    /* ---- ecall from U, not delegated: to M ---- */
    M_CONT 1f
    MRET_TO 0, u_ecall1
u_ecall1:
    ecall
1:  CHECK_PTRAP 5, CAUSE_ECALL_U, u_ecall1, 0
    PREC a1, PR_STATUS
    li   t0, MSTATUS_MPP
    and  a1, a1, t0
    CHECK a1, 0, 9                  /* MPP = U */

    /* ---- delegated: U ecall to S; S ecall to M ---- */
    li   t0, 1 << CAUSE_ECALL_U
    csrw medeleg, t0
    li   t0, MSTATUS_SIE
    csrs mstatus, t0                /* SIE = 1 before the trap */
    S_CONT s_after_u_ecall
    MRET_TO 0, u_ecall2
u_ecall2:
    ecall
    FAIL 10
s_after_u_ecall:                    /* in S */
    CHECK_PTRAP 11, CAUSE_ECALL_U, u_ecall2, 0
    PREC a1, PR_STATUS
    andi a1, a1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
    CHECK a1, MSTATUS_SPIE, 15      /* SPIE <- 1, SIE <- 0, SPP = U */
    M_CONT 2f
s_ecall:
    ecall
    FAIL 16
2:  CHECK_PTRAP 17, CAUSE_ECALL_S, s_ecall, 0
    PREC a1, PR_STATUS
    li   t0, MSTATUS_MPP
    and  a1, a1, t0
    CHECK a1, MSTATUS_MPP_S, 21     /* MPP = S */

    /* ---- sret from S to U: SIE <- SPIE, SPIE <- 1, SPP <- U ---- */
    S_CONT s_sret_test
    MRET_TO 0, u_ecall3             /* U, ecall -> S */
u_ecall3:
    ecall
s_sret_test:
    li   t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
    csrc sstatus, t0
    la   t0, u_ecall4
    csrw sepc, t0
    S_CONT s_after_sret
    sret                            /* SPIE = 0 -> SIE = 0 */
u_ecall4:
    ecall
s_after_sret:
    CHECK_PTRAP 22, CAUSE_ECALL_U, u_ecall4, 0
    PREC a1, PR_STATUS
    andi a1, a1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
    CHECK a1, 0, 26                 /* SPIE <- SIE = 0 */
    /* back to M */
    M_CONT 3f
    ecall
3:  csrw medeleg, zero

    /* ---- SSIP, delegated ---- */
    li   t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0                    /* SSIE */
    csrs mip, t0                    /* pending, masked in M */
    nop
    csrr a1, mip
    andi a1, a1, MIP_SSIP
    CHECK a1, MIP_SSIP, 27
    li   t0, MSTATUS_SIE
    csrc mstatus, t0
    S_CONT s_ssip_u
    MRET_TO 1, s_ssip_masked        /* S with SIE = 0: masked */
s_ssip_masked:
    nop
    csrr a1, sip
    CHECK a1, MIP_SSIP, 28
    la   t0, u_ssip
    csrw sepc, t0
    li   t0, MSTATUS_SPP
    csrc sstatus, t0
    sret                            /* to U: taken at once */
u_ssip:
    nop
    FAIL 29
s_ssip_u:
    CHECK_PTRAP 30, CAUSE_IRQ_S_SOFT, u_ssip, 0
    li   t0, MIP_SSIP
    csrc sip, t0
    csrr a1, sip
    CHECK a1, 0, 34
    /* in S with SIE = 1: taken right after the write */
    li   t0, MSTATUS_SIE
    csrs sstatus, t0
    S_CONT s_ssip_s
    li   t0, MIP_SSIP
    csrs sip, t0
s_ssip_here:
    FAIL 35
s_ssip_s:
    CHECK_PTRAP 36, CAUSE_IRQ_S_SOFT, s_ssip_here, 0
    li   t0, MIP_SSIP
    csrc sip, t0
    M_CONT 4f
    ecall
4:  /* not delegated: SSIP goes to M (mie.SSIE, MIE) */
    csrw mideleg, zero
    M_CONT 5f
    li   t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE
m_ssip_here:
    FAIL 40
5:  CHECK_PTRAP 41, CAUSE_IRQ_S_SOFT, m_ssip_here, 0
    li   t0, MIP_SSIP
    csrc mip, t0
    csrw mie, zero

    /* ---- STIP from Sstc, delegated, wfi in S ---- */
    li   t0, MIP_STIP
    csrw mideleg, t0
    csrw mie, t0
    li   t0, 2                      /* TM */
    csrw mcounteren, t0
    li   t0, MENVCFG_STCE
    csrw menvcfg, t0
    li   t0, -1
    csrw stimecmp, t0
    csrr a1, mip
    andi a1, a1, MIP_STIP
    CHECK a1, 0, 45
    li   t0, MSTATUS_SIE
    csrs mstatus, t0
    S_CONT s_stip
    MRET_TO 1, s_stimer
s_stimer:
    csrr t0, time
    addi t0, t0, 1000               /* 100 us */
    csrw stimecmp, t0
1:  wfi
    j    1b
s_stip:
    PREC a1, PR_COUNT
    CHECK a1, 1, 46
    PREC a1, PR_CAUSE
    CHECK a1, CAUSE_IRQ_S_TIMER, 47
    csrr a1, sip
    CHECK a1, MIP_STIP, 48
    csrr a1, time
    csrr a2, stimecmp
    sltu a1, a1, a2
    CHECK a1, 0, 49                 /* not early */
    li   t0, -1
    csrw stimecmp, t0
    csrr a1, sip
    CHECK a1, 0, 50
    M_CONT 6f
    ecall
6:  csrw menvcfg, zero
    csrw mideleg, zero
    csrw mie, zero

    /* ---- MSIP and MTIP from the ACLINT, in S with MIE = 0 ---- */
    li   t0, CLINT_MTIMECMP
    sd   zero, 0(t0)                /* MTIP now */
    li   t0, CLINT_MSIP
    li   t1, 1
    sw   t1, 0(t0)                  /* MSIP */
    li   t0, MIP_MSIP | MIP_MTIP
    csrw mie, t0
    csrci mstatus, MSTATUS_MIE
    M_CONT 7f
    MRET_TO 1, s_mirq
s_mirq:
    FAIL 51
7:  PREC a1, PR_CAUSE
    CHECK a1, CAUSE_IRQ_M_SOFT, 52  /* MSI before MTI */
    PREC a1, PR_EPC
    CHECK_ADDR a1, s_mirq, 53
    li   t0, CLINT_MSIP
    sw   zero, 0(t0)
    M_CONT 8f
    MRET_TO 0, u_mirq
u_mirq:
    FAIL 54
8:  PREC a1, PR_CAUSE
    CHECK a1, CAUSE_IRQ_M_TIMER, 55
    PREC a1, PR_EPC
    CHECK_ADDR a1, u_mirq, 56
    csrw mie, zero
    li   t0, CLINT_MTIMECMP
    li   t1, -1
    sd   t1, 0(t0)

    /* ---- TSR, TW, TVM in S; wfi and sret in U; mret in S ---- */
    li   t0, MSTATUS_TSR
    csrs mstatus, t0
    M_CONT 9f
    MRET_TO 1, s_tsr
s_tsr:
    sret
9:  CHECK_PTRAP_INSN 60, CAUSE_ILLEGAL_INSN, s_tsr
    li   t0, MSTATUS_TSR
    csrc mstatus, t0
    li   t0, MSTATUS_TW
    csrs mstatus, t0
    M_CONT 10f
    MRET_TO 1, s_tw
s_tw:
    wfi
10: CHECK_PTRAP_INSN 64, CAUSE_ILLEGAL_INSN, s_tw
    li   t0, MSTATUS_TW
    csrc mstatus, t0
    li   t0, MSTATUS_TVM
    csrs mstatus, t0
    M_CONT 11f
    MRET_TO 1, s_tvm
s_tvm:
    csrr a1, satp
11: CHECK_PTRAP_INSN 68, CAUSE_ILLEGAL_INSN, s_tvm
    M_CONT 12f
    MRET_TO 1, s_tvm2
s_tvm2:
    sfence.vma
12: CHECK_PTRAP_INSN 72, CAUSE_ILLEGAL_INSN, s_tvm2
    li   t0, MSTATUS_TVM
    csrc mstatus, t0
    M_CONT 13f
    MRET_TO 1, s_notvm
s_notvm:
    csrr a1, satp                   /* allowed now */
    sfence.vma
    wfi_ok:
    ecall
13: CHECK_PTRAP 76, CAUSE_ECALL_S, wfi_ok, 0
    M_CONT 14f
    MRET_TO 0, u_wfi
u_wfi:
    wfi
14: CHECK_PTRAP_INSN 80, CAUSE_ILLEGAL_INSN, u_wfi
    M_CONT 15f
    MRET_TO 0, u_sret
u_sret:
    sret
15: CHECK_PTRAP_INSN 84, CAUSE_ILLEGAL_INSN, u_sret
    M_CONT 16f
    MRET_TO 1, s_mret
s_mret:
    mret
16: CHECK_PTRAP_INSN 88, CAUSE_ILLEGAL_INSN, s_mret

    /* ---- counter enables ---- */
    csrw mcounteren, zero
    csrw scounteren, zero
    M_CONT 17f
    MRET_TO 1, s_cycle
s_cycle:
    csrr a1, cycle
17: CHECK_PTRAP_INSN 92, CAUSE_ILLEGAL_INSN, s_cycle
    li   t0, 7
    csrw mcounteren, t0
    M_CONT 18f
    MRET_TO 0, u_instret
u_instret:
    csrr a1, instret                /* scounteren = 0 */
18: CHECK_PTRAP_INSN 96, CAUSE_ILLEGAL_INSN, u_instret
    M_CONT 19f
    MRET_TO 1, s_time
s_time:
    csrr a1, time                   /* mcounteren.TM */
    csrr a1, cycle
    li   t0, 5                      /* CY, IR for U */
    csrw scounteren, t0
    csrr a1, scounteren
    CHECK a1, 5, 100
    ecall
19: PREC a1, PR_CAUSE
    CHECK a1, CAUSE_ECALL_S, 101
    M_CONT 20f
    MRET_TO 0, u_counters
u_counters:
    csrr a1, cycle
    csrr a1, instret
u_time:
    csrr a1, time                   /* scounteren.TM = 0 */
20: CHECK_PTRAP_INSN 102, CAUSE_ILLEGAL_INSN, u_time
    PASS
TEST_END
    PRIV_HANDLERS
