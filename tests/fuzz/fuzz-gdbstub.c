/*
 * The gdbstub's packet parser and commands (core/gdbstub.c), on a
 * 2-hart virt machine whose vCPUs never run: the debugger's bytes go to
 * process_input as the stub's thread would pass them, with every vCPU
 * stopped.  gdbstub.c is compiled in here, its public names renamed so
 * that they do not clash with the core's copy, and register jobs run at
 * once on this thread instead of being queued to a vCPU thread.
 *
 * Input: if the first byte is odd, the rest is the raw byte stream;
 * else the rest is split at newlines, and each line is sent as one
 * packet with a correct checksum ($line#xx), so that the fuzzer gets
 * past the checksum.
 */
#include "config.h"
#include "fuzz-common.h"

/* the harness's copy of the stub */
#define gdbstub_enabled fuzz_gdbstub_enabled
#define gdbstub_cpu_paused fuzz_gdbstub_cpu_paused
#define gdbstub_cpu_stepping fuzz_gdbstub_cpu_stepping
#define gdbstub_bp_at fuzz_gdbstub_bp_at
#define gdbstub_page_watched fuzz_gdbstub_page_watched
#define gdbstub_watch_check fuzz_gdbstub_watch_check
#define gdbstub_cpu_debug fuzz_gdbstub_cpu_debug
#define gdbstub_init fuzz_gdbstub_init
#define gdbstub_exit fuzz_gdbstub_exit
#define async_run_on_cpu fuzz_run_now
void fuzz_run_now(LoomCPU *cpu, RunOnCPUFunc *fn, void *data);
#include "gdbstub.c"

/* Register jobs: run on this thread now (no vCPU thread runs). */
void fuzz_run_now(LoomCPU *cpu, RunOnCPUFunc *fn, void *data)
{
    fn(cpu, data);
}

static LoomMachine *m;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *err = NULL;

    m = fuzz_machine_new("virt", 2, 4u << 20, NULL);
    if (!gdbstub_init(m, NULL, true, &err)) {   /* -S: every vCPU stopped */
        g_error("fuzz: %s", err);
    }
    gs.in = g_string_new(NULL);
    return 0;
}

static void packet(GString *out, const uint8_t *body, size_t n)
{
    uint8_t sum = 0;

    g_string_append_c(out, '$');
    g_string_append_len(out, (const char *)body, (gssize)n);
    for (size_t i = 0; i < n; i++) {
        sum += body[i];
    }
    g_string_append_printf(out, "#%02x", sum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    /* a fresh connection to a stopped machine */
    g_string_truncate(gs.in, 0);
    if (data[0] & 1) {
        g_string_append_len(gs.in, (const char *)data + 1, (gssize)size - 1);
    } else {
        const uint8_t *p = data + 1, *end = data + size;
        while (p < end) {
            const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
            const uint8_t *stop = nl ? nl : end;
            /* a '#' in the body would end it early: leave such lines out */
            if (!memchr(p, '#', (size_t)(stop - p))) {
                packet(gs.in, p, (size_t)(stop - p));
            }
            p = nl ? nl + 1 : end;
        }
    }
    gs.client_fd = STDERR_FILENO + 100;     /* no such fd: replies go nowhere */
    gs.state = STOPPED;
    gs.connected = true;
    gs.report_pending = false;
    gs.quit = false;
    gs.g_cpu = gs.c_cpu = 0;
    gs.stop_watch_type = -1;
    gs.nb_bps = gs.nb_wps = 0;
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        gs.cpus[i].paused = 1;
        gs.cpus[i].step = STEP_NONE;
    }
    process_input();
    if (gs.report_pending) {
        send_stop_reply();
    }
    /* the TLB flushes that watchpoints queued, run as the vCPUs would */
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        cpu_process_work(m->cpus[i]);
    }
    m->shutdown_requested = 0;
    return 0;
}
