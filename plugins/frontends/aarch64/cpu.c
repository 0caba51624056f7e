/*
 * aarch64 front-end: the plugin descriptor and the hooks through which the
 * core drives a vCPU (model, reset, boot, interrupts, faults, state dump).
 *
 * Scope: A64 integer instructions, EL0 and EL1 in AArch64 (no EL2, EL3 or
 * AArch32), the ARMv8.1 atomics, PAN and LDAPR on -cpu max, VMSAv8-64
 * stage 1 with the 4 KiB granule (mmu.c), PSCI (psci.c) and semihosting
 * (semihost.c).  No FP or AdvSIMD yet.
 */
#include <elf.h>
#include <string.h>
#include <glib.h>
#include "cpu.h"

#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif

/* The models -cpu accepts. */
static const ARMModel arm_models[] = {
    /* everything loom implements: ARMv8.0 plus LSE, PAN, LDAPR, CRC32;
       implementer 0 (reserved for software use), part 0x4c4 */
    { "max", NULL, 0x000f4c40ull, true, true, true, true },
    /* ARMv8.0: no LSE, PAN or LDAPR (r1p0) */
    { "cortex-a57", "arm,cortex-a57", 0x411fd070ull, false, true, false, false },
};

bool aarch64_env_sanity(const ARMEnv *env)
{
    return env->el <= 1 && env->spsel <= 1 && (env->daif & ~PSTATE_DAIF) == 0 &&
           env->cf <= 1 && env->model != NULL;
}

/* ---- model, reset, boot ---- */

static bool aarch64_cpu_init(LoomCPU *cpu, const char *model, char **err)
{
    ARMEnv *env = arm_env(cpu);
    const ARMModel *m = NULL;
    g_auto(GStrv) parts = g_strsplit(model ? model : "max", ",", -1);

    for (size_t i = 0; parts[0] && i < G_N_ELEMENTS(arm_models); i++) {
        if (strcmp(parts[0], arm_models[i].name) == 0) {
            m = &arm_models[i];
        }
    }
    if (!m) {
        *err = g_strdup_printf("unknown aarch64 CPU model '%s': use max or cortex-a57",
                               parts[0] ? parts[0] : "");
        return false;
    }
    for (size_t i = 1; parts[i]; i++) {
        if (parts[i][0]) {
            *err = g_strdup_printf("aarch64 CPU model '%s' has no property '%s': "
                                   "write -cpu %s", m->name, parts[i], m->name);
            return false;
        }
    }
    memset(env, 0, sizeof(*env));
    env->model = m;
    /* MPIDR: RES1 bit 31; Aff0 = the vCPU index (Aff1 above 255) */
    env->mpidr = 1ull << 31 | (cpu->cpu_index & 0xff) | (uint64_t)(cpu->cpu_index >> 8) << 8;
    return true;
}

/* Registers and PSTATE as reset leaves them (EL1h, everything masked,
   MMU off); the power state and the interrupt lines are left alone. */
static void reset_regs(ARMEnv *env)
{
    memset(env->x, 0, sizeof(env->x));
    memset(env->vreg, 0, sizeof(env->vreg));
    env->sp = 0;
    env->sp_el[0] = env->sp_el[1] = 0;
    env->pc = 0;
    arm_set_nzcv(env, 0);
    env->excl_addr = ~0ull;
    env->excl_val = env->excl_hi = 0;
    env->el = 1;
    env->spsel = 1;
    env->daif = PSTATE_DAIF;
    env->pan = 0;
    env->il = 0;
    env->excp_esr = env->excp_far = 0;
    env->excp_has_far = 0;
    aarch64_sysreg_reset(env);
}

/* vCPU 0 runs from reset; the others wait, off, for PSCI CPU_ON. */
void aarch64_cpu_power_reset(ARMEnv *env)
{
    __atomic_store_n(&env->power, loom_env_cpu(env)->cpu_index == 0 ? POWER_ON : POWER_OFF,
                     __ATOMIC_RELEASE);
}

static void aarch64_cpu_reset(LoomCPU *cpu)
{
    ARMEnv *env = arm_env(cpu);

    reset_regs(env);
    aarch64_cpu_power_reset(env);
    cpu->exception_index = LOOM_EXCP_NONE;
    assert(aarch64_env_sanity(env));
}

/* CPU_ON arrived (owner thread): start at psci_entry, x0 = psci_context,
   EL1h with everything masked and the MMU off. */
void aarch64_power_on_self(ARMEnv *env)
{
    LoomCPU *cpu = loom_env_cpu(env);
    uint64_t entry = env->psci_entry, context = env->psci_context;

    reset_regs(env);
    loom_tlb_flush(cpu);
    env->pc = entry;
    env->x[0] = context;
    __atomic_store_n(&env->power, POWER_ON, __ATOMIC_RELEASE);
}

/*
 * Boot protocol (Linux's arm64 booting.rst, as QEMU's virt board does it
 * without firmware): vCPU 0 starts at EL1h, MMU off, interrupts masked,
 * with x0 = the device tree's address and x1..x3 = 0; the others are off
 * until PSCI CPU_ON.  A raw arm64 Image runs at a 2 MiB aligned base plus
 * its header's text_offset, with image_size bytes of RAM from there.  The
 * device tree goes at the top of RAM, 2 MiB aligned (the kernel maps it
 * with 2 MiB blocks), and -initrd right below it.
 */
#define ARM_BOOT_FDT_ALIGN (UINT64_C(2) << 20)
#define ARM_BOOT_INITRD_ALIGN UINT64_C(4096)
#define ARM_IMAGE_ALIGN (UINT64_C(2) << 20)
#define ARM_IMAGE_MAGIC 0x644d5241u         /* "ARM\x64" */
#define ARM_IMAGE_OLD_TEXT_OFFSET 0x80000u  /* image_size 0: before Linux 3.17 */

typedef struct ImageLayout {
    uint64_t dest;              /* where the Image must run */
    uint64_t size;              /* RAM it needs from dest */
} ImageLayout;

/* A raw -kernel with an arm64 Image header (no -bios): where it goes. */
static bool image_layout(const LoomBootInfo *bi, ImageLayout *l)
{
    uint8_t h[64];
    FILE *f;
    size_t n;
    uint64_t text_offset, image_size;
    uint32_t magic;

    if (!bi->kernel || bi->firmware || bi->kernel_start != bi->kernel_addr) {
        return false;
    }
    f = fopen(bi->kernel, "rb");
    if (!f) {
        return false;
    }
    n = fread(h, 1, sizeof(h), f);
    fclose(f);
    if (n < sizeof(h) || !memcmp(h, ELFMAG, SELFMAG)) {
        return false;
    }
    memcpy(&magic, h + 56, 4);
    memcpy(&text_offset, h + 8, 8);
    memcpy(&image_size, h + 16, 8);
    magic = GUINT32_FROM_LE(magic);
    text_offset = GUINT64_FROM_LE(text_offset);
    image_size = GUINT64_FROM_LE(image_size);
    if (magic != ARM_IMAGE_MAGIC) {
        return false;
    }
    if (image_size == 0) {
        text_offset = ARM_IMAGE_OLD_TEXT_OFFSET;
    }
    l->dest = ((bi->kernel_addr - text_offset + ARM_IMAGE_ALIGN - 1) & ~(ARM_IMAGE_ALIGN - 1)) +
              text_offset;
    if (l->dest < bi->kernel_addr) {
        l->dest += ARM_IMAGE_ALIGN;
    }
    l->size = MAX(image_size, bi->kernel_end - bi->kernel_start);
    return true;
}

static bool aarch64_boot_place(LoomBootInfo *bi, char **err)
{
    ImageLayout l;
    uint64_t low;

    if (!loom_boot_place_top(bi, ARM_BOOT_FDT_ALIGN, 0, ARM_BOOT_INITRD_ALIGN, err)) {
        return false;
    }
    if (!image_layout(bi, &l)) {
        return true;
    }
    low = bi->initrd_size ? MIN(bi->fdt_addr, bi->initrd_addr) : bi->fdt_addr;
    if (l.dest + l.size > low) {
        *err = g_strdup_printf("the arm64 Image needs 0x%" PRIx64 " bytes of RAM from 0x%" PRIx64
                               ", which overlaps the device tree or initrd at 0x%" PRIx64
                               ": raise -m", l.size, l.dest, low);
        return false;
    }
    return true;
}

static void aarch64_boot_cpu(LoomCPU *cpu, const LoomBootInfo *bi)
{
    ARMEnv *env = arm_env(cpu);
    ImageLayout l;

    reset_regs(env);
    aarch64_cpu_power_reset(env);
    if (cpu->cpu_index != 0) {
        /* off until CPU_ON (boot runs while no vCPU thread runs) */
        __atomic_store_n(&cpu->halted, 1, __ATOMIC_SEQ_CST);
        return;
    }
    env->pc = bi->entry;
    env->x[0] = bi->fdt_addr;
    if (image_layout(bi, &l) && l.dest != bi->kernel_addr) {
        /* move the Image up to its text offset (the ranges may overlap) */
        uint64_t len = bi->kernel_end - bi->kernel_start;
        void *buf = g_malloc(len);

        if (loom_dma_rw(cpu->machine, bi->kernel_addr, buf, len, false)) {
            loom_dma_rw(cpu->machine, l.dest, buf, len, true);
        }
        g_free(buf);
        env->pc = l.dest;
    }
}

/* ---- execution state ---- */

static void aarch64_get_tb_cpu_state(LoomCPU *cpu, uint64_t *pc, uint64_t *flags,
                                     uint64_t *flags2)
{
    ARMEnv *env = arm_env(cpu);

    *pc = env->pc;
    *flags = env->el | (uint64_t)arm_data_mmu_idx(env) << TB_FLAGS_MMU_SHIFT |
             ((env->sctlr & SCTLR_A) ? TB_FLAGS_ALIGN : 0) | (env->il ? TB_FLAGS_IL : 0) |
             (arm_fp_enabled(env) ? TB_FLAGS_FPEN : 0) |
             ((env->sctlr & (env->el ? SCTLR_SA : SCTLR_SA0)) ? TB_FLAGS_SP_ALIGN : 0) |
             ((env->tcr >> 37) & 3) << 8;   /* TBI0, TBI1 */
    *flags2 = 0;
}

static int aarch64_mmu_index(LoomCPU *cpu, bool ifetch)
{
    ARMEnv *env = arm_env(cpu);

    return ifetch ? (int)env->el : arm_data_mmu_idx(env);
}

/* data[0] = pc, data[1] = INSN_FLAG_* */
static void aarch64_restore_state(LoomCPU *cpu, const uint64_t *data)
{
    arm_env(cpu)->pc = data[0];
    arm_env(cpu)->excp_insn_flags = (uint32_t)data[1];
}

/* ---- interrupts ---- */

static bool aarch64_cpu_has_work(LoomCPU *cpu)
{
    ARMEnv *env = arm_env(cpu);

    switch (__atomic_load_n(&env->power, __ATOMIC_ACQUIRE)) {
    case POWER_ON:
        return __atomic_load_n(&env->irq_pending, __ATOMIC_ACQUIRE) != 0;
    case POWER_ON_PENDING:
        return true;
    default:
        return false;
    }
}

/*
 * LOOM_INTERRUPT_HARD protocol: set_irq raises it when a line goes up
 * (and CPU_ON when it starts a vCPU); the core keeps it set while
 * cpu_has_work and calls this hook between TBs.  FIQ before IRQ.
 */
static bool aarch64_exec_interrupt(LoomCPU *cpu)
{
    ARMEnv *env = arm_env(cpu);
    uint32_t lines;

    switch (__atomic_load_n(&env->power, __ATOMIC_ACQUIRE)) {
    case POWER_ON:
        break;
    case POWER_ON_PENDING:
        aarch64_power_on_self(env);
        return true;
    default:
        return false;
    }
    lines = __atomic_load_n(&env->irq_pending, __ATOMIC_ACQUIRE);
    if ((lines & (1u << ARM_FIQ_LINE)) && !(env->daif & PSTATE_F)) {
        aarch64_take_exception(env, VEC_FIQ, false);
        return true;
    }
    if ((lines & (1u << ARM_IRQ_LINE)) && !(env->daif & PSTATE_I)) {
        aarch64_take_exception(env, VEC_IRQ, false);
        return true;
    }
    return false;
}

static void aarch64_do_interrupt(LoomCPU *cpu)
{
    if (cpu->exception_index == EXCP_SYNC) {
        aarch64_take_exception(arm_env(cpu), VEC_SYNC, true);
    }
    cpu->exception_index = LOOM_EXCP_NONE;
}

static const char *const aarch64_irq_lines[] = { "irq", "fiq", NULL };

/* Device side (BQL held): irq_pending is shared with the vCPU. */
static void aarch64_set_irq(LoomCPU *cpu, int line, int level)
{
    ARMEnv *env = arm_env(cpu);
    uint32_t bit, old;

    if (line != ARM_IRQ_LINE && line != ARM_FIQ_LINE) {
        return;
    }
    bit = 1u << line;
    if (level) {
        old = __atomic_fetch_or(&env->irq_pending, bit, __ATOMIC_ACQ_REL);
        if (!(old & bit)) {
            loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
        }
    } else {
        __atomic_fetch_and(&env->irq_pending, ~bit, __ATOMIC_ACQ_REL);
    }
}

/* ---- memory faults ---- */

static void aarch64_do_unaligned_access(LoomCPU *cpu, uint64_t vaddr, int access,
                                        int mmu_idx UNUSED, uintptr_t ra)
{
    aarch64_data_abort(cpu, vaddr, access, FSC_ALIGNMENT, ra);
}

static void aarch64_do_transaction_failed(LoomCPU *cpu, uint64_t paddr UNUSED, uint64_t vaddr,
                                          int access, int mmu_idx UNUSED, uintptr_t ra)
{
    aarch64_data_abort(cpu, vaddr, access, FSC_SYNC_EXTERNAL, ra);
}

/* ---- state dump ---- */

static void aarch64_dump_state(LoomCPU *cpu, FILE *f)
{
    ARMEnv *env = arm_env(cpu);
    uint32_t ps = aarch64_pstate(env);

    fprintf(f, "cpu %u  pc %016" PRIx64 "  EL%u%c  NZCV %c%c%c%c  DAIF %x\n", cpu->cpu_index,
            env->pc, env->el, env->spsel ? 'h' : 't', (ps & PSTATE_N) ? 'N' : '-',
            (ps & PSTATE_Z) ? 'Z' : '-', (ps & PSTATE_C) ? 'C' : '-', (ps & PSTATE_V) ? 'V' : '-',
            env->daif >> 6);
    for (int i = 0; i < 31; i++) {
        fprintf(f, "x%-2d %016" PRIx64 "%s", i, env->x[i], (i % 4) == 3 ? "\n" : "  ");
    }
    fprintf(f, "sp  %016" PRIx64 "\n", env->sp);
    fprintf(f, "ELR %016" PRIx64 "  SPSR %08" PRIx64 "  ESR %08" PRIx64 "  FAR %016" PRIx64 "\n",
            env->elr, env->spsr, env->esr, env->far);
    fprintf(f, "SCTLR %016" PRIx64 "  VBAR %016" PRIx64 "  TCR %016" PRIx64 "\n",
            env->sctlr, env->vbar, env->tcr);
}

static void aarch64_global_init(void)
{
    aarch64_translate_init();
    aarch64_gdb_init();
}

static const LoomFrontendOps aarch64_frontend_ops = {
    .supports_mttcg = true,
    .guest_default_mo = 0,              /* weakly ordered: no implicit order */
    .max_atomic_bits = 128,             /* CASP, LDXP/STXP of two X registers */
    .insn_start_words = 2,
    .env_size = sizeof(ARMEnv),
    .page_bits = ARM_PAGE_BITS,
    .max_insn_bytes = 4,
    .nb_mmu_modes = MMU_IDX_COUNT,      /* cpu.h MMU_IDX_* */
    .default_cpu = "max",
    .isa_name = "AArch64",
    .irq_lines = aarch64_irq_lines,
    .fdt_cpu_phandles = 0,              /* the GIC is one device for every CPU */
    .elf_machine = EM_AARCH64,
    .insn_align_bits = 2,

    .global_init = aarch64_global_init,
    .cpu_init = aarch64_cpu_init,
    .cpu_reset = aarch64_cpu_reset,
    .boot_place = aarch64_boot_place,
    .boot_cpu = aarch64_boot_cpu,
    .get_tb_cpu_state = aarch64_get_tb_cpu_state,
    .mmu_index = aarch64_mmu_index,
    .translate = aarch64_translate,
    .restore_state = aarch64_restore_state,
    .cpu_has_work = aarch64_cpu_has_work,
    .exec_interrupt = aarch64_exec_interrupt,
    .do_interrupt = aarch64_do_interrupt,
    .tlb_fill = aarch64_tlb_fill,
    .do_unaligned_access = aarch64_do_unaligned_access,
    .do_transaction_failed = aarch64_do_transaction_failed,
    .set_irq = aarch64_set_irq,
    .dump_state = aarch64_dump_state,
    .fdt_cpu = aarch64_fdt_cpu,
    .gdb_xml = aarch64_gdb_xml,
    .gdb_read_reg = aarch64_gdb_read_reg,
    .gdb_write_reg = aarch64_gdb_write_reg,
    .debug_translate = aarch64_debug_translate,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_FRONTEND, "aarch64", "0.1", "MIT",
                   "AArch64 guest (A64 integer, FP, AdvSIMD, LSE, EL0/EL1, VMSAv8-64 stage 1, PSCI)",
                   &aarch64_frontend_ops);
