/*
 * Guest ISA front-ends.  A front-end translates guest code into IR and
 * describes the guest's CPU to the core; it never runs guest code itself.
 */
#ifndef LOOM_FRONTEND_H
#define LOOM_FRONTEND_H

#include <loom/cpu.h>

/* The most phandles a vCPU may reserve (LoomFrontendOps.fdt_cpu_phandles). */
#define LOOM_FDT_MAX_CPU_PHANDLES 16

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
    /* Set up the front-end's context from tb->flags/flags2 and the vCPU. */
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

/*
 * One boot, as the core loads it and the front-end's boot protocol
 * places and enters it (LoomFrontendOps.boot_place and boot_cpu).  The
 * core loads a raw -bios at the machine file's firmware-address (RAM
 * start by default, or flash) and a raw -kernel at kernel_addr (ELF
 * images at their own addresses), builds the device tree, asks
 * boot_place where the tree and -initrd go, checks that nothing overlaps
 * and that everything is in RAM, copies them, then calls boot_cpu for
 * every vCPU.  All addresses are guest-physical.
 */
typedef struct LoomBootInfo {
    uint64_t ram_base, ram_size;
    const char *firmware;       /* -bios FILE, or NULL */
    const char *kernel;         /* -kernel FILE, or NULL */
    const char *initrd;         /* -initrd FILE, or NULL */
    uint64_t kernel_addr;       /* where a raw -kernel went */
    /* [start, end) of each image loaded (0, 0 if none) */
    uint64_t firmware_start, firmware_end;
    uint64_t kernel_start, kernel_end;
    uint64_t firmware_entry, kernel_entry;
    uint64_t entry;             /* where the vCPUs start: firmware's, else kernel's */
    uint64_t fdt_size;          /* the device tree's bytes */
    uint64_t initrd_size;       /* -initrd's bytes (0 without -initrd) */
    /* set by boot_place */
    uint64_t fdt_addr;
    uint64_t initrd_addr;
    uint64_t reserved[8];       /* zero; room for minor-version additions */
} LoomBootInfo;

/* The usual placement, for boot_place hooks: the device tree at the top
   of RAM (below limit when RAM starts below it; limit 0: no limit),
   aligned down to fdt_align, or to initrd_align when that would put it
   below RAM; -initrd right below it, aligned down to initrd_align (both
   powers of two).  False with *err set when they do not fit. */
LOOM_API bool loom_boot_place_top(LoomBootInfo *bi, uint64_t fdt_align, uint64_t limit,
                                  uint64_t initrd_align, char **err);

typedef struct LoomFrontendOps {
    /* --- capabilities, as data --- */
    bool supports_mttcg;        /* safe to run vCPUs in parallel */
    uint32_t guest_default_mo;  /* LOOM_MO_* the guest's plain accesses promise */
    uint32_t max_atomic_bits;   /* widest atomic the guest needs */
    /* data words each insn_start carries (1..LOOM_IR_MAX_INSN_START_WORDS);
       restore_state gets that many */
    uint32_t insn_start_words;
    uint32_t env_size;          /* bytes of per-vCPU env */
    uint32_t page_bits;         /* guest page size: 12, 14 or 16 (4/16/64 KiB) */
    /* The longest instruction in bytes (0: not declared, taken as 16).
       A TB's insns all start on its first page; the last may reach
       into following pages, as many as this allows, and every page a TB
       covers is part of its key. */
    uint32_t max_insn_bytes;
    uint32_t nb_mmu_modes;      /* 1..LOOM_TLB_MAX_MODES; sizes the TLB */
    const char *default_cpu;    /* default -cpu model */
    /* The guest ISA's name in messages ("RISC-V"): the loader names it
       when it refuses an image built for another machine. */
    const char *isa_name;
    /* NULL-terminated names of the vCPU's interrupt input lines, wired
       by devices as "cpuN.<name>" */
    const char *const *irq_lines;
    /* Device-tree phandles the core reserves for each vCPU's own nodes
       (0..LOOM_FDT_MAX_CPU_PHANDLES), before any fdt hook runs, so that
       devices can refer to nodes that do not exist yet: vCPU n gets
       1 + n * fdt_cpu_phandles onwards, and devices' phandles follow
       every vCPU's.  riscv64: 1 (each hart's interrupt controller); an
       ISA whose per-CPU interrupt interfaces are one device's (a GIC)
       needs none. */
    uint32_t fdt_cpu_phandles;

    /* --- hooks --- */
    /* Once, before any vCPU exists: declare IR globals (loom_ir_global_i64). */
    void (*global_init)(void);
    /* Check and parse -cpu MODEL[,prop=val...]; NULL model = default.
       Returns false and sets *err (g_strdup'ed sentence) on bad input. */
    bool (*cpu_init)(LoomCPU *cpu, const char *model, char **err);
    /* Architectural reset. */
    void (*cpu_reset)(LoomCPU *cpu);
    /* Boot protocol, placement: set bi->fdt_addr and bi->initrd_addr
       (see LoomBootInfo; loom_boot_place_top does the usual).  False
       with *err set (one sentence naming the fix) when they do not fit.
       NULL: loom_boot_place_top with page alignment and no limit. */
    bool (*boot_place)(LoomBootInfo *bi, char **err);
    /* Boot protocol, entry: set vCPU cpu's registers to start at
       bi->entry with whatever arguments the protocol passes (the
       device tree's address, the cpu index...). */
    void (*boot_cpu)(LoomCPU *cpu, const LoomBootInfo *bi);
    /* The key of the TB to run next: its pc and two words of front-end
       state that translation depends on (mode, privilege, ...; flags2
       for state that does not fit in flags, such as a segment base or
       a vector configuration; 0 when unused).  Every bit counts: TBs
       translated under different words are different TBs. */
    void (*get_tb_cpu_state)(LoomCPU *cpu, uint64_t *pc, uint64_t *flags, uint64_t *flags2);
    /* Which MMU mode instruction fetch uses now. */
    int (*mmu_index)(LoomCPU *cpu, bool ifetch);
    /* Translate one TB at tb->pc with tb->flags into ir (usually by
       calling loom_translator_loop). */
    void (*translate)(LoomCPU *cpu, LoomIRContext *ir, LoomTB *tb, int max_insns);
    /* Set guest state (pc...) from an insn_start's insn_start_words data
       words. */
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
       blob.  The vCPU's fdt_cpu_phandles reserved phandles are
       first_phandle, first_phandle + 1, ... (first_phandle is 0 when
       fdt_cpu_phandles is 0); the hook puts them on whatever nodes the
       ISA's binding has (riscv64: the hart's interrupt-controller
       subnode).  Set *intc_phandle (0 on entry) to the one that devices
       wired to the vCPU's irq_lines refer to, which they get from
       loom_fdt_cpu_intc_phandle, or leave it 0 if the vCPU has no
       interrupt-controller node of its own.  May be NULL. */
    bool (*fdt_cpu)(LoomCPU *cpu, void *blob, int cpus, uint32_t first_phandle,
                    uint32_t *intc_phandle, char **err);

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
    /* The ELF e_machine of the guest's images (e.g. 183 for AArch64):
       the loader refuses an ELF for another machine. */
    uint16_t elf_machine;
    /* log2 of the smallest instruction alignment the ISA has (1 for
       2-byte instructions): the loader refuses an entry point that is
       not aligned to it. */
    uint8_t insn_align_bits;

    void *reserved[16];         /* zero; room for minor-version additions */
} LoomFrontendOps;

#endif /* LOOM_FRONTEND_H */
