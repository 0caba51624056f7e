/*
 * acc: an example guest ISA for loom, built out of tree (examples/README.md).
 *
 * One 32-bit accumulator.  Every instruction is a little-endian 32-bit
 * word: bits 7..0 the opcode, bits 31..8 the operand N (an address, or an
 * immediate sign-extended from 24 bits).
 *
 *   01 LDI  N  acc = N              08 JMP  N  pc = N
 *   02 LD   N  acc = mem32[N]       09 JZ   N  if acc == 0, pc = N
 *   03 ST   N  mem32[N] = acc       0a JNZ  N  if acc != 0, pc = N
 *   04 STB  N  mem8[N] = acc        0b WAIT    sleep until an interrupt is pending
 *   05 ADDI N  acc += N             0c EI      enable interrupts
 *   06 ADD  N  acc += mem32[N]      0d RETI    pc = epc, enable interrupts
 *   07 SUB  N  acc -= mem32[N]
 *
 * One interrupt input, "irq" (cpu0.irq in a machine file).  While it is
 * high and interrupts are enabled, the CPU saves pc in epc, disables
 * interrupts and jumps to address 4.  Reset: pc at the image's entry,
 * everything else 0.  An unknown opcode or an access where there is
 * neither RAM nor a device stops the machine: one line on stderr, exit
 * status 1.  Addresses are physical; there is one MMU mode.
 *
 * Threading: the front-end declares no MTTCG support, so loom runs all
 * vCPUs in one thread.  irq_level is written by set_irq (BQL held, any
 * thread) and read by the vCPU, atomically; the rest of AccEnv belongs
 * to the vCPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <loom/loom.h>

#define ACC_VECTOR 4
#define ACC_PAGE_BITS 12                /* LoomFrontendOps.page_bits */

typedef struct AccEnv {
    uint64_t acc, pc, epc, ie;      /* IR globals */
    uint32_t irq_level;             /* atomic, see above */
    uint32_t stopped;               /* a fault stopped the machine */
} AccEnv;

static LoomIRTemp cpu_acc, cpu_pc, cpu_epc, cpu_ie;

static AccEnv *acc_env(LoomCPU *cpu)
{
    return loom_cpu_env(cpu);
}

/* Stop the machine after a guest error: the vCPU sleeps until it ends. */
static void __attribute__((noreturn)) acc_stop(LoomCPU *cpu, const char *what, uint64_t val)
{
    fprintf(stderr, "acc: pc 0x%llx: %s 0x%llx: the machine stops\n",
            (unsigned long long)acc_env(cpu)->pc, what, (unsigned long long)val);
    acc_env(cpu)->stopped = 1;
    loom_machine_shutdown(cpu->machine, 1);
    loom_cpu_halt(cpu);
}

static uint64_t helper_illegal(void *env, uint64_t insn, uint64_t a1, uint64_t a2, uint64_t a3,
                               uint64_t a4, uint64_t a5)
{
    acc_stop(loom_env_cpu(env), "illegal instruction", insn);
}

static uint64_t helper_wait(void *env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4, uint64_t a5)
{
    loom_cpu_halt(loom_env_cpu(env));
}

static const LoomIRHelper illegal_helper = { helper_illegal, "illegal", 0 };
static const LoomIRHelper wait_helper = { helper_wait, "wait", 0 };

/* Leave the TB for dest: chained within the TB's page, else looked up. */
static void gen_goto(LoomDisasBase *db, unsigned slot, uint64_t dest)
{
    if ((dest >> ACC_PAGE_BITS) == (db->pc_first >> ACC_PAGE_BITS)) {
        loom_ir_gen_goto_tb(db->ir, slot);
        loom_ir_gen_movi_i64(db->ir, cpu_pc, dest);
        loom_ir_gen_exit_tb(db->ir, slot);
    } else {
        loom_ir_gen_movi_i64(db->ir, cpu_pc, dest);
        loom_ir_gen_lookup_and_goto(db->ir);
    }
}

static void acc_translate_insn(LoomDisasBase *db, LoomCPU *cpu)
{
    LoomIRContext *ir = db->ir;
    uint64_t pc = db->pc_next, next = pc + 4;
    uint32_t insn = loom_translator_ldl(cpu, db, pc);
    uint64_t n = insn >> 8;
    int64_t imm = (int64_t)(int32_t)insn >> 8;
    LoomIRTemp t = loom_ir_temp_new_i64(ir);
    LoomIRLabel skip;

    db->pc_next = next;
    switch (insn & 0xff) {
    case 0x01:                                          /* LDI */
        loom_ir_gen_movi_i64(ir, cpu_acc, (uint32_t)imm);
        return;
    case 0x02:                                          /* LD */
        loom_ir_gen_qemu_ld_i64(ir, cpu_acc, loom_ir_const_i64(ir, n), LOOM_MEM_UL, 0);
        return;
    case 0x03:                                          /* ST */
        loom_ir_gen_qemu_st_i64(ir, cpu_acc, loom_ir_const_i64(ir, n), LOOM_MEM_UL, 0);
        return;
    case 0x04:                                          /* STB */
        loom_ir_gen_qemu_st_i64(ir, cpu_acc, loom_ir_const_i64(ir, n), LOOM_MEM_UB, 0);
        return;
    case 0x05:                                          /* ADDI */
        loom_ir_gen_addi_i64(ir, cpu_acc, cpu_acc, imm);
        loom_ir_gen_ext32u_i64(ir, cpu_acc, cpu_acc);
        return;
    case 0x06:                                          /* ADD */
    case 0x07:                                          /* SUB */
        loom_ir_gen_qemu_ld_i64(ir, t, loom_ir_const_i64(ir, n), LOOM_MEM_UL, 0);
        if ((insn & 0xff) == 0x06) {
            loom_ir_gen_add_i64(ir, cpu_acc, cpu_acc, t);
        } else {
            loom_ir_gen_sub_i64(ir, cpu_acc, cpu_acc, t);
        }
        loom_ir_gen_ext32u_i64(ir, cpu_acc, cpu_acc);
        return;
    case 0x08:                                          /* JMP */
        gen_goto(db, 0, n);
        break;
    case 0x09:                                          /* JZ */
    case 0x0a:                                          /* JNZ */
        skip = loom_ir_label_new(ir);
        loom_ir_gen_brcond_i64(ir, (insn & 0xff) == 0x09 ? LOOM_IR_COND_NE : LOOM_IR_COND_EQ,
                          cpu_acc, loom_ir_const_i64(ir, 0), skip);
        gen_goto(db, 1, n);
        loom_ir_gen_set_label(ir, skip);
        gen_goto(db, 0, next);
        break;
    case 0x0b:                                          /* WAIT */
        loom_ir_gen_movi_i64(ir, cpu_pc, next);
        loom_ir_gen_call(ir, &wait_helper, LOOM_IR_NO_RET, 0, NULL);
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);              /* not reached */
        break;
    case 0x0c:                                          /* EI */
    case 0x0d:                                          /* RETI */
        /* interrupts may now be taken: back to the core's loop */
        loom_ir_gen_movi_i64(ir, cpu_ie, 1);
        if ((insn & 0xff) == 0x0c) {
            loom_ir_gen_movi_i64(ir, cpu_pc, next);
        } else {
            loom_ir_gen_mov_i64(ir, cpu_pc, cpu_epc);
        }
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);
        break;
    default:
        loom_ir_gen_movi_i64(ir, cpu_pc, pc);
        loom_ir_gen_call(ir, &illegal_helper, LOOM_IR_NO_RET, 1,
                    (LoomIRTemp[]){ loom_ir_const_i64(ir, insn) });
        loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);              /* not reached */
        break;
    }
    db->is_jmp = LOOM_DISAS_NORETURN;
}

static void acc_init_disas_context(LoomDisasBase *db, LoomCPU *cpu)
{
}

/* One word per insn (insn_start_words = 1): its pc, for restore_state. */
static void acc_insn_start(LoomDisasBase *db, LoomCPU *cpu)
{
    uint64_t pc = db->pc_next;

    loom_ir_gen_insn_start_n(db->ir, 1, &pc);
}

static void acc_tb_stop(LoomDisasBase *db, LoomCPU *cpu)
{
    if (db->is_jmp != LOOM_DISAS_NORETURN) {            /* insn or page limit */
        gen_goto(db, 0, db->pc_next);
    }
}

static const LoomTranslatorOps acc_translator_ops = {
    .init_disas_context = acc_init_disas_context,
    .insn_start = acc_insn_start,
    .translate_insn = acc_translate_insn,
    .tb_stop = acc_tb_stop,
};

static void acc_translate(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns)
{
    LoomDisasBase db;

    loom_translator_loop(&acc_translator_ops, &db, cpu, ir, tb, max_insns);
}

static void acc_global_init(void)
{
    cpu_acc = loom_ir_global_i64(offsetof(AccEnv, acc), "acc");
    cpu_pc = loom_ir_global_i64(offsetof(AccEnv, pc), "pc");
    cpu_epc = loom_ir_global_i64(offsetof(AccEnv, epc), "epc");
    cpu_ie = loom_ir_global_i64(offsetof(AccEnv, ie), "ie");
}

static bool acc_cpu_init(LoomCPU *cpu, const char *model, char **err)
{
    if (model && strcmp(model, "acc")) {
        /* the core g_free()s *err; g_free is free() (GLib >= 2.46) */
        const char *fmt = "unknown CPU model '%s': the acc front-end has one, acc";
        size_t len = strlen(fmt) + strlen(model);
        *err = malloc(len);
        snprintf(*err, len, fmt, model);
        return false;
    }
    return true;
}

static void acc_cpu_reset(LoomCPU *cpu)
{
    AccEnv *env = acc_env(cpu);

    env->acc = env->pc = env->epc = env->ie = 0;
    env->stopped = 0;
}

static void acc_boot_cpu(LoomCPU *cpu, const LoomBootInfo *bi)
{
    acc_env(cpu)->pc = bi->entry;
}

static void acc_get_tb_cpu_state(LoomCPU *cpu, uint64_t *pc, uint64_t *flags, uint64_t *flags2)
{
    *pc = acc_env(cpu)->pc;
    *flags = 0;
    *flags2 = 0;
}

static int acc_mmu_index(LoomCPU *cpu, bool ifetch)
{
    return 0;
}

static void acc_restore_state(LoomCPU *cpu, const uint64_t *data)
{
    acc_env(cpu)->pc = data[0];
}

static bool acc_cpu_has_work(LoomCPU *cpu)
{
    AccEnv *env = acc_env(cpu);

    /* relaxed: the level is the only thing set_irq publishes */
    return !env->stopped && __atomic_load_n(&env->irq_level, __ATOMIC_RELAXED);
}

static bool acc_exec_interrupt(LoomCPU *cpu)
{
    AccEnv *env = acc_env(cpu);

    if (!env->ie || !acc_cpu_has_work(cpu)) {
        return false;
    }
    env->epc = env->pc;
    env->pc = ACC_VECTOR;
    env->ie = 0;
    return true;
}

static void acc_do_interrupt(LoomCPU *cpu)
{
    cpu->exception_index = LOOM_EXCP_NONE;              /* acc raises none */
}

static void acc_set_irq(LoomCPU *cpu, int line, int level)
{
    __atomic_store_n(&acc_env(cpu)->irq_level, level != 0, __ATOMIC_RELAXED);
    if (level) {
        loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
    }
}

static bool acc_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access, int mmu_idx,
                         bool probe, uintptr_t ra)
{
    uint64_t page = vaddr & ~((UINT64_C(1) << ACC_PAGE_BITS) - 1);

    /* identity-mapped, everything allowed */
    loom_tlb_set_page(cpu, page, page, LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC,
                      mmu_idx, UINT64_C(1) << ACC_PAGE_BITS);
    return true;
}

static void acc_do_unaligned_access(LoomCPU *cpu, uint64_t vaddr, int access, int mmu_idx,
                                    uintptr_t ra)
{
    loom_cpu_restore_state(cpu, ra);
    acc_stop(cpu, "misaligned access at", vaddr);
}

static void acc_do_transaction_failed(LoomCPU *cpu, uint64_t paddr, uint64_t vaddr,
                                      int access, int mmu_idx, uintptr_t ra)
{
    loom_cpu_restore_state(cpu, ra);
    acc_stop(cpu, "no RAM or device at", paddr);
}

static void acc_dump_state(LoomCPU *cpu, FILE *f)
{
    AccEnv *env = acc_env(cpu);

    fprintf(f, "pc %08llx acc %08llx epc %08llx ie %llu\n", (unsigned long long)env->pc,
            (unsigned long long)env->acc, (unsigned long long)env->epc,
            (unsigned long long)env->ie);
}

static const char *const acc_irq_lines[] = { "irq", NULL };

static const LoomFrontendOps acc_ops = {
    .supports_mttcg = false,            /* one thread runs every vCPU */
    .guest_default_mo = LOOM_MO_ALL,
    .max_atomic_bits = 32,
    .insn_start_words = 1,              /* the pc */
    .env_size = sizeof(AccEnv),
    .page_bits = ACC_PAGE_BITS,
    .max_insn_bytes = 4,                /* every instruction is one word */
    .nb_mmu_modes = 1,
    .default_cpu = "acc",
    .isa_name = "acc",
    .irq_lines = acc_irq_lines,
    .global_init = acc_global_init,
    .cpu_init = acc_cpu_init,
    .cpu_reset = acc_cpu_reset,
    .boot_cpu = acc_boot_cpu,
    .get_tb_cpu_state = acc_get_tb_cpu_state,
    .mmu_index = acc_mmu_index,
    .translate = acc_translate,
    .restore_state = acc_restore_state,
    .cpu_has_work = acc_cpu_has_work,
    .exec_interrupt = acc_exec_interrupt,
    .do_interrupt = acc_do_interrupt,
    .tlb_fill = acc_tlb_fill,
    .do_unaligned_access = acc_do_unaligned_access,
    .do_transaction_failed = acc_do_transaction_failed,
    .set_irq = acc_set_irq,
    .dump_state = acc_dump_state,
    .insn_align_bits = 2,               /* a raw or ELF entry on a word */
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_FRONTEND, "acc", "1.0", "MIT",
                   "example accumulator ISA (examples/acc)", &acc_ops);
