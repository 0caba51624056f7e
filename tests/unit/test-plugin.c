/*
 * The plugin loader: a good plugin loads; each broken descriptor is
 * refused with a sentence that names the problem.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

static char *fixture(const char *name)
{
    return g_strdup_printf("%s/tests/fixtures/device-%s.so", g_getenv("LOOM_BUILDDIR"), name);
}

static void expect_refusal(const char *name, LoomPluginKind kind, const char *needle)
{
    char *path = fixture(name), *err = NULL;
    LoomPlugin *p = plugin_load_file(path, kind, &err);

    g_assert_null(p);
    g_assert_nonnull(err);
    if (!strstr(err, needle)) {
        g_test_message("error was: %s", err);
    }
    g_assert_nonnull(strstr(err, needle));
    g_assert_null(strchr(err, '\n'));   /* one line */
    g_free(err);
    g_free(path);
}

static void test_good(void)
{
    char *path = fixture("good"), *err = NULL;
    LoomPlugin *p = plugin_load_file(path, LOOM_PLUGIN_DEVICE, &err);

    g_assert_null(err);
    g_assert_nonnull(p);
    g_assert_cmpstr(p->desc->name, ==, "fixture");
    g_assert_cmpuint(p->desc->abi_major, ==, LOOM_ABI_MAJOR);
    /* loading the same file again gives the same plugin */
    g_assert_true(plugin_load_file(path, LOOM_PLUGIN_DEVICE, &err) == p);
    g_free(path);
}

static void test_bad_major(void)
{
    char *want = g_strdup_printf("built for ABI %d.0, this loom provides %d.%d",
                                 LOOM_ABI_MAJOR + 1, LOOM_ABI_MAJOR, LOOM_ABI_MINOR);
    expect_refusal("badmajor", LOOM_PLUGIN_DEVICE, want);
    g_free(want);
}

static void test_new_minor(void)
{
    char *want = g_strdup_printf("built for ABI %d.%d, this loom provides %d.%d",
                                 LOOM_ABI_MAJOR, LOOM_ABI_MINOR + 1, LOOM_ABI_MAJOR, LOOM_ABI_MINOR);
    expect_refusal("newminor", LOOM_PLUGIN_DEVICE, want);
    g_free(want);
}

static void test_no_descriptor(void)
{
    expect_refusal("nodesc", LOOM_PLUGIN_DEVICE, "exports no loom_plugin_descriptor");
}

static void test_wrong_kind(void)
{
    expect_refusal("wrongkind", LOOM_PLUGIN_DEVICE,
                   "is a backend plugin where a device plugin was expected");
}

static void test_null_field(void)
{
    expect_refusal("nullname", LOOM_PLUGIN_DEVICE, "descriptor field 'name' is NULL");
}

static void test_null_hook(void)
{
    expect_refusal("nullcreate", LOOM_PLUGIN_DEVICE, "required device hook or field 'create'");
}

static void test_not_found(void)
{
    char *err = NULL;

    plugin_path_init(NULL);
    g_assert_null(plugin_load(LOOM_PLUGIN_DEVICE, "no-such-device", &err));
    g_assert_nonnull(strstr(err, "no device plugin 'no-such-device'"));
    g_free(err);
}

static void test_not_a_shared_object(void)
{
    char *err = NULL;
    char *path = g_strdup_printf("%s/Makefile.am", g_getenv("LOOM_SRCDIR"));

    g_assert_null(plugin_load_file(path, LOOM_PLUGIN_DEVICE, &err));
    g_assert_nonnull(strstr(err, "cannot load plugin Makefile.am"));
    g_free(err);
    g_free(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("LOOM_BUILDDIR") || !g_getenv("LOOM_SRCDIR")) {
        g_test_skip("run through make check (LOOM_BUILDDIR unset)");
    }
    g_test_add_func("/plugin/good", test_good);
    g_test_add_func("/plugin/bad-major", test_bad_major);
    g_test_add_func("/plugin/new-minor", test_new_minor);
    g_test_add_func("/plugin/no-descriptor", test_no_descriptor);
    g_test_add_func("/plugin/wrong-kind", test_wrong_kind);
    g_test_add_func("/plugin/null-field", test_null_field);
    g_test_add_func("/plugin/null-hook", test_null_hook);
    g_test_add_func("/plugin/not-found", test_not_found);
    g_test_add_func("/plugin/not-a-shared-object", test_not_a_shared_object);
    return g_test_run();
}
