/*
 * -icount shift=N: deterministic execution with virtual time.
 *
 * The virtual clock is a count of retired guest instructions, 2^shift ns
 * each, plus the jumps it makes while every vCPU is idle.  One thread runs
 * the vCPUs round-robin (icount forces thread=single), in turns of
 * ICOUNT_SLICE instructions, so the same guest on the same command line
 * always executes the same instructions in the same order and sees the
 * same times.  docs/design.md ("icount") gives the invariants; in short:
 *
 *  - count is the clock at the start of the TB being run; inside it,
 *    the clock an instruction reads is count + its index in the TB
 *    (cpu->unwind_insn, which every back-end keeps under icount: the
 *    translator stores it at each instruction start, translate.c).
 *  - A TB runs only if it fits the budget: the instructions left before
 *    the earliest timer deadline and before the end of the turn.  A TB
 *    that does not fit is translated again with a count limit, so a
 *    deadline is reached on the exact instruction boundary, where the
 *    loop fires the timer and takes the interrupt before going on.
 *  - An MMIO access that is not the last instruction of its TB restarts
 *    that instruction as a TB of its own (icount_io): device reads see an
 *    exact time and a timer armed by a device write is honoured from the
 *    next instruction on.
 *  - Timers fire on the vCPU thread, never on the I/O thread, at the
 *    instruction boundary where the clock reaches their deadline.
 *
 * Threads: count, slice_end and cut_cpu belong to the round-robin thread
 * (count is atomic because other threads may read the clock); deadline
 * is atomic, written under the BQL by the timer code.
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "icount.h"

#define ICOUNT_SLICE 4096               /* instructions per round-robin turn */

bool icount_enabled;
unsigned icount_shift;

static uint64_t count;                  /* atomic; written by the rr thread */
static uint64_t slice_end;              /* rr thread only */
static int64_t deadline = -1;           /* atomic; -1 = no timer armed */
static LoomCPU *cut_cpu;                /* rr thread only: MMIO cut pending */

bool icount_parse(const char *arg, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    bool ok = true, have_shift = false;

    for (int i = 0; ok && parts[i]; i++) {
        const char *p = parts[i], *v = NULL;

        if (g_str_has_prefix(p, "shift=")) {
            v = p + 6;
        } else if (i == 0 && g_ascii_isdigit(p[0])) {
            v = p;                      /* -icount N, as QEMU */
        }
        if (v) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (!g_ascii_isdigit(v[0]) || *end || n > ICOUNT_MAX_SHIFT) {
                *err = g_strdup_printf("-icount shift=%s is not valid: give a number from 0 to %d "
                                       "(each instruction counts 2^shift ns)", v, ICOUNT_MAX_SHIFT);
                ok = false;
            } else {
                icount_shift = (unsigned)n;
                have_shift = true;
            }
        } else if (!strcmp(p, "sleep=off")) {
            /* the only behaviour: idle time jumps to the next deadline */
        } else if (!strcmp(p, "sleep=on")) {
            *err = g_strdup("-icount sleep=on is not supported: loom never sleeps in "
                            "virtual time, drop it or give sleep=off");
            ok = false;
        } else {
            *err = g_strdup_printf("-icount: unknown option '%s': valid ones are shift=N "
                                   "(0..%d) and sleep=off", p, ICOUNT_MAX_SHIFT);
            ok = false;
        }
    }
    if (ok && !have_shift) {
        *err = g_strdup_printf("-icount %s: give the shift, e.g. -icount shift=3 "
                               "(each instruction counts 2^shift ns)", arg);
        ok = false;
    }
    g_strfreev(parts);
    icount_enabled = ok;
    return ok;
}

int64_t icount_clock_ns(void)
{
    LoomCPU *cpu = current_cpu;
    uint64_t c = __atomic_load_n(&count, __ATOMIC_RELAXED);

    /* inside a TB on the vCPU thread: the instructions of it that retired */
    if (cpu && cpu->current_tb) {
        c += (uint32_t)cpu->unwind_insn;
    }
    return (int64_t)(c << icount_shift);
}

/* The first count at which the clock reaches ns. */
static uint64_t count_at(int64_t ns)
{
    return ((uint64_t)ns + (UINT64_C(1) << icount_shift) - 1) >> icount_shift;
}

uint32_t icount_budget(void)
{
    uint64_t now = count, end = slice_end;
    int64_t d = __atomic_load_n(&deadline, __ATOMIC_ACQUIRE);

    if (d >= 0 && count_at(d) < end) {
        end = count_at(d);
    }
    if (end <= now) {
        return 0;
    }
    return end - now > LOOM_CF_COUNT_MASK ? LOOM_CF_COUNT_MASK : (uint32_t)(end - now);
}

uint32_t icount_tb_cflags(LoomCPU *cpu)
{
    if (cut_cpu == cpu) {
        cut_cpu = NULL;
        return 1;
    }
    return 0;
}

void icount_charge(uint32_t n)
{
    __atomic_store_n(&count, count + n, __ATOMIC_RELAXED);
}

void icount_loop_exit(LoomCPU *cpu)
{
    /* unwind_insn's instruction did not complete (a trap, a restart),
       except wfi, which halts once done, and a yield, which gives the
       thread away once done */
    uint32_t n = (uint32_t)cpu->unwind_insn;

    if ((cpu->exception_index == LOOM_EXCP_HLT || cpu->exception_index == LOOM_EXCP_YIELD) &&
        n < cpu->current_tb->icount) {
        n++;
    }
    icount_charge(n);
}

void icount_io(LoomCPU *cpu)
{
    LoomTB *tb = cpu->current_tb;
    uint32_t idx;

    if (!icount_enabled || !tb || current_cpu != cpu) {
        return;
    }
    idx = (uint32_t)cpu->unwind_insn;
    if (idx + 1 >= tb->icount) {
        return;                         /* the last instruction: exact already */
    }
    cpu->machine->fe->restore_state(cpu, &tb->insn_data[idx * cpu->machine->fe->insn_start_words]);
    cut_cpu = cpu;
    loom_cpu_loop_exit(cpu);            /* charges the idx instructions before it */
}

void icount_run_due_timers(void)
{
    int64_t d = __atomic_load_n(&deadline, __ATOMIC_ACQUIRE);

    if (d >= 0 && d <= (int64_t)(count << icount_shift)) {
        loom_bql_lock();
        timers_run_due_locked();
        loom_bql_unlock();
    }
}

void icount_turn_start(void)
{
    slice_end = count + ICOUNT_SLICE;
}

bool icount_turn_over(void)
{
    return count >= slice_end;
}

bool icount_has_deadline(void)
{
    return __atomic_load_n(&deadline, __ATOMIC_ACQUIRE) >= 0;
}

bool icount_warp(void)
{
    int64_t d = __atomic_load_n(&deadline, __ATOMIC_ACQUIRE);

    if (d < 0) {
        return false;
    }
    if (count_at(d) > count) {
        __atomic_store_n(&count, count_at(d), __ATOMIC_RELAXED);
    }
    icount_run_due_timers();
    return true;
}

void icount_set_deadline(int64_t deadline_ns)
{
    int64_t old = __atomic_exchange_n(&deadline, deadline_ns, __ATOMIC_ACQ_REL);

    /* from another thread (console input, say): the round-robin thread
       may sleep with every vCPU idle and must see the new deadline */
    if (!current_cpu && old != deadline_ns) {
        cpus_icount_wake();
    }
}
