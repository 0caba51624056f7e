/*
 * The GDB remote-protocol stub (core/gdbstub.c): what the rest of the
 * core calls.  Every hook is behind gdbstub_enabled, which is false
 * unless -s/-gdb/-S was given, so a run without a debugger pays one
 * predictable branch at each place.
 */
#ifndef LOOM_CORE_GDBSTUB_H
#define LOOM_CORE_GDBSTUB_H

#include "internal.h"

/* Set once by gdbstub_init, before any vCPU thread starts. */
extern bool gdbstub_enabled;

/* main: listen on spec ("tcp::PORT", NULL for none) and, with
   start_stopped (-S), hold every vCPU stopped until a debugger resumes
   it.  Before cpus_start.  False with *err set (one sentence). */
bool gdbstub_init(LoomMachine *m, const char *spec, bool start_stopped, char **err);
/* main, after main_loop_run: tell the debugger the guest exited with
   status (a W packet), close the connection and end the stub's thread.
   Before cpus_stop. */
void gdbstub_exit(int status);

/* cpu-exec.c, cpus.c (any thread): the debugger holds cpu stopped. */
bool gdbstub_cpu_paused(LoomCPU *cpu);
/* cpu-exec.c (owner): cpu single-steps: run one-insn TBs and leave
   cpu_exec with LOOM_EXCP_DEBUG after one insn. */
bool gdbstub_cpu_stepping(LoomCPU *cpu);
/* cpus.c (owner, outside cpu_exec_start/end, no lock held): cpu_exec
   returned LOOM_EXCP_DEBUG: report the stop and stop every vCPU. */
void gdbstub_cpu_debug(LoomCPU *cpu);
/* translate.c (owner, translating): is there a breakpoint at pc? */
bool gdbstub_bp_at(uint64_t pc);
/* cputlb.c (owner, filling a TLB entry): does a watchpoint of the
   access kind (LOAD or STORE) overlap the page [vpage, vpage+size)? */
bool gdbstub_page_watched(uint64_t vpage, uint64_t size, int access);
/* ldst.c (owner, slow path of an access to a watched page): if
   [addr, addr+size) hits a watchpoint, leave the TB before the access
   (it does not return then) and stop with pc at the insn. */
void gdbstub_watch_check(LoomCPU *cpu, uint64_t addr, unsigned size, int access,
                         uintptr_t ra);

#endif /* LOOM_CORE_GDBSTUB_H */
