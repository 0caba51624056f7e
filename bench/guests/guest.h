/*
 * guest.h - what the bench guests (intbench, scalebench, amobench)
 * share: console output, the 10 MHz mtime, the test-device exit, and
 * bounded waits for the other harts.  Every one starts through
 * smp-start.S (a64-start.S when built for AArch64), which calls
 * bench_hart_main(hartid) on every hart with its own stack.
 *
 * Only hart 0 prints, so the UART needs no lock.
 */
#ifndef BENCH_GUEST_H
#define BENCH_GUEST_H

#include <stdint.h>

#define MTIME_HZ        10000000ull

/* How long hart 0 waits for the others to start, or to finish, before it
 * gives up and fails: far more than any run needs, far less than
 * bench/run's own time limit, so a missing hart is named, not timed out. */
#define ARRIVE_WAIT_S   10
#define FINISH_WAIT_S   240

void bench_hart_main(unsigned long hartid);

#ifdef __aarch64__
/* arm virt: PL011 UART, the generic timer, PSCI (HVC) to power off */
#define UART_BASE       0x09000000ul
#define UART_FR         0x18            /* flag register */
#define UART_FR_TXFF    0x20            /* transmit FIFO full */
#define PSCI_SYSTEM_OFF 0x84000008ul

static inline void put_char(char c)
{
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    while (uart[UART_FR / 4] & UART_FR_TXFF) {
    }
    uart[0] = (uint8_t)c;
}

/* the virtual count, scaled to the 10 MHz the reports use */
static inline uint64_t mtime(void)
{
    uint64_t cnt, frq;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(cnt) : : "memory");
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
    return cnt / frq * MTIME_HZ + cnt % frq * MTIME_HZ / frq;
}

static inline void put_str(const char *s);
static inline void put_dec(uint64_t v);

/* End the run: PSCI SYSTEM_OFF (the emulator exits 0 either way); a
 * failure first prints "FAIL code N", which bench/run reports. */
static inline void __attribute__((noreturn)) finish(uint32_t code)
{
    if (code) {
        put_str("FAIL code ");
        put_dec(code);
        put_str("\n");
    }
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
#else
/* RISC-V virt: ns16550a UART, the CLINT's mtime, the sifive_test finisher */
#define UART_BASE       0x10000000ul
#define UART_LSR        5
#define UART_LSR_THRE   0x20
#define CLINT_MTIME     0x0200bff8ul
#define FINISHER_BASE   0x100000ul
#define FINISHER_PASS   0x5555u
#define FINISHER_FAIL   0x3333u

static inline void put_char(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while (!(uart[UART_LSR] & UART_LSR_THRE)) {
    }
    uart[0] = (uint8_t)c;
}

static inline uint64_t mtime(void)
{
    return *(volatile uint64_t *)CLINT_MTIME;
}

/* End the run: exit status 0 (pass), or code (1..0xffff) on failure. */
static inline void __attribute__((noreturn)) finish(uint32_t code)
{
    *(volatile uint32_t *)FINISHER_BASE =
        code ? (code << 16) | FINISHER_FAIL : FINISHER_PASS;
    for (;;) {
        __asm__ volatile("wfi");
    }
}
#endif

static inline void put_str(const char *s)
{
    while (*s) {
        put_char(*s++);
    }
}

static inline void put_dec(uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        put_char(buf[--n]);
    }
}

static inline void put_hex32(uint32_t v)
{
    put_str("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        put_char("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

/* Add 1 to *word with release order: this hart's earlier stores are
 * visible to whoever sees the new count. */
static inline void arrive(uint32_t *word)
{
    __atomic_fetch_add(word, 1, __ATOMIC_RELEASE);
}

/* Spin until *word >= n (then the stores made before those arrivals are
 * visible), or fail after limit_s seconds of mtime with 'what'. */
static inline void wait_for(uint32_t *word, uint32_t n, unsigned limit_s,
                            const char *what, uint32_t fail_code)
{
    uint64_t start = mtime();

    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) < n) {
        if (mtime() - start > limit_s * MTIME_HZ) {
            put_str(what);
            put_str(": only ");
            put_dec(__atomic_load_n(word, __ATOMIC_ACQUIRE));
            put_str(" of ");
            put_dec(n);
            put_str(" harts after ");
            put_dec(limit_s);
            put_str(" s (is -smp at least ");
            put_dec(n);
            put_str("?)\n");
            finish(fail_code);
        }
    }
}

#ifdef __aarch64__
/* a64-start.S's vectors: any exception ends the run */
void bench_trap(uint64_t esr, uint64_t elr);
void __attribute__((noreturn, used)) bench_trap(uint64_t esr, uint64_t elr)
{
    put_str("bench: FAIL: exception, ESR ");
    put_hex32((uint32_t)esr);
    put_str(" at ");
    put_hex32((uint32_t)(elr >> 32));
    put_hex32((uint32_t)elr);
    put_char('\n');
    finish(0xbad);
}
#endif

#endif /* BENCH_GUEST_H */
