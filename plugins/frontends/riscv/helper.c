/*
 * riscv64 front-end: traps and the helpers translated code calls for
 * instructions that are not plain data flow (exceptions, mret, sret, wfi,
 * fence.i, sfence.vma), and the Sstc timer.
 *
 * Raising: whoever detects a synchronous exception stores the cause in
 * cpu->exception_index and mtval's future value in env->excp_tval, makes
 * env->pc the faulting instruction's pc (translated code stores it, or the
 * core restores it from the insn_start data) and unwinds to the vCPU loop,
 * which calls do_interrupt -> riscv_do_trap.
 */
#include "cpu.h"

void riscv_raise(RISCVEnv *env, int cause, uint64_t tval)
{
    LoomCPU *cpu = loom_env_cpu(env);

    cpu->exception_index = cause;
    env->excp_tval = tval;
    loom_cpu_loop_exit(cpu);
}

void riscv_raise_restore(RISCVEnv *env, int cause, uint64_t tval, uintptr_t ra)
{
    LoomCPU *cpu = loom_env_cpu(env);

    cpu->exception_index = cause;
    env->excp_tval = tval;
    loom_cpu_loop_exit_restore(cpu, ra);
}

/*
 * Take a trap: an exception (cause < 64) or an interrupt.  It goes to S
 * when the hart is in S or U and medeleg/mideleg delegate the cause,
 * else to M.  Traps never go to a less privileged mode.
 */
void riscv_do_trap(RISCVEnv *env, uint64_t cause, bool interrupt, uint64_t tval)
{
    uint64_t ms = env->mstatus;
    uint64_t deleg = interrupt ? env->mideleg : env->medeleg;
    bool to_s = env->priv <= PRV_S && cause < 64 && ((deleg >> cause) & 1);
    uint64_t tvec = to_s ? env->stvec : env->mtvec;
    uint64_t vector = 0;

    if (loom_log_enabled(LOOM_LOG_INT)) {
        loom_log("riscv: hart %" PRIu64 " %s %" PRIu64 " at pc 0x%016" PRIx64
                 " tval 0x%" PRIx64 " priv %u -> %c\n", env->mhartid,
                 interrupt ? "interrupt" : "exception", cause, env->pc, tval,
                 env->priv, to_s ? 'S' : 'M');
    }
    if (to_s) {
        env->sepc = env->pc;
        env->scause = cause | (interrupt ? MCAUSE_INTERRUPT : 0);
        env->stval = tval;
        ms = (ms & ~MSTATUS_SPIE) | ((ms & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        ms &= ~MSTATUS_SIE;
        ms = (ms & ~MSTATUS_SPP) | (env->priv == PRV_S ? MSTATUS_SPP : 0);
        env->priv = PRV_S;
    } else {
        env->mepc = env->pc;
        env->mcause = cause | (interrupt ? MCAUSE_INTERRUPT : 0);
        env->mtval = tval;
        ms = (ms & ~MSTATUS_MPIE) | ((ms & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        ms &= ~MSTATUS_MIE;
        ms = (ms & ~MSTATUS_MPP) | ((uint64_t)env->priv << MSTATUS_MPP_SHIFT);
        env->priv = PRV_M;
    }
    env->mstatus = ms;
    if (interrupt && (tvec & 3) == 1) {
        vector = 4 * cause;
    }
    env->pc = (tvec & ~3ull) + vector;
    /* a trap breaks any LR/SC sequence */
    env->load_res = ~0ull;
    assert(riscv_env_sanity(env));
}

/*
 * Interrupts that are pending, enabled in mie, and globally enabled for
 * the level they go to (M: always below M, MIE in M; S likewise with SIE).
 */
uint64_t riscv_pending_irqs(RISCVEnv *env)
{
    uint64_t pending = riscv_mip(env) & env->mie;
    uint64_t m, s, irqs = 0;

    if (!pending) {
        return 0;
    }
    m = pending & ~env->mideleg;
    s = pending & env->mideleg;
    if (env->priv < PRV_M || (env->mstatus & MSTATUS_MIE)) {
        irqs |= m;
    }
    if (env->priv < PRV_S || (env->priv == PRV_S && (env->mstatus & MSTATUS_SIE))) {
        irqs |= s;
    }
    return irqs;
}

/*
 * After anything that may make a pending interrupt deliverable (mie, mip,
 * mstatus writes, mret): ask the vCPU loop to look.  The core drops
 * LOOM_INTERRUPT_HARD when nothing is pending in mip & mie, so enabling
 * an already pending line in mie must re-arm it.  The caller ends its TB
 * with a plain exit, so the loop sees the bit without a kick when it is
 * still set.
 */
void riscv_check_irqs(RISCVEnv *env)
{
    LoomCPU *cpu = loom_env_cpu(env);

    if (riscv_pending_irqs(env) &&
        !(__atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE) & LOOM_INTERRUPT_HARD)) {
        loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
    }
}

/* ---- Sstc: stimecmp drives STIP ---- */

/* stimecmp in time ticks (10 MHz) -> the clock's ns; INT64_MAX = never */
static int64_t stimecmp_deadline_ns(uint64_t cmp)
{
    return cmp > (uint64_t)INT64_MAX / 100 ? INT64_MAX : (int64_t)(cmp * 100);
}

static void update_stip_locked(RISCVEnv *env);

/* I/O thread, BQL held: the stimecmp deadline passed (or nearly). */
static void stimer_cb(void *opaque)
{
    update_stip_locked(opaque);
}

/* BQL held: STIP = (time >= stimecmp) while menvcfg.STCE is set; arm the
   timer for the moment it becomes true. */
static void update_stip_locked(RISCVEnv *env)
{
    LoomCPU *cpu = loom_env_cpu(env);
    uint64_t cmp = __atomic_load_n(&env->stimecmp, __ATOMIC_RELAXED);
    int64_t deadline = stimecmp_deadline_ns(cmp);
    uint64_t old;

    if (!(__atomic_load_n(&env->menvcfg, __ATOMIC_RELAXED) & MENVCFG_STCE)) {
        if (env->stimer) {
            loom_timer_del(env->stimer);
        }
        return;
    }
    if ((uint64_t)loom_clock_ns() / 100 >= cmp) {
        old = __atomic_fetch_or(&env->mip, MIP_STIP, __ATOMIC_ACQ_REL);
        if (!(old & MIP_STIP)) {
            loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
        }
        return;
    }
    __atomic_fetch_and(&env->mip, ~MIP_STIP, __ATOMIC_ACQ_REL);
    if (deadline == INT64_MAX) {
        if (env->stimer) {
            loom_timer_del(env->stimer);
        }
        return;
    }
    if (!env->stimer) {
        env->stimer = loom_timer_new(cpu->machine, stimer_cb, env);
    }
    loom_timer_mod(env->stimer, deadline);
}

/* The hart, after a write to stimecmp or menvcfg: recompute STIP.  The
   timer list and the timer callback are under the BQL. */
void riscv_update_stip(RISCVEnv *env)
{
    bool locked = loom_bql_locked();

    if (!locked) {
        loom_bql_lock();
    }
    update_stip_locked(env);
    if (!locked) {
        loom_bql_unlock();
    }
}

/* ---- helpers called from translated code ---- */

/* The pc global already holds the faulting instruction's pc. */
static uint64_t helper_raise(void *e, uint64_t cause, uint64_t tval,
                             uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                             uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    riscv_raise(e, (int)cause, tval);
}

/* Raise illegal instruction for the insn at pc (run-time privilege checks:
   TSR, TVM, TW). */
static void illegal_at(RISCVEnv *env, uint64_t pc, uint64_t insn)
{
    env->pc = pc;
    riscv_raise(env, EXCP_ILLEGAL_INSN, insn);
}

/* The pc an xRET returns to: xepc[1] is masked while IALIGN is 32. */
static uint64_t ret_pc(RISCVEnv *env, uint64_t epc)
{
    return epc & (riscv_has_ext(env, 'C') ? ~1ull : ~3ull);
}

/* mret (privilege checked at translation time): returns the new pc. */
static uint64_t helper_mret(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                            uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                            uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    uint64_t ms = env->mstatus;
    uint32_t mpp = (uint32_t)((ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);

    ms = (ms & ~MSTATUS_MIE) | ((ms & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    ms |= MSTATUS_MPIE;
    /* MPP becomes the least-privileged mode the hart has */
    ms &= ~MSTATUS_MPP;
    if (!riscv_has_ext(env, 'U')) {
        ms |= (uint64_t)PRV_M << MSTATUS_MPP_SHIFT;
    }
    if (mpp != PRV_M) {
        ms &= ~MSTATUS_MPRV;
    }
    env->mstatus = ms;
    env->priv = mpp;
    riscv_check_irqs(env);
    return ret_pc(env, env->mepc);
}

/* sret (U-mode rejected at translation time; TSR checked here): returns
   the new pc.  a0 = the insn's pc, a1 = the insn (for mtval). */
static uint64_t helper_sret(void *e, uint64_t pc, uint64_t insn,
                            uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                            uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    uint64_t ms = env->mstatus;
    uint32_t spp = (ms & MSTATUS_SPP) ? PRV_S : PRV_U;

    if (env->priv == PRV_S && (ms & MSTATUS_TSR)) {
        illegal_at(env, pc, insn);
    }
    ms = (ms & ~MSTATUS_SIE) | ((ms & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    ms |= MSTATUS_SPIE;
    ms &= ~MSTATUS_SPP;
    ms &= ~MSTATUS_MPRV;        /* the new mode is never M */
    env->mstatus = ms;
    env->priv = spp;
    riscv_check_irqs(env);
    return ret_pc(env, env->sepc);
}

/* sfence.vma (U-mode rejected at translation time; TVM checked here).
   a0 = pc, a1 = insn, a2 = vaddr, a3 = 1 if rs1 is x0 (all addresses).
   rs2 (in the insn) names the ASID, x0 for all; a page flush drops the
   page for every ASID, global or not.  The TB ends after it. */
static uint64_t helper_sfence_vma(void *e, uint64_t pc, uint64_t insn,
                                  uint64_t vaddr, uint64_t all,
                                  uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    LoomCPU *cpu = loom_env_cpu(env);
    unsigned rs2 = (unsigned)(insn >> 20) & 31;

    if (env->priv == PRV_S && (env->mstatus & MSTATUS_TVM)) {
        illegal_at(env, pc, insn);
    }

    if (all && rs2) {
        /* the ASID's non-global entries (tagged RISCV_TLB_TAG_GLOBAL) */
        loom_tlb_flush_tag(cpu, env->x[rs2] & 0xffff, RISCV_TLB_TAG_MASK, LOOM_TLB_MODES_ALL);
    } else if (all) {
        loom_tlb_flush(cpu);
    } else {
        loom_tlb_flush_page(cpu, vaddr);
    }
    return 0;
}

/* wfi: the pc global already points past it.  Sleep unless an
   interrupt is pending (mip & mie), whatever the global enables say.
   a0 = the insn's pc, a1 = the insn: in U-mode (S exists) and in S-mode
   with TW set it raises illegal instruction (the bounded time is 0). */
static uint64_t helper_wfi(void *e, uint64_t pc, uint64_t insn,
                           uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                           uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;

    if ((env->priv < PRV_M && (env->mstatus & MSTATUS_TW)) ||
        (env->priv == PRV_U && riscv_has_ext(env, 'S'))) {
        illegal_at(env, pc, insn);
    }
    env->insn_count++;          /* it retires (translated code did not count it) */
    if (riscv_mip(env) & env->mie) {
        return 0;
    }
    loom_cpu_halt(loom_env_cpu(env));
}

/* fence.i: nothing to drop.  The core invalidates the translations of
   every write to code as it happens (docs/design.md, "Self-modifying
   code"), so a hart only has to stop running the TB it fetched before
   the fence: the translator ends the TB here and the next fetch looks
   the code up again. */
static uint64_t helper_fence_i(void *e UNUSED, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                               uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                               uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    return 0;
}

/* lrsc=strict, an LR outside an exclusive section: run this hart alone
   from the LR on (translate.c, "LR/SC schemes") */
static uint64_t helper_lr_exclusive(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                                    uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                                    uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    loom_cpu_exit_atomic(loom_env_cpu(e), LOOM_GETPC());
}

/* lrsc=strict, in the section: it may run `insns` guest insns in all */
static uint64_t helper_lrsc_window(void *e, uint64_t insns, uint64_t a1 UNUSED,
                                   uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                                   uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    loom_cpu_exclusive_limit(loom_env_cpu(e), (unsigned)insns);
    return 0;
}

/* raise: reads the pc global (the trap saves it) */
const LoomIRHelper riscv_helper_raise = {
    helper_raise, "raise", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper riscv_helper_mret = {
    helper_mret, "mret",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE,
};
/* sret/sfence.vma: may raise (illegal) */
const LoomIRHelper riscv_helper_sret = {
    helper_sret, "sret", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper riscv_helper_sfence_vma = {
    helper_sfence_vma, "sfence_vma", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
/* wfi: may halt, which leaves the TB with the pc global as the resume pc;
   writes insn_count */
const LoomIRHelper riscv_helper_wfi = {
    helper_wfi, "wfi", 0,
};
/* pause under thread=single (pc: the next insn, counted): hand the
   thread to the next hart, which may be the one this one waits for */
static uint64_t helper_yield(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED, uint64_t a2 UNUSED,
                             uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    LoomCPU *cpu = loom_env_cpu(e);

    cpu->exception_index = LOOM_EXCP_YIELD;
    loom_cpu_loop_exit(cpu);
}

const LoomIRHelper riscv_helper_yield = {
    helper_yield, "yield", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};

const LoomIRHelper riscv_helper_fence_i = {
    helper_fence_i, "fence_i",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE,
};
/* lr_exclusive leaves the TB (restoring state to the LR) */
const LoomIRHelper riscv_helper_lr_exclusive = {
    helper_lr_exclusive, "lr_exclusive", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper riscv_helper_lrsc_window = {
    helper_lrsc_window, "lrsc_window",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE,
};
