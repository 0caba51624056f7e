/*
 * aarch64 front-end: loads and stores (insn[28:25] = x1x0): every integer
 * addressing form (unsigned offset, pre/post index, unscaled,
 * unprivileged, register offset with extend/shift, literal), pairs
 * (LDP/STP/LDPSW/LDNP/STNP), exclusives, load-acquire/store-release and
 * the LSE atomics; the same forms for the SIMD&FP registers (V = 1:
 * B, H, S, D and Q; a write of a narrower register zeroes the rest of V<t>).
 *
 * Exclusives follow the cmpxchg scheme of docs/design.md, "Atomics": the
 * load records the address (excl_addr) and the value (excl_val, excl_hi
 * for 128-bit pairs); the store succeeds iff the address matches and
 * memory still holds the value, as one compare-and-swap (ABA-prone like
 * QEMU's).  Any store-exclusive, CLREX and exception entry open the
 * monitor (excl_addr = -1).
 *
 * Ordering: plain accesses promise nothing (guest_default_mo = 0); IR
 * atomics are sequentially consistent, which covers every acquire and
 * release form of CAS, SWP, LD<op> and store-exclusive.  LDAR/LDAXR/
 * LDAPR put a barrier after the load (later accesses wait for it); STLR
 * puts one before the store and, because a later LDAR must not pass an
 * STLR (RCsc), a store-load barrier after it.
 */
#include "translate.h"

#define MO_ACQUIRE (LOOM_MO_LD_LD | LOOM_MO_LD_ST)
#define MO_RELEASE (LOOM_MO_LD_ST | LOOM_MO_ST_ST)

/* The address in a fresh temp (Rt may be the base register). */
static LoomIRTemp addr_plus(DisasContext *dc, LoomIRTemp base, int64_t off)
{
    LoomIRTemp a = tmp(dc);

    loom_ir_gen_addi_i64(ctx_ir(dc), a, base, off);
    return a;
}

static void gen_ld(DisasContext *dc, LoomIRTemp d, LoomIRTemp addr, unsigned mop, int idx)
{
    loom_ir_gen_qemu_ld_i64(ctx_ir(dc), d, addr, (LoomMemOp)mop, idx);
}

static void gen_st(DisasContext *dc, LoomIRTemp v, LoomIRTemp addr, unsigned mop, int idx)
{
    loom_ir_gen_qemu_st_i64(ctx_ir(dc), v, addr, (LoomMemOp)mop, idx);
}

/* ---- single register: size/opc decoding shared by every form ---- */

typedef struct LdstOp {
    bool load;
    bool prfm;                  /* PRFM/PRFUM: a no-op */
    bool to32;                  /* LDRSB/LDRSH to a W register */
    unsigned mop;
} LdstOp;

static bool decode_ldst(unsigned size, unsigned opc, LdstOp *o)
{
    *o = (LdstOp){ 0 };
    o->mop = size;
    switch (opc) {
    case 0:
        return true;
    case 1:
        o->load = true;
        return true;
    case 2:
        if (size == 3) {
            o->prfm = true;
            return true;
        }
        o->load = true;
        o->mop |= LOOM_MEM_SIGN;
        return true;
    default:
        if (size >= 2) {
            return false;
        }
        o->load = true;
        o->to32 = true;
        o->mop |= LOOM_MEM_SIGN;
        return true;
    }
}

/* One access of o at addr for Rt. */
static void gen_ldst_rt(DisasContext *dc, const LdstOp *o, int rt, LoomIRTemp addr, int idx)
{
    unsigned mop = o->mop | dc->align;

    if (o->prfm) {
        return;
    }
    if (o->load) {
        LoomIRTemp v = tmp(dc);

        gen_ld(dc, v, addr, mop, idx);
        write_reg(dc, rt, v, !o->to32);
    } else {
        gen_st(dc, read_reg(dc, rt, true), addr, mop, idx);
    }
}

/* ---- SIMD&FP registers (V = 1) ---- */

/* The access size of a V-register load/store (0-3: B to D, 4: Q) from
   size and opc; -1 if unallocated.  *load from opc bit 0. */
static int decode_ldst_v(unsigned size, unsigned opc, bool *load)
{
    *load = opc & 1;
    if (opc & 2) {
        return size == 0 ? 4 : -1;
    }
    return (int)size;
}

/* One access of V<rt> at addr: Q as two 64-bit halves, both loaded
   before the register is written (a fault leaves it unchanged) */
static void gen_ldst_v(DisasContext *dc, bool load, int vsize, int rt, LoomIRTemp addr, int idx)
{
    unsigned mop = (vsize == 4 ? LOOM_MEM_UQ : (unsigned)vsize) | dc->align;

    if (vsize == 4) {
        LoomIRTemp addr2 = addr_plus(dc, addr, 8);

        if (load) {
            LoomIRTemp lo = tmp(dc), hi = tmp(dc);

            gen_ld(dc, lo, addr, mop, idx);
            gen_ld(dc, hi, addr2, mop, idx);
            vreg_set(dc, rt, 0, lo);
            vreg_set(dc, rt, 1, hi);
        } else {
            gen_st(dc, vreg_get(dc, rt, 0), addr, mop, idx);
            gen_st(dc, vreg_get(dc, rt, 1), addr2, mop, idx);
        }
    } else if (load) {
        LoomIRTemp v = tmp(dc);

        gen_ld(dc, v, addr, mop, idx);
        vreg_set_scalar(dc, rt, v);
    } else {
        gen_st(dc, vreg_get(dc, rt, 0), addr, mop, idx);
    }
}

/* Rt's access for either register file: V = 1 takes the vsize path */
typedef struct LdstAny {
    bool v;
    bool load;
    int vsize;                  /* V = 1 */
    unsigned scale;             /* log2 of the access size */
    LdstOp o;                   /* V = 0 */
} LdstAny;

static bool decode_ldst_any(DisasContext *dc, LdstAny *a)
{
    uint32_t insn = dc->insn;
    unsigned size = extract32(insn, 30, 2), opc = extract32(insn, 22, 2);

    a->v = (insn >> 26) & 1;
    if (a->v) {
        a->vsize = decode_ldst_v(size, opc, &a->load);
        a->scale = (unsigned)a->vsize;
        return a->vsize >= 0;
    }
    a->scale = size;
    return decode_ldst(size, opc, &a->o);
}

static void gen_ldst_any(DisasContext *dc, const LdstAny *a, int rt, LoomIRTemp addr, int idx)
{
    if (a->v) {
        gen_ldst_v(dc, a->load, a->vsize, rt, addr, idx);
    } else {
        gen_ldst_rt(dc, &a->o, rt, addr, idx);
    }
}

/* LDR/STR (unsigned immediate) */
static bool trans_ldst_uimm(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    int rn = extract32(insn, 5, 5), rt = insn & 31;
    LdstAny a;

    if (!decode_ldst_any(dc, &a)) {
        return false;
    }
    if (a.v && !fp_access_check(dc)) {
        return true;
    }
    gen_ldst_any(dc, &a, rt,
                 addr_plus(dc, read_reg_sp(dc, rn, true), (int64_t)extract32(insn, 10, 12) << a.scale),
                 dc->mem_idx);
    return true;
}

/* LDUR/STUR, post-index, LDTR/STTR, pre-index (imm9) */
static bool trans_ldst_imm9(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned kind = extract32(insn, 10, 2);
    int64_t imm = sextract64(insn, 12, 9);
    int rn = extract32(insn, 5, 5), rt = insn & 31;
    int idx = dc->mem_idx;
    LoomIRTemp base, addr;
    LdstAny a;

    if (!decode_ldst_any(dc, &a)) {
        return false;
    }
    if (a.v ? kind == 2 : a.o.prfm && kind != 0) {
        return false;           /* no LDTR/STTR of V; only PRFUM */
    }
    if (a.v && !fp_access_check(dc)) {
        return true;
    }
    if (kind == 2 && dc->el == 1) {
        idx = MMU_IDX_EL0;      /* LDTR/STTR: as EL0 would */
    }
    base = tmp(dc);
    loom_ir_gen_mov_i64(ir, base, read_reg_sp(dc, rn, true));
    addr = kind == 1 ? base : addr_plus(dc, base, imm);
    gen_ldst_any(dc, &a, rt, addr, idx);
    if (kind == 1) {
        write_reg_sp(dc, rn, addr_plus(dc, base, imm), true);
    } else if (kind == 3) {
        write_reg_sp(dc, rn, addr, true);
    }
    return true;
}

/* LDR/STR (register offset) */
static bool trans_ldst_reg(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned option = extract32(insn, 13, 3);
    bool s = (insn >> 12) & 1;
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rt = insn & 31;
    LoomIRTemp off, addr;
    LdstAny a;

    if (!(option & 2) || !decode_ldst_any(dc, &a)) {
        return false;
    }
    if (a.v && !fp_access_check(dc)) {
        return true;
    }
    off = tmp(dc);
    addr = tmp(dc);
    switch (option) {
    case 2: loom_ir_gen_ext32u_i64(ir, off, read_reg(dc, rm, true)); break;    /* UXTW */
    case 6: loom_ir_gen_ext32s_i64(ir, off, read_reg(dc, rm, true)); break;    /* SXTW */
    default: loom_ir_gen_mov_i64(ir, off, read_reg(dc, rm, true)); break;      /* LSL, SXTX */
    }
    if (s && a.scale) {
        loom_ir_gen_shli_i64(ir, off, off, a.scale);
    }
    loom_ir_gen_add_i64(ir, addr, read_reg_sp(dc, rn, true), off);
    gen_ldst_any(dc, &a, rt, addr, dc->mem_idx);
    return true;
}

/* LDR (literal), LDRSW (literal), PRFM (literal) */
static bool trans_ld_lit(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    unsigned opc = extract32(insn, 30, 2);
    uint64_t addr = dc->pc + (uint64_t)(sextract64(insn, 5, 19) * 4);
    static const int mops[3] = { LOOM_MEM_UL, LOOM_MEM_UQ, LOOM_MEM_SL };
    LoomIRTemp v;

    if ((insn >> 26) & 1) {
        /* S, D, Q */
        if (opc == 3) {
            return false;
        }
        if (fp_access_check(dc)) {
            gen_ldst_v(dc, true, (int)opc + 2, insn & 31, cst(dc, addr), dc->mem_idx);
        }
        return true;
    }
    if (opc == 3) {
        return true;            /* PRFM */
    }
    v = tmp(dc);
    gen_ld(dc, v, cst(dc, addr), (unsigned)mops[opc] | dc->align, dc->mem_idx);
    write_reg(dc, insn & 31, v, true);
    return true;
}

/* LDP, STP, LDNP, STNP of S, D or Q registers: both loads happen before
   either register is written */
static bool trans_ldst_pair_v(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    unsigned opc = extract32(insn, 30, 2), kind = extract32(insn, 23, 2);
    bool load = (insn >> 22) & 1;
    int rt2 = extract32(insn, 10, 5), rn = extract32(insn, 5, 5), rt = insn & 31;
    unsigned scale = opc + 2, mop = (opc == 0 ? LOOM_MEM_UL : LOOM_MEM_UQ) | dc->align;
    int64_t off;
    LoomIRTemp base, addr, v[4];
    int nw, i;

    if (opc == 3) {
        return false;
    }
    if (!fp_access_check(dc)) {
        return true;
    }
    off = sextract64(insn, 15, 7) * (1 << scale);
    base = tmp(dc);
    loom_ir_gen_mov_i64(ctx_ir(dc), base, read_reg_sp(dc, rn, true));
    addr = kind == 1 ? base : addr_plus(dc, base, off);
    /* the 64-bit words: v[0] (and v[1] for Q) for Rt, then Rt2's */
    nw = opc == 2 ? 4 : 2;
    if (load) {
        for (i = 0; i < nw; i++) {
            v[i] = tmp(dc);
            gen_ld(dc, v[i], addr_plus(dc, addr, (opc == 2 ? 8 : 1 << scale) * i), mop, dc->mem_idx);
        }
        if (opc == 2) {
            vreg_set(dc, rt, 0, v[0]);
            vreg_set(dc, rt, 1, v[1]);
            vreg_set(dc, rt2, 0, v[2]);
            vreg_set(dc, rt2, 1, v[3]);
        } else {
            vreg_set_scalar(dc, rt, v[0]);
            vreg_set_scalar(dc, rt2, v[1]);
        }
    } else {
        for (i = 0; i < nw; i++) {
            int r = i < nw / 2 ? rt : rt2;
            int half = opc == 2 ? i & 1 : 0;

            gen_st(dc, vreg_get(dc, r, half), addr_plus(dc, addr, (opc == 2 ? 8 : 1 << scale) * i),
                   mop, dc->mem_idx);
        }
    }
    if (kind == 1) {
        write_reg_sp(dc, rn, addr_plus(dc, base, off), true);
    } else if (kind == 3) {
        write_reg_sp(dc, rn, addr, true);
    }
    return true;
}

/* LDP, STP, LDPSW, LDNP, STNP */
static bool trans_ldst_pair(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned opc = extract32(insn, 30, 2), kind = extract32(insn, 23, 2);
    bool load = (insn >> 22) & 1;
    int rt2 = extract32(insn, 10, 5), rn = extract32(insn, 5, 5), rt = insn & 31;
    bool v = (insn >> 26) & 1;
    unsigned scale, mop;
    LoomIRTemp base, addr, addr2;

    if (v) {
        return trans_ldst_pair_v(dc);
    }
    if (opc == 3 || (opc == 1 && (!load || kind == 0))) {
        return false;           /* reserved, STGP, no LDNPSW */
    }
    scale = opc == 2 ? 3 : 2;
    mop = (opc == 2 ? LOOM_MEM_UQ : opc == 1 ? LOOM_MEM_SL : LOOM_MEM_UL) | dc->align;
    base = tmp(dc);
    loom_ir_gen_mov_i64(ir, base, read_reg_sp(dc, rn, true));
    addr = kind == 1 ? base : addr_plus(dc, base, sextract64(insn, 15, 7) * (1 << scale));
    addr2 = addr_plus(dc, addr, 1 << scale);
    if (load) {
        LoomIRTemp v1 = tmp(dc), v2 = tmp(dc);

        gen_ld(dc, v1, addr, mop, dc->mem_idx);
        gen_ld(dc, v2, addr2, mop, dc->mem_idx);
        write_reg(dc, rt, v1, true);
        write_reg(dc, rt2, v2, true);
    } else {
        gen_st(dc, read_reg(dc, rt, true), addr, mop, dc->mem_idx);
        gen_st(dc, read_reg(dc, rt2, true), addr2, mop, dc->mem_idx);
    }
    if (kind == 1) {
        write_reg_sp(dc, rn, addr_plus(dc, base, sextract64(insn, 15, 7) * (1 << scale)), true);
    } else if (kind == 3) {
        write_reg_sp(dc, rn, addr, true);
    }
    return true;
}

/* ---- exclusives, acquire/release, CAS, CASP ---- */

/* LDXR, LDAXR, LDXP, LDAXP */
static void gen_load_excl(DisasContext *dc, unsigned size, bool pair, bool acq, int rt, int rt2,
                          LoomIRTemp addr)
{
    LoomIRContext *ir = ctx_ir(dc);

    if (!pair) {
        gen_ld(dc, cpu_excl_val, addr, size | LOOM_MEM_ALIGN, dc->mem_idx);
        write_reg(dc, rt, cpu_excl_val, true);
    } else if (size == 2) {
        /* two W registers: one aligned 64-bit access */
        LoomIRTemp hi = tmp(dc);

        gen_ld(dc, cpu_excl_val, addr, LOOM_MEM_UQ | LOOM_MEM_ALIGN, dc->mem_idx);
        loom_ir_gen_shri_i64(ir, hi, cpu_excl_val, 32);
        write_reg(dc, rt, cpu_excl_val, false);
        write_reg(dc, rt2, hi, false);
    } else {
        /* two X registers: the pair need not be read atomically, the
           store-exclusive's 128-bit compare-and-swap checks both */
        gen_ld(dc, cpu_excl_val, addr, LOOM_MEM_UQ | LOOM_MEM_ALIGN, dc->mem_idx);
        gen_ld(dc, cpu_excl_hi, addr_plus(dc, addr, 8), LOOM_MEM_UQ | LOOM_MEM_ALIGN,
               dc->mem_idx);
        write_reg(dc, rt, cpu_excl_val, true);
        write_reg(dc, rt2, cpu_excl_hi, true);
    }
    loom_ir_gen_mov_i64(ir, cpu_excl_addr, addr);
    if (acq) {
        loom_ir_gen_mb(ir, MO_ACQUIRE);
    }
}

/* STXR, STLXR, STXP, STLXP: Ws = 0 on success, 1 on failure */
static void gen_store_excl(DisasContext *dc, unsigned size, bool pair, int rs, int rt, int rt2,
                           LoomIRTemp addr)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRLabel fail = loom_ir_label_new(ir), done = loom_ir_label_new(ir);
    /* the status crosses labels: a global, or a TB temp for WZR */
    LoomIRTemp status = rs == 31 ? loom_ir_temp_tb_i64(ir) : cpu_x[rs];
    LoomIRTemp old = tmp(dc);

    loom_ir_gen_brcond_i64(ir, LOOM_IR_COND_NE, addr, cpu_excl_addr, fail);
    if (!pair) {
        loom_ir_gen_atomic_cmpxchg_i64(ir, old, addr, cpu_excl_val, read_reg(dc, rt, true),
                                       (LoomMemOp)(size | LOOM_MEM_ALIGN), dc->mem_idx);
        loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_NE, status, old, cpu_excl_val);
    } else if (size == 2) {
        LoomIRTemp nv = tmp(dc), hi = tmp(dc);

        loom_ir_gen_shli_i64(ir, hi, read_reg(dc, rt2, true), 32);
        loom_ir_gen_or_i64(ir, nv, read_reg(dc, rt, false), hi);
        loom_ir_gen_atomic_cmpxchg_i64(ir, old, addr, cpu_excl_val, nv,
                                       (LoomMemOp)(LOOM_MEM_UQ | LOOM_MEM_ALIGN), dc->mem_idx);
        loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_NE, status, old, cpu_excl_val);
    } else {
        LoomIRTemp oldhi = tmp(dc), t = tmp(dc);

        loom_ir_gen_atomic_cmpxchg_i128(ir, old, oldhi, addr, cpu_excl_val, cpu_excl_hi,
                                        read_reg(dc, rt, true), read_reg(dc, rt2, true),
                                        (LoomMemOp)(LOOM_MEM_UQ | LOOM_MEM_ALIGN), dc->mem_idx);
        loom_ir_gen_xor_i64(ir, t, old, cpu_excl_val);
        loom_ir_gen_xor_i64(ir, oldhi, oldhi, cpu_excl_hi);
        loom_ir_gen_or_i64(ir, t, t, oldhi);
        loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_NE, status, t, cst(dc, 0));
    }
    loom_ir_gen_br(ir, done);
    loom_ir_gen_set_label(ir, fail);
    loom_ir_gen_movi_i64(ir, status, 1);
    loom_ir_gen_set_label(ir, done);
    loom_ir_gen_movi_i64(ir, cpu_excl_addr, ~0ull);
}

/* CAS, CASA, CASL, CASAL (all sizes): Rs = the old value */
static void gen_cas(DisasContext *dc, unsigned size, int rs, int rt, LoomIRTemp addr)
{
    LoomIRTemp old = tmp(dc);

    loom_ir_gen_atomic_cmpxchg_i64(ctx_ir(dc), old, addr, read_reg(dc, rs, true),
                                   read_reg(dc, rt, true), (LoomMemOp)(size | LOOM_MEM_ALIGN),
                                   dc->mem_idx);
    write_reg(dc, rs, old, true);
}

/* CASP, CASPA, CASPL, CASPAL: <Rs, Rs+1> = old, compared with it, and
   <Rt, Rt+1> stored on a match */
static bool gen_casp(DisasContext *dc, bool x, int rs, int rt, LoomIRTemp addr)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp lo = tmp(dc), hi = tmp(dc);

    if ((rs & 1) || (rt & 1)) {
        return false;
    }
    if (x) {
        loom_ir_gen_atomic_cmpxchg_i128(ir, lo, hi, addr, read_reg(dc, rs, true),
                                        read_reg(dc, rs + 1, true), read_reg(dc, rt, true),
                                        read_reg(dc, rt + 1, true),
                                        (LoomMemOp)(LOOM_MEM_UQ | LOOM_MEM_ALIGN), dc->mem_idx);
    } else {
        LoomIRTemp cmp = tmp(dc), nv = tmp(dc), t = tmp(dc);

        loom_ir_gen_shli_i64(ir, t, read_reg(dc, rs + 1, true), 32);
        loom_ir_gen_or_i64(ir, cmp, read_reg(dc, rs, false), t);
        loom_ir_gen_shli_i64(ir, t, read_reg(dc, rt + 1, true), 32);
        loom_ir_gen_or_i64(ir, nv, read_reg(dc, rt, false), t);
        loom_ir_gen_atomic_cmpxchg_i64(ir, lo, addr, cmp, nv,
                                       (LoomMemOp)(LOOM_MEM_UQ | LOOM_MEM_ALIGN), dc->mem_idx);
        loom_ir_gen_shri_i64(ir, hi, lo, 32);
    }
    write_reg(dc, rs, lo, x);
    write_reg(dc, rs + 1, hi, x);
    return true;
}

/* Load/store exclusive, ordered, CAS, CASP: bits 29:24 = 001000 */
static bool trans_ldst_excl(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned size = extract32(insn, 30, 2);
    bool o2 = (insn >> 23) & 1, l = (insn >> 22) & 1, o1 = (insn >> 21) & 1;
    bool o0 = (insn >> 15) & 1;
    int rs = extract32(insn, 16, 5), rt2 = extract32(insn, 10, 5);
    int rn = extract32(insn, 5, 5), rt = insn & 31;
    bool lse = dc->env->model->lse;
    LoomIRTemp addr = tmp(dc);

    loom_ir_gen_mov_i64(ir, addr, read_reg_sp(dc, rn, true));
    if (!o2 && (!o1 || size >= 2)) {
        /* exclusives: LDXR/STXR (o1 = 0) and the pairs (o1 = 1, size 2 or 3) */
        if (l) {
            gen_load_excl(dc, size, o1, o0, rt, rt2, addr);
        } else {
            gen_store_excl(dc, size, o1, rs, rt, rt2, addr);
        }
        return true;
    }
    if (!o2) {
        /* o1 = 1, size 0 or 1: CASP */
        return lse && rt2 == 31 && gen_casp(dc, size & 1, rs, rt, addr);
    }
    if (!o1) {
        if (!o0) {
            return false;       /* LDLAR/STLLR: no LORegions */
        }
        if (l) {                /* LDAR */
            LoomIRTemp v = tmp(dc);

            gen_ld(dc, v, addr, size | LOOM_MEM_ALIGN, dc->mem_idx);
            loom_ir_gen_mb(ir, MO_ACQUIRE);
            write_reg(dc, rt, v, true);
        } else {                /* STLR */
            loom_ir_gen_mb(ir, MO_RELEASE);
            gen_st(dc, read_reg(dc, rt, true), addr, size | LOOM_MEM_ALIGN, dc->mem_idx);
            loom_ir_gen_mb(ir, LOOM_MO_ST_LD);
        }
        return true;
    }
    /* CAS */
    if (!lse || rt2 != 31) {
        return false;
    }
    gen_cas(dc, size, rs, rt, addr);
    return true;
}

/* ---- LSE: LD<op>, SWP, and LDAPR ---- */

static bool trans_atomic(DisasContext *dc)
{
    static const LoomIROpcode ops[8] = {
        LOOM_IR_OP_atomic_fetch_add_i64, LOOM_IR_OP_atomic_fetch_and_i64,  /* LDADD LDCLR */
        LOOM_IR_OP_atomic_fetch_xor_i64, LOOM_IR_OP_atomic_fetch_or_i64,   /* LDEOR LDSET */
        LOOM_IR_OP_atomic_fetch_smax_i64, LOOM_IR_OP_atomic_fetch_smin_i64,
        LOOM_IR_OP_atomic_fetch_umax_i64, LOOM_IR_OP_atomic_fetch_umin_i64,
    };
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned size = extract32(insn, 30, 2), opc = extract32(insn, 12, 3);
    bool a = (insn >> 23) & 1, r = (insn >> 22) & 1, o3 = (insn >> 15) & 1;
    int rs = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rt = insn & 31;
    LoomIRTemp addr = tmp(dc), old = tmp(dc), val;
    LoomIROpcode op;

    if ((insn >> 26) & 1) {
        return false;
    }
    loom_ir_gen_mov_i64(ir, addr, read_reg_sp(dc, rn, true));
    if (o3 && opc == 4) {       /* LDAPR */
        if (!a || r || rs != 31 || !dc->env->model->rcpc) {
            return false;
        }
        gen_ld(dc, old, addr, size | LOOM_MEM_ALIGN, dc->mem_idx);
        loom_ir_gen_mb(ir, MO_ACQUIRE);
        write_reg(dc, rt, old, true);
        return true;
    }
    if (!dc->env->model->lse || (o3 && opc != 0)) {
        return false;
    }
    val = read_reg(dc, rs, true);
    if (o3) {
        op = LOOM_IR_OP_atomic_xchg_i64;        /* SWP */
    } else {
        op = ops[opc];
        if (opc == 1) {                         /* LDCLR: memory & ~Rs */
            LoomIRTemp n = tmp(dc);

            loom_ir_gen_not_i64(ir, n, val);
            val = n;
        }
    }
    loom_ir_gen_atomic_rmw(ir, op, old, addr, val, (LoomMemOp)(size | LOOM_MEM_ALIGN), dc->mem_idx);
    write_reg(dc, rt, old, true);
    return true;
}

bool trans_ldst(DisasContext *dc)
{
    uint32_t insn = dc->insn;

    if ((insn & 0xbe000000) == 0x0c000000) {
        return trans_simd_ldst(dc);     /* AdvSIMD structures */
    }
    if ((insn & 0x3f000000) == 0x08000000) {
        return trans_ldst_excl(dc);
    }
    if ((insn & 0x3b000000) == 0x18000000) {
        return trans_ld_lit(dc);
    }
    if ((insn & 0x3a000000) == 0x28000000) {
        return trans_ldst_pair(dc);
    }
    if ((insn & 0x3b000000) == 0x39000000) {
        return trans_ldst_uimm(dc);
    }
    if ((insn & 0x3b000000) == 0x38000000) {
        if (!((insn >> 21) & 1)) {
            return trans_ldst_imm9(dc);
        }
        switch (extract32(insn, 10, 2)) {
        case 2:
            return trans_ldst_reg(dc);
        case 0:
            return trans_atomic(dc);
        default:
            return false;       /* pointer authentication loads */
        }
    }
    return false;
}
