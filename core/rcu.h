/*
 * Grace periods for lock-free readers: a small epoch scheme.
 *
 * A reader brackets its accesses to shared, RCU-protected memory with
 * rcu_read_lock()/rcu_read_unlock().  A writer that has unlinked memory
 * (made it unreachable from the shared roots) calls rcu_synchronize(),
 * which returns only once every read section that could still hold a
 * pointer into that memory has ended; the memory may then be freed.
 *
 * Threads register themselves on their first rcu_read_lock and leave the
 * registry when they exit, so callers need no per-thread setup.
 *
 * Rules for callers:
 *  - Read sections are short and never block: no lock that a writer may
 *    hold across rcu_synchronize(), no sleeping.  They may nest.
 *  - rcu_synchronize() is never called inside a read section (it would
 *    wait for itself); it may sleep.
 *  - A pointer obtained in a read section is not used after it ends.
 */
#ifndef LOOM_CORE_RCU_H
#define LOOM_CORE_RCU_H

#include <stdbool.h>

void rcu_read_lock(void);
void rcu_read_unlock(void);
/* True when the calling thread is inside a read section (for asserts). */
bool rcu_read_held(void);
/* Wait until every read section that began before this call has ended. */
void rcu_synchronize(void);
/* No-wait sections: while a thread holds a spin lock (others spin on it,
   readers among them), it must not wait for a grace period: that would
   keep them spinning that long, or for ever if one of them is a reader.
   Spin-lock owners bracket the lock with these; rcu_synchronize()
   asserts it is called outside any.  They nest; owner thread only. */
void rcu_nowait_begin(void);
void rcu_nowait_end(void);

#endif
