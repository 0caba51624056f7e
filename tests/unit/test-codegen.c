/*
 * The code generation machinery JIT back-ends share (core/codegen.c),
 * driven through a made-up target whose "instructions" are text lines,
 * so every spill, reload and write-back the core asks for is checked
 * exactly: liveness, the register cache (preference order, LRU eviction,
 * dirty write-back, globals synced before memory ops, calls and exits,
 * call-clobbered registers), labels, slow paths, the code info and the
 * unwind lookup, and refused target descriptions.
 */
#include "config.h"
#include <string.h>
#include <glib.h>
#include "internal.h"
#include <loom/codegen.h>

/* registers of the made-up target */
enum { ENV = 1, FP = 2, S0 = 3, S1 = 4, A = 10, B = 11, C = 12 };

static GString *out;

static void t_load(void *e, int reg, int base, int32_t ofs)
{
    g_string_append_printf(e, "ld r%d,[r%d%+d];", reg, base, ofs);
}

static void t_store(void *e, int reg, int base, int32_t ofs)
{
    g_string_append_printf(e, "st r%d,[r%d%+d];", reg, base, ofs);
}

static void t_mov(void *e, int dst, int src)
{
    g_string_append_printf(e, "mov r%d,r%d;", dst, src);
}

static void t_movi(void *e, int reg, uint64_t val)
{
    g_string_append_printf(e, "movi r%d,%" G_GINT64_MODIFIER "x;", reg, val);
}

/* a branch is a 4-byte absolute code offset */
static bool t_patch(uint8_t *code, uint32_t at, uint32_t target, unsigned kind)
{
    g_assert_cmpuint(kind, ==, 7);
    memcpy(code + at, &target, 4);
    return true;
}

static const int8_t regs3[] = { A, B, C };
static const int8_t regs2[] = { A, B };

static LoomTargetDesc desc_of(const int8_t *regs, unsigned n)
{
    LoomTargetDesc d = {
        .alloc_regs = regs, .nb_alloc_regs = (uint8_t)n,
        .env_reg = ENV, .frame_reg = FP, .slot_size = 8, .frame_ofs = 16,
        .scratch_regs = (1u << S0) | (1u << S1), .global_align = 8,
        .load = t_load, .store = t_store, .mov = t_mov, .movi = t_movi,
        .patch_label = t_patch,
    };
    return d;
}

static LoomIRTemp g0, g1;

static void globals_once(void)
{
    static bool done;

    if (!done) {
        g0 = loom_ir_global_i64(64, "cg0");
        g1 = loom_ir_global_i64(72, "cg1");
        done = true;
    }
}

/* "what the core emitted" since the last call */
static char *take(void)
{
    char *s = g_strdup(out->str);

    g_string_truncate(out, 0);
    return s;
}

#define ASSERT_EMITTED(want) do { char *got_ = take(); \
        g_assert_cmpstr(got_, ==, want); g_free(got_); } while (0)

/* ebb temps die at their last use, tb temps live through labels and
   branches */
static void test_liveness(void)
{
    LoomIRContext *s;
    LoomIRTemp e, t;
    LoomIRLabel l;
    uint8_t dead[16];

    globals_once();
    s = loom_ir_context_new();
    e = loom_ir_temp_new_i64(s);
    t = loom_ir_temp_tb_i64(s);
    l = loom_ir_label_new(s);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, e, g0, g0);   /* 0 */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, t, e, g1);    /* 1: e dies */
    loom_ir_gen_set_label(s, l);                     /* 2 */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g0, t, t);    /* 3: t dies */
    loom_ir_gen_br(s, l);                            /* 4 */
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);      /* 5 */
    g_assert_cmpuint(s->nb_ops, ==, 6);
    memset(dead, 0xff, sizeof(dead));
    loom_cg_liveness(s, dead);
    /* g0 is overwritten before it is read again, g1 never read again:
       both marked (the cache still never frees a global's register) */
    g_assert_cmphex(dead[0], ==, (1u << 1) | (1u << 2));
    g_assert_cmphex(dead[1], ==, (1u << 1) | (1u << 2));
    /* t is read after the label on the br's way back: live at op 3?
       The br makes tb temps live, so t is not dead at op 3 */
    g_assert_cmphex(dead[3], ==, 0);
    loom_ir_context_free(s);

    /* without the loop, t dies at its last read (both args) */
    s = loom_ir_context_new();
    t = loom_ir_temp_tb_i64(s);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, t, g0, g1);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g0, t, t);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    loom_cg_liveness(s, dead);
    g_assert_cmphex(dead[1], ==, (1u << 1) | (1u << 2));
    loom_ir_context_free(s);

    /* a label after the last read keeps t alive there (a branch to it
       may come from anywhere) */
    s = loom_ir_context_new();
    t = loom_ir_temp_tb_i64(s);
    e = loom_ir_temp_new_i64(s);
    l = loom_ir_label_new(s);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, t, g0, g1);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, e, t, t);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g0, e, e);
    loom_ir_gen_set_label(s, l);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    loom_cg_liveness(s, dead);
    g_assert_cmphex(dead[1], ==, 0);
    g_assert_cmphex(dead[2], ==, (1u << 1) | (1u << 2));
    loom_ir_context_free(s);
}

/* one op through the cache as an emitter drives it: sources, then the
   destination */
static int lower_add(LoomCodegen *cg, const LoomIRContext *s, uint32_t i, int *ra, int *rb)
{
    const LoomIROp *op = &s->ops[i];
    int rd;

    loom_cg_op_begin(cg, i);
    *ra = loom_cg_src_reg(cg, (LoomIRTemp)op->args[1], S0);
    *rb = loom_cg_src_reg(cg, (LoomIRTemp)op->args[2], S1);
    rd = loom_cg_dst_reg(cg, (LoomIRTemp)op->args[0]);
    loom_cg_op_end(cg);
    return rd;
}

static void test_register_cache(void)
{
    LoomTargetDesc d = desc_of(regs3, 3);
    LoomCodegen *cg = loom_cg_new(&d);
    LoomIRContext *s;
    LoomIRTemp e, k;
    int ra, rb, rd;

    globals_once();
    s = loom_ir_context_new();
    e = loom_ir_temp_new_i64(s);
    k = loom_ir_const_i64(s, 0x1234);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, e, g0, k);    /* 0 */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g1, e, g0);   /* 1 */
    loom_ir_gen_qemu_ld_i64(s, e, g1, LOOM_MEM_UQ, 0);   /* 2 */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g0, e, e);    /* 3 */
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);      /* 4 */
    g_assert_nonnull(cg);
    g_assert_true(loom_cg_begin(cg, s, out));

    /* g0 cached in the first register, the constant in the scratch one,
       e gets the next free register */
    rd = lower_add(cg, s, 0, &ra, &rb);
    g_assert_cmpint(ra, ==, A);
    g_assert_cmpint(rb, ==, S1);
    g_assert_cmpint(rd, ==, B);
    ASSERT_EMITTED("ld r10,[r1+64];movi r4,1234;");
    /* e read from its register (and freed: it dies here), g0 again
       cached, g1 in the last free register, nothing stored */
    rd = lower_add(cg, s, 1, &ra, &rb);
    g_assert_cmpint(ra, ==, B);
    g_assert_cmpint(rb, ==, A);
    g_assert_cmpint(rd, ==, C);
    ASSERT_EMITTED("");
    /* a guest memory op stores the dirty global g1 first, keeps it */
    loom_cg_op_begin(cg, 2);
    ASSERT_EMITTED("st r12,[r1+72];");
    g_assert_cmpint(loom_cg_src_reg(cg, g1, S0), ==, C);
    g_assert_cmpint(loom_cg_dst_reg(cg, e), ==, B);     /* the register e left */
    loom_cg_op_end(cg);
    ASSERT_EMITTED("");
    /* g0 = e + e: g0 dirty in its register, e dies */
    rd = lower_add(cg, s, 3, &ra, &rb);
    g_assert_cmpint(rd, ==, A);
    ASSERT_EMITTED("");
    /* exit: the dirty global stored, g1 (clean) not */
    loom_cg_op_begin(cg, 4);
    loom_cg_op_end(cg);
    ASSERT_EMITTED("st r10,[r1+64];");
    g_assert_false(loom_cg_failed(cg));
    loom_ir_context_free(s);
    loom_cg_free(cg);
}

/* two registers, three live values: the least recently used one (not
   the first in preference order) is written back to its home, a frame
   slot for a tb temp, and read from there later */
static void test_eviction_and_calls(void)
{
    LoomTargetDesc d = desc_of(regs2, 2);
    LoomCodegen *cg;
    LoomIRContext *s;
    LoomIRTemp t;
    int ra, rb, rd;

    globals_once();
    d.call_clobbered = 1u << B;
    cg = loom_cg_new(&d);
    s = loom_ir_context_new();
    t = loom_ir_temp_tb_i64(s);
    loom_ir_op3(s, LOOM_IR_OP_add_i64, t, g0, g0);   /* 0: g0 in A, t in B */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g0, g0, g0);  /* 1: A used again */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g1, g1, g1);  /* 2: g1 evicts t (older) */
    loom_ir_op3(s, LOOM_IR_OP_add_i64, g0, t, g1);   /* 3 */
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);      /* 4 */
    g_assert_true(loom_cg_begin(cg, s, out));

    rd = lower_add(cg, s, 0, &ra, &rb);
    g_assert_cmpint(ra, ==, A);
    g_assert_cmpint(rd, ==, B);
    ASSERT_EMITTED("ld r10,[r1+64];");
    rd = lower_add(cg, s, 1, &ra, &rb);
    g_assert_cmpint(rd, ==, A);
    ASSERT_EMITTED("");
    /* t (dirty, last touched at op 0) goes to frame slot 0 */
    rd = lower_add(cg, s, 2, &ra, &rb);
    g_assert_cmpint(ra, ==, B);
    g_assert_cmpint(rd, ==, B);
    ASSERT_EMITTED("st r11,[r2+16];ld r11,[r1+72];");
    /* a helper that may read globals: the dirty ones stored and kept; B
       is call-clobbered: forgotten (it was just stored) */
    loom_cg_before_call(cg, LOOM_IR_CALL_NO_WRITE_GLOBALS);
    ASSERT_EMITTED("st r10,[r1+64];st r11,[r1+72];");
    /* t, dying here, read from the frame into the scratch register; g1
       reloaded into the register B left, g0 still cached in A */
    rd = lower_add(cg, s, 3, &ra, &rb);
    g_assert_cmpint(ra, ==, S0);
    g_assert_cmpint(rb, ==, B);
    g_assert_cmpint(rd, ==, A);
    ASSERT_EMITTED("ld r3,[r2+16];ld r11,[r1+72];");
    /* a helper that writes globals: stored (g0 is dirty) and forgotten,
       so g0 is read from env again */
    loom_cg_before_call(cg, LOOM_IR_CALL_NO_READ_GLOBALS);
    ASSERT_EMITTED("st r10,[r1+64];");
    g_assert_cmpint(loom_cg_src_reg(cg, g0, S0), ==, A);
    ASSERT_EMITTED("ld r10,[r1+64];");
    g_assert_false(loom_cg_failed(cg));
    loom_ir_context_free(s);
    loom_cg_free(cg);
}

/* labels patched through the target at finish; the code info after the
   code; the unwind lookup maps return addresses to guest insns */
static void test_labels_and_unwind(void)
{
    LoomTargetDesc d = desc_of(regs3, 3);
    LoomCodegen *cg = loom_cg_new(&d);
    LoomIRContext *s = loom_ir_context_new();
    LoomIRLabel l0 = loom_ir_label_new(s), l1 = loom_ir_label_new(s);
    static uint8_t buf[256] __attribute__((aligned(8)));
    LoomCodeInfo *info;
    LoomCGSlowPath *sp;
    LoomCPU cpu;
    LoomTB tb, *got;
    uint32_t v;
    bool full;
    int insn;

    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_true(loom_cg_begin(cg, s, out));
    loom_cg_insn_start(cg, 0);
    loom_cg_jump_label(cg, l1, 4, 7);
    loom_cg_insn_start(cg, 10);
    loom_cg_set_label(cg, l0, 12);
    loom_cg_jump_label(cg, l0, 20, 7);
    loom_cg_insn_start(cg, 30);
    loom_cg_set_label(cg, l1, 40);
    g_assert_true(loom_cg_goto_tb(cg, 1, 44));
    g_assert_false(loom_cg_goto_tb(cg, 1, 48));     /* taken */
    g_assert_false(loom_cg_goto_tb_free(cg, 2));
    sp = loom_cg_add_slow(cg, LOOM_IR_OP_qemu_ld_i64, 24, 28);
    sp->val_reg = 9;
    g_assert_cmpuint(loom_cg_nb_slow(cg), ==, 1);
    g_assert_cmpuint(loom_cg_slow(cg, 0)->cont_ofs, ==, 28);
    g_assert_cmpint(loom_cg_slow(cg, 0)->val_reg, ==, 9);
    g_assert_null(loom_cg_slow(cg, 1));

    /* no room for the info: full, nothing failed */
    g_assert_null(loom_cg_finish(cg, buf, 50, buf + 60, &full));
    g_assert_true(full);
    info = loom_cg_finish(cg, buf, 50, buf + sizeof(buf), &full);
    g_assert_nonnull(info);
    g_assert_false(full);
    memcpy(&v, buf + 4, 4);
    g_assert_cmpuint(v, ==, 40);
    memcpy(&v, buf + 20, 4);
    g_assert_cmpuint(v, ==, 12);
    g_assert_true((uint8_t *)info == buf + 56);
    g_assert_cmpuint(info->code_len, ==, 50);
    g_assert_cmpuint(info->jmp_ofs[0], ==, 0);
    g_assert_cmpuint(info->jmp_ofs[1], ==, 44);
    g_assert_cmpuint(info->nb_insns, ==, 3);
    g_assert_cmpint(loom_cg_insn_at(info, 0), ==, 0);
    g_assert_cmpint(loom_cg_insn_at(info, 9), ==, 0);
    g_assert_cmpint(loom_cg_insn_at(info, 10), ==, 1);
    g_assert_cmpint(loom_cg_insn_at(info, 29), ==, 1);
    g_assert_cmpint(loom_cg_insn_at(info, 49), ==, 2);
    g_assert_cmpint(loom_cg_insn_at(info, 50), ==, -1);

    memset(&cpu, 0, sizeof(cpu));
    memset(&tb, 0, sizeof(tb));
    tb.code = buf;
    tb.backend_data = info;
    g_assert_false(loom_cg_unwind(&cpu, (uintptr_t)buf + 20, &got, &insn));  /* no TB */
    cpu.current_tb = &tb;
    /* a return address names the insn of the call before it */
    g_assert_true(loom_cg_unwind(&cpu, (uintptr_t)buf + 30, &got, &insn));
    g_assert_true(got == &tb);
    g_assert_cmpint(insn, ==, 1);
    g_assert_true(loom_cg_unwind(&cpu, (uintptr_t)buf + 50, &got, &insn));
    g_assert_cmpint(insn, ==, 2);
    g_assert_false(loom_cg_unwind(&cpu, (uintptr_t)buf + 51, &got, &insn));
    g_assert_false(loom_cg_unwind(&cpu, (uintptr_t)buf, &got, &insn));
    g_assert_false(loom_cg_unwind(&cpu, 0, &got, &insn));

    /* a label never placed: the TB failed */
    g_assert_true(loom_cg_begin(cg, s, out));
    loom_cg_jump_label(cg, l0, 4, 7);
    g_assert_null(loom_cg_finish(cg, buf, 50, buf + sizeof(buf), &full));
    g_assert_false(full);
    g_assert_true(loom_cg_failed(cg));
    /* a label that does not exist */
    g_assert_true(loom_cg_begin(cg, s, out));
    g_assert_false(loom_cg_failed(cg));
    loom_cg_set_label(cg, 5, 0);
    g_assert_true(loom_cg_failed(cg));
    loom_ir_context_free(s);
    loom_cg_free(cg);
}

/* a description the core cannot use is refused with NULL, not an abort */
static void test_bad_desc(void)
{
    static const int8_t with_env[] = { A, ENV };
    static const int8_t with_scratch[] = { S0 };
    static const int8_t twice[] = { A, A };
    LoomTargetDesc d;

    d = desc_of(with_env, 2);
    g_assert_null(loom_cg_new(&d));
    d = desc_of(with_scratch, 1);
    g_assert_null(loom_cg_new(&d));
    d = desc_of(twice, 2);
    g_assert_null(loom_cg_new(&d));
    d = desc_of(regs2, 2);
    d.mov = NULL;
    g_assert_null(loom_cg_new(&d));
    d = desc_of(regs2, 2);
    d.env_reg = LOOM_CG_MAX_REGS;
    g_assert_null(loom_cg_new(&d));
    d = desc_of(regs2, 0);
    g_assert_null(loom_cg_new(&d));
}

/* loom_cg_thread: one code generator per thread, the same one on each
   call, a new one after the thread's end (a warm reset's new threads);
   under AddressSanitizer, one never freed is a leak */
static LoomTargetDesc thread_desc;

static gpointer thread_fn(gpointer main_cg)
{
    LoomCodegen *cg = loom_cg_thread(&thread_desc);

    g_assert_nonnull(cg);
    g_assert_true(cg != main_cg);
    g_assert_true(loom_cg_thread(&thread_desc) == cg);
    codegen_thread_end();
    return NULL;
}

static void test_per_thread(void)
{
    LoomCodegen *cg;
    GThread *t;

    thread_desc = desc_of(regs2, 2);
    cg = loom_cg_thread(&thread_desc);
    g_assert_nonnull(cg);
    g_assert_true(loom_cg_thread(&thread_desc) == cg);
    t = g_thread_new("vcpu", thread_fn, cg);
    g_thread_join(t);
    g_assert_true(loom_cg_thread(&thread_desc) == cg);
    codegen_thread_end();
    thread_desc.mov = NULL;
    g_assert_null(loom_cg_thread(&thread_desc));      /* checked as loom_cg_new */
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    out = g_string_new("");
    g_test_add_func("/codegen/liveness", test_liveness);
    g_test_add_func("/codegen/register-cache", test_register_cache);
    g_test_add_func("/codegen/eviction-and-calls", test_eviction_and_calls);
    g_test_add_func("/codegen/labels-and-unwind", test_labels_and_unwind);
    g_test_add_func("/codegen/bad-desc", test_bad_desc);
    g_test_add_func("/codegen/per-thread", test_per_thread);
    return g_test_run();
}
