/*
 * plic_rtc.S - the PLIC (0xc000000) with two real sources: the UART's
 * transmitter-empty interrupt (source 10, level, raised as soon as
 * IER.ETBEI is set) and the goldfish RTC's alarm (source 11).  Hart 0's
 * machine-mode context is context 0.
 *
 * Checks, in order:
 *   - priorities and thresholds are 3-bit WARL, source 0's priority is 0;
 *     enable bits are writable;
 *   - a raised line is pending; priority 0 never interrupts nor claims;
 *     MEIP follows priority > threshold; claim returns the source, clears
 *     its pending bit and drops MEIP; a second claim returns 0;
 *     completing while the line is still high makes it pending again;
 *   - the interrupt is taken: mcause = 0x800000000000000b;
 *   - a line that drops while claimed is not pending after completion;
 *   - RTC: the time is after 2020 and does not go backwards; TIME_LOW
 *     writes set it; an alarm in the past fires at once (ALARM_STATUS 0,
 *     line up), one 20 ms ahead is armed (ALARM_STATUS 1) and fires;
 *     CLEAR_INTERRUPT drops the line;
 *   - claim order: higher priority first, then the lower id on a tie.
 * Failure exit code = check number (254: a wait timed out).
 */
#include "testmacros.h"

#define PLIC_BASE       0xc000000
#define PLIC_PRIO(i)    (PLIC_BASE + 4 * (i))
#define PLIC_PENDING0   (PLIC_BASE + 0x1000)
#define PLIC_ENABLE0    (PLIC_BASE + 0x2000)     /* context 0, word 0 */
#define PLIC_THRESH0    (PLIC_BASE + 0x200000)
#define PLIC_CLAIM0     (PLIC_BASE + 0x200004)
#define SRC_UART        10
#define SRC_RTC         11
#define UART_IER        1
#define RTC_BASE        0x101000
#define RTC_TIME_LOW    0x00
#define RTC_TIME_HIGH   0x04
#define RTC_ALARM_LOW   0x08
#define RTC_ALARM_HIGH  0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_ALARM_STATUS 0x18
#define RTC_CLEAR_INTERRUPT 0x1c
#define CAUSE_IRQ_M_EXT 0x800000000000000b

/* rd = mip & MIP_MEIP */
.macro MEIP rd
    csrr \rd, mip
    li   t5, MIP_MEIP
    and  \rd, \rd, t5
.endm

/* Wait (bounded) until mip.MEIP == want (0 or MIP_MEIP). */
.macro WAIT_MEIP want
    SPIN_START s5
.Lwait\@:
    MEIP t4
    li   t5, \want
    beq  t4, t5, .Ldone\@
    SPIN_CHECK s5
    j    .Lwait\@
.Ldone\@:
.endm

TEST_BEGIN 1
    li   s0, PLIC_BASE
    li   s1, UART_BASE
    li   s2, RTC_BASE
    li   s3, PLIC_CLAIM0

    /* --- WARL registers --- */
    li   t0, PLIC_PRIO(SRC_UART)
    lw   a1, 0(t0)
    CHECK a1, 0, 1
    li   t1, -1
    sw   t1, 0(t0)
    lw   a1, 0(t0)
    CHECK a1, 7, 2
    sw   t1, 0(s0)                  /* source 0: nothing there */
    lw   a1, 0(s0)
    CHECK a1, 0, 3
    li   t0, PLIC_THRESH0
    sw   t1, 0(t0)
    lw   a1, 0(t0)
    CHECK a1, 7, 4
    sw   zero, 0(t0)
    li   t0, PLIC_ENABLE0
    sw   t1, 0(t0)
    lwu  a1, 0(t0)
    andi a1, a1, -2                 /* bit 0: hardwired 0 by the spec, */
    li   t2, 0xfffffffe             /* writable in QEMU 7.2 (README.md) */
    CHECK_REG a1, t2, 5
    sw   zero, 0(t0)
    li   t0, PLIC_PRIO(SRC_UART)
    sw   zero, 0(t0)

    /* --- UART source, priority 0 --- */
    li   t0, 2                      /* IER.ETBEI: THR empty raises it now */
    sb   t0, UART_IER(s1)
    li   t0, PLIC_PENDING0
    lw   a1, 0(t0)
    CHECK a1, 1 << SRC_UART, 6
    li   t0, PLIC_ENABLE0
    li   t1, 1 << SRC_UART
    sw   t1, 0(t0)
    MEIP a1
    CHECK a1, 0, 7                  /* priority 0 never interrupts */
    lw   a1, 0(s3)
    CHECK a1, 0, 8                  /* nor is claimed */

    /* --- priority vs threshold --- */
    li   t0, PLIC_PRIO(SRC_UART)
    li   t1, 1
    sw   t1, 0(t0)
    MEIP a1
    CHECK a1, MIP_MEIP, 9
    li   t0, PLIC_THRESH0
    li   t1, 1
    sw   t1, 0(t0)                  /* priority must exceed the threshold */
    MEIP a1
    CHECK a1, 0, 10
    sw   zero, 0(t0)
    MEIP a1
    CHECK a1, MIP_MEIP, 11

    /* --- claim / complete --- */
    lw   a1, 0(s3)
    CHECK a1, SRC_UART, 12
    li   t0, PLIC_PENDING0
    lw   a1, 0(t0)
    CHECK a1, 0, 13                 /* claimed: no longer pending */
    MEIP a1
    CHECK a1, 0, 14
    lw   a1, 0(s3)
    CHECK a1, 0, 15                 /* nothing else to claim */
    li   t1, SRC_UART
    sw   t1, 0(s3)                  /* complete: the line is still high */
    lw   a1, 0(t0)
    CHECK a1, 1 << SRC_UART, 16
    MEIP a1
    CHECK a1, MIP_MEIP, 17

    /* --- the interrupt is taken --- */
    TRAP_RECORD_ON
    TRAP_RESET
    li   t0, MIP_MEIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    TRAP_FIELD a1, TR_COUNT
    CHECK a1, 1, 18
    TRAP_FIELD a1, TR_CAUSE
    li   t2, CAUSE_IRQ_M_EXT
    CHECK_REG a1, t2, 19

    /* --- a line that drops while claimed --- */
    lw   a1, 0(s3)
    CHECK a1, SRC_UART, 20
    sb   zero, UART_IER(s1)         /* UART line low */
    li   t1, SRC_UART
    sw   t1, 0(s3)
    li   t0, PLIC_PENDING0
    lw   a1, 0(t0)
    CHECK a1, 0, 21
    MEIP a1
    CHECK a1, 0, 22

    /* --- RTC time --- */
    lw   t0, RTC_TIME_LOW(s2)
    lwu  t1, RTC_TIME_HIGH(s2)
    li   t2, 0x16000000             /* 2^32 ns * this = late 2019 */
    bgeu t1, t2, 1f
    FAIL 23
1:  slli t1, t1, 32
    slli t0, t0, 32
    srli t0, t0, 32
    or   s4, t1, t0                 /* s4 = first reading */
    lw   t0, RTC_TIME_LOW(s2)
    lwu  t1, RTC_TIME_HIGH(s2)
    slli t1, t1, 32
    slli t0, t0, 32
    srli t0, t0, 32
    or   t1, t1, t0
    bgeu t1, s4, 2f
    FAIL 24                         /* went backwards */
2:  sw   zero, RTC_TIME_HIGH(s2)
    li   t0, 0x1000
    sw   t0, RTC_TIME_LOW(s2)       /* time := 0x1000 ns */
    lw   a1, RTC_TIME_LOW(s2)
    lw   a2, RTC_TIME_HIGH(s2)
    CHECK a2, 0, 25
    li   t0, 0x1000
    bgeu a1, t0, 3f
    FAIL 26
3:
    /* --- RTC alarm in the past: fires at once --- */
    li   t0, 1
    sw   t0, RTC_IRQ_ENABLED(s2)
    li   t0, PLIC_PRIO(SRC_RTC)
    li   t1, 2
    sw   t1, 0(t0)
    li   t0, PLIC_ENABLE0
    li   t1, (1 << SRC_UART) | (1 << SRC_RTC)
    sw   t1, 0(t0)
    sw   zero, RTC_ALARM_HIGH(s2)
    sw   zero, RTC_ALARM_LOW(s2)
    lw   a1, RTC_ALARM_STATUS(s2)
    CHECK a1, 0, 27
    WAIT_MEIP MIP_MEIP
    lw   a1, 0(s3)
    CHECK a1, SRC_RTC, 28
    sw   t0, RTC_CLEAR_INTERRUPT(s2)
    li   t1, SRC_RTC
    sw   t1, 0(s3)
    li   t0, PLIC_PENDING0
    lw   a1, 0(t0)
    CHECK a1, 0, 29
    MEIP a1
    CHECK a1, 0, 30

    /* --- RTC alarm 200 ms ahead (room for a busy host to preempt us
           between reading the time and arming): armed, then fires --- */
    lw   t0, RTC_TIME_LOW(s2)
    lwu  t1, RTC_TIME_HIGH(s2)
    slli t1, t1, 32
    slli t0, t0, 32
    srli t0, t0, 32
    or   t0, t1, t0
    li   t1, 200000000
    add  t0, t0, t1
    srli t1, t0, 32
    sw   t1, RTC_ALARM_HIGH(s2)
    sw   t0, RTC_ALARM_LOW(s2)
    lw   a1, RTC_ALARM_STATUS(s2)
    CHECK a1, 1, 31
    WAIT_MEIP MIP_MEIP
    lw   a1, RTC_ALARM_STATUS(s2)
    CHECK a1, 0, 32
    lw   a1, 0(s3)
    CHECK a1, SRC_RTC, 33
    li   t1, SRC_RTC
    sw   t1, 0(s3)                  /* line still high: pending again */
    MEIP a1
    CHECK a1, MIP_MEIP, 34
    sw   t1, RTC_CLEAR_INTERRUPT(s2)
    MEIP a1
    CHECK a1, 0, 35                 /* the line dropped before a claim */

    /* --- claim order: priority, then the lower id --- */
    li   t0, 2
    sb   t0, UART_IER(s1)           /* UART (10) up, priority 1 */
    sw   zero, RTC_ALARM_HIGH(s2)
    sw   zero, RTC_ALARM_LOW(s2)    /* alarm in the past: RTC (11) up, priority 2 */
    WAIT_MEIP MIP_MEIP
    lw   a1, 0(s3)
    CHECK a1, SRC_RTC, 36
    lw   a2, 0(s3)
    CHECK a2, SRC_UART, 37
    li   t0, PLIC_PRIO(SRC_UART)
    li   t1, 2
    sw   t1, 0(t0)                  /* now a tie */
    sw   a1, 0(s3)
    sw   a2, 0(s3)
    lw   a1, 0(s3)
    CHECK a1, SRC_UART, 38
    lw   a2, 0(s3)
    CHECK a2, SRC_RTC, 39

    /* quiet everything before passing */
    sb   zero, UART_IER(s1)
    sw   t0, RTC_CLEAR_INTERRUPT(s2)
    sw   a1, 0(s3)
    sw   a2, 0(s3)
    MEIP a1
    CHECK a1, 0, 40
    PASS
TEST_END
