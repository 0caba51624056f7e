/*
 * riscv64 front-end: the private per-hart state (RISCVEnv), CSR numbers,
 * trap causes and the functions the front-end's files share.
 *
 * Threading: a RISCVEnv lives inside its LoomCPU and belongs to the hart's
 * vCPU thread (the owner).  The one exception is `mip`, which devices set
 * from other threads (BQL held) while the hart clears software-writable
 * bits itself: it is accessed only with atomic operations.
 */
#ifndef RISCV_CPU_H
#define RISCV_CPU_H

#include <assert.h>
#include <inttypes.h>
#include <stddef.h>
#include <loom/loom.h>

/* For parameters a hook or helper signature imposes but we do not use. */
#define UNUSED __attribute__((unused))

/* Base page size (Sv39/48 add superpages on top of it). */
#define RISCV_PAGE_BITS 12
#define RISCV_PAGE_SIZE (1ull << RISCV_PAGE_BITS)
#define RISCV_PAGE_MASK (~(RISCV_PAGE_SIZE - 1))

/* Privilege levels; also the TB flags' PRIV field and the MMU index. */
enum {
    PRV_U = 0,
    PRV_S = 1,
    PRV_M = 3,
};

/*
 * MMU indexes (mmu.c): what changes a translation.  Instruction fetch uses
 * the privilege level (U, S, M).  Data accesses use the effective privilege
 * (MPP when MPRV is set in M-mode) plus SUM (S only) and MXR (U and S):
 * seven indexes.  M-mode never translates, so MXR does not matter there.
 */
enum {
    MMU_IDX_U = 0,
    MMU_IDX_S = 1,
    MMU_IDX_S_SUM = 2,
    MMU_IDX_M = 3,
    MMU_IDX_U_MXR = 4,
    MMU_IDX_S_MXR = 5,
    MMU_IDX_S_SUM_MXR = 6,
    MMU_IDX_COUNT = 7,
};

/* misa extension bits, by letter */
#define RVX(c) (1ull << ((c) - 'A'))
#define MISA_MXL_64 (2ull << 62)

/* mstatus fields (RV64 layout) */
#define MSTATUS_SIE     (1ull << 1)
#define MSTATUS_MIE     (1ull << 3)
#define MSTATUS_SPIE    (1ull << 5)
#define MSTATUS_UBE     (1ull << 6)
#define MSTATUS_MPIE    (1ull << 7)
#define MSTATUS_SPP     (1ull << 8)
#define MSTATUS_VS      (3ull << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP     (3ull << MSTATUS_MPP_SHIFT)
#define MSTATUS_FS      (3ull << 13)
#define MSTATUS_XS      (3ull << 15)
#define MSTATUS_MPRV    (1ull << 17)
#define MSTATUS_SUM     (1ull << 18)
#define MSTATUS_MXR     (1ull << 19)
#define MSTATUS_TVM     (1ull << 20)
#define MSTATUS_TW      (1ull << 21)
#define MSTATUS_TSR     (1ull << 22)
#define MSTATUS_UXL     (3ull << 32)
#define MSTATUS_SXL     (3ull << 34)
#define MSTATUS_SBE     (1ull << 36)
#define MSTATUS_MBE     (1ull << 37)
#define MSTATUS_SD      (1ull << 63)

/* mip/mie bits (interrupt cause numbers as bit positions) */
enum {
    IRQ_S_SOFT = 1,
    IRQ_M_SOFT = 3,
    IRQ_S_TIMER = 5,
    IRQ_M_TIMER = 7,
    IRQ_S_EXT = 9,
    IRQ_M_EXT = 11,
};
#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)
#define MIP_M_ALL (MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define MIP_S_ALL (MIP_SSIP | MIP_STIP | MIP_SEIP)

/* Synchronous exception causes (mcause with the interrupt bit clear). */
enum {
    EXCP_INSN_MISALIGNED = 0,
    EXCP_INSN_ACCESS = 1,
    EXCP_ILLEGAL_INSN = 2,
    EXCP_BREAKPOINT = 3,
    EXCP_LOAD_MISALIGNED = 4,
    EXCP_LOAD_ACCESS = 5,
    EXCP_STORE_MISALIGNED = 6,      /* store/AMO */
    EXCP_STORE_ACCESS = 7,          /* store/AMO */
    EXCP_ECALL_U = 8,
    EXCP_ECALL_S = 9,
    EXCP_ECALL_M = 11,
    EXCP_INSN_PAGE_FAULT = 12,
    EXCP_LOAD_PAGE_FAULT = 13,
    EXCP_STORE_PAGE_FAULT = 15,
};
#define MCAUSE_INTERRUPT (1ull << 63)

/* CSR numbers implemented now, plus the S-mode ones the env has room for. */
enum {
    CSR_FFLAGS = 0x001,
    CSR_FRM = 0x002,
    CSR_FCSR = 0x003,
    CSR_CYCLE = 0xc00,
    CSR_TIME = 0xc01,
    CSR_INSTRET = 0xc02,
    CSR_SSTATUS = 0x100,
    CSR_SIE = 0x104,
    CSR_STVEC = 0x105,
    CSR_SCOUNTEREN = 0x106,
    CSR_SENVCFG = 0x10a,
    CSR_SSCRATCH = 0x140,
    CSR_SEPC = 0x141,
    CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143,
    CSR_SIP = 0x144,
    CSR_STIMECMP = 0x14d,
    CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300,
    CSR_MISA = 0x301,
    CSR_MEDELEG = 0x302,
    CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304,
    CSR_MTVEC = 0x305,
    CSR_MCOUNTEREN = 0x306,
    CSR_MHPMCOUNTER3 = 0xb03,   /* .. 0xb1f: mhpmcounter3..31 */
    CSR_MENVCFG = 0x30a,
    CSR_MCOUNTINHIBIT = 0x320,
    CSR_MHPMEVENT3 = 0x323,     /* .. 0x33f: mhpmevent3..31 */
    CSR_MSCRATCH = 0x340,
    CSR_MEPC = 0x341,
    CSR_MCAUSE = 0x342,
    CSR_MTVAL = 0x343,
    CSR_MIP = 0x344,
    CSR_TSELECT = 0x7a0,        /* Sdtrig (debug.c) */
    CSR_TDATA1 = 0x7a1,
    CSR_TDATA2 = 0x7a2,
    CSR_TDATA3 = 0x7a3,
    CSR_TINFO = 0x7a4,
    CSR_PMPCFG0 = 0x3a0,
    CSR_PMPCFG2 = 0x3a2,
    CSR_PMPADDR0 = 0x3b0,
    CSR_PMPADDR15 = 0x3bf,
    CSR_MCYCLE = 0xb00,
    CSR_MINSTRET = 0xb02,
    CSR_MVENDORID = 0xf11,
    CSR_MARCHID = 0xf12,
    CSR_MIMPID = 0xf13,
    CSR_MHARTID = 0xf14,
};

/* TB flags (the TB key besides pc).  Bits above MMU are reserved for
   other state that changes translation (FS...). */
#define TB_FLAGS_PRIV_MASK 0x3u
#define TB_FLAGS_MMU_SHIFT 2        /* MMU index of data accesses */
#define TB_FLAGS_MMU_MASK (0x7u << TB_FLAGS_MMU_SHIFT)
#define TB_FLAGS_FS_SHIFT 5         /* mstatus.FS: Off makes FP insns illegal */
#define TB_FLAGS_FS_MASK (0x3u << TB_FLAGS_FS_SHIFT)
#define MSTATUS_FS_SHIFT 13
#define TB_FLAGS_TRIG_EXEC (1u << 7)    /* an execute trigger may fire (debug.c) */
#define TB_FLAGS_TRIG_DATA (1u << 8)    /* a load/store trigger may fire */

/* Sdtrig: number of triggers (debug.c) */
#define RISCV_TRIGGERS 4
/* riscv_gen_trig_data's access description: size in bytes | kinds */
#define TRIG_ACCESS_SIZE  0xfu
#define TRIG_ACCESS_LOAD  0x10u
#define TRIG_ACCESS_STORE 0x20u

/* satp (RV64) */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK (0xffffull << SATP_ASID_SHIFT)
/* TLB tags (loom_tlb_set_page_tag): the ASID, or this bit for global
   mappings, which sfence.vma by ASID (mask RISCV_TLB_TAG_MASK) keeps */
#define RISCV_TLB_TAG_GLOBAL (1ull << 16)
#define RISCV_TLB_TAG_MASK (RISCV_TLB_TAG_GLOBAL | 0xffffull)
#define SATP_PPN_MASK ((1ull << 44) - 1)

/* menvcfg/senvcfg */
#define ENVCFG_FIOM (1ull << 0)
#define MENVCFG_STCE (1ull << 63)

/* PMP: 16 entries */
#define PMP_ENTRIES 16
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A_SHIFT 3
#define PMP_A (3u << PMP_A_SHIFT)
#define PMP_L 0x80
enum { PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3 };

/* insn_start data word 1: how to report memory faults of this insn */
#define INSN_FLAG_AMO 0x1u  /* LR excluded: faults are store/AMO faults */

/*
 * Per-hart state.  x[], pc, load_res, load_val and insn_count are IR globals
 * (64-bit fields at fixed offsets, see riscv_translate_init); translated
 * code keeps them in host registers between helper calls, so helpers that
 * read or write them must be declared without LOOM_IR_CALL_NO_*_GLOBALS.
 *
 * Invariants (riscv_env_sanity): x[0] == 0; priv is M, or S/U when misa
 * has them; MPP is M when U-mode does not exist; mtvec's MODE is direct
 * or vectored; tselect names a trigger and each tdata1 is of type 6 or
 * 15; mepc[0] == 0 (mepc[1] is masked on reads while IALIGN is
 * 32, so C can be added without changing the stored value).
 */
typedef struct RISCVEnv {
    uint64_t x[32];             /* x[0] is never written */
    uint64_t pc;

    /* LR/SC reservation: address (-1 = none) and the value LR loaded */
    uint64_t load_res;
    uint64_t load_val;

    /* Instructions run by translated code, an IR global (counted per TB,
       see translate.c).  cycle and instret derive from it through their
       offsets. */
    uint64_t insn_count;
    uint64_t mcycle_offset;     /* mcycle = insn_count + offset */
    uint64_t minstret_offset;

    uint32_t priv;              /* PRV_* */
    uint32_t pad0;

    /* Pending synchronous trap, set by whoever raises it before unwinding;
       do_interrupt delivers it. */
    uint64_t excp_tval;
    uint32_t excp_insn_flags;   /* INSN_FLAG_* of the faulting insn,
                                   from restore_state */
    uint32_t pad1;

    /* Machine-level CSRs */
    uint64_t misa;
    uint64_t mstatus;           /* the whole register; sstatus is a view */
    uint64_t mstatus_wmask;     /* fields software may write (by misa) */
    uint64_t mtvec;
    uint64_t mepc;
    uint64_t mcause;
    uint64_t mtval;
    uint64_t mscratch;
    uint64_t mie;
    uint64_t mip;               /* atomic, lock-free: devices set bits */
    uint64_t medeleg;           /* read-only 0 until S-mode exists */
    uint64_t mideleg;
    uint64_t mcounteren;
    uint64_t mhartid;

    /* Supervisor-level CSRs: unused until S-mode is implemented. */
    uint64_t stvec;
    uint64_t sepc;
    uint64_t scause;
    uint64_t stval;
    uint64_t sscratch;
    uint64_t satp;
    uint64_t scounteren;
    uint64_t senvcfg;
    uint64_t menvcfg;
    /* Sstc: written by the hart with the BQL held, read by the timer
       callback (I/O thread, BQL held) */
    uint64_t stimecmp;
    LoomTimer *stimer;          /* created on first use, BQL held */

    /* PMP (mmu.c); changes flush this hart's TLB */
    uint8_t pmpcfg[PMP_ENTRIES];
    uint64_t pmpaddr[PMP_ENTRIES];

    /* F/D state (translate-fp.c, fpu.c): f registers, singles NaN-boxed;
       fcsr = frm << 5 | fflags */
    uint64_t fpr[32];
    uint32_t fcsr;
    /* Ztso (-cpu ...,ztso=on): the hart follows RVTSO; set by cpu_init */
    uint32_t ext_ztso;
    /* -cpu ...,lrsc=strict: LR..SC runs alone in an exclusive section
       (translate.c, "LR/SC schemes"); set by cpu_init */
    uint32_t lrsc_strict;
    /* -cpu ...,misaligned=off: misaligned loads and stores trap (the
       default completes them, translate.c); set by cpu_init */
    uint32_t misaligned_trap;

    /* Sdtrig trigger module (debug.c): tselect < RISCV_TRIGGERS; tdata1
       legal (type 6 or 15); the summaries follow tdata1 (bit p: a
       trigger of that kind has the mode bit of privilege p) */
    uint64_t tselect;
    uint64_t tdata1[RISCV_TRIGGERS];
    uint64_t tdata2[RISCV_TRIGGERS];
    uint32_t trig_exec_privs;
    uint32_t trig_data_privs;
} RISCVEnv;

_Static_assert(offsetof(RISCVEnv, x) == 0, "x[] first: small env offsets");
_Static_assert(sizeof(RISCVEnv) % 8 == 0, "env is 64-bit aligned");

static inline RISCVEnv *riscv_env(LoomCPU *cpu)
{
    return (RISCVEnv *)loom_cpu_env(cpu);
}

static inline bool riscv_has_ext(const RISCVEnv *env, char ext)
{
    return (env->misa & RVX(ext)) != 0;
}

static inline uint64_t riscv_mip(const RISCVEnv *env)
{
    return __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE);
}

/* translate.c */
void riscv_translate_init(void);
void riscv_translate(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns);

/* translate-fp.c: F and D.  translate.c keeps one per TB and fills ir,
   insn, insn_bits and mem_idx before each call; false = illegal. */
typedef struct RISCVFPDisas {
    LoomIRContext *ir;
    const RISCVEnv *env;        /* for misa */
    const LoomIRTemp *gpr;          /* the x-register IR globals; [0] unused */
    uint32_t insn;              /* 32-bit form */
    uint32_t insn_bits;         /* as fetched, for mtval */
    int mem_idx;
    unsigned align;             /* LOOM_MEM_ALIGN or 0 for loads and stores */
    bool trig_data;             /* TB_FLAGS_TRIG_DATA: check data triggers */
    unsigned fs;                /* mstatus.FS from the TB flags */
    bool fs_dirty;              /* this TB has set FS to Dirty already */
} RISCVFPDisas;
bool riscv_trans_fp(RISCVFPDisas *fd);

/* translate-rvc.c: the 32-bit equivalent of a 16-bit insn, 0 if reserved */
uint32_t riscv_rvc_expand(const RISCVEnv *env, uint16_t insn);

/* helper.c */
void riscv_do_trap(RISCVEnv *env, uint64_t cause, bool interrupt, uint64_t tval);
void riscv_raise(RISCVEnv *env, int cause, uint64_t tval) __attribute__((noreturn));
void riscv_raise_restore(RISCVEnv *env, int cause, uint64_t tval,
                         uintptr_t ra) __attribute__((noreturn));
void riscv_update_stip(RISCVEnv *env);
uint64_t riscv_pending_irqs(RISCVEnv *env);
void riscv_check_irqs(RISCVEnv *env);
extern const LoomIRHelper riscv_helper_raise;
extern const LoomIRHelper riscv_helper_mret;
extern const LoomIRHelper riscv_helper_sret;
extern const LoomIRHelper riscv_helper_sfence_vma;
extern const LoomIRHelper riscv_helper_wfi;
extern const LoomIRHelper riscv_helper_fence_i;
extern const LoomIRHelper riscv_helper_yield;
extern const LoomIRHelper riscv_helper_lr_exclusive;  /* lrsc=strict (translate.c) */
extern const LoomIRHelper riscv_helper_lrsc_window;   /* (insns) */

/* csr.c */
void riscv_csr_reset(RISCVEnv *env);
/* What a write to csrno may change besides the CSR itself. */
enum {
    CSR_WRITE_PLAIN = 0,    /* nothing: keep translating */
    CSR_WRITE_IRQ,          /* interrupt enablement: end the TB */
    CSR_WRITE_TB_KEY,       /* TB flags or translation: end the TB, no chaining */
};
int riscv_csr_write_effect(int csrno);
extern const LoomIRHelper riscv_helper_csrr;
extern const LoomIRHelper riscv_helper_csrw;
extern const LoomIRHelper riscv_helper_csrrw;
bool riscv_csr_entry(size_t i, int *csrno, const char **name);
bool riscv_csr_debug_access(RISCVEnv *env, int csrno, uint64_t *val, bool write);

/* gdb.c: the debugger hooks (LoomFrontendOps.gdb_*) */
void riscv_gdb_init(void);
const char *riscv_gdb_xml(LoomCPU *cpu, const char *annex);
int riscv_gdb_read_reg(LoomCPU *cpu, int n, uint8_t *buf);
int riscv_gdb_write_reg(LoomCPU *cpu, int n, const uint8_t *buf);

/* fdt.c: the hart's device-tree node (LoomFrontendOps.fdt_cpu) */
bool riscv_fdt_cpu(LoomCPU *cpu, void *blob, int cpus, uint32_t first_phandle,
                   uint32_t *intc_phandle, char **err);

/* debug.c: Sdtrig */
void riscv_trigger_reset(RISCVEnv *env);
uint32_t riscv_trigger_tb_flags(const RISCVEnv *env);
bool riscv_trigger_exec_match(const RISCVEnv *env, uint64_t pc);
void riscv_trigger_fetch_fault(RISCVEnv *env);
bool riscv_trigger_csr_read(RISCVEnv *env, int csrno, uint64_t *val);
void riscv_trigger_csr_write(RISCVEnv *env, int csrno, uint64_t val);
void riscv_gen_trig_data(LoomIRContext *ir, LoomIRTemp addr, unsigned size, unsigned kinds);
extern const LoomIRHelper riscv_helper_trig_exec;
extern const LoomIRHelper riscv_helper_trig_data;

/* cpu.c */
bool riscv_env_sanity(const RISCVEnv *env);

/* mmu.c */
int riscv_data_mmu_idx(const RISCVEnv *env);
bool riscv_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access,
                    int mmu_idx, bool probe, uintptr_t ra);
void riscv_pmp_write_cfg(RISCVEnv *env, int reg, uint64_t val);
uint64_t riscv_pmp_read_cfg(const RISCVEnv *env, int reg);
void riscv_pmp_write_addr(RISCVEnv *env, int index, uint64_t val);
bool riscv_debug_translate(LoomCPU *cpu, uint64_t vaddr, uint64_t *paddr);

#endif /* RISCV_CPU_H */
