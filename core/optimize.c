/*
 * The IR optimiser: runs on every TB between the front-end and the
 * back-end (tb_gen_code), independent of both.
 *
 * Two passes over the op list, then compaction:
 *  1. forward: constant folding and propagation, copy propagation,
 *     algebraic identities, known-bits facts (which bits may be non-zero,
 *     how far a value is sign-extended) that remove redundant extensions
 *     and masks, brcond with a known outcome made a br or removed, code
 *     after an unconditional exit removed up to the next label, labels no
 *     branch targets removed, adjacent mb ops merged;
 *  2. backward: liveness, removing ops whose results nobody reads.
 *
 * Invariants (what keeps the guest-visible state bit-identical):
 *  - Facts hold within an extended basic block: they are all dropped at
 *    every label some branch still targets, so only straight-line and
 *    fall-through knowledge is used.
 *  - A copy records the version of its source; every definition of a temp
 *    bumps its version, so a copy of a since-redefined temp is never used.
 *  - Globals are forgotten after anything that may write guest state
 *    behind the IR's back: calls without LOOM_IR_CALL_NO_WRITE_GLOBALS, and
 *    sth_i64 that may alias a global's storage.
 *  - Liveness: exits, goto_tb, ops that may fault (LOOM_IR_F_MEM), calls that
 *    read globals or may raise, and ldh_i64 that may alias a global all
 *    read every global; branches and labels read every global and tb
 *    temp.  ebb temps die at labels, except ones the front-end reads
 *    across a label (detected, and then treated like tb temps).
 *  - Never removed: LOOM_IR_F_SIDE, LOOM_IR_F_MEM and block-ending ops (except in
 *    unreachable code), insn_start (the unwind data), and calls unless
 *    both LOOM_IR_CALL_NO_SIDE_EFFECTS and LOOM_IR_CALL_NO_RAISE.
 *  - New constants are only made while the context has temps to spare.
 *
 * Threading: runs on the translating vCPU thread on its own context; the
 * only shared state is loom_ir_opt_enabled, written once at startup.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

/* Set by -accel tcg,opt=off before any vCPU runs; read-only afterwards. */
bool loom_ir_opt_enabled = true;

#define NO_TEMP UINT32_MAX
#define SET_WORDS (LOOM_IR_MAX_TEMPS / 64)

typedef uint64_t TempSet[SET_WORDS];

/* What is known about a temp's current value. */
typedef struct TempFacts {
    uint32_t epoch;             /* the facts below hold iff == OptState.epoch */
    uint32_t version;           /* bumped by every definition, never reset */
    uint32_t copy;              /* NO_TEMP, or a temp holding the same value */
    uint32_t copy_version;      /* copy's version when the copy was made */
    bool is_const;
    uint8_t sbits;              /* value = sign extension of its low sbits bits */
    uint64_t val;               /* when is_const */
    uint64_t nz;                /* bits that may be non-zero */
} TempFacts;

typedef struct OptState {
    LoomIRContext *s;
    uint32_t epoch;
    uint32_t nb_globals;
    TempFacts t[LOOM_IR_MAX_TEMPS];
    uint32_t *label_refs;       /* branches to each label still present */
} OptState;

static inline uint64_t type_mask(unsigned type)
{
    return type == LOOM_IR_I32 ? UINT32_MAX : UINT64_MAX;
}

static inline unsigned type_bits(unsigned type)
{
    return type == LOOM_IR_I32 ? 32 : 64;
}

static inline unsigned ttype(const OptState *st, LoomIRTemp t)
{
    return st->s->temps[t].type;
}

static inline unsigned tkind(const OptState *st, LoomIRTemp t)
{
    return st->s->temps[t].kind;
}

/* Smallest n such that v (a `bits`-wide value) is the sign extension of
   its low n bits. */
static unsigned const_sbits(uint64_t v, unsigned bits)
{
    int64_t x = bits == 32 ? (int64_t)(int32_t)v : (int64_t)v;

    if (x < 0) {
        x = ~x;
    }
    return x ? 64 - (unsigned)__builtin_clzll((uint64_t)x) + 1 : 1;
}

static inline bool facts_valid(const OptState *st, LoomIRTemp t)
{
    return st->t[t].epoch == st->epoch;
}

static bool get_const(const OptState *st, LoomIRTemp t, uint64_t *v)
{
    if (tkind(st, t) == LOOM_IR_TEMP_CONST) {
        *v = st->s->temps[t].val;
        return true;
    }
    if (tkind(st, t) != LOOM_IR_TEMP_ENV && facts_valid(st, t) && st->t[t].is_const) {
        *v = st->t[t].val;
        return true;
    }
    return false;
}

static uint64_t get_nz(const OptState *st, LoomIRTemp t)
{
    uint64_t c;

    if (get_const(st, t, &c)) {
        return c;
    }
    if (tkind(st, t) != LOOM_IR_TEMP_ENV && facts_valid(st, t)) {
        return st->t[t].nz;
    }
    return type_mask(ttype(st, t));
}

static unsigned get_sbits(const OptState *st, LoomIRTemp t)
{
    uint64_t c;

    if (get_const(st, t, &c)) {
        return const_sbits(c, type_bits(ttype(st, t)));
    }
    if (tkind(st, t) != LOOM_IR_TEMP_ENV && facts_valid(st, t)) {
        return st->t[t].sbits;
    }
    return type_bits(ttype(st, t));
}

/* Room for one more constant temp? */
static inline bool can_make_const(const OptState *st)
{
    return st->s->nb_temps < LOOM_IR_MAX_TEMPS - 1;
}

/* The temp a use of t should read: a constant or the copy's source. */
static LoomIRTemp resolve(OptState *st, LoomIRTemp t)
{
    const TempFacts *f = &st->t[t];
    uint64_t c;

    if (tkind(st, t) == LOOM_IR_TEMP_CONST || tkind(st, t) == LOOM_IR_TEMP_ENV || !facts_valid(st, t)) {
        return t;
    }
    if (f->is_const) {
        return can_make_const(st) ? loom_ir_const(st->s, (LoomIRType)ttype(st, t), f->val) : t;
    }
    if (f->copy != NO_TEMP && st->t[f->copy].version == f->copy_version) {
        if (get_const(st, f->copy, &c) && can_make_const(st)) {
            return loom_ir_const(st->s, (LoomIRType)ttype(st, t), c);
        }
        return f->copy;
    }
    return t;
}

/* t gets a new value about which nothing is known yet. */
static TempFacts *define(OptState *st, LoomIRTemp t)
{
    TempFacts *f = &st->t[t];

    f->version++;
    f->epoch = st->epoch;
    f->is_const = false;
    f->copy = NO_TEMP;
    f->nz = type_mask(ttype(st, t));
    f->sbits = (uint8_t)type_bits(ttype(st, t));
    return f;
}

static void define_const(OptState *st, LoomIRTemp t, uint64_t v)
{
    TempFacts *f = define(st, t);

    v &= type_mask(ttype(st, t));
    f->is_const = true;
    f->val = v;
    f->nz = v;
    f->sbits = (uint8_t)const_sbits(v, type_bits(ttype(st, t)));
}

/* Guest state may have changed behind the IR's back. */
static void forget_globals(OptState *st)
{
    for (uint32_t g = 1; g < st->nb_globals; g++) {
        st->t[g].version++;
        st->t[g].epoch = 0;
    }
}

/* Does [ofs, ofs + size) of env overlap a global's 8 bytes? */
static bool env_range_has_global(const OptState *st, LoomIRTemp base, uint64_t ofs, unsigned size)
{
    int64_t lo = (int64_t)ofs;

    if (base != LOOM_IR_ENV) {
        return true;
    }
    for (uint32_t g = 1; g < st->nb_globals; g++) {
        int64_t go = st->s->temps[g].env_offset;
        if (st->s->temps[g].kind == LOOM_IR_TEMP_GLOBAL && lo < go + 8 && go < lo + (int64_t)size) {
            return true;
        }
    }
    return false;
}

/* ---- evaluation, with the IR's exact semantics ---- */

static bool eval_cond(unsigned cond, bool is64, uint64_t x, uint64_t y)
{
    int64_t sx = is64 ? (int64_t)x : (int64_t)(int32_t)x;
    int64_t sy = is64 ? (int64_t)y : (int64_t)(int32_t)y;

    if (!is64) {
        x = (uint32_t)x;
        y = (uint32_t)y;
    }
    switch (cond) {
    case LOOM_IR_COND_ALWAYS: return true;
    case LOOM_IR_COND_EQ: return x == y;
    case LOOM_IR_COND_NE: return x != y;
    case LOOM_IR_COND_LT: return sx < sy;
    case LOOM_IR_COND_GE: return sx >= sy;
    case LOOM_IR_COND_LE: return sx <= sy;
    case LOOM_IR_COND_GT: return sx > sy;
    case LOOM_IR_COND_LTU: return x < y;
    case LOOM_IR_COND_GEU: return x >= y;
    case LOOM_IR_COND_LEU: return x <= y;
    case LOOM_IR_COND_GTU: return x > y;
    default: return false;
    }
}

/* Outcome of comparing a value with itself. */
static bool cond_self(unsigned cond)
{
    switch (cond) {
    case LOOM_IR_COND_ALWAYS: case LOOM_IR_COND_EQ: case LOOM_IR_COND_GE: case LOOM_IR_COND_LE:
    case LOOM_IR_COND_GEU: case LOOM_IR_COND_LEU:
        return true;
    default:
        return false;
    }
}

static uint64_t rotl64(uint64_t x, unsigned s) { s &= 63; return s ? (x << s) | (x >> (64 - s)) : x; }
static uint32_t rotl32(uint32_t x, unsigned s) { s &= 31; return s ? (x << s) | (x >> (32 - s)) : x; }

/* Two-input arithmetic and logic; false if opc is not one of them. */
static bool eval_binary(unsigned opc, uint64_t x, uint64_t y, uint64_t *r)
{
    uint32_t a = (uint32_t)x, b = (uint32_t)y;

    switch (opc) {
    case LOOM_IR_OP_add_i32: *r = (uint32_t)(a + b); break;
    case LOOM_IR_OP_add_i64: *r = x + y; break;
    case LOOM_IR_OP_sub_i32: *r = (uint32_t)(a - b); break;
    case LOOM_IR_OP_sub_i64: *r = x - y; break;
    case LOOM_IR_OP_mul_i32: *r = (uint32_t)(a * b); break;
    case LOOM_IR_OP_mul_i64: *r = x * y; break;
    case LOOM_IR_OP_mulsh_i32:
        *r = (uint32_t)((uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b) >> 32);
        break;
    case LOOM_IR_OP_mulsh_i64:
        *r = (uint64_t)((unsigned __int128)((__int128)(int64_t)x * (int64_t)y) >> 64);
        break;
    case LOOM_IR_OP_muluh_i32: *r = (uint32_t)(((uint64_t)a * b) >> 32); break;
    case LOOM_IR_OP_muluh_i64: *r = (uint64_t)(((unsigned __int128)x * y) >> 64); break;
    case LOOM_IR_OP_mulsuh_i32:
        *r = (uint32_t)((uint64_t)((int64_t)(int32_t)a * (int64_t)b) >> 32);
        break;
    case LOOM_IR_OP_mulsuh_i64:
        *r = (uint64_t)((unsigned __int128)((__int128)(int64_t)x * (__int128)y) >> 64);
        break;
    case LOOM_IR_OP_div_i32:
        *r = b == 0 ? UINT32_MAX : (a == 0x80000000u && b == UINT32_MAX) ? a
             : (uint32_t)((int32_t)a / (int32_t)b);
        break;
    case LOOM_IR_OP_div_i64:
        *r = y == 0 ? UINT64_MAX : (x == (1ull << 63) && y == UINT64_MAX) ? x
             : (uint64_t)((int64_t)x / (int64_t)y);
        break;
    case LOOM_IR_OP_divu_i32: *r = b ? a / b : UINT32_MAX; break;
    case LOOM_IR_OP_divu_i64: *r = y ? x / y : UINT64_MAX; break;
    case LOOM_IR_OP_rem_i32:
        *r = b == 0 ? a : (a == 0x80000000u && b == UINT32_MAX) ? 0
             : (uint32_t)((int32_t)a % (int32_t)b);
        break;
    case LOOM_IR_OP_rem_i64:
        *r = y == 0 ? x : (x == (1ull << 63) && y == UINT64_MAX) ? 0
             : (uint64_t)((int64_t)x % (int64_t)y);
        break;
    case LOOM_IR_OP_remu_i32: *r = b ? a % b : a; break;
    case LOOM_IR_OP_remu_i64: *r = y ? x % y : x; break;
    case LOOM_IR_OP_and_i32: *r = a & b; break;
    case LOOM_IR_OP_and_i64: *r = x & y; break;
    case LOOM_IR_OP_or_i32: *r = a | b; break;
    case LOOM_IR_OP_or_i64: *r = x | y; break;
    case LOOM_IR_OP_xor_i32: *r = a ^ b; break;
    case LOOM_IR_OP_xor_i64: *r = x ^ y; break;
    case LOOM_IR_OP_andc_i32: *r = a & ~b; break;
    case LOOM_IR_OP_andc_i64: *r = x & ~y; break;
    case LOOM_IR_OP_orc_i32: *r = (uint32_t)(a | ~b); break;
    case LOOM_IR_OP_orc_i64: *r = x | ~y; break;
    case LOOM_IR_OP_shl_i32: *r = (uint32_t)(a << (b & 31)); break;
    case LOOM_IR_OP_shl_i64: *r = x << (y & 63); break;
    case LOOM_IR_OP_shr_i32: *r = a >> (b & 31); break;
    case LOOM_IR_OP_shr_i64: *r = x >> (y & 63); break;
    case LOOM_IR_OP_sar_i32: *r = (uint32_t)((int32_t)a >> (b & 31)); break;
    case LOOM_IR_OP_sar_i64: *r = (uint64_t)((int64_t)x >> (y & 63)); break;
    case LOOM_IR_OP_rotl_i32: *r = rotl32(a, b); break;
    case LOOM_IR_OP_rotl_i64: *r = rotl64(x, (unsigned)y); break;
    case LOOM_IR_OP_rotr_i32: *r = rotl32(a, (32 - (b & 31)) & 31); break;
    case LOOM_IR_OP_rotr_i64: *r = rotl64(x, (unsigned)(64 - (y & 63)) & 63); break;
    default: return false;
    }
    return true;
}

/* One-input ops (moves, bit counts, extensions); false if not one. */
static bool eval_unary(unsigned opc, uint64_t x, uint64_t *r)
{
    uint32_t a = (uint32_t)x;

    switch (opc) {
    case LOOM_IR_OP_mov_i32: *r = a; break;
    case LOOM_IR_OP_mov_i64: *r = x; break;
    case LOOM_IR_OP_neg_i32: *r = (uint32_t)-a; break;
    case LOOM_IR_OP_neg_i64: *r = -x; break;
    case LOOM_IR_OP_not_i32: *r = (uint32_t)~a; break;
    case LOOM_IR_OP_not_i64: *r = ~x; break;
    case LOOM_IR_OP_clz_i32: *r = a ? (uint64_t)__builtin_clz(a) : 32; break;
    case LOOM_IR_OP_clz_i64: *r = x ? (uint64_t)__builtin_clzll(x) : 64; break;
    case LOOM_IR_OP_ctz_i32: *r = a ? (uint64_t)__builtin_ctz(a) : 32; break;
    case LOOM_IR_OP_ctz_i64: *r = x ? (uint64_t)__builtin_ctzll(x) : 64; break;
    case LOOM_IR_OP_ctpop_i32: *r = (uint64_t)__builtin_popcount(a); break;
    case LOOM_IR_OP_ctpop_i64: *r = (uint64_t)__builtin_popcountll(x); break;
    case LOOM_IR_OP_bswap32_i32: *r = __builtin_bswap32(a); break;
    case LOOM_IR_OP_bswap64_i64: *r = __builtin_bswap64(x); break;
    case LOOM_IR_OP_bswap16_i32: case LOOM_IR_OP_bswap16_i64: *r = __builtin_bswap16((uint16_t)x); break;
    case LOOM_IR_OP_bswap32_i64: *r = __builtin_bswap32(a); break;
    case LOOM_IR_OP_ext8s_i32: *r = (uint32_t)(int32_t)(int8_t)a; break;
    case LOOM_IR_OP_ext8u_i32: *r = (uint8_t)a; break;
    case LOOM_IR_OP_ext16s_i32: *r = (uint32_t)(int32_t)(int16_t)a; break;
    case LOOM_IR_OP_ext16u_i32: *r = (uint16_t)a; break;
    case LOOM_IR_OP_ext8s_i64: *r = (uint64_t)(int64_t)(int8_t)x; break;
    case LOOM_IR_OP_ext8u_i64: *r = (uint8_t)x; break;
    case LOOM_IR_OP_ext16s_i64: *r = (uint64_t)(int64_t)(int16_t)x; break;
    case LOOM_IR_OP_ext16u_i64: *r = (uint16_t)x; break;
    case LOOM_IR_OP_ext32s_i64: case LOOM_IR_OP_exts_i32_i64: *r = (uint64_t)(int64_t)(int32_t)x; break;
    case LOOM_IR_OP_ext32u_i64: case LOOM_IR_OP_extu_i32_i64: *r = (uint32_t)x; break;
    case LOOM_IR_OP_extrl_i64_i32: *r = (uint32_t)x; break;
    case LOOM_IR_OP_extrh_i64_i32: *r = x >> 32; break;
    default: return false;
    }
    return true;
}

static inline uint64_t field_ones(unsigned len)
{
    return len >= 64 ? UINT64_MAX : (UINT64_C(1) << len) - 1;
}

/* extract, sextract (x; pos len) and deposit (x y; pos len) of width bits,
   as ir-ops.h defines them (loom_ir_emit checked pos and len). */
static uint64_t eval_field(unsigned opc, unsigned bits, uint64_t x, uint64_t y, unsigned pos,
                           unsigned len)
{
    uint64_t m = field_ones(len);

    switch (opc) {
    case LOOM_IR_OP_extract_i32: case LOOM_IR_OP_extract_i64:
        return (x >> pos) & m;
    case LOOM_IR_OP_sextract_i32: case LOOM_IR_OP_sextract_i64:
        return (uint64_t)((int64_t)(x << (64 - pos - len)) >> (64 - len)) & field_ones(bits);
    default:
        return ((x & ~(m << pos)) | ((y & m) << pos)) & field_ones(bits);
    }
}

/* For a same-type extension op: (width, signed); 0 width if not one. */
static unsigned ext_info(unsigned opc, bool *is_signed)
{
    *is_signed = false;
    switch (opc) {
    case LOOM_IR_OP_ext8s_i32: case LOOM_IR_OP_ext8s_i64: *is_signed = true; /* fall through */
    case LOOM_IR_OP_ext8u_i32: case LOOM_IR_OP_ext8u_i64: return 8;
    case LOOM_IR_OP_ext16s_i32: case LOOM_IR_OP_ext16s_i64: *is_signed = true; /* fall through */
    case LOOM_IR_OP_ext16u_i32: case LOOM_IR_OP_ext16u_i64: return 16;
    case LOOM_IR_OP_ext32s_i64: *is_signed = true; /* fall through */
    case LOOM_IR_OP_ext32u_i64: return 32;
    default: return 0;
    }
}

/* ---- rewriting ---- */

static void make_nop(LoomIROp *op)
{
    op->opc = LOOM_IR_OP_nop;
    op->nout = op->nin = op->ncon = 0;
}

static void make_mov(OptState *st, LoomIROp *op, LoomIRTemp d, LoomIRTemp src)
{
    op->opc = ttype(st, d) == LOOM_IR_I32 ? LOOM_IR_OP_mov_i32 : LOOM_IR_OP_mov_i64;
    op->nout = 1;
    op->nin = 1;
    op->ncon = 0;
    op->args[0] = d;
    op->args[1] = src;
}

/* d = v, if a constant temp can be made; false leaves the op alone. */
static bool make_movi(OptState *st, LoomIROp *op, LoomIRTemp d, uint64_t v)
{
    if (!can_make_const(st)) {
        return false;
    }
    make_mov(st, op, d, loom_ir_const(st->s, (LoomIRType)ttype(st, d), v & type_mask(ttype(st, d))));
    return true;
}


#define CASE2(x) case LOOM_IR_OP_##x##_i32: case LOOM_IR_OP_##x##_i64:

/* Algebraic identities of a two-input op whose inputs are not both
   constant: rewritten to a mov when one applies. */
static void simplify_binary(OptState *st, LoomIROp *op)
{
    LoomIRTemp d = (LoomIRTemp)op->args[0], a = (LoomIRTemp)op->args[1], b = (LoomIRTemp)op->args[2];
    unsigned bits = type_bits(ttype(st, d));
    uint64_t w = type_mask(ttype(st, d)), ca = 0, cb = 0;
    bool ka = get_const(st, a, &ca), kb = get_const(st, b, &cb);
    uint64_t nza = get_nz(st, a), nzb = get_nz(st, b);

    switch (op->opc) {
    CASE2(add)
        if (nzb == 0) goto copy_a;
        if (nza == 0) goto copy_b;
        return;
    CASE2(sub)
        if (nzb == 0) goto copy_a;
        if (a == b) goto zero;
        return;
    CASE2(mul)
        if (nza == 0 || nzb == 0) goto zero;
        if (kb && cb == 1) goto copy_a;
        if (ka && ca == 1) goto copy_b;
        return;
    CASE2(mulsh) CASE2(muluh) CASE2(mulsuh)
        if (nza == 0 || nzb == 0) goto zero;
        return;
    CASE2(div) CASE2(divu)
        if (kb && cb == 1) goto copy_a;
        return;
    CASE2(rem) CASE2(remu)
        if (kb && cb == 1) goto zero;
        return;
    CASE2(and)
        if ((nza & nzb) == 0) goto zero;
        if (a == b || (kb && (nza & ~cb) == 0)) goto copy_a;
        if (ka && (nzb & ~ca) == 0) goto copy_b;
        return;
    CASE2(or)
        if (nzb == 0 || a == b) goto copy_a;
        if (nza == 0) goto copy_b;
        if ((ka && ca == w) || (kb && cb == w)) goto ones;
        return;
    CASE2(xor)
        if (nzb == 0) goto copy_a;
        if (nza == 0) goto copy_b;
        if (a == b) goto zero;
        return;
    CASE2(andc)
        if (nzb == 0) goto copy_a;
        if (nza == 0 || a == b) goto zero;
        return;
    CASE2(orc)
        if (kb && cb == w) goto copy_a;
        if (a == b) goto ones;
        return;
    CASE2(shl) CASE2(shr) CASE2(sar) CASE2(rotl) CASE2(rotr)
        if (kb && (cb & (bits - 1)) == 0) goto copy_a;
        if (nza == 0) goto zero;
        return;
    default:
        return;
    }
copy_a:
    make_mov(st, op, d, a);
    return;
copy_b:
    make_mov(st, op, d, b);
    return;
zero:
    make_movi(st, op, d, 0);
    return;
ones:
    make_movi(st, op, d, w);
}

/* Extensions that change nothing (ext of ext, ext of a narrow load). */
static void simplify_unary(OptState *st, LoomIROp *op)
{
    LoomIRTemp d = (LoomIRTemp)op->args[0], a = (LoomIRTemp)op->args[1];
    bool sgn;
    unsigned n = ext_info(op->opc, &sgn);
    uint64_t nza = get_nz(st, a);

    if (!n) {
        return;
    }
    if (sgn ? (get_sbits(st, a) <= n || (nza >> (n - 1)) == 0) : (nza >> n) == 0) {
        make_mov(st, op, d, a);
    }
}

/* Facts about the result of an op that stays (not a mov). */
static void set_out_facts(OptState *st, const LoomIROp *op)
{
    LoomIRTemp d, a = NO_TEMP, b = NO_TEMP;
    uint64_t nza = 0, nzb = 0, cb = 0, mop;
    unsigned sba = 64, n;
    bool kb = false, sgn;
    TempFacts *f;

    if (op->nout == 0) {
        return;
    }
    if (op->nout > 1) {
        /* carry chains, widening multiplies, cmpxchg_i128: nothing known
           but that a carry or borrow is 0 or 1 */
        for (unsigned k = 0; k < op->nout; k++) {
            define(st, (LoomIRTemp)op->args[k]);
        }
        switch (op->opc) {
        CASE2(addc) CASE2(subb)
            f = define(st, (LoomIRTemp)op->args[1]);
            f->nz = 1;
            f->sbits = 2;
            break;
        default:
            break;
        }
        return;
    }
    d = (LoomIRTemp)op->args[0];
    if (op->opc == LOOM_IR_OP_call) {
        define(st, d);
        return;
    }
    /* read the inputs' facts first: d may be one of them */
    if (op->nin >= 1) {
        a = (LoomIRTemp)op->args[1];
        nza = get_nz(st, a);
        sba = get_sbits(st, a);
    }
    if (op->nin >= 2) {
        b = (LoomIRTemp)op->args[2];
        nzb = get_nz(st, b);
        kb = get_const(st, b, &cb);
    }
    f = define(st, d);
    switch (op->opc) {
    CASE2(and)
        f->nz = nza & nzb;
        break;
    CASE2(or) CASE2(xor)
        f->nz = nza | nzb;
        break;
    CASE2(shr)
        if (kb) {
            f->nz = nza >> (cb & (type_bits(ttype(st, d)) - 1));
        }
        break;
    CASE2(shl)
        if (kb) {
            f->nz = (nza << (cb & (type_bits(ttype(st, d)) - 1))) & type_mask(ttype(st, d));
        }
        break;
    CASE2(setcond)
        f->nz = 1;
        f->sbits = 2;
        break;
    CASE2(movcond)
        f->nz = get_nz(st, (LoomIRTemp)op->args[3]) | get_nz(st, (LoomIRTemp)op->args[4]);
        break;
    CASE2(clz) CASE2(ctz) CASE2(ctpop)
        f->nz = 127;
        break;
    CASE2(bswap16)
        f->nz = UINT16_MAX;
        break;
    case LOOM_IR_OP_bswap32_i64:
        f->nz = UINT32_MAX;
        break;
    CASE2(extract)
        f->nz = field_ones((unsigned)op->args[3]);
        break;
    CASE2(sextract)
        f->sbits = (uint8_t)op->args[3];
        break;
    case LOOM_IR_OP_ext8s_i32: case LOOM_IR_OP_ext8u_i32: case LOOM_IR_OP_ext16s_i32: case LOOM_IR_OP_ext16u_i32:
    case LOOM_IR_OP_ext8s_i64: case LOOM_IR_OP_ext8u_i64: case LOOM_IR_OP_ext16s_i64: case LOOM_IR_OP_ext16u_i64:
    case LOOM_IR_OP_ext32s_i64: case LOOM_IR_OP_ext32u_i64: case LOOM_IR_OP_exts_i32_i64: case LOOM_IR_OP_extu_i32_i64:
        n = ext_info(op->opc, &sgn);
        if (op->opc == LOOM_IR_OP_exts_i32_i64 || op->opc == LOOM_IR_OP_extu_i32_i64) {
            n = 32;
            sgn = op->opc == LOOM_IR_OP_exts_i32_i64;
        }
        if (!sgn) {
            f->nz = nza & ((UINT64_C(1) << n) - 1);
        } else {
            f->sbits = (uint8_t)(sba < n ? sba : n);
            if ((nza >> (n - 1)) == 0) {
                f->nz = nza;
            }
        }
        break;
    case LOOM_IR_OP_extrl_i64_i32:
        f->nz = nza & UINT32_MAX;
        break;
    case LOOM_IR_OP_extrh_i64_i32:
        f->nz = nza >> 32;
        break;
    case LOOM_IR_OP_qemu_ld_i32: case LOOM_IR_OP_qemu_ld_i64: case LOOM_IR_OP_ldh_i64:
        mop = op->opc == LOOM_IR_OP_ldh_i64 ? op->args[3] : op->args[2];
        n = 8u << (mop & LOOM_MEM_SIZE);
        if (n < type_bits(ttype(st, d))) {
            if (mop & LOOM_MEM_SIGN) {
                f->sbits = (uint8_t)n;
            } else {
                f->nz = (UINT64_C(1) << n) - 1;
            }
        }
        break;
    default:
        break;
    }
}

/* mov d, src with src already resolved: drop it when d holds that value
   already, else record d as a constant or a copy. */
static void process_mov(OptState *st, LoomIROp *op)
{
    LoomIRTemp d = (LoomIRTemp)op->args[0], src = (LoomIRTemp)op->args[1];
    const TempFacts *fd = &st->t[d];
    uint64_t cd, cs, nz;
    unsigned sb;
    TempFacts *f;

    if (d == src) {
        make_nop(op);
        return;
    }
    if (get_const(st, src, &cs)) {
        if (get_const(st, d, &cd) && cd == cs) {
            make_nop(op);
            return;
        }
        define_const(st, d, cs);
        return;
    }
    if (facts_valid(st, d) && fd->copy == src && st->t[src].version == fd->copy_version) {
        make_nop(op);
        return;
    }
    nz = get_nz(st, src);
    sb = get_sbits(st, src);
    f = define(st, d);
    f->nz = nz;
    f->sbits = (uint8_t)sb;
    if (tkind(st, src) != LOOM_IR_TEMP_ENV) {
        f->copy = src;
        f->copy_version = st->t[src].version;
    }
}

/* 1 if the comparison is always true, 0 if always false, -1 if unknown. */
static int decide_cond(OptState *st, unsigned cond, bool is64, LoomIRTemp a, LoomIRTemp b)
{
    uint64_t ca, cb;

    if (cond == LOOM_IR_COND_ALWAYS || cond == LOOM_IR_COND_NEVER) {
        return cond == LOOM_IR_COND_ALWAYS;
    }
    if (a == b) {
        return cond_self(cond);
    }
    if (get_const(st, a, &ca) && get_const(st, b, &cb)) {
        return eval_cond(cond, is64, ca, cb);
    }
    return -1;
}

static void forward(OptState *st)
{
    LoomIRContext *s = st->s;
    bool unreachable = false;
    int64_t last_mb = -1;

    for (uint32_t i = 0; i < s->nb_ops; i++) {
        LoomIROp *op = &s->ops[i];
        const LoomIROpDef *def = &loom_ir_op_defs[op->opc];
        unsigned nt = op->nout + op->nin;
        uint64_t ca, cb, r;
        int dec;

        if (op->opc == LOOM_IR_OP_nop || op->opc == LOOM_IR_OP_insn_start) {
            continue;
        }
        if (op->opc == LOOM_IR_OP_set_label) {
            last_mb = -1;
            if (st->label_refs[op->args[0]] == 0) {
                make_nop(op);           /* nothing branches here */
            } else {
                unreachable = false;
                st->epoch++;            /* other paths join: forget everything */
            }
            continue;
        }
        if (unreachable) {
            if (op->opc == LOOM_IR_OP_br) {
                st->label_refs[op->args[0]]--;
            } else if (op->opc == LOOM_IR_OP_brcond_i32 || op->opc == LOOM_IR_OP_brcond_i64) {
                st->label_refs[op->args[3]]--;
            }
            make_nop(op);
            continue;
        }
        if (op->opc == LOOM_IR_OP_mb) {
            if (last_mb >= 0) {
                s->ops[last_mb].args[0] |= op->args[0];
                make_nop(op);
            } else {
                last_mb = i;
            }
            continue;
        }
        last_mb = -1;
        for (unsigned k = op->nout; k < nt; k++) {
            op->args[k] = resolve(st, (LoomIRTemp)op->args[k]);
        }

        switch (op->opc) {
        CASE2(brcond)
            dec = decide_cond(st, (unsigned)op->args[2], op->opc == LOOM_IR_OP_brcond_i64,
                              (LoomIRTemp)op->args[0], (LoomIRTemp)op->args[1]);
            if (dec == 1) {
                LoomIRLabel l = (LoomIRLabel)op->args[3];
                op->opc = LOOM_IR_OP_br;
                op->nin = 0;
                op->ncon = 1;
                op->args[0] = l;
                unreachable = true;
            } else if (dec == 0) {
                st->label_refs[op->args[3]]--;
                make_nop(op);
            }
            continue;
        case LOOM_IR_OP_br: case LOOM_IR_OP_exit_tb: case LOOM_IR_OP_lookup_and_goto:
            unreachable = true;
            continue;
        case LOOM_IR_OP_call: {
            const LoomIRHelper *h = (const LoomIRHelper *)(uintptr_t)op->args[nt];
            if (!(h->flags & LOOM_IR_CALL_NO_WRITE_GLOBALS)) {
                forget_globals(st);
            }
            set_out_facts(st, op);
            continue;
        }
        case LOOM_IR_OP_sth_i64:
            if (env_range_has_global(st, (LoomIRTemp)op->args[1], op->args[2],
                                     loom_memop_size((unsigned)op->args[3]))) {
                forget_globals(st);
            }
            continue;
        CASE2(setcond)
            dec = decide_cond(st, (unsigned)op->args[3], op->opc == LOOM_IR_OP_setcond_i64,
                              (LoomIRTemp)op->args[1], (LoomIRTemp)op->args[2]);
            if (dec >= 0) {
                make_movi(st, op, (LoomIRTemp)op->args[0], (uint64_t)dec);
            }
            break;
        CASE2(extract) CASE2(sextract)
            if (get_const(st, (LoomIRTemp)op->args[1], &ca)) {
                make_movi(st, op, (LoomIRTemp)op->args[0],
                          eval_field(op->opc, type_bits(ttype(st, (LoomIRTemp)op->args[0])), ca, 0,
                                     (unsigned)op->args[2], (unsigned)op->args[3]));
            }
            break;
        CASE2(deposit)
            if (get_const(st, (LoomIRTemp)op->args[1], &ca) &&
                get_const(st, (LoomIRTemp)op->args[2], &cb)) {
                make_movi(st, op, (LoomIRTemp)op->args[0],
                          eval_field(op->opc, type_bits(ttype(st, (LoomIRTemp)op->args[0])), ca, cb,
                                     (unsigned)op->args[3], (unsigned)op->args[4]));
            }
            break;
        CASE2(movcond)
            dec = decide_cond(st, (unsigned)op->args[5], op->opc == LOOM_IR_OP_movcond_i64,
                              (LoomIRTemp)op->args[1], (LoomIRTemp)op->args[2]);
            if (dec >= 0) {
                make_mov(st, op, (LoomIRTemp)op->args[0], (LoomIRTemp)op->args[dec ? 3 : 4]);
            } else if (op->args[3] == op->args[4]) {
                make_mov(st, op, (LoomIRTemp)op->args[0], (LoomIRTemp)op->args[3]);
            }
            break;
        default:
            if (op->nout != 1 || op->ncon != 0 || (def->flags & LOOM_IR_F_MEM)) {
                break;
            }
            if (op->nin == 2 && get_const(st, (LoomIRTemp)op->args[1], &ca) &&
                get_const(st, (LoomIRTemp)op->args[2], &cb) && eval_binary(op->opc, ca, cb, &r)) {
                make_movi(st, op, (LoomIRTemp)op->args[0], r);
            } else if (op->nin == 2) {
                simplify_binary(st, op);
            } else if (op->nin == 1 && op->opc != LOOM_IR_OP_mov_i32 && op->opc != LOOM_IR_OP_mov_i64 &&
                       get_const(st, (LoomIRTemp)op->args[1], &ca) && eval_unary(op->opc, ca, &r)) {
                make_movi(st, op, (LoomIRTemp)op->args[0], r);
            } else if (op->nin == 1) {
                simplify_unary(st, op);
            }
            break;
        }
        if (op->opc == LOOM_IR_OP_mov_i32 || op->opc == LOOM_IR_OP_mov_i64) {
            process_mov(st, op);
        } else {
            set_out_facts(st, op);
        }
    }
}

/* ---- liveness and dead-code elimination ---- */

static inline void set_add(uint64_t *set, LoomIRTemp t) { set[t / 64] |= UINT64_C(1) << (t % 64); }
static inline void set_del(uint64_t *set, LoomIRTemp t) { set[t / 64] &= ~(UINT64_C(1) << (t % 64)); }
static inline bool set_has(const uint64_t *set, LoomIRTemp t) { return set[t / 64] >> (t % 64) & 1; }

static bool reads_globals(const OptState *st, const LoomIROp *op)
{
    const LoomIROpDef *def = &loom_ir_op_defs[op->opc];

    if (def->flags & (LOOM_IR_F_MEM | LOOM_IR_F_EXIT)) {
        return true;                /* a fault restores state from env */
    }
    switch (op->opc) {
    case LOOM_IR_OP_call: {
        const LoomIRHelper *h = (const LoomIRHelper *)(uintptr_t)op->args[op->nout + op->nin];
        uint32_t need = LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_RAISE;
        return (h->flags & need) != need;
    }
    case LOOM_IR_OP_ldh_i64:
        return env_range_has_global(st, (LoomIRTemp)op->args[1], op->args[2],
                                    loom_memop_size((unsigned)op->args[3]));
    case LOOM_IR_OP_goto_tb:
        return true;                /* the next TB reads them */
    default:
        return false;
    }
}

static bool removable(const LoomIROp *op)
{
    const LoomIROpDef *def = &loom_ir_op_defs[op->opc];

    if (op->nout == 0 || op->opc == LOOM_IR_OP_insn_start) {
        return false;
    }
    if (op->opc == LOOM_IR_OP_call) {
        const LoomIRHelper *h = (const LoomIRHelper *)(uintptr_t)op->args[op->nout + op->nin];
        uint32_t need = LOOM_IR_CALL_NO_SIDE_EFFECTS | LOOM_IR_CALL_NO_RAISE;
        return (h->flags & need) == need;
    }
    return !(def->flags & (LOOM_IR_F_SIDE | LOOM_IR_F_MEM | LOOM_IR_F_BB_END | LOOM_IR_F_EXIT));
}

static void liveness(OptState *st)
{
    LoomIRContext *s = st->s;
    TempSet globals = { 0 }, tblike = { 0 }, defined = { 0 }, live;

    for (uint32_t t = 1; t < s->nb_temps; t++) {
        if (s->temps[t].kind == LOOM_IR_TEMP_GLOBAL) {
            set_add(globals, t);
        } else if (s->temps[t].kind == LOOM_IR_TEMP_TB) {
            set_add(tblike, t);
        }
    }
    /* ebb temps read where no definition in the same block precedes the
       read live across a label: keep them like tb temps */
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        const LoomIROp *op = &s->ops[i];
        if (op->opc == LOOM_IR_OP_set_label) {
            memset(defined, 0, sizeof(defined));
            continue;
        }
        for (unsigned k = op->nout; k < (unsigned)op->nout + op->nin; k++) {
            LoomIRTemp t = (LoomIRTemp)op->args[k];
            if (s->temps[t].kind == LOOM_IR_TEMP_EBB && !set_has(defined, t)) {
                set_add(tblike, t);
            }
        }
        for (unsigned k = 0; k < op->nout; k++) {
            set_add(defined, (LoomIRTemp)op->args[k]);
        }
    }

    memcpy(live, globals, sizeof(live));
    for (uint32_t w = 0; w < SET_WORDS; w++) {
        live[w] |= tblike[w];
    }
    for (uint32_t i = s->nb_ops; i-- > 0;) {
        LoomIROp *op = &s->ops[i];
        unsigned nt = op->nout + op->nin;

        switch (op->opc) {
        case LOOM_IR_OP_nop: case LOOM_IR_OP_insn_start: case LOOM_IR_OP_mb:
            continue;
        case LOOM_IR_OP_set_label: case LOOM_IR_OP_br:
        case LOOM_IR_OP_exit_tb: case LOOM_IR_OP_lookup_and_goto:
            /* labels and branches: other blocks may read any global or
               tb temp; exits: the next TB reads the globals */
            for (uint32_t w = 0; w < SET_WORDS; w++) {
                live[w] = globals[w] | tblike[w];
            }
            continue;
        default:
            break;
        }
        if (removable(op)) {
            bool used = false;
            for (unsigned k = 0; k < op->nout; k++) {
                used |= set_has(live, (LoomIRTemp)op->args[k]);
            }
            if (!used) {
                make_nop(op);
                continue;
            }
        }
        for (unsigned k = 0; k < op->nout; k++) {
            set_del(live, (LoomIRTemp)op->args[k]);
        }
        if (op->opc == LOOM_IR_OP_brcond_i32 || op->opc == LOOM_IR_OP_brcond_i64) {
            for (uint32_t w = 0; w < SET_WORDS; w++) {
                live[w] |= globals[w] | tblike[w];
            }
        } else if (reads_globals(st, op)) {
            for (uint32_t w = 0; w < SET_WORDS; w++) {
                live[w] |= globals[w];
            }
        }
        for (unsigned k = op->nout; k < nt; k++) {
            set_add(live, (LoomIRTemp)op->args[k]);
        }
    }
}

/* ---- entry point ---- */

void loom_ir_optimize(LoomIRContext *s)
{
    OptState *st = g_new0(OptState, 1);
    uint32_t n = 0;

    st->s = s;
    st->epoch = 1;
    st->nb_globals = loom_ir_nb_globals();
    st->label_refs = g_new0(uint32_t, s->nb_labels + 1);
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        const LoomIROp *op = &s->ops[i];
        if (op->opc == LOOM_IR_OP_br) {
            st->label_refs[op->args[0]]++;
        } else if (op->opc == LOOM_IR_OP_brcond_i32 || op->opc == LOOM_IR_OP_brcond_i64) {
            st->label_refs[op->args[3]]++;
        }
    }
    forward(st);
    liveness(st);
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        if (s->ops[i].opc != LOOM_IR_OP_nop) {
            s->ops[n++] = s->ops[i];
        }
    }
    s->nb_ops = n;
    g_free(st->label_refs);
    g_free(st);
}
