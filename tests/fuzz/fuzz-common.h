/*
 * What the fuzz harnesses share (tests/fuzz/README.md): a machine built
 * as main builds one, but with no vCPU thread, no console on stdio and
 * no images; and the entry points libFuzzer (or replay-main.c) calls.
 */
#ifndef LOOM_FUZZ_COMMON_H
#define LOOM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: the plugin path (the build tree), clocks, timers,
   the serial port on nothing, and a small code buffer. */
void fuzz_core_init(void);
/* Build machine `name` (machines/NAME.machine) with smp vCPUs, ram_size bytes of RAM
   (0: the machine's) and the -device strings in devices (NULL-ended, or
   NULL); exits with the message if that fails (a harness bug). */
LoomMachine *fuzz_machine_new(const char *name, unsigned smp, uint64_t ram_size,
                              const char *const *devices);
/* Reset every device, as a system reset does (no image reload). */
void fuzz_machine_reset_devices(LoomMachine *m);
/* A file holding data (a memfd: its /proc/self/fd path); rewritten by
   each call, the same path every time. */
const char *fuzz_data_file(const uint8_t *data, size_t size);
/* A fresh empty directory for this process, removed at exit. */
const char *fuzz_tmp_dir(void);
/* A file of size zero bytes in fuzz_tmp_dir(), added as -drive
   file=...,if=virtio (a virtio-blk in the next free slot); returns its
   path (g_free it).  Exits with the message if that fails. */
char *fuzz_virtio_disk_new(size_t size);
/* Send stdout to /dev/null (harnesses whose code under test prints). */
void fuzz_quiet_stdout(void);

#endif
