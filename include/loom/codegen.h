/*
 * Machinery shared by host code generators (core/codegen.c).
 *
 * A JIT back-end is two parts: a target description (LoomTargetDesc: the
 * host's registers and their roles, as data, plus the few instructions
 * the core needs to move a value between a register and memory) and an
 * emitter (instruction encodings and the lowering of each IR op).  The
 * core does what does not depend on the host's instruction set:
 *   - liveness: where each ebb/tb temp dies (loom_cg_liveness);
 *   - the register cache: which allocatable register holds which temp,
 *     spilling to the temp's home (env for globals, a frame slot for the
 *     rest), storing globals before memory ops, calls and exits;
 *   - labels and their fixups, patched through one target hook;
 *   - a queue of out-of-line slow paths, emitted after the TB's code;
 *   - the per-TB code info after the code: goto_tb patch offsets and the
 *     host offset of each guest insn, with a generic unwind lookup
 *     (loom_cg_unwind can be the back-end's unwind hook as it is).
 * Encoding choices (two-address forms, immediates, fixed registers of
 * particular instructions) stay in the emitter: it asks the core for
 * the register holding a source (giving a scratch register to load it
 * into when it is not cached) and for the register receiving a result.
 *
 * One LoomCodegen per translating thread (loom_cg_thread); all calls for
 * one TB happen on that thread.  Code offsets are bytes from the TB's code
 * start, as the emitter counts them.
 */
#ifndef LOOM_CODEGEN_H
#define LOOM_CODEGEN_H

#include <loom/ir.h>
#include <loom/cpu.h>

#define LOOM_CG_MAX_REGS 64     /* host registers are numbered 0..63 */

typedef struct LoomTargetDesc {
    /* --- registers, as data --- */
    /* Registers the cache may hold temps in, most preferred first (a
       free one is taken in this order; a full cache evicts the least
       recently used). */
    const int8_t *alloc_regs;
    uint8_t nb_alloc_regs;
    int8_t env_reg;             /* holds the vCPU's env for the whole run */
    int8_t frame_reg;           /* base of the temp frame */
    uint8_t slot_size;          /* bytes per frame slot */
    int32_t frame_ofs;          /* slot s is at [frame_reg + frame_ofs + s * slot_size] */
    /* Registers a helper call clobbers (bit r: register r).  Those among
       alloc_regs are written back and forgotten by loom_cg_before_call. */
    uint64_t call_clobbered;
    /* Registers the emitter uses inside one op (never cached across ops);
       for documentation and checks: loom_cg_new refuses an allocatable
       register that is also scratch or the env or frame register. */
    uint64_t scratch_regs;
    /* Alignment the host needs of a global's env offset to load it whole
       (0 or 1: none).  gen_code gets -2 (not translatable) otherwise. */
    uint8_t global_align;
    uint8_t reserved_u8[7];

    /* --- the instructions the core needs (the emitter's encodings) ---
       e is the emitter's state as given to loom_cg_begin. */
    void (*load)(void *e, int reg, int base, int32_t ofs);      /* reg = [base + ofs], 64-bit */
    void (*store)(void *e, int reg, int base, int32_t ofs);     /* [base + ofs] = reg, 64-bit */
    void (*mov)(void *e, int dst, int src);                     /* dst = src, 64-bit */
    void (*movi)(void *e, int reg, uint64_t val);               /* reg = val */
    /* Make the branch recorded at code offset `at` (loom_cg_jump_label)
       reach code offset `target`; kind is the emitter's own tag.  False
       if the target is out of the branch's reach. */
    bool (*patch_label)(uint8_t *code, uint32_t at, uint32_t target, unsigned kind);
    void *reserved[8];
} LoomTargetDesc;

/* An out-of-line slow path (softmmu miss), queued while lowering and
   emitted by the back-end after the TB's code.  The fields are the
   emitter's to use; the core only stores them.  A slow path runs with
   the register cache as the fast path left it: if it calls out and some
   allocatable register is call-clobbered, the emitter saves the cached
   ones around the call (x86_64 allocates callee-saved registers only). */
typedef struct LoomCGSlowPath {
    uint32_t jump_ofs;          /* the fast path's branch that leads here */
    uint32_t cont_ofs;          /* where the fast path continues */
    uint16_t opc;               /* the IR op */
    uint8_t memop;
    uint8_t mmu_idx;
    int8_t addr_reg;            /* where the address is */
    int8_t val_reg;             /* the loaded or stored value's register */
    uint16_t flags;             /* emitter-defined */
    uint64_t data;              /* emitter-defined */
} LoomCGSlowPath;

/* What a JIT back-end leaves after a TB's code (tb->backend_data):
   found by set_jmp_target and by the unwinder. */
typedef struct LoomCodeInfo {
    uint32_t jmp_ofs[2];        /* code offset of goto_tb slot n's patch site, 0: none */
    uint32_t code_len;          /* bytes of code, slow paths included */
    uint32_t nb_insns;
    uint32_t insn_ofs[];        /* code offset of each guest insn's first byte */
} LoomCodeInfo;

typedef struct LoomCodegen LoomCodegen;

/* A code generator for one thread, or NULL with a one-line error logged
   (naming the bad field) if desc is unusable. */
LOOM_API LoomCodegen *loom_cg_new(const LoomTargetDesc *desc);
LOOM_API void loom_cg_free(LoomCodegen *cg);

/* The calling vCPU thread's code generator for desc: made (loom_cg_new)
   on its first call, the same one after, freed by the core when the
   thread ends (a warm reset ends the vCPU threads and starts new ones).
   NULL as loom_cg_new.  A back-end's gen_code calls this each time. */
LOOM_API LoomCodegen *loom_cg_thread(const LoomTargetDesc *desc);

/* Start a TB: frame slots, liveness, empty cache, labels, slow paths and
   insn table.  e is passed back to the desc's hooks.  Returns false if
   the IR is too large or a global is misaligned for the host (the TB is
   then not translatable: gen_code returns -2). */
LOOM_API bool loom_cg_begin(LoomCodegen *cg, const LoomIRContext *ir, void *e);
/* Set when the core met IR it cannot handle (a write to a constant, a
   label out of range, too many branches); the TB must not be used. */
LOOM_API bool loom_cg_failed(const LoomCodegen *cg);

/* ---- liveness ----
   dead[i] bit k is set when the value of arg k of op i is not read
   after op i.  tb temps are live at labels and branches; ebb temps do not
   cross labels; nothing is live after an exit.  (Globals get the bit too,
   but the register cache ignores it for them: their homes in env are
   what the next TB and the core read.)  dead holds
   ir->nb_ops bytes.  (loom_cg_begin runs it; exported for tests and for
   back-ends that allocate differently.) */
LOOM_API void loom_cg_liveness(const LoomIRContext *ir, uint8_t *dead);
/* Does temp t die at the op being lowered? */
LOOM_API bool loom_cg_dies_here(const LoomCodegen *cg, LoomIRTemp t);

/* ---- the register cache ----
   Each lowering of op i is bracketed by loom_cg_op_begin(cg, i) and
   loom_cg_op_end(cg): the first stores globals before a guest memory op
   and ends the block at labels and branches, the second frees the
   registers of inputs that died and forgets everything after an
   unconditional jump or exit. */
LOOM_API void loom_cg_op_begin(LoomCodegen *cg, uint32_t i);
LOOM_API void loom_cg_op_end(LoomCodegen *cg);
/* A register holding t's value for the current op to read: its cached
   register, or else `scratch` loaded with it (a constant is always
   materialised in scratch, the env temp is env_reg).  A variable used
   again later is cached on the way. */
LOOM_API int loom_cg_src_reg(LoomCodegen *cg, LoomIRTemp t, int scratch);
/* The register receiving t's new value (cached, dirty).  Call it after
   the op's loom_cg_src_reg calls: the sources were touched by this op,
   so the LRU choice does not evict them while three registers suffice. */
LOOM_API int loom_cg_dst_reg(LoomCodegen *cg, LoomIRTemp t);
/* Store the dirty cached globals (only those overlapping env [ofs,
   ofs + size) when size > 0); forget them too if asked. */
LOOM_API void loom_cg_sync_globals(LoomCodegen *cg, bool forget, int32_t ofs, unsigned size);
/* End of a basic block: every dirty value to its home, nothing cached. */
LOOM_API void loom_cg_sync_all(LoomCodegen *cg);
/* Before a helper call with LOOM_IR_CALL_* flags: globals stored (and
   forgotten if it may write them) unless the helper neither raises nor
   touches globals; call-clobbered cached registers written back and
   forgotten. */
LOOM_API void loom_cg_before_call(LoomCodegen *cg, unsigned call_flags);

/* ---- labels, branches, guest insns, goto_tb ---- */
LOOM_API void loom_cg_set_label(LoomCodegen *cg, uint32_t label, uint32_t ofs);
/* The branch whose patch site is at code offset `at` goes to label. */
LOOM_API void loom_cg_jump_label(LoomCodegen *cg, uint32_t label, uint32_t at, unsigned kind);
LOOM_API void loom_cg_insn_start(LoomCodegen *cg, uint32_t ofs);
/* goto_tb slot's patch site; false if the slot is taken or out of range
   (the goto_tb then stays unchained). */
LOOM_API bool loom_cg_goto_tb(LoomCodegen *cg, unsigned slot, uint32_t at);
LOOM_API bool loom_cg_goto_tb_free(const LoomCodegen *cg, unsigned slot);

/* ---- slow paths ---- */
/* A new queued slow path (zeroed, opc/jump/cont filled), NULL (and the
   TB failed) if the queue is full. */
LOOM_API LoomCGSlowPath *loom_cg_add_slow(LoomCodegen *cg, uint16_t opc, uint32_t jump_ofs,
                                          uint32_t cont_ofs);
LOOM_API uint32_t loom_cg_nb_slow(const LoomCodegen *cg);
LOOM_API const LoomCGSlowPath *loom_cg_slow(const LoomCodegen *cg, uint32_t n);

/* ---- the end of a TB ----
   Patch every label fixup in code and write the LoomCodeInfo at the
   first 8-byte aligned address at or after code + code_len, not past
   limit.  Returns it, or NULL if it does not fit (*full set) or a label
   was never placed or out of reach (the TB failed). */
LOOM_API LoomCodeInfo *loom_cg_finish(LoomCodegen *cg, uint8_t *code, uint32_t code_len,
                                      uint8_t *limit, bool *full);

/* The unwind hook for back-ends using LoomCodeInfo: the TB cpu is running
   (cpu->current_tb, which translated code records on entry) and the
   guest insn whose host code contains ra - 1 (ra is a return address). */
LOOM_API bool loom_cg_unwind(LoomCPU *cpu, uintptr_t ra, LoomTB **tb, int *insn);
/* The guest insn whose host code contains code offset ofs, -1 if none. */
LOOM_API int loom_cg_insn_at(const LoomCodeInfo *info, uint32_t ofs);

#endif /* LOOM_CODEGEN_H */
