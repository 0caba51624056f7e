/*
 * htif.c - the Berkeley host-target interface as the spike machine has
 * it: the program talks to the host through two 64-bit words in its own
 * RAM, found by the ELF symbols `tohost` and `fromhost`.
 *
 * A request written to tohost is
 *   bits 63..56  device, bits 55..48  command, bits 47..0  payload
 * and the host clears tohost once it has taken the request; a command
 * that answers writes fromhost first (same device and command, the
 * answer in the payload).  Served here:
 *   device 0 command 0, payload bit 0 = 1: exit.  payload >> 1 is the
 *       status: 0 = pass, n = test n failed.  loom exits with it, codes
 *       above 255 as 255 so that a failure never reads as a pass from an
 *       8-bit process exit status.  tohost is left as written.
 *   device 0 command 0, payload bit 0 = 0: a system call; the payload is
 *       the address of eight 64-bit words: number, then arguments.  Only
 *       write (64) to fd 1 or 2 is served (the bytes go to the console,
 *       word 0 becomes the count); any other call gets -ENOSYS (-38) in
 *       word 0 and a -d guest_errors line.  Answer: fromhost = 1.
 *   device 1 command 1: console output of the payload's low byte.
 *       Answer: 0x100 | byte.
 * Anything else, console input (device 1 command 0) included since it is
 * not modelled, is logged under -d guest_errors and cleared unanswered.
 *
 * tohost lives in RAM, which the softmmu does not watch, so the device
 * polls it: a timer on the virtual clock reads it every poll-us
 * microseconds (100 by default) with loom_dma_rw; naturally aligned
 * 8-byte transfers are single accesses, so a half-written request is
 * never seen.  The symbols are resolved at the first tick: images are
 * loaded after devices are realized (and reloaded by a reset, which
 * resolves them again).  A program without tohost ends the run with one
 * error line and exit status 1 instead of hanging.
 *
 * Locking: the timer callback and reset run on the I/O thread with the
 * BQL held, which protects every field; create/destroy run at setup.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include <loom/plugin.h>
#include <loom/device.h>

#define HTIF_EXIT_MAX       255
#define HTIF_SYS_WRITE      64
#define HTIF_ENOSYS         38
#define HTIF_EFAULT         14
#define HTIF_PAYLOAD_MASK   ((UINT64_C(1) << 48) - 1)
#define HTIF_WRITE_CHUNK    4096

typedef struct Htif {
    LoomDevice *dev;
    LoomMachine *machine;
    LoomChardev *chr;           /* NULL: console output is dropped */
    LoomTimer *timer;
    int64_t poll_ns;
    bool resolved;              /* tohost/fromhost looked up since reset */
    bool have_fromhost;
    bool done;                  /* exit requested or fatal: stop polling */
    uint64_t tohost, fromhost;  /* guest-physical addresses */
} Htif;

static void htif_guest_error(Htif *s, const char *what, uint64_t value)
{
    if (loom_log_enabled(LOOM_LOG_GUEST_ERROR))
        loom_log("%s: %s: tohost 0x%016" G_GINT64_MODIFIER "x\n",
                 loom_device_name(s->dev), what, value);
}

/* One error line and exit status 1: the program cannot talk to us. */
static void htif_fatal(Htif *s, const char *msg)
{
    fflush(stdout);
    fprintf(stderr, "loom: %s: %s\n", loom_device_name(s->dev), msg);
    fflush(stderr);
    s->done = true;
    loom_machine_shutdown(s->machine, 1);
}

static bool htif_resolve(Htif *s)
{
    uint64_t v;

    if (!loom_machine_symbol(s->machine, "tohost", &s->tohost)) {
        htif_fatal(s, "the program has no 'tohost' symbol: link it with 8-byte "
                   "tohost/fromhost words (riscv-tests convention), or run it on "
                   "-M virt");
        return false;
    }
    if ((s->tohost & 7) || !loom_dma_rw(s->machine, s->tohost, &v, 8, false)) {
        char *msg = g_strdup_printf("'tohost' at 0x%" G_GINT64_MODIFIER "x is not "
                                    "an 8-byte aligned word in RAM: align it to 8 "
                                    "and link it into RAM", s->tohost);
        htif_fatal(s, msg);
        g_free(msg);
        return false;
    }
    s->have_fromhost = loom_machine_symbol(s->machine, "fromhost", &s->fromhost) &&
                       !(s->fromhost & 7) &&
                       loom_dma_rw(s->machine, s->fromhost, &v, 8, false);
    s->resolved = true;
    return true;
}

static void htif_answer(Htif *s, uint64_t value)
{
    if (!s->have_fromhost) {
        htif_guest_error(s, "no 8-byte aligned 'fromhost' word in RAM: answer dropped",
                         value);
        return;
    }
    loom_dma_rw(s->machine, s->fromhost, &value, 8, true);
}

static void htif_putc(Htif *s, uint8_t c)
{
    if (s->chr)
        loom_chr_write(s->chr, &c, 1);
}

/* Device 0, payload bit 0 clear: the system call at guest address mem.
   Returns the value for word 0. */
static int64_t htif_syscall(Htif *s, uint64_t mem, uint64_t request)
{
    uint64_t w[4];
    uint8_t buf[HTIF_WRITE_CHUNK];

    if (!loom_dma_rw(s->machine, mem, w, sizeof(w), false)) {
        htif_guest_error(s, "system call block not in RAM", request);
        return -HTIF_ENOSYS;
    }
    if (w[0] != HTIF_SYS_WRITE || (w[1] != 1 && w[1] != 2)) {
        htif_guest_error(s, "system call not supported (only write to fd 1 or 2)",
                         request);
        return -HTIF_ENOSYS;
    }
    for (uint64_t done = 0; done < w[3];) {
        size_t n = (size_t)MIN(w[3] - done, (uint64_t)sizeof(buf));
        if (!loom_dma_rw(s->machine, w[2] + done, buf, n, false)) {
            htif_guest_error(s, "write: buffer not in RAM", request);
            return done ? (int64_t)done : -HTIF_EFAULT;
        }
        if (s->chr)
            loom_chr_write(s->chr, buf, n);
        done += n;
    }
    return (int64_t)w[3];
}

/* Serve one request; false when the machine is shutting down. */
static bool htif_handle(Htif *s, uint64_t req)
{
    unsigned device = (unsigned)(req >> 56), cmd = (unsigned)(req >> 48) & 0xff;
    uint64_t payload = req & HTIF_PAYLOAD_MASK, zero = 0;

    if (device == 0 && cmd == 0 && (payload & 1)) {
        uint64_t code = payload >> 1;
        s->done = true;
        loom_machine_shutdown(s->machine, (int)MIN(code, (uint64_t)HTIF_EXIT_MAX));
        return false;
    }
    if (device == 0 && cmd == 0) {
        int64_t ret = htif_syscall(s, payload, req);
        uint64_t r = (uint64_t)ret;
        loom_dma_rw(s->machine, payload, &r, 8, true);
        htif_answer(s, 1);
    } else if (device == 1 && cmd == 1) {
        htif_putc(s, (uint8_t)payload);
        htif_answer(s, (req & ~HTIF_PAYLOAD_MASK) | 0x100 | (payload & 0xff));
    } else {
        htif_guest_error(s, "request not supported, ignored", req);
    }
    /* after the answer: a program waiting for tohost == 0 then sees it */
    loom_dma_rw(s->machine, s->tohost, &zero, 8, true);
    return true;
}

static void htif_tick(void *opaque)
{
    Htif *s = opaque;
    uint64_t req = 0;

    if (s->done || (!s->resolved && !htif_resolve(s)))
        return;
    if (loom_dma_rw(s->machine, s->tohost, &req, 8, false) && req != 0 &&
        !htif_handle(s, req))
        return;
    loom_timer_mod(s->timer, loom_clock_ns() + s->poll_ns);
}

static const LoomPropInfo htif_props[] = {
    { "poll-us", LOOM_PROP_U64, "100",
      "how often tohost is read, in microseconds of the virtual clock (1..1000000)" },
    { NULL, 0, NULL, NULL },
};

static const char *const htif_compatible[] = { "ucb,htif0", NULL };

static void *htif_create(LoomDevice *dev, char **err)
{
    uint64_t poll_us = loom_device_prop_u64(dev, "poll-us");
    Htif *s;

    if (poll_us == 0 || poll_us > 1000000) {
        *err = g_strdup_printf("poll-us=%" G_GINT64_MODIFIER "u is out of range: "
                               "give 1 to 1000000", poll_us);
        return NULL;
    }
    s = g_new0(Htif, 1);
    s->dev = dev;
    s->machine = loom_device_machine(dev);
    s->poll_ns = (int64_t)poll_us * 1000;
    s->chr = loom_device_chardev(dev);
    s->timer = loom_timer_new(s->machine, htif_tick, s);
    loom_timer_mod(s->timer, 0);        /* first tick once the machine runs */
    return s;
}

/* A system reset reloads the images: look the symbols up again. */
static void htif_reset(void *opaque)
{
    Htif *s = opaque;

    s->resolved = false;
    s->done = false;
    loom_timer_mod(s->timer, 0);
}

static void htif_destroy(void *opaque)
{
    Htif *s = opaque;

    loom_timer_free(s->timer);
    g_free(s);
}

/* /htif { compatible = "ucb,htif0"; } at the root, as spike's tree has */
static bool htif_fdt_node(void *opaque G_GNUC_UNUSED, LoomDevice *dev G_GNUC_UNUSED,
                          LoomFdt *fdt, char **err)
{
    void *blob = loom_fdt_blob(fdt);
    int node = fdt_add_subnode(blob, 0, "htif");
    int rc = node < 0 ? node : fdt_setprop_string(blob, node, "compatible",
                                                  htif_compatible[0]);

    if (rc) {
        *err = g_strdup_printf("htif: %s", fdt_strerror(rc));
        return false;
    }
    return true;
}

static const LoomDeviceOps htif_ops = {
    .compatible = htif_compatible,
    .props = htif_props,
    .lockless_mmio = false,
    .create = htif_create,
    .reset = htif_reset,
    .destroy = htif_destroy,
    .fdt_node = htif_fdt_node,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_DEVICE, "htif", "1.0", "MIT",
                   "Berkeley HTIF (spike): exit, console and write() through "
                   "the program's tohost/fromhost words", &htif_ops);
