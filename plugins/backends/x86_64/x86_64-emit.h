/*
 * x86-64 instruction emitters: prefixes, REX, ModRM/SIB, immediates and
 * short forward branches.  They write at e->p and never check space: the
 * lowering code reserves room (EMIT_MAX_OP bytes) before each IR op.
 */
#ifndef LOOM_X86_64_EMIT_H
#define LOOM_X86_64_EMIT_H

#include <stdint.h>
#include <string.h>
#include "x86_64-target.h"

/* The most bytes one IR op's lowering may emit (the longest, an atomic
   call with stack arguments, is about 90). */
#define EMIT_MAX_OP 256

typedef struct Emit {
    uint8_t *start;     /* the TB's first code byte */
    uint8_t *p;         /* next byte */
    uint8_t *end;       /* end of the space we were given */
} Emit;

static inline void emit8(Emit *e, uint8_t v) { *e->p++ = v; }
static inline void emit32(Emit *e, uint32_t v) { memcpy(e->p, &v, 4); e->p += 4; }
static inline void emit64(Emit *e, uint64_t v) { memcpy(e->p, &v, 8); e->p += 8; }

static inline bool fits_s8(int64_t v) { return v == (int8_t)v; }
static inline bool fits_s32(int64_t v) { return v == (int32_t)v; }

/* Prefixes, REX and opcode bytes.  r is ModRM.reg (a register or an
   opcode extension), rm the ModRM.rm register or base, x the SIB index. */
static inline void emit_opc(Emit *e, int opc, int r, int rm, int x)
{
    int rex = ((opc & P_W) ? 8 : 0) | ((r & 8) ? 4 : 0) | ((x & 8) ? 2 : 0) | ((rm & 8) ? 1 : 0);

    if (opc & P_66) {
        emit8(e, 0x66);
    }
    if (opc & P_F3) {
        emit8(e, 0xf3);
    }
    if (rex || ((opc & P_BYTE) && ((r & 15) >= 4 || (rm & 15) >= 4))) {
        emit8(e, (uint8_t)(0x40 | rex));
    }
    if (opc & P_0F) {
        emit8(e, 0x0f);
    }
    emit8(e, (uint8_t)opc);
}

/* register-direct: op r, rm (mod = 3) */
static inline void emit_rr(Emit *e, int opc, int r, int rm)
{
    emit_opc(e, opc, r, rm, 0);
    emit8(e, (uint8_t)(0xc0 | (r & 7) << 3 | (rm & 7)));
}

/* memory operand [base + disp] */
static inline void emit_mem(Emit *e, int opc, int r, int base, int32_t disp)
{
    int mod = disp == 0 && (base & 7) != RBP ? 0 : fits_s8(disp) ? 1 : 2;

    emit_opc(e, opc, r, base, 0);
    emit8(e, (uint8_t)(mod << 6 | (r & 7) << 3 | (base & 7)));
    if ((base & 7) == RSP) {
        emit8(e, 0x24);         /* SIB: no index, base = rsp/r12 */
    }
    if (mod == 1) {
        emit8(e, (uint8_t)disp);
    } else if (mod == 2) {
        emit32(e, (uint32_t)disp);
    }
}

/* memory operand [base + index + disp] (scale 1); index is never rsp */
static inline void emit_mem_idx(Emit *e, int opc, int r, int base, int index, int32_t disp)
{
    int mod = disp == 0 && (base & 7) != RBP ? 0 : fits_s8(disp) ? 1 : 2;

    emit_opc(e, opc, r, base, index);
    emit8(e, (uint8_t)(mod << 6 | (r & 7) << 3 | 4));
    emit8(e, (uint8_t)((index & 7) << 3 | (base & 7)));
    if (mod == 1) {
        emit8(e, (uint8_t)disp);
    } else if (mod == 2) {
        emit32(e, (uint32_t)disp);
    }
}

/* lea r, [rip + disp32]; returns where disp32 is, to patch later */
static inline uint8_t *emit_lea_rip(Emit *e, int r, int32_t disp)
{
    emit_opc(e, P_W | OPC_LEA, r, 0, 0);
    emit8(e, (uint8_t)(0x05 | (r & 7) << 3));
    emit32(e, (uint32_t)disp);
    return e->p - 4;
}

/* group-1 op with an immediate: add/or/and/sub/xor/cmp r, imm */
static inline void emit_alu_ri(Emit *e, int w, int ext, int r, int32_t imm)
{
    if (fits_s8(imm)) {
        emit_rr(e, w | OPC_GRP1_IB, ext, r);
        emit8(e, (uint8_t)imm);
    } else {
        emit_rr(e, w | OPC_GRP1_ID, ext, r);
        emit32(e, (uint32_t)imm);
    }
}

static inline void emit_shift_ri(Emit *e, int w, int ext, int r, uint8_t count)
{
    emit_rr(e, w | OPC_SHIFT_IB, ext, r);
    emit8(e, count);
}

/* rorx r, rm, count (BMI2; VEX.LZ.F2.0F3A.W1 F0 /r ib): r = rm rotated
   right, 64-bit, in one instruction that leaves rm and the flags alone */
static inline void emit_rorx64(Emit *e, int r, int rm, uint8_t count)
{
    emit8(e, 0xc4);
    /* inverted R, X (unused), B; map 0F3A */
    emit8(e, (uint8_t)(((r & 8) ? 0 : 0x80) | 0x40 | ((rm & 8) ? 0 : 0x20) | 0x03));
    emit8(e, 0xfb);     /* W1, vvvv unused (1111), L0, pp F2 */
    emit8(e, 0xf0);
    emit8(e, (uint8_t)(0xc0 | (r & 7) << 3 | (rm & 7)));
    emit8(e, count);
}

/* r = v, the shortest form; never touches the flags.  A 32-bit move
   zero-extends, so v < 2^32 needs no REX.W. */
static inline void emit_movi(Emit *e, int r, uint64_t v)
{
    if (v <= UINT32_MAX) {
        emit_opc(e, OPC_MOVI + (r & 7), 0, r, 0);
        emit32(e, (uint32_t)v);
    } else if (fits_s32((int64_t)v)) {
        emit_rr(e, P_W | OPC_MOVI_RM, 0, r);
        emit32(e, (uint32_t)v);
    } else {
        emit_opc(e, P_W | (OPC_MOVI + (r & 7)), 0, r, 0);
        emit64(e, v);
    }
}

/* mov r32, r32: zero-extends the low half in place */
static inline void emit_zext32(Emit *e, int r)
{
    emit_rr(e, OPC_MOV_ST, r, r);
}

/* call an absolute address through rax (translated code and the plugin
   may be more than 2 GiB apart) */
static inline void emit_call_abs(Emit *e, const void *fn)
{
    emit_movi(e, RAX, (uint64_t)(uintptr_t)fn);
    emit_rr(e, OPC_GRP5, EXT5_CALL, RAX);
}

/* Short forward branch: emit with a zero displacement, fix it up with
   emit_patch8 at the target.  cc < 0 is an unconditional jmp. */
static inline uint8_t *emit_jcc8(Emit *e, int cc)
{
    emit8(e, (uint8_t)(cc < 0 ? OPC_JMP8 : OPC_JCC8 + cc));
    emit8(e, 0);
    return e->p - 1;
}

static inline void emit_patch8(Emit *e, uint8_t *at)
{
    *at = (uint8_t)(int8_t)(e->p - (at + 1));
}

/* Branch whose rel32 is filled in later; returns where the rel32 is. */
static inline uint8_t *emit_jcc32(Emit *e, int cc)
{
    if (cc < 0) {
        emit8(e, OPC_JMP32);
    } else {
        emit_opc(e, OPC_JCC32 + cc, 0, 0, 0);
    }
    emit32(e, 0);
    return e->p - 4;
}

/* Point the rel32 at `at` to `target`. */
static inline void emit_patch32(uint8_t *at, const uint8_t *target)
{
    int32_t d = (int32_t)(target - (at + 4));
    memcpy(at, &d, 4);
}

#endif /* LOOM_X86_64_EMIT_H */
