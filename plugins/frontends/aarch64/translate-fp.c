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
    if (c.c != LOOM_IR_COND_ALWAYS) {   /* AL and NV: always */
        loom_ir_gen_brcond_i64(ir, arm_invert_cond(c.c), c.v, cst(dc, 0), skip);
    }
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
    r = a;
    if (c.c != LOOM_IR_COND_ALWAYS) {   /* AL and NV: always */
        r = tmp(dc);
        loom_ir_gen_movcond_i64(ctx_ir(dc), c.c, r, c.v, cst(dc, 0), a, b);
    }
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

/* ---- AdvSIMD floating point ---- */

/*
 * Lanes: esz is log2 of the lane size in bytes (1 H, 2 S, 3 D).  Every
 * source lane is read before Rd is written (Rd may be a source).
 */
static LoomIRTemp lane_get(DisasContext *dc, int reg, int esz, int i)
{
    int per = 8 >> esz;         /* lanes per 64-bit half */
    LoomIRTemp h = vreg_get(dc, reg, i / per);

    if (esz < 3) {
        loom_ir_gen_extract_i64(ctx_ir(dc), h, h, (unsigned)(i % per) << (esz + 3), 8u << esz);
    }
    return h;
}

/* one 64-bit half from lanes r[0..per-1] (zero-extended lane values) */
static LoomIRTemp lanes_pack(DisasContext *dc, int esz, const LoomIRTemp *r)
{
    int per = 8 >> esz, i;
    LoomIRTemp v;

    if (esz == 3) {
        return r[0];
    }
    v = tmp(dc);
    loom_ir_gen_mov_i64(ctx_ir(dc), v, r[0]);
    for (i = 1; i < per; i++) {
        loom_ir_gen_deposit_i64(ctx_ir(dc), v, v, r[i], (unsigned)i << (esz + 3), 8u << esz);
    }
    return v;
}

/* Rd = n lanes r[] (the rest of the register zeroed) */
static void lanes_set(DisasContext *dc, int rd, int esz, int n, const LoomIRTemp *r)
{
    int per = 8 >> esz;

    if (n < per) {
        /* one scalar lane */
        vreg_set_scalar(dc, rd, r[0]);
        return;
    }
    vreg_set(dc, rd, 0, lanes_pack(dc, esz, r));
    vreg_set(dc, rd, 1, n > per ? lanes_pack(dc, esz, r + per) : cst(dc, 0));
}

static int fmt_of(int esz)
{
    return esz == 3 ? FMT_D : esz == 2 ? FMT_S : FMT_H;
}

/* the lanes of a vector (Q, sz) or scalar form: false if reserved */
static bool simd_shape(bool scalar, bool q, bool sz, int *esz, int *n)
{
    *esz = 2 + sz;
    if (scalar) {
        *n = 1;
        return true;
    }
    *n = (q ? 16 : 8) >> *esz;
    return !(sz && !q);
}

/* three-same (vector and scalar), opcodes 0b11000-0b11111 */
static bool trans_simd_3same_fp(DisasContext *dc, bool scalar)
{
    /* [U][a][opcode - 0x18]: FPOP_*, or 100 + FPCMPV_*, 200 FMLA, 201
       FMLS, 300 + FPOP_* pairwise; -1 unallocated */
    static const int map[2][2][8] = {
        { { FPOP_MAXNM, 200, FPOP_ADD, FPOP_MULX, 100 + FPCMPV_EQ, -1, FPOP_MAX, FPOP_RECPS },
          { FPOP_MINNM, 201, FPOP_SUB, -1, -1, -1, FPOP_MIN, FPOP_RSQRTS } },
        { { 300 + FPOP_MAXNM, -1, 300 + FPOP_ADD, FPOP_MUL, 100 + FPCMPV_GE, 100 + FPCMPV_ACGE,
            300 + FPOP_MAX, FPOP_DIV },
          { 300 + FPOP_MINNM, -1, FPOP_ABD, -1, 100 + FPCMPV_GT, 100 + FPCMPV_ACGT,
            300 + FPOP_MIN, -1 } },
    };
    uint32_t insn = dc->insn;
    bool q = (insn >> 30) & 1, u = (insn >> 29) & 1;
    unsigned opcode = extract32(insn, 11, 5), a = extract32(insn, 23, 1);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    int esz, n, i, m, fmt;
    LoomIRTemp r[4];

    if (opcode < 0x18) {
        return false;
    }
    m = map[u][a][opcode - 0x18];
    if (m < 0 || !simd_shape(scalar, q, extract32(insn, 22, 1), &esz, &n)) {
        return false;
    }
    if (scalar && (m >= 200 || m == FPOP_ADD || m == FPOP_SUB || m == FPOP_MUL ||
                   m == FPOP_DIV || m == FPOP_MAX || m == FPOP_MIN || m == FPOP_MAXNM ||
                   m == FPOP_MINNM)) {
        return false;           /* vector only */
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    fmt = fmt_of(esz);
    for (i = 0; i < n; i++) {
        LoomIRTemp x, y;

        if (m >= 300) {
            /* pairwise: lanes of Rn then Rm, adjacent pairs */
            int reg = 2 * i < n ? rn : rm, j = (2 * i) % n;

            x = lane_get(dc, reg, esz, j);
            y = lane_get(dc, reg, esz, j + 1);
            r[i] = gen_fp_op(dc, m - 300, fmt, x, y, cst(dc, 0));
            continue;
        }
        x = lane_get(dc, rn, esz, i);
        y = lane_get(dc, rm, esz, i);
        if (m >= 200) {
            r[i] = gen_fp_op(dc, m == 200 ? FPOP_MADD : FPOP_MSUB, fmt, x, y,
                             lane_get(dc, rd, esz, i));
        } else if (m >= 100) {
            r[i] = call_fp(dc, &aarch64_helper_fp_cmpv, FPOP_DESC(m - 100, fmt), x, y, cst(dc, 0));
            if (esz == 2) {
                loom_ir_gen_ext32u_i64(ctx_ir(dc), r[i], r[i]);
            }
        } else {
            r[i] = gen_fp_op(dc, m, fmt, x, y, cst(dc, 0));
        }
    }
    lanes_set(dc, rd, esz, n, r);
    return true;
}

/* two-register misc (vector and scalar) */
static bool trans_simd_2misc_fp(DisasContext *dc, bool scalar)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool q = (insn >> 30) & 1, u = (insn >> 29) & 1, sz = (insn >> 22) & 1;
    unsigned opcode = extract32(insn, 12, 5), a = extract32(insn, 23, 1);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    int esz, n, i, fmt, rint_rm = -1, cvt_rm = -1, cmp = -1, op = -1;
    bool swap = false, exact = false, fromint = false;
    LoomIRTemp r[4];

    /* FCVTN, FCVTN2, FCVTXN, FCVTXN2, FCVTL, FCVTL2: lane sizes change */
    if (!a && (opcode == 0x16 || opcode == 0x17)) {
        bool narrow = opcode == 0x16, xn = u;
        int wide = 2 + sz, nlanes;

        if ((xn && (!narrow || !sz)) || (scalar && (!narrow || !xn))) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        /* the narrow element has esz wide - 1; 64 bits of them */
        nlanes = 8 >> (wide - 1);
        if (scalar) {
            r[0] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FP, FMT_D, FMT_S, RM_ODD, 0, 0, 0),
                              lane_get(dc, rn, 3, 0));
            vreg_set_scalar(dc, rd, r[0]);
            return true;
        }
        if (narrow) {
            for (i = 0; i < nlanes; i++) {
                r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FP, fmt_of(wide), fmt_of(wide - 1),
                                                 xn ? RM_ODD : RM_FPCR, 0, 0, 0),
                                  lane_get(dc, rn, wide, i));
            }
            /* FCVTN writes the low half and zeroes the high; FCVTN2 the high half */
            if (q) {
                vreg_set(dc, rd, 1, lanes_pack(dc, wide - 1, r));
            } else {
                vreg_set(dc, rd, 0, lanes_pack(dc, wide - 1, r));
                vreg_set(dc, rd, 1, cst(dc, 0));
            }
        } else {
            /* FCVTL: the low (FCVTL2: high) half's narrow lanes widened */
            for (i = 0; i < nlanes; i++) {
                r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FP, fmt_of(wide - 1), fmt_of(wide),
                                                 RM_FPCR, 0, 0, 0),
                                  lane_get(dc, rn, wide - 1, i + (q ? nlanes : 0)));
            }
            lanes_set(dc, rd, wide, nlanes, r);
        }
        return true;
    }

    switch (u << 6 | a << 5 | opcode) {
    /* U = 0, a = 0 */
    case 0x18: rint_rm = RM_TIEEVEN; break;                     /* FRINTN */
    case 0x19: rint_rm = RM_NEGINF; break;                      /* FRINTM */
    case 0x1a: cvt_rm = RM_TIEEVEN; break;                      /* FCVTNS */
    case 0x1b: cvt_rm = RM_NEGINF; break;                       /* FCVTMS */
    case 0x1c: cvt_rm = RM_TIEAWAY; break;                      /* FCVTAS */
    case 0x1d: fromint = true; break;                           /* SCVTF */
    /* U = 0, a = 1 */
    case 0x2c: cmp = FPCMPV_GT; break;                          /* FCMGT #0 */
    case 0x2d: cmp = FPCMPV_EQ; break;                          /* FCMEQ #0 */
    case 0x2e: cmp = FPCMPV_GT; swap = true; break;             /* FCMLT #0 */
    case 0x2f: op = 100; break;                                 /* FABS */
    case 0x38: rint_rm = RM_POSINF; break;                      /* FRINTP */
    case 0x39: rint_rm = RM_ZERO; break;                        /* FRINTZ */
    case 0x3a: cvt_rm = RM_POSINF; break;                       /* FCVTPS */
    case 0x3b: cvt_rm = RM_ZERO; break;                         /* FCVTZS */
    case 0x3d: op = FPOP_RECPE; break;                          /* FRECPE */
    case 0x3f: op = FPOP_RECPX; break;                          /* FRECPX (scalar) */
    /* U = 1, a = 0 */
    case 0x58: rint_rm = RM_TIEAWAY; break;                     /* FRINTA */
    case 0x59: rint_rm = RM_FPCR; exact = true; break;          /* FRINTX */
    case 0x5a: cvt_rm = RM_TIEEVEN; break;                      /* FCVTNU */
    case 0x5b: cvt_rm = RM_NEGINF; break;                       /* FCVTMU */
    case 0x5c: cvt_rm = RM_TIEAWAY; break;                      /* FCVTAU */
    case 0x5d: fromint = true; break;                           /* UCVTF */
    /* U = 1, a = 1 */
    case 0x6c: cmp = FPCMPV_GE; break;                          /* FCMGE #0 */
    case 0x6d: cmp = FPCMPV_GE; swap = true; break;             /* FCMLE #0 */
    case 0x6f: op = 101; break;                                 /* FNEG */
    case 0x79: rint_rm = RM_FPCR; break;                        /* FRINTI */
    case 0x7a: cvt_rm = RM_POSINF; break;                       /* FCVTPU */
    case 0x7b: cvt_rm = RM_ZERO; break;                         /* FCVTZU */
    case 0x7d: op = FPOP_RSQRTE; break;                         /* FRSQRTE */
    case 0x7f: op = FPOP_SQRT; break;                           /* FSQRT */
    default: return false;
    }
    /* scalar forms exist for the conversions, compares and estimates */
    if (scalar ? rint_rm >= 0 || op == 100 || op == 101 || op == FPOP_SQRT
               : op == FPOP_RECPX) {
        return false;
    }
    if (!simd_shape(scalar, q, sz, &esz, &n)) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    fmt = fmt_of(esz);
    for (i = 0; i < n; i++) {
        LoomIRTemp x = lane_get(dc, rn, esz, i);

        if (rint_rm >= 0) {
            r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_RINT, fmt, fmt, rint_rm, 0, exact, 0), x);
        } else if (cvt_rm >= 0) {
            r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_TOINT, fmt, 8 << esz, cvt_rm, !u, 0, 0), x);
        } else if (fromint) {
            r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FROMINT, 8 << esz, fmt, RM_FPCR, !u, 0, 0), x);
        } else if (cmp >= 0) {
            LoomIRTemp z = cst(dc, 0);

            r[i] = call_fp(dc, &aarch64_helper_fp_cmpv, FPOP_DESC(cmp, fmt), swap ? z : x,
                           swap ? x : z, cst(dc, 0));
            if (esz == 2) {
                loom_ir_gen_ext32u_i64(ir, r[i], r[i]);
            }
        } else if (op >= 100) {
            uint64_t sign = 1ull << ((8 << esz) - 1);

            r[i] = tmp(dc);
            if (op == 100) {
                loom_ir_gen_andi_i64(ir, r[i], x, ~sign);
            } else {
                loom_ir_gen_xori_i64(ir, r[i], x, sign);
            }
        } else {
            r[i] = gen_fp_op(dc, op, fmt, x, cst(dc, 0), cst(dc, 0));
        }
    }
    lanes_set(dc, rd, esz, n, r);
    return true;
}

/* Arm's Reduce: the halves reduced, then combined */
static LoomIRTemp reduce(DisasContext *dc, int op, int fmt, const LoomIRTemp *x, int n)
{
    if (n == 1) {
        return x[0];
    }
    return gen_fp_op(dc, op, fmt, reduce(dc, op, fmt, x, n / 2), reduce(dc, op, fmt, x + n / 2, n / 2),
                     cst(dc, 0));
}

/* FMAXNMV, FMINNMV, FMAXV, FMINV (4S), and the scalar pairwise FADDP,
   FMAXP, FMINP, FMAXNMP, FMINNMP */
static bool trans_simd_reduce_fp(DisasContext *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    bool q = (insn >> 30) & 1, u = (insn >> 29) & 1, sz = (insn >> 22) & 1;
    unsigned opcode = extract32(insn, 12, 5), a = extract32(insn, 23, 1);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    int op, esz = 2 + sz, n, i;
    LoomIRTemp x[4];

    if (!u) {
        return false;           /* the FP16 forms */
    }
    switch (opcode) {
    case 0x0c: op = a ? FPOP_MINNM : FPOP_MAXNM; break;
    case 0x0d: op = a || !scalar ? -1 : FPOP_ADD; break;
    case 0x0f: op = a ? FPOP_MIN : FPOP_MAX; break;
    default: op = -1; break;
    }
    if (op < 0 || (!scalar && (!q || sz))) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    n = scalar ? 2 : 4;
    for (i = 0; i < n; i++) {
        x[i] = lane_get(dc, rn, esz, i);
    }
    vreg_set_scalar(dc, rd, reduce(dc, op, fmt_of(esz), x, n));
    return true;
}

/* FMLA, FMLS, FMUL, FMULX (by element; vector and scalar) */
static bool trans_simd_elem_fp(DisasContext *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    bool q = (insn >> 30) & 1, u = (insn >> 29) & 1, sz = (insn >> 22) & 1;
    bool l = (insn >> 21) & 1, h = (insn >> 11) & 1;
    unsigned opcode = extract32(insn, 12, 4);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rd = insn & 31;
    int op, esz, n, i, idx, fmt;
    LoomIRTemp e, r[4];

    if (!extract32(insn, 23, 1)) {
        return false;           /* size 0x: FP16 or integer */
    }
    switch (opcode) {
    case 1: op = u ? -1 : FPOP_MADD; break;
    case 5: op = u ? -1 : FPOP_MSUB; break;
    case 9: op = u ? FPOP_MULX : FPOP_MUL; break;
    default: op = -1; break;
    }
    if (op < 0 || (sz && l) || !simd_shape(scalar, q, sz, &esz, &n)) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    idx = sz ? h : (h << 1 | l);
    fmt = fmt_of(esz);
    e = lane_get(dc, rm, esz, idx);
    for (i = 0; i < n; i++) {
        LoomIRTemp x = lane_get(dc, rn, esz, i);

        if (op == FPOP_MADD || op == FPOP_MSUB) {
            r[i] = gen_fp_op(dc, op, fmt, x, e, lane_get(dc, rd, esz, i));
        } else {
            r[i] = gen_fp_op(dc, op, fmt, x, e, cst(dc, 0));
        }
    }
    lanes_set(dc, rd, esz, n, r);
    return true;
}

/* SCVTF, UCVTF, FCVTZS, FCVTZU (vector and scalar, fixed point) */
static bool trans_simd_shift_fp(DisasContext *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    bool q = (insn >> 30) & 1, u = (insn >> 29) & 1;
    unsigned immh = extract32(insn, 19, 4), immhb = extract32(insn, 16, 7);
    unsigned opcode = extract32(insn, 11, 5);
    int rn = extract32(insn, 5, 5), rd = insn & 31;
    int esz, n, i, fmt, fbits;
    LoomIRTemp r[4];

    if ((opcode != 0x1c && opcode != 0x1f) || immh < 4) {
        return false;           /* not ours, or immh 0 (modified immediate) / FP16 */
    }
    if (!simd_shape(scalar, q, immh >= 8, &esz, &n)) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    fbits = (16 << esz) - (int)immhb;
    fmt = fmt_of(esz);
    for (i = 0; i < n; i++) {
        LoomIRTemp x = lane_get(dc, rn, esz, i);

        if (opcode == 0x1c) {
            r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_FROMINT, 8 << esz, fmt, RM_FPCR, !u, 0, fbits), x);
        } else {
            r[i] = gen_fp_cvt(dc, FPCVT_DESC(FPCVT_TOINT, fmt, 8 << esz, RM_ZERO, !u, 0, fbits), x);
        }
    }
    lanes_set(dc, rd, esz, n, r);
    return true;
}

/* The floating-point encodings of the AdvSIMD groups (vector and scalar
   forms); false for the integer ones, which trans_simd takes. */
bool trans_simd_fp(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    bool scalar = (insn >> 28) & 1;

    if (scalar && !((insn >> 30) & 1)) {
        return false;
    }
    /* the scalar groups are the vector ones with bits 30 and 28 set:
       match both as vector encodings with Q = 0 */
    insn &= ~0x50000000u;
    if ((insn & 0x9f200400u) == 0x0e200400u) {
        return trans_simd_3same_fp(dc, scalar);
    }
    if ((insn & 0x9f3e0c00u) == 0x0e200800u) {
        return trans_simd_2misc_fp(dc, scalar);
    }
    if ((insn & 0x9f3e0c00u) == 0x0e300800u) {
        return trans_simd_reduce_fp(dc, scalar);
    }
    if ((insn & 0x9f000400u) == 0x0f000000u) {
        return trans_simd_elem_fp(dc, scalar);
    }
    if ((insn & 0x9f800400u) == 0x0f000400u) {
        return trans_simd_shift_fp(dc, scalar);
    }
    return false;
}

bool trans_fpsimd(DisasContext *dc)
{
    if (is_scalar_fp(dc->insn)) {
        return trans_fp(dc);
    }
    return trans_simd_fp(dc) || trans_simd(dc);
}
