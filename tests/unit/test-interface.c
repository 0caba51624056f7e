/*
 * The interface registry (core/interface.c): plugins publish typed
 * interfaces by name and version and find each other's; a missing name,
 * a duplicate and a version that does not fit are one-line errors.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

/* An interface as a header under include/loom would declare it. */
typedef struct TestCounterIface {
    unsigned (*next)(void *opaque);
    unsigned (*peek)(void *opaque);     /* since 1.1 */
} TestCounterIface;

static unsigned counter_next(void *opaque)
{
    return ++*(unsigned *)opaque;
}

static unsigned counter_peek(void *opaque)
{
    return *(unsigned *)opaque;
}

static const TestCounterIface counter = { .next = counter_next, .peek = counter_peek };

static void expect_error(char *err, const char *want)
{
    g_assert_nonnull(err);
    g_assert_cmpstr(err, ==, want);
    g_free(err);
}

/* The provider's struct and opaque come back for its major and any
   minor up to its own. */
static void test_publish_lookup(void)
{
    LoomMachine m = { 0 };
    unsigned state = 41;
    void *opaque = NULL;
    const TestCounterIface *c;
    char *err = NULL;

    g_assert_true(loom_interface_publish(&m, "test.counter", LOOM_IFACE_VERSION(1, 1),
                                         &counter, &state, "counter0", &err));
    g_assert_null(err);
    c = loom_interface_lookup(&m, "test.counter", LOOM_IFACE_VERSION(1, 1), &opaque, &err);
    g_assert_null(err);
    g_assert_true(c == &counter);
    g_assert_true(opaque == &state);
    g_assert_cmpuint(c->next(opaque), ==, 42);
    g_assert_cmpuint(c->peek(opaque), ==, 42);
    /* an older minor is served by a newer provider; opaque may be NULL */
    g_assert_true(loom_interface_lookup(&m, "test.counter", LOOM_IFACE_VERSION(1, 0), NULL,
                                        &err) == &counter);
    g_assert_null(err);
    interfaces_free(&m);
    g_assert_null(m.interfaces);
}

static void test_errors(void)
{
    LoomMachine m = { 0 }, other = { 0 };
    unsigned state = 0;
    char *err = NULL;

    g_assert_null(loom_interface_lookup(&m, "test.counter", LOOM_IFACE_VERSION(1, 0), NULL,
                                        &err));
    expect_error(err, "no device publishes interface test.counter: add the device that provides "
                 "it to the machine");
    err = NULL;
    g_assert_true(loom_interface_publish(&m, "test.counter", LOOM_IFACE_VERSION(1, 1),
                                         &counter, &state, "counter0", &err));
    g_assert_false(loom_interface_publish(&m, "test.counter", LOOM_IFACE_VERSION(1, 1),
                                          &counter, &state, "counter1", &err));
    expect_error(err, "counter1 publishes interface test.counter, which counter0 already "
                 "publishes: a machine has one provider of each interface, drop one of "
                 "the devices");
    err = NULL;
    g_assert_null(loom_interface_lookup(&m, "test.counter", LOOM_IFACE_VERSION(2, 0), NULL,
                                        &err));
    expect_error(err, "interface test.counter from counter0 is version 1.1, version 2.x is "
                 "needed: rebuild the plugins against the same interface header");
    err = NULL;
    g_assert_null(loom_interface_lookup(&m, "test.counter", LOOM_IFACE_VERSION(1, 2), NULL,
                                        &err));
    expect_error(err, "interface test.counter from counter0 is version 1.1, 1.2 or later is "
                 "needed: update counter0");
    err = NULL;
    g_assert_false(loom_interface_publish(&m, "", 1, &counter, NULL, "counter2", &err));
    expect_error(err, "counter2 published an interface without a name: pass both the name "
                 "and the interface struct");
    err = NULL;
    g_assert_false(loom_interface_publish(&m, "test.other", 1, NULL, NULL, NULL, &err));
    expect_error(err, "a plugin published an interface without a struct: pass both the name "
                 "and the interface struct");
    err = NULL;
    /* names are per machine */
    g_assert_null(loom_interface_lookup(&other, "test.counter", LOOM_IFACE_VERSION(1, 0), NULL,
                                        &err));
    expect_error(err, "no device publishes interface test.counter: add the device that "
                 "provides it to the machine");
    interfaces_free(&m);
    interfaces_free(&other);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/interface/publish-lookup", test_publish_lookup);
    g_test_add_func("/interface/errors", test_errors);
    return g_test_run();
}
