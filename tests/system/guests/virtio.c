/*
 * virtio.c - bare-metal guest: a minimal virtio-mmio (version 2) driver
 * that checks virtio-blk and virtio-rng from inside the guest.
 *
 * Expects (tests/system/virtio.sh sets it up):
 *   - 8 virtio-mmio slots at 0x10001000 + 0x1000*i, all with magic "virt"
 *     and version 2;
 *   - a writable virtio-blk on a 64-sector image, -drive id "disk0":
 *     sector i holds 512 bytes of value i, except that sector 5 starts
 *     with "LOOMDISK";
 *   - a read-only virtio-blk on an 8-sector image of 0xaa bytes;
 *   - a virtio-rng.
 * Writes sector 3 (bytes (i * 7 + 3) & 0xff); the script checks the host
 * file afterwards.  Exit status (sifive_test finisher): 0 = pass, else the
 * number of the failing check.  Interrupts are not used: completions are
 * polled in the used ring.
 */
#include <stdint.h>
#include <stddef.h>

#define UART0           0x10000000ul
#define FINISHER        0x100000ul
#define VIRTIO_BASE     0x10001000ul
#define VIRTIO_STRIDE   0x1000ul
#define VIRTIO_SLOTS    8

/* virtio-mmio registers */
#define R_MAGIC         0x000
#define R_VERSION       0x004
#define R_DEVICE_ID     0x008
#define R_DEV_FEAT      0x010
#define R_DEV_FEAT_SEL  0x014
#define R_DRV_FEAT      0x020
#define R_DRV_FEAT_SEL  0x024
#define R_QUEUE_SEL     0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM     0x038
#define R_QUEUE_READY   0x044
#define R_QUEUE_NOTIFY  0x050
#define R_ISR           0x060
#define R_ISR_ACK       0x064
#define R_STATUS        0x070
#define R_DESC_LO       0x080
#define R_DESC_HI       0x084
#define R_DRIVER_LO     0x090
#define R_DRIVER_HI     0x094
#define R_DEVICE_LO     0x0a0
#define R_DEVICE_HI     0x0a4
#define R_CONFIG        0x100

#define S_ACK           1
#define S_DRIVER        2
#define S_DRIVER_OK     4
#define S_FEATURES_OK   8
#define S_NEEDS_RESET   64

#define F_RO            5               /* virtio-blk */
#define F_FLUSH         9
#define F_INDIRECT      28
#define F_VERSION_1     32

#define D_NEXT          1
#define D_WRITE         2
#define D_INDIRECT      4

#define QSIZE           8

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; uint16_t avail_event; };

struct vq {
    struct desc desc[QSIZE] __attribute__((aligned(16)));
    struct avail avail __attribute__((aligned(2)));
    struct used used __attribute__((aligned(4)));
    struct desc table[4] __attribute__((aligned(16)));     /* indirect */
    uint16_t avail_idx, used_seen;
    uintptr_t base;
};

static struct vq blk_vq, ro_vq, rng_vq;
static int is_qemu;                     /* VendorID "QEMU": skip loom-only checks */

/* ---- freestanding helpers (gcc may call these) ---- */
void *memset(void *d, int c, size_t n)
{
    volatile uint8_t *p = d;
    while (n--) *p++ = (uint8_t)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    volatile uint8_t *p = d;
    const uint8_t *q = s;
    while (n--) *p++ = *q++;
    return d;
}

static inline uint32_t rd(uintptr_t base, unsigned off)
{
    return *(volatile uint32_t *)(base + off);
}

static inline void wr(uintptr_t base, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

static void putc_(char c)
{
    volatile uint8_t *u = (volatile uint8_t *)UART0;
    while (!(u[5] & 0x20)) {
    }
    u[0] = (uint8_t)c;
}

static void puts_(const char *s)
{
    while (*s) putc_(*s++);
}

static void puthex(uint64_t v)
{
    for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void __attribute__((noreturn)) finish(unsigned code)
{
    volatile uint32_t *f = (volatile uint32_t *)FINISHER;
    if (code) {
        puts_("virtio: FAIL check ");
        puthex(code);
        putc_('\n');
        *f = (code << 16) | 0x3333;
    } else {
        puts_("virtio: PASS\n");
        *f = 0x5555;
    }
    for (;;) {
    }
}

#define CHECK(n, cond) do { if (!(cond)) finish(n); } while (0)

/* ---- a tiny driver ---- */

/* Handshake up to FEATURES_OK with `want` (subset of the offer); returns
   the status read back after FEATURES_OK. */
static uint32_t negotiate(uintptr_t base, uint64_t want, uint64_t *offered)
{
    uint64_t f;

    wr(base, R_STATUS, 0);
    wr(base, R_STATUS, S_ACK);
    wr(base, R_STATUS, S_ACK | S_DRIVER);
    wr(base, R_DEV_FEAT_SEL, 0);
    f = rd(base, R_DEV_FEAT);
    wr(base, R_DEV_FEAT_SEL, 1);
    f |= (uint64_t)rd(base, R_DEV_FEAT) << 32;
    if (offered) *offered = f;
    wr(base, R_DRV_FEAT_SEL, 0);
    wr(base, R_DRV_FEAT, (uint32_t)want);
    wr(base, R_DRV_FEAT_SEL, 1);
    wr(base, R_DRV_FEAT, (uint32_t)(want >> 32));
    wr(base, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    return rd(base, R_STATUS);
}

static void queue_setup(struct vq *q, uintptr_t base)
{
    memset(q, 0, sizeof(*q));
    q->base = base;
    wr(base, R_QUEUE_SEL, 0);
    wr(base, R_QUEUE_NUM, QSIZE);
    wr(base, R_DESC_LO, (uint32_t)(uintptr_t)q->desc);
    wr(base, R_DESC_HI, (uint32_t)((uint64_t)(uintptr_t)q->desc >> 32));
    wr(base, R_DRIVER_LO, (uint32_t)(uintptr_t)&q->avail);
    wr(base, R_DRIVER_HI, (uint32_t)((uint64_t)(uintptr_t)&q->avail >> 32));
    wr(base, R_DEVICE_LO, (uint32_t)(uintptr_t)&q->used);
    wr(base, R_DEVICE_HI, (uint32_t)((uint64_t)(uintptr_t)&q->used >> 32));
    wr(base, R_QUEUE_READY, 1);
}

/* Publish head, notify, wait (at most `spins` polls) for the used entry;
   returns its length, -1 on timeout, -2 for a wrong id. */
static long submit_wait(struct vq *q, uint16_t head, long spins)
{
    q->avail.ring[q->avail_idx % QSIZE] = head;
    __sync_synchronize();               /* ring entry before the index */
    q->avail_idx++;
    *(volatile uint16_t *)&q->avail.idx = q->avail_idx;
    __sync_synchronize();               /* index before the notify */
    wr(q->base, R_QUEUE_NOTIFY, 0);
    for (long spin = 0; spin < spins; spin++) {
        if (*(volatile uint16_t *)&q->used.idx != q->used_seen) {
            __sync_synchronize();       /* index before the element */
            struct used_elem e = q->used.ring[q->used_seen % QSIZE];
            q->used_seen++;
            if (e.id != head) return -2;
            return (long)e.len;
        }
    }
    return -1;
}

static long submit(struct vq *q, uint16_t head)
{
    return submit_wait(q, head, 50000000);
}

/* For a request the device must refuse: wait a little only. */
static long submit_broken(struct vq *q, uint16_t head)
{
    return submit_wait(q, head, 100000);
}

static void set_desc(struct desc *d, void *addr, uint32_t len, uint16_t flags, uint16_t next)
{
    d->addr = (uint64_t)(uintptr_t)addr;
    d->len = len;
    d->flags = flags;
    d->next = next;
}

struct blk_hdr { uint32_t type, reserved; uint64_t sector; };
static struct blk_hdr hdr;
static volatile uint8_t status;
static uint8_t buf[2048] __attribute__((aligned(16)));

/* A block request: header, optional data (len bytes of buf, split in two
   descriptors when `split`), status.  Returns the status byte, or a
   value >= 0x100 if the used entry was wrong (0x1xx: length). */
static unsigned blk_req(struct vq *q, uint32_t type, uint64_t sector, uint32_t len,
                        int indirect, int split)
{
    struct desc *t = indirect ? q->table : q->desc;
    int n = 0, writes = (type == 0 || type == 8);
    uint16_t dflags = writes ? D_WRITE : 0;
    long got;
    uint32_t expect_len;

    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status = 0xee;
    set_desc(&t[n], &hdr, sizeof(hdr), D_NEXT, (uint16_t)(n + 1)); n++;
    if (len && split) {
        set_desc(&t[n], buf, len / 2, dflags | D_NEXT, (uint16_t)(n + 1)); n++;
        set_desc(&t[n], buf + len / 2, len - len / 2, dflags | D_NEXT, (uint16_t)(n + 1)); n++;
    } else if (len) {
        set_desc(&t[n], buf, len, dflags | D_NEXT, (uint16_t)(n + 1)); n++;
    }
    set_desc(&t[n], (void *)&status, 1, D_WRITE, 0); n++;
    if (indirect) {
        set_desc(&q->desc[0], q->table, (uint32_t)(n * sizeof(struct desc)), D_INDIRECT, 0);
    }
    got = submit(q, 0);
    if (got < 0) return 0x200;
    expect_len = 1 + (writes ? len : 0);
    if ((uint32_t)got != expect_len) return 0x100;
    return status;
}

/* Bring a device up to DRIVER_OK with one queue. */
static void dev_up(struct vq *q, uintptr_t base, uint64_t want, unsigned check)
{
    uint32_t st = negotiate(base, want, NULL);
    CHECK(check, st & S_FEATURES_OK);
    CHECK(check + 1, rd(base, R_QUEUE_NUM_MAX) >= QSIZE);
    queue_setup(q, base);
    CHECK(check + 2, rd(base, R_QUEUE_READY) == 1);
    wr(base, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

static void test_blk(uintptr_t base)
{
    uint64_t offered;
    unsigned st;

    /* legacy drivers (no VERSION_1) are refused at FEATURES_OK (the spec
       allows it; QEMU 7.2 accepts them) */
    CHECK(10, (negotiate(base, 0, &offered) & S_FEATURES_OK) == 0 || is_qemu);
    CHECK(11, (offered >> F_VERSION_1) & 1);
    CHECK(12, (offered >> F_INDIRECT) & 1);
    CHECK(13, (offered >> F_FLUSH) & 1);
    CHECK(14, !((offered >> F_RO) & 1));
    dev_up(&blk_vq, base, (1ull << F_VERSION_1) | (1ull << F_INDIRECT) | (1ull << F_FLUSH), 15);
    /* capacity (le64 at config 0) as two 32-bit reads */
    CHECK(18, rd(base, R_CONFIG) == 64 && rd(base, R_CONFIG + 4) == 0);
    /* 8-bit config read of the capacity's low byte */
    CHECK(19, *(volatile uint8_t *)(base + R_CONFIG) == 64);

    /* read sector 5: "LOOMDISK" then 5s */
    st = blk_req(&blk_vq, 0, 5, 512, 0, 0);
    CHECK(20, st == 0);
    CHECK(21, buf[0] == 'L' && buf[1] == 'O' && buf[7] == 'K' && buf[8] == 5 && buf[511] == 5);
    /* two sectors through an indirect table, data split in two */
    st = blk_req(&blk_vq, 0, 20, 1024, 1, 1);
    CHECK(22, st == 0);
    CHECK(23, buf[0] == 20 && buf[511] == 20 && buf[512] == 21 && buf[1023] == 21);
    /* the interrupt status says a buffer was used; ACK clears it */
    CHECK(24, rd(base, R_ISR) & 1);
    wr(base, R_ISR_ACK, rd(base, R_ISR));
    CHECK(25, rd(base, R_ISR) == 0);

    /* write sector 3, flush, read it back */
    for (int i = 0; i < 512; i++) buf[i] = (uint8_t)(i * 7 + 3);
    CHECK(26, blk_req(&blk_vq, 1, 3, 512, 0, 1) == 0);
    CHECK(27, blk_req(&blk_vq, 4, 0, 0, 0, 0) == 0);
    memset(buf, 0, 512);
    CHECK(28, blk_req(&blk_vq, 0, 3, 512, 1, 0) == 0);
    for (int i = 0; i < 512; i++) CHECK(29, buf[i] == (uint8_t)(i * 7 + 3));
    /* sector 4 untouched */
    CHECK(30, blk_req(&blk_vq, 0, 4, 512, 0, 0) == 0 && buf[0] == 4 && buf[511] == 4);

    /* beyond the end: IOERR (1) */
    CHECK(31, blk_req(&blk_vq, 0, 64, 512, 0, 0) == 1);
    CHECK(32, blk_req(&blk_vq, 0, 63, 1024, 0, 0) == 1);
    CHECK(33, blk_req(&blk_vq, 1, 64, 512, 0, 0) == 1);
    CHECK(34, blk_req(&blk_vq, 0, 63, 512, 0, 0) == 0 && buf[0] == 63);
    /* GET_ID: the -drive id, NUL-padded to 20 bytes */
    memset(buf, 0xff, 20);
    CHECK(35, blk_req(&blk_vq, 8, 0, 20, 0, 0) == 0);
    CHECK(36, buf[0] == 'd' && buf[4] == '0');
    /* the spec's NUL padding (QEMU 7.2 writes the string only) */
    CHECK(38, (buf[5] == 0 && buf[19] == 0) || is_qemu);
    /* unknown request type: UNSUPP (2) */
    CHECK(37, blk_req(&blk_vq, 99, 0, 0, 0, 0) == 2);
}

static void test_blk_ro(uintptr_t base)
{
    uint64_t offered;

    negotiate(base, 0, &offered);
    CHECK(40, (offered >> F_RO) & 1);
    dev_up(&ro_vq, base, (1ull << F_VERSION_1) | (1ull << F_RO), 41);
    CHECK(44, rd(base, R_CONFIG) == 8);
    CHECK(45, blk_req(&ro_vq, 0, 7, 512, 0, 0) == 0 && buf[0] == 0xaa && buf[511] == 0xaa);
    CHECK(46, blk_req(&ro_vq, 1, 0, 512, 0, 0) == 1);      /* write: IOERR */
}

static uint8_t rnd[2][64];


static void test_rng(uintptr_t base)
{
    int nonzero = 0, differ = 0;

    dev_up(&rng_vq, base, (1ull << F_VERSION_1), 50);
    for (int r = 0; r < 2; r++) {
        set_desc(&rng_vq.desc[1], rnd[r], sizeof(rnd[r]), D_WRITE, 0);
        CHECK(53, submit(&rng_vq, 1) == 64);
    }
    for (int i = 0; i < 64; i++) {
        nonzero |= rnd[0][i];
        differ |= rnd[0][i] != rnd[1][i];
    }
    CHECK(54, nonzero);
    CHECK(55, differ);

    /* a looping chain is a broken ring: DEVICE_NEEDS_RESET, no crash */
    set_desc(&rng_vq.desc[2], rnd[0], 8, D_WRITE | D_NEXT, 3);
    set_desc(&rng_vq.desc[3], rnd[1], 8, D_WRITE | D_NEXT, 2);
    CHECK(56, submit_broken(&rng_vq, 2) == -1);
    CHECK(57, rd(base, R_STATUS) & S_NEEDS_RESET);
    /* reset, then the device works again; a head beyond the queue size
       breaks it too */
    wr(base, R_STATUS, 0);
    CHECK(58, rd(base, R_STATUS) == 0);
    dev_up(&rng_vq, base, (1ull << F_VERSION_1), 50);
    set_desc(&rng_vq.desc[1], rnd[0], 16, D_WRITE, 0);
    CHECK(59, submit(&rng_vq, 1) == 16);
    CHECK(60, submit_broken(&rng_vq, 100) == -1);
    CHECK(61, rd(base, R_STATUS) & S_NEEDS_RESET);
    wr(base, R_STATUS, 0);
}

void __attribute__((noreturn)) vmain(void)
{
    uintptr_t blk = 0, ro = 0, rng = 0;

    for (unsigned i = 0; i < VIRTIO_SLOTS; i++) {
        uintptr_t base = VIRTIO_BASE + i * VIRTIO_STRIDE;
        CHECK(1, rd(base, R_MAGIC) == 0x74726976);
        CHECK(2, rd(base, R_VERSION) == 2);
        is_qemu = rd(base, 0x00c) == 0x554d4551;
        switch (rd(base, R_DEVICE_ID)) {
        case 0:
            break;
        case 2: {
            uint64_t offered;
            negotiate(base, 0, &offered);
            wr(base, R_STATUS, 0);
            if ((offered >> F_RO) & 1) {
                CHECK(3, !ro);
                ro = base;
            } else {
                CHECK(4, !blk);
                blk = base;
            }
            break;
        }
        case 4:
            CHECK(5, !rng);
            rng = base;
            break;
        default:
            CHECK(6, 0);
        }
    }
    CHECK(7, blk && ro && rng);
    test_blk(blk);
    test_blk_ro(ro);
    test_rng(rng);
    finish(0);
}

/* hart 0 runs the test; any other hart parks */
__attribute__((naked, section(".text.init"))) void _start(void)
{
    __asm__ volatile(
        "csrr t0, mhartid\n"
        "1: bnez t0, 1b\n"
        "la sp, stack_top\n"
        "j vmain\n");
}

static uint8_t stack[16384] __attribute__((aligned(16), used));
__asm__(".globl stack_top\n.set stack_top, stack + 16384\n");
