/*
 * loom IR: the contract between front-ends (which build it) and back-ends
 * (which run or compile it).  One IRContext holds one translation block.
 *
 * Values live in temps.  Every temp is 64 bits wide in storage; an i32
 * temp's value is its low 32 bits (back-ends keep it zero-extended).
 * Kinds of temp:
 *   global  - guest state at a fixed offset in env (declared once by the
 *             front-end at load time, the same index in every context);
 *   tb      - lives for the whole TB, across branches;
 *   ebb     - lives until the next label; released automatically when the
 *             front-end's translate_insn hook returns;
 *   const   - a constant, shared and read-only;
 *   env     - IR_ENV, the pointer to the vCPU's env (the first temp).
 */
#ifndef LOOM_IR_H
#define LOOM_IR_H

#include <loom/plugin.h>

typedef enum IRFlags {
    IR_F_BB_END = 0x01,     /* ends a basic block */
    IR_F_COND = 0x02,       /* has a condition constant */
    IR_F_64 = 0x04,         /* operates on i64 */
    IR_F_SIDE = 0x08,       /* has side effects: never removed */
    IR_F_MEM = 0x10,        /* guest memory access: may fault */
    IR_F_VARARGS = 0x20,    /* argument counts come from the op */
    IR_F_EXIT = 0x40,       /* leaves the TB */
} IRFlags;

typedef enum IROpcode {
#define DEF(name, o, i, c, f) IR_OP_##name,
#include <loom/ir-ops.h>
#undef DEF
    IR_OP_COUNT
} IROpcode;

typedef struct IROpDef {
    const char *name;
    uint8_t nout, nin, ncon;
    uint8_t flags;
} IROpDef;

/* Indexed by IROpcode; exported by the core. */
extern LOOM_API const IROpDef ir_op_defs[IR_OP_COUNT];

typedef enum IRType { IR_I32 = 0, IR_I64 = 1 } IRType;

typedef enum IRTempKind {
    IR_TEMP_EBB = 0,
    IR_TEMP_TB,
    IR_TEMP_GLOBAL,
    IR_TEMP_CONST,
    IR_TEMP_ENV,
} IRTempKind;

typedef uint32_t IRTemp;
typedef uint32_t IRLabel;
typedef uint64_t IRArg;

#define IR_ENV ((IRTemp)0)
#define IR_MAX_ARGS 6
#define IR_MAX_TEMPS 1024
#define IR_MAX_OPS 4096
#define IR_MAX_GLOBALS 128
#define IR_MAX_HELPER_ARGS 4
#define IR_INSN_START_WORDS 2

typedef struct IRTempInfo {
    uint8_t type;           /* IRType */
    uint8_t kind;           /* IRTempKind */
    uint8_t in_use;         /* ebb/tb temps: allocated */
    uint8_t pad;
    int32_t env_offset;     /* globals: byte offset of the 64-bit field */
    uint64_t val;           /* consts: the value */
    const char *name;       /* globals: for dumps */
} IRTempInfo;

typedef struct IROp {
    uint16_t opc;           /* IROpcode */
    uint8_t nout, nin, ncon;
    uint8_t pad[3];
    IRArg args[IR_MAX_ARGS];
} IROp;

typedef struct IRContext {
    IROp *ops;
    uint32_t nb_ops;
    uint32_t nb_temps;
    uint32_t nb_labels;
    uint32_t nb_insns;          /* insn_start ops emitted */
    IRTempInfo *temps;
    void *core_private;         /* the core's bookkeeping; do not touch */
} IRContext;

/* Conditions for brcond/setcond/movcond. */
typedef enum IRCond {
    IR_COND_NEVER = 0,
    IR_COND_ALWAYS,
    IR_COND_EQ, IR_COND_NE,
    IR_COND_LT, IR_COND_GE, IR_COND_LE, IR_COND_GT,     /* signed */
    IR_COND_LTU, IR_COND_GEU, IR_COND_LEU, IR_COND_GTU, /* unsigned */
} IRCond;

/* Memory operation descriptor for guest loads, stores and atomics. */
typedef enum MemOp {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 4,            /* sign-extend loads */
    MO_BE = 8,              /* big-endian (default little) */
    MO_ALIGN = 16,          /* fault unless naturally aligned */
    MO_UB = MO_8, MO_UW = MO_16, MO_UL = MO_32, MO_UQ = MO_64,
    MO_SB = MO_8 | MO_SIGN, MO_SW = MO_16 | MO_SIGN, MO_SL = MO_32 | MO_SIGN,
} MemOp;

static inline unsigned memop_size(unsigned mop) { return 1u << (mop & MO_SIZE); }
/* v as a load of memop's size and signedness leaves it in a 64-bit
   register: the low bytes, zero- or sign-extended (MO_SIGN). */
static inline uint64_t memop_extend(uint64_t v, unsigned mop)
{
    unsigned bits = memop_size(mop) * 8;

    if (bits == 64) {
        return v;
    }
    v &= (UINT64_C(1) << bits) - 1;
    if (mop & MO_SIGN) {
        uint64_t m = UINT64_C(1) << (bits - 1);
        v = (v ^ m) - m;
    }
    return v;
}

/* exit_tb codes; the back-end returns (uintptr_t)tb | code to the core */
enum {
    IR_EXIT_SLOT0 = 0,      /* left through goto_tb slot 0: may be chained */
    IR_EXIT_SLOT1 = 1,      /* left through goto_tb slot 1: may be chained */
    IR_EXIT_PLAIN = 2,      /* plain exit, no chaining */
    IR_EXIT_REQUESTED = 3,  /* exit request seen at TB entry, TB not run */
    IR_EXIT_MASK = 3,
};

/*
 * Helpers called from IR.  One signature for all: env first, then up to
 * IR_MAX_HELPER_ARGS 64-bit arguments (unused ones are 0).  A helper may
 * raise a guest exception with loom_cpu_loop_exit_restore(cpu, LOOM_GETPC()).
 */
typedef uint64_t LoomHelperFn(void *env, uint64_t a0, uint64_t a1,
                              uint64_t a2, uint64_t a3);

/*
 * Helper flags tell a back-end which guest globals it must write back to
 * env before the call and reload after it.  Rules:
 *  - a helper that may raise (no IR_CALL_NO_RAISE) may be unwound to the
 *    start of its insn, so every global is written back before the call
 *    whatever IR_CALL_NO_READ_GLOBALS says;
 *  - the call's return temp is written by the back-end, not the helper:
 *    it may be a global even with IR_CALL_NO_WRITE_GLOBALS.
 */
enum {
    IR_CALL_NO_READ_GLOBALS = 0x1,  /* does not read guest globals */
    IR_CALL_NO_WRITE_GLOBALS = 0x2, /* does not write guest globals */
    IR_CALL_NO_SIDE_EFFECTS = 0x4,  /* pure: may be removed if unused */
    IR_CALL_NO_RAISE = 0x8,         /* never raises a guest exception */
};

typedef struct IRHelper {
    LoomHelperFn *fn;
    const char *name;
    uint32_t flags;         /* IR_CALL_* */
} IRHelper;

#define LOOM_GETPC() ((uintptr_t)__builtin_return_address(0))

/* --- core functions to build IR (exported by the loom executable) --- */

/* Front-end load time only: declare a 64-bit global at env + offset. */
LOOM_API IRTemp ir_global_i64(int32_t env_offset, const char *name);

LOOM_API IRTemp ir_temp_new(IRContext *s, IRType type, IRTempKind kind);
LOOM_API IRTemp ir_const(IRContext *s, IRType type, uint64_t val);
LOOM_API IRLabel ir_label_new(IRContext *s);
LOOM_API void ir_emit(IRContext *s, IROpcode opc, unsigned nout,
                      unsigned nin, unsigned ncon, const IRArg *args);
/* Print the context readably, one op a line, to the log. */
LOOM_API void ir_dump(const IRContext *s, const char *title);

static inline IRTemp ir_temp_new_i32(IRContext *s) { return ir_temp_new(s, IR_I32, IR_TEMP_EBB); }
static inline IRTemp ir_temp_new_i64(IRContext *s) { return ir_temp_new(s, IR_I64, IR_TEMP_EBB); }
static inline IRTemp ir_temp_tb_i64(IRContext *s) { return ir_temp_new(s, IR_I64, IR_TEMP_TB); }
static inline IRTemp ir_const_i32(IRContext *s, uint32_t v) { return ir_const(s, IR_I32, v); }
static inline IRTemp ir_const_i64(IRContext *s, uint64_t v) { return ir_const(s, IR_I64, v); }

static inline void ir_emit_def(IRContext *s, IROpcode opc, const IRArg *args)
{
    const IROpDef *d = &ir_op_defs[opc];
    ir_emit(s, opc, d->nout, d->nin, d->ncon, args);
}

static inline void ir_op1(IRContext *s, IROpcode o, IRArg a)
{ IRArg v[1] = { a }; ir_emit_def(s, o, v); }
static inline void ir_op2(IRContext *s, IROpcode o, IRArg a, IRArg b)
{ IRArg v[2] = { a, b }; ir_emit_def(s, o, v); }
static inline void ir_op3(IRContext *s, IROpcode o, IRArg a, IRArg b, IRArg c)
{ IRArg v[3] = { a, b, c }; ir_emit_def(s, o, v); }
static inline void ir_op4(IRContext *s, IROpcode o, IRArg a, IRArg b, IRArg c, IRArg d)
{ IRArg v[4] = { a, b, c, d }; ir_emit_def(s, o, v); }
static inline void ir_op5(IRContext *s, IROpcode o, IRArg a, IRArg b, IRArg c, IRArg d, IRArg e)
{ IRArg v[5] = { a, b, c, d, e }; ir_emit_def(s, o, v); }
static inline void ir_op6(IRContext *s, IROpcode o, IRArg a, IRArg b, IRArg c, IRArg d, IRArg e, IRArg f)
{ IRArg v[6] = { a, b, c, d, e, f }; ir_emit_def(s, o, v); }

/* ir_gen_<op>_<type>(s, d, a[, b]) for every one- and two-operand op */
#define IR_GEN_UN(op) \
    static inline void ir_gen_##op(IRContext *s, IRTemp d, IRTemp a) \
    { ir_op2(s, IR_OP_##op, d, a); }
#define IR_GEN_BIN(op) \
    static inline void ir_gen_##op(IRContext *s, IRTemp d, IRTemp a, IRTemp b) \
    { ir_op3(s, IR_OP_##op, d, a, b); }
#define IR_GEN_BOTH(gen, op) gen(op##_i32) gen(op##_i64)
IR_GEN_BOTH(IR_GEN_UN, mov)
IR_GEN_BOTH(IR_GEN_UN, neg)
IR_GEN_BOTH(IR_GEN_UN, not)
IR_GEN_BOTH(IR_GEN_UN, clz)
IR_GEN_BOTH(IR_GEN_UN, ctz)
IR_GEN_BOTH(IR_GEN_UN, ctpop)
IR_GEN_UN(bswap32_i32) IR_GEN_UN(bswap64_i64)
IR_GEN_BOTH(IR_GEN_UN, ext8s) IR_GEN_BOTH(IR_GEN_UN, ext8u)
IR_GEN_BOTH(IR_GEN_UN, ext16s) IR_GEN_BOTH(IR_GEN_UN, ext16u)
IR_GEN_UN(ext32s_i64) IR_GEN_UN(ext32u_i64)
IR_GEN_UN(exts_i32_i64) IR_GEN_UN(extu_i32_i64)
IR_GEN_UN(extrl_i64_i32) IR_GEN_UN(extrh_i64_i32)
IR_GEN_BOTH(IR_GEN_BIN, add) IR_GEN_BOTH(IR_GEN_BIN, sub)
IR_GEN_BOTH(IR_GEN_BIN, mul) IR_GEN_BOTH(IR_GEN_BIN, mulsh)
IR_GEN_BOTH(IR_GEN_BIN, muluh) IR_GEN_BOTH(IR_GEN_BIN, mulsuh)
IR_GEN_BOTH(IR_GEN_BIN, div) IR_GEN_BOTH(IR_GEN_BIN, divu)
IR_GEN_BOTH(IR_GEN_BIN, rem) IR_GEN_BOTH(IR_GEN_BIN, remu)
IR_GEN_BOTH(IR_GEN_BIN, and) IR_GEN_BOTH(IR_GEN_BIN, or)
IR_GEN_BOTH(IR_GEN_BIN, xor) IR_GEN_BOTH(IR_GEN_BIN, andc)
IR_GEN_BOTH(IR_GEN_BIN, orc)
IR_GEN_BOTH(IR_GEN_BIN, shl) IR_GEN_BOTH(IR_GEN_BIN, shr)
IR_GEN_BOTH(IR_GEN_BIN, sar) IR_GEN_BOTH(IR_GEN_BIN, rotl)
IR_GEN_BOTH(IR_GEN_BIN, rotr)
#undef IR_GEN_UN
#undef IR_GEN_BIN
#undef IR_GEN_BOTH

static inline void ir_gen_movi_i64(IRContext *s, IRTemp d, uint64_t v)
{ ir_gen_mov_i64(s, d, ir_const_i64(s, v)); }
static inline void ir_gen_addi_i64(IRContext *s, IRTemp d, IRTemp a, int64_t v)
{ ir_gen_add_i64(s, d, a, ir_const_i64(s, (uint64_t)v)); }
static inline void ir_gen_andi_i64(IRContext *s, IRTemp d, IRTemp a, uint64_t v)
{ ir_gen_and_i64(s, d, a, ir_const_i64(s, v)); }
static inline void ir_gen_ori_i64(IRContext *s, IRTemp d, IRTemp a, uint64_t v)
{ ir_gen_or_i64(s, d, a, ir_const_i64(s, v)); }
static inline void ir_gen_xori_i64(IRContext *s, IRTemp d, IRTemp a, uint64_t v)
{ ir_gen_xor_i64(s, d, a, ir_const_i64(s, v)); }
static inline void ir_gen_shli_i64(IRContext *s, IRTemp d, IRTemp a, unsigned v)
{ ir_gen_shl_i64(s, d, a, ir_const_i64(s, v)); }
static inline void ir_gen_shri_i64(IRContext *s, IRTemp d, IRTemp a, unsigned v)
{ ir_gen_shr_i64(s, d, a, ir_const_i64(s, v)); }
static inline void ir_gen_sari_i64(IRContext *s, IRTemp d, IRTemp a, unsigned v)
{ ir_gen_sar_i64(s, d, a, ir_const_i64(s, v)); }

static inline void ir_gen_set_label(IRContext *s, IRLabel l) { ir_op1(s, IR_OP_set_label, l); }
static inline void ir_gen_br(IRContext *s, IRLabel l) { ir_op1(s, IR_OP_br, l); }
static inline void ir_gen_brcond_i64(IRContext *s, IRCond c, IRTemp a, IRTemp b, IRLabel l)
{ ir_op4(s, IR_OP_brcond_i64, a, b, c, l); }
static inline void ir_gen_brcond_i32(IRContext *s, IRCond c, IRTemp a, IRTemp b, IRLabel l)
{ ir_op4(s, IR_OP_brcond_i32, a, b, c, l); }
static inline void ir_gen_setcond_i64(IRContext *s, IRCond c, IRTemp d, IRTemp a, IRTemp b)
{ ir_op4(s, IR_OP_setcond_i64, d, a, b, c); }
static inline void ir_gen_setcond_i32(IRContext *s, IRCond c, IRTemp d, IRTemp a, IRTemp b)
{ ir_op4(s, IR_OP_setcond_i32, d, a, b, c); }
static inline void ir_gen_movcond_i64(IRContext *s, IRCond c, IRTemp d, IRTemp a, IRTemp b,
                                      IRTemp t, IRTemp f)
{ ir_op6(s, IR_OP_movcond_i64, d, a, b, t, f, c); }
static inline void ir_gen_movcond_i32(IRContext *s, IRCond c, IRTemp d, IRTemp a, IRTemp b,
                                      IRTemp t, IRTemp f)
{ ir_op6(s, IR_OP_movcond_i32, d, a, b, t, f, c); }

static inline void ir_gen_ldh_i64(IRContext *s, IRTemp d, IRTemp base, int32_t ofs, MemOp mop)
{ ir_op4(s, IR_OP_ldh_i64, d, base, (uint64_t)(int64_t)ofs, mop); }
static inline void ir_gen_sth_i64(IRContext *s, IRTemp v, IRTemp base, int32_t ofs, MemOp mop)
{ ir_op4(s, IR_OP_sth_i64, v, base, (uint64_t)(int64_t)ofs, mop); }

static inline void ir_gen_qemu_ld_i64(IRContext *s, IRTemp d, IRTemp addr, MemOp mop, int mmu_idx)
{ ir_op4(s, IR_OP_qemu_ld_i64, d, addr, mop, (uint64_t)mmu_idx); }
static inline void ir_gen_qemu_st_i64(IRContext *s, IRTemp v, IRTemp addr, MemOp mop, int mmu_idx)
{ ir_op4(s, IR_OP_qemu_st_i64, v, addr, mop, (uint64_t)mmu_idx); }
static inline void ir_gen_qemu_ld_i32(IRContext *s, IRTemp d, IRTemp addr, MemOp mop, int mmu_idx)
{ ir_op4(s, IR_OP_qemu_ld_i32, d, addr, mop, (uint64_t)mmu_idx); }
static inline void ir_gen_qemu_st_i32(IRContext *s, IRTemp v, IRTemp addr, MemOp mop, int mmu_idx)
{ ir_op4(s, IR_OP_qemu_st_i32, v, addr, mop, (uint64_t)mmu_idx); }

static inline void ir_gen_atomic_cmpxchg_i64(IRContext *s, IRTemp d, IRTemp addr, IRTemp cmp,
                                             IRTemp nv, MemOp mop, int mmu_idx)
{ ir_op6(s, IR_OP_atomic_cmpxchg_i64, d, addr, cmp, nv, mop, (uint64_t)mmu_idx); }
/* opc: one of the IR_OP_atomic_{xchg,fetch_*}_i64/_i32 ops */
static inline void ir_gen_atomic_rmw(IRContext *s, IROpcode opc, IRTemp d, IRTemp addr,
                                     IRTemp val, MemOp mop, int mmu_idx)
{ ir_op5(s, opc, d, addr, val, mop, (uint64_t)mmu_idx); }

static inline void ir_gen_mb(IRContext *s, unsigned mo_bits) { ir_op1(s, IR_OP_mb, mo_bits); }
static inline void ir_gen_insn_start(IRContext *s, uint64_t d0, uint64_t d1)
{ ir_op2(s, IR_OP_insn_start, d0, d1); }
static inline void ir_gen_goto_tb(IRContext *s, unsigned slot) { ir_op1(s, IR_OP_goto_tb, slot); }
static inline void ir_gen_exit_tb(IRContext *s, unsigned code) { ir_op1(s, IR_OP_exit_tb, code); }
static inline void ir_gen_lookup_and_goto(IRContext *s) { ir_emit_def(s, IR_OP_lookup_and_goto, NULL); }

/*
 * Helper call: ret may be IR_NO_RET; args are up to IR_MAX_HELPER_ARGS
 * temps (env is passed implicitly as the first C argument).
 */
#define IR_NO_RET ((IRTemp)~0u)
static inline void ir_gen_call(IRContext *s, const IRHelper *h, IRTemp ret,
                               unsigned nargs, const IRTemp *argv)
{
    IRArg v[IR_MAX_ARGS];
    unsigned n = 0, i;
    if (ret != IR_NO_RET) {
        v[n++] = ret;
    }
    for (i = 0; i < nargs && i < IR_MAX_HELPER_ARGS; i++) {
        v[n++] = argv[i];
    }
    v[n++] = (IRArg)(uintptr_t)h;
    ir_emit(s, IR_OP_call, ret != IR_NO_RET, i, 1, v);
}

#endif /* LOOM_IR_H */
