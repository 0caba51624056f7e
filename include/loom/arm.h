/*
 * Interfaces between an Arm front-end and the devices that own some of
 * its system registers (loom_interface_lookup, include/loom/device.h).
 * On Arm, parts of the CPU's register space belong to devices that loom
 * models as device plugins: the generic timer's CNT* registers and the
 * GICv3 CPU interface's ICC_* registers.  Such a device publishes a
 * LoomArmSysregIface; the front-end, on an MRS or MSR of an encoding
 * that is not its own, asks each published provider in turn.
 *
 * Published names:
 *   "arm.timer"     the generic timer (CNTP_*, CNTV_*, CNTKCTL...); the
 *                   same device publishes "timebase" (include/loom/
 *                   timebase.h) for CNTFRQ/CNTPCT/CNTVCT
 *   "arm.gicv3"     a GICv3's CPU interface (ICC_*)
 */
#ifndef LOOM_ARM_H
#define LOOM_ARM_H

#include <loom/device.h>

#define LOOM_ARM_TIMER_IFACE "arm.timer"
#define LOOM_ARM_GICV3_IFACE "arm.gicv3"
#define LOOM_ARM_SYSREG_VERSION LOOM_IFACE_VERSION(1, 0)

/* A system register's encoding as MRS/MSR carry it: op0 (2..3), op1,
   CRn, CRm, op2; the instruction's bits 20:5. */
#define LOOM_ARM_SYSREG(op0, op1, crn, crm, op2) \
    ((uint32_t)(op0) << 14 | (uint32_t)(op1) << 11 | (uint32_t)(crn) << 7 | \
     (uint32_t)(crm) << 3 | (uint32_t)(op2))

typedef struct LoomArmSysregIface {
    /* Is enc one of this provider's registers?  Pure: the front-end may
       decide at translation time. */
    bool (*owns)(void *opaque, uint32_t enc);
    /* MRS and MSR of enc by vCPU cpu (its index) at exception level el
       (0..3), on that vCPU's thread; the front-end holds the BQL around
       each call.  False: the access is not allowed at el (the front-end
       raises the guest's undefined-instruction exception). */
    bool (*read)(void *opaque, unsigned cpu, unsigned el, uint32_t enc, uint64_t *val);
    bool (*write)(void *opaque, unsigned cpu, unsigned el, uint32_t enc, uint64_t val);
} LoomArmSysregIface;

/*
 * Input lines of an Arm GIC device called NAME (loom_device_irq_inputs):
 *   NAME.<intid>                      an SPI, intid 32..1019 (QEMU virt's
 *                                     UART is SPI 1: NAME.33)
 *   NAME.<LOOM_ARM_GIC_PPI(cpu, id)>  vCPU cpu's PPI id (16..31)
 * so that a machine file reads as the device tree does and per-CPU lines
 * have names devices can compute.
 */
#define LOOM_ARM_GIC_PPI_BASE 1024
#define LOOM_ARM_GIC_PPI(cpu, id) (LOOM_ARM_GIC_PPI_BASE + 32 * (cpu) + (id))

#endif /* LOOM_ARM_H */
