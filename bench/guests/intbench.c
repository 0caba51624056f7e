/*
 * intbench.c - a CPU-bound bare-metal benchmark for loom and QEMU.
 *
 * Four integer kernels, each run ITERATIONS times on hart 0, in the spirit
 * of the classic embedded benchmarks (written here from scratch):
 *
 *   list    pointer chasing: walk a shuffled singly linked list, reverse
 *           it in place, and move one node to the front;
 *   matrix  NxN int32 matrix multiply, the result fed back into an input;
 *   state   a switch-driven scanner that classifies comma/space separated
 *           tokens (integer, decimal, exponent, hex, invalid) in a buffer
 *           that changes a little on every pass;
 *   crc     bitwise CRC-32 (reflected polynomial 0xEDB88320) of a buffer.
 *
 * Every kernel's result is folded into one CRC-32 checksum, printed on the
 * UART with the mtime ticks (10 MHz) each kernel took:
 *
 *     intbench: list ticks=1234567
 *     ...
 *     intbench: checksum 0x89abcdef iterations 1000
 *
 * The checksum depends only on ITERATIONS, so two emulators (or two
 * back-ends) that disagree on it compute something wrongly; bench/run
 * checks that.  The run ends through the sifive_test finisher with
 * "pass".  Build-time knobs: -DITERATIONS=N (default 1000).
 */
#include "guest.h"

#ifndef ITERATIONS
#define ITERATIONS 1000
#endif

/* ---- shared helpers ---- */

/* xorshift32: a cheap reproducible source of test data. */
static uint32_t rng_state = 0x2545f491u;

static uint32_t rng_next(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* Bitwise CRC-32, reflected, one byte at a time: also the crc kernel. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, uint32_t len)
{
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
    }
    return ~crc;
}

static uint32_t fold(uint32_t crc, uint32_t value)
{
    uint8_t b[4] = {
        (uint8_t)value, (uint8_t)(value >> 8),
        (uint8_t)(value >> 16), (uint8_t)(value >> 24),
    };
    return crc32_update(crc, b, 4);
}

/* ---- list: pointer chasing ---- */

#define LIST_NODES 4000

typedef struct Node {
    struct Node *next;
    uint32_t key;
    int32_t value;
} Node;

static Node nodes[LIST_NODES];
static Node *list_head;

static void list_init(void)
{
    static uint16_t order[LIST_NODES];

    for (uint32_t i = 0; i < LIST_NODES; i++) {
        order[i] = (uint16_t)i;
        nodes[i].key = i;
        nodes[i].value = (int32_t)(rng_next() & 0xffff) - 0x8000;
    }
    /* link the nodes in a shuffled order so the walk jumps around memory */
    for (uint32_t i = LIST_NODES - 1; i > 0; i--) {
        uint32_t j = rng_next() % (i + 1);
        uint16_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i + 1 < LIST_NODES; i++) {
        nodes[order[i]].next = &nodes[order[i + 1]];
    }
    nodes[order[LIST_NODES - 1]].next = 0;
    list_head = &nodes[order[0]];
}

static uint32_t list_pass(uint32_t iter)
{
    uint32_t sum = 0, pos = 0;
    Node *prev = 0, *n, *next;

    /* walk: a position-weighted sum of the values */
    for (n = list_head; n; n = n->next) {
        sum += (uint32_t)n->value * (pos++ | 1) + n->key;
    }
    /* reverse in place */
    for (n = list_head; n; n = next) {
        next = n->next;
        n->next = prev;
        prev = n;
    }
    list_head = prev;
    /* move the node with key (iter * 97) % LIST_NODES to the front */
    uint32_t want = (iter * 97u) % LIST_NODES;
    prev = 0;
    for (n = list_head; n && n->key != want; n = n->next) {
        prev = n;
    }
    if (n && prev) {
        prev->next = n->next;
        n->next = list_head;
        list_head = n;
        n->value = -n->value;
    }
    return sum;
}

/* ---- matrix: integer multiply ---- */

#define MAT_N 40

static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static void matrix_init(void)
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            mat_a[i][j] = (int32_t)(rng_next() % 201) - 100;
            mat_b[i][j] = (int32_t)(rng_next() % 201) - 100;
        }
    }
}

static uint32_t matrix_pass(uint32_t iter)
{
    uint32_t sum = 0;

    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t acc = 0;
            for (int k = 0; k < MAT_N; k++) {
                acc += mat_a[i][k] * mat_b[k][j];
            }
            mat_c[i][j] = acc;
            sum += (uint32_t)acc ^ (uint32_t)(i * MAT_N + j);
        }
    }
    /* feed the product back, kept small so it never overflows */
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            mat_b[i][j] = (mat_c[i][j] >> 8) % 101 + (int32_t)(iter & 7);
        }
    }
    return sum;
}

/* ---- state: a token scanner ---- */

#define STATE_LEN 8192

static const char state_alphabet[] = "0123456789+-.eExabcdef, ";
static char state_buf[STATE_LEN];

enum ScanState {
    S_START, S_SIGN, S_INT, S_DOT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPINT,
    S_ZERO, S_HEXX, S_HEX, S_BAD
};

enum TokenKind { T_INT, T_DEC, T_EXP, T_HEX, T_BAD, T_KINDS };

static void state_init(void)
{
    for (uint32_t i = 0; i < STATE_LEN; i++) {
        state_buf[i] = state_alphabet[rng_next() % (sizeof(state_alphabet) - 1)];
    }
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

/* The kind of token a scan that stopped in state s has read. */
static enum TokenKind token_kind(enum ScanState s)
{
    switch (s) {
    case S_INT: case S_ZERO: return T_INT;
    case S_FRAC: return T_DEC;
    case S_EXPINT: return T_EXP;
    case S_HEX: return T_HEX;
    default: return T_BAD;
    }
}

static uint32_t state_pass(uint32_t iter)
{
    uint32_t count[T_KINDS] = { 0 };
    uint32_t transitions = 0;
    enum ScanState s = S_START;

    /* change a few characters so no two passes read the same input */
    for (uint32_t k = 0; k < 4; k++) {
        uint32_t at = (iter * 2654435761u + k * 40503u) % STATE_LEN;
        state_buf[at] = state_alphabet[(iter + k) % (sizeof(state_alphabet) - 1)];
    }
    for (uint32_t i = 0; i <= STATE_LEN; i++) {
        char c = i < STATE_LEN ? state_buf[i] : ' ';
        enum ScanState next;

        if (c == ',' || c == ' ') {
            if (s != S_START) {
                count[token_kind(s)]++;
            }
            s = S_START;
            continue;
        }
        switch (s) {
        case S_START:
            next = c == '0' ? S_ZERO : is_digit(c) ? S_INT :
                   (c == '+' || c == '-') ? S_SIGN : c == '.' ? S_DOT : S_BAD;
            break;
        case S_SIGN:
            next = is_digit(c) ? S_INT : c == '.' ? S_DOT : S_BAD;
            break;
        case S_ZERO:
            next = c == 'x' ? S_HEXX : is_digit(c) ? S_INT : c == '.' ? S_FRAC :
                   (c == 'e' || c == 'E') ? S_EXP : S_BAD;
            break;
        case S_INT:
            next = is_digit(c) ? S_INT : c == '.' ? S_FRAC :
                   (c == 'e' || c == 'E') ? S_EXP : S_BAD;
            break;
        case S_DOT:
            next = is_digit(c) ? S_FRAC : S_BAD;
            break;
        case S_FRAC:
            next = is_digit(c) ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP : S_BAD;
            break;
        case S_EXP:
            next = is_digit(c) ? S_EXPINT : (c == '+' || c == '-') ? S_EXPSIGN : S_BAD;
            break;
        case S_EXPSIGN:
        case S_EXPINT:
            next = is_digit(c) ? S_EXPINT : S_BAD;
            break;
        case S_HEXX:
        case S_HEX:
            next = is_hex(c) ? S_HEX : S_BAD;
            break;
        default:
            next = S_BAD;
            break;
        }
        transitions += next != s;
        s = next;
    }
    uint32_t r = transitions;
    for (int k = 0; k < T_KINDS; k++) {
        r = r * 31u + count[k];
    }
    return r;
}

/* ---- crc ---- */

#define CRC_LEN 2048

static uint8_t crc_buf[CRC_LEN];

static void crc_init(void)
{
    for (uint32_t i = 0; i < CRC_LEN; i++) {
        crc_buf[i] = (uint8_t)rng_next();
    }
}

static uint32_t crc_pass(uint32_t iter)
{
    crc_buf[iter % CRC_LEN] ^= (uint8_t)iter;
    return crc32_update(0, crc_buf, CRC_LEN);
}

/* ---- driver ---- */

typedef struct Kernel {
    const char *name;
    void (*init)(void);
    uint32_t (*pass)(uint32_t iter);
} Kernel;

static const Kernel kernels[] = {
    { "list", list_init, list_pass },
    { "matrix", matrix_init, matrix_pass },
    { "state", state_init, state_pass },
    { "crc", crc_init, crc_pass },
};

/* smp-start.S starts every hart here: the benchmark runs on hart 0, the
   others return and sleep. */
void bench_hart_main(unsigned long hartid)
{
    uint32_t checksum = 0;

    if (hartid != 0) {
        return;
    }

    for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        kernels[k].init();
    }
    for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        uint64_t t0 = mtime();
        for (uint32_t it = 0; it < ITERATIONS; it++) {
            checksum = fold(checksum, kernels[k].pass(it));
        }
        uint64_t t1 = mtime();
        put_str("intbench: ");
        put_str(kernels[k].name);
        put_str(" ticks=");
        put_dec(t1 - t0);
        put_char('\n');
    }
    put_str("intbench: checksum ");
    put_hex32(checksum);
    put_str(" iterations ");
    put_dec(ITERATIONS);
    put_char('\n');
    finish(0);
}
