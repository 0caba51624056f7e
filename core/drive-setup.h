/*
 * The core's side of drives (drive.c): -drive parsing and slot placement.
 * Setup-time only (main thread, before vCPU threads start).
 */
#ifndef LOOM_CORE_DRIVE_SETUP_H
#define LOOM_CORE_DRIVE_SETUP_H

#include "internal.h"

/* Parse one -drive option and open its image; false with *err set. */
bool drive_add(const char *arg, char **err);
/* After the machine file's devices and -device options are listed, before
   any is created: give virtio-mmio slots to -device virtio-* options and
   to -drive if=virtio drives (turning the slot into a virtio-blk). */
bool drive_fill_slots(LoomMachine *m, char **err);
/* Close every drive (at exit). */
void drive_close_all(void);

#endif /* LOOM_CORE_DRIVE_SETUP_H */
