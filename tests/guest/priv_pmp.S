/*
 * priv_pmp.S - physical memory protection (16 entries, G = 0).
 *
 * Entries: 0 NA4 on pmp_word (no permission), 1 NAPOT 4 KiB on pmp_page
 * (R only), 2 OFF (the TOR base: RAM_BASE), 3 TOR RAM_BASE..+128 MiB (RWX).
 *
 * Covers: S and U load/store/fetch denials are access faults (5/7/1)
 * with mtval = the address; the word next to an NA4 entry in the same
 * page stays accessible and the NA4 word faults every time (the page is
 * not cached whole); priority by index; M ignores unlocked entries;
 * no matching entry: S/U denied (fetch fault), M allowed; a locked entry
 * applies to M and ignores writes to its cfg and address; pmpcfg reads
 * back.  (loom also drops W from the reserved R=0 W=1; QEMU 7.2 keeps
 * it, so that is not checked here.)
 * Single hart.
 */
#include "testmacros.h"
#include "priv.h"

#define CFG(i, v) ((v) << (8 * (i)))
#define A_TOR   0x08
#define A_NA4   0x10
#define A_NAPOT 0x18
#define P_R 1
#define P_W 2
#define P_X 4
#define P_L 0x80

TEST_BEGIN 1
    PRIV_INIT
    csrw pmpcfg0, zero
    la   t0, pmp_word
    srli t0, t0, 2
    csrw pmpaddr0, t0
    la   t0, pmp_page
    srli t0, t0, 2
    ori  t0, t0, 0x1ff
    csrw pmpaddr1, t0
    li   t0, RAM_BASE >> 2
    csrw pmpaddr2, t0
    li   t0, (RAM_BASE + 0x8000000) >> 2
    csrw pmpaddr3, t0
    li   t0, CFG(0, A_NA4) | CFG(1, A_NAPOT | P_R) | CFG(3, A_TOR | P_R | P_W | P_X)
    csrw pmpcfg0, t0
    csrr a1, pmpcfg0
    CHECK_REG a1, t0, 1

    /* ---- S: the NA4 word faults, its neighbour does not ---- */
    M_CONT 1f
    MRET_TO 1, s_na4
s_na4:
    la   a1, pmp_word
    lw   a2, 4(a1)
    sw   a2, 4(a1)
s_na4_ld:
    lw   a2, 0(a1)
1:  CHECK_PTRAP_ADDR 3, CAUSE_LOAD_ACCESS, s_na4_ld, pmp_word
    M_CONT 1f
    MRET_TO 1, s_na4_again
s_na4_again:
    la   a1, pmp_word
    lw   a2, 4(a1)                  /* fills the TLB for the page */
s_na4_st:
    sw   a2, 0(a1)                  /* still checked */
1:  CHECK_PTRAP_ADDR 7, CAUSE_STORE_ACCESS, s_na4_st, pmp_word

    /* ---- S: read-only NAPOT page: load ok, store and fetch fault ---- */
    M_CONT 1f
    MRET_TO 1, s_ro
s_ro:
    la   a1, pmp_page
    ld   a2, 8(a1)
s_ro_st:
    sd   a2, 8(a1)
1:  la   t0, pmp_page + 8
    CHECK_PTRAP_ADDR 11, CAUSE_STORE_ACCESS, s_ro_st, pmp_page + 8
    M_CONT 1f
    MRET_TO 1, s_ro_x
s_ro_x:
    la   a1, pmp_page
    jr   a1
1:  CHECK_PTRAP_ADDR 15, CAUSE_INSN_ACCESS, pmp_page, pmp_page

    /* ---- U: same NA4 denial ---- */
    M_CONT 1f
    MRET_TO 0, u_na4
u_na4:
    la   a1, pmp_word
u_na4_ld:
    lw   a2, 0(a1)
1:  CHECK_PTRAP_ADDR 19, CAUSE_LOAD_ACCESS, u_na4_ld, pmp_word

    /* ---- M: unlocked entries do not apply ---- */
    la   a1, pmp_word
    li   a2, 0x1234
    sw   a2, 0(a1)
    lw   a3, 0(a1)
    CHECK a3, 0x1234, 23
    la   a1, pmp_page
    sd   a2, 0(a1)

    /* ---- no entry matches: S denied (its fetch faults) ---- */
    li   t0, CFG(3, 0xff)
    csrc pmpcfg0, t0                /* entry 3 OFF */
    M_CONT 1f
    MRET_TO 1, s_nomatch
s_nomatch:
    nop
1:  CHECK_PTRAP_ADDR 24, CAUSE_INSN_ACCESS, s_nomatch, s_nomatch
    li   t0, CFG(3, A_TOR | P_R | P_W | P_X)
    csrs pmpcfg0, t0

    /* ---- lock entry 0: it applies to M, writes are ignored ---- */
    li   t0, CFG(0, P_L)
    csrs pmpcfg0, t0
    M_CONT 1f
    la   a1, pmp_word
m_locked_ld:
    lw   a2, 0(a1)
1:  CHECK_PTRAP_ADDR 28, CAUSE_LOAD_ACCESS, m_locked_ld, pmp_word
    li   t0, CFG(0, 0xff)
    csrc pmpcfg0, t0                /* ignored */
    csrr a1, pmpcfg0
    andi a1, a1, 0xff
    CHECK a1, A_NA4 | P_L, 32
    csrr a2, pmpaddr0
    csrw pmpaddr0, zero             /* ignored */
    csrr a3, pmpaddr0
    CHECK_REG a3, a2, 33
    /* the neighbour word is still fine in M */
    la   a1, pmp_word
    lw   a2, 4(a1)
    PASS
TEST_END
    PRIV_HANDLERS

    .data
    .balign 16
pmp_word:
    .word 0x11111111
    .word 0x22222222
    .bss
    .balign 4096
pmp_page:
    .space 4096
