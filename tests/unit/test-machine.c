/*
 * Machine files: a good one builds; each kind of mistake is one line that
 * names the file, the line and the key.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

static char *fixture(const char *name)
{
    return g_strdup_printf("%s/tests/fixtures/machines/%s.machine", g_getenv("LOOM_SRCDIR"), name);
}

static LoomMachine *create(const char *name, unsigned smp, char **err)
{
    char *path = fixture(name);
    MachineOptions opt = { .machine = path, .smp = smp };
    LoomMachine *m = machine_create(&opt, err);

    g_free(path);
    return m;
}

static void expect_error(const char *name, const char *where, const char *needle)
{
    char *err = NULL;
    LoomMachine *m = create(name, 1, &err);
    char *loc = g_strdup_printf("%s.machine%s", name, where);

    g_assert_null(m);
    g_assert_nonnull(err);
    g_test_message("error: %s", err);
    g_assert_nonnull(strstr(err, needle));
    g_assert_nonnull(strstr(err, loc));
    g_assert_null(strchr(err, '\n'));
    g_free(loc);
    g_free(err);
}

static void test_good(void)
{
    char *err = NULL;
    LoomMachine *m = create("good", 2, &err);

    g_assert_null(err);
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "good");
    g_assert_cmpuint(m->ram_base, ==, 0x80000000u);
    g_assert_cmpuint(m->ram_size, ==, 16u << 20);
    g_assert_cmpuint(m->nb_cpus, ==, 2);
    g_assert_cmpuint(m->devices->len, ==, 1);
    g_assert_nonnull(as_find(&m->as, 0x100800));
    g_assert_null(as_find(&m->as, 0x101000));
    g_assert_nonnull(as_ram_ptr(&m->as, 0x80000000u + (16u << 20) - 8, 8));
    g_assert_null(as_ram_ptr(&m->as, 0x80000000u + (16u << 20) - 4, 8));
    machine_destroy(m);
}

static void test_too_many_cpus(void)
{
    char *err = NULL;

    g_assert_null(create("good", 5, &err));
    g_assert_cmpstr(err, ==, "-smp 5: machine good supports 1 to 4 CPUs");
    g_free(err);
    g_assert_null(create("good", 0, &err));
    g_assert_nonnull(strstr(err, "-smp 0"));
    g_free(err);
}

static void test_bad_group(void)
{
    expect_error("bad-group", ":6", "unknown group [devices test]");
}

static void test_unknown_type(void)
{
    expect_error("unknown-type", ":6", "no device plugin 'nosuchdevice'");
}

static void test_bad_address(void)
{
    expect_error("bad-address", ":8", "property reg='0x10zz00' is not valid");
}

static void test_unknown_key(void)
{
    expect_error("unknown-key", ":9", "has no property 'colour'");
}

static void test_overlap(void)
{
    expect_error("overlap", ":6", "overlaps ram");
}

static void test_bad_ram(void)
{
    expect_error("bad-ram", ":3", "ram-base 'lots' is not a number");
}

static void test_no_machine_group(void)
{
    expect_error("no-machine", "", "no [machine] group");
}

static void test_syntax(void)
{
    expect_error("syntax", "", "fix the machine file's syntax");
}

static void test_unknown_name(void)
{
    char *err = NULL;
    MachineOptions opt = { .machine = "nosuch", .smp = 1 };

    g_assert_null(machine_create(&opt, &err));
    g_assert_cmpstr(err, ==, "unknown machine 'nosuch': try -M help");
    g_free(err);
}

int main(int argc, char **argv)
{
    char *plugins;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("LOOM_BUILDDIR") || !g_getenv("LOOM_SRCDIR")) {
        g_printerr("run through make check (LOOM_BUILDDIR unset)\n");
        return 77;
    }
    plugins = g_build_filename(g_getenv("LOOM_BUILDDIR"), "plugins", NULL);
    plugin_path_init(plugins);
    g_free(plugins);
    clock_init();
    timers_init();
    g_test_add_func("/machine/good", test_good);
    g_test_add_func("/machine/too-many-cpus", test_too_many_cpus);
    g_test_add_func("/machine/bad-group", test_bad_group);
    g_test_add_func("/machine/unknown-type", test_unknown_type);
    g_test_add_func("/machine/bad-address", test_bad_address);
    g_test_add_func("/machine/unknown-key", test_unknown_key);
    g_test_add_func("/machine/overlap", test_overlap);
    g_test_add_func("/machine/bad-ram", test_bad_ram);
    g_test_add_func("/machine/no-machine-group", test_no_machine_group);
    g_test_add_func("/machine/syntax", test_syntax);
    g_test_add_func("/machine/unknown-name", test_unknown_name);
    return g_test_run();
}
