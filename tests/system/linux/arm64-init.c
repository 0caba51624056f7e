/*
 * arm64-init: a freestanding arm64 Linux /init that needs no FP or
 * AdvSIMD, for tests/system/boot-arm64.sh: the kernel's path to user
 * space and back with nothing but the integer instructions (written
 * while the front-end had no FP/AdvSIMD for busybox; it still checks
 * what busybox's init does not: signals, fork, migration, a reset).
 *
 * Built with aarch64-linux-gnu-gcc -nostdlib -static -mgeneral-regs-only
 * (no libc: raw SVC system calls; the flag keeps the compiler off the
 * SIMD&FP registers) and appended to the busybox initramfs; the test
 * boots with rdinit=/arm64-init.  Every line is exact:
 *
 *   loom-init: pid 1
 *   loom-init: uname: Linux aarch64
 *   loom-init: cpus in /proc/cpuinfo: N        (the "processor" lines)
 *   loom-init: timer interrupt: CHIP HWIRQ      (/proc/interrupts' arch_timer
 *                                                line: GIC-0 27, GICv3 27)
 *   loom-init: ran on cpus: 0 1 ... N-1         (pinned to each in turn)
 *   loom-init: fnv1a of 4 MiB: 0x...            (fresh anonymous pages)
 *   loom-init: child exit status 42             (fork, exit, wait4)
 *   loom-init: SIGSEGV at 0x10: handled         (a handler, sigreturn)
 *   loom-init: nanosleep 100 ms: at least 100 ms passed
 *   loom-init: vda line 1: ...                  (with a virtio-blk disk: the
 *   loom-init: vda fnv1a: 0x...                  modules loaded, /dev/vda read)
 *   loom-init: done
 *
 * then reboot(POWER_OFF), which ends the machine (PSCI SYSTEM_OFF).  A
 * failed check prints "loom-init: FAIL ..." and powers off too.
 *
 * The reset test: a disk whose first line is RESET_1 is rewritten to
 * RESET_2, and the machine restarted (reboot(RESTART): PSCI
 * SYSTEM_RESET) after the line
 *   loom-init: vda says boot 1: restarting
 * the second boot finds RESET_2 and goes on as above.
 */
#include <stdint.h>
#include <stddef.h>

#define SYS_mkdirat 34
#define SYS_mount 40
#define SYS_openat 56
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_pwrite64 68
#define SYS_fsync 82
#define SYS_exit 93
#define SYS_nanosleep 101
#define SYS_clock_gettime 113
#define SYS_sched_setaffinity 122
#define SYS_rt_sigaction 134
#define SYS_reboot 142
#define SYS_uname 160
#define SYS_getcpu 168
#define SYS_getpid 172
#define SYS_munmap 215
#define SYS_clone 220
#define SYS_mmap 222
#define SYS_wait4 260
#define SYS_finit_module 273

#define AT_FDCWD (-100)
#define SIGCHLD 17
#define SIGSEGV 11
#define SA_SIGINFO 4
#define CLOCK_MONOTONIC 1
#define O_RDWR 2

#define RESET_1 "loom reset test: boot 1\n"
#define RESET_2 "loom reset test: boot 2\n"

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc #0"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                     : "memory");
    return x0;
}
#define sys(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* the compiler may call these for struct copies and zeroing */
void *memset(void *d, int c, size_t n)
{
    volatile unsigned char *p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    volatile unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix) {
        if (*s++ != *prefix++) {
            return 0;
        }
    }
    return 1;
}

/* One output line, assembled in a buffer and written at once. */
static char line[256];
static size_t pos;

static void put(const char *s)
{
    while (*s && pos < sizeof(line) - 1) {
        line[pos++] = *s++;
    }
}

static void put_dec(uint64_t v)
{
    char b[24];
    int i = 0;
    do {
        b[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i--) {
        char c[2] = { b[i], 0 };
        put(c);
    }
}

static void put_hex(uint64_t v)
{
    char b[19];
    b[0] = '0';
    b[1] = 'x';
    for (int i = 0; i < 16; i++) {
        b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    }
    b[18] = 0;
    put(b);
}

static void flush(void)
{
    line[pos++] = '\n';
    sys(SYS_write, 1, line, pos);
    pos = 0;
}

static void power_off(void)
{
    sys6(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0, 0, 0);
    sys(SYS_exit, 1, 0, 0);
}

static void restart(void)
{
    sys6(SYS_reboot, 0xfee1dead, 672274793, 0x01234567, 0, 0, 0);
    sys(SYS_exit, 1, 0, 0);
}

static void fail(const char *what, long v)
{
    put("loom-init: FAIL ");
    put(what);
    put(" ");
    put_hex((uint64_t)v);
    flush();
    power_off();
}

/* the SIGSEGV test: the handler checks the fault address and resumes
   after the faulting load (one instruction) */
static volatile long segv_addr = -1;

static void on_segv(int sig, void *info, void *uc)
{
    /* siginfo_t: si_addr at offset 16; ucontext_t: uc_mcontext (struct
       sigcontext: fault_address, regs[31], sp, pc, pstate) at 176 */
    uint64_t *mc = (uint64_t *)((char *)uc + 176);
    (void)sig;
    segv_addr = (long)*(void **)((char *)info + 16);
    mc[1 + 31 + 1] += 4;
}

struct ksigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

struct timespec64 {
    int64_t sec, nsec;
};

static int64_t now_ns(void)
{
    struct timespec64 t;
    sys(SYS_clock_gettime, CLOCK_MONOTONIC, &t, 0);
    return t.sec * 1000000000 + t.nsec;
}

void main_init(void);
void main_init(void)
{
    static char buf[8192];
    struct ksigaction sa;
    long r, n, fd, cpus = 0;

    put("loom-init: pid ");
    put_dec((uint64_t)sys(SYS_getpid, 0, 0, 0));
    flush();

    /* struct new_utsname: six 65-byte fields; sysname, then machine 5th */
    r = sys(SYS_uname, buf, 0, 0);
    if (r) {
        fail("uname", r);
    }
    put("loom-init: uname: ");
    put(buf);
    put(" ");
    put(buf + 4 * 65);
    flush();

    sys(SYS_mkdirat, AT_FDCWD, "/proc", 0755);
    r = sys6(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0, 0);
    if (r) {
        fail("mount /proc", r);
    }
    fd = sys(SYS_openat, AT_FDCWD, "/proc/cpuinfo", 0);
    if (fd < 0) {
        fail("open /proc/cpuinfo", fd);
    }
    n = 0;
    while ((r = sys(SYS_read, fd, buf + n, sizeof(buf) - 1 - n)) > 0) {
        n += r;
    }
    sys(SYS_close, fd, 0, 0);
    buf[n] = 0;
    for (long i = 0; i < n; i++) {
        if ((i == 0 || buf[i - 1] == '\n') && starts_with(buf + i, "processor")) {
            cpus++;
        }
    }
    put("loom-init: cpus in /proc/cpuinfo: ");
    put_dec((uint64_t)cpus);
    flush();

    /* the interrupt controller and line of the timer Linux uses: in
       /proc/interrupts' "arch_timer" line the two words before the
       trigger ("Level") */
    fd = sys(SYS_openat, AT_FDCWD, "/proc/interrupts", 0);
    if (fd < 0) {
        fail("open /proc/interrupts", fd);
    }
    n = 0;
    while ((r = sys(SYS_read, fd, buf + n, sizeof(buf) - 1 - n)) > 0) {
        n += r;
    }
    sys(SYS_close, fd, 0, 0);
    buf[n] = 0;
    put("loom-init: timer interrupt:");
    for (long i = 0; i < n; i++) {
        const char *w[64];
        int nw = 0;
        long end = i;
        while (end < n && buf[end] != '\n') {
            end++;
        }
        buf[end] = 0;
        /* split the line into words */
        for (long j = i; j < end && nw < 64; j++) {
            if (buf[j] != ' ' && (j == i || buf[j - 1] == 0)) {
                w[nw++] = buf + j;
            }
            if (buf[j] == ' ') {
                buf[j] = 0;
            }
        }
        if (nw >= 3 && starts_with(w[nw - 1], "arch_timer") && starts_with(w[nw - 2], "Level")) {
            put(" ");
            put(w[nw - 4]);
            put(" ");
            put(w[nw - 3]);
            break;
        }
        i = end;
    }
    flush();

    /* pin to each CPU in turn: the scheduler migrates us there */
    put("loom-init: ran on cpus:");
    for (long c = 0; c < cpus && c < 64; c++) {
        uint64_t mask = UINT64_C(1) << c;
        unsigned cpu = ~0u;
        r = sys(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
        if (r) {
            fail("sched_setaffinity", r);
        }
        sys(SYS_getcpu, &cpu, 0, 0);
        put(" ");
        put_dec(cpu);
    }
    flush();

    /* 4 MiB of fresh anonymous memory: write a pattern, hash it */
    {
        const long size = 4 << 20;
        uint8_t *m = (uint8_t *)sys6(SYS_mmap, 0, size, 3 /* RW */, 0x22 /* PRIVATE|ANON */,
                                     -1, 0);
        uint64_t h = 0xcbf29ce484222325u;
        if ((unsigned long)m > -4096ul) {
            fail("mmap", (long)m);
        }
        for (long i = 0; i < size; i++) {
            m[i] = (uint8_t)(i * 7 + (i >> 12));
        }
        for (long i = 0; i < size; i++) {
            h = (h ^ m[i]) * 0x100000001b3u;
        }
        sys(SYS_munmap, m, size, 0);
        put("loom-init: fnv1a of 4 MiB: ");
        put_hex(h);
        flush();
    }

    /* fork: the child exits 42, the parent waits for it */
    r = sys6(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
    if (r == 0) {
        sys(SYS_exit, 42, 0, 0);
    }
    if (r < 0) {
        fail("clone", r);
    }
    {
        int status = -1;
        long w = sys6(SYS_wait4, r, (long)&status, 0, 0, 0, 0);
        if (w != r) {
            fail("wait4", w);
        }
        put("loom-init: child exit status ");
        put_dec((uint64_t)((status >> 8) & 0xff));
        flush();
    }

    /* a SIGSEGV handler (the kernel's vDSO trampoline returns from it) */
    memset(&sa, 0, sizeof(sa));
    sa.handler = on_segv;
    sa.flags = SA_SIGINFO;
    r = sys6(SYS_rt_sigaction, SIGSEGV, (long)&sa, 0, 8, 0, 0);
    if (r) {
        fail("rt_sigaction", r);
    }
    {
        long v = 0;
        __asm__ volatile("mov x9, #0x10\n\tldr %0, [x9]" : "=r"(v) : : "x9", "memory");
        (void)v;
    }
    put("loom-init: SIGSEGV at ");
    put_hex((uint64_t)segv_addr);
    put(segv_addr == 0x10 ? ": handled" : ": wrong address");
    flush();

    {
        struct timespec64 t = { 0, 100000000 };
        int64_t t0 = now_ns(), dt;
        sys(SYS_nanosleep, &t, 0, 0);
        dt = now_ns() - t0;
        put("loom-init: nanosleep 100 ms: ");
        put(dt >= 100000000 ? "at least 100 ms passed" : "too short");
        flush();
    }

    /* a virtio-blk disk, if the machine has one: load the two modules
       the initramfs carries (if it does), then read /dev/vda (the probe may end just
       after the module load returns: wait up to 5 s for the node) */
    sys(SYS_mkdirat, AT_FDCWD, "/dev", 0755);
    r = sys6(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0, 0);
    if (r && r != -16 /* EBUSY: the kernel mounted it */) {
        fail("mount /dev", r);
    }
    {
        static const char *const mods[] = { "/lib/modules/virtio_mmio.ko",
                                            "/lib/modules/virtio_blk.ko" };
        for (int i = 0; i < 2; i++) {
            fd = sys(SYS_openat, AT_FDCWD, mods[i], 0);
            if (fd == -2 /* ENOENT: a kernel with it built in */) {
                continue;
            }
            if (fd < 0) {
                fail("open module", fd);
            }
            r = sys(SYS_finit_module, fd, "", 0);
            if (r) {
                fail("finit_module", r);
            }
            sys(SYS_close, fd, 0, 0);
        }
    }
    fd = -1;
    for (int i = 0; i < 50 && fd < 0; i++) {
        /* read-write for the reset test, else (a read-only drive) read-only */
        fd = sys(SYS_openat, AT_FDCWD, "/dev/vda", O_RDWR);
        if (fd < 0 && fd != -2 /* ENOENT */) {
            fd = sys(SYS_openat, AT_FDCWD, "/dev/vda", 0);
        }
        if (fd < 0) {
            struct timespec64 t = { 0, 100000000 };
            sys(SYS_nanosleep, &t, 0, 0);
        }
    }
    if (fd >= 0) {
        uint64_t h = 0xcbf29ce484222325u;
        long total = 0, first = 1;
        while ((r = sys(SYS_read, fd, buf, sizeof(buf))) > 0) {
            if (first && starts_with(buf, RESET_1)) {
                r = sys6(SYS_pwrite64, fd, (long)RESET_2, sizeof(RESET_2) - 1, 0, 0, 0);
                if (r != sizeof(RESET_2) - 1) {
                    fail("pwrite64 /dev/vda", r);
                }
                r = sys(SYS_fsync, fd, 0, 0);
                if (r) {
                    fail("fsync /dev/vda", r);
                }
                sys(SYS_close, fd, 0, 0);
                put("loom-init: vda says boot 1: restarting");
                flush();
                restart();
            }
            if (first) {
                put("loom-init: vda line 1: ");
                for (long i = 0; i < r && buf[i] != '\n' && pos < 200; i++) {
                    char c[2] = { buf[i], 0 };
                    put(c);
                }
                flush();
                first = 0;
            }
            for (long i = 0; i < r; i++) {
                h = (h ^ (uint8_t)buf[i]) * 0x100000001b3u;
            }
            total += r;
        }
        sys(SYS_close, fd, 0, 0);
        put("loom-init: vda fnv1a: ");
        put_hex(h);
        put(", ");
        put_dec((uint64_t)total);
        put(" bytes");
        flush();
    } else {
        put("loom-init: no /dev/vda");
        flush();
    }

    put("loom-init: done");
    flush();
    power_off();
}

/* the entry: the kernel's initial stack needs nothing set up */
__asm__(".globl _start\n"
        "_start:\n"
        "    mov x29, #0\n"
        "    mov x30, #0\n"
        "    bl main_init\n"
        "    b .\n");
