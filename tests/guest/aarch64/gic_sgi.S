/*
 * gic_sgi.S - software-generated interrupts between two vCPUs through
 * the GICv2: vCPU 0 sends SGI 1 to vCPU 1 (a target list), vCPU 1
 * answers with SGI 2 to every other vCPU (filter 1).  Each handler
 * checks GICC_IAR (the SGI and its source), the running priority, EOIR
 * and that nothing else is pending.
 */
#include "a64.h"

    TEST_BEGIN 2
test_main:
    mov x19, x0
    ldr x1, =irq_handler
    ldr x2, =sgi_handler
    str x2, [x1]
    /* banked: each vCPU enables its own SGIs 1 and 2, priority 0xa0 */
    MMIO_WR32 GICD_BASE, GICD_ISENABLER, 0x6
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+1, 0xa0
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+2, 0xa0
    MMIO_WR32 GICC_BASE, GICC_PMR, 0xf0
    MMIO_WR32 GICC_BASE, GICC_CTLR, 1
    MMIO_RD32 w1, GICD_BASE, GICD_ISENABLER
    and w1, w1, #0x6
    CHECK_EQ x1, 0x6, 1
    cbnz x19, cpu1

    MMIO_WR32 GICD_BASE, GICD_CTLR, 1
    msr daifclr, #2
    /* wait for vCPU 1's interface, then SGI 1 to vCPU 1 only */
    WAIT_BEGIN
    ldr x1, =ready1
1:  WAIT_CHECK
    ldar x2, [x1]
    cbz x2, 1b
    MMIO_WR32 GICD_BASE, GICD_SGIR, (0x2<<16)|1
    /* vCPU 1 answers with SGI 2 */
    ldr x1, =got2
2:  WAIT_CHECK
    ldar x2, [x1]
    cbz x2, 2b
    msr daifset, #2
    ldr x1, =got1
    ldar x2, [x1]
    CHECK_EQ x2, 1, 2
    MMIO_RD32 w1, GICC_BASE, GICC_IAR
    CHECK_EQ x1, 1023, 3
    MMIO_RD32 w1, GICC_BASE, GICC_RPR
    CHECK_EQ x1, 0xff, 4
    b test_pass

cpu1:
    msr daifclr, #2
    ldr x1, =ready1
    mov x2, #1
    stlr x2, [x1]
    WAIT_BEGIN
    ldr x1, =got1
1:  WAIT_CHECK
    ldar x2, [x1]
    cbz x2, 1b
    MMIO_WR32 GICD_BASE, GICD_SGIR, (1<<24)|2
    b park

/* x0 = this vCPU */
sgi_handler:
    mov x9, x0
    MMIO_RD32 w10, GICC_BASE, GICC_IAR
    MMIO_RD32 w11, GICC_BASE, GICC_RPR
    CHECK_EQ x11, 0xa0, 10
    cbnz x9, 1f
    /* vCPU 0: SGI 2 from vCPU 1 */
    CHECK_EQ x10, (1<<10)|2, 11
    ldr x1, =got2
    b 2f
1:  /* vCPU 1: SGI 1 from vCPU 0 */
    CHECK_EQ x10, 1, 12
    ldr x1, =got1
2:  ldr x16, =(GICC_BASE + GICC_EOIR)
    str w10, [x16]
    MMIO_RD32 w11, GICC_BASE, GICC_RPR
    CHECK_EQ x11, 0xff, 13
    MMIO_RD32 w11, GICC_BASE, GICC_HPPIR
    CHECK_EQ x11, 1023, 14
    ldr x2, [x1]
    add x2, x2, #1
    stlr x2, [x1]
    ret

    .data
    .balign 8
ready1: .quad 0
got1:   .quad 0
got2:   .quad 0
