/*
 * Guest ISA front-ends.  A front-end translates guest code into IR and
 * describes the guest's CPU to the core; it never runs guest code itself.
 */
#ifndef LOOM_FRONTEND_H
#define LOOM_FRONTEND_H

#include <loom/cpu.h>

/* How translation of a TB ended (LoomDisasBase.is_jmp). */
enum {
    LOOM_DISAS_NEXT = 0,        /* keep going */
    LOOM_DISAS_TOO_MANY,        /* stopped by the core: insn or page limit */
    LOOM_DISAS_NORETURN,        /* the insn already ended the TB */
    LOOM_DISAS_TARGET_0,        /* first value free for front-ends */
};

/* The part of a front-end's disassembly context the core runs. */
typedef struct LoomDisasBase {
    LoomTB *tb;
    LoomIRContext *ir;
    uint64_t pc_first;          /* pc of the TB's first insn */
    uint64_t pc_next;           /* pc of the next insn to translate */
    int is_jmp;                 /* LOOM_DISAS_* or front-end values */
    int num_insns;
    int max_insns;
    bool singlestep;
} LoomDisasBase;

/* The translator loop's hooks (see loom_translator_loop). */
typedef struct LoomTranslatorOps {
    /* Set up the front-end's context from tb->flags and the vCPU. */
    void (*init_disas_context)(LoomDisasBase *db, LoomCPU *cpu);
    /* Emit anything needed before the first insn (may be NULL). */
    void (*tb_start)(LoomDisasBase *db, LoomCPU *cpu);
    /* Emit insn_start for db->pc_next. */
    void (*insn_start)(LoomDisasBase *db, LoomCPU *cpu);
    /* Fetch and translate one insn at db->pc_next; advance pc_next; set
       is_jmp if the insn ends the TB. */
    void (*translate_insn)(LoomDisasBase *db, LoomCPU *cpu);
    /* Emit the TB's exit according to is_jmp. */
    void (*tb_stop)(LoomDisasBase *db, LoomCPU *cpu);
} LoomTranslatorOps;

/* Runs the hooks over one TB: insn limit, page limit (no insn starts on a
   page other than pc_first's), IR buffer limits, ebb temp release. */
LOOM_API void loom_translator_loop(const LoomTranslatorOps *ops,
                                   LoomDisasBase *db, LoomCPU *cpu,
                                   LoomIRContext *ir, LoomTB *tb, int max_insns);
/* Fetch code for translation.  A fault on the TB's first insn raises the
   guest exception (it never returns); see docs/plugins.md. */
LOOM_API uint16_t loom_translator_lduw(LoomCPU *cpu, LoomDisasBase *db, uint64_t pc);
LOOM_API uint32_t loom_translator_ldl(LoomCPU *cpu, LoomDisasBase *db, uint64_t pc);

typedef struct LoomFrontendOps {
    /* --- capabilities, as data --- */
    bool supports_mttcg;        /* safe to run vCPUs in parallel */
    uint32_t guest_default_mo;  /* LOOM_MO_* the guest's plain accesses promise */
    uint32_t max_atomic_bits;   /* widest atomic the guest needs */
    uint32_t env_size;          /* bytes of per-vCPU env */
    uint32_t page_bits;         /* guest page size: 12, 14 or 16 (4/16/64 KiB) */
    uint32_t nb_mmu_modes;      /* 1..LOOM_TLB_MAX_MODES; sizes the TLB */
    const char *default_cpu;    /* default -cpu model */
    /* NULL-terminated names of the vCPU's interrupt input lines, wired
       by devices as "cpuN.<name>" */
    const char *const *irq_lines;

    /* --- hooks --- */
    /* Once, before any vCPU exists: declare IR globals (loom_ir_global_i64). */
    void (*global_init)(void);
    /* Check and parse -cpu MODEL[,prop=val...]; NULL model = default.
       Returns false and sets *err (g_strdup'ed sentence) on bad input. */
    bool (*cpu_init)(LoomCPU *cpu, const char *model, char **err);
    /* Architectural reset. */
    void (*cpu_reset)(LoomCPU *cpu);
    /* Boot protocol: start at pc with the boot arguments (hart id is the
       cpu index; fdt the device-tree address or 0). */
    void (*cpu_set_boot)(LoomCPU *cpu, uint64_t pc, uint64_t fdt_addr);
    /* The key of the TB to run next. */
    void (*get_tb_cpu_state)(LoomCPU *cpu, uint64_t *pc, uint32_t *flags);
    /* Which MMU mode instruction fetch uses now. */
    int (*mmu_index)(LoomCPU *cpu, bool ifetch);
    /* Translate one TB at tb->pc with tb->flags into ir (usually by
       calling loom_translator_loop). */
    void (*translate)(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns);
    /* Set guest state (pc...) from an insn_start's data words. */
    void (*restore_state)(LoomCPU *cpu, const uint64_t *data);
    /* Is an interrupt pending that wakes a halted vCPU? */
    bool (*cpu_has_work)(LoomCPU *cpu);
    /* Between TBs with LOOM_INTERRUPT_HARD set: take an interrupt if one
       is pending and enabled (deliver it and return true). */
    bool (*exec_interrupt)(LoomCPU *cpu);
    /* Deliver the exception in cpu->exception_index. */
    void (*do_interrupt)(LoomCPU *cpu);
    /* Page-table walk for vaddr.  On success call loom_tlb_set_page and
       return true; on a fault return false if probe, else raise the guest
       exception (loom_cpu_loop_exit_restore(cpu, ra)). */
    bool (*tlb_fill)(LoomCPU *cpu, uint64_t vaddr, int size, int access,
                     int mmu_idx, bool probe, uintptr_t ra);
    /* Raise the guest's misaligned-access exception.  Never returns. */
    void (*do_unaligned_access)(LoomCPU *cpu, uint64_t vaddr, int access,
                                int mmu_idx, uintptr_t ra);
    /* Raise the guest's access fault for a physical address with nothing
       behind it.  Never returns. */
    void (*do_transaction_failed)(LoomCPU *cpu, uint64_t paddr, uint64_t vaddr,
                                  int access, int mmu_idx, uintptr_t ra);
    /* Set interrupt input line `line` (index into irq_lines) to level.
       Called from device code with the BQL held. */
    void (*set_irq)(LoomCPU *cpu, int line, int level);
    /* Print the architectural state (-d cpu, monitor). */
    void (*dump_state)(LoomCPU *cpu, FILE *f);
    /* Add vCPU cpu's node under /cpus (offset cpus) of the libfdt tree
       blob, with an interrupt-controller subnode whose phandle is
       intc_phandle.  May be NULL. */
    bool (*fdt_cpu)(LoomCPU *cpu, void *blob, int cpus, uint32_t intc_phandle,
                    char **err);

    /* --- debugger support (the gdbstub, -s/-gdb), since ABI 1.2; each
       may be NULL, and the stub then offers less --- */
    /* GDB's target description: the XML document called annex
       ("target.xml", and any file it includes), or NULL if there is no
       such document.  The text lives as long as the plugin. */
    const char *(*gdb_xml)(LoomCPU *cpu, const char *annex);
    /* Register n in the target description's numbering (regnum): store
       its value in target byte order in buf (at least 64 bytes) and
       return its size in bytes, or 0 if there is no register n.  The
       'g' packet carries registers 0, 1, ... up to the first n that
       returns 0.  Runs on cpu's own thread while the debugger holds it
       stopped. */
    int (*gdb_read_reg)(LoomCPU *cpu, int n, uint8_t *buf);
    /* Set register n from buf (target byte order) as the debugger's
       write; returns its size in bytes, or 0 if there is no register n
       or it cannot be written.  Same thread rules as gdb_read_reg. */
    int (*gdb_write_reg)(LoomCPU *cpu, int n, const uint8_t *buf);
    /* The guest-physical address of vaddr for a data access through the
       vCPU's current translation, without side effects: no TLB fill, no
       accessed/dirty bit update, no fault.  False if vaddr is unmapped.
       Any thread, while cpu is stopped. */
    bool (*debug_translate)(LoomCPU *cpu, uint64_t vaddr, uint64_t *paddr);

    /* --- image checks; 0 means "not declared, not checked" --- */
    /* The ELF e_machine of the guest's images (EM_RISCV = 243): the
       loader refuses an ELF for another machine. */
    uint16_t elf_machine;
    /* log2 of the smallest instruction alignment the ISA has (1 for
       RISC-V: 2 bytes, with C): the loader refuses an entry point that
       is not aligned to it. */
    uint8_t insn_align_bits;

    void *reserved[16];         /* zero; room for minor-version additions */
} LoomFrontendOps;

#endif /* LOOM_FRONTEND_H */
