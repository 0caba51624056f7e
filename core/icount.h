/*
 * -icount shift=N: deterministic execution with virtual time
 * (docs/design.md, "icount").  The guest clock counts retired guest
 * instructions, 2^N ns each, instead of following the host clock.
 */
#ifndef LOOM_CORE_ICOUNT_H
#define LOOM_CORE_ICOUNT_H

#include "internal.h"

#define ICOUNT_MAX_SHIFT 10

/* Written once by icount_parse, before the machine exists; read-only after. */
extern bool icount_enabled;
extern unsigned icount_shift;

/* -icount [shift=]N[,sleep=off]: false with *err set (one line). */
bool icount_parse(const char *arg, char **err);

/* Virtual ns now.  On the vCPU thread inside a TB, it counts the
   instructions retired before the one running. */
int64_t icount_clock_ns(void);

/* ---- the execution loop (the round-robin thread only) ---- */
/* Instructions the next TB may retire before a timer deadline or the end
   of the turn; 0: leave cpu_exec now. */
uint32_t icount_budget(void);
/* Extra cflags for cpu's next TB: a count of 1 after an MMIO cut. */
uint32_t icount_tb_cflags(LoomCPU *cpu);
/* n instructions retired (a TB ran to its end). */
void icount_charge(uint32_t n);
/* cpu leaves its TB through loom_cpu_loop_exit: charge the part that ran. */
void icount_loop_exit(LoomCPU *cpu);
/* Before an MMIO access from translated code (ldst.c): unless the
   instruction is the last of its TB, restart it as a TB of its own, so
   that device time and timer changes land on an exact instruction
   boundary.  May not return. */
void icount_io(LoomCPU *cpu);
/* Fire the timers whose deadline has come (takes the BQL). */
void icount_run_due_timers(void);
/* A vCPU's turn in the round robin starts / is over. */
void icount_turn_start(void);
bool icount_turn_over(void);
/* Every vCPU is idle: move time to the next deadline and fire its timers.
   False if no timer is armed. */
bool icount_warp(void);
bool icount_has_deadline(void);

/* ---- main-loop.c: the timer list under icount ---- */
/* The earliest armed deadline changed (BQL held): -1 = none. */
void icount_set_deadline(int64_t deadline_ns);
/* Fire due timers against the virtual clock (BQL held). */
void timers_run_due_locked(void);
/* Wake the round-robin thread if it sleeps with every vCPU idle (cpus.c). */
void cpus_icount_wake(void);

#endif /* LOOM_CORE_ICOUNT_H */
