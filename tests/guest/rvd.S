/*
 * rvd.S - the D extension: exact results and exact fflags.
 *
 * Covers: FS = Off makes fld/fsd illegal; fld/fsd/fmv.x.d/fmv.d.x move raw
 * bits; a NaN-boxed single read as a double is a (quiet) NaN; canonical
 * NaNs; rounding modes (ties included), overflow, underflow (tininess after
 * rounding), subnormals; fdiv/fsqrt; fused multiply-add with one rounding;
 * fmin/fmax, compares, fclass, sign injection; fcvt.s.d / fcvt.d.s
 * (rounding, overflow, underflow, NaNs, boxing); fcvt between integers and
 * double with the saturation table.
 * Expected values were checked on qemu-system-riscv64 7.2.
 */
#include "testmacros.h"
#include "fptest.h"

#define CANON_D 0x7ff8000000000000
#define CANON_S 0xffffffff7fc00000
#define S(x) (0xffffffff00000000 | (x))
#define ONE 0x3ff0000000000000

TEST_BEGIN 1
    /* ---- FS = Off: illegal ---- */
    li   t0, MSTATUS_FS
    csrc mstatus, t0
    TRAP_RECORD_ON
    TRAP_RESET
    la   a0, ddata
off_fld:
    fld  fa0, 0(a0)
    CHECK_TRAP_INSN 1, CAUSE_ILLEGAL_INSN, off_fld
    TRAP_RESET
off_fsd:
    fsd  fa0, 8(a0)
    CHECK_TRAP_INSN 5, CAUSE_ILLEGAL_INSN, off_fsd
    TRAP_RECORD_OFF
    li   t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    csrw fcsr, zero

    /* ---- moves, loads, stores: raw bits ---- */
    fld  fa0, 0(a0)
    FCHK 9, fa0, 0x123456789abcdef0, 0
    fsd  fa0, 8(a0)
    ld   a1, 8(a0)
    XCHK 10, a1, 0x123456789abcdef0, 0
    LDD  fa1, 0x7ff0000000000001    /* sNaN: moved, not quieted */
    fsd  fa1, 8(a0)
    ld   a1, 8(a0)
    XCHK 11, a1, 0x7ff0000000000001, 0
    fmv.x.d a1, fa1
    XCHK 12, a1, 0x7ff0000000000001, 0
    LDS  fa1, 0x3f800000            /* a boxed single is a qNaN double */
    LDD  fa2, ONE
    fadd.d fa3, fa1, fa2
    FCHK 13, fa3, CANON_D, 0

    /* ---- rounding modes ---- */
    LDD  fa0, ONE
    LDD  fa1, 0x3ca0000000000000    /* 2^-53: a tie */
    fadd.d fa3, fa0, fa1, rne
    FCHK 14, fa3, ONE, NX
    fadd.d fa3, fa0, fa1, rtz
    FCHK 15, fa3, ONE, NX
    fadd.d fa3, fa0, fa1, rdn
    FCHK 16, fa3, ONE, NX
    fadd.d fa3, fa0, fa1, rup
    FCHK 17, fa3, 0x3ff0000000000001, NX
    fadd.d fa3, fa0, fa1, rmm
    FCHK 18, fa3, 0x3ff0000000000001, NX
    fneg.d fa0, fa0
    fneg.d fa1, fa1
    fadd.d fa3, fa0, fa1, rdn
    FCHK 19, fa3, 0xbff0000000000001, NX
    fadd.d fa3, fa0, fa1, rup
    FCHK 20, fa3, 0xbff0000000000000, NX
    fadd.d fa3, fa0, fa1, rmm
    FCHK 21, fa3, 0xbff0000000000001, NX
    LDD  fa0, 0x3ff0000000000001
    LDD  fa1, 0x3ca0000000000000    /* odd + tie */
    fadd.d fa3, fa0, fa1, rne
    FCHK 22, fa3, 0x3ff0000000000002, NX
    LDD  fa0, ONE
    LDD  fa1, 0x4008000000000000    /* 1/3 */
    fdiv.d fa3, fa0, fa1, rne
    FCHK 23, fa3, 0x3fd5555555555555, NX
    fdiv.d fa3, fa0, fa1, rup
    FCHK 24, fa3, 0x3fd5555555555556, NX
    fdiv.d fa3, fa0, fa1, rmm
    FCHK 25, fa3, 0x3fd5555555555555, NX
    fsrmi 3
    fdiv.d fa3, fa0, fa1            /* dynamic RUP */
    FCHK 26, fa3, 0x3fd5555555555556, NX
    fsrmi 0
    fsub.d fa3, fa1, fa1, rdn
    FCHK 27, fa3, 0x8000000000000000, 0
    fmul.d fa3, fa1, fa1
    FCHK 28, fa3, 0x4022000000000000, 0

    /* ---- special operands, sqrt ---- */
    LDD  fa2, 0
    fdiv.d fa3, fa0, fa2
    FCHK 29, fa3, 0x7ff0000000000000, DZ
    fdiv.d fa3, fa2, fa2
    FCHK 30, fa3, CANON_D, NV
    LDD  fa2, 0x7ff0000000000001
    fmul.d fa3, fa0, fa2
    FCHK 31, fa3, CANON_D, NV
    LDD  fa2, 0xfff8000000000123
    fsub.d fa3, fa2, fa0
    FCHK 32, fa3, CANON_D, 0
    LDD  fa0, 0x4000000000000000    /* sqrt 2 */
    fsqrt.d fa3, fa0, rne
    FCHK 33, fa3, 0x3ff6a09e667f3bcd, NX
    fsqrt.d fa3, fa0, rtz
    FCHK 34, fa3, 0x3ff6a09e667f3bcc, NX
    LDD  fa0, 0xbff0000000000000
    fsqrt.d fa3, fa0
    FCHK 35, fa3, CANON_D, NV
    LDD  fa0, 0x0000000000000004    /* 2^-1072: root 2^-536 */
    fsqrt.d fa3, fa0
    FCHK 36, fa3, 0x1e70000000000000, 0

    /* ---- overflow, underflow ---- */
    LDD  fa0, 0x7fefffffffffffff
    LDD  fa1, 0x4000000000000000
    fmul.d fa3, fa0, fa1, rne
    FCHK 37, fa3, 0x7ff0000000000000, OF | NX
    fmul.d fa3, fa0, fa1, rtz
    FCHK 38, fa3, 0x7fefffffffffffff, OF | NX
    fneg.d fa0, fa0
    fmul.d fa3, fa0, fa1, rup
    FCHK 39, fa3, 0xffefffffffffffff, OF | NX
    LDD  fa0, 0x3fefffffffffffff    /* (1 - 2^-53) * 2^-1022 */
    LDD  fa1, 0x0010000000000000
    fmul.d fa3, fa0, fa1, rne
    FCHK 40, fa3, 0x0010000000000000, UF | NX
    fmul.d fa3, fa0, fa1, rmm
    FCHK 41, fa3, 0x0010000000000000, UF | NX
    fmul.d fa3, fa0, fa1, rdn
    FCHK 42, fa3, 0x000fffffffffffff, UF | NX
    LDD  fa0, 0x3fe0000000000000    /* 0.5 */
    fmul.d fa3, fa0, fa1            /* exact subnormal */
    FCHK 43, fa3, 0x0008000000000000, 0
    LDD  fa1, 0x0000000000000001    /* 2^-1074 * 0.5 */
    fmul.d fa3, fa0, fa1, rne
    FCHK 44, fa3, 0, UF | NX
    fmul.d fa3, fa0, fa1, rmm
    FCHK 45, fa3, 0x0000000000000001, UF | NX
    LDD  fa0, 0x3ff0000000000001    /* (1 + 2^-52) * 2^-1022: normal */
    LDD  fa1, 0x0010000000000000
    fmul.d fa3, fa0, fa1
    FCHK 46, fa3, 0x0010000000000001, 0

    /* ---- fused multiply-add ---- */
    LDD  fa0, 0x3ff0000000000001    /* 1 + 2^-52 */
    LDD  fa1, 0x3feffffffffffffe    /* 1 - 2^-52 */
    LDD  fa2, 0xbff0000000000000    /* -1 */
    fmadd.d fa3, fa0, fa1, fa2      /* -2^-104 */
    FCHK 47, fa3, 0xb970000000000000, 0
    fnmadd.d fa3, fa0, fa1, fa2     /* 2^-104 */
    FCHK 48, fa3, 0x3970000000000000, 0
    fneg.d fa2, fa2
    fmsub.d fa3, fa0, fa1, fa2
    FCHK 49, fa3, 0xb970000000000000, 0
    fnmsub.d fa3, fa0, fa1, fa2
    FCHK 50, fa3, 0x3970000000000000, 0
    fmadd.d fa3, fa0, fa0, fa2, rtz /* 2 + 2^-51 + 2^-104 */
    FCHK 51, fa3, 0x4000000000000001, NX
    fmadd.d fa3, fa0, fa0, fa2, rup
    FCHK 52, fa3, 0x4000000000000002, NX
    LDD  fa0, ONE
    LDD  fa1, 0x3ca0000000000000
    fmadd.d fa3, fa0, fa0, fa1, rmm /* tie away */
    FCHK 53, fa3, 0x3ff0000000000001, NX
    fmadd.d fa3, fa0, fa0, fa1, rne
    FCHK 54, fa3, ONE, NX
    LDD  fa0, 0x7ff0000000000000
    LDD  fa1, 0
    LDD  fa2, 0x7ff8000000000000
    fmadd.d fa3, fa1, fa0, fa2      /* 0 * inf + qNaN */
    FCHK 55, fa3, CANON_D, NV

    /* ---- fmin/fmax, compares, fclass, sign injection ---- */
    LDD  fa0, 0x8000000000000000
    LDD  fa1, 0
    fmin.d fa3, fa1, fa0
    FCHK 56, fa3, 0x8000000000000000, 0
    fmax.d fa3, fa0, fa1
    FCHK 57, fa3, 0, 0
    LDD  fa2, 0x7ff0000000000001
    fmin.d fa3, fa2, fa0
    FCHK 58, fa3, 0x8000000000000000, NV
    LDD  fa0, 0x7ff8000000000000
    fmax.d fa3, fa0, fa0
    FCHK 59, fa3, CANON_D, 0
    feq.d a1, fa0, fa1
    XCHK 60, a1, 0, 0
    fle.d a1, fa0, fa1
    XCHK 61, a1, 0, NV
    feq.d a1, fa2, fa1
    XCHK 62, a1, 0, NV
    LDD  fa0, 0x8000000000000000
    fle.d a1, fa1, fa0
    XCHK 63, a1, 1, 0
    flt.d a1, fa0, fa1
    XCHK 64, a1, 0, 0
    LDD  fa0, 0x800fffffffffffff
    fclass.d a1, fa0
    XCHK 65, a1, 0x004, 0
    LDD  fa0, 0x0010000000000000
    fclass.d a1, fa0
    XCHK 66, a1, 0x040, 0
    fclass.d a1, fa2
    XCHK 67, a1, 0x100, 0
    LDD  fa0, 0x7ff8000000000000
    fclass.d a1, fa0
    XCHK 68, a1, 0x200, 0
    LDD  fa0, 0xfff0000000000000
    fclass.d a1, fa0
    XCHK 69, a1, 0x001, 0
    LDS  fa0, 0x3f800000            /* a boxed single: a qNaN */
    fclass.d a1, fa0
    XCHK 70, a1, 0x200, 0
    LDD  fa0, ONE
    LDD  fa1, 0xc000000000000000
    fsgnj.d fa3, fa0, fa1
    FCHK 71, fa3, 0xbff0000000000000, 0
    fsgnjn.d fa3, fa0, fa1
    FCHK 72, fa3, ONE, 0
    fsgnjx.d fa3, fa1, fa1
    FCHK 73, fa3, 0x4000000000000000, 0

    /* ---- fcvt.s.d, fcvt.d.s ---- */
    LDD  fa0, 0x3ff0000010000000    /* 1 + 2^-24: a tie in single */
    fcvt.s.d fa3, fa0, rne
    FCHK 74, fa3, S(0x3f800000), NX
    fcvt.s.d fa3, fa0, rmm
    FCHK 75, fa3, S(0x3f800001), NX
    fcvt.s.d fa3, fa0, rup
    FCHK 76, fa3, S(0x3f800001), NX
    LDD  fa0, 0x7e37e43c8800759c    /* 1e300 */
    fcvt.s.d fa3, fa0
    FCHK 77, fa3, S(0x7f800000), OF | NX
    fcvt.s.d fa3, fa0, rtz
    FCHK 78, fa3, S(0x7f7fffff), OF | NX
    LDD  fa0, 0x01a56e1fc2f8f359    /* 1e-300 */
    fcvt.s.d fa3, fa0
    FCHK 79, fa3, S(0x00000000), UF | NX
    fcvt.s.d fa3, fa0, rup
    FCHK 80, fa3, S(0x00000001), UF | NX
    LDD  fa0, 0x36a0000000000000    /* 2^-149 exactly */
    fcvt.s.d fa3, fa0
    FCHK 81, fa3, S(0x00000001), 0
    LDD  fa0, 0x7ff0000000000001
    fcvt.s.d fa3, fa0
    FCHK 82, fa3, CANON_S, NV
    LDD  fa0, 0xfff8000000000000
    fcvt.s.d fa3, fa0
    FCHK 83, fa3, CANON_S, 0
    LDD  fa0, 0x8000000000000000
    fcvt.s.d fa3, fa0
    FCHK 84, fa3, S(0x80000000), 0
    LDS  fa0, 0x00000001
    fcvt.d.s fa3, fa0
    FCHK 85, fa3, 0x36a0000000000000, 0
    LDS  fa0, 0xff800000
    fcvt.d.s fa3, fa0
    FCHK 86, fa3, 0xfff0000000000000, 0
    LDS  fa0, 0x7f800001
    fcvt.d.s fa3, fa0
    FCHK 87, fa3, CANON_D, NV
    LDD  fa0, 0x000000003f800000    /* not boxed */
    fcvt.d.s fa3, fa0
    FCHK 88, fa3, CANON_D, 0

    /* ---- fcvt to and from integers ---- */
    LDD  fa0, 0x41dfffffffe00000    /* 2^31 - 0.5 */
    fcvt.w.d a1, fa0, rne
    XCHK 89, a1, 0x7fffffff, NV
    fcvt.w.d a1, fa0, rtz
    XCHK 90, a1, 0x7fffffff, NX
    fcvt.wu.d a1, fa0, rne
    XCHK 91, a1, 0xffffffff80000000, NX
    LDD  fa0, 0xc1e0000000100000    /* -2^31 - 0.5 */
    fcvt.w.d a1, fa0, rtz
    XCHK 92, a1, 0xffffffff80000000, NX
    fcvt.w.d a1, fa0, rne
    XCHK 93, a1, 0xffffffff80000000, NX
    fcvt.w.d a1, fa0, rdn
    XCHK 94, a1, 0xffffffff80000000, NV
    fcvt.l.d a1, fa0, rdn
    XCHK 95, a1, -2147483649, NX
    LDD  fa0, 0x43e0000000000000    /* 2^63 */
    fcvt.l.d a1, fa0
    XCHK 96, a1, 0x7fffffffffffffff, NV
    fcvt.lu.d a1, fa0
    XCHK 97, a1, 0x8000000000000000, 0
    LDD  fa0, 0x43efffffffffffff
    fcvt.lu.d a1, fa0
    XCHK 98, a1, 0xfffffffffffff800, 0
    LDD  fa0, 0x7ff8000000000000
    fcvt.lu.d a1, fa0
    XCHK 99, a1, 0xffffffffffffffff, NV
    fcvt.w.d a1, fa0
    XCHK 100, a1, 0x7fffffff, NV
    LDD  fa0, 0xfff0000000000000
    fcvt.l.d a1, fa0
    XCHK 101, a1, 0x8000000000000000, NV
    LDD  fa0, 0xbfe0000000000000    /* -0.5 */
    fcvt.lu.d a1, fa0, rne          /* tie to even: -0 */
    XCHK 102, a1, 0, NX
    fcvt.lu.d a1, fa0, rmm
    XCHK 103, a1, 0, NV
    li   a1, 0x7fffffffffffffff
    fcvt.d.l fa3, a1, rne
    FCHK 104, fa3, 0x43e0000000000000, NX
    fcvt.d.l fa3, a1, rtz
    FCHK 105, fa3, 0x43dfffffffffffff, NX
    li   a1, -1
    fcvt.d.w fa3, a1
    FCHK 106, fa3, 0xbff0000000000000, 0
    fcvt.d.wu fa3, a1
    FCHK 107, fa3, 0x41efffffffe00000, 0
    fcvt.d.lu fa3, a1, rdn
    FCHK 108, fa3, 0x43efffffffffffff, NX
    fcvt.d.lu fa3, a1, rmm
    FCHK 109, fa3, 0x43f0000000000000, NX

    PASS
TEST_END

    .data
    .balign 8
ddata:
    .dword 0x123456789abcdef0
    .dword 0
