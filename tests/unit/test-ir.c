/*
 * IR contexts: op table consistency, constant sharing, temp reuse, the
 * -d op dump, barrier insertion before guest accesses.
 */
#include "config.h"
#include <string.h>
#include <unistd.h>
#include "internal.h"

static void test_op_table(void)
{
    /* every op fits LOOM_IR_MAX_ARGS and has a name; branch ops end blocks */
    for (int i = 0; i < LOOM_IR_OP_COUNT; i++) {
        const LoomIROpDef *d = &loom_ir_op_defs[i];
        g_assert_nonnull(d->name);
        g_assert_cmpuint(d->nout + d->nin + d->ncon, <=, LOOM_IR_MAX_ARGS);
    }
    g_assert_cmpstr(loom_ir_op_defs[LOOM_IR_OP_add_i64].name, ==, "add_i64");
    g_assert_true(loom_ir_op_defs[LOOM_IR_OP_brcond_i64].flags & LOOM_IR_F_BB_END);
    g_assert_true(loom_ir_op_defs[LOOM_IR_OP_qemu_ld_i64].flags & LOOM_IR_F_MEM);
    g_assert_cmpuint(loom_ir_op_defs[LOOM_IR_OP_movcond_i64].nin, ==, 4);
}

static void test_consts_shared(void)
{
    LoomIRContext *s;

    loom_ir_globals_reset();
    s = loom_ir_context_new();
    LoomIRTemp a = loom_ir_const_i64(s, 42), b = loom_ir_const_i64(s, 42), c = loom_ir_const_i64(s, 43);
    LoomIRTemp d = loom_ir_const_i32(s, 42);
    g_assert_cmpuint(a, ==, b);
    g_assert_cmpuint(a, !=, c);
    g_assert_cmpuint(a, !=, d);         /* types do not mix */
    g_assert_cmpuint(s->temps[a].kind, ==, LOOM_IR_TEMP_CONST);
    g_assert_cmpuint(s->temps[a].val, ==, 42);
    /* i32 constants are truncated */
    g_assert_cmpuint(s->temps[loom_ir_const(s, LOOM_IR_I32, 0x1ffffffffull)].val, ==, 0xffffffffu);
    loom_ir_context_free(s);
}

static void test_ebb_release(void)
{
    LoomIRContext *s;
    LoomIRTemp g, t1, t2, tb, t3;

    loom_ir_globals_reset();
    g = loom_ir_global_i64(8, "x1");
    s = loom_ir_context_new();
    g_assert_cmpuint(g, ==, 1);
    g_assert_cmpuint(s->nb_temps, ==, 2);       /* env + x1 */
    t1 = loom_ir_temp_new_i64(s);
    tb = loom_ir_temp_tb_i64(s);
    t2 = loom_ir_temp_new_i64(s);
    g_assert_cmpuint(t1, !=, t2);
    loom_ir_release_ebb_temps(s);
    /* ebb temps come back, the tb temp does not */
    t3 = loom_ir_temp_new_i64(s);
    g_assert_true(t3 == t1 || t3 == t2);
    g_assert_cmpuint(t3, !=, tb);
    g_assert_true(s->temps[tb].in_use);
    /* a reset drops everything but the globals */
    loom_ir_context_reset(s);
    g_assert_cmpuint(s->nb_temps, ==, 2);
    g_assert_cmpuint(s->nb_ops, ==, 0);
    loom_ir_context_free(s);
}

static void test_dump(void)
{
    char path[] = "/tmp/loom-test-ir-XXXXXX";
    int fd = mkstemp(path);
    LoomIRContext *s;
    LoomIRTemp x, t;
    LoomIRLabel l;
    gchar *out = NULL;
    char *err = NULL;

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(log_set_file(path, &err));
    loom_ir_globals_reset();
    x = loom_ir_global_i64(8, "x5");
    s = loom_ir_context_new();
    t = loom_ir_temp_new_i64(s);
    l = loom_ir_label_new(s);
    loom_ir_gen_insn_start(s, 0x80000000, 0);
    loom_ir_gen_addi_i64(s, t, x, 16);
    loom_ir_gen_brcond_i64(s, LOOM_IR_COND_LTU, t, x, l);
    loom_ir_gen_qemu_ld_i64(s, x, t, LOOM_MEM_SL | LOOM_MEM_ALIGN, 3);
    loom_ir_gen_set_label(s, l);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    loom_ir_dump(s, "OP: test");
    log_close();
    g_assert_true(g_file_get_contents(path, &out, NULL, NULL));
    unlink(path);
    g_assert_cmpstr(out, ==,
        "OP: test (6 ops, 4 temps)\n"
        " ---- 0000000080000000 0000000000000000\n"
        " add_i64           tmp2,x5,$0x10\n"
        " brcond_i64        tmp2,x5,ltu,L0\n"
        " qemu_ld_i64       x5,tmp2,sl_le+al,$0x3\n"
        "L0:\n"
        " exit_tb           $0x2\n");
    g_free(out);
    loom_ir_context_free(s);
}

/* One load, one store, one atomic, a host load, then the memorder pass
   (the builder itself adds nothing); the caller checks s->ops. */
static void emit_accesses(LoomIRContext *s)
{
    LoomIRTemp a = loom_ir_temp_new_i64(s), v = loom_ir_temp_new_i64(s);

    loom_ir_gen_qemu_ld_i64(s, v, a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_st_i32(s, v, a, LOOM_MEM_UL, 0);
    loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_xchg_i64, v, a, v, LOOM_MEM_UQ, 0);
    loom_ir_gen_ldh_i64(s, v, LOOM_IR_ENV, 8, LOOM_MEM_UQ);
    loom_ir_gen_qemu_ld_i32(s, v, a, LOOM_MEM_UL, 0);
    g_assert_cmpuint(s->nb_ops, ==, 5);
    loom_ir_pass_memorder(s);
}

static void check_ops(LoomIRContext *s, const LoomIROpcode *want, const uint64_t *mb, unsigned n)
{
    g_assert_cmpuint(s->nb_ops, ==, n);
    for (unsigned i = 0; i < n; i++) {
        g_assert_cmpstr(loom_ir_op_defs[s->ops[i].opc].name, ==, loom_ir_op_defs[want[i]].name);
        if (want[i] == LOOM_IR_OP_mb) {
            g_assert_cmpuint(s->ops[i].args[0], ==, *mb++);
        }
    }
}

static void test_mb_insert(void)
{
    LoomIRContext *s;

    loom_ir_globals_reset();
    s = loom_ir_context_new();

    /* off (RVWMO, or a host that gives the order): nothing added */
    emit_accesses(s);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_qemu_ld_i64, LOOM_IR_OP_qemu_st_i32,
                                     LOOM_IR_OP_atomic_xchg_i64, LOOM_IR_OP_ldh_i64,
                                     LOOM_IR_OP_qemu_ld_i32 }, NULL, 5);

    /* RVTSO on a weak host: loads get LD_LD, stores LD_ST|ST_ST; the
       atomic and the host load get nothing */
    loom_ir_context_reset(s);
    loom_ir_set_mb_insert(s, LOOM_MO_ALL & ~LOOM_MO_ST_LD);
    emit_accesses(s);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_mb, LOOM_IR_OP_qemu_ld_i64, LOOM_IR_OP_mb, LOOM_IR_OP_qemu_st_i32,
                                     LOOM_IR_OP_atomic_xchg_i64, LOOM_IR_OP_ldh_i64,
                                     LOOM_IR_OP_mb, LOOM_IR_OP_qemu_ld_i32 },
              (const uint64_t[]){ LOOM_MO_LD_LD, LOOM_MO_LD_ST | LOOM_MO_ST_ST,
                                  LOOM_MO_LD_LD }, 8);

    /* a sequentially consistent guest on a weak host: loads also ST_LD */
    loom_ir_context_reset(s);
    loom_ir_set_mb_insert(s, LOOM_MO_ALL);
    emit_accesses(s);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_mb, LOOM_IR_OP_qemu_ld_i64, LOOM_IR_OP_mb, LOOM_IR_OP_qemu_st_i32,
                                     LOOM_IR_OP_atomic_xchg_i64, LOOM_IR_OP_ldh_i64,
                                     LOOM_IR_OP_mb, LOOM_IR_OP_qemu_ld_i32 },
              (const uint64_t[]){ LOOM_MO_LD_LD | LOOM_MO_ST_LD, LOOM_MO_LD_ST | LOOM_MO_ST_ST,
                                  LOOM_MO_LD_LD | LOOM_MO_ST_LD }, 8);

    /* only store ordering missing: loads untouched */
    loom_ir_context_reset(s);
    loom_ir_set_mb_insert(s, LOOM_MO_ST_ST);
    emit_accesses(s);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_qemu_ld_i64, LOOM_IR_OP_mb, LOOM_IR_OP_qemu_st_i32,
                                     LOOM_IR_OP_atomic_xchg_i64, LOOM_IR_OP_ldh_i64,
                                     LOOM_IR_OP_qemu_ld_i32 },
              (const uint64_t[]){ LOOM_MO_ST_ST }, 6);

    /* a reset turns it off again */
    loom_ir_context_reset(s);
    emit_accesses(s);
    g_assert_cmpuint(s->nb_ops, ==, 5);
    loom_ir_context_free(s);
}

/* ---- validation: bad IR from a plugin is one line naming plugin and op ---- */

static const LoomFrontendOps words3_fe = { .insn_start_words = 3, .nb_mmu_modes = 2 };

typedef struct BadCase {
    const char *name;
    void (*emit)(LoomIRContext *s);
    const char *want;           /* stderr, a g_pattern */
} BadCase;

static void bad_counts(LoomIRContext *s)
{
    LoomIRArg a[3] = { loom_ir_temp_new_i64(s), loom_ir_const_i64(s, 1), 0 };
    loom_ir_emit(s, LOOM_IR_OP_add_i64, 1, 1, 0, a);
}

static void bad_temp(LoomIRContext *s)
{
    loom_ir_gen_add_i64(s, loom_ir_temp_new_i64(s), loom_ir_const_i64(s, 1), 999);
}

static void bad_opcode(LoomIRContext *s)
{
    loom_ir_emit(s, (LoomIROpcode)9999, 0, 0, 0, NULL);
}

static void bad_label(LoomIRContext *s)
{
    loom_ir_label_new(s);
    loom_ir_gen_br(s, 7);
}

static void bad_words(LoomIRContext *s)
{
    loom_ir_gen_insn_start(s, 0x1000, 0);
}

static void bad_output(LoomIRContext *s)
{
    loom_ir_gen_mov_i64(s, loom_ir_const_i64(s, 5), loom_ir_const_i64(s, 6));
}

static void bad_field(LoomIRContext *s)
{
    loom_ir_gen_extract_i32(s, loom_ir_temp_new_i32(s), loom_ir_const_i32(s, 1), 24, 9);
}

static void bad_call(LoomIRContext *s)
{
    LoomIRArg a[9] = { 0 };
    for (int i = 0; i < 7; i++) {
        a[i] = loom_ir_const_i64(s, (uint64_t)i);
    }
    a[7] = (LoomIRArg)(uintptr_t)&(const LoomIRHelper){ .name = "nofn" };
    loom_ir_emit(s, LOOM_IR_OP_call, 0, 7, 1, a);
}

static void bad_mmu_idx(LoomIRContext *s)
{
    loom_ir_gen_qemu_ld_i64(s, loom_ir_temp_new_i64(s), loom_ir_const_i64(s, 0x1000), LOOM_MEM_UQ, 2);
}

static void bad_memop(LoomIRContext *s)
{
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 1), loom_ir_const_i64(s, 0x1000),
                            (LoomMemOp)0x40, 0);
}

static void bad_too_many(LoomIRContext *s)
{
    for (int i = 0; i < LOOM_IR_MAX_OPS; i++) {
        loom_ir_emit(s, LOOM_IR_OP_nop, 0, 0, 0, NULL);
    }
}

static void bad_temp_kind(LoomIRContext *s)
{
    loom_ir_temp_new(s, LOOM_IR_I64, LOOM_IR_TEMP_CONST);
}

static void bad_temp_type(LoomIRContext *s)
{
    loom_ir_temp_new(s, (LoomIRType)7, LOOM_IR_TEMP_EBB);
}

static void bad_const_type(LoomIRContext *s)
{
    loom_ir_const(s, (LoomIRType)2, 1);
}

static void bad_globals(LoomIRContext *s)
{
    (void)s;
    loom_ir_globals_source("frontend-test.so");
    for (int i = 0; i < LOOM_IR_MAX_GLOBALS; i++) {
        loom_ir_global_i64(8 * i, i < LOOM_IR_MAX_GLOBALS - 2 ? "g" : "last");
    }
}

static const BadCase bad_cases[] = {
    { "temp-kind", bad_temp_kind, "loom: plugin frontend-test.so called loom_ir_temp_new with temp "
      "kind 3: it makes LOOM_IR_TEMP_EBB or LOOM_IR_TEMP_TB temps (constants come from loom_ir_const): "
      "fix the plugin\n" },
    { "temp-type", bad_temp_type, "loom: plugin frontend-test.so called loom_ir_temp_new with IR type 7, "
      "which is not LOOM_IR_I32 or LOOM_IR_I64: fix the plugin\n" },
    { "const-type", bad_const_type, "loom: plugin frontend-test.so called loom_ir_const with IR type 2, "
      "which is not LOOM_IR_I32 or LOOM_IR_I64: fix the plugin\n" },
    { "globals", bad_globals, "loom: plugin frontend-test.so declared more than 127 IR globals (the last "
      "one last): keep CPU state beyond them in env, reached with ldh/sth: fix the plugin\n" },
    { "too-many-ops", bad_too_many, "loom: plugin frontend-test.so emitted a bad IR op nop (op 4096 of the TB): "
      "the TB already has 4096 ops, the most one holds; stop translating when loom_ir_nearly_full() says so "
      "(loom_translator_loop does): fix the plugin\n" },
    { "mmu-index", bad_mmu_idx, "loom: plugin frontend-test.so emitted a bad IR op qemu_ld_i64 (op 1 of the TB): "
      "MMU index 2 where the front-end declares nb_mmu_modes = 2: fix the plugin\n" },
    { "memop", bad_memop, "loom: plugin frontend-test.so emitted a bad IR op qemu_st_i64 (op 1 of the TB): "
      "memop 0x40 has bits no LoomMemOp has: fix the plugin\n" },
    { "counts", bad_counts, "loom: plugin frontend-test.so emitted a bad IR op add_i64 (op 1 of the TB): "
      "1 outputs, 1 inputs, 0 constants where it has 1, 2 and 0: fix the plugin\n" },
    { "temp", bad_temp, "loom: plugin frontend-test.so emitted a bad IR op add_i64 (op 1 of the TB): "
      "argument 2 is temp 999, the TB has * fix the plugin\n" },
    { "opcode", bad_opcode, "loom: plugin frontend-test.so emitted a bad IR op (none) (op 1 of the TB): "
      "opcode 9999 is not an IR op * fix the plugin\n" },
    { "label", bad_label, "loom: plugin frontend-test.so emitted a bad IR op br (op 1 of the TB): "
      "label 7 was not made by loom_ir_label_new (1 labels): fix the plugin\n" },
    { "insn-start-words", bad_words, "loom: plugin frontend-test.so emitted a bad IR op insn_start "
      "(op 1 of the TB): 2 data words where the front-end declares insn_start_words = 3: fix the plugin\n" },
    { "output", bad_output, "loom: plugin frontend-test.so emitted a bad IR op mov_i64 (op 1 of the TB): "
      "output 0 is a constant or env, which are read-only: fix the plugin\n" },
    { "bit-field", bad_field, "loom: plugin frontend-test.so emitted a bad IR op extract_i32 (op 1 of the TB): "
      "bit field pos 24 len 9 is not within 32 bits (need len >= 1, pos + len <= 32): fix the plugin\n" },
    { "call", bad_call, "loom: plugin frontend-test.so emitted a bad IR op call (op 1 of the TB): "
      "0 outputs, 7 inputs, 1 constants where a call has at most 1, at most 6 and 1: fix the plugin\n" },
};

/* In a child: a good insn_start, then the bad op; the child must exit
   with the one line, not abort. */
static void test_bad_op(gconstpointer data)
{
    const BadCase *c = data;

    if (g_test_subprocess()) {
        LoomIRContext *s;
        uint64_t w[3] = { 1, 2, 3 };

        loom_ir_globals_reset();
        s = loom_ir_context_new();
        loom_ir_set_source(s, "frontend-test.so", &words3_fe, NULL);
        loom_ir_gen_insn_start_n(s, 3, w);
        c->emit(s);
        return;             /* not reached */
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr(c->want);
}

/* insn_start carries the declared number of words; dump shows them all */
static void test_insn_start_words(void)
{
    LoomIRContext *s;
    uint64_t w[3] = { 0x10, 0x20, 0x30 };

    loom_ir_globals_reset();
    s = loom_ir_context_new();
    loom_ir_set_source(s, "frontend-test.so", &words3_fe, NULL);
    loom_ir_gen_insn_start_n(s, 3, w);
    g_assert_cmpuint(s->nb_insns, ==, 1);
    g_assert_cmpuint(s->ops[0].ncon, ==, 3);
    g_assert_cmphex(s->ops[0].args[2], ==, 0x30);
    loom_ir_context_free(s);
}

/* loom_ir_nearly_full leaves room for what the memorder pass adds: with
   a barrier before every load, half as many loads fit; after the pass
   the TB still fits in the op array */
static unsigned loads_until_full(LoomIRContext *s, uint32_t mo)
{
    LoomIRTemp a, v;
    unsigned n = 0;

    loom_ir_context_reset(s);
    loom_ir_set_mb_insert(s, mo);
    a = loom_ir_temp_new_i64(s), v = loom_ir_temp_new_i64(s);
    while (!loom_ir_nearly_full(s)) {
        loom_ir_gen_qemu_ld_i64(s, v, a, LOOM_MEM_UQ, 0);
        n++;
    }
    loom_ir_pass_memorder(s);
    g_assert_cmpuint(s->nb_ops, ==, (mo & (LOOM_MO_LD_LD | LOOM_MO_ST_LD)) ? 2 * n : n);
    return n;
}

static void test_memorder_room(void)
{
    LoomIRContext *s;

    loom_ir_globals_reset();
    s = loom_ir_context_new();
    g_assert_cmpuint(loads_until_full(s, 0), ==, LOOM_IR_MAX_OPS - 256 + 1);
    g_assert_cmpuint(loads_until_full(s, LOOM_MO_ALL), ==, (LOOM_IR_MAX_OPS - 256) / 2 + 1);
    /* a load gets nothing for ST_ST: no room taken */
    g_assert_cmpuint(loads_until_full(s, LOOM_MO_ST_ST), ==, LOOM_IR_MAX_OPS - 256 + 1);
    loom_ir_context_free(s);
}

/* atomic_cmpxchg_i128 on a back-end that does 64 bits atomically: the
   insn exits to run alone (both results get a value to stay well formed);
   in an exclusive section it stays */
static void test_atomic_exit_i128(void)
{
    LoomIRContext *s;
    LoomIRTemp lo, hi, a;

    loom_ir_globals_reset();
    s = loom_ir_context_new();
    lo = loom_ir_temp_new_i64(s), hi = loom_ir_temp_new_i64(s), a = loom_ir_temp_new_i64(s);
    loom_ir_set_atomic_exit(s, 64);
    loom_ir_gen_atomic_cmpxchg_i128(s, lo, hi, a, a, a, a, a, LOOM_MEM_64, 0);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_atomic_cmpxchg_i128 }, NULL, 1);
    loom_ir_pass_memorder(s);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_call, LOOM_IR_OP_mov_i64, LOOM_IR_OP_mov_i64 }, NULL, 3);
    g_assert_cmpuint(s->ops[1].args[0], ==, lo);
    g_assert_cmpuint(s->ops[2].args[0], ==, hi);
    loom_ir_context_reset(s);
    lo = loom_ir_temp_new_i64(s), hi = loom_ir_temp_new_i64(s), a = loom_ir_temp_new_i64(s);
    loom_ir_set_atomic_exit(s, 128);
    loom_ir_gen_atomic_cmpxchg_i128(s, lo, hi, a, a, a, a, a, LOOM_MEM_64, 0);
    loom_ir_pass_memorder(s);
    check_ops(s, (const LoomIROpcode[]){ LOOM_IR_OP_atomic_cmpxchg_i128 }, NULL, 1);
    loom_ir_context_free(s);
}

/* optional_ops as data: a bad entry is refused with the op named; the
   legaliser leaves listed ops and rewrites the rest into mandatory ops */
static void test_optional_ops(void)
{
    static const uint16_t bad[] = { LOOM_IR_OP_bswap16_i32, LOOM_IR_OP_add_i64, 0 };
    static const uint16_t some[] = { LOOM_IR_OP_deposit_i64, 0 };
    LoomBackendOps be = { .optional_ops = bad };
    uint64_t set[LOOM_IR_OPSET_WORDS];
    char *err = NULL, *want;
    LoomIRContext *s;
    LoomIRTemp d, a;
    int nopt = 0;

    g_assert_false(loom_ir_opset_build(&be, set, &err));
    want = g_strdup_printf("its optional_ops lists %u, which is not an optional IR op (add_i64)",
                           LOOM_IR_OP_add_i64);
    g_assert_cmpstr(err, ==, want);
    g_free(want);
    g_free(err);

    be.optional_ops = some;
    g_assert_true(loom_ir_opset_build(&be, set, NULL));
    g_assert_true(set[LOOM_IR_OP_deposit_i64 / 64] >> (LOOM_IR_OP_deposit_i64 % 64) & 1);

    loom_ir_globals_reset();
    s = loom_ir_context_new();
    d = loom_ir_temp_new_i64(s), a = loom_ir_temp_new_i64(s);
    loom_ir_gen_deposit_i64(s, d, a, a, 8, 8);
    loom_ir_gen_extract_i64(s, d, d, 4, 8);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    loom_ir_legalize(s, &be);
    g_assert_cmpuint(s->ops[0].opc, ==, LOOM_IR_OP_deposit_i64);
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        nopt += loom_ir_op_is_optional(s->ops[i].opc);
    }
    g_assert_cmpint(nopt, ==, 1);
    g_assert_cmpuint(s->ops[s->nb_ops - 1].opc, ==, LOOM_IR_OP_exit_tb);
    loom_ir_context_free(s);
}

/* Ops the back-end lacks count at their legalised size: the translator
   stops early enough for the rewritten TB to fit. */
static void test_legalize_reserve(void)
{
    static const uint16_t has_clz[] = { LOOM_IR_OP_clz_i64, 0 };
    LoomBackendOps bare = { 0 }, with = { .optional_ops = has_clz };
    LoomIRContext *s;
    LoomIRTemp t;
    unsigned n[2];

    loom_ir_globals_reset();
    s = loom_ir_context_new();
    for (int k = 0; k < 2; k++) {
        loom_ir_context_reset(s);
        loom_ir_set_source(s, "frontend-test.so", NULL, k ? &with : &bare);
        t = loom_ir_temp_new_i64(s);
        n[k] = 0;
        while (!loom_ir_nearly_full(s)) {
            loom_ir_gen_clz_i64(s, t, t);
            n[k]++;
        }
    }
    /* native: one op each, up to the 256-op margin */
    g_assert_cmpuint(n[1], ==, LOOM_IR_MAX_OPS - 256 + 1);
    g_assert_cmpuint(n[0], <, n[1] / 10);
    /* the bare back-end's TB, legalised, still leaves the margin */
    loom_ir_context_reset(s);
    loom_ir_set_source(s, "frontend-test.so", NULL, &bare);
    t = loom_ir_temp_new_i64(s);
    for (unsigned i = 0; i < n[0]; i++) {
        loom_ir_gen_clz_i64(s, t, t);
    }
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    loom_ir_legalize(s, &bare);
    g_assert_cmpuint(s->nb_ops, <=, LOOM_IR_MAX_OPS - 256);
    loom_ir_context_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ir/op-table", test_op_table);
    g_test_add_func("/ir/consts-shared", test_consts_shared);
    g_test_add_func("/ir/ebb-release", test_ebb_release);
    g_test_add_func("/ir/dump", test_dump);
    g_test_add_func("/ir/mb-insert", test_mb_insert);
    g_test_add_func("/ir/insn-start-words", test_insn_start_words);
    g_test_add_func("/ir/atomic-exit-i128", test_atomic_exit_i128);
    g_test_add_func("/ir/memorder-room", test_memorder_room);
    g_test_add_func("/ir/optional-ops", test_optional_ops);
    g_test_add_func("/ir/legalize-reserve", test_legalize_reserve);
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        char *path = g_strdup_printf("/ir/bad-op/%s", bad_cases[i].name);
        g_test_add_data_func(path, &bad_cases[i], test_bad_op);
        g_free(path);
    }
    return g_test_run();
}
