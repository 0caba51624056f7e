/*
 * The core's private declarations, shared between core modules.
 *
 * Lock order, outermost first.  This is the one statement of it:
 * modules name their own locks and point here; docs/design.md, "Lock
 * order", explains it.
 *
 *   BQL  ->  page locks (tb-page.c; a TB's pages at once in ascending
 *            physical address; spin locks, and no-wait sections: see rcu.h)
 *        ->  pages_lock (tb-page.c, the list of code pages)
 *        ->  TB cache lock (tb.c)
 *        ->  a vCPU's lock (cpus.c; one shared lock in single-threaded
 *            mode)  ->  log lock (log.c)
 *   exclusive-section lock (cpus.c)  ->  a vCPU's lock
 *   QHT resize lock  ->  QHT bucket locks (qht.c, in index order)
 *
 * Leaves, taken with any of the above held and taking nothing while they
 * are held: the QHT bucket locks (from tb.c under page locks and the TB
 * cache lock; the comparison callbacks take no lock), the rcu registry
 * lock (rcu.c), the gdbstub's breakpoint lock and state lock (gdbstub.c).
 * The BQL and the exclusive-section lock are never held together.
 *
 * Never while a lock is held: running translated code; start_exclusive
 * (a running vCPU may be waiting for that lock, say the BQL in an MMIO
 * access, and the section would wait for it for ever); waiting for a
 * grace period (rcu_synchronize asserts no page lock is held).  Guest
 * exceptions unwind with siglongjmp to cpu_exec: every path that can
 * raise (softmmu slow paths, helpers, the code fetch while translating)
 * does so before taking any lock, and device callbacks never raise.
 */
#ifndef LOOM_CORE_INTERNAL_H
#define LOOM_CORE_INTERNAL_H

#include <setjmp.h>
#include <pthread.h>
#include <glib.h>
#include <gmodule.h>
#include <loom/loom.h>

/* ---- plugins (plugin.c) ---- */
typedef struct LoomPlugin {
    char *path;
    char *file;                         /* basename, for messages */
    GModule *module;
    const LoomPluginDescriptor *desc;
} LoomPlugin;

void plugin_path_init(const char *cmdline_dir);
/* Load the plugin of `kind` called `name`; NULL with *err set. */
LoomPlugin *plugin_load(LoomPluginKind kind, const char *name, char **err);
/* Load one file and check it; NULL with *err set. */
LoomPlugin *plugin_load_file(const char *path, LoomPluginKind kind, char **err);
void plugin_unload(LoomPlugin *p);
/* Print "name  description (file)" for every plugin of kind found. */
void plugin_list(LoomPluginKind kind, FILE *f);
const char *plugin_kind_name(LoomPluginKind kind);
void plugin_unload_all(void);
/* The back-end used without backend=: the host's JIT if found, else interp. */
const char *plugin_default_backend(void);

/* ---- log.c ---- */
bool log_parse_items(const char *list, uint32_t *mask, char **err);
void log_print_help(FILE *f);
bool log_set_file(const char *path, char **err);
/* -dfilter: add ranges; is a TB starting at pc to be logged?  Mute drops
   this thread's log lines until unmuted. */
bool log_set_filter(const char *list, char **err);
bool log_pc_wanted(uint64_t pc);
void log_mute(bool mute);
void log_close(void);
/* Core-only log items take bits from the top, so that the plugin-visible
   ones in include/loom/cpu.h (from the bottom) never collide with them. */
#define LOOM_LOG_JIT (1u << 31)         /* -d jit: translation statistics at exit */

/* ---- errors: one line, then exit(1) ---- */
void loom_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void loom_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- ir.c ---- */
/* The plugin whose global_init declares the IR globals (messages). */
void loom_ir_globals_source(const char *plugin);
void loom_ir_globals_reset(void);
LoomIRContext *loom_ir_context_new(void);
void loom_ir_context_free(LoomIRContext *s);
void loom_ir_context_reset(LoomIRContext *s);
/* Release ebb temps allocated since the last call (translator loop). */
void loom_ir_release_ebb_temps(LoomIRContext *s);
bool loom_ir_nearly_full(const LoomIRContext *s);
/* The memorder pass's settings (core/ir-memorder.c), from now until
   the next reset; set before translating, so that loom_ir_nearly_full
   leaves room for what the pass adds.  mb_insert: every guest load gets
   an `mb` of mo & (LD_LD | ST_LD) before it and every guest store one of
   mo & (LD_ST | ST_ST); mo is what the guest's memory order needs and
   the host back-end does not give; 0 = none (DESIGN 4). */
void loom_ir_set_mb_insert(LoomIRContext *s, uint32_t mo);
/* Atomics that exit (docs/design.md, "Atomics"): an atomic op wider than
   max_bits becomes a call that raises LOOM_EXCP_ATOMIC (0: every atomic;
   LOOM_IR_ATOMIC_EXIT_NONE: none). */
#define LOOM_IR_ATOMIC_EXIT_NONE UINT32_MAX
void loom_ir_set_atomic_exit(LoomIRContext *s, uint32_t max_bits);
/* The memorder pass: applies those settings to the IR translated so far
   (tb_gen_code runs it right after translation, before the optimiser). */
void loom_ir_pass_memorder(LoomIRContext *s);
/* The ops the memorder pass adds for op (loom_ir_emit keeps the sum). */
unsigned loom_ir_memorder_extra(const LoomIROp *op, uint32_t mb_insert, uint32_t atomic_exit_bits);
/* Who builds the IR, until the next reset: plugin names the front-end in
   messages about bad ops (loom_ir_emit stops with one line naming plugin
   and op); fe's insn_start_words is checked on every insn_start; be's
   optional ops size loom_ir_nearly_full's reserve for legalisation.
   NULLs: nothing checked (unit tests). */
void loom_ir_set_source(LoomIRContext *s, const char *plugin, const LoomFrontendOps *fe,
                        const LoomBackendOps *be);
/* The memorder pass's settings in force. */
void loom_ir_get_modes(LoomIRContext *s, uint32_t *mb_insert, uint32_t *atomic_exit_bits);
/* The plugin named by loom_ir_set_source, for messages. */
const char *loom_ir_source(const LoomIRContext *s);
/* A new ebb temp that no op uses yet (never one from the free lists). */
LoomIRTemp loom_ir_temp_fresh(LoomIRContext *s, LoomIRType type);
/* -accel tcg,atomics=exclusive: every atomic op outside an exclusive
   section exits and is replayed alone.  Written once at startup. */
extern bool atomics_exclusive;
uint32_t loom_ir_nb_globals(void);
const LoomIRTempInfo *loom_ir_global_info(void);

/* ---- cpus.c ---- */
/* -accel tcg,mb-insert=off (testing only): the core inserts no barriers
   for a guest order the host lacks.  Written once at startup. */
extern bool mb_insert_enabled;

/* ---- legalize.c: optional ops a back-end lacks become ops it has ---- */
#define LOOM_IR_OPSET_WORDS ((LOOM_IR_OP_COUNT + 63) / 64)
/* be->optional_ops as a bitmap of opcodes.  False, with *err (if err is
   not NULL) naming the back-end's bad entry, for an entry that is not an
   optional op. */
bool loom_ir_opset_build(const LoomBackendOps *be, uint64_t set[LOOM_IR_OPSET_WORDS], char **err);
/* The most ops legalising one opc adds. */
unsigned loom_ir_legalize_cost(unsigned opc);
/* Rewrite, in place, every optional op be does not list into ops every
   back-end has.  Runs after the optimiser, before gen_code. */
void loom_ir_legalize(LoomIRContext *s, const LoomBackendOps *be);

/* ---- optimize.c ---- */
/* -accel tcg,opt=on|off; written once before any vCPU runs. */
extern bool loom_ir_opt_enabled;
/* Optimise a TB's IR in place (docs/design.md, "The IR optimiser"). */
void loom_ir_optimize(LoomIRContext *s);

/* ---- memory.c: guest physical address space ---- */
typedef struct PageDesc PageDesc;
typedef struct MemRegion {
    uint64_t base, size;
    uint8_t *ram;                       /* RAM: host memory, else NULL */
    /* RAM: one descriptor per guest page, for translated code (tb-page.c);
       allocated with the region, zero-filled lazily by the host */
    PageDesc *pages;
    const LoomMMIOOps *ops;             /* MMIO */
    void *opaque;
    bool lockless;
    bool swap;                          /* MMIO: registers are big-endian */
    char *name;
} MemRegion;

typedef struct AddressSpace {
    /* written during machine setup only, read-only while vCPUs run */
    MemRegion **regions;
    unsigned nb_regions;
} AddressSpace;

MemRegion *as_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size, char **err);
MemRegion *as_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                       const LoomMMIOOps *ops, void *opaque, bool lockless, char **err);
MemRegion *as_find(const AddressSpace *as, uint64_t addr);
/* Host pointer for [addr, addr+len) if it lies within one RAM region. */
uint8_t *as_ram_ptr(const AddressSpace *as, uint64_t addr, uint64_t len);
/* One device access: the value as the bytes at addr read little-endian
   (the core swaps for a big-endian device; the caller for a big-endian
   access). */
uint64_t mmio_read(MemRegion *r, uint64_t addr, unsigned size, LoomMemAttrs attrs);
void mmio_write(MemRegion *r, uint64_t addr, uint64_t val, unsigned size, LoomMemAttrs attrs);
/* The guest's byte order, for LOOM_ENDIAN_GUEST devices: written once
   before devices are created (no front-end declares big-endian yet). */
extern bool guest_big_endian;
void as_destroy(AddressSpace *as);

/* ---- machine.c ---- */
typedef struct MachineDesc MachineDesc;

struct LoomDevice {
    char *name;
    LoomPlugin *plugin;
    const LoomDeviceOps *ops;
    GHashTable *props;                  /* name -> value text */
    void *state;
    LoomMachine *machine;
    int irq_in_count;                   /* inputs declared by the device */
    LoomIRQ *irq_in;
    LoomChardev *chardev;
    char *origin;                       /* "file.machine [device x]" or "-device" */
};

struct LoomIRQ {
    LoomIRQHandler *handler;
    void *opaque;
    int n;
};

typedef enum ThreadMode { THREAD_AUTO, THREAD_SINGLE, THREAD_MULTI } ThreadMode;

typedef struct MachineOptions {
    const char *machine;                /* -M */
    const char *cpu_model;              /* -cpu */
    unsigned smp;
    uint64_t ram_size;                  /* 0 = machine default */
    ThreadMode thread;
    const char *backend;                /* NULL = default */
    /* -accel options the core does not know, "name=value", for the
       back-end's set_option hook (machine_create) */
    GPtrArray *backend_opts;
    uint64_t tb_size;                   /* code buffer bytes */
    const char *bios;                   /* NULL = none, "none", "default" = the machine's */
    const char *kernel;
    const char *initrd;                 /* -initrd */
    const char *append;                 /* -append: /chosen bootargs */
    const char *dumpdtb;                /* -machine ...,dumpdtb=FILE */
    /* -machine NAME=VALUE strings for the machine file's [option]s,
       checked by machine_create (machine-options.c); NULL if none */
    GPtrArray *machine_opts;
    bool machine_help;                  /* -machine ...,help */
    GPtrArray *devices;                 /* -device strings */
    bool serial_none;
} MachineOptions;

struct LoomMachine {
    char *name;
    char *description;
    char *file;
    /* the device tree root's compatible and model (machine file), or NULL */
    char *fdt_compatible, *fdt_model;
    uint64_t kernel_offset;             /* raw -kernel after firmware, from RAM start */
    uint64_t firmware_addr;             /* raw -bios goes here (default: RAM start) */
    uint64_t flash_base, flash_size;    /* a second memory region (0 size: none) */
    unsigned tb_max_pages;              /* pages a TB may cover (fe's max_insn_bytes) */
    LoomPlugin *frontend_plugin;
    const LoomFrontendOps *fe;
    LoomPlugin *backend_plugin;
    const LoomBackendOps *be;
    AddressSpace as;
    uint64_t ram_base, ram_size;
    unsigned nb_cpus;
    LoomCPU **cpus;
    GPtrArray *devices;                 /* LoomDevice * */
    LoomIRQ *cpu_irqs;                  /* nb_cpus * nb_cpu_irq_lines */
    unsigned nb_cpu_irq_lines;
    ThreadMode mode;                    /* resolved: single or multi */
    bool parallel;                      /* multi-threaded execution */
    /* orderings the core must insert for some vCPU (the union of the
       vCPUs' mb_insert); set once by cpus_choose_mode */
    uint32_t mb_needed;
    /* atomic: set once by loom_machine_shutdown */
    int shutdown_requested;
    int exit_status;                    /* protected by the BQL */
    int reset_requested;                /* atomic */
    unsigned next_serial;               /* setup-time: next -serial to hand out */
    char *bios, *kernel;                /* images to (re)load at boot */
    /* ELF symbols of the loaded images: name -> uint64_t * physical
       address (loader.c).  Written only by machine_boot, which runs on
       the startup/I/O thread while no vCPU runs; read from any thread
       while the machine runs (loom_machine_symbol). */
    GHashTable *symbols;
    char *initrd, *append;              /* -initrd, -append */
    /* the device tree machine_boot built (g_malloc'ed), its size and
       guest-physical address; setup-time only */
    void *fdt;
    size_t fdt_size;
    uint64_t fdt_addr;
    /* interface.c: name -> published interface; written at setup time
       only, read-only once vCPUs run; NULL until the first publish */
    GHashTable *interfaces;
};

/* ---- interface.c: the registry of interfaces between plugins ---- */
void interfaces_free(LoomMachine *m);

/* ---- machine-file.c: machine files with include= and overrides ---- */
typedef struct MachineFile MachineFile;
/* Load path and its includes, merged; NULL with *err set (file:line). */
MachineFile *machine_file_load(const char *path, char **err);
void machine_file_free(MachineFile *mf);
GKeyFile *machine_file_keys(const MachineFile *mf);
const char *machine_file_path(const MachineFile *mf);
/* "file:LINE" that gave key (or the group header if key is NULL). */
char *machine_file_where(const MachineFile *mf, const char *group, const char *key);
/* Set every key of group from in group too (machine_file_where of those
   keys then names from's lines). */
void machine_file_override(MachineFile *mf, const char *group, const char *from);
/* A machine by name (the machine directories) or path; NULL with *err. */
char *machine_find_file(const char *arg, char **err);

/* ---- machine-options.c: [option NAME] groups and conditional devices ---- */
/* Every option's value (name -> value): the defaults, overridden by the
   -machine NAME=VALUE strings in given (may be NULL); NULL with *err set
   (one line naming the valid options or values). */
GHashTable *machine_options_resolve(const MachineFile *mf, const char *machine,
                                    const GPtrArray *given, char **err);
/* Lay each [machine if OPTION=VALUE] group whose condition holds over
   [machine], in file order; false with *err set for a bad condition. */
bool machine_options_apply_machine(MachineFile *mf, GHashTable *vals, char **err);
/* For the device group `group` of the merged file: 1 with *name (the
   device's) and *use (the group whose keys to use, maybe a conditional
   one) g_strdup'ed; 0: skip it (a condition does not hold, or it stands
   in another group's place); -1 with *err set. */
int machine_options_select(const MachineFile *mf, GHashTable *vals, const char *group,
                           char **name, char **use, char **err);
/* -M NAME,help: the options of machine NAME on f; false with *err set. */
bool machine_options_help(const char *machine, FILE *f, char **err);

/* Parse the machine named or given as a file; NULL with *err set. */
LoomMachine *machine_create(const MachineOptions *opt, char **err);
void machine_list(FILE *f);
void machine_reset(LoomMachine *m);
/* Load -bios/-kernel and point every vCPU at the entry (also after a
   reset, which reloads the images); false with *err set. */
bool machine_boot(LoomMachine *m, char **err);
void machine_destroy(LoomMachine *m);
/* Devices: -device help / TYPE,help */
bool device_help(const char *arg, FILE *f, char **err);
/* Parse "0x1000", "128M" ...; false on bad text */
bool parse_size(const char *s, uint64_t *out);

/* ---- options.c: command-line parsers that need no machine ---- */
/* Each returns false with *err set to the one-line message for the user. */
/* -machine [NAME][,dumpdtb=FILE][,OPTION=VALUE...][,help]: *name
   g_strdup'ed, NULL if arg names no machine (QEMU's -machine OPTION=VALUE
   after -M); dumpdtb, the options and help into opt. */
bool options_parse_machine(const char *arg, char **name, MachineOptions *opt, char **err);
/* -accel tcg[,...]: thread, tb-size, backend (g_strdup'ed into opt), and
   the globals atomics_exclusive and loom_ir_opt_enabled. */
bool options_parse_accel(const char *arg, MachineOptions *opt, char **err);
/* -smp N[,cpus=N] */
bool options_parse_smp(const char *arg, unsigned *n, char **err);
/* -m [size=]SIZE, bytes into *out */
bool options_parse_ram_size(const char *arg, uint64_t *out, char **err);

/* ---- fdt.c: the guest's device tree ---- */
/* Build and pack the tree for m: bootargs (or NULL) in /chosen, and
   placeholder linux,initrd-start/end when initrd.  g_malloc'ed blob of
   *size bytes, or NULL with *err set. */
void *fdt_build(LoomMachine *m, const char *bootargs, bool initrd, size_t *size, char **err);
/* Patch the initrd placeholders fdt_build left in /chosen. */
bool fdt_set_initrd(void *blob, uint64_t start, uint64_t end, char **err);

/* ---- cputlb.c (tlb-flush.c, ldst.c: core/cputlb.c says what is where) ---- */
extern unsigned tlb_page_bits;          /* set once at machine creation */
/* Entries per mode, fixed for the run so that a fast path can bake the
   index mask into its code (loom_tlb_fast_fixed).  Tables that grew and
   shrank with use cost the x86_64 fast path a load of the mask per
   access (intbench 4%) and the Linux boot the scans of bigger tables
   (tlb_code_sync, tag flushes), for no fewer misses that showed. */
#define TLB_BITS 8
/* Is the front-end's TLB geometry (page_bits, nb_mmu_modes) one the core
   supports?  false with *err naming the plugin file and the fix. */
bool tlb_geometry_check(const LoomFrontendOps *o, const char *file, char **err);
/* Allocate cpu's TLB for nb_modes MMU modes (1..LOOM_TLB_MAX_MODES),
   empty; the machine's front-end's nb_mmu_modes when 0. */
void tlb_alloc(LoomCPU *cpu, unsigned nb_modes);
/* Empty cpu's TLB, allocating it first (tlb_alloc(cpu, 0)) if needed. */
void tlb_init(LoomCPU *cpu);
void tlb_destroy(LoomCPU *cpu);
/* A zeroed vCPU with env_size bytes of env and its private part, with
   the tables of nb_modes MMU modes below it: mode m's table starts
   (m + 1) * TLB_TABLE_SPAN bytes below the vCPU, at the same distance
   from env on every vCPU so allocated (loom_tlb_fast_fixed).  Every
   vCPU that runs translated code comes from here; cpu_free gives it
   back. */
#define TLB_TABLE_SPAN ((size_t)sizeof(LoomTLBEntry) << TLB_BITS)
LoomCPU *cpu_alloc(size_t env_size, unsigned nb_modes);
void cpu_free(LoomCPU *cpu);
/* ---- ldst.c: code fetch through the TLB ---- */
/* Guest-physical address of code at vaddr (fills the TLB; faults raise). */
uint64_t tlb_code_phys(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uintptr_t ra);
uint8_t *tlb_code_ptr(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uintptr_t ra);
/* Where a fetch from vaddr would go now, without raising a guest fault:
   false if it would fault. */
bool tlb_code_phys_probe(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uint64_t *paddr);

/* ---- tb.c: the TB cache ---- */
typedef struct CodeRegion CodeRegion;

/*
 * What the core keeps beside each LoomTB (allocated as one TBCore, so
 * tb_links(tb) is free).  Invariants:
 *  - invalid (atomic) goes 0 -> 1 once: under tb_lock in tb_unpublish,
 *    or before anyone else sees the TB for one that runs once unpublished
 *    (tb_gen_code).  An invalid TB is in no hash table, jump cache hit or
 *    chain made after that point, but its memory stays until the next
 *    full flush, so a vCPU that already holds it may finish running it.
 *  - The TB covers nb_pages guest pages (1 <= nb_pages <= TB_MAX_PAGES):
 *    page 0 holds phys_pc, page n >= 1 is the physical page
 *    page_phys[n - 1] that virtual page n after pc's mapped to when the
 *    TB was translated.  All of them are its key.
 *  - page_next[n] links the TB into page n's list; protected by that
 *    page's lock.  Lists hold tagged pointers (tb | n): TBs are 64-byte
 *    aligned, so n fits below TB_PAGE_TAG.
 *  - jmp_in is the list of (tb | slot) chained into this TB, threaded
 *    through the sources' jmp_in_next[slot]; protected by tb_lock.
 */
/* The most guest pages a TB may cover: its first page, where every insn
   starts, and those its last insn reaches into (machine_create checks
   the front-end's max_insn_bytes against it). */
#define TB_MAX_PAGES 4
#define TB_PAGE_TAG ((uintptr_t)63)
_Static_assert(TB_MAX_PAGES <= TB_PAGE_TAG + 1, "page tags fit in a TB's alignment");

typedef struct TBLinks {
    uintptr_t page_next[TB_MAX_PAGES];
    uint64_t page_phys[TB_MAX_PAGES - 1];   /* pages 1.. (see above) */
    uint32_t nb_pages;
    uintptr_t jmp_in;
    uintptr_t jmp_in_next[2];
    bool invalid;
} TBLinks;
typedef struct TBCore {
    LoomTB tb;
    TBLinks links;
} TBCore;
static inline TBLinks *tb_links(LoomTB *tb)
{
    return &((TBCore *)tb)->links;
}
static inline unsigned tb_nb_pages(const LoomTB *tb)
{
    return ((const TBCore *)tb)->links.nb_pages;
}
static inline bool tb_invalid(LoomTB *tb)
{
    return __atomic_load_n(&tb_links(tb)->invalid, __ATOMIC_ACQUIRE);
}
/* Called with the TB's page lock held: make tb unreachable (hash table,
   jump caches, chains into it).  Idempotent. */
void tb_unpublish(LoomTB *tb);
/* TB cache pieces tb_gen_code (translate.c) uses: insert a built TB
   (tb_page_link's callback), grow the table with no page lock held,
   count a translation, remember a TB in a vCPU's jump cache. */
LoomTB *tb_publish(LoomTB *tb);
void tb_table_grow(void);
void tb_stats_translated(uint64_t code_bytes, uint64_t guest_insns);
void tb_jmp_cache_set(LoomCPU *cpu, LoomTB *tb);
bool tb_cache_init(uint64_t buffer_size, unsigned nb_regions, char **err);
void tb_cache_destroy(void);
LoomTB *tb_lookup(LoomCPU *cpu, uint64_t pc, uint64_t flags, uint64_t flags2, uint32_t cflags);
/* Translate and insert; the first inserter wins.  Never returns NULL. */
LoomTB *tb_gen_code(LoomCPU *cpu, uint64_t pc, uint64_t flags, uint64_t flags2, uint32_t cflags);
void tb_add_jump(LoomTB *tb, int n, LoomTB *dest);
/* Drop every TB.  Only when no vCPU runs translated code: inside an
   exclusive section, or with the vCPU threads stopped. */
void tb_flush_all(void);
void tb_jmp_cache_clear(LoomCPU *cpu);
typedef struct TBStats {
    uint64_t nb_tbs;                    /* TBs in the cache now (since the last flush) */
    uint64_t translated;                /* TBs ever inserted (racing losers not counted) */
    uint64_t code_bytes, guest_insns;   /* host code and guest insns of those, ever */
    uint64_t flushes;                   /* full flushes */
    uint64_t invalidated;               /* TBs invalidated one by one (code written) */
    /* filled by tb_get_stats, not kept: the code buffer and how much of it
       the regions use now (TB headers and insn data included) */
    uint64_t buffer_size, buffer_used;
    unsigned nb_regions;
} TBStats;
/* buffer_used reads each region's owner-only pointer: exact only with
   the vCPUs stopped or in an exclusive section. */
void tb_get_stats(TBStats *st);

/* ---- tb-region.c: the code buffer and its per-thread regions ---- */
/* Map the buffer and split it into nb_regions regions (false with *err
   when it cannot be mapped); unmap it. */
bool tb_regions_init(uint64_t buffer_size, unsigned nb_regions, char **err);
void tb_regions_destroy(void);
/* False if the host refused an executable code buffer (W^X policy). */
bool tb_code_executable(void);
/* -accel tcg,wx=on: the code buffer is mapped twice, writable and
   executable, never both (tb_regions_init; the back-end must declare
   supports_wx).  Written once at startup. */
extern bool tb_wx_enabled;
CodeRegion *tb_region(unsigned index);

/* Free the calling thread's loom_cg_thread code generator (codegen.c);
   every vCPU thread calls it as it ends. */
void codegen_thread_end(void);
/* Code region allocation, owner thread only (tb_gen_code): aligned
   space, NULL when the region is full; the next free byte and how many
   follow; giving back everything from a mark (a tb_region_free result)
   on; keeping used bytes of the free space. */
void *tb_region_alloc(CodeRegion *r, size_t size, size_t align);
uint8_t *tb_region_free(CodeRegion *r, size_t *avail);
void tb_region_rewind(CodeRegion *r, uint8_t *mark);
void tb_region_commit(CodeRegion *r, size_t used);
/* The region is full (or has no chunk yet) at mark, where the TB being
   built started: give it a fresh chunk (true: translate again); false
   when no chunk is left (flush).  Stops with an error naming tb-size
   when a TB does not fit in a whole chunk. */
bool tb_region_next(CodeRegion *r, uint8_t *mark);
/* Empty every region (tb_flush_all); the buffer fields of st. */
void tb_regions_reset(void);
void tb_regions_usage(TBStats *st);

/* ---- tb-page.c: translated code per physical page (self-modifying code) ---- */
/* Before translating at phys: make its page a code page whose writes no
   vCPU can do on the fast path any more (may wait for other vCPUs). */
void tb_page_protect(LoomCPU *cpu, uint64_t phys);
/* The code generation now; read before fetching a TB's guest bytes. */
uint64_t tb_page_snapshot(void);
/* Link a fully built TB into its pages' lists and publish it with
   publish(tb) (which returns the TB to use: tb, or an equal one already
   there) if no write to those pages and no protection change happened
   since snapshot; else return NULL (the caller runs tb once, unpublished). */
LoomTB *tb_page_link(LoomTB *tb, uint64_t snapshot, LoomTB *(*publish)(LoomTB *tb));
/* After guest RAM [paddr, paddr+len) was written outside the fast path:
   invalidate the TBs translated from it.  Any thread, no lock held.
   Returns false if none of it is (any longer) a code page. */
bool tb_page_written(LoomMachine *m, uint64_t paddr, uint64_t len);
/* Is the guest page at ppage in region mr a code page? */
bool tb_page_is_code(MemRegion *mr, uint64_t ppage);
/* The page descriptors of a RAM region [base, base+size); NULL if the
   host has no memory for them. */
PageDesc *tb_page_alloc(uint64_t base, uint64_t size);
void tb_page_free(PageDesc *pages, uint64_t base, uint64_t size);
/* Full flush, every vCPU stopped: empty every page's list. */
void tb_page_flush_all(void);
/* Owner: mark this vCPU's fast write entries for code pages NOTDIRTY if
   a protection happened since it last looked (cputlb.c). */
void tlb_code_sync(LoomCPU *cpu);
/* Run the cross-vCPU TLB flushes queued to the vCPUs this thread runs
   (none from a thread that runs no vCPU); with or without excl_lock. */
void tlb_flush_run_queued(void);
/* atomic: bumped by every tb_page_protect; see tb-page.c */
extern uint64_t tlb_code_gen;

/* ---- stats.c: translation statistics (-d jit, a monitor's info jit) ---- */
/* Append the statistics block (docs/manual.md, "Translation statistics")
   to out.  Reads owner-only per-vCPU counters: call it with the vCPUs
   stopped (at exit) or from safe work (async_safe_run_on_cpu). */
void stats_format_jit(LoomMachine *m, GString *out);
/* -d jit: log the block; main calls it once the vCPUs have stopped. */
void stats_log_jit(LoomMachine *m);

/* ---- cpu-exec.c ---- */
/* Run cpu until it halts, is asked to stop or its time slice ends.
   Returns the exception_index that ended it. */
int cpu_exec(LoomCPU *cpu);

/* ---- cpus.c: threads, halting, exclusive work ---- */
#define JMP_CACHE_BITS 12
#define JMP_CACHE_SIZE (1u << JMP_CACHE_BITS)

typedef struct WorkItem WorkItem;
typedef void RunOnCPUFunc(LoomCPU *cpu, void *data);

/*
 * The TLB of one MMU mode besides its fast-path table (cpu->tlb_fast[m]),
 * owner only.  io[i] is what fast-path entry i maps to.  Large pages:
 * every entry remembers the size of the mapping it came from, and
 * [lp_base, lp_base + lp_low] covers every large mapping entered since
 * the mode was last emptied (lp_low 0: none), so a page flush outside it
 * stays a one-entry flush and one inside it walks this mode's table.
 */
typedef struct IOTLBEntry {
    uint64_t paddr;                     /* physical page */
    MemRegion *mr;                      /* region holding its first byte */
    uint64_t tag;                       /* loom_tlb_set_page_tag's tag */
    bool tagged;                        /* false: every tag flush drops it */
    uint8_t size_bits;                  /* log2 of the mapping's size */
} IOTLBEntry;

typedef struct TLBMode {
    IOTLBEntry *io;                     /* as many as the table's entries */
    uint64_t lp_base, lp_low;
} TLBMode;

struct LoomCPUPrivate {
    sigjmp_buf jmp_env;                 /* owner only */
    pthread_t thread;
    /* lock protects the work queue, stop and the idle sleep; cond is
       signalled on kick, work and stop.  In single-threaded mode both
       point at the round-robin thread's shared pair. */
    pthread_mutex_t *lock;
    pthread_cond_t *cond;
    pthread_mutex_t own_lock;
    pthread_cond_t own_cond;
    WorkItem *work_first, *work_last;   /* protected by lock */
    bool stop;                          /* protected by lock */
    bool running;                       /* atomic: inside cpu_exec_start/end */
    /* setup-time (cpu_init, then cpus_choose_mode), read-only after:
       the vCPU's guest memory order if the front-end set one
       (loom_cpu_set_memory_order), and the barriers its translations
       get (loom_ir_set_mb_insert) */
    bool guest_mo_set;
    uint32_t guest_mo;
    uint32_t mb_insert;
    bool has_waiter;                    /* protected by the exclusive lock */
    /* owner only: an exclusive section (LOOM_EXCP_ATOMIC, cpu-exec.c) is
       running; guest insns it has run and may run in all */
    bool excl, excl_kicked;
    unsigned excl_done, excl_limit;
    /* atomic pointers, written by the owner and by flushes */
    LoomTB *jmp_cache[JMP_CACHE_SIZE];
    LoomIRContext *ir;                      /* owner only: translation scratch */
    /* owner only: the TLB beyond the fast-path tables (cputlb.c) */
    unsigned tlb_modes;                 /* nb_mmu_modes the TLB was sized for */
    /* cpu_alloc's block (the tables, then the vCPU), or NULL for a
       vCPU allocated elsewhere (unit tests), whose tables are
       allocated one by one */
    void *tlb_block;
    unsigned tlb_block_modes;           /* the modes it has tables for */
    TLBMode tlbm[LOOM_TLB_MAX_MODES];
    CodeRegion *region;                 /* owner thread's code region */
    /* atomic, written by the owner: the tlb_code_gen its TLB honours */
    uint64_t tlb_code_seen;
    struct {                            /* per-vCPU statistics, owner */
        uint64_t tbs_run, exits, translations;
        uint64_t excl_sections;         /* LOOM_EXCP_ATOMIC sections run */
    } stats;
};

void cpus_init(LoomMachine *m);
/* Decide the thread mode (DESIGN 4); logs the reasons with -d mttcg.
   Returns false with *err set for an impossible combination. */
bool cpus_choose_mode(LoomMachine *m, ThreadMode requested, char **err);
void cpus_start(LoomMachine *m);
void cpus_stop(LoomMachine *m);
void cpus_destroy(LoomMachine *m);
/* Owner: bracket execution of translated code for exclusive sections. */
void cpu_exec_start(LoomCPU *cpu);
void cpu_exec_end(LoomCPU *cpu);
/* Owner: run queued work; called between cpu_exec calls. */
void cpu_process_work(LoomCPU *cpu);
/* Owner: run now only the queued items whose function is fn. */
void cpu_run_queued_fn(LoomCPU *cpu, RunOnCPUFunc *fn);
void cpus_wake_exclusive_waiters(void);
void async_run_on_cpu(LoomCPU *cpu, RunOnCPUFunc *fn, void *data);
void async_safe_run_on_cpu(LoomCPU *cpu, RunOnCPUFunc *fn, void *data);
void start_exclusive(void);
void end_exclusive(void);
/* The run state: vm_stop holds every vCPU out of guest code (returning
   once none runs it) and stops the guest clock; vm_start lets them go.
   No lock held, not from a vCPU thread.  vm_start_stopped: the same
   before cpus_start (-S).  cpu_held: may cpu run no guest code now,
   for vm_stop or the debugger?  Any thread. */
void vm_stop(LoomMachine *m);
void vm_start(LoomMachine *m);
void vm_start_stopped(void);
bool vm_running(void);
bool cpu_held(LoomCPU *cpu);
extern LoomMachine *current_machine;    /* set once at startup */
extern __thread LoomCPU *current_cpu;   /* the vCPU this thread runs now */

/* ---- main-loop.c: the I/O thread ---- */
void main_loop_init(LoomMachine *m);
int main_loop_run(LoomMachine *m);      /* returns the exit status */
void main_loop_wakeup(void);
void timers_init(void);
void chardev_init(bool serial_stdio);
void chardev_flush(void);
void tty_restore(void);
LoomChardev *chardev_serial(unsigned index);
void clock_init(void);
/* Stop and restart the guest's clock (vm_stop, vm_start). */
void clock_pause(void);
void clock_resume(void);

/* ---- monitor.c: the console's escape keys and the monitor ---- */
/* I/O thread, without the BQL: take n bytes typed on stdin, act on the
   escape keys and monitor input, append the guest's bytes to to_guest. */
void mux_input(LoomMachine *m, const uint8_t *buf, size_t n, GByteArray *to_guest);

/* ---- loader.c ---- */
/* Load an ELF or raw image at its addresses (raw: at load_addr).
   Sets *entry and the loaded range [*start, *end); false with *err set. */
bool load_image(LoomMachine *m, const char *path, uint64_t load_addr,
                uint64_t *entry, uint64_t *start, uint64_t *end, char **err);

#endif /* LOOM_CORE_INTERNAL_H */
