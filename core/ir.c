/*
 * IR contexts: op and temp storage for one TB, the op table, and the
 * readable dump behind -d op.
 *
 * Globals are declared once, by the front-end's global_init, before any
 * vCPU thread exists; afterwards the global table is read-only, so every
 * context can copy it without a lock.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include "internal.h"

const LoomIROpDef loom_ir_op_defs[LOOM_IR_OP_COUNT] = {
#define LOOM_IR_DEF(name, o, i, c, f) [LOOM_IR_OP_##name] = { #name, o, i, c, f },
#include <loom/ir-ops.h>
#undef LOOM_IR_DEF
};

/* Written only during front-end load (single-threaded), then read-only. */
static LoomIRTempInfo loom_ir_globals[LOOM_IR_MAX_GLOBALS];
static uint32_t loom_ir_nb_global;

typedef struct LoomIRPrivate {
    GHashTable *consts[2];              /* value -> temp+1, per LoomIRType */
    uint32_t ebb_mark;                  /* first temp of the current insn */
    uint32_t *free_list[2][2];          /* [type][kind] stacks of free temps */
    uint32_t free_count[2][2];
    uint32_t mb_insert;                 /* LOOM_MO_* barriers to insert */
    uint32_t atomic_exit_bits;          /* atomics wider than this exit */
} LoomIRPrivate;

void loom_ir_globals_reset(void)
{
    memset(loom_ir_globals, 0, sizeof(loom_ir_globals));
    loom_ir_globals[0] = (LoomIRTempInfo){ .type = LOOM_IR_I64, .kind = LOOM_IR_TEMP_ENV, .name = "env" };
    loom_ir_nb_global = 1;
}

LoomIRTemp loom_ir_global_i64(int32_t env_offset, const char *name)
{
    if (loom_ir_nb_global == 0) {
        loom_ir_globals_reset();
    }
    g_assert(loom_ir_nb_global < LOOM_IR_MAX_GLOBALS);
    loom_ir_globals[loom_ir_nb_global] = (LoomIRTempInfo){
        .type = LOOM_IR_I64, .kind = LOOM_IR_TEMP_GLOBAL,
        .env_offset = env_offset, .name = name,
    };
    return loom_ir_nb_global++;
}

uint32_t loom_ir_nb_globals(void)
{
    return loom_ir_nb_global ? loom_ir_nb_global : 1;
}

const LoomIRTempInfo *loom_ir_global_info(void)
{
    return loom_ir_globals;
}

LoomIRContext *loom_ir_context_new(void)
{
    LoomIRContext *s = g_new0(LoomIRContext, 1);
    LoomIRPrivate *p = g_new0(LoomIRPrivate, 1);

    if (loom_ir_nb_global == 0) {
        loom_ir_globals_reset();
    }
    s->ops = g_new0(LoomIROp, LOOM_IR_MAX_OPS);
    s->temps = g_new0(LoomIRTempInfo, LOOM_IR_MAX_TEMPS);
    for (int t = 0; t < 2; t++) {
        p->consts[t] = g_hash_table_new(g_int64_hash, g_int64_equal);
        for (int k = 0; k < 2; k++) {
            p->free_list[t][k] = g_new(uint32_t, LOOM_IR_MAX_TEMPS);
        }
    }
    s->core_private = p;
    loom_ir_context_reset(s);
    return s;
}

void loom_ir_context_free(LoomIRContext *s)
{
    LoomIRPrivate *p;

    if (!s) {
        return;
    }
    p = s->core_private;
    for (int t = 0; t < 2; t++) {
        g_hash_table_destroy(p->consts[t]);
        for (int k = 0; k < 2; k++) {
            g_free(p->free_list[t][k]);
        }
    }
    g_free(p);
    g_free(s->ops);
    g_free(s->temps);
    g_free(s);
}

void loom_ir_context_reset(LoomIRContext *s)
{
    LoomIRPrivate *p = s->core_private;

    s->nb_ops = 0;
    s->nb_labels = 0;
    s->nb_insns = 0;
    s->nb_temps = loom_ir_nb_globals();
    memcpy(s->temps, loom_ir_globals, s->nb_temps * sizeof(LoomIRTempInfo));
    for (int t = 0; t < 2; t++) {
        g_hash_table_remove_all(p->consts[t]);
        p->free_count[t][0] = p->free_count[t][1] = 0;
    }
    p->ebb_mark = s->nb_temps;
    p->mb_insert = 0;
    p->atomic_exit_bits = LOOM_IR_ATOMIC_EXIT_NONE;
}

void loom_ir_set_mb_insert(LoomIRContext *s, uint32_t mo)
{
    LoomIRPrivate *p = s->core_private;

    p->mb_insert = mo & LOOM_MO_ALL;
}

void loom_ir_set_atomic_exit(LoomIRContext *s, uint32_t max_bits)
{
    LoomIRPrivate *p = s->core_private;

    p->atomic_exit_bits = max_bits;
}

/* The call an atomic op becomes when it must run alone (loom_ir_emit). */
static uint64_t helper_exit_atomic(void *env, uint64_t a0, uint64_t a1, uint64_t a2,
                                   uint64_t a3)
{
    (void)a0, (void)a1, (void)a2, (void)a3;
    loom_cpu_exit_atomic(loom_env_cpu(env), LOOM_GETPC());
}

static const LoomIRHelper exit_atomic_helper = { helper_exit_atomic, "exit_atomic", 0 };

static bool is_atomic_op(LoomIROpcode opc)
{
    return opc >= LOOM_IR_OP_atomic_cmpxchg_i32 && opc <= LOOM_IR_OP_atomic_fetch_umax_i64;
}

/* The ordering a guest access needs against earlier accesses: a load
   must not pass earlier loads (LD_LD) or stores (ST_LD), a store must
   not pass earlier loads (LD_ST) or stores (ST_ST).  Atomics are
   sequentially consistent by themselves and get nothing. */
static uint32_t mb_for_access(LoomIROpcode opc)
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

static LoomIRTemp temp_alloc(LoomIRContext *s)
{
    if (s->nb_temps >= LOOM_IR_MAX_TEMPS) {
        /* the translator loop stops well before this (loom_ir_nearly_full) */
        loom_fatal("internal error: IR temp limit (%d) exceeded in one TB", LOOM_IR_MAX_TEMPS);
    }
    return s->nb_temps++;
}

LoomIRTemp loom_ir_temp_new(LoomIRContext *s, LoomIRType type, LoomIRTempKind kind)
{
    LoomIRPrivate *p = s->core_private;
    int k = kind == LOOM_IR_TEMP_TB;
    LoomIRTemp t;

    g_assert(kind == LOOM_IR_TEMP_EBB || kind == LOOM_IR_TEMP_TB);
    if (p->free_count[type][k]) {
        t = p->free_list[type][k][--p->free_count[type][k]];
    } else {
        t = temp_alloc(s);
    }
    s->temps[t] = (LoomIRTempInfo){ .type = type, .kind = kind, .in_use = 1 };
    return t;
}

LoomIRTemp loom_ir_const(LoomIRContext *s, LoomIRType type, uint64_t val)
{
    LoomIRPrivate *p = s->core_private;
    gpointer found;
    LoomIRTemp t;

    if (type == LOOM_IR_I32) {
        val = (uint32_t)val;
    }
    found = g_hash_table_lookup(p->consts[type], &val);
    if (found) {
        return (LoomIRTemp)GPOINTER_TO_UINT(found) - 1;
    }
    t = temp_alloc(s);
    s->temps[t] = (LoomIRTempInfo){ .type = type, .kind = LOOM_IR_TEMP_CONST, .val = val };
    /* the key points into the temp array, which never moves */
    g_hash_table_insert(p->consts[type], &s->temps[t].val, GUINT_TO_POINTER(t + 1));
    return t;
}

void loom_ir_release_ebb_temps(LoomIRContext *s)
{
    LoomIRPrivate *p = s->core_private;

    for (uint32_t t = loom_ir_nb_globals(); t < s->nb_temps; t++) {
        LoomIRTempInfo *ti = &s->temps[t];
        if (ti->kind == LOOM_IR_TEMP_EBB && ti->in_use) {
            ti->in_use = 0;
            p->free_list[ti->type][0][p->free_count[ti->type][0]++] = t;
        }
    }
}

LoomIRLabel loom_ir_label_new(LoomIRContext *s)
{
    return s->nb_labels++;
}

bool loom_ir_nearly_full(const LoomIRContext *s)
{
    /* leave room for the largest guest insn plus the TB epilogue */
    return s->nb_ops > LOOM_IR_MAX_OPS - 256 || s->nb_temps > LOOM_IR_MAX_TEMPS - 128;
}

void loom_ir_emit(LoomIRContext *s, LoomIROpcode opc, unsigned nout, unsigned nin,
             unsigned ncon, const LoomIRArg *args)
{
    LoomIRPrivate *p = s->core_private;
    LoomIROp *op;

    g_assert((unsigned)opc < LOOM_IR_OP_COUNT && nout + nin + ncon <= LOOM_IR_MAX_ARGS);
    if (p->mb_insert) {
        LoomIRArg mo = p->mb_insert & mb_for_access(opc);
        if (mo) {
            loom_ir_emit(s, LOOM_IR_OP_mb, 0, 0, 1, &mo);
        }
    }
    if (is_atomic_op(opc) && p->atomic_exit_bits != LOOM_IR_ATOMIC_EXIT_NONE &&
        loom_memop_size((unsigned)args[nout + nin]) * 8 > p->atomic_exit_bits) {
        /* the whole insn is replayed alone, where this op is emitted as
           it is; the result only keeps the IR well formed (never seen) */
        LoomIRArg call = (LoomIRArg)(uintptr_t)&exit_atomic_helper;
        LoomIRArg mov[2] = { args[0], 0 };
        bool is64 = (loom_ir_op_defs[opc].flags & LOOM_IR_F_64) != 0;

        loom_ir_emit(s, LOOM_IR_OP_call, 0, 0, 1, &call);
        mov[1] = loom_ir_const(s, is64 ? LOOM_IR_I64 : LOOM_IR_I32, 0);
        loom_ir_emit(s, is64 ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32, 1, 1, 0, mov);
        return;
    }
    if (s->nb_ops >= LOOM_IR_MAX_OPS) {
        loom_fatal("internal error: IR op limit (%d) exceeded in one TB", LOOM_IR_MAX_OPS);
    }
    op = &s->ops[s->nb_ops++];
    op->opc = opc;
    op->nout = nout;
    op->nin = nin;
    op->ncon = ncon;
    if (nout + nin + ncon) {
        memcpy(op->args, args, (nout + nin + ncon) * sizeof(LoomIRArg));
    }
    if (opc == LOOM_IR_OP_insn_start) {
        s->nb_insns++;
    }
}

/* ---- dump ---- */

static const char *const cond_names[] = {
    "never", "always", "eq", "ne", "lt", "ge", "le", "gt", "ltu", "geu", "leu", "gtu",
};

static void temp_name(const LoomIRContext *s, LoomIRTemp t, char *buf, size_t n)
{
    const LoomIRTempInfo *ti;

    if (t >= s->nb_temps) {
        snprintf(buf, n, "<bad %u>", t);
        return;
    }
    ti = &s->temps[t];
    switch (ti->kind) {
    case LOOM_IR_TEMP_ENV:
        snprintf(buf, n, "env");
        break;
    case LOOM_IR_TEMP_GLOBAL:
        snprintf(buf, n, "%s", ti->name ? ti->name : "global");
        break;
    case LOOM_IR_TEMP_CONST:
        snprintf(buf, n, "$0x%" PRIx64, ti->val);
        break;
    case LOOM_IR_TEMP_TB:
        snprintf(buf, n, "loc%u", t);
        break;
    default:
        snprintf(buf, n, "tmp%u", t);
        break;
    }
}

static void memop_name(uint64_t mop, char *buf, size_t n)
{
    static const char sz[] = "bwlq";
    snprintf(buf, n, "%s%c%s%s", (mop & LOOM_MEM_SIGN) ? "s" : "u", sz[mop & LOOM_MEM_SIZE],
             (mop & LOOM_MEM_BE) ? "_be" : "_le", (mop & LOOM_MEM_ALIGN) ? "+al" : "");
}

void loom_ir_dump(const LoomIRContext *s, const char *title)
{
    GString *line = g_string_new(NULL);
    char buf[64];

    loom_log("%s (%u ops, %u temps)\n", title, s->nb_ops, s->nb_temps);
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        const LoomIROp *op = &s->ops[i];
        const LoomIROpDef *def = &loom_ir_op_defs[op->opc];
        unsigned nt = op->nout + op->nin;

        g_string_truncate(line, 0);
        if (op->opc == LOOM_IR_OP_insn_start) {
            g_string_append_printf(line, " ---- %016" PRIx64 " %016" PRIx64,
                                   op->args[0], op->args[1]);
            loom_log("%s\n", line->str);
            continue;
        }
        if (op->opc == LOOM_IR_OP_set_label) {
            loom_log("L%" PRIu64 ":\n", op->args[0]);
            continue;
        }
        g_string_append_printf(line, " %-18s", def->name);
        for (unsigned a = 0; a < nt; a++) {
            temp_name(s, (LoomIRTemp)op->args[a], buf, sizeof(buf));
            g_string_append_printf(line, "%s%s", a ? "," : "", buf);
        }
        for (unsigned c = 0; c < op->ncon; c++) {
            uint64_t v = op->args[nt + c];
            const char *sep = (nt || c) ? "," : "";
            if ((def->flags & LOOM_IR_F_COND) && c == 0) {
                g_string_append_printf(line, "%s%s", sep,
                                       v < G_N_ELEMENTS(cond_names) ? cond_names[v] : "?");
            } else if (op->opc == LOOM_IR_OP_br || (op->opc == LOOM_IR_OP_brcond_i32 && c == 1) ||
                       (op->opc == LOOM_IR_OP_brcond_i64 && c == 1)) {
                g_string_append_printf(line, "%sL%" PRIu64, sep, v);
            } else if ((def->flags & LOOM_IR_F_MEM) && c == 0) {
                memop_name(v, buf, sizeof(buf));
                g_string_append_printf(line, "%s%s", sep, buf);
            } else if (op->opc == LOOM_IR_OP_call) {
                const LoomIRHelper *h = (const LoomIRHelper *)(uintptr_t)v;
                g_string_append_printf(line, "%s%s", sep, h->name);
            } else {
                g_string_append_printf(line, "%s$0x%" PRIx64, sep, v);
            }
        }
        loom_log("%s\n", line->str);
    }
    g_string_free(line, TRUE);
}
