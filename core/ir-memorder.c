/*
 * The memory-order pass: the barriers a guest's memory order needs on a
 * host that does not give it, and the atomics that must run alone.
 *
 * tb_gen_code (translate.c) runs the IR passes in this order:
 *   translate -> memorder -> optimize -> legalize -> gen_code
 * memorder comes before the optimiser, which merges adjacent barriers
 * (optimize.c) and must see the inserted ones to do so; and before the
 * legaliser, whose expansions are not guest accesses and get none.
 *
 * What it does, with the settings of loom_ir_set_mb_insert and
 * loom_ir_set_atomic_exit (chosen per TB by tb_gen_code):
 *  - every guest load gets an `mb` of mo & (LD_LD | ST_LD) before it,
 *    every guest store one of mo & (LD_ST | ST_ST);
 *  - an atomic op wider than the exit width becomes a call that raises
 *    LOOM_EXCP_ATOMIC (docs/design.md, "Atomics"), and its outputs get 0
 *    so that the IR stays well formed; the insn is then replayed alone,
 *    in a TB where the width is LOOM_IR_ATOMIC_EXIT_NONE.
 *
 * Invariant: loom_ir_emit counts, op by op, what this pass will add
 * (loom_ir_memorder_extra), so that loom_ir_nearly_full stops a TB with
 * room for it.  The context belongs to one translating thread: no lock.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

/* The call an atomic op becomes when it must run alone. */
static uint64_t helper_exit_atomic(void *env, uint64_t a0, uint64_t a1, uint64_t a2,
                                   uint64_t a3, uint64_t a4, uint64_t a5)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
    loom_cpu_exit_atomic(loom_env_cpu(env), LOOM_GETPC());
}

static const LoomIRHelper exit_atomic_helper = { helper_exit_atomic, "exit_atomic", 0 };

static bool is_atomic_op(unsigned opc)
{
    return (opc >= LOOM_IR_OP_atomic_cmpxchg_i32 && opc <= LOOM_IR_OP_atomic_fetch_umax_i64) ||
           opc == LOOM_IR_OP_atomic_cmpxchg_i128;
}

static unsigned atomic_bits(unsigned opc, uint64_t memop)
{
    return opc == LOOM_IR_OP_atomic_cmpxchg_i128 ? 128 : loom_memop_size((unsigned)memop) * 8;
}

/* The ordering a guest access needs against earlier accesses: a load
   must not pass earlier loads (LD_LD) or stores (ST_LD), a store must
   not pass earlier loads (LD_ST) or stores (ST_ST).  Atomics are
   sequentially consistent by themselves and get nothing. */
static uint32_t mb_for_access(unsigned opc)
{
    switch (opc) {
    case LOOM_IR_OP_qemu_ld_i32:
    case LOOM_IR_OP_qemu_ld_i64:
        return LOOM_MO_LD_LD | LOOM_MO_ST_LD;
    case LOOM_IR_OP_qemu_st_i32:
    case LOOM_IR_OP_qemu_st_i64:
        return LOOM_MO_LD_ST | LOOM_MO_ST_ST;
    default:
        return 0;
    }
}

static bool must_exit(const LoomIROp *op, uint32_t atomic_exit_bits)
{
    return is_atomic_op(op->opc) && atomic_exit_bits != LOOM_IR_ATOMIC_EXIT_NONE &&
           atomic_bits(op->opc, op->args[op->nout + op->nin]) > atomic_exit_bits;
}

unsigned loom_ir_memorder_extra(const LoomIROp *op, uint32_t mb_insert, uint32_t atomic_exit_bits)
{
    if (mb_insert & mb_for_access(op->opc)) {
        return 1;                       /* the mb before it */
    }
    if (must_exit(op, atomic_exit_bits)) {
        return op->nout;                /* call + one mov per output, for the op */
    }
    return 0;
}

static void push(LoomIRContext *s, const LoomIROp *op)
{
    if (s->nb_ops >= LOOM_IR_MAX_OPS) {
        loom_fatal("plugin %s made a TB of more than %d IR ops with the core's barriers: "
                   "stop translating when loom_ir_nearly_full() says so "
                   "(loom_translator_loop does): fix the plugin",
                   loom_ir_source(s), LOOM_IR_MAX_OPS);
    }
    s->ops[s->nb_ops++] = *op;
}

void loom_ir_pass_memorder(LoomIRContext *s)
{
    uint32_t mb_insert, atomic_exit_bits, first, n = s->nb_ops;
    LoomIROp *old;

    loom_ir_get_modes(s, &mb_insert, &atomic_exit_bits);
    for (first = 0; first < n; first++) {
        if (loom_ir_memorder_extra(&s->ops[first], mb_insert, atomic_exit_bits)) {
            break;
        }
    }
    if (first == n) {
        return;
    }
    /* rebuild from the first op that changes on */
    old = g_new(LoomIROp, n - first);
    memcpy(old, &s->ops[first], (n - first) * sizeof(LoomIROp));
    s->nb_ops = first;
    for (uint32_t i = 0; i < n - first; i++) {
        const LoomIROp *op = &old[i];
        uint32_t mo = mb_insert & mb_for_access(op->opc);

        if (mo) {
            LoomIROp mb = { .opc = LOOM_IR_OP_mb, .ncon = 1, .args = { mo } };
            push(s, &mb);
        }
        if (must_exit(op, atomic_exit_bits)) {
            /* the whole insn is replayed alone, where this op stays as it
               is; the result only keeps the IR well formed (never seen) */
            bool is64 = (loom_ir_op_defs[op->opc].flags & LOOM_IR_F_64) != 0;
            LoomIROp call = { .opc = LOOM_IR_OP_call, .ncon = 1,
                              .args = { (LoomIRArg)(uintptr_t)&exit_atomic_helper } };
            LoomIRTemp zero = loom_ir_const(s, is64 ? LOOM_IR_I64 : LOOM_IR_I32, 0);

            push(s, &call);
            for (unsigned o = 0; o < op->nout; o++) {
                LoomIROp mov = { .opc = is64 ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32,
                                 .nout = 1, .nin = 1, .args = { op->args[o], zero } };
                push(s, &mov);
            }
            continue;
        }
        push(s, op);
    }
    g_free(old);
}
