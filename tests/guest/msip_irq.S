/*
 * msip_irq.S - machine software interrupts through the ACLINT MSIP
 * registers, sent from hart 1 to hart 0 and from hart 0 to itself.
 * Run with -smp 2.
 *
 * Hart 0 enables mie.MSIE and mstatus.MIE, raises 'ready' and waits in
 * wfi.  Hart 1 waits for 'ready', writes 1 to MSIP[0] and then sleeps.
 * Hart 0 checks:
 *   - exactly one trap, mcause = 0x8000000000000003, mip.MSIP was set in
 *     the handler (the recording handler clears mie.MSIE);
 *   - MSIP[0] reads back 1 and mip.MSIP is still 1 (the bit is level:
 *     taking the interrupt does not clear it);
 *   - writing 0 to MSIP[0] clears mip.MSIP (bounded wait) and MSIP[0]
 *     reads 0;
 *   - MSIP[1] reads 0 (hart 1's bit is separate, only bit 0 is defined);
 *   - self-IPI: hart 0 writes MSIP[0] = 1 with MSIE enabled and takes
 *     mcause ...03 within a bounded time.
 * Failure exit code = check number (254: a wait timed out).
 */
#include "testmacros.h"

#define MSIP0   (CLINT_MSIP + 0)
#define MSIP1   (CLINT_MSIP + 4)

TEST_BEGIN 2
    bnez a0, hart1

    /* ================= hart 0 ================= */
    TRAP_RECORD_ON
    TRAP_RESET
    li   s0, MSIP0
    sw   zero, 0(s0)                /* no stale IPI */
    li   t0, MIP_MSIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE
    li   t0, 1
    la   t1, ready
    fence rw, rw
    amoswap.w.rl x0, t0, (t1)       /* tell hart 1 we are listening */

    /* Check and sleep with MIE off, so an IPI between the check and the
       wfi stays pending and wakes it (wfi ignores MIE); it is taken when
       MIE comes back.  With MIE on, the handler (which clears MSIE)
       could run just before the wfi, which would then sleep for ever. */
    SPIN_START s5
1:  csrci mstatus, MSTATUS_MIE
    TRAP_FIELD t4, TR_COUNT
    bnez t4, 2f
    SPIN_CHECK s5
    wfi
    csrsi mstatus, MSTATUS_MIE      /* the IPI is taken here */
    j    1b
2:  csrsi mstatus, MSTATUS_MIE
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 1
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_IRQ_M_SOFT, 2
    TRAP_FIELD t4, TR_MIP
    andi t4, t4, MIP_MSIP
    CHECK t4, MIP_MSIP, 3
    csrr a1, mie
    CHECK a1, 0, 4                  /* handler disabled MSIE */

    lw   a1, 0(s0)
    CHECK a1, 1, 5                  /* MSIP[0] still set */
    csrr a1, mip
    andi a1, a1, MIP_MSIP
    CHECK a1, MIP_MSIP, 6           /* and still pending */

    sw   zero, 0(s0)                /* clear it */
    SPIN_START s5
3:  csrr a1, mip
    andi a1, a1, MIP_MSIP
    beqz a1, 4f
    SPIN_CHECK s5
    j    3b
4:  lw   a1, 0(s0)
    CHECK a1, 0, 7
    li   t0, MSIP1
    lw   a1, 0(t0)
    CHECK a1, 0, 8                  /* hart 1's MSIP untouched */

    /* ---- self-IPI ---- */
    TRAP_RESET
    li   t0, MIP_MSIP
    csrw mie, t0                    /* MIE is still 1 */
    li   t0, 1
    sw   t0, 0(s0)
    SPIN_START s5
5:  TRAP_FIELD t4, TR_COUNT
    bnez t4, 6f
    SPIN_CHECK s5
    j    5b
6:  TRAP_FIELD t4, TR_CAUSE
    CHECK t4, CAUSE_IRQ_M_SOFT, 9
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, 10
    sw   zero, 0(s0)

    csrci mstatus, MSTATUS_MIE
    TRAP_RECORD_OFF
    PASS

    /* ================= hart 1 ================= */
hart1:
    SPIN_START s5
    la   s1, ready
1:  lw   t0, 0(s1)
    bnez t0, 2f
    SPIN_CHECK s5
    j    1b
2:  fence rw, rw
    li   t0, MSIP0
    li   t1, 1
    sw   t1, 0(t0)                  /* IPI to hart 0 */
    j    park
TEST_END

    .bss
    .balign 64
ready:
    .word 0
