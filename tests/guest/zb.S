/*
 * zb.S - every Zba, Zbb and Zbs instruction with edge cases, and
 * Zihintpause's pause as a no-op.
 *
 * Covers:
 *   - Zba: add.uw (zext.w), sh1add/sh2add/sh3add, their .uw forms (upper
 *     bits of rs1 dropped), slli.uw with shamt 0, 31, 32 and 63;
 *   - Zbb: andn/orn/xnor, clz/ctz/cpop and the W forms (0, all ones,
 *     single bits, upper bits ignored by the W forms), max/maxu/min/minu
 *     (signed vs unsigned edges), sext.b/sext.h/zext.h, rol/ror/rori by 0,
 *     1, 63 and counts >= 64 (taken mod 64), rolw/rorw/roriw (mod 32,
 *     sign-extended result), orc.b, rev8;
 *   - Zbs: bset/bclr/binv/bext and their immediate forms with index 0, 31,
 *     32, 63 and register counts >= 64 (mod 64);
 *   - rd = rs1 / rd = rs2 aliasing, rd = x0 writes nothing;
 *   - pause (fence with pred = W, succ = 0) retires as a no-op.
 * The T1/T2/TI checks also run with operands loaded from memory, which
 * the IR optimiser cannot fold (testmacros.h, LOAD_MEM).
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* Each macro emits its check twice: with li operands (the optimiser
   folds the op) and with operands loaded from memory (the back-end's
   code for the op runs), same code. */

/* rd = op(a, b) for register-register ops */
.macro T2 code, op, a, b, expected
    li   a1, \a
    li   a2, \b
    \op  a0, a1, a2
    CHECK a0, \expected, \code
    LOAD_MEM a1, \a
    LOAD_MEM a2, \b
    \op  a0, a1, a2
    CHECK_MEM a0, \expected, \code
.endm

/* rd = op(a) */
.macro T1 code, op, a, expected
    li   a1, \a
    \op  a0, a1
    CHECK a0, \expected, \code
    LOAD_MEM a1, \a
    \op  a0, a1
    CHECK_MEM a0, \expected, \code
.endm

/* rd = op(a, imm) */
.macro TI code, op, a, imm, expected
    li   a1, \a
    \op  a0, a1, \imm
    CHECK a0, \expected, \code
    LOAD_MEM a1, \a
    \op  a0, a1, \imm
    CHECK_MEM a0, \expected, \code
.endm

TEST_BEGIN 1

    /* ================= Zba ================= */
    T2 1, add.uw, 0xffffffff80000000, 1, 0x80000001
    T2 2, add.uw, 0x12345678ffffffff, -1, 0xfffffffe
    T1 3, zext.w, 0xfedcba9887654321, 0x87654321
    T2 4, sh1add, 0x4000000000000001, 3, 0x8000000000000005
    T2 5, sh2add, -1, 4, 0
    T2 6, sh3add, 0x2000000000000001, 0, 0x0000000000000008
    T2 7, sh1add.uw, 0xffffffff80000001, 1, 0x100000003
    T2 8, sh2add.uw, 0x12345678ffffffff, 0, 0x3fffffffc
    T2 9, sh3add.uw, 0xffffffffffffffff, 8, 0x800000000
    TI 10, slli.uw, 0xffffffff80000001, 0, 0x80000001
    TI 11, slli.uw, 0xffffffff80000001, 31, 0x4000000080000000
    TI 12, slli.uw, 0xffffffff80000003, 32, 0x8000000300000000
    TI 13, slli.uw, 0xfffffffffffffffd, 63, 0x8000000000000000
    TI 14, slli.uw, 0xfffffffffffffffe, 63, 0

    /* ================= Zbb: logic with negate ================= */
    T2 15, andn, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf000f000f000f000
    T2 16, orn, 0x00000000000000f0, 0xffffffffffffff0f, 0x00000000000000f0
    T2 17, orn, 0, 0, -1
    T2 18, xnor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f0f0f0f0f0f0f0f
    T2 19, xnor, 5, 5, -1

    /* ================= Zbb: counts ================= */
    T1 20, clz, 0, 64
    T1 21, clz, 1, 63
    T1 22, clz, -1, 0
    T1 23, clz, 0x0000800000000000, 16
    T1 24, ctz, 0, 64
    T1 25, ctz, 0x8000000000000000, 63
    T1 26, ctz, -1, 0
    T1 27, ctz, 0x0000000000010000, 16
    T1 28, cpop, 0, 0
    T1 29, cpop, -1, 64
    T1 30, cpop, 0x8000000000000001, 2
    T1 31, cpop, 0x0123456789abcdef, 32
    T1 32, clzw, 0, 32
    T1 33, clzw, 0xffffffff00000000, 32     /* upper half ignored */
    T1 34, clzw, 0x0000000080000000, 0
    T1 35, clzw, 0x0000000000000001, 31
    T1 36, ctzw, 0, 32
    T1 37, ctzw, 0xffffffff00000000, 32
    T1 38, ctzw, 0x0000000080000000, 31
    T1 39, cpopw, -1, 32
    T1 40, cpopw, 0xffffffff00000000, 0
    T1 41, cpopw, 0x00000000f0f0f0f1, 17

    /* ================= Zbb: min/max ================= */
    T2 42, max, -1, 1, 1
    T2 43, maxu, -1, 1, -1
    T2 44, min, -1, 1, -1
    T2 45, minu, -1, 1, 1
    T2 46, max, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff
    T2 47, min, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000
    T2 48, maxu, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000
    T2 49, minu, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff
    T2 50, max, 7, 7, 7
    T2 51, minu, 0, -1, 0

    /* ================= Zbb: extensions ================= */
    T1 52, sext.b, 0x1234567890abcd80, 0xffffffffffffff80
    T1 53, sext.b, 0xffffffffffffff7f, 0x7f
    T1 54, sext.h, 0x1234567890ab8001, 0xffffffffffff8001
    T1 55, sext.h, 0xffffffffffff7fff, 0x7fff
    T1 56, zext.h, 0xffffffffffff8001, 0x8001
    T1 57, zext.h, 0x123456789abc0000, 0

    /* ================= Zbb: rotates ================= */
    T2 58, rol, 0x8000000000000001, 0, 0x8000000000000001
    T2 59, rol, 0x8000000000000001, 1, 3
    T2 60, rol, 0x8000000000000001, 63, 0xc000000000000000
    T2 61, rol, 0x8000000000000001, 65, 3               /* mod 64 */
    T2 62, ror, 0x8000000000000001, 0, 0x8000000000000001
    T2 63, ror, 0x8000000000000001, 1, 0xc000000000000000
    T2 64, ror, 0x8000000000000001, 63, 3
    T2 65, ror, 0x0123456789abcdef, 128, 0x0123456789abcdef
    TI 66, rori, 0x0123456789abcdef, 0, 0x0123456789abcdef
    TI 67, rori, 0x0123456789abcdef, 4, 0xf0123456789abcde
    TI 68, rori, 0x8000000000000001, 63, 3
    T2 69, rolw, 0xffffffff80000001, 1, 3
    T2 70, rolw, 0x0000000000000001, 31, 0xffffffff80000000
    T2 71, rolw, 0x0000000012345678, 36, 0x0000000023456781  /* mod 32 */
    T2 72, rorw, 0x0000000000000001, 1, 0xffffffff80000000
    T2 73, rorw, 0x1234567800000003, 0, 3
    T2 74, rorw, 0x0000000080000000, 63, 1                  /* 63 mod 32 = 31 */
    TI 75, roriw, 0x0000000000000001, 1, 0xffffffff80000000
    TI 76, roriw, 0xffffffff00000003, 0, 3
    TI 77, roriw, 0x0000000012345678, 31, 0x000000002468acf0

    /* ================= Zbb: orc.b, rev8 ================= */
    T1 78, orc.b, 0, 0
    T1 79, orc.b, 0x0100800000ff0002, 0xff00ff0000ff00ff
    T1 80, orc.b, 0x8080808080808080, -1
    T1 81, orc.b, 0x0000000000000001, 0xff
    T1 82, rev8, 0x0123456789abcdef, 0xefcdab8967452301
    T1 83, rev8, 0x00000000000000ff, 0xff00000000000000

    /* ================= Zbs ================= */
    T2 84, bset, 0, 0, 1
    T2 85, bset, 0, 63, 0x8000000000000000
    T2 86, bset, 0, 64 + 31, 0x80000000                /* mod 64 */
    T2 87, bclr, -1, 63, 0x7fffffffffffffff
    T2 88, bclr, -1, 32, 0xfffffffeffffffff
    T2 89, binv, 0x8000000000000000, 63, 0
    T2 90, binv, 0, 127, 0x8000000000000000
    T2 91, bext, 0x8000000000000000, 63, 1
    T2 92, bext, 0x8000000000000000, 62, 0
    T2 93, bext, 0x0000000100000000, 96, 1              /* 96 mod 64 = 32 */
    TI 94, bseti, 0, 63, 0x8000000000000000
    TI 95, bseti, 0x10, 4, 0x10
    TI 96, bclri, -1, 63, 0x7fffffffffffffff
    TI 97, bclri, -1, 0, -2
    TI 98, binvi, 0, 32, 0x100000000
    TI 99, binvi, -1, 31, 0xffffffff7fffffff
    TI 100, bexti, 0x8000000000000000, 63, 1
    TI 101, bexti, 0x7fffffffffffffff, 63, 0
    TI 102, bexti, 0x0000000080000000, 31, 1

    /* ================= aliasing and x0 ================= */
    li   a0, 0x00000000ffffffff
    li   a1, 0x0f
    sh3add a0, a0, a0               /* rd = rs1 = rs2 */
    CHECK a0, 0x8fffffff7, 103
    li   a1, 0x8000000000000001
    li   a2, 1
    rol  a2, a1, a2                 /* rd = rs2 */
    CHECK a2, 3, 104
    li   a1, 0xff
    bset a1, a1, a1                 /* 0xff | 1 << (0xff mod 64 = 63) */
    CHECK a1, 0x80000000000000ff, 105
    li   a1, 0x1234
    clz  zero, a1
    rev8 zero, a1
    min  zero, a1, a1
    orc.b zero, a1
    add  a3, zero, zero
    CHECK a3, 0, 106

    /* ================= Zihintpause ================= */
    li   a0, 77
    pause
    CHECK a0, 77, 107

    PASS
TEST_END
