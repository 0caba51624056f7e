/*
 * misaligned_ldst.S - misaligned loads and stores complete (the default
 * `-cpu rv64`), as on QEMU and many cores.
 *
 * Covers:
 *   - lh/lhu/lw/lwu/ld at every odd offset kind: exact values, sign and
 *     zero extension;
 *   - sh/sw/sd: exact bytes written, neighbours intact;
 *   - flw/fld/fsw/fsd (flw NaN-boxes), c.lw/c.ld/c.sw/c.sd/c.fld/c.fsd
 *     and the sp-based c.lwsp/c.ldsp/c.swsp/c.sdsp/c.fldsp/c.fsdsp with
 *     misaligned addresses;
 *   - accesses crossing a page boundary in RAM (loads, stores, FP);
 *   - a crossing store whose second half overwrites translated code on
 *     the next page: the new code runs (after fence.i);
 *   - crossing into a physical hole at the end of RAM (0x88000000 with
 *     the default 128 MiB): load/store access fault with mtval = the
 *     first byte on the faulting page, rd unchanged;
 *   - Sv39 in S-mode: crossing from a valid page into an invalid one
 *     (load/store page fault, mtval = the second page's base, nothing
 *     written), from an invalid page into a valid one (mtval = the
 *     access's own address); between two valid pages that are not
 *     adjacent in physical memory.
 * Where loom goes beyond what QEMU 7.2 does (device memory, a store
 * half into a hole, AMOs) is in misaligned_io.S.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"
#include "priv.h"

#define MSTATUS_FS_INIT 0x2000
#define RAM_END         0x88000000      /* default -m 128M */


/* Reset buf (32 bytes) to 0x00, 0x11, ..., 0xff, 0x00, ... */
.macro BUF_RESET
    la   t0, buf
    li   t1, 0x7766554433221100
    sd   t1, 0(t0)
    li   t1, 0xffeeddccbbaa9988
    sd   t1, 8(t0)
    li   t1, 0x7766554433221100
    sd   t1, 16(t0)
    li   t1, 0xffeeddccbbaa9988
    sd   t1, 24(t0)
.endm

/* The 16 bytes around xbuf's page boundary: 0x00, 0x11, ..., 0xff */
.macro XBUF_RESET
    la   t0, xbuf + 4088
    li   t1, 0x7766554433221100
    sd   t1, 0(t0)
    li   t1, 0xffeeddccbbaa9988
    sd   t1, 8(t0)
.endm

TEST_BEGIN 1
    li   t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    BUF_RESET
    la   s0, buf

    /* ---- integer loads inside one page ---- */
    lh   a0, 1(s0)
    CHECK a0, 0x0000000000002211, 1
    lh   a0, 7(s0)
    CHECK a0, 0xffffffffffff8877, 2
    lhu  a0, 7(s0)
    CHECK a0, 0x0000000000008877, 3
    lw   a0, 2(s0)
    CHECK a0, 0x0000000055443322, 4
    lw   a0, 5(s0)
    CHECK a0, 0xffffffff88776655, 5
    lwu  a0, 5(s0)
    CHECK a0, 0x0000000088776655, 6
    lwu  a0, 3(s0)
    CHECK a0, 0x0000000066554433, 7
    ld   a0, 1(s0)
    CHECK a0, 0x8877665544332211, 8
    ld   a0, 4(s0)
    CHECK a0, 0xbbaa998877665544, 9
    ld   a0, 7(s0)
    CHECK a0, 0xeeddccbbaa998877, 10
    lh   a0, 15(s0)
    CHECK a0, 0x00000000000000ff, 11
    lw   a0, 13(s0)
    CHECK a0, 0x0000000000ffeedd, 12
    ld   a0, 9(s0)
    CHECK a0, 0x00ffeeddccbbaa99, 13
    /* ---- integer stores inside one page ---- */
    li   a1, 0x0123456789abcdef
    sh   a1, 1(s0)
    CHECK_MEMD buf + 0, 0x7766554433cdef00, 14
    BUF_RESET
    sh   a1, 15(s0)
    CHECK_MEMD buf + 8, 0xefeeddccbbaa9988, 15
    CHECK_MEMD buf + 16, 0x77665544332211cd, 16
    BUF_RESET
    sw   a1, 6(s0)
    CHECK_MEMD buf + 0, 0xcdef554433221100, 17
    CHECK_MEMD buf + 8, 0xffeeddccbbaa89ab, 18
    BUF_RESET
    sw   a1, 3(s0)
    CHECK_MEMD buf + 0, 0x7789abcdef221100, 19
    BUF_RESET
    sd   a1, 3(s0)
    CHECK_MEMD buf + 0, 0x6789abcdef221100, 20
    CHECK_MEMD buf + 8, 0xffeeddccbb012345, 21
    BUF_RESET
    sd   a1, 7(s0)
    CHECK_MEMD buf + 0, 0xef66554433221100, 22
    CHECK_MEMD buf + 8, 0xff0123456789abcd, 23
    BUF_RESET
    sd   a1, 12(s0)
    CHECK_MEMD buf + 8, 0x89abcdefbbaa9988, 24
    CHECK_MEMD buf + 16, 0x7766554401234567, 25
    BUF_RESET
    /* ---- F and D ---- */
    flw  fa0, 1(s0)
    fmv.x.d a0, fa0
    CHECK a0, 0xffffffff44332211, 26
    flw  fa0, 14(s0)
    fmv.x.d a0, fa0
    CHECK a0, 0xffffffff1100ffee, 27
    fld  fa1, 5(s0)
    fmv.x.d a0, fa1
    CHECK a0, 0xccbbaa9988776655, 28
    fld  fa1, 11(s0)
    fmv.x.d a0, fa1
    CHECK a0, 0x221100ffeeddccbb, 29
    li   a1, 0x0123456789abcdef
    fmv.d.x fa2, a1
    fsw  fa2, 2(s0)
    CHECK_MEMD buf + 0, 0x776689abcdef1100, 30
    BUF_RESET
    fsw  fa2, 7(s0)
    CHECK_MEMD buf + 0, 0xef66554433221100, 31
    CHECK_MEMD buf + 8, 0xffeeddccbb89abcd, 32
    BUF_RESET
    fsd  fa2, 9(s0)
    CHECK_MEMD buf + 8, 0x23456789abcdef88, 33
    CHECK_MEMD buf + 16, 0x7766554433221101, 34
    BUF_RESET
    fsd  fa2, 1(s0)
    CHECK_MEMD buf + 0, 0x23456789abcdef00, 35
    CHECK_MEMD buf + 8, 0xffeeddccbbaa9901, 36
    BUF_RESET
    /* ---- compressed forms: s1 = buf + 3 (x9 is a C register) ---- */
    addi s1, s0, 3
    c.lw a2, 0(s1)
    CHECK a2, 0x0000000066554433, 37
    c.lw a2, 4(s1)
    CHECK a2, 0xffffffffaa998877, 38
    c.ld a3, 8(s1)
    CHECK a3, 0x221100ffeeddccbb, 39
    c.fld fa3, 0(s1)
    fmv.x.d a0, fa3
    CHECK a0, 0xaa99887766554433, 40
    li   a4, 0x0123456789abcdef
    fmv.d.x fa4, a4
    c.sw a4, 4(s1)
    CHECK_MEMD buf + 0, 0xef66554433221100, 41
    CHECK_MEMD buf + 8, 0xffeeddccbb89abcd, 42
    BUF_RESET
    c.sd a4, 8(s1)
    CHECK_MEMD buf + 8, 0x6789abcdefaa9988, 43
    CHECK_MEMD buf + 16, 0x7766554433012345, 44
    BUF_RESET
    c.fsd fa4, 0(s1)
    CHECK_MEMD buf + 0, 0x6789abcdef221100, 45
    CHECK_MEMD buf + 8, 0xffeeddccbb012345, 46
    BUF_RESET
    /* ---- sp-based compressed forms: sp = buf + 1 for a moment ---- */
    mv   s2, sp
    addi sp, s0, 1
    c.lwsp a2, 4(sp)
    c.ldsp a3, 8(sp)
    c.fldsp fa5, 16(sp)
    mv   sp, s2
    CHECK a2, 0xffffffff88776655, 47
    CHECK a3, 0x00ffeeddccbbaa99, 48
    fmv.x.d a0, fa5
    CHECK a0, 0x8877665544332211, 49
    mv   s2, sp
    addi sp, s0, 1
    c.swsp a4, 0(sp)
    c.sdsp a4, 8(sp)
    mv   sp, s2
    CHECK_MEMD buf + 0, 0x77665589abcdef00, 50
    CHECK_MEMD buf + 8, 0x23456789abcdef88, 51
    CHECK_MEMD buf + 16, 0x7766554433221101, 52
    BUF_RESET
    mv   s2, sp
    addi sp, s0, 2
    c.fsdsp fa4, 16(sp)
    mv   sp, s2
    CHECK_MEMD buf + 16, 0x456789abcdef1100, 53
    CHECK_MEMD buf + 24, 0xffeeddccbbaa0123, 54
    BUF_RESET
    /* ---- crossing a page boundary in RAM: s3 = the boundary ---- */
    XBUF_RESET
    la   s3, xbuf + 4096
    lh   a0, -1(s3)
    CHECK a0, 0xffffffffffff8877, 55
    lhu  a0, -1(s3)
    CHECK a0, 0x0000000000008877, 56
    lw   a0, -1(s3)
    CHECK a0, 0xffffffffaa998877, 57
    lw   a0, -3(s3)
    CHECK a0, 0xffffffff88776655, 58
    lwu  a0, -2(s3)
    CHECK a0, 0x0000000099887766, 59
    ld   a0, -1(s3)
    CHECK a0, 0xeeddccbbaa998877, 60
    ld   a0, -5(s3)
    CHECK a0, 0xaa99887766554433, 61
    ld   a0, -7(s3)
    CHECK a0, 0x8877665544332211, 62
    flw  fa0, -2(s3)
    fmv.x.d a0, fa0
    CHECK a0, 0xffffffff99887766, 63
    fld  fa1, -3(s3)
    fmv.x.d a0, fa1
    CHECK a0, 0xccbbaa9988776655, 64
    addi s1, s3, -6
    c.ld a3, 0(s1)
    CHECK a3, 0x9988776655443322, 65
    c.lw a3, 4(s1)
    CHECK a3, 0xffffffff99887766, 66
    li   a1, 0x0123456789abcdef
    fmv.d.x fa2, a1
    sh   a1, -1(s3)
    CHECK_MEMD xbuf + 4088, 0xef66554433221100, 67
    CHECK_MEMD xbuf + 4096, 0xffeeddccbbaa99cd, 68
    XBUF_RESET
    sw   a1, -1(s3)
    CHECK_MEMD xbuf + 4088, 0xef66554433221100, 69
    CHECK_MEMD xbuf + 4096, 0xffeeddccbb89abcd, 70
    XBUF_RESET
    sw   a1, -3(s3)
    CHECK_MEMD xbuf + 4088, 0xabcdef4433221100, 71
    CHECK_MEMD xbuf + 4096, 0xffeeddccbbaa9989, 72
    XBUF_RESET
    sd   a1, -5(s3)
    CHECK_MEMD xbuf + 4088, 0x6789abcdef221100, 73
    CHECK_MEMD xbuf + 4096, 0xffeeddccbb012345, 74
    XBUF_RESET
    sd   a1, -1(s3)
    CHECK_MEMD xbuf + 4088, 0xef66554433221100, 75
    CHECK_MEMD xbuf + 4096, 0xff0123456789abcd, 76
    XBUF_RESET
    fsw  fa2, -2(s3)
    CHECK_MEMD xbuf + 4088, 0xcdef554433221100, 77
    CHECK_MEMD xbuf + 4096, 0xffeeddccbbaa89ab, 78
    XBUF_RESET
    fsd  fa2, -7(s3)
    CHECK_MEMD xbuf + 4088, 0x23456789abcdef00, 79
    CHECK_MEMD xbuf + 4096, 0xffeeddccbbaa9901, 80
    XBUF_RESET
    addi s1, s3, -6
    c.sd a1, 0(s1)
    CHECK_MEMD xbuf + 4088, 0x456789abcdef1100, 81
    CHECK_MEMD xbuf + 4096, 0xffeeddccbbaa0123, 82
    XBUF_RESET
    c.fsd fa2, 0(s1)
    CHECK_MEMD xbuf + 4088, 0x456789abcdef1100, 83
    CHECK_MEMD xbuf + 4096, 0xffeeddccbbaa0123, 84
    XBUF_RESET

    /* ---- a crossing store rewrites translated code on the next page ---- */
    call smc_fn
    CHECK a0, 1, 85
    la   t0, smc_fn
    li   a1, 0x0020051300000000         /* high word: addi a0, zero, 2 */
    sd   a1, -4(t0)
    fence.i
    call smc_fn
    CHECK a0, 2, 86

    /* ---- crossing into the hole after RAM: access faults ---- */
    TRAP_RECORD_ON
    li   s4, RAM_END
    TRAP_RESET
    li   a0, 0x1234
ram_end_ld:
    ld   a0, -4(s4)
    CHECK_TRAP 87, CAUSE_LOAD_ACCESS, ram_end_ld, RAM_END
    CHECK a0, 0x1234, 91
    TRAP_RESET
    li   a1, -1
ram_end_sd:
    sd   a1, -2(s4)
    CHECK_TRAP 92, CAUSE_STORE_ACCESS, ram_end_sd, RAM_END
    /* (that nothing was written is loom's choice: misaligned_io) */
    TRAP_RESET
ram_end_lw:
    lw   a0, -1(s4)
    CHECK_TRAP 97, CAUSE_LOAD_ACCESS, ram_end_lw, RAM_END
    CHECK a0, 0x1234, 101
    TRAP_RECORD_OFF

    /* ---- Sv39, S-mode: crossing into and out of invalid pages ---- */
    PRIV_INIT
    li   a0, RAM_BASE
    PTE_SET root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    la   a0, l1
    PTE_SET root, 0, a0, PTE_V
    la   a0, l0
    PTE_SET l1, 0, a0, PTE_V
    la   a0, pg_a
    PTE_SET l0, 1, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D   /* 0x1000 */
    /* 0x2000, 0x3000: invalid */
    la   a0, pg_b
    PTE_SET l0, 4, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D   /* 0x4000 */
    la   a0, pg_a
    PTE_SET l0, 5, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D   /* 0x5000 */
    la   t0, pg_a
    li   t1, 0xffeeddccbbaa9988
    sd   t1, 0(t0)
    li   t1, 0x5a5a5a5a
    la   t0, pg_a + 4092
    sw   t1, 0(t0)
    la   t0, pg_b + 4088
    li   t1, 0x7766554433221100
    sd   t1, 0(t0)
    la   t2, root
    srli t2, t2, 12
    li   t3, SATP_SV39
    or   t2, t2, t3
    csrw satp, t2
    sfence.vma

    /* valid -> invalid: the fault names the second page */
    M_CONT m_vi_ld
    li   a2, 0x55
    MRET_TO 1, s_vi_ld
s_vi_ld:
    li   a1, 0x1ffc
s_vi_ld_insn:
    ld   a2, 0(a1)
    ecall
m_vi_ld:
    CHECK_PTRAP 102, CAUSE_LOAD_PF, s_vi_ld_insn, 0x2000
    CHECK a2, 0x55, 106
    M_CONT m_vi_sd
    MRET_TO 1, s_vi_sd
s_vi_sd:
    li   a1, 0x1ffe
    li   a3, -1
s_vi_sd_insn:
    sd   a3, 0(a1)
    ecall
m_vi_sd:
    CHECK_PTRAP 107, CAUSE_STORE_PF, s_vi_sd_insn, 0x2000
    la   t0, pg_a + 4092
    lwu  t1, 0(t0)
    CHECK t1, 0x5a5a5a5a, 111           /* first page untouched */

    /* invalid -> valid: the fault names the access */
    M_CONT m_iv_ld
    MRET_TO 1, s_iv_ld
s_iv_ld:
    li   a1, 0x3ffd
s_iv_ld_insn:
    lw   a2, 0(a1)
    ecall
m_iv_ld:
    CHECK_PTRAP 112, CAUSE_LOAD_PF, s_iv_ld_insn, 0x3ffd
    CHECK a2, 0x55, 116

    /* valid -> valid, physically apart (0x4000 -> pg_b, 0x5000 -> pg_a) */
    M_CONT m_vv
    MRET_TO 1, s_vv
s_vv:
    li   a1, 0x4ffd
    ld   a2, 0(a1)
    li   a3, 0x0123456789abcdef
    sd   a3, -2(a1)                     /* 0x4ffb */
s_vv_ecall:
    ecall
m_vv:
    CHECK_PTRAP 117, CAUSE_ECALL_S, s_vv_ecall, 0
    CHECK a2, 0xccbbaa9988776655, 121
    CHECK_MEMD pg_b + 4088, 0x6789abcdef221100, 122
    CHECK_MEMD pg_a, 0xffeeddccbb012345, 123
    csrw satp, zero
    sfence.vma

    PASS
TEST_END

    PRIV_HANDLERS

    /* smc_fn starts a page; the 8 bytes before it are data */
    .balign 4096
    .space 4096 - 8
smc_before:
    .dword 0
smc_fn:
    .word 0x00100513                    /* addi a0, zero, 1 (32-bit form) */
    .word 0x00008067                    /* ret */

    .data
    .balign 16
buf:
    .space 32

    .bss
    .balign 4096
xbuf:
    .space 8192
root:
    .space 4096
l1:
    .space 4096
l0:
    .space 4096
pg_a:
    .space 4096
pg_b:
    .space 4096
