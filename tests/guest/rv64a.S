/*
 * rv64a.S - RV64A on a single hart: every AMO in .w and .d form, LR/SC.
 *
 * AMO checks (TEST_AMO uses two codes: code = value returned in rd,
 * code+1 = the whole aligned dword in memory afterwards):
 *   - rd receives the OLD memory value; .w results are sign-extended;
 *   - memory receives op(old, rs2); .w forms read/write only their 4
 *     bytes (the other half of the dword is checked to be intact, for
 *     both offset 0 and offset 4) and ignore the upper half of rs2;
 *   - amomin/amomax compare signed (32-bit for .w), amominu/amomaxu
 *     unsigned;
 *   - rd = x0 (memory still updated), rd == rs2 (old value of rs2 used).
 * LR/SC checks (only behaviour the spec guarantees):
 *   - lr returns the value (lr.w sign-extended); sc right after a matching
 *     lr succeeds: rd = 0 and memory is written (sc.w: 4 bytes only);
 *   - a second sc without a new lr fails: rd = 1, memory unchanged;
 *   - sc to an address outside the reservation set (4 KiB away) fails,
 *     and then an sc to the reserved address fails too (any sc ends the
 *     reservation);
 *   - sc with rd == rs2 stores the old rs2 value;
 *   - an lr/sc increment loop gives the exact count.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* amo_buf dword = mem; op a3, a2(=src), (amo_buf + off);
 * a3 must be rd_exp (code), the dword must be mem_exp (code+1). */
.macro TEST_AMO code, op, mem, src, off, rd_exp, mem_exp
    la   a0, amo_buf
    li   a1, \mem
    sd   a1, 0(a0)
    addi a4, a0, \off
    li   a2, \src
    \op  a3, a2, (a4)
    CHECK a3, \rd_exp, \code
    ld   a5, 0(a0)
    CHECK a5, \mem_exp, \code+1
.endm

TEST_BEGIN 1

    /* ---- .w forms, low word (offset 0): rd = old word sign-extended, only 4 bytes written ---- */
    TEST_AMO   1, amoswap.w,      0x1111111180000000, 0xdeadbeef12345678, 0, 0xffffffff80000000, 0x1111111112345678   /* old 0x80000000 sign-extends; upper half of rs2 not stored */
    TEST_AMO   3, amoadd.w,       0x33333333ffffffff, 0x1, 0, 0xffffffffffffffff, 0x3333333300000000   /* no carry into the neighbouring word */
    TEST_AMO   5, amoand.w,       0x44444444f0f0f0f0, 0xff00ff0, 0, 0xfffffffff0f0f0f0, 0x4444444400f000f0
    TEST_AMO   7, amoor.w,        0x5555555500ff00ff, 0x80000000, 0, 0xff00ff, 0x5555555580ff00ff
    TEST_AMO   9, amoxor.w,       0x66666666ffffffff, 0xffff, 0, 0xffffffffffffffff, 0x66666666ffff0000
    TEST_AMO  11, amomin.w,       0x7777777780000000, 0x1, 0, 0xffffffff80000000, 0x7777777780000000   /* signed 32-bit: 0x80000000 is the minimum */
    TEST_AMO  13, amomin.w,       0x5, 0xffffffff, 0, 0x5, 0xffffffff   /* rs2 low word -1 < 5 */
    TEST_AMO  15, amomax.w,       0x0, 0xffffffff, 0, 0x0, 0x0   /* rs2 low word is -1: memory keeps 0 */
    TEST_AMO  17, amomax.w,       0x80000000, 0x7fffffff, 0, 0xffffffff80000000, 0x7fffffff
    TEST_AMO  19, amominu.w,      0x80000000, 0x1, 0, 0xffffffff80000000, 0x1   /* unsigned: 1 < 0x80000000 */
    TEST_AMO  21, amominu.w,      0x1, 0xffffffff00000002, 0, 0x1, 0x1   /* upper half of rs2 ignored */
    TEST_AMO  23, amomaxu.w,      0x1, 0xffffffff, 0, 0x1, 0xffffffff
    TEST_AMO  25, amomaxu.w,      0x80000000, 0x7fffffff, 0, 0xffffffff80000000, 0x80000000

    /* ---- .w forms, high word (offset 4) ---- */
    TEST_AMO  27, amoswap.w,      0x8000000022222222, 0x7fffffff, 4, 0xffffffff80000000, 0x7fffffff22222222
    TEST_AMO  29, amoadd.w,       0x7fffffff00000000, 0xffffffff00000001, 4, 0x7fffffff, 0x8000000000000000   /* rd 0x7fffffff, memory 0x80000000 */
    TEST_AMO  31, amoand.w,       0xffffffff12345678, 0xffff, 4, 0xffffffffffffffff, 0xffff12345678
    TEST_AMO  33, amoor.w,        0x12345678, 0x80000001, 4, 0x0, 0x8000000112345678
    TEST_AMO  35, amoxor.w,       0xaaaaaaaa12345678, 0xffffffff, 4, 0xffffffffaaaaaaaa, 0x5555555512345678
    TEST_AMO  37, amomin.w,       0x112345678, 0xfffffffe, 4, 0x1, 0xfffffffe12345678
    TEST_AMO  39, amomax.w,       0xfffffffe12345678, 0x1, 4, 0xfffffffffffffffe, 0x112345678
    TEST_AMO  41, amominu.w,      0xfffffffe12345678, 0x1, 4, 0xfffffffffffffffe, 0x112345678
    TEST_AMO  43, amomaxu.w,      0x112345678, 0xfffffffe, 4, 0x1, 0xfffffffe12345678

    /* ---- .d forms ---- */
    TEST_AMO  45, amoswap.d,      0x123456789abcdef, 0xfedcba9876543210, 0, 0x123456789abcdef, 0xfedcba9876543210
    TEST_AMO  47, amoadd.d,       0xffffffff, 0x1, 0, 0xffffffff, 0x100000000   /* carry across bit 32 */
    TEST_AMO  49, amoadd.d,       0x7fffffffffffffff, 0x1, 0, 0x7fffffffffffffff, 0x8000000000000000   /* wraps to INT64_MIN */
    TEST_AMO  51, amoand.d,       0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0, 0xff00ff00ff00ff00, 0xf000f000f000f00
    TEST_AMO  53, amoor.d,        0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0
    TEST_AMO  55, amoxor.d,       0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0
    TEST_AMO  57, amomin.d,       0x0, 0xffffffffffffffff, 0, 0x0, 0xffffffffffffffff   /* signed: -1 < 0 */
    TEST_AMO  59, amomin.d,       0x7fffffffffffffff, 0x8000000000000000, 0, 0x7fffffffffffffff, 0x8000000000000000
    TEST_AMO  61, amomax.d,       0x0, 0xffffffffffffffff, 0, 0x0, 0x0
    TEST_AMO  63, amomax.d,       0x80000000, 0x7fffffffffffffff, 0, 0x80000000, 0x7fffffffffffffff   /* 64-bit compare (bit 31 irrelevant) */
    TEST_AMO  65, amominu.d,      0x0, 0xffffffffffffffff, 0, 0x0, 0x0
    TEST_AMO  67, amominu.d,      0x8000000000000000, 0x7fffffffffffffff, 0, 0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO  69, amomaxu.d,      0x0, 0xffffffffffffffff, 0, 0x0, 0xffffffffffffffff
    TEST_AMO  71, amomaxu.d,      0x7fffffffffffffff, 0x8000000000000000, 0, 0x7fffffffffffffff, 0x8000000000000000

    /* ---- ordering bits (.aq, .rl, .aqrl) do not change the result ---- */
    TEST_AMO  73, amoadd.w.aq,    0x100000010, 0x20, 0, 0x10, 0x100000030
    TEST_AMO  75, amoswap.d.rl,   0x1, 0x2, 0, 0x1, 0x2
    TEST_AMO  77, amomaxu.d.aqrl, 0x5, 0x9, 0, 0x5, 0x9
    TEST_AMO  79, amoxor.w.aqrl,  0x80000000, 0xffffffff, 0, 0xffffffff80000000, 0x7fffffff

    /* the guard dwords around amo_buf were never touched */
    CHECK_MEMD amo_guard_lo, 0x1234123412341234, 81
    CHECK_MEMD amo_guard_hi, 0x5678567856785678, 82

    /* ---- rd = x0: memory still updated ---- */
    la   a0, amo_buf
    li   a1, 40
    sd   a1, 0(a0)
    li   a2, 2
    amoadd.d x0, a2, (a0)
    CHECK x0, 0, 83
    CHECK_MEMD amo_buf, 42, 84

    /* ---- rd == rs2: the old rs2 value is what gets stored ---- */
    li   a2, 0x77
    amoswap.d a2, a2, (a0)
    CHECK a2, 42, 85
    CHECK_MEMD amo_buf, 0x77, 86

    /* ================= LR / SC ================= */
    la   s0, lr_buf
    li   a1, 0x1111222233334444
    sd   a1, 0(s0)

    /* lr.d + sc.d on the same address succeeds */
    lr.d a3, (s0)
    CHECK a3, 0x1111222233334444, 87
    li   a2, 0x5555666677778888
    sc.d a4, a2, (s0)
    CHECK a4, 0, 88
    CHECK_MEMD lr_buf, 0x5555666677778888, 89

    /* a second sc.d without a new lr must fail: rd = 1, no store */
    li   a2, 0x9999
    sc.d a4, a2, (s0)
    CHECK a4, 1, 90
    CHECK_MEMD lr_buf, 0x5555666677778888, 91

    /* lr.w sign-extends; sc.w writes only 4 bytes */
    li   a1, 0x0123456780000000
    sd   a1, 0(s0)
    lr.w a3, (s0)
    CHECK a3, 0xffffffff80000000, 92
    li   a2, 0xffffffff7fffffff
    sc.w a4, a2, (s0)
    CHECK a4, 0, 93
    CHECK_MEMD lr_buf, 0x012345677fffffff, 94

    /* lr.w + sc.w on the upper word of the dword */
    addi s1, s0, 4
    lr.w a3, (s1)
    CHECK a3, 0x01234567, 95
    li   a2, 0xabcdef01
    sc.w a4, a2, (s1)
    CHECK a4, 0, 96
    CHECK_MEMD lr_buf, 0xabcdef017fffffff, 97

    /* sc.d to an address outside the reservation set fails and stores
     * nothing; a following sc.d to the reserved address fails as well */
    la   s2, lr_far                 /* 4 KiB away from lr_buf */
    li   a1, 0xfafafafafafafafa
    sd   a1, 0(s2)
    li   a1, 0x1010101010101010
    sd   a1, 0(s0)
    lr.d a3, (s0)
    CHECK a3, 0x1010101010101010, 98
    li   a2, 0x2020
    sc.d a4, a2, (s2)
    CHECK a4, 1, 99
    CHECK_MEMD lr_far, 0xfafafafafafafafa, 100
    sc.d a4, a2, (s0)
    CHECK a4, 1, 101
    CHECK_MEMD lr_buf, 0x1010101010101010, 102

    /* sc.d with rd == rs2: stores the old rs2, then rd = 0 */
    lr.d a3, (s0)
    li   a2, 0x3030303030303030
    sc.d a2, a2, (s0)
    CHECK a2, 0, 103
    CHECK_MEMD lr_buf, 0x3030303030303030, 104

    /* lr.d with rd == rs1: address taken before rd is written */
    mv   a5, s0
    lr.d a5, (a5)
    CHECK a5, 0x3030303030303030, 105
    li   a2, 0x4040
    sc.d a4, a2, (s0)
    CHECK a4, 0, 106
    CHECK_MEMD lr_buf, 0x4040, 107

    /* constrained lr/sc loop: 1000 increments give exactly 1000 */
    sd   zero, 0(s0)
    li   s3, 1000
1:  lr.w a3, (s0)
    addi a3, a3, 1
    sc.w a4, a3, (s0)
    bnez a4, 1b
    addi s3, s3, -1
    bnez s3, 1b
    CHECK_MEMD lr_buf, 1000, 108

    /* aq/rl variants behave the same */
    lr.d.aq a3, (s0)
    addi a3, a3, 1
    sc.d.rl a4, a3, (s0)
    CHECK a4, 0, 109
    CHECK_MEMD lr_buf, 1001, 110

    PASS
TEST_END

    .data
    .balign 64
amo_guard_lo:
    .dword 0x1234123412341234
amo_buf:
    .dword 0
amo_guard_hi:
    .dword 0x5678567856785678

    .balign 4096
lr_buf:
    .dword 0
    .balign 4096
lr_far:
    .dword 0
