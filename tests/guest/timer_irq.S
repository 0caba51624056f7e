/*
 * timer_irq.S - machine timer interrupt from the ACLINT (MTIMECMP/MTIME).
 *
 * Covers:
 *   1. mtimecmp = all ones: mip.MTIP reads 0 (MTIP is cleared by writing
 *      mtimecmp, no handler involvement).
 *   2. mtimecmp = mtime + 1000 (100 us) with mie.MTIE = 1 but
 *      mstatus.MIE = 0: wfi still wakes up (wfi ignores the global
 *      enable; wfi may also return early, so we loop on mip.MTIP), no
 *      trap is taken, and MTIP stays pending.
 *   3. Setting mstatus.MIE with MTIP pending and enabled traps right
 *      after the csrs: mcause = 0x8000000000000007, mepc = the next
 *      instruction, handler sees MIE = 0, MPIE = 1, mip.MTIP = 1; after
 *      mret MIE = 1 again.
 *   4. Writing mtimecmp = all ones clears mip.MTIP.
 *   5. With MIE = 1 and MTIE = 1, wfi until the interrupt arrives
 *      (mtimecmp = mtime + 2000): exactly one trap with mcause ...07,
 *      and when it is taken, mtime >= mtimecmp (never early).
 *   6. MTIP pending but mie.MTIE = 0: no trap even with MIE = 1;
 *      setting mie.MTIE then traps right after that csrs (mepc exact).
 * The recording handler clears mie.MTIE on each timer interrupt.
 * Single hart.  Failure exit code = check number (254: a wait timed out).
 */
#include "testmacros.h"

#define MTIMECMP0   CLINT_MTIMECMP  /* hart 0 */

TEST_BEGIN 1
    TRAP_RECORD_ON
    li   s0, MTIMECMP0
    li   s1, CLINT_MTIME
    csrw mie, zero

    /* ---- 1. mtimecmp = max: no timer pending ---- */
    li   t0, -1
    sd   t0, 0(s0)
    csrr a1, mip
    andi a3, a1, MIP_MTIP
    CHECK a3, 0, 1

    /* ---- 2. MIE = 0, MTIE = 1: wfi wakes, no trap ---- */
    TRAP_RESET
    csrci mstatus, MSTATUS_MIE
    li   t0, MIP_MTIP
    csrs mie, t0
    ld   t0, 0(s1)
    addi t0, t0, 1000
    sd   t0, 0(s0)
    SPIN_START s5
1:  wfi
    csrr a1, mip
    andi a1, a1, MIP_MTIP
    bnez a1, 2f
    SPIN_CHECK s5
    j    1b
2:  TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 2                  /* no trap with MIE = 0 */
    csrr a1, mip
    andi a3, a1, MIP_MTIP
    CHECK a3, MIP_MTIP, 3           /* still pending */

    /* ---- 3. enabling MIE takes the pending interrupt immediately ---- */
    TRAP_RESET
    csrsi mstatus, MSTATUS_MIE
irq_after_mie:
    nop
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 4
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_IRQ_M_TIMER, 5
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, irq_after_mie, 6 /* taken before the next instruction */
    TRAP_FIELD t4, TR_STATUS
    andi t4, t4, MSTATUS_MIE | MSTATUS_MPIE
    CHECK t4, MSTATUS_MPIE, 7       /* in the handler: MIE 0, MPIE 1 */
    TRAP_FIELD t4, TR_MIP
    andi t4, t4, MIP_MTIP
    CHECK t4, MIP_MTIP, 8
    csrr a1, mstatus
    andi a3, a1, MSTATUS_MIE
    CHECK a3, MSTATUS_MIE, 9        /* restored by mret */
    csrr a1, mie
    andi a3, a1, MIP_MTIP
    CHECK a3, 0, 10                 /* handler disabled MTIE */

    /* ---- 4. writing mtimecmp clears MTIP ---- */
    li   t0, -1
    sd   t0, 0(s0)
    csrr a1, mip
    andi a3, a1, MIP_MTIP
    CHECK a3, 0, 11

    /* ---- 5. wfi with interrupts enabled ---- */
    TRAP_RESET
    ld   s2, 0(s1)
    addi s2, s2, 2000               /* s2 = the compare value */
    sd   s2, 0(s0)
    li   t0, MIP_MTIP
    csrs mie, t0                    /* MIE is already 1: may trap here */
    /* Check and sleep with MIE off: an interrupt between the check and
       the wfi stays pending and wakes the wfi (which ignores MIE), then
       is taken when MIE comes back.  Checking with MIE on would let the
       handler (which clears MTIE) run just before the wfi, which then
       sleeps for ever. */
    SPIN_START s5
1:  csrci mstatus, MSTATUS_MIE
    TRAP_FIELD t4, TR_COUNT
    bnez t4, 2f
    SPIN_CHECK s5
    wfi
    csrsi mstatus, MSTATUS_MIE      /* the interrupt is taken here */
    j    1b
2:  csrsi mstatus, MSTATUS_MIE
    ld   s3, 0(s1)                  /* mtime after the interrupt */
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 12
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_IRQ_M_TIMER, 13
    sltu a3, s3, s2
    CHECK a3, 0, 14                 /* not taken before mtime >= mtimecmp */
    li   t0, -1
    sd   t0, 0(s0)

    /* ---- 6. pending but not enabled in mie: no trap until MTIE ---- */
    TRAP_RESET
    csrw mie, zero
    sd   zero, 0(s0)                /* mtimecmp = 0: pending at once */
    SPIN_START s5
1:  csrr a1, mip                    /* wait for MTIP to show up */
    andi a1, a1, MIP_MTIP
    bnez a1, 2f
    SPIN_CHECK s5
    j    1b
2:  li   t0, 10000                  /* MIE = 1 all along: still no trap */
3:  addi t0, t0, -1
    bnez t0, 3b
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 0, 15
    li   t0, MIP_MTIP
    csrs mie, t0
irq_after_mtie:
    nop
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 16
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_IRQ_M_TIMER, 17
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, irq_after_mtie, 18

    li   t0, -1
    sd   t0, 0(s0)
    csrci mstatus, MSTATUS_MIE
    TRAP_RECORD_OFF
    PASS
TEST_END
