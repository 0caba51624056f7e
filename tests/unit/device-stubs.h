/*
 * device-stubs.h - the core's device API (include/loom/device.h) as a
 * test double, for unit tests that link one device plugin's source: the
 * device is created on a fake machine whose properties, vCPU count,
 * virtual clock, interrupt lines, console and interface registry the
 * test sets and reads.  Single-threaded: the "BQL" is the test itself.
 */
#ifndef DEVICE_STUBS_H
#define DEVICE_STUBS_H

#include <glib.h>
#include <loom/plugin.h>
#include <loom/device.h>

/* Forget everything (properties, lines, timers, regions, interfaces,
   console); clock 0, nb_cpus cpus. */
void stub_reset(unsigned nb_cpus);
/* A property's text, as a machine file would give it (name=value). */
void stub_set_prop(const char *name, const char *value);

/* The device under test (the linked plugin's descriptor): create and
   realize with the properties set; NULL with the error in *err. */
void *stub_device_new(char **err);
const LoomDeviceOps *stub_device_ops(void);
void stub_device_reset(void *state);
void stub_device_free(void *state);

/* MMIO region i (in map order) as vCPU cpu accesses it. */
uint64_t stub_read(unsigned region, uint64_t offset, unsigned size, unsigned cpu);
void stub_write(unsigned region, uint64_t offset, uint64_t value, unsigned size,
                unsigned cpu);
unsigned stub_nb_regions(void);
uint64_t stub_region_base(unsigned region);
uint64_t stub_region_size(unsigned region);

/* Lines the device looked up (its outputs): current level, and how many
   times it was set; -1 if the device never looked the line up. */
int stub_line_level(const char *name);
int stub_line_sets(const char *name);
/* Drive the device's own input line n (loom_device_irq_inputs). */
void stub_input(int n, int level);
int stub_nb_inputs(void);

/* The virtual clock: move it to ns, running due timers in deadline
   order (each at its deadline). */
void stub_clock_set(int64_t ns);
int64_t stub_clock(void);
/* Timers armed now, and the earliest deadline (-1 if none). */
int stub_timers_armed(void);
int64_t stub_next_deadline(void);

/* The console: what the device wrote, and input typed at it (delivered
   while the device can take it; the rest waits for accept_input and
   stub_console_deliver). */
const GString *stub_console_output(void);
void stub_console_type(const char *text);
void stub_console_deliver(void);
unsigned stub_console_waiting(void);

/* An interface the device published, or NULL. */
const void *stub_interface(const char *name, void **opaque);

/* The device tree the device's fdt_node adds to an empty tree with a
   /soc (g_free it); NULL with *err set if the hook failed.  Its device
   phandle is 0x10; loom_fdt_set_irq writes interrupt-parent = <0x20>
   and interrupts = <n> for a line "DEV.n". */
void *stub_fdt(void *state, char **err);

#endif /* DEVICE_STUBS_H */
