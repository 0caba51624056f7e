/*
 * rvc.S - every RV64C encoding (except the F/D loads/stores, which are
 * illegal until loom has D) with exact results.
 *
 * Built with C enabled; every instruction under test is written with its
 * c.* mnemonic (the assembler refuses one it cannot compress), HINTs and
 * reserved encodings as .half.  IALIGN = 16: 16-bit instructions sit at
 * 2-byte aligned addresses, and jumps to them do not trap.
 *
 * Covers:
 *   - quadrant 0: c.addi4spn (nzuimm 4 and 1020), c.lw/c.ld/c.sw/c.sd
 *     (offsets 0 and the maximum, sign extension of c.lw);
 *   - quadrant 1: c.nop, c.addi (-32, 31), c.addiw (32-bit wrap, sign
 *     extension), c.li (-32, 31, -1), c.addi16sp (-512, 496), c.lui
 *     (1, 31, 0xfffe0 = -32), c.srli/c.srai (1, 31, 32, 63), c.andi (-32,
 *     31), c.sub/xor/or/and/subw/addw, c.j (forward, backward), c.beqz/
 *     c.bnez taken and not taken;
 *   - quadrant 2: c.slli (1, 32, 63), c.lwsp/c.ldsp/c.swsp/c.sdsp (max
 *     offsets), c.jr, c.jalr (link = pc + 2, rs1 = ra), c.mv, c.add,
 *     c.ebreak (mcause 3, mepc);
 *   - HINTs execute as no-ops (c.nop imm != 0, c.addi imm 0, c.li/c.lui/
 *     c.mv/c.add/c.slli with rd = x0, shifts by 0);
 *   - illegal 16-bit encodings trap with mtval = the 16 bits: 0x0000,
 *     c.addi4spn 0, quadrant-0 funct3 = 100, c.addiw x0, c.addi16sp 0,
 *     c.lui 0, the reserved c.subw/c.addw slots, c.lwsp/c.ldsp x0, c.jr x0,
 *     c.fld/c.fsd/c.fldsp/c.fsdsp (no D);
 *   - a 32-bit jal/jalr/branch at a 2-byte aligned address and to 2-byte
 *     aligned targets: no misaligned trap, link = pc + 4.
 * The ALU checks (c.addi, c.addiw, shifts, c.andi, c.sub...c.addw, c.mv,
 * c.add) also run with their operands loaded from memory (MEM_CI,
 * MEM_CR), which the IR optimiser cannot fold.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

/* An illegal 16-bit encoding followed by c.nop: the recording handler
   resumes at mepc + 4, after the c.nop. */
.macro ILL16 code, bits
    TRAP_RESET
.Lill\@:
    .half \bits
    c.nop
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, \code
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_ILLEGAL_INSN, \code+1
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, .Lill\@, \code+2
    TRAP_FIELD t4, TR_TVAL
    CHECK t4, \bits, \code+3
.endm

/* The memory form (testmacros.h) of an ALU check with an immediate:
   rd <- v loaded from memory, then "op rd, imm"; same code as the
   immediate form before it, and rd ends with the same value. */
.macro MEM_CI code, op, rd, v, imm, expected
    LOAD_MEM \rd, \v
    \op  \rd, \imm
    CHECK_MEM \rd, \expected, \code
.endm

/* ... of a register-register one: rd <- v1, rs <- v2, "op rd, rs" */
.macro MEM_CR code, op, rd, v1, rs, v2, expected
    LOAD_MEM \rd, \v1
    LOAD_MEM \rs, \v2
    \op  \rd, \rs
    CHECK_MEM \rd, \expected, \code
.endm

TEST_BEGIN 1
    TRAP_RECORD_ON
    mv   s11, sp                    /* the real stack pointer */

    /* ================= quadrant 0 ================= */
    c.addi4spn a0, sp, 4
    addi t0, sp, 4
    CHECK_REG a0, t0, 1
    c.addi4spn a1, sp, 1020
    addi t0, sp, 1020
    CHECK_REG a1, t0, 2

    la   s0, rvc_buf
    c.lw a0, 0(s0)                  /* 0x80000001, sign-extended */
    CHECK a0, 0xffffffff80000001, 3
    c.lw a1, 124(s0)
    CHECK a1, 0x7ffffffe, 4
    c.ld a2, 0(s0)
    CHECK a2, 0x0000000380000001, 5
    c.ld a3, 248(s0)
    CHECK a3, 0x8877665544332211, 6
    li   a4, 0x1122334455667788
    c.sw a4, 120(s0)
    c.sd a4, 240(s0)
    ld   t0, 120(s0)
    CHECK t0, 0x7ffffffe55667788, 7   /* the next word untouched */
    ld   t0, 240(s0)
    CHECK t0, 0x1122334455667788, 8
    li   a5, -1
    c.sd a5, 248(s0)
    ld   t0, 248(s0)
    CHECK t0, -1, 9

    /* ================= quadrant 1 ================= */
    li   a0, 100
    c.nop
    c.addi a0, -32
    CHECK a0, 68, 10
    MEM_CI 10, c.addi, a0, 100, -32, 68
    c.addi a0, 31
    CHECK a0, 99, 11
    MEM_CI 11, c.addi, a0, 68, 31, 99

    li   a0, 0x7fffffff
    c.addiw a0, 1                   /* 32-bit wrap, sign-extended */
    CHECK a0, 0xffffffff80000000, 12
    MEM_CI 12, c.addiw, a0, 0x7fffffff, 1, 0xffffffff80000000
    li   a0, 0x100000005
    c.addiw a0, -1                  /* upper bits dropped */
    CHECK a0, 4, 13
    MEM_CI 13, c.addiw, a0, 0x100000005, -1, 4

    c.li a0, -32
    CHECK a0, -32, 14
    c.li a1, 31
    CHECK a1, 31, 15
    c.li t2, -1
    CHECK t2, -1, 16

    c.addi16sp sp, -512
    addi t0, s11, -512
    CHECK_REG sp, t0, 17
    c.addi16sp sp, 496
    addi t0, s11, -16
    CHECK_REG sp, t0, 18
    c.addi16sp sp, 16
    CHECK_REG sp, s11, 19

    c.lui a0, 1
    CHECK a0, 0x1000, 20
    c.lui a1, 31
    CHECK a1, 0x1f000, 21
    c.lui t1, 0xfffe0               /* nzimm = -32: sign-extended */
    CHECK t1, 0xfffffffffffe0000, 22
    c.lui t1, 0xfffff               /* -1 */
    CHECK t1, 0xfffffffffffff000, 23

    li   a0, 0x8000000000000000
    mv   a1, a0
    mv   a2, a0
    mv   a3, a0
    c.srli a0, 63
    CHECK a0, 1, 24
    MEM_CI 24, c.srli, a0, 0x8000000000000000, 63, 1
    c.srli a1, 32
    CHECK a1, 0x80000000, 25
    MEM_CI 25, c.srli, a1, 0x8000000000000000, 32, 0x80000000
    c.srai a2, 63
    CHECK a2, -1, 26
    MEM_CI 26, c.srai, a2, 0x8000000000000000, 63, -1
    c.srai a3, 32
    CHECK a3, 0xffffffff80000000, 27
    MEM_CI 27, c.srai, a3, 0x8000000000000000, 32, 0xffffffff80000000
    li   a4, 0xf0f0f0f0f0f0f0f0
    c.srli a4, 1
    CHECK a4, 0x7878787878787878, 28
    MEM_CI 28, c.srli, a4, 0xf0f0f0f0f0f0f0f0, 1, 0x7878787878787878
    li   a4, 0xf0f0f0f0f0f0f0f0
    c.srai a4, 31
    CHECK a4, 0xffffffffe1e1e1e1, 29
    MEM_CI 29, c.srai, a4, 0xf0f0f0f0f0f0f0f0, 31, 0xffffffffe1e1e1e1

    li   a0, 0x123456789abcdef7
    mv   a1, a0
    c.andi a0, -32
    CHECK a0, 0x123456789abcdee0, 30
    MEM_CI 30, c.andi, a0, 0x123456789abcdef7, -32, 0x123456789abcdee0
    c.andi a1, 31
    CHECK a1, 0x17, 31
    MEM_CI 31, c.andi, a1, 0x123456789abcdef7, 31, 0x17

    li   a0, 0x00000000ffffffff
    li   a1, 0x0000000100000001
    mv   a2, a0
    c.sub a2, a1
    CHECK a2, 0xfffffffffffffffe, 32
    MEM_CR 32, c.sub, a2, 0x00000000ffffffff, a1, 0x0000000100000001, 0xfffffffffffffffe
    mv   a2, a0
    c.xor a2, a1
    CHECK a2, 0x00000001fffffffe, 33
    MEM_CR 33, c.xor, a2, 0x00000000ffffffff, a1, 0x0000000100000001, 0x00000001fffffffe
    mv   a2, a0
    c.or a2, a1
    CHECK a2, 0x00000001ffffffff, 34
    MEM_CR 34, c.or, a2, 0x00000000ffffffff, a1, 0x0000000100000001, 0x00000001ffffffff
    mv   a2, a0
    c.and a2, a1
    CHECK a2, 1, 35
    MEM_CR 35, c.and, a2, 0x00000000ffffffff, a1, 0x0000000100000001, 1
    li   a2, 0x80000000
    li   a3, 1
    c.subw a2, a3                   /* 0x7fffffff */
    CHECK a2, 0x7fffffff, 36
    MEM_CR 36, c.subw, a2, 0x80000000, a3, 1, 0x7fffffff
    c.addw a2, a3                   /* wraps to INT32_MIN */
    CHECK a2, 0xffffffff80000000, 37
    MEM_CR 37, c.addw, a2, 0x7fffffff, a3, 1, 0xffffffff80000000
    li   a2, 0x100000000
    c.subw a2, a3
    CHECK a2, -1, 38
    MEM_CR 38, c.subw, a2, 0x100000000, a3, 1, -1

    /* c.j forward and backward */
    li   a0, 0
    c.j  1f
    FAIL 39
2:  c.addi a0, 2
    c.j  3f
1:  c.addi a0, 1
    c.j  2b
3:  CHECK a0, 3, 40

    /* c.beqz / c.bnez */
    li   s0, 0
    li   s1, 5
    c.beqz s0, 1f
    FAIL 41
1:  c.bnez s0, 2f                   /* not taken */
    c.bnez s1, 3f
2:  FAIL 42
3:  c.beqz s1, 4f                   /* not taken */
    j    5f
4:  FAIL 43
5:

    /* ================= quadrant 2 ================= */
    li   a0, 0x8000000000000001
    mv   a1, a0
    mv   a2, a0
    c.slli a0, 1
    CHECK a0, 2, 44
    MEM_CI 44, c.slli, a0, 0x8000000000000001, 1, 2
    c.slli a1, 32
    CHECK a1, 0x0000000100000000, 45
    MEM_CI 45, c.slli, a1, 0x8000000000000001, 32, 0x0000000100000000
    c.slli a2, 63
    CHECK a2, 0x8000000000000000, 46
    MEM_CI 46, c.slli, a2, 0x8000000000000001, 63, 0x8000000000000000

    la   sp, rvc_buf
    c.lwsp a0, 0(sp)
    CHECK a0, 0xffffffff80000001, 47
    li   t0, 0x89abcdef
    sw   t0, 252(sp)
    c.lwsp a1, 252(sp)
    CHECK a1, 0xffffffff89abcdef, 48
    li   t0, 0x0123456789abcdef
    sd   t0, 504(sp)
    c.ldsp t1, 504(sp)
    CHECK t1, 0x0123456789abcdef, 49
    li   t0, 0x55aa55aa
    c.swsp t0, 248(sp)
    li   t0, -2
    c.sdsp t0, 496(sp)
    mv   sp, s11
    la   s0, rvc_buf
    lw   t0, 248(s0)
    CHECK t0, 0x55aa55aa, 50
    ld   t0, 496(s0)
    CHECK t0, -2, 51

    /* c.jr / c.jalr: link = pc + 2 */
    la   a0, 1f
    c.jr a0
    FAIL 52
1:  la   t0, rvc_func
    li   a0, 0
rvc_jalr:
    c.jalr t0                       /* rvc_func: a0 = ra; c.jr ra */
rvc_jalr_ret:
    CHECK_ADDR a0, rvc_jalr_ret, 53
    CHECK_ADDR ra, rvc_jalr_ret, 54
    la   ra, rvc_func_ra            /* rs1 = ra = rd */
    c.jalr ra
rvc_jalr_ra_ret:
    CHECK_ADDR a0, rvc_jalr_ra_ret, 55
    CHECK_ADDR ra, rvc_jalr_ra_ret, 56

    li   a1, 0x1234
    c.mv a0, a1
    CHECK a0, 0x1234, 57
    MEM_CR 57, c.mv, a0, 0, a1, 0x1234, 0x1234
    li   a0, 0x7fffffffffffffff
    c.add a0, a1                    /* 64-bit wrap */
    CHECK a0, 0x8000000000001233, 58
    MEM_CR 58, c.add, a0, 0x7fffffffffffffff, a1, 0x1234, 0x8000000000001233

    TRAP_RESET
    TRAP_RESUME_AT 1f
rvc_ebreak:
    c.ebreak
    FAIL 59
1:  TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 60
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_BREAKPOINT, 61
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, rvc_ebreak, 62

    /* ================= HINTs: no effect ================= */
    TRAP_RESET
    li   a0, 0x5a5a
    .half 0x0005                    /* c.nop 1 */
    .half 0x0501                    /* c.addi a0, 0 */
    .half 0x4015                    /* c.li x0, 5 */
    .half 0x6005                    /* c.lui x0, 1 */
    .half 0x802a                    /* c.mv x0, a0 */
    .half 0x902a                    /* c.add x0, a0 */
    .half 0x0006                    /* c.slli x0, 1 */
    .half 0x0502                    /* c.slli a0, 0 */
    .half 0x8101                    /* c.srli s0..: c.srli s0, 0 */
    .half 0x8501                    /* c.srai s0, 0 */
    CHECK a0, 0x5a5a, 63
    CHECK_ADDR s0, rvc_buf, 81
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 64

    /* ================= reserved / illegal 16-bit encodings ================= */
    ILL16 65, 0x0000                /* all zero */
    ILL16 69, 0x0004                /* c.addi4spn s1, sp, 0 */
    ILL16 73, 0x8000                /* quadrant 0, funct3 = 100 */
    ILL16 77, 0x2001                /* c.addiw x0, 0 */
    ILL16 85, 0x6101                /* c.addi16sp 0 */
    ILL16 89, 0x6501                /* c.lui a0, 0 */
    ILL16 93, 0x9c41                /* reserved: funct6 100111, funct2 10 */
    ILL16 97, 0x9c61                /* reserved: funct6 100111, funct2 11 */
    ILL16 101, 0x4002               /* c.lwsp x0 */
    ILL16 105, 0x6002               /* c.ldsp x0 */
    ILL16 109, 0x8002               /* c.jr x0 */
    ILL16 113, 0x2008               /* c.fld fa0, 0(s0) */
    ILL16 117, 0xa008               /* c.fsd fa0, 0(s0) */
    ILL16 121, 0x2502               /* c.fldsp fa0, 0(sp) */
    ILL16 125, 0xa02a               /* c.fsdsp fa0, 0(sp) */

    /* ============ 32-bit control flow with IALIGN = 16 ============ */
    li   a0, 0
    jal  ra, rvc_func               /* at 4n + 2 */
rvc_jal_ret:
    CHECK_ADDR a0, rvc_jal_ret, 129
    la   t0, rvc_odd_target
    jalr ra, 0(t0)                  /* target at 4n + 2: no trap */
rvc_jalr32_ret:
    CHECK_ADDR a0, rvc_jalr32_ret, 130
    li   t0, 1
    beq  t0, t0, rvc_odd_branch     /* taken, to 4n + 2 */
    FAIL 131
rvc_after_branch:
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 132                /* only the last ILL16's trap */

    TRAP_RECORD_OFF
    PASS
TEST_END

/* a0 = return address, return with c.jr ra */
rvc_func:
    mv   a0, ra
    c.jr ra

/* entered by c.jalr ra: ra already holds the link */
rvc_func_ra:
    mv   a0, ra
    c.jr ra

    .balign 4
    c.nop
rvc_odd_target:                     /* 4n + 2 */
    mv   a0, ra
    ret

    .balign 4
    c.nop
rvc_odd_branch:                     /* 4n + 2 */
    j    rvc_after_branch

    .data
    .balign 8
rvc_buf:
    .word 0x80000001, 3             /* +0 */
    .fill 29, 4, 0                  /* +8 .. +123 */
    .word 0x7ffffffe                /* +124 */
    .fill 30, 4, 0                  /* +128 .. +247 */
    .dword 0x8877665544332211       /* +248 */
    .fill 64, 8, 0                  /* up to +512 */
