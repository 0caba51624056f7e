/*
 * The x86-64 JIT back-end: lowers one TB's IR to host machine code in the
 * calling thread's region of the code buffer, and runs it.
 *
 * Storage: every temp has a home, guest globals in env and other temps in
 * a fixed stack frame; each IR op loads its inputs into scratch
 * registers, computes and stores its output (see x86_64-target.h for the
 * register roles).  Globals are therefore always in env, which makes
 * every helper call and every fault sound whatever the helper's flags.
 *
 * Entry and exits: jit_enter (below) saves the callee-saved registers,
 * sets up the frame and env, and calls the TB's code; a TB leaves with
 * `mov rax, tb | exit code; lea rsp, [rsp + 8]; ret`.  Chained TBs jump
 * to each other inside that one call.  The exit request is checked by
 * exec_tb before the first TB and by every goto_tb and lookup_and_goto
 * before they leave a TB, so each TB entry is covered and a declined
 * chain takes the TB's own exit.
 *
 * Code layout of one TB, in the region:
 *     code  (16-byte aligned; starts by recording itself in current_tb)
 *     LoomCodeInfo (codegen.h): goto_tb patch offsets, code length,
 *     insn start offsets
 *
 * Threading: gen_code runs on the translating thread and writes only its
 * own region; set_jmp_target runs under the core's tb_lock and patches
 * an aligned rel32 with one atomic 4-byte store, so a thread running the
 * TB sees the old jump or the new one, never a mix.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <loom/loom.h>
#include <loom/codegen.h>
#include "x86_64-emit.h"
#include "x86_64-disas.h"

/* Offsets from env (rbx) of the LoomCPU fields translated code uses. */
#define ENV_TO_CPU ((int32_t)offsetof(LoomCPU, env))
#define ENV_EXIT_REQUEST ((int32_t)offsetof(LoomCPU, exit_request) - ENV_TO_CPU)
#define ENV_CURRENT_TB ((int32_t)offsetof(LoomCPU, current_tb) - ENV_TO_CPU)
/* MMU mode m's fast-path descriptor: mask and table, env - 256 + 16 m */
#define ENV_TLB_MASK(m) ((int32_t)(offsetof(LoomCPU, tlb_fast) + (m) * sizeof(LoomTLBFast) + \
                                   offsetof(LoomTLBFast, mask)) - ENV_TO_CPU)
#define ENV_TLB_TABLE(m) ((int32_t)(offsetof(LoomCPU, tlb_fast) + (m) * sizeof(LoomTLBFast) + \
                                    offsetof(LoomTLBFast, table)) - ENV_TO_CPU)
_Static_assert(ENV_TLB_MASK(0) >= -256 && ENV_TLB_TABLE(LOOM_TLB_MAX_MODES - 1) < 0,
               "the TLB descriptors sit in the 256 bytes below env");
/* "op r, r/m" from an "op r/m, r" opcode: the direction bit */
#define OPC_DIR_LOAD 2

/* The temp frame: one 8-byte slot per temp at most, plus padding; with
   the 8 bytes jit_enter adds it keeps rsp 16-byte aligned inside
   translated code. */
#define FRAME_SIZE (LOOM_IR_MAX_TEMPS * 8 + 16)
_Static_assert(FRAME_SIZE % 16 == 0, "the frame keeps the stack aligned");

/*
 * jit_enter(env, code): run translated code with env in rbx.  After six
 * pushes rsp is 8 mod 16; the frame (8 mod 16 too), the call's return
 * address and the 8-byte argument slot make it 0 mod 16 inside the TB,
 * as calls out of the TB need.  Inside a TB [rsp] is the slot for a
 * helper's sixth argument (so a call needs no rsp adjustment), [rsp + 8]
 * the return address; a TB leaves with `lea rsp, [rsp + 8]; ret`, which
 * pairs with the call for the host's return predictor.
 */
#define STR_(x) #x
#define STR(x) STR_(x)
uintptr_t jit_enter(void *env, const void *code) __attribute__((visibility("hidden")));
__asm__(".text\n"
        ".p2align 4\n"
        ".globl jit_enter\n"
        ".hidden jit_enter\n"
        ".type jit_enter, @function\n"
        "jit_enter:\n"
        "    push %rbp\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    mov %rdi, %rbx\n"
        "    sub $" STR(FRAME_SIZE) "+8, %rsp\n"
        "    call 1f\n"
        "    add $" STR(FRAME_SIZE) "+8, %rsp\n"
        "    pop %r15\n"
        "    pop %r14\n"
        "    pop %r13\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n"
        "1:  sub $8, %rsp\n"
        "    jmp *%rsi\n"
        ".size jit_enter, .-jit_enter\n");

/* ---- code generation state (one per thread: no shared state) ---- */

/* An out-of-line softmmu slow path (LoomCGSlowPath, queued by the core,
   emitted after the TB's code): jump_ofs is the fast path's jne rel32,
   addr_reg/val_reg where the address and the value are. */

typedef struct Gen {
    Emit e;
    LoomCodegen *cg;                    /* the core's register cache, labels, slow paths */
    const LoomIRContext *ir;
    LoomTB *tb;
    intptr_t exec_off;          /* the code runs at e.start + exec_off (wx=on) */
    bool bad;                           /* IR we cannot lower */
    unsigned page_bits;                 /* the core's TLB page size */
} Gen;

static __thread Gen gen_state;

static uint64_t jit_ctpop64(uint64_t v)
{
    return (uint64_t)__builtin_popcountll(v);
}

static inline uint32_t cur_ofs(const Gen *g)
{
    return (uint32_t)(g->e.p - g->e.start);
}

/* ---- temps: the core's register cache (core/codegen.c) ----
 *
 * Temps and guest globals are cached in callee-saved host registers (the
 * pool below) across ops; every other register is scratch inside one
 * op.  So the fixed-register needs of x86 (shift counts in rcx, div in
 * rax:rdx, call arguments, the softmmu fast path) are met by scratch
 * registers, and nothing allocated is clobbered by a helper call or a
 * slow path.  An op loads its inputs into scratch registers (a register
 * copy when cached), computes, and its output is moved into an allocated
 * register and marked dirty; the core decides when homes are written.
 */
static const int8_t reg_pool[] = { R12, R13, R14, R15, RBP };

static void x86_cg_load(void *e, int reg, int base, int32_t ofs)
{
    emit_mem(e, P_W | OPC_MOV_LD, reg, base, ofs);
}

static void x86_cg_store(void *e, int reg, int base, int32_t ofs)
{
    emit_mem(e, P_W | OPC_MOV_ST, reg, base, ofs);
}

static void x86_cg_mov(void *e, int dst, int src)
{
    emit_rr(e, P_W | OPC_MOV_ST, src, dst);
}

static void x86_cg_movi(void *e, int reg, uint64_t val)
{
    emit_movi(e, reg, val);
}

/* label fixups are jmp/jcc rel32s, always in reach inside one TB */
static bool x86_cg_patch_label(uint8_t *code, uint32_t at, uint32_t target, unsigned kind)
{
    int32_t d = (int32_t)(target - (at + 4));

    (void)kind;
    memcpy(code + at, &d, 4);
    return true;
}

/* The target description: registers and their roles (x86_64-target.h). */
static const LoomTargetDesc x86_target = {
    .alloc_regs = reg_pool,
    .nb_alloc_regs = (uint8_t)sizeof(reg_pool),
    .env_reg = REG_ENV,
    .frame_reg = RSP,
    .slot_size = 8,
    .frame_ofs = FRAME_TEMP_BASE,
    /* SysV: rax rcx rdx rsi rdi r8-r11; none is in the pool */
    .call_clobbered = (1u << RAX) | (1u << RCX) | (1u << RDX) | (1u << RSI) | (1u << RDI) |
                      (1u << R8) | (1u << R9) | (1u << R10) | (1u << R11),
    .scratch_regs = (1u << RAX) | (1u << RCX) | (1u << RDX) | (1u << RSI) | (1u << RDI) |
                    (1u << R8) | (1u << R9) | (1u << R10) | (1u << R11),
    .global_align = 8,
    .load = x86_cg_load,
    .store = x86_cg_store,
    .mov = x86_cg_mov,
    .movi = x86_cg_movi,
    .patch_label = x86_cg_patch_label,
};

static int src_reg(Gen *g, LoomIRTemp t, int scratch)
{
    return loom_cg_src_reg(g->cg, t, scratch);
}

/* r = t's value, for the current op */
static void ld_temp(Gen *g, int r, LoomIRTemp t)
{
    int c = src_reg(g, t, r);

    if (c != r) {
        emit_rr(&g->e, P_W | OPC_MOV_ST, c, r);
    }
}

static int dst_reg(Gen *g, LoomIRTemp t)
{
    return loom_cg_dst_reg(g->cg, t);
}

/* t = r: the op's result, cached dirty */
static void st_temp(Gen *g, LoomIRTemp t, int r)
{
    int c = dst_reg(g, t);

    if (c != r) {
        emit_rr(&g->e, P_W | OPC_MOV_ST, r, c);
    }
}

/* A constant usable as the imm32 of an op of width w (sign-extended at
   64 bits). */
static bool imm_operand(const Gen *g, LoomIRTemp t, int w, int32_t *imm)
{
    const LoomIRTempInfo *ti = &g->ir->temps[t];

    if (ti->kind != LOOM_IR_TEMP_CONST || (w && !fits_s32((int64_t)ti->val))) {
        return false;
    }
    *imm = (int32_t)(uint32_t)ti->val;
    return true;
}

static void sync_globals(Gen *g, bool forget, int32_t ofs, unsigned size)
{
    loom_cg_sync_globals(g->cg, forget, ofs, size);
}

static void sync_all(Gen *g)
{
    loom_cg_sync_all(g->cg);
}

/* ---- conditions ---- */

static int loom_ir_cond_cc(unsigned c)
{
    switch (c) {
    case LOOM_IR_COND_EQ: return CC_E;
    case LOOM_IR_COND_NE: return CC_NE;
    case LOOM_IR_COND_LT: return CC_L;
    case LOOM_IR_COND_GE: return CC_GE;
    case LOOM_IR_COND_LE: return CC_LE;
    case LOOM_IR_COND_GT: return CC_G;
    case LOOM_IR_COND_LTU: return CC_B;
    case LOOM_IR_COND_GEU: return CC_AE;
    case LOOM_IR_COND_LEU: return CC_BE;
    case LOOM_IR_COND_GTU: return CC_A;
    default: return -1;
    }
}

/* cmp a, b in rax, rcx at the op's width */
static void emit_cmp_ab(Gen *g, int w, LoomIRTemp a, LoomIRTemp b)
{
    ld_temp(g, RAX, a);
    ld_temp(g, RCX, b);
    emit_rr(&g->e, w | OPC_CMP, RCX, RAX);
}

static void emit_jmp_label(Gen *g, int cc, uint32_t label)
{
    if (label >= g->ir->nb_labels) {
        g->bad = true;
        return;
    }
    if (cc < 0) {
        emit8(&g->e, OPC_JMP32);
    } else {
        emit_opc(&g->e, OPC_JCC32 + cc, 0, 0, 0);
    }
    emit32(&g->e, 0);
    loom_cg_jump_label(g->cg, label, cur_ofs(g) - 4, 0);
}

/* ---- calls into the core ---- */

/* lea r, [rip + X] giving the address after the next call: the host
   return address the core unwinds from.  Patched by ra_end(). */
static uint8_t *ra_begin(Gen *g, int r)
{
    return emit_lea_rip(&g->e, r, 0);
}

static void ra_end(Gen *g, uint8_t *disp)
{
    int32_t d = (int32_t)(g->e.p - (disp + 4));
    memcpy(disp, &d, 4);
}

static void emit_cpu_ptr(Gen *g, int r)
{
    emit_mem(&g->e, P_W | OPC_LEA, r, REG_ENV, -ENV_TO_CPU);
}

/* d = result in rax, kept zero-extended for i32 */
static void st_result(Gen *g, LoomIRTemp d, bool is32)
{
    if (is32) {
        emit_zext32(&g->e, RAX);
    }
    st_temp(g, d, RAX);
}

/* ---- guest memory: the inline softmmu fast path ----
 *
 * A guest access looks up the vCPU's TLB inline, through its mode's
 * descriptor in the 256 bytes below env (the table's size may change at
 * any flush, so neither mask nor table is baked in):
 *     rdi = (addr >> (page_bits - 5)) & mask
 *     rax = addr & (page_mask | (size - 1))
 *     cmp rax, [rdi + env + table_ofs + tag]; jne slow
 *     rdi = [rdi + env + table_ofs + addend]; access [addr + rdi]
 * with mask and table_ofs immediates where the core fixes them for the
 * run (loom_tlb_fast_fixed), else read from the descriptor each time:
 * mask from [env + tlb_fast[mmu_idx].mask], r11 = [env + ...table]
 * standing for env + table_ofs
 * Modes the front-end does not declare have a table that never hits.
 * Flags in the tag (MMIO, not-dirty, watch, invalid, fill-each) and
 * misaligned addresses (so also page-crossing ones) make the compare fail.
 * A load or store whose memop allows misalignment (no LOOM_MEM_ALIGN) compares
 * the page of its last byte instead, rax = (addr + size - 1) & page_mask:
 * a misaligned access inside one page stays inline (x86 accesses it
 * directly, not single-copy atomic, which the guest is not promised),
 * and a page-crossing one misses, since the entry at its first byte's
 * index can never hold the next page, and goes to the slow path.
 * The slow path, emitted after the TB's code, calls loom_ld/loom_st/
 * loom_atomic with the continuation's address as the return address, so
 * a fault unwinds to the access's guest insn, and jumps back to the
 * continuation with the loaded value in rax, as the fast path leaves it.
 * Big-endian accesses, and atomics narrower than 32 bits, always call.
 */

static bool mem_fast(const Gen *g, unsigned memop, uint64_t mmu_idx)
{
    (void)g;
    return !(memop & LOOM_MEM_BE) && mmu_idx < LOOM_TLB_MAX_MODES;
}

/* The TLB check on address register addr (clobbers rax, rdi, r11);
   leaves the host addend in rdi on a hit, returns the rel32 of the branch to the slow path.  memop:
   without LOOM_MEM_ALIGN, a misaligned access inside one page hits. */
static uint8_t *emit_tlb_check(Gen *g, int addr, unsigned memop, unsigned mmu_idx,
                               int32_t tag_ofs)
{
    unsigned size = loom_memop_size(memop);
    Emit *e = &g->e;
    int table = REG_ENV;
    int32_t table_ofs;
    uintptr_t mask;
    uint8_t *jcc;

    /* With BMI2, one rorx instead of mov + shr: the address bits it
       rotates into the top (bit 64 - shift and up, 37 and up for pages
       of at most 4 GiB) are above any mask (below 2^32). */
    if (__builtin_cpu_supports("bmi2") && g->page_bits <= 32) {
        emit_rorx64(e, RDI, addr, (uint8_t)(g->page_bits - LOOM_TLB_ENTRY_BITS));
    } else {
        emit_rr(e, P_W | OPC_MOV_ST, addr, RDI);
        emit_shift_ri(e, P_W, EXT2_SHR, RDI, (uint8_t)(g->page_bits - LOOM_TLB_ENTRY_BITS));
    }
    if (loom_tlb_fast_fixed(mmu_idx, &table_ofs, &mask) && mask <= INT32_MAX) {
        /* 32-bit and: also clears what rorx rotated into the top */
        emit_alu_ri(e, 0, EXT1_AND, RDI, (int32_t)mask);
    } else {
        emit_mem(e, P_W | (OPC_AND + OPC_DIR_LOAD), RDI, REG_ENV, ENV_TLB_MASK(mmu_idx));
        /* the table into r11, off the index's dependency chain: the
           entry is addressed as [rdi + r11] */
        emit_mem(e, P_W | OPC_MOV_LD, R11, REG_ENV, ENV_TLB_TABLE(mmu_idx));
        table = R11;
        table_ofs = 0;
    }
    if (!(memop & LOOM_MEM_ALIGN) && size > 1) {
        emit_mem(e, P_W | OPC_LEA, RAX, addr, (int32_t)(size - 1));
        emit_alu_ri(e, P_W, EXT1_AND, RAX, (int32_t)(-(INT64_C(1) << g->page_bits)));
    } else {
        emit_rr(e, P_W | OPC_MOV_ST, addr, RAX);
        emit_alu_ri(e, P_W, EXT1_AND, RAX, (int32_t)(-(INT64_C(1) << g->page_bits)) |
                                           (int32_t)(size - 1));
    }
    emit_mem_idx(e, P_W | OPC_CMP, RAX, RDI, table, table_ofs + tag_ofs);
    jcc = emit_jcc32(e, CC_NE);
    emit_mem_idx(e, P_W | OPC_MOV_LD, RDI, RDI, table,
                 table_ofs + (int32_t)offsetof(LoomTLBEntry, addend));
    return jcc;
}

static LoomCGSlowPath *add_slow(Gen *g, uint8_t *jcc, const LoomIROp *op, unsigned memop,
                                unsigned mmu_idx)
{
    LoomCGSlowPath *sp = loom_cg_add_slow(g->cg, op->opc, (uint32_t)(jcc - g->e.start),
                                          cur_ofs(g));

    if (!sp) {
        g->bad = true;
        return NULL;
    }
    sp->memop = (uint8_t)memop;
    sp->mmu_idx = (uint8_t)mmu_idx;
    sp->addr_reg = RSI;
    sp->val_reg = RAX;
    return sp;
}

/* The load instruction for a memop: result in 64 bits, sign- or
   zero-extended as the memop says. */
static int load_opc(unsigned memop)
{
    switch (memop & (LOOM_MEM_SIZE | LOOM_MEM_SIGN)) {
    case LOOM_MEM_UB: return OPC_MOVZBL;
    case LOOM_MEM_SB: return P_W | OPC_MOVSBL;
    case LOOM_MEM_UW: return OPC_MOVZWL;
    case LOOM_MEM_SW: return P_W | OPC_MOVSWL;
    case LOOM_MEM_UL: return OPC_MOV_LD;
    case LOOM_MEM_SL: return P_W | OPC_MOVSXD;
    default: return P_W | OPC_MOV_LD;
    }
}

static const int store_opc[4] = { OPC_MOVB_ST | P_BYTE, P_66 | OPC_MOV_ST, OPC_MOV_ST,
                                  P_W | OPC_MOV_ST };

/* loom_ld(cpu, addr, memop, mmu_idx, ra): addr in rsi, result in rax */
static void emit_ld_call(Gen *g, unsigned memop, unsigned mmu_idx, const uint8_t *ra)
{
    uint8_t *disp;

    emit_cpu_ptr(g, RDI);
    emit_movi(&g->e, RDX, memop);
    emit_movi(&g->e, RCX, mmu_idx);
    disp = ra_begin(g, R8);
    emit_call_abs(&g->e, (const void *)loom_ld);
    if (ra) {
        emit_patch32(disp, ra);
    } else {
        ra_end(g, disp);
    }
}

/* loom_st(cpu, addr, val, memop, mmu_idx, ra): addr in rsi, val in rdx */
static void emit_st_call(Gen *g, unsigned memop, unsigned mmu_idx, const uint8_t *ra)
{
    uint8_t *disp;

    emit_cpu_ptr(g, RDI);
    emit_movi(&g->e, RCX, memop);
    emit_movi(&g->e, R8, mmu_idx);
    disp = ra_begin(g, R9);
    emit_call_abs(&g->e, (const void *)loom_st);
    if (ra) {
        emit_patch32(disp, ra);
    } else {
        ra_end(g, disp);
    }
}

/* loom_atomic(cpu, opc, addr, cmp, val, memop, mmu_idx, ra): addr in
   rdx, cmp in rcx, val in r8; the last two arguments go on the stack */
static void emit_atomic_call(Gen *g, unsigned opc, unsigned memop, unsigned mmu_idx,
                             const uint8_t *ra)
{
    Emit *e = &g->e;
    uint8_t *disp;

    emit_cpu_ptr(g, RDI);
    emit_movi(e, RSI, opc);
    emit_movi(e, R9, memop);
    /* from here until the add, temps in the frame are 16 bytes further */
    emit_alu_ri(e, P_W, EXT1_SUB, RSP, 16);
    emit_mem(e, P_W | OPC_MOVI_RM, 0, RSP, 0);
    emit32(e, mmu_idx);
    disp = ra_begin(g, RAX);
    emit_mem(e, P_W | OPC_MOV_ST, RAX, RSP, 8);
    emit_call_abs(e, (const void *)loom_atomic);
    if (ra) {
        emit_patch32(disp, ra);
    } else {
        ra_end(g, disp);
    }
    emit_alu_ri(e, P_W, EXT1_ADD, RSP, 16);
}

/* Loads and stores work on cached registers: the address (and a stored
   value) are read where they are, a load goes straight into the
   destination's register; the slow path moves them to and from the
   argument and return registers. */
static void lower_qemu_ld(Gen *g, const LoomIROp *op, bool is32)
{
    unsigned memop = (unsigned)op->args[2], mmu_idx = (unsigned)op->args[3];
    int ar, rd, opc;
    uint8_t *jcc;
    LoomCGSlowPath *sp;

    if (!mem_fast(g, memop, op->args[3])) {
        ld_temp(g, RSI, op->args[1]);
        emit_ld_call(g, memop, mmu_idx, NULL);
        st_result(g, op->args[0], is32);
        return;
    }
    ar = src_reg(g, op->args[1], RSI);
    rd = dst_reg(g, op->args[0]);
    jcc = emit_tlb_check(g, ar, memop, mmu_idx, (int32_t)offsetof(LoomTLBEntry, addr_read));
    opc = load_opc(memop);
    if (is32) {
        /* 32-bit results, zero-extended to 64 by the instruction */
        opc = (memop & LOOM_MEM_SIZE) >= LOOM_MEM_32 ? OPC_MOV_LD : opc & ~P_W;
    }
    emit_mem_idx(&g->e, opc, rd, ar, RDI, 0);
    sp = add_slow(g, jcc, op, memop, mmu_idx);
    if (sp) {
        sp->addr_reg = (int8_t)ar;
        sp->val_reg = (int8_t)rd;
    }
}

static void lower_qemu_st(Gen *g, const LoomIROp *op)
{
    unsigned memop = (unsigned)op->args[2], mmu_idx = (unsigned)op->args[3];
    int ar, vr;
    uint8_t *jcc;
    LoomCGSlowPath *sp;

    if (!mem_fast(g, memop, op->args[3])) {
        ld_temp(g, RDX, op->args[0]);
        ld_temp(g, RSI, op->args[1]);
        emit_st_call(g, memop, mmu_idx, NULL);
        return;
    }
    vr = src_reg(g, op->args[0], RDX);
    ar = src_reg(g, op->args[1], RSI);
    jcc = emit_tlb_check(g, ar, memop, mmu_idx, (int32_t)offsetof(LoomTLBEntry, addr_write));
    emit_mem_idx(&g->e, store_opc[memop & LOOM_MEM_SIZE], vr, ar, RDI, 0);
    sp = add_slow(g, jcc, op, memop, mmu_idx);
    if (sp) {
        sp->addr_reg = (int8_t)ar;
        sp->val_reg = (int8_t)vr;
    }
}

static bool is_cmpxchg(unsigned opc)
{
    return opc == LOOM_IR_OP_atomic_cmpxchg_i32 || opc == LOOM_IR_OP_atomic_cmpxchg_i64;
}

/* The host atomic for an aligned RAM word at [r10]: cmp in rcx, val in
   r8, old value out in rax (zero-extended from 32 bits at w = 0).
   Without LOOM_CF_PARALLEL no other vCPU runs while this TB does (one
   vCPU, single-threaded mode, an exclusive section), so one host
   instruction is atomic enough and the lock prefix, tens of cycles even
   uncontended, is left out (xchg, always locked, becomes two moves). */
static void emit_host_atomic(Gen *g, unsigned opc, int w)
{
    Emit *e = &g->e;
    const bool lock = (g->tb->cflags & LOOM_CF_PARALLEL) != 0;
    int alu = -1, cc = -1;
    uint8_t *loop;

    switch (opc) {
    case LOOM_IR_OP_atomic_cmpxchg_i32: case LOOM_IR_OP_atomic_cmpxchg_i64:
        emit_rr(e, w | OPC_MOV_ST, RCX, RAX);
        if (lock) {
            emit8(e, PFX_LOCK);
        }
        emit_mem(e, w | OPC_CMPXCHG, R8, R10, 0);
        return;
    case LOOM_IR_OP_atomic_xchg_i32: case LOOM_IR_OP_atomic_xchg_i64:
        if (lock) {
            emit_rr(e, w | OPC_MOV_ST, R8, RAX);
            emit_mem(e, w | OPC_XCHG, RAX, R10, 0);     /* implicitly locked */
        } else {
            emit_mem(e, w | OPC_MOV_LD, RAX, R10, 0);
            emit_mem(e, w | OPC_MOV_ST, R8, R10, 0);
        }
        return;
    case LOOM_IR_OP_atomic_fetch_add_i32: case LOOM_IR_OP_atomic_fetch_add_i64:
        emit_rr(e, w | OPC_MOV_ST, R8, RAX);
        if (lock) {
            emit8(e, PFX_LOCK);
        }
        emit_mem(e, w | OPC_XADD, RAX, R10, 0);
        return;
    case LOOM_IR_OP_atomic_fetch_and_i32: case LOOM_IR_OP_atomic_fetch_and_i64: alu = OPC_AND; break;
    case LOOM_IR_OP_atomic_fetch_or_i32: case LOOM_IR_OP_atomic_fetch_or_i64: alu = OPC_OR; break;
    case LOOM_IR_OP_atomic_fetch_xor_i32: case LOOM_IR_OP_atomic_fetch_xor_i64: alu = OPC_XOR; break;
    /* min/max keep the old value when it already wins */
    case LOOM_IR_OP_atomic_fetch_smin_i32: case LOOM_IR_OP_atomic_fetch_smin_i64: cc = CC_L; break;
    case LOOM_IR_OP_atomic_fetch_smax_i32: case LOOM_IR_OP_atomic_fetch_smax_i64: cc = CC_G; break;
    case LOOM_IR_OP_atomic_fetch_umin_i32: case LOOM_IR_OP_atomic_fetch_umin_i64: cc = CC_B; break;
    default: cc = CC_A; break;
    }
    /* a compare-and-swap loop; a failed cmpxchg reloads rax */
    emit_mem(e, w | OPC_MOV_LD, RAX, R10, 0);
    loop = e->p;
    if (alu >= 0) {
        emit_rr(e, w | OPC_MOV_ST, RAX, R11);
        emit_rr(e, w | alu, R8, R11);
    } else {
        emit_rr(e, w | OPC_MOV_ST, R8, R11);
        emit_rr(e, w | OPC_CMP, R8, RAX);
        emit_rr(e, w | (OPC_CMOVCC + cc), R11, RAX);
    }
    if (lock) {
        emit8(e, PFX_LOCK);
    }
    emit_mem(e, w | OPC_CMPXCHG, R11, R10, 0);
    emit8(e, OPC_JCC8 + CC_NE);
    emit8(e, (uint8_t)(int8_t)(loop - (e->p + 1)));
}

static void lower_atomic(Gen *g, const LoomIROp *op, bool is32)
{
    bool cmpxchg = is_cmpxchg(op->opc);
    unsigned c = cmpxchg ? 4 : 3;
    unsigned memop = (unsigned)op->args[c], mmu_idx = (unsigned)op->args[c + 1];
    unsigned size = loom_memop_size(memop);
    uint8_t *jcc;

    ld_temp(g, RDX, op->args[1]);
    if (cmpxchg) {
        ld_temp(g, RCX, op->args[2]);
        ld_temp(g, R8, op->args[3]);
    } else {
        emit_movi(&g->e, RCX, 0);
        ld_temp(g, R8, op->args[2]);
    }
    if (!mem_fast(g, memop, op->args[c + 1]) || size < 4) {
        emit_atomic_call(g, op->opc, memop, mmu_idx, NULL);
    } else {
        /* loom_atomic checks write access, and alignment whatever the memop */
        jcc = emit_tlb_check(g, RDX, memop | LOOM_MEM_ALIGN, mmu_idx,
                             (int32_t)offsetof(LoomTLBEntry, addr_write));
        emit_mem_idx(&g->e, P_W | OPC_LEA, R10, RDX, RDI, 0);
        emit_host_atomic(g, op->opc, size == 8 ? P_W : 0);
        if (size == 4 && (memop & LOOM_MEM_SIGN)) {
            emit_rr(&g->e, P_W | OPC_MOVSXD, RAX, RAX);
        }
        add_slow(g, jcc, op, memop, mmu_idx);
    }
    st_result(g, op->args[0], is32);
}

/* The out-of-line half of one access: call the core, resume the fast
   path's continuation (which also serves as the unwinding address). */
static void emit_slow_path(Gen *g, const LoomCGSlowPath *sp)
{
    const uint8_t *cont = g->e.start + sp->cont_ofs;

    emit_patch32(g->e.start + sp->jump_ofs, g->e.p);
    switch (sp->opc) {
    case LOOM_IR_OP_qemu_ld_i32: case LOOM_IR_OP_qemu_ld_i64:
        if (sp->addr_reg != RSI) {
            emit_rr(&g->e, P_W | OPC_MOV_ST, sp->addr_reg, RSI);
        }
        emit_ld_call(g, sp->memop, sp->mmu_idx, cont);
        /* as the fast path leaves it: i32 results zero-extended */
        emit_rr(&g->e, (sp->opc == LOOM_IR_OP_qemu_ld_i32 ? 0 : P_W) | OPC_MOV_ST, RAX, sp->val_reg);
        break;
    case LOOM_IR_OP_qemu_st_i32: case LOOM_IR_OP_qemu_st_i64:
        if (sp->addr_reg != RSI) {
            emit_rr(&g->e, P_W | OPC_MOV_ST, sp->addr_reg, RSI);
        }
        if (sp->val_reg != RDX) {
            emit_rr(&g->e, P_W | OPC_MOV_ST, sp->val_reg, RDX);
        }
        emit_st_call(g, sp->memop, sp->mmu_idx, cont);
        break;
    default:
        emit_atomic_call(g, sp->opc, sp->memop, sp->mmu_idx, cont);
        break;
    }
    emit_patch32(emit_jcc32(&g->e, -1), cont);
}

/* A helper gets env in rdi and six arguments: five in rsi, rdx, rcx, r8,
   r9 and the sixth on the stack (SysV), in the frame's argument slot at
   [rsp], so rsp never moves.  The slot is written at every call: a
   callee may use its stack arguments as scratch. */
static void lower_call(Gen *g, const LoomIROp *op)
{
    static const int argreg[5] = { RSI, RDX, RCX, R8, R9 };
    const LoomIRHelper *h = (const LoomIRHelper *)(uintptr_t)op->args[op->nout + op->nin];
    Emit *e = &g->e;

    if (op->nin > LOOM_IR_MAX_HELPER_ARGS || op->nout > 1) {
        g->bad = true;
        return;
    }
    /* globals to env as the helper's flags need (a helper that may raise
       is unwound to its insn's start from env) */
    loom_cg_before_call(g->cg, h->flags);
    for (unsigned i = 0; i < 5; i++) {
        if (i < op->nin) {
            ld_temp(g, argreg[i], op->args[op->nout + i]);
        } else {
            emit_movi(e, argreg[i], 0);
        }
    }
    if (op->nin > 5) {
        emit_mem(e, P_W | OPC_MOV_ST, src_reg(g, op->args[op->nout + 5], RAX), RSP, 0);
    } else {
        emit_mem(e, P_W | OPC_MOVI_RM, 0, RSP, 0);
        emit32(e, 0);
    }
    emit_rr(e, P_W | OPC_MOV_ST, REG_ENV, RDI);
    emit_call_abs(e, (const void *)h->fn);
    if (op->nout) {
        st_result(g, op->args[0], g->ir->temps[op->args[0]].type == LOOM_IR_I32);
    }
}

/* ---- arithmetic ---- */

/* Total division as ir-ops.h defines it: x/0 = all ones, x%0 = x,
   MIN/-1 = MIN, MIN%-1 = 0.  Signed division by -1 is negation (which
   wraps MIN to MIN), so idiv never sees the overflowing case. */
static void lower_div(Gen *g, const LoomIROp *op, int w, bool is_signed, bool rem)
{
    Emit *e = &g->e;
    uint8_t *to_zero, *to_norm = NULL, *done1 = NULL, *done2;

    ld_temp(g, RAX, op->args[1]);
    ld_temp(g, RCX, op->args[2]);
    emit_rr(e, w | OPC_TEST, RCX, RCX);
    to_zero = emit_jcc8(e, CC_E);
    if (is_signed) {
        emit_alu_ri(e, w, EXT1_CMP, RCX, -1);
        to_norm = emit_jcc8(e, CC_NE);
        if (rem) {
            emit_rr(e, OPC_XOR, RAX, RAX);
        } else {
            emit_rr(e, w | OPC_GRP3, EXT3_NEG, RAX);
        }
        done1 = emit_jcc8(e, -1);
        emit_patch8(e, to_norm);
        emit_opc(e, w | OPC_CQO, 0, 0, 0);
        emit_rr(e, w | OPC_GRP3, EXT3_IDIV, RCX);
    } else {
        emit_rr(e, OPC_XOR, RDX, RDX);
        emit_rr(e, w | OPC_GRP3, EXT3_DIV, RCX);
    }
    if (rem) {
        emit_rr(e, w | OPC_MOV_ST, RDX, RAX);
    }
    done2 = emit_jcc8(e, -1);
    emit_patch8(e, to_zero);
    if (!rem) {
        emit_movi(e, RAX, w ? UINT64_MAX : UINT32_MAX);
    }
    if (done1) {
        emit_patch8(e, done1);
    }
    emit_patch8(e, done2);
    st_temp(g, op->args[0], RAX);
}

/* high half of a product */
static void lower_mulh(Gen *g, const LoomIROp *op, bool is64, int kind /* 0 s*s, 1 u*u, 2 s*u */)
{
    Emit *e = &g->e;

    if (is64) {
        ld_temp(g, RSI, op->args[1]);
        ld_temp(g, RCX, op->args[2]);
        emit_rr(e, P_W | OPC_MOV_ST, RSI, RAX);
        emit_rr(e, P_W | OPC_GRP3, kind == 0 ? EXT3_IMUL : EXT3_MUL, RCX);
        if (kind == 2) {
            /* signed a: the unsigned high half counts a as a + 2^64,
               so subtract b when a < 0 */
            emit_rr(e, P_W | OPC_MOV_ST, RSI, RAX);
            emit_shift_ri(e, P_W, EXT2_SAR, RAX, 63);
            emit_rr(e, P_W | OPC_AND, RCX, RAX);
            emit_rr(e, P_W | OPC_SUB, RAX, RDX);
        }
        st_temp(g, op->args[0], RDX);
        return;
    }
    /* 32-bit: the exact product fits in 64 bits */
    ld_temp(g, RAX, op->args[1]);
    ld_temp(g, RCX, op->args[2]);
    if (kind != 1) {
        emit_rr(e, P_W | OPC_MOVSXD, RAX, RAX);
    }
    if (kind == 0) {
        emit_rr(e, P_W | OPC_MOVSXD, RCX, RCX);
    }
    emit_rr(e, P_W | OPC_IMUL_RR, RAX, RCX);
    emit_shift_ri(e, P_W, EXT2_SHR, RAX, 32);
    st_temp(g, op->args[0], RAX);
}

/* d = a OP b in d's register: "op r/m, r" (opc), or "op r/m, imm" (the
   group-1 extension ext, -1: none) for a constant b.  For mul, opc is
   imul's "r, r/m" form. */
static void lower_binop(Gen *g, const LoomIROp *op, int w, int opc, int ext)
{
    Emit *e = &g->e;
    int32_t imm = 0;
    bool has_imm = ext >= 0 && imm_operand(g, op->args[2], w, &imm);
    int ra = src_reg(g, op->args[1], RAX);
    int rb = has_imm ? -1 : src_reg(g, op->args[2], RCX);
    int rd = dst_reg(g, op->args[0]);

    if (rb == rd && ra != rd) {
        emit_rr(e, P_W | OPC_MOV_ST, rb, RCX);  /* d = a would clobber b */
        rb = RCX;
    }
    if (ra != rd) {
        emit_rr(e, P_W | OPC_MOV_ST, ra, rd);
    }
    if (has_imm) {
        emit_alu_ri(e, w, ext, rd, imm);
    } else if (opc == OPC_IMUL_RR) {
        emit_rr(e, w | opc, rd, rb);
    } else {
        emit_rr(e, w | opc, rb, rd);
    }
}

static void lower_shift(Gen *g, const LoomIROp *op, int w, int ext)
{
    const LoomIRTempInfo *cnt = &g->ir->temps[op->args[2]];

    if (cnt->kind == LOOM_IR_TEMP_CONST) {
        int ra = src_reg(g, op->args[1], RAX);
        int rd = dst_reg(g, op->args[0]);
        if (ra != rd) {
            emit_rr(&g->e, P_W | OPC_MOV_ST, ra, rd);
        }
        emit_shift_ri(&g->e, w, ext, rd, (uint8_t)(cnt->val & (w ? 63 : 31)));
        return;
    }
    ld_temp(g, RAX, op->args[1]);
    ld_temp(g, RCX, op->args[2]);       /* x86 masks the count like the IR */
    emit_rr(&g->e, w | OPC_SHIFT_CL, ext, RAX);
    st_temp(g, op->args[0], RAX);
}

/* d = ext(a) with a "r, r/m" instruction (movzx, movsx, movsxd) */
static void lower_ext(Gen *g, const LoomIROp *op, int opc)
{
    int ra = src_reg(g, op->args[1], RAX);
    int rd = dst_reg(g, op->args[0]);

    emit_rr(&g->e, opc, rd, ra);
}

/* d = a, zero-extended from 32 bits when is32 */
static void lower_mov(Gen *g, const LoomIROp *op, bool is32)
{
    const LoomIRTempInfo *ti = &g->ir->temps[op->args[1]];
    int ra, rd;

    if (ti->kind == LOOM_IR_TEMP_CONST) {
        rd = dst_reg(g, op->args[0]);
        emit_movi(&g->e, rd, is32 ? (uint32_t)ti->val : ti->val);
        return;
    }
    ra = src_reg(g, op->args[1], RAX);
    rd = dst_reg(g, op->args[0]);
    if (ra != rd || is32) {
        emit_rr(&g->e, (is32 ? 0 : P_W) | OPC_MOV_ST, ra, rd);
    }
}

/* cmp a, b at width w, b as an imm32 when it can be; returns nothing,
   leaves the flags.  The operand registers are chosen first (and may
   be cached), then `between` runs (only movs, e.g. syncing), then the
   compare. */
static void emit_cmp_regs(Gen *g, int w, LoomIRTemp a, LoomIRTemp b, void (*between)(Gen *))
{
    int32_t imm = 0;
    bool has_imm = imm_operand(g, b, w, &imm);
    int ra = src_reg(g, a, RAX);
    int rb = has_imm ? -1 : src_reg(g, b, RCX);

    if (between) {
        between(g);
    }
    if (has_imm) {
        emit_alu_ri(&g->e, w, EXT1_CMP, ra, imm);
    } else {
        emit_rr(&g->e, w | OPC_CMP, rb, ra);
    }
}

/* clz/ctz of 0 give the width: bsr/bsf set ZF on a zero input */
static void lower_bitcount(Gen *g, const LoomIROp *op, int w, bool leading)
{
    Emit *e = &g->e;
    unsigned width = w ? 64 : 32;

    ld_temp(g, RCX, op->args[1]);
    /* clz = (width - 1) ^ bsr, so a zero input must give width ^ (width - 1) */
    emit_movi(e, RDX, leading ? (width - 1) ^ width : width);
    emit_rr(e, w | (leading ? OPC_BSR : OPC_BSF), RAX, RCX);
    emit_rr(e, w | (OPC_CMOVCC + CC_E), RAX, RDX);
    if (leading) {
        emit_alu_ri(e, w, EXT1_XOR, RAX, (int32_t)width - 1);
    }
    st_temp(g, op->args[0], RAX);
}

static void lower_ctpop(Gen *g, const LoomIROp *op, int w)
{
    if (__builtin_cpu_supports("popcnt")) {
        ld_temp(g, RCX, op->args[1]);
        emit_rr(&g->e, w | OPC_POPCNT, RAX, RCX);
    } else {
        ld_temp(g, RDI, op->args[1]);   /* i32 temps are zero-extended */
        emit_call_abs(&g->e, (const void *)jit_ctpop64);
    }
    st_temp(g, op->args[0], RAX);
}

/* unary op in place on rax */
static void lower_unary(Gen *g, const LoomIROp *op, int opc, int r)
{
    ld_temp(g, RAX, op->args[1]);
    emit_rr(&g->e, opc, r, RAX);
    st_temp(g, op->args[0], RAX);
}

/* ---- host memory relative to a pointer temp ---- */

/* The base register; globals the access may touch are synced first (a
   base other than env might point into env too). */
static int ldh_base(Gen *g, LoomIRTemp base, int32_t ofs, unsigned memop, bool store)
{
    if (g->ir->temps[base].kind == LOOM_IR_TEMP_ENV) {
        sync_globals(g, store, ofs, loom_memop_size(memop));
        return REG_ENV;
    }
    sync_globals(g, store, 0, 0);
    ld_temp(g, RCX, base);
    return RCX;
}

static void lower_ldh(Gen *g, const LoomIROp *op)
{
    int32_t ofs = (int32_t)op->args[2];
    int base = ldh_base(g, op->args[1], ofs, (unsigned)op->args[3], false);

    emit_mem(&g->e, load_opc((unsigned)op->args[3]), RAX, base, ofs);
    st_temp(g, op->args[0], RAX);
}

static void lower_sth(Gen *g, const LoomIROp *op)
{
    int32_t ofs = (int32_t)op->args[2];
    int base;

    ld_temp(g, RAX, op->args[0]);
    base = ldh_base(g, op->args[1], ofs, (unsigned)op->args[3], true);
    emit_mem(&g->e, store_opc[op->args[3] & LOOM_MEM_SIZE], RAX, base, ofs);
}

/* ---- TB exits ---- */

static void emit_exit(Gen *g, unsigned code)
{
    emit_movi(&g->e, RAX, (uint64_t)(uintptr_t)g->tb | (code & LOOM_IR_EXIT_MASK));
    emit_mem(&g->e, P_W | OPC_LEA, RSP, RSP, 8);        /* drop the argument slot */
    emit8(&g->e, OPC_RET);
}

/* cmp dword [env + exit_request], 0 */
static void emit_test_exit_request(Gen *g)
{
    emit_mem(&g->e, OPC_GRP1_IB, EXT1_CMP, REG_ENV, ENV_EXIT_REQUEST);
    emit8(&g->e, 0);
}

/* A chained jump, unchained at first (rel32 = 0 falls through to the
   TB's own exit).  The rel32 is 4-byte aligned so set_jmp_target can
   replace it with one atomic store. */
static void lower_goto_tb(Gen *g, unsigned slot)
{
    Emit *e = &g->e;

    if (!loom_cg_goto_tb_free(g->cg, slot)) {
        return;     /* a second goto_tb for a slot: never chained */
    }
    emit_test_exit_request(g);
    /* jne over the jmp (5 bytes); the rel32 starts 3 bytes after here */
    while (((uintptr_t)e->p + 3) & 3) {
        emit8(e, OPC_NOP);
    }
    emit8(e, OPC_JCC8 + CC_NE);
    emit8(e, 5);
    emit8(e, OPC_JMP32);
    loom_cg_goto_tb(g->cg, slot, cur_ofs(g));
    emit32(e, 0);
}

static void lower_lookup_and_goto(Gen *g)
{
    Emit *e = &g->e;
    uint8_t *busy, *miss;

    emit_test_exit_request(g);
    busy = emit_jcc8(e, CC_NE);
    emit_cpu_ptr(g, RDI);
    emit_call_abs(e, (const void *)loom_tb_lookup_current);
    emit_rr(e, P_W | OPC_TEST, RAX, RAX);
    miss = emit_jcc8(e, CC_E);
    emit_mem(e, P_W | OPC_MOV_LD, RAX, RAX, (int32_t)offsetof(LoomTB, code));
    emit_rr(e, OPC_GRP5, EXT5_JMP, RAX);
    emit_patch8(e, busy);
    emit_patch8(e, miss);
    /* the guest pc is already stored: a refused lookup is a plain exit */
    emit_exit(g, LOOM_IR_EXIT_PLAIN);
}

/* Every TB starts by recording itself for unwind. */
static void emit_tb_entry(Gen *g)
{
    Emit *e = &g->e;
    /* rip-relative from where the code runs */
    int64_t d = (int64_t)((uintptr_t)g->tb - ((uintptr_t)e->p + g->exec_off + 7));

    if (fits_s32(d)) {
        emit_lea_rip(e, RAX, (int32_t)d);
    } else {
        emit_movi(e, RAX, (uint64_t)(uintptr_t)g->tb);
    }
    emit_mem(e, P_W | OPC_MOV_ST, RAX, REG_ENV, ENV_CURRENT_TB);
}

/* ---- one op ---- */

static void lower_op(Gen *g, const LoomIROp *op)
{
    Emit *e = &g->e;
    const LoomIRArg *a = op->args;
    int w = (loom_ir_op_defs[op->opc].flags & LOOM_IR_F_64) ? P_W : 0;

    switch (op->opc) {
    case LOOM_IR_OP_nop:
        break;
    case LOOM_IR_OP_set_label:
        loom_cg_set_label(g->cg, (uint32_t)a[0], cur_ofs(g));
        break;
    case LOOM_IR_OP_br:
        emit_jmp_label(g, -1, (uint32_t)a[0]);
        break;
    case LOOM_IR_OP_brcond_i32:
    case LOOM_IR_OP_brcond_i64:
        if (a[2] == LOOM_IR_COND_ALWAYS) {
            emit_jmp_label(g, -1, (uint32_t)a[3]);
        } else if (loom_ir_cond_cc((unsigned)a[2]) >= 0) {
            /* the operands stay in their registers while sync_all
               stores and unbinds */
            emit_cmp_regs(g, w, a[0], a[1], sync_all);
            emit_jmp_label(g, loom_ir_cond_cc((unsigned)a[2]), (uint32_t)a[3]);
        }
        break;

    case LOOM_IR_OP_mov_i32: lower_mov(g, op, true); break;
    case LOOM_IR_OP_mov_i64: lower_mov(g, op, false); break;
    case LOOM_IR_OP_setcond_i32:
    case LOOM_IR_OP_setcond_i64: {
        int cc = loom_ir_cond_cc((unsigned)a[3]);
        if (cc < 0) {
            emit_movi(e, RAX, a[3] == LOOM_IR_COND_ALWAYS);
        } else {
            emit_cmp_regs(g, w, a[1], a[2], NULL);
            emit_rr(e, OPC_SETCC + cc, 0, RAX);
            emit_rr(e, OPC_MOVZBL, RAX, RAX);
        }
        st_temp(g, a[0], RAX);
        break;
    }
    case LOOM_IR_OP_movcond_i32:
    case LOOM_IR_OP_movcond_i64: {
        int cc = loom_ir_cond_cc((unsigned)a[5]);
        if (cc < 0) {
            ld_temp(g, RAX, a[5] == LOOM_IR_COND_ALWAYS ? a[3] : a[4]);
        } else {
            ld_temp(g, RSI, a[3]);
            ld_temp(g, RDX, a[4]);
            emit_cmp_ab(g, w, a[1], a[2]);
            emit_rr(e, P_W | OPC_MOV_ST, RDX, RAX);
            emit_rr(e, P_W | (OPC_CMOVCC + cc), RAX, RSI);
        }
        st_result(g, a[0], !w);
        break;
    }

    case LOOM_IR_OP_add_i32: case LOOM_IR_OP_add_i64: lower_binop(g, op, w, OPC_ADD, EXT1_ADD); break;
    case LOOM_IR_OP_sub_i32: case LOOM_IR_OP_sub_i64: lower_binop(g, op, w, OPC_SUB, EXT1_SUB); break;
    case LOOM_IR_OP_and_i32: case LOOM_IR_OP_and_i64: lower_binop(g, op, w, OPC_AND, EXT1_AND); break;
    case LOOM_IR_OP_or_i32: case LOOM_IR_OP_or_i64: lower_binop(g, op, w, OPC_OR, EXT1_OR); break;
    case LOOM_IR_OP_xor_i32: case LOOM_IR_OP_xor_i64: lower_binop(g, op, w, OPC_XOR, EXT1_XOR); break;
    case LOOM_IR_OP_andc_i32: case LOOM_IR_OP_andc_i64:
    case LOOM_IR_OP_orc_i32: case LOOM_IR_OP_orc_i64:
        ld_temp(g, RAX, a[1]);
        ld_temp(g, RCX, a[2]);
        emit_rr(e, P_W | OPC_GRP3, EXT3_NOT, RCX);
        emit_rr(e, w | (op->opc == LOOM_IR_OP_andc_i32 || op->opc == LOOM_IR_OP_andc_i64 ? OPC_AND : OPC_OR),
                RCX, RAX);
        st_temp(g, a[0], RAX);
        break;
    case LOOM_IR_OP_neg_i32: case LOOM_IR_OP_neg_i64: lower_unary(g, op, w | OPC_GRP3, EXT3_NEG); break;
    case LOOM_IR_OP_not_i32: case LOOM_IR_OP_not_i64: lower_unary(g, op, w | OPC_GRP3, EXT3_NOT); break;
    case LOOM_IR_OP_mul_i32: case LOOM_IR_OP_mul_i64: lower_binop(g, op, w, OPC_IMUL_RR, -1); break;
    case LOOM_IR_OP_mulsh_i32: case LOOM_IR_OP_mulsh_i64: lower_mulh(g, op, w, 0); break;
    case LOOM_IR_OP_muluh_i32: case LOOM_IR_OP_muluh_i64: lower_mulh(g, op, w, 1); break;
    case LOOM_IR_OP_mulsuh_i32: case LOOM_IR_OP_mulsuh_i64: lower_mulh(g, op, w, 2); break;
    case LOOM_IR_OP_div_i32: case LOOM_IR_OP_div_i64: lower_div(g, op, w, true, false); break;
    case LOOM_IR_OP_divu_i32: case LOOM_IR_OP_divu_i64: lower_div(g, op, w, false, false); break;
    case LOOM_IR_OP_rem_i32: case LOOM_IR_OP_rem_i64: lower_div(g, op, w, true, true); break;
    case LOOM_IR_OP_remu_i32: case LOOM_IR_OP_remu_i64: lower_div(g, op, w, false, true); break;

    case LOOM_IR_OP_shl_i32: case LOOM_IR_OP_shl_i64: lower_shift(g, op, w, EXT2_SHL); break;
    case LOOM_IR_OP_shr_i32: case LOOM_IR_OP_shr_i64: lower_shift(g, op, w, EXT2_SHR); break;
    case LOOM_IR_OP_sar_i32: case LOOM_IR_OP_sar_i64: lower_shift(g, op, w, EXT2_SAR); break;
    case LOOM_IR_OP_rotl_i32: case LOOM_IR_OP_rotl_i64: lower_shift(g, op, w, EXT2_ROL); break;
    case LOOM_IR_OP_rotr_i32: case LOOM_IR_OP_rotr_i64: lower_shift(g, op, w, EXT2_ROR); break;

    case LOOM_IR_OP_clz_i32: case LOOM_IR_OP_clz_i64: lower_bitcount(g, op, w, true); break;
    case LOOM_IR_OP_ctz_i32: case LOOM_IR_OP_ctz_i64: lower_bitcount(g, op, w, false); break;
    case LOOM_IR_OP_ctpop_i32: case LOOM_IR_OP_ctpop_i64: lower_ctpop(g, op, w); break;
    case LOOM_IR_OP_bswap32_i32: case LOOM_IR_OP_bswap64_i64:
        ld_temp(g, RAX, a[1]);
        emit_opc(e, w | (OPC_BSWAP + RAX), 0, RAX, 0);
        st_temp(g, a[0], RAX);
        break;
    case LOOM_IR_OP_bswap16_i32: case LOOM_IR_OP_bswap16_i64:
    case LOOM_IR_OP_bswap32_i64:
        /* a 32-bit bswap zero-extends; the 16-bit swap is its top half */
        ld_temp(g, RAX, a[1]);
        emit_opc(e, OPC_BSWAP + RAX, 0, RAX, 0);
        if (op->opc != LOOM_IR_OP_bswap32_i64) {
            emit_shift_ri(e, 0, EXT2_SHR, RAX, 16);
        }
        st_temp(g, a[0], RAX);
        break;
    case LOOM_IR_OP_extract_i32: case LOOM_IR_OP_extract_i64:
    case LOOM_IR_OP_sextract_i32: case LOOM_IR_OP_sextract_i64: {
        /* the field to the top, then down to bit 0 */
        unsigned bits = w ? 64 : 32, pos = (unsigned)a[2], len = (unsigned)a[3];
        bool sign = op->opc == LOOM_IR_OP_sextract_i32 || op->opc == LOOM_IR_OP_sextract_i64;
        ld_temp(g, RAX, a[1]);
        if (bits - pos - len) {
            emit_shift_ri(e, w, EXT2_SHL, RAX, (uint8_t)(bits - pos - len));
        }
        if (bits - len) {
            emit_shift_ri(e, w, sign ? EXT2_SAR : EXT2_SHR, RAX, (uint8_t)(bits - len));
        }
        st_temp(g, a[0], RAX);
        break;
    }
    case LOOM_IR_OP_deposit_i32: case LOOM_IR_OP_deposit_i64: {
        /* (b & ones(len)) << pos, or'ed into a with that field cleared */
        unsigned bits = w ? 64 : 32, pos = (unsigned)a[3], len = (unsigned)a[4];
        uint64_t ones = len >= 64 ? UINT64_MAX : (UINT64_C(1) << len) - 1;
        uint64_t keep = ~(ones << pos) & (w ? UINT64_MAX : UINT32_MAX);

        ld_temp(g, RCX, a[2]);
        if (len < 32) {
            emit_alu_ri(e, w, EXT1_AND, RCX, (int32_t)ones);
        } else if (len == 32 && w) {
            emit_rr(e, OPC_MOV_ST, RCX, RCX);           /* zero-extends */
        } else if (len < bits) {
            emit_movi(e, RDX, ones);
            emit_rr(e, w | OPC_AND, RDX, RCX);
        }
        if (pos) {
            emit_shift_ri(e, w, EXT2_SHL, RCX, (uint8_t)pos);
        }
        if (len < bits) {
            ld_temp(g, RAX, a[1]);
            emit_movi(e, RDX, keep);
            emit_rr(e, w | OPC_AND, RDX, RAX);
            emit_rr(e, w | OPC_OR, RCX, RAX);
            st_temp(g, a[0], RAX);
        } else {
            st_temp(g, a[0], RCX);
        }
        break;
    }
    case LOOM_IR_OP_mulu2_i32: case LOOM_IR_OP_mulu2_i64:
    case LOOM_IR_OP_muls2_i32: case LOOM_IR_OP_muls2_i64:
        /* rdx:rax = rax * rcx; 32-bit forms zero-extend both halves */
        ld_temp(g, RAX, a[2]);
        ld_temp(g, RCX, a[3]);
        emit_rr(e, w | OPC_GRP3,
                op->opc == LOOM_IR_OP_mulu2_i32 || op->opc == LOOM_IR_OP_mulu2_i64 ? EXT3_MUL : EXT3_IMUL,
                RCX);
        st_temp(g, a[0], RAX);
        st_temp(g, a[1], RDX);
        break;
    case LOOM_IR_OP_addc_i32: case LOOM_IR_OP_addc_i64:
    case LOOM_IR_OP_subb_i32: case LOOM_IR_OP_subb_i64:
        /* bit 0 of ci into CF (shr 1), adc/sbb, CF out */
        ld_temp(g, RAX, a[2]);
        ld_temp(g, RCX, a[3]);
        ld_temp(g, RDX, a[4]);
        emit_shift_ri(e, 0, EXT2_SHR, RDX, 1);
        emit_rr(e, w | (op->opc <= LOOM_IR_OP_addc_i64 ? OPC_ADC : OPC_SBB), RCX, RAX);
        emit_rr(e, OPC_SETCC + CC_B, 0, RDX);
        emit_rr(e, OPC_MOVZBL, RDX, RDX);
        st_temp(g, a[0], RAX);
        st_temp(g, a[1], RDX);
        break;

    case LOOM_IR_OP_ext8s_i32: lower_ext(g, op, OPC_MOVSBL); break;
    case LOOM_IR_OP_ext16s_i32: lower_ext(g, op, OPC_MOVSWL); break;
    case LOOM_IR_OP_ext8s_i64: lower_ext(g, op, P_W | OPC_MOVSBL); break;
    case LOOM_IR_OP_ext16s_i64: lower_ext(g, op, P_W | OPC_MOVSWL); break;
    case LOOM_IR_OP_ext8u_i32: case LOOM_IR_OP_ext8u_i64: lower_ext(g, op, OPC_MOVZBL); break;
    case LOOM_IR_OP_ext16u_i32: case LOOM_IR_OP_ext16u_i64: lower_ext(g, op, OPC_MOVZWL); break;
    case LOOM_IR_OP_ext32s_i64: case LOOM_IR_OP_exts_i32_i64: lower_ext(g, op, P_W | OPC_MOVSXD); break;
    case LOOM_IR_OP_ext32u_i64: case LOOM_IR_OP_extu_i32_i64: case LOOM_IR_OP_extrl_i64_i32:
        lower_mov(g, op, true);
        break;
    case LOOM_IR_OP_extrh_i64_i32:
        ld_temp(g, RAX, a[1]);
        emit_shift_ri(e, P_W, EXT2_SHR, RAX, 32);
        st_temp(g, a[0], RAX);
        break;

    case LOOM_IR_OP_ldh_i64: lower_ldh(g, op); break;
    case LOOM_IR_OP_sth_i64: lower_sth(g, op); break;

    case LOOM_IR_OP_qemu_ld_i32: lower_qemu_ld(g, op, true); break;
    case LOOM_IR_OP_qemu_ld_i64: lower_qemu_ld(g, op, false); break;
    case LOOM_IR_OP_qemu_st_i32: case LOOM_IR_OP_qemu_st_i64: lower_qemu_st(g, op); break;

    case LOOM_IR_OP_atomic_cmpxchg_i32:
    case LOOM_IR_OP_atomic_xchg_i32:
    case LOOM_IR_OP_atomic_fetch_add_i32:
    case LOOM_IR_OP_atomic_fetch_and_i32:
    case LOOM_IR_OP_atomic_fetch_or_i32:
    case LOOM_IR_OP_atomic_fetch_xor_i32:
    case LOOM_IR_OP_atomic_fetch_smin_i32:
    case LOOM_IR_OP_atomic_fetch_smax_i32:
    case LOOM_IR_OP_atomic_fetch_umin_i32:
    case LOOM_IR_OP_atomic_fetch_umax_i32:
        lower_atomic(g, op, true);
        break;
    case LOOM_IR_OP_atomic_cmpxchg_i64:
    case LOOM_IR_OP_atomic_xchg_i64:
    case LOOM_IR_OP_atomic_fetch_add_i64:
    case LOOM_IR_OP_atomic_fetch_and_i64:
    case LOOM_IR_OP_atomic_fetch_or_i64:
    case LOOM_IR_OP_atomic_fetch_xor_i64:
    case LOOM_IR_OP_atomic_fetch_smin_i64:
    case LOOM_IR_OP_atomic_fetch_smax_i64:
    case LOOM_IR_OP_atomic_fetch_umin_i64:
    case LOOM_IR_OP_atomic_fetch_umax_i64:
        lower_atomic(g, op, false);
        break;

    case LOOM_IR_OP_mb:
        /* x86 (TSO) orders everything but a store before a later load;
           only that needs a fence.  The other orderings also hold for
           the core's C accesses, which the compiler may not reorder
           across the call into them. */
        if (a[0] & LOOM_MO_ST_LD) {
            emit8(e, 0x0f);
            emit8(e, 0xae);
            emit8(e, 0xf0);     /* mfence */
        }
        break;

    case LOOM_IR_OP_call:
        lower_call(g, op);
        break;
    case LOOM_IR_OP_insn_start:
        loom_cg_insn_start(g->cg, cur_ofs(g));
        break;
    case LOOM_IR_OP_goto_tb:
        lower_goto_tb(g, (unsigned)a[0]);
        break;
    case LOOM_IR_OP_exit_tb:
        emit_exit(g, (unsigned)a[0]);
        break;
    case LOOM_IR_OP_lookup_and_goto:
        lower_lookup_and_goto(g);
        break;
    default:
        g->bad = true;
        break;
    }
}

/* ---- hooks ---- */

static long x86_gen_code(LoomTB *tb, const LoomIRContext *ir, void *buf, size_t size)
{
    Gen *g = &gen_state;
    uint8_t *p = (uint8_t *)(((uintptr_t)buf + 15) & ~(uintptr_t)15);
    LoomCodeInfo *info;
    uint32_t slow_ofs;
    bool full;

    if ((size_t)(p - (uint8_t *)buf) + EMIT_MAX_OP > size) {
        return -1;
    }
    g->cg = loom_cg_thread(&x86_target);
    if (!g->cg) {
        abort();        /* our own description: cannot happen */
    }
    g->e.start = g->e.p = p;
    g->e.end = (uint8_t *)buf + size;
    g->ir = ir;
    g->tb = tb;
    g->exec_off = loom_code_exec_offset();
    g->bad = false;
    g->page_bits = loom_tlb_page_bits();
    if (!loom_cg_begin(g->cg, ir, &g->e)) {
        return -2;
    }

    emit_tb_entry(g);
    for (uint32_t i = 0; i < ir->nb_ops && !g->bad; i++) {
        if (g->e.end - g->e.p < EMIT_MAX_OP) {
            return -1;
        }
        /* the core's sync points around each op */
        loom_cg_op_begin(g->cg, i);
        lower_op(g, &ir->ops[i]);
        loom_cg_op_end(g->cg);
    }
    /* an IR path that falls off the end leaves plainly */
    if (g->e.end - g->e.p < EMIT_MAX_OP) {
        return -1;
    }
    emit_exit(g, LOOM_IR_EXIT_PLAIN);
    slow_ofs = cur_ofs(g);
    for (uint32_t i = 0; i < loom_cg_nb_slow(g->cg); i++) {
        if (g->e.end - g->e.p < EMIT_MAX_OP) {
            return -1;
        }
        emit_slow_path(g, loom_cg_slow(g->cg, i));
    }

    info = NULL;
    full = false;
    if (!g->bad) {
        info = loom_cg_finish(g->cg, g->e.start, cur_ofs(g), g->e.end, &full);
    }
    if (full) {
        return -1;
    }
    if (!info) {
        loom_log("x86_64: cannot lower the IR of the TB at pc 0x%llx\n",
                 (unsigned long long)tb->pc);
        abort();
    }

    if (loom_log_enabled(LOOM_LOG_OUT_ASM)) {
        loom_log("OUT: pc=0x%llx: x86_64 code, %u bytes\n", (unsigned long long)tb->pc,
                 info->code_len);
        x86_disas_log(g->e.start, info->code_len, info->insn_ofs, info->nb_insns, slow_ofs);
    }
    tb->code = g->e.start + g->exec_off;
    tb->backend_data = info;
    tb->code_size = (uint32_t)((uint8_t *)info->insn_ofs + info->nb_insns * sizeof(uint32_t) -
                               (uint8_t *)buf);
    return (long)tb->code_size;
}

static uintptr_t x86_exec_tb(LoomCPU *cpu, LoomTB *tb)
{
    /* the TB entry check; goto_tb and lookup_and_goto check before
       entering the next TB */
    if (__atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE)) {
        return (uintptr_t)tb | LOOM_IR_EXIT_REQUESTED;
    }
    return jit_enter(cpu->env, tb->code);
}

static void x86_set_jmp_target(LoomTB *tb, int n, LoomTB *target)
{
    const LoomCodeInfo *info = tb->backend_data;
    uint8_t *at;
    int64_t d = 0;

    if (n < 0 || n > 1 || !info->jmp_ofs[n]) {
        return;
    }
    at = (uint8_t *)tb->code + info->jmp_ofs[n];
    if (target) {
        d = (int64_t)((uintptr_t)target->code - ((uintptr_t)at + 4));
        if (!fits_s32(d)) {
            return;     /* too far for a rel32: stays unchained */
        }
    }
    /* one aligned 4-byte store, through the writable view (wx=on):
       running threads see the old or the new displacement.  Release: the
       target's code, written before, is visible to whoever follows the
       new jump. */
    __atomic_store_n((int32_t *)(void *)(at - loom_code_exec_offset()), (int32_t)d,
                     __ATOMIC_RELEASE);
}

/* The optional ops lower_op has (ir-ops.h); the core legalises
   atomic_cmpxchg_i128 (max_atomic_bits 64: only exclusive sections see it). */
static const uint16_t x86_optional_ops[] = {
    LOOM_IR_OP_andc_i32, LOOM_IR_OP_andc_i64, LOOM_IR_OP_orc_i32, LOOM_IR_OP_orc_i64,
    LOOM_IR_OP_rotl_i32, LOOM_IR_OP_rotl_i64, LOOM_IR_OP_rotr_i32, LOOM_IR_OP_rotr_i64,
    LOOM_IR_OP_clz_i32, LOOM_IR_OP_clz_i64, LOOM_IR_OP_ctz_i32, LOOM_IR_OP_ctz_i64,
    LOOM_IR_OP_ctpop_i32, LOOM_IR_OP_ctpop_i64, LOOM_IR_OP_bswap32_i32, LOOM_IR_OP_bswap64_i64,
    LOOM_IR_OP_bswap16_i32, LOOM_IR_OP_bswap16_i64, LOOM_IR_OP_bswap32_i64,
    LOOM_IR_OP_extract_i32, LOOM_IR_OP_extract_i64, LOOM_IR_OP_sextract_i32, LOOM_IR_OP_sextract_i64,
    LOOM_IR_OP_deposit_i32, LOOM_IR_OP_deposit_i64,
    LOOM_IR_OP_addc_i32, LOOM_IR_OP_addc_i64, LOOM_IR_OP_subb_i32, LOOM_IR_OP_subb_i64,
    LOOM_IR_OP_mulu2_i32, LOOM_IR_OP_mulu2_i64, LOOM_IR_OP_muls2_i32, LOOM_IR_OP_muls2_i64,
    0
};

static const LoomBackendOps x86_ops = {
    .host_default_mo = LOOM_MO_ALL & ~LOOM_MO_ST_LD,
    .can_emit_mb = true,
    .max_atomic_bits = 64,
    .optional_ops = x86_optional_ops,
    .host_arch = "x86_64",
    .supports_wx = true,
    .gen_code = x86_gen_code,
    .exec_tb = x86_exec_tb,
    .set_jmp_target = x86_set_jmp_target,
    .unwind = loom_cg_unwind,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_BACKEND, "x86_64", "0.1", "MIT",
                   "x86-64 JIT: IR to host machine code", &x86_ops);
