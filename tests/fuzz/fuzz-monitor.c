/*
 * The console's escape keys and the monitor's command parser
 * (core/monitor.c), on a 2-hart virt machine whose vCPUs never run: the
 * input is what the user types on stdin, fed to mux_input from a fresh
 * state (console focus, no escape pending, vCPU 0 selected) each time.
 * monitor.c is compiled in here (its one public name renamed) so that
 * the harness can reset that state.  Output goes to /dev/null.
 */
#include "config.h"
#include "fuzz-common.h"

#define mux_input fuzz_mux_input
void mux_input(LoomMachine *m, const uint8_t *buf, size_t n, GByteArray *to_guest);
#include "monitor.c"

static LoomMachine *m;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_quiet_stdout();
    m = fuzz_machine_new("virt", 2, 4u << 20, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GByteArray *to_guest = g_byte_array_new();

    escape_seen = false;
    monitor_focus = false;
    monitor_cpu = 0;
    if (monitor_line) {
        g_string_truncate(monitor_line, 0);
    }
    mux_input(m, data, size, to_guest);
    /* what the I/O loop would do next: drop the requests, run again */
    vm_start(m);
    m->shutdown_requested = 0;
    m->reset_requested = 0;
    g_byte_array_free(to_guest, TRUE);
    return 0;
}
