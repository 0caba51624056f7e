/*
 * aarch64 front-end: what the translate*.c files share (the disassembly
 * context, the IR globals and the common generators).
 */
#ifndef AARCH64_TRANSLATE_H
#define AARCH64_TRANSLATE_H

#include "cpu.h"

/* tb_stop: set pc to pc_next and leave without chaining */
#define DISAS_EXIT_NEXT LOOM_DISAS_TARGET_0

typedef struct DisasContext {
    LoomDisasBase base;         /* first: the core's part */
    const ARMEnv *env;          /* read only for the model, fixed per vCPU */
    uint64_t pc;                /* pc of the insn being translated */
    uint32_t insn;
    int el;                     /* PSTATE.EL, from the TB flags */
    int mem_idx;                /* MMU index of data accesses */
    unsigned align;             /* LOOM_MEM_ALIGN when SCTLR_EL1.A is set */
    bool fp_enabled;            /* TB_FLAGS_FPEN */
} DisasContext;

/* IR globals (translate.c); read-only once global_init ran */
extern LoomIRTemp cpu_x[31];
extern LoomIRTemp cpu_sp;
extern LoomIRTemp cpu_pc;
extern LoomIRTemp cpu_nf, cpu_zf, cpu_cf, cpu_vf;
extern LoomIRTemp cpu_excl_addr, cpu_excl_val, cpu_excl_hi;

static inline LoomIRContext *ctx_ir(DisasContext *dc)
{
    return dc->base.ir;
}

static inline LoomIRTemp cst(DisasContext *dc, uint64_t v)
{
    return loom_ir_const_i64(ctx_ir(dc), v);
}

static inline LoomIRTemp tmp(DisasContext *dc)
{
    return loom_ir_temp_new_i64(ctx_ir(dc));
}

/* sign-extend the low `bits` bits of v */
static inline int64_t sextract64(uint64_t v, int pos, int bits)
{
    return (int64_t)(v << (64 - pos - bits)) >> (64 - bits);
}

static inline uint32_t extract32(uint32_t v, int pos, int bits)
{
    return (v >> pos) & ((1u << bits) - 1);
}

/* Register reads: n = 31 is XZR (the _sp forms: SP).  For 32-bit ops
   (sf false) the value is the low 32 bits, zero-extended. */
LoomIRTemp read_reg(DisasContext *dc, int n, bool sf);
LoomIRTemp read_reg_sp(DisasContext *dc, int n, bool sf);
/* Register writes: 31 is XZR (discarded) or SP; a 32-bit result is
   zero-extended. */
void write_reg(DisasContext *dc, int n, LoomIRTemp v, bool sf);
void write_reg_sp(DisasContext *dc, int n, LoomIRTemp v, bool sf);

/* Exceptions: this insn raises the synchronous exception esr (ELR = the
   insn, or the next one for SVC-like ones with next = true) and the TB
   ends.  gen_raise_esr can sit on a conditional path. */
void gen_raise_esr(DisasContext *dc, uint32_t esr, bool next);
void gen_exception(DisasContext *dc, uint32_t esr, bool next);
void gen_undef(DisasContext *dc);
void gen_goto_tb(DisasContext *dc, unsigned slot, uint64_t dest);

/* Conditions: the IR condition c such that (v c 0) holds when the A64
   condition code cc holds. */
typedef struct ARMCond {
    LoomIRCond c;
    LoomIRTemp v;
} ARMCond;
ARMCond gen_test_cc(DisasContext *dc, unsigned cc);
/* the opposite of an EQ/NE/LT/GE/ALWAYS/NEVER condition */
LoomIRCond arm_invert_cond(LoomIRCond c);

/* Flag-setting arithmetic: d = a + b + ci (ci 0 or 1), NZCV from it.  a
   and b are zero-extended 32-bit values when !sf.  d may be NO_RET. */
void gen_adc_cc(DisasContext *dc, bool sf, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                LoomIRTemp ci);
/* the same, returning the result in a fresh temp */
LoomIRTemp gen_adc_cc_res(DisasContext *dc, bool sf, LoomIRTemp a, LoomIRTemp b, LoomIRTemp ci);
/* N and Z from a logical result (zero-extended when !sf); C = V = 0 */
void gen_logic_cc(DisasContext *dc, bool sf, LoomIRTemp r);

/* translate-dp.c: data processing, immediate and register */
bool trans_dp_imm(DisasContext *dc);
bool trans_dp_reg(DisasContext *dc);
/* translate-ldst.c: loads, stores, exclusives and atomics */
bool trans_ldst(DisasContext *dc);

/* SIMD&FP register access: the env offset of V<n> bits 63:0 (half 0) or
   127:64 (half 1) */
static inline int32_t vreg_ofs(int n, int half)
{
    return (int32_t)offsetof(ARMEnv, vreg[n][half]);
}

/* V<n> bits 63:0 (half 0) or 127:64 (half 1), read into a fresh temp
   or written from v */
static inline LoomIRTemp vreg_get(DisasContext *dc, int n, int half)
{
    LoomIRTemp t = tmp(dc);

    loom_ir_gen_ldh_i64(ctx_ir(dc), t, LOOM_IR_ENV, vreg_ofs(n, half), LOOM_MEM_UQ);
    return t;
}

static inline void vreg_set(DisasContext *dc, int n, int half, LoomIRTemp v)
{
    loom_ir_gen_sth_i64(ctx_ir(dc), v, LOOM_IR_ENV, vreg_ofs(n, half), LOOM_MEM_UQ);
}

/* A scalar write (B, H, S or D, v zero-extended): bits 127:64 become 0 */
static inline void vreg_set_scalar(DisasContext *dc, int n, LoomIRTemp v)
{
    vreg_set(dc, n, 0, v);
    vreg_set(dc, n, 1, cst(dc, 0));
}

/* Call after decoding a SIMD&FP insn, before emitting any code for it:
   true if CPACR_EL1.FPEN lets it run; else it raises the FP access trap
   (EC 0x07) and the caller returns true without translating it. */
bool fp_access_check(DisasContext *dc);

/* translate-fp.c: the SIMD&FP data-processing group (op0 x111), split
   between scalar FP (here) and AdvSIMD (trans_simd) */
bool trans_fpsimd(DisasContext *dc);
/* translate-fp.c: the floating-point encodings inside the AdvSIMD groups
   (false for the others: trans_fpsimd then tries trans_simd) */
bool trans_simd_fp(DisasContext *dc);
/* translate-simd.c: AdvSIMD data processing, and the structure loads
   and stores (LD1-LD4, ST1-ST4, LD1R-LD4R) */
bool trans_simd(DisasContext *dc);
bool trans_simd_ldst(DisasContext *dc);
/* helper-simd.c: the AdvSIMD interpreter.  With vreg NULL only says
   whether insn is an integer AdvSIMD encoding it implements; else runs
   it on vreg (setting FPSR.QC in *fpsr when it saturates). */
bool simd_exec(uint64_t (*vreg)[2], uint64_t *fpsr, uint32_t insn);
extern const LoomIRHelper aarch64_helper_simd;

#endif /* AARCH64_TRANSLATE_H */
