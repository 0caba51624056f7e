/*
 * rvf.S - the F extension: exact results and exact fflags.
 *
 * Covers: mstatus.FS = Off makes FP instructions and FP CSRs illegal;
 * FS becomes Dirty (and SD reads 1) when FP state is written; fcsr,
 * frm, fflags; NaN boxing (flw/fmv.w.x box, improperly boxed inputs read
 * as the canonical NaN, fsw/fmv.x.w use the raw low bits); canonical
 * NaNs and NV for signaling inputs; every rounding mode on values that
 * round differently (ties included), static and dynamic, reserved
 * rounding modes illegal; overflow, underflow (tininess after rounding),
 * subnormals; fdiv/fsqrt special cases; fused multiply-add with one
 * rounding; fmin/fmax (-0 < +0, NaN operands); feq/flt/fle signalling;
 * fclass (all ten classes); sign injection; fcvt between integers and
 * single with the saturation table.
 * Expected values were checked on qemu-system-riscv64 7.2.
 */
#include "testmacros.h"
#include "fptest.h"

#define CANON_S 0xffffffff7fc00000
#define S(x) (0xffffffff00000000 | (x))

TEST_BEGIN 1
    /* ---- FS = Off (reset): FP instructions and CSRs are illegal ---- */
    li   t0, MSTATUS_FS
    csrc mstatus, t0
    TRAP_RECORD_ON
    TRAP_RESET
    la   a0, fdata
off_flw:
    flw  fa0, 0(a0)
    CHECK_TRAP_INSN 1, CAUSE_ILLEGAL_INSN, off_flw
    TRAP_RESET
off_fmv:
    fmv.w.x fa0, zero
    CHECK_TRAP_INSN 5, CAUSE_ILLEGAL_INSN, off_fmv
    TRAP_RESET
off_csr:
    csrr a1, fflags
    CHECK_TRAP_INSN 9, CAUSE_ILLEGAL_INSN, off_csr
    TRAP_RESET
off_fcsr:
    csrw fcsr, zero
    CHECK_TRAP_INSN 13, CAUSE_ILLEGAL_INSN, off_fcsr

    /* ---- FS = Initial; writing FP state makes it Dirty ---- */
    li   t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    csrr a1, mstatus
    li   t0, MSTATUS_FS | MSTATUS_SD
    and  a1, a1, t0
    CHECK a1, MSTATUS_FS_INIT, 17
    fmv.w.x fa0, zero
    csrr a1, mstatus
    and  a1, a1, t0
    CHECK a1, MSTATUS_FS | MSTATUS_SD, 18

    /* ---- fcsr, frm, fflags ---- */
    csrw fcsr, zero
    li   t0, 0xff
    csrw fcsr, t0
    csrr a1, fcsr
    CHECK a1, 0xff, 19
    csrr a1, frm
    CHECK a1, 7, 20
    csrr a1, fflags
    CHECK a1, 0x1f, 21
    li   t0, 0x2a5
    csrw fcsr, t0
    csrr a1, fcsr
    CHECK a1, 0xa5, 22
    fsrmi 1
    csrr a1, fcsr
    CHECK a1, 0x25, 23
    csrw fcsr, zero

    /* ---- NaN boxing ---- */
    la   a0, fdata
    flw  fa0, 0(a0)                 /* 1.0 */
    FCHK 24, fa0, S(0x3f800000), 0
    LDD  fa0, 0x000000003f800000    /* not boxed: the canonical NaN */
    fadd.s fa3, fa0, fa0
    FCHK 25, fa3, CANON_S, 0
    LDD  fa0, 0xfffffffe3f800000
    LDS  fa1, 0x3f800000
    fmul.s fa3, fa1, fa0
    FCHK 26, fa3, CANON_S, 0
    LDD  fa0, 0x123456789abcdef0
    fmv.x.w a1, fa0                 /* raw low bits, sign-extended */
    XCHK 27, a1, 0xffffffff9abcdef0, 0
    fsw  fa0, 4(a0)
    lwu  a1, 4(a0)
    XCHK 28, a1, 0x9abcdef0, 0
    LDS  fa0, 0x80000000
    fmv.x.w a1, fa0
    XCHK 29, a1, 0xffffffff80000000, 0
    LDD  fa0, 0x000000003f800000
    LDS  fa1, 0x3f800000
    fsgnjn.s fa3, fa0, fa1          /* rs1 is the canonical NaN */
    FCHK 30, fa3, S(0xffc00000), 0
    fclass.s a1, fa0
    XCHK 31, a1, 0x200, 0

    /* ---- rounding modes: a tie, and 3/4 ulp ---- */
    LDS  fa0, 0x3f800000            /* 1 */
    LDS  fa1, 0x33800000            /* 2^-24: 1 + 2^-24 is a tie */
    fadd.s fa3, fa0, fa1, rne
    FCHK 32, fa3, S(0x3f800000), NX
    fadd.s fa3, fa0, fa1, rtz
    FCHK 33, fa3, S(0x3f800000), NX
    fadd.s fa3, fa0, fa1, rdn
    FCHK 34, fa3, S(0x3f800000), NX
    fadd.s fa3, fa0, fa1, rup
    FCHK 35, fa3, S(0x3f800001), NX
    fadd.s fa3, fa0, fa1, rmm
    FCHK 36, fa3, S(0x3f800001), NX
    fneg.s fa0, fa0
    fneg.s fa1, fa1                 /* -(1 + 2^-24) */
    fadd.s fa3, fa0, fa1, rne
    FCHK 37, fa3, S(0xbf800000), NX
    fadd.s fa3, fa0, fa1, rtz
    FCHK 38, fa3, S(0xbf800000), NX
    fadd.s fa3, fa0, fa1, rdn
    FCHK 39, fa3, S(0xbf800001), NX
    fadd.s fa3, fa0, fa1, rup
    FCHK 40, fa3, S(0xbf800000), NX
    fadd.s fa3, fa0, fa1, rmm
    FCHK 41, fa3, S(0xbf800001), NX
    LDS  fa0, 0x3f800001            /* 1 + 2^-23 */
    LDS  fa1, 0x33800000            /* odd + tie: RNE rounds up */
    fadd.s fa3, fa0, fa1, rne
    FCHK 42, fa3, S(0x3f800002), NX
    LDS  fa0, 0x3f800000
    LDS  fa1, 0x33c00000            /* 1.5 * 2^-24: above the tie */
    fadd.s fa3, fa0, fa1, rne
    FCHK 43, fa3, S(0x3f800001), NX
    fadd.s fa3, fa0, fa1, rtz
    FCHK 44, fa3, S(0x3f800000), NX
    fadd.s fa3, fa0, fa1, rmm
    FCHK 45, fa3, S(0x3f800001), NX
    LDS  fa1, 0x33000000            /* 2^-25: below the tie */
    fadd.s fa3, fa0, fa1, rmm
    FCHK 46, fa3, S(0x3f800000), NX
    fadd.s fa3, fa0, fa1, rup
    FCHK 47, fa3, S(0x3f800001), NX

    /* 1/3 in each mode, static and dynamic */
    LDS  fa0, 0x3f800000
    LDS  fa1, 0x40400000
    fdiv.s fa3, fa0, fa1, rne
    FCHK 48, fa3, S(0x3eaaaaab), NX
    fdiv.s fa3, fa0, fa1, rtz
    FCHK 49, fa3, S(0x3eaaaaaa), NX
    fdiv.s fa3, fa0, fa1, rdn
    FCHK 50, fa3, S(0x3eaaaaaa), NX
    fdiv.s fa3, fa0, fa1, rup
    FCHK 51, fa3, S(0x3eaaaaab), NX
    fdiv.s fa3, fa0, fa1, rmm
    FCHK 52, fa3, S(0x3eaaaaab), NX
    fsrmi 1                         /* dynamic: RTZ */
    fdiv.s fa3, fa0, fa1
    FCHK 53, fa3, S(0x3eaaaaaa), NX
    fsrmi 3                         /* dynamic: RUP */
    fneg.s fa0, fa0
    fdiv.s fa3, fa0, fa1
    FCHK 54, fa3, S(0xbeaaaaaa), NX
    fsrmi 0

    /* exact results raise nothing; zero signs */
    LDS  fa0, 0x40200000            /* 2.5 */
    LDS  fa1, 0x3f000000            /* 0.5 */
    fsub.s fa3, fa0, fa1
    FCHK 55, fa3, S(0x40000000), 0
    fmul.s fa3, fa0, fa1
    FCHK 56, fa3, S(0x3fa00000), 0
    fsub.s fa3, fa0, fa0, rne
    FCHK 57, fa3, S(0x00000000), 0
    fsub.s fa3, fa0, fa0, rdn
    FCHK 58, fa3, S(0x80000000), 0

    /* ---- special operands ---- */
    LDS  fa0, 0x3f800000            /* 1 */
    LDS  fa1, 0x00000000            /* +0 */
    fdiv.s fa3, fa0, fa1
    FCHK 59, fa3, S(0x7f800000), DZ
    fneg.s fa2, fa0
    fdiv.s fa3, fa2, fa1
    FCHK 60, fa3, S(0xff800000), DZ
    fdiv.s fa3, fa1, fa1
    FCHK 61, fa3, CANON_S, NV
    LDS  fa2, 0x7f800000            /* inf */
    fsub.s fa3, fa2, fa2
    FCHK 62, fa3, CANON_S, NV
    fmul.s fa3, fa2, fa1
    FCHK 63, fa3, CANON_S, NV
    fdiv.s fa3, fa0, fa2
    FCHK 64, fa3, S(0x00000000), 0
    LDS  fa2, 0x7fc00000            /* qNaN: quiet */
    fadd.s fa3, fa2, fa0
    FCHK 65, fa3, CANON_S, 0
    LDS  fa2, 0x7f800001            /* sNaN: invalid */
    fadd.s fa3, fa0, fa2
    FCHK 66, fa3, CANON_S, NV
    LDS  fa2, 0xffc12345            /* a qNaN payload is not kept */
    fmul.s fa3, fa2, fa0
    FCHK 67, fa3, CANON_S, 0

    /* ---- sqrt ---- */
    LDS  fa0, 0x40000000            /* 2 */
    fsqrt.s fa3, fa0, rne
    FCHK 68, fa3, S(0x3fb504f3), NX
    fsqrt.s fa3, fa0, rup
    FCHK 69, fa3, S(0x3fb504f4), NX
    LDS  fa0, 0x40800000            /* 4 */
    fsqrt.s fa3, fa0
    FCHK 70, fa3, S(0x40000000), 0
    LDS  fa0, 0xbf800000            /* -1 */
    fsqrt.s fa3, fa0
    FCHK 71, fa3, CANON_S, NV
    LDS  fa0, 0x80000000            /* -0 */
    fsqrt.s fa3, fa0
    FCHK 72, fa3, S(0x80000000), 0
    LDS  fa0, 0x7f800000
    fsqrt.s fa3, fa0
    FCHK 73, fa3, S(0x7f800000), 0
    LDS  fa0, 0x00000001            /* 2^-149: root 2^-74.5 */
    fsqrt.s fa3, fa0
    FCHK 74, fa3, S(0x1a3504f3), NX

    /* ---- overflow ---- */
    LDS  fa0, 0x7f7fffff            /* max */
    LDS  fa1, 0x40000000            /* 2 */
    fmul.s fa3, fa0, fa1, rne
    FCHK 75, fa3, S(0x7f800000), OF | NX
    fmul.s fa3, fa0, fa1, rtz
    FCHK 76, fa3, S(0x7f7fffff), OF | NX
    fmul.s fa3, fa0, fa1, rdn
    FCHK 77, fa3, S(0x7f7fffff), OF | NX
    fmul.s fa3, fa0, fa1, rup
    FCHK 78, fa3, S(0x7f800000), OF | NX
    fmul.s fa3, fa0, fa1, rmm
    FCHK 79, fa3, S(0x7f800000), OF | NX
    fneg.s fa0, fa0
    fmul.s fa3, fa0, fa1, rup
    FCHK 80, fa3, S(0xff7fffff), OF | NX
    fmul.s fa3, fa0, fa1, rdn
    FCHK 81, fa3, S(0xff800000), OF | NX
    LDS  fa0, 0x7f7fffff
    LDS  fa1, 0x73000000            /* 2^103: max + half an ulp rounds up */
    fadd.s fa3, fa0, fa1, rne
    FCHK 82, fa3, S(0x7f800000), OF | NX
    LDS  fa1, 0x72800000            /* 2^102: below the tie */
    fadd.s fa3, fa0, fa1, rne
    FCHK 83, fa3, S(0x7f7fffff), NX

    /* ---- underflow: tininess after rounding ---- */
    LDS  fa0, 0x00800000            /* 2^-126 */
    LDS  fa1, 0x3f000000            /* 0.5 */
    fmul.s fa3, fa0, fa1            /* exact subnormal: no flags */
    FCHK 84, fa3, S(0x00400000), 0
    LDS  fa0, 0x00000001            /* 2^-149 * 0.5: a tie */
    fmul.s fa3, fa0, fa1, rne
    FCHK 85, fa3, S(0x00000000), UF | NX
    fmul.s fa3, fa0, fa1, rmm
    FCHK 86, fa3, S(0x00000001), UF | NX
    fmul.s fa3, fa0, fa1, rup
    FCHK 87, fa3, S(0x00000001), UF | NX
    fmul.s fa3, fa0, fa1, rtz
    FCHK 88, fa3, S(0x00000000), UF | NX
    /* (1 - 2^-24) * 2^-126: rounds to 2^-126 but is tiny after rounding
       with an unbounded exponent (exactly representable there) */
    LDS  fa0, 0x3f7fffff
    LDS  fa1, 0x00800000
    fmul.s fa3, fa0, fa1, rne
    FCHK 89, fa3, S(0x00800000), UF | NX
    fmul.s fa3, fa0, fa1, rup
    FCHK 90, fa3, S(0x00800000), UF | NX
    fmul.s fa3, fa0, fa1, rmm
    FCHK 91, fa3, S(0x00800000), UF | NX
    fmul.s fa3, fa0, fa1, rdn
    FCHK 92, fa3, S(0x007fffff), UF | NX
    /* (1 - 2^-24) * 2^-126 * (1 + 2^-23): above 2^-126, not tiny */
    LDS  fa1, 0x00800001
    fmul.s fa3, fa0, fa1, rne
    FCHK 93, fa3, S(0x00800000), NX
    /* (1 - 2^-24) * 2^-149 + 2^-126: normal, only inexact */
    LDS  fa0, 0x3f7fffff
    LDS  fa1, 0x00800000
    LDS  fa2, 0x00000001
    fmadd.s fa3, fa0, fa2, fa1, rne
    FCHK 94, fa3, S(0x00800001), NX
    fsub.s fa3, fa1, fa2            /* exact subnormal difference */
    FCHK 95, fa3, S(0x007fffff), 0

    /* ---- fused multiply-add: one rounding ---- */
    LDS  fa0, 0x3f800001            /* 1 + 2^-23 */
    LDS  fa1, 0x3f7ffffe            /* 1 - 2^-23 */
    LDS  fa2, 0xbf800000            /* -1 */
    fmadd.s fa3, fa0, fa1, fa2      /* -2^-46 exactly */
    FCHK 96, fa3, S(0xa8800000), 0
    fmul.s fa4, fa0, fa1
    fadd.s fa3, fa4, fa2            /* two roundings: 0 */
    FCHK 97, fa3, S(0x00000000), NX
    fneg.s fa2, fa2                 /* +1 */
    fmsub.s fa3, fa0, fa1, fa2      /* a*b - c */
    FCHK 98, fa3, S(0xa8800000), 0
    fnmsub.s fa3, fa0, fa1, fa2     /* -(a*b) + c */
    FCHK 99, fa3, S(0x28800000), 0
    fneg.s fa2, fa2
    fnmadd.s fa3, fa0, fa1, fa2     /* -(a*b) - c */
    FCHK 100, fa3, S(0x28800000), 0
    LDS  fa0, 0x3f800000
    LDS  fa1, 0x33800000
    fmadd.s fa3, fa0, fa0, fa1, rmm /* 1 + 2^-24, tie away */
    FCHK 101, fa3, S(0x3f800001), NX
    fmadd.s fa3, fa0, fa0, fa1, rne
    FCHK 102, fa3, S(0x3f800000), NX
    LDS  fa0, 0x7f800000            /* inf * 0 + qNaN: invalid */
    LDS  fa1, 0x00000000
    LDS  fa2, 0x7fc00000
    fmadd.s fa3, fa0, fa1, fa2
    FCHK 103, fa3, CANON_S, NV
    LDS  fa0, 0x3f800000            /* 1 * 1 + qNaN: quiet */
    fmadd.s fa3, fa0, fa0, fa2
    FCHK 104, fa3, CANON_S, 0
    LDS  fa1, 0x00000000            /* 0 * 1 + (-0): +0, -0 when RDN */
    LDS  fa2, 0x80000000
    fmadd.s fa3, fa1, fa0, fa2, rne
    FCHK 105, fa3, S(0x00000000), 0
    fmadd.s fa3, fa1, fa0, fa2, rdn
    FCHK 106, fa3, S(0x80000000), 0
    fnmadd.s fa3, fa1, fa0, fa1, rne    /* -(+0) - (+0) = -0 */
    FCHK 107, fa3, S(0x80000000), 0

    /* ---- fmin, fmax ---- */
    LDS  fa0, 0x80000000            /* -0 */
    LDS  fa1, 0x00000000            /* +0 */
    fmin.s fa3, fa1, fa0
    FCHK 108, fa3, S(0x80000000), 0
    fmax.s fa3, fa0, fa1
    FCHK 109, fa3, S(0x00000000), 0
    LDS  fa0, 0x7fc00000            /* qNaN */
    LDS  fa1, 0x3f800000
    fmin.s fa3, fa0, fa1
    FCHK 110, fa3, S(0x3f800000), 0
    LDS  fa0, 0x7f800001            /* sNaN */
    fmax.s fa3, fa1, fa0
    FCHK 111, fa3, S(0x3f800000), NV
    LDS  fa1, 0x7fc00000
    fmax.s fa3, fa1, fa0
    FCHK 112, fa3, CANON_S, NV
    fmin.s fa3, fa1, fa1
    FCHK 113, fa3, CANON_S, 0
    LDS  fa0, 0xbf800000
    LDS  fa1, 0x3f800000
    fmin.s fa3, fa1, fa0
    FCHK 114, fa3, S(0xbf800000), 0
    fmax.s fa3, fa1, fa0
    FCHK 115, fa3, S(0x3f800000), 0

    /* ---- compares ---- */
    LDS  fa0, 0x80000000            /* -0 */
    LDS  fa1, 0x00000000            /* +0 */
    feq.s a1, fa0, fa1
    XCHK 116, a1, 1, 0
    flt.s a1, fa0, fa1
    XCHK 117, a1, 0, 0
    fle.s a1, fa0, fa1
    XCHK 118, a1, 1, 0
    LDS  fa2, 0x7fc00000            /* qNaN */
    feq.s a1, fa2, fa1
    XCHK 119, a1, 0, 0
    flt.s a1, fa2, fa1
    XCHK 120, a1, 0, NV
    fle.s a1, fa1, fa2
    XCHK 121, a1, 0, NV
    LDS  fa2, 0x7f800001            /* sNaN */
    feq.s a1, fa1, fa2
    XCHK 122, a1, 0, NV
    LDS  fa2, 0xbf800000
    flt.s a1, fa2, fa1
    XCHK 123, a1, 1, 0
    fle.s a1, fa1, fa2
    XCHK 124, a1, 0, 0

    /* ---- fclass ---- */
    LDS  fa0, 0xff800000
    fclass.s a1, fa0
    XCHK 125, a1, 0x001, 0
    LDS  fa0, 0xbf800000
    fclass.s a1, fa0
    XCHK 126, a1, 0x002, 0
    LDS  fa0, 0x807fffff
    fclass.s a1, fa0
    XCHK 127, a1, 0x004, 0
    LDS  fa0, 0x80000000
    fclass.s a1, fa0
    XCHK 128, a1, 0x008, 0
    LDS  fa0, 0x00000000
    fclass.s a1, fa0
    XCHK 129, a1, 0x010, 0
    LDS  fa0, 0x00000001
    fclass.s a1, fa0
    XCHK 130, a1, 0x020, 0
    LDS  fa0, 0x00800000
    fclass.s a1, fa0
    XCHK 131, a1, 0x040, 0
    LDS  fa0, 0x7f800000
    fclass.s a1, fa0
    XCHK 132, a1, 0x080, 0
    LDS  fa0, 0x7fbfffff
    fclass.s a1, fa0
    XCHK 133, a1, 0x100, 0
    LDS  fa0, 0xffc00000
    fclass.s a1, fa0
    XCHK 134, a1, 0x200, 0

    /* ---- sign injection: raw bits ---- */
    LDS  fa0, 0x7f800001            /* sNaN: no NV, payload kept */
    LDS  fa1, 0xbf800000
    fsgnj.s fa3, fa0, fa1
    FCHK 135, fa3, S(0xff800001), 0
    fsgnjn.s fa3, fa0, fa1
    FCHK 136, fa3, S(0x7f800001), 0
    fsgnjx.s fa3, fa1, fa1
    FCHK 137, fa3, S(0x3f800000), 0
    fsgnjx.s fa3, fa0, fa1
    FCHK 138, fa3, S(0xff800001), 0

    /* ---- fcvt to integers: rounding and the saturation table ---- */
    LDS  fa0, 0x40200000            /* 2.5 */
    fcvt.w.s a1, fa0, rne
    XCHK 139, a1, 2, NX
    fcvt.w.s a1, fa0, rtz
    XCHK 140, a1, 2, NX
    fcvt.w.s a1, fa0, rdn
    XCHK 141, a1, 2, NX
    fcvt.w.s a1, fa0, rup
    XCHK 142, a1, 3, NX
    fcvt.w.s a1, fa0, rmm
    XCHK 143, a1, 3, NX
    LDS  fa0, 0xc0200000            /* -2.5 */
    fcvt.w.s a1, fa0, rne
    XCHK 144, a1, -2, NX
    fcvt.w.s a1, fa0, rdn
    XCHK 145, a1, -3, NX
    fcvt.w.s a1, fa0, rup
    XCHK 146, a1, -2, NX
    fcvt.w.s a1, fa0, rmm
    XCHK 147, a1, -3, NX
    fcvt.l.s a1, fa0, rtz
    XCHK 148, a1, -2, NX
    LDS  fa0, 0x7fc00000            /* NaN -> largest positive */
    fcvt.w.s a1, fa0
    XCHK 149, a1, 0x7fffffff, NV
    fcvt.wu.s a1, fa0
    XCHK 150, a1, 0xffffffffffffffff, NV
    fcvt.l.s a1, fa0
    XCHK 151, a1, 0x7fffffffffffffff, NV
    fcvt.lu.s a1, fa0
    XCHK 152, a1, 0xffffffffffffffff, NV
    LDS  fa0, 0xff800000            /* -inf */
    fcvt.w.s a1, fa0
    XCHK 153, a1, 0xffffffff80000000, NV
    fcvt.wu.s a1, fa0
    XCHK 154, a1, 0, NV
    fcvt.l.s a1, fa0
    XCHK 155, a1, 0x8000000000000000, NV
    fcvt.lu.s a1, fa0
    XCHK 156, a1, 0, NV
    LDS  fa0, 0x7f800000            /* +inf */
    fcvt.w.s a1, fa0
    XCHK 157, a1, 0x7fffffff, NV
    fcvt.lu.s a1, fa0
    XCHK 158, a1, 0xffffffffffffffff, NV
    LDS  fa0, 0x4f32d05e            /* 3e9 */
    fcvt.w.s a1, fa0
    XCHK 159, a1, 0x7fffffff, NV
    fcvt.wu.s a1, fa0               /* fits; sign-extended */
    XCHK 160, a1, 0xffffffffb2d05e00, 0
    fcvt.l.s a1, fa0
    XCHK 161, a1, 3000000000, 0
    LDS  fa0, 0xcf32d05e            /* -3e9 */
    fcvt.w.s a1, fa0
    XCHK 162, a1, 0xffffffff80000000, NV
    fcvt.wu.s a1, fa0
    XCHK 163, a1, 0, NV
    LDS  fa0, 0xcf000000            /* -2^31: fits exactly */
    fcvt.w.s a1, fa0
    XCHK 164, a1, 0xffffffff80000000, 0
    LDS  fa0, 0x4f000000            /* 2^31 */
    fcvt.w.s a1, fa0
    XCHK 165, a1, 0x7fffffff, NV
    fcvt.wu.s a1, fa0
    XCHK 166, a1, 0xffffffff80000000, 0
    LDS  fa0, 0x5f000000            /* 2^63 */
    fcvt.l.s a1, fa0
    XCHK 167, a1, 0x7fffffffffffffff, NV
    fcvt.lu.s a1, fa0
    XCHK 168, a1, 0x8000000000000000, 0
    LDS  fa0, 0xdf000000            /* -2^63 */
    fcvt.l.s a1, fa0
    XCHK 169, a1, 0x8000000000000000, 0
    LDS  fa0, 0x5f800000            /* 2^64 */
    fcvt.lu.s a1, fa0
    XCHK 170, a1, 0xffffffffffffffff, NV
    LDS  fa0, 0xbf000000            /* -0.5 */
    fcvt.wu.s a1, fa0, rtz          /* rounds to 0: only inexact */
    XCHK 171, a1, 0, NX
    fcvt.wu.s a1, fa0, rdn          /* rounds to -1: invalid */
    XCHK 172, a1, 0, NV
    fcvt.lu.s a1, fa0, rmm
    XCHK 173, a1, 0, NV
    LDS  fa0, 0xbf7fffff            /* -(1 - 2^-24), RNE -> -1 */
    fcvt.lu.s a1, fa0, rne
    XCHK 174, a1, 0, NV
    LDS  fa0, 0x80000000            /* -0 */
    fcvt.wu.s a1, fa0
    XCHK 175, a1, 0, 0
    LDS  fa0, 0x00000001            /* tiny */
    fcvt.w.s a1, fa0, rup
    XCHK 176, a1, 1, NX
    fcvt.w.s a1, fa0, rne
    XCHK 177, a1, 0, NX

    /* ---- fcvt from integers ---- */
    li   a1, 0x7fffffff
    fcvt.s.w fa3, a1, rne
    FCHK 178, fa3, S(0x4f000000), NX
    fcvt.s.w fa3, a1, rtz
    FCHK 179, fa3, S(0x4effffff), NX
    li   a1, -1
    fcvt.s.w fa3, a1
    FCHK 180, fa3, S(0xbf800000), 0
    fcvt.s.wu fa3, a1, rne          /* 2^32 - 1 */
    FCHK 181, fa3, S(0x4f800000), NX
    fcvt.s.wu fa3, a1, rdn
    FCHK 182, fa3, S(0x4f7fffff), NX
    fcvt.s.l fa3, a1
    FCHK 183, fa3, S(0xbf800000), 0
    fcvt.s.lu fa3, a1, rtz          /* 2^64 - 1 */
    FCHK 184, fa3, S(0x5f7fffff), NX
    fcvt.s.lu fa3, a1, rmm
    FCHK 185, fa3, S(0x5f800000), NX
    li   a1, 0x1000001              /* 2^24 + 1: a tie */
    fcvt.s.w fa3, a1, rne
    FCHK 186, fa3, S(0x4b800000), NX
    fcvt.s.w fa3, a1, rmm
    FCHK 187, fa3, S(0x4b800001), NX
    li   a1, 0xffffffff00000005     /* .w uses the low 32 bits */
    fcvt.s.w fa3, a1
    FCHK 188, fa3, S(0x40a00000), 0
    fcvt.s.w fa3, zero
    FCHK 189, fa3, S(0x00000000), 0

    /* ---- reserved rounding modes are illegal ---- */
    TRAP_RESET
rm5:
    .word (11 << 20) | (10 << 15) | (5 << 12) | (13 << 7) | 0x53  /* fadd.s rm=5 */
    CHECK_TRAP_INSN 190, CAUSE_ILLEGAL_INSN, rm5
    TRAP_RESET
rm6:
    .word (0x2c << 25) | (10 << 15) | (6 << 12) | (13 << 7) | 0x53 /* fsqrt.s rm=6 */
    CHECK_TRAP_INSN 194, CAUSE_ILLEGAL_INSN, rm6
    TRAP_RESET
    fsrmi 5                         /* dynamic with frm = 5 */
frm5:
    fadd.s fa3, fa0, fa1
    CHECK_TRAP_INSN 198, CAUSE_ILLEGAL_INSN, frm5
    TRAP_RESET
    fsrmi 7
frm7:
    fcvt.w.s a1, fa0
    CHECK_TRAP_INSN 202, CAUSE_ILLEGAL_INSN, frm7
    fsrmi 0
    TRAP_RESET
rsv:                                /* fsgnj.s with funct3 = 3 */
    .word (0x10 << 25) | (11 << 20) | (10 << 15) | (3 << 12) | (13 << 7) | 0x53
    CHECK_TRAP_INSN 206, CAUSE_ILLEGAL_INSN, rsv
    TRAP_RECORD_OFF
    fmv.x.w a1, fa0                 /* a static rm ignores a bad frm */
    fsrmi 6
    LDS  fa0, 0x3f800000
    fadd.s fa3, fa0, fa0, rne
    FCHK 210, fa3, S(0x40000000), 0
    fsrmi 0

    /* fflags accrue across instructions */
    csrw fflags, zero
    LDS  fa0, 0x3f800000
    LDS  fa1, 0x40400000
    fdiv.s fa3, fa0, fa1            /* NX */
    LDS  fa2, 0x00000000
    fdiv.s fa3, fa0, fa2            /* DZ */
    csrr a1, fflags
    XCHK 211, a1, NX | DZ, NX | DZ

    PASS
TEST_END

    .data
    .balign 8
fdata:
    .word 0x3f800000
    .word 0
