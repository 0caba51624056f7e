/*
 * riscv64 front-end: traps and the helpers translated code calls for
 * instructions that are not plain data flow (exceptions, mret, wfi,
 * fence.i).
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
 * Take a trap: an exception (cause < 64) or an interrupt.  Every trap goes
 * to M-mode for now: medeleg and mideleg are read-only zero until S-mode
 * exists, and the delegated path will branch off here.
 */
void riscv_do_trap(RISCVEnv *env, uint64_t cause, bool interrupt, uint64_t tval)
{
    uint64_t ms = env->mstatus;
    uint64_t vector = 0;

    if (loom_log_enabled(LOOM_LOG_INT)) {
        loom_log("riscv: hart %" PRIu64 " %s %" PRIu64 " at pc 0x%016" PRIx64
                 " tval 0x%" PRIx64 " priv %u -> M\n", env->mhartid,
                 interrupt ? "interrupt" : "exception", cause, env->pc, tval,
                 env->priv);
    }
    env->mepc = env->pc;
    env->mcause = cause | (interrupt ? MCAUSE_INTERRUPT : 0);
    env->mtval = tval;
    ms = (ms & ~MSTATUS_MPIE) | ((ms & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    ms &= ~MSTATUS_MIE;
    ms = (ms & ~MSTATUS_MPP) | ((uint64_t)env->priv << MSTATUS_MPP_SHIFT);
    env->mstatus = ms;
    env->priv = PRV_M;
    if (interrupt && (env->mtvec & 3) == 1) {
        vector = 4 * cause;
    }
    env->pc = (env->mtvec & ~3ull) + vector;
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

/* ---- helpers called from translated code ---- */

/* The pc global already holds the faulting instruction's pc. */
static uint64_t helper_raise(void *e, uint64_t cause, uint64_t tval,
                             uint64_t a2 UNUSED, uint64_t a3 UNUSED)
{
    riscv_raise(e, (int)cause, tval);
}

/* mret (privilege checked at translation time): returns the new pc. */
static uint64_t helper_mret(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                            uint64_t a2 UNUSED, uint64_t a3 UNUSED)
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
    /* mepc[1] is masked while IALIGN is 32 */
    return env->mepc & (riscv_has_ext(env, 'C') ? ~1ull : ~3ull);
}

/* wfi: the pc global already points past it.  Sleep unless an
   interrupt is pending (mip & mie), whatever the global enables say. */
static uint64_t helper_wfi(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                           uint64_t a2 UNUSED, uint64_t a3 UNUSED)
{
    RISCVEnv *env = e;

    if (riscv_mip(env) & env->mie) {
        return 0;
    }
    loom_cpu_halt(loom_env_cpu(env));
}

/* fence.i: drop all translations; translated code leaves the TB next. */
static uint64_t helper_fence_i(void *e, uint64_t a0 UNUSED, uint64_t a1 UNUSED,
                               uint64_t a2 UNUSED, uint64_t a3 UNUSED)
{
    loom_tb_flush(loom_env_cpu(e));
    return 0;
}

/* raise: reads the pc global (the trap saves it) */
const IRHelper riscv_helper_raise = {
    helper_raise, "raise", IR_CALL_NO_WRITE_GLOBALS,
};
const IRHelper riscv_helper_mret = {
    helper_mret, "mret",
    IR_CALL_NO_READ_GLOBALS | IR_CALL_NO_WRITE_GLOBALS | IR_CALL_NO_RAISE,
};
/* wfi: may halt, which leaves the TB with the pc global as the resume pc */
const IRHelper riscv_helper_wfi = {
    helper_wfi, "wfi", IR_CALL_NO_WRITE_GLOBALS,
};
const IRHelper riscv_helper_fence_i = {
    helper_fence_i, "fence_i",
    IR_CALL_NO_READ_GLOBALS | IR_CALL_NO_WRITE_GLOBALS | IR_CALL_NO_RAISE,
};
