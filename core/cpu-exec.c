/*
 * The vCPU execution loop: take interrupts and exceptions, find or
 * translate the next TB, chain it to the previous one, run it.
 *
 * Guest exceptions unwind to the sigsetjmp in cpu_exec with siglongjmp
 * (loom_cpu_loop_exit).  Nothing on the way may hold a lock: helpers and
 * the softmmu raise before taking any, and device callbacks never raise.
 */
#include "config.h"
#include <inttypes.h>
#include "internal.h"
#include "gdbstub.h"
#include "icount.h"

void loom_cpu_loop_exit(LoomCPU *cpu)
{
    if (icount_enabled && cpu->current_tb) {
        icount_loop_exit(cpu);          /* charge the part of the TB that ran */
    }
    cpu->current_tb = NULL;
    siglongjmp(cpu->priv->jmp_env, 1);
}

void loom_cpu_restore_state(LoomCPU *cpu, uintptr_t ra)
{
    LoomTB *tb = NULL;
    int insn = -1;

    /* the TB running now may have been reached through a jump patched
       into another TB's code, translated by another vCPU: the back-end
       reads its fields after this acquire (see tb_gen_code) */
    if (cpu->current_tb) {
        (void)tb_invalid(cpu->current_tb);
    }
    if (ra && cpu->machine->be->unwind(cpu, ra, &tb, &insn) && tb &&
        insn >= 0 && (uint32_t)insn < tb->nb_insn_data) {
        cpu->machine->fe->restore_state(cpu, &tb->insn_data[insn * cpu->machine->fe->insn_start_words]);
    }
}

void loom_cpu_loop_exit_restore(LoomCPU *cpu, uintptr_t ra)
{
    loom_cpu_restore_state(cpu, ra);
    loom_cpu_loop_exit(cpu);
}

void loom_cpu_halt(LoomCPU *cpu)
{
    __atomic_store_n(&cpu->halted, 1, __ATOMIC_SEQ_CST);
    cpu->exception_index = LOOM_EXCP_HLT;
    loom_cpu_loop_exit(cpu);
}

static void log_exec(LoomCPU *cpu, LoomTB *tb)
{
    if (!loom_log_enabled(LOOM_LOG_EXEC | LOOM_LOG_CPU) || !log_pc_wanted(tb->pc)) {
        return;
    }
    if (loom_log_enabled(LOOM_LOG_EXEC)) {
        loom_log("exec: cpu%u tb %p pc=0x%" PRIx64 " flags=0x%" PRIx64 " flags2=0x%" PRIx64
                 " insns=%u\n", cpu->cpu_index, (void *)tb, tb->pc, tb->flags, tb->flags2,
                 tb->icount);
    }
    if (loom_log_enabled(LOOM_LOG_CPU) && cpu->machine->fe->dump_state) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            cpu->machine->fe->dump_state(cpu, f);
            fclose(f);
            loom_log("%s", buf);
            free(buf);
        }
    }
}

/*
 * Exclusive sections (LOOM_EXCP_ATOMIC; docs/design.md, "Atomics").
 *
 * A TB that cannot do an insn atomically while other vCPUs run leaves
 * with LOOM_EXCP_ATOMIC, guest state restored to that insn: an atomic op
 * the back-end cannot do (or every one, with -accel tcg,atomics=
 * exclusive), an atomic on a lockless device, or a front-end's own
 * reason (e.g. a load-reserved under a strict LR/SC option).  The owner
 * then leaves the running set (cpu_exec_end), stops every other vCPU (start_exclusive) and runs
 * one-insn TBs translated with LOOM_CF_EXCLUSIVE from that insn: the
 * first always, then more while excl_done < excl_limit (1 unless a
 * front-end helper raised it with loom_cpu_exclusive_limit).
 *
 * Invariants:
 *  - while priv->excl, no other vCPU runs translated code: each waits
 *    in cpu_exec_start or start_exclusive until end_exclusive.  Single-
 *    threaded mode takes the same path; start_exclusive then has nobody
 *    to wait for.
 *  - the owner is not in the running set during the section (it would
 *    wait for itself) and re-enters it with cpu_exec_start afterwards.
 *  - every way out ends the section: the insn limit, and every
 *    siglongjmp (a trap, a halt, a code-buffer flush request), which
 *    lands in cpu_exec's sigsetjmp (excl_end there).
 *  - exit requests do not cut a section short: they are taken (so that
 *    exec_tb runs the insn) and handed back when it ends, which is at
 *    most excl_limit insns later.  Otherwise a kick from another vCPU's
 *    start_exclusive could cut every LR/SC window and starve the hart.
 *  - exclusive TBs are never chained to or from, and lookup_and_goto
 *    finds nothing in a section (loom_tb_lookup_current), so each one
 *    comes back here after its insn.
 */
bool atomics_exclusive;

void loom_cpu_exit_atomic(LoomCPU *cpu, uintptr_t ra)
{
    loom_cpu_restore_state(cpu, ra);
    cpu->exception_index = LOOM_EXCP_ATOMIC;
    loom_cpu_loop_exit(cpu);
}

void loom_cpu_exclusive_limit(LoomCPU *cpu, unsigned n)
{
    cpu->priv->excl_limit = n;
}

static void excl_begin(LoomCPU *cpu)
{
    cpu_exec_end(cpu);
    start_exclusive();
    cpu->priv->excl = true;
    cpu->priv->excl_done = 0;
    cpu->priv->excl_limit = 1;
    cpu->priv->excl_kicked = false;
    cpu->priv->stats.excl_sections++;
}

static void excl_end(LoomCPU *cpu)
{
    cpu->priv->excl = false;
    end_exclusive();
    cpu_exec_start(cpu);
    if (cpu->priv->excl_kicked) {
        __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
    }
}

/* Run the section to its end (or leave it by siglongjmp). */
static void excl_run(LoomCPU *cpu)
{
    const LoomFrontendOps *fe = cpu->machine->fe;
    const LoomBackendOps *be = cpu->machine->be;
    LoomCPUPrivate *p = cpu->priv;
    const uint32_t cflags = LOOM_CF_EXCLUSIVE | 1;

    while (p->excl_done == 0 || p->excl_done < p->excl_limit) {
        uint64_t pc, flags, flags2;
        LoomTB *tb;
        uintptr_t ret;

        if (__atomic_exchange_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST)) {
            p->excl_kicked = true;
        }
        fe->get_tb_cpu_state(cpu, &pc, &flags, &flags2);
        tb = tb_lookup(cpu, pc, flags, flags2, cflags);
        if (!tb) {
            tb = tb_gen_code(cpu, pc, flags, flags2, cflags);
        }
        log_exec(cpu, tb);
        p->stats.tbs_run++;
        ret = be->exec_tb(cpu, tb);
        cpu->current_tb = NULL;
        if ((ret & LOOM_IR_EXIT_MASK) != LOOM_IR_EXIT_REQUESTED) {
            p->excl_done++;
            if (icount_enabled) {
                icount_charge(tb->icount);      /* one insn, as cpu_exec does */
            }
        }
    }
    excl_end(cpu);
}

/*
 * Run until something needs the thread loop: a halt, queued work, a stop
 * request or (single-threaded mode) the end of the time slice.
 */
int cpu_exec(LoomCPU *cpu)
{
    LoomMachine *m = cpu->machine;
    const LoomFrontendOps *fe = m->fe;
    const LoomBackendOps *be = m->be;
    /* gdbstub (core/gdbstub.c): a vCPU the debugger holds runs nothing;
       one it single-steps runs one-insn TBs, unchained, and leaves with
       LOOM_EXCP_DEBUG after one insn (or after delivering the trap the
       insn raised, or halting in it).  paused is read first: the stub
       sets step before it releases paused. */
    const bool paused = cpu_held(cpu);     /* also monitor stop (cpus.c) */
    const bool step = !paused && gdbstub_enabled && gdbstub_cpu_stepping(cpu);
    const uint32_t cflags = (m->parallel ? LOOM_CF_PARALLEL : 0) |
                            (step ? LOOM_CF_SINGLESTEP | 1 : 0);
    /* icount: every TB comes back here, to be charged and budgeted */
    const bool chain_ok = !step && !loom_log_enabled(LOOM_LOG_EXEC | LOOM_LOG_CPU) &&
                          !icount_enabled;
    /* volatile: read after siglongjmp */
    LoomTB *volatile last_tb = NULL;
    volatile int last_slot = LOOM_IR_EXIT_PLAIN;
    volatile bool stepped = false;

    if (paused) {
        return LOOM_EXCP_INTERRUPT;
    }
    if (__atomic_load_n(&cpu->halted, __ATOMIC_SEQ_CST)) {
        if (!fe->cpu_has_work(cpu)) {
            return LOOM_EXCP_HLT;
        }
        __atomic_store_n(&cpu->halted, 0, __ATOMIC_SEQ_CST);
    }
    current_cpu = cpu;

    if (sigsetjmp(cpu->priv->jmp_env, 0) != 0) {
        /* back from a guest exception, a halt or a flush request */
        cpu->current_tb = NULL;
        last_tb = NULL;
        if (cpu->priv->excl) {
            excl_end(cpu);
        }
        if (step && cpu->exception_index >= 0 &&
            (cpu->exception_index < LOOM_EXCP_INTERRUPT ||
             cpu->exception_index == LOOM_EXCP_HLT)) {
            stepped = true;     /* the stepped insn trapped or halted */
        }
    }

    for (;;) {
        uint32_t req;
        uint64_t pc, flags, flags2;
        LoomTB *tb;
        uintptr_t ret;
        uint32_t budget = 0;

        /* exceptions first: a pending guest exception, or a reason to
           go back to the thread loop */
        if (cpu->exception_index == LOOM_EXCP_ATOMIC) {
            cpu->exception_index = LOOM_EXCP_NONE;
            last_tb = NULL;
            excl_begin(cpu);
            excl_run(cpu);
        }
        if (cpu->exception_index >= 0) {
            if (cpu->exception_index >= LOOM_EXCP_INTERRUPT) {
                int e = cpu->exception_index;
                cpu->exception_index = LOOM_EXCP_NONE;
                if (e == LOOM_EXCP_HLT && stepped) {
                    e = LOOM_EXCP_DEBUG;        /* still halted: a stop */
                }
                return e;
            }
            if (loom_log_enabled(LOOM_LOG_INT)) {
                loom_log("int: cpu%u exception %d\n", cpu->cpu_index, cpu->exception_index);
            }
            fe->do_interrupt(cpu);
            cpu->exception_index = LOOM_EXCP_NONE;
            last_tb = NULL;
        }
        if (stepped) {
            return LOOM_EXCP_DEBUG;     /* one insn done: the step ends */
        }

        if (icount_enabled) {
            /* a deadline reached on this instruction boundary fires now,
               so its interrupt is taken before the next instruction */
            icount_run_due_timers();
        }
        req = __atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE);
        if (req) {
            if (req & LOOM_INTERRUPT_EXITTB) {
                __atomic_fetch_and(&cpu->interrupt_request, ~(uint32_t)LOOM_INTERRUPT_EXITTB,
                                   __ATOMIC_SEQ_CST);
                last_tb = NULL;
            }
            if (req & LOOM_INTERRUPT_HARD) {
                /* sticky while something is pending, even if masked:
                   the front-end decides whether to take it now */
                if (!fe->cpu_has_work(cpu)) {
                    __atomic_fetch_and(&cpu->interrupt_request,
                                       ~(uint32_t)LOOM_INTERRUPT_HARD, __ATOMIC_SEQ_CST);
                    /* re-check: a device may have raised a line meanwhile */
                    if (fe->cpu_has_work(cpu)) {
                        __atomic_fetch_or(&cpu->interrupt_request, LOOM_INTERRUPT_HARD,
                                          __ATOMIC_SEQ_CST);
                    }
                } else if (fe->exec_interrupt && fe->exec_interrupt(cpu)) {
                    last_tb = NULL;
                }
            }
        }

        /* leave for the thread loop when asked (kick, work, stop) */
        if (__atomic_load_n(&cpu->exit_request, __ATOMIC_RELAXED) &&
            __atomic_exchange_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST)) {
            /* seq_cst: the clear is ordered before the thread loop
               re-reads the work queue and stop flag it guards */
            return LOOM_EXCP_INTERRUPT;
        }

        if (icount_enabled) {
            budget = icount_budget();
            if (!budget) {
                return LOOM_EXCP_INTERRUPT;     /* the turn is over */
            }
        }
        fe->get_tb_cpu_state(cpu, &pc, &flags, &flags2);
        {
            /* icount: a count limit after an MMIO cut */
            uint32_t cf = cflags | (icount_enabled ? icount_tb_cflags(cpu) : 0);
            tb = tb_lookup(cpu, pc, flags, flags2, cf);
            if (!tb) {
                tb = tb_gen_code(cpu, pc, flags, flags2, cf);
            }
            if (icount_enabled && tb->icount > budget) {
                /* the deadline falls inside it: a shorter TB ends on it */
                cf = (cf & ~(uint32_t)LOOM_CF_COUNT_MASK) | budget;
                tb = tb_lookup(cpu, pc, flags, flags2, cf);
                if (!tb) {
                    tb = tb_gen_code(cpu, pc, flags, flags2, cf);
                }
            }
        }
        if (last_tb && chain_ok && last_slot <= LOOM_IR_EXIT_SLOT1) {
            tb_add_jump(last_tb, last_slot, tb);
        }
        log_exec(cpu, tb);
        cpu->priv->stats.tbs_run++;
        cpu->unwind_insn = 0;
        ret = be->exec_tb(cpu, tb);
        cpu->current_tb = NULL;
        last_tb = (LoomTB *)(ret & ~(uintptr_t)LOOM_IR_EXIT_MASK);
        last_slot = (int)(ret & LOOM_IR_EXIT_MASK);
        if (icount_enabled && last_slot != LOOM_IR_EXIT_REQUESTED) {
            icount_charge(tb->icount);  /* no chaining: tb is the one that ran */
        }
        if (last_slot == LOOM_IR_EXIT_REQUESTED) {
            /* the TB did not run; the loop top sees exit_request */
            last_tb = NULL;
            cpu->priv->stats.exits++;
        } else if (step) {
            stepped = true;
        }
    }
}
