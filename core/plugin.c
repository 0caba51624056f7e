/*
 * Plugin loading: search path, descriptor checks, listings.
 *
 * A plugin file is named <kind>-<name>.so.  The search path is, in order:
 * --plugin-path DIR, $LOOM_PLUGIN_PATH (colon separated), the build tree's
 * plugins/ when loom runs from its build tree, then the installed plugin
 * directory (found relative to the executable: paths.c).  Setup-time only: called before any vCPU thread starts.
 */
#include "config.h"
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "paths.h"

static GPtrArray *search_path;          /* char *, setup-time only */
static GPtrArray *loaded;               /* LoomPlugin *, setup-time only */

static const char *const kind_names[] = {
    [LOOM_PLUGIN_FRONTEND] = "frontend",
    [LOOM_PLUGIN_BACKEND] = "backend",
    [LOOM_PLUGIN_DEVICE] = "device",
};

const char *plugin_kind_name(LoomPluginKind kind)
{
    if (kind >= LOOM_PLUGIN_FRONTEND && kind <= LOOM_PLUGIN_DEVICE) {
        return kind_names[kind];
    }
    return "unknown";
}

void plugin_path_init(const char *cmdline_dir)
{
    const char *env = g_getenv("LOOM_PLUGIN_PATH");
    char *build = loom_build_tree_dir("plugins");

    search_path = g_ptr_array_new_with_free_func(g_free);
    if (cmdline_dir) {
        g_ptr_array_add(search_path, g_strdup(cmdline_dir));
    }
    if (env && *env) {
        gchar **dirs = g_strsplit(env, ":", -1);
        for (gchar **d = dirs; *d; d++) {
            if (**d) {
                g_ptr_array_add(search_path, g_strdup(*d));
            }
        }
        g_strfreev(dirs);
    }
    if (build) {
        g_ptr_array_add(search_path, build);
    }
    g_ptr_array_add(search_path, g_strdup(loom_installed_plugin_dir()));
    if (loom_log_enabled(LOOM_LOG_PLUGIN)) {
        for (guint i = 0; i < search_path->len; i++) {
            loom_log("plugin: search path %u: %s\n", i, (char *)search_path->pdata[i]);
        }
    }
}

/* Check the descriptor field by field; a sentence in *err on failure. */
static bool check_descriptor(const LoomPluginDescriptor *d, const char *file,
                             LoomPluginKind kind, char **err)
{
    static const char *const required[] = { "name", "version", "license", "description" };
    const char *fields[4];

    if (d->abi_major != LOOM_ABI_MAJOR || d->abi_minor > LOOM_ABI_MINOR) {
        *err = g_strdup_printf("plugin %s was built for ABI %u.%u, this loom provides "
                               "%d.%d: rebuild the plugin against this loom's headers",
                               file, d->abi_major, d->abi_minor,
                               LOOM_ABI_MAJOR, LOOM_ABI_MINOR);
        return false;
    }
    if (d->kind != (uint32_t)kind) {
        *err = g_strdup_printf("plugin %s is a %s plugin where a %s plugin was expected: "
                               "check its file name and the plugin path",
                               file, plugin_kind_name(d->kind), plugin_kind_name(kind));
        return false;
    }
    fields[0] = d->name;
    fields[1] = d->version;
    fields[2] = d->license;
    fields[3] = d->description;
    for (int i = 0; i < 4; i++) {
        if (!fields[i]) {
            *err = g_strdup_printf("plugin %s: descriptor field '%s' is NULL: fix the plugin",
                                   file, required[i]);
            return false;
        }
    }
    if (!d->ops) {
        *err = g_strdup_printf("plugin %s: descriptor field 'ops' is NULL: fix the plugin", file);
        return false;
    }
    return true;
}

/* The hooks the core cannot run without, per kind. */
static bool check_ops(const LoomPluginDescriptor *d, const char *file, char **err)
{
    const char *missing = NULL;

    if (d->kind == LOOM_PLUGIN_FRONTEND) {
        const LoomFrontendOps *o = d->ops;
        if (!o->translate) missing = "translate";
        else if (!o->cpu_init) missing = "cpu_init";
        else if (!o->cpu_reset) missing = "cpu_reset";
        else if (!o->boot_cpu) missing = "boot_cpu";
        else if (!o->get_tb_cpu_state) missing = "get_tb_cpu_state";
        else if (!o->mmu_index) missing = "mmu_index";
        else if (!o->restore_state) missing = "restore_state";
        else if (!o->do_interrupt) missing = "do_interrupt";
        else if (!o->tlb_fill) missing = "tlb_fill";
        else if (!o->do_unaligned_access) missing = "do_unaligned_access";
        else if (!o->do_transaction_failed) missing = "do_transaction_failed";
        else if (!o->cpu_has_work) missing = "cpu_has_work";
        else if (o->env_size == 0) missing = "env_size";
        else if (o->insn_start_words < 1 || o->insn_start_words > LOOM_IR_MAX_INSN_START_WORDS) {
            missing = "insn_start_words (1.." G_STRINGIFY(LOOM_IR_MAX_INSN_START_WORDS) ")";
        }
        else if (!tlb_geometry_check(o, file, err)) return false;
    } else if (d->kind == LOOM_PLUGIN_BACKEND) {
        const LoomBackendOps *o = d->ops;
        if (!o->gen_code) missing = "gen_code";
        else if (!o->exec_tb) missing = "exec_tb";
        else if (!o->unwind) missing = "unwind";
        else if (!o->host_arch) missing = "host_arch";
        else if (strcmp(o->host_arch, LOOM_HOST_ARCH_ANY) && strcmp(o->host_arch, LOOM_HOST_ARCH)) {
            *err = g_strdup_printf("plugin %s generates code for a %s host, this loom runs on "
                                   "%s: use a back-end for this host (-accel help lists them)",
                                   file, o->host_arch, LOOM_HOST_ARCH);
            return false;
        } else {
            uint64_t set[LOOM_IR_OPSET_WORDS];
            char *why = NULL;
            if (!loom_ir_opset_build(o, set, &why)) {
                *err = g_strdup_printf("plugin %s: %s: fix the plugin", file, why);
                g_free(why);
                return false;
            }
        }
    } else if (d->kind == LOOM_PLUGIN_DEVICE) {
        const LoomDeviceOps *o = d->ops;
        if (!o->create) missing = "create";
        else if (!o->props) missing = "props";
    }
    if (missing) {
        *err = g_strdup_printf("plugin %s: required %s hook or field '%s' is missing: fix the plugin",
                               file, plugin_kind_name(d->kind), missing);
        return false;
    }
    return true;
}

LoomPlugin *plugin_load_file(const char *path, LoomPluginKind kind, char **err)
{
    char *file = g_path_get_basename(path);
    GModule *mod;
    gpointer sym = NULL;
    const LoomPluginDescriptor *d;
    LoomPlugin *p;

    for (guint i = 0; loaded && i < loaded->len; i++) {
        p = loaded->pdata[i];
        if (!strcmp(p->path, path)) {
            g_free(file);
            if (p->desc->kind != (uint32_t)kind) {
                *err = g_strdup_printf("plugin %s is a %s plugin where a %s plugin was expected",
                                       p->file, plugin_kind_name(p->desc->kind),
                                       plugin_kind_name(kind));
                return NULL;
            }
            return p;
        }
    }
    mod = g_module_open(path, G_MODULE_BIND_LOCAL);
    if (!mod) {
        *err = g_strdup_printf("cannot load plugin %s: %s", file, g_module_error());
        g_free(file);
        return NULL;
    }
    if (!g_module_symbol(mod, LOOM_PLUGIN_SYMBOL, &sym) || !sym) {
        *err = g_strdup_printf("plugin %s exports no %s: it is not a loom plugin "
                               "(define one with LOOM_PLUGIN_DEFINE)", file, LOOM_PLUGIN_SYMBOL);
        g_module_close(mod);
        g_free(file);
        return NULL;
    }
    d = sym;
    if (!check_descriptor(d, file, kind, err) || !check_ops(d, file, err)) {
        g_module_close(mod);
        g_free(file);
        return NULL;
    }
    p = g_new0(LoomPlugin, 1);
    p->path = g_strdup(path);
    p->file = file;
    p->module = mod;
    p->desc = d;
    if (!loaded) {
        loaded = g_ptr_array_new();
    }
    g_ptr_array_add(loaded, p);
    if (loom_log_enabled(LOOM_LOG_PLUGIN)) {
        loom_log("plugin: loaded %s plugin '%s' %s (ABI %u.%u) from %s\n",
                 plugin_kind_name(kind), d->name, d->version, d->abi_major,
                 d->abi_minor, path);
    }
    return p;
}

LoomPlugin *plugin_load(LoomPluginKind kind, const char *name, char **err)
{
    char *fname;

    if (!search_path) {
        plugin_path_init(NULL);
    }
    if (strchr(name, '/')) {
        return plugin_load_file(name, kind, err);
    }
    fname = g_strdup_printf("%s-%s.so", plugin_kind_name(kind), name);
    for (guint i = 0; i < search_path->len; i++) {
        char *path = g_build_filename(search_path->pdata[i], fname, NULL);
        if (g_file_test(path, G_FILE_TEST_EXISTS)) {
            LoomPlugin *p = plugin_load_file(path, kind, err);
            g_free(path);
            g_free(fname);
            if (p && strcmp(p->desc->name, name)) {
                g_free(*err);
                *err = g_strdup_printf("plugin %s calls itself '%s', not '%s': "
                                       "rename the file or fix its descriptor",
                                       p->file, p->desc->name, name);
                return NULL;
            }
            return p;
        }
        g_free(path);
    }
    *err = g_strdup_printf("no %s plugin '%s' (%s) in the plugin path: "
                           "try -%s help, or --plugin-path DIR",
                           plugin_kind_name(kind), name, fname,
                           kind == LOOM_PLUGIN_DEVICE ? "device" :
                           kind == LOOM_PLUGIN_BACKEND ? "accel" : "cpu");
    g_free(fname);
    return NULL;
}

void plugin_list(LoomPluginKind kind, FILE *f)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *prefix = g_strdup_printf("%s-", plugin_kind_name(kind));

    if (!search_path) {
        plugin_path_init(NULL);
    }
    for (guint i = 0; i < search_path->len; i++) {
        GDir *dir = g_dir_open(search_path->pdata[i], 0, NULL);
        const char *ent;
        GPtrArray *names;

        if (!dir) {
            continue;
        }
        names = g_ptr_array_new_with_free_func(g_free);
        while ((ent = g_dir_read_name(dir))) {
            if (g_str_has_prefix(ent, prefix) && g_str_has_suffix(ent, ".so")) {
                g_ptr_array_add(names, g_strdup(ent));
            }
        }
        g_dir_close(dir);
        g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))g_strcmp0);
        for (guint j = 0; j < names->len; j++) {
            char *path = g_build_filename(search_path->pdata[i], names->pdata[j], NULL);
            char *err = NULL;
            LoomPlugin *p = plugin_load_file(path, kind, &err);
            if (!p) {
                fprintf(f, "  (skipped: %s)\n", err);
                g_free(err);
            } else if (!g_hash_table_contains(seen, p->desc->name)) {
                g_hash_table_add(seen, g_strdup(p->desc->name));
                fprintf(f, "%-14s %s (%s)\n", p->desc->name, p->desc->description, path);
            }
            g_free(path);
        }
        g_ptr_array_free(names, TRUE);
    }
    g_free(prefix);
    g_hash_table_destroy(seen);
}

/* The back-end's name for its file name "backend-NAME.so", or NULL. */
static char *backend_file_name(const char *ent)
{
    const char *prefix = "backend-";

    if (!g_str_has_prefix(ent, prefix) || !g_str_has_suffix(ent, ".so") ||
        strlen(ent) <= strlen(prefix) + 3) {
        return NULL;
    }
    return g_strndup(ent + strlen(prefix), strlen(ent) - strlen(prefix) - 3);
}

/* The host_arch of the back-end in file path, or NULL if it does not
   load (the descriptor checks, including its host: check_ops).  The file
   is opened and closed again: only the chosen back-end stays loaded. */
static char *backend_file_host(const char *path)
{
    char *err = NULL, *host = NULL;
    GModule *mod;
    gpointer sym = NULL;

    for (guint i = 0; loaded && i < loaded->len; i++) {
        LoomPlugin *p = loaded->pdata[i];
        if (!strcmp(p->path, path)) {
            return p->desc->kind == LOOM_PLUGIN_BACKEND ?
                   g_strdup(((const LoomBackendOps *)p->desc->ops)->host_arch) : NULL;
        }
    }
    mod = g_module_open(path, G_MODULE_BIND_LOCAL);
    if (!mod) {
        err = g_strdup_printf("cannot load plugin %s: %s", path, g_module_error());
    } else if (!g_module_symbol(mod, LOOM_PLUGIN_SYMBOL, &sym) || !sym) {
        err = g_strdup_printf("%s exports no %s", path, LOOM_PLUGIN_SYMBOL);
    } else if (check_descriptor(sym, path, LOOM_PLUGIN_BACKEND, &err) &&
               check_ops(sym, path, &err)) {
        const LoomPluginDescriptor *d = sym;
        host = g_strdup(((const LoomBackendOps *)d->ops)->host_arch);
    }
    if (mod) {
        g_module_close(mod);
    }
    if (err && loom_log_enabled(LOOM_LOG_PLUGIN)) {
        loom_log("plugin: default back-end: passing over %s\n", err);
    }
    g_free(err);
    return host;
}

/* The first back-end in the search path (in its order, each directory's
   files by name) built for this host, else the first for any host, else
   "interp" (whose absence the caller then reports).  Setup-time only. */
const char *plugin_default_backend(void)
{
    static char *chosen;
    char *any = NULL;

    if (!search_path) {
        plugin_path_init(NULL);
    }
    g_free(chosen);
    chosen = NULL;
    for (guint i = 0; i < search_path->len && !chosen; i++) {
        GDir *dir = g_dir_open(search_path->pdata[i], 0, NULL);
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        const char *ent;

        while (dir && (ent = g_dir_read_name(dir))) {
            char *name = backend_file_name(ent);
            if (name) {
                g_ptr_array_add(names, g_strdup(ent));
            }
            g_free(name);
        }
        if (dir) {
            g_dir_close(dir);
        }
        g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))g_strcmp0);
        for (guint j = 0; j < names->len && !chosen; j++) {
            char *path = g_build_filename(search_path->pdata[i], names->pdata[j], NULL);
            char *host = backend_file_host(path);
            if (host && !strcmp(host, LOOM_HOST_ARCH)) {
                chosen = backend_file_name(names->pdata[j]);
            } else if (host && !any) {
                any = backend_file_name(names->pdata[j]);
            }
            g_free(host);
            g_free(path);
        }
        g_ptr_array_free(names, TRUE);
    }
    if (!chosen) {
        chosen = any ? any : g_strdup("interp");
    } else {
        g_free(any);
    }
    if (loom_log_enabled(LOOM_LOG_PLUGIN)) {
        loom_log("plugin: default back-end (host %s): %s\n", LOOM_HOST_ARCH, chosen);
    }
    return chosen;
}

void plugin_unload(LoomPlugin *p)
{
    /* Plugins stay mapped until exit: code and data they registered (IR
       globals, helper pointers in TBs) may still be referenced. */
    (void)p;
}

void plugin_unload_all(void)
{
    for (guint i = 0; loaded && i < loaded->len; i++) {
        LoomPlugin *p = loaded->pdata[i];
        g_module_close(p->module);
        g_free(p->path);
        g_free(p->file);
        g_free(p);
    }
    if (loaded) {
        g_ptr_array_free(loaded, TRUE);
        loaded = NULL;
    }
    if (search_path) {
        g_ptr_array_free(search_path, TRUE);
        search_path = NULL;
    }
}
