/*
 * csr.S - Zicsr instructions and the machine-mode CSRs loom implements.
 *
 * Covers:
 *   - csrrw/csrrs/csrrc and csrrwi/csrrsi/csrrci on mscratch: old value
 *     in rd, new value written (set / clear bits), 5-bit immediates are
 *     zero-extended (31 stays 31);
 *   - forms that must not write: csrrs/csrrc with rs1 = x0 and
 *     csrrsi/csrrci with uimm = 0 (legal even on read-only CSRs such as
 *     mhartid, cycle, time, instret);
 *   - rd = x0 (write only), rd == rs1 (swap);
 *   - mhartid = 0 on hart 0; misa: MXL = 2 (RV64) and the I, M, A bits;
 *   - mtvec in direct mode: reads back what was written and a trap goes
 *     there; mepc, mcause, mtval, mie, mstatus
 *     (MIE, MPIE, MPP = M) read back what was written.
 * Write attempts to read-only CSRs are in traps.S.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

TEST_BEGIN 1

    /* ---- csrrw / csrr round trip on mscratch (full 64 bits) ---- */
    li   a1, 0x0123456789abcdef
    csrw mscratch, a1
    csrr a3, mscratch
    CHECK a3, 0x0123456789abcdef, 1

    li   a2, 0xfedcba9876543210
    csrrw a3, mscratch, a2          /* rd = old, CSR = rs1 */
    CHECK a3, 0x0123456789abcdef, 2
    csrr a3, mscratch
    CHECK a3, 0xfedcba9876543210, 3

    /* ---- csrrs / csrrc: old value in rd, bits set / cleared ---- */
    li   a1, 0xff00ff0000000000
    csrw mscratch, a1
    li   a2, 0x00000000000000ff
    csrrs a3, mscratch, a2
    CHECK a3, 0xff00ff0000000000, 4
    csrr a3, mscratch
    CHECK a3, 0xff00ff00000000ff, 5
    li   a2, 0xf000000000000001
    csrrc a3, mscratch, a2
    CHECK a3, 0xff00ff00000000ff, 6
    csrr a3, mscratch
    CHECK a3, 0x0f00ff00000000fe, 7

    /* ---- immediate forms: uimm[4:0] zero-extended ---- */
    csrrwi a3, mscratch, 31
    CHECK a3, 0x0f00ff00000000fe, 8
    csrr a3, mscratch
    CHECK a3, 31, 9                 /* 31, not -1 */
    csrrci a3, mscratch, 0x11
    CHECK a3, 31, 10
    csrr a3, mscratch
    CHECK a3, 0x0e, 11
    csrrsi a3, mscratch, 0x10
    CHECK a3, 0x0e, 12
    csrr a3, mscratch
    CHECK a3, 0x1e, 13
    csrwi mscratch, 0
    csrr a3, mscratch
    CHECK a3, 0, 14

    /* ---- forms that only read ---- */
    li   a1, 0x5a5a5a5a5a5a5a5a
    csrw mscratch, a1
    csrrs a3, mscratch, x0
    CHECK a3, 0x5a5a5a5a5a5a5a5a, 15
    csrrc a3, mscratch, x0
    CHECK a3, 0x5a5a5a5a5a5a5a5a, 16
    csrrsi a3, mscratch, 0
    csrrci a3, mscratch, 0
    csrr a3, mscratch
    CHECK a3, 0x5a5a5a5a5a5a5a5a, 17

    /* ---- rd = x0 writes without reading; rd == rs1 swaps ---- */
    li   a2, 0x1111
    csrrw x0, mscratch, a2
    CHECK x0, 0, 18
    csrr a3, mscratch
    CHECK a3, 0x1111, 19
    li   a1, 0x2222
    csrrw a1, mscratch, a1          /* a1 <- old (0x1111), CSR <- 0x2222 */
    CHECK a1, 0x1111, 20
    csrr a3, mscratch
    CHECK a3, 0x2222, 21
    li   a1, 0x0f0f
    csrrs a1, mscratch, a1          /* a1 <- 0x2222, CSR <- 0x2f2f */
    CHECK a1, 0x2222, 22
    csrr a3, mscratch
    CHECK a3, 0x2f2f, 23

    /* ---- mhartid and read-only counters: read-only forms are legal ---- */
    csrr a3, mhartid
    CHECK a3, 0, 24
    li   a3, 99
    csrrs a3, mhartid, x0
    CHECK a3, 0, 25
    li   a3, 99
    csrrsi a3, mhartid, 0
    CHECK a3, 0, 26
    li   a3, 99
    csrrci a3, mhartid, 0
    CHECK a3, 0, 27
    csrrs a3, cycle, x0
    csrrc a3, instret, x0
    csrrsi a3, time, 0
    csrrci a3, cycle, 0             /* no trap for any of these */

    /* ---- misa: MXL = 2 (XLEN 64), extensions I, M, A present ---- */
    csrr a1, misa
    srli a3, a1, 62
    CHECK a3, 2, 28
    andi a3, a1, 1 << 8             /* 'I' */
    CHECK a3, 1 << 8, 29
    li   a2, 1 << 12                /* 'M' */
    and  a3, a1, a2
    CHECK a3, 1 << 12, 30
    andi a3, a1, 1 << 0             /* 'A' */
    CHECK a3, 1, 31
    andi a3, a1, 1 << 4             /* 'E' must be clear when 'I' is set */
    CHECK a3, 0, 32

    /* ---- mtvec, direct mode: reads back, traps go there ---- */
    csrr s0, mtvec                  /* the default handler */
    la   a1, csr_test_handler
    csrw mtvec, a1
    csrr a3, mtvec
    CHECK_ADDR a3, csr_test_handler, 33
    andi a3, a3, 3
    CHECK a3, 0, 34                 /* MODE = 0 (direct) */
    li   s1, 0
    ecall                           /* handler sets s1 = 0x7e57 */
    CHECK s1, 0x7e57, 35
    csrw mtvec, s0
    csrr a3, mtvec
    CHECK_ADDR a3, unexpected_trap, 36

    /* ---- mepc: read/write (a 4-byte aligned value; the low bits
     *      reading as zero is checked in spec_strict.S) ---- */
    li   a1, 0x80001234
    csrw mepc, a1
    csrr a3, mepc
    CHECK a3, 0x80001234, 37

    /* ---- mcause and mtval hold what is written (legal values) ---- */
    li   a1, CAUSE_IRQ_M_TIMER
    csrw mcause, a1
    csrr a3, mcause
    CHECK a3, CAUSE_IRQ_M_TIMER, 39
    li   a1, CAUSE_ECALL_M
    csrw mcause, a1
    csrr a3, mcause
    CHECK a3, CAUSE_ECALL_M, 40
    li   a1, 0xdeadbeefcafef00d
    csrw mtval, a1
    csrr a3, mtval
    CHECK a3, 0xdeadbeefcafef00d, 41

    /* ---- mie: MSIE, MTIE, MEIE are writable (mstatus.MIE = 0 here) ---- */
    li   a1, MIP_MSIP | MIP_MTIP | MIP_MEIP
    csrw mie, a1
    csrr a3, mie
    CHECK a3, MIP_MSIP | MIP_MTIP | MIP_MEIP, 42
    csrci mie, MIP_MSIP
    csrr a3, mie
    CHECK a3, MIP_MTIP | MIP_MEIP, 43
    csrw mie, zero
    csrr a3, mie
    CHECK a3, 0, 44

    /* ---- mstatus: MIE, MPIE, MPP (= M, the only legal value) ---- */
    csrsi mstatus, MSTATUS_MIE      /* safe: mie = 0 */
    csrr a3, mstatus
    andi a3, a3, MSTATUS_MIE
    CHECK a3, MSTATUS_MIE, 45
    csrci mstatus, MSTATUS_MIE
    csrr a3, mstatus
    andi a3, a3, MSTATUS_MIE
    CHECK a3, 0, 46
    li   a1, MSTATUS_MPIE
    csrs mstatus, a1
    csrr a3, mstatus
    andi a3, a3, MSTATUS_MPIE
    CHECK a3, MSTATUS_MPIE, 47
    csrc mstatus, a1
    csrr a3, mstatus
    andi a3, a3, MSTATUS_MPIE
    CHECK a3, 0, 48
    li   a1, MSTATUS_MPP
    csrs mstatus, a1
    csrr a3, mstatus
    and  a3, a3, a1
    CHECK a3, MSTATUS_MPP, 49

    /* ---- mip is readable ---- */
    csrr a3, mip

    PASS
TEST_END

/* Direct-mode handler for the mtvec check: expects the ecall above. */
    .balign 4
csr_test_handler:
    csrr t0, mcause
    CHECK t0, CAUSE_ECALL_M, 50
    li   s1, 0x7e57
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret
