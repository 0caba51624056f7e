/*
 * timer_irq.S - the generic timer's interrupts through the GICv2 on one
 * vCPU: the EL1 physical timer (TVAL 1000 ticks) raises PPI 30, then the
 * virtual timer raises PPI 27.  The handler checks IAR, CTL (ENABLE and
 * ISTATUS), that the count reached CVAL, that IMASK keeps ISTATUS and
 * lowers the line (the PPI is no longer pending), and ends it with EOIR.
 */
#include "a64.h"

    TEST_BEGIN 1
test_main:
    ldr x1, =irq_handler
    ldr x2, =timer_handler
    str x2, [x1]
    MMIO_WR32 GICD_BASE, GICD_CTLR, 1
    MMIO_WR32 GICD_BASE, GICD_ISENABLER, (1<<30)|(1<<27)
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+30, 0x80
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+27, 0x80
    MMIO_WR32 GICC_BASE, GICC_PMR, 0xf0
    MMIO_WR32 GICC_BASE, GICC_CTLR, 1
    mrs x1, cntfrq_el0
    CHECK_EQ x1, 62500000, 1

    /* the physical timer: 10 s away, the condition is not met; then
       1000 ticks (16 us) from now */
    ldr x1, =625000000
    msr cntp_tval_el0, x1
    mov x1, #1
    msr cntp_ctl_el0, x1
    isb
    mrs x1, cntp_ctl_el0
    CHECK_EQ x1, 1, 2
    mov x1, #1000
    msr cntp_tval_el0, x1
    isb
    WAIT_BEGIN
    ldr x19, =fired
    WAIT_IRQ_FLAG x19
    CHECK_EQ x2, 30, 3

    /* the virtual timer */
    str xzr, [x19]
    mov x1, #1000
    msr cntv_tval_el0, x1
    mov x1, #1
    msr cntv_ctl_el0, x1
    isb
    WAIT_IRQ_FLAG x19
    CHECK_EQ x2, 27, 4

    /* both masked: nothing pending, nothing signalled */
    MMIO_RD32 w1, GICD_BASE, GICD_ISPENDR
    ldr w2, =((1<<30)|(1<<27))
    and w1, w1, w2
    CHECK_EQ x1, 0, 5
    MMIO_RD32 w1, GICC_BASE, GICC_IAR
    CHECK_EQ x1, 1023, 6
    msr cntp_ctl_el0, xzr
    msr cntv_ctl_el0, xzr
    b test_pass

timer_handler:
    MMIO_RD32 w9, GICC_BASE, GICC_IAR
    cmp x9, #30
    b.ne 1f
    mrs x10, cntp_ctl_el0
    CHECK_EQ x10, 5, 10                 /* ENABLE, ISTATUS */
    mrs x10, cntpct_el0
    mrs x11, cntp_cval_el0
    cmp x10, x11
    cset x12, hs
    CHECK_EQ x12, 1, 11
    mov x10, #3                         /* IMASK */
    msr cntp_ctl_el0, x10
    isb
    mrs x10, cntp_ctl_el0
    CHECK_EQ x10, 7, 12
    b 2f
1:  CHECK_EQ x9, 27, 13
    mrs x10, cntv_ctl_el0
    CHECK_EQ x10, 5, 14
    mrs x10, cntvct_el0
    mrs x11, cntv_cval_el0
    cmp x10, x11
    cset x12, hs
    CHECK_EQ x12, 1, 15
    mov x10, #3
    msr cntv_ctl_el0, x10
    isb
    mrs x10, cntv_ctl_el0
    CHECK_EQ x10, 7, 16
2:  ldr x16, =(GICC_BASE+GICC_EOIR)
    str w9, [x16]
    ldr x1, =fired
    stlr x9, [x1]
    ret

    .data
    .balign 8
fired:  .quad 0
