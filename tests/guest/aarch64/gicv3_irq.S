/*
 * gicv3_irq.S - the GICv3 (-machine gic-version=3) on two vCPUs, through
 * its system-register CPU interface: each vCPU wakes its redistributor
 * (GICR_WAKER) and checks its GICR_TYPER (affinity, Processor_Number,
 * Last); vCPU 0 takes its physical timer's PPI 30, sends SGI 1 to vCPU 1
 * by a target list (ICC_SGI1R_EL1), which answers with SGI 2 to every
 * other vCPU (IRM); vCPU 0 ends that one in EOImode 1 (EOIR1 drops the
 * priority, the SGI stays active until DIR); then the UART's SPI 33 is
 * routed to vCPU 1 by GICD_IROUTER.  Each handler checks ICC_IAR1_EL1
 * and ICC_RPR_EL1.  vCPU 0 prints a line per step (gicv3_irq.out).
 */
#include "a64.h"

#define GICR_BASE           0x080a0000
#define GICR_FRAME_SHIFT    17          /* 128 KiB per vCPU */
#define GICR_TYPER          0x0008
#define GICR_WAKER          0x0014
#define GICR_SGI            0x10000
#define GICR_IGROUPR0       (GICR_SGI + 0x080)
#define GICR_ISENABLER0     (GICR_SGI + 0x100)
#define GICR_ISACTIVER0     (GICR_SGI + 0x300)
#define GICR_IPRIORITYR     (GICR_SGI + 0x400)
#define GICD_IGROUPR        0x080
#define GICD_IROUTER        0x6000

    TEST_BEGIN 2
test_main:
    mov x19, x0
    ldr x1, =irq_handler
    ldr x2, =gic_handler
    str x2, [x1]
    /* x20 = this vCPU's redistributor frame */
    ldr x20, =GICR_BASE
    add x20, x20, x19, lsl #GICR_FRAME_SHIFT
    ldr x1, [x20, #GICR_TYPER]
    ldr x2, =0x3000001                  /* QEMU's LPI fields (its ITS) */
    bic x1, x1, x2
    lsl x2, x19, #32
    orr x2, x2, x19, lsl #8
    cmp x19, #1
    b.ne 1f
    orr x2, x2, #0x10                   /* Last */
1:  CHECK_EQ_REG x1, x2, 1
    ldr w1, [x20, #GICR_WAKER]
    CHECK_EQ x1, 6, 2                   /* ProcessorSleep, ChildrenAsleep */
    str wzr, [x20, #GICR_WAKER]
    ldr w1, [x20, #GICR_WAKER]
    CHECK_EQ x1, 0, 3
    /* SGIs 1, 2 (priority 0xa0) and PPI 30 (0x80), all in Group 1 */
    mov w1, #-1
    ldr x16, =GICR_IGROUPR0
    str w1, [x20, x16]
    ldr x16, =GICR_IPRIORITYR
    add x16, x20, x16
    mov w1, #0xa0
    strb w1, [x16, #1]
    strb w1, [x16, #2]
    mov w1, #0x80
    strb w1, [x16, #30]
    ldr x16, =GICR_ISENABLER0
    ldr w1, =(1<<30)|(1<<2)|(1<<1)
    str w1, [x20, x16]
    /* the CPU interface */
    mrs x1, icc_sre_el1
    CHECK_EQ x1, 7, 4
    mrs x1, icc_ctlr_el1
    and x1, x1, #0x7ff                  /* QEMU's has IDbits 1 and A3V */
    CHECK_EQ x1, 0x400, 5               /* PRIbits 4: 5 priority bits */
    mrs x1, icc_bpr1_el1
    CHECK_EQ x1, 3, 6
    mov x1, #0xf0
    msr icc_pmr_el1, x1
    mrs x1, icc_pmr_el1
    CHECK_EQ x1, 0xf0, 7
    mov x1, #1
    msr icc_igrpen1_el1, x1
    isb
    cbnz x19, cpu1

    MMIO_WR32 GICD_BASE, GICD_CTLR, 2   /* EnableGrp1 */
    MMIO_RD32 w1, GICD_BASE, GICD_CTLR
    CHECK_EQ x1, 0x52, 8                /* DS, ARE, EnableGrp1 */
    WAIT_BEGIN
    ldr x1, =ready1
1:  WAIT_CHECK
    ldar x2, [x1]
    cbz x2, 1b

    /* PPI 30: the physical timer, 1000 ticks from now */
    mov x1, #1000
    msr cntp_tval_el0, x1
    mov x1, #1
    msr cntp_ctl_el0, x1
    isb
    ldr x21, =got30
    WAIT_IRQ_FLAG x21
    ldr x0, =msg_ppi
    bl uart_puts

    /* SGI 1 to vCPU 1 (Aff1 0, target list bit 1); its answer, SGI 2,
       ends here in EOImode 1 */
    mov x1, #2                          /* EOImode */
    msr icc_ctlr_el1, x1
    ldr x1, =(1<<24)|(1<<1)
    msr icc_sgi1r_el1, x1
    isb
    ldr x21, =got2
    WAIT_IRQ_FLAG x21
    ldr x1, =got1
    ldar x1, [x1]
    CHECK_EQ x1, 1, 9
    msr icc_ctlr_el1, xzr
    ldr x0, =msg_sgi
    bl uart_puts

    /* SPI 33 (the UART's TX, raised by the lines above) to vCPU 1 */
    MMIO_WR32 GICD_BASE, GICD_IGROUPR+4, 0xffffffff
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+33, 0x80
    ldr x16, =(GICD_BASE + GICD_IROUTER + 8 * 33)
    mov x1, #1                          /* Aff0 1 */
    str x1, [x16]
    ldr x1, [x16]
    CHECK_EQ x1, 1, 10
    MMIO_WR32 GICD_BASE, GICD_ISENABLER+4, 0x2
    MMIO_WR32 UART_BASE, UART_IMSC, 0x20
    ldr x1, =got33
    WAIT_BEGIN
2:  WAIT_CHECK
    ldar x2, [x1]
    cbz x2, 2b
    ldr x0, =msg_spi
    bl uart_puts

    /* nothing left */
    mrs x1, icc_iar1_el1
    CHECK_EQ x1, 1023, 11
    mrs x1, icc_hppir1_el1
    CHECK_EQ x1, 1023, 12
    mrs x1, icc_rpr_el1
    CHECK_EQ x1, 0xff, 13
    mrs x1, icc_ap1r0_el1
    CHECK_EQ x1, 0, 14
    b test_pass

cpu1:
    ldr x1, =ready1
    mov x2, #1
    stlr x2, [x1]
    msr daifclr, #2
1:  wfi
    b 1b

/* x0 = this vCPU */
gic_handler:
    mov x9, x0
    mrs x10, icc_iar1_el1
    mrs x11, icc_rpr_el1
    cmp x10, #30
    b.eq h_ppi
    cmp x10, #1
    b.eq h_sgi1
    cmp x10, #2
    b.eq h_sgi2
    CHECK_EQ x10, 33, 20
    /* SPI 33 on vCPU 1 */
    CHECK_EQ x9, 1, 21
    CHECK_EQ x11, 0x80, 22
    MMIO_WR32 UART_BASE, UART_IMSC, 0
    MMIO_WR32 UART_BASE, UART_ICR, 0x20
    msr icc_eoir1_el1, x10
    ldr x1, =got33
    b h_done
h_ppi:
    CHECK_EQ x9, 0, 23
    CHECK_EQ x11, 0x80, 24
    mrs x12, icc_ap1r0_el1
    CHECK_EQ x12, 1 << 16, 25           /* priority 0x80 active */
    mov x12, #3                         /* IMASK: the line falls */
    msr cntp_ctl_el0, x12
    isb
    msr icc_eoir1_el1, x10
    ldr x1, =got30
    b h_done
h_sgi1:
    CHECK_EQ x9, 1, 26
    CHECK_EQ x11, 0xa0, 27
    msr icc_eoir1_el1, x10
    mrs x12, icc_rpr_el1
    CHECK_EQ x12, 0xff, 28
    ldr x1, =got1
    mov x2, #1
    stlr x2, [x1]
    /* answer (after got1 is seen): SGI 2 to every vCPU but this one */
    ldr x12, =(1<<40)|(2<<24)
    msr icc_sgi1r_el1, x12
    isb
    ret
h_sgi2:
    CHECK_EQ x9, 0, 29
    CHECK_EQ x11, 0xa0, 30
    msr icc_eoir1_el1, x10              /* EOImode 1: priority drop only */
    mrs x12, icc_rpr_el1
    CHECK_EQ x12, 0xff, 31
    ldr x13, =(GICR_BASE + GICR_ISACTIVER0)
    ldr w12, [x13]
    CHECK_EQ x12, 4, 32                 /* SGI 2 still active */
    msr icc_dir_el1, x10
    isb
    ldr w12, [x13]
    CHECK_EQ x12, 0, 33
    ldr x1, =got2
h_done:
    mov x2, #1
    stlr x2, [x1]
    ret

    .section .rodata
msg_ppi: .asciz "gicv3: cpu0 took PPI 30 (timer)\n"
msg_sgi: .asciz "gicv3: SGI 1 to cpu1, SGI 2 back to cpu0 (IRM, EOImode 1)\n"
msg_spi: .asciz "gicv3: SPI 33 routed to cpu1 by IROUTER\n"

    .data
    .balign 8
ready1: .quad 0
got1:   .quad 0
got2:   .quad 0
got30:  .quad 0
got33:  .quad 0
