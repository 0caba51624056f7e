/*
 * Logging (-d ITEMS, -D FILE) and the one-line error reporters.
 *
 * loom_log() keeps a per-thread line buffer and writes whole lines under
 * log_lock, so lines from different vCPU threads never interleave.
 *
 * -dfilter RANGES limits the per-TB items (in_asm, op, op_opt, out_asm,
 * exec, cpu) to TBs whose first guest pc is in one of the ranges.  The
 * core checks log_pc_wanted() before its own per-TB lines; a back-end's
 * out_asm lines come from inside gen_code, so the core mutes this thread
 * around gen_code for a TB outside the filter (log_mute) and loom_log()
 * drops what a muted thread writes.
 */
#include "config.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

uint32_t loom_log_mask;
static FILE *log_file;                  /* protected by log_lock */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread GString *log_line;      /* this thread's partial line */
static __thread bool log_muted;         /* drop this thread's lines */

/* -dfilter ranges, inclusive; set once before any vCPU thread starts */
typedef struct {
    uint64_t first, last;
} LogRange;
static GArray *log_filter;

static const struct {
    const char *name;
    uint32_t mask;
    const char *help;
} log_items[] = {
    { "in_asm", LOOM_LOG_IN_ASM, "guest instructions (address, encoding) of each TB translated" },
    { "op", LOOM_LOG_OP, "IR of each TB as the front-end built it" },
    { "op_opt", LOOM_LOG_OP_OPT, "IR of each TB after the core's optimiser (as the back-end gets it)" },
    { "out_asm", LOOM_LOG_OUT_ASM, "what the back-end generated for each TB" },
    { "exec", LOOM_LOG_EXEC, "each TB executed" },
    { "cpu", LOOM_LOG_CPU, "vCPU state before each TB (with exec)" },
    { "int", LOOM_LOG_INT, "interrupts and exceptions" },
    { "mmu", LOOM_LOG_MMU, "TLB fills and flushes" },
    { "unimp", LOOM_LOG_UNIMP, "unimplemented guest features" },
    { "guest_errors", LOOM_LOG_GUEST_ERROR, "invalid guest operations" },
    { "mttcg", LOOM_LOG_MTTCG, "thread-mode decision and its reasons" },
    { "plugin", LOOM_LOG_PLUGIN, "plugin search and loading" },
    { "jit", LOOM_LOG_JIT, "translation statistics at exit (TBs, host bytes per guest insn, per vCPU)" },
};

bool log_parse_items(const char *list, uint32_t *mask, char **err)
{
    gchar **items = g_strsplit(list, ",", -1);
    bool ok = true;

    *mask = 0;
    for (gchar **it = items; *it && ok; it++) {
        bool found = false;
        if (!strcmp(*it, "all")) {
            *mask = ~0u;
            continue;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(log_items); i++) {
            if (!strcmp(*it, log_items[i].name)) {
                *mask |= log_items[i].mask;
                found = true;
            }
        }
        if (!found) {
            *err = g_strdup_printf("-d: unknown log item '%s': try -d help", *it);
            ok = false;
        }
    }
    g_strfreev(items);
    return ok;
}

/* One range: START..END (inclusive), START+LEN or END-LEN (the LEN
   bytes that end at END, END included), numbers in C syntax. */
static bool parse_range(const char *spec, LogRange *r)
{
    const char *sep = strstr(spec, "..");
    char op = sep ? '.' : 0, *end;
    uint64_t a, b;

    if (!*spec) {               /* spec + 1 below would be past the end */
        return false;
    }
    if (!sep) {
        sep = strpbrk(spec + 1, "+-");
        if (!sep) {
            return false;
        }
        op = *sep;
    }
    errno = 0;
    a = g_ascii_strtoull(spec, &end, 0);
    if (end != sep || end == spec || errno) {
        return false;
    }
    spec = sep + (op == '.' ? 2 : 1);
    b = g_ascii_strtoull(spec, &end, 0);
    if (*end || end == spec || errno) {
        return false;
    }
    switch (op) {
    case '.':
        *r = (LogRange){ a, b };
        return a <= b;
    case '+':
        *r = (LogRange){ a, a + b - 1 };
        return b && a + b - 1 >= a;
    default:
        *r = (LogRange){ a - b + 1, a };
        return b && b - 1 <= a;
    }
}

bool log_set_filter(const char *list, char **err)
{
    gchar **items = g_strsplit(list, ",", -1);
    bool ok = true;

    if (!items[0]) {
        *err = g_strdup("-dfilter: no range: give START..END, START+LEN or END-LEN, "
                        "e.g. 0x80000000+0x1000");
        ok = false;
    }
    if (!log_filter) {
        log_filter = g_array_new(FALSE, FALSE, sizeof(LogRange));
    }
    for (gchar **it = items; *it && ok; it++) {
        LogRange r;
        if (!**it) {
            *err = g_strdup_printf("-dfilter %s: empty range (a stray comma): give "
                                   "RANGE[,RANGE...], e.g. 0x80000000+0x1000", list);
            ok = false;
        } else if (!parse_range(*it, &r)) {
            *err = g_strdup_printf("-dfilter: bad range '%s': give START..END, START+LEN "
                                   "or END-LEN, e.g. 0x80000000+0x1000", *it);
            ok = false;
        } else {
            g_array_append_val(log_filter, r);
        }
    }
    g_strfreev(items);
    return ok;
}

bool log_pc_wanted(uint64_t pc)
{
    if (!log_filter) {
        return true;
    }
    for (guint i = 0; i < log_filter->len; i++) {
        LogRange *r = &g_array_index(log_filter, LogRange, i);
        if (pc >= r->first && pc <= r->last) {
            return true;
        }
    }
    return false;
}

void log_mute(bool mute)
{
    log_muted = mute;
}

void log_print_help(FILE *f)
{
    fprintf(f, "Log items (comma separated, -d ITEM[,ITEM...]):\n");
    for (size_t i = 0; i < G_N_ELEMENTS(log_items); i++) {
        fprintf(f, "%-14s %s\n", log_items[i].name, log_items[i].help);
    }
    fprintf(f, "%-14s %s\n", "all", "every item above");
}

bool log_set_file(const char *path, char **err)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        *err = g_strdup_printf("-D %s: %s: give a writable file", path, g_strerror(errno));
        return false;
    }
    pthread_mutex_lock(&log_lock);
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    pthread_mutex_unlock(&log_lock);
    return true;
}

void log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_file) {
        fclose(log_file);
        log_file = NULL;
    }
    pthread_mutex_unlock(&log_lock);
}

void loom_log(const char *fmt, ...)
{
    va_list ap;
    char *nl;

    if (log_muted) {
        return;
    }
    if (!log_line) {
        log_line = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf(log_line, fmt, ap);
    va_end(ap);
    nl = strrchr(log_line->str, '\n');
    if (nl) {
        size_t n = (size_t)(nl - log_line->str) + 1;
        pthread_mutex_lock(&log_lock);
        fwrite(log_line->str, 1, n, log_file ? log_file : stderr);
        fflush(log_file ? log_file : stderr);
        pthread_mutex_unlock(&log_lock);
        g_string_erase(log_line, 0, (gssize)n);
    }
}

/*
 * Fatal errors leave with _exit after flushing: vCPU threads may still be
 * running, so exit()'s teardown (atexit handlers, destructors) is not safe
 * here.  The terminal is restored first.
 */
void loom_fatal(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs("loom: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    tty_restore();
    pthread_mutex_lock(&log_lock);
    if (log_file) {
        fflush(log_file);
    }
    pthread_mutex_unlock(&log_lock);
    _exit(1);
}

void loom_warn(const char *fmt, ...)
{
    va_list ap;

    fputs("loom: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
