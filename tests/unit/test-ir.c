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

/* One load, one store, one atomic, a host load; returns nothing, the
   caller checks s->ops. */
static void emit_accesses(LoomIRContext *s)
{
    LoomIRTemp a = loom_ir_temp_new_i64(s), v = loom_ir_temp_new_i64(s);

    loom_ir_gen_qemu_ld_i64(s, v, a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_st_i32(s, v, a, LOOM_MEM_UL, 0);
    loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_xchg_i64, v, a, v, LOOM_MEM_UQ, 0);
    loom_ir_gen_ldh_i64(s, v, LOOM_IR_ENV, 8, LOOM_MEM_UQ);
    loom_ir_gen_qemu_ld_i32(s, v, a, LOOM_MEM_UL, 0);
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ir/op-table", test_op_table);
    g_test_add_func("/ir/consts-shared", test_consts_shared);
    g_test_add_func("/ir/ebb-release", test_ebb_release);
    g_test_add_func("/ir/dump", test_dump);
    g_test_add_func("/ir/mb-insert", test_mb_insert);
    return g_test_run();
}
