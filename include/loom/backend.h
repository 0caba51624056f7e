/*
 * Host code generators.  A back-end turns one LoomIRContext into something it
 * can run (host code, or pre-decoded ops for the interpreter) and runs it.
 *
 * A JIT back-end is a target description plus an emitter: the liveness
 * pass, register cache, labels, slow-path queue and the per-TB code info
 * with its unwind lookup are the core's (loom/codegen.h), driven by the
 * LoomTargetDesc the back-end gives (registers and their roles as data,
 * a few move hooks); the back-end keeps the encodings and op lowering.
 */
#ifndef LOOM_BACKEND_H
#define LOOM_BACKEND_H

#include <loom/cpu.h>

typedef struct LoomBackendOps {
    /* --- capabilities, as data --- */
    uint32_t host_default_mo;   /* LOOM_MO_* the host gives for free */
    bool can_emit_mb;           /* implements the mb op */
    uint32_t max_atomic_bits;   /* widest IR atomic it does atomically */
    /* The optional IR ops (ir-ops.h, loom_ir_op_is_optional) it implements,
       as LOOM_IR_OP_* values ending with 0 (LOOM_IR_OP_nop); NULL: none.
       The core legalises every other optional op into ops all back-ends
       have before gen_code, so gen_code never sees one it did not list. */
    const uint16_t *optional_ops;
    /* The host its code runs on, as the CPU field of a GNU triplet
       ("x86_64", "aarch64", "riscv64"), or LOOM_HOST_ARCH_ANY for a
       back-end in portable C (the interpreter).  Required.  The core
       refuses a back-end for another host, and picks as its default the
       first back-end in the plugin path built for the running host, else
       the first for any host. */
    const char *host_arch;
    /* Runs from a code buffer mapped twice (-accel tcg,wx=on): gen_code
       writes at buf, and that code runs at buf + loom_code_exec_offset();
       tb->code is the address it runs at, and set_jmp_target writes its
       patch at the running address minus the offset.  Without it the
       core refuses wx=on. */
    bool supports_wx;

    /* --- hooks --- */
    /* Translate ir for tb into [buf, buf + size).  Set tb->code and
       tb->code_size and return the bytes used, or -1 if it did not fit
       (the core then flushes the code buffer and retries), or -2 if the
       IR cannot be translated for this host at all (the core stops with
       one line naming both plugins).  Runs on the
       translating vCPU's thread, concurrently with other threads. */
    long (*gen_code)(LoomTB *tb, const LoomIRContext *ir, void *buf, size_t size);
    /* Run tb (and any TBs chained from it) on cpu.  Returns the last TB
       run, or'ed with an LOOM_IR_EXIT_* code.  Must check cpu->exit_request
       on entry (leave with LOOM_IR_EXIT_REQUESTED if set) and before following
       a chained goto_tb: a declined chain takes the TB's own exit path,
       which stores the guest pc that the chained jump would skip. */
    uintptr_t (*exec_tb)(LoomCPU *cpu, LoomTB *tb);
    /* Make goto_tb slot n of tb go to target's code (NULL: go back to the
       core).  Other threads may be running tb: the change must be atomic.
       May be NULL if the back-end follows tb->jmp_dest itself. */
    void (*set_jmp_target)(LoomTB *tb, int n, LoomTB *target);
    /* Map a host return address (0 from the interpreter) to the TB being
       executed and the index of its current guest insn.  False if ra is
       not inside translated code.  A back-end leaving a LoomCodeInfo
       (loom/codegen.h) in tb->backend_data can use loom_cg_unwind. */
    bool (*unwind)(LoomCPU *cpu, uintptr_t ra, LoomTB **tb, int *insn);

    /* --- optional (may be NULL) --- */
    /* Take one back-end option of -accel tcg,...: an option the core
       does not know, "name=value" split at the first '=' (value "" if
       there is none).  Called on the main thread after the plugin is
       loaded and before any vCPU exists, once per option, in command-line
       order.  Return LOOM_BACKEND_OPTION_TAKEN; LOOM_BACKEND_OPTION_UNKNOWN
       with msg set to what the back-end does take (e.g. "weak=on|off,
       weak-seed=N"); or LOOM_BACKEND_OPTION_INVALID with msg set to one
       sentence naming the problem and the fix.  msg holds msg_size bytes. */
    int (*set_option)(const char *name, const char *value, char *msg, size_t msg_size);
    void *reserved[15];
} LoomBackendOps;

/* host_arch of a back-end that runs on every host */
#define LOOM_HOST_ARCH_ANY "any"

/* set_option results */
enum {
    LOOM_BACKEND_OPTION_TAKEN = 0,
    LOOM_BACKEND_OPTION_UNKNOWN = 1,
    LOOM_BACKEND_OPTION_INVALID = 2,
};

/* From where gen_code writes code to where it runs: 0, or with
   -accel tcg,wx=on the distance from the code buffer's writable view to
   its executable view (supports_wx).  Fixed once vCPUs run. */
LOOM_API intptr_t loom_code_exec_offset(void);

/* Core entry points back-ends call from translated code. */
/* Look up (never translate) the TB for the vCPU's current state, for
   lookup_and_goto.  NULL: leave to the core. */
LOOM_API LoomTB *loom_tb_lookup_current(LoomCPU *cpu);

#endif /* LOOM_BACKEND_H */
