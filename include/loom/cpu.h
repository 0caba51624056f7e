/*
 * The vCPU as plugins see it, the softmmu TLB layout (for back-ends'
 * inline fast paths) and the core services a front-end and its helpers use.
 *
 * Threading: a LoomCPU belongs to the host thread that runs it ("the
 * owner").  Fields other threads may touch say so and are accessed
 * atomically; everything else is owner-only.
 */
#ifndef LOOM_CPU_H
#define LOOM_CPU_H

#include <stdio.h>
#include <loom/ir.h>

typedef struct LoomMachine LoomMachine;
typedef struct LoomCPUPrivate LoomCPUPrivate;
typedef struct LoomTB LoomTB;

/* The most MMU modes a front-end may declare (nb_mmu_modes). */
#define LOOM_TLB_MAX_MODES 16
/* Mode masks (bit i = MMU mode i) for the flushes below. */
#define LOOM_TLB_MODES_ALL 0xffffu

/*
 * TLB entry.  addr_* hold the guest-virtual page address for that access
 * kind, or'ed with LOOM_TLB_* flags in the low bits (below the smallest
 * supported page, 4 KiB).  A fast path compares (addr & (page_mask |
 * (align-1))) with addr_*: any flag makes the compare fail and sends the
 * access to the core's slow path.  On a match, host = addr + addend.
 */
enum {
    LOOM_TLB_INVALID = 1u << 11,    /* no mapping for this access kind */
    LOOM_TLB_MMIO = 1u << 10,       /* device memory: slow path */
    LOOM_TLB_NOTDIRTY = 1u << 9,    /* RAM page holding translated code */
    LOOM_TLB_WATCH = 1u << 8,       /* watchpoint on the page */
    LOOM_TLB_FILL_EACH = 1u << 7,   /* valid for one access: refill each time */
    LOOM_TLB_FLAGS = 0xf80u,
};

typedef struct LoomTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} LoomTLBEntry;

#define LOOM_TLB_ENTRY_BITS 5
_Static_assert(sizeof(LoomTLBEntry) == 1u << LOOM_TLB_ENTRY_BITS, "TLB entry is 32 bytes");

/*
 * The fast-path descriptor of one MMU mode.  The core sizes each mode's
 * table at vCPU creation (a power of two entries); a fast path reads
 * both fields on every access, or bakes them into its code where
 * loom_tlb_fast_fixed promises them for the run:
 *     entry = table + ((addr >> (page_bits - LOOM_TLB_ENTRY_BITS)) & mask)
 * where page_bits is loom_tlb_page_bits() (the front-end's page_bits:
 * 12, 14 or 16, fixed before any code is translated).  Modes at or above
 * the front-end's nb_mmu_modes have mask 0 and a table of one entry that
 * never hits.  Owner only, like the tables.
 */
typedef struct LoomTLBFast {
    uintptr_t mask;                 /* (entries - 1) << LOOM_TLB_ENTRY_BITS */
    LoomTLBEntry *table;
} LoomTLBFast;

LOOM_API unsigned loom_tlb_page_bits(void);

/* Does mode's descriptor hold for the whole run, the same on every
   vCPU?  True with *table_ofs (the table's distance from env) and
   *mask (tlb_fast[mode].mask) set: a fast path may then bake both into
   its code, addressing the table from env; false: read the descriptor
   on every access.  Ask at translation time; the answer does not
   change once code runs. */
LOOM_API bool loom_tlb_fast_fixed(unsigned mode, int32_t *table_ofs, uintptr_t *mask);

/* Access kinds and page protections. */
enum { LOOM_ACCESS_LOAD = 0, LOOM_ACCESS_STORE = 1, LOOM_ACCESS_FETCH = 2 };
enum { LOOM_PROT_READ = 1, LOOM_PROT_WRITE = 2, LOOM_PROT_EXEC = 4 };

/* exception_index values the core owns; front-end exceptions are >= 0
   and below LOOM_EXCP_INTERRUPT. */
enum {
    LOOM_EXCP_NONE = -1,
    LOOM_EXCP_INTERRUPT = 0x10000,  /* leave the loop to take interrupts */
    LOOM_EXCP_HLT,                  /* vCPU halted (wfi) */
    LOOM_EXCP_DEBUG,
    LOOM_EXCP_ATOMIC,               /* run the vCPU alone from the current
                                       insn (loom_cpu_exit_atomic) */
    LOOM_EXCP_YIELD,                /* give up the host CPU (single mode): a
                                       helper sets it after its insn is done
                                       (the last of its TB) and calls
                                       loom_cpu_loop_exit */
};

/* interrupt_request bits */
enum {
    LOOM_INTERRUPT_HARD = 0x1,      /* front-end has a pending interrupt */
    LOOM_INTERRUPT_EXITTB = 0x2,    /* just leave translated code */
};

typedef struct LoomCPU {
    LoomCPUPrivate *priv;           /* core-private state */
    LoomMachine *machine;
    uint32_t cpu_index;             /* 0 .. nb_cpus-1 */
    /* atomic, lock-free: non-zero asks the owner to leave translated
       code at the next TB entry; any thread sets it, the owner clears */
    int32_t exit_request;
    /* atomic, lock-free: LOOM_INTERRUPT_* bits, set by any thread through
       loom_cpu_interrupt(), cleared by the owner */
    uint32_t interrupt_request;
    int32_t exception_index;        /* owner only */
    /* atomic: 1 while the vCPU sleeps in wfi; written by its owner */
    uint32_t halted;
    /* owner only: the TB being executed and the index of its current
       guest instruction, kept by back-ends that cannot unwind from a
       host return address (the interpreter) */
    int32_t unwind_insn;
    LoomTB *current_tb;
    uint64_t pad[2];                /* reserved for future minors */
    /* owner only; other threads flush the TLB through queued work.  The
       last 256 bytes before env, so that every host's load immediates
       reach them from env (e.g. AArch64 ldur: -256..255) */
    LoomTLBFast tlb_fast[LOOM_TLB_MAX_MODES];
    /* the front-end's per-vCPU state (LoomFrontendOps.env_size bytes) */
    uint8_t env[] __attribute__((aligned(64)));
} LoomCPU;

_Static_assert(offsetof(LoomCPU, env) - offsetof(LoomCPU, tlb_fast) ==
               LOOM_TLB_MAX_MODES * sizeof(LoomTLBFast) && sizeof(LoomTLBFast) == 16,
               "the TLB descriptors end at env: env - 256 + 16 * mode");

/* The TLB entry addr maps to in MMU mode mmu_idx, through the fast-path
   descriptor (page_bits: loom_tlb_page_bits()). */
static inline LoomTLBEntry *loom_tlb_entry(LoomCPU *cpu, unsigned mmu_idx, uint64_t addr,
                                           unsigned page_bits)
{
    const LoomTLBFast *f = &cpu->tlb_fast[mmu_idx];

    return (LoomTLBEntry *)((uintptr_t)f->table +
                            ((uintptr_t)(addr >> (page_bits - LOOM_TLB_ENTRY_BITS)) & f->mask));
}

static inline LoomCPU *loom_env_cpu(void *env)
{
    return (LoomCPU *)((char *)env - offsetof(LoomCPU, env));
}

static inline void *loom_cpu_env(LoomCPU *cpu)
{
    return cpu->env;
}

/*
 * A translation block.  Owned by the core; back-ends fill `code` and read
 * the rest; front-ends read pc/flags/flags2/cflags while translating.
 */
struct LoomTB {
    uint64_t pc;                    /* guest virtual pc of the first insn */
    uint64_t phys_pc;               /* guest physical address of pc */
    uint64_t flags;                 /* front-end state bits (the TB key) */
    uint64_t flags2;                /* second front-end key word */
    uint32_t cflags;                /* LOOM_CF_* */
    uint32_t size;                  /* guest bytes covered */
    uint32_t icount;                /* guest instructions */
    void *code;                     /* back-end code, in the code buffer */
    uint32_t code_size;
    uint32_t nb_insn_data;          /* = icount */
    uint64_t *insn_data;            /* insn_start_words per insn */
    /* atomic: chained successor per goto_tb slot, NULL when unchained;
       written by the core (set_jmp_target), read by running threads */
    LoomTB *jmp_dest[2];
    void *backend_data;             /* back-end private, per TB */
} __attribute__((aligned(8)));

enum {
    LOOM_CF_COUNT_MASK = 0xffff,    /* max insns, 0 = default */
    LOOM_CF_SINGLESTEP = 0x10000,
    LOOM_CF_PARALLEL = 0x20000,     /* other vCPUs run at the same time */
    /* translated for an exclusive section (LOOM_EXCP_ATOMIC): every other
       vCPU is stopped, so an atomic may be a plain load-op-store */
    LOOM_CF_EXCLUSIVE = 0x40000,
};

/* --- core services (exported by the loom executable) --- */

/* Leave translated code now: unwind to the vCPU's loop.  Never returns. */
LOOM_API void loom_cpu_loop_exit(LoomCPU *cpu) __attribute__((noreturn));
/* Restore guest state to the start of the insn at host return address
   `ra` (0: nothing to restore), then leave.  Never returns. */
LOOM_API void loom_cpu_loop_exit_restore(LoomCPU *cpu, uintptr_t ra)
    __attribute__((noreturn));
LOOM_API void loom_cpu_restore_state(LoomCPU *cpu, uintptr_t ra);
/*
 * Exclusive sections for atomics (docs/design.md, "Atomics").  From a
 * helper: leave translated code with LOOM_EXCP_ATOMIC; the core restores
 * state to the insn at ra, stops every other vCPU (start_exclusive) and
 * runs this one alone from that insn, in one-insn TBs translated with
 * LOOM_CF_EXCLUSIVE, then lets the others go on.  Never returns.
 */
LOOM_API void loom_cpu_exit_atomic(LoomCPU *cpu, uintptr_t ra) __attribute__((noreturn));
/* From a helper of LOOM_CF_EXCLUSIVE code: the section may run up to n
   guest insns in all, counting from the one that raised LOOM_EXCP_ATOMIC
   (the default is 1; n at or below those already run: it ends after the
   current insn).  It also ends early on a trap, a halt or an exit request
   (kick, queued work, stop). */
LOOM_API void loom_cpu_exclusive_limit(LoomCPU *cpu, unsigned n);
/* Halt (wfi): sleep until the front-end's cpu_has_work says otherwise.
   The caller has already advanced the guest pc.  Never returns. */
LOOM_API void loom_cpu_halt(LoomCPU *cpu) __attribute__((noreturn));

/* From cpu_init only: this vCPU's plain loads and stores promise the
   orderings mo (LOOM_MO_*) instead of the front-end's guest_default_mo,
   e.g. a RISC-V hart with Ztso.  The core inserts the barriers the host
   lacks from it.  Since ABI 1.1. */
LOOM_API void loom_cpu_set_memory_order(LoomCPU *cpu, uint32_t mo);

/* Any thread: set interrupt_request bits and kick the vCPU awake/out. */
LOOM_API void loom_cpu_interrupt(LoomCPU *cpu, uint32_t mask);
/* Any thread: make the vCPU leave translated code soon. */
LOOM_API void loom_cpu_kick(LoomCPU *cpu);

LOOM_API unsigned loom_machine_nb_cpus(const LoomMachine *m);
LOOM_API LoomCPU *loom_machine_cpu(const LoomMachine *m, unsigned index);

/* Guest memory through the softmmu; raise guest faults as needed.  ra is
   the host return address of the helper (LOOM_GETPC()) or 0. */
LOOM_API uint64_t loom_ld(LoomCPU *cpu, uint64_t addr, unsigned memop,
                          int mmu_idx, uintptr_t ra);
LOOM_API void loom_st(LoomCPU *cpu, uint64_t addr, uint64_t val,
                      unsigned memop, int mmu_idx, uintptr_t ra);
/* opc is one of the LOOM_IR_OP_atomic_* opcodes; returns the old value */
LOOM_API uint64_t loom_atomic(LoomCPU *cpu, unsigned opc, uint64_t addr,
                              uint64_t cmp, uint64_t val, unsigned memop,
                              int mmu_idx, uintptr_t ra);

/*
 * Called from tlb_fill: install a translation for vaddr's page in MMU
 * mode mmu_idx.  A page_size below the guest page size means the
 * translation (or its protection, e.g. a PMP boundary inside the page)
 * holds only for the bytes tlb_fill checked: the entry then serves that
 * one access and every later access to the page takes the slow path and
 * calls tlb_fill again.  A larger page_size (a 2 MiB or 1 GiB mapping) is
 * still entered one page at a time, and the TLB remembers the mapping:
 * a page or range flush that touches any part of it drops every entry
 * the mapping gave, in that mode, and nothing else.
 * The entry is untagged: every flush by tag drops it.
 */
LOOM_API void loom_tlb_set_page(LoomCPU *cpu, uint64_t vaddr, uint64_t paddr,
                                int prot, int mmu_idx, uint64_t page_size);
/* The same, with an ASID/VMID tag for loom_tlb_flush_tag: any 64-bit
   value the front-end composes (e.g. VMID << 16 | ASID; a bit no flush
   names for global mappings). */
LOOM_API void loom_tlb_set_page_tag(LoomCPU *cpu, uint64_t vaddr, uint64_t paddr, int prot,
                                    int mmu_idx, uint64_t page_size, uint64_t tag);
/*
 * Any thread: atomic compare-and-swap of the aligned 64-bit word of guest
 * RAM at paddr (sequentially consistent), for page-table walkers.  True if
 * it held *expected and now holds desired; false with *expected set to the
 * current value; false with *expected unchanged if paddr is not 8-byte
 * aligned RAM.  Does not invalidate translated code.
 */
LOOM_API bool loom_phys_cmpxchg64(LoomMachine *m, uint64_t paddr, uint64_t *expected,
                                  uint64_t desired);

/*
 * TLB flushes, owner thread only.  modes is a mask of MMU modes (bit i =
 * mode i, LOOM_TLB_MODES_ALL; bits at or above nb_mmu_modes are
 * ignored).  Every flush also forgets the vCPU's virtual-pc jump cache.
 *  - loom_tlb_flush: every entry of every mode;
 *  - _modes: every entry of those modes;
 *  - _page: vaddr's page (and any large mapping holding it), all modes;
 *  - _page_modes: the same in those modes;
 *  - _range: every page [vaddr, vaddr + len) touches (and the large
 *    mappings holding any of them), in those modes;
 *  - _tag: the entries whose tag t has (t & tag_mask) == (tag &
 *    tag_mask), and every untagged entry, in those modes.
 */
LOOM_API void loom_tlb_flush(LoomCPU *cpu);
LOOM_API void loom_tlb_flush_modes(LoomCPU *cpu, uint32_t modes);
LOOM_API void loom_tlb_flush_page(LoomCPU *cpu, uint64_t vaddr);
LOOM_API void loom_tlb_flush_page_modes(LoomCPU *cpu, uint64_t vaddr, uint32_t modes);
LOOM_API void loom_tlb_flush_range(LoomCPU *cpu, uint64_t vaddr, uint64_t len, uint32_t modes);
LOOM_API void loom_tlb_flush_tag(LoomCPU *cpu, uint64_t tag, uint64_t tag_mask,
                                 uint32_t modes);

/*
 * Cross-vCPU TLB flushes: the flushes above on every vCPU (LOOM_CPUS_ALL)
 * or every vCPU but src (LOOM_CPUS_OTHERS).  src is the vCPU the calling
 * thread runs, or NULL from a thread that runs none (LOOM_CPUS_ALL only).
 * src's own flush is done before return; the others' are queued to
 * their threads, which flush before they enter another TB.
 * The _synced variants return only when every target has flushed; call
 * them while running the vCPUs, without the BQL, from a helper or from
 * a thread that runs no vCPU.
 */
typedef enum {
    LOOM_CPUS_ALL,                  /* every vCPU, src included */
    LOOM_CPUS_OTHERS,               /* every vCPU but src */
} LoomCPUSet;
LOOM_API void loom_tlb_flush_cpus(LoomCPU *src, LoomCPUSet set);
LOOM_API void loom_tlb_flush_cpus_synced(LoomCPU *src, LoomCPUSet set);
LOOM_API void loom_tlb_flush_modes_cpus(LoomCPU *src, LoomCPUSet set, uint32_t modes);
LOOM_API void loom_tlb_flush_modes_cpus_synced(LoomCPU *src, LoomCPUSet set, uint32_t modes);
LOOM_API void loom_tlb_flush_page_cpus(LoomCPU *src, LoomCPUSet set, uint64_t vaddr);
LOOM_API void loom_tlb_flush_page_cpus_synced(LoomCPU *src, LoomCPUSet set, uint64_t vaddr);
LOOM_API void loom_tlb_flush_page_modes_cpus(LoomCPU *src, LoomCPUSet set, uint64_t vaddr,
                                             uint32_t modes);
LOOM_API void loom_tlb_flush_page_modes_cpus_synced(LoomCPU *src, LoomCPUSet set,
                                                    uint64_t vaddr, uint32_t modes);
LOOM_API void loom_tlb_flush_range_cpus(LoomCPU *src, LoomCPUSet set, uint64_t vaddr,
                                        uint64_t len, uint32_t modes);
LOOM_API void loom_tlb_flush_range_cpus_synced(LoomCPU *src, LoomCPUSet set, uint64_t vaddr,
                                               uint64_t len, uint32_t modes);
LOOM_API void loom_tlb_flush_tag_cpus(LoomCPU *src, LoomCPUSet set, uint64_t tag,
                                      uint64_t tag_mask, uint32_t modes);
LOOM_API void loom_tlb_flush_tag_cpus_synced(LoomCPU *src, LoomCPUSet set, uint64_t tag,
                                             uint64_t tag_mask, uint32_t modes);

/* Drop every translation (fence.i, code changed): runs as safe work when
   no vCPU executes translated code; the caller leaves its TB first. */
LOOM_API void loom_tb_flush(LoomCPU *cpu);

/* -semihosting was given: a front-end serves its guest's semihosting
   calls (console output, exit with a status) instead of treating them as
   the instructions they otherwise are.  Fixed before any vCPU exists. */
LOOM_API bool loom_semihosting_enabled(void);

/* Virtual clock in nanoseconds since the machine started. */
LOOM_API int64_t loom_clock_ns(void);

/* Logging (-d): categories and the per-thread-safe line logger. */
enum {
    LOOM_LOG_IN_ASM = 1u << 0,
    LOOM_LOG_OP = 1u << 1,
    LOOM_LOG_OUT_ASM = 1u << 2,
    LOOM_LOG_EXEC = 1u << 3,
    LOOM_LOG_CPU = 1u << 4,
    LOOM_LOG_INT = 1u << 5,
    LOOM_LOG_MMU = 1u << 6,
    LOOM_LOG_UNIMP = 1u << 7,
    LOOM_LOG_GUEST_ERROR = 1u << 8,
    LOOM_LOG_MTTCG = 1u << 9,
    LOOM_LOG_PLUGIN = 1u << 10,
    LOOM_LOG_OP_OPT = 1u << 11,
};
LOOM_API extern uint32_t loom_log_mask;
static inline bool loom_log_enabled(uint32_t cat) { return (loom_log_mask & cat) != 0; }
LOOM_API void loom_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Physical memory for page-table walkers and other masters that are not
 * a vCPU's load/store (ABI 2.0).  Any thread.  memop gives the size
 * (LOOM_MEM_8 .. LOOM_MEM_64), the byte order (LOOM_MEM_BE, else little:
 * a front-end passes its guest's) and, for loads, LOOM_MEM_SIGN.
 * RAM: a naturally aligned access is one sequentially consistent atomic,
 * as a guest atomic on another vCPU sees it; a misaligned one is a plain
 * copy.  Device memory: naturally aligned accesses only, dispatched with
 * attrs (NULL: the core's own, LOOM_REQ_CORE, non-secure).
 * False, with nothing read or written, when not every byte has RAM or one
 * device behind it (or a device access is misaligned): the caller raises
 * its access fault.  A load never touches translated code (a walk does
 * not dirty the PTEs it reads); a store to RAM invalidates the translated
 * code it overwrites, as a guest store would.
 */
struct LoomMemAttrs;
LOOM_API bool loom_phys_ld(LoomMachine *m, uint64_t paddr, unsigned memop,
                           const struct LoomMemAttrs *attrs, uint64_t *val);
LOOM_API bool loom_phys_st(LoomMachine *m, uint64_t paddr, unsigned memop,
                           const struct LoomMemAttrs *attrs, uint64_t val);

/* Shorthands: zero-extended loads and stores by the core itself, in the
   byte order the name says (b: one byte, w: 16, l: 32, q: 64 bits). */
static inline bool loom_phys_ldub(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UB, NULL, v); }
static inline bool loom_phys_lduw_le(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UW, NULL, v); }
static inline bool loom_phys_lduw_be(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UW | LOOM_MEM_BE, NULL, v); }
static inline bool loom_phys_ldl_le(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UL, NULL, v); }
static inline bool loom_phys_ldl_be(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UL | LOOM_MEM_BE, NULL, v); }
static inline bool loom_phys_ldq_le(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UQ, NULL, v); }
static inline bool loom_phys_ldq_be(LoomMachine *m, uint64_t pa, uint64_t *v)
{ return loom_phys_ld(m, pa, LOOM_MEM_UQ | LOOM_MEM_BE, NULL, v); }
static inline bool loom_phys_stb(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UB, NULL, v); }
static inline bool loom_phys_stw_le(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UW, NULL, v); }
static inline bool loom_phys_stw_be(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UW | LOOM_MEM_BE, NULL, v); }
static inline bool loom_phys_stl_le(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UL, NULL, v); }
static inline bool loom_phys_stl_be(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UL | LOOM_MEM_BE, NULL, v); }
static inline bool loom_phys_stq_le(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UQ, NULL, v); }
static inline bool loom_phys_stq_be(LoomMachine *m, uint64_t pa, uint64_t v)
{ return loom_phys_st(m, pa, LOOM_MEM_UQ | LOOM_MEM_BE, NULL, v); }

#endif /* LOOM_CPU_H */
