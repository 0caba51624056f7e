/*
 * Interface "timebase" (loom_interface_lookup, include/loom/device.h):
 * the machine's wall-clock counter as a timer device keeps it, for a
 * front-end's time counter (a RISC-V time CSR, an Arm generic timer's
 * count) to read the value the device's registers show.
 */
#ifndef LOOM_TIMEBASE_H
#define LOOM_TIMEBASE_H

#include <loom/device.h>

#define LOOM_TIMEBASE_IFACE "timebase"
#define LOOM_TIMEBASE_VERSION LOOM_IFACE_VERSION(1, 0)

typedef struct LoomTimebaseIface {
    /* The counter now.  Any thread, without the BQL. */
    uint64_t (*ticks)(void *opaque);
    /* Ticks per second; fixed once the device exists. */
    uint64_t (*frequency)(void *opaque);
} LoomTimebaseIface;

#endif /* LOOM_TIMEBASE_H */
