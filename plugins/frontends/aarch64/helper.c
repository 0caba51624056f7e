/*
 * aarch64 front-end: exception entry and return, interrupts, and the
 * helpers translated code calls for system instructions (WFI, DC ZVA,
 * TLBI, HVC/SMC, semihosting, CRC32).
 *
 * Raising: whoever detects a synchronous exception stores the syndrome in
 * env->excp_esr (and the fault address in excp_far), makes env->pc the
 * preferred return address (translated code stores it, or the core
 * restores the faulting insn's pc from its insn_start data), sets
 * cpu->exception_index = EXCP_SYNC and unwinds to the vCPU loop, which
 * calls do_interrupt -> aarch64_take_exception.
 */
#include "cpu.h"

uint32_t aarch64_pstate(const ARMEnv *env)
{
    uint32_t m = env->el == 0 ? PSTATE_M_EL0T : env->spsel ? PSTATE_M_EL1H : PSTATE_M_EL1T;

    return arm_nzcv(env) | (env->pan ? PSTATE_PAN : 0) | (env->il ? PSTATE_IL : 0) |
           env->daif | m;
}

/* Change EL and SPSel, moving the live SP to its bank and back. */
void aarch64_set_el_spsel(ARMEnv *env, unsigned el, unsigned spsel)
{
    unsigned old = (env->el && env->spsel) ? 1 : 0, now = (el && spsel) ? 1 : 0;

    env->sp_el[old] = env->sp;
    env->el = el;
    env->spsel = spsel;
    env->sp = env->sp_el[now];
}

/*
 * Take an exception to EL1 at vector offset vec (VEC_*) from the current
 * state; env->pc is the preferred return address.  Synchronous ones
 * (set_esr) write ESR_EL1 and, when excp_has_far, FAR_EL1.
 */
void aarch64_take_exception(ARMEnv *env, unsigned vec, bool set_esr)
{
    uint64_t base;

    if (loom_log_enabled(LOOM_LOG_INT)) {
        loom_log("aarch64: cpu%u exception vec 0x%x esr 0x%08" PRIx64 " at pc 0x%016" PRIx64
                 " EL%u -> EL1\n", loom_env_cpu(env)->cpu_index, vec,
                 set_esr ? env->excp_esr : 0, env->pc, env->el);
    }
    if (env->el == 0) {
        base = 0x400;                   /* lower EL, AArch64 */
    } else if (env->spsel) {
        base = 0x200;                   /* current EL, SP_ELx */
    } else {
        base = 0x000;                   /* current EL, SP_EL0 */
    }
    env->spsr = aarch64_pstate(env);
    env->elr = env->pc;
    if (set_esr) {
        env->esr = env->excp_esr;
        if (env->excp_has_far) {
            env->far = env->excp_far;
        }
    }
    aarch64_set_el_spsel(env, 1, 1);
    env->daif = PSTATE_DAIF;
    env->il = 0;
    if (env->model->pan && !(env->sctlr & SCTLR_SPAN)) {
        env->pan = 1;
    }
    env->excl_addr = ~0ull;
    env->pc = (env->vbar & ~0x7ffull) + base + vec;
    env->excp_has_far = 0;
    assert(aarch64_env_sanity(env));
}

void aarch64_raise(ARMEnv *env, uint32_t esr, bool has_far, uint64_t far)
{
    LoomCPU *cpu = loom_env_cpu(env);

    env->excp_esr = esr;
    env->excp_has_far = has_far;
    env->excp_far = far;
    cpu->exception_index = EXCP_SYNC;
    loom_cpu_loop_exit(cpu);
}

void aarch64_raise_undef(ARMEnv *env)
{
    aarch64_raise(env, esr_make(EC_UNKNOWN, 0), false, 0);
}

/* An IRQ or FIQ line is up and not masked by PSTATE (no EL2/EL3: both
   route to EL1 and DAIF masks them at EL0 and EL1). */
bool aarch64_irq_deliverable(ARMEnv *env)
{
    uint32_t lines = __atomic_load_n(&env->irq_pending, __ATOMIC_ACQUIRE);

    return ((lines & (1u << ARM_FIQ_LINE)) && !(env->daif & PSTATE_F)) ||
           ((lines & (1u << ARM_IRQ_LINE)) && !(env->daif & PSTATE_I));
}

/*
 * After anything that may make a pending interrupt deliverable (DAIF
 * writes, ERET): ask the vCPU loop to look.  The core drops
 * LOOM_INTERRUPT_HARD while nothing is pending, so a line that is up
 * keeps it set; re-arm it in case it was dropped.  The caller ends its TB
 * with a plain exit.
 */
void aarch64_check_irqs(ARMEnv *env)
{
    LoomCPU *cpu = loom_env_cpu(env);

    if (aarch64_irq_deliverable(env) &&
        !(__atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE) & LOOM_INTERRUPT_HARD)) {
        loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
    }
}

/* ---- helpers called from translated code ---- */

/* The pc global holds the preferred return address. */
static uint64_t helper_raise(void *e, uint64_t esr, uint64_t has_far, uint64_t far,
                             uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    aarch64_raise(e, (uint32_t)esr, has_far != 0, far);
}

/* ERET at EL1: PSTATE from SPSR_EL1, pc from ELR_EL1.  A return to a
   state that does not exist (EL2, EL3, AArch32) is an illegal exception
   return: PSTATE.IL is set and EL stays (the next insn raises). */
static uint64_t helper_eret(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                            uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                            uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;
    uint32_t spsr = (uint32_t)env->spsr, m = spsr & 0x1f;

    arm_set_nzcv(env, spsr);
    env->daif = spsr & PSTATE_DAIF;
    if (m == PSTATE_M_EL0T || m == PSTATE_M_EL1T || m == PSTATE_M_EL1H) {
        aarch64_set_el_spsel(env, m >> 2, m & 1);
        env->il = (spsr & PSTATE_IL) != 0;
    } else {
        env->il = 1;
    }
    env->pan = env->model->pan && (spsr & PSTATE_PAN);
    env->excl_addr = ~0ull;
    env->pc = arm_branch_addr(env, env->elr);
    aarch64_check_irqs(env);
    assert(aarch64_env_sanity(env));
    return 0;
}

/* WFI: the pc global already points past it.  At EL0 with SCTLR_EL1.nTWI
   clear it traps (EC 1, at the WFI: a0).  Sleeps unless an interrupt line
   is up, masked or not. */
static uint64_t helper_wfi(void *e, uint64_t pc, uint64_t a1 UNUSED,
                           uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                           uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;

    if (env->el == 0 && !(env->sctlr & SCTLR_NTWI)) {
        env->pc = pc;
        /* ISS: CV = 1, COND = AL, TI = 0 (WFI) */
        aarch64_raise(env, esr_make(EC_WFX, 1u << 24 | 0xeu << 20), false, 0);
    }
    if (__atomic_load_n(&env->irq_pending, __ATOMIC_ACQUIRE)) {
        return 0;
    }
    loom_cpu_halt(loom_env_cpu(env));
}

/* YIELD, WFE in thread=single (pc: the next insn): hand the thread to
   the next vCPU, which may be the one this one waits for */
static uint64_t helper_yield(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                             uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                             uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    LoomCPU *cpu = loom_env_cpu(e);

    cpu->exception_index = LOOM_EXCP_YIELD;
    loom_cpu_loop_exit(cpu);
}

/* DC ZVA: zero the DCZID_EL0-sized (64-byte) block holding a0, through
   MMU mode a1.  (At EL0 without SCTLR_EL1.DZE it traps before this.) */
#define DCZ_BLOCK 64
static uint64_t helper_dc_zva(void *e, uint64_t addr, uint64_t idx, uint64_t a2 UNUSED,
                              uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;
    LoomCPU *cpu = loom_env_cpu(env);
    uint64_t base = addr & ~(uint64_t)(DCZ_BLOCK - 1);

    for (unsigned i = 0; i < DCZ_BLOCK; i += 8) {
        loom_st(cpu, base + i, 0, LOOM_MEM_UQ, (int)idx, LOOM_GETPC());
    }
    return 0;
}

/*
 * TLBI (EL1&0 regime): a0 = CRm << 3 | op2, a1 = Xt.  The shareable forms
 * (CRm 3: IS, 1: OS) flush every vCPU and complete before this returns
 * (sooner than the DSB the architecture waits for).  By VA (VAE1,
 * VAAE1, VALE1, VAALE1): the page of Xt[43:0] = VA[55:12] for every
 * ASID; by ASID (ASIDE1): the ASID's non-global entries; anything else
 * (VMALLE1, the range forms): everything.  Flushing more than asked is
 * always allowed.
 */
static uint64_t helper_tlbi(void *e, uint64_t op, uint64_t xt, uint64_t a2 UNUSED,
                            uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;
    LoomCPU *cpu = loom_env_cpu(env);
    unsigned crm = (unsigned)op >> 3, op2 = op & 7;
    bool bcast = (crm == 3 || crm == 1) && loom_machine_nb_cpus(cpu->machine) > 1;
    uint64_t va = (uint64_t)((int64_t)((xt & ((1ull << 44) - 1)) << 20) >> 8);
    uint64_t asid = (xt >> 48) & ((env->tcr & (1ull << 36)) ? 0xffff : 0xff);

    if ((crm == 1 || crm == 3 || crm == 7) && (op2 & 1)) {
        if (bcast) {
            loom_tlb_flush_page_cpus_synced(cpu, LOOM_CPUS_ALL, va);
        } else {
            loom_tlb_flush_page(cpu, va);
        }
    } else if ((crm == 1 || crm == 3 || crm == 7) && op2 == 2) {
        if (bcast) {
            loom_tlb_flush_tag_cpus_synced(cpu, LOOM_CPUS_ALL, asid, ARM_TLB_TAG_MASK,
                                           LOOM_TLB_MODES_ALL);
        } else {
            loom_tlb_flush_tag(cpu, asid, ARM_TLB_TAG_MASK, LOOM_TLB_MODES_ALL);
        }
    } else if (bcast || crm == 2) {
        loom_tlb_flush_cpus_synced(cpu, LOOM_CPUS_ALL);
    } else {
        loom_tlb_flush(cpu);
    }
    return 0;
}

/* HVC #0 / SMC #0 at EL1: loom's own PSCI firmware (psci.c); x0 = result.
   The pc global already points past the call. */
static uint64_t helper_hvc_smc(void *e, uint64_t is_smc UNUSED, uint64_t a1 UNUSED,
                               uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                               uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;

    env->x[0] = aarch64_psci_call(env, env->x[0], env->x[1], env->x[2], env->x[3]);
    return 0;
}

/* HLT #0xf000 with -semihosting: w0 = operation, x1 = parameter; returns
   the result for x0.  The pc global points past the HLT. */
static uint64_t helper_semihost(void *e, uint64_t op, uint64_t param, uint64_t a2 UNUSED,
                                uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    return aarch64_semihost(e, op & 0xffffffffu, param, LOOM_GETPC());
}

/* CRC32{,C}{B,H,W,X}: a0 = the accumulator, a1 = the data, a2 = log2 of
   the data's bytes | 4 for the Castagnoli polynomial.  Bit-reflected,
   no inversion at either end (the instructions' definition). */
static uint64_t helper_crc32(void *e UNUSED, uint64_t acc, uint64_t val, uint64_t kind,
                             uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    uint32_t poly = (kind & 4) ? 0x82f63b78u : 0xedb88320u;
    unsigned bytes = 1u << (kind & 3);
    uint32_t crc = (uint32_t)acc;

    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(val >> (8 * i));
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ ((crc & 1) ? poly : 0);
        }
    }
    return crc;
}

/* raise: reads the pc and flag globals (SPSR) */
const LoomIRHelper aarch64_helper_raise = {
    helper_raise, "raise", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
/* eret writes sp, the flags and the exclusive monitor */
const LoomIRHelper aarch64_helper_eret = {
    helper_eret, "eret", LOOM_IR_CALL_NO_RAISE,
};
/* wfi may halt or raise, leaving the TB with the pc global as resume pc */
const LoomIRHelper aarch64_helper_wfi = {
    helper_wfi, "wfi", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper aarch64_helper_yield = {
    helper_yield, "yield", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper aarch64_helper_dc_zva = {
    helper_dc_zva, "dc_zva", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper aarch64_helper_tlbi = {
    helper_tlbi, "tlbi",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE,
};
/* PSCI reads x0..x3 and writes x0; CPU_OFF halts */
const LoomIRHelper aarch64_helper_hvc_smc = {
    helper_hvc_smc, "hvc_smc", 0,
};
/* semihosting reads guest memory (may fault); the result goes to x0 */
const LoomIRHelper aarch64_helper_semihost = {
    helper_semihost, "semihost", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper aarch64_helper_crc32 = {
    helper_crc32, "crc32",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS |
    LOOM_IR_CALL_NO_SIDE_EFFECTS | LOOM_IR_CALL_NO_RAISE,
};
