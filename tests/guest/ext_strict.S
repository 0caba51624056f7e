/*
 * ext_strict.S - extension behaviour QEMU 7.2 does not share (qemu-skip):
 * Zicond, which QEMU 7.2 lacks, and c.ebreak's mtval (loom: the pc, as
 * for ebreak; QEMU: 0 -- the spec allows either).
 *
 * Covers:
 *   - czero.eqz/czero.nez (written with .insn: binutils 2.40 does not
 *     know Zicond) with rs2 = 0, rs2 != 0 (including only bit 63 set),
 *     rs2 = x0, rd = rs1 and rd = rs2 aliasing, rd = x0;
 *   - c.ebreak: mcause 3, mepc = mtval = its address.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* czero.eqz rd, rs1, rs2: rd = rs2 == 0 ? 0 : rs1 */
#define CZERO_EQZ(rd, rs1, rs2) .insn r 0x33, 5, 7, rd, rs1, rs2
/* czero.nez rd, rs1, rs2: rd = rs2 != 0 ? 0 : rs1 */
#define CZERO_NEZ(rd, rs1, rs2) .insn r 0x33, 7, 7, rd, rs1, rs2

TEST_BEGIN 1
    li   a1, 0x123456789abcdef0
    li   a2, 0
    li   a3, 0x8000000000000000
    li   a4, 1

    CZERO_EQZ(a0, a1, a2)
    CHECK a0, 0, 1
    CZERO_EQZ(a0, a1, a3)
    CHECK a0, 0x123456789abcdef0, 2
    CZERO_EQZ(a0, a1, a4)
    CHECK a0, 0x123456789abcdef0, 3
    CZERO_EQZ(a0, a1, zero)
    CHECK a0, 0, 4
    CZERO_NEZ(a0, a1, a2)
    CHECK a0, 0x123456789abcdef0, 5
    CZERO_NEZ(a0, a1, a3)
    CHECK a0, 0, 6
    CZERO_NEZ(a0, a1, a4)
    CHECK a0, 0, 7
    CZERO_NEZ(a0, a1, zero)
    CHECK a0, 0x123456789abcdef0, 8

    mv   a5, a1
    CZERO_EQZ(a5, a5, a4)           /* rd = rs1 */
    CHECK a5, 0x123456789abcdef0, 9
    mv   a5, a3
    CZERO_NEZ(a5, a1, a5)           /* rd = rs2 */
    CHECK a5, 0, 10
    li   a5, 7
    CZERO_EQZ(a5, a5, a5)           /* rd = rs1 = rs2 */
    CHECK a5, 7, 11
    CZERO_NEZ(zero, a1, a2)
    CZERO_EQZ(zero, a1, a3)
    add  a5, zero, zero
    CHECK a5, 0, 12

    /* c.ebreak reports its own address in mtval */
    TRAP_RECORD_ON
    TRAP_RESET
    TRAP_RESUME_AT 1f
strict_cebreak:
    c.ebreak
    FAIL 13
1:  CHECK_TRAP_TVAL_ADDR 14, CAUSE_BREAKPOINT, strict_cebreak, strict_cebreak
    TRAP_RECORD_OFF

    PASS
TEST_END
