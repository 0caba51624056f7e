/*
 * The portable interpreter back-end: the reference every other back-end
 * is checked against.  gen_code pre-decodes a TB's IR into a flat array
 * of InterpInsn (operands resolved to slots, labels to indices, constants
 * into a pool); exec_tb runs it with one switch.
 *
 * Operand slots: every temp is 64 bits.  An operand is (index << 2 | base)
 * with base 0 = the frame (ebb/tb temps, on exec_tb's stack), 1 = env
 * (globals), 2 = the TB's constant pool, 3 = the env pointer itself (a
 * per-call slot: TBs are shared between vCPUs, so nothing vCPU-specific
 * may live in the TB).  i32 values are kept zero-extended.
 *
 * Threading: exec_tb runs on the vCPU's own thread; the TB's code is
 * read-only once published.  Chained successors are read with acquire
 * loads (the core publishes them with release stores).
 *
 * weak=on (weak.h): guest loads and stores go through the thread's store
 * buffer, and everything that hands control to the core drains it first.
 */
#include <string.h>
#include <loom/loom.h>
#include "weak.h"

typedef struct InterpInsn {
    uint16_t opc;
    uint8_t nout, nin;          /* argument counts (call varies) */
    uint32_t a[LOOM_IR_MAX_ARGS];    /* operands, then constants (or pool indices) */
} InterpInsn;

typedef struct InterpCode {
    uint32_t nb_insns;
    uint32_t nb_pool;
    uint64_t *pool;
    InterpInsn insns[];
} InterpCode;

#define BASE_FRAME 0u
#define BASE_ENV 1u
#define BASE_POOL 2u
#define BASE_ENVPTR 3u
#define OP_CALL_I32 LOOM_IR_OP_COUNT     /* interpreter-private opcode */
#define INTERP_RA ((uintptr_t)1)    /* any non-zero value: we unwind by state */

static inline uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)v; }

/* ---- code generation ---- */

typedef struct Gen {
    const LoomIRContext *ir;
    uint32_t *slot;             /* temp -> encoded operand */
    uint32_t *label_pos;        /* label -> insn index */
    uint64_t *pool;
    uint32_t nb_pool, max_pool;
} Gen;

static uint32_t pool_add(Gen *g, uint64_t v)
{
    if (g->nb_pool >= g->max_pool) {
        return UINT32_MAX;
    }
    g->pool[g->nb_pool] = v;
    return g->nb_pool++;
}

static bool assign_slots(Gen *g)
{
    const LoomIRContext *ir = g->ir;
    uint32_t frame = 0;

    for (uint32_t t = 0; t < ir->nb_temps; t++) {
        const LoomIRTempInfo *ti = &ir->temps[t];
        switch (ti->kind) {
        case LOOM_IR_TEMP_ENV:
            g->slot[t] = BASE_ENVPTR;
            break;
        case LOOM_IR_TEMP_GLOBAL:
            if (ti->env_offset % 8 || ti->env_offset < 0) {
                return false;
            }
            g->slot[t] = ((uint32_t)ti->env_offset / 8) << 2 | BASE_ENV;
            break;
        case LOOM_IR_TEMP_CONST: {
            uint32_t p = pool_add(g, ti->val);
            if (p == UINT32_MAX) {
                return false;
            }
            g->slot[t] = p << 2 | BASE_POOL;
            break;
        }
        default:
            g->slot[t] = frame++ << 2 | BASE_FRAME;
            break;
        }
    }
    return true;
}

static long interp_gen_code(LoomTB *tb, const LoomIRContext *ir, void *buf, size_t size)
{
    uint32_t slot[LOOM_IR_MAX_TEMPS];
    uint32_t label_pos[LOOM_IR_MAX_OPS];
    uint64_t pool[LOOM_IR_MAX_TEMPS + LOOM_IR_MAX_OPS / 4 + 1];
    Gen g = { .ir = ir, .slot = slot, .label_pos = label_pos, .pool = pool,
              .max_pool = sizeof(pool) / sizeof(pool[0]) };
    uint32_t n = 0, insn_index = 0;
    /* the core gives no alignment guarantee: align for ourselves */
    size_t pad = (size_t)(-(uintptr_t)buf & 7);
    InterpCode *code = (InterpCode *)((uint8_t *)buf + pad);
    size_t need;
    uint8_t *pool_dst;

    if (!assign_slots(&g)) {
        return -2;
    }
    /* pass 1: where each label lands */
    for (uint32_t i = 0; i < ir->nb_ops; i++) {
        const LoomIROp *op = &ir->ops[i];
        if (op->opc == LOOM_IR_OP_set_label) {
            label_pos[op->args[0]] = n;
        } else if (op->opc != LOOM_IR_OP_nop) {
            n++;
        }
    }
    need = pad + sizeof(InterpCode) + n * sizeof(InterpInsn) + 8;
    if (need > size) {
        return -1;
    }
    code->nb_insns = n;
    /* pass 2: emit */
    n = 0;
    for (uint32_t i = 0; i < ir->nb_ops; i++) {
        const LoomIROp *op = &ir->ops[i];
        const LoomIROpDef *def = &loom_ir_op_defs[op->opc];
        InterpInsn *in;
        unsigned nt = op->nout + op->nin;

        if (op->opc == LOOM_IR_OP_set_label || op->opc == LOOM_IR_OP_nop) {
            continue;
        }
        in = &code->insns[n++];
        memset(in, 0, sizeof(*in));
        in->opc = op->opc;
        in->nout = op->nout;
        in->nin = op->nin;
        if (op->opc == LOOM_IR_OP_call && op->nout && ir->temps[op->args[0]].type == LOOM_IR_I32) {
            in->opc = OP_CALL_I32;      /* keep the i32 result zero-extended */
        }
        for (unsigned a = 0; a < nt; a++) {
            in->a[a] = slot[op->args[a]];
        }
        for (unsigned c = 0; c < op->ncon; c++) {
            uint64_t v = op->args[nt + c];
            if (op->opc == LOOM_IR_OP_call) {
                v = pool_add(&g, v);        /* helper pointer */
            } else if (op->opc == LOOM_IR_OP_br ||
                       ((op->opc == LOOM_IR_OP_brcond_i32 || op->opc == LOOM_IR_OP_brcond_i64) && c == 1)) {
                v = label_pos[v];
            } else if (op->opc == LOOM_IR_OP_insn_start) {
                if (c > 0) {
                    break;              /* only the index is kept */
                }
                v = insn_index++;
            } else if (op->opc == LOOM_IR_OP_ldh_i64 || op->opc == LOOM_IR_OP_sth_i64) {
                v = (uint32_t)(int32_t)v;   /* offsets are 32-bit signed */
            }
            if (v > UINT32_MAX) {
                return -2;
            }
            in->a[nt + c] = (uint32_t)v;
        }
        (void)def;
    }
    /* constant pool after the insns, 8-aligned */
    pool_dst = (uint8_t *)&code->insns[n];
    pool_dst = (uint8_t *)(((uintptr_t)pool_dst + 7) & ~(uintptr_t)7);
    need = (size_t)(pool_dst - (uint8_t *)buf) + g.nb_pool * sizeof(uint64_t);
    if (need > size) {
        return -1;
    }
    memcpy(pool_dst, pool, g.nb_pool * sizeof(uint64_t));
    code->pool = (uint64_t *)pool_dst;
    code->nb_pool = g.nb_pool;
    tb->code = code;
    tb->code_size = (uint32_t)need;
    return (long)need;
}

/* ---- execution ---- */

static inline bool cond32(unsigned c, uint32_t a, uint32_t b)
{
    switch (c) {
    case LOOM_IR_COND_ALWAYS: return true;
    case LOOM_IR_COND_EQ: return a == b;
    case LOOM_IR_COND_NE: return a != b;
    case LOOM_IR_COND_LT: return (int32_t)a < (int32_t)b;
    case LOOM_IR_COND_GE: return (int32_t)a >= (int32_t)b;
    case LOOM_IR_COND_LE: return (int32_t)a <= (int32_t)b;
    case LOOM_IR_COND_GT: return (int32_t)a > (int32_t)b;
    case LOOM_IR_COND_LTU: return a < b;
    case LOOM_IR_COND_GEU: return a >= b;
    case LOOM_IR_COND_LEU: return a <= b;
    case LOOM_IR_COND_GTU: return a > b;
    default: return false;
    }
}

static inline bool cond64(unsigned c, uint64_t a, uint64_t b)
{
    switch (c) {
    case LOOM_IR_COND_ALWAYS: return true;
    case LOOM_IR_COND_EQ: return a == b;
    case LOOM_IR_COND_NE: return a != b;
    case LOOM_IR_COND_LT: return (int64_t)a < (int64_t)b;
    case LOOM_IR_COND_GE: return (int64_t)a >= (int64_t)b;
    case LOOM_IR_COND_LE: return (int64_t)a <= (int64_t)b;
    case LOOM_IR_COND_GT: return (int64_t)a > (int64_t)b;
    case LOOM_IR_COND_LTU: return a < b;
    case LOOM_IR_COND_GEU: return a >= b;
    case LOOM_IR_COND_LEU: return a <= b;
    case LOOM_IR_COND_GTU: return a > b;
    default: return false;
    }
}

/* Total division, as the IR defines it. */
static inline uint64_t div64(int64_t a, int64_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT64_MIN && b == -1) return (uint64_t)a;
    return (uint64_t)(a / b);
}
static inline uint64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) return (uint64_t)a;
    if (a == INT64_MIN && b == -1) return 0;
    return (uint64_t)(a % b);
}
static inline uint32_t div32(int32_t a, int32_t b)
{
    if (b == 0) return UINT32_MAX;
    if (a == INT32_MIN && b == -1) return (uint32_t)a;
    return (uint32_t)(a / b);
}
static inline uint32_t rem32(int32_t a, int32_t b)
{
    if (b == 0) return (uint32_t)a;
    if (a == INT32_MIN && b == -1) return 0;
    return (uint32_t)(a % b);
}

static inline uint64_t mulsh64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64);
}
static inline uint64_t muluh64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
static inline uint64_t mulsuh64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (__int128)(unsigned __int128)b) >> 64);
}

static inline uint64_t host_ld(const void *p, unsigned mop)
{
    switch (mop & (LOOM_MEM_SIZE | LOOM_MEM_SIGN)) {
    case LOOM_MEM_UB: return *(const uint8_t *)p;
    case LOOM_MEM_SB: return (uint64_t)(int64_t)*(const int8_t *)p;
    case LOOM_MEM_UW: { uint16_t v; memcpy(&v, p, 2); return v; }
    case LOOM_MEM_SW: { int16_t v; memcpy(&v, p, 2); return (uint64_t)(int64_t)v; }
    case LOOM_MEM_UL: { uint32_t v; memcpy(&v, p, 4); return v; }
    case LOOM_MEM_SL: { int32_t v; memcpy(&v, p, 4); return (uint64_t)(int64_t)v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static inline void host_st(void *p, uint64_t v, unsigned mop)
{
    switch (mop & LOOM_MEM_SIZE) {
    case LOOM_MEM_8: *(uint8_t *)p = (uint8_t)v; break;
    case LOOM_MEM_16: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case LOOM_MEM_32: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

static uintptr_t exec_tb_buffered(LoomCPU *cpu, LoomTB *tb, WeakBuffer *wb)
{
    uint64_t frame[LOOM_IR_MAX_TEMPS];
    void *env = cpu->env;
    uint64_t envptr = (uint64_t)(uintptr_t)env;
    uint64_t *bases[4] = { frame, (uint64_t *)env, NULL, &envptr };
    const InterpCode *code;
    const InterpInsn *ip;

#define R(k) (bases[(ip->a[k]) & 3][(ip->a[k]) >> 2])
#define W(k, v) (bases[(ip->a[k]) & 3][(ip->a[k]) >> 2] = (v))
#define W32(k, v) W(k, (uint64_t)(uint32_t)(v))
#define C(k) (ip->a[k])

    /*
     * The exit request is checked at every TB entry.  For a chained entry
     * (goto_tb) it is checked before leaving the old TB, so that a
     * declined chain falls through to the old TB's own exit, which stores
     * the guest pc; the chained jump skips that store.
     */
    if (__atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE)) {
        return (uintptr_t)tb | LOOM_IR_EXIT_REQUESTED;
    }
next_tb:
    cpu->current_tb = tb;
    code = tb->code;
    bases[2] = code->pool;
    ip = code->insns;

    for (;; ip++) {
        switch (ip->opc) {
        case LOOM_IR_OP_br:
            ip = &code->insns[C(0)] - 1;
            break;
        case LOOM_IR_OP_brcond_i32:
            if (cond32(C(2), (uint32_t)R(0), (uint32_t)R(1))) ip = &code->insns[C(3)] - 1;
            break;
        case LOOM_IR_OP_brcond_i64:
            if (cond64(C(2), R(0), R(1))) ip = &code->insns[C(3)] - 1;
            break;
        case LOOM_IR_OP_mov_i32: W32(0, R(1)); break;
        case LOOM_IR_OP_mov_i64: W(0, R(1)); break;
        case LOOM_IR_OP_setcond_i32: W(0, cond32(C(3), (uint32_t)R(1), (uint32_t)R(2))); break;
        case LOOM_IR_OP_setcond_i64: W(0, cond64(C(3), R(1), R(2))); break;
        case LOOM_IR_OP_movcond_i32:
            W32(0, cond32(C(5), (uint32_t)R(1), (uint32_t)R(2)) ? R(3) : R(4));
            break;
        case LOOM_IR_OP_movcond_i64:
            W(0, cond64(C(5), R(1), R(2)) ? R(3) : R(4));
            break;

        case LOOM_IR_OP_add_i32: W32(0, R(1) + R(2)); break;
        case LOOM_IR_OP_add_i64: W(0, R(1) + R(2)); break;
        case LOOM_IR_OP_sub_i32: W32(0, R(1) - R(2)); break;
        case LOOM_IR_OP_sub_i64: W(0, R(1) - R(2)); break;
        case LOOM_IR_OP_neg_i32: W32(0, -R(1)); break;
        case LOOM_IR_OP_neg_i64: W(0, -R(1)); break;
        case LOOM_IR_OP_mul_i32: W32(0, (uint32_t)R(1) * (uint32_t)R(2)); break;
        case LOOM_IR_OP_mul_i64: W(0, R(1) * R(2)); break;
        case LOOM_IR_OP_mulsh_i32:
            W32(0, ((int64_t)(int32_t)R(1) * (int64_t)(int32_t)R(2)) >> 32);
            break;
        case LOOM_IR_OP_mulsh_i64: W(0, mulsh64(R(1), R(2))); break;
        case LOOM_IR_OP_muluh_i32: W32(0, ((uint64_t)(uint32_t)R(1) * (uint32_t)R(2)) >> 32); break;
        case LOOM_IR_OP_muluh_i64: W(0, muluh64(R(1), R(2))); break;
        case LOOM_IR_OP_mulsuh_i32:
            W32(0, ((int64_t)(int32_t)R(1) * (int64_t)(uint32_t)R(2)) >> 32);
            break;
        case LOOM_IR_OP_mulsuh_i64: W(0, mulsuh64(R(1), R(2))); break;
        case LOOM_IR_OP_div_i32: W32(0, div32((int32_t)R(1), (int32_t)R(2))); break;
        case LOOM_IR_OP_div_i64: W(0, div64((int64_t)R(1), (int64_t)R(2))); break;
        case LOOM_IR_OP_divu_i32:
            W32(0, (uint32_t)R(2) ? (uint32_t)R(1) / (uint32_t)R(2) : UINT32_MAX);
            break;
        case LOOM_IR_OP_divu_i64: W(0, R(2) ? R(1) / R(2) : UINT64_MAX); break;
        case LOOM_IR_OP_rem_i32: W32(0, rem32((int32_t)R(1), (int32_t)R(2))); break;
        case LOOM_IR_OP_rem_i64: W(0, rem64((int64_t)R(1), (int64_t)R(2))); break;
        case LOOM_IR_OP_remu_i32:
            W32(0, (uint32_t)R(2) ? (uint32_t)R(1) % (uint32_t)R(2) : (uint32_t)R(1));
            break;
        case LOOM_IR_OP_remu_i64: W(0, R(2) ? R(1) % R(2) : R(1)); break;

        case LOOM_IR_OP_and_i32: W32(0, R(1) & R(2)); break;
        case LOOM_IR_OP_and_i64: W(0, R(1) & R(2)); break;
        case LOOM_IR_OP_or_i32: W32(0, R(1) | R(2)); break;
        case LOOM_IR_OP_or_i64: W(0, R(1) | R(2)); break;
        case LOOM_IR_OP_xor_i32: W32(0, R(1) ^ R(2)); break;
        case LOOM_IR_OP_xor_i64: W(0, R(1) ^ R(2)); break;
        case LOOM_IR_OP_andc_i32: W32(0, R(1) & ~R(2)); break;
        case LOOM_IR_OP_andc_i64: W(0, R(1) & ~R(2)); break;
        case LOOM_IR_OP_orc_i32: W32(0, R(1) | ~R(2)); break;
        case LOOM_IR_OP_orc_i64: W(0, R(1) | ~R(2)); break;
        case LOOM_IR_OP_not_i32: W32(0, ~R(1)); break;
        case LOOM_IR_OP_not_i64: W(0, ~R(1)); break;

        case LOOM_IR_OP_shl_i32: W32(0, (uint32_t)R(1) << (R(2) & 31)); break;
        case LOOM_IR_OP_shl_i64: W(0, R(1) << (R(2) & 63)); break;
        case LOOM_IR_OP_shr_i32: W32(0, (uint32_t)R(1) >> (R(2) & 31)); break;
        case LOOM_IR_OP_shr_i64: W(0, R(1) >> (R(2) & 63)); break;
        case LOOM_IR_OP_sar_i32: W32(0, (int32_t)R(1) >> (R(2) & 31)); break;
        case LOOM_IR_OP_sar_i64: W(0, (uint64_t)((int64_t)R(1) >> (R(2) & 63))); break;
        case LOOM_IR_OP_rotl_i32: {
            uint32_t x = (uint32_t)R(1), s = R(2) & 31;
            W32(0, s ? (x << s) | (x >> (32 - s)) : x);
            break;
        }
        case LOOM_IR_OP_rotl_i64: {
            uint64_t x = R(1), s = R(2) & 63;
            W(0, s ? (x << s) | (x >> (64 - s)) : x);
            break;
        }
        case LOOM_IR_OP_rotr_i32: {
            uint32_t x = (uint32_t)R(1), s = R(2) & 31;
            W32(0, s ? (x >> s) | (x << (32 - s)) : x);
            break;
        }
        case LOOM_IR_OP_rotr_i64: {
            uint64_t x = R(1), s = R(2) & 63;
            W(0, s ? (x >> s) | (x << (64 - s)) : x);
            break;
        }
        case LOOM_IR_OP_clz_i32: W(0, (uint32_t)R(1) ? (uint64_t)__builtin_clz((uint32_t)R(1)) : 32); break;
        case LOOM_IR_OP_clz_i64: W(0, R(1) ? (uint64_t)__builtin_clzll(R(1)) : 64); break;
        case LOOM_IR_OP_ctz_i32: W(0, (uint32_t)R(1) ? (uint64_t)__builtin_ctz((uint32_t)R(1)) : 32); break;
        case LOOM_IR_OP_ctz_i64: W(0, R(1) ? (uint64_t)__builtin_ctzll(R(1)) : 64); break;
        case LOOM_IR_OP_ctpop_i32: W(0, (uint64_t)__builtin_popcount((uint32_t)R(1))); break;
        case LOOM_IR_OP_ctpop_i64: W(0, (uint64_t)__builtin_popcountll(R(1))); break;
        case LOOM_IR_OP_bswap32_i32: W32(0, __builtin_bswap32((uint32_t)R(1))); break;
        case LOOM_IR_OP_bswap64_i64: W(0, __builtin_bswap64(R(1))); break;

        case LOOM_IR_OP_ext8s_i32: W32(0, (int32_t)(int8_t)R(1)); break;
        case LOOM_IR_OP_ext8u_i32: W32(0, (uint8_t)R(1)); break;
        case LOOM_IR_OP_ext16s_i32: W32(0, (int32_t)(int16_t)R(1)); break;
        case LOOM_IR_OP_ext16u_i32: W32(0, (uint16_t)R(1)); break;
        case LOOM_IR_OP_ext8s_i64: W(0, (uint64_t)(int64_t)(int8_t)R(1)); break;
        case LOOM_IR_OP_ext8u_i64: W(0, (uint8_t)R(1)); break;
        case LOOM_IR_OP_ext16s_i64: W(0, (uint64_t)(int64_t)(int16_t)R(1)); break;
        case LOOM_IR_OP_ext16u_i64: W(0, (uint16_t)R(1)); break;
        case LOOM_IR_OP_ext32s_i64: W(0, sext32(R(1))); break;
        case LOOM_IR_OP_ext32u_i64: W(0, (uint32_t)R(1)); break;
        case LOOM_IR_OP_exts_i32_i64: W(0, sext32(R(1))); break;
        case LOOM_IR_OP_extu_i32_i64: W(0, (uint32_t)R(1)); break;
        case LOOM_IR_OP_extrl_i64_i32: W32(0, R(1)); break;
        case LOOM_IR_OP_extrh_i64_i32: W32(0, R(1) >> 32); break;

        case LOOM_IR_OP_ldh_i64:
            W(0, host_ld((const uint8_t *)(uintptr_t)R(1) + (int32_t)C(2), C(3)));
            break;
        case LOOM_IR_OP_sth_i64:
            host_st((uint8_t *)(uintptr_t)R(1) + (int32_t)C(2), R(0), C(3));
            break;

        case LOOM_IR_OP_qemu_ld_i32:
            W32(0, wb ? weak_ld(wb, cpu, R(1), C(2), (int)C(3), INTERP_RA)
                      : loom_ld(cpu, R(1), C(2), (int)C(3), INTERP_RA));
            break;
        case LOOM_IR_OP_qemu_ld_i64:
            W(0, wb ? weak_ld(wb, cpu, R(1), C(2), (int)C(3), INTERP_RA)
                    : loom_ld(cpu, R(1), C(2), (int)C(3), INTERP_RA));
            break;
        case LOOM_IR_OP_qemu_st_i32:
        case LOOM_IR_OP_qemu_st_i64:
            if (wb) {
                weak_st(wb, cpu, R(1), R(0), C(2), (int)C(3), INTERP_RA);
            } else {
                loom_st(cpu, R(1), R(0), C(2), (int)C(3), INTERP_RA);
            }
            break;

        case LOOM_IR_OP_atomic_cmpxchg_i32:
            /* weak=on: atomics (and so SC) act on memory, after every
               earlier store of this thread got there */
            weak_drain(wb);
            W32(0, loom_atomic(cpu, ip->opc, R(1), R(2), R(3), C(4), (int)C(5), INTERP_RA));
            break;
        case LOOM_IR_OP_atomic_cmpxchg_i64:
            weak_drain(wb);
            W(0, loom_atomic(cpu, ip->opc, R(1), R(2), R(3), C(4), (int)C(5), INTERP_RA));
            break;
        case LOOM_IR_OP_atomic_xchg_i32:
        case LOOM_IR_OP_atomic_fetch_add_i32:
        case LOOM_IR_OP_atomic_fetch_and_i32:
        case LOOM_IR_OP_atomic_fetch_or_i32:
        case LOOM_IR_OP_atomic_fetch_xor_i32:
        case LOOM_IR_OP_atomic_fetch_smin_i32:
        case LOOM_IR_OP_atomic_fetch_smax_i32:
        case LOOM_IR_OP_atomic_fetch_umin_i32:
        case LOOM_IR_OP_atomic_fetch_umax_i32:
            weak_drain(wb);
            W32(0, loom_atomic(cpu, ip->opc, R(1), 0, R(2), C(3), (int)C(4), INTERP_RA));
            break;
        case LOOM_IR_OP_atomic_xchg_i64:
        case LOOM_IR_OP_atomic_fetch_add_i64:
        case LOOM_IR_OP_atomic_fetch_and_i64:
        case LOOM_IR_OP_atomic_fetch_or_i64:
        case LOOM_IR_OP_atomic_fetch_xor_i64:
        case LOOM_IR_OP_atomic_fetch_smin_i64:
        case LOOM_IR_OP_atomic_fetch_smax_i64:
        case LOOM_IR_OP_atomic_fetch_umin_i64:
        case LOOM_IR_OP_atomic_fetch_umax_i64:
            weak_drain(wb);
            W(0, loom_atomic(cpu, ip->opc, R(1), 0, R(2), C(3), (int)C(4), INTERP_RA));
            break;

        /* ---- optional ops (ir-ops.h): the interpreter has them all ---- */
        case LOOM_IR_OP_extract_i32:
            W32(0, ((uint32_t)R(1) >> C(2)) & (uint32_t)(UINT32_MAX >> (32 - C(3))));
            break;
        case LOOM_IR_OP_extract_i64: W(0, (R(1) >> C(2)) & (UINT64_MAX >> (64 - C(3)))); break;
        case LOOM_IR_OP_sextract_i32:
            W32(0, (uint32_t)((int32_t)((uint32_t)R(1) << (32 - C(2) - C(3))) >> (32 - C(3))));
            break;
        case LOOM_IR_OP_sextract_i64:
            W(0, (uint64_t)((int64_t)(R(1) << (64 - C(2) - C(3))) >> (64 - C(3))));
            break;
        case LOOM_IR_OP_deposit_i32: {
            uint32_t m = (uint32_t)(UINT32_MAX >> (32 - C(4))) << C(3);
            W32(0, ((uint32_t)R(1) & ~m) | (((uint32_t)R(2) << C(3)) & m));
            break;
        }
        case LOOM_IR_OP_deposit_i64: {
            uint64_t m = (UINT64_MAX >> (64 - C(4))) << C(3);
            W(0, (R(1) & ~m) | ((R(2) << C(3)) & m));
            break;
        }
        case LOOM_IR_OP_addc_i32: {
            uint64_t sum = (uint64_t)(uint32_t)R(2) + (uint32_t)R(3) + (R(4) & 1);
            W32(0, sum);
            W(1, sum >> 32);
            break;
        }
        case LOOM_IR_OP_addc_i64: {
            unsigned __int128 sum = (unsigned __int128)R(2) + R(3) + (R(4) & 1);
            W(0, (uint64_t)sum);
            W(1, (uint64_t)(sum >> 64));
            break;
        }
        case LOOM_IR_OP_subb_i32: {
            uint64_t x = (uint32_t)R(2), y = (uint64_t)(uint32_t)R(3) + (R(4) & 1);
            W32(0, x - y);
            W(1, x < y);
            break;
        }
        case LOOM_IR_OP_subb_i64: {
            unsigned __int128 y = (unsigned __int128)R(3) + (R(4) & 1);
            uint64_t x = R(2);
            W(0, x - (uint64_t)y);
            W(1, x < y);
            break;
        }
        case LOOM_IR_OP_mulu2_i32: {
            uint64_t p = (uint64_t)(uint32_t)R(2) * (uint32_t)R(3);
            W32(0, p);
            W32(1, p >> 32);
            break;
        }
        case LOOM_IR_OP_mulu2_i64: {
            uint64_t a = R(2), b = R(3);
            W(0, a * b);
            W(1, muluh64(a, b));
            break;
        }
        case LOOM_IR_OP_muls2_i32: {
            int64_t p = (int64_t)(int32_t)R(2) * (int32_t)R(3);
            W32(0, p);
            W32(1, (uint64_t)p >> 32);
            break;
        }
        case LOOM_IR_OP_muls2_i64: {
            uint64_t a = R(2), b = R(3);
            W(0, a * b);
            W(1, mulsh64(a, b));
            break;
        }
        case LOOM_IR_OP_bswap16_i32:
        case LOOM_IR_OP_bswap16_i64: W(0, __builtin_bswap16((uint16_t)R(1))); break;
        case LOOM_IR_OP_bswap32_i64: W(0, __builtin_bswap32((uint32_t)R(1))); break;
        case LOOM_IR_OP_atomic_cmpxchg_i128:
            /* not listed below: the core legalises it (max_atomic_bits
               64 keeps it to exclusive sections) */
            return (uintptr_t)tb | LOOM_IR_EXIT_PLAIN;

        case LOOM_IR_OP_mb:
            /* only store->load ordering needs a full fence; the rest is
               what acquire/release fences give.  Both are host fences
               (dmb/fence on weak hosts), not only compiler barriers, and
               order this thread's guest accesses, done by plain C loads
               and stores, against the other vCPU threads' */
            if (wb) {
                weak_fence(wb, C(0));
            }
            if (C(0) & LOOM_MO_ST_LD) {
                __atomic_thread_fence(__ATOMIC_SEQ_CST);
            } else if (C(0)) {
                __atomic_thread_fence(__ATOMIC_ACQ_REL);
            }
            break;

        case LOOM_IR_OP_call:
        case OP_CALL_I32: {
            unsigned no = ip->nout, ni = ip->nin;
            uint64_t av[6] = { 0 };
            const LoomIRHelper *h = (const LoomIRHelper *)(uintptr_t)code->pool[ip->a[no + ni]];
            uint64_t r;
            for (unsigned i = 0; i < ni; i++) {
                av[i] = R(no + i);
            }
            weak_drain(wb);     /* a helper may read memory or leave */
            r = h->fn(env, av[0], av[1], av[2], av[3], av[4], av[5]);
            if (no) {
                W(0, ip->opc == OP_CALL_I32 ? (uint32_t)r : r);
            }
            break;
        }

        case LOOM_IR_OP_insn_start:
            cpu->unwind_insn = (int32_t)C(0);
            break;
        case LOOM_IR_OP_goto_tb: {
            LoomTB *next = __atomic_load_n(&tb->jmp_dest[C(0)], __ATOMIC_ACQUIRE);
            if (next && !__atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE)) {
                if (wb) {
                    weak_tick_tb(wb);
                }
                tb = next;
                goto next_tb;
            }
            break;
        }
        case LOOM_IR_OP_exit_tb:
            return (uintptr_t)tb | (C(0) & LOOM_IR_EXIT_MASK);
        case LOOM_IR_OP_lookup_and_goto: {
            /* the guest pc is already stored: a refused lookup is a
               plain exit.  The lookup acknowledges code-page protection
               for this vCPU (core/tb-page.c), which promises that its
               earlier stores are in memory: drain */
            LoomTB *next;
            weak_drain(wb);
            next = __atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE)
                               ? NULL : loom_tb_lookup_current(cpu);
            if (next) {
                tb = next;
                goto next_tb;
            }
            return (uintptr_t)tb | LOOM_IR_EXIT_PLAIN;
        }
        default:
            /* set_label and nop are not emitted */
            return (uintptr_t)tb | LOOM_IR_EXIT_PLAIN;
        }
    }
#undef R
#undef W
#undef W32
#undef C
}

static uintptr_t interp_exec_tb(LoomCPU *cpu, LoomTB *tb)
{
    WeakBuffer *wb = weak_enabled ? weak_buffer(cpu) : NULL;
    uintptr_t r = exec_tb_buffered(cpu, tb, wb);

    /* back to the core: no store may stay behind (weak.h) */
    weak_drain(wb);
    return r;
}

static int interp_set_option(const char *name, const char *value, char *msg, size_t msg_size)
{
    return weak_set_option(name, value, msg, msg_size);
}

static bool interp_unwind(LoomCPU *cpu, uintptr_t ra, LoomTB **tb, int *insn)
{
    (void)ra;
    *tb = cpu->current_tb;
    *insn = cpu->unwind_insn;
    return *tb != NULL;
}

/* Every optional op but atomic_cmpxchg_i128 (ir-ops.h). */
static const uint16_t interp_optional_ops[] = {
    LOOM_IR_OP_andc_i32, LOOM_IR_OP_andc_i64, LOOM_IR_OP_orc_i32, LOOM_IR_OP_orc_i64,
    LOOM_IR_OP_rotl_i32, LOOM_IR_OP_rotl_i64, LOOM_IR_OP_rotr_i32, LOOM_IR_OP_rotr_i64,
    LOOM_IR_OP_clz_i32, LOOM_IR_OP_clz_i64, LOOM_IR_OP_ctz_i32, LOOM_IR_OP_ctz_i64,
    LOOM_IR_OP_ctpop_i32, LOOM_IR_OP_ctpop_i64, LOOM_IR_OP_bswap32_i32, LOOM_IR_OP_bswap64_i64,
    LOOM_IR_OP_extract_i32, LOOM_IR_OP_extract_i64, LOOM_IR_OP_sextract_i32, LOOM_IR_OP_sextract_i64,
    LOOM_IR_OP_deposit_i32, LOOM_IR_OP_deposit_i64,
    LOOM_IR_OP_addc_i32, LOOM_IR_OP_addc_i64, LOOM_IR_OP_subb_i32, LOOM_IR_OP_subb_i64,
    LOOM_IR_OP_mulu2_i32, LOOM_IR_OP_mulu2_i64, LOOM_IR_OP_muls2_i32, LOOM_IR_OP_muls2_i64,
    LOOM_IR_OP_bswap16_i32, LOOM_IR_OP_bswap16_i64, LOOM_IR_OP_bswap32_i64,
    0
};

static const LoomBackendOps interp_ops = {
    /* the portable back-end: it may run on a weak host (Arm, RISC-V), so
       it promises no order and the core inserts an mb wherever the
       guest's model needs one; every mb is a real host fence */
    .host_default_mo = 0,
    .can_emit_mb = true,
    .max_atomic_bits = 64,
    .optional_ops = interp_optional_ops,
    .host_arch = LOOM_HOST_ARCH_ANY,
    .supports_wx = true,        /* its code is read, never run */
    .gen_code = interp_gen_code,
    .exec_tb = interp_exec_tb,
    .set_jmp_target = NULL,     /* exec_tb follows tb->jmp_dest itself */
    .unwind = interp_unwind,
    .set_option = interp_set_option,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_BACKEND, "interp", "0.1", "MIT",
                   "portable IR interpreter (reference back-end)", &interp_ops);
