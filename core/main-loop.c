/*
 * The I/O thread (loom's main thread once vCPUs run): the BQL, the
 * virtual clock, timers, the stdio console and shutdown.
 *
 * Timers and console handlers are protected by the BQL and run with it
 * held.  vCPU threads reach device code through MMIO, which takes the BQL
 * (memory.c); the I/O thread takes it only around callbacks, never while
 * sleeping in ppoll.
 *
 * Under -icount the clock is the virtual one of icount.c and the vCPU
 * thread fires the timers, at exact instruction boundaries; the I/O
 * thread then only handles the console and shutdown.
 */
#include "config.h"
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include "internal.h"
#include "icount.h"

static pthread_mutex_t bql = PTHREAD_MUTEX_INITIALIZER;
static __thread bool bql_held;
static int wakeup_fd = -1;
/* The guest clock: host time minus clock_start, or clock_frozen while
   the machine is stopped (-1 when it runs).  Atomic: clock_resume stores
   the new start before it clears the frozen value, so a reader that sees
   -1 (acquire) sees the start that goes with it. */
static int64_t clock_start;
static int64_t clock_frozen = -1;

struct LoomTimer {
    LoomTimerCB *cb;
    void *opaque;
    int64_t deadline;                   /* -1 = not armed; under the BQL */
};
static GPtrArray *timers;               /* LoomTimer *, under the BQL */

struct LoomChardev {
    int out_fd;
    bool (*can_receive)(void *);        /* under the BQL */
    void (*receive)(void *, uint8_t);
    void *opaque;
};
static LoomChardev stdio_chr = { .out_fd = STDOUT_FILENO };
static bool serial_is_stdio;            /* setup-time only */
static bool stdin_open = true;          /* I/O thread only */
static bool tty_raw;
static struct termios tty_saved;
static GByteArray *rx_pending;          /* input not yet taken, under the BQL */

void loom_bql_lock(void)
{
    pthread_mutex_lock(&bql);
    bql_held = true;
}

void loom_bql_unlock(void)
{
    bql_held = false;
    pthread_mutex_unlock(&bql);
}

bool loom_bql_locked(void)
{
    return bql_held;
}

static int64_t host_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void clock_init(void)
{
    clock_start = host_ns();
}

int64_t loom_clock_ns(void)
{
    if (icount_enabled) {
        return icount_clock_ns();       /* virtual time: icount.c */
    }
    int64_t f = __atomic_load_n(&clock_frozen, __ATOMIC_ACQUIRE);

    return f >= 0 ? f : host_ns() - __atomic_load_n(&clock_start, __ATOMIC_ACQUIRE);
}

void clock_pause(void)
{
    if (!icount_enabled) {      /* virtual time stops with the vCPUs */
        __atomic_store_n(&clock_frozen, host_ns() - __atomic_load_n(&clock_start, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
    }
}

void clock_resume(void)
{
    int64_t f = __atomic_load_n(&clock_frozen, __ATOMIC_ACQUIRE);

    if (f >= 0) {
        __atomic_store_n(&clock_start, host_ns() - f, __ATOMIC_RELEASE);
        __atomic_store_n(&clock_frozen, -1, __ATOMIC_RELEASE);
        main_loop_wakeup();     /* timer deadlines moved */
    }
}

void main_loop_wakeup(void)
{
    uint64_t one = 1;

    if (wakeup_fd >= 0 && write(wakeup_fd, &one, sizeof(one)) < 0) {
        /* the counter is saturated: the loop wakes anyway */
    }
}

/* ---- timers ---- */

void timers_init(void)
{
    timers = g_ptr_array_new();
    wakeup_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wakeup_fd < 0) {
        loom_fatal("eventfd: %s", g_strerror(errno));
    }
}

LoomTimer *loom_timer_new(LoomMachine *m, LoomTimerCB *cb, void *opaque)
{
    LoomTimer *t = g_new0(LoomTimer, 1);

    (void)m;
    t->cb = cb;
    t->opaque = opaque;
    t->deadline = -1;
    g_ptr_array_add(timers, t);
    return t;
}

/* Under icount, tell icount.c the earliest deadline; BQL held. */
static void timers_changed_locked(void)
{
    int64_t next = -1;

    if (!icount_enabled) {
        return;
    }
    for (guint i = 0; i < timers->len; i++) {
        LoomTimer *t = timers->pdata[i];
        if (t->deadline >= 0 && (next < 0 || t->deadline < next)) {
            next = t->deadline;
        }
    }
    icount_set_deadline(next);
}

void loom_timer_mod(LoomTimer *t, int64_t deadline_ns)
{
    t->deadline = deadline_ns < 0 ? 0 : deadline_ns;
    timers_changed_locked();
    main_loop_wakeup();
}

void loom_timer_del(LoomTimer *t)
{
    t->deadline = -1;
    timers_changed_locked();
}

void loom_timer_free(LoomTimer *t)
{
    if (t) {
        g_ptr_array_remove(timers, t);
        g_free(t);
        timers_changed_locked();
    }
}

/* Under the BQL: fire due timers; return ns to the next deadline or -1. */
static int64_t run_timers_locked(void)
{
    int64_t next = -1;
    bool fired;

    do {
        int64_t now = loom_clock_ns();
        fired = false;
        next = -1;
        for (guint i = 0; i < timers->len; i++) {
            LoomTimer *t = timers->pdata[i];
            if (t->deadline < 0) {
                continue;
            }
            if (t->deadline <= now) {
                t->deadline = -1;
                timers_changed_locked();
                t->cb(t->opaque);
                fired = true;
                break;      /* the callback may have changed the list */
            }
            if (next < 0 || t->deadline - now < next) {
                next = t->deadline - now;
            }
        }
    } while (fired);
    return next;
}

void timers_run_due_locked(void)
{
    run_timers_locked();
}

/* ---- console ---- */

void tty_restore(void)
{
    if (tty_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &tty_saved);
        tty_raw = false;
    }
}

static void fatal_signal(int sig)
{
    tty_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

void chardev_init(bool serial_stdio)
{
    serial_is_stdio = serial_stdio;
    rx_pending = g_byte_array_new();
    if (serial_stdio && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &tty_saved) == 0) {
        struct termios raw = tty_saved;
        /* characters go to the guest as typed; Ctrl-C still stops loom */
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
        raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IXON);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
            tty_raw = true;
            atexit(tty_restore);
            signal(SIGTERM, fatal_signal);
            signal(SIGINT, fatal_signal);
            signal(SIGHUP, fatal_signal);
        }
    }
    if (!serial_stdio) {
        stdin_open = false;
    }
}

LoomChardev *chardev_serial(unsigned index)
{
    return (index == 0 && serial_is_stdio) ? &stdio_chr : NULL;
}

void loom_chr_write(LoomChardev *chr, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (!chr) {
        return;
    }
    while (len) {
        ssize_t n = write(chr->out_fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                struct pollfd pfd = { .fd = chr->out_fd, .events = POLLOUT };
                poll(&pfd, 1, 100);
                continue;
            }
            return;     /* output closed: drop, as a disconnected line */
        }
        p += n;
        len -= (size_t)n;
    }
}

void loom_chr_set_handlers(LoomChardev *chr, bool (*can_receive)(void *),
                           void (*receive)(void *, uint8_t), void *opaque)
{
    if (!chr) {
        return;
    }
    chr->can_receive = can_receive;
    chr->receive = receive;
    chr->opaque = opaque;
    main_loop_wakeup();
}

void loom_chr_accept_input(LoomChardev *chr)
{
    if (chr) {
        main_loop_wakeup();
    }
}

void chardev_flush(void)
{
    fflush(stdout);
}

/* Under the BQL: hand buffered input to the device while it takes it. */
static void deliver_input_locked(void)
{
    guint used = 0;

    while (used < rx_pending->len && stdio_chr.receive &&
           (!stdio_chr.can_receive || stdio_chr.can_receive(stdio_chr.opaque))) {
        stdio_chr.receive(stdio_chr.opaque, rx_pending->data[used++]);
    }
    g_byte_array_remove_range(rx_pending, 0, used);
}

/* ---- shutdown ---- */

void loom_machine_shutdown(LoomMachine *m, int status)
{
    int expected = 0;

    /* the first request wins */
    if (__atomic_compare_exchange_n(&m->shutdown_requested, &expected, 1, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&m->exit_status, status, __ATOMIC_SEQ_CST);
    }
    main_loop_wakeup();
}

void loom_machine_reset_request(LoomMachine *m)
{
    __atomic_store_n(&m->reset_requested, 1, __ATOMIC_SEQ_CST);
    main_loop_wakeup();
}

static volatile sig_atomic_t got_signal;

static void term_signal(int sig)
{
    got_signal = sig;
    main_loop_wakeup();
}

void main_loop_init(LoomMachine *m)
{
    (void)m;
    if (!tty_raw) {
        signal(SIGINT, term_signal);
        signal(SIGTERM, term_signal);
    }
    signal(SIGPIPE, SIG_IGN);
}

int main_loop_run(LoomMachine *m)
{
    for (;;) {
        struct pollfd pfd[2];
        struct timespec ts, *tsp = NULL;
        int64_t next;
        int nfds = 1;
        bool want_input;

        if (__atomic_load_n(&m->shutdown_requested, __ATOMIC_SEQ_CST)) {
            return __atomic_load_n(&m->exit_status, __ATOMIC_SEQ_CST);
        }
        if (got_signal) {
            return 128 + got_signal;
        }
        if (__atomic_exchange_n(&m->reset_requested, 0, __ATOMIC_SEQ_CST)) {
            cpus_stop(m);
            machine_reset(m);
            cpus_start(m);
        }
        loom_bql_lock();
        /* under icount the vCPU thread fires timers, on exact
           instruction boundaries (icount.c) */
        next = icount_enabled ? -1 : run_timers_locked();
        deliver_input_locked();
        want_input = stdin_open && rx_pending->len < 4096;
        loom_bql_unlock();

        pfd[0].fd = wakeup_fd;
        pfd[0].events = POLLIN;
        if (want_input) {
            pfd[1].fd = STDIN_FILENO;
            pfd[1].events = POLLIN;
            nfds = 2;
        }
        if (next >= 0) {
            ts.tv_sec = next / 1000000000;
            ts.tv_nsec = next % 1000000000;
            tsp = &ts;
        }
        if (ppoll(pfd, (nfds_t)nfds, tsp, NULL) < 0) {
            continue;   /* EINTR */
        }
        if (pfd[0].revents & POLLIN) {
            uint64_t v;
            if (read(wakeup_fd, &v, sizeof(v)) < 0) {
                /* nothing to drain */
            }
        }
        if (nfds == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            uint8_t buf[256];
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n > 0) {
                /* the escape keys and the monitor take their bytes first */
                GByteArray *in = g_byte_array_sized_new((guint)n);
                mux_input(m, buf, (size_t)n, in);
                loom_bql_lock();
                g_byte_array_append(rx_pending, in->data, in->len);
                loom_bql_unlock();
                g_byte_array_free(in, TRUE);
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                stdin_open = false;     /* EOF: the guest sees no more input */
            }
        }
    }
}
