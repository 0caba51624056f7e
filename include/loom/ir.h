/*
 * loom IR: the contract between front-ends (which build it) and back-ends
 * (which run or compile it).  One LoomIRContext holds one translation block.
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
 *   env     - LOOM_IR_ENV, the pointer to the vCPU's env (the first temp).
 */
#ifndef LOOM_IR_H
#define LOOM_IR_H

#include <loom/plugin.h>

typedef enum LoomIRFlags {
    LOOM_IR_F_BB_END = 0x01,     /* ends a basic block */
    LOOM_IR_F_COND = 0x02,       /* has a condition constant */
    LOOM_IR_F_64 = 0x04,         /* operates on i64 */
    LOOM_IR_F_SIDE = 0x08,       /* has side effects: never removed */
    LOOM_IR_F_MEM = 0x10,        /* guest memory access: may fault */
    LOOM_IR_F_VARARGS = 0x20,    /* argument counts come from the op */
    LOOM_IR_F_EXIT = 0x40,       /* leaves the TB */
    LOOM_IR_F_OPT = 0x80,        /* optional: legalised unless the back-end has it */
} LoomIRFlags;

typedef enum LoomIROpcode {
#define LOOM_IR_DEF(name, o, i, c, f) LOOM_IR_OP_##name,
#include <loom/ir-ops.h>
#undef LOOM_IR_DEF
    LOOM_IR_OP_COUNT
} LoomIROpcode;

typedef struct LoomIROpDef {
    const char *name;
    uint8_t nout, nin, ncon;
    uint8_t flags;
} LoomIROpDef;

/* Indexed by LoomIROpcode; exported by the core. */
extern LOOM_API const LoomIROpDef loom_ir_op_defs[LOOM_IR_OP_COUNT];

static inline bool loom_ir_op_is_optional(unsigned opc)
{
    return opc < LOOM_IR_OP_COUNT && (loom_ir_op_defs[opc].flags & LOOM_IR_F_OPT);
}

typedef enum LoomIRType { LOOM_IR_I32 = 0, LOOM_IR_I64 = 1 } LoomIRType;

typedef enum LoomIRTempKind {
    LOOM_IR_TEMP_EBB = 0,
    LOOM_IR_TEMP_TB,
    LOOM_IR_TEMP_GLOBAL,
    LOOM_IR_TEMP_CONST,
    LOOM_IR_TEMP_ENV,
} LoomIRTempKind;

typedef uint32_t LoomIRTemp;
typedef uint32_t LoomIRLabel;
typedef uint64_t LoomIRArg;

#define LOOM_IR_ENV ((LoomIRTemp)0)
#define LOOM_IR_MAX_ARGS 10            /* outputs + inputs + constants of one op */
#define LOOM_IR_MAX_TEMPS 1024
#define LOOM_IR_MAX_OPS 4096
#define LOOM_IR_MAX_GLOBALS 128
#define LOOM_IR_MAX_HELPER_ARGS 6
/* insn_start carries LoomFrontendOps.insn_start_words data words, 1..this */
#define LOOM_IR_MAX_INSN_START_WORDS 4

typedef struct LoomIRTempInfo {
    uint8_t type;           /* LoomIRType */
    uint8_t kind;           /* LoomIRTempKind */
    uint8_t in_use;         /* ebb/tb temps: allocated */
    uint8_t pad;
    int32_t env_offset;     /* globals: byte offset of the 64-bit field */
    uint64_t val;           /* consts: the value */
    const char *name;       /* globals: for dumps */
} LoomIRTempInfo;

typedef struct LoomIROp {
    uint16_t opc;           /* LoomIROpcode */
    uint8_t nout, nin, ncon;
    uint8_t pad[3];
    LoomIRArg args[LOOM_IR_MAX_ARGS];
} LoomIROp;

typedef struct LoomIRContext {
    LoomIROp *ops;
    uint32_t nb_ops;
    uint32_t nb_temps;
    uint32_t nb_labels;
    uint32_t nb_insns;          /* insn_start ops emitted */
    LoomIRTempInfo *temps;
    void *core_private;         /* the core's bookkeeping; do not touch */
} LoomIRContext;

/* Conditions for brcond/setcond/movcond. */
typedef enum LoomIRCond {
    LOOM_IR_COND_NEVER = 0,
    LOOM_IR_COND_ALWAYS,
    LOOM_IR_COND_EQ, LOOM_IR_COND_NE,
    LOOM_IR_COND_LT, LOOM_IR_COND_GE, LOOM_IR_COND_LE, LOOM_IR_COND_GT,     /* signed */
    LOOM_IR_COND_LTU, LOOM_IR_COND_GEU, LOOM_IR_COND_LEU, LOOM_IR_COND_GTU, /* unsigned */
} LoomIRCond;

/* Memory operation descriptor for guest loads, stores and atomics. */
typedef enum LoomMemOp {
    LOOM_MEM_8 = 0, LOOM_MEM_16 = 1, LOOM_MEM_32 = 2, LOOM_MEM_64 = 3,
    LOOM_MEM_SIZE = 3,
    LOOM_MEM_SIGN = 4,            /* sign-extend loads */
    LOOM_MEM_BE = 8,              /* big-endian (default little) */
    LOOM_MEM_ALIGN = 16,          /* fault unless naturally aligned */
    LOOM_MEM_UB = LOOM_MEM_8, LOOM_MEM_UW = LOOM_MEM_16, LOOM_MEM_UL = LOOM_MEM_32, LOOM_MEM_UQ = LOOM_MEM_64,
    LOOM_MEM_SB = LOOM_MEM_8 | LOOM_MEM_SIGN, LOOM_MEM_SW = LOOM_MEM_16 | LOOM_MEM_SIGN, LOOM_MEM_SL = LOOM_MEM_32 | LOOM_MEM_SIGN,
} LoomMemOp;

static inline unsigned loom_memop_size(unsigned mop) { return 1u << (mop & LOOM_MEM_SIZE); }
/* v as a load of memop's size and signedness leaves it in a 64-bit
   register: the low bytes, zero- or sign-extended (LOOM_MEM_SIGN). */
static inline uint64_t loom_memop_extend(uint64_t v, unsigned mop)
{
    unsigned bits = loom_memop_size(mop) * 8;

    if (bits == 64) {
        return v;
    }
    v &= (UINT64_C(1) << bits) - 1;
    if (mop & LOOM_MEM_SIGN) {
        uint64_t m = UINT64_C(1) << (bits - 1);
        v = (v ^ m) - m;
    }
    return v;
}

/* The low size bytes of v (size 1, 2, 4 or 8) in the other byte order;
   v as it is for any other size. */
static inline uint64_t loom_bswap_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32((uint32_t)v);
    case 8: return __builtin_bswap64(v);
    default: return v;
    }
}

/* exit_tb codes; the back-end returns (uintptr_t)tb | code to the core */
enum {
    LOOM_IR_EXIT_SLOT0 = 0,      /* left through goto_tb slot 0: may be chained */
    LOOM_IR_EXIT_SLOT1 = 1,      /* left through goto_tb slot 1: may be chained */
    LOOM_IR_EXIT_PLAIN = 2,      /* plain exit, no chaining */
    LOOM_IR_EXIT_REQUESTED = 3,  /* exit request seen at TB entry, TB not run */
    LOOM_IR_EXIT_MASK = 3,
};

/*
 * Helpers called from IR.  One signature for all: env first, then
 * LOOM_IR_MAX_HELPER_ARGS (6) 64-bit arguments (unused ones are 0).  A helper
 * may raise a guest exception with loom_cpu_loop_exit_restore(cpu,
 * LOOM_GETPC()).
 */
typedef uint64_t LoomHelperFn(void *env, uint64_t a0, uint64_t a1, uint64_t a2,
                              uint64_t a3, uint64_t a4, uint64_t a5);

/*
 * Helper flags tell a back-end which guest globals it must write back to
 * env before the call and reload after it.  Rules:
 *  - a helper that may raise (no LOOM_IR_CALL_NO_RAISE) may be unwound to the
 *    start of its insn, so every global is written back before the call
 *    whatever LOOM_IR_CALL_NO_READ_GLOBALS says;
 *  - the call's return temp is written by the back-end, not the helper:
 *    it may be a global even with LOOM_IR_CALL_NO_WRITE_GLOBALS.
 */
enum {
    LOOM_IR_CALL_NO_READ_GLOBALS = 0x1,  /* does not read guest globals */
    LOOM_IR_CALL_NO_WRITE_GLOBALS = 0x2, /* does not write guest globals */
    LOOM_IR_CALL_NO_SIDE_EFFECTS = 0x4,  /* pure: may be removed if unused */
    LOOM_IR_CALL_NO_RAISE = 0x8,         /* never raises a guest exception */
};

typedef struct LoomIRHelper {
    LoomHelperFn *fn;
    const char *name;
    uint32_t flags;         /* LOOM_IR_CALL_* */
} LoomIRHelper;

#define LOOM_GETPC() ((uintptr_t)__builtin_return_address(0))

/* --- core functions to build IR (exported by the loom executable) --- */

/* Front-end load time only: declare a 64-bit global at env + offset. */
LOOM_API LoomIRTemp loom_ir_global_i64(int32_t env_offset, const char *name);

LOOM_API LoomIRTemp loom_ir_temp_new(LoomIRContext *s, LoomIRType type, LoomIRTempKind kind);
LOOM_API LoomIRTemp loom_ir_const(LoomIRContext *s, LoomIRType type, uint64_t val);
LOOM_API LoomIRLabel loom_ir_label_new(LoomIRContext *s);
LOOM_API void loom_ir_emit(LoomIRContext *s, LoomIROpcode opc, unsigned nout,
                      unsigned nin, unsigned ncon, const LoomIRArg *args);
/* Print the context readably, one op a line, to the log. */
LOOM_API void loom_ir_dump(const LoomIRContext *s, const char *title);

static inline LoomIRTemp loom_ir_temp_new_i32(LoomIRContext *s) { return loom_ir_temp_new(s, LOOM_IR_I32, LOOM_IR_TEMP_EBB); }
static inline LoomIRTemp loom_ir_temp_new_i64(LoomIRContext *s) { return loom_ir_temp_new(s, LOOM_IR_I64, LOOM_IR_TEMP_EBB); }
static inline LoomIRTemp loom_ir_temp_tb_i64(LoomIRContext *s) { return loom_ir_temp_new(s, LOOM_IR_I64, LOOM_IR_TEMP_TB); }
static inline LoomIRTemp loom_ir_const_i32(LoomIRContext *s, uint32_t v) { return loom_ir_const(s, LOOM_IR_I32, v); }
static inline LoomIRTemp loom_ir_const_i64(LoomIRContext *s, uint64_t v) { return loom_ir_const(s, LOOM_IR_I64, v); }

static inline void loom_ir_emit_def(LoomIRContext *s, LoomIROpcode opc, const LoomIRArg *args)
{
    const LoomIROpDef *d = &loom_ir_op_defs[opc];
    loom_ir_emit(s, opc, d->nout, d->nin, d->ncon, args);
}

static inline void loom_ir_op1(LoomIRContext *s, LoomIROpcode o, LoomIRArg a)
{ LoomIRArg v[1] = { a }; loom_ir_emit_def(s, o, v); }
static inline void loom_ir_op2(LoomIRContext *s, LoomIROpcode o, LoomIRArg a, LoomIRArg b)
{ LoomIRArg v[2] = { a, b }; loom_ir_emit_def(s, o, v); }
static inline void loom_ir_op3(LoomIRContext *s, LoomIROpcode o, LoomIRArg a, LoomIRArg b, LoomIRArg c)
{ LoomIRArg v[3] = { a, b, c }; loom_ir_emit_def(s, o, v); }
static inline void loom_ir_op4(LoomIRContext *s, LoomIROpcode o, LoomIRArg a, LoomIRArg b, LoomIRArg c, LoomIRArg d)
{ LoomIRArg v[4] = { a, b, c, d }; loom_ir_emit_def(s, o, v); }
static inline void loom_ir_op5(LoomIRContext *s, LoomIROpcode o, LoomIRArg a, LoomIRArg b, LoomIRArg c, LoomIRArg d, LoomIRArg e)
{ LoomIRArg v[5] = { a, b, c, d, e }; loom_ir_emit_def(s, o, v); }
static inline void loom_ir_op6(LoomIRContext *s, LoomIROpcode o, LoomIRArg a, LoomIRArg b, LoomIRArg c, LoomIRArg d, LoomIRArg e, LoomIRArg f)
{ LoomIRArg v[6] = { a, b, c, d, e, f }; loom_ir_emit_def(s, o, v); }

/* loom_ir_gen_<op>_<type>(s, d, a[, b]) for every one- and two-operand op */
#define LOOM_IR_GEN_UN(op) \
    static inline void loom_ir_gen_##op(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a) \
    { loom_ir_op2(s, LOOM_IR_OP_##op, d, a); }
#define LOOM_IR_GEN_BIN(op) \
    static inline void loom_ir_gen_##op(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b) \
    { loom_ir_op3(s, LOOM_IR_OP_##op, d, a, b); }
#define LOOM_IR_GEN_BOTH(gen, op) gen(op##_i32) gen(op##_i64)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, mov)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, neg)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, not)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, clz)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, ctz)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, ctpop)
LOOM_IR_GEN_UN(bswap32_i32) LOOM_IR_GEN_UN(bswap64_i64)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, ext8s) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, ext8u)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, ext16s) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_UN, ext16u)
LOOM_IR_GEN_UN(ext32s_i64) LOOM_IR_GEN_UN(ext32u_i64)
LOOM_IR_GEN_UN(exts_i32_i64) LOOM_IR_GEN_UN(extu_i32_i64)
LOOM_IR_GEN_UN(extrl_i64_i32) LOOM_IR_GEN_UN(extrh_i64_i32)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, add) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, sub)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, mul) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, mulsh)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, muluh) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, mulsuh)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, div) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, divu)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, rem) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, remu)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, and) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, or)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, xor) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, andc)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, orc)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, shl) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, shr)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, sar) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, rotl)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_BIN, rotr)
LOOM_IR_GEN_UN(bswap16_i32) LOOM_IR_GEN_UN(bswap16_i64) LOOM_IR_GEN_UN(bswap32_i64)

/* bit fields: loom_ir_gen_{extract,sextract}_<type>(s, d, a, pos, len) and
   loom_ir_gen_deposit_<type>(s, d, a, b, pos, len) */
#define LOOM_IR_GEN_EXTRACT(op) \
    static inline void loom_ir_gen_##op(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, \
                                        unsigned pos, unsigned len) \
    { loom_ir_op4(s, LOOM_IR_OP_##op, d, a, pos, len); }
#define LOOM_IR_GEN_DEPOSIT(op) \
    static inline void loom_ir_gen_##op(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b, \
                                        unsigned pos, unsigned len) \
    { loom_ir_op5(s, LOOM_IR_OP_##op, d, a, b, pos, len); }
/* carry chains: loom_ir_gen_{addc,subb}_<type>(s, d, co, a, b, ci) */
#define LOOM_IR_GEN_CARRY(op) \
    static inline void loom_ir_gen_##op(LoomIRContext *s, LoomIRTemp d, LoomIRTemp co, LoomIRTemp a, \
                                        LoomIRTemp b, LoomIRTemp ci) \
    { loom_ir_op5(s, LOOM_IR_OP_##op, d, co, a, b, ci); }
/* widening multiplies: loom_ir_gen_{mulu2,muls2}_<type>(s, lo, hi, a, b) */
#define LOOM_IR_GEN_MUL2(op) \
    static inline void loom_ir_gen_##op(LoomIRContext *s, LoomIRTemp lo, LoomIRTemp hi, LoomIRTemp a, \
                                        LoomIRTemp b) \
    { loom_ir_op4(s, LOOM_IR_OP_##op, lo, hi, a, b); }
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_EXTRACT, extract) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_EXTRACT, sextract)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_DEPOSIT, deposit)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_CARRY, addc) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_CARRY, subb)
LOOM_IR_GEN_BOTH(LOOM_IR_GEN_MUL2, mulu2) LOOM_IR_GEN_BOTH(LOOM_IR_GEN_MUL2, muls2)
#undef LOOM_IR_GEN_EXTRACT
#undef LOOM_IR_GEN_DEPOSIT
#undef LOOM_IR_GEN_CARRY
#undef LOOM_IR_GEN_MUL2
#undef LOOM_IR_GEN_UN
#undef LOOM_IR_GEN_BIN
#undef LOOM_IR_GEN_BOTH

static inline void loom_ir_gen_movi_i64(LoomIRContext *s, LoomIRTemp d, uint64_t v)
{ loom_ir_gen_mov_i64(s, d, loom_ir_const_i64(s, v)); }
static inline void loom_ir_gen_addi_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, int64_t v)
{ loom_ir_gen_add_i64(s, d, a, loom_ir_const_i64(s, (uint64_t)v)); }
static inline void loom_ir_gen_andi_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, uint64_t v)
{ loom_ir_gen_and_i64(s, d, a, loom_ir_const_i64(s, v)); }
static inline void loom_ir_gen_ori_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, uint64_t v)
{ loom_ir_gen_or_i64(s, d, a, loom_ir_const_i64(s, v)); }
static inline void loom_ir_gen_xori_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, uint64_t v)
{ loom_ir_gen_xor_i64(s, d, a, loom_ir_const_i64(s, v)); }
static inline void loom_ir_gen_shli_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, unsigned v)
{ loom_ir_gen_shl_i64(s, d, a, loom_ir_const_i64(s, v)); }
static inline void loom_ir_gen_shri_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, unsigned v)
{ loom_ir_gen_shr_i64(s, d, a, loom_ir_const_i64(s, v)); }
static inline void loom_ir_gen_sari_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp a, unsigned v)
{ loom_ir_gen_sar_i64(s, d, a, loom_ir_const_i64(s, v)); }

static inline void loom_ir_gen_set_label(LoomIRContext *s, LoomIRLabel l) { loom_ir_op1(s, LOOM_IR_OP_set_label, l); }
static inline void loom_ir_gen_br(LoomIRContext *s, LoomIRLabel l) { loom_ir_op1(s, LOOM_IR_OP_br, l); }
static inline void loom_ir_gen_brcond_i64(LoomIRContext *s, LoomIRCond c, LoomIRTemp a, LoomIRTemp b, LoomIRLabel l)
{ loom_ir_op4(s, LOOM_IR_OP_brcond_i64, a, b, c, l); }
static inline void loom_ir_gen_brcond_i32(LoomIRContext *s, LoomIRCond c, LoomIRTemp a, LoomIRTemp b, LoomIRLabel l)
{ loom_ir_op4(s, LOOM_IR_OP_brcond_i32, a, b, c, l); }
static inline void loom_ir_gen_setcond_i64(LoomIRContext *s, LoomIRCond c, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b)
{ loom_ir_op4(s, LOOM_IR_OP_setcond_i64, d, a, b, c); }
static inline void loom_ir_gen_setcond_i32(LoomIRContext *s, LoomIRCond c, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b)
{ loom_ir_op4(s, LOOM_IR_OP_setcond_i32, d, a, b, c); }
static inline void loom_ir_gen_movcond_i64(LoomIRContext *s, LoomIRCond c, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                                      LoomIRTemp t, LoomIRTemp f)
{ loom_ir_op6(s, LOOM_IR_OP_movcond_i64, d, a, b, t, f, c); }
static inline void loom_ir_gen_movcond_i32(LoomIRContext *s, LoomIRCond c, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                                      LoomIRTemp t, LoomIRTemp f)
{ loom_ir_op6(s, LOOM_IR_OP_movcond_i32, d, a, b, t, f, c); }

static inline void loom_ir_gen_ldh_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp base, int32_t ofs, LoomMemOp mop)
{ loom_ir_op4(s, LOOM_IR_OP_ldh_i64, d, base, (uint64_t)(int64_t)ofs, mop); }
static inline void loom_ir_gen_sth_i64(LoomIRContext *s, LoomIRTemp v, LoomIRTemp base, int32_t ofs, LoomMemOp mop)
{ loom_ir_op4(s, LOOM_IR_OP_sth_i64, v, base, (uint64_t)(int64_t)ofs, mop); }

static inline void loom_ir_gen_qemu_ld_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp addr, LoomMemOp mop, int mmu_idx)
{ loom_ir_op4(s, LOOM_IR_OP_qemu_ld_i64, d, addr, mop, (uint64_t)mmu_idx); }
static inline void loom_ir_gen_qemu_st_i64(LoomIRContext *s, LoomIRTemp v, LoomIRTemp addr, LoomMemOp mop, int mmu_idx)
{ loom_ir_op4(s, LOOM_IR_OP_qemu_st_i64, v, addr, mop, (uint64_t)mmu_idx); }
static inline void loom_ir_gen_qemu_ld_i32(LoomIRContext *s, LoomIRTemp d, LoomIRTemp addr, LoomMemOp mop, int mmu_idx)
{ loom_ir_op4(s, LOOM_IR_OP_qemu_ld_i32, d, addr, mop, (uint64_t)mmu_idx); }
static inline void loom_ir_gen_qemu_st_i32(LoomIRContext *s, LoomIRTemp v, LoomIRTemp addr, LoomMemOp mop, int mmu_idx)
{ loom_ir_op4(s, LOOM_IR_OP_qemu_st_i32, v, addr, mop, (uint64_t)mmu_idx); }

static inline void loom_ir_gen_atomic_cmpxchg_i64(LoomIRContext *s, LoomIRTemp d, LoomIRTemp addr, LoomIRTemp cmp,
                                             LoomIRTemp nv, LoomMemOp mop, int mmu_idx)
{ loom_ir_op6(s, LOOM_IR_OP_atomic_cmpxchg_i64, d, addr, cmp, nv, mop, (uint64_t)mmu_idx); }
/* opc: one of the LOOM_IR_OP_atomic_{xchg,fetch_*}_i64/_i32 ops */
static inline void loom_ir_gen_atomic_rmw(LoomIRContext *s, LoomIROpcode opc, LoomIRTemp d, LoomIRTemp addr,
                                     LoomIRTemp val, LoomMemOp mop, int mmu_idx)
{ loom_ir_op5(s, opc, d, addr, val, mop, (uint64_t)mmu_idx); }

/* the 128-bit compare-and-swap (see ir-ops.h) */
static inline void loom_ir_gen_atomic_cmpxchg_i128(LoomIRContext *s, LoomIRTemp dlo, LoomIRTemp dhi,
                                                   LoomIRTemp addr, LoomIRTemp cmplo, LoomIRTemp cmphi,
                                                   LoomIRTemp newlo, LoomIRTemp newhi, LoomMemOp mop,
                                                   int mmu_idx)
{
    LoomIRArg v[9] = { dlo, dhi, addr, cmplo, cmphi, newlo, newhi, mop, (uint64_t)mmu_idx };
    loom_ir_emit_def(s, LOOM_IR_OP_atomic_cmpxchg_i128, v);
}

static inline void loom_ir_gen_mb(LoomIRContext *s, unsigned mo_bits) { loom_ir_op1(s, LOOM_IR_OP_mb, mo_bits); }
/* insn_start with n data words: n must be the front-end's insn_start_words */
static inline void loom_ir_gen_insn_start_n(LoomIRContext *s, unsigned n, const uint64_t *words)
{ loom_ir_emit(s, LOOM_IR_OP_insn_start, 0, 0, n, words); }
/* the same for a front-end that declares 2 words */
static inline void loom_ir_gen_insn_start(LoomIRContext *s, uint64_t d0, uint64_t d1)
{ uint64_t w[2] = { d0, d1 }; loom_ir_gen_insn_start_n(s, 2, w); }
static inline void loom_ir_gen_goto_tb(LoomIRContext *s, unsigned slot) { loom_ir_op1(s, LOOM_IR_OP_goto_tb, slot); }
static inline void loom_ir_gen_exit_tb(LoomIRContext *s, unsigned code) { loom_ir_op1(s, LOOM_IR_OP_exit_tb, code); }
static inline void loom_ir_gen_lookup_and_goto(LoomIRContext *s) { loom_ir_emit_def(s, LOOM_IR_OP_lookup_and_goto, NULL); }

/*
 * Helper call: ret may be LOOM_IR_NO_RET; args are up to LOOM_IR_MAX_HELPER_ARGS
 * (6) temps (env is passed implicitly as the first C argument).
 */
#define LOOM_IR_NO_RET ((LoomIRTemp)~0u)
static inline void loom_ir_gen_call(LoomIRContext *s, const LoomIRHelper *h, LoomIRTemp ret,
                               unsigned nargs, const LoomIRTemp *argv)
{
    LoomIRArg v[LOOM_IR_MAX_ARGS];
    unsigned n = 0, i;
    if (ret != LOOM_IR_NO_RET) {
        v[n++] = ret;
    }
    /* more than LOOM_IR_MAX_HELPER_ARGS is reported by loom_ir_emit */
    for (i = 0; i < nargs && n < LOOM_IR_MAX_ARGS - 1; i++) {
        v[n++] = argv[i];
    }
    v[n++] = (LoomIRArg)(uintptr_t)h;
    loom_ir_emit(s, LOOM_IR_OP_call, ret != LOOM_IR_NO_RET, i, 1, v);
}

#endif /* LOOM_IR_H */
