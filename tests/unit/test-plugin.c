/*
 * The plugin loader: a good plugin loads; each broken descriptor is
 * refused with a sentence that names the problem.
 */
#include "config.h"
#include <string.h>
#include "internal.h"
#include "paths.h"

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

/* A back-end fixture (tests/fixtures/backend-fixture.c) refused with needle. */
static void expect_backend_refusal(const char *file, const char *needle)
{
    char *path = g_strdup_printf("%s/tests/fixtures/%s", g_getenv("LOOM_BUILDDIR"), file);
    char *err = NULL;

    g_assert_null(plugin_load_file(path, LOOM_PLUGIN_BACKEND, &err));
    g_assert_nonnull(err);
    if (!strstr(err, needle)) {
        g_test_message("error was: %s", err);
    }
    g_assert_nonnull(strstr(err, needle));
    g_assert_null(strchr(err, '\n'));
    g_free(err);
    g_free(path);
}

static void test_backend_host(void)
{
    char *want = g_strdup_printf("plugin backend-foreign.so generates code for a nonesuch host, "
                                 "this loom runs on %s: use a back-end for this host "
                                 "(-accel help lists them)", LOOM_HOST_ARCH);
    expect_backend_refusal("backends-a/backend-foreign.so", want);
    expect_backend_refusal("backends-b/backend-noarch.so",
                           "required backend hook or field 'host_arch' is missing");
    g_free(want);
}

/* The default back-end with --plugin-path cmdline and $LOOM_PLUGIN_PATH
   env (fixture directories), from a fresh start. */
static const char *default_with(const char *cmdline, const char *env)
{
    const char *b = g_getenv("LOOM_BUILDDIR");
    char *c = cmdline ? g_strdup_printf("%s/tests/fixtures/%s", b, cmdline) : NULL;
    char *e = env ? g_strdup_printf("%s/tests/fixtures/%s", b, env) : NULL;
    const char *name;

    plugin_unload_all();
    if (e) {
        g_setenv("LOOM_PLUGIN_PATH", e, TRUE);
    } else {
        g_unsetenv("LOOM_PLUGIN_PATH");
    }
    plugin_path_init(c);
    name = plugin_default_backend();
    g_unsetenv("LOOM_PLUGIN_PATH");
    g_free(c);
    g_free(e);
    return name;
}

/* Does the installed plugin directory (last in the path) hold back-ends? */
static bool installed_backends(void)
{
    GDir *dir = g_dir_open(loom_installed_plugin_dir(), 0, NULL);
    const char *ent;
    bool any = false;

    while (dir && (ent = g_dir_read_name(dir))) {
        any |= g_str_has_prefix(ent, "backend-");
    }
    if (dir) {
        g_dir_close(dir);
    }
    return any;
}

static void test_default_backend(void)
{
    /* this host's back-end wins over one for any host sorting before it
       in the same directory, and over one in an earlier directory;
       another host's and one declaring no host are passed over */
    g_assert_cmpstr(default_with("backends-a", NULL), ==, "hostfix");
    g_assert_cmpstr(default_with("backends-b", "backends-a"), ==, "hostfix");
    if (installed_backends()) {
        g_test_skip("back-ends installed in the plugin directory: the fallbacks depend on them");
    } else {
        /* none for this host: the first for any host; none at all: interp */
        g_assert_cmpstr(default_with("backends-b", NULL), ==, "portable");
        g_assert_cmpstr(default_with(NULL, NULL), ==, "interp");
    }
    plugin_unload_all();
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
    g_test_add_func("/plugin/backend-host", test_backend_host);
    g_test_add_func("/plugin/default-backend", test_default_backend);
    return g_test_run();
}
