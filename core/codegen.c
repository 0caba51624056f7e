/*
 * Host code generation machinery shared by JIT back-ends: liveness, the
 * register cache, labels and fixups, the slow-path queue and the per-TB
 * code info with its unwind lookup.  See include/loom/codegen.h; nothing
 * here knows a host instruction set, it emits through the target
 * description's load/store/mov/movi hooks.
 *
 * The register cache: temps and guest globals are cached in the
 * allocatable registers across ops; the emitter's scratch registers are
 * free inside one op.  An op's inputs are read from their cached
 * register (or loaded into a scratch register), and its output goes to
 * an allocated register marked dirty; the home (env for globals, the
 * frame for other temps) is written only when needed:
 *   - before a guest memory op (it may fault, and a fault restores guest
 *     state from env) and before a helper that may read globals or
 *     raise: dirty globals are stored, the registers stay valid;
 *   - before a helper that may write globals: stored and forgotten;
 *   - before any helper: call-clobbered cached registers stored and
 *     forgotten;
 *   - around ldh/sth of env: the globals it overlaps (the emitter asks);
 *   - at labels, branches, goto_tb and TB exits: every live dirty value
 *     is stored and nothing stays cached across a label or branch;
 *   - on eviction (least recently used) when every register is taken.
 * The liveness pass marks where ebb and tb temps die, so their registers
 * are freed without a store.
 */
#include <stdlib.h>
#include <string.h>
#include <loom/loom.h>
#include <loom/codegen.h>
#include "internal.h"

typedef struct CGFixup {
    uint32_t at;
    uint32_t label;
    uint32_t kind;
} CGFixup;

struct LoomCodegen {
    LoomTargetDesc d;
    const LoomTargetDesc *desc;                 /* loom_cg_thread's key */
    const LoomIRContext *ir;
    void *e;                                    /* the emitter's state */
    bool bad;
    uint32_t cur_op;
    int32_t slot[LOOM_IR_MAX_TEMPS];            /* frame slot of ebb/tb temps */
    int8_t treg[LOOM_IR_MAX_TEMPS];             /* host register holding a temp, -1 */
    uint8_t tdirty[LOOM_IR_MAX_TEMPS];          /* the register is newer than the home */
    int32_t reg_temp[LOOM_CG_MAX_REGS];         /* temp held by a host register, -1 */
    uint32_t reg_used[LOOM_CG_MAX_REGS];        /* op that last touched it (LRU) */
    uint8_t dead[LOOM_IR_MAX_OPS];              /* per op: args whose temp dies there */
    uint32_t label_ofs[LOOM_IR_MAX_OPS];        /* UINT32_MAX: not yet placed */
    CGFixup fix[LOOM_IR_MAX_OPS];
    uint32_t nb_fix;
    uint32_t insn_ofs[LOOM_IR_MAX_OPS];
    uint32_t nb_insns;
    uint32_t jmp_ofs[2];
    LoomCGSlowPath slow[LOOM_IR_MAX_OPS];
    uint32_t nb_slow;
};

static bool reg_ok(int r)
{
    return r >= 0 && r < LOOM_CG_MAX_REGS;
}

LOOM_API LoomCodegen *loom_cg_new(const LoomTargetDesc *desc)
{
    LoomCodegen *cg;
    uint64_t taken = 0;

    if (!desc || !desc->alloc_regs || !desc->nb_alloc_regs || !desc->load || !desc->store ||
        !desc->mov || !desc->movi || !desc->patch_label) {
        loom_log("codegen: the target description lacks registers or a load/store/mov/movi/"
                 "patch_label hook; give every one\n");
        return NULL;
    }
    if (!reg_ok(desc->env_reg) || !reg_ok(desc->frame_reg) || desc->slot_size < 8) {
        loom_log("codegen: the target description's env_reg, frame_reg or slot_size is out "
                 "of range; use registers 0..%d and slots of 8 bytes or more\n",
                 LOOM_CG_MAX_REGS - 1);
        return NULL;
    }
    for (unsigned i = 0; i < desc->nb_alloc_regs; i++) {
        int r = desc->alloc_regs[i];
        if (!reg_ok(r) || r == desc->env_reg || r == desc->frame_reg ||
            ((desc->scratch_regs | taken) >> r & 1)) {
            loom_log("codegen: allocatable register %d is out of range, listed twice, scratch, "
                     "or the env or frame register; list each free register once\n", r);
            return NULL;
        }
        taken |= UINT64_C(1) << r;
    }
    cg = calloc(1, sizeof(*cg));
    if (!cg) {
        loom_log("codegen: out of memory for a code generator; free some memory\n");
        return NULL;
    }
    cg->d = *desc;
    return cg;
}

LOOM_API void loom_cg_free(LoomCodegen *cg)
{
    free(cg);
}

static __thread LoomCodegen *thread_cg;

LOOM_API LoomCodegen *loom_cg_thread(const LoomTargetDesc *desc)
{
    if (thread_cg && thread_cg->desc != desc) {
        loom_cg_free(thread_cg);        /* another back-end's: not in one run */
        thread_cg = NULL;
    }
    if (!thread_cg) {
        thread_cg = loom_cg_new(desc);
        if (thread_cg) {
            thread_cg->desc = desc;
        }
    }
    return thread_cg;
}

void codegen_thread_end(void)
{
    loom_cg_free(thread_cg);
    thread_cg = NULL;
}

LOOM_API bool loom_cg_failed(const LoomCodegen *cg)
{
    return cg->bad;
}

/* ---- liveness ---- */

LOOM_API void loom_cg_liveness(const LoomIRContext *ir, uint8_t *dead_out)
{
    enum { W = LOOM_IR_MAX_TEMPS / 64 };
    uint64_t live[W], tbmask[W];

    memset(live, 0, sizeof(live));
    memset(tbmask, 0, sizeof(tbmask));
    for (uint32_t t = 0; t < ir->nb_temps && t < LOOM_IR_MAX_TEMPS; t++) {
        if (ir->temps[t].kind == LOOM_IR_TEMP_TB) {
            tbmask[t / 64] |= UINT64_C(1) << (t % 64);
        }
    }
    for (uint32_t i = ir->nb_ops; i-- > 0;) {
        const LoomIROp *op = &ir->ops[i];
        uint8_t dead = 0;

        switch (op->opc) {
        case LOOM_IR_OP_exit_tb:
        case LOOM_IR_OP_lookup_and_goto:
            memset(live, 0, sizeof(live));
            break;
        case LOOM_IR_OP_br:
            memcpy(live, tbmask, sizeof(live));
            break;
        case LOOM_IR_OP_brcond_i32:
        case LOOM_IR_OP_brcond_i64:
        case LOOM_IR_OP_set_label:
            for (int w = 0; w < W; w++) {
                live[w] |= tbmask[w];
            }
            break;
        default:
            break;
        }
        for (unsigned k = 0; k < op->nout; k++) {
            LoomIRTemp t = (LoomIRTemp)op->args[k];
            if (t < ir->nb_temps) {
                live[t / 64] &= ~(UINT64_C(1) << (t % 64));
            }
        }
        for (unsigned k = 0; k < op->nin; k++) {
            LoomIRTemp t = (LoomIRTemp)op->args[op->nout + k];
            if (t < ir->nb_temps && !(live[t / 64] & (UINT64_C(1) << (t % 64)))) {
                dead |= (uint8_t)(1u << (op->nout + k));
            }
        }
        for (unsigned k = 0; k < op->nin; k++) {
            LoomIRTemp t = (LoomIRTemp)op->args[op->nout + k];
            if (t < ir->nb_temps) {
                live[t / 64] |= UINT64_C(1) << (t % 64);
            }
        }
        dead_out[i] = dead;
    }
}

LOOM_API bool loom_cg_dies_here(const LoomCodegen *cg, LoomIRTemp t)
{
    const LoomIROp *op = &cg->ir->ops[cg->cur_op];

    for (unsigned k = 0; k < op->nin; k++) {
        if (op->args[op->nout + k] == t && (cg->dead[cg->cur_op] & (1u << (op->nout + k)))) {
            return true;
        }
    }
    return false;
}

/* ---- a TB ---- */

LOOM_API bool loom_cg_begin(LoomCodegen *cg, const LoomIRContext *ir, void *e)
{
    int32_t n = 0;

    cg->ir = ir;
    cg->e = e;
    cg->bad = false;
    cg->cur_op = 0;
    cg->nb_fix = 0;
    cg->nb_insns = 0;
    cg->nb_slow = 0;
    cg->jmp_ofs[0] = cg->jmp_ofs[1] = 0;
    if (ir->nb_temps > LOOM_IR_MAX_TEMPS || ir->nb_labels > LOOM_IR_MAX_OPS ||
        ir->nb_ops > LOOM_IR_MAX_OPS) {
        return false;
    }
    for (int r = 0; r < LOOM_CG_MAX_REGS; r++) {
        cg->reg_temp[r] = -1;
        cg->reg_used[r] = 0;
    }
    for (uint32_t t = 0; t < ir->nb_temps; t++) {
        const LoomIRTempInfo *ti = &ir->temps[t];
        cg->slot[t] = -1;
        cg->treg[t] = -1;
        cg->tdirty[t] = 0;
        if (ti->kind == LOOM_IR_TEMP_EBB || ti->kind == LOOM_IR_TEMP_TB) {
            cg->slot[t] = n++;
        } else if (ti->kind == LOOM_IR_TEMP_GLOBAL && cg->d.global_align > 1 &&
                   ti->env_offset % cg->d.global_align) {
            return false;
        }
    }
    for (uint32_t l = 0; l < ir->nb_labels; l++) {
        cg->label_ofs[l] = UINT32_MAX;
    }
    loom_cg_liveness(ir, cg->dead);
    return true;
}

/* ---- the register cache ---- */

static bool is_var(const LoomIRTempInfo *ti)
{
    return ti->kind == LOOM_IR_TEMP_GLOBAL || ti->kind == LOOM_IR_TEMP_EBB ||
           ti->kind == LOOM_IR_TEMP_TB;
}

/* between t's home and register r */
static void home_load(LoomCodegen *cg, int r, LoomIRTemp t)
{
    const LoomIRTempInfo *ti = &cg->ir->temps[t];

    if (ti->kind == LOOM_IR_TEMP_GLOBAL) {
        cg->d.load(cg->e, r, cg->d.env_reg, ti->env_offset);
    } else {
        cg->d.load(cg->e, r, cg->d.frame_reg, cg->d.frame_ofs + cg->d.slot_size * cg->slot[t]);
    }
}

static void home_store(LoomCodegen *cg, int r, LoomIRTemp t)
{
    const LoomIRTempInfo *ti = &cg->ir->temps[t];

    if (ti->kind == LOOM_IR_TEMP_GLOBAL) {
        cg->d.store(cg->e, r, cg->d.env_reg, ti->env_offset);
    } else {
        cg->d.store(cg->e, r, cg->d.frame_reg, cg->d.frame_ofs + cg->d.slot_size * cg->slot[t]);
    }
}

static void reg_unbind(LoomCodegen *cg, int r)
{
    int32_t t = cg->reg_temp[r];

    if (t >= 0) {
        cg->treg[t] = -1;
        cg->tdirty[t] = 0;
        cg->reg_temp[r] = -1;
    }
}

/* write a dirty cached value back to its home; it stays cached */
static void reg_clean(LoomCodegen *cg, int r)
{
    int32_t t = cg->reg_temp[r];

    if (t >= 0 && cg->tdirty[t]) {
        home_store(cg, r, (LoomIRTemp)t);
        cg->tdirty[t] = 0;
    }
}

static int reg_alloc(LoomCodegen *cg, LoomIRTemp t)
{
    int best = -1;

    for (unsigned i = 0; i < cg->d.nb_alloc_regs; i++) {
        int r = cg->d.alloc_regs[i];
        if (cg->reg_temp[r] < 0) {
            best = r;
            break;
        }
        if (best < 0 || cg->reg_used[r] < cg->reg_used[best]) {
            best = r;
        }
    }
    reg_clean(cg, best);
    reg_unbind(cg, best);
    cg->reg_temp[best] = (int32_t)t;
    cg->treg[t] = (int8_t)best;
    cg->tdirty[t] = 0;
    cg->reg_used[best] = cg->cur_op;
    return best;
}

LOOM_API int loom_cg_src_reg(LoomCodegen *cg, LoomIRTemp t, int scratch)
{
    const LoomIRTempInfo *ti = &cg->ir->temps[t];
    int c;

    switch (ti->kind) {
    case LOOM_IR_TEMP_CONST:
        cg->d.movi(cg->e, scratch, ti->type == LOOM_IR_I32 ? (uint32_t)ti->val : ti->val);
        return scratch;
    case LOOM_IR_TEMP_ENV:
        return cg->d.env_reg;
    default:
        break;
    }
    c = cg->treg[t];
    if (c < 0 && (ti->kind == LOOM_IR_TEMP_GLOBAL || !loom_cg_dies_here(cg, t))) {
        c = reg_alloc(cg, t);
        home_load(cg, c, t);
    }
    if (c < 0) {
        home_load(cg, scratch, t);
        return scratch;
    }
    cg->reg_used[c] = cg->cur_op;
    return c;
}

LOOM_API int loom_cg_dst_reg(LoomCodegen *cg, LoomIRTemp t)
{
    int c;

    if (!is_var(&cg->ir->temps[t])) {
        cg->bad = true;     /* constants and env are read-only */
        return cg->d.alloc_regs[0];
    }
    c = cg->treg[t] >= 0 ? cg->treg[t] : reg_alloc(cg, t);
    cg->reg_used[c] = cg->cur_op;
    cg->tdirty[t] = 1;
    return c;
}

LOOM_API void loom_cg_sync_globals(LoomCodegen *cg, bool forget, int32_t ofs, unsigned size)
{
    for (unsigned i = 0; i < cg->d.nb_alloc_regs; i++) {
        int r = cg->d.alloc_regs[i];
        int32_t t = cg->reg_temp[r];
        const LoomIRTempInfo *ti;

        if (t < 0) {
            continue;
        }
        ti = &cg->ir->temps[t];
        if (ti->kind != LOOM_IR_TEMP_GLOBAL ||
            (size && (ti->env_offset >= ofs + (int32_t)size || ti->env_offset + 8 <= ofs))) {
            continue;
        }
        reg_clean(cg, r);
        if (forget) {
            reg_unbind(cg, r);
        }
    }
}

/* (Dead temps were freed at their last use, so what is left is live or
   a result nobody reads.) */
LOOM_API void loom_cg_sync_all(LoomCodegen *cg)
{
    for (unsigned i = 0; i < cg->d.nb_alloc_regs; i++) {
        reg_clean(cg, cg->d.alloc_regs[i]);
        reg_unbind(cg, cg->d.alloc_regs[i]);
    }
}

/* nothing reaches the next op: nothing to store */
static void forget_all(LoomCodegen *cg)
{
    for (unsigned i = 0; i < cg->d.nb_alloc_regs; i++) {
        reg_unbind(cg, cg->d.alloc_regs[i]);
    }
}

LOOM_API void loom_cg_before_call(LoomCodegen *cg, unsigned flags)
{
    const unsigned quiet = LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS;

    /* a helper that may raise is unwound to its insn's start from env */
    if (!(flags & LOOM_IR_CALL_NO_RAISE) || (flags & quiet) != quiet) {
        loom_cg_sync_globals(cg, !(flags & LOOM_IR_CALL_NO_WRITE_GLOBALS), 0, 0);
    }
    if (cg->d.call_clobbered) {
        for (unsigned i = 0; i < cg->d.nb_alloc_regs; i++) {
            int r = cg->d.alloc_regs[i];
            if (cg->d.call_clobbered >> r & 1) {
                reg_clean(cg, r);
                reg_unbind(cg, r);
            }
        }
    }
}

static bool cond_always(const LoomIROp *op)
{
    return op->args[2] == LOOM_IR_COND_ALWAYS || op->args[2] == LOOM_IR_COND_NEVER ||
           op->args[2] > LOOM_IR_COND_GTU;
}

LOOM_API void loom_cg_op_begin(LoomCodegen *cg, uint32_t i)
{
    const LoomIROp *op = &cg->ir->ops[i];

    cg->cur_op = i;
    if (loom_ir_op_defs[op->opc].flags & LOOM_IR_F_MEM) {
        loom_cg_sync_globals(cg, false, 0, 0);      /* a fault restores from env */
    }
    switch (op->opc) {
    case LOOM_IR_OP_set_label:
    case LOOM_IR_OP_br:
        loom_cg_sync_all(cg);
        break;
    case LOOM_IR_OP_brcond_i32:
    case LOOM_IR_OP_brcond_i64:
        /* a real compare syncs itself, between reading its operands
           and the branch (the emitter calls loom_cg_sync_all) */
        if (cond_always(op)) {
            loom_cg_sync_all(cg);
        }
        break;
    case LOOM_IR_OP_goto_tb:
    case LOOM_IR_OP_exit_tb:
    case LOOM_IR_OP_lookup_and_goto:
        /* the next TB (or the core) reads guest state from env */
        loom_cg_sync_globals(cg, false, 0, 0);
        break;
    default:
        break;
    }
}

LOOM_API void loom_cg_op_end(LoomCodegen *cg)
{
    const LoomIROp *op = &cg->ir->ops[cg->cur_op];

    /* free the registers of inputs that died here (unless the op also
       wrote the temp, whose new value is then what the register holds) */
    for (unsigned k = 0; k < op->nin; k++) {
        LoomIRTemp t = (LoomIRTemp)op->args[op->nout + k];
        bool out = false;

        if (!(cg->dead[cg->cur_op] & (1u << (op->nout + k))) || cg->treg[t] < 0 ||
            cg->ir->temps[t].kind == LOOM_IR_TEMP_GLOBAL) {
            continue;
        }
        for (unsigned o = 0; o < op->nout; o++) {
            out |= op->args[o] == t;
        }
        if (!out) {
            reg_unbind(cg, cg->treg[t]);
        }
    }
    switch (op->opc) {
    case LOOM_IR_OP_br:
    case LOOM_IR_OP_exit_tb:
    case LOOM_IR_OP_lookup_and_goto:
        forget_all(cg);
        break;
    case LOOM_IR_OP_brcond_i32:
    case LOOM_IR_OP_brcond_i64:
        loom_cg_sync_all(cg);       /* NEVER: a no-op, but still the end of a block */
        break;
    default:
        break;
    }
}

/* ---- labels, insns, goto_tb ---- */

LOOM_API void loom_cg_set_label(LoomCodegen *cg, uint32_t label, uint32_t ofs)
{
    if (label >= cg->ir->nb_labels) {
        cg->bad = true;
        return;
    }
    cg->label_ofs[label] = ofs;
}

LOOM_API void loom_cg_jump_label(LoomCodegen *cg, uint32_t label, uint32_t at, unsigned kind)
{
    if (label >= cg->ir->nb_labels || cg->nb_fix >= LOOM_IR_MAX_OPS) {
        cg->bad = true;
        return;
    }
    cg->fix[cg->nb_fix].at = at;
    cg->fix[cg->nb_fix].label = label;
    cg->fix[cg->nb_fix].kind = kind;
    cg->nb_fix++;
}

LOOM_API void loom_cg_insn_start(LoomCodegen *cg, uint32_t ofs)
{
    if (cg->nb_insns >= LOOM_IR_MAX_OPS) {
        cg->bad = true;
        return;
    }
    cg->insn_ofs[cg->nb_insns++] = ofs;
}

LOOM_API bool loom_cg_goto_tb_free(const LoomCodegen *cg, unsigned slot)
{
    return slot <= 1 && !cg->jmp_ofs[slot];
}

LOOM_API bool loom_cg_goto_tb(LoomCodegen *cg, unsigned slot, uint32_t at)
{
    if (!loom_cg_goto_tb_free(cg, slot)) {
        return false;
    }
    cg->jmp_ofs[slot] = at;
    return true;
}

/* ---- slow paths ---- */

LOOM_API LoomCGSlowPath *loom_cg_add_slow(LoomCodegen *cg, uint16_t opc, uint32_t jump_ofs,
                                          uint32_t cont_ofs)
{
    LoomCGSlowPath *sp;

    if (cg->nb_slow >= LOOM_IR_MAX_OPS) {
        cg->bad = true;
        return NULL;
    }
    sp = &cg->slow[cg->nb_slow++];
    memset(sp, 0, sizeof(*sp));
    sp->opc = opc;
    sp->jump_ofs = jump_ofs;
    sp->cont_ofs = cont_ofs;
    return sp;
}

LOOM_API uint32_t loom_cg_nb_slow(const LoomCodegen *cg)
{
    return cg->nb_slow;
}

LOOM_API const LoomCGSlowPath *loom_cg_slow(const LoomCodegen *cg, uint32_t n)
{
    return n < cg->nb_slow ? &cg->slow[n] : NULL;
}

/* ---- the end of a TB ---- */

LOOM_API LoomCodeInfo *loom_cg_finish(LoomCodegen *cg, uint8_t *code, uint32_t code_len,
                                      uint8_t *limit, bool *full)
{
    LoomCodeInfo *info;
    size_t info_size;

    *full = false;
    for (uint32_t f = 0; f < cg->nb_fix && !cg->bad; f++) {
        uint32_t target = cg->label_ofs[cg->fix[f].label];
        if (target == UINT32_MAX ||
            !cg->d.patch_label(code, cg->fix[f].at, target, cg->fix[f].kind)) {
            cg->bad = true;
        }
    }
    if (cg->bad) {
        return NULL;
    }
    info = (LoomCodeInfo *)(((uintptr_t)code + code_len + 7) & ~(uintptr_t)7);
    info_size = sizeof(*info) + cg->nb_insns * sizeof(uint32_t);
    if ((uint8_t *)info + info_size > limit) {
        *full = true;
        return NULL;
    }
    info->jmp_ofs[0] = cg->jmp_ofs[0];
    info->jmp_ofs[1] = cg->jmp_ofs[1];
    info->code_len = code_len;
    info->nb_insns = cg->nb_insns;
    memcpy(info->insn_ofs, cg->insn_ofs, cg->nb_insns * sizeof(uint32_t));
    return info;
}

LOOM_API int loom_cg_insn_at(const LoomCodeInfo *info, uint32_t ofs)
{
    int lo = -1, hi = (int)info->nb_insns;

    if (ofs >= info->code_len) {
        return -1;
    }
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (info->insn_ofs[mid] <= ofs) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

LOOM_API bool loom_cg_unwind(LoomCPU *cpu, uintptr_t ra, LoomTB **tbp, int *insn)
{
    LoomTB *tb = cpu->current_tb;
    const LoomCodeInfo *info;
    uintptr_t code;
    int i;

    if (!tb || !ra || !tb->backend_data) {
        return false;
    }
    info = tb->backend_data;
    code = (uintptr_t)tb->code;
    if (ra <= code || ra > code + info->code_len) {
        return false;
    }
    /* ra follows a call: the call itself covers ra - 1 */
    i = loom_cg_insn_at(info, (uint32_t)(ra - 1 - code));
    if (i < 0) {
        return false;
    }
    *tbp = tb;
    *insn = i;
    return true;
}
