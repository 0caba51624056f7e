/*
 * Legalisation: the optional IR ops (LOOM_IR_F_OPT in ir-ops.h) that a
 * back-end does not list in LoomBackendOps.optional_ops become sequences
 * of ops every back-end has.  Runs on the translating thread after the
 * optimiser and before gen_code; touches only that thread's context.
 *
 * Each expansion computes into scratch temps and moves the results to
 * the op's outputs last, so outputs may alias inputs.  Scratch temps are
 * fresh ebb temps, shared by every expansion of one run: each expansion
 * writes them before reading them and none spans a label.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

#define NB_SCRATCH 8

typedef struct Legal {
    LoomIRContext *s;
    const uint64_t *set;                /* the back-end's optional ops */
    LoomIRTemp scratch[2][NB_SCRATCH];  /* [type], 0: not allocated yet */
    unsigned used[2];
} Legal;

bool loom_ir_opset_build(const LoomBackendOps *be, uint64_t set[LOOM_IR_OPSET_WORDS], char **err)
{
    memset(set, 0, LOOM_IR_OPSET_WORDS * sizeof(uint64_t));
    for (const uint16_t *o = be->optional_ops; o && *o; o++) {
        if (!loom_ir_op_is_optional(*o)) {
            if (err) {
                *err = g_strdup_printf("its optional_ops lists %u, which is not an optional IR op "
                                       "(%s)", *o,
                                       *o < LOOM_IR_OP_COUNT ? loom_ir_op_defs[*o].name : "no such op");
            }
            return false;
        }
        set[*o / 64] |= UINT64_C(1) << (*o % 64);
    }
    return true;
}

static bool native(const Legal *L, unsigned opc)
{
    return (L->set[opc / 64] >> (opc % 64)) & 1;
}

unsigned loom_ir_legalize_cost(unsigned opc)
{
    switch (opc) {
    case LOOM_IR_OP_bswap64_i64:
    case LOOM_IR_OP_clz_i64:
        return 40;
    case LOOM_IR_OP_clz_i32:
    case LOOM_IR_OP_ctz_i32:
    case LOOM_IR_OP_ctz_i64:
    case LOOM_IR_OP_atomic_cmpxchg_i128:
        return 24;
    default:
        return 16;
    }
}

static LoomIRTemp scratch(Legal *L, LoomIRType ty)
{
    LoomIRTemp *t;

    if (L->used[ty] >= NB_SCRATCH) {
        loom_fatal("internal error: legalising an IR op needs more than %d scratch temps",
                   NB_SCRATCH);
    }
    t = &L->scratch[ty][L->used[ty]++];
    if (!*t) {
        *t = loom_ir_temp_fresh(L->s, ty);
    }
    return *t;
}

/* The i32 or i64 form of an op: the i64 form directly follows (ABI-ORDER
   in ir-ops.h: every pair below is declared _i32 then _i64). */
#define OPW(name, is64) ((LoomIROpcode)(LOOM_IR_OP_##name##_i32 + ((is64) ? 1 : 0)))

typedef struct W {
    Legal *L;
    LoomIRContext *s;
    bool is64;
    LoomIRType ty;
    unsigned bits;
} W;

static LoomIRTemp cst(W *w, uint64_t v)
{
    return loom_ir_const(w->s, w->ty, v);
}

static LoomIRTemp tmp(W *w)
{
    return scratch(w->L, w->ty);
}

static void bin(W *w, LoomIROpcode op32, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b)
{
    loom_ir_op3(w->s, (LoomIROpcode)(op32 + w->is64), d, a, b);
}

static void un(W *w, LoomIROpcode op32, LoomIRTemp d, LoomIRTemp a)
{
    loom_ir_op2(w->s, (LoomIROpcode)(op32 + w->is64), d, a);
}

static void mov(W *w, LoomIRTemp d, LoomIRTemp a)
{
    un(w, LOOM_IR_OP_mov_i32, d, a);
}

static uint64_t ones(unsigned len)
{
    return len >= 64 ? UINT64_MAX : (UINT64_C(1) << len) - 1;
}

/* x = population count of x, in place (x is a scratch temp) */
static void popcount(W *w, LoomIRTemp x)
{
    LoomIRTemp t = tmp(w), u = tmp(w);
    uint64_t m1 = UINT64_C(0x5555555555555555), m2 = UINT64_C(0x3333333333333333);
    uint64_t m4 = UINT64_C(0x0f0f0f0f0f0f0f0f), h01 = UINT64_C(0x0101010101010101);

    if (native(w->L, OPW(ctpop, w->is64))) {
        un(w, LOOM_IR_OP_ctpop_i32, x, x);
        return;
    }
    bin(w, LOOM_IR_OP_shr_i32, t, x, cst(w, 1));
    bin(w, LOOM_IR_OP_and_i32, t, t, cst(w, m1));
    bin(w, LOOM_IR_OP_sub_i32, x, x, t);
    bin(w, LOOM_IR_OP_and_i32, t, x, cst(w, m2));
    bin(w, LOOM_IR_OP_shr_i32, u, x, cst(w, 2));
    bin(w, LOOM_IR_OP_and_i32, u, u, cst(w, m2));
    bin(w, LOOM_IR_OP_add_i32, x, t, u);
    bin(w, LOOM_IR_OP_shr_i32, t, x, cst(w, 4));
    bin(w, LOOM_IR_OP_add_i32, x, x, t);
    bin(w, LOOM_IR_OP_and_i32, x, x, cst(w, m4));
    bin(w, LOOM_IR_OP_mul_i32, x, x, cst(w, h01));
    bin(w, LOOM_IR_OP_shr_i32, x, x, cst(w, w->bits - 8));
}

/* r = the low `bytes` bytes of a in reverse order, zero-extended */
static void byteswap(W *w, LoomIRTemp r, LoomIRTemp a, unsigned bytes)
{
    LoomIRTemp t = tmp(w);

    for (unsigned k = 0; k < bytes; k++) {
        int sh = (int)(8 * (bytes - 1 - k)) - (int)(8 * k);   /* where byte k goes */
        LoomIRTemp dst = k ? t : r;
        if (sh > 0) {
            bin(w, LOOM_IR_OP_and_i32, dst, a, cst(w, UINT64_C(0xff) << (8 * k)));
            bin(w, LOOM_IR_OP_shl_i32, dst, dst, cst(w, (uint64_t)sh));
        } else {
            bin(w, LOOM_IR_OP_shr_i32, dst, a, cst(w, (uint64_t)-sh));
            bin(w, LOOM_IR_OP_and_i32, dst, dst, cst(w, UINT64_C(0xff) << (8 * (bytes - 1 - k))));
        }
        if (k) {
            bin(w, LOOM_IR_OP_or_i32, r, r, t);
        }
    }
}

/* The atomic_cmpxchg_i128 a back-end without it sees only where no other
   vCPU runs (ir-ops.h): two loads, a compare, two stores. */
static uint64_t helper_align16(void *env, uint64_t addr, uint64_t mmu_idx, uint64_t a2,
                               uint64_t a3, uint64_t a4, uint64_t a5)
{
    LoomCPU *cpu = loom_env_cpu(env);

    (void)a2, (void)a3, (void)a4, (void)a5;
    if (addr & 15) {
        cpu->machine->fe->do_unaligned_access(cpu, addr, LOOM_ACCESS_STORE, (int)mmu_idx,
                                              LOOM_GETPC());
        loom_fatal("internal error: front-end returned from do_unaligned_access");
    }
    return 0;
}

static const LoomIRHelper align16_helper = {
    helper_align16, "align16", LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS,
};

static void cmpxchg128(W *w, const LoomIROp *op)
{
    const LoomIRArg *a = op->args;
    unsigned memop = (unsigned)a[7], mop = LOOM_MEM_64 | (memop & LOOM_MEM_BE);
    int idx = (int)a[8];
    LoomIRTemp addr2 = tmp(w), lo = tmp(w), hi = tmp(w), eq = tmp(w), t = tmp(w);
    LoomIRTemp nlo = tmp(w), nhi = tmp(w);
    LoomIRTemp first, second;

    if (memop & LOOM_MEM_ALIGN) {
        LoomIRTemp av[2] = { (LoomIRTemp)a[2], loom_ir_const_i64(w->s, (uint64_t)idx) };
        loom_ir_gen_call(w->s, &align16_helper, LOOM_IR_NO_RET, 2, av);
    }
    bin(w, LOOM_IR_OP_add_i32, addr2, (LoomIRTemp)a[2], cst(w, 8));
    /* little-endian: the low half first; big-endian: the high half */
    first = (memop & LOOM_MEM_BE) ? addr2 : (LoomIRTemp)a[2];
    second = (memop & LOOM_MEM_BE) ? (LoomIRTemp)a[2] : addr2;
    loom_ir_gen_qemu_ld_i64(w->s, lo, first, mop, idx);
    loom_ir_gen_qemu_ld_i64(w->s, hi, second, mop, idx);
    loom_ir_gen_setcond_i64(w->s, LOOM_IR_COND_EQ, eq, lo, (LoomIRTemp)a[3]);
    loom_ir_gen_setcond_i64(w->s, LOOM_IR_COND_EQ, t, hi, (LoomIRTemp)a[4]);
    loom_ir_gen_and_i64(w->s, eq, eq, t);
    /* a failed compare writes the old value back: nobody else runs */
    loom_ir_gen_movcond_i64(w->s, LOOM_IR_COND_NE, nlo, eq, cst(w, 0), (LoomIRTemp)a[5], lo);
    loom_ir_gen_movcond_i64(w->s, LOOM_IR_COND_NE, nhi, eq, cst(w, 0), (LoomIRTemp)a[6], hi);
    loom_ir_gen_qemu_st_i64(w->s, nlo, first, mop, idx);
    loom_ir_gen_qemu_st_i64(w->s, nhi, second, mop, idx);
    mov(w, (LoomIRTemp)a[0], lo);
    mov(w, (LoomIRTemp)a[1], hi);
}

static void expand(Legal *L, const LoomIROp *op)
{
    unsigned opc = op->opc;
    W w = { .L = L, .s = L->s, .is64 = (loom_ir_op_defs[opc].flags & LOOM_IR_F_64) != 0 };
    const LoomIRArg *a = op->args;
    LoomIRTemp d = (LoomIRTemp)a[0];
    LoomIRTemp r, t, u;

    w.ty = w.is64 ? LOOM_IR_I64 : LOOM_IR_I32;
    w.bits = w.is64 ? 64 : 32;
    L->used[0] = L->used[1] = 0;
    switch (opc) {
    case LOOM_IR_OP_andc_i32: case LOOM_IR_OP_andc_i64:
    case LOOM_IR_OP_orc_i32: case LOOM_IR_OP_orc_i64:
        t = tmp(&w);
        un(&w, LOOM_IR_OP_not_i32, t, (LoomIRTemp)a[2]);
        bin(&w, (opc <= LOOM_IR_OP_andc_i64) ? LOOM_IR_OP_and_i32 : LOOM_IR_OP_or_i32,
            d, (LoomIRTemp)a[1], t);
        break;
    case LOOM_IR_OP_rotl_i32: case LOOM_IR_OP_rotl_i64:
    case LOOM_IR_OP_rotr_i32: case LOOM_IR_OP_rotr_i64: {
        /* counts are taken modulo the width, so -n is width - n, and a
           count of 0 ors a with itself */
        bool left = opc <= LOOM_IR_OP_rotl_i64;
        r = tmp(&w), t = tmp(&w), u = tmp(&w);
        bin(&w, left ? LOOM_IR_OP_shl_i32 : LOOM_IR_OP_shr_i32, r, (LoomIRTemp)a[1], (LoomIRTemp)a[2]);
        un(&w, LOOM_IR_OP_neg_i32, t, (LoomIRTemp)a[2]);
        bin(&w, left ? LOOM_IR_OP_shr_i32 : LOOM_IR_OP_shl_i32, u, (LoomIRTemp)a[1], t);
        bin(&w, LOOM_IR_OP_or_i32, d, r, u);
        break;
    }
    case LOOM_IR_OP_ctpop_i32: case LOOM_IR_OP_ctpop_i64:
        r = tmp(&w);
        mov(&w, r, (LoomIRTemp)a[1]);
        popcount(&w, r);
        mov(&w, d, r);
        break;
    case LOOM_IR_OP_ctz_i32: case LOOM_IR_OP_ctz_i64:
        /* the ones below the lowest set bit: all of them for 0 */
        r = tmp(&w);
        un(&w, LOOM_IR_OP_neg_i32, r, (LoomIRTemp)a[1]);
        bin(&w, LOOM_IR_OP_and_i32, r, r, (LoomIRTemp)a[1]);
        bin(&w, LOOM_IR_OP_sub_i32, r, r, cst(&w, 1));
        popcount(&w, r);
        mov(&w, d, r);
        break;
    case LOOM_IR_OP_clz_i32: case LOOM_IR_OP_clz_i64:
        /* smear the top set bit down; the zeros left are the count */
        r = tmp(&w), t = tmp(&w);
        mov(&w, r, (LoomIRTemp)a[1]);
        for (unsigned sh = 1; sh < w.bits; sh <<= 1) {
            bin(&w, LOOM_IR_OP_shr_i32, t, r, cst(&w, sh));
            bin(&w, LOOM_IR_OP_or_i32, r, r, t);
        }
        un(&w, LOOM_IR_OP_not_i32, r, r);
        popcount(&w, r);
        mov(&w, d, r);
        break;
    case LOOM_IR_OP_bswap16_i32: case LOOM_IR_OP_bswap16_i64:
    case LOOM_IR_OP_bswap32_i32: case LOOM_IR_OP_bswap32_i64:
    case LOOM_IR_OP_bswap64_i64: {
        unsigned bytes = (opc == LOOM_IR_OP_bswap16_i32 || opc == LOOM_IR_OP_bswap16_i64) ? 2 :
                         opc == LOOM_IR_OP_bswap64_i64 ? 8 : 4;
        r = tmp(&w);
        byteswap(&w, r, (LoomIRTemp)a[1], bytes);
        mov(&w, d, r);
        break;
    }
    case LOOM_IR_OP_extract_i32: case LOOM_IR_OP_extract_i64: {
        unsigned pos = (unsigned)a[2], len = (unsigned)a[3];
        r = tmp(&w);
        bin(&w, LOOM_IR_OP_shr_i32, r, (LoomIRTemp)a[1], cst(&w, pos));
        if (pos + len < w.bits) {
            bin(&w, LOOM_IR_OP_and_i32, r, r, cst(&w, ones(len)));
        }
        mov(&w, d, r);
        break;
    }
    case LOOM_IR_OP_sextract_i32: case LOOM_IR_OP_sextract_i64: {
        unsigned pos = (unsigned)a[2], len = (unsigned)a[3];
        r = tmp(&w);
        bin(&w, LOOM_IR_OP_shl_i32, r, (LoomIRTemp)a[1], cst(&w, w.bits - pos - len));
        bin(&w, LOOM_IR_OP_sar_i32, r, r, cst(&w, w.bits - len));
        mov(&w, d, r);
        break;
    }
    case LOOM_IR_OP_deposit_i32: case LOOM_IR_OP_deposit_i64: {
        unsigned pos = (unsigned)a[3], len = (unsigned)a[4];
        uint64_t mask = ones(len) << pos;
        r = tmp(&w), t = tmp(&w);
        bin(&w, LOOM_IR_OP_shl_i32, t, (LoomIRTemp)a[2], cst(&w, pos));
        bin(&w, LOOM_IR_OP_and_i32, t, t, cst(&w, mask));
        bin(&w, LOOM_IR_OP_and_i32, r, (LoomIRTemp)a[1], cst(&w, ~mask));
        bin(&w, LOOM_IR_OP_or_i32, r, r, t);
        mov(&w, d, r);
        break;
    }
    case LOOM_IR_OP_addc_i32: case LOOM_IR_OP_addc_i64:
    case LOOM_IR_OP_subb_i32: case LOOM_IR_OP_subb_i64: {
        /* two steps, each carrying (or borrowing) at most once */
        bool add = opc <= LOOM_IR_OP_addc_i64;
        LoomIRTemp x = (LoomIRTemp)a[2], y = (LoomIRTemp)a[3];
        LoomIRTemp c = tmp(&w), c1 = tmp(&w);
        r = tmp(&w), t = tmp(&w);
        bin(&w, LOOM_IR_OP_and_i32, c, (LoomIRTemp)a[4], cst(&w, 1));
        if (add) {
            bin(&w, LOOM_IR_OP_add_i32, t, x, y);
            loom_ir_op4(w.s, OPW(setcond, w.is64), c1, t, x, LOOM_IR_COND_LTU);
            bin(&w, LOOM_IR_OP_add_i32, r, t, c);
            loom_ir_op4(w.s, OPW(setcond, w.is64), c, r, t, LOOM_IR_COND_LTU);
        } else {
            bin(&w, LOOM_IR_OP_sub_i32, t, x, y);
            loom_ir_op4(w.s, OPW(setcond, w.is64), c1, x, y, LOOM_IR_COND_LTU);
            bin(&w, LOOM_IR_OP_sub_i32, r, t, c);
            u = tmp(&w);
            loom_ir_op4(w.s, OPW(setcond, w.is64), u, t, c, LOOM_IR_COND_LTU);
            mov(&w, c, u);
        }
        bin(&w, LOOM_IR_OP_or_i32, c, c, c1);
        mov(&w, d, r);
        mov(&w, (LoomIRTemp)a[1], c);
        break;
    }
    case LOOM_IR_OP_mulu2_i32: case LOOM_IR_OP_mulu2_i64:
    case LOOM_IR_OP_muls2_i32: case LOOM_IR_OP_muls2_i64:
        r = tmp(&w), t = tmp(&w);
        bin(&w, LOOM_IR_OP_mul_i32, r, (LoomIRTemp)a[2], (LoomIRTemp)a[3]);
        bin(&w, opc <= LOOM_IR_OP_mulu2_i64 ? LOOM_IR_OP_muluh_i32 : LOOM_IR_OP_mulsh_i32,
            t, (LoomIRTemp)a[2], (LoomIRTemp)a[3]);
        mov(&w, d, r);
        mov(&w, (LoomIRTemp)a[1], t);
        break;
    case LOOM_IR_OP_atomic_cmpxchg_i128:
        cmpxchg128(&w, op);
        break;
    default:
        loom_fatal("internal error: no legalisation for IR op %s", loom_ir_op_defs[opc].name);
    }
}

void loom_ir_legalize(LoomIRContext *s, const LoomBackendOps *be)
{
    uint64_t set[LOOM_IR_OPSET_WORDS];
    Legal L = { .s = s, .set = set };
    uint32_t first, n = s->nb_ops;
    LoomIROp *old;

    if (!loom_ir_opset_build(be, set, NULL)) {
        memset(set, 0, sizeof(set));    /* refused at load (plugin.c) */
    }
    for (first = 0; first < n; first++) {
        unsigned opc = s->ops[first].opc;
        if (loom_ir_op_is_optional(opc) && !native(&L, opc)) {
            break;
        }
    }
    if (first == n) {
        return;
    }
    /* re-emit the rest: copied ops as they are, expansions through
       loom_ir_emit (the memorder pass has run: nothing is added) */
    old = g_new(LoomIROp, n - first);
    memcpy(old, &s->ops[first], (n - first) * sizeof(LoomIROp));
    s->nb_ops = first;
    for (uint32_t i = 0; i < n - first; i++) {
        const LoomIROp *op = &old[i];
        if (loom_ir_op_is_optional(op->opc) && !native(&L, op->opc)) {
            expand(&L, op);
        } else {
            if (s->nb_ops >= LOOM_IR_MAX_OPS) {
                loom_fatal("internal error: IR op limit (%d) exceeded by legalisation",
                           LOOM_IR_MAX_OPS);
            }
            s->ops[s->nb_ops++] = *op;
        }
    }
    g_free(old);
}
