/*
 * rv64m.S - every RV64M instruction with exact results.
 *
 * Covers mul, mulh, mulhsu, mulhu, mulw, div, divu, rem, remu, divw,
 * divuw, remw, remuw, including:
 *   - high-half products for every sign combination and the extremes;
 *   - division by zero: quotient = all ones (also for divw/divuw, i.e.
 *     sign-extended 0xffffffff), remainder = the dividend (W forms: the
 *     low 32 bits of the dividend, sign-extended);
 *   - signed overflow: INT64_MIN / -1 = INT64_MIN, remainder 0 (and
 *     INT32_MIN / -1 for the W forms);
 *   - rounding toward zero, remainder with the sign of the dividend;
 *   - W forms ignore the upper 32 bits of both inputs (so a divisor whose
 *     low 32 bits are zero is a division by zero) and sign-extend;
 *   - register aliasing (rd == rs1 / rs2).
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* op a3, a1, a2 with a1 = v1, a2 = v2; a3 must be 'result'.  Twice:
   with li operands (the optimiser folds the op) and with operands loaded
   from memory (the back-end's code for the op runs), same code. */
.macro TEST_RR code, op, result, v1, v2
    li   a1, \v1
    li   a2, \v2
    \op  a3, a1, a2
    CHECK a3, \result, \code
    LOAD_MEM a1, \v1
    LOAD_MEM a2, \v2
    \op  a3, a1, a2
    CHECK_MEM a3, \result, \code
.endm

TEST_BEGIN 1

    /* ---- mul: low 64 bits of the product (same for signed and unsigned) ---- */
    TEST_RR   1, mul,    0x2a, 0x7, 0x6
    TEST_RR   2, mul,    0xffffffffffffffd6, 0xfffffffffffffff9, 0x6
    TEST_RR   3, mul,    0x1, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR   4, mul,    0x0, 0x100000000, 0x100000000   /* product 2^64 truncates to 0 */
    TEST_RR   5, mul,    0x2236d88fe5618cf0, 0x123456789abcdef0, 0xfedcba987654321
    TEST_RR   6, mul,    0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff   /* INT64_MIN * -1 wraps to INT64_MIN */
    TEST_RR   7, mul,    0xfffffffe00000001, 0xffffffff, 0xffffffff
    TEST_RR   8, mul,    0x0, 0x0, 0xdeadbeef

    /* ---- mulh (signed x signed), mulhsu (signed rs1 x unsigned rs2), mulhu: high 64 bits ---- */
    TEST_RR   9, mulh,   0x0, 0x7, 0x6   /* small positive: high half 0 */
    TEST_RR  10, mulh,   0xffffffffffffffff, 0xfffffffffffffff9, 0x6   /* small negative: high half all ones */
    TEST_RR  11, mulh,   0x0, 0xffffffffffffffff, 0xffffffffffffffff   /* (-1)*(-1) = 1: high half 0 */
    TEST_RR  12, mulh,   0x4000000000000000, 0x8000000000000000, 0x8000000000000000   /* 2^126: high half 2^62 */
    TEST_RR  13, mulh,   0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff
    TEST_RR  14, mulh,   0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff
    TEST_RR  15, mulh,   0xffeb49923cc09532, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR  16, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff   /* -1 * (2^64-1): high half all ones */
    TEST_RR  17, mulhsu, 0x0, 0x1, 0xffffffffffffffff   /* rs2 unsigned 2^64-1: high half 0 */
    TEST_RR  18, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR  19, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0xffffffffffffffff
    TEST_RR  20, mulhsu, 0xffffffffffffffff, 0xfffffffffffffff9, 0x6
    TEST_RR  21, mulhsu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR  22, mulhu,  0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff   /* (2^64-1)^2: high half 2^64-2 */
    TEST_RR  23, mulhu,  0x1, 0x8000000000000000, 0x2
    TEST_RR  24, mulhu,  0x1, 0x100000000, 0x100000000   /* 2^64: high half 1 */
    TEST_RR  25, mulhu,  0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR  26, mulhu,  0x0, 0x7, 0x6

    /* ---- mulw: low 32 bits of the product, sign-extended; upper input bits ignored ---- */
    TEST_RR  27, mulw,   0x2a, 0x7, 0x6
    TEST_RR  28, mulw,   0xffffffff80000000, 0x10000, 0x8000   /* result 0x80000000: sign-extended */
    TEST_RR  29, mulw,   0x0, 0x10000, 0x10000   /* 2^32 truncates to 0 */
    TEST_RR  30, mulw,   0xf, 0xffffffff00000003, 0x1234567800000005   /* upper halves ignored */
    TEST_RR  31, mulw,   0x1, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR  32, mulw,   0xfffffffffffffffe, 0x7fffffff, 0x2

    /* ---- div / rem: signed, rounding toward zero; remainder has the sign of the dividend ---- */
    TEST_RR  33, div,    0x3, 0x14, 0x6
    TEST_RR  34, div,    0xfffffffffffffffd, 0xffffffffffffffec, 0x6   /* rounds toward zero */
    TEST_RR  35, div,    0xfffffffffffffffd, 0x14, 0xfffffffffffffffa
    TEST_RR  36, div,    0x3, 0xffffffffffffffec, 0xfffffffffffffffa
    TEST_RR  37, div,    0x0, 0x0, 0x5
    TEST_RR  38, div,    0xc000000000000000, 0x8000000000000000, 0x2
    TEST_RR  39, div,    0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff   /* overflow: quotient INT64_MIN */
    TEST_RR  40, div,    0xffffffffffffffff, 0x14, 0x0   /* by zero: all ones */
    TEST_RR  41, div,    0xffffffffffffffff, 0xffffffffffffffec, 0x0   /* by zero: all ones */
    TEST_RR  42, div,    0xffffffffffffffff, 0x0, 0x0   /* by zero: all ones */
    TEST_RR  43, rem,    0x2, 0x14, 0x6
    TEST_RR  44, rem,    0xfffffffffffffffe, 0xffffffffffffffec, 0x6   /* sign of the dividend */
    TEST_RR  45, rem,    0x2, 0x14, 0xfffffffffffffffa
    TEST_RR  46, rem,    0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa
    TEST_RR  47, rem,    0x0, 0x8000000000000000, 0xffffffffffffffff   /* overflow: remainder 0 */
    TEST_RR  48, rem,    0x14, 0x14, 0x0   /* by zero: the dividend */
    TEST_RR  49, rem,    0xffffffffffffffec, 0xffffffffffffffec, 0x0   /* by zero: the dividend */
    TEST_RR  50, rem,    0x8000000000000000, 0x8000000000000000, 0x0   /* by zero: the dividend */

    /* ---- divu / remu: unsigned ---- */
    TEST_RR  51, divu,   0x3, 0x14, 0x6
    TEST_RR  52, divu,   0x2aaaaaaaaaaaaaa7, 0xffffffffffffffec, 0x6   /* dividend is 2^64-20 */
    TEST_RR  53, divu,   0xffffffffffffffff, 0xffffffffffffffff, 0x1
    TEST_RR  54, divu,   0x1, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR  55, divu,   0x0, 0x5, 0xffffffffffffffff   /* small / huge = 0 */
    TEST_RR  56, divu,   0xffffffffffffffff, 0x14, 0x0   /* by zero: all ones */
    TEST_RR  57, divu,   0xffffffffffffffff, 0x0, 0x0   /* by zero: all ones */
    TEST_RR  58, remu,   0x2, 0x14, 0x6
    TEST_RR  59, remu,   0x2, 0xffffffffffffffec, 0x6
    TEST_RR  60, remu,   0x5, 0x5, 0xffffffffffffffff   /* small % huge = small */
    TEST_RR  61, remu,   0x8000000000000000, 0x8000000000000000, 0x0   /* by zero: the dividend */
    TEST_RR  62, remu,   0xffffffffffffffff, 0xffffffffffffffff, 0x0   /* by zero: the dividend */

    /* ---- divw / remw: signed 32-bit, result sign-extended; upper input bits ignored ---- */
    TEST_RR  63, divw,   0x3, 0x14, 0x6
    TEST_RR  64, divw,   0xfffffffffffffffd, 0xffffffffffffffec, 0x6
    TEST_RR  65, divw,   0xffffffffc0000000, 0x80000000, 0x2   /* INT32_MIN / 2 */
    TEST_RR  66, divw,   0xffffffff80000000, 0x80000000, 0xffffffffffffffff   /* overflow: INT32_MIN, sign-extended */
    TEST_RR  67, divw,   0xffffffff80000000, 0xffffffff80000000, 0xffffffff   /* same with sign-extended inputs */
    TEST_RR  68, divw,   0xffffffffffffffff, 0x14, 0x0   /* by zero: all ones */
    TEST_RR  69, divw,   0xffffffffffffffff, 0x14, 0xffffffff00000000   /* low 32 bits of rs2 zero: by zero */
    TEST_RR  70, divw,   0x3, 0x1234567800000014, 0x9999999900000006   /* upper halves ignored */
    TEST_RR  71, remw,   0x2, 0x14, 0x6
    TEST_RR  72, remw,   0xfffffffffffffffe, 0xffffffffffffffec, 0x6
    TEST_RR  73, remw,   0x2, 0x14, 0xfffffffffffffffa
    TEST_RR  74, remw,   0x0, 0x80000000, 0xffffffffffffffff   /* overflow: remainder 0 */
    TEST_RR  75, remw,   0x14, 0x14, 0x0   /* by zero: the dividend */
    TEST_RR  76, remw,   0xffffffff80000001, 0x1234567880000001, 0x0   /* by zero: low 32 bits of the dividend, sign-extended */
    TEST_RR  77, remw,   0xfffffffffffffffe, 0xfffffffffffffffb, 0x100000003   /* -5 rem 3 (upper half of rs2 ignored) */

    /* ---- divuw / remuw: unsigned 32-bit, result sign-extended ---- */
    TEST_RR  78, divuw,  0x3, 0x14, 0x6
    TEST_RR  79, divuw,  0xffffffffffffffff, 0xffffffff, 0x1   /* result 0xffffffff sign-extends to all ones */
    TEST_RR  80, divuw,  0x7fffffff, 0xfffffffe, 0x2   /* result 0x7fffffff: positive */
    TEST_RR  81, divuw,  0x0, 0x80000000, 0xffffffff   /* unsigned: 0x80000000 / 0xffffffff = 0 */
    TEST_RR  82, divuw,  0xffffffffffffffff, 0x14, 0x0   /* by zero: all ones */
    TEST_RR  83, divuw,  0x3, 0xffffffff00000014, 0x100000006   /* upper halves ignored */
    TEST_RR  84, remuw,  0x2, 0x14, 0x6
    TEST_RR  85, remuw,  0xf, 0xffffffff, 0x10   /* remainder 15 */
    TEST_RR  86, remuw,  0xffffffff80000000, 0x80000000, 0xffffffff   /* remainder 0x80000000, sign-extended */
    TEST_RR  87, remuw,  0xffffffff80000005, 0x1234567880000005, 0x0   /* by zero: low 32 bits of the dividend, sign-extended */
    TEST_RR  88, remuw,  0x14, 0x14, 0xffffffff00000000   /* low 32 bits of rs2 zero: by zero */

    /* ---- register aliasing ---- */
    li   a1, 0x100000001
    mul  a1, a1, a1                 /* rd == rs1 == rs2: (2^32+1)^2 mod 2^64 */
    CHECK a1, 0x200000001, 89
    li   a1, -20
    li   a2, 6
    div  a2, a1, a2                 /* rd == rs2 */
    CHECK a2, 0xfffffffffffffffd, 90
    li   a1, -20
    li   a2, 6
    rem  a1, a1, a2                 /* rd == rs1 */
    CHECK a1, 0xfffffffffffffffe, 91
    li   a1, 7
    divu a1, a1, a1                 /* x / x = 1 */
    CHECK a1, 1, 92
    li   a1, 0
    divu a1, a1, a1                 /* 0 / 0 = all ones */
    CHECK a1, 0xffffffffffffffff, 93
    li   a1, 0
    remu a1, a1, a1                 /* 0 % 0 = 0 (the dividend) */
    CHECK a1, 0, 94
    li   a1, 0xffffffffffffffff
    mulhu a1, a1, a1
    CHECK a1, 0xfffffffffffffffe, 95

    /* ---- the usual mulh + mul pair gives the full 128-bit product ---- */
    li   a1, 0xfedcba9876543210
    li   a2, 0x0123456789abcdef
    mulhu a3, a1, a2
    mul   a4, a1, a2
    CHECK a3, 0x0121fa00ad77d742, 96
    CHECK a4, 0x2236d88fe5618cf0, 97

    /* ---- x0 as destination ---- */
    li   a1, 5
    li   a2, 0
    div  x0, a1, a2
    CHECK x0, 0, 98

    PASS
TEST_END
