/*
 * rv64i_alu.S - RV64I register/immediate arithmetic, logic, shifts,
 * compares, lui/auipc, x0 handling.
 *
 * Every check gives the exact 64-bit result, including:
 *   - 64-bit wrap-around (add/sub/addi), no hidden 32-bit truncation;
 *   - *W ops: only the low 32 bits of the inputs matter and the 32-bit
 *     result is sign-extended to 64 bits (also for shift amount 0);
 *   - shift amounts taken from rs2[5:0] (64-bit ops) and rs2[4:0]
 *     (W ops): 64 -> 0, 65 -> 1, 32 -> 0 (W), 33 -> 1 (W), ...;
 *   - 12-bit immediates sign-extended (andi/ori/xori/sltiu included);
 *   - signed vs unsigned compares at INT64_MIN/INT64_MAX/-1/0;
 *   - rd == rs1, rd == rs2, rd == rs1 == rs2 aliasing;
 *   - writes to x0 are discarded.
 * Every TEST_* check also runs with its operands loaded from memory, so
 * that the IR optimiser cannot fold it (testmacros.h, LOAD_MEM).
 * Single hart.  Failure exit code = the check number in the first column.
 */
#include "testmacros.h"

/*
 * Each TEST_* macro emits its check in two forms (testmacros.h): with li
 * operands (the optimiser folds the op) and with operands loaded from
 * memory (the back-end's code for the op runs); both use the same code.
 */

/* op a3, a1, a2 with a1 = v1, a2 = v2; a3 must be 'result' */
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

/* op a3, a1, imm with a1 = v1 */
.macro TEST_RI code, op, result, v1, imm
    li   a1, \v1
    \op  a3, a1, \imm
    CHECK a3, \result, \code
    LOAD_MEM a1, \v1
    \op  a3, a1, \imm
    CHECK_MEM a3, \result, \code
.endm

/* rd == rs1: op a1, a1, a2 */
.macro TEST_RR_D1 code, op, result, v1, v2
    li   a1, \v1
    li   a2, \v2
    \op  a1, a1, a2
    CHECK a1, \result, \code
    LOAD_MEM a1, \v1
    LOAD_MEM a2, \v2
    \op  a1, a1, a2
    CHECK_MEM a1, \result, \code
.endm

/* rd == rs2: op a2, a1, a2 */
.macro TEST_RR_D2 code, op, result, v1, v2
    li   a1, \v1
    li   a2, \v2
    \op  a2, a1, a2
    CHECK a2, \result, \code
    LOAD_MEM a1, \v1
    LOAD_MEM a2, \v2
    \op  a2, a1, a2
    CHECK_MEM a2, \result, \code
.endm

/* rd == rs1 == rs2: op a1, a1, a1 */
.macro TEST_RR_ALL code, op, result, v
    li   a1, \v
    \op  a1, a1, a1
    CHECK a1, \result, \code
    LOAD_MEM a1, \v
    \op  a1, a1, a1
    CHECK_MEM a1, \result, \code
.endm

/* rd == rs1 with an immediate: op a1, a1, imm */
.macro TEST_RI_D code, op, result, v, imm
    li   a1, \v
    \op  a1, a1, \imm
    CHECK a1, \result, \code
    LOAD_MEM a1, \v
    \op  a1, a1, \imm
    CHECK_MEM a1, \result, \code
.endm

TEST_BEGIN 1

    /* ---- add / sub (64-bit wrap-around, no 32-bit truncation) ---- */
    TEST_RR      1, add,  0x2, 0x1, 0x1
    TEST_RR      2, add,  0x8000000000000000, 0x7fffffffffffffff, 0x1   /* signed overflow wraps to INT64_MIN */
    TEST_RR      3, add,  0x0, 0xffffffffffffffff, 0x1   /* carry out is dropped */
    TEST_RR      4, add,  0x0, 0x8000000000000000, 0x8000000000000000   /* wraps to 0 */
    TEST_RR      5, add,  0x100000000, 0xffffffff, 0x1   /* carry into bit 32 */
    TEST_RR      6, add,  0x2222222222222211, 0x123456789abcdef0, 0xfedcba987654321
    TEST_RR      7, sub,  0xffffffffffffffff, 0x0, 0x1   /* 0 - 1 = all ones */
    TEST_RR      8, sub,  0x7fffffffffffffff, 0x8000000000000000, 0x1   /* wraps to INT64_MAX */
    TEST_RR      9, sub,  0xffffffff, 0x100000000, 0x1   /* borrow from bit 32 */
    TEST_RR     10, sub,  0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR     11, sub,  0xfffffffffffffffe, 0x5, 0x7

    /* ---- addw / subw: 32-bit result, sign-extended; upper input bits ignored ---- */
    TEST_RR     12, addw, 0xffffffff80000000, 0x7fffffff, 0x1   /* bit 31 set: result sign-extended */
    TEST_RR     13, addw, 0x0, 0xffffffff, 0x1   /* carry out of bit 31 is dropped */
    TEST_RR     14, addw, 0x23456789, 0x123456789, 0x0   /* upper 32 bits of rs1 ignored */
    TEST_RR     15, addw, 0x8, 0xffffffff00000005, 0xaaaaaaaa00000003   /* upper 32 bits of both ignored */
    TEST_RR     16, addw, 0x0, 0x80000000, 0x80000000   /* -2^31 + -2^31 wraps to 0 */
    TEST_RR     17, subw, 0xffffffffffffffff, 0x0, 0x1
    TEST_RR     18, subw, 0x7fffffff, 0x80000000, 0x1   /* INT32_MIN - 1 wraps to INT32_MAX */
    TEST_RR     19, subw, 0x0, 0x100000000, 0x0   /* result 0 even though rs1 != 0 */
    TEST_RR     20, subw, 0xffffffff80000000, 0x7fffffff, 0xffffffffffffffff   /* INT32_MAX - (-1) = INT32_MIN */

    /* ---- addi / addiw: 12-bit sign-extended immediates, extremes -2048 and 2047 ---- */
    TEST_RI     21, addi,  0xfffffffffffff800, 0x0, -2048
    TEST_RI     22, addi,  0x7ff, 0x0, 2047
    TEST_RI     23, addi,  0x8000000000000000, 0x7fffffffffffffff, 1   /* wraps to INT64_MIN */
    TEST_RI     24, addi,  0x0, 0xffffffffffffffff, 1
    TEST_RI     25, addi,  0x7fffffffffffffff, 0x8000000000000000, -1   /* wraps to INT64_MAX */
    TEST_RI     26, addi,  0xffffffff, 0x100000000, -1   /* borrow across bit 32 */
    TEST_RI     27, addiw, 0xffffffff80000000, 0x7fffffff, 1   /* sign-extends the 32-bit result */
    TEST_RI     28, addiw, 0xffffffffffffffff, 0x0, -1
    TEST_RI     29, addiw, 0x5, 0x100000005, 0   /* sext.w: drops the upper half */
    TEST_RI     30, addiw, 0xffffffffffffffff, 0xffffffff, 0   /* sext.w of 0xffffffff = -1 */
    TEST_RI     31, addiw, 0x7fffffff, 0x80000000, -1   /* INT32_MIN - 1 = INT32_MAX */
    TEST_RI     32, addiw, 0xfffffffffffff000, 0xfffffffffffff800, -2048

    /* ---- and / or / xor and their immediate forms (immediate sign-extended) ---- */
    TEST_RR     33, and,  0xf000f000f000f00, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0
    TEST_RR     34, and,  0x123456789abcdef0, 0xffffffffffffffff, 0x123456789abcdef0
    TEST_RR     35, or,   0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0
    TEST_RR     36, or,   0x0, 0x0, 0x0
    TEST_RR     37, xor,  0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0
    TEST_RR     38, xor,  0xedcba9876543210f, 0xffffffffffffffff, 0x123456789abcdef0   /* bitwise not */
    TEST_RI     39, andi,  0x123456789abcdef0, 0x123456789abcdef0, -16   /* imm 0xff0 sign-extends: keeps upper bits */
    TEST_RI     40, andi,  0x6f0, 0x123456789abcdef0, 2047   /* positive imm clears upper bits */
    TEST_RI     41, andi,  0x0, 0xffffffffffffffff, 0
    TEST_RI     42, ori,   0xfffffffffffff800, 0x8000000000000000, -2048   /* sets bits 63..11 */
    TEST_RI     43, ori,   0x17ff, 0x1234, 2047
    TEST_RI     44, xori,  0xedcba9876543210f, 0x123456789abcdef0, -1   /* not */
    TEST_RI     45, xori,  0xff000000000000ff, 0xff00000000000000, 255

    /* ---- sll / srl / sra: shift amount is rs2[5:0] (64 -> 0, 65 -> 1, ...) ---- */
    TEST_RR     46, sll,  0x8000000000000000, 0x1, 0x3f
    TEST_RR     47, sll,  0x1, 0x1, 0x40   /* amount 64 masks to 0 */
    TEST_RR     48, sll,  0x2, 0x1, 0x41   /* amount 65 masks to 1 */
    TEST_RR     49, sll,  0xff000000000, 0xff, 0x24   /* crosses bit 32 */
    TEST_RR     50, sll,  0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffc0   /* upper bits of rs2 ignored (amount 0) */
    TEST_RR     51, srl,  0x1, 0x8000000000000000, 0x3f
    TEST_RR     52, srl,  0xfffffffffffffff, 0xffffffffffffffff, 0x44   /* amount 68 masks to 4: logical, zero fill */
    TEST_RR     53, srl,  0xffffffff, 0xffffffffffffffff, 0x20
    TEST_RR     54, srl,  0x8000000000000000, 0x8000000000000000, 0x0
    TEST_RR     55, sra,  0xffffffffffffffff, 0x8000000000000000, 0x3f   /* sign fill */
    TEST_RR     56, sra,  0xf800000000000000, 0x8000000000000000, 0x44   /* amount 68 masks to 4 */
    TEST_RR     57, sra,  0x1, 0x7fffffffffffffff, 0x3e   /* positive: zero fill */
    TEST_RR     58, sra,  0xfffffffffffffffc, 0xfffffffffffffff0, 0x2
    TEST_RR     59, sra,  0xffffffff80000000, 0x8000000080000000, 0x20   /* bit 31 does not matter, bit 63 does */

    /* ---- sllw / srlw / sraw: amount is rs2[4:0] (32 -> 0, 33 -> 1), result sign-extended ---- */
    TEST_RR     60, sllw, 0xffffffff80000000, 0x1, 0x1f   /* result bit 31 set: sign-extended */
    TEST_RR     61, sllw, 0x1, 0x1, 0x20   /* amount 32 masks to 0 */
    TEST_RR     62, sllw, 0x2, 0x1, 0x21   /* amount 33 masks to 1 */
    TEST_RR     63, sllw, 0x10, 0xffffffff00000001, 0x4   /* upper input bits ignored */
    TEST_RR     64, sllw, 0x23456780, 0x12345678, 0x4   /* bits shifted out of bit 31 are lost */
    TEST_RR     65, sllw, 0xffffffff80000000, 0x3, 0x3f   /* amount 63 masks to 31 */
    TEST_RR     66, srlw, 0x1, 0x80000000, 0x1f
    TEST_RR     67, srlw, 0xffffffff80000000, 0xffffffff80000000, 0x0   /* amount 0 still sign-extends bit 31 */
    TEST_RR     68, srlw, 0xfffffff, 0xffffffff, 0x24   /* amount 36 masks to 4 */
    TEST_RR     69, srlw, 0x9abcde, 0x123456789abcdef0, 0x8   /* upper input bits do not shift in */
    TEST_RR     70, srlw, 0x7fffffff, 0xffffffffffffffff, 0x1   /* zero fill from bit 31 */
    TEST_RR     71, sraw, 0xffffffffffffffff, 0x80000000, 0x1f
    TEST_RR     72, sraw, 0xffffffffc0000000, 0x80000000, 0x21   /* amount 33 masks to 1 */
    TEST_RR     73, sraw, 0x7fffffff, 0x7fffffff, 0x20   /* amount 32 masks to 0 */
    TEST_RR     74, sraw, 0xffffffffff000000, 0xf0000000, 0x4   /* fills from bit 31, not bit 63 */
    TEST_RR     75, sraw, 0x3fffffff, 0xffffffff7fffffff, 0x1   /* bit 63 set but bit 31 clear: positive */

    /* ---- slli / srli / srai: shamt 0..63 ---- */
    TEST_RI     76, slli,  0x8000000000000000, 0x1, 63
    TEST_RI     77, slli,  0xffffffffffffffff, 0xffffffffffffffff, 0
    TEST_RI     78, slli,  0x123456789abcdef0, 0x123456789abcdef, 4
    TEST_RI     79, slli,  0xff00000000, 0xff, 32
    TEST_RI     80, srli,  0x1, 0xffffffffffffffff, 63
    TEST_RI     81, srli,  0x7fffffffffffffff, 0xffffffffffffffff, 1
    TEST_RI     82, srli,  0x80000000, 0x8000000000000000, 32
    TEST_RI     83, srli,  0x123456789abcdef, 0x123456789abcdef, 0
    TEST_RI     84, srai,  0xffffffffffffffff, 0x8000000000000000, 63
    TEST_RI     85, srai,  0xc000000000000000, 0x8000000000000000, 1
    TEST_RI     86, srai,  0x3fffffffffffffff, 0x7fffffffffffffff, 1
    TEST_RI     87, srai,  0xffffffffffedcba9, 0xfedcba9876543210, 36

    /* ---- slliw / srliw / sraiw: shamt 0..31, result sign-extended ---- */
    TEST_RI     88, slliw, 0xffffffff80000000, 0x1, 31
    TEST_RI     89, slliw, 0xffffffffffffffff, 0xffffffff, 0   /* shamt 0 sign-extends */
    TEST_RI     90, slliw, 0x56780000, 0x12345678, 16
    TEST_RI     91, slliw, 0x2, 0x100000001, 1   /* upper input bits ignored */
    TEST_RI     92, srliw, 0x1, 0x80000000, 31
    TEST_RI     93, srliw, 0xffffffffffffffff, 0xffffffffffffffff, 0   /* shamt 0: sext(0xffffffff) */
    TEST_RI     94, srliw, 0x40000000, 0xffffffff80000000, 1   /* zero fill from bit 31 */
    TEST_RI     95, srliw, 0x1234567, 0x12345678, 4
    TEST_RI     96, sraiw, 0xffffffffffffffff, 0x80000000, 31
    TEST_RI     97, sraiw, 0xffffffff80000000, 0x80000000, 0
    TEST_RI     98, sraiw, 0x1, 0x7fffffff, 30
    TEST_RI     99, sraiw, 0x3fffffff, 0xffffffff7fffffff, 1   /* sign comes from bit 31 */

    /* ---- slt / sltu / slti / sltiu ---- */
    TEST_RR    100, slt,  0x1, 0xffffffffffffffff, 0x0
    TEST_RR    101, slt,  0x0, 0x0, 0xffffffffffffffff
    TEST_RR    102, slt,  0x1, 0x8000000000000000, 0x7fffffffffffffff
    TEST_RR    103, slt,  0x0, 0x7fffffffffffffff, 0x8000000000000000
    TEST_RR    104, slt,  0x0, 0x5, 0x5
    TEST_RR    105, sltu, 0x0, 0xffffffffffffffff, 0x0
    TEST_RR    106, sltu, 0x1, 0x0, 0xffffffffffffffff
    TEST_RR    107, sltu, 0x0, 0x5, 0x5
    TEST_RR    108, sltu, 0x0, 0x8000000000000000, 0x7fffffffffffffff
    TEST_RR    109, sltu, 0x1, 0x0, 0x1
    TEST_RI    110, slti,  0x1, 0xffffffffffffffff, 0
    TEST_RI    111, slti,  0x0, 0x0, -2048
    TEST_RI    112, slti,  0x1, 0xfffffffffffff7ff, -2048
    TEST_RI    113, slti,  0x1, 0x7fe, 2047
    TEST_RI    114, slti,  0x1, 0x8000000000000000, -1
    TEST_RI    115, sltiu, 0x1, 0x0, 1   /* seqz */
    TEST_RI    116, sltiu, 0x0, 0x1, 1
    TEST_RI    117, sltiu, 0x1, 0xfffffffffffff7ff, -2048   /* imm sign-extends to 0xfffffffffffff800, compared unsigned */
    TEST_RI    118, sltiu, 0x0, 0xffffffffffffffff, -1
    TEST_RI    119, sltiu, 0x1, 0x7fffffffffffffff, -1

    /* ---- register aliasing: rd == rs1, rd == rs2, rd == rs1 == rs2 ---- */
    TEST_RR_D1  120, add,  0x3333333333333333, 0x1111111111111111, 0x2222222222222222
    TEST_RR_D2  121, sub,  0x7, 0xa, 0x3
    TEST_RR_D1  122, sll,  0x10000000000, 0x1, 0x28
    TEST_RR_D2  123, sra,  0xf800000000000000, 0x8000000000000000, 0x4
    TEST_RR_ALL 124, add,  0x8000000000000002, 0x4000000000000001
    TEST_RR_ALL 125, sub,  0x0, 0x1234
    TEST_RR_ALL 126, xor,  0x0, 0xffffffffffffffff
    TEST_RR_ALL 127, sllw, 0x18, 0x3
    TEST_RR_ALL 128, sltu, 0x0, 0x7
    TEST_RI_D   129, addi, 0x2a, 0x29, 1
    TEST_RI_D   130, addiw, 0xffffffff80000000, 0x7fffffff, 1
    TEST_RI_D   131, srai, 0xffffffffffffffff, 0x8000000000000000, 63

    /* ---- sources are not modified by an operation into another rd ---- */
    li   a1, 0x0123456789abcdef
    li   a2, 0x00000000000000ff
    sub  a3, a1, a2
    CHECK a1, 0x0123456789abcdef, 132
    CHECK a2, 0xff, 133
    CHECK a3, 0x0123456789abccf0, 134

    /* ---- other registers than a1..a3 (s9..s11, t3, gp, tp, ra) ---- */
    li   s9, 0x1000
    li   s10, 0x0234
    add  s11, s9, s10
    CHECK s11, 0x1234, 135
    sub  t3, s10, s9
    CHECK t3, 0xfffffffffffff234, 136
    li   gp, 7
    li   tp, 6
    mulw ra, gp, tp           /* (M ext, just as a different opcode) */
    CHECK ra, 42, 137

    /* ---- lui: imm << 12, sign-extended from bit 31 ---- */
    lui  a3, 0x80000
    CHECK a3, 0xffffffff80000000, 138
    lui  a3, 0x7ffff
    CHECK a3, 0x7ffff000, 139
    lui  a3, 0xfffff
    CHECK a3, 0xfffffffffffff000, 140
    lui  a3, 0
    CHECK a3, 0, 141
    lui  a3, 0x12345
    addi a3, a3, 0x678        /* the usual lui + addi pair */
    CHECK a3, 0x12345678, 142
    lui  a3, 0x12345
    addi a3, a3, -1           /* addi borrows into the lui part */
    CHECK a3, 0x12344fff, 143

    /* ---- auipc: pc + (imm << 12), imm sign-extended from bit 31 ---- */
auipc_0:
    auipc a3, 0
    CHECK_ADDR a3, auipc_0, 144
auipc_1:
    auipc a3, 1
    la   a4, auipc_1
    li   t0, 0x1000
    add  a4, a4, t0
    CHECK_REG a3, a4, 145
auipc_m1:
    auipc a3, 0xfffff          /* pc - 4096 */
    la   a4, auipc_m1
    li   t0, -0x1000
    add  a4, a4, t0
    CHECK_REG a3, a4, 146
auipc_neg:
    auipc a3, 0x80000          /* pc - 2^31: leaves the RAM region */
    la   a4, auipc_neg
    li   t0, 0xffffffff80000000
    add  a4, a4, t0
    CHECK_REG a3, a4, 147

    /* ---- x0: always reads 0, writes are discarded ---- */
    addi x0, x0, 5
    CHECK x0, 0, 148
    li   a1, -1
    add  x0, a1, a1
    CHECK x0, 0, 149
    lui  x0, 0x12345
    CHECK x0, 0, 150
    auipc x0, 1
    CHECK x0, 0, 151
    sub  a3, x0, a1           /* 0 - (-1) */
    CHECK a3, 1, 152
    or   a3, x0, x0
    CHECK a3, 0, 153
    addi a3, x0, -1           /* li -1 via x0 */
    CHECK a3, 0xffffffffffffffff, 154

    PASS
TEST_END
