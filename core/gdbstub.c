/*
 * The GDB remote serial protocol stub: -s (= -gdb tcp::1234), -gdb
 * tcp::PORT and -S (start with every vCPU stopped).
 *
 * One thread of its own serves one debugger at a time on a loopback TCP
 * socket.  GDB sees one thread per hart (thread ids 1..N) in both
 * thread modes, and all-stop semantics: when one vCPU stops (a
 * breakpoint, a finished step, a watchpoint, Ctrl-C) every vCPU stops.
 *
 * Stopping: each vCPU has a `paused` flag.  A paused vCPU runs no guest
 * code (cpu_exec returns at once, the thread loops treat it as idle) but
 * still runs queued work, so TLB flushes and register accesses queued
 * to it are served.  Stopping all = set every flag, then one empty
 * exclusive section (start_exclusive/end_exclusive) as a barrier: when
 * it returns, no vCPU is inside translated code, and none enters it
 * again while its flag is set (cpu_exec reads the flag after
 * cpu_exec_start, which the section orders).  Resuming = clear the flag
 * (release) and kick the vCPU.
 *
 * What runs where:
 *  - register reads and writes run on the vCPU's own thread, as queued
 *    work the stub waits for (the front-end's gdb_read_reg/gdb_write_reg
 *    touch owner-only state, and a CSR write may flush the TLB);
 *  - memory is read and written by the stub's thread through the
 *    front-end's side-effect-free debug_translate and guest RAM, and a
 *    write invalidates the translated code it overwrites (tb-page.c);
 *  - breakpoints: the translator asks gdbstub_bp_at for each insn and
 *    gives a breakpoint insn a TB of its own that leaves with
 *    LOOM_EXCP_DEBUG before running it (translate.c); inserting or
 *    removing one invalidates the TBs holding that pc;
 *  - watchpoints: a TLB entry for a page a watchpoint overlaps carries
 *    LOOM_TLB_WATCH, so every access to the page takes the slow path,
 *    which calls gdbstub_watch_check; a hit stops before the access,
 *    with pc at the insn, as GDB expects of RISC-V (its watchpoints are
 *    "non-steppable": GDB removes them, steps the insn itself and then
 *    compares the old and new values).  A front-end whose GDB expects
 *    the access done would need the insn replayed first.
 *
 * Protection: the breakpoint and watchpoint lists are under bp_lock,
 * taken by vCPU threads where they read them (translating a TB, filling
 * a TLB entry, a watched page's slow path: never on the fast path) and
 * by the stub's thread where it writes them (every vCPU paused, or at a
 * disconnect).  Everything else shared is under gs.lock or atomic,
 * as each field says.  The stub never holds gs.lock while waiting for a
 * vCPU, and never calls start_exclusive with a lock held.
 *
 * A debugger that connects stops every vCPU (the -S state if none has
 * run yet); one that disconnects or detaches (D) leaves the guest
 * running: its breakpoints and watchpoints are removed and every vCPU
 * resumes.
 * k (kill) ends loom with exit status 0.
 */
#include "config.h"
#include <errno.h>
#include <string.h>
#include <inttypes.h>
#include <unistd.h>
#include <poll.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <time.h>
#include "gdbstub.h"

bool gdbstub_enabled;

#define GDB_PACKET_SIZE 4096        /* PacketSize we announce (bytes) */
#define GDB_MAX_BREAKS 64
#define GDB_REG_BYTES 64            /* largest register gdb_read_reg may give */

enum { STEP_NONE = 0, STEP_USER = 1 };
enum { RUNNING, STOPPING, STOPPED };
enum { BP_SW = 0, BP_HW = 1, WP_WRITE = 2, WP_READ = 3, WP_ACCESS = 4 };

typedef struct GdbBreak {
    uint64_t addr, len;
    int type;
} GdbBreak;

typedef struct GdbCpu {
    int paused;                     /* atomic */
    int step;                       /* atomic: STEP_* */
    /* owner only: the watchpoint hit that ended cpu_exec */
    bool watch_pending;
    int watch_type;
    uint64_t watch_addr;
} GdbCpu;

static struct {
    LoomMachine *m;
    GdbCpu *cpus;
    int listen_fd;
    int event_fd;                   /* wakes the stub's thread */
    pthread_t thread;
    bool thread_started;

    pthread_mutex_t lock;
    pthread_cond_t cond;            /* a register job finished */
    /* protected by lock */
    int state;                      /* RUNNING, STOPPING, STOPPED */
    bool report_pending;            /* a stop GDB has not been told of */
    bool connected;                 /* a debugger is attached */
    unsigned stop_cpu;
    int stop_sig;
    int stop_watch_type;            /* -1: no watchpoint */
    uint64_t stop_watch_addr;
    bool quit;
    int exit_status;

    /* protected by bp_lock: written by the stub's thread (while every
       vCPU is paused, or at a disconnect while they run), read by vCPU
       threads translating and filling TLB entries */
    pthread_mutex_t bp_lock;
    GdbBreak bps[GDB_MAX_BREAKS];
    unsigned nb_bps;
    GdbBreak wps[GDB_MAX_BREAKS];
    unsigned nb_wps;

    /* the stub's thread only */
    int client_fd;
    unsigned g_cpu, c_cpu;          /* Hg and Hc threads (indexes) */
    GString *in;                    /* bytes received, not yet parsed:
                                       at most one packet's worth */
    int discard;                    /* dropping an oversize packet: 0 no,
                                       1 up to its '#', 3..2 its checksum */
} gs = { .listen_fd = -1, .event_fd = -1, .client_fd = -1,
         .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
         .bp_lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- hooks for the execution loop ---- */

bool gdbstub_cpu_paused(LoomCPU *cpu)
{
    return gdbstub_enabled &&
           __atomic_load_n(&gs.cpus[cpu->cpu_index].paused, __ATOMIC_ACQUIRE);
}

bool gdbstub_cpu_stepping(LoomCPU *cpu)
{
    return gdbstub_enabled &&
           __atomic_load_n(&gs.cpus[cpu->cpu_index].step, __ATOMIC_ACQUIRE) != STEP_NONE;
}

bool gdbstub_bp_at(uint64_t pc)
{
    bool hit = false;

    pthread_mutex_lock(&gs.bp_lock);
    for (unsigned i = 0; i < gs.nb_bps && !hit; i++) {
        hit = gs.bps[i].addr == pc;
    }
    pthread_mutex_unlock(&gs.bp_lock);
    return hit;
}

static bool wp_matches(const GdbBreak *w, int access)
{
    return w->type == WP_ACCESS || (w->type == WP_WRITE) == (access == LOOM_ACCESS_STORE);
}

bool gdbstub_page_watched(uint64_t vpage, uint64_t size, int access)
{
    bool hit = false;

    pthread_mutex_lock(&gs.bp_lock);
    for (unsigned i = 0; i < gs.nb_wps && !hit; i++) {
        const GdbBreak *w = &gs.wps[i];
        hit = wp_matches(w, access) && w->addr < vpage + size && vpage < w->addr + w->len;
    }
    pthread_mutex_unlock(&gs.bp_lock);
    return hit;
}

void gdbstub_watch_check(LoomCPU *cpu, uint64_t addr, unsigned size, int access, uintptr_t ra)
{
    GdbCpu *c = &gs.cpus[cpu->cpu_index];

    bool hit = false;

    if (access == LOOM_ACCESS_FETCH) {
        return;
    }
    pthread_mutex_lock(&gs.bp_lock);
    for (unsigned i = 0; i < gs.nb_wps && !hit; i++) {
        const GdbBreak *w = &gs.wps[i];
        if (wp_matches(w, access) && w->addr < addr + size && addr < w->addr + w->len) {
            hit = true;
            c->watch_pending = true;
            c->watch_type = w->type;
            c->watch_addr = MAX(addr, w->addr);
        }
    }
    pthread_mutex_unlock(&gs.bp_lock);
    if (hit) {
        /* not with bp_lock held: this leaves by siglongjmp */
        cpu->exception_index = LOOM_EXCP_DEBUG;
        loom_cpu_loop_exit_restore(cpu, ra);
    }
}

static void wake_thread(void)
{
    uint64_t one = 1;

    if (write(gs.event_fd, &one, sizeof(one)) < 0) {
        /* the counter is already non-zero: the thread wakes anyway */
    }
}

/* Called with gs.lock held: flag every vCPU paused and cancel steps. */
static void pause_all_locked(void)
{
    for (unsigned i = 0; i < gs.m->nb_cpus; i++) {
        __atomic_store_n(&gs.cpus[i].paused, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&gs.cpus[i].step, STEP_NONE, __ATOMIC_SEQ_CST);
    }
}

/*
 * Stop every vCPU for a stop of cpu_index with signal sig, unless one is
 * already stopping or stopped.  No lock held, not inside cpu_exec_start/
 * end.  The barrier: once start_exclusive returns, no vCPU is in
 * translated code, and every later entry sees its paused flag.
 */
static void stop_all(unsigned cpu_index, int sig, int watch_type, uint64_t watch_addr)
{
    pthread_mutex_lock(&gs.lock);
    if (gs.state != RUNNING || !gs.connected) {
        pthread_mutex_unlock(&gs.lock);
        return;
    }
    gs.state = STOPPING;
    gs.stop_cpu = cpu_index;
    gs.stop_sig = sig;
    gs.stop_watch_type = watch_type;
    gs.stop_watch_addr = watch_addr;
    pause_all_locked();
    pthread_mutex_unlock(&gs.lock);

    start_exclusive();
    end_exclusive();

    pthread_mutex_lock(&gs.lock);
    gs.state = STOPPED;
    gs.report_pending = true;
    pthread_mutex_unlock(&gs.lock);
    wake_thread();
}

void gdbstub_cpu_debug(LoomCPU *cpu)
{
    GdbCpu *c = &gs.cpus[cpu->cpu_index];

    if (c->watch_pending) {
        c->watch_pending = false;
        stop_all(cpu->cpu_index, 5, c->watch_type, c->watch_addr);
    } else {
        /* a breakpoint, a finished step: SIGTRAP.  If another vCPU
           stopped first, a breakpoint hits again when resumed. */
        stop_all(cpu->cpu_index, 5, -1, 0);
    }
}

/* Resume: cpus with run[i] run (stepping if step[i]); the others stay
   paused.  The stub's thread, gs.lock not held. */
static void resume(const bool *run, const bool *step)
{
    pthread_mutex_lock(&gs.lock);
    gs.state = RUNNING;
    gs.report_pending = false;
    pthread_mutex_unlock(&gs.lock);
    for (unsigned i = 0; i < gs.m->nb_cpus; i++) {
        if (step && step[i]) {
            __atomic_store_n(&gs.cpus[i].step, STEP_USER, __ATOMIC_RELEASE);
        }
    }
    for (unsigned i = 0; i < gs.m->nb_cpus; i++) {
        if (run[i]) {
            /* release: the lists and registers written while it was
               paused are visible once it sees the flag clear */
            __atomic_store_n(&gs.cpus[i].paused, 0, __ATOMIC_SEQ_CST);
            loom_cpu_kick(gs.m->cpus[i]);
        }
    }
}

static void resume_all(void)
{
    bool *run = g_new(bool, gs.m->nb_cpus);

    for (unsigned i = 0; i < gs.m->nb_cpus; i++) {
        run[i] = true;
    }
    resume(run, NULL);
    g_free(run);
}

/* ---- work on a vCPU's own thread ---- */

typedef struct RegJob {
    int first, count;               /* registers first.. (count -1: up to a gap) */
    bool write;
    GByteArray *data;               /* in (write) or out (read) */
    int done_regs;
    bool done;                      /* protected by gs.lock */
} RegJob;

static void reg_work(LoomCPU *cpu, void *opaque)
{
    RegJob *j = opaque;
    const LoomFrontendOps *fe = cpu->machine->fe;
    uint8_t buf[GDB_REG_BYTES];
    size_t off = 0;
    int n = 0;

    for (int r = j->first; fe->gdb_read_reg && (j->count < 0 || r < j->first + j->count); r++) {
        int len = fe->gdb_read_reg(cpu, r, buf);
        if (len <= 0 || len > GDB_REG_BYTES) {
            break;
        }
        if (!j->write) {
            g_byte_array_append(j->data, buf, (guint)len);
        } else {
            /* writes take each register's size from a read of it */
            if (off + (size_t)len > j->data->len || !fe->gdb_write_reg ||
                fe->gdb_write_reg(cpu, r, j->data->data + off) <= 0) {
                break;
            }
            off += (size_t)len;
        }
        n++;
    }
    pthread_mutex_lock(&gs.lock);
    j->done_regs = n;
    j->done = true;
    pthread_cond_broadcast(&gs.cond);
    pthread_mutex_unlock(&gs.lock);
}

static RegJob *reg_job_new(int first, int count, bool write)
{
    RegJob *j = g_new0(RegJob, 1);

    j->first = first;
    j->count = count;
    j->write = write;
    j->data = g_byte_array_new();
    return j;
}

static void reg_job_free(RegJob *j)
{
    g_byte_array_free(j->data, TRUE);
    g_free(j);
}

/* Run a register job on cpu's thread and wait for it; false if loom is
   quitting first (the job is then leaked: the item may still run). */
static bool run_reg_job(unsigned cpu_index, RegJob *j)
{
    bool done;

    async_run_on_cpu(gs.m->cpus[cpu_index], reg_work, j);
    pthread_mutex_lock(&gs.lock);
    while (!j->done && !gs.quit) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&gs.cond, &gs.lock, &ts);
    }
    done = j->done;
    pthread_mutex_unlock(&gs.lock);
    return done;
}

/* ---- guest memory (the stub's thread, vCPUs paused) ---- */

static bool mem_rw(unsigned cpu_index, uint64_t addr, uint8_t *buf, uint64_t len, bool write,
                   uint64_t *done)
{
    LoomCPU *cpu = gs.m->cpus[cpu_index];
    const LoomFrontendOps *fe = gs.m->fe;
    uint64_t page = UINT64_C(1) << tlb_page_bits;

    *done = 0;
    while (*done < len) {
        uint64_t va = addr + *done, pa = va;
        uint64_t n = MIN(len - *done, page - (va & (page - 1)));
        uint8_t *host;

        if (fe->debug_translate && !fe->debug_translate(cpu, va, &pa)) {
            return false;
        }
        host = as_ram_ptr(&gs.m->as, pa, n);
        if (!host) {
            return false;       /* device memory or nothing: not touched */
        }
        if (write) {
            memcpy(host, buf + *done, n);
            tb_page_written(gs.m, pa, n);
        } else {
            memcpy(buf + *done, host, n);
        }
        *done += n;
    }
    return true;
}

/* Invalidate the TBs holding the insn at vaddr (seen through cpu 0's
   translation, and every other vCPU's if it differs). */
static void invalidate_pc(uint64_t vaddr)
{
    const LoomFrontendOps *fe = gs.m->fe;

    for (unsigned i = 0; i < gs.m->nb_cpus; i++) {
        uint64_t pa = vaddr;
        if (!fe->debug_translate || fe->debug_translate(gs.m->cpus[i], vaddr, &pa)) {
            tb_page_written(gs.m, pa, 1);
        }
    }
}

/* ---- packets ---- */

static const char hexd[] = "0123456789abcdef";

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
           c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void put_hex(GString *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_string_append_c(s, hexd[p[i] >> 4]);
        g_string_append_c(s, hexd[p[i] & 15]);
    }
}

/* Decode hex text of 2*n digits into buf; false on a bad digit. */
static bool get_hex(const char *s, uint8_t *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
        if (lo < 0) {
            return false;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* Parse a hex number at *p, advance past it; false if there is none. */
static bool parse_hex(const char **p, uint64_t *v)
{
    const char *s = *p;

    *v = 0;
    while (hexval(*s) >= 0) {
        *v = *v << 4 | (uint64_t)hexval(*s);
        s++;
    }
    if (s == *p) {
        return false;
    }
    *p = s;
    return true;
}

static void send_raw(const char *data, size_t len)
{
    while (len > 0 && gs.client_fd >= 0) {
        ssize_t n = send(gs.client_fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;     /* the reader notices the broken connection */
        }
        data += n;
        len -= (size_t)n;
    }
}

/* Send one packet: $data#checksum, with $ # } * escaped. */
static void send_packet(const char *data, size_t len)
{
    GString *s = g_string_sized_new(len + 8);
    uint8_t sum = 0;

    g_string_append_c(s, '$');
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            g_string_append_c(s, '}');
            sum += '}';
            c ^= 0x20;
        }
        g_string_append_c(s, c);
        sum += (uint8_t)c;
    }
    g_string_append_printf(s, "#%02x", sum);
    send_raw(s->str, s->len);
    g_string_free(s, TRUE);
}

static void reply(const char *s)
{
    send_packet(s, strlen(s));
}

/* The stop reply for the current stop. */
static void send_stop_reply(void)
{
    GString *s = g_string_new(NULL);
    const char *kind = NULL;

    pthread_mutex_lock(&gs.lock);
    g_string_append_printf(s, "T%02xthread:%x;", gs.stop_sig, gs.stop_cpu + 1);
    switch (gs.stop_watch_type) {
    case WP_WRITE: kind = "watch"; break;
    case WP_READ: kind = "rwatch"; break;
    case WP_ACCESS: kind = "awatch"; break;
    }
    if (kind) {
        g_string_append_printf(s, "%s:%" PRIx64 ";", kind, gs.stop_watch_addr);
    }
    gs.g_cpu = gs.c_cpu = gs.stop_cpu;
    gs.report_pending = false;
    pthread_mutex_unlock(&gs.lock);
    reply(s->str);
    g_string_free(s, TRUE);
}

/* A thread id from GDB: -1 all, 0 any, else 1..N.  Returns the index, or
   -1 for "all", or -2 if invalid. */
static int parse_tid(const char *p)
{
    uint64_t v;

    if (!strcmp(p, "-1")) {
        return -1;
    }
    if (!parse_hex(&p, &v) || *p) {
        return -2;
    }
    if (v == 0) {
        return 0;
    }
    return v <= gs.m->nb_cpus ? (int)v - 1 : -2;
}

static void remove_all_breaks(void)
{
    GdbBreak bps[GDB_MAX_BREAKS];
    unsigned nb_bps;
    bool had_wps;

    pthread_mutex_lock(&gs.bp_lock);
    nb_bps = gs.nb_bps;
    memcpy(bps, gs.bps, nb_bps * sizeof(bps[0]));
    had_wps = gs.nb_wps != 0;
    gs.nb_bps = 0;
    gs.nb_wps = 0;
    pthread_mutex_unlock(&gs.bp_lock);
    /* after the lists changed: a TB translated from here on has no
       breakpoint, and the older ones go */
    for (unsigned i = 0; i < nb_bps; i++) {
        invalidate_pc(bps[i].addr);
    }
    if (had_wps) {
        loom_tlb_flush_cpus(NULL, LOOM_CPUS_ALL);
    }
}

/* Z/z: insert or remove.  The vCPUs are paused. */
static const char *do_break(const char *p, bool insert)
{
    uint64_t type, addr, kind;
    GdbBreak *list;
    unsigned *nb;
    const char *err = NULL;

    if (!parse_hex(&p, &type) || *p++ != ',' || !parse_hex(&p, &addr) || *p++ != ',' ||
        !parse_hex(&p, &kind)) {
        return "E22";
    }
    if (type > WP_ACCESS) {
        return "";      /* unsupported kind */
    }
    if (type > BP_HW && kind == 0) {
        return "E22";
    }
    pthread_mutex_lock(&gs.bp_lock);
    list = type <= BP_HW ? gs.bps : gs.wps;
    nb = type <= BP_HW ? &gs.nb_bps : &gs.nb_wps;
    if (insert) {
        if (*nb >= GDB_MAX_BREAKS) {
            err = "E28";
        } else {
            list[*nb].addr = addr;
            list[*nb].len = type <= BP_HW ? 1 : kind;
            list[*nb].type = (int)type;
            (*nb)++;
        }
    } else {
        unsigned i;
        for (i = 0; i < *nb; i++) {
            if (list[i].addr == addr && list[i].type == (int)type) {
                break;
            }
        }
        if (i == *nb) {
            err = "E22";
        } else {
            list[i] = list[--(*nb)];
        }
    }
    pthread_mutex_unlock(&gs.bp_lock);
    if (err) {
        return err;
    }
    if (type <= BP_HW) {
        invalidate_pc(addr);
    } else {
        /* refill every TLB so that the watched pages get LOOM_TLB_WATCH
           (or lose it); each vCPU flushes before its next TB */
        loom_tlb_flush_cpus(NULL, LOOM_CPUS_ALL);
    }
    return "OK";
}

/* vCont;ACTION[:TID]...: resume; false on bad syntax. */
static bool do_vcont(const char *p)
{
    unsigned n = gs.m->nb_cpus;
    bool *run = g_new0(bool, n), *step = g_new0(bool, n), *set = g_new0(bool, n);
    bool ok = true, any = false;
    gchar **acts = g_strsplit(p, ";", -1);

    for (int a = 0; ok && acts[a]; a++) {
        char *act = acts[a], *colon = strchr(act, ':');
        int tid = -1;
        bool is_step;

        if (!*act) {
            continue;
        }
        if (act[0] == 's' || act[0] == 'S') {
            is_step = true;
        } else if (act[0] == 'c' || act[0] == 'C') {
            is_step = false;
        } else {
            ok = false;
            break;
        }
        if (colon) {
            tid = parse_tid(colon + 1);
            if (tid == -2) {
                ok = false;
                break;
            }
        }
        for (unsigned i = 0; i < n; i++) {
            if (!set[i] && (tid == -1 || (unsigned)tid == i)) {
                set[i] = run[i] = true;
                step[i] = is_step;
                any = true;
            }
        }
    }
    g_strfreev(acts);
    if (ok && any) {
        resume(run, step);
    }
    g_free(run);
    g_free(step);
    g_free(set);
    return ok && any;
}

/* c / s: resume every vCPU, or step the Hc one with the others held. */
static void do_continue(bool step_it)
{
    unsigned n = gs.m->nb_cpus;
    bool *run = g_new0(bool, n), *step = g_new0(bool, n);

    for (unsigned i = 0; i < n; i++) {
        run[i] = !step_it || i == gs.c_cpu;
        step[i] = step_it && i == gs.c_cpu;
    }
    resume(run, step);
    g_free(run);
    g_free(step);
}

static void do_detach(void)
{
    pthread_mutex_lock(&gs.lock);
    bool running = gs.state == RUNNING;
    pthread_mutex_unlock(&gs.lock);
    if (running) {
        /* stop first: the removal and its TB invalidations happen
           with nothing running, as for z packets */
        stop_all(gs.c_cpu, 0, -1, 0);
    }
    remove_all_breaks();
    pthread_mutex_lock(&gs.lock);
    gs.connected = false;
    pthread_mutex_unlock(&gs.lock);
    resume_all();
}

/* qXfer:features:read:ANNEX:OFF,LEN */
static void do_xfer_features(const char *p)
{
    const char *colon = strchr(p, ':');
    char *annex;
    const char *doc;
    uint64_t off, len;
    size_t total;

    if (!colon) {
        reply("E00");
        return;
    }
    annex = g_strndup(p, (size_t)(colon - p));
    p = colon + 1;
    doc = gs.m->fe->gdb_xml ? gs.m->fe->gdb_xml(gs.m->cpus[0], annex) : NULL;
    g_free(annex);
    if (!doc) {
        reply("E00");
        return;
    }
    if (!parse_hex(&p, &off) || *p++ != ',' || !parse_hex(&p, &len)) {
        reply("E00");
        return;
    }
    total = strlen(doc);
    len = MIN(len, (uint64_t)GDB_PACKET_SIZE - 16);
    if (off >= total) {
        reply("l");
        return;
    }
    {
        size_t n = (size_t)MIN(len, total - off);
        GString *s = g_string_new(off + n >= total ? "l" : "m");
        g_string_append_len(s, doc + off, (gssize)n);
        send_packet(s->str, s->len);
        g_string_free(s, TRUE);
    }
}

static void handle_packet(const char *pkt, size_t pkt_len)
{
    const char *p = pkt + 1;
    bool stopped;

    pthread_mutex_lock(&gs.lock);
    stopped = gs.state == STOPPED;
    pthread_mutex_unlock(&gs.lock);

    /* all-stop: a debugger talks to a stopped target; while it runs only
       Ctrl-C (handled by the reader) means anything */
    if (!stopped && pkt[0] != 'q' && pkt[0] != 'k' && pkt[0] != 'D' &&
        strncmp(pkt, "vCont?", 6) && strncmp(pkt, "vMustReplyEmpty", 15)) {
        reply("E16");
        return;
    }
    switch (pkt[0]) {
    case '?':
        send_stop_reply();
        return;
    case 'H': {
        int tid = parse_tid(pkt + 2);
        if (tid == -2 || (pkt[1] != 'g' && pkt[1] != 'c')) {
            reply("E22");
            return;
        }
        if (tid >= 0) {
            *(pkt[1] == 'g' ? &gs.g_cpu : &gs.c_cpu) = (unsigned)tid;
        }
        reply("OK");
        return;
    }
    case 'T':
        reply(parse_tid(p) >= 0 ? "OK" : "E22");
        return;
    case 'g':
    case 'p': {
        uint64_t r = 0;
        RegJob *j;
        GString *s;
        if (pkt[0] == 'p' && (!parse_hex(&p, &r) || r > 0xffff)) {
            reply("E22");
            return;
        }
        j = reg_job_new((int)r, pkt[0] == 'p' ? 1 : -1, false);
        if (!run_reg_job(gs.g_cpu, j)) {
            return;             /* quitting: the job may still run */
        }
        s = g_string_new(NULL);
        put_hex(s, j->data->data, j->data->len);
        reply(j->done_regs ? s->str : "E45");
        g_string_free(s, TRUE);
        reg_job_free(j);
        return;
    }
    case 'G':
    case 'P': {
        /* G: registers 0, 1, ... in order; P n=value */
        uint64_t r = 0;
        size_t n;
        RegJob *j;
        if (pkt[0] == 'P' && (!parse_hex(&p, &r) || *p++ != '=' || r > 0xffff)) {
            reply("E22");
            return;
        }
        n = strlen(p) / 2;
        j = reg_job_new((int)r, pkt[0] == 'P' ? 1 : -1, true);
        g_byte_array_set_size(j->data, (guint)n);
        if (n == 0 || strlen(p) % 2 || !get_hex(p, j->data->data, n)) {
            reply("E22");
        } else if (run_reg_job(gs.g_cpu, j)) {
            reply(j->done_regs ? "OK" : "E45");
        } else {
            return;
        }
        reg_job_free(j);
        return;
    }
    case 'm': {
        uint64_t addr, len, done;
        uint8_t *buf;
        GString *s;
        if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len)) {
            reply("E22");
            return;
        }
        len = MIN(len, (uint64_t)GDB_PACKET_SIZE / 2 - 8);
        buf = g_malloc(len ? len : 1);
        mem_rw(gs.g_cpu, addr, buf, len, false, &done);
        s = g_string_new(NULL);
        put_hex(s, buf, done);
        reply(done || !len ? s->str : "E14");
        g_string_free(s, TRUE);
        g_free(buf);
        return;
    }
    case 'M':
    case 'X': {
        uint64_t addr, len, done;
        uint8_t *buf;
        bool ok = true;
        if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len) || *p++ != ':' ||
            len > GDB_PACKET_SIZE) {
            reply("E22");
            return;
        }
        buf = g_malloc(len ? len : 1);
        if (pkt[0] == 'M') {
            ok = strlen(p) >= len * 2 && get_hex(p, buf, len);
        } else {
            ok = (size_t)(pkt + pkt_len - p) >= len;
            if (ok) {
                memcpy(buf, p, len);
            }
        }
        ok = ok && mem_rw(gs.g_cpu, addr, buf, len, true, &done);
        reply(ok ? "OK" : "E14");
        g_free(buf);
        return;
    }
    case 'Z':
    case 'z':
        reply(do_break(p, pkt[0] == 'Z'));
        return;
    case 'c':
    case 'C':
        do_continue(false);
        return;
    case 's':
    case 'S':
        do_continue(true);
        return;
    case 'k':
        loom_machine_shutdown(gs.m, 0);
        return;
    case 'D':
        reply("OK");
        do_detach();
        return;
    case 'v':
        if (!strcmp(pkt, "vCont?")) {
            reply("vCont;c;C;s;S");
        } else if (!strncmp(pkt, "vCont;", 6)) {
            if (!do_vcont(pkt + 6)) {
                reply("E22");
            }
        } else {
            reply("");
        }
        return;
    case 'q':
        if (!strncmp(pkt, "qSupported", 10)) {
            char buf[96];
            snprintf(buf, sizeof(buf), "PacketSize=%x;qXfer:features:read%c;vContSupported+",
                     GDB_PACKET_SIZE, gs.m->fe->gdb_xml ? '+' : '-');
            reply(buf);
        } else if (!strncmp(pkt, "qXfer:features:read:", 20)) {
            do_xfer_features(pkt + 20);
        } else if (!strcmp(pkt, "qAttached")) {
            reply("1");
        } else if (!strcmp(pkt, "qC")) {
            char buf[32];
            snprintf(buf, sizeof(buf), "QC%x", gs.g_cpu + 1);
            reply(buf);
        } else if (!strcmp(pkt, "qfThreadInfo")) {
            GString *s = g_string_new("m");
            for (unsigned i = 0; i < gs.m->nb_cpus; i++) {
                g_string_append_printf(s, i ? ",%x" : "%x", i + 1);
            }
            reply(s->str);
            g_string_free(s, TRUE);
        } else if (!strcmp(pkt, "qsThreadInfo")) {
            reply("l");
        } else if (!strncmp(pkt, "qThreadExtraInfo,", 17)) {
            int tid = parse_tid(pkt + 17);
            char text[32];
            GString *s = g_string_new(NULL);
            snprintf(text, sizeof(text), "hart %d", tid > 0 ? tid : 0);
            put_hex(s, (const uint8_t *)text, strlen(text));
            reply(tid >= 0 ? s->str : "E22");
            g_string_free(s, TRUE);
        } else if (!strncmp(pkt, "qSymbol", 7)) {
            reply("OK");
        } else {
            reply("");
        }
        return;
    default:
        reply("");
        return;
    }
}

/*
 * Drop the bytes of an oversize packet up to the end of its checksum
 * (gs.discard says how far it is); returns how many of in's first bytes
 * belong to it.
 */
static size_t discard_oversize(const GString *in)
{
    size_t i = 0;

    while (gs.discard && i < in->len) {
        if (gs.discard == 1) {
            if (in->str[i] == '#') {
                gs.discard = 3;
            }
        } else if (--gs.discard == 1) {
            gs.discard = 0;             /* the second checksum digit */
        }
        i++;
    }
    return i;
}

/*
 * Parse what has arrived: acks, Ctrl-C, complete packets.  A packet
 * longer than the PacketSize qSupported announced is refused with a NAK
 * as soon as it is known to be too long and dropped as it arrives, so
 * the buffer never holds more than one packet's worth.
 */
static void process_input(void)
{
    for (;;) {
        GString *in = gs.in;
        size_t i = discard_oversize(in);
        char *hash;

        while (i < in->len && in->str[i] != '$') {
            if (in->str[i] == 0x03) {
                pthread_mutex_lock(&gs.lock);
                unsigned who = gs.c_cpu;
                pthread_mutex_unlock(&gs.lock);
                stop_all(who, 2, -1, 0);        /* SIGINT */
            }
            i++;                                /* '+', '-', noise */
        }
        g_string_erase(in, 0, (gssize)i);
        if (in->len == 0) {
            return;
        }
        /* '$', at most PacketSize bytes of body, '#' */
        hash = memchr(in->str, '#', MIN(in->len, (size_t)GDB_PACKET_SIZE + 2));
        if (!hash && in->len > GDB_PACKET_SIZE + 1) {
            /* '$' and more body than PacketSize: the rest goes too */
            g_string_truncate(in, 0);
            gs.discard = 1;
            send_raw("-", 1);
            continue;
        }
        if (!hash || (size_t)(hash - in->str) + 3 > in->len) {
            return;                             /* incomplete */
        }
        {
            size_t body = (size_t)(hash - in->str) - 1, total = body + 4;
            GString *pkt = g_string_sized_new(body);
            uint8_t sum = 0;
            int hi = hexval(hash[1]), lo = hexval(hash[2]);
            int want = hi < 0 || lo < 0 ? -1 : hi << 4 | lo;   /* -1: never matches */

            for (size_t k = 1; k <= body; k++) {
                sum += (uint8_t)in->str[k];
            }
            /* '}' escapes the next byte (binary data of X) */
            for (size_t k = 1; k <= body; k++) {
                char c = in->str[k];
                if (c == '}' && k < body) {
                    c = in->str[++k] ^ 0x20;
                }
                g_string_append_c(pkt, c);
            }
            g_string_erase(in, 0, (gssize)total);
            if (want != sum) {
                send_raw("-", 1);
            } else {
                send_raw("+", 1);
                if (pkt->len) {
                    handle_packet(pkt->str, pkt->len);
                }
            }
            g_string_free(pkt, TRUE);
        }
        if (gs.client_fd < 0) {
            return;
        }
    }
}

static void close_client(void)
{
    if (gs.client_fd >= 0) {
        close(gs.client_fd);
        gs.client_fd = -1;
    }
    g_string_truncate(gs.in, 0);
    gs.discard = 0;
}

static void *gdb_thread(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "gdbstub");
    for (;;) {
        struct pollfd pfd[2];
        bool quit, report;

        pthread_mutex_lock(&gs.lock);
        quit = gs.quit;
        report = gs.report_pending && gs.client_fd >= 0;
        pthread_mutex_unlock(&gs.lock);
        if (quit) {
            if (gs.client_fd >= 0) {
                char buf[8];
                snprintf(buf, sizeof(buf), "W%02x", gs.exit_status & 0xff);
                reply(buf);
                close_client();
            }
            return NULL;
        }
        if (report) {
            send_stop_reply();
        }
        pfd[0].fd = gs.event_fd;
        pfd[0].events = POLLIN;
        pfd[1].fd = gs.client_fd >= 0 ? gs.client_fd : gs.listen_fd;
        pfd[1].events = POLLIN;
        if (poll(pfd, 2, 1000) < 0) {
            continue;
        }
        if (pfd[0].revents & POLLIN) {
            uint64_t v;
            if (read(gs.event_fd, &v, sizeof(v)) < 0) {
                /* nothing to drain */
            }
        }
        if (!(pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            continue;
        }
        if (gs.client_fd < 0) {
            int fd = accept(gs.listen_fd, NULL, NULL);
            int one = 1;
            if (fd < 0) {
                continue;
            }
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            gs.client_fd = fd;
            gs.g_cpu = gs.c_cpu = 0;
            pthread_mutex_lock(&gs.lock);
            gs.connected = true;
            pthread_mutex_unlock(&gs.lock);
            /* all-stop: a debugger attaches to a stopped target.  A
               running guest (no -S, or a previous debugger detached)
               stops here, as if hart 0 had taken a SIGTRAP */
            stop_all(0, 5, -1, 0);
            pthread_mutex_lock(&gs.lock);
            gs.report_pending = false;  /* GDB asks with '?' */
            pthread_mutex_unlock(&gs.lock);
        } else {
            char buf[4096];
            ssize_t n = recv(gs.client_fd, buf, sizeof(buf), 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                /* the debugger went away: the guest runs on */
                close_client();
                do_detach();
                continue;
            }
            g_string_append_len(gs.in, buf, n);
            process_input();
            pthread_mutex_lock(&gs.lock);
            bool detached = !gs.connected;
            pthread_mutex_unlock(&gs.lock);
            if (detached) {
                close_client();
            }
        }
    }
}

/* ---- setup ---- */

/* "tcp::PORT", "tcp:localhost:PORT", "tcp:127.0.0.1:PORT" or ":PORT". */
static bool parse_spec(const char *spec, int *port, char **err)
{
    const char *s = spec, *colon;
    char *end;
    long v;

    if (g_str_has_prefix(s, "tcp:")) {
        s += 4;
    }
    colon = strrchr(s, ':');
    if (!colon) {
        *err = g_strdup_printf("-gdb %s: give tcp::PORT (the stub listens on the loopback "
                               "address only)", spec);
        return false;
    }
    if (colon != s && strncmp(s, "localhost:", 10) && strncmp(s, "127.0.0.1:", 10)) {
        *err = g_strdup_printf("-gdb %s: the stub listens on the loopback address only: give "
                               "tcp::PORT", spec);
        return false;
    }
    errno = 0;
    v = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || v < 1 || v > 65535) {
        *err = g_strdup_printf("-gdb %s: '%s' is not a port number: give tcp::PORT with "
                               "PORT from 1 to 65535", spec, colon + 1);
        return false;
    }
    *port = (int)v;
    return true;
}

bool gdbstub_init(LoomMachine *m, const char *spec, bool start_stopped, char **err)
{
    int port = 0;

    if (!spec && !start_stopped) {
        return true;
    }
    gs.m = m;
    gs.cpus = g_new0(GdbCpu, m->nb_cpus);
    gs.in = g_string_new(NULL);
    gs.state = RUNNING;
    gs.stop_sig = 5;
    gs.stop_watch_type = -1;
    if (start_stopped) {
        gs.state = STOPPED;         /* no vCPU has started: no barrier */
        for (unsigned i = 0; i < m->nb_cpus; i++) {
            gs.cpus[i].paused = 1;
        }
    }
    gdbstub_enabled = true;
    if (!spec) {
        return true;                /* -S alone: stopped for good */
    }
    if (!parse_spec(spec, &port, err)) {
        return false;
    }
    {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int one = 1;

        gs.listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (gs.listen_fd < 0) {
            *err = g_strdup_printf("-gdb %s: cannot create a socket: %s", spec,
                                   g_strerror(errno));
            return false;
        }
        setsockopt(gs.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(gs.listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(gs.listen_fd, 1) < 0) {
            int e = errno;
            *err = e == EADDRINUSE
                ? g_strdup_printf("-gdb %s: port %d is in use: give another one with "
                                  "-gdb tcp::PORT", spec, port)
                : g_strdup_printf("-gdb %s: cannot listen on port %d: %s", spec, port,
                                  g_strerror(e));
            close(gs.listen_fd);
            gs.listen_fd = -1;
            return false;
        }
    }
    gs.event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (gs.event_fd < 0) {
        *err = g_strdup_printf("-gdb %s: cannot create an eventfd: %s", spec, g_strerror(errno));
        return false;
    }
    if (pthread_create(&gs.thread, NULL, gdb_thread, NULL)) {
        *err = g_strdup_printf("-gdb %s: cannot create the stub's thread", spec);
        return false;
    }
    gs.thread_started = true;
    return true;
}

void gdbstub_exit(int status)
{
    if (!gdbstub_enabled) {
        return;
    }
    if (gs.thread_started) {
        pthread_mutex_lock(&gs.lock);
        gs.quit = true;
        gs.exit_status = status;
        pthread_cond_broadcast(&gs.cond);
        pthread_mutex_unlock(&gs.lock);
        wake_thread();
        pthread_join(gs.thread, NULL);
        gs.thread_started = false;
    }
    if (gs.listen_fd >= 0) {
        close(gs.listen_fd);
        gs.listen_fd = -1;
    }
    if (gs.event_fd >= 0) {
        close(gs.event_fd);
        gs.event_fd = -1;
    }
    /* the vCPUs stop next (cpus_stop): a paused one leaves its loop on
       the stop request like an idle one */
}
