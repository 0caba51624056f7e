/*
 * smp-demo.c - bare-metal multi-hart demo for loom (RISC-V virt machine).
 *
 * The job: count the primes below DEMO_LIMIT by trial division, a purely
 * CPU-bound integer workload (div/rem heavy, no memory traffic).  The
 * range is cut into chunks of DEMO_CHUNK numbers and the chunks are dealt
 * round-robin into NHARTS shares (share s = chunks s, s + NHARTS, ...),
 * which keeps the shares close in cost.  Hart h computes share h, prints
 *
 *     hart h: primes below 1300000 in share h/4 = <count>
 *
 * under an amoswap spinlock, adds its count to the shared total with
 * amoadd, and checks out.  Hart 0 then waits for every participating
 * hart and prints
 *
 *     total = 100021
 *
 * (pi(1300000) = 100021) and ends the run through the sifive_test
 * finisher with "pass" (the emulator exits 0).  If the total is wrong it
 * exits with status 1 instead.
 *
 * Size: with the defaults the whole job is about 300 million guest
 * instructions (301 M measured with QEMU -icount for all four shares),
 * roughly 75 million per share, plus a little for printing and waiting.
 * DEMO_LIMIT scales it: the cost grows like LIMIT^1.5 / ln LIMIT
 * (2000000 -> 550 M instructions, 1000000 -> about 200 M); set
 * DEMO_EXPECTED_TOTAL to pi(DEMO_LIMIT), or 0, when changing it.
 *
 * Hart count: NHARTS (default 4) is a compile-time constant, the number
 * of shares.  The demo also works with any -smp from 1 to 8:
 *   - harts with id >= NHARTS do nothing (they sleep in wfi);
 *   - every hart < NHARTS checks in by setting its bit in a shared word
 *     with amoor.d; after finishing its own share, hart 0 waits until
 *     all NHARTS bits are set, or at most DEMO_JOIN_TICKS of mtime (1 s),
 *     then closes the check-in (sets bit 63 with the same amoor.d) and
 *     computes the shares of harts that never showed up itself (printed
 *     as "hart 0: ... share s/4").  A hart that arrives after the close
 *     sleeps.  With -smp >= NHARTS the output is therefore the same on
 *     every run apart from the order of the "hart N" lines.
 */
#include <stdint.h>

#ifndef NHARTS
#define NHARTS 4
#endif
#ifndef DEMO_LIMIT
#define DEMO_LIMIT 1300000u     /* count primes in [0, DEMO_LIMIT) */
#endif
#ifndef DEMO_CHUNK
#define DEMO_CHUNK 5000u        /* numbers per chunk */
#endif
#ifndef DEMO_EXPECTED_TOTAL
#define DEMO_EXPECTED_TOTAL 100021u /* pi(1300000); 0 = do not check */
#endif
#define DEMO_JOIN_TICKS 10000000u  /* 1 s of the 10 MHz mtime */

#if NHARTS < 1 || NHARTS > 8
#error "NHARTS must be 1..8 (start.S provides 8 stacks)"
#endif

#define UART_BASE       0x10000000ul
#define UART_THR        0
#define UART_LSR        5
#define UART_LSR_THRE   0x20
#define FINISHER_BASE   0x100000ul
#define FINISHER_PASS   0x5555u
#define FINISHER_FAIL   0x3333u

#define CHECKIN_CLOSED  (1ull << 63)

void demo_main(unsigned long hartid);
void demo_trap(unsigned long hartid, unsigned long mcause,
               unsigned long mepc, unsigned long mtval);
void demo_park(void) __attribute__((noreturn));

/* Shared state, each in its own 64-byte line. */
static uint32_t print_lock __attribute__((aligned(64)));
static uint64_t checkin __attribute__((aligned(64)));
static uint64_t total __attribute__((aligned(64)));
static uint32_t done_count __attribute__((aligned(64)));

/* ---------------- console and finisher ---------------- */

static void uart_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;

    while (!(uart[UART_LSR] & UART_LSR_THRE))
        ;
    uart[UART_THR] = (uint8_t)c;
}

static void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

static void uart_putu(uint64_t v)
{
    char buf[24];
    int i = 0;

    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i > 0)
        uart_putc(buf[--i]);
}

static void uart_puthex(uint64_t v)
{
    uart_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        uart_putc("0123456789abcdef"[(v >> shift) & 15]);
}

static void __attribute__((noreturn)) finish(uint32_t code)
{
    volatile uint32_t *fin = (volatile uint32_t *)FINISHER_BASE;

    *fin = code ? ((code << 16) | FINISHER_FAIL) : FINISHER_PASS;
    demo_park();
}

/* amoswap.w.aq to take, release store to drop. */
static void lock(void)
{
    while (__atomic_exchange_n(&print_lock, 1u, __ATOMIC_ACQUIRE) != 0)
        ;
}

static void unlock(void)
{
    __atomic_store_n(&print_lock, 0u, __ATOMIC_RELEASE);
}

static uint64_t read_time(void)
{
    uint64_t t;

    __asm__ volatile("csrr %0, time" : "=r"(t));
    return t;
}

/* ---------------- the job ---------------- */

static int is_prime(uint32_t n)
{
    if (n < 2)
        return 0;
    if (n % 2 == 0)
        return n == 2;
    for (uint32_t d = 3; d * d <= n; d += 2)
        if (n % d == 0)
            return 0;
    return 1;
}

/* Primes in share s: chunks s, s + NHARTS, s + 2 * NHARTS, ... */
static uint64_t count_share(unsigned s)
{
    uint64_t count = 0;

    for (uint32_t lo = s * DEMO_CHUNK; lo < DEMO_LIMIT;
         lo += NHARTS * DEMO_CHUNK) {
        uint32_t hi = lo + DEMO_CHUNK < DEMO_LIMIT ? lo + DEMO_CHUNK
                                                   : DEMO_LIMIT;
        for (uint32_t n = lo; n < hi; n++)
            count += (uint64_t)is_prime(n);
    }
    return count;
}

static void report(unsigned long hart, unsigned share, uint64_t count)
{
    lock();
    uart_puts("hart ");
    uart_putu(hart);
    uart_puts(": primes below ");
    uart_putu(DEMO_LIMIT);
    uart_puts(" in share ");
    uart_putu(share);
    uart_putc('/');
    uart_putu(NHARTS);
    uart_puts(" = ");
    uart_putu(count);
    uart_putc('\n');
    unlock();
}

static int popcount64(uint64_t v)
{
    int n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

void demo_main(unsigned long hartid)
{
    uint64_t mine, present;

    if (hartid >= NHARTS)
        demo_park();            /* more harts than shares: nothing to do */

    /* check in; too late if hart 0 already closed the check-in */
    if (__atomic_fetch_or(&checkin, 1ull << hartid, __ATOMIC_ACQ_REL) &
        CHECKIN_CLOSED)
        demo_park();

    mine = count_share((unsigned)hartid);
    report(hartid, (unsigned)hartid, mine);
    __atomic_fetch_add(&total, mine, __ATOMIC_ACQ_REL);
    __atomic_fetch_add(&done_count, 1u, __ATOMIC_ACQ_REL);

    if (hartid != 0)
        demo_park();

    /* ---- hart 0: gather ---- */
    uint64_t start = read_time();
    while (popcount64(__atomic_load_n(&checkin, __ATOMIC_ACQUIRE)) < NHARTS &&
           read_time() - start < DEMO_JOIN_TICKS)
        ;
    present = __atomic_fetch_or(&checkin, CHECKIN_CLOSED, __ATOMIC_ACQ_REL) &
              ~CHECKIN_CLOSED;

    /* shares whose hart never checked in: do them here */
    for (unsigned s = 1; s < NHARTS; s++) {
        if (present & (1ull << s))
            continue;
        uint64_t c = count_share(s);
        report(0, s, c);
        __atomic_fetch_add(&total, c, __ATOMIC_ACQ_REL);
    }

    /* wait for every hart that checked in to have added its count */
    while (__atomic_load_n(&done_count, __ATOMIC_ACQUIRE) <
           (uint32_t)popcount64(present))
        ;

    uint64_t sum = __atomic_load_n(&total, __ATOMIC_ACQUIRE);
    lock();
    uart_puts("total = ");
    uart_putu(sum);
    uart_putc('\n');
    unlock();

    if (DEMO_EXPECTED_TOTAL != 0 && sum != DEMO_EXPECTED_TOTAL)
        finish(1);
    finish(0);
}

void demo_trap(unsigned long hartid, unsigned long mcause,
               unsigned long mepc, unsigned long mtval)
{
    /* no lock: the holder may be the hart that trapped */
    uart_puts("hart ");
    uart_putu(hartid);
    uart_puts(": unexpected trap mcause=");
    uart_puthex(mcause);
    uart_puts(" mepc=");
    uart_puthex(mepc);
    uart_puts(" mtval=");
    uart_puthex(mtval);
    uart_putc('\n');
    finish(255);
}
