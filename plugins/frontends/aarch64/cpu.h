/*
 * aarch64 front-end: the private per-vCPU state (ARMEnv), PSTATE and
 * system-register fields, exception classes and the functions the
 * front-end's files share.
 *
 * Threading: an ARMEnv lives inside its LoomCPU and belongs to the vCPU's
 * thread (the owner).  Exceptions, each marked at its field: `irq_pending`
 * (devices set it, BQL held) and the PSCI power state (`power`,
 * `psci_entry`, `psci_context`: another vCPU's CPU_ON writes them).
 */
#ifndef AARCH64_CPU_H
#define AARCH64_CPU_H

#include <assert.h>
#include <inttypes.h>
#include <stddef.h>
#include <loom/loom.h>
#include <loom/arm.h>
#include <loom/timebase.h>

/* For parameters a hook or helper signature imposes but we do not use. */
#define UNUSED __attribute__((unused))

/* Translation granule of the TLB (the 4 KiB granule; 16K and 64K
   translations are entered as 4 KiB pages of a larger mapping). */
#define ARM_PAGE_BITS 12
#define ARM_PAGE_SIZE (UINT64_C(1) << ARM_PAGE_BITS)
#define ARM_PAGE_MASK (~(ARM_PAGE_SIZE - 1))

/*
 * MMU indexes: instruction fetch uses the exception level (EL0, EL1);
 * data accesses at EL1 with PSTATE.PAN set use EL1_PAN (EL0-accessible
 * pages are not readable or writable there).  Unprivileged loads and
 * stores (LDTR/STTR) at EL1 use EL0.
 */
enum {
    MMU_IDX_EL0 = 0,
    MMU_IDX_EL1 = 1,
    MMU_IDX_EL1_PAN = 2,
    MMU_IDX_COUNT = 3,
};

/* TLB tags (loom_tlb_set_page_tag, mmu.c): the ASID, or this bit for
   global mappings, which a flush by ASID (mask ARM_TLB_TAG_MASK, helper.c)
   never names */
#define ARM_TLB_TAG_GLOBAL (1ull << 16)
#define ARM_TLB_TAG_MASK (ARM_TLB_TAG_GLOBAL | 0xffffull)

/* TB flags (the TB key besides pc). */
/* insn_start's second word: what the insn is, for its faults */
#define INSN_FLAG_RMW 1u                /* an atomic read-modify-write (LSE) */

#define TB_FLAGS_EL_MASK 0x3u           /* PSTATE.EL */
#define TB_FLAGS_MMU_SHIFT 2            /* MMU index of data accesses */
#define TB_FLAGS_MMU_MASK (0x3u << TB_FLAGS_MMU_SHIFT)
#define TB_FLAGS_ALIGN (1u << 4)        /* SCTLR_EL1.A: check alignment */
#define TB_FLAGS_IL (1u << 5)           /* PSTATE.IL: illegal execution state */
#define TB_FLAGS_FPEN (1u << 6)         /* CPACR_EL1.FPEN lets this EL use FP/SIMD */
#define TB_FLAGS_SP_ALIGN (1u << 7)     /* SCTLR_EL1.SA (EL1) or SA0 (EL0): check SP bases */
#define TB_FLAGS_TBI0 (1u << 8)         /* TCR_EL1.TBI0: branches clear the tag */
#define TB_FLAGS_TBI1 (1u << 9)         /* TCR_EL1.TBI1: branches set it to ones */

/* PSTATE bits as SPSR holds them */
#define PSTATE_N (1u << 31)
#define PSTATE_Z (1u << 30)
#define PSTATE_C (1u << 29)
#define PSTATE_V (1u << 28)
#define PSTATE_PAN (1u << 22)
#define PSTATE_IL (1u << 20)
#define PSTATE_D (1u << 9)
#define PSTATE_A (1u << 8)
#define PSTATE_I (1u << 7)
#define PSTATE_F (1u << 6)
#define PSTATE_DAIF (PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F)
#define PSTATE_M_EL0T 0x0u
#define PSTATE_M_EL1T 0x4u
#define PSTATE_M_EL1H 0x5u

/* SCTLR_EL1 */
#define SCTLR_M (1ull << 0)
#define SCTLR_A (1ull << 1)
#define SCTLR_SA (1ull << 3)
#define SCTLR_SA0 (1ull << 4)
#define SCTLR_UMA (1ull << 9)
#define SCTLR_DZE (1ull << 14)
#define SCTLR_UCT (1ull << 15)
#define SCTLR_NTWI (1ull << 16)
#define SCTLR_NTWE (1ull << 18)
#define SCTLR_WXN (1ull << 19)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_UCI (1ull << 26)
/* the RES1 bits of ARMv8.0, and the reset value */
#define SCTLR_RESET 0x30d00800ull

/* Exception classes (ESR_ELx.EC) */
enum {
    EC_UNKNOWN = 0x00,
    EC_WFX = 0x01,
    EC_FP_ACCESS = 0x07,
    EC_ILLEGAL_STATE = 0x0e,
    EC_SVC64 = 0x15,
    EC_HVC64 = 0x16,
    EC_SMC64 = 0x17,
    EC_SYSREG = 0x18,
    EC_IABT_LOWER = 0x20,
    EC_IABT_SAME = 0x21,
    EC_PC_ALIGN = 0x22,
    EC_DABT_LOWER = 0x24,
    EC_DABT_SAME = 0x25,
    EC_SP_ALIGN = 0x26,
    EC_BRK64 = 0x3c,
};
#define ESR_IL (1u << 25)
#define ESR_EC_SHIFT 26
static inline uint32_t esr_make(unsigned ec, uint32_t iss)
{
    return (uint32_t)ec << ESR_EC_SHIFT | ESR_IL | (iss & 0x1ffffffu);
}

/* Fault status codes (DFSC/IFSC) */
enum {
    FSC_ADDR_SIZE = 0x00,       /* + level */
    FSC_TRANSLATION = 0x04,     /* + level */
    FSC_ACCESS_FLAG = 0x08,     /* + level */
    FSC_PERMISSION = 0x0c,      /* + level */
    FSC_SYNC_EXTERNAL = 0x10,
    FSC_WALK_EXTERNAL = 0x14,   /* + level: on a translation table walk */
    FSC_ALIGNMENT = 0x21,
};
#define ISS_WNR (1u << 6)

/* cpu->exception_index values (below LOOM_EXCP_INTERRUPT) */
enum {
    EXCP_SYNC = 1,              /* synchronous exception to EL1: excp_esr, excp_far */
};

/* Exception vector offsets from VBAR_EL1 */
enum {
    VEC_SYNC = 0x000,
    VEC_IRQ = 0x080,
    VEC_FIQ = 0x100,
    VEC_SERROR = 0x180,
};

/* Interrupt input lines (irq_lines order) */
enum { ARM_IRQ_LINE = 0, ARM_FIQ_LINE = 1 };

/* PSCI power state of a vCPU (atomic: see ARMEnv.power) */
enum {
    POWER_ON = 0,
    POWER_OFF = 1,
    POWER_CLAIMED = 2,          /* a CPU_ON is filling psci_entry/context */
    POWER_ON_PENDING = 3,       /* CPU_ON done: the vCPU starts at psci_entry */
    POWER_STOPPED = 4,          /* SYSTEM_OFF/RESET or semihosting exit: never runs again */
};

/* The sysreg providers other plugins publish (include/loom/arm.h) */
enum { PROV_TIMER = 0, PROV_GICV3 = 1, PROV_COUNT = 2 };

/* -cpu model features */
typedef struct ARMModel {
    const char *name;
    const char *compatible;     /* device-tree compatible besides arm,armv8 */
    uint64_t midr;
    bool lse;                   /* ARMv8.1 atomics (CAS, LDADD...) */
    bool crc32;
    bool pan;                   /* ARMv8.1 PAN */
    bool rcpc;                  /* ARMv8.3 LDAPR */
} ARMModel;

/*
 * Per-vCPU state.  x[0..30], sp, pc, the four flag words and the
 * exclusive monitor are IR globals (64-bit fields at fixed offsets, see
 * aarch64_translate_init); translated code keeps them in host registers
 * between helper calls, so helpers that read or write them are declared
 * without LOOM_IR_CALL_NO_*_GLOBALS.
 *
 * Flags (NZCV), kept in the form that is cheapest to produce:
 *   N = bit 63 of nf (a 32-bit op stores its result sign-extended)
 *   Z = (zf == 0)     (a 32-bit op stores its result zero-extended)
 *   C = cf, which is 0 or 1
 *   V = bit 63 of vf  (a 32-bit op shifts its overflow bit up there)
 *
 * SP: `sp` is the stack pointer PSTATE selects (SP_EL0 at EL0 or with
 * SPSel = 0, else SP_EL1); the other one waits in sp_el[].  Anything that
 * changes EL or SPSel goes through aarch64_set_el_spsel.
 *
 * Invariants (aarch64_env_sanity): el is 0 or 1; spsel is 0 or 1; daif
 * has only DAIF bits; cf is 0 or 1.
 */
typedef struct ARMEnv {
    uint64_t x[31];
    uint64_t sp;
    uint64_t pc;
    uint64_t nf, zf, cf, vf;

    /* the SIMD&FP registers V0-V31: vreg[n][0] bits 63:0, [1] bits
       127:64; lane i of size b bytes at byte offset i * b (little-endian
       hosts only, checked below) */
    uint64_t vreg[32][2] __attribute__((aligned(16)));

    /* exclusive monitor: address (-1 = open), the values LDXR/LDXP loaded */
    uint64_t excl_addr;
    uint64_t excl_val;
    uint64_t excl_hi;

    uint64_t sp_el[2];          /* SP_EL0, SP_EL1 while not selected */
    uint32_t el;                /* PSTATE.EL: 0 or 1 */
    uint32_t spsel;             /* PSTATE.SP */
    uint32_t daif;              /* PSTATE.{D,A,I,F} at bits 9:6 */
    uint32_t pan;               /* PSTATE.PAN */
    uint32_t il;                /* PSTATE.IL */
    uint32_t pad0;

    /* INSN_FLAG_* of the insn whose state was last restored (its second
       insn_start word): what a data abort needs to know about it */
    uint32_t excp_insn_flags;
    uint32_t pad2;

    /* pending synchronous exception, set by whoever raises it */
    uint64_t excp_esr;
    uint64_t excp_far;
    uint32_t excp_has_far;
    uint32_t pad1;

    /* EL1 system registers */
    uint64_t sctlr;
    uint64_t cpacr;
    uint64_t ttbr0, ttbr1, tcr, mair, amair;
    uint64_t vbar;
    uint64_t esr, far, elr, spsr;
    uint64_t par;
    uint64_t tpidr_el1, tpidr_el0, tpidrro_el0;
    uint64_t contextidr;
    uint64_t csselr;
    uint64_t mdscr;
    uint64_t afsr0, afsr1;
    uint64_t fpcr, fpsr;

    /* model, fixed by cpu_init */
    const ARMModel *model;
    uint64_t mpidr;

    /* atomic, lock-free: bit ARM_IRQ_LINE/ARM_FIQ_LINE = line level; set
       by devices (BQL held), read by the owner */
    uint32_t irq_pending;
    /* atomic: POWER_*.  The owner moves ON -> OFF (CPU_OFF) and
       ON_PENDING -> ON; another vCPU's CPU_ON moves OFF -> CLAIMED ->
       ON_PENDING, writing psci_entry and psci_context in between
       (published by the release store of ON_PENDING) */
    uint32_t power;
    uint64_t psci_entry;
    uint64_t psci_context;

    /* sysreg providers, looked up on first use (owner only) */
    bool prov_looked;
    const LoomArmSysregIface *prov[PROV_COUNT];
    void *prov_opaque[PROV_COUNT];
    const LoomTimebaseIface *timebase;
    void *timebase_opaque;
} ARMEnv;

_Static_assert(offsetof(ARMEnv, x) == 0, "x[] first: small env offsets");
_Static_assert(sizeof(ARMEnv) % 8 == 0, "env is 64-bit aligned");
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the vreg lane layout assumes a little-endian host"
#endif

static inline ARMEnv *arm_env(LoomCPU *cpu)
{
    return (ARMEnv *)loom_cpu_env(cpu);
}

/* NZCV as PSTATE bits 31:28, from the flag words */
static inline uint32_t arm_nzcv(const ARMEnv *env)
{
    return ((env->nf >> 63) ? PSTATE_N : 0) | (env->zf == 0 ? PSTATE_Z : 0) |
           (env->cf ? PSTATE_C : 0) | ((env->vf >> 63) ? PSTATE_V : 0);
}

static inline void arm_set_nzcv(ARMEnv *env, uint32_t v)
{
    env->nf = (v & PSTATE_N) ? ~0ull : 0;
    env->zf = (v & PSTATE_Z) ? 0 : 1;
    env->cf = (v & PSTATE_C) ? 1 : 0;
    env->vf = (v & PSTATE_V) ? ~0ull : 0;
}

/* CPACR_EL1.FPEN (bits 21:20) lets the current EL use FP and AdvSIMD:
   0b11 both ELs, 0b01 EL1 only, else neither */
static inline bool arm_fp_enabled(const ARMEnv *env)
{
    unsigned fpen = (unsigned)(env->cpacr >> 20) & 3;

    return fpen == 3 || (fpen == 1 && env->el == 1);
}

/* The ASID in use: TCR_EL1.A1 picks TTBR1 or TTBR0, TCR_EL1.AS (bit 36)
   says 16 bits or 8 (the upper 8 then ignored). */
static inline uint64_t arm_asid(const ARMEnv *env)
{
    uint64_t ttbr = (env->tcr & (1ull << 22)) ? env->ttbr1 : env->ttbr0;

    return (ttbr >> 48) & ((env->tcr & (1ull << 36)) ? 0xffff : 0xff);
}

/* A branch target under TBI (TCR_EL1.TBI0/TBI1 by bit 55): the tag
   becomes copies of bit 55, as the architecture's BranchAddr wants. */
static inline uint64_t arm_branch_addr(const ARMEnv *env, uint64_t a)
{
    uint64_t tbi = ((a >> 55) & 1) ? (1ull << 38) : (1ull << 37);

    return (env->tcr & tbi) ? (uint64_t)((int64_t)(a << 8) >> 8) : a;
}

/* The MMU index of data accesses now. */
static inline int arm_data_mmu_idx(const ARMEnv *env)
{
    if (env->el == 0) {
        return MMU_IDX_EL0;
    }
    return env->pan ? MMU_IDX_EL1_PAN : MMU_IDX_EL1;
}

/* translate.c */
void aarch64_translate_init(void);
void aarch64_translate(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns);

/* helper.c: exceptions and the helpers of system instructions */
uint32_t aarch64_pstate(const ARMEnv *env);
void aarch64_set_el_spsel(ARMEnv *env, unsigned el, unsigned spsel);
void aarch64_take_exception(ARMEnv *env, unsigned vec, bool set_esr);
void aarch64_raise(ARMEnv *env, uint32_t esr, bool has_far, uint64_t far)
    __attribute__((noreturn));
void aarch64_raise_undef(ARMEnv *env) __attribute__((noreturn));
void aarch64_check_irqs(ARMEnv *env);
bool aarch64_irq_deliverable(ARMEnv *env);
void aarch64_power_on_self(ARMEnv *env);
extern const LoomIRHelper aarch64_helper_raise;
extern const LoomIRHelper aarch64_helper_eret;
extern const LoomIRHelper aarch64_helper_wfi;
extern const LoomIRHelper aarch64_helper_yield;
extern const LoomIRHelper aarch64_helper_dc_zva;
extern const LoomIRHelper aarch64_helper_tlbi;
extern const LoomIRHelper aarch64_helper_hvc_smc;
extern const LoomIRHelper aarch64_helper_semihost;
extern const LoomIRHelper aarch64_helper_crc32;

/* sysreg.c: MRS/MSR through the register table or a provider */
void aarch64_sysreg_reset(ARMEnv *env);
/* What an MSR to enc may change besides the register (translate.c ends
   the TB after SYSREG_WRITE_TB_KEY ones) */
bool aarch64_sysreg_write_ends_tb(uint32_t enc);
extern const LoomIRHelper aarch64_helper_mrs;
extern const LoomIRHelper aarch64_helper_msr;
extern const LoomIRHelper aarch64_helper_msr_imm;
extern const LoomIRHelper aarch64_helper_el0_sys;
uint32_t aarch64_sys_iss(uint32_t enc, unsigned rt, bool read);

/* psci.c */
uint64_t aarch64_psci_call(ARMEnv *env, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* semihost.c: HLT #0xf000 when -semihosting is on */
uint64_t aarch64_semihost(ARMEnv *env, uint64_t op, uint64_t param, uintptr_t ra);

/* mmu.c */
bool aarch64_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access,
                      int mmu_idx, bool probe, uintptr_t ra);
bool aarch64_debug_translate(LoomCPU *cpu, uint64_t vaddr, uint64_t *paddr);
void aarch64_data_abort(LoomCPU *cpu, uint64_t vaddr, int access, unsigned fsc,
                        uintptr_t ra) __attribute__((noreturn));
extern const LoomIRHelper aarch64_helper_at;

/* gdb.c: the debugger hooks (LoomFrontendOps.gdb_*) */
void aarch64_gdb_init(void);
const char *aarch64_gdb_xml(LoomCPU *cpu, const char *annex);
int aarch64_gdb_read_reg(LoomCPU *cpu, int n, uint8_t *buf);
int aarch64_gdb_write_reg(LoomCPU *cpu, int n, const uint8_t *buf);

/* fdt.c */
bool aarch64_fdt_cpu(LoomCPU *cpu, void *blob, int cpus, uint32_t first_phandle,
                     uint32_t *intc_phandle, char **err);

/* cpu.c */
bool aarch64_env_sanity(const ARMEnv *env);
void aarch64_cpu_power_reset(ARMEnv *env);

#endif /* AARCH64_CPU_H */
