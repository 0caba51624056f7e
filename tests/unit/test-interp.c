/*
 * The interpreter back-end, driven with hand-built IR: every arithmetic
 * edge case the IR defines, control flow, guest memory through a minimal
 * softmmu, atomics (exact totals under contention), helper calls and
 * alignment faults.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

#define RAM_BASE 0x10000u
#define RAM_SIZE 0x10000u
#define NG 8

static LoomMachine mach;
static const LoomBackendOps *be;
static IRTemp g[NG];                    /* globals r0..r7 at env + 8*i */

typedef struct TestEnv {
    uint64_t r[NG];
    uint64_t fault_addr;
    int fault_kind;
} TestEnv;

/* ---- a minimal front-end: identity mapping, faults recorded ---- */

static bool t_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access, int mmu_idx,
                       bool probe, uintptr_t ra)
{
    loom_tlb_set_page(cpu, vaddr, vaddr, LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC,
                      mmu_idx, 4096);
    return true;
}

static void t_fault(LoomCPU *cpu, uint64_t vaddr, int kind)
{
    TestEnv *env = (TestEnv *)cpu->env;
    env->fault_addr = vaddr;
    env->fault_kind = kind;
    loom_cpu_loop_exit(cpu);
}

static void t_unaligned(LoomCPU *cpu, uint64_t vaddr, int access, int mmu_idx, uintptr_t ra)
{
    t_fault(cpu, vaddr, 1);
}

static void t_failed(LoomCPU *cpu, uint64_t paddr, uint64_t vaddr, int access, int mmu_idx,
                     uintptr_t ra)
{
    t_fault(cpu, vaddr, 2);
}

static const LoomFrontendOps test_fe = {
    .page_bits = 12,
    .nb_mmu_modes = 1,
    .env_size = sizeof(TestEnv),
    .tlb_fill = t_tlb_fill,
    .do_unaligned_access = t_unaligned,
    .do_transaction_failed = t_failed,
};

static LoomCPU *cpu_new(void)
{
    size_t size = (sizeof(LoomCPU) + sizeof(TestEnv) + 63) & ~(size_t)63;
    LoomCPU *cpu = aligned_alloc(64, size);

    memset(cpu, 0, sizeof(LoomCPU) + sizeof(TestEnv));
    cpu->priv = g_malloc0(sizeof(LoomCPUPrivate));
    cpu->machine = &mach;
    tlb_init(cpu);
    return cpu;
}

static void cpu_free(LoomCPU *cpu)
{
    g_free(cpu->priv);
    free(cpu);
}

static IRContext *ir_begin(void)
{
    IRContext *s = ir_context_new();
    ir_gen_insn_start(s, 0, 0);
    return s;
}

/* Generate and run s on cpu; returns the exit code, -1 after a fault. */
static int run(LoomCPU *cpu, IRContext *s)
{
    static __thread uint8_t buf[1 << 18];
    LoomTB tb = { 0 };
    uintptr_t ret;

    g_assert_cmpint(be->gen_code(&tb, s, buf, sizeof(buf)), >, 0);
    if (sigsetjmp(cpu->priv->jmp_env, 0)) {
        return -1;
    }
    ret = be->exec_tb(cpu, &tb);
    g_assert_true((LoomTB *)(ret & ~(uintptr_t)IR_EXIT_MASK) == &tb);
    return (int)(ret & IR_EXIT_MASK);
}

/* ---- arithmetic ---- */

typedef struct BinCase {
    IROpcode op;
    uint64_t a, b, want;
} BinCase;

static const BinCase bin_cases[] = {
    { IR_OP_add_i64, 0xffffffffffffffffull, 1, 0 },
    { IR_OP_add_i32, 0xffffffff, 2, 1 },
    { IR_OP_sub_i32, 0, 1, 0xffffffff },
    { IR_OP_mul_i64, 0x100000001ull, 0x100000001ull, 0x200000001ull },
    { IR_OP_mul_i32, 0x10000, 0x10000, 0 },
    { IR_OP_mulsh_i64, (uint64_t)-2, 3, (uint64_t)-1 },
    { IR_OP_muluh_i64, 0xffffffffffffffffull, 0xffffffffffffffffull, 0xfffffffffffffffeull },
    { IR_OP_mulsuh_i64, (uint64_t)-1, 0xffffffffffffffffull, 0xffffffffffffffffull },
    { IR_OP_mulsh_i32, 0x80000000, 0x80000000, 0x40000000 },
    { IR_OP_muluh_i32, 0xffffffff, 0xffffffff, 0xfffffffe },
    { IR_OP_div_i64, (uint64_t)-7, 2, (uint64_t)-3 },
    { IR_OP_div_i64, 5, 0, 0xffffffffffffffffull },
    { IR_OP_div_i64, 0x8000000000000000ull, (uint64_t)-1, 0x8000000000000000ull },
    { IR_OP_rem_i64, (uint64_t)-7, 2, (uint64_t)-1 },
    { IR_OP_rem_i64, 5, 0, 5 },
    { IR_OP_rem_i64, 0x8000000000000000ull, (uint64_t)-1, 0 },
    { IR_OP_divu_i64, 7, 0, 0xffffffffffffffffull },
    { IR_OP_remu_i64, 7, 0, 7 },
    { IR_OP_div_i32, 0x80000000, 0xffffffff, 0x80000000 },
    { IR_OP_div_i32, 9, 0, 0xffffffff },
    { IR_OP_rem_i32, 0x80000000, 0xffffffff, 0 },
    { IR_OP_divu_i32, 9, 0, 0xffffffff },
    { IR_OP_remu_i32, 9, 0, 9 },
    { IR_OP_andc_i64, 0xff, 0x0f, 0xf0 },
    { IR_OP_orc_i32, 0, 0xffff0000, 0x0000ffff },
    { IR_OP_shl_i64, 1, 65, 2 },            /* count modulo 64 */
    { IR_OP_shl_i32, 1, 33, 2 },            /* count modulo 32 */
    { IR_OP_shr_i64, 0x8000000000000000ull, 63, 1 },
    { IR_OP_sar_i64, 0x8000000000000000ull, 63, 0xffffffffffffffffull },
    { IR_OP_sar_i32, 0x80000000, 31, 0xffffffff },
    { IR_OP_shr_i32, 0x80000000, 31, 1 },
    { IR_OP_rotl_i64, 0x8000000000000001ull, 1, 3 },
    { IR_OP_rotr_i32, 1, 1, 0x80000000 },
    { IR_OP_rotl_i32, 0x80000000, 0, 0x80000000 },
};

static void test_binary_ops(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;

    for (size_t i = 0; i < G_N_ELEMENTS(bin_cases); i++) {
        const BinCase *c = &bin_cases[i];
        bool is64 = ir_op_defs[c->op].flags & IR_F_64;
        IRContext *s = ir_begin();
        IRType ty = is64 ? IR_I64 : IR_I32;
        IRTemp d = ir_temp_new(s, ty, IR_TEMP_EBB);

        ir_op3(s, c->op, d, ir_const(s, ty, c->a), ir_const(s, ty, c->b));
        if (is64) {
            ir_gen_mov_i64(s, g[0], d);
        } else {
            ir_gen_extu_i32_i64(s, g[0], d);
        }
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        env->r[0] = 0x5a5a5a5a5a5a5a5aull;
        g_assert_cmpint(run(cpu, s), ==, IR_EXIT_PLAIN);
        if (env->r[0] != c->want) {
            g_test_message("%s(0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER "x)",
                           ir_op_defs[c->op].name, c->a, c->b);
        }
        g_assert_cmphex(env->r[0], ==, c->want);
        ir_context_free(s);
    }
    cpu_free(cpu);
}

static void test_unary_ops(void)
{
    static const struct { IROpcode op; uint64_t a, want; } cases[] = {
        { IR_OP_ext8s_i64, 0x80, 0xffffffffffffff80ull },
        { IR_OP_ext16u_i64, 0xfffff234, 0xf234 },
        { IR_OP_ext32s_i64, 0x80000000, 0xffffffff80000000ull },
        { IR_OP_ext32u_i64, 0xffffffff80000000ull, 0x80000000 },
        { IR_OP_neg_i64, 1, 0xffffffffffffffffull },
        { IR_OP_not_i64, 0, 0xffffffffffffffffull },
        { IR_OP_clz_i64, 0, 64 },
        { IR_OP_clz_i64, 1, 63 },
        { IR_OP_ctz_i64, 0x100, 8 },
        { IR_OP_ctpop_i64, 0xf0f0, 8 },
        { IR_OP_bswap64_i64, 0x0102030405060708ull, 0x0807060504030201ull },
    };
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        IRContext *s = ir_begin();
        ir_op2(s, cases[i].op, g[1], ir_const_i64(s, cases[i].a));
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        run(cpu, s);
        g_assert_cmphex(env->r[1], ==, cases[i].want);
        ir_context_free(s);
    }
    cpu_free(cpu);
}

/* sum 1..100 with a loop: labels, brcond, tb temps */
static void test_loop(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp i = ir_temp_tb_i64(s), sum = ir_temp_tb_i64(s);
    IRLabel top = ir_label_new(s), out = ir_label_new(s);

    ir_gen_movi_i64(s, i, 1);
    ir_gen_movi_i64(s, sum, 0);
    ir_gen_set_label(s, top);
    ir_gen_brcond_i64(s, IR_COND_GTU, i, ir_const_i64(s, 100), out);
    ir_gen_add_i64(s, sum, sum, i);
    ir_gen_addi_i64(s, i, i, 1);
    ir_gen_br(s, top);
    ir_gen_set_label(s, out);
    ir_gen_mov_i64(s, g[2], sum);
    ir_gen_setcond_i64(s, IR_COND_LT, g[3], ir_const_i64(s, (uint64_t)-1), ir_const_i64(s, 0));
    ir_gen_movcond_i64(s, IR_COND_LTU, g[4], ir_const_i64(s, (uint64_t)-1), ir_const_i64(s, 0),
                       ir_const_i64(s, 11), ir_const_i64(s, 22));
    ir_gen_exit_tb(s, IR_EXIT_SLOT1);
    g_assert_cmpint(run(cpu, s), ==, IR_EXIT_SLOT1);
    g_assert_cmpuint(env->r[2], ==, 5050);
    g_assert_cmpuint(env->r[3], ==, 1);         /* -1 < 0 signed */
    g_assert_cmpuint(env->r[4], ==, 22);        /* -1 <u 0 is false */
    ir_context_free(s);
    cpu_free(cpu);
}

/* ---- guest memory ---- */

static void test_memory(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp a = ir_const_i64(s, RAM_BASE + 0x100);

    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x8081828384858687ull), a, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[0], a, MO_SB, 0);               /* 0x87 sign-extended */
    ir_gen_qemu_ld_i64(s, g[1], a, MO_UW | MO_BE, 0);       /* big-endian 0x8786 */
    ir_gen_qemu_ld_i64(s, g[2], a, MO_SL, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    g_assert_cmpint(run(cpu, s), ==, IR_EXIT_PLAIN);
    g_assert_cmphex(env->r[0], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(env->r[1], ==, 0x8786);
    g_assert_cmphex(env->r[2], ==, 0xffffffff84858687ull);
    ir_context_free(s);

    /* a misaligned access with MO_ALIGN goes to the front-end */
    s = ir_begin();
    ir_gen_qemu_ld_i64(s, g[0], ir_const_i64(s, RAM_BASE + 0x101), MO_UL | MO_ALIGN, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    g_assert_cmpint(run(cpu, s), ==, -1);
    g_assert_cmpint(env->fault_kind, ==, 1);
    g_assert_cmphex(env->fault_addr, ==, RAM_BASE + 0x101);
    ir_context_free(s);

    /* nothing mapped there: a bus error for the front-end, never a crash */
    s = ir_begin();
    ir_gen_qemu_st_i64(s, g[0], ir_const_i64(s, 0x4000000), MO_UQ, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    g_assert_cmpint(run(cpu, s), ==, -1);
    g_assert_cmpint(env->fault_kind, ==, 2);
    g_assert_cmphex(env->fault_addr, ==, 0x4000000);
    ir_context_free(s);
    cpu_free(cpu);
}

static void test_atomic_ops(void)
{
    static const struct { IROpcode op; uint64_t old, val, want_mem; unsigned mop; } cases[] = {
        { IR_OP_atomic_xchg_i64, 5, 9, 9, MO_UQ },
        { IR_OP_atomic_fetch_add_i64, 5, 9, 14, MO_UQ },
        { IR_OP_atomic_fetch_and_i64, 6, 3, 2, MO_UQ },
        { IR_OP_atomic_fetch_or_i64, 6, 3, 7, MO_UQ },
        { IR_OP_atomic_fetch_xor_i64, 6, 3, 5, MO_UQ },
        { IR_OP_atomic_fetch_smin_i64, 5, (uint64_t)-1, (uint64_t)-1, MO_UQ },
        { IR_OP_atomic_fetch_umin_i64, 5, (uint64_t)-1, 5, MO_UQ },
        { IR_OP_atomic_fetch_smax_i64, 5, (uint64_t)-1, 5, MO_UQ },
        { IR_OP_atomic_fetch_umax_i64, 5, (uint64_t)-1, (uint64_t)-1, MO_UQ },
        /* 32-bit: min/max compare 32-bit values; the old value is
           sign-extended with MO_SL */
        { IR_OP_atomic_fetch_smin_i32, 0x80000000, 1, 0x80000000, MO_SL },
        { IR_OP_atomic_fetch_umax_i32, 0x80000000, 1, 0x80000000, MO_SL },
        { IR_OP_atomic_fetch_add_i32, 0xffffffff, 1, 0, MO_SL },
    };
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0x200, 8);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        IRContext *s = ir_begin();
        bool is64 = ir_op_defs[cases[i].op].flags & IR_F_64;
        IRTemp d = ir_temp_new(s, is64 ? IR_I64 : IR_I32, IR_TEMP_EBB);
        uint64_t mem = 0;

        memset(ram, 0, 8);
        memcpy(ram, &cases[i].old, is64 ? 8 : 4);
        ir_gen_atomic_rmw(s, cases[i].op, d, ir_const_i64(s, RAM_BASE + 0x200),
                          ir_const(s, is64 ? IR_I64 : IR_I32, cases[i].val), cases[i].mop, 0);
        if (is64) {
            ir_gen_mov_i64(s, g[0], d);
        } else {
            ir_gen_exts_i32_i64(s, g[0], d);
        }
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        run(cpu, s);
        memcpy(&mem, ram, is64 ? 8 : 4);
        g_assert_cmphex(mem, ==, cases[i].want_mem);
        g_assert_cmphex(env->r[0], ==, is64 ? cases[i].old
                                            : (uint64_t)(int64_t)(int32_t)cases[i].old);
        ir_context_free(s);
    }
    /* cmpxchg: succeeds only when the compare value matches */
    for (int hit = 0; hit < 2; hit++) {
        IRContext *s = ir_begin();
        uint64_t mem = 7;
        memcpy(ram, &mem, 8);
        ir_gen_atomic_cmpxchg_i64(s, g[0], ir_const_i64(s, RAM_BASE + 0x200),
                                  ir_const_i64(s, hit ? 7 : 8), ir_const_i64(s, 99), MO_UQ, 0);
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        run(cpu, s);
        memcpy(&mem, ram, 8);
        g_assert_cmpuint(env->r[0], ==, 7);
        g_assert_cmpuint(mem, ==, hit ? 99 : 7);
        ir_context_free(s);
    }
    cpu_free(cpu);
}

/* Four host threads, one vCPU each, hammer one counter: exact total. */
#define HAMMER_THREADS 4
#define HAMMER_ITERS 20000

static gpointer hammer(gpointer data)
{
    LoomCPU *cpu = cpu_new();
    IRContext *s = ir_begin();
    IRTemp old = ir_temp_new_i64(s);

    (void)data;
    ir_gen_atomic_rmw(s, IR_OP_atomic_fetch_add_i64, old, ir_const_i64(s, RAM_BASE + 0x300),
                      ir_const_i64(s, 1), MO_UQ, 0);
    ir_gen_mb(s, LOOM_MO_ALL);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    for (int i = 0; i < HAMMER_ITERS; i++) {
        run(cpu, s);
    }
    ir_context_free(s);
    cpu_free(cpu);
    return NULL;
}

static void test_atomic_contention(void)
{
    GThread *t[HAMMER_THREADS];
    uint64_t total;

    memset(as_ram_ptr(&mach.as, RAM_BASE + 0x300, 8), 0, 8);
    for (int i = 0; i < HAMMER_THREADS; i++) {
        t[i] = g_thread_new("hammer", hammer, NULL);
    }
    for (int i = 0; i < HAMMER_THREADS; i++) {
        g_thread_join(t[i]);
    }
    memcpy(&total, as_ram_ptr(&mach.as, RAM_BASE + 0x300, 8), 8);
    g_assert_cmpuint(total, ==, (uint64_t)HAMMER_THREADS * HAMMER_ITERS);
}

/* ---- helper calls and exits ---- */

static uint64_t helper_mix(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    ((TestEnv *)env)->r[7] = 1;         /* helpers see the vCPU's env */
    return a * 1000 + b * 100 + c * 10 + d;
}

static const IRHelper mix = { .fn = helper_mix, .name = "mix" };

static void test_call_and_exits(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp args[4];

    for (int i = 0; i < 4; i++) {
        args[i] = ir_const_i64(s, (uint64_t)i + 1);
    }
    ir_gen_call(s, &mix, g[5], 4, args);
    /* an unchained goto_tb falls through to its exit */
    ir_gen_goto_tb(s, 0);
    ir_gen_exit_tb(s, IR_EXIT_SLOT0);
    g_assert_cmpint(run(cpu, s), ==, IR_EXIT_SLOT0);
    g_assert_cmpuint(env->r[5], ==, 1234);
    g_assert_cmpuint(env->r[7], ==, 1);
    /* a pending exit request: the TB does not run at all */
    env->r[5] = 0;
    cpu->exit_request = 1;
    g_assert_cmpint(run(cpu, s), ==, IR_EXIT_REQUESTED);
    g_assert_cmpuint(env->r[5], ==, 0);
    ir_context_free(s);
    cpu_free(cpu);
}

int main(int argc, char **argv)
{
    char *path, *err = NULL;
    LoomPlugin *p;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("LOOM_BUILDDIR")) {
        g_printerr("run through make check (LOOM_BUILDDIR unset)\n");
        return 77;
    }
    path = g_build_filename(g_getenv("LOOM_BUILDDIR"), "plugins", "backend-interp.so", NULL);
    p = plugin_load_file(path, LOOM_PLUGIN_BACKEND, &err);
    if (!p) {
        g_printerr("%s\n", err);
        return 1;
    }
    g_free(path);
    be = p->desc->ops;
    mach.fe = &test_fe;
    mach.be = be;
    g_assert_nonnull(as_add_ram(&mach.as, "ram", RAM_BASE, RAM_SIZE, &err));
    current_machine = &mach;
    ir_globals_reset();
    for (int i = 0; i < NG; i++) {
        g[i] = ir_global_i64(8 * i, "r");
    }
    g_test_add_func("/interp/binary-ops", test_binary_ops);
    g_test_add_func("/interp/unary-ops", test_unary_ops);
    g_test_add_func("/interp/loop", test_loop);
    g_test_add_func("/interp/memory", test_memory);
    g_test_add_func("/interp/atomic-ops", test_atomic_ops);
    g_test_add_func("/interp/atomic-contention", test_atomic_contention);
    g_test_add_func("/interp/call-and-exits", test_call_and_exits);
    return g_test_run();
}
