/*
 * riscv64 front-end: guest instructions -> loom IR.
 *
 * Fetch reads 16 bits and, for a 32-bit insn, the next 16; a 16-bit insn
 * is expanded to its 32-bit form (translate-rvc.c) and goes through the
 * same handlers, which use dc->ilen for link and fall-through pcs.
 *
 * The decoder dispatches on the major opcode (insn[6:2]) through
 * opcode_table; each handler decodes funct3/funct7 itself, checks the
 * whole encoding before it emits anything, and returns false for an
 * illegal one (the caller then raises illegal instruction).
 *
 * TB exits: direct branches and jal chain through goto_tb slots (0 for the
 * fall-through or sole successor, 1 for a taken branch) when the target is
 * on the TB's page, else set pc and lookup_and_goto; jalr sets pc and uses
 * lookup_and_goto; anything that changes the TB key or interrupt
 * enablement ends the TB with a plain exit.
 *
 * Instruction counting (cycle/instret): insn_count is an IR global; the
 * TB adds its instructions to it when it leaves, and before a CSR access
 * those before the CSR insn, so counter reads are exact.  Only
 * unconditional code marks insns counted, so every path out of the TB
 * counts each insn once; a TB left by a memory fault does not count (the
 * counters are approximate, but monotonic).
 */
#include "cpu.h"

/* tb_stop: set pc to pc_next and leave without chaining */
#define DISAS_EXIT_NEXT LOOM_DISAS_TARGET_0

typedef struct DisasContext {
    LoomDisasBase base;         /* first: the core's part */
    const RISCVEnv *env;        /* read only for misa, fixed per hart */
    uint64_t pc;                /* pc of the insn being translated */
    uint32_t insn;              /* 32-bit form (a 16-bit insn expanded) */
    uint32_t insn_bits;         /* as fetched: the 16 or 32 bits, for mtval */
    int ilen;                   /* 2 or 4 bytes */
    int priv;                   /* PRV_*, from the TB flags */
    int mem_idx;                /* MMU index of data accesses */
    int insns;                  /* insns in this TB so far, current included */
    int insns_counted;          /* of those, already added to insn_count */
    uint32_t insn_start_op;     /* index in ir->ops of this insn's insn_start */
    RISCVFPDisas fp;            /* F/D state of this TB (translate-fp.c) */
    bool trig_exec;             /* TB_FLAGS_TRIG_EXEC: check each insn's pc */
} DisasContext;

/*
 * IR globals.  Written once by riscv_translate_init (the front-end's
 * global_init) before any vCPU thread exists, read-only afterwards: every
 * translating thread reads them without a lock.
 */
static LoomIRTemp cpu_x[32];        /* cpu_x[0] unused: x0 reads as constant 0 */
static LoomIRTemp cpu_pc;
static LoomIRTemp cpu_load_res;
static LoomIRTemp cpu_load_val;
static LoomIRTemp cpu_insn_count;

static const char *const gpr_names[32] = {
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
    "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
    "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "x31",
};

void riscv_translate_init(void)
{
    for (int i = 1; i < 32; i++) {
        cpu_x[i] = loom_ir_global_i64((int32_t)offsetof(RISCVEnv, x[i]), gpr_names[i]);
    }
    cpu_pc = loom_ir_global_i64((int32_t)offsetof(RISCVEnv, pc), "pc");
    cpu_load_res = loom_ir_global_i64((int32_t)offsetof(RISCVEnv, load_res), "load_res");
    cpu_load_val = loom_ir_global_i64((int32_t)offsetof(RISCVEnv, load_val), "load_val");
    cpu_insn_count = loom_ir_global_i64((int32_t)offsetof(RISCVEnv, insn_count), "insn_count");
}

/* ---- instruction fields ---- */

static inline int insn_rd(uint32_t i) { return (i >> 7) & 31; }
static inline int insn_rs1(uint32_t i) { return (i >> 15) & 31; }
static inline int insn_rs2(uint32_t i) { return (i >> 20) & 31; }
static inline int insn_funct3(uint32_t i) { return (i >> 12) & 7; }
static inline int insn_funct7(uint32_t i) { return (int)(i >> 25); }

/* sign-extend the low `bits` bits of v */
static inline int64_t sext(uint32_t v, int bits)
{
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

static inline int64_t imm_i(uint32_t i)
{
    return (int32_t)i >> 20;
}

static inline int64_t imm_s(uint32_t i)
{
    return sext(((i >> 25) << 5) | ((i >> 7) & 0x1f), 12);
}

static inline int64_t imm_b(uint32_t i)
{
    return sext(((i >> 31) << 12) | (((i >> 7) & 1) << 11) |
                (((i >> 25) & 0x3f) << 5) | (((i >> 8) & 0xf) << 1), 13);
}

static inline int64_t imm_u(uint32_t i)
{
    return (int32_t)(i & 0xfffff000u);
}

static inline int64_t imm_j(uint32_t i)
{
    return sext(((i >> 31) << 20) | (i & 0xff000) | (((i >> 20) & 1) << 11) |
                (((i >> 21) & 0x3ff) << 1), 21);
}

/* ---- common generators ---- */

static inline LoomIRContext *ctx_ir(DisasContext *dc)
{
    return dc->base.ir;
}

/* Source register: x0 is the constant 0. */
static LoomIRTemp gpr(DisasContext *dc, int r)
{
    return r ? cpu_x[r] : loom_ir_const_i64(ctx_ir(dc), 0);
}

/* Destination register: writes to x0 go to a scratch temp (for insns that
   must still run, e.g. loads). */
static LoomIRTemp gpr_dest(DisasContext *dc, int r)
{
    return r ? cpu_x[r] : loom_ir_temp_new_i64(ctx_ir(dc));
}

static LoomIRTemp cst(DisasContext *dc, uint64_t v)
{
    return loom_ir_const_i64(ctx_ir(dc), v);
}

/* Record how this insn's memory faults are reported (insn_start data
   word 1, read back by restore_state). */
static void set_insn_flags(DisasContext *dc, uint32_t flags)
{
    LoomIROp *op = &ctx_ir(dc)->ops[dc->insn_start_op];

    assert(op->opc == LOOM_IR_OP_insn_start);
    op->args[1] = flags;
}

/* Add the uncounted insns up to `upto` (this TB's first is 1) to
   insn_count.  Unconditional code only: it marks them counted. */
static void gen_count_insns(DisasContext *dc, int upto)
{
    int n = upto - dc->insns_counted;

    if (n > 0) {
        loom_ir_gen_addi_i64(ctx_ir(dc), cpu_insn_count, cpu_insn_count, n);
        dc->insns_counted = upto;
    }
}

/* Leave for dest.  The core chains only within one guest page (another
   page's mapping may change), so a jump off the page looks dest up. */
static void gen_goto_tb(DisasContext *dc, unsigned slot, uint64_t dest)
{
    LoomIRContext *ir = ctx_ir(dc);

    if ((dest & RISCV_PAGE_MASK) == (dc->base.pc_first & RISCV_PAGE_MASK)) {
        loom_ir_gen_goto_tb(ir, slot);
        loom_ir_gen_movi_i64(ir, cpu_pc, dest);
        loom_ir_gen_exit_tb(ir, slot);
    } else {
        loom_ir_gen_movi_i64(ir, cpu_pc, dest);
        loom_ir_gen_lookup_and_goto(ir);
    }
}

/* Raise `cause` at this insn; usable on a conditional path.  The helper
   does not return: the exit after it only keeps every IR path ending in
   an exit. */
static void gen_raise(DisasContext *dc, int cause, LoomIRTemp tval)
{
    LoomIRContext *ir = ctx_ir(dc);
    int uncounted = dc->insns - 1 - dc->insns_counted;  /* before this one */
    LoomIRTemp args[2] = { cst(dc, (uint64_t)cause), tval };

    if (uncounted > 0) {    /* on this path only: leaves them uncounted */
        loom_ir_gen_addi_i64(ir, cpu_insn_count, cpu_insn_count, uncounted);
    }
    loom_ir_gen_movi_i64(ir, cpu_pc, dc->pc);
    loom_ir_gen_call(ir, &riscv_helper_raise, LOOM_IR_NO_RET, 2, args);
    loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);
}

/* This insn traps (it does not retire): the TB ends here. */
static void gen_exception(DisasContext *dc, int cause, uint64_t tval)
{
    gen_raise(dc, cause, cst(dc, tval));
    dc->base.is_jmp = LOOM_DISAS_NORETURN;
}

static void gen_illegal(DisasContext *dc)
{
    if (loom_log_enabled(LOOM_LOG_UNIMP)) {
        loom_log("riscv: illegal instruction 0x%0*x at 0x%016" PRIx64 "\n",
                 dc->ilen * 2, dc->insn_bits, dc->pc);
    }
    gen_exception(dc, EXCP_ILLEGAL_INSN, dc->insn_bits);
}

/* The address of the next insn: link value and fall-through pc. */
static inline uint64_t next_pc(DisasContext *dc)
{
    return dc->pc + (uint64_t)dc->ilen;
}

/* Jumps need a 4-byte aligned target until C makes IALIGN 16. */
static uint64_t target_align_mask(DisasContext *dc)
{
    return riscv_has_ext(dc->env, 'C') ? 1 : 3;
}

/* addr = x[rs1] + imm, without an add when one side is zero */
static LoomIRTemp gen_addr(DisasContext *dc, int rs1, int64_t imm)
{
    LoomIRTemp t;

    if (imm == 0) {
        return gpr(dc, rs1);
    }
    if (rs1 == 0) {
        return cst(dc, (uint64_t)imm);
    }
    t = loom_ir_temp_new_i64(ctx_ir(dc));
    loom_ir_gen_addi_i64(ctx_ir(dc), t, cpu_x[rs1], imm);
    return t;
}

/* ---- LUI, AUIPC, JAL, JALR, BRANCH ---- */

static bool trans_lui(DisasContext *dc)
{
    int rd = insn_rd(dc->insn);

    if (rd) {
        loom_ir_gen_movi_i64(ctx_ir(dc), cpu_x[rd], (uint64_t)imm_u(dc->insn));
    }
    return true;
}

static bool trans_auipc(DisasContext *dc)
{
    int rd = insn_rd(dc->insn);

    if (rd) {
        loom_ir_gen_movi_i64(ctx_ir(dc), cpu_x[rd], dc->pc + (uint64_t)imm_u(dc->insn));
    }
    return true;
}

static bool trans_jal(DisasContext *dc)
{
    int rd = insn_rd(dc->insn);
    uint64_t dest = dc->pc + (uint64_t)imm_j(dc->insn);

    if (dest & target_align_mask(dc)) {
        /* reported on the jump; rd is left alone */
        gen_exception(dc, EXCP_INSN_MISALIGNED, dest);
        return true;
    }
    gen_count_insns(dc, dc->insns);
    if (rd) {
        loom_ir_gen_movi_i64(ctx_ir(dc), cpu_x[rd], next_pc(dc));
    }
    gen_goto_tb(dc, 0, dest);
    dc->base.is_jmp = LOOM_DISAS_NORETURN;
    return true;
}

static bool trans_jalr(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), rs1 = insn_rs1(insn);
    int64_t imm = imm_i(insn);

    if (insn_funct3(insn) != 0) {
        return false;
    }
    gen_count_insns(dc, dc->insns);
    /* the target goes straight into pc: rd may be rs1 */
    if (rs1 == 0) {
        loom_ir_gen_movi_i64(ir, cpu_pc, (uint64_t)imm & ~1ull);
    } else if (imm == 0) {
        loom_ir_gen_andi_i64(ir, cpu_pc, cpu_x[rs1], ~1ull);
    } else {
        loom_ir_gen_addi_i64(ir, cpu_pc, cpu_x[rs1], imm);
        loom_ir_gen_andi_i64(ir, cpu_pc, cpu_pc, ~1ull);
    }
    if (target_align_mask(dc) & 2) {
        LoomIRLabel ok = loom_ir_label_new(ir);
        LoomIRTemp t = loom_ir_temp_new_i64(ir);

        loom_ir_gen_andi_i64(ir, t, cpu_pc, 2);
        loom_ir_gen_brcond_i64(ir, LOOM_IR_COND_EQ, t, cst(dc, 0), ok);
        /* misaligned target: trap on the jalr with mtval = target */
        loom_ir_gen_mov_i64(ir, t, cpu_pc);
        gen_raise(dc, EXCP_INSN_MISALIGNED, t);
        loom_ir_gen_set_label(ir, ok);
    }
    if (rd) {
        loom_ir_gen_movi_i64(ir, cpu_x[rd], next_pc(dc));
    }
    loom_ir_gen_lookup_and_goto(ir);
    dc->base.is_jmp = LOOM_DISAS_NORETURN;
    return true;
}

static bool trans_branch(DisasContext *dc)
{
    static const LoomIRCond conds[8] = {
        LOOM_IR_COND_EQ, LOOM_IR_COND_NE, LOOM_IR_COND_NEVER, LOOM_IR_COND_NEVER,
        LOOM_IR_COND_LT, LOOM_IR_COND_GE, LOOM_IR_COND_LTU, LOOM_IR_COND_GEU,
    };
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rs1 = insn_rs1(insn), rs2 = insn_rs2(insn);
    LoomIRCond cond = conds[insn_funct3(insn)];
    uint64_t dest = dc->pc + (uint64_t)imm_b(insn);
    uint64_t next = next_pc(dc);
    LoomIRLabel taken;

    if (cond == LOOM_IR_COND_NEVER) {
        return false;
    }
    gen_count_insns(dc, dc->insns);
    dc->base.is_jmp = LOOM_DISAS_NORETURN;
    if (rs1 == rs2) {
        /* x == x: the outcome is static */
        cond = (cond == LOOM_IR_COND_EQ || cond == LOOM_IR_COND_GE || cond == LOOM_IR_COND_GEU)
               ? LOOM_IR_COND_ALWAYS : LOOM_IR_COND_NEVER;
    }
    if (cond == LOOM_IR_COND_NEVER) {
        gen_goto_tb(dc, 0, next);
        return true;
    }
    if (cond != LOOM_IR_COND_ALWAYS) {
        taken = loom_ir_label_new(ir);
        loom_ir_gen_brcond_i64(ir, cond, gpr(dc, rs1), gpr(dc, rs2), taken);
        gen_goto_tb(dc, 0, next);
        loom_ir_gen_set_label(ir, taken);
    }
    if (dest & target_align_mask(dc)) {
        /* only the taken path traps */
        gen_raise(dc, EXCP_INSN_MISALIGNED, cst(dc, dest));
    } else {
        gen_goto_tb(dc, 1, dest);
    }
    return true;
}

/* ---- LOAD, STORE ---- */

/* Sdtrig: before an access, when a load/store trigger may fire */
static void gen_trig_data(DisasContext *dc, LoomIRTemp addr, unsigned size, unsigned kinds)
{
    if (dc->fp.trig_data) {
        riscv_gen_trig_data(ctx_ir(dc), addr, size, kinds);
    }
}

/* Alignment of plain loads and stores (integer and FP): misaligned ones
   complete (the softmmu splits them, page-crossing ones included) unless
   -cpu ...,misaligned=off asks for address-misaligned traps.  LR, SC and
   AMOs always need natural alignment. */
static unsigned plain_align(const RISCVEnv *env)
{
    return env->misaligned_trap ? LOOM_MEM_ALIGN : 0;
}

static bool trans_load(DisasContext *dc)
{
    static const int8_t mops[8] = {
        LOOM_MEM_SB, LOOM_MEM_SW, LOOM_MEM_SL, LOOM_MEM_UQ, LOOM_MEM_UB, LOOM_MEM_UW, LOOM_MEM_UL, -1,
    };
    uint32_t insn = dc->insn;
    int mop = mops[insn_funct3(insn)];
    LoomIRTemp addr;

    if (mop < 0) {
        return false;
    }
    addr = gen_addr(dc, insn_rs1(insn), imm_i(insn));
    gen_trig_data(dc, addr, loom_memop_size((unsigned)mop), TRIG_ACCESS_LOAD);
    loom_ir_gen_qemu_ld_i64(ctx_ir(dc), gpr_dest(dc, insn_rd(insn)), addr,
                       (LoomMemOp)((unsigned)mop | plain_align(dc->env)), dc->mem_idx);
    return true;
}

static bool trans_store(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    int f3 = insn_funct3(insn);
    LoomIRTemp addr;

    if (f3 > 3) {
        return false;
    }
    addr = gen_addr(dc, insn_rs1(insn), imm_s(insn));
    gen_trig_data(dc, addr, loom_memop_size((unsigned)f3), TRIG_ACCESS_STORE);
    loom_ir_gen_qemu_st_i64(ctx_ir(dc), gpr(dc, insn_rs2(insn)), addr,
                       (LoomMemOp)((unsigned)f3 | plain_align(dc->env)), dc->mem_idx);
    return true;
}

/* ---- Zba, Zbb, Zbs, Zicond: the OP, OP-IMM, OP-32 and OP-IMM-32
   encodings the base handlers do not know (they pass them on here) ---- */

/* 1 << (b mod 64): the single bit Zbs instructions address */
static LoomIRTemp gen_bit_mask(DisasContext *dc, LoomIRTemp b)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp t = loom_ir_temp_new_i64(ir);

    loom_ir_gen_andi_i64(ir, t, b, 63);
    loom_ir_gen_shl_i64(ir, t, cst(dc, 1), t);
    return t;
}

/* orc.b: every non-zero byte becomes 0xff, every zero byte stays 0.
   Per byte, (x & 0x7f) + 0x7f | x has bit 7 set iff the byte is non-zero,
   and no carry crosses a byte. */
static void gen_orc_b(DisasContext *dc, LoomIRTemp d, LoomIRTemp a)
{
    LoomIRContext *ir = ctx_ir(dc);
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    LoomIRTemp t = loom_ir_temp_new_i64(ir);

    loom_ir_gen_andi_i64(ir, t, a, low7);
    loom_ir_gen_addi_i64(ir, t, t, (int64_t)low7);
    loom_ir_gen_or_i64(ir, t, t, a);
    loom_ir_gen_andi_i64(ir, t, t, ~low7);
    loom_ir_gen_shri_i64(ir, t, t, 7);                   /* 1 per non-zero byte */
    loom_ir_gen_mul_i64(ir, d, t, cst(dc, 0xff));
}

/* d = op32(low half of a [, b]) zero-extended (count ops) or
   sign-extended (rotates). */
static void gen_w_op(DisasContext *dc, LoomIROpcode opc32, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                     bool sign)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp a32 = loom_ir_temp_new_i32(ir), r32 = loom_ir_temp_new_i32(ir);

    loom_ir_gen_extrl_i64_i32(ir, a32, a);
    if (b == LOOM_IR_NO_RET) {
        loom_ir_op2(ir, opc32, r32, a32);
    } else {
        LoomIRTemp b32 = loom_ir_temp_new_i32(ir);

        loom_ir_gen_extrl_i64_i32(ir, b32, b);
        loom_ir_op3(ir, opc32, r32, a32, b32);
    }
    loom_ir_op2(ir, sign ? LOOM_IR_OP_exts_i32_i64 : LOOM_IR_OP_extu_i32_i64, d, r32);
}

/* OP (funct7 not base or M): Zba shNadd, Zbb andn/orn/xnor/min/max/rol/
   ror, Zbs bset/bclr/binv/bext, Zicond czero. */
static bool trans_zb_op(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), f3 = insn_funct3(insn);
    LoomIRTemp a = gpr(dc, insn_rs1(insn)), b = gpr(dc, insn_rs2(insn));
    LoomIRTemp d, t;

    switch (insn_funct7(insn) << 3 | f3) {
    case 0x20 << 3 | 4: case 0x20 << 3 | 6: case 0x20 << 3 | 7:  /* xnor orn andn */
    case 0x05 << 3 | 4: case 0x05 << 3 | 5:                      /* min minu */
    case 0x05 << 3 | 6: case 0x05 << 3 | 7:                      /* max maxu */
    case 0x30 << 3 | 1: case 0x30 << 3 | 5:                      /* rol ror */
    case 0x10 << 3 | 2: case 0x10 << 3 | 4: case 0x10 << 3 | 6:  /* shNadd */
    case 0x14 << 3 | 1: case 0x24 << 3 | 1: case 0x34 << 3 | 1:  /* bset bclr binv */
    case 0x24 << 3 | 5:                                          /* bext */
    case 0x07 << 3 | 5: case 0x07 << 3 | 7:                      /* czero.eqz/nez */
        break;
    default:
        return false;
    }
    if (!rd) {
        return true;
    }
    d = cpu_x[rd];
    /* intermediate results go to temps: rd may be rs1 or rs2 */
    switch (insn_funct7(insn) << 3 | f3) {
    case 0x20 << 3 | 4: /* xnor */
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_xor_i64(ir, t, a, b);
        loom_ir_gen_not_i64(ir, d, t);
        break;
    case 0x20 << 3 | 6: /* orn */
        loom_ir_gen_orc_i64(ir, d, a, b);
        break;
    case 0x20 << 3 | 7: /* andn */
        loom_ir_gen_andc_i64(ir, d, a, b);
        break;
    case 0x05 << 3 | 4: /* min */
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_LT, d, a, b, a, b);
        break;
    case 0x05 << 3 | 5: /* minu */
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_LTU, d, a, b, a, b);
        break;
    case 0x05 << 3 | 6: /* max */
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_GT, d, a, b, a, b);
        break;
    case 0x05 << 3 | 7: /* maxu */
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_GTU, d, a, b, a, b);
        break;
    case 0x30 << 3 | 1: /* rol: the IR takes the count modulo 64 */
        loom_ir_gen_rotl_i64(ir, d, a, b);
        break;
    case 0x30 << 3 | 5: /* ror */
        loom_ir_gen_rotr_i64(ir, d, a, b);
        break;
    case 0x10 << 3 | 2: case 0x10 << 3 | 4: case 0x10 << 3 | 6: /* sh1add sh2add sh3add */
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_shli_i64(ir, t, a, (unsigned)f3 >> 1);
        loom_ir_gen_add_i64(ir, d, t, b);
        break;
    case 0x14 << 3 | 1: /* bset */
        loom_ir_gen_or_i64(ir, d, a, gen_bit_mask(dc, b));
        break;
    case 0x24 << 3 | 1: /* bclr */
        loom_ir_gen_andc_i64(ir, d, a, gen_bit_mask(dc, b));
        break;
    case 0x34 << 3 | 1: /* binv */
        loom_ir_gen_xor_i64(ir, d, a, gen_bit_mask(dc, b));
        break;
    case 0x24 << 3 | 5: /* bext */
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_shr_i64(ir, t, a, b);
        loom_ir_gen_andi_i64(ir, d, t, 1);
        break;
    case 0x07 << 3 | 5: /* czero.eqz: 0 if rs2 == 0, else rs1 */
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_EQ, d, b, cst(dc, 0), cst(dc, 0), a);
        break;
    default:            /* czero.nez: 0 if rs2 != 0, else rs1 */
        loom_ir_gen_movcond_i64(ir, LOOM_IR_COND_NE, d, b, cst(dc, 0), cst(dc, 0), a);
        break;
    }
    return true;
}

/* OP-IMM funct3 = 1 or 5 with a funct6 other than slli/srli/srai: Zbb
   clz/ctz/cpop/sext.b/sext.h/rori/orc.b/rev8, Zbs bseti/bclri/binvi/bexti. */
static bool trans_zb_op_imm(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), f3 = insn_funct3(insn);
    unsigned funct6 = insn >> 26, shamt = (insn >> 20) & 63, funct12 = insn >> 20;
    LoomIRTemp a = gpr(dc, insn_rs1(insn)), d, t;
    LoomIROpcode unary = LOOM_IR_OP_nop;

    if (f3 == 1 && funct12 >= 0x600 && funct12 <= 0x605 && funct12 != 0x603) {
        static const LoomIROpcode count_ops[6] = {
            LOOM_IR_OP_clz_i64, LOOM_IR_OP_ctz_i64, LOOM_IR_OP_ctpop_i64, LOOM_IR_OP_nop,
            LOOM_IR_OP_ext8s_i64, LOOM_IR_OP_ext16s_i64,
        };
        unary = count_ops[funct12 - 0x600];     /* clz ctz cpop - sext.b sext.h */
    } else if (f3 == 5 && funct12 == 0x6b8) {   /* rev8 */
        unary = LOOM_IR_OP_bswap64_i64;
    } else if (!(f3 == 5 && funct12 == 0x287) &&                /* orc.b */
               !(f3 == 1 && (funct6 == 0x0a || funct6 == 0x12 || funct6 == 0x1a)) &&
               !(f3 == 5 && (funct6 == 0x18 || funct6 == 0x12))) {
        return false;
    }
    if (!rd) {
        return true;
    }
    d = cpu_x[rd];
    if (unary != LOOM_IR_OP_nop) {
        loom_ir_op2(ir, unary, d, a);
    } else if (f3 == 5 && funct12 == 0x287) {
        gen_orc_b(dc, d, a);
    } else if (f3 == 1) {                       /* bseti bclri binvi */
        uint64_t m = 1ull << shamt;
        loom_ir_op3(ir, funct6 == 0x0a ? LOOM_IR_OP_or_i64 : funct6 == 0x12 ? LOOM_IR_OP_and_i64
                                                                  : LOOM_IR_OP_xor_i64,
               d, a, cst(dc, funct6 == 0x12 ? ~m : m));
    } else if (funct6 == 0x18) {                /* rori */
        loom_ir_gen_rotr_i64(ir, d, a, cst(dc, shamt));
    } else {                                    /* bexti */
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_shri_i64(ir, t, a, shamt);
        loom_ir_gen_andi_i64(ir, d, t, 1);
    }
    return true;
}

/* OP-IMM-32 beyond addiw/slliw/srliw/sraiw: Zba slli.uw, Zbb clzw/ctzw/
   cpopw/roriw. */
static bool trans_zb_op_imm_32(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), f3 = insn_funct3(insn), f7 = insn_funct7(insn);
    unsigned funct6 = insn >> 26, funct12 = insn >> 20;
    LoomIRTemp a = gpr(dc, insn_rs1(insn)), t;
    static const LoomIROpcode count_ops[3] = {
        LOOM_IR_OP_clz_i32, LOOM_IR_OP_ctz_i32, LOOM_IR_OP_ctpop_i32,
    };

    if (!(f3 == 1 && funct6 == 0x02) &&                         /* slli.uw */
        !(f3 == 1 && funct12 >= 0x600 && funct12 <= 0x602) &&   /* clzw ctzw cpopw */
        !(f3 == 5 && f7 == 0x30)) {                             /* roriw */
        return false;
    }
    if (!rd) {
        return true;
    }
    if (f3 == 1 && funct6 == 0x02) {
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_ext32u_i64(ir, t, a);
        loom_ir_gen_shli_i64(ir, cpu_x[rd], t, (insn >> 20) & 63);
    } else if (f3 == 1) {
        gen_w_op(dc, count_ops[funct12 - 0x600], cpu_x[rd], a, LOOM_IR_NO_RET, false);
    } else {
        gen_w_op(dc, LOOM_IR_OP_rotr_i32, cpu_x[rd], a, cst(dc, (insn >> 20) & 31), true);
    }
    return true;
}

/* OP-32 beyond the base and M W ops: Zba add.uw/shNadd.uw, Zbb rolw/rorw/
   zext.h. */
static bool trans_zb_op_32(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), f3 = insn_funct3(insn), f7 = insn_funct7(insn);
    LoomIRTemp a = gpr(dc, insn_rs1(insn)), b = gpr(dc, insn_rs2(insn)), t;

    switch (f7 << 3 | f3) {
    case 0x04 << 3 | 0:                                         /* add.uw */
    case 0x10 << 3 | 2: case 0x10 << 3 | 4: case 0x10 << 3 | 6: /* shNadd.uw */
    case 0x30 << 3 | 1: case 0x30 << 3 | 5:                     /* rolw rorw */
        break;
    case 0x04 << 3 | 4:                                         /* zext.h */
        if (insn_rs2(insn) != 0) {
            return false;
        }
        break;
    default:
        return false;
    }
    if (!rd) {
        return true;
    }
    switch (f7 << 3 | f3) {
    case 0x30 << 3 | 1:
        gen_w_op(dc, LOOM_IR_OP_rotl_i32, cpu_x[rd], a, b, true);
        break;
    case 0x30 << 3 | 5:
        gen_w_op(dc, LOOM_IR_OP_rotr_i32, cpu_x[rd], a, b, true);
        break;
    case 0x04 << 3 | 4:
        loom_ir_gen_ext16u_i64(ir, cpu_x[rd], a);
        break;
    default:            /* (zext.w(rs1) << n) + rs2, n = 0 (add.uw), 1, 2, 3 */
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_ext32u_i64(ir, t, a);
        if (f3) {
            loom_ir_gen_shli_i64(ir, t, t, (unsigned)f3 >> 1);
        }
        loom_ir_gen_add_i64(ir, cpu_x[rd], t, b);
        break;
    }
    return true;
}

/* ---- OP-IMM, OP, OP-IMM-32, OP-32 ---- */

static bool trans_op_imm(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), rs1 = insn_rs1(insn), f3 = insn_funct3(insn);
    int64_t imm = imm_i(insn);
    int funct6 = (int)(insn >> 26);
    unsigned shamt = (insn >> 20) & 63;
    LoomIROpcode opc;

    switch (f3) {
    case 0: /* addi */
        if (!rd) {
            return true;
        }
        if (rs1 == 0) {
            loom_ir_gen_movi_i64(ir, cpu_x[rd], (uint64_t)imm);
        } else if (imm == 0) {
            if (rd != rs1) {
                loom_ir_gen_mov_i64(ir, cpu_x[rd], cpu_x[rs1]);
            }
        } else {
            loom_ir_gen_addi_i64(ir, cpu_x[rd], cpu_x[rs1], imm);
        }
        return true;
    case 1: /* slli */
        if (funct6 != 0) {
            return trans_zb_op_imm(dc);
        }
        if (rd) {
            loom_ir_gen_shli_i64(ir, cpu_x[rd], gpr(dc, rs1), shamt);
        }
        return true;
    case 2: /* slti */
    case 3: /* sltiu */
        if (rd) {
            loom_ir_gen_setcond_i64(ir, f3 == 2 ? LOOM_IR_COND_LT : LOOM_IR_COND_LTU, cpu_x[rd],
                               gpr(dc, rs1), cst(dc, (uint64_t)imm));
        }
        return true;
    case 5: /* srli, srai */
        if (funct6 != 0 && funct6 != 0x10) {
            return trans_zb_op_imm(dc);
        }
        if (rd) {
            loom_ir_op3(ir, funct6 ? LOOM_IR_OP_sar_i64 : LOOM_IR_OP_shr_i64, cpu_x[rd],
                   gpr(dc, rs1), cst(dc, shamt));
        }
        return true;
    case 4:
        opc = LOOM_IR_OP_xor_i64;
        break;
    case 6:
        opc = LOOM_IR_OP_or_i64;
        break;
    default:
        opc = LOOM_IR_OP_and_i64;
        break;
    }
    if (rd) {
        loom_ir_op3(ir, opc, cpu_x[rd], gpr(dc, rs1), cst(dc, (uint64_t)imm));
    }
    return true;
}

static bool trans_op(DisasContext *dc)
{
    /* by funct3; 0 where the funct7 = 0 form is not a plain binary op */
    static const LoomIROpcode base_ops[8] = {
        LOOM_IR_OP_add_i64, LOOM_IR_OP_shl_i64, LOOM_IR_OP_nop, LOOM_IR_OP_nop,
        LOOM_IR_OP_xor_i64, LOOM_IR_OP_shr_i64, LOOM_IR_OP_or_i64, LOOM_IR_OP_and_i64,
    };
    static const LoomIROpcode muldiv_ops[8] = {
        LOOM_IR_OP_mul_i64, LOOM_IR_OP_mulsh_i64, LOOM_IR_OP_mulsuh_i64, LOOM_IR_OP_muluh_i64,
        LOOM_IR_OP_div_i64, LOOM_IR_OP_divu_i64, LOOM_IR_OP_rem_i64, LOOM_IR_OP_remu_i64,
    };
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), f3 = insn_funct3(insn);
    LoomIRTemp a = gpr(dc, insn_rs1(insn)), b = gpr(dc, insn_rs2(insn));
    LoomIROpcode opc;

    switch (insn_funct7(insn)) {
    case 0x00:
        if (f3 == 2 || f3 == 3) {   /* slt, sltu */
            if (rd) {
                loom_ir_gen_setcond_i64(ir, f3 == 2 ? LOOM_IR_COND_LT : LOOM_IR_COND_LTU,
                                   cpu_x[rd], a, b);
            }
            return true;
        }
        opc = base_ops[f3];
        break;
    case 0x20:
        if (f3 == 0) {
            opc = LOOM_IR_OP_sub_i64;
        } else if (f3 == 5) {
            opc = LOOM_IR_OP_sar_i64;
        } else {
            return trans_zb_op(dc);
        }
        break;
    case 0x01:
        opc = muldiv_ops[f3];
        break;
    default:
        return trans_zb_op(dc);
    }
    /* RV64 shifts use rs2[5:0], as the IR's modulo-64 shifts do */
    if (rd) {
        loom_ir_op3(ir, opc, cpu_x[rd], a, b);
    }
    return true;
}

static bool trans_op_imm_32(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), rs1 = insn_rs1(insn), f3 = insn_funct3(insn);
    int f7 = insn_funct7(insn);
    unsigned shamt = (insn >> 20) & 31;
    LoomIRTemp a = gpr(dc, rs1), t;

    if (!(f3 == 0 || (f3 == 1 && f7 == 0) || (f3 == 5 && (f7 == 0 || f7 == 0x20)))) {
        return trans_zb_op_imm_32(dc);
    }
    if (!rd) {
        return true;
    }
    if (f3 == 0) {                          /* addiw (sext.w when imm = 0) */
        int64_t imm = imm_i(insn);
        if (rs1 == 0) {
            loom_ir_gen_movi_i64(ir, cpu_x[rd], (uint64_t)imm);
            return true;
        }
        if (imm != 0) {
            loom_ir_gen_addi_i64(ir, cpu_x[rd], a, imm);
            a = cpu_x[rd];
        }
        loom_ir_gen_ext32s_i64(ir, cpu_x[rd], a);
    } else if (shamt == 0) {                /* shift by 0: sext.w */
        loom_ir_gen_ext32s_i64(ir, cpu_x[rd], a);
    } else if (f3 == 1) {                   /* slliw */
        loom_ir_gen_shli_i64(ir, cpu_x[rd], a, shamt);
        loom_ir_gen_ext32s_i64(ir, cpu_x[rd], cpu_x[rd]);
    } else {
        t = loom_ir_temp_new_i64(ir);
        if (f7) {                           /* sraiw */
            loom_ir_gen_ext32s_i64(ir, t, a);
            loom_ir_gen_sari_i64(ir, cpu_x[rd], t, shamt);
        } else {                            /* srliw: bit 31 of the result is 0 */
            loom_ir_gen_ext32u_i64(ir, t, a);
            loom_ir_gen_shri_i64(ir, cpu_x[rd], t, shamt);
        }
    }
    return true;
}

static bool trans_op_32(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), f3 = insn_funct3(insn), f7 = insn_funct7(insn);
    LoomIRTemp a = gpr(dc, insn_rs1(insn)), b = gpr(dc, insn_rs2(insn));
    LoomIRTemp d, ta, tb;
    LoomIROpcode opc;
    enum { EXT_NONE, EXT_S, EXT_U } ext = EXT_NONE;
    bool shift = false;

    switch (f7 << 3 | f3) {
    case 0x00 << 3 | 0: opc = LOOM_IR_OP_add_i64; break;            /* addw */
    case 0x20 << 3 | 0: opc = LOOM_IR_OP_sub_i64; break;            /* subw */
    case 0x00 << 3 | 1: opc = LOOM_IR_OP_shl_i64; shift = true; break;  /* sllw */
    case 0x00 << 3 | 5: opc = LOOM_IR_OP_shr_i64; shift = true; ext = EXT_U; break; /* srlw */
    case 0x20 << 3 | 5: opc = LOOM_IR_OP_sar_i64; shift = true; ext = EXT_S; break; /* sraw */
    case 0x01 << 3 | 0: opc = LOOM_IR_OP_mul_i64; break;            /* mulw */
    case 0x01 << 3 | 4: opc = LOOM_IR_OP_div_i64; ext = EXT_S; break;   /* divw */
    case 0x01 << 3 | 5: opc = LOOM_IR_OP_divu_i64; ext = EXT_U; break;  /* divuw */
    case 0x01 << 3 | 6: opc = LOOM_IR_OP_rem_i64; ext = EXT_S; break;   /* remw */
    case 0x01 << 3 | 7: opc = LOOM_IR_OP_remu_i64; ext = EXT_U; break;  /* remuw */
    default:
        return trans_zb_op_32(dc);
    }
    if (!rd) {
        return true;
    }
    d = cpu_x[rd];
    /* Operands: shifts take rs2[4:0] and extend rs1 only; div/rem extend
       both (the 64-bit ops then give the 32-bit results, overflow and
       division by zero included).  Every result is sign-extended. */
    ta = a;
    tb = b;
    if (shift) {
        tb = loom_ir_temp_new_i64(ir);
        loom_ir_gen_andi_i64(ir, tb, b, 31);
    } else if (ext != EXT_NONE) {
        tb = loom_ir_temp_new_i64(ir);
        loom_ir_op2(ir, ext == EXT_S ? LOOM_IR_OP_ext32s_i64 : LOOM_IR_OP_ext32u_i64, tb, b);
    }
    if (ext != EXT_NONE) {
        ta = loom_ir_temp_new_i64(ir);
        loom_ir_op2(ir, ext == EXT_S ? LOOM_IR_OP_ext32s_i64 : LOOM_IR_OP_ext32u_i64, ta, a);
    }
    loom_ir_op3(ir, opc, d, ta, tb);
    if (opc != LOOM_IR_OP_sar_i64) {             /* sraw's result is already */
        loom_ir_gen_ext32s_i64(ir, d, d);
    }
    return true;
}

/* ---- MISC-MEM: fence, fence.i ---- */

/* pred/succ bits: I O R W.  Device input and output are loads and stores
   to the IR, so I orders like R and O like W. */
static unsigned fence_mo(unsigned pred, unsigned succ)
{
    bool pr = pred & 0xa, pw = pred & 0x5, sr = succ & 0xa, sw = succ & 0x5;
    unsigned mo = 0;

    if (pr && sr) {
        mo |= LOOM_MO_LD_LD;
    }
    if (pr && sw) {
        mo |= LOOM_MO_LD_ST;
    }
    if (pw && sr) {
        mo |= LOOM_MO_ST_LD;
    }
    if (pw && sw) {
        mo |= LOOM_MO_ST_ST;
    }
    return mo;
}

static bool trans_misc_mem(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    unsigned fm = insn >> 28, pred = (insn >> 24) & 15, succ = (insn >> 20) & 15;
    unsigned mo;

    switch (insn_funct3(insn)) {
    case 0: /* fence; rd, rs1 and unknown fm values are ignored */
        if (insn == 0x0100000f && !(dc->base.tb->cflags & LOOM_CF_PARALLEL)) {
            /* pause (Zihintpause) with one thread for every hart: a spin
               loop's hart hands it on (orders nothing: pred W, succ 0) */
            gen_count_insns(dc, dc->insns);
            loom_ir_gen_movi_i64(ctx_ir(dc), cpu_pc, next_pc(dc));
            loom_ir_gen_call(ctx_ir(dc), &riscv_helper_yield, LOOM_IR_NO_RET, 0, NULL);
            dc->base.is_jmp = LOOM_DISAS_NORETURN;
            return true;
        }
        if (fm == 8 && pred == 3 && succ == 3) {
            /* fence.tso: everything but earlier stores before later loads */
            mo = LOOM_MO_LD_LD | LOOM_MO_LD_ST | LOOM_MO_ST_ST;
        } else {
            mo = fence_mo(pred, succ);
        }
        if (mo) {
            loom_ir_gen_mb(ctx_ir(dc), mo);
        }
        return true;
    case 1: /* fence.i: translations of this hart may be stale */
        loom_ir_gen_call(ctx_ir(dc), &riscv_helper_fence_i, LOOM_IR_NO_RET, 0, NULL);
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    default:
        return false;
    }
}

/* ---- AMO: LR, SC, AMOs ---- */

/* The IR's atomic ops are sequentially consistent, so they already give
   an AMO's or SC's aq and rl orderings; only LR, a plain load, needs
   barriers.
 *
 * LR/SC schemes (docs/design.md, "Atomics"):
 *  - cmpxchg (default): LR loads and records (load_res, load_val); SC
 *    succeeds iff the reservation is at its address and memory still
 *    holds load_val, as one cmpxchg.  Fast, but ABA-prone: another hart
 *    storing a different value and then the old one back in between goes
 *    unnoticed.
 *  - strict (-cpu ...,lrsc=strict): outside an exclusive section an LR
 *    only leaves with LOOM_EXCP_ATOMIC and the core runs this hart alone
 *    from the LR (LOOM_CF_EXCLUSIVE TBs): there LR loads, reserves and
 *    allows the section LRSC_WINDOW insns; SC does the cmpxchg above and
 *    ends the section.  Invariants: (1) an SC succeeds only inside the
 *    section its LR started, so no other hart ran between them and no
 *    store of theirs (ABA or not) can have been missed; (2) outside a
 *    section an SC always fails (the window ran out, or a trap or a halt
 *    ended it: the spec lets such an SC fail); (3) a constrained LR/SC
 *    loop (at most 16 insns) fits in the window, so it succeeds the first
 *    time unless it traps: forward progress.
 */
#define LRSC_WINDOW 64

static bool lrsc_strict(const DisasContext *dc)
{
    return dc->env->lrsc_strict != 0;
}

static bool in_exclusive(const DisasContext *dc)
{
    return (dc->base.tb->cflags & LOOM_CF_EXCLUSIVE) != 0;
}

static void gen_lrsc_window(DisasContext *dc, unsigned insns)
{
    LoomIRTemp n = cst(dc, insns);

    loom_ir_gen_call(ctx_ir(dc), &riscv_helper_lrsc_window, LOOM_IR_NO_RET, 1, &n);
}

static void gen_lr(DisasContext *dc, bool dword, bool aq, bool rl)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn);
    LoomIRTemp addr = gpr(dc, insn_rs1(insn));

    if (lrsc_strict(dc) && !in_exclusive(dc)) {
        /* run alone from here; the exit only ends the IR path */
        loom_ir_gen_call(ir, &riscv_helper_lr_exclusive, LOOM_IR_NO_RET, 0, NULL);
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);
        dc->base.is_jmp = LOOM_DISAS_NORETURN;
        return;
    }
    if (rl) {
        loom_ir_gen_mb(ir, LOOM_MO_LD_LD | LOOM_MO_ST_LD);
    }
    loom_ir_gen_qemu_ld_i64(ir, cpu_load_val, addr,
                       (LoomMemOp)((dword ? LOOM_MEM_UQ : LOOM_MEM_SL) | LOOM_MEM_ALIGN), dc->mem_idx);
    loom_ir_gen_mov_i64(ir, cpu_load_res, addr);
    if (rd) {
        loom_ir_gen_mov_i64(ir, cpu_x[rd], cpu_load_val);
    }
    if (aq) {
        loom_ir_gen_mb(ir, LOOM_MO_LD_LD | LOOM_MO_LD_ST);
    }
    if (lrsc_strict(dc)) {
        gen_lrsc_window(dc, LRSC_WINDOW);
    }
}

/* SC: succeeds iff the reservation is at addr and memory still holds the
   value LR loaded (a cmpxchg); under lrsc=strict only inside the LR's
   exclusive section (above).  Every SC clears the reservation.  A failing
   SC still traps on a misaligned address. */
static void gen_sc(DisasContext *dc, bool dword)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int rd = insn_rd(insn), rs2 = insn_rs2(insn);
    LoomIRTemp addr = gpr(dc, insn_rs1(insn));
    LoomIRLabel fail = loom_ir_label_new(ir), done = loom_ir_label_new(ir), aligned;
    bool strict = lrsc_strict(dc), excl = in_exclusive(dc);
    LoomIRTemp t;

    if (strict && !excl) {
        /* the reservation did not survive its section: fail */
        loom_ir_gen_br(ir, fail);
    } else {
        loom_ir_gen_brcond_i64(ir, LOOM_IR_COND_NE, addr, cpu_load_res, fail);
    }
    if (strict && !excl) {
        /* no success path */
    } else if (dword) {
        t = loom_ir_temp_new_i64(ir);
        loom_ir_gen_atomic_cmpxchg_i64(ir, t, addr, cpu_load_val, gpr(dc, rs2),
                                  (LoomMemOp)(LOOM_MEM_UQ | LOOM_MEM_ALIGN), dc->mem_idx);
        if (rd) {
            loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_NE, cpu_x[rd], t, cpu_load_val);
        }
    } else {
        LoomIRTemp cmp = loom_ir_temp_new_i32(ir), nv, old = loom_ir_temp_new_i32(ir);

        loom_ir_gen_extrl_i64_i32(ir, cmp, cpu_load_val);
        if (rs2) {
            nv = loom_ir_temp_new_i32(ir);
            loom_ir_gen_extrl_i64_i32(ir, nv, cpu_x[rs2]);
        } else {
            nv = loom_ir_const_i32(ir, 0);
        }
        loom_ir_op6(ir, LOOM_IR_OP_atomic_cmpxchg_i32, old, addr, cmp, nv,
               LOOM_MEM_UL | LOOM_MEM_ALIGN, (uint64_t)dc->mem_idx);
        if (rd) {
            LoomIRTemp r = loom_ir_temp_new_i32(ir);
            loom_ir_gen_setcond_i32(ir, LOOM_IR_COND_NE, r, old, cmp);
            loom_ir_gen_extu_i32_i64(ir, cpu_x[rd], r);
        }
    }
    if (!strict || excl) {
        loom_ir_gen_br(ir, done);
    }

    loom_ir_gen_set_label(ir, fail);
    aligned = loom_ir_label_new(ir);
    t = loom_ir_temp_new_i64(ir);
    loom_ir_gen_andi_i64(ir, t, addr, dword ? 7 : 3);
    loom_ir_gen_brcond_i64(ir, LOOM_IR_COND_EQ, t, cst(dc, 0), aligned);
    gen_raise(dc, EXCP_STORE_MISALIGNED, addr);
    loom_ir_gen_set_label(ir, aligned);
    if (rd) {
        loom_ir_gen_movi_i64(ir, cpu_x[rd], 1);
    }

    loom_ir_gen_set_label(ir, done);
    loom_ir_gen_movi_i64(ir, cpu_load_res, ~0ull);
    if (strict && excl) {
        gen_lrsc_window(dc, 1);         /* the section ends with the SC */
    }
}

static bool trans_amo(DisasContext *dc)
{
    /* by funct5; {i32, i64} ops, nop = not an AMO */
    static const LoomIROpcode amo_ops[32][2] = {
        [0x00] = { LOOM_IR_OP_atomic_fetch_add_i32, LOOM_IR_OP_atomic_fetch_add_i64 },
        [0x01] = { LOOM_IR_OP_atomic_xchg_i32, LOOM_IR_OP_atomic_xchg_i64 },
        [0x04] = { LOOM_IR_OP_atomic_fetch_xor_i32, LOOM_IR_OP_atomic_fetch_xor_i64 },
        [0x08] = { LOOM_IR_OP_atomic_fetch_or_i32, LOOM_IR_OP_atomic_fetch_or_i64 },
        [0x0c] = { LOOM_IR_OP_atomic_fetch_and_i32, LOOM_IR_OP_atomic_fetch_and_i64 },
        [0x10] = { LOOM_IR_OP_atomic_fetch_smin_i32, LOOM_IR_OP_atomic_fetch_smin_i64 },
        [0x14] = { LOOM_IR_OP_atomic_fetch_smax_i32, LOOM_IR_OP_atomic_fetch_smax_i64 },
        [0x18] = { LOOM_IR_OP_atomic_fetch_umin_i32, LOOM_IR_OP_atomic_fetch_umin_i64 },
        [0x1c] = { LOOM_IR_OP_atomic_fetch_umax_i32, LOOM_IR_OP_atomic_fetch_umax_i64 },
    };
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int f3 = insn_funct3(insn), funct5 = (int)(insn >> 27);
    int rd = insn_rd(insn), rs2 = insn_rs2(insn);
    bool aq = (insn >> 26) & 1, rl = (insn >> 25) & 1;
    bool dword = f3 == 3;
    LoomIRTemp addr = gpr(dc, insn_rs1(insn));
    LoomIROpcode opc;

    if (f3 != 2 && f3 != 3) {
        return false;
    }
    if (funct5 == 0x02) {               /* lr */
        if (rs2 != 0) {
            return false;
        }
        gen_trig_data(dc, addr, dword ? 8 : 4, TRIG_ACCESS_LOAD);
        gen_lr(dc, dword, aq, rl);
        return true;
    }
    if (funct5 != 0x03 && amo_ops[funct5][0] == LOOM_IR_OP_nop) {
        return false;
    }
    /* SC counts as a store, failing or not; an AMO as both */
    gen_trig_data(dc, addr, dword ? 8 : 4,
                  funct5 == 0x03 ? TRIG_ACCESS_STORE : TRIG_ACCESS_LOAD | TRIG_ACCESS_STORE);
    set_insn_flags(dc, INSN_FLAG_AMO);
    if (funct5 == 0x03) {               /* sc */
        gen_sc(dc, dword);
        return true;
    }
    opc = amo_ops[funct5][dword];
    if (dword) {
        loom_ir_gen_atomic_rmw(ir, opc, gpr_dest(dc, rd), addr, gpr(dc, rs2),
                          (LoomMemOp)(LOOM_MEM_UQ | LOOM_MEM_ALIGN), dc->mem_idx);
    } else {
        LoomIRTemp v, old = loom_ir_temp_new_i32(ir);

        if (rs2) {
            v = loom_ir_temp_new_i32(ir);
            loom_ir_gen_extrl_i64_i32(ir, v, cpu_x[rs2]);
        } else {
            v = loom_ir_const_i32(ir, 0);
        }
        loom_ir_gen_atomic_rmw(ir, opc, old, addr, v, (LoomMemOp)(LOOM_MEM_UL | LOOM_MEM_ALIGN), dc->mem_idx);
        if (rd) {
            loom_ir_gen_exts_i32_i64(ir, cpu_x[rd], old);
        }
    }
    return true;
}

/* ---- SYSTEM: ecall, ebreak, mret, wfi, CSRs ---- */

static bool trans_priv(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp args[4];

    switch (dc->insn) {
    case 0x00000073: /* ecall */
        gen_exception(dc, EXCP_ECALL_U + dc->priv, 0);
        return true;
    case 0x00100073: /* ebreak */
        gen_exception(dc, EXCP_BREAKPOINT, dc->pc);
        return true;
    case 0x30200073: /* mret */
        if (dc->priv < PRV_M) {
            return false;
        }
        gen_count_insns(dc, dc->insns);
        loom_ir_gen_call(ir, &riscv_helper_mret, cpu_pc, 0, NULL);
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);      /* priv and MIE changed */
        dc->base.is_jmp = LOOM_DISAS_NORETURN;
        return true;
    case 0x10200073: /* sret: TSR checked at run time */
        if (dc->priv < PRV_S || !riscv_has_ext(dc->env, 'S')) {
            return false;
        }
        args[0] = cst(dc, dc->pc);
        args[1] = cst(dc, dc->insn);
        gen_count_insns(dc, dc->insns - 1);
        loom_ir_gen_call(ir, &riscv_helper_sret, cpu_pc, 2, args);
        gen_count_insns(dc, dc->insns);
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);      /* priv and SIE changed */
        dc->base.is_jmp = LOOM_DISAS_NORETURN;
        return true;
    case 0x10500073: /* wfi: resume after it; TW checked at run time, the
                        helper counts it */
        args[0] = cst(dc, dc->pc);
        args[1] = cst(dc, dc->insn);
        gen_count_insns(dc, dc->insns - 1);
        loom_ir_gen_movi_i64(ir, cpu_pc, next_pc(dc));
        loom_ir_gen_call(ir, &riscv_helper_wfi, LOOM_IR_NO_RET, 2, args);
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);      /* take the pending interrupt */
        dc->base.is_jmp = LOOM_DISAS_NORETURN;
        return true;
    default:
        break;
    }
    if ((dc->insn & 0xfe007fff) == 0x12000073) {
        /* sfence.vma rs1, rs2: TVM checked at run time; the TB ends (the
           next insn may be mapped differently) */
        int rs1 = insn_rs1(dc->insn);

        if (dc->priv < PRV_S || !riscv_has_ext(dc->env, 'S')) {
            return false;
        }
        args[0] = cst(dc, dc->pc);
        args[1] = cst(dc, dc->insn);
        args[2] = gpr(dc, rs1);
        args[3] = cst(dc, rs1 == 0);
        gen_count_insns(dc, dc->insns - 1);
        loom_ir_gen_call(ir, &riscv_helper_sfence_vma, LOOM_IR_NO_RET, 4, args);
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    }
    return false;
}

/*
 * csrrw reads unless rd = x0; csrrs/csrrc write unless rs1 (uimm) = 0.
 * The helpers check existence and privilege at run time and raise; they
 * take the insn (for mtval) and, through insn_count, see every earlier
 * insn counted but not this one.
 */
static bool trans_csr(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    int f3 = insn_funct3(insn), op = f3 & 3;
    int rd = insn_rd(insn), rs1 = insn_rs1(insn);
    LoomIRTemp src = (f3 & 4) ? cst(dc, (uint64_t)rs1) : gpr(dc, rs1);
    bool write = op == 1 || rs1 != 0;
    bool read = op != 1 || rd != 0;
    LoomIRTemp args[3] = { cst(dc, insn) };

    gen_count_insns(dc, dc->insns - 1);
    if (!write) {
        loom_ir_gen_call(ir, &riscv_helper_csrr, gpr_dest(dc, rd), 1, args);
        return true;
    }
    if (!read) {
        args[1] = src;
        loom_ir_gen_call(ir, &riscv_helper_csrw, LOOM_IR_NO_RET, 2, args);
    } else {
        /* new = (old & ~mask) | (val & mask) */
        args[1] = op == 1 ? src : cst(dc, op == 2 ? ~0ull : 0);     /* val */
        args[2] = op == 1 ? cst(dc, ~0ull) : src;                  /* mask */
        loom_ir_gen_call(ir, &riscv_helper_csrrw, gpr_dest(dc, rd), 3, args);
    }
    if (riscv_csr_write_effect((int)(insn >> 20)) != CSR_WRITE_PLAIN) {
        dc->base.is_jmp = DISAS_EXIT_NEXT;
    }
    return true;
}

static bool trans_system(DisasContext *dc)
{
    switch (insn_funct3(dc->insn)) {
    case 0:
        return trans_priv(dc);
    case 4:
        return false;
    default:
        return trans_csr(dc);
    }
}

/* ---- LOAD-FP, STORE-FP, OP-FP, MADD, MSUB, NMSUB, NMADD ---- */

static bool trans_fp(DisasContext *dc)
{
    dc->fp.ir = ctx_ir(dc);
    dc->fp.insn = dc->insn;
    dc->fp.insn_bits = dc->insn_bits;
    dc->fp.mem_idx = dc->mem_idx;
    return riscv_trans_fp(&dc->fp);
}

/* ---- decoder ---- */

typedef bool TransFn(DisasContext *dc);

/* by insn[6:2]; NULL: illegal */
static TransFn *const opcode_table[32] = {
    [0x00] = trans_load,
    [0x01] = trans_fp,
    [0x03] = trans_misc_mem,
    [0x04] = trans_op_imm,
    [0x05] = trans_auipc,
    [0x06] = trans_op_imm_32,
    [0x08] = trans_store,
    [0x09] = trans_fp,
    [0x0b] = trans_amo,
    [0x0c] = trans_op,
    [0x0d] = trans_lui,
    [0x0e] = trans_op_32,
    [0x10] = trans_fp,
    [0x11] = trans_fp,
    [0x12] = trans_fp,
    [0x13] = trans_fp,
    [0x14] = trans_fp,
    [0x18] = trans_branch,
    [0x19] = trans_jalr,
    [0x1b] = trans_jal,
    [0x1c] = trans_system,
};

/* ---- translator hooks ---- */

/* Set up the context from the TB flags. */
static void riscv_init_disas_context(LoomDisasBase *db, LoomCPU *cpu)
{
    DisasContext *dc = (DisasContext *)db;

    dc->env = riscv_env(cpu);
    dc->priv = (int)(db->tb->flags & TB_FLAGS_PRIV_MASK);
    dc->mem_idx = (int)((db->tb->flags & TB_FLAGS_MMU_MASK) >> TB_FLAGS_MMU_SHIFT);
    dc->insns = 0;
    dc->insns_counted = 0;
    dc->fp.env = dc->env;
    dc->fp.gpr = cpu_x;
    dc->fp.fs = (db->tb->flags & TB_FLAGS_FS_MASK) >> TB_FLAGS_FS_SHIFT;
    dc->fp.fs_dirty = false;
    dc->fp.align = plain_align(dc->env);
    dc->fp.trig_data = (db->tb->flags & TB_FLAGS_TRIG_DATA) != 0;
    dc->trig_exec = (db->tb->flags & TB_FLAGS_TRIG_EXEC) != 0;
}

/* Data words: pc, INSN_FLAG_* (patched by set_insn_flags). */
static void riscv_insn_start(LoomDisasBase *db, LoomCPU *cpu UNUSED)
{
    DisasContext *dc = (DisasContext *)db;

    dc->pc = db->pc_next;
    dc->insn_start_op = db->ir->nb_ops;
    loom_ir_gen_insn_start(db->ir, db->pc_next, 0);
}

/*
 * A 4-byte insn that starts in the last 2 bytes of the page, when it is
 * not the TB's first: end the TB before it, so that it starts the next TB
 * and a fault on its second half is raised with its own pc (the fetch of
 * a TB's first insn raises with the TB's pc).
 */
static bool next_insn_crosses_page(DisasContext *dc, LoomCPU *cpu)
{
    uint64_t pc = dc->base.pc_next;

    if ((pc & ~RISCV_PAGE_MASK) != RISCV_PAGE_SIZE - 2 ||
        (pc & RISCV_PAGE_MASK) != (dc->base.pc_first & RISCV_PAGE_MASK)) {
        return false;
    }
    /* on the page already fetched from: cannot fault */
    return (loom_translator_lduw(cpu, &dc->base, pc) & 3) == 3;
}

/* Sdtrig: raise a breakpoint (mtval = pc) before this insn when an
   execute trigger matches its pc at run time. */
static void gen_trig_exec(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp pc = cst(dc, dc->pc), hit = loom_ir_temp_new_i64(ir);
    LoomIRLabel none = loom_ir_label_new(ir);

    loom_ir_gen_call(ir, &riscv_helper_trig_exec, hit, 1, &pc);
    loom_ir_gen_brcond_i64(ir, LOOM_IR_COND_EQ, hit, cst(dc, 0), none);
    gen_raise(dc, EXCP_BREAKPOINT, pc);
    loom_ir_gen_set_label(ir, none);
}

/* Fetch 16 bits, decide the length, fetch the rest; decode and translate
   one insn (16-bit ones through their 32-bit expansion). */
static void riscv_translate_insn(LoomDisasBase *db, LoomCPU *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    uint32_t insn;
    TransFn *fn;

    /* (a fetch fault here defers to an execute trigger on this insn:
       riscv_trigger_fetch_fault) */
    insn = loom_translator_lduw(cpu, db, dc->pc);
    dc->insns++;
    if (dc->trig_exec) {
        gen_trig_exec(dc);
    }
    if ((insn & 3) != 3) {
        dc->ilen = 2;
        dc->insn_bits = insn;
        /* without C, or reserved: illegal, mtval = the 16 bits */
        dc->insn = riscv_has_ext(dc->env, 'C') ? riscv_rvc_expand(dc->env, (uint16_t)insn)
                                               : 0;
    } else {
        dc->ilen = 4;
        insn |= (uint32_t)loom_translator_lduw(cpu, db, dc->pc + 2) << 16;
        dc->insn_bits = insn;
        dc->insn = insn;
    }
    db->pc_next = dc->pc + (uint64_t)dc->ilen;
    fn = dc->insn ? opcode_table[(dc->insn >> 2) & 31] : NULL;
    if (!fn || !fn(dc)) {
        gen_illegal(dc);
    }
    if (db->is_jmp == LOOM_DISAS_NEXT && next_insn_crosses_page(dc, cpu)) {
        db->is_jmp = LOOM_DISAS_TOO_MANY;
    }
}

/* Leave the TB according to is_jmp. */
static void riscv_tb_stop(LoomDisasBase *db, LoomCPU *cpu UNUSED)
{
    DisasContext *dc = (DisasContext *)db;

    switch (db->is_jmp) {
    case LOOM_DISAS_NORETURN:
        break;
    case DISAS_EXIT_NEXT:
        gen_count_insns(dc, dc->insns);
        loom_ir_gen_movi_i64(db->ir, cpu_pc, db->pc_next);
        loom_ir_gen_exit_tb(db->ir, LOOM_IR_EXIT_PLAIN);
        break;
    default: /* LOOM_DISAS_TOO_MANY */
        gen_count_insns(dc, dc->insns);
        gen_goto_tb(dc, 0, db->pc_next);
        break;
    }
}

static const LoomTranslatorOps riscv_translator_ops = {
    .init_disas_context = riscv_init_disas_context,
    .tb_start = NULL,
    .insn_start = riscv_insn_start,
    .translate_insn = riscv_translate_insn,
    .tb_stop = riscv_tb_stop,
};

void riscv_translate(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns)
{
    DisasContext dc = { 0 };

    loom_translator_loop(&riscv_translator_ops, &dc.base, cpu, ir, tb, max_insns);
}
