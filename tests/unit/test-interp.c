/*
 * The interpreter back-end, driven with hand-built IR: the op value
 * tables, a loop and the atomics every back-end must pass (ir-harness.c),
 * guest memory through a minimal softmmu with alignment and bus faults,
 * helper calls and exits.
 */
#include "config.h"
#include <string.h>
#include "ir-harness.h"

/* ---- guest memory ---- */

static void test_memory(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp a = loom_ir_const_i64(s, RAM_BASE + 0x100);

    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x8081828384858687ull), a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], a, LOOM_MEM_SB, 0);               /* 0x87 sign-extended */
    loom_ir_gen_qemu_ld_i64(s, g[1], a, LOOM_MEM_UW | LOOM_MEM_BE, 0);       /* big-endian 0x8786 */
    loom_ir_gen_qemu_ld_i64(s, g[2], a, LOOM_MEM_SL, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_run(cpu, s), ==, LOOM_IR_EXIT_PLAIN);
    g_assert_cmphex(env->r[0], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(env->r[1], ==, 0x8786);
    g_assert_cmphex(env->r[2], ==, 0xffffffff84858687ull);
    loom_ir_context_free(s);

    /* a misaligned access with LOOM_MEM_ALIGN goes to the front-end */
    s = harness_begin();
    loom_ir_gen_qemu_ld_i64(s, g[0], loom_ir_const_i64(s, RAM_BASE + 0x101), LOOM_MEM_UL | LOOM_MEM_ALIGN, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_run(cpu, s), ==, -1);
    g_assert_cmpint(env->fault_kind, ==, FAULT_UNALIGNED);
    g_assert_cmphex(env->fault_addr, ==, RAM_BASE + 0x101);
    loom_ir_context_free(s);

    /* nothing mapped there: a bus error for the front-end, never a crash */
    s = harness_begin();
    loom_ir_gen_qemu_st_i64(s, g[0], loom_ir_const_i64(s, 0x4000000), LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_run(cpu, s), ==, -1);
    g_assert_cmpint(env->fault_kind, ==, FAULT_BUS);
    g_assert_cmphex(env->fault_addr, ==, 0x4000000);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* ---- helper calls and exits ---- */

static uint64_t helper_mix(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                           uint64_t a4, uint64_t a5)
{
    ((TestEnv *)env)->r[7] = 1;         /* helpers see the vCPU's env */
    return a * 1000 + b * 100 + c * 10 + d;
}

static const LoomIRHelper mix = { .fn = helper_mix, .name = "mix" };

static void test_call_and_exits(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp args[4];

    for (int i = 0; i < 4; i++) {
        args[i] = loom_ir_const_i64(s, (uint64_t)i + 1);
    }
    loom_ir_gen_call(s, &mix, g[5], 4, args);
    /* an unchained goto_tb falls through to its exit */
    loom_ir_gen_goto_tb(s, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT0);
    g_assert_cmpint(harness_run(cpu, s), ==, LOOM_IR_EXIT_SLOT0);
    g_assert_cmpuint(env->r[5], ==, 1234);
    g_assert_cmpuint(env->r[7], ==, 1);
    /* a pending exit request: the TB does not run at all */
    env->r[5] = 0;
    cpu->exit_request = 1;
    g_assert_cmpint(harness_run(cpu, s), ==, LOOM_IR_EXIT_REQUESTED);
    g_assert_cmpuint(env->r[5], ==, 0);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* ---- weak=on: the store buffer never outlives a trip to the core ---- */

#define WEAK_A (RAM_BASE + 0x400)

static uint64_t ram_word(uint64_t addr)
{
    uint64_t v;

    memcpy(&v, as_ram_ptr(&mach.as, addr, 8), 8);
    return v;
}

static uint64_t helper_peek(void *env, uint64_t addr, uint64_t b, uint64_t c, uint64_t d,
                            uint64_t a4, uint64_t a5)
{
    (void)env; (void)b; (void)c; (void)d;
    return ram_word(addr);              /* what the core would see */
}

static const LoomIRHelper peek = { .fn = helper_peek, .name = "peek" };

static void test_weak(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    char msg[128];
    LoomIRTemp a = loom_ir_const_i64(s, WEAK_A), addr;

    g_assert_nonnull(harness_ref->set_option);
    g_assert_cmpint(harness_ref->set_option("weak", "on", msg, sizeof(msg)), ==,
                    LOOM_BACKEND_OPTION_TAKEN);
    /* the first accesses fill the TLB through the slow path */
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0), a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0), loom_ir_const_i64(s, WEAK_A + 8), LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[7], a, LOOM_MEM_UQ, 0);
    /* buffered; a load inside it is forwarded */
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x1122334455667788ull), a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], loom_ir_const_i64(s, WEAK_A + 4), LOOM_MEM_UL, 0);
    /* a byte store into the buffered word, then a load across both */
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0xaa), loom_ir_const_i64(s, WEAK_A + 1), LOOM_MEM_UB, 0);
    loom_ir_gen_qemu_ld_i64(s, g[1], a, LOOM_MEM_UQ, 0);
    /* a helper sees memory as the thread left it */
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x7777), a, LOOM_MEM_UQ, 0);
    addr = loom_ir_const_i64(s, WEAK_A);
    loom_ir_gen_call(s, &peek, g[2], 1, &addr);
    /* a fault in the slow path leaves with the earlier store in memory */
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x99), loom_ir_const_i64(s, WEAK_A + 8), LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[3], loom_ir_const_i64(s, FAULT_BASE), LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_run(cpu, s), ==, -1);
    g_assert_cmpint(env->fault_kind, ==, FAULT_PAGE);
    g_assert_cmphex(env->r[0], ==, 0x11223344);
    g_assert_cmphex(env->r[1], ==, 0x112233445566aa88ull);
    g_assert_cmphex(env->r[2], ==, 0x7777);
    g_assert_cmphex(ram_word(WEAK_A + 8), ==, 0x99);
    loom_ir_context_free(s);

    /* leaving the TB (exec_tb returns) drains too; the TLB is warm now */
    s = harness_begin();
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x5555), loom_ir_const_i64(s, WEAK_A + 8), LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_run(cpu, s), ==, LOOM_IR_EXIT_PLAIN);
    g_assert_cmphex(ram_word(WEAK_A + 8), ==, 0x5555);
    loom_ir_context_free(s);

    g_assert_cmpint(harness_ref->set_option("weak", "off", msg, sizeof(msg)), ==,
                    LOOM_BACKEND_OPTION_TAKEN);
    g_assert_cmpint(harness_ref->set_option("weak", "maybe", msg, sizeof(msg)), ==,
                    LOOM_BACKEND_OPTION_INVALID);
    g_assert_cmpstr(msg, ==, "weak=maybe is not valid: give on or off");
    g_assert_cmpint(harness_ref->set_option("strong", "on", msg, sizeof(msg)), ==,
                    LOOM_BACKEND_OPTION_UNKNOWN);
    harness_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!harness_init("backend-interp.so")) {
        return 77;
    }
    g_test_add_func("/interp/binary-ops", harness_test_binary_ops);
    g_test_add_func("/interp/unary-ops", harness_test_unary_ops);
    g_test_add_func("/interp/loop", harness_test_loop);
    g_test_add_func("/interp/memory", test_memory);
    g_test_add_func("/interp/atomic-ops", harness_test_atomic_ops);
    g_test_add_func("/interp/new-ops", harness_test_new_ops);
    g_test_add_func("/interp/cmpxchg128", harness_test_cmpxchg128);
    g_test_add_func("/interp/call6", harness_test_call6);
    g_test_add_func("/interp/atomic-contention", harness_test_atomic_contention);
    g_test_add_func("/interp/call-and-exits", test_call_and_exits);
    g_test_add_func("/interp/weak", test_weak);
    return g_test_run();
}
