/*
 * The console's escape keys and the monitor, as QEMU users know them
 * from -nographic: Ctrl-A is the escape; Ctrl-A x quits, Ctrl-A h lists
 * the keys, Ctrl-A c switches the console between the guest's serial
 * port and a small monitor, Ctrl-A a sends a Ctrl-A to the guest.
 *
 * Threading: everything here runs on the I/O thread, without the BQL
 * (main-loop.c feeds stdin through mux_input after dropping it).  Monitor
 * commands that read vCPU state run inside an exclusive section, so every
 * vCPU is outside translated code and its state is whole; the I/O thread
 * may call start_exclusive because it holds no lock a vCPU could need to
 * get there.  The guest's output keeps going to stdout while the monitor
 * has the keyboard, as with QEMU's multiplexed console.
 */
#include "config.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define ESCAPE_CHAR 0x01                /* Ctrl-A */

/* I/O thread only */
static bool escape_seen;
static bool monitor_focus;
static GString *monitor_line;
static unsigned monitor_cpu;            /* the vCPU `info registers` shows */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

static void print_keys(void)
{
    say("\n"
        "C-a h    print this help\n"
        "C-a x    exit loom\n"
        "C-a c    switch between the console and the monitor\n"
        "C-a a    send C-a to the guest\n");
}

static void prompt(void)
{
    say("(loom) ");
}

/* ---- monitor commands ---- */

static void info_registers(LoomMachine *m)
{
    LoomCPU *cpu = m->cpus[monitor_cpu];

    if (!m->fe->dump_state) {
        say("the %s front-end cannot show its registers\n", m->frontend_plugin->desc->name);
        return;
    }
    start_exclusive();
    say("CPU#%u\n", cpu->cpu_index);
    m->fe->dump_state(cpu, stdout);
    end_exclusive();
    fflush(stdout);
}

static void info_cpus(LoomMachine *m)
{
    start_exclusive();
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        LoomCPU *cpu = m->cpus[i];
        uint64_t pc, flags, flags2;

        m->fe->get_tb_cpu_state(cpu, &pc, &flags, &flags2);
        say("%c CPU #%u: pc=0x%016" PRIx64 "%s\n", i == monitor_cpu ? '*' : ' ', i, pc,
            __atomic_load_n(&cpu->halted, __ATOMIC_ACQUIRE) ? " (halted)" : "");
    }
    end_exclusive();
}

static void info_mtree(LoomMachine *m)
{
    /* the address space is fixed once the machine is built */
    say("address-space: memory\n");
    for (unsigned i = 0; i < m->as.nb_regions; i++) {
        const MemRegion *r = m->as.regions[i];
        say("  %016" PRIx64 "-%016" PRIx64 " (%s): %s\n", r->base, r->base + r->size - 1,
            r->ram ? "ram" : "i/o", r->name);
    }
}

static void info_jit(LoomMachine *m)
{
    GString *out = g_string_new(NULL);

    /* the per-vCPU counters are the owners': read them with all stopped */
    start_exclusive();
    stats_format_jit(m, out);
    end_exclusive();
    say("%s", out->str);
    g_string_free(out, TRUE);
}

static const char monitor_help[] =
    "cont|c             resume the machine after stop (or -S)\n"
    "cpu N              select the vCPU `info registers` shows\n"
    "help|?             this list\n"
    "info cpus          each vCPU's pc and whether it is halted\n"
    "info jit           translation statistics (TBs, code buffer, flushes, exits)\n"
    "info mtree         the guest physical memory map\n"
    "info registers     the selected vCPU's registers\n"
    "info status        whether the machine runs or is stopped\n"
    "quit|q             exit loom\n"
    "stop               stop every vCPU and the guest's clock\n"
    "system_reset       reset the machine\n";

static void run_command(LoomMachine *m, const char *line)
{
    gchar **w = g_strsplit_set(line, " \t", -1);
    int n = 0;
    const char *cmd, *arg;

    /* drop the empty words that runs of blanks leave */
    for (int i = 0; w[i]; i++) {
        if (*w[i]) {
            gchar *t = w[n];
            w[n++] = w[i];
            w[i] = t;
        }
    }
    cmd = n > 0 ? w[0] : NULL;
    arg = n > 1 ? w[1] : NULL;
    if (!cmd) {
        /* an empty line: nothing to do */
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        say("%s", monitor_help);
    } else if (!strcmp(cmd, "info") && arg && !strcmp(arg, "registers")) {
        info_registers(m);
    } else if (!strcmp(cmd, "info") && arg && !strcmp(arg, "cpus")) {
        info_cpus(m);
    } else if (!strcmp(cmd, "info") && arg && !strcmp(arg, "mtree")) {
        info_mtree(m);
    } else if (!strcmp(cmd, "info") && arg && !strcmp(arg, "jit")) {
        info_jit(m);
    } else if (!strcmp(cmd, "info") && arg && !strcmp(arg, "status")) {
        say("VM status: %s\n", vm_running() ? "running" : "paused");
    } else if (!strcmp(cmd, "info")) {
        say("info%s%s: give info cpus, jit, mtree, registers or status\n", arg ? " " : "",
            arg ? arg : "");
    } else if (!strcmp(cmd, "stop")) {
        vm_stop(m);
    } else if (!strcmp(cmd, "cont") || !strcmp(cmd, "c")) {
        vm_start(m);
    } else if (!strcmp(cmd, "cpu") && arg) {
        char *end;
        guint64 v = g_ascii_strtoull(arg, &end, 10);
        if (*end || end == arg || v >= m->nb_cpus) {
            say("cpu %s: give a vCPU index from 0 to %u\n", arg, m->nb_cpus - 1);
        } else {
            monitor_cpu = (unsigned)v;
        }
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        loom_machine_shutdown(m, 0);
    } else if (!strcmp(cmd, "system_reset")) {
        loom_machine_reset_request(m);
    } else {
        say("unknown command '%s': try help\n", cmd);
    }
    g_strfreev(w);
}

/* One typed byte for the monitor: a small line editor (the terminal does
   not echo in raw mode, so the monitor does). */
static void monitor_key(LoomMachine *m, uint8_t c)
{
    if (c == '\r' || c == '\n') {
        char *line = g_strdup(monitor_line->str);
        say("\n");
        g_string_truncate(monitor_line, 0);
        run_command(m, line);
        g_free(line);
        prompt();
    } else if (c == 0x7f || c == '\b') {
        if (monitor_line->len) {
            g_string_truncate(monitor_line, monitor_line->len - 1);
            say("\b \b");
        }
    } else if (c >= 0x20 && c < 0x7f && monitor_line->len < 256) {
        g_string_append_c(monitor_line, (gchar)c);
        say("%c", c);
    }
}

/* Ctrl-A then c: the byte after the escape. */
static void escape_key(LoomMachine *m, uint8_t c, GByteArray *to_guest)
{
    switch (c) {
    case 'x':
        say("\nloom: terminated by C-a x\n");
        loom_machine_shutdown(m, 0);
        break;
    case 'h':
    case '?':
        print_keys();
        break;
    case 'c':
        monitor_focus = !monitor_focus;
        if (monitor_focus) {
            say("\nloom monitor: type help for the commands, C-a c to return to the console\n");
            prompt();
        } else {
            say("\n");
        }
        break;
    case ESCAPE_CHAR:
    case 'a':
        if (!monitor_focus) {
            g_byte_array_append(to_guest, &(uint8_t){ ESCAPE_CHAR }, 1);
        }
        break;
    default:
        /* unknown keys after the escape are dropped, as in QEMU */
        break;
    }
}

void mux_input(LoomMachine *m, const uint8_t *buf, size_t n, GByteArray *to_guest)
{
    if (!monitor_line) {
        monitor_line = g_string_new(NULL);
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t c = buf[i];

        if (escape_seen) {
            escape_seen = false;
            escape_key(m, c, to_guest);
        } else if (c == ESCAPE_CHAR) {
            escape_seen = true;
        } else if (monitor_focus) {
            monitor_key(m, c);
        } else {
            g_byte_array_append(to_guest, &c, 1);
        }
    }
}
