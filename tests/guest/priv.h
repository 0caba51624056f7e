/*
 * priv.h - helpers for the privileged-architecture tests (priv_*.S).
 *
 * Traps go to M (m_trap) or, when delegated, to S (s_trap).  Each handler
 * records cause, epc, tval and status of the trap into priv_rec and
 * counts it, then jumps to the continuation address set beforehand with
 * M_CONT / S_CONT, staying in the mode that took the trap.  Handlers
 * clobber t0 and t1 only.
 */
#ifndef LOOM_GUEST_PRIV_H
#define LOOM_GUEST_PRIV_H

#define PR_CAUSE   0
#define PR_EPC     8
#define PR_TVAL    16
#define PR_STATUS  24
#define PR_COUNT   32
#define PR_MCONT   40
#define PR_SCONT   48
#define PR_PRIVSEEN 56

#define MSTATUS_SIE   0x2
#define MSTATUS_SPIE  0x20
#define MSTATUS_SPP   0x100
#define MSTATUS_MPP_S 0x800
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_FETCH_PF 12
#define CAUSE_LOAD_PF 13
#define CAUSE_STORE_PF 15
#define CAUSE_IRQ_S_SOFT  0x8000000000000001
#define CAUSE_IRQ_S_TIMER 0x8000000000000005

/* Sv39/Sv48 page-table entries and satp modes */
#define PTE_V 0x1
#define PTE_R 0x2
#define PTE_W 0x4
#define PTE_X 0x8
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)

#ifdef __ASSEMBLER__

/* table[index] = (pa >> 12) << 10 | flags; pa in a register.  Clobbers
   t2, t3. */
.macro PTE_SET table, index, pareg, flags
    srli t2, \pareg, 12
    slli t2, t2, 10
    ori  t2, t2, \flags
    la   t3, \table
    sd   t2, (\index * 8)(t3)
.endm

/* The same with pa the address of symbol pa_sym.  Clobbers t2, t3. */
.macro PTE_SET_SYM table, index, pa_sym, flags
    la   t2, \pa_sym
    PTE_SET \table, \index, t2, \flags
.endm

/* Install both handlers; nothing delegated yet.  PMP entry 0 lets S and
   U access everything (QEMU 7.2 refuses mret to S/U without a PMP rule). */
.macro PRIV_INIT
    li   t0, -1
    csrw pmpaddr0, t0
    li   t0, 0x1f                   /* NAPOT, RWX */
    csrw pmpcfg0, t0
    la   t0, m_trap
    csrw mtvec, t0
    la   t0, s_trap
    csrw stvec, t0
    csrw medeleg, zero
    csrw mideleg, zero
    la   t0, priv_rec
    sd   zero, PR_COUNT(t0)
.endm

/* Next trap to M continues (in M) at label; zeroes the record. */
.macro M_CONT label
    la   t0, priv_rec
    la   t1, \label
    sd   t1, PR_MCONT(t0)
    sd   zero, PR_COUNT(t0)
    sd   zero, PR_CAUSE(t0)
    sd   zero, PR_EPC(t0)
    sd   zero, PR_TVAL(t0)
.endm

/* Next trap to S continues (in S) at label; zeroes the record. */
.macro S_CONT label
    la   t0, priv_rec
    la   t1, \label
    sd   t1, PR_SCONT(t0)
    sd   zero, PR_COUNT(t0)
    sd   zero, PR_CAUSE(t0)
    sd   zero, PR_EPC(t0)
    sd   zero, PR_TVAL(t0)
.endm

/* From M: enter mode mpp (0 U, 1 S) at label with mret. */
.macro MRET_TO mpp, label
    li   t0, MSTATUS_MPP
    csrc mstatus, t0
    li   t0, (\mpp) << 11
    csrs mstatus, t0
    la   t0, \label
    csrw mepc, t0
    mret
.endm

/* Check the last trap: count 1, cause, epc = label, tval = constant.
   Codes code..code+3. */
.macro CHECK_PTRAP code, cause, epc_sym, tval
    la   t4, priv_rec
    ld   t4, PR_COUNT(t4)
    CHECK t4, 1, \code
    la   t4, priv_rec
    ld   t4, PR_CAUSE(t4)
    CHECK t4, \cause, \code+1
    la   t4, priv_rec
    ld   t4, PR_EPC(t4)
    CHECK_ADDR t4, \epc_sym, \code+2
    la   t4, priv_rec
    ld   t4, PR_TVAL(t4)
    CHECK t4, \tval, \code+3
.endm

/* Same, tval = address of tval_sym */
.macro CHECK_PTRAP_ADDR code, cause, epc_sym, tval_sym
    la   t4, priv_rec
    ld   t4, PR_COUNT(t4)
    CHECK t4, 1, \code
    la   t4, priv_rec
    ld   t4, PR_CAUSE(t4)
    CHECK t4, \cause, \code+1
    la   t4, priv_rec
    ld   t4, PR_EPC(t4)
    CHECK_ADDR t4, \epc_sym, \code+2
    la   t4, priv_rec
    ld   t4, PR_TVAL(t4)
    CHECK_ADDR t4, \tval_sym, \code+3
.endm

/* Same, tval = the 32-bit instruction word at epc_sym (illegal insn) */
.macro CHECK_PTRAP_INSN code, cause, epc_sym
    la   t4, priv_rec
    ld   t4, PR_COUNT(t4)
    CHECK t4, 1, \code
    la   t4, priv_rec
    ld   t4, PR_CAUSE(t4)
    CHECK t4, \cause, \code+1
    la   t4, priv_rec
    ld   t4, PR_EPC(t4)
    CHECK_ADDR t4, \epc_sym, \code+2
    la   t4, priv_rec
    ld   t4, PR_TVAL(t4)
    la   t5, \epc_sym
    lwu  t5, 0(t5)
    CHECK_REG t4, t5, \code+3
.endm

/* Load a record field */
.macro PREC reg, field
    la   \reg, priv_rec
    ld   \reg, \field(\reg)
.endm

/* The handlers and the record: put once in each test (after TEST_END). */
.macro PRIV_HANDLERS
    .balign 4
m_trap:
    la   t0, priv_rec
    csrr t1, mcause
    sd   t1, PR_CAUSE(t0)
    csrr t1, mepc
    sd   t1, PR_EPC(t0)
    csrr t1, mtval
    sd   t1, PR_TVAL(t0)
    csrr t1, mstatus
    sd   t1, PR_STATUS(t0)
    ld   t1, PR_COUNT(t0)
    addi t1, t1, 1
    sd   t1, PR_COUNT(t0)
    ld   t1, PR_MCONT(t0)
    jr   t1
    .balign 4
s_trap:
    la   t0, priv_rec
    csrr t1, scause
    sd   t1, PR_CAUSE(t0)
    csrr t1, sepc
    sd   t1, PR_EPC(t0)
    csrr t1, stval
    sd   t1, PR_TVAL(t0)
    csrr t1, sstatus
    sd   t1, PR_STATUS(t0)
    ld   t1, PR_COUNT(t0)
    addi t1, t1, 1
    sd   t1, PR_COUNT(t0)
    ld   t1, PR_SCONT(t0)
    jr   t1
    .pushsection .bss
    .balign 64
priv_rec:
    .space 64
    .popsection
.endm

#endif /* __ASSEMBLER__ */
#endif /* LOOM_GUEST_PRIV_H */
