/*
 * aarch64 front-end: AdvSIMD data processing (vector and scalar forms)
 * and the structure loads and stores.
 *
 * Inline IR, on the two 64-bit halves of each register, for what string
 * and copy loops use most: the structure loads and stores, the copy
 * group (DUP, INS, UMOV, SMOV), the modified immediates, the bitwise
 * three-same ops, ADD/SUB, the compares (CMEQ, CMEQ #0, CMGT, CMGE,
 * CMHI, CMHS), UMAXP/UMINP/ADDP on bytes, and SHL/SSHR/USHR/SHRN by
 * immediate.  Everything else goes to
 * helper-simd.c's interpreter (one helper call with the insn as a
 * constant), which also says at translate time which encodings exist.
 * A 64-bit (D-form) result zeroes bits 127:64.
 */
#include "translate.h"

static LoomIRTemp ld_half(DisasContext *dc, int n, int half)
{
    LoomIRTemp t = tmp(dc);

    loom_ir_gen_ldh_i64(ctx_ir(dc), t, LOOM_IR_ENV, vreg_ofs(n, half), LOOM_MEM_UQ);
    return t;
}

static void st_half(DisasContext *dc, int n, int half, LoomIRTemp v)
{
    loom_ir_gen_sth_i64(ctx_ir(dc), v, LOOM_IR_ENV, vreg_ofs(n, half), LOOM_MEM_UQ);
}

static void zero_high(DisasContext *dc, int n)
{
    st_half(dc, n, 1, cst(dc, 0));
}

/* lane idx of 8 << esz bits of V<n>, zero- or sign-extended */
static LoomIRTemp get_lane(DisasContext *dc, unsigned n, unsigned esz, unsigned idx, bool sign)
{
    LoomIRTemp h = ld_half(dc, n, (idx << esz) / 8), t;
    unsigned bits = 8u << esz;

    if (bits == 64) {
        return h;
    }
    t = tmp(dc);
    if (sign) {
        loom_ir_gen_sextract_i64(ctx_ir(dc), t, h, (idx * bits) % 64, bits);
    } else {
        loom_ir_gen_extract_i64(ctx_ir(dc), t, h, (idx * bits) % 64, bits);
    }
    return t;
}

/* x replicated into every lane of 8 << esz bits */
static uint64_t dup_const(unsigned esz, uint64_t x)
{
    static const uint64_t rep[4] = {
        0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull, 1,
    };
    return x * rep[esz];
}

/* ---- structure loads and stores ---- */

/* One structure insn's transfers: the direction, the memop flags
   (LOOM_MEM_ALIGN under SCTLR_EL1.A) and the base address.  The
   registers' halves live in temps while elements are deposited into
   them or extracted from them. */
typedef struct Xfer {
    DisasContext *dc;
    bool load;
    unsigned mop;
    LoomIRTemp base;
} Xfer;

static LoomIRTemp xfer_addr(Xfer *x, unsigned off)
{
    LoomIRTemp a = tmp(x->dc);

    loom_ir_gen_addi_i64(ctx_ir(x->dc), a, x->base, off);
    return a;
}

/* one element of 8 << esz bits at addr, to or from lane e of the
   register held in halves[0] (bits 63:0) and halves[1] (127:64); only
   the half holding lane e is touched */
static void xfer_elt(Xfer *x, LoomIRTemp *halves, unsigned esz, unsigned e, LoomIRTemp addr)
{
    LoomIRContext *ir = ctx_ir(x->dc);
    unsigned bits = 8u << esz, off = e * bits;
    LoomIRTemp *h = &halves[off / 64];
    LoomIRTemp t = tmp(x->dc);

    if (x->load) {
        loom_ir_gen_qemu_ld_i64(ir, t, addr, (LoomMemOp)(x->mop | esz), x->dc->mem_idx);
        if (bits == 64) {
            loom_ir_gen_mov_i64(ir, *h, t);
        } else {
            loom_ir_gen_deposit_i64(ir, *h, *h, t, off % 64, bits);
        }
    } else {
        if (bits == 64) {
            loom_ir_gen_mov_i64(ir, t, *h);
        } else {
            loom_ir_gen_extract_i64(ir, t, *h, off % 64, bits);
        }
        loom_ir_gen_qemu_st_i64(ir, t, addr, (LoomMemOp)(x->mop | esz), x->dc->mem_idx);
    }
}

/* post-index write-back: Rm = 31 adds the bytes transferred */
static void writeback(DisasContext *dc, LoomIRTemp base, unsigned bytes)
{
    unsigned rn = dc->insn >> 5 & 31, rm = dc->insn >> 16 & 31;
    LoomIRTemp nb = tmp(dc);

    if (!(dc->insn >> 23 & 1)) {
        return;
    }
    if (rm == 31) {
        loom_ir_gen_addi_i64(ctx_ir(dc), nb, base, bytes);
    } else {
        loom_ir_gen_add_i64(ctx_ir(dc), nb, base, read_reg(dc, rm, true));
    }
    write_reg_sp(dc, rn, nb, true);
}

/* LD1-LD4/ST1-ST4 (multiple structures) */
static bool trans_ldst_multiple(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    unsigned q = insn >> 30 & 1, load = insn >> 22 & 1, opc = insn >> 12 & 15;
    unsigned esz = insn >> 10 & 3, rn = insn >> 5 & 31, rt = insn & 31;
    unsigned rpt, selem, elements = (8u << q) >> esz, off = 0;
    LoomIRTemp v[4][2], base;
    Xfer x;

    if (insn >> 21 & 1 || (!(insn >> 23 & 1) && (insn >> 16 & 31))) {
        return false;
    }
    switch (opc) {
    case 0x0: rpt = 1; selem = 4; break;
    case 0x2: rpt = 4; selem = 1; break;
    case 0x4: rpt = 1; selem = 3; break;
    case 0x6: rpt = 3; selem = 1; break;
    case 0x7: rpt = 1; selem = 1; break;
    case 0x8: rpt = 1; selem = 2; break;
    case 0xa: rpt = 2; selem = 1; break;
    default: return false;
    }
    if (esz == 3 && !q && selem > 1) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    /* the base first: a post-indexed Rm may be written by nothing here,
       but the value must be the one before the transfers */
    base = tmp(dc);
    loom_ir_gen_mov_i64(ctx_ir(dc), base, read_reg_sp(dc, rn, true));
    x = (Xfer){ dc, load, dc->align, base };
    if (selem == 1 && !dc->align) {
        /* LD1/ST1: memory order is register order, 8 bytes at a time */
        x.mop = 0;
        for (unsigned r = 0; r < rpt; r++) {
            unsigned reg = (rt + r) % 32;
            for (unsigned h = 0; h <= q; h++, off += 8) {
                LoomIRTemp t = load ? tmp(dc) : ld_half(dc, reg, h);
                xfer_elt(&x, &t, 3, 0, xfer_addr(&x, off));
                if (load) {
                    st_half(dc, reg, h, t);
                }
            }
            if (load && !q) {
                zero_high(dc, reg);
            }
        }
        writeback(dc, base, off);
        return true;
    }
    for (unsigned r = 0; r < rpt; r++) {
        unsigned nreg = selem;
        for (unsigned s = 0; s < nreg; s++) {
            unsigned reg = (rt + r + s) % 32;
            for (unsigned h = 0; h < 2; h++) {
                v[s][h] = load ? tmp(dc) : ld_half(dc, reg, h);
                if (load) {
                    loom_ir_gen_movi_i64(ctx_ir(dc), v[s][h], 0);
                }
            }
        }
        for (unsigned e = 0; e < elements; e++) {
            for (unsigned s = 0; s < selem; s++, off += 1u << esz) {
                xfer_elt(&x, v[s], esz, e, xfer_addr(&x, off));
            }
        }
        if (load) {
            for (unsigned s = 0; s < selem; s++) {
                unsigned reg = (rt + r + s) % 32;
                st_half(dc, reg, 0, v[s][0]);
                st_half(dc, reg, 1, q ? v[s][1] : cst(dc, 0));
            }
        }
    }
    writeback(dc, base, off);
    return true;
}

/* LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R */
static bool trans_ldst_single(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    LoomIRContext *ir = ctx_ir(dc);
    unsigned q = insn >> 30 & 1, load = insn >> 22 & 1, r = insn >> 21 & 1;
    unsigned opc = insn >> 13 & 7, s = insn >> 12 & 1, size = insn >> 10 & 3;
    unsigned rn = insn >> 5 & 31, rt = insn & 31;
    unsigned selem = ((opc & 1) << 1 | r) + 1, esz = opc >> 1, index = 0;
    bool replicate = false;
    LoomIRTemp base;
    Xfer x;

    if (!(insn >> 23 & 1) && (insn >> 16 & 31)) {
        return false;
    }
    switch (esz) {
    case 0:
        index = q << 3 | s << 2 | size;
        break;
    case 1:
        if (size & 1) {
            return false;
        }
        index = q << 2 | s << 1 | size >> 1;
        break;
    case 2:
        if (size & 2) {
            return false;
        }
        if (size == 0) {
            index = q << 1 | s;
        } else {
            if (s) {
                return false;
            }
            esz = 3;
            index = q;
        }
        break;
    default:
        if (!load || s) {
            return false;
        }
        replicate = true;
        esz = size;
        break;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    base = tmp(dc);
    loom_ir_gen_mov_i64(ir, base, read_reg_sp(dc, rn, true));
    x = (Xfer){ dc, load, dc->align, base };
    for (unsigned k = 0; k < selem; k++) {
        unsigned reg = (rt + k) % 32, half = (index << esz) / 8;
        LoomIRTemp addr = xfer_addr(&x, k << esz);
        LoomIRTemp h[2];

        if (replicate) {
            LoomIRTemp t = tmp(dc);
            loom_ir_gen_qemu_ld_i64(ir, t, addr, (LoomMemOp)(x.mop | esz), dc->mem_idx);
            loom_ir_gen_mul_i64(ir, t, t, cst(dc, dup_const(esz, 1)));
            st_half(dc, reg, 0, t);
            st_half(dc, reg, 1, q ? t : cst(dc, 0));
            continue;
        }
        /* the other lanes keep their values: only one half is touched */
        h[half] = ld_half(dc, reg, half);
        xfer_elt(&x, h, esz, index, addr);
        if (load) {
            st_half(dc, reg, half, h[half]);
        }
    }
    writeback(dc, base, selem << esz);
    return true;
}

bool trans_simd_ldst(DisasContext *dc)
{
    return (dc->insn >> 24 & 1) ? trans_ldst_single(dc) : trans_ldst_multiple(dc);
}

/* ---- copy group: DUP, INS, UMOV, SMOV ---- */

static bool trans_copy(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    LoomIRContext *ir = ctx_ir(dc);
    unsigned q = insn >> 30 & 1, op = insn >> 29 & 1, imm5 = insn >> 16 & 31;
    unsigned imm4 = insn >> 11 & 15, rn = insn >> 5 & 31, rd = insn & 31, esz, idx, bits;
    LoomIRTemp t;

    if (!(imm5 & 15)) {
        return false;
    }
    esz = (unsigned)__builtin_ctz(imm5);
    idx = imm5 >> (esz + 1);
    bits = 8u << esz;
    if (op) {                                       /* INS (element) */
        unsigned sidx = imm4 >> esz;
        LoomIRTemp d;
        if (!q) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        t = get_lane(dc, rn, esz, sidx, false);
        if (bits == 64) {
            st_half(dc, rd, idx, t);
        } else {
            d = ld_half(dc, rd, (idx << esz) / 8);
            loom_ir_gen_deposit_i64(ir, d, d, t, (idx << (esz + 3)) % 64, bits);
            st_half(dc, rd, (idx << esz) / 8, d);
        }
        return true;
    }
    switch (imm4) {
    case 0x0:                                       /* DUP (element) */
    case 0x1:                                       /* DUP (general) */
        if (esz == 3 && !q) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        if (imm4 == 0) {
            t = get_lane(dc, rn, esz, idx, false);
        } else if (bits == 64) {
            t = read_reg(dc, rn, true);
        } else {
            t = tmp(dc);
            loom_ir_gen_extract_i64(ir, t, read_reg(dc, rn, true), 0, bits);
        }
        if (bits != 64) {
            LoomIRTemp r = tmp(dc);
            loom_ir_gen_mul_i64(ir, r, t, cst(dc, dup_const(esz, 1)));
            t = r;
        }
        st_half(dc, rd, 0, t);
        st_half(dc, rd, 1, q ? t : cst(dc, 0));
        return true;
    case 0x3:                                       /* INS (general) */
        if (!q) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        if (bits == 64) {
            st_half(dc, rd, idx, read_reg(dc, rn, true));
        } else {
            LoomIRTemp d = ld_half(dc, rd, (idx << esz) / 8);
            loom_ir_gen_deposit_i64(ir, d, d, read_reg(dc, rn, true),
                                    (idx << (esz + 3)) % 64, bits);
            st_half(dc, rd, (idx << esz) / 8, d);
        }
        return true;
    case 0x5:                                       /* SMOV */
    case 0x7:                                       /* UMOV */
        if (imm4 == 5 ? (esz == 3 || (esz == 2 && !q)) : (esz == 3) != q) {
            return false;
        }
        if (!fp_access_check(dc)) {
            return true;
        }
        write_reg(dc, rd, get_lane(dc, rn, esz, idx, imm4 == 5), q);
        return true;
    }
    return false;
}

/* ---- modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector) ---- */

/* AdvSIMDExpandImm; false for the reserved encodings */
static bool expand_imm(unsigned op, unsigned cmode, uint64_t imm8, uint64_t *out)
{
    uint64_t r;

    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3:
        r = dup_const(2, imm8 << (8 * (cmode >> 1)));
        break;
    case 4: case 5:
        r = dup_const(1, imm8 << (8 * (cmode >> 1 & 1)));
        break;
    case 6:
        r = dup_const(2, (cmode & 1) ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff);
        break;
    default:
        if (!(cmode & 1) && !op) {
            r = dup_const(0, imm8);
        } else if (!(cmode & 1)) {
            r = 0;
            for (int i = 0; i < 8; i++) {
                r |= (imm8 >> i & 1) ? 0xffull << (8 * i) : 0;
            }
        } else if (!op) {                               /* FMOV single */
            uint64_t f = (imm8 >> 7) << 31 | (((imm8 >> 6) & 1) ^ 1) << 30 |
                         (((imm8 >> 6) & 1) ? 0x1full << 25 : 0) | (imm8 & 0x3f) << 19;
            r = dup_const(2, f);
        } else {                                        /* FMOV double */
            r = (imm8 >> 7) << 63 | (((imm8 >> 6) & 1) ^ 1) << 62 |
                (((imm8 >> 6) & 1) ? 0xffull << 54 : 0) | (imm8 & 0x3f) << 48;
        }
        break;
    }
    *out = r;
    return true;
}

static bool trans_mod_imm(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    LoomIRContext *ir = ctx_ir(dc);
    unsigned q = insn >> 30 & 1, op = insn >> 29 & 1, cmode = insn >> 12 & 15;
    unsigned rd = insn & 31;
    uint64_t imm8 = (insn >> 16 & 7) << 5 | (insn >> 5 & 31), imm;
    /* ORR and BIC: cmode 0xx1 and 10x1 */
    bool orr_bic = cmode < 12 && (cmode & 1);

    if (insn >> 11 & 1) {
        return false;           /* o2: FP16 FMOV (not implemented) */
    }
    if (op && cmode == 15 && !q) {
        return false;
    }
    expand_imm(op, cmode, imm8, &imm);
    if (op && !orr_bic && cmode != 14 && cmode != 15) {
        imm = ~imm;             /* MVNI */
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    for (int h = 0; h <= (int)q; h++) {
        if (orr_bic) {
            LoomIRTemp d = ld_half(dc, rd, h);
            if (op) {
                loom_ir_gen_andi_i64(ir, d, d, ~imm);
            } else {
                loom_ir_gen_ori_i64(ir, d, d, imm);
            }
            st_half(dc, rd, h, d);
        } else {
            st_half(dc, rd, h, cst(dc, imm));
        }
    }
    if (!q) {
        zero_high(dc, rd);
    }
    return true;
}

/* ---- inline three-same: bitwise ops, ADD, SUB, CMEQ ---- */

/* Lane-wise a + b or a - b on a 64-bit half (lanes of 8 << esz bits):
   add the low bits of each lane without carries out of it, then put the
   top bits back with xor. */
static void gen_lane_addsub(DisasContext *dc, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                            unsigned esz, bool sub)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint64_t top = dup_const(esz, UINT64_C(1) << ((8u << esz) - 1));
    LoomIRTemp t1 = tmp(dc), t2 = tmp(dc), t3 = tmp(dc);

    if (esz == 3) {
        if (sub) {
            loom_ir_gen_sub_i64(ir, d, a, b);
        } else {
            loom_ir_gen_add_i64(ir, d, a, b);
        }
        return;
    }
    if (sub) {
        /* (a | top) - (b & ~top), then the top bits: a ^ ~b */
        loom_ir_gen_ori_i64(ir, t1, a, top);
        loom_ir_gen_andi_i64(ir, t2, b, ~top);
        loom_ir_gen_sub_i64(ir, t1, t1, t2);
        loom_ir_gen_xor_i64(ir, t3, a, b);
        loom_ir_gen_xori_i64(ir, t3, t3, top);
        loom_ir_gen_andi_i64(ir, t3, t3, top);
    } else {
        loom_ir_gen_andi_i64(ir, t1, a, ~top);
        loom_ir_gen_andi_i64(ir, t2, b, ~top);
        loom_ir_gen_add_i64(ir, t1, t1, t2);
        loom_ir_gen_xor_i64(ir, t3, a, b);
        loom_ir_gen_andi_i64(ir, t3, t3, top);
    }
    loom_ir_gen_xor_i64(ir, d, t1, t3);
}

/* CMEQ on a 64-bit half: all ones in the lanes where a == b */
static void gen_lane_cmeq(DisasContext *dc, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                          unsigned esz)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint64_t top = dup_const(esz, UINT64_C(1) << ((8u << esz) - 1));
    LoomIRTemp x = tmp(dc), t = tmp(dc);

    if (esz == 3) {
        loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_EQ, d, a, b);
        loom_ir_gen_neg_i64(ir, d, d);
        return;
    }
    /* the top bit of each lane of t is set iff the lane of x is not 0:
       the low bits added to ~top carry into it, or the top bit was set */
    loom_ir_gen_xor_i64(ir, x, a, b);
    loom_ir_gen_andi_i64(ir, t, x, ~top);
    loom_ir_gen_addi_i64(ir, t, t, (int64_t)~top);
    loom_ir_gen_or_i64(ir, t, t, x);
    /* equal lanes: top bit clear; make it their lowest bit, times ones */
    loom_ir_gen_andi_i64(ir, t, t, top);
    loom_ir_gen_xori_i64(ir, t, t, top);
    loom_ir_gen_shri_i64(ir, t, t, (8u << esz) - 1);
    loom_ir_gen_mul_i64(ir, d, t, cst(dc, (UINT64_C(1) << (8u << esz)) - 1));
}

/* CMHS/CMGE (ge) or CMHI/CMGT (!ge: a > b is !(b >= a)) on a 64-bit
   half, unsigned or signed (sgn: the top bits flipped first).  a >= b
   in a lane: where the top bits differ, a's top bit; where they agree,
   the top bit of (a | top) - (b & ~top), the compare of the low bits. */
static void gen_lane_cmp(DisasContext *dc, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                         unsigned esz, bool sgn, bool ge)
{
    LoomIRContext *ir = ctx_ir(dc);
    unsigned bits = 8u << esz;
    uint64_t top = dup_const(esz, UINT64_C(1) << (bits - 1));
    LoomIRTemp x = tmp(dc), y = tmp(dc), t = tmp(dc), u = tmp(dc);

    if (!ge) {
        LoomIRTemp s = a;
        a = b;
        b = s;
    }
    if (esz == 3) {
        loom_ir_gen_setcond_i64(ir, sgn ? LOOM_IR_COND_GE : LOOM_IR_COND_GEU, d, a, b);
        if (!ge) {
            loom_ir_gen_xori_i64(ir, d, d, 1);
        }
        loom_ir_gen_neg_i64(ir, d, d);
        return;
    }
    if (sgn) {
        loom_ir_gen_xori_i64(ir, x, a, top);
        loom_ir_gen_xori_i64(ir, y, b, top);
    } else {
        loom_ir_gen_mov_i64(ir, x, a);
        loom_ir_gen_mov_i64(ir, y, b);
    }
    loom_ir_gen_ori_i64(ir, t, x, top);
    loom_ir_gen_andi_i64(ir, u, y, ~top);
    loom_ir_gen_sub_i64(ir, t, t, u);           /* low bits' compare in the top bit */
    loom_ir_gen_xor_i64(ir, u, x, y);           /* top bits differ */
    loom_ir_gen_and_i64(ir, x, x, u);
    loom_ir_gen_andc_i64(ir, t, t, u);
    loom_ir_gen_or_i64(ir, t, t, x);
    loom_ir_gen_andi_i64(ir, t, t, top);
    if (!ge) {
        loom_ir_gen_xori_i64(ir, t, t, top);
    }
    loom_ir_gen_shri_i64(ir, t, t, bits - 1);
    loom_ir_gen_mul_i64(ir, d, t, cst(dc, (UINT64_C(1) << bits) - 1));
}

/* UMAXP, UMINP or ADDP of the byte pairs of the half x: the four
   results packed into bits 31:0 of d */
static void gen_pairwise_bytes(DisasContext *dc, LoomIRTemp d, LoomIRTemp x, unsigned opc)
{
    LoomIRContext *ir = ctx_ir(dc);
    const uint64_t lo8 = 0x00ff00ff00ff00ffull;
    LoomIRTemp e = tmp(dc), o = tmp(dc), t = tmp(dc);

    loom_ir_gen_andi_i64(ir, e, x, lo8);                /* even bytes, in 16-bit lanes */
    loom_ir_gen_shri_i64(ir, o, x, 8);
    loom_ir_gen_andi_i64(ir, o, o, lo8);                /* odd bytes */
    if (opc == 0x17) {
        loom_ir_gen_add_i64(ir, d, e, o);               /* at most 0x1fe: no carry out */
        loom_ir_gen_andi_i64(ir, d, d, lo8);
    } else {
        /* bit 8 of (e + 0x100 - o) is e >= o; times 0xff, it selects */
        loom_ir_gen_ori_i64(ir, t, e, 0x0100010001000100ull);
        loom_ir_gen_sub_i64(ir, t, t, o);
        loom_ir_gen_shri_i64(ir, t, t, 8);
        loom_ir_gen_andi_i64(ir, t, t, 0x0001000100010001ull);
        loom_ir_gen_mul_i64(ir, t, t, cst(dc, 0xff));
        loom_ir_gen_xor_i64(ir, d, e, o);
        loom_ir_gen_and_i64(ir, d, d, t);
        loom_ir_gen_xor_i64(ir, d, d, opc == 0x14 ? o : e);    /* UMAXP : UMINP */
    }
    /* pack the low bytes of the four 16-bit lanes */
    loom_ir_gen_shri_i64(ir, t, d, 8);
    loom_ir_gen_or_i64(ir, d, d, t);
    loom_ir_gen_andi_i64(ir, d, d, 0x0000ffff0000ffffull);
    loom_ir_gen_shri_i64(ir, t, d, 16);
    loom_ir_gen_or_i64(ir, d, d, t);
    loom_ir_gen_ext32u_i64(ir, d, d);
}

/* UMAXP, UMINP, ADDP on bytes: Rn's pairs, then Rm's */
static bool trans_pairwise_bytes(DisasContext *dc, unsigned q, unsigned opc, unsigned rd,
                                 unsigned rn, unsigned rm)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp src[4], p[4], r[2];
    unsigned k = 0;

    if (!fp_access_check(dc)) {
        return true;
    }
    /* the halves in the order their results go: Rn (low, high), Rm */
    src[k++] = ld_half(dc, rn, 0);
    if (q) {
        src[k++] = ld_half(dc, rn, 1);
    }
    src[k++] = ld_half(dc, rm, 0);
    if (q) {
        src[k++] = ld_half(dc, rm, 1);
    }
    for (unsigned i = 0; i < k; i++) {
        p[i] = tmp(dc);
        gen_pairwise_bytes(dc, p[i], src[i], opc);
    }
    for (unsigned h = 0; h < k / 2; h++) {
        r[h] = tmp(dc);
        loom_ir_gen_shli_i64(ir, r[h], p[2 * h + 1], 32);
        loom_ir_gen_or_i64(ir, r[h], r[h], p[2 * h]);
    }
    st_half(dc, rd, 0, r[0]);
    st_half(dc, rd, 1, q ? r[1] : cst(dc, 0));
    return true;
}

static bool trans_3same_inline(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    LoomIRContext *ir = ctx_ir(dc);
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, size = insn >> 22 & 3;
    unsigned opc = insn >> 11 & 31, rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 31;
    LoomIRTemp a[2], b[2], r[2];

    if (size == 0 && (opc == 0x17 ? !u : u && (opc == 0x14 || opc == 0x15))) {
        return trans_pairwise_bytes(dc, q, opc, rd, rn, rm);
    }
    if (!(opc == 0x03 ||
          ((opc == 0x06 || opc == 0x07 || opc == 0x10 || (opc == 0x11 && u)) &&
           (size != 3 || q)))) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    /* every source before any result: Rd may be Rn or Rm */
    for (unsigned h = 0; h <= q; h++) {
        a[h] = ld_half(dc, rn, h);
        b[h] = ld_half(dc, rm, h);
        r[h] = tmp(dc);
    }
    for (unsigned h = 0; h <= q; h++) {
        if (opc == 0x06 || opc == 0x07) {
            gen_lane_cmp(dc, r[h], a[h], b[h], size, !u, opc == 0x07);
        } else if (opc == 0x10) {
            gen_lane_addsub(dc, r[h], a[h], b[h], size, u);
        } else if (opc == 0x11) {
            gen_lane_cmeq(dc, r[h], a[h], b[h], size);
        } else {
            LoomIRTemp d, t = tmp(dc);
            switch (u << 2 | size) {
            case 0: loom_ir_gen_and_i64(ir, r[h], a[h], b[h]); break;
            case 1: loom_ir_gen_andc_i64(ir, r[h], a[h], b[h]); break;
            case 2: loom_ir_gen_or_i64(ir, r[h], a[h], b[h]); break;
            case 3: loom_ir_gen_orc_i64(ir, r[h], a[h], b[h]); break;
            case 4: loom_ir_gen_xor_i64(ir, r[h], a[h], b[h]); break;
            default:
                /* BSL: d ? n : m; BIT: m ? n : d; BIF: m ? d : n, as
                   x ^ ((x ^ y) & sel) */
                d = ld_half(dc, rd, h);
                if (size == 1) {
                    loom_ir_gen_xor_i64(ir, t, a[h], b[h]);
                    loom_ir_gen_and_i64(ir, t, t, d);
                    loom_ir_gen_xor_i64(ir, r[h], b[h], t);
                } else {
                    loom_ir_gen_xor_i64(ir, t, a[h], d);
                    loom_ir_gen_and_i64(ir, t, t, b[h]);
                    if (size == 2) {
                        loom_ir_gen_xor_i64(ir, r[h], d, t);
                    } else {
                        loom_ir_gen_xor_i64(ir, r[h], a[h], t);
                    }
                }
                break;
            }
        }
    }
    for (unsigned h = 0; h <= q; h++) {
        st_half(dc, rd, h, r[h]);
    }
    if (!q) {
        zero_high(dc, rd);
    }
    return true;
}

/* CMEQ #0 (two-register misc), the string functions' NUL search */
static bool trans_cmeq0_inline(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    unsigned q = insn >> 30 & 1, size = insn >> 22 & 3, rd = insn & 31, rn = insn >> 5 & 31;
    LoomIRTemp a[2], r[2];

    if ((insn >> 29 & 1) || (insn >> 12 & 31) != 0x09 || (size == 3 && !q)) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    for (unsigned h = 0; h <= q; h++) {
        a[h] = ld_half(dc, rn, h);
        r[h] = tmp(dc);
        gen_lane_cmeq(dc, r[h], a[h], cst(dc, 0), size);
    }
    for (unsigned h = 0; h <= q; h++) {
        st_half(dc, rd, h, r[h]);
    }
    if (!q) {
        zero_high(dc, rd);
    }
    return true;
}

/* ---- inline shifts by immediate: SHL, SSHR, USHR, SHRN ---- */

/* SHRN/SHRN2 #sh: the low halves of the wide lanes of Rn shifted right,
   packed into one 64-bit half of Rd (the upper one for SHRN2, which
   keeps the lower; SHRN zeroes the upper) */
static bool trans_shrn_inline(DisasContext *dc, unsigned q, unsigned esz, unsigned sh,
                              unsigned rd, unsigned rn)
{
    LoomIRContext *ir = ctx_ir(dc);
    unsigned bits = 8u << esz, per = 32 / bits;     /* wide lanes per half */
    LoomIRTemp a[2], r = tmp(dc), t = tmp(dc);

    if (!fp_access_check(dc)) {
        return true;
    }
    a[0] = ld_half(dc, rn, 0);
    a[1] = ld_half(dc, rn, 1);
    loom_ir_gen_movi_i64(ir, r, 0);
    for (unsigned h = 0; h < 2; h++) {
        loom_ir_gen_shri_i64(ir, t, a[h], sh);
        for (unsigned j = 0; j < per; j++) {
            LoomIRTemp e = tmp(dc);
            /* sh <= bits: the result of a wide lane stays inside it */
            loom_ir_gen_extract_i64(ir, e, t, j * 2 * bits, bits);
            loom_ir_gen_deposit_i64(ir, r, r, e, (h * per + j) * bits, bits);
        }
    }
    st_half(dc, rd, q, r);
    if (!q) {
        zero_high(dc, rd);
    }
    return true;
}

static bool trans_shift_inline(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    LoomIRContext *ir = ctx_ir(dc);
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, immh = insn >> 19 & 15;
    unsigned ih = insn >> 16 & 127, opc = insn >> 11 & 31, rd = insn & 31, rn = insn >> 5 & 31;
    unsigned esz, bits, sh;
    uint64_t lane;
    LoomIRTemp a[2], r[2];

    if (!immh) {
        return false;
    }
    esz = 31 - (unsigned)__builtin_clz(immh);
    bits = 8u << esz;
    lane = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
    if (opc == 0x10 && !u && esz < 3) {
        return trans_shrn_inline(dc, q, esz, 2 * bits - ih, rd, rn);
    }
    if (!((opc == 0x00) || (opc == 0x0a && !u)) || (esz == 3 && !q)) {
        return false;
    }
    sh = opc == 0x0a ? ih - bits : 2 * bits - ih;
    if (!fp_access_check(dc)) {
        return true;
    }
    for (unsigned h = 0; h <= q; h++) {
        a[h] = ld_half(dc, rn, h);
        r[h] = tmp(dc);
    }
    for (unsigned h = 0; h <= q; h++) {
        if (opc == 0x0a) {                          /* SHL: drop what crosses lanes */
            loom_ir_gen_shli_i64(ir, r[h], a[h], sh);
            loom_ir_gen_andi_i64(ir, r[h], r[h], dup_const(esz, (lane << sh) & lane));
        } else if (u) {                             /* USHR */
            if (sh == bits) {
                loom_ir_gen_movi_i64(ir, r[h], 0);
            } else {
                loom_ir_gen_shri_i64(ir, r[h], a[h], sh);
                loom_ir_gen_andi_i64(ir, r[h], r[h], dup_const(esz, lane >> sh));
            }
        } else if (bits == 64) {                    /* SSHR of whole halves */
            loom_ir_gen_sari_i64(ir, r[h], a[h], sh == 64 ? 63 : sh);
        } else {
            /* SSHR: the logical shift, then each lane's sign times the
               bits it fills (the product stays inside the lane) */
            LoomIRTemp sg = tmp(dc);
            uint64_t fill = lane & ~(lane >> sh);    /* sh = bits: all */
            if (sh == bits) {
                loom_ir_gen_movi_i64(ir, r[h], 0);
            } else {
                loom_ir_gen_shri_i64(ir, r[h], a[h], sh);
                loom_ir_gen_andi_i64(ir, r[h], r[h], dup_const(esz, lane >> sh));
            }
            loom_ir_gen_shri_i64(ir, sg, a[h], bits - 1);
            loom_ir_gen_andi_i64(ir, sg, sg, dup_const(esz, 1));
            loom_ir_gen_mul_i64(ir, sg, sg, cst(dc, fill));
            loom_ir_gen_or_i64(ir, r[h], r[h], sg);
        }
    }
    for (unsigned h = 0; h <= q; h++) {
        st_half(dc, rd, h, r[h]);
    }
    if (!q) {
        zero_high(dc, rd);
    }
    return true;
}

bool trans_simd(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    LoomIRTemp arg;

    /* vector copy: 0 Q op 01110000 imm5 0 imm4 1 */
    if ((insn & 0x9fe08400u) == 0x0e000400u) {
        return trans_copy(dc);
    }
    /* modified immediate: 0 Q op 0111100000 abc cmode o2 1 */
    if ((insn & 0x9ff80400u) == 0x0f000400u) {
        return trans_mod_imm(dc);
    }
    /* vector three same */
    if ((insn & 0x9f200400u) == 0x0e200400u && trans_3same_inline(dc)) {
        return true;
    }
    /* vector two-register misc */
    if ((insn & 0x9f3e0c00u) == 0x0e200800u && trans_cmeq0_inline(dc)) {
        return true;
    }
    /* vector shift by immediate */
    if ((insn & 0x9f800400u) == 0x0f000400u && trans_shift_inline(dc)) {
        return true;
    }
    if (!simd_exec(NULL, NULL, insn)) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    arg = cst(dc, insn);
    loom_ir_gen_call(ctx_ir(dc), &aarch64_helper_simd, LOOM_IR_NO_RET, 1, &arg);
    return true;
}
