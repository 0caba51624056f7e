/*
 * aarch64 front-end: A64 instructions -> loom IR.  This file holds the
 * translator hooks, the common generators (registers, flags, conditions,
 * exits, exceptions), branches and the system group (hints, barriers,
 * exception generation, MSR/MRS, SYS); data processing is in
 * translate-dp.c and loads/stores in translate-ldst.c.
 *
 * Decoding follows the Arm ARM's encoding index: the top-level group is
 * insn[28:25]; each handler checks the whole encoding before emitting
 * anything and returns false for an unallocated one (the caller raises
 * undefined instruction, EC 0).
 *
 * TB exits: direct branches chain through goto_tb slots (0 for the
 * fall-through or sole successor, 1 for a taken conditional branch) when
 * the target is on the TB's page, else set pc and lookup_and_goto;
 * BR/BLR/RET set pc and lookup_and_goto; anything that changes the TB key
 * or unmasks interrupts ends the TB with a plain exit.
 */
#include "translate.h"

/*
 * IR globals.  Written once by aarch64_translate_init (the front-end's
 * global_init) before any vCPU thread exists, read-only afterwards.
 */
LoomIRTemp cpu_x[31];
LoomIRTemp cpu_sp;
LoomIRTemp cpu_pc;
LoomIRTemp cpu_nf, cpu_zf, cpu_cf, cpu_vf;
LoomIRTemp cpu_excl_addr, cpu_excl_val, cpu_excl_hi;

static const char *const xreg_names[31] = {
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
    "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};

void aarch64_translate_init(void)
{
    for (int i = 0; i < 31; i++) {
        cpu_x[i] = loom_ir_global_i64((int32_t)offsetof(ARMEnv, x[i]), xreg_names[i]);
    }
    cpu_sp = loom_ir_global_i64((int32_t)offsetof(ARMEnv, sp), "sp");
    cpu_pc = loom_ir_global_i64((int32_t)offsetof(ARMEnv, pc), "pc");
    cpu_nf = loom_ir_global_i64((int32_t)offsetof(ARMEnv, nf), "nf");
    cpu_zf = loom_ir_global_i64((int32_t)offsetof(ARMEnv, zf), "zf");
    cpu_cf = loom_ir_global_i64((int32_t)offsetof(ARMEnv, cf), "cf");
    cpu_vf = loom_ir_global_i64((int32_t)offsetof(ARMEnv, vf), "vf");
    cpu_excl_addr = loom_ir_global_i64((int32_t)offsetof(ARMEnv, excl_addr), "excl_addr");
    cpu_excl_val = loom_ir_global_i64((int32_t)offsetof(ARMEnv, excl_val), "excl_val");
    cpu_excl_hi = loom_ir_global_i64((int32_t)offsetof(ARMEnv, excl_hi), "excl_hi");
}

/* ---- registers ---- */

static LoomIRTemp read_any(DisasContext *dc, LoomIRTemp r, bool sf)
{
    LoomIRTemp t;

    if (sf) {
        return r;
    }
    t = tmp(dc);
    loom_ir_gen_ext32u_i64(ctx_ir(dc), t, r);
    return t;
}

LoomIRTemp read_reg(DisasContext *dc, int n, bool sf)
{
    return n == 31 ? cst(dc, 0) : read_any(dc, cpu_x[n], sf);
}

LoomIRTemp read_reg_sp(DisasContext *dc, int n, bool sf)
{
    return read_any(dc, n == 31 ? cpu_sp : cpu_x[n], sf);
}

static void write_any(DisasContext *dc, LoomIRTemp r, LoomIRTemp v, bool sf)
{
    if (sf) {
        loom_ir_gen_mov_i64(ctx_ir(dc), r, v);
    } else {
        loom_ir_gen_ext32u_i64(ctx_ir(dc), r, v);
    }
}

void write_reg(DisasContext *dc, int n, LoomIRTemp v, bool sf)
{
    if (n != 31) {
        write_any(dc, cpu_x[n], v, sf);
    }
}

void write_reg_sp(DisasContext *dc, int n, LoomIRTemp v, bool sf)
{
    write_any(dc, n == 31 ? cpu_sp : cpu_x[n], v, sf);
}

/* ---- flags and conditions ---- */

/* The result in a fresh temp; NZCV set (see cpu.h for the flag words). */
LoomIRTemp gen_adc_cc_res(DisasContext *dc, bool sf, LoomIRTemp a, LoomIRTemp b, LoomIRTemp ci)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp res = tmp(dc), co = tmp(dc), v = tmp(dc), x = tmp(dc);

    if (sf) {
        loom_ir_gen_addc_i64(ir, res, co, a, b, ci);
    } else {
        LoomIRTemp t = tmp(dc);

        loom_ir_gen_add_i64(ir, t, a, b);
        loom_ir_gen_add_i64(ir, t, t, ci);
        loom_ir_gen_shri_i64(ir, co, t, 32);
        loom_ir_gen_ext32u_i64(ir, res, t);
    }
    /* V: the operands agree in sign and the result does not */
    loom_ir_gen_xor_i64(ir, v, res, a);
    loom_ir_gen_xor_i64(ir, x, a, b);
    loom_ir_gen_andc_i64(ir, v, v, x);
    if (!sf) {
        loom_ir_gen_shli_i64(ir, v, v, 32);
    }
    loom_ir_gen_mov_i64(ir, cpu_vf, v);
    loom_ir_gen_mov_i64(ir, cpu_cf, co);
    loom_ir_gen_mov_i64(ir, cpu_zf, res);
    if (sf) {
        loom_ir_gen_mov_i64(ir, cpu_nf, res);
    } else {
        loom_ir_gen_ext32s_i64(ir, cpu_nf, res);
    }
    return res;
}

void gen_adc_cc(DisasContext *dc, bool sf, LoomIRTemp d, LoomIRTemp a, LoomIRTemp b,
                LoomIRTemp ci)
{
    LoomIRTemp res = gen_adc_cc_res(dc, sf, a, b, ci);

    if (d != LOOM_IR_NO_RET) {
        loom_ir_gen_mov_i64(ctx_ir(dc), d, res);
    }
}

void gen_logic_cc(DisasContext *dc, bool sf, LoomIRTemp r)
{
    LoomIRContext *ir = ctx_ir(dc);

    if (sf) {
        loom_ir_gen_mov_i64(ir, cpu_nf, r);
    } else {
        loom_ir_gen_ext32s_i64(ir, cpu_nf, r);
    }
    loom_ir_gen_mov_i64(ir, cpu_zf, r);
    loom_ir_gen_movi_i64(ir, cpu_cf, 0);
    loom_ir_gen_movi_i64(ir, cpu_vf, 0);
}

LoomIRCond arm_invert_cond(LoomIRCond c)
{
    switch (c) {
    case LOOM_IR_COND_EQ: return LOOM_IR_COND_NE;
    case LOOM_IR_COND_NE: return LOOM_IR_COND_EQ;
    case LOOM_IR_COND_LT: return LOOM_IR_COND_GE;
    case LOOM_IR_COND_GE: return LOOM_IR_COND_LT;
    case LOOM_IR_COND_ALWAYS: return LOOM_IR_COND_NEVER;
    default: return LOOM_IR_COND_ALWAYS;
    }
}

ARMCond gen_test_cc(DisasContext *dc, unsigned cc)
{
    LoomIRContext *ir = ctx_ir(dc);
    ARMCond r = { LOOM_IR_COND_ALWAYS, cst(dc, 0) };
    LoomIRTemp t, u;

    switch (cc >> 1) {
    case 0: /* EQ: Z */
        r = (ARMCond){ LOOM_IR_COND_EQ, cpu_zf };
        break;
    case 1: /* CS: C */
        r = (ARMCond){ LOOM_IR_COND_NE, cpu_cf };
        break;
    case 2: /* MI: N */
        r = (ARMCond){ LOOM_IR_COND_LT, cpu_nf };
        break;
    case 3: /* VS: V */
        r = (ARMCond){ LOOM_IR_COND_LT, cpu_vf };
        break;
    case 4: /* HI: C && !Z */
        t = tmp(dc);
        loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_NE, t, cpu_zf, cst(dc, 0));
        loom_ir_gen_and_i64(ir, t, t, cpu_cf);
        r = (ARMCond){ LOOM_IR_COND_NE, t };
        break;
    case 5: /* GE: N == V */
        t = tmp(dc);
        loom_ir_gen_xor_i64(ir, t, cpu_nf, cpu_vf);
        r = (ARMCond){ LOOM_IR_COND_GE, t };
        break;
    case 6: /* GT: !Z && N == V */
        t = tmp(dc);
        u = tmp(dc);
        loom_ir_gen_xor_i64(ir, u, cpu_nf, cpu_vf);
        loom_ir_gen_sari_i64(ir, u, u, 63);
        loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_NE, t, cpu_zf, cst(dc, 0));
        loom_ir_gen_andc_i64(ir, t, t, u);
        r = (ARMCond){ LOOM_IR_COND_NE, t };
        break;
    default: /* AL, NV */
        return r;
    }
    if (cc & 1) {
        r.c = arm_invert_cond(r.c);
    }
    return r;
}

/* ---- exits and exceptions ---- */

void gen_goto_tb(DisasContext *dc, unsigned slot, uint64_t dest)
{
    LoomIRContext *ir = ctx_ir(dc);

    if ((dest & ARM_PAGE_MASK) == (dc->base.pc_first & ARM_PAGE_MASK)) {
        loom_ir_gen_goto_tb(ir, slot);
        loom_ir_gen_movi_i64(ir, cpu_pc, dest);
        loom_ir_gen_exit_tb(ir, slot);
    } else {
        loom_ir_gen_movi_i64(ir, cpu_pc, dest);
        loom_ir_gen_lookup_and_goto(ir);
    }
}

static void gen_raise_far(DisasContext *dc, uint32_t esr, bool next, bool has_far,
                          LoomIRTemp far)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp args[3] = { cst(dc, esr), cst(dc, has_far), far };

    loom_ir_gen_movi_i64(ir, cpu_pc, next ? dc->pc + 4 : dc->pc);
    loom_ir_gen_call(ir, &aarch64_helper_raise, LOOM_IR_NO_RET, 3, args);
    loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);
}

void gen_raise_esr(DisasContext *dc, uint32_t esr, bool next)
{
    gen_raise_far(dc, esr, next, false, cst(dc, 0));
}

void gen_exception(DisasContext *dc, uint32_t esr, bool next)
{
    gen_raise_esr(dc, esr, next);
    dc->base.is_jmp = LOOM_DISAS_NORETURN;
}

void gen_undef(DisasContext *dc)
{
    if (loom_log_enabled(LOOM_LOG_UNIMP)) {
        loom_log("aarch64: undefined instruction 0x%08x at 0x%016" PRIx64 "\n",
                 dc->insn, dc->pc);
    }
    gen_exception(dc, esr_make(EC_UNKNOWN, 0), false);
}

bool fp_access_check(DisasContext *dc)
{
    if (dc->fp_enabled) {
        return true;
    }
    /* ISS: CV = 1, COND = 0b1110 for a trap from AArch64 */
    gen_exception(dc, esr_make(EC_FP_ACCESS, 0x1e00000), false);
    return false;
}

/* ---- branches ---- */

/* B, BL */
static bool trans_b_imm(DisasContext *dc)
{
    uint64_t dest = dc->pc + (uint64_t)(sextract64(dc->insn, 0, 26) * 4);

    if (dc->insn >> 31) {
        loom_ir_gen_movi_i64(ctx_ir(dc), cpu_x[30], dc->pc + 4);
    }
    gen_goto_tb(dc, 0, dest);
    dc->base.is_jmp = LOOM_DISAS_NORETURN;
    return true;
}

/* Branch to dest when (v cond 0), else fall through. */
static void gen_brcond_to(DisasContext *dc, LoomIRCond c, LoomIRTemp v, uint64_t dest)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRLabel taken;

    dc->base.is_jmp = LOOM_DISAS_NORETURN;
    if (c == LOOM_IR_COND_ALWAYS) {
        gen_goto_tb(dc, 0, dest);
        return;
    }
    if (c == LOOM_IR_COND_NEVER) {
        gen_goto_tb(dc, 0, dc->pc + 4);
        return;
    }
    taken = loom_ir_label_new(ir);
    loom_ir_gen_brcond_i64(ir, c, v, cst(dc, 0), taken);
    gen_goto_tb(dc, 0, dc->pc + 4);
    loom_ir_gen_set_label(ir, taken);
    gen_goto_tb(dc, 1, dest);
}

/* CBZ, CBNZ */
static bool trans_cb(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    bool sf = insn >> 31, nz = (insn >> 24) & 1;
    uint64_t dest = dc->pc + (uint64_t)(sextract64(insn, 5, 19) * 4);

    gen_brcond_to(dc, nz ? LOOM_IR_COND_NE : LOOM_IR_COND_EQ, read_reg(dc, insn & 31, sf), dest);
    return true;
}

/* TBZ, TBNZ */
static bool trans_tb(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    unsigned bit = (insn >> 31) << 5 | extract32(insn, 19, 5);
    bool nz = (insn >> 24) & 1;
    uint64_t dest = dc->pc + (uint64_t)(sextract64(insn, 5, 14) * 4);
    LoomIRTemp t = tmp(dc);

    loom_ir_gen_andi_i64(ctx_ir(dc), t, read_reg(dc, insn & 31, true), 1ull << bit);
    gen_brcond_to(dc, nz ? LOOM_IR_COND_NE : LOOM_IR_COND_EQ, t, dest);
    return true;
}

/* B.cond */
static bool trans_bcond(DisasContext *dc)
{
    uint32_t insn = dc->insn;
    uint64_t dest = dc->pc + (uint64_t)(sextract64(insn, 5, 19) * 4);
    ARMCond c;

    if (insn & 0x10) {
        return false;           /* BC.cond (FEAT_HBC) */
    }
    c = gen_test_cc(dc, insn & 15);
    gen_brcond_to(dc, c.c, c.v, dest);
    return true;
}

/*
 * pc = the branch target t under TBI (TB_FLAGS_TBI0/1): its top byte
 * becomes copies of bit 55 when that half's TBI is set.  TBI0 only: a
 * target with bit 55 clear loses its tag; TBI1 only: one with bit 55 set
 * gets ones.
 */
static void gen_branch_addr(DisasContext *dc, LoomIRTemp t)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint64_t tbi = dc->base.tb->flags & (TB_FLAGS_TBI0 | TB_FLAGS_TBI1);
    LoomIRTemp s;

    if (!tbi) {
        loom_ir_gen_mov_i64(ir, cpu_pc, t);
        return;
    }
    s = tmp(dc);
    loom_ir_gen_shli_i64(ir, s, t, 8);
    loom_ir_gen_sari_i64(ir, s, s, 8);          /* sign-extended from bit 55 */
    if (tbi == TB_FLAGS_TBI0) {
        /* bit 55 clear: s has a zero top byte; set: s is all ones there */
        loom_ir_gen_ori_i64(ir, s, s, 0x00ffffffffffffffull);
        loom_ir_gen_and_i64(ir, cpu_pc, t, s);
    } else if (tbi == TB_FLAGS_TBI1) {
        loom_ir_gen_andi_i64(ir, s, s, 0xff00000000000000ull);
        loom_ir_gen_or_i64(ir, cpu_pc, t, s);
    } else {
        loom_ir_gen_mov_i64(ir, cpu_pc, s);
    }
}

/* BR, BLR, RET, ERET */
static bool trans_b_reg(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned opc = extract32(insn, 21, 4), op2 = extract32(insn, 16, 5);
    unsigned op3 = extract32(insn, 10, 6), rn = extract32(insn, 5, 5), op4 = insn & 31;

    if (op2 != 31 || op3 != 0) {
        return false;           /* pointer authentication forms */
    }
    switch (opc) {
    case 0: /* BR */
    case 1: /* BLR */
    case 2: /* RET */
        if (op4 != 0) {
            return false;
        }
        /* the target first: BLR x30 branches to the old x30 */
        gen_branch_addr(dc, read_reg(dc, (int)rn, true));
        if (opc == 1) {
            loom_ir_gen_movi_i64(ir, cpu_x[30], dc->pc + 4);
        }
        loom_ir_gen_lookup_and_goto(ir);
        dc->base.is_jmp = LOOM_DISAS_NORETURN;
        return true;
    case 4: /* ERET */
        if (rn != 31 || op4 != 0 || dc->el == 0) {
            return false;
        }
        loom_ir_gen_call(ir, &aarch64_helper_eret, LOOM_IR_NO_RET, 0, NULL);
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);    /* EL, DAIF changed */
        dc->base.is_jmp = LOOM_DISAS_NORETURN;
        return true;
    default:
        return false;
    }
}

/* ---- exception generation: SVC, HVC, SMC, BRK, HLT ---- */

#define SEMIHOST_HLT_IMM 0xf000

static bool trans_excp(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    unsigned opc = extract32(insn, 21, 3), imm = extract32(insn, 5, 16);
    unsigned op2 = extract32(insn, 2, 3), ll = insn & 3;
    LoomIRTemp arg;

    if (op2 != 0) {
        return false;
    }
    switch (opc << 2 | ll) {
    case 0 << 2 | 1: /* SVC: ELR is the next insn */
        gen_exception(dc, esr_make(EC_SVC64, imm), true);
        return true;
    case 0 << 2 | 2: /* HVC */
    case 0 << 2 | 3: /* SMC */
        /* no EL2 or EL3: only loom's PSCI (function ID in w0) behind #0 */
        if (dc->el == 0 || imm != 0) {
            return false;
        }
        loom_ir_gen_movi_i64(ir, cpu_pc, dc->pc + 4);   /* CPU_OFF halts after it */
        arg = cst(dc, ll == 3);
        loom_ir_gen_call(ir, &aarch64_helper_hvc_smc, LOOM_IR_NO_RET, 1, &arg);
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    case 1 << 2 | 0: /* BRK */
        gen_exception(dc, esr_make(EC_BRK64, imm), false);
        return true;
    case 2 << 2 | 0: /* HLT: semihosting, else undefined (no halting debug) */
        if (imm != SEMIHOST_HLT_IMM || !loom_semihosting_enabled()) {
            return false;
        }
        {
            LoomIRTemp args[2] = { cpu_x[0], cpu_x[1] };

            loom_ir_gen_movi_i64(ir, cpu_pc, dc->pc + 4);   /* SYS_EXIT halts after it */
            loom_ir_gen_call(ir, &aarch64_helper_semihost, cpu_x[0], 2, args);
        }
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    default:
        return false;
    }
}

/* ---- system: hints, barriers, PSTATE, SYS, MSR/MRS ---- */

static bool trans_hint(DisasContext *dc, unsigned crm, unsigned op2)
{
    LoomIRContext *ir = ctx_ir(dc);

    switch (crm << 3 | op2) {
    case 3: /* WFI: resume after it; nTWI is checked at run time */
        {
            LoomIRTemp pc = cst(dc, dc->pc);

            loom_ir_gen_movi_i64(ir, cpu_pc, dc->pc + 4);
            loom_ir_gen_call(ir, &aarch64_helper_wfi, LOOM_IR_NO_RET, 1, &pc);
            loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);      /* take the interrupt */
            dc->base.is_jmp = LOOM_DISAS_NORETURN;
        }
        return true;
    case 1: /* YIELD */
    case 2: /* WFE: an event may come at any time: leave, so that a wait
               loop lets interrupts in; with one thread for every vCPU
               (no LOOM_CF_PARALLEL) hand it to the next vCPU too */
        if (!(dc->base.tb->cflags & LOOM_CF_PARALLEL)) {
            loom_ir_gen_movi_i64(ctx_ir(dc), cpu_pc, dc->pc + 4);
            loom_ir_gen_call(ctx_ir(dc), &aarch64_helper_yield, LOOM_IR_NO_RET, 0, NULL);
            dc->base.is_jmp = LOOM_DISAS_NORETURN;
            return true;
        }
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    default:
        /* NOP, SEV, SEVL (WFE never sleeps, so events need no state)
           and every unallocated hint (PAC, BTI...) are no-ops */
        return true;
    }
}

/* DMB/DSB CRm: domain in [3:2] (ignored: one coherent domain), type in
   [1:0]: LD (loads before loads and stores), ST (stores before stores),
   else everything. */
static unsigned barrier_mo(unsigned crm)
{
    switch (crm & 3) {
    case 1: return LOOM_MO_LD_LD | LOOM_MO_LD_ST;
    case 2: return LOOM_MO_ST_ST;
    default: return LOOM_MO_ALL;
    }
}

static bool trans_barrier(DisasContext *dc, unsigned op1, unsigned crm, unsigned op2,
                          unsigned rt)
{
    LoomIRContext *ir = ctx_ir(dc);

    if (op1 != 3 || rt != 31) {
        return false;
    }
    switch (op2) {
    case 2: /* CLREX */
        loom_ir_gen_movi_i64(ir, cpu_excl_addr, ~0ull);
        return true;
    case 4: /* DSB (crm 0: SSBB and friends, still a barrier) */
    case 5: /* DMB */
        loom_ir_gen_mb(ir, barrier_mo(crm));
        return true;
    case 6: /* ISB: fetch again, under the current context */
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    case 7: /* SB */
        return true;
    default:
        return false;
    }
}

/* MSR (immediate): SPSel, DAIFSet, DAIFClr, PAN */
static bool trans_msr_imm(DisasContext *dc, unsigned op1, unsigned crm, unsigned op2)
{
    LoomIRContext *ir = ctx_ir(dc);
    unsigned field = op1 << 3 | op2;
    LoomIRTemp args[2];

    switch (field) {
    case 0 << 3 | 5: /* SPSel */
        if (dc->el == 0) {
            return false;
        }
        break;
    case 0 << 3 | 4: /* PAN */
        if (dc->el == 0 || !dc->env->model->pan) {
            return false;
        }
        break;
    case 3 << 3 | 6: /* DAIFSet */
    case 3 << 3 | 7: /* DAIFClr: EL0 only with SCTLR_EL1.UMA (run time) */
        break;
    default:
        return false;
    }
    args[0] = cst(dc, field);
    args[1] = cst(dc, crm);
    loom_ir_gen_call(ir, &aarch64_helper_msr_imm, LOOM_IR_NO_RET, 2, args);
    dc->base.is_jmp = DISAS_EXIT_NEXT;          /* TB key, SP, interrupts */
    return true;
}

/* At EL0: the SYS insn op (SYSOP) traps with EC 0x18 unless SCTLR_EL1
   has the bit allow (checked at run time). */
static void gen_el0_sys_trap(DisasContext *dc, uint32_t op, unsigned rt, uint64_t allow)
{
    LoomIRTemp args[2];

    if (dc->el != 0) {
        return;
    }
    args[0] = cst(dc, allow);
    args[1] = cst(dc, aarch64_sys_iss(1u << 14 | op, rt, false));
    loom_ir_gen_call(ctx_ir(dc), &aarch64_helper_el0_sys, LOOM_IR_NO_RET, 2, args);
}

/* SYS: cache maintenance, TLBI, AT */
static bool trans_sys(DisasContext *dc, unsigned op1, unsigned crn, unsigned crm,
                      unsigned op2, unsigned rt)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t op = op1 << 11 | crn << 7 | crm << 3 | op2;
    LoomIRTemp args[2];

#define SYSOP(o1, n, m, o2) ((o1) << 11 | (n) << 7 | (m) << 3 | (o2))
    switch (op) {
    case SYSOP(3, 7, 4, 1): /* DC ZVA */
        gen_el0_sys_trap(dc, op, rt, SCTLR_DZE);
        args[0] = read_reg(dc, (int)rt, true);
        args[1] = cst(dc, (uint64_t)dc->mem_idx);
        loom_ir_gen_call(ir, &aarch64_helper_dc_zva, LOOM_IR_NO_RET, 2, args);
        return true;
    case SYSOP(0, 7, 1, 0): /* IC IALLUIS */
    case SYSOP(0, 7, 5, 0): /* IC IALLU */
        if (dc->el == 0) {
            return false;
        }
        /* fall through */
    case SYSOP(3, 7, 5, 1): /* IC IVAU */
        gen_el0_sys_trap(dc, op, rt, SCTLR_UCI);
        /* loom drops the translations of code as it is written, on every
           vCPU; this vCPU must only stop running the TB it fetched
           before the invalidation */
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    case SYSOP(3, 7, 10, 1): /* DC CVAC */
    case SYSOP(3, 7, 11, 1): /* DC CVAU */
    case SYSOP(3, 7, 12, 1): /* DC CVAP */
    case SYSOP(3, 7, 13, 1): /* DC CVADP */
    case SYSOP(3, 7, 14, 1): /* DC CIVAC */
        gen_el0_sys_trap(dc, op, rt, SCTLR_UCI);
        return true;            /* no caches: nothing to clean */
    case SYSOP(0, 7, 6, 1): /* DC IVAC */
    case SYSOP(0, 7, 6, 2): /* DC ISW */
    case SYSOP(0, 7, 10, 2): /* DC CSW */
    case SYSOP(0, 7, 14, 2): /* DC CISW */
        return dc->el > 0;
    case SYSOP(0, 7, 8, 0): /* AT S1E1R */
    case SYSOP(0, 7, 8, 1): /* AT S1E1W */
    case SYSOP(0, 7, 8, 2): /* AT S1E0R */
    case SYSOP(0, 7, 8, 3): /* AT S1E0W */
        if (dc->el == 0) {
            return false;
        }
        args[0] = cst(dc, op2);
        args[1] = read_reg(dc, (int)rt, true);
        loom_ir_gen_call(ir, &aarch64_helper_at, LOOM_IR_NO_RET, 2, args);
        return true;
    default:
        break;
    }
#undef SYSOP
    if (op1 == 0 && crn == 8 && dc->el > 0) {
        /* TLBI (helper.c) */
        args[0] = cst(dc, crm << 3 | op2);
        args[1] = read_reg(dc, (int)rt, true);
        loom_ir_gen_call(ir, &aarch64_helper_tlbi, LOOM_IR_NO_RET, 2, args);
        dc->base.is_jmp = DISAS_EXIT_NEXT;
        return true;
    }
    return false;
}

/* MRS/MSR NZCV, inline */
static void gen_mrs_nzcv(DisasContext *dc, unsigned rt)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp r = tmp(dc), t = tmp(dc);

    loom_ir_gen_shri_i64(ir, r, cpu_nf, 63);
    loom_ir_gen_shli_i64(ir, r, r, 31);
    loom_ir_gen_setcond_i64(ir, LOOM_IR_COND_EQ, t, cpu_zf, cst(dc, 0));
    loom_ir_gen_shli_i64(ir, t, t, 30);
    loom_ir_gen_or_i64(ir, r, r, t);
    loom_ir_gen_shli_i64(ir, t, cpu_cf, 29);
    loom_ir_gen_or_i64(ir, r, r, t);
    loom_ir_gen_shri_i64(ir, t, cpu_vf, 63);
    loom_ir_gen_shli_i64(ir, t, t, 28);
    loom_ir_gen_or_i64(ir, r, r, t);
    write_reg(dc, (int)rt, r, true);
}

static void gen_msr_nzcv(DisasContext *dc, unsigned rt)
{
    LoomIRContext *ir = ctx_ir(dc);
    LoomIRTemp v = read_reg(dc, (int)rt, true);

    loom_ir_gen_shli_i64(ir, cpu_nf, v, 32);
    loom_ir_gen_andi_i64(ir, cpu_zf, v, PSTATE_Z);
    loom_ir_gen_xori_i64(ir, cpu_zf, cpu_zf, PSTATE_Z);
    loom_ir_gen_shri_i64(ir, cpu_cf, v, 29);
    loom_ir_gen_andi_i64(ir, cpu_cf, cpu_cf, 1);
    loom_ir_gen_shli_i64(ir, cpu_vf, v, 35);
}

static bool trans_system(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    bool l = (insn >> 21) & 1;
    unsigned op0 = extract32(insn, 19, 2), op1 = extract32(insn, 16, 3);
    unsigned crn = extract32(insn, 12, 4), crm = extract32(insn, 8, 4);
    unsigned op2 = extract32(insn, 5, 3), rt = insn & 31;
    uint32_t enc = (insn >> 5) & 0xffff;
    LoomIRTemp args[2];

    if (op0 == 0) {
        if (l) {
            return false;
        }
        switch (crn) {
        case 2:
            return op1 == 3 && rt == 31 && trans_hint(dc, crm, op2);
        case 3:
            return trans_barrier(dc, op1, crm, op2, rt);
        case 4:
            return rt == 31 && trans_msr_imm(dc, op1, crm, op2);
        default:
            return false;
        }
    }
    if (op0 == 1) {
        return !l && trans_sys(dc, op1, crn, crm, op2, rt);
    }
    if (enc == LOOM_ARM_SYSREG(3, 3, 4, 2, 0)) {    /* NZCV */
        if (l) {
            gen_mrs_nzcv(dc, rt);
        } else {
            gen_msr_nzcv(dc, rt);
        }
        return true;
    }
    args[0] = cst(dc, enc | rt << 16);     /* Rt for the syndrome of a trap */
    if (l) {
        LoomIRTemp r = rt == 31 ? tmp(dc) : cpu_x[rt];

        loom_ir_gen_call(ir, &aarch64_helper_mrs, r, 1, args);
    } else {
        args[1] = read_reg(dc, (int)rt, true);
        loom_ir_gen_call(ir, &aarch64_helper_msr, LOOM_IR_NO_RET, 2, args);
        if (aarch64_sysreg_write_ends_tb(enc)) {
            dc->base.is_jmp = DISAS_EXIT_NEXT;
        }
    }
    return true;
}

/* insn[28:25] = 101x */
static bool trans_branch_sys(DisasContext *dc)
{
    uint32_t insn = dc->insn;

    if ((insn & 0x7c000000) == 0x14000000) {
        return trans_b_imm(dc);
    }
    if ((insn & 0x7e000000) == 0x34000000) {
        return trans_cb(dc);
    }
    if ((insn & 0x7e000000) == 0x36000000) {
        return trans_tb(dc);
    }
    if ((insn & 0xff000000) == 0x54000000) {
        return trans_bcond(dc);
    }
    if ((insn & 0xff000000) == 0xd4000000) {
        return trans_excp(dc);
    }
    if ((insn & 0xffc00000) == 0xd5000000) {
        return trans_system(dc);
    }
    if ((insn & 0xfe000000) == 0xd6000000) {
        return trans_b_reg(dc);
    }
    return false;
}

/* ---- translator hooks ---- */

static void aarch64_init_disas_context(LoomDisasBase *db, LoomCPU *cpu)
{
    DisasContext *dc = (DisasContext *)db;

    dc->env = arm_env(cpu);
    dc->el = (int)(db->tb->flags & TB_FLAGS_EL_MASK);
    dc->mem_idx = (int)((db->tb->flags & TB_FLAGS_MMU_MASK) >> TB_FLAGS_MMU_SHIFT);
    dc->align = (db->tb->flags & TB_FLAGS_ALIGN) ? LOOM_MEM_ALIGN : 0;
    dc->fp_enabled = (db->tb->flags & TB_FLAGS_FPEN) != 0;
}

/* Data words: the pc, INSN_FLAG_* (patched by set_insn_rmw). */
static void aarch64_insn_start(LoomDisasBase *db, LoomCPU *cpu UNUSED)
{
    DisasContext *dc = (DisasContext *)db;

    dc->pc = db->pc_next;
    dc->insn_start_op = (int)db->ir->nb_ops;
    loom_ir_gen_insn_start(db->ir, db->pc_next, 0);
}

/*
 * SP alignment (SCTLR_EL1.SA at EL1, SA0 at EL0): a load or store whose
 * base is SP (Rn = 31, bits 9:5 in every form of the group but the
 * literal loads and the prefetches, which are left out) raises an SP
 * alignment fault (EC 0x26) unless SP is 16-byte aligned.  Checked
 * before the insn is translated, so no temp crosses the label; an
 * FP/SIMD access while FP is disabled traps for that instead.
 */
static void gen_sp_align_check(DisasContext *dc)
{
    LoomIRContext *ir = ctx_ir(dc);
    uint32_t insn = dc->insn;
    LoomIRTemp t;
    LoomIRLabel ok;

    if (!(dc->base.tb->flags & TB_FLAGS_SP_ALIGN) || (insn & 0x3e0) != 0x3e0 ||
        (insn & 0x3b000000) == 0x18000000 ||                    /* LDR (literal) */
        (insn & 0xffc00000) == 0xf9800000 ||                    /* PRFM (immediate) */
        (insn & 0xffe00c00) == 0xf8a00800 ||                    /* PRFM (register) */
        (insn & 0xffe00c00) == 0xf8800000 ||                    /* PRFUM */
        ((insn & (1u << 26)) && !dc->fp_enabled)) {
        return;
    }
    t = tmp(dc);
    ok = loom_ir_label_new(ir);
    loom_ir_gen_andi_i64(ir, t, cpu_sp, 15);
    loom_ir_gen_brcond_i64(ir, LOOM_IR_COND_EQ, t, cst(dc, 0), ok);
    gen_raise_esr(dc, esr_make(EC_SP_ALIGN, 0), false);
    loom_ir_gen_set_label(ir, ok);
}

static void aarch64_translate_insn(LoomDisasBase *db, LoomCPU *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    bool ok;

    db->pc_next = dc->pc + 4;
    if (dc->pc & 3) {
        /* a branch to a misaligned address: PC alignment fault, FAR = pc */
        gen_raise_far(dc, esr_make(EC_PC_ALIGN, 0), false, true, cst(dc, dc->pc));
        db->is_jmp = LOOM_DISAS_NORETURN;
        return;
    }
    if (db->tb->flags & TB_FLAGS_IL) {
        gen_exception(dc, esr_make(EC_ILLEGAL_STATE, 0), false);
        return;
    }
    dc->insn = loom_translator_ldl(cpu, db, dc->pc);
    switch ((dc->insn >> 25) & 0xf) {
    case 0x8: case 0x9:
        ok = trans_dp_imm(dc);
        break;
    case 0xa: case 0xb:
        ok = trans_branch_sys(dc);
        break;
    case 0x4: case 0x6: case 0xc: case 0xe:
        gen_sp_align_check(dc);
        ok = trans_ldst(dc);
        break;
    case 0x5: case 0xd:
        ok = trans_dp_reg(dc);
        break;
    case 0x7: case 0xf:
        ok = trans_fpsimd(dc);
        break;
    default:
        ok = false;             /* reserved, SVE */
        break;
    }
    if (!ok) {
        gen_undef(dc);
    }
}

static void aarch64_tb_stop(LoomDisasBase *db, LoomCPU *cpu UNUSED)
{
    DisasContext *dc = (DisasContext *)db;

    switch (db->is_jmp) {
    case LOOM_DISAS_NORETURN:
        break;
    case DISAS_EXIT_NEXT:
        loom_ir_gen_movi_i64(db->ir, cpu_pc, db->pc_next);
        loom_ir_gen_exit_tb(db->ir, LOOM_IR_EXIT_PLAIN);
        break;
    default: /* LOOM_DISAS_TOO_MANY, LOOM_DISAS_NEXT */
        gen_goto_tb(dc, 0, db->pc_next);
        break;
    }
}

static const LoomTranslatorOps aarch64_translator_ops = {
    .init_disas_context = aarch64_init_disas_context,
    .tb_start = NULL,
    .insn_start = aarch64_insn_start,
    .translate_insn = aarch64_translate_insn,
    .tb_stop = aarch64_tb_stop,
};

void aarch64_translate(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns)
{
    DisasContext dc = { 0 };

    loom_translator_loop(&aarch64_translator_ops, &dc.base, cpu, ir, tb, max_insns);
}
