/*
 * aarch64 front-end: data processing, immediate (insn[28:25] = 100x:
 * ADR/ADRP, ADD/SUB(S), logical, move wide, bitfield, EXTR) and register
 * (x101: shifted and extended add/sub, logical, ADC/SBC, CCMP/CCMN,
 * CSEL and friends, MADD/MSUB and the long multiplies, UMULH/SMULH,
 * divides, variable shifts, CLZ/CLS/RBIT/REV*, CRC32/CRC32C).
 *
 * 32-bit forms (sf = 0) work on zero-extended 32-bit values and write
 * their result zero-extended (write_reg); flag words follow cpu.h.
 */
#include "translate.h"

/* ---- immediate ---- */

/* ADR, ADRP */
static bool trans_adr(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    int64_t imm = sextract64(insn, 5, 19) * 4 + extract32(insn, 29, 2);
    uint64_t v;

    if (insn >> 31) {
        v = (dc->pc & ~0xfffull) + (uint64_t)imm * 4096;
    } else {
        v = dc->pc + (uint64_t)imm;
    }
    write_reg(dc, insn & 31, cst(dc, v), true);
    return true;
}

/* ADD/ADDS/SUB/SUBS (immediate) */
static bool trans_addsub_imm(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    uint64_t imm = extract32(insn, 10, 12);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a = read_reg_sp(dc, rn, sf), r;

    if ((insn >> 22) & 1) {
        imm <<= 12;
    }
    if (s) {
        uint64_t b = sub ? ~imm : imm;

        if (!sf) {
            b &= 0xffffffffull;
        }
        r = gen_adc_cc_res(dc, sf, a, cst(dc, b), cst(dc, sub));
        write_reg(dc, rd, r, sf);
    } else {
        r = tmp(dc);
        loom_ir_gen_addi_i64(ir, r, a, sub ? -(int64_t)imm : (int64_t)imm);
        write_reg_sp(dc, rd, r, sf);
    }
    return true;
}

/* DecodeBitMasks for the logical immediates: false if reserved. */
static bool decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool sf, uint64_t *mask)
{
    unsigned v = n << 6 | (~imms & 0x3f), len, esize, levels, s, r;
    uint64_t elem, m;

    if (v == 0) {
        return false;
    }
    len = 31 - (unsigned)__builtin_clz(v);
    if (len < 1 || (!sf && len > 5)) {
        return false;
    }
    esize = 1u << len;
    levels = esize - 1;
    s = imms & levels;
    r = immr & levels;
    if (s == levels) {
        return false;
    }
    elem = (UINT64_C(1) << (s + 1)) - 1;
    if (r) {
        uint64_t emask = esize == 64 ? ~0ull : (UINT64_C(1) << esize) - 1;

        elem = ((elem >> r) | (elem << (esize - r))) & emask;
    }
    m = elem;
    for (unsigned e = esize; e < 64; e *= 2) {
        m |= m << e;
    }
    *mask = sf ? m : m & 0xffffffffull;
    return true;
}

/* AND/ORR/EOR/ANDS (immediate) */
static bool trans_logic_imm(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned opc = extract32(insn, 29, 2), n = extract32(insn, 22, 1);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    uint64_t mask;
    LoomIRTemp r = tmp(dc), a;

    if ((!sf && n) || !decode_bit_masks(n, extract32(insn, 10, 6), extract32(insn, 16, 6), sf, &mask)) {
        return false;
    }
    a = read_reg(dc, rn, sf);
    switch (opc) {
    case 0: case 3:
        loom_ir_gen_andi_i64(ir, r, a, mask);
        break;
    case 1:
        loom_ir_gen_ori_i64(ir, r, a, mask);
        break;
    default:
        loom_ir_gen_xori_i64(ir, r, a, mask);
        break;
    }
    if (opc == 3) {
        gen_logic_cc(dc, sf, r);
        write_reg(dc, rd, r, sf);
    } else {
        write_reg_sp(dc, rd, r, sf);
    }
    return true;
}

/* MOVN, MOVZ, MOVK */
static bool trans_movw(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned opc = extract32(insn, 29, 2), hw = extract32(insn, 21, 2);
    uint64_t imm = (uint64_t)extract32(insn, 5, 16) << (hw * 16);
    int rd = insn & 31;

    if (opc == 1 || (!sf && hw >= 2)) {
        return false;
    }
    switch (opc) {
    case 0: /* MOVN */
        write_reg(dc, rd, cst(dc, sf ? ~imm : ~imm & 0xffffffffull), sf);
        break;
    case 2: /* MOVZ */
        write_reg(dc, rd, cst(dc, imm), sf);
        break;
    default: /* MOVK */
        if (rd != 31) {
            LoomIRTemp r = tmp(dc);

            loom_ir_gen_deposit_i64(ir, r, cpu_x[rd], cst(dc, imm >> (hw * 16)), hw * 16, 16);
            write_reg(dc, rd, r, sf);
        }
        break;
    }
    return true;
}

/* SBFM, BFM, UBFM (and their aliases: ASR, LSL, LSR, SXT*, UXT*, BFI...) */
static bool trans_bitfield(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned opc = extract32(insn, 29, 2), n = extract32(insn, 22, 1);
    unsigned immr = extract32(insn, 16, 6), imms = extract32(insn, 10, 6);
    unsigned width = sf ? 64 : 32;
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp src, r = tmp(dc);

    if (opc == 3 || n != (unsigned)sf || (!sf && (immr >= 32 || imms >= 32))) {
        return false;
    }
    src = read_reg(dc, rn, true);
    if (imms >= immr) {
        unsigned len = imms - immr + 1;

        switch (opc) {
        case 0: /* SBFX, ASR, SXT* */
            loom_ir_gen_sextract_i64(ir, r, src, immr, len);
            break;
        case 1: /* BFXIL */
            {
                LoomIRTemp f = tmp(dc);

                loom_ir_gen_extract_i64(ir, f, src, immr, len);
                loom_ir_gen_deposit_i64(ir, r, read_reg(dc, rd, true), f, 0, len);
            }
            break;
        default: /* UBFX, LSR, UXT* */
            loom_ir_gen_extract_i64(ir, r, src, immr, len);
            break;
        }
    } else {
        unsigned len = imms + 1, pos = width - immr;

        switch (opc) {
        case 0: /* SBFIZ */
            loom_ir_gen_sextract_i64(ir, r, src, 0, len);
            loom_ir_gen_shli_i64(ir, r, r, pos);
            break;
        case 1: /* BFI */
            loom_ir_gen_deposit_i64(ir, r, read_reg(dc, rd, true), src, pos, len);
            break;
        default: /* UBFIZ, LSL */
            loom_ir_gen_deposit_i64(ir, r, cst(dc, 0), src, pos, len);
            break;
        }
    }
    write_reg(dc, rd, r, sf);
    return true;
}

/* EXTR (ROR immediate when Rn == Rm) */
static bool trans_extr(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned n = extract32(insn, 22, 1), lsb = extract32(insn, 10, 6);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp r = tmp(dc), t = tmp(dc);

    if (extract32(insn, 29, 2) != 0 || extract32(insn, 21, 1) != 0 || n != (unsigned)sf ||
        (!sf && lsb >= 32)) {
        return false;
    }
    if (sf) {
        if (lsb == 0) {
            loom_ir_gen_mov_i64(ir, r, read_reg(dc, rm, true));
        } else {
            loom_ir_gen_shri_i64(ir, r, read_reg(dc, rm, true), lsb);
            loom_ir_gen_shli_i64(ir, t, read_reg(dc, rn, true), 64 - lsb);
            loom_ir_gen_or_i64(ir, r, r, t);
        }
    } else {
        loom_ir_gen_shli_i64(ir, t, read_reg(dc, rn, false), 32);
        loom_ir_gen_or_i64(ir, t, t, read_reg(dc, rm, false));
        loom_ir_gen_shri_i64(ir, r, t, lsb);
    }
    write_reg(dc, rd, r, sf);
    return true;
}

bool trans_dp_imm(DisasContext *dc)
{
    switch (extract32(dc->insn, 23, 6) & 0x7) {
    case 0: case 1:
        return trans_adr(dc);
    case 2:
        return trans_addsub_imm(dc);
    case 4:
        return trans_logic_imm(dc);
    case 5:
        return trans_movw(dc);
    case 6:
        return trans_bitfield(dc);
    case 7:
        return trans_extr(dc);
    default:
        return false;           /* 3: add/sub with tags (MTE) */
    }
}

/* ---- register ---- */

/* Rm shifted by shift (LSL, LSR, ASR, ROR) by amount, as a value of the
   op's width (zero-extended when !sf). */
static LoomIRTemp shifted_reg(DisasContext *dc, int rm, bool sf, unsigned shift, unsigned amount)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp v = read_reg(dc, rm, sf), r;

    if (amount == 0) {
        return v;
    }
    r = tmp(dc);
    switch (shift) {
    case 0:
        loom_ir_gen_shli_i64(ir, r, v, amount);
        if (!sf) {
            loom_ir_gen_ext32u_i64(ir, r, r);
        }
        break;
    case 1:
        loom_ir_gen_shri_i64(ir, r, v, amount);
        break;
    case 2:
        if (sf) {
            loom_ir_gen_sari_i64(ir, r, v, amount);
        } else {
            loom_ir_gen_ext32s_i64(ir, r, v);
            loom_ir_gen_sari_i64(ir, r, r, amount);
            loom_ir_gen_ext32u_i64(ir, r, r);
        }
        break;
    default:
        if (sf) {
            loom_ir_gen_rotr_i64(ir, r, v, cst(dc, amount));
        } else {
            LoomIRTemp a = loom_ir_temp_new_i32(ir), b = loom_ir_temp_new_i32(ir);

            loom_ir_gen_extrl_i64_i32(ir, a, v);
            loom_ir_gen_rotr_i32(ir, b, a, loom_ir_const_i32(ir, amount));
            loom_ir_gen_extu_i32_i64(ir, r, b);
        }
        break;
    }
    return r;
}

/* AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS (shifted register) */
static bool trans_logic_reg(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, neg = (insn >> 21) & 1;
    unsigned opc = extract32(insn, 29, 2), shift = extract32(insn, 22, 2);
    unsigned amount = extract32(insn, 10, 6);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, b, r = tmp(dc);

    if (!sf && amount >= 32) {
        return false;
    }
    a = read_reg(dc, rn, sf);
    b = shifted_reg(dc, rm, sf, shift, amount);
    if (neg) {
        LoomIRTemp nb = tmp(dc);

        loom_ir_gen_xori_i64(ir, nb, b, sf ? ~0ull : 0xffffffffull);
        b = nb;
    }
    switch (opc) {
    case 0: case 3:
        loom_ir_gen_and_i64(ir, r, a, b);
        break;
    case 1:
        loom_ir_gen_or_i64(ir, r, a, b);
        break;
    default:
        loom_ir_gen_xor_i64(ir, r, a, b);
        break;
    }
    if (opc == 3) {
        gen_logic_cc(dc, sf, r);
    }
    write_reg(dc, rd, r, sf);
    return true;
}

/* a + b or a - b, setting flags when s; the result in a temp */
static LoomIRTemp gen_addsub(DisasContext *dc, bool sf, bool sub, bool s, LoomIRTemp a, LoomIRTemp b)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp r;

    if (s) {
        if (sub) {
            LoomIRTemp nb = tmp(dc);

            loom_ir_gen_xori_i64(ir, nb, b, sf ? ~0ull : 0xffffffffull);
            b = nb;
        }
        return gen_adc_cc_res(dc, sf, a, b, cst(dc, sub));
    }
    r = tmp(dc);
    if (sub) {
        loom_ir_gen_sub_i64(ir, r, a, b);
    } else {
        loom_ir_gen_add_i64(ir, r, a, b);
    }
    return r;
}

/* ADD/ADDS/SUB/SUBS (shifted register) */
static bool trans_addsub_shift(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    unsigned shift = extract32(insn, 22, 2), amount = extract32(insn, 10, 6);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp r;

    if (shift == 3 || (!sf && amount >= 32)) {
        return false;
    }
    r = gen_addsub(dc, sf, sub, s, read_reg(dc, rn, sf), shifted_reg(dc, rm, sf, shift, amount));
    write_reg(dc, rd, r, sf);
    return true;
}

/* ADD/ADDS/SUB/SUBS (extended register) */
static bool trans_addsub_ext(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    unsigned option = extract32(insn, 13, 3), amount = extract32(insn, 10, 3);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp b = tmp(dc), v = read_reg(dc, rm, true), r;
    static const LoomIROpcode ext_ops[8] = {
        LOOM_IR_OP_ext8u_i64, LOOM_IR_OP_ext16u_i64, LOOM_IR_OP_ext32u_i64, LOOM_IR_OP_mov_i64,
        LOOM_IR_OP_ext8s_i64, LOOM_IR_OP_ext16s_i64, LOOM_IR_OP_ext32s_i64, LOOM_IR_OP_mov_i64,
    };

    if (extract32(insn, 22, 2) != 0 || amount > 4) {
        return false;
    }
    loom_ir_op2(ir, ext_ops[option], b, v);
    if (amount) {
        loom_ir_gen_shli_i64(ir, b, b, amount);
    }
    if (!sf) {
        loom_ir_gen_ext32u_i64(ir, b, b);
    }
    r = gen_addsub(dc, sf, sub, s, read_reg_sp(dc, rn, sf), b);
    if (s) {
        write_reg(dc, rd, r, sf);
    } else {
        write_reg_sp(dc, rd, r, sf);
    }
    return true;
}

/* ADC, ADCS, SBC, SBCS */
static bool trans_adc(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, b, r;

    if (extract32(insn, 10, 6) != 0) {
        return false;
    }
    a = read_reg(dc, rn, sf);
    b = read_reg(dc, rm, sf);
    if (sub) {          /* a - b - !C = a + ~b + C */
        LoomIRTemp nb = tmp(dc);

        loom_ir_gen_xori_i64(ir, nb, b, sf ? ~0ull : 0xffffffffull);
        b = nb;
    }
    if (s) {
        r = gen_adc_cc_res(dc, sf, a, b, cpu_cf);
    } else {
        r = tmp(dc);
        loom_ir_gen_add_i64(ir, r, a, b);
        loom_ir_gen_add_i64(ir, r, r, cpu_cf);
    }
    write_reg(dc, rd, r, sf);
    return true;
}

/* CCMN, CCMP (register and immediate) */
static bool trans_ccmp(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, sub = (insn >> 30) & 1, is_imm = (insn >> 11) & 1;
    unsigned cond = extract32(insn, 12, 4), nzcv = insn & 15;
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5);
    LoomIRLabel skip = loom_ir_label_new(ir), done = loom_ir_label_new(ir);
    ARMCond c;
    LoomIRTemp a, b;

    if (!((insn >> 29) & 1) || ((insn >> 10) & 1) || ((insn >> 4) & 1)) {
        return false;
    }
    c = gen_test_cc(dc, cond);
    if (c.c != LOOM_IR_COND_ALWAYS) {
        loom_ir_gen_brcond_i64(ir, arm_invert_cond(c.c), c.v, cst(dc, 0), skip);
    }
    a = read_reg(dc, rn, sf);
    b = is_imm ? cst(dc, (uint64_t)rm) : read_reg(dc, rm, sf);
    (void)gen_addsub(dc, sf, sub, true, a, b);
    loom_ir_gen_br(ir, done);
    loom_ir_gen_set_label(ir, skip);
    loom_ir_gen_movi_i64(ir, cpu_nf, (nzcv & 8) ? ~0ull : 0);
    loom_ir_gen_movi_i64(ir, cpu_zf, (nzcv & 4) ? 0 : 1);
    loom_ir_gen_movi_i64(ir, cpu_cf, (nzcv & 2) ? 1 : 0);
    loom_ir_gen_movi_i64(ir, cpu_vf, (nzcv & 1) ? ~0ull : 0);
    loom_ir_gen_set_label(ir, done);
    return true;
}

/* CSEL, CSINC, CSINV, CSNEG */
static bool trans_csel(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, else_inv = (insn >> 30) & 1, else_inc = (insn >> 10) & 1;
    unsigned cond = extract32(insn, 12, 4);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, b, r = tmp(dc);
    ARMCond c;

    if (((insn >> 29) & 1) || ((insn >> 11) & 1)) {
        return false;
    }
    a = read_reg(dc, rn, sf);
    b = read_reg(dc, rm, sf);
    if (else_inv || else_inc) {
        LoomIRTemp t = tmp(dc);

        if (else_inv && else_inc) {
            loom_ir_gen_neg_i64(ir, t, b);
        } else if (else_inv) {
            loom_ir_gen_not_i64(ir, t, b);
        } else {
            loom_ir_gen_addi_i64(ir, t, b, 1);
        }
        b = t;
    }
    c = gen_test_cc(dc, cond);
    if (c.c == LOOM_IR_COND_ALWAYS) {
        loom_ir_gen_mov_i64(ir, r, a);
    } else {
        loom_ir_gen_movcond_i64(ir, c.c, r, c.v, cst(dc, 0), a, b);
    }
    write_reg(dc, rd, r, sf);
    return true;
}

/* UDIV, SDIV (x / 0 = 0), LSLV, LSRV, ASRV, RORV, CRC32* */
static bool trans_dp_2src(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned opcode = extract32(insn, 10, 6);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, b, r = tmp(dc), t;

    if ((insn >> 29) & 1) {
        return false;
    }
    switch (opcode) {
    case 2: case 3: /* UDIV, SDIV */
        if (sf) {
            a = read_reg(dc, rn, true);
            b = read_reg(dc, rm, true);
        } else {
            a = tmp(dc);
            b = tmp(dc);
            loom_ir_op2(ir, opcode == 3 ? LOOM_IR_OP_ext32s_i64 : LOOM_IR_OP_ext32u_i64, a,
                        read_reg(dc, rn, true));
            loom_ir_op2(ir, opcode == 3 ? LOOM_IR_OP_ext32s_i64 : LOOM_IR_OP_ext32u_i64, b,
                        read_reg(dc, rm, true));
        }
        /* the IR's total division gives all ones for x / 0; A64 gives 0 */
        t = tmp(dc);
        if (opcode == 3) {
            loom_ir_gen_div_i64(ir, t, a, b);
        } else {
            loom_ir_gen_divu_i64(ir, t, a, b);
        }
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_EQ, r, b, cst(dc, 0), cst(dc, 0), t);
        break;
    case 8: case 9: case 10: case 11: /* LSLV, LSRV, ASRV, RORV */
        b = tmp(dc);
        loom_ir_gen_andi_i64(ir, b, read_reg(dc, rm, true), sf ? 63 : 31);
        if (sf) {
            static const LoomIROpcode ops[4] = {
                LOOM_IR_OP_shl_i64, LOOM_IR_OP_shr_i64, LOOM_IR_OP_sar_i64, LOOM_IR_OP_rotr_i64,
            };

            loom_ir_op3(ir, ops[opcode - 8], r, read_reg(dc, rn, true), b);
        } else {
            static const LoomIROpcode ops[4] = {
                LOOM_IR_OP_shl_i32, LOOM_IR_OP_shr_i32, LOOM_IR_OP_sar_i32, LOOM_IR_OP_rotr_i32,
            };
            LoomIRTemp a32 = loom_ir_temp_new_i32(ir), b32 = loom_ir_temp_new_i32(ir);
            LoomIRTemp r32 = loom_ir_temp_new_i32(ir);

            loom_ir_gen_extrl_i64_i32(ir, a32, read_reg(dc, rn, true));
            loom_ir_gen_extrl_i64_i32(ir, b32, b);
            loom_ir_op3(ir, ops[opcode - 8], r32, a32, b32);
            loom_ir_gen_extu_i32_i64(ir, r, r32);
        }
        break;
    case 16: case 17: case 18: case 19: /* CRC32B/H/W/X */
    case 20: case 21: case 22: case 23: /* CRC32CB/H/W/X */
        {
            unsigned sz = opcode & 3;
            LoomIRTemp args[3];

            if (!dc->env->model->crc32 || (sz == 3) != sf) {
                return false;
            }
            args[0] = read_reg(dc, rn, false);
            args[1] = read_reg(dc, rm, true);
            args[2] = cst(dc, sz | (opcode & 4));   /* size, bit 2: Castagnoli */
            loom_ir_gen_call(ir, &aarch64_helper_crc32, r, 3, args);
            sf = false;
        }
        break;
    default:
        return false;
    }
    write_reg(dc, rd, r, sf);
    return true;
}

/* RBIT, REV16, REV32, REV, CLZ, CLS */
static bool trans_dp_1src(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned opcode = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, r = tmp(dc), t = tmp(dc);

    if (((insn >> 29) & 1) || extract32(insn, 16, 5) != 0) {
        return false;
    }
    a = read_reg(dc, rn, sf);
    switch (opcode) {
    case 0: /* RBIT: swap bits in bytes, then the bytes */
        {
            static const uint64_t masks[3] = {
                0x5555555555555555ull, 0x3333333333333333ull, 0x0f0f0f0f0f0f0f0full,
            };
            LoomIRTemp u = tmp(dc);

            loom_ir_gen_mov_i64(ir, r, a);
            for (unsigned i = 0; i < 3; i++) {
                unsigned sh = 1u << i;

                loom_ir_gen_shri_i64(ir, t, r, sh);
                loom_ir_gen_andi_i64(ir, t, t, masks[i]);
                loom_ir_gen_andi_i64(ir, u, r, masks[i]);
                loom_ir_gen_shli_i64(ir, u, u, sh);
                loom_ir_gen_or_i64(ir, r, t, u);
            }
            if (sf) {
                loom_ir_gen_bswap64_i64(ir, r, r);
            } else {
                loom_ir_gen_bswap32_i64(ir, r, r);
            }
        }
        break;
    case 1: /* REV16: bytes swapped in each halfword */
        loom_ir_gen_shri_i64(ir, t, a, 8);
        loom_ir_gen_andi_i64(ir, t, t, 0x00ff00ff00ff00ffull);
        loom_ir_gen_andi_i64(ir, r, a, 0x00ff00ff00ff00ffull);
        loom_ir_gen_shli_i64(ir, r, r, 8);
        loom_ir_gen_or_i64(ir, r, r, t);
        break;
    case 2: /* REV32 (64-bit), REV (32-bit) */
        if (sf) {
            loom_ir_gen_bswap64_i64(ir, r, a);
            loom_ir_gen_rotr_i64(ir, r, r, cst(dc, 32));
        } else {
            loom_ir_gen_bswap32_i64(ir, r, a);
        }
        break;
    case 3: /* REV (64-bit) */
        if (!sf) {
            return false;
        }
        loom_ir_gen_bswap64_i64(ir, r, a);
        break;
    case 4: /* CLZ */
        if (sf) {
            loom_ir_gen_clz_i64(ir, r, a);
        } else {
            loom_ir_gen_clz_i64(ir, r, a);
            loom_ir_gen_addi_i64(ir, r, r, -32);
        }
        break;
    case 5: /* CLS: leading bits equal to the sign, not counting it */
        if (sf) {
            loom_ir_gen_sari_i64(ir, t, a, 63);
            loom_ir_gen_xor_i64(ir, t, t, a);
            loom_ir_gen_clz_i64(ir, r, t);
            loom_ir_gen_addi_i64(ir, r, r, -1);
        } else {
            loom_ir_gen_ext32s_i64(ir, t, a);
            loom_ir_gen_sari_i64(ir, r, t, 63);
            loom_ir_gen_xor_i64(ir, t, t, r);
            loom_ir_gen_clz_i64(ir, r, t);
            loom_ir_gen_addi_i64(ir, r, r, -33);
        }
        break;
    default:
        return false;
    }
    write_reg(dc, rd, r, sf);
    return true;
}

/* MADD, MSUB, SMADDL, SMSUBL, SMULH, UMADDL, UMSUBL, UMULH */
static bool trans_dp_3src(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, o0 = (insn >> 15) & 1;
    unsigned op31 = extract32(insn, 21, 3);
    int rm = extract32(insn, 16, 5), ra = extract32(insn, 10, 5);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, b, p = tmp(dc), r = tmp(dc);

    if (extract32(insn, 29, 2) != 0) {
        return false;
    }
    switch (op31) {
    case 0: /* MADD, MSUB */
        loom_ir_gen_mul_i64(ir, p, read_reg(dc, rn, true), read_reg(dc, rm, true));
        break;
    case 1: /* SMADDL, SMSUBL */
    case 5: /* UMADDL, UMSUBL */
        if (!sf) {
            return false;
        }
        a = tmp(dc);
        b = tmp(dc);
        loom_ir_op2(ir, op31 == 1 ? LOOM_IR_OP_ext32s_i64 : LOOM_IR_OP_ext32u_i64, a,
                    read_reg(dc, rn, true));
        loom_ir_op2(ir, op31 == 1 ? LOOM_IR_OP_ext32s_i64 : LOOM_IR_OP_ext32u_i64, b,
                    read_reg(dc, rm, true));
        loom_ir_gen_mul_i64(ir, p, a, b);
        break;
    case 2: /* SMULH */
    case 6: /* UMULH */
        if (!sf || o0 || ra != 31) {
            return false;
        }
        if (op31 == 2) {
            loom_ir_gen_mulsh_i64(ir, r, read_reg(dc, rn, true), read_reg(dc, rm, true));
        } else {
            loom_ir_gen_muluh_i64(ir, r, read_reg(dc, rn, true), read_reg(dc, rm, true));
        }
        write_reg(dc, rd, r, true);
        return true;
    default:
        return false;
    }
    if (o0) {
        loom_ir_gen_sub_i64(ir, r, read_reg(dc, ra, true), p);
    } else {
        loom_ir_gen_add_i64(ir, r, read_reg(dc, ra, true), p);
    }
    write_reg(dc, rd, r, sf);
    return true;
}

bool trans_dp_reg(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    bool op1 = (insn >> 28) & 1;
    unsigned op2 = extract32(insn, 21, 4);

    if (!op1) {
        if (!(op2 & 8)) {
            return trans_logic_reg(dc);
        }
        return (op2 & 1) ? trans_addsub_ext(dc) : trans_addsub_shift(dc);
    }
    if (op2 & 8) {
        return trans_dp_3src(dc);
    }
    switch (op2) {
    case 0:
        return trans_adc(dc);
    case 2:
        return trans_ccmp(dc);
    case 4:
        return trans_csel(dc);
    case 6:
        return ((insn >> 30) & 1) ? trans_dp_1src(dc) : trans_dp_2src(dc);
    default:
        return false;
    }
}
