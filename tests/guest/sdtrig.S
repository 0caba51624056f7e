/*
 * sdtrig.S - Sdtrig debug triggers (RISC-V debug spec 1.0): tselect,
 * tdata1..3, tinfo; mcontrol6 address matches raising breakpoints.
 *
 * loom has 4 triggers, each mcontrol6 (type 6) or disabled (type 15).
 * Triggers with action 0 neither match nor fire in M-mode while
 * mstatus.MIE = 0, nor in S-mode while SIE = 0 when medeleg[3] = 1 (the
 * spec's first reentrancy option): the checks run with MIE = 0
 * (LIVE_OFF) so that their own loads never fire, and each triggering
 * access runs with MIE = 1 (LIVE_ON; mie = 0, so no interrupt).
 *
 * Covers:
 *   - enumeration: tselect 0..3 read back, 4 and -1 are not taken, tinfo
 *     = version 1, types 6 and 15; reset tdata1 = type 15;
 *   - tdata1 WARL: type 0, 2 and 15 writes give type 15 with every other
 *     bit 0; type 6 keeps load/store/execute/u/s/m and match 0/2/3/8,
 *     drops dmode, action, chain, select, size, hit, uncertain, vs/vu and
 *     reserved match values (NAPOT -> equal); tdata2 holds 64 bits;
 *     tdata3 reads 0;
 *   - execute trigger in M: mcause 3, mepc = mtval = the insn, which does
 *     not run; also on code translated before the trigger was armed, and
 *     not after it is disarmed; not with MIE = 0; not with m = 0;
 *     before the fetch's access fault (a jump to unmapped 0x0: 3, not 1);
 *   - load/store triggers in M: every byte of an access is a compare
 *     value (ld over the address fires, mtval = the address); loads do
 *     not fire store triggers and the other way round; AMOs are loads and
 *     stores, SC a store; FP loads/stores; >= with a misaligned access
 *     (mtval = tdata2, before the access: memory unchanged); < ; not
 *     equal; two triggers armed at once;
 *   - U and S: u=1 fires in U (MPP = U), s=1 alone does not; s=1 fires in
 *     S with medeleg[3] = 0 whatever SIE; with medeleg[3] = 1 only when
 *     SIE = 1, and then to S (scause 3, stval);
 *   - S-mode access to tselect: illegal instruction.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"
#include "priv.h"

#define TYPE6      (6 << 60)
#define TYPE15     (15 << 60)
#define T_LOAD     0x1
#define T_STORE    0x2
#define T_EXEC     0x4
#define T_U        0x8
#define T_S        0x10
#define T_M        0x40
#define T_MATCH(n) ((n) << 7)
#define TINFO_VAL  0x01008040
#define MSTATUS_FS_INIT 0x2000

.macro LIVE_ON
    csrsi mstatus, MSTATUS_MIE
.endm
.macro LIVE_OFF
    csrci mstatus, MSTATUS_MIE
.endm

/* tselect = n; tdata2 = address of sym; tdata1 = type 6 | bits */
.macro ARM n, sym, bits
    li   t0, \n
    csrw tselect, t0
    la   t0, \sym
    csrw tdata2, t0
    li   t0, TYPE6 | (\bits)
    csrw tdata1, t0
.endm

.macro DISARM n
    li   t0, \n
    csrw tselect, t0
    csrw tdata1, zero
.endm

/* write tdata1 (of the selected trigger), check what reads back */
.macro T1_WARL val, expect, code
    li   t0, \val
    csrw tdata1, t0
    csrr t1, tdata1
    CHECK t1, \expect, \code
.endm

TEST_BEGIN 1
    li   t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    /* ================= enumeration and WARL ================= */
    csrw tselect, zero
    csrr a0, tselect
    CHECK a0, 0, 1
    csrr a0, tinfo
    CHECK a0, TINFO_VAL, 2
    csrr a0, tdata1
    CHECK a0, TYPE15, 3
    li   t0, 3
    csrw tselect, t0
    csrr a0, tselect
    CHECK a0, 3, 4
    csrr a0, tinfo
    CHECK a0, TINFO_VAL, 5
    li   t0, 4
    csrw tselect, t0
    csrr a0, tselect
    CHECK a0, 3, 6                      /* no trigger 4: not taken */
    li   t0, -1
    csrw tselect, t0
    csrr a0, tselect
    CHECK a0, 3, 7

    csrw tselect, zero
    T1_WARL 0, TYPE15, 8
    T1_WARL (2 << 60) | 0x5f, TYPE15, 9             /* mcontrol: unsupported */
    T1_WARL TYPE15 | 0x5f, TYPE15, 10
    T1_WARL -1 & ~(0xf << 60) | TYPE6, TYPE6 | 0x5f, 11   /* match 15 -> 0 */
    T1_WARL TYPE6 | T_M | T_EXEC | T_MATCH(2), TYPE6 | T_M | T_EXEC | T_MATCH(2), 12
    T1_WARL TYPE6 | T_LOAD | T_MATCH(3), TYPE6 | T_LOAD | T_MATCH(3), 13
    T1_WARL TYPE6 | T_STORE | T_MATCH(8), TYPE6 | T_STORE | T_MATCH(8), 14
    T1_WARL TYPE6 | T_STORE | T_MATCH(1), TYPE6 | T_STORE, 15       /* NAPOT */
    T1_WARL TYPE6 | T_LOAD | (1 << 59) | (1 << 12) | (1 << 11), TYPE6 | T_LOAD, 16
    T1_WARL TYPE6 | T_LOAD | (1 << 21) | (5 << 16) | (1 << 22), TYPE6 | T_LOAD, 17
    li   t0, 0x8123456789abcdef
    csrw tdata2, t0
    csrr a0, tdata2
    CHECK a0, 0x8123456789abcdef, 18
    li   t0, -1
    csrw tdata3, t0
    csrr a0, tdata3
    CHECK a0, 0, 19
    csrw tinfo, t0                      /* read-only fields: ignored */
    csrr a0, tinfo
    CHECK a0, TINFO_VAL, 20
    csrw tdata1, zero
    csrr a0, tdata1
    CHECK a0, TYPE15, 21

    /* ================= execute triggers in M ================= */
    TRAP_RECORD_ON
    li   a0, 0
    call xfn                            /* translated before arming */
    CHECK a0, 3, 22
    ARM  0, xfn_2, T_M | T_EXEC
    TRAP_RESET
    li   a0, 0
    LIVE_ON
    call xfn
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 23, CAUSE_BREAKPOINT, xfn_2, xfn_2
    CHECK a0, 2, 27                     /* xfn_2 skipped: 1 + 1 */
    TRAP_FIELD t4, TR_STATUS
    andi t4, t4, MSTATUS_MPIE
    CHECK t4, MSTATUS_MPIE, 28          /* taken with MIE = 1 */
    /* MIE = 0: no match */
    TRAP_RESET
    li   a0, 0
    call xfn
    CHECK a0, 3, 29
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 30
    /* m = 0: not in M */
    li   t0, TYPE6 | T_S | T_U | T_EXEC
    csrw tdata1, t0
    li   a0, 0
    LIVE_ON
    call xfn
    LIVE_OFF
    CHECK a0, 3, 31
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 32
    /* disarmed: runs again */
    ARM  0, xfn_2, T_M | T_EXEC
    csrw tdata1, zero
    li   a0, 0
    LIVE_ON
    call xfn
    LIVE_OFF
    CHECK a0, 3, 33
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 34
    /* before the fetch's access fault */
    li   t0, 0
    csrw tselect, t0
    csrw tdata2, zero
    li   t0, TYPE6 | T_M | T_EXEC
    csrw tdata1, t0
    TRAP_RESET
    TRAP_RESUME_AT x_back
    LIVE_ON
    jalr zero, 0(zero)
x_back:
    LIVE_OFF
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 35
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_BREAKPOINT, 36
    TRAP_FIELD t4, TR_EPC
    CHECK t4, 0, 37
    TRAP_FIELD t4, TR_TVAL
    CHECK t4, 0, 38
    csrw tdata1, zero

    /* ================= load/store triggers in M ================= */
    la   s0, dbuf
    ARM  0, dbuf + 4, T_M | T_LOAD
    TRAP_RESET
    li   a0, 0x1234
    LIVE_ON
ls_lw:
    lw   a0, 4(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 39, CAUSE_BREAKPOINT, ls_lw, dbuf + 4
    CHECK a0, 0x1234, 43
    TRAP_RESET
    LIVE_ON
ls_ld:
    ld   a0, 0(s0)                      /* bytes 0..7 include 4 */
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 44, CAUSE_BREAKPOINT, ls_ld, dbuf + 4
    TRAP_RESET
    li   a1, -1
    LIVE_ON
    lw   a0, 8(s0)                      /* not the address */
    lb   a0, 5(s0)
    sw   a1, 4(s0)                      /* a store: load trigger only */
    LIVE_OFF
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 48
    CHECK_MEMD dbuf, 0xffffffff00000000, 49
    sd   zero, 0(s0)
    TRAP_RESET
    LIVE_ON
ls_amo:
    amoadd.w a0, a1, (s0)               /* bytes 0..3: no */
    addi a2, s0, 4
ls_amo2:
    amoadd.w a0, a1, (a2)               /* an AMO is a load */
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 50, CAUSE_BREAKPOINT, ls_amo2, dbuf + 4
    CHECK_MEMD dbuf, 0x00000000ffffffff, 54
    sd   zero, 0(s0)

    ARM  0, dbuf + 4, T_M | T_STORE
    TRAP_RESET
    li   a1, -1
    LIVE_ON
ls_sd:
    sd   a1, 0(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 55, CAUSE_BREAKPOINT, ls_sd, dbuf + 4
    CHECK_MEMD dbuf, 0, 59              /* not written */
    TRAP_RESET
    LIVE_ON
    ld   a0, 0(s0)                      /* a load: store trigger only */
    fld  fa0, 0(s0)
    LIVE_OFF
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 60
    TRAP_RESET
    fmv.d.x fa0, a1
    LIVE_ON
ls_fsd:
    fsd  fa0, 0(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 61, CAUSE_BREAKPOINT, ls_fsd, dbuf + 4
    TRAP_RESET
    addi a2, s0, 4
    LIVE_ON
    lr.w a0, (a2)                       /* LR is a load */
ls_sc:
    sc.w a3, a1, (a2)                   /* SC is a store */
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 65, CAUSE_BREAKPOINT, ls_sc, dbuf + 4
    CHECK_MEMD dbuf, 0, 69

    /* >= dbuf + 16: a misaligned ld over it, before the access */
    ARM  0, dbuf + 16, T_M | T_LOAD | T_STORE | T_MATCH(2)
    TRAP_RESET
    LIVE_ON
    ld   a0, 8(s0)                      /* 8..15: below */
ls_ge:
    sd   a1, 12(s0)                     /* 12..19 */
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 70, CAUSE_BREAKPOINT, ls_ge, dbuf + 16
    CHECK_MEMD dbuf + 8, 0, 74
    CHECK_MEMD dbuf + 16, 0, 75
    /* < dbuf + 8 */
    li   t0, TYPE6 | T_M | T_LOAD | T_MATCH(3)
    csrw tdata1, t0
    la   t0, dbuf + 8
    csrw tdata2, t0
    TRAP_RESET
    LIVE_ON
    ld   a0, 8(s0)
ls_lt:
    lbu  a0, 7(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 76, CAUSE_BREAKPOINT, ls_lt, dbuf + 7
    /* != dbuf + 8 */
    li   t0, TYPE6 | T_M | T_LOAD | T_MATCH(8)
    csrw tdata1, t0
    TRAP_RESET
    LIVE_ON
    lbu  a0, 8(s0)
ls_ne:
    lbu  a0, 9(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 80, CAUSE_BREAKPOINT, ls_ne, dbuf + 9
    /* two at once: trigger 0 on a store to +24, trigger 3 on a load of +8 */
    ARM  0, dbuf + 24, T_M | T_STORE
    ARM  3, dbuf + 8, T_M | T_LOAD
    TRAP_RESET
    LIVE_ON
    lw   a0, 24(s0)
    sw   a1, 8(s0)
ls_two1:
    lw   a0, 8(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 84, CAUSE_BREAKPOINT, ls_two1, dbuf + 8
    TRAP_RESET
    LIVE_ON
ls_two2:
    sw   a1, 24(s0)
    LIVE_OFF
    CHECK_TRAP_TVAL_ADDR 88, CAUSE_BREAKPOINT, ls_two2, dbuf + 24
    DISARM 0
    DISARM 3
    TRAP_RECORD_OFF

    /* ================= U and S ================= */
    PRIV_INIT
    ARM  1, u_code, T_U | T_EXEC
    M_CONT m_u1
    MRET_TO 0, u_code
m_u1:
    CHECK_PTRAP_ADDR 92, CAUSE_BREAKPOINT, u_code, u_code
    PREC a1, PR_STATUS
    li   t0, MSTATUS_MPP
    and  a1, a1, t0
    CHECK a1, 0, 96                     /* from U */
    ARM  1, u_code, T_S | T_EXEC
    M_CONT m_u2
    MRET_TO 0, u_code
m_u2:
    CHECK_PTRAP 97, CAUSE_ECALL_U, u_ecall, 0
    /* S, medeleg[3] = 0: fires with SIE = 0 */
    ARM  1, dbuf + 32, T_S | T_LOAD
    M_CONT m_s1
    MRET_TO 1, s_code
m_s1:
    CHECK_PTRAP_ADDR 101, CAUSE_BREAKPOINT, s_load, dbuf + 32
    /* medeleg[3] = 1: not with SIE = 0 ... */
    li   t0, 1 << CAUSE_BREAKPOINT
    csrw medeleg, t0
    M_CONT m_s2
    MRET_TO 1, s_code
m_s2:
    CHECK_PTRAP 105, CAUSE_ECALL_S, s_ecall, 0
    /* ... but with SIE = 1, and then to S */
    li   t0, MSTATUS_SIE
    csrs mstatus, t0
    S_CONT s_took
    MRET_TO 1, s_code
s_took:
    CHECK_PTRAP_ADDR 109, CAUSE_BREAKPOINT, s_load, dbuf + 32
    /* S may not touch the trigger CSRs (illegal: to M) */
    M_CONT m_ill
s_tsel:
    csrr a0, tselect
m_ill:
    CHECK_PTRAP_INSN 113, CAUSE_ILLEGAL_INSN, s_tsel
    DISARM 1
    csrw medeleg, zero
    PASS
TEST_END

    PRIV_HANDLERS

/* a0 += 3 in three insns; the trigger sits on the second */
xfn:
    addi a0, a0, 1
xfn_2:
    addi a0, a0, 1
    addi a0, a0, 1
    ret

u_code:
    nop
u_ecall:
    ecall

s_code:
    la   a1, dbuf
s_load:
    ld   a0, 32(a1)
s_ecall:
    ecall

    .data
    .balign 16
dbuf:
    .space 48
