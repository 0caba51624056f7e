/*
 * The translator loop: runs a front-end's hooks over one TB and enforces
 * the limits the core owns (instruction count, one guest page, IR size),
 * and turns on the core's barrier insertion for the translating vCPU.
 */
#include "config.h"
#include "internal.h"
#include "gdbstub.h"
#include "icount.h"

/* cpu->unwind_insn as an offset from env, which LOOM_IR_ENV points to */
#define UNWIND_INSN_OFS ((int32_t)offsetof(LoomCPU, unwind_insn) - (int32_t)offsetof(LoomCPU, env))

/* A gdbstub breakpoint: leave before the insn, with guest state at it. */
static uint64_t helper_debug(void *env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                             uint64_t a4, uint64_t a5)
{
    LoomCPU *cpu = loom_env_cpu(env);

    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
    cpu->exception_index = LOOM_EXCP_DEBUG;
    loom_cpu_loop_exit_restore(cpu, LOOM_GETPC());
}

static const LoomIRHelper debug_helper = { helper_debug, "debug", 0 };

void loom_translator_loop(const LoomTranslatorOps *ops, LoomDisasBase *db, LoomCPU *cpu,
                          LoomIRContext *ir, LoomTB *tb, int max_insns)
{
    uint64_t page_mask = ~((UINT64_C(1) << tlb_page_bits) - 1);

    db->tb = tb;
    db->ir = ir;
    db->pc_first = tb->pc;
    db->pc_next = tb->pc;
    db->is_jmp = LOOM_DISAS_NEXT;
    db->num_insns = 0;
    db->max_insns = max_insns;
    db->singlestep = (tb->cflags & LOOM_CF_SINGLESTEP) != 0;
    /* the barriers this vCPU's guest memory order needs (cpus.c) */
    loom_ir_set_mb_insert(ir, cpu->priv ? cpu->priv->mb_insert : 0);
    /* atomics that must run alone (docs/design.md, "Atomics"): all of
       them with atomics=exclusive, those wider than the back-end does
       atomically when other vCPUs run; none in an exclusive section */
    if (tb->cflags & LOOM_CF_EXCLUSIVE) {
        loom_ir_set_atomic_exit(ir, LOOM_IR_ATOMIC_EXIT_NONE);
    } else if (atomics_exclusive) {
        loom_ir_set_atomic_exit(ir, 0);
    } else if ((tb->cflags & LOOM_CF_PARALLEL) && cpu->machine) {
        loom_ir_set_atomic_exit(ir, cpu->machine->be->max_atomic_bits);
    }

    ops->init_disas_context(db, cpu);
    if (ops->tb_start) {
        ops->tb_start(db, cpu);
    }
    for (;;) {
        /* a gdbstub breakpoint (Z0/Z1) at the next insn: the insn starts
           a TB of its own, which leaves with LOOM_EXCP_DEBUG before it
           runs.  That TB covers the insn's first byte, so removing the
           breakpoint (which invalidates that byte) drops it. */
        if (gdbstub_enabled && gdbstub_bp_at(db->pc_next)) {
            if (db->num_insns > 0) {
                db->is_jmp = LOOM_DISAS_TOO_MANY;
                break;
            }
            db->num_insns++;
            ops->insn_start(db, cpu);
            loom_ir_gen_call(ir, &debug_helper, LOOM_IR_NO_RET, 0, NULL);
            loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);
            db->pc_next++;
            db->is_jmp = LOOM_DISAS_NORETURN;
            break;
        }
        db->num_insns++;
        ops->insn_start(db, cpu);
        if (icount_enabled) {
            /* icount: the index of the running instruction, for the clock
               it reads and the part of the TB a trap leaves retired
               (icount.c); the interpreter keeps it anyway */
            loom_ir_gen_sth_i64(ir, loom_ir_const_i64(ir, (uint64_t)(db->num_insns - 1)), LOOM_IR_ENV,
                           UNWIND_INSN_OFS, LOOM_MEM_32);
        }
        ops->translate_insn(db, cpu);
        loom_ir_release_ebb_temps(ir);
        if (db->is_jmp != LOOM_DISAS_NEXT) {
            break;
        }
        if (db->num_insns >= db->max_insns || db->singlestep || loom_ir_nearly_full(ir) ||
            (db->pc_next & page_mask) != (db->pc_first & page_mask)) {
            db->is_jmp = LOOM_DISAS_TOO_MANY;
            break;
        }
    }
    ops->tb_stop(db, cpu);
    tb->size = (uint32_t)(db->pc_next - db->pc_first);
}
