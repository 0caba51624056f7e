/*
 * priv_vm.S - Sv39 and Sv48 translation (privileged spec 1.12).
 *
 * One set of page tables serves both modes: Sv48's root points at the
 * Sv39 root.  RAM (0x80000000) is an identity gigapage for S code; small
 * pages at VA 0x1000.. test permissions; traps go to M (no delegation).
 *
 * Covers: load/store/fetch page faults (13/15/12) with mtval = the VA and
 * mepc = the insn: invalid PTE, R=0 W=1, reserved PTE bits, read-only
 * page, exec-only page, non-canonical addresses (Sv39 and Sv48), a
 * misaligned megapage; hardware A and D updates in the PTE; a megapage;
 * U pages from S (SUM), exec of a U page from S, S pages from U; MXR;
 * MPRV with MPP = S and U; sfence.vma after a PTE change; an address
 * valid only under Sv48.
 * Single hart.
 */
#include "testmacros.h"
#include "priv.h"

#define DATA_VAL 0x1122334455667788

/* satp <- mode | root PPN */
.macro SATP_SET mode, root
    la   t2, \root
    srli t2, t2, 12
    li   t3, \mode
    or   t2, t2, t3
    csrw satp, t2
    sfence.vma
.endm

TEST_BEGIN 1
    PRIV_INIT
    /* ---- tables ---- */
    li   a0, RAM_BASE
    PTE_SET root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    la   a0, l1
    PTE_SET root, 0, a0, PTE_V
    la   a0, l0
    PTE_SET l1, 0, a0, PTE_V
    la   a0, data_page
    PTE_SET l0, 1, a0, PTE_V | PTE_R | PTE_W            /* A = D = 0 */
    PTE_SET l0, 2, a0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    PTE_SET l0, 3, a0, PTE_V | PTE_X | PTE_A            /* exec only */
    PTE_SET l0, 4, a0, 0                                /* invalid */
    PTE_SET l0, 5, a0, PTE_V | PTE_R | PTE_A            /* read only */
    PTE_SET l0, 6, a0, PTE_V | PTE_W | PTE_A | PTE_D    /* R=0 W=1 */
    la   a0, u_page
    PTE_SET l0, 8, a0, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
    li   a0, RAM_BASE
    PTE_SET l1, 1, a0, PTE_V | PTE_R | PTE_A            /* megapage */
    li   a0, RAM_BASE + 0x1000
    PTE_SET l1, 2, a0, PTE_V | PTE_R | PTE_A            /* misaligned */
    /* reserved bit 60 */
    la   a0, data_page
    srli t2, a0, 12
    slli t2, t2, 10
    ori  t2, t2, PTE_V | PTE_R | PTE_A
    li   t3, 1 << 60
    or   t2, t2, t3
    la   t3, l0
    sd   t2, (7 * 8)(t3)
    la   a0, root
    PTE_SET root4, 0, a0, PTE_V
    li   a0, RAM_BASE                                   /* Sv48 code */
    la   t0, data_page
    li   t1, DATA_VAL
    sd   t1, 0(t0)

    SATP_SET SATP_SV39, root
    csrr a1, satp
    la   t2, root
    srli t2, t2, 12
    li   t3, SATP_SV39
    or   t2, t2, t3
    CHECK_REG a1, t2, 1
    /* a reserved mode: the write is ignored */
    li   t0, 15 << 60
    csrw satp, t0
    csrr a2, satp
    CHECK_REG a2, a1, 2

    /* ---- S: load from a page with A = 0, then store (D) ---- */
    M_CONT m_after_ad
    MRET_TO 1, s_ad
s_ad:
    li   a1, 0x1000
    ld   a2, 0(a1)
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 3
    ecall
m_after_ad:
    la   t0, l0
    ld   a1, 8(t0)
    andi a1, a1, PTE_A | PTE_D
    CHECK a1, PTE_A, 4              /* A set, not D */
    M_CONT m_after_d
    MRET_TO 1, s_d
s_d:
    li   a1, 0x1000
    li   a2, 0x55
    sb   a2, 0(a1)
    ecall
m_after_d:
    la   t0, l0
    ld   a1, 8(t0)
    andi a1, a1, PTE_A | PTE_D
    CHECK a1, PTE_A | PTE_D, 5
    la   t0, data_page
    lbu  a1, 0(t0)
    CHECK a1, 0x55, 6
    li   t1, DATA_VAL
    sd   t1, 0(t0)

    /* ---- page faults from S ---- */
    M_CONT 1f
    MRET_TO 1, s_pf_invalid
s_pf_invalid:
    li   a1, 0x4008
s_pf_invalid_ld:
    ld   a2, 0(a1)
1:  CHECK_PTRAP 7, CAUSE_LOAD_PF, s_pf_invalid_ld, 0x4008
    M_CONT 1f
    MRET_TO 1, s_pf_ro
s_pf_ro:
    li   a1, 0x5010
s_pf_ro_st:
    sd   a1, 0(a1)
1:  CHECK_PTRAP 11, CAUSE_STORE_PF, s_pf_ro_st, 0x5010
    M_CONT 1f
    MRET_TO 1, s_pf_amo
s_pf_amo:
    li   a1, 0x5000
s_pf_amo_op:
    amoadd.d a2, a1, (a1)           /* AMO on read-only: store PF */
1:  CHECK_PTRAP 15, CAUSE_STORE_PF, s_pf_amo_op, 0x5000
    M_CONT 1f
    MRET_TO 1, s_pf_rw
s_pf_rw:
    li   a1, 0x6000
s_pf_rw_ld:
    ld   a2, 0(a1)
1:  CHECK_PTRAP 19, CAUSE_LOAD_PF, s_pf_rw_ld, 0x6000
    M_CONT 1f
    MRET_TO 1, s_pf_resv
s_pf_resv:
    li   a1, 0x7000
s_pf_resv_ld:
    ld   a2, 0(a1)
1:  CHECK_PTRAP 23, CAUSE_LOAD_PF, s_pf_resv_ld, 0x7000
    M_CONT 1f
    MRET_TO 1, s_pf_xo
s_pf_xo:
    li   a1, 0x3000
s_pf_xo_ld:
    ld   a2, 0(a1)                  /* exec-only, MXR = 0 */
1:  CHECK_PTRAP 27, CAUSE_LOAD_PF, s_pf_xo_ld, 0x3000
    M_CONT 1f
    MRET_TO 1, s_pf_fetch
s_pf_fetch:
    li   a1, 0x4000
    jr   a1
1:  CHECK_PTRAP 31, CAUSE_FETCH_PF, 0x4000, 0x4000
    M_CONT 1f
    MRET_TO 1, s_pf_nc
s_pf_nc:
    li   a1, 0x4000000000           /* bit 38 set, 63:39 clear */
s_pf_nc_ld:
    ld   a2, 0(a1)
1:  CHECK_PTRAP 35, CAUSE_LOAD_PF, s_pf_nc_ld, 0x4000000000
    M_CONT 1f
    MRET_TO 1, s_pf_mis
s_pf_mis:
    li   a1, 0x400000
s_pf_mis_ld:
    ld   a2, 0(a1)                  /* misaligned megapage */
1:  CHECK_PTRAP 39, CAUSE_LOAD_PF, s_pf_mis_ld, 0x400000

    /* ---- megapage, MXR, SUM, U pages from S ---- */
    M_CONT m_after_mega
    MRET_TO 1, s_mega
s_mega:
    la   a1, data_page
    li   t0, RAM_BASE - 0x200000
    sub  a1, a1, t0                 /* VA in the megapage */
    li   t0, 0x200000 + 0x200000
    bgeu a1, t0, 1f                 /* (data beyond 2 MiB: skip) */
    ld   a2, 0(a1)
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 43
1:  li   t0, MSTATUS_MXR
    csrs sstatus, t0
    li   a1, 0x3000
    ld   a2, 0(a1)                  /* exec-only readable with MXR */
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 44
    li   t0, MSTATUS_MXR
    csrc sstatus, t0
    li   t0, MSTATUS_SUM
    csrs sstatus, t0
    li   a1, 0x2000
    ld   a2, 0(a1)                  /* U page with SUM */
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 45
    ecall
m_after_mega:
    li   t0, MSTATUS_SUM
    csrc mstatus, t0
    M_CONT 1f
    MRET_TO 1, s_nosum
s_nosum:
    li   a1, 0x2000
s_nosum_ld:
    ld   a2, 0(a1)
1:  CHECK_PTRAP 46, CAUSE_LOAD_PF, s_nosum_ld, 0x2000
    li   t0, MSTATUS_SUM
    csrs mstatus, t0
    M_CONT 1f
    MRET_TO 1, s_uexec
s_uexec:
    li   a1, 0x8000                 /* U page: never executable from S */
    jr   a1
1:  CHECK_PTRAP 50, CAUSE_FETCH_PF, 0x8000, 0x8000
    li   t0, MSTATUS_SUM
    csrc mstatus, t0

    /* ---- U: its page runs; S pages fault ---- */
    M_CONT 1f
    li   t0, MSTATUS_MPP
    csrc mstatus, t0
    li   t0, 0x8000
    csrw mepc, t0
    mret
1:  la   t0, u_page
    li   t1, 0x8000
    la   t2, u_ld
    sub  t2, t2, t0
    add  t2, t2, t1                 /* VA of u_ld */
    PREC a1, PR_CAUSE
    CHECK a1, CAUSE_LOAD_PF, 54
    PREC a1, PR_EPC
    CHECK_REG a1, t2, 55
    PREC a1, PR_TVAL
    CHECK a1, 0x1000, 56

    /* ---- MPRV: M loads through S/U translation ---- */
    li   t0, MSTATUS_MPP
    csrc mstatus, t0
    li   t0, MSTATUS_MPP_S | MSTATUS_MPRV
    csrs mstatus, t0
    li   a1, 0x1000
    ld   a2, 0(a1)
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 57
    M_CONT 1f
    li   a1, 0x2000                 /* U page, SUM = 0 */
m_mprv_ld:
    ld   a2, 0(a1)
1:  li   t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_PTRAP 58, CAUSE_LOAD_PF, m_mprv_ld, 0x2000
    li   t0, MSTATUS_MPP            /* the trap set MPP = M: make it U */
    csrc mstatus, t0
    li   t0, MSTATUS_MPRV
    csrs mstatus, t0
    li   a1, 0x2000
    ld   a2, 0(a1)
    li   t0, MSTATUS_MPRV
    csrc mstatus, t0
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 62
    /* fetch ignores MPRV: M code keeps running (identity) */

    /* ---- sfence.vma after a PTE change ---- */
    M_CONT m_after_sf
    MRET_TO 1, s_sf
s_sf:
    li   a1, 0x1000
    ld   a2, 0(a1)                  /* cached */
    la   t0, l0
    sd   zero, 8(t0)                /* unmap 0x1000 */
    sfence.vma a1, zero
s_sf_ld:
    ld   a2, 0(a1)
    FAIL 63
m_after_sf:
    CHECK_PTRAP 64, CAUSE_LOAD_PF, s_sf_ld, 0x1000

    /* ---- Sv48 ---- */
    SATP_SET SATP_SV48, root4
    la   a0, data_page
    PTE_SET l0, 1, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    M_CONT 1f
    MRET_TO 1, s_48
s_48:
    li   a1, 0x1000
    ld   a2, 0(a1)
    li   t0, DATA_VAL
    CHECK_REG a2, t0, 68
    li   a1, 0x4000000000           /* canonical in Sv48, unmapped */
s_48_ld:
    ld   a2, 0(a1)
1:  CHECK_PTRAP 69, CAUSE_LOAD_PF, s_48_ld, 0x4000000000
    M_CONT 1f
    MRET_TO 1, s_48_nc
s_48_nc:
    li   a1, 0x800000000000         /* bit 47 set, 63:48 clear */
s_48_nc_st:
    sd   a2, 0(a1)
1:  CHECK_PTRAP 73, CAUSE_STORE_PF, s_48_nc_st, 0x800000000000
    csrw satp, zero
    PASS
TEST_END
    PRIV_HANDLERS

    /* U code, mapped at VA 0x8000 */
    .balign 4096
u_page:
    li   a1, 0x1000
u_ld:
    ld   a2, 0(a1)                  /* S page: load PF */
    FAIL 77

    .bss
    .balign 4096
root:   .space 4096
l1:     .space 4096
l0:     .space 4096
root4:  .space 4096
data_page: .space 4096
