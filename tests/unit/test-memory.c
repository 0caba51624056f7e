/*
 * The physical address space as devices and page-table walkers see it
 * (core/memory.c): physical loads and stores of every size and byte
 * order, device byte order, transaction attributes, and what a load or
 * store does to a page holding translated code.
 */
#include "config.h"
#include <string.h>
#include "ir-harness.h"

#define DEV_BASE 0x40000u       /* below ALIAS_MASK: vaddr == paddr */
#define DEV_SIZE 0x1000u
#define NOTHING 0x90000u        /* neither RAM nor a device */

/* A register file: offset 0 holds a 64-bit register, reads of any size
   return its low bytes; the last access is recorded. */
typedef struct TestDev {
    uint64_t reg;
    uint64_t last_ofs, last_val;
    unsigned last_size, accesses;
    LoomMemAttrs last_attrs;
} TestDev;

static uint64_t dev_read(void *opaque, uint64_t ofs, unsigned size, LoomMemAttrs attrs)
{
    TestDev *d = opaque;

    d->accesses++;
    d->last_ofs = ofs;
    d->last_size = size;
    d->last_attrs = attrs;
    return d->reg;
}

static void dev_write(void *opaque, uint64_t ofs, uint64_t val, unsigned size,
                      LoomMemAttrs attrs)
{
    TestDev *d = opaque;

    d->accesses++;
    d->last_ofs = ofs;
    d->last_val = val;
    d->last_size = size;
    d->last_attrs = attrs;
}

static const LoomMMIOOps le_ops = {
    .read = dev_read, .write = dev_write, .endianness = LOOM_ENDIAN_LITTLE,
};
static const LoomMMIOOps be_ops = {
    .read = dev_read, .write = dev_write, .endianness = LOOM_ENDIAN_BIG,
};
static const LoomMMIOOps guest_ops = {
    .read = dev_read, .write = dev_write, .endianness = LOOM_ENDIAN_GUEST,
};

static TestDev le_dev, be_dev, guest_le_dev, guest_be_dev;
#define LE_DEV DEV_BASE
#define BE_DEV (DEV_BASE + DEV_SIZE)
#define GUEST_LE_DEV (DEV_BASE + 2 * DEV_SIZE)
#define GUEST_BE_DEV (DEV_BASE + 3 * DEV_SIZE)

static uint8_t *ram(uint64_t paddr)
{
    return as_ram_ptr(&mach.as, paddr, 1);
}

/* Every size in both byte orders lands on the bytes the order says. */
static void test_phys_ram(void)
{
    static const uint8_t q[8] = { 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01 };
    uint64_t v;

    g_assert_true(loom_phys_stq_le(&mach, RAM_BASE, 0x0102030405060708ull));
    g_assert_cmpmem(ram(RAM_BASE), 8, q, 8);
    g_assert_true(loom_phys_ldq_le(&mach, RAM_BASE, &v));
    g_assert_cmphex(v, ==, 0x0102030405060708ull);
    g_assert_true(loom_phys_ldq_be(&mach, RAM_BASE, &v));
    g_assert_cmphex(v, ==, 0x0807060504030201ull);
    g_assert_true(loom_phys_ldl_le(&mach, RAM_BASE + 4, &v));
    g_assert_cmphex(v, ==, 0x01020304);
    g_assert_true(loom_phys_ldl_be(&mach, RAM_BASE + 4, &v));
    g_assert_cmphex(v, ==, 0x04030201);
    g_assert_true(loom_phys_lduw_le(&mach, RAM_BASE + 2, &v));
    g_assert_cmphex(v, ==, 0x0506);
    g_assert_true(loom_phys_lduw_be(&mach, RAM_BASE + 2, &v));
    g_assert_cmphex(v, ==, 0x0605);
    g_assert_true(loom_phys_ldub(&mach, RAM_BASE + 7, &v));
    g_assert_cmphex(v, ==, 0x01);
    /* sign extension, and a misaligned load inside RAM */
    g_assert_true(loom_phys_ld(&mach, RAM_BASE, LOOM_MEM_SB, NULL, &v));
    g_assert_cmphex(v, ==, 0x08);
    ram(RAM_BASE)[1] = 0x80;
    g_assert_true(loom_phys_ld(&mach, RAM_BASE, LOOM_MEM_SW, NULL, &v));
    g_assert_cmphex(v, ==, 0xffffffffffff8008ull);
    g_assert_true(loom_phys_ldl_le(&mach, RAM_BASE + 1, &v));
    g_assert_cmphex(v, ==, 0x04050680);       /* bytes 80 06 05 04 */
    g_assert_false(loom_phys_ld(&mach, RAM_BASE + 1, LOOM_MEM_UL | LOOM_MEM_ALIGN, NULL, &v));

    g_assert_true(loom_phys_stq_be(&mach, RAM_BASE + 8, 0x0807060504030201ull));
    g_assert_cmpmem(ram(RAM_BASE + 8), 8, q, 8);
    g_assert_true(loom_phys_stl_le(&mach, RAM_BASE + 16, 0xaabbccdd));
    g_assert_true(loom_phys_stl_be(&mach, RAM_BASE + 20, 0xaabbccdd));
    g_assert_true(loom_phys_stw_le(&mach, RAM_BASE + 24, 0x1122));
    g_assert_true(loom_phys_stw_be(&mach, RAM_BASE + 26, 0x1122));
    g_assert_true(loom_phys_stb(&mach, RAM_BASE + 28, 0x1ff));     /* low byte only */
    g_assert_true(loom_phys_stl_le(&mach, RAM_BASE + 29, 0x44332211));     /* misaligned */
    {
        static const uint8_t want[] = { 0xdd, 0xcc, 0xbb, 0xaa, 0xaa, 0xbb, 0xcc, 0xdd,
                                        0x22, 0x11, 0x11, 0x22, 0xff, 0x11, 0x22, 0x33,
                                        0x44 };
        g_assert_cmpmem(ram(RAM_BASE + 16), sizeof(want), want, sizeof(want));
    }
}

/* Nothing behind the address, or not behind every byte: false, and
   nothing read or written. */
static void test_phys_nothing(void)
{
    uint64_t v = 0x5a5a;

    g_assert_false(loom_phys_ldq_le(&mach, NOTHING, &v));
    g_assert_false(loom_phys_ldub(&mach, NOTHING, &v));
    g_assert_cmphex(v, ==, 0x5a5a);
    g_assert_false(loom_phys_stq_le(&mach, NOTHING, 1));
    memset(ram(RAM_BASE + RAM_SIZE - 4), 0x77, 4);
    g_assert_false(loom_phys_ldq_le(&mach, RAM_BASE + RAM_SIZE - 4, &v));
    g_assert_false(loom_phys_stq_le(&mach, RAM_BASE + RAM_SIZE - 4, 0));
    g_assert_cmphex(*(uint32_t *)(void *)ram(RAM_BASE + RAM_SIZE - 4), ==, 0x77777777);
    g_assert_cmphex(v, ==, 0x5a5a);
    /* a misaligned device access is refused before the device sees it */
    le_dev.accesses = 0;
    g_assert_false(loom_phys_ldl_le(&mach, LE_DEV + 2, &v));
    g_assert_cmpuint(le_dev.accesses, ==, 0);
}

/* A vCPU's access reaches the device non-secure with the vCPU's index;
   a physical access with the attributes it names, or the core's. */
static void test_attrs(void)
{
    LoomCPU *cpu = harness_cpu_new();
    LoomMemAttrs dma = { .requester = LOOM_REQ_DMA, .requester_id = 7, .secure = 1 };
    uint64_t v;

    cpu->cpu_index = 3;
    le_dev.reg = 0x1234;
    memset(&le_dev.last_attrs, 0xff, sizeof(le_dev.last_attrs));
    g_assert_cmphex(loom_ld(cpu, LE_DEV + 8, LOOM_MEM_UL, 0, 0), ==, 0x1234);
    g_assert_cmphex(le_dev.last_ofs, ==, 8);
    g_assert_cmpuint(le_dev.last_attrs.requester, ==, LOOM_REQ_CPU);
    g_assert_cmpuint(le_dev.last_attrs.requester_id, ==, 3);
    g_assert_cmpuint(le_dev.last_attrs.secure, ==, 0);

    cpu->cpu_index = 5;
    memset(&le_dev.last_attrs, 0xff, sizeof(le_dev.last_attrs));
    loom_st(cpu, LE_DEV + 16, 0x99, LOOM_MEM_UQ, 0, 0);
    g_assert_cmphex(le_dev.last_val, ==, 0x99);
    g_assert_cmpuint(le_dev.last_attrs.requester, ==, LOOM_REQ_CPU);
    g_assert_cmpuint(le_dev.last_attrs.requester_id, ==, 5);

    g_assert_true(loom_phys_ld(&mach, LE_DEV, LOOM_MEM_UL, &dma, &v));
    g_assert_cmphex(v, ==, 0x1234);
    g_assert_cmpuint(le_dev.last_attrs.requester, ==, LOOM_REQ_DMA);
    g_assert_cmpuint(le_dev.last_attrs.requester_id, ==, 7);
    g_assert_cmpuint(le_dev.last_attrs.secure, ==, 1);
    g_assert_true(loom_phys_stw_le(&mach, LE_DEV, 0xbeef));
    g_assert_cmphex(le_dev.last_val, ==, 0xbeef);
    g_assert_cmpuint(le_dev.last_size, ==, 2);
    g_assert_cmpuint(le_dev.last_attrs.requester, ==, LOOM_REQ_CORE);
    g_assert_cmpuint(le_dev.last_attrs.secure, ==, 0);
    harness_cpu_free(cpu);
}

/* A big-endian device's register 0x11223344 is the bytes 11 22 33 44:
   a little-endian 32-bit load sees 0x44332211, a big-endian one the
   register's value; stores likewise. */
static void test_endianness(void)
{
    LoomCPU *cpu = harness_cpu_new();

    le_dev.reg = be_dev.reg = guest_le_dev.reg = guest_be_dev.reg = 0x11223344;
    g_assert_cmphex(loom_ld(cpu, LE_DEV, LOOM_MEM_UL, 0, 0), ==, 0x11223344);
    g_assert_cmphex(loom_ld(cpu, BE_DEV, LOOM_MEM_UL, 0, 0), ==, 0x44332211);
    g_assert_cmphex(loom_ld(cpu, BE_DEV, LOOM_MEM_UL | LOOM_MEM_BE, 0, 0), ==, 0x11223344);
    g_assert_cmphex(loom_ld(cpu, LE_DEV, LOOM_MEM_UL | LOOM_MEM_BE, 0, 0), ==, 0x44332211);
    /* a 16-bit access swaps 16 bits; a byte is a byte */
    be_dev.reg = 0xaabb;
    g_assert_cmphex(loom_ld(cpu, BE_DEV, LOOM_MEM_UW, 0, 0), ==, 0xbbaa);
    g_assert_cmphex(loom_ld(cpu, BE_DEV, LOOM_MEM_UB, 0, 0), ==, 0xbb);

    loom_st(cpu, BE_DEV + 4, 0x44332211, LOOM_MEM_UL, 0, 0);
    g_assert_cmphex(be_dev.last_val, ==, 0x11223344);
    loom_st(cpu, BE_DEV + 8, 0x0102030405060708ull, LOOM_MEM_UQ, 0, 0);
    g_assert_cmphex(be_dev.last_val, ==, 0x0807060504030201ull);
    loom_st(cpu, LE_DEV + 4, 0x44332211, LOOM_MEM_UL, 0, 0);
    g_assert_cmphex(le_dev.last_val, ==, 0x44332211);

    /* the guest's order: mapped while the guest was little-endian, then
       big-endian */
    g_assert_cmphex(loom_ld(cpu, GUEST_LE_DEV, LOOM_MEM_UL, 0, 0), ==, 0x11223344);
    g_assert_cmphex(loom_ld(cpu, GUEST_BE_DEV, LOOM_MEM_UL, 0, 0), ==, 0x44332211);
    g_assert_cmphex(loom_ld(cpu, GUEST_BE_DEV, LOOM_MEM_UL | LOOM_MEM_BE, 0, 0), ==,
                    0x11223344);
    harness_cpu_free(cpu);
}

/* A device declaring a byte order the core does not know is refused
   with the fix named. */
static void test_bad_endianness(void)
{
    static const LoomMMIOOps bad_ops = { .read = dev_read, .endianness = 7 };
    AddressSpace as = { 0 };
    char *err = NULL;

    g_assert_null(as_add_mmio(&as, "odd", 0x1000, 0x100, &bad_ops, NULL, false, &err));
    g_assert_cmpstr(err, ==, "odd: its MMIO ops declare byte order 7: use LOOM_ENDIAN_LITTLE, "
                    "LOOM_ENDIAN_BIG or LOOM_ENDIAN_GUEST");
    g_free(err);
    as_destroy(&as);
}

/* On a page holding translated code, a physical load (a page-table walk
   reading a PTE) leaves the translations alone; a store invalidates. */
static void test_code_page(void)
{
    LoomCPU *cpu = harness_cpu_new();
    uint64_t page = RAM_BASE + 0x3000, before, v;

    tb_page_protect(cpu, page);
    g_assert_true(tb_page_is_code(as_find(&mach.as, page), page));
    before = tb_page_snapshot();
    for (unsigned i = 0; i < 64; i++) {
        g_assert_true(loom_phys_ldq_le(&mach, page + 8 * i, &v));
    }
    g_assert_cmpuint(tb_page_snapshot(), ==, before);
    g_assert_true(loom_phys_stq_le(&mach, page + 8, 1));
    g_assert_cmpuint(tb_page_snapshot(), >, before);
    tb_page_flush_all();
    harness_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    char *err = NULL;

    g_test_init(&argc, &argv, NULL);
    if (!harness_init("backend-interp.so")) {
        return 77;
    }
    g_assert_nonnull(as_add_mmio(&mach.as, "le", LE_DEV, DEV_SIZE, &le_ops, &le_dev, false,
                                 &err));
    g_assert_nonnull(as_add_mmio(&mach.as, "be", BE_DEV, DEV_SIZE, &be_ops, &be_dev, false,
                                 &err));
    g_assert_nonnull(as_add_mmio(&mach.as, "guest-le", GUEST_LE_DEV, DEV_SIZE, &guest_ops,
                                 &guest_le_dev, false, &err));
    guest_big_endian = true;
    g_assert_nonnull(as_add_mmio(&mach.as, "guest-be", GUEST_BE_DEV, DEV_SIZE, &guest_ops,
                                 &guest_be_dev, false, &err));
    guest_big_endian = false;
    g_test_add_func("/memory/phys/ram", test_phys_ram);
    g_test_add_func("/memory/phys/nothing", test_phys_nothing);
    g_test_add_func("/memory/phys/code-page", test_code_page);
    g_test_add_func("/memory/mmio/attrs", test_attrs);
    g_test_add_func("/memory/mmio/endianness", test_endianness);
    g_test_add_func("/memory/mmio/bad-endianness", test_bad_endianness);
    return g_test_run();
}
