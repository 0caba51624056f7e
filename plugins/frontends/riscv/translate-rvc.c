/*
 * riscv64 front-end: the C extension.  A 16-bit instruction is expanded
 * to the 32-bit instruction it stands for, which translate.c then decodes
 * with its ordinary handlers (the length only changes link values and
 * fall-through pcs, and illegal-instruction mtval, which translate.c takes
 * from the bits as fetched).
 *
 * Reserved encodings expand to 0, which translate.c raises as illegal.
 * HINT encodings (rd = x0, c.addi with imm 0, shifts by 0...) expand to
 * 32-bit instructions without effect, so they run as no-ops.
 *
 * F/D hook: c.fld, c.fsd, c.fldsp and c.fsdsp expand to fld/fsd only when
 * misa has D, so until D exists they are illegal, and when it does they
 * go through the FP load/store handlers like their 32-bit forms.  The
 * quadrant-0/2 funct3 = 011/111 slots are ld/sd on RV64 (c.flw/c.fsw are
 * RV32 only).
 */
#include "cpu.h"

/* 32-bit major opcodes (insn[6:0]) the expansions produce */
enum {
    OPC_LOAD = 0x03,
    OPC_LOAD_FP = 0x07,
    OPC_OP_IMM = 0x13,
    OPC_OP_IMM_32 = 0x1b,
    OPC_STORE = 0x23,
    OPC_STORE_FP = 0x27,
    OPC_OP = 0x33,
    OPC_LUI = 0x37,
    OPC_OP_32 = 0x3b,
    OPC_BRANCH = 0x63,
    OPC_JALR = 0x67,
    OPC_JAL = 0x6f,
    OPC_SYSTEM = 0x73,
};

enum { X_RA = 1, X_SP = 2 };

/* bit b of c, moved to bit `to` */
static inline uint32_t bit(uint16_t c, int b, int to)
{
    return (uint32_t)((c >> b) & 1) << to;
}

/* bits hi..lo of c, moved to start at bit `to` */
static inline uint32_t bits(uint16_t c, int hi, int lo, int to)
{
    return (uint32_t)((c >> lo) & ((1u << (hi - lo + 1)) - 1)) << to;
}

/* sign-extend the low `n` bits of v */
static inline int32_t sx(uint32_t v, int n)
{
    return (int32_t)(v << (32 - n)) >> (32 - n);
}

/* ---- 32-bit encoders ---- */

static uint32_t enc_r(int opc, int rd, int f3, int rs1, int rs2, int f7)
{
    return (uint32_t)f7 << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 |
           (uint32_t)f3 << 12 | (uint32_t)rd << 7 | (uint32_t)opc;
}

static uint32_t enc_i(int opc, int rd, int f3, int rs1, int32_t imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | (uint32_t)rs1 << 15 |
           (uint32_t)f3 << 12 | (uint32_t)rd << 7 | (uint32_t)opc;
}

static uint32_t enc_s(int opc, int f3, int rs1, int rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 5) & 0x7f) << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 |
           (uint32_t)f3 << 12 | (u & 0x1f) << 7 | (uint32_t)opc;
}

static uint32_t enc_b(int f3, int rs1, int rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | (uint32_t)rs2 << 20 |
           (uint32_t)rs1 << 15 | (uint32_t)f3 << 12 | ((u >> 1) & 0xf) << 8 |
           ((u >> 11) & 1) << 7 | OPC_BRANCH;
}

static uint32_t enc_j(int rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
           ((u >> 12) & 0xff) << 12 | (uint32_t)rd << 7 | OPC_JAL;
}

/* ---- compressed fields ---- */

/* rd'/rs1' (insn[9:7]) and rs2'/rd' (insn[4:2]): x8..x15 */
static inline int creg_hi(uint16_t c) { return 8 + ((c >> 7) & 7); }
static inline int creg_lo(uint16_t c) { return 8 + ((c >> 2) & 7); }
/* full register fields of quadrants 1 and 2 */
static inline int c_rd(uint16_t c) { return (c >> 7) & 31; }
static inline int c_rs2(uint16_t c) { return (c >> 2) & 31; }

/* imm[5] = insn[12], imm[4:0] = insn[6:2] (c.addi, c.li, c.andi...) */
static inline int32_t imm_ci(uint16_t c)
{
    return sx(bit(c, 12, 5) | bits(c, 6, 2, 0), 6);
}

/* shamt[5] = insn[12], shamt[4:0] = insn[6:2] */
static inline int shamt_ci(uint16_t c)
{
    return (int)(bit(c, 12, 5) | bits(c, 6, 2, 0));
}

/* c.lw/c.sw: uimm[5:3] = insn[12:10], uimm[2] = insn[6], uimm[6] = insn[5] */
static inline int32_t uimm_w(uint16_t c)
{
    return (int32_t)(bits(c, 12, 10, 3) | bit(c, 6, 2) | bit(c, 5, 6));
}

/* c.ld/c.sd/c.fld/c.fsd: uimm[5:3] = insn[12:10], uimm[7:6] = insn[6:5] */
static inline int32_t uimm_d(uint16_t c)
{
    return (int32_t)(bits(c, 12, 10, 3) | bits(c, 6, 5, 6));
}

/* c.j/c.jal: imm[11|4|9:8|10|6|7|3:1|5] = insn[12:2] */
static inline int32_t imm_cj(uint16_t c)
{
    return sx(bit(c, 12, 11) | bit(c, 11, 4) | bits(c, 10, 9, 8) | bit(c, 8, 10) |
              bit(c, 7, 6) | bit(c, 6, 7) | bits(c, 5, 3, 1) | bit(c, 2, 5), 12);
}

/* c.beqz/c.bnez: imm[8|4:3] = insn[12:10], imm[7:6|2:1|5] = insn[6:2] */
static inline int32_t imm_cb(uint16_t c)
{
    return sx(bit(c, 12, 8) | bits(c, 11, 10, 3) | bits(c, 6, 5, 6) |
              bits(c, 4, 3, 1) | bit(c, 2, 5), 9);
}

/* ---- the three quadrants ---- */

static uint32_t expand_q0(const RISCVEnv *env, uint16_t c)
{
    int rd = creg_lo(c), rs1 = creg_hi(c);
    uint32_t uimm;

    switch (c >> 13) {
    case 0: /* c.addi4spn: nzuimm[5:4|9:6|2|3] = insn[12:5]; 0 is reserved
               (and covers the all-zero illegal instruction) */
        uimm = bits(c, 12, 11, 4) | bits(c, 10, 7, 6) | bit(c, 6, 2) | bit(c, 5, 3);
        return uimm ? enc_i(OPC_OP_IMM, rd, 0, X_SP, (int32_t)uimm) : 0;
    case 1: /* c.fld: F/D hook */
        return riscv_has_ext(env, 'D') ? enc_i(OPC_LOAD_FP, rd, 3, rs1, uimm_d(c)) : 0;
    case 2: /* c.lw */
        return enc_i(OPC_LOAD, rd, 2, rs1, uimm_w(c));
    case 3: /* c.ld */
        return enc_i(OPC_LOAD, rd, 3, rs1, uimm_d(c));
    case 5: /* c.fsd: F/D hook */
        return riscv_has_ext(env, 'D') ? enc_s(OPC_STORE_FP, 3, rs1, rd, uimm_d(c)) : 0;
    case 6: /* c.sw */
        return enc_s(OPC_STORE, 2, rs1, rd, uimm_w(c));
    case 7: /* c.sd */
        return enc_s(OPC_STORE, 3, rs1, rd, uimm_d(c));
    default: /* 4: reserved */
        return 0;
    }
}

/* Quadrant 1, funct3 = 100: shifts, andi and register-register ALU ops. */
static uint32_t expand_q1_alu(uint16_t c)
{
    static const uint8_t f3_of[4] = { 0, 4, 6, 7 };        /* sub xor or and */
    int r = creg_hi(c), rs2 = creg_lo(c);
    int sel = (c >> 5) & 3;

    switch ((c >> 10) & 3) {
    case 0: /* c.srli (shamt 0: HINT, a no-op) */
        return enc_i(OPC_OP_IMM, r, 5, r, shamt_ci(c));
    case 1: /* c.srai */
        return enc_i(OPC_OP_IMM, r, 5, r, 0x400 | shamt_ci(c));
    case 2: /* c.andi */
        return enc_i(OPC_OP_IMM, r, 7, r, imm_ci(c));
    default:
        if (!(c & (1u << 12))) {        /* c.sub c.xor c.or c.and */
            return enc_r(OPC_OP, r, f3_of[sel], r, rs2, sel == 0 ? 0x20 : 0);
        }
        switch (sel) {
        case 0: /* c.subw */
            return enc_r(OPC_OP_32, r, 0, r, rs2, 0x20);
        case 1: /* c.addw */
            return enc_r(OPC_OP_32, r, 0, r, rs2, 0);
        default: /* reserved */
            return 0;
        }
    }
}

static uint32_t expand_q1(uint16_t c)
{
    int rd = c_rd(c);
    int32_t imm;

    switch (c >> 13) {
    case 0: /* c.addi; c.nop and the HINTs (rd = 0 or imm = 0) are no-ops */
        return enc_i(OPC_OP_IMM, rd, 0, rd, imm_ci(c));
    case 1: /* c.addiw (RV64); rd = 0 is reserved */
        return rd ? enc_i(OPC_OP_IMM_32, rd, 0, rd, imm_ci(c)) : 0;
    case 2: /* c.li; rd = 0 is a HINT */
        return enc_i(OPC_OP_IMM, rd, 0, 0, imm_ci(c));
    case 3:
        if (rd == X_SP) {   /* c.addi16sp: nzimm[9|4|6|8:7|5] = insn[12|6:2] */
            imm = sx(bit(c, 12, 9) | bit(c, 6, 4) | bit(c, 5, 6) | bits(c, 4, 3, 7) |
                     bit(c, 2, 5), 10);
            return imm ? enc_i(OPC_OP_IMM, X_SP, 0, X_SP, imm) : 0;
        }
        /* c.lui: nzimm[17:12]; 0 is reserved, rd = 0 a HINT */
        imm = imm_ci(c);
        if (!imm) {
            return 0;
        }
        return ((uint32_t)imm << 12) | (uint32_t)rd << 7 | OPC_LUI;
    case 4:
        return expand_q1_alu(c);
    case 5: /* c.j */
        return enc_j(0, imm_cj(c));
    case 6: /* c.beqz */
        return enc_b(0, creg_hi(c), 0, imm_cb(c));
    default: /* c.bnez */
        return enc_b(1, creg_hi(c), 0, imm_cb(c));
    }
}

static uint32_t expand_q2(const RISCVEnv *env, uint16_t c)
{
    int rd = c_rd(c), rs2 = c_rs2(c);
    int32_t uimm;

    switch (c >> 13) {
    case 0: /* c.slli (rd = 0 or shamt = 0: HINT) */
        return enc_i(OPC_OP_IMM, rd, 1, rd, shamt_ci(c));
    case 1: /* c.fldsp: uimm[5] = insn[12], [4:3] = [6:5], [8:6] = [4:2]; F/D hook */
        uimm = (int32_t)(bit(c, 12, 5) | bits(c, 6, 5, 3) | bits(c, 4, 2, 6));
        return riscv_has_ext(env, 'D') ? enc_i(OPC_LOAD_FP, rd, 3, X_SP, uimm) : 0;
    case 2: /* c.lwsp: uimm[5] = insn[12], [4:2] = [6:4], [7:6] = [3:2]; rd = 0 reserved */
        uimm = (int32_t)(bit(c, 12, 5) | bits(c, 6, 4, 2) | bits(c, 3, 2, 6));
        return rd ? enc_i(OPC_LOAD, rd, 2, X_SP, uimm) : 0;
    case 3: /* c.ldsp; rd = 0 reserved */
        uimm = (int32_t)(bit(c, 12, 5) | bits(c, 6, 5, 3) | bits(c, 4, 2, 6));
        return rd ? enc_i(OPC_LOAD, rd, 3, X_SP, uimm) : 0;
    case 4:
        if (!(c & (1u << 12))) {
            if (rs2 == 0) {     /* c.jr; rs1 = 0 is reserved */
                return rd ? enc_i(OPC_JALR, 0, 0, rd, 0) : 0;
            }
            return enc_r(OPC_OP, rd, 0, 0, rs2, 0);         /* c.mv */
        }
        if (rs2 == 0) {
            if (rd == 0) {      /* c.ebreak */
                return 0x00100000u | OPC_SYSTEM;
            }
            return enc_i(OPC_JALR, X_RA, 0, rd, 0);         /* c.jalr */
        }
        return enc_r(OPC_OP, rd, 0, rd, rs2, 0);            /* c.add */
    case 5: /* c.fsdsp: uimm[5:3] = insn[12:10], [8:6] = [9:7]; F/D hook */
        uimm = (int32_t)(bits(c, 12, 10, 3) | bits(c, 9, 7, 6));
        return riscv_has_ext(env, 'D') ? enc_s(OPC_STORE_FP, 3, X_SP, rs2, uimm) : 0;
    case 6: /* c.swsp: uimm[5:2] = insn[12:9], [7:6] = [8:7] */
        uimm = (int32_t)(bits(c, 12, 9, 2) | bits(c, 8, 7, 6));
        return enc_s(OPC_STORE, 2, X_SP, rs2, uimm);
    default: /* c.sdsp */
        uimm = (int32_t)(bits(c, 12, 10, 3) | bits(c, 9, 7, 6));
        return enc_s(OPC_STORE, 3, X_SP, rs2, uimm);
    }
}

uint32_t riscv_rvc_expand(const RISCVEnv *env, uint16_t insn)
{
    switch (insn & 3) {
    case 0:
        return expand_q0(env, insn);
    case 1:
        return expand_q1(insn);
    case 2:
        return expand_q2(env, insn);
    default:
        return 0;       /* not a 16-bit instruction */
    }
}
