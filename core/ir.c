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
#include <stdarg.h>
#include "internal.h"

const LoomIROpDef loom_ir_op_defs[LOOM_IR_OP_COUNT] = {
#define LOOM_IR_DEF(name, o, i, c, f) [LOOM_IR_OP_##name] = { #name, o, i, c, f },
#include <loom/ir-ops.h>
#undef LOOM_IR_DEF
};

/* Written only during front-end load (single-threaded), then read-only. */
static LoomIRTempInfo loom_ir_globals[LOOM_IR_MAX_GLOBALS];
static uint32_t loom_ir_nb_global;
static const char *loom_ir_globals_plugin;      /* who declares them, for messages */

typedef struct LoomIRPrivate {
    GHashTable *consts[2];              /* value -> temp+1, per LoomIRType */
    uint32_t ebb_mark;                  /* first temp of the current insn */
    uint32_t *free_list[2][2];          /* [type][kind] stacks of free temps */
    uint32_t free_count[2][2];
    /* the memorder pass's settings (ir-memorder.c), and the ops it will
       add to what was emitted so far (loom_ir_nearly_full) */
    uint32_t mb_insert;                 /* LOOM_MO_* barriers to insert */
    uint32_t atomic_exit_bits;          /* atomics wider than this exit */
    uint32_t memorder_extra;
    /* loom_ir_set_source: who emits (for messages), the insn_start
       words it declared (0: not checked), the back-end's optional ops
       and the ops their legalisation will add (loom_ir_nearly_full) */
    const char *source;
    uint32_t insn_start_words;
    uint32_t nb_mmu_modes;              /* 0: not checked */
    bool have_opset;
    uint64_t opset[LOOM_IR_OPSET_WORDS];
    uint32_t legal_extra;
} LoomIRPrivate;

void loom_ir_globals_source(const char *plugin)
{
    loom_ir_globals_plugin = plugin;
}

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
    if (loom_ir_nb_global >= LOOM_IR_MAX_GLOBALS) {
        loom_fatal("plugin %s declared more than %d IR globals (the last one %s): keep CPU "
                   "state beyond them in env, reached with ldh/sth: fix the plugin",
                   loom_ir_globals_plugin ? loom_ir_globals_plugin : "(unknown)",
                   LOOM_IR_MAX_GLOBALS - 1, name ? name : "(unnamed)");
    }
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
    p->memorder_extra = 0;
    p->source = NULL;
    p->insn_start_words = 0;
    p->nb_mmu_modes = 0;
    p->have_opset = false;
    p->legal_extra = 0;
}

void loom_ir_set_source(LoomIRContext *s, const char *plugin, const LoomFrontendOps *fe,
                        const LoomBackendOps *be)
{
    LoomIRPrivate *p = s->core_private;

    p->source = plugin;
    p->insn_start_words = fe ? fe->insn_start_words : 0;
    p->nb_mmu_modes = fe ? fe->nb_mmu_modes : 0;
    p->have_opset = be && loom_ir_opset_build(be, p->opset, NULL);
}

const char *loom_ir_source(const LoomIRContext *s)
{
    const LoomIRPrivate *p = s->core_private;

    return p->source ? p->source : "(unknown)";
}

void loom_ir_get_modes(LoomIRContext *s, uint32_t *mb_insert, uint32_t *atomic_exit_bits)
{
    LoomIRPrivate *p = s->core_private;

    *mb_insert = p->mb_insert;
    *atomic_exit_bits = p->atomic_exit_bits;
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

static LoomIRTemp temp_alloc(LoomIRContext *s)
{
    if (s->nb_temps >= LOOM_IR_MAX_TEMPS) {
        /* the translator loop stops well before this (loom_ir_nearly_full) */
        const LoomIRPrivate *p = s->core_private;
        loom_fatal("plugin %s made more than %d IR temps in one TB: stop translating when "
                   "loom_ir_nearly_full() says so (loom_translator_loop does): fix the plugin",
                   p->source ? p->source : "(unknown)", LOOM_IR_MAX_TEMPS);
    }
    return s->nb_temps++;
}

LoomIRTemp loom_ir_temp_fresh(LoomIRContext *s, LoomIRType type)
{
    LoomIRTemp t = temp_alloc(s);

    s->temps[t] = (LoomIRTempInfo){ .type = type, .kind = LOOM_IR_TEMP_EBB, .in_use = 1 };
    return t;
}

/* A type a plugin passed in: LOOM_IR_I32 or LOOM_IR_I64, or a one-line
   error naming the plugin and the call. */
static void check_type(const LoomIRContext *s, const char *fn, unsigned type)
{
    if (type != LOOM_IR_I32 && type != LOOM_IR_I64) {
        loom_fatal("plugin %s called %s with IR type %u, which is not LOOM_IR_I32 or "
                   "LOOM_IR_I64: fix the plugin", loom_ir_source(s), fn, type);
    }
}

LoomIRTemp loom_ir_temp_new(LoomIRContext *s, LoomIRType type, LoomIRTempKind kind)
{
    LoomIRPrivate *p = s->core_private;
    int k = kind == LOOM_IR_TEMP_TB;
    LoomIRTemp t;

    check_type(s, "loom_ir_temp_new", type);
    if (kind != LOOM_IR_TEMP_EBB && kind != LOOM_IR_TEMP_TB) {
        loom_fatal("plugin %s called loom_ir_temp_new with temp kind %u: it makes "
                   "LOOM_IR_TEMP_EBB or LOOM_IR_TEMP_TB temps (constants come from "
                   "loom_ir_const): fix the plugin", loom_ir_source(s), (unsigned)kind);
    }
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

    check_type(s, "loom_ir_const", type);
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
    const LoomIRPrivate *p = s->core_private;

    /* leave room for the largest guest insn plus the TB epilogue, and
       for what the memorder pass and legalising the optional ops add to
       the ops emitted so far */
    return s->nb_ops + p->memorder_extra + p->legal_extra > LOOM_IR_MAX_OPS - 256 ||
           s->nb_temps > LOOM_IR_MAX_TEMPS - 128;
}

/* ---- validation: a plugin's bad IR is a one-line error, never an abort ---- */

static G_NORETURN G_GNUC_PRINTF(3, 4)
void bad_op(const LoomIRContext *s, unsigned opc, const char *fmt, ...)
{
    const LoomIRPrivate *p = s->core_private;
    char *why;
    va_list ap;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    loom_fatal("plugin %s emitted a bad IR op %s (op %u of the TB): %s: fix the plugin",
               p->source ? p->source : "(unknown)",
               opc < LOOM_IR_OP_COUNT ? loom_ir_op_defs[opc].name : "(none)", s->nb_ops, why);
}

/* Field ranges the back-ends rely on: counts as the op table says, temps
   and labels that exist, outputs that may be written, conditions and
   bit-field constants in range. */
static void check_op(const LoomIRContext *s, unsigned opc, unsigned nout, unsigned nin,
                     unsigned ncon, const LoomIRArg *args)
{
    const LoomIRPrivate *p = s->core_private;
    const LoomIROpDef *d;
    unsigned nt = nout + nin;

    if (opc >= LOOM_IR_OP_COUNT) {
        bad_op(s, opc, "opcode %u is not an IR op (there are %u)", opc, LOOM_IR_OP_COUNT);
    }
    d = &loom_ir_op_defs[opc];
    if (opc == LOOM_IR_OP_call) {
        if (nout > 1 || nin > LOOM_IR_MAX_HELPER_ARGS || ncon != 1) {
            bad_op(s, opc, "%u outputs, %u inputs, %u constants where a call has at most 1, "
                   "at most %d and 1", nout, nin, ncon, LOOM_IR_MAX_HELPER_ARGS);
        }
        if (!args[nt] || !((const LoomIRHelper *)(uintptr_t)args[nt])->fn) {
            bad_op(s, opc, "no helper function");
        }
    } else if (opc == LOOM_IR_OP_insn_start) {
        unsigned want = p->insn_start_words;
        if (nt || ncon < 1 || ncon > LOOM_IR_MAX_INSN_START_WORDS || (want && ncon != want)) {
            bad_op(s, opc, "%u data words where the front-end declares insn_start_words = %u",
                   ncon, want);
        }
    } else if (nout != d->nout || nin != d->nin || ncon != d->ncon) {
        bad_op(s, opc, "%u outputs, %u inputs, %u constants where it has %u, %u and %u",
               nout, nin, ncon, d->nout, d->nin, d->ncon);
    }
    for (unsigned a = 0; a < nt; a++) {
        if (args[a] >= s->nb_temps) {
            bad_op(s, opc, "argument %u is temp %" PRIu64 ", the TB has %u", a, args[a], s->nb_temps);
        }
        if (a < nout && s->temps[args[a]].kind >= LOOM_IR_TEMP_CONST) {
            bad_op(s, opc, "output %u is a constant or env, which are read-only", a);
        }
    }
    if (d->flags & LOOM_IR_F_MEM) {
        uint64_t mop = args[nt], idx = args[nt + 1];
        if (mop & ~(uint64_t)(LOOM_MEM_SIZE | LOOM_MEM_SIGN | LOOM_MEM_BE | LOOM_MEM_ALIGN)) {
            bad_op(s, opc, "memop 0x%" PRIx64 " has bits no LoomMemOp has", mop);
        }
        if (p->nb_mmu_modes && idx >= p->nb_mmu_modes) {
            bad_op(s, opc, "MMU index %" PRIu64 " where the front-end declares nb_mmu_modes = %u",
                   idx, p->nb_mmu_modes);
        }
    }
    if ((d->flags & LOOM_IR_F_COND) && args[nt] > LOOM_IR_COND_GTU) {
        bad_op(s, opc, "condition %" PRIu64 " is not a LoomIRCond", args[nt]);
    }
    switch (opc) {
    case LOOM_IR_OP_set_label:
    case LOOM_IR_OP_br:
    case LOOM_IR_OP_brcond_i32:
    case LOOM_IR_OP_brcond_i64: {
        uint64_t l = args[nt + ncon - 1];
        if (l >= s->nb_labels) {
            bad_op(s, opc, "label %" PRIu64 " was not made by loom_ir_label_new (%u labels)",
                   l, s->nb_labels);
        }
        break;
    }
    case LOOM_IR_OP_extract_i32: case LOOM_IR_OP_sextract_i32: case LOOM_IR_OP_deposit_i32:
    case LOOM_IR_OP_extract_i64: case LOOM_IR_OP_sextract_i64: case LOOM_IR_OP_deposit_i64: {
        uint64_t pos = args[nt], len = args[nt + 1], w = (d->flags & LOOM_IR_F_64) ? 64 : 32;
        if (len < 1 || len > w || pos >= w || pos + len > w) {
            bad_op(s, opc, "bit field pos %" PRIu64 " len %" PRIu64 " is not within %" PRIu64
                   " bits (need len >= 1, pos + len <= %" PRIu64 ")", pos, len, w, w);
        }
        break;
    }
    case LOOM_IR_OP_goto_tb:
        if (args[0] > 1) {
            bad_op(s, opc, "slot %" PRIu64 " (there are slots 0 and 1)", args[0]);
        }
        break;
    default:
        break;
    }
}

void loom_ir_emit(LoomIRContext *s, LoomIROpcode opc, unsigned nout, unsigned nin,
             unsigned ncon, const LoomIRArg *args)
{
    LoomIRPrivate *p = s->core_private;
    LoomIROp *op;

    check_op(s, opc, nout, nin, ncon, args);
    if (p->have_opset && loom_ir_op_is_optional(opc) &&
        !(p->opset[opc / 64] & (UINT64_C(1) << (opc % 64)))) {
        p->legal_extra += loom_ir_legalize_cost(opc);
    }
    if (s->nb_ops >= LOOM_IR_MAX_OPS) {
        bad_op(s, opc, "the TB already has %d ops, the most one holds; stop translating when "
               "loom_ir_nearly_full() says so (loom_translator_loop does)", LOOM_IR_MAX_OPS);
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
    if (p->mb_insert || p->atomic_exit_bits != LOOM_IR_ATOMIC_EXIT_NONE) {
        p->memorder_extra += loom_ir_memorder_extra(op, p->mb_insert, p->atomic_exit_bits);
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
            g_string_append(line, " ----");
            for (unsigned w = 0; w < op->ncon; w++) {
                g_string_append_printf(line, " %016" PRIx64, op->args[w]);
            }
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
