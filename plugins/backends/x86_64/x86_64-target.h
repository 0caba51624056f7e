/*
 * x86-64 target description for the JIT back-end: registers, condition
 * codes, opcode bytes and the fixed roles registers play in translated
 * code.  Encodings follow the Intel SDM, volume 2.
 */
#ifndef LOOM_X86_64_TARGET_H
#define LOOM_X86_64_TARGET_H

/* General-purpose registers, numbered as in ModRM/REX. */
enum {
    RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
    R8, R9, R10, R11, R12, R13, R14, R15,
};

/*
 * Register roles in translated code (System V ABI host):
 *   RBX  the vCPU's env pointer, for the whole run (callee-saved, so it
 *        survives helper calls);
 *   RSP  points at the argument slot for a helper's sixth argument,
 *        the return address into jit_enter above it, the temp frame
 *        above that; 16-byte aligned for calls;
 *   RAX RCX RDX RSI RDI R8-R11  scratch within one IR op (the TLB
 *        check: rax, rdi, r11).
 * Nothing else is live between ops: every temp lives in env (globals)
 * or the frame, so a helper may raise, or read and write any global.
 */
#define REG_ENV RBX
#define FRAME_TEMP_BASE 16      /* [rsp + 16 + 8 * slot] */

/* Condition codes (the low nibble of Jcc/SETcc/CMOVcc). */
enum {
    CC_O = 0x0, CC_NO = 0x1, CC_B = 0x2, CC_AE = 0x3,
    CC_E = 0x4, CC_NE = 0x5, CC_BE = 0x6, CC_A = 0x7,
    CC_S = 0x8, CC_NS = 0x9, CC_P = 0xa, CC_NP = 0xb,
    CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe, CC_G = 0xf,
};

/* Opcode flags or'ed into the opcode byte for emit_opc(). */
#define P_W     0x100       /* REX.W: 64-bit operand size */
#define P_0F    0x200       /* two-byte opcode, 0F escape */
#define P_66    0x400       /* operand-size prefix: 16-bit */
#define P_F3    0x800       /* mandatory F3 prefix (popcnt) */
#define P_BYTE  0x1000      /* byte register operand: any REX selects
                               spl/bpl/sil/dil instead of ah..bh */

/* One-byte opcodes, "op r/m, r" unless noted. */
#define OPC_ADD     0x01
#define OPC_ADC     0x11
#define OPC_SBB     0x19
#define OPC_OR      0x09
#define OPC_AND     0x21
#define OPC_SUB     0x29
#define OPC_XOR     0x31
#define OPC_CMP     0x39
#define OPC_TEST    0x85
#define OPC_MOVB_ST 0x88    /* mov r/m8, r8 */
#define OPC_MOV_ST  0x89    /* mov r/m, r */
#define OPC_MOV_LD  0x8b    /* mov r, r/m */
#define OPC_LEA     0x8d
#define OPC_MOVSXD  0x63    /* with P_W: movsxd r64, r/m32 */
#define OPC_CQO     0x99    /* cdq, or cqo with P_W */
#define OPC_MOVI    0xb8    /* mov r, imm (+ register number) */
#define OPC_MOVI_RM 0xc7    /* /0: mov r/m, simm32 */
#define OPC_GRP1_IB 0x83    /* /ext r/m, simm8 */
#define OPC_GRP1_ID 0x81    /* /ext r/m, imm32 */
#define OPC_SHIFT_IB 0xc1   /* /ext r/m, imm8 */
#define OPC_SHIFT_CL 0xd3   /* /ext r/m, cl */
#define OPC_GRP3    0xf7    /* /2 not, /3 neg, /4 mul, /5 imul, /6 div, /7 idiv */
#define OPC_GRP5    0xff    /* /2 call r/m, /4 jmp r/m */
#define OPC_JCC8    0x70    /* + cc */
#define OPC_JMP8    0xeb
#define OPC_JMP32   0xe9
#define OPC_RET     0xc3
#define OPC_NOP     0x90

/* Two-byte opcodes (with P_0F). */
#define OPC_JCC32   (P_0F | 0x80)   /* + cc */
#define OPC_SETCC   (P_0F | P_BYTE | 0x90)  /* + cc, /0 */
#define OPC_CMOVCC  (P_0F | 0x40)   /* + cc */
#define OPC_IMUL_RR (P_0F | 0xaf)   /* imul r, r/m */
#define OPC_MOVZBL  (P_0F | P_BYTE | 0xb6)
#define OPC_MOVZWL  (P_0F | 0xb7)
#define OPC_MOVSBL  (P_0F | P_BYTE | 0xbe)
#define OPC_MOVSWL  (P_0F | 0xbf)
#define OPC_BSF     (P_0F | 0xbc)
#define OPC_BSR     (P_0F | 0xbd)
#define OPC_POPCNT  (P_F3 | P_0F | 0xb8)
#define OPC_BSWAP   (P_0F | 0xc8)   /* + register number */
#define OPC_CMPXCHG (P_0F | 0xb1)   /* cmpxchg r/m, r (compares with rax) */
#define OPC_XADD    (P_0F | 0xc1)   /* xadd r/m, r */
#define OPC_XCHG    0x87            /* xchg r/m, r: locked when r/m is memory */
#define PFX_LOCK    0xf0

/* Group-1 extensions (OPC_GRP1_*) */
enum { EXT1_ADD = 0, EXT1_OR = 1, EXT1_AND = 4, EXT1_SUB = 5, EXT1_XOR = 6, EXT1_CMP = 7 };
/* Shift-group extensions */
enum { EXT2_ROL = 0, EXT2_ROR = 1, EXT2_SHL = 4, EXT2_SHR = 5, EXT2_SAR = 7 };
/* Group-3 extensions */
enum { EXT3_NOT = 2, EXT3_NEG = 3, EXT3_MUL = 4, EXT3_IMUL = 5, EXT3_DIV = 6, EXT3_IDIV = 7 };
/* Group-5 extensions */
enum { EXT5_CALL = 2, EXT5_JMP = 4 };

#endif /* LOOM_X86_64_TARGET_H */
