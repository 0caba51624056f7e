/*
 * The IR optimiser, driven with hand-built IR: the exact op list it makes
 * of small contexts, and that running the optimised IR on the interpreter
 * leaves exactly the state the unoptimised IR leaves (globals, guest
 * memory, exit code, faults), for every foldable op on edge values and for
 * random programs.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include "ir-harness.h"

/* The op list, one "name args" per op joined with "; ": globals by name,
   constants as $hex, other temps as t, labels as L<n>, constants of the
   op as #<n> (hex), insn_start as ----. */
static char *fmt_ops(const LoomIRContext *s)
{
    GString *str = g_string_new(NULL);

    for (uint32_t i = 0; i < s->nb_ops; i++) {
        const LoomIROp *op = &s->ops[i];
        unsigned nt = op->nout + op->nin;

        if (i) {
            g_string_append(str, "; ");
        }
        if (op->opc == LOOM_IR_OP_insn_start) {
            g_string_append(str, "----");
            continue;
        }
        if (op->opc == LOOM_IR_OP_set_label) {
            g_string_append_printf(str, "L%" PRIu64 ":", op->args[0]);
            continue;
        }
        g_string_append(str, loom_ir_op_defs[op->opc].name);
        for (unsigned a = 0; a < nt + op->ncon; a++) {
            const LoomIRTempInfo *ti = &s->temps[op->args[a]];
            g_string_append_c(str, a ? ',' : ' ');
            if (a >= nt) {
                bool label = op->opc == LOOM_IR_OP_br ||
                             ((op->opc == LOOM_IR_OP_brcond_i32 || op->opc == LOOM_IR_OP_brcond_i64) &&
                              a == nt + 1);
                if (op->opc == LOOM_IR_OP_call) {
                    g_string_append(str, ((const LoomIRHelper *)(uintptr_t)op->args[a])->name);
                } else {
                    g_string_append_printf(str, label ? "L%" PRIu64 : "#%" PRIx64, op->args[a]);
                }
            } else if (ti->kind == LOOM_IR_TEMP_GLOBAL) {
                g_string_append(str, ti->name);
            } else if (ti->kind == LOOM_IR_TEMP_CONST) {
                g_string_append_printf(str, "$%" PRIx64, ti->val);
            } else if (ti->kind == LOOM_IR_TEMP_ENV) {
                g_string_append(str, "env");
            } else {
                g_string_append(str, "t");
            }
        }
    }
    return g_string_free(str, FALSE);
}

static void assert_ops(LoomIRContext *s, const char *want)
{
    char *got;

    loom_ir_optimize(s);
    got = fmt_ops(s);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

/* ---- running optimised against unoptimised ---- */

typedef void BuildFn(LoomIRContext *s, const void *arg);

typedef struct Outcome {
    int exit;
    TestEnv env;
    uint8_t ram[256];
} Outcome;

#define RAM_WINDOW (RAM_BASE + 0x400)

static void run_one(LoomIRContext *s, const uint64_t init[NG], Outcome *o)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_WINDOW, sizeof(o->ram));

    for (unsigned i = 0; i < sizeof(o->ram); i++) {
        ram[i] = (uint8_t)(i * 37 + 11);
    }
    memcpy(env->r, init, sizeof(env->r));
    o->exit = harness_run(cpu, s);
    o->env = *env;
    memcpy(o->ram, ram, sizeof(o->ram));
    harness_cpu_free(cpu);
}

/* Build the IR twice, optimise one copy, run both from the same state and
   compare everything the guest could see. */
static void compare_runs(BuildFn *build, const void *arg, const uint64_t init[NG])
{
    LoomIRContext *s0 = harness_begin(), *s1 = harness_begin();
    Outcome o0, o1;

    build(s0, arg);
    build(s1, arg);
    loom_ir_optimize(s1);
    g_assert_cmpuint(s1->nb_ops, <=, s0->nb_ops);
    memset(&o0, 0, sizeof(o0));
    memset(&o1, 0, sizeof(o1));
    run_one(s0, init, &o0);
    run_one(s1, init, &o1);
    if (memcmp(&o0.env, &o1.env, sizeof(o0.env)) || o0.exit != o1.exit ||
        memcmp(o0.ram, o1.ram, sizeof(o0.ram))) {
        char *a = fmt_ops(s0), *b = fmt_ops(s1);
        g_test_message("before: %s", a);
        g_test_message("after:  %s", b);
        for (int i = 0; i < NG; i++) {
            g_test_message("r%d: 0x%" PRIx64 " vs 0x%" PRIx64, i, o0.env.r[i], o1.env.r[i]);
        }
        g_free(a);
        g_free(b);
    }
    g_assert_cmpint(o0.exit, ==, o1.exit);
    g_assert_cmpmem(&o0.env, sizeof(o0.env), &o1.env, sizeof(o1.env));
    g_assert_cmpmem(o0.ram, sizeof(o0.ram), o1.ram, sizeof(o1.ram));
    loom_ir_context_free(s0);
    loom_ir_context_free(s1);
}

static const uint64_t edge_values[] = {
    0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull,
};

static bool op_is_i32(LoomIROpcode op)
{
    return !(loom_ir_op_defs[op].flags & LOOM_IR_F_64);
}

static LoomIRType in_type(LoomIROpcode op)
{
    if (op == LOOM_IR_OP_extrl_i64_i32 || op == LOOM_IR_OP_extrh_i64_i32) {
        return LOOM_IR_I64;
    }
    if (op == LOOM_IR_OP_exts_i32_i64 || op == LOOM_IR_OP_extu_i32_i64) {
        return LOOM_IR_I32;
    }
    return op_is_i32(op) ? LOOM_IR_I32 : LOOM_IR_I64;
}

static LoomIRType out_type(LoomIROpcode op)
{
    return op_is_i32(op) ? LOOM_IR_I32 : LOOM_IR_I64;
}

/* r<out> = (i64) value of an i32 or i64 temp */
static void store_result(LoomIRContext *s, LoomIRTemp out, LoomIRTemp v)
{
    if (s->temps[v].type == LOOM_IR_I32) {
        loom_ir_gen_extu_i32_i64(s, out, v);
    } else {
        loom_ir_gen_mov_i64(s, out, v);
    }
}

/* An input: a constant, or (from_global) the low bits of global r<i>. */
static LoomIRTemp input(LoomIRContext *s, LoomIRType ty, uint64_t v, bool from_global, int gi)
{
    LoomIRTemp t;

    if (!from_global) {
        return loom_ir_const(s, ty, v);
    }
    if (ty == LOOM_IR_I64) {
        return g[gi];
    }
    t = loom_ir_temp_new_i32(s);
    loom_ir_gen_extrl_i64_i32(s, t, g[gi]);
    return t;
}

typedef struct OpCase {
    LoomIROpcode op;
    uint64_t a, b;
    bool ga, gb;                /* input from r1 / r2 instead of a constant */
} OpCase;

static void build_binary(LoomIRContext *s, const void *arg)
{
    const OpCase *c = arg;
    LoomIRTemp d = loom_ir_temp_new(s, out_type(c->op), LOOM_IR_TEMP_EBB);

    loom_ir_op3(s, c->op, d, input(s, in_type(c->op), c->a, c->ga, 1),
           input(s, in_type(c->op), c->b, c->gb, 2));
    store_result(s, g[0], d);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
}

static void build_unary(LoomIRContext *s, const void *arg)
{
    const OpCase *c = arg;
    LoomIRTemp d = loom_ir_temp_new(s, out_type(c->op), LOOM_IR_TEMP_EBB);

    loom_ir_op2(s, c->op, d, input(s, in_type(c->op), c->a, c->ga, 1));
    store_result(s, g[0], d);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
}

static bool is_binary(LoomIROpcode op)
{
    const LoomIROpDef *d = &loom_ir_op_defs[op];
    return d->nout == 1 && d->nin == 2 && d->ncon == 0 && !(d->flags & (LOOM_IR_F_MEM | LOOM_IR_F_SIDE));
}

static bool is_unary(LoomIROpcode op)
{
    const LoomIROpDef *d = &loom_ir_op_defs[op];
    return d->nout == 1 && d->nin == 1 && d->ncon == 0 && !(d->flags & (LOOM_IR_F_MEM | LOOM_IR_F_SIDE));
}

/* Every two-input op on every pair of edge values: folded to one mov with
   the interpreter's result; and with one side in a global, the
   identities give the interpreter's result too. */
static void test_fold_binary(void)
{
    uint64_t init[NG] = { 0 };

    for (int op = 0; op < LOOM_IR_OP_COUNT; op++) {
        if (!is_binary((LoomIROpcode)op)) {
            continue;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(edge_values); i++) {
            for (size_t j = 0; j < G_N_ELEMENTS(edge_values); j++) {
                OpCase c = { (LoomIROpcode)op, edge_values[i], edge_values[j], false, false };
                compare_runs(build_binary, &c, init);
                init[1] = edge_values[i];
                init[2] = edge_values[j];
                c.ga = true;
                compare_runs(build_binary, &c, init);
                c.ga = false;
                c.gb = true;
                compare_runs(build_binary, &c, init);
                c.ga = true;
                compare_runs(build_binary, &c, init);
            }
        }
    }
}

static void test_fold_unary(void)
{
    uint64_t init[NG] = { 0 };

    for (int op = 0; op < LOOM_IR_OP_COUNT; op++) {
        if (!is_unary((LoomIROpcode)op)) {
            continue;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(edge_values); i++) {
            OpCase c = { (LoomIROpcode)op, edge_values[i], 0, false, false };
            compare_runs(build_unary, &c, init);
            init[1] = edge_values[i];
            c.ga = true;
            compare_runs(build_unary, &c, init);
        }
    }
}

/* The exact result of folding: one mov of the constant. */
static void test_fold_exact(void)
{
    LoomIRContext *s = harness_begin();
    LoomIRTemp t = loom_ir_temp_new_i64(s), u = loom_ir_temp_new_i32(s);

    loom_ir_gen_movi_i64(s, t, 40);
    loom_ir_gen_addi_i64(s, t, t, 2);
    loom_ir_gen_shli_i64(s, g[0], t, 68);                /* count modulo 64 */
    loom_ir_gen_div_i64(s, g[1], t, loom_ir_const_i64(s, 0)); /* x/0 = -1 */
    loom_ir_gen_extrl_i64_i32(s, u, loom_ir_const_i64(s, 0x180000000ull));
    loom_ir_gen_exts_i32_i64(s, g[2], u);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; mov_i64 r0,$2a0; mov_i64 r1,$ffffffffffffffff; "
                  "mov_i64 r2,$ffffffff80000000; exit_tb #2");
    loom_ir_context_free(s);
}

/* Bit fields: extract, sextract and deposit of constants fold to one mov
   with the interpreter's value; from a global they keep the value. */
typedef struct FieldCase {
    LoomIROpcode op;
    uint64_t a, b;
    unsigned pos, len;
    bool from_global;
} FieldCase;

static void build_field(LoomIRContext *s, const void *arg)
{
    const FieldCase *c = arg;
    LoomIRType ty = out_type(c->op);
    LoomIRTemp d = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_EBB);
    LoomIRTemp a = input(s, ty, c->a, c->from_global, 1);

    if (c->op == LOOM_IR_OP_deposit_i32 || c->op == LOOM_IR_OP_deposit_i64) {
        loom_ir_op5(s, c->op, d, a, input(s, ty, c->b, c->from_global, 2), c->pos, c->len);
    } else {
        loom_ir_op4(s, c->op, d, a, c->pos, c->len);
    }
    store_result(s, g[0], d);
    /* the known bits of the result must hold too: a mask one bit short
       of the field is not redundant */
    loom_ir_gen_andi_i64(s, g[3], g[0], (UINT64_C(1) << (c->len - 1)) - 1);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
}

static void test_fold_fields(void)
{
    static const LoomIROpcode ops[] = {
        LOOM_IR_OP_extract_i32, LOOM_IR_OP_extract_i64, LOOM_IR_OP_sextract_i32,
        LOOM_IR_OP_sextract_i64, LOOM_IR_OP_deposit_i32, LOOM_IR_OP_deposit_i64,
    };
    static const unsigned fields[][2] = { { 0, 1 }, { 0, 8 }, { 3, 5 }, { 8, 16 }, { 31, 1 },
                                          { 0, 32 }, { 16, 16 }, { 32, 32 }, { 63, 1 }, { 0, 64 },
                                          { 12, 40 } };
    uint64_t init[NG] = { 0 };

    for (size_t o = 0; o < G_N_ELEMENTS(ops); o++) {
        unsigned bits = op_is_i32(ops[o]) ? 32 : 64;
        for (size_t f = 0; f < G_N_ELEMENTS(fields); f++) {
            if (fields[f][0] + fields[f][1] > bits) {
                continue;
            }
            for (size_t i = 0; i < G_N_ELEMENTS(edge_values); i += 3) {
                FieldCase c = { ops[o], edge_values[i], edge_values[G_N_ELEMENTS(edge_values) - 1 - i],
                                fields[f][0], fields[f][1], false };
                LoomIRContext *s = harness_begin();
                char *got;

                compare_runs(build_field, &c, init);
                build_field(s, &c);
                loom_ir_optimize(s);
                got = fmt_ops(s);
                g_assert_null(strstr(got, loom_ir_op_defs[ops[o]].name));
                g_free(got);
                loom_ir_context_free(s);
                init[1] = c.a;
                init[2] = c.b;
                c.from_global = true;
                compare_runs(build_field, &c, init);
            }
        }
    }
}

/* Ops with two outputs define both: a fact about the second output from
   before the op (here: it held 5) must not survive it. */
static void build_two_outputs(LoomIRContext *s, const void *arg)
{
    LoomIROpcode op = *(const LoomIROpcode *)arg;
    LoomIRTemp lo = loom_ir_temp_new_i64(s), hi = loom_ir_temp_new_i64(s);

    loom_ir_gen_movi_i64(s, hi, 5);
    loom_ir_gen_movi_i64(s, lo, 6);
    if (op == LOOM_IR_OP_addc_i64 || op == LOOM_IR_OP_subb_i64) {
        loom_ir_op5(s, op, lo, hi, g[1], g[2], g[3]);
    } else {
        loom_ir_op4(s, op, lo, hi, g[1], g[2]);
    }
    loom_ir_gen_add_i64(s, g[0], hi, loom_ir_const_i64(s, 0x100));
    loom_ir_gen_mov_i64(s, g[4], lo);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
}

static void test_two_outputs(void)
{
    static const LoomIROpcode ops[] = { LOOM_IR_OP_addc_i64, LOOM_IR_OP_subb_i64,
                                        LOOM_IR_OP_mulu2_i64, LOOM_IR_OP_muls2_i64 };
    uint64_t init[NG] = { 0, UINT64_MAX, 3, 1 };

    for (size_t o = 0; o < G_N_ELEMENTS(ops); o++) {
        compare_runs(build_two_outputs, &ops[o], init);
    }
}

/* conditions: every cond on edge values, folded and not */
typedef struct CondCase {
    LoomIRCond cond;
    bool is64, ga;
    uint64_t a, b;
} CondCase;

static void build_cond(LoomIRContext *s, const void *arg)
{
    const CondCase *c = arg;
    LoomIRType ty = c->is64 ? LOOM_IR_I64 : LOOM_IR_I32;
    LoomIRTemp a = input(s, ty, c->a, c->ga, 1), b = input(s, ty, c->b, false, 2);
    LoomIRTemp d = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_EBB);
    LoomIRLabel l = loom_ir_label_new(s);

    loom_ir_op4(s, c->is64 ? LOOM_IR_OP_setcond_i64 : LOOM_IR_OP_setcond_i32, d, a, b, c->cond);
    store_result(s, g[0], d);
    loom_ir_op6(s, c->is64 ? LOOM_IR_OP_movcond_i64 : LOOM_IR_OP_movcond_i32, d, a, b,
           loom_ir_const(s, ty, 11), loom_ir_const(s, ty, 22), c->cond);
    store_result(s, g[3], d);
    loom_ir_op4(s, c->is64 ? LOOM_IR_OP_brcond_i64 : LOOM_IR_OP_brcond_i32, a, b, c->cond, l);
    loom_ir_gen_movi_i64(s, g[4], 1);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT0);
    loom_ir_gen_set_label(s, l);
    loom_ir_gen_movi_i64(s, g[4], 2);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT1);
}

static void test_conditions(void)
{
    static const uint64_t vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
                                     0x8000000000000000ull, 0xffffffffffffffffull };
    uint64_t init[NG] = { 0 };

    for (int cond = LOOM_IR_COND_NEVER; cond <= LOOM_IR_COND_GTU; cond++) {
        for (int is64 = 0; is64 < 2; is64++) {
            for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
                for (size_t j = 0; j < G_N_ELEMENTS(vals); j++) {
                    CondCase c = { (LoomIRCond)cond, is64, false, vals[i], vals[j] };
                    compare_runs(build_cond, &c, init);
                    c.ga = true;
                    init[1] = vals[i];
                    compare_runs(build_cond, &c, init);
                }
            }
        }
    }
}

/* A brcond decided at translation time: a br, the fall-through code and
   its exit gone, the label kept; a never-taken one: gone with its label. */
static void test_brcond_fold(void)
{
    LoomIRContext *s = harness_begin();
    LoomIRLabel l = loom_ir_label_new(s);

    loom_ir_gen_movi_i64(s, g[0], 5);
    loom_ir_gen_brcond_i64(s, LOOM_IR_COND_GTU, g[0], loom_ir_const_i64(s, 4), l);
    loom_ir_gen_movi_i64(s, g[1], 1);
    loom_ir_gen_goto_tb(s, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT0);
    loom_ir_gen_set_label(s, l);
    loom_ir_gen_movi_i64(s, g[1], 2);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; mov_i64 r0,$5; br L0; L0:; mov_i64 r1,$2; exit_tb #2");
    loom_ir_context_free(s);

    s = harness_begin();
    l = loom_ir_label_new(s);
    loom_ir_gen_movi_i64(s, g[0], 5);
    loom_ir_gen_brcond_i64(s, LOOM_IR_COND_LT, g[0], loom_ir_const_i64(s, 4), l);
    loom_ir_gen_movi_i64(s, g[1], 1);
    loom_ir_gen_set_label(s, l);
    loom_ir_gen_addi_i64(s, g[1], g[0], 1);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    /* no branch left: facts carry over the removed label */
    assert_ops(s, "----; mov_i64 r0,$5; mov_i64 r1,$6; exit_tb #2");
    loom_ir_context_free(s);
}

/* Copies: uses read the source, the copy's temp dies; a copy whose source
   changed is not used. */
static void test_copies(void)
{
    LoomIRContext *s = harness_begin();
    LoomIRTemp t = loom_ir_temp_new_i64(s);

    loom_ir_gen_mov_i64(s, t, g[1]);
    loom_ir_gen_addi_i64(s, g[2], t, 0);
    loom_ir_gen_mov_i64(s, g[3], t);
    loom_ir_gen_mov_i64(s, g[1], g[1]);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; mov_i64 r2,r1; mov_i64 r3,r1; exit_tb #2");
    loom_ir_context_free(s);

    s = harness_begin();
    t = loom_ir_temp_new_i64(s);
    loom_ir_gen_mov_i64(s, t, g[1]);
    loom_ir_gen_movi_i64(s, g[1], 5);
    loom_ir_gen_mov_i64(s, g[2], t);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; mov_i64 t,r1; mov_i64 r1,$5; mov_i64 r2,t; exit_tb #2");
    loom_ir_context_free(s);
}

/* Identities with unknown inputs, and the redundant extension. */
static void test_identities(void)
{
    LoomIRContext *s = harness_begin();
    LoomIRTemp t = loom_ir_temp_new_i64(s);

    loom_ir_gen_xor_i64(s, g[0], g[1], g[1]);
    loom_ir_gen_and_i64(s, g[2], g[1], loom_ir_const_i64(s, 0));
    loom_ir_gen_ori_i64(s, g[3], g[1], 0);
    loom_ir_gen_and_i64(s, g[4], g[1], loom_ir_const_i64(s, ~0ull));
    loom_ir_gen_mul_i64(s, g[5], g[1], loom_ir_const_i64(s, 1));
    loom_ir_gen_sub_i64(s, g[6], g[1], g[1]);
    loom_ir_gen_shri_i64(s, g[7], g[1], 64);
    loom_ir_gen_ext32s_i64(s, t, g[1]);
    loom_ir_gen_ext32s_i64(s, t, t);
    loom_ir_gen_ext16s_i64(s, t, t);
    loom_ir_gen_ext16s_i64(s, g[1], t);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; mov_i64 r0,$0; mov_i64 r2,$0; mov_i64 r3,r1; mov_i64 r4,r1; "
                  "mov_i64 r5,r1; mov_i64 r6,$0; mov_i64 r7,r1; ext32s_i64 t,r1; "
                  "ext16s_i64 t,t; mov_i64 r1,t; exit_tb #2");
    loom_ir_context_free(s);

    /* an and with a mask wider than what a zero-extending load gives */
    s = harness_begin();
    t = loom_ir_temp_new_i64(s);
    loom_ir_gen_qemu_ld_i64(s, t, loom_ir_const_i64(s, RAM_BASE), LOOM_MEM_UW, 0);
    loom_ir_gen_andi_i64(s, g[0], t, 0xffff);
    loom_ir_gen_ext32u_i64(s, g[1], t);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; qemu_ld_i64 t,$10000,#1,#0; mov_i64 r0,t; mov_i64 r1,t; exit_tb #2");
    loom_ir_context_free(s);
}

/* Dead stores to globals go, unless something between reads the globals:
   an op that may fault, a helper that may raise, an exit. */
static uint64_t helper_set_r0(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                              uint64_t a4, uint64_t a5)
{
    ((TestEnv *)env)->r[0] = 77;
    return a + 1;
}

/* touches no guest state, as its flags promise */
static uint64_t helper_inc(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                           uint64_t a4, uint64_t a5)
{
    return a + 1;
}

static const LoomIRHelper h_writes = { helper_set_r0, "writes", 0 };
static const LoomIRHelper h_pure = {
    helper_inc, "pure",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_SIDE_EFFECTS | LOOM_IR_CALL_NO_RAISE,
};
static const LoomIRHelper h_noread_raise = {
    helper_inc, "noread", LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS,
};

static void test_dead_code(void)
{
    LoomIRContext *s = harness_begin();
    LoomIRTemp t = loom_ir_temp_new_i64(s);

    loom_ir_gen_movi_i64(s, g[1], 1);
    loom_ir_gen_movi_i64(s, g[1], 2);
    loom_ir_gen_movi_i64(s, g[2], 1);
    loom_ir_gen_qemu_ld_i64(s, t, loom_ir_const_i64(s, RAM_BASE), LOOM_MEM_UQ, 0);
    loom_ir_gen_movi_i64(s, g[2], 2);
    loom_ir_gen_movi_i64(s, g[3], 1);
    loom_ir_gen_call(s, &h_noread_raise, LOOM_IR_NO_RET, 0, NULL);
    loom_ir_gen_movi_i64(s, g[3], 2);
    loom_ir_gen_movi_i64(s, g[4], 1);
    loom_ir_gen_call(s, &h_pure, t, 1, &g[4]);       /* unused: removed */
    loom_ir_gen_movi_i64(s, g[4], 2);
    loom_ir_gen_ldh_i64(s, t, LOOM_IR_ENV, 8 * 5, LOOM_MEM_UQ); /* unused: removed */
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    assert_ops(s, "----; mov_i64 r1,$2; mov_i64 r2,$1; qemu_ld_i64 t,$10000,#3,#0; "
                  "mov_i64 r2,$2; mov_i64 r3,$1; call noread; mov_i64 r3,$2; "
                  "mov_i64 r4,$2; exit_tb #2");
    loom_ir_context_free(s);
}

/* A helper that may write globals: nothing known about them survives it. */
static void build_helper_writes(LoomIRContext *s, const void *arg)
{
    LoomIRTemp t = loom_ir_temp_new_i64(s);

    (void)arg;
    loom_ir_gen_movi_i64(s, g[0], 1);
    loom_ir_gen_mov_i64(s, t, g[0]);
    loom_ir_gen_call(s, &h_writes, g[1], 1, &g[0]);
    loom_ir_gen_mov_i64(s, g[2], g[0]);
    loom_ir_gen_mov_i64(s, g[3], t);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
}

static void test_helper_flags(void)
{
    uint64_t init[NG] = { 0 };
    LoomIRContext *s = harness_begin();

    compare_runs(build_helper_writes, NULL, init);
    build_helper_writes(s, NULL);
    /* t keeps the constant; r0 is read back after the call */
    assert_ops(s, "----; mov_i64 r0,$1; call r1,$1,writes; mov_i64 r2,r0; "
                  "mov_i64 r3,$1; exit_tb #2");
    loom_ir_context_free(s);
}

/* A fault after a store to a global: the store stays, and the guest sees
   the state at the fault. */
static void build_fault(LoomIRContext *s, const void *arg)
{
    (void)arg;
    loom_ir_gen_movi_i64(s, g[1], 5);
    loom_ir_gen_qemu_st_i64(s, g[1], loom_ir_const_i64(s, 0x4000000), LOOM_MEM_UQ, 0);
    loom_ir_gen_movi_i64(s, g[1], 6);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
}

static void test_fault_state(void)
{
    uint64_t init[NG] = { 0 };
    LoomIRContext *s = harness_begin();

    compare_runs(build_fault, NULL, init);
    build_fault(s, NULL);
    assert_ops(s, "----; mov_i64 r1,$5; qemu_st_i64 $5,$4000000,#3,#0; mov_i64 r1,$6; exit_tb #2");
    loom_ir_context_free(s);
}

static void test_mb_merge(void)
{
    LoomIRContext *s = harness_begin();

    loom_ir_gen_mb(s, LOOM_MO_LD_LD);
    loom_ir_gen_insn_start(s, 4, 0);
    loom_ir_gen_mb(s, LOOM_MO_ST_ST);
    loom_ir_gen_movi_i64(s, g[0], 1);
    loom_ir_gen_mb(s, LOOM_MO_ST_LD);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    {
        char want[128];
        snprintf(want, sizeof(want), "----; mb #%x; ----; mov_i64 r0,$1; mb #%x; exit_tb #2",
                 LOOM_MO_LD_LD | LOOM_MO_ST_ST, LOOM_MO_ST_LD);
        assert_ops(s, want);
    }
    loom_ir_context_free(s);
}

/* ebb temps die at labels; tb temps and globals do not; an ebb temp the
   front-end reads across a label anyway is kept like a tb temp. */
static void build_labels(LoomIRContext *s, const void *arg)
{
    LoomIRTemp i = loom_ir_temp_tb_i64(s), sum = loom_ir_temp_tb_i64(s), e = loom_ir_temp_new_i64(s);
    LoomIRLabel top = loom_ir_label_new(s), out = loom_ir_label_new(s);

    (void)arg;
    loom_ir_gen_movi_i64(s, e, 1000);
    loom_ir_gen_movi_i64(s, i, 1);
    loom_ir_gen_movi_i64(s, sum, 0);
    loom_ir_gen_set_label(s, top);
    loom_ir_gen_brcond_i64(s, LOOM_IR_COND_GTU, i, g[1], out);
    loom_ir_gen_add_i64(s, sum, sum, i);
    loom_ir_gen_addi_i64(s, i, i, 1);
    loom_ir_gen_br(s, top);
    loom_ir_gen_set_label(s, out);
    loom_ir_gen_add_i64(s, g[2], sum, e);
    loom_ir_gen_mov_i64(s, g[3], i);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT1);
}

static void test_labels(void)
{
    uint64_t init[NG] = { 0, 100 };
    LoomIRContext *s = harness_begin();

    compare_runs(build_labels, NULL, init);
    build_labels(s, NULL);
    assert_ops(s, "----; mov_i64 t,$3e8; mov_i64 t,$1; mov_i64 t,$0; L0:; "
                  "brcond_i64 t,r1,#b,L1; add_i64 t,t,t; add_i64 t,t,$1; br L0; L1:; "
                  "add_i64 r2,t,t; mov_i64 r3,t; exit_tb #1");
    loom_ir_context_free(s);
}

/* ---- random programs ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t rnd_value(void)
{
    return rnd() % 3 ? edge_values[rnd() % G_N_ELEMENTS(edge_values)] : rnd();
}

static LoomIROpcode rnd_op(bool (*pred)(LoomIROpcode), bool want64)
{
    for (;;) {
        LoomIROpcode op = (LoomIROpcode)(rnd() % LOOM_IR_OP_COUNT);
        if (pred(op) && op_is_i32(op) == !want64 && in_type(op) == out_type(op)) {
            return op;
        }
    }
}

#define NE 4                            /* ebb temps per width */

typedef struct RandState {
    LoomIRTemp e64[NE], e32[NE];
    bool d64[NE], d32[NE];              /* defined in the current block */
} RandState;

static LoomIRTemp rnd_src(LoomIRContext *s, RandState *rs, bool is64)
{
    for (int tries = 0; tries < 4; tries++) {
        unsigned k = (unsigned)(rnd() % NE);
        switch (rnd() % 3) {
        case 0:
            return loom_ir_const(s, is64 ? LOOM_IR_I64 : LOOM_IR_I32, rnd_value());
        case 1:
            if (is64) {
                return g[rnd() % NG];
            }
            break;
        default:
            if (is64 ? rs->d64[k] : rs->d32[k]) {
                return is64 ? rs->e64[k] : rs->e32[k];
            }
        }
    }
    return loom_ir_const(s, is64 ? LOOM_IR_I64 : LOOM_IR_I32, rnd_value());
}

static LoomIRTemp rnd_dst(RandState *rs, bool is64)
{
    unsigned k = (unsigned)(rnd() % NE);

    if (is64 && rnd() % 2) {
        return g[rnd() % NG];
    }
    if (is64) {
        rs->d64[k] = true;
        return rs->e64[k];
    }
    rs->d32[k] = true;
    return rs->e32[k];
}

static void build_random(LoomIRContext *s, const void *arg)
{
    RandState rs;
    LoomIRLabel labels[4];
    int nlabels = 0, placed = 0;

    rng_state = *(const uint64_t *)arg;
    memset(&rs, 0, sizeof(rs));
    for (int k = 0; k < NE; k++) {
        rs.e64[k] = loom_ir_temp_new_i64(s);
        rs.e32[k] = loom_ir_temp_new_i32(s);
    }
    for (int n = 0; n < 40; n++) {
        bool is64 = rnd() % 4 != 0;
        LoomIRTemp a, b, d;
        unsigned kind = (unsigned)(rnd() % 20);

        if (kind < 7) {
            LoomIROpcode op = rnd_op(is_binary, is64);
            a = rnd_src(s, &rs, is64);
            b = rnd_src(s, &rs, is64);
            loom_ir_op3(s, op, rnd_dst(&rs, is64), a, b);
        } else if (kind < 10) {
            LoomIROpcode op = rnd_op(is_unary, is64);
            a = rnd_src(s, &rs, is64);
            loom_ir_op2(s, op, rnd_dst(&rs, is64), a);
        } else if (kind == 10) {
            a = rnd_src(s, &rs, true);
            loom_ir_op2(s, rnd() % 2 ? LOOM_IR_OP_extrl_i64_i32 : LOOM_IR_OP_extrh_i64_i32, rnd_dst(&rs, false), a);
        } else if (kind == 11) {
            a = rnd_src(s, &rs, false);
            loom_ir_op2(s, rnd() % 2 ? LOOM_IR_OP_exts_i32_i64 : LOOM_IR_OP_extu_i32_i64, rnd_dst(&rs, true), a);
        } else if (kind == 12) {
            a = rnd_src(s, &rs, is64);
            b = rnd_src(s, &rs, is64);
            if (rnd() % 2) {
                loom_ir_op4(s, is64 ? LOOM_IR_OP_setcond_i64 : LOOM_IR_OP_setcond_i32, rnd_dst(&rs, is64), a, b,
                       rnd() % 12);
            } else {
                LoomIRTemp t = rnd_src(s, &rs, is64), f = rnd_src(s, &rs, is64);
                loom_ir_op6(s, is64 ? LOOM_IR_OP_movcond_i64 : LOOM_IR_OP_movcond_i32, rnd_dst(&rs, is64),
                       a, b, t, f, rnd() % 12);
            }
        } else if (kind == 13 && nlabels < 4) {
            a = rnd_src(s, &rs, is64);
            b = rnd_src(s, &rs, is64);
            labels[nlabels] = loom_ir_label_new(s);
            loom_ir_op4(s, is64 ? LOOM_IR_OP_brcond_i64 : LOOM_IR_OP_brcond_i32, a, b, rnd() % 12,
                   labels[nlabels]);
            nlabels++;
        } else if (kind == 14 && placed < nlabels) {
            loom_ir_gen_set_label(s, labels[placed++]);
            memset(rs.d64, 0, sizeof(rs.d64));
            memset(rs.d32, 0, sizeof(rs.d32));
        } else if (kind == 15) {
            /* guest memory inside the window, rarely a faulting address */
            uint64_t addr = rnd() % 16 ? RAM_WINDOW + (rnd() % 32) * 8 : 0x4000000;
            unsigned mop = (unsigned)(rnd() % 8);
            if (rnd() % 2) {
                loom_ir_gen_qemu_ld_i64(s, rnd_dst(&rs, true), loom_ir_const_i64(s, addr), (LoomMemOp)mop, 0);
            } else {
                loom_ir_gen_qemu_st_i64(s, rnd_src(s, &rs, true), loom_ir_const_i64(s, addr), (LoomMemOp)mop, 0);
            }
        } else if (kind == 16) {
            static const LoomIRHelper *const hs[] = { &h_writes, &h_pure, &h_noread_raise };
            a = rnd_src(s, &rs, true);
            loom_ir_gen_call(s, hs[rnd() % 3], rnd() % 2 ? rnd_dst(&rs, true) : LOOM_IR_NO_RET, 1, &a);
        } else if (kind == 17) {
            loom_ir_gen_mb(s, (unsigned)(rnd() % 16));
        } else if (kind == 18) {
            loom_ir_gen_insn_start(s, (uint64_t)n, 0);
        } else {
            a = rnd_src(s, &rs, is64);
            d = rnd_dst(&rs, is64);
            loom_ir_op2(s, is64 ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32, d, a);
        }
    }
    /* make every ebb temp visible, then leave; labels not yet placed land
       on a second exit */
    for (int k = 0; k < NE; k++) {
        if (rs.d64[k]) {
            loom_ir_gen_add_i64(s, g[k], g[k], rs.e64[k]);
        }
        if (rs.d32[k]) {
            LoomIRTemp t = loom_ir_temp_new_i64(s);
            loom_ir_gen_extu_i32_i64(s, t, rs.e32[k]);
            loom_ir_gen_xor_i64(s, g[NE + k], g[NE + k], t);
        }
    }
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    if (placed < nlabels) {
        while (placed < nlabels) {
            loom_ir_gen_set_label(s, labels[placed++]);
        }
        loom_ir_gen_movi_i64(s, g[7], 0xdead);
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT1);
    }
}

static void test_random(void)
{
    uint64_t init[NG];

    for (uint64_t seed = 1; seed <= 3000; seed++) {
        uint64_t st = seed * 0x9e3779b97f4a7c15ull;
        rng_state = st ^ 0x5555;
        for (int i = 0; i < NG; i++) {
            init[i] = rnd_value();
        }
        compare_runs(build_random, &st, init);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!harness_init("backend-interp.so")) {
        return 77;
    }
    g_test_add_func("/optimize/fold-binary", test_fold_binary);
    g_test_add_func("/optimize/fold-unary", test_fold_unary);
    g_test_add_func("/optimize/fold-exact", test_fold_exact);
    g_test_add_func("/optimize/fold-fields", test_fold_fields);
    g_test_add_func("/optimize/two-outputs", test_two_outputs);
    g_test_add_func("/optimize/conditions", test_conditions);
    g_test_add_func("/optimize/brcond-fold", test_brcond_fold);
    g_test_add_func("/optimize/copies", test_copies);
    g_test_add_func("/optimize/identities", test_identities);
    g_test_add_func("/optimize/dead-code", test_dead_code);
    g_test_add_func("/optimize/helper-flags", test_helper_flags);
    g_test_add_func("/optimize/fault-state", test_fault_state);
    g_test_add_func("/optimize/mb-merge", test_mb_merge);
    g_test_add_func("/optimize/labels", test_labels);
    g_test_add_func("/optimize/random", test_random);
    return g_test_run();
}
