/* Where loom finds its plugins and machines (paths.c). */
#ifndef LOOM_CORE_PATHS_H
#define LOOM_CORE_PATHS_H
/* "<build tree>/<sub>" when this loom runs from its build tree, else NULL
   (g_free the result). */
char *loom_build_tree_dir(const char *sub);
/* Same for the source tree (machines/ lives there). */
char *loom_source_tree_dir(const char *sub);
/* The installed plugin and machine directories ($(pkglibdir),
   $(pkgdatadir)/machines), found relative to the executable so that a
   DESTDIR-staged or moved installation finds its own.  Static strings. */
const char *loom_installed_plugin_dir(void);
const char *loom_installed_machine_dir(void);
#endif
