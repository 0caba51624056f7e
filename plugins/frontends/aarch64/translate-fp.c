/*
 * aarch64 front-end: the SIMD&FP data-processing group.  Scalar
 * floating point is translated here, and the floating-point encodings of
 * the AdvSIMD groups (trans_simd_fp); everything else (AdvSIMD integer,
 * permutes, crypto) goes to translate-simd.c.
 *
 * Arithmetic, compares and conversions call fpu.c's helpers (they read
 * FPCR and OR flags into FPSR); moves, FABS, FNEG and FCSEL are bit
 * operations in IR.  Half precision is only a conversion format: FP16
 * arithmetic (ARMv8.2) is not implemented, so ftype 0b11 is undefined
 * outside FCVT.
 */
#include "translate.h"
#include "fpu.h"

/* Scalar FP: bit 30 = 0, bits 28:24 = 0b11110 or 0b11111 (bit 31 is M
   or sf, bit 29 S: trans_fp checks them) */
static bool is_scalar_fp(uint32_t insn)
{
    return (insn & 0x5e000000u) == 0x1e000000u;
}

/* FP register n as a value of fmt (zero-extended) */
static LoomIRTemp read_fp(DisasContext *dc, int n, int fmt)
{
    LoomIRTemp v = vreg_get(dc, n, 0);

    if (fmt == FMT_S) {
        loom_ir_gen_ext32u_i64(ctx_ir(dc), v, v);
    } else if (fmt == FMT_H) {
        loom_ir_gen_ext16u_i64(ctx_ir(dc), v, v);
    }
    return v;
}

static LoomIRTemp call_fp(DisasContext *dc, const LoomIRHelper *h, unsigned desc, LoomIRTemp a,
                          LoomIRTemp b, LoomIRTemp c)
{
    LoomIRTemp r = tmp(dc);
    LoomIRTemp args[4] = { cst(dc, desc), a, b, c };

    loom_ir_gen_call(ctx_ir(dc), h, r, 4, args);
    return r;
}

static LoomIRTemp gen_fp_op(DisasContext *dc, int op, int fmt, LoomIRTemp a, LoomIRTemp b,
                            LoomIRTemp c)
{
    return call_fp(dc, &aarch64_helper_fp_op, FPOP_DESC(op, fmt), a, b, c);
}

static LoomIRTemp gen_fp_cvt(DisasContext *dc, unsigned desc, LoomIRTemp a)
{
    return call_fp(dc, &aarch64_helper_fp_cvt, desc, a, cst(dc, 0), cst(dc, 0));
}

/* NZCV from bits 31:28 of t, in the flag globals' forms */
static void gen_set_nzcv(DisasContext *dc, LoomIRTemp t)
{
    LoomIRContext *ir = ctx_ir(dc);

    loom_ir_gen_shli_i64(ir, cpu_nf, t, 32);
    loom_ir_gen_andi_i64(ir, cpu_zf, t, PSTATE_Z);
    loom_ir_gen_xori_i64(ir, cpu_zf, cpu_zf, PSTATE_Z);
    loom_ir_gen_extract_i64(ir, cpu_cf, t, 29, 1);
    loom_ir_gen_shli_i64(ir, cpu_vf, t, 35);
}

/* the ftype field as a format (-1: H, reserved or unallocated here) */
static int fp_fmt(uint32_t insn)
{
    unsigned ftype = extract32(insn, 22, 2);

    return ftype < 2 ? (int)ftype : -1;
}

/* FMOV (immediate): VFPExpandImm */
static uint64_t fp_expand_imm(int fmt, unsigned imm8)
{
    uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, e54 = (imm8 >> 4) & 3, f = imm8 & 15;

    if (fmt == FMT_S) {
        uint64_t exp = (b6 ^ 1) << 7 | (b6 ? 0x1f : 0) << 2 | e54;

        return sign << 31 | exp << 23 | f << 19;
    }
    return sign << 63 | ((b6 ^ 1) << 10 | (b6 ? 0xff : 0) << 2 | e54) << 52 | f << 48;
}

/* data-processing, 1 source: FMOV FABS FNEG FSQRT FCVT FRINT* */
static bool trans_fp_1src(DisasContext *dc)
{
    static const int rint_rm[8] = {
        RM_TIEEVEN, RM_POSINF, RM_NEGINF, RM_ZERO, RM_TIEAWAY, -1, RM_FPCR, RM_FPCR,
    };
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned opcode = extract32(insn, 15, 6), ftype = extract32(insn, 22, 2);
    int fmt = fp_fmt(insn), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, r;

    if ((opcode & 0x3c) == 0x04) {
        /* FCVT: ftype to opc (bits 16:15) */
        unsigned to = opcode & 3;

        if (ftype == 2 || to == 2 || to == ftype) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        a = read_fp(dc, rn, (int)ftype);
        vreg_set_scalar(dc, rd, gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FP, ftype, to, RM_FPCR, 0, 0, 0), a));
        return true;
    }
    if (fmt < 0 || (opcode > 3 && (opcode < 8 || opcode > 15 || opcode == 13))) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    a = read_fp(dc, rn, fmt);
    r = tmp(dc);
    switch (opcode) {
    case 0:                     /* FMOV */
        r = a;
        break;
    case 1:                     /* FABS */
        loom_ir_gen_andi_i64(ir, r, a, fmt == FMT_S ? 0x7fffffffu : ~(1ull << 63));
        break;
    case 2:                     /* FNEG */
        loom_ir_gen_xori_i64(ir, r, a, fmt == FMT_S ? 0x80000000u : 1ull << 63);
        break;
    case 3:
        r = gen_fp_op(dc, FPOP_SQRT, fmt, a, cst(dc, 0), cst(dc, 0));
        break;
    default:                    /* FRINTN P M Z A X I */
        r = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_RINT, fmt, fmt, rint_rm[opcode & 7], 0,
                                      opcode == 14, 0), a);
        break;
    }
    vreg_set_scalar(dc, rd, r);
    return true;
}

/* data-processing, 2 sources: FMUL FDIV FADD FSUB FMAX FMIN FMAXNM FMINNM FNMUL */
static bool trans_fp_2src(DisasContext *dc)
{
    static const int ops[9] = {
        FPOP_MUL, FPOP_DIV, FPOP_ADD, FPOP_SUB, FPOP_MAX, FPOP_MIN, FPOP_MAXNM, FPOP_MINNM,
        FPOP_NMUL,
    };
    uint32_t insn = dc->insn;
    unsigned opcode = extract32(insn, 12, 4);
    int fmt = fp_fmt(insn);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;

    if (fmt < 0 || opcode > 8) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    vreg_set_scalar(dc, rd, gen_fp_op(dc, ops[opcode], fmt, read_fp(dc, rn, fmt),
                                      read_fp(dc, rm, fmt), cst(dc, 0)));
    return true;
}

/* data-processing, 3 sources: FMADD FMSUB FNMADD FNMSUB */
static bool trans_fp_3src(DisasContext *dc)
{
    static const int ops[4] = { FPOP_MADD, FPOP_MSUB, FPOP_NMADD, FPOP_NMSUB };
    uint32_t insn = dc->insn;
    unsigned o = extract32(insn, 21, 1) << 1 | extract32(insn, 15, 1);
    int fmt = fp_fmt(insn);
    int rm = extract32(insn, 16, 5), ra = extract32(insn, 10, 5);
    int rn = extract32(insn, 5, 5), rd = insn & 31;

    if (fmt < 0) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    vreg_set_scalar(dc, rd, gen_fp_op(dc, ops[o], fmt, read_fp(dc, rn, fmt), read_fp(dc, rm, fmt),
                                      read_fp(dc, ra, fmt)));
    return true;
}

/* FCMP, FCMPE (register or #0.0) */
static bool trans_fp_cmp(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    int fmt = fp_fmt(insn);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5);
    bool zero = (insn >> 3) & 1, signal = (insn >> 4) & 1;
    LoomIRTemp b;

    if (fmt < 0 || extract32(insn, 14, 2) != 0 || (insn & 7) != 0) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    b = zero ? cst(dc, 0) : read_fp(dc, rm, fmt);
    gen_set_nzcv(dc, call_fp(dc, &aarch64_helper_fp_cmp, FPCMP_DESC(fmt, signal),
                             read_fp(dc, rn, fmt), b, cst(dc, 0)));
    return true;
}

/* FCCMP, FCCMPE: the compare when cond holds (flags and FPSR), else
   NZCV = #nzcv */
static bool trans_fp_ccmp(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int fmt = fp_fmt(insn);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5);
    bool signal = (insn >> 4) & 1;
    LoomIRLabel skip, done;
    LoomIRTemp t;
    ARMCond c;

    if (fmt < 0) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    skip = loom_ir_label_new(ir);
    done = loom_ir_label_new(ir);
    c = gen_test_cc(dc, extract32(insn, 12, 4));
    loom_ir_gen_brcond_i64(ir, arm_invert_cond(c.c), c.v, cst(dc, 0), skip);
    t = call_fp(dc, &aarch64_helper_fp_cmp, FPCMP_DESC(fmt, signal), read_fp(dc, rn, fmt),
                read_fp(dc, rm, fmt), cst(dc, 0));
    gen_set_nzcv(dc, t);
    loom_ir_gen_br(ir, done);
    loom_ir_gen_set_label(ir, skip);
    gen_set_nzcv(dc, cst(dc, (uint64_t)(insn & 15) << 28));
    loom_ir_gen_set_label(ir, done);
    return true;
}

/* FCSEL */
static bool trans_fp_csel(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    int fmt = fp_fmt(insn);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    LoomIRTemp a, b, r;
    ARMCond c;

    if (fmt < 0) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    a = read_fp(dc, rn, fmt);
    b = read_fp(dc, rm, fmt);
    c = gen_test_cc(dc, extract32(insn, 12, 4));
    r = tmp(dc);
    loom_ir_gen_movcond_i64(ctx_ir(dc), c.c, r, c.v, cst(dc, 0), a, b);
    vreg_set_scalar(dc, rd, r);
    return true;
}

/* FMOV (scalar, immediate) */
static bool trans_fp_imm(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    int fmt = fp_fmt(insn);

    if (fmt < 0 || extract32(insn, 5, 5) != 0) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    vreg_set_scalar(dc, insn & 31, cst(dc, fp_expand_imm(fmt, extract32(insn, 13, 8))));
    return true;
}

/* Conversions between FP and integers (fixed: fbits of fixed point),
   and FMOV (general) */
static bool trans_fp_int(DisasContext *dc, bool fixed)
{
    uint32_t insn = dc->insn;
    bool sf = insn >> 31;
    unsigned ftype = extract32(insn, 22, 2), rmode = extract32(insn, 19, 2);
    unsigned opcode = extract32(insn, 16, 3);
    int fmt = fp_fmt(insn), rn = extract32(insn, 5, 5), rd = insn & 31;
    unsigned fbits = 0, isz = sf ? 64 : 32;
    LoomIRTemp r;

    if (fixed) {
        unsigned scale = extract32(insn, 10, 6);

        if (fmt < 0 || (!sf && scale < 32) || opcode > 3 ||
            rmode != ((opcode & 2) ? 0u : 3u)) {
            return false;
        }
        fbits = 64 - scale;
    } else if (opcode >= 6) {
        /* FMOV (general): W<->S, X<->D, X<->V.D[1] */
        bool ok = rmode == 0 ? (ftype == 0 && !sf) || (ftype == 1 && sf)
                             : rmode == 1 && ftype == 2 && sf;

        if (!ok) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        if (opcode == 6) {
            write_reg(dc, rd, vreg_get(dc, rn, rmode), sf);
        } else if (rmode) {
            vreg_set(dc, rd, 1, read_reg(dc, rn, true));
        } else {
            vreg_set_scalar(dc, rd, read_reg(dc, rn, sf));
        }
        return true;
    } else if (fmt < 0 || (opcode >= 2 && rmode != 0)) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    switch (opcode) {
    case 2: case 3:             /* SCVTF, UCVTF */
        r = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FROMINT, isz, fmt, RM_FPCR, opcode == 2, 0, fbits),
                       read_reg(dc, rn, sf));
        vreg_set_scalar(dc, rd, r);
        return true;
    default: {                  /* FCVT[NPMZ][SU], FCVTA[SU] */
        int rm = opcode >= 4 ? RM_TIEAWAY : (int)rmode;

        r = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_TOINT, fmt, isz, rm, !(opcode & 1), 0, fbits),
                       read_fp(dc, rn, fmt));
        write_reg(dc, rd, r, sf);
        return true;
    }
    }
}

static bool trans_fp(DisasContext *dc)
{
    uint32_t insn = dc->insn;

    if ((insn >> 29) & 1) {
        return false;           /* S = 1 */
    }
    if ((insn >> 24) & 1) {
        return !((insn >> 31) & 1) && trans_fp_3src(dc);
    }
    if (!((insn >> 21) & 1)) {
        return trans_fp_int(dc, true);
    }
    if (extract32(insn, 10, 6) == 0) {
        return trans_fp_int(dc, false);
    }
    if ((insn >> 31) & 1) {
        return false;           /* M = 1 */
    }
    if (extract32(insn, 10, 5) == 0x10) {
        return trans_fp_1src(dc);
    }
    if (extract32(insn, 10, 4) == 0x8) {
        return trans_fp_cmp(dc);
    }
    if (extract32(insn, 10, 3) == 0x4) {
        return trans_fp_imm(dc);
    }
    switch (extract32(insn, 10, 2)) {
    case 1: return trans_fp_ccmp(dc);
    case 2: return trans_fp_2src(dc);
    case 3: return trans_fp_csel(dc);
    default: return false;
    }
}

/* The floating-point encodings of the AdvSIMD groups (vector and scalar
   forms); false for the integer ones, which trans_simd takes. */
bool trans_simd_fp(DisasContext *dc UNUSED)
{
    return false;               /* not yet */
}

bool trans_fpsimd(DisasContext *dc)
{
    if (is_scalar_fp(dc->insn)) {
        return trans_fp(dc);
    }
    return trans_simd_fp(dc) || trans_simd(dc);
}
