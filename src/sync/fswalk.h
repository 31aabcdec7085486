/* fswalk.h: source discovery for the populator.
 *
 * A Mix project (a directory with mix.exs) contributes mix.exs, lib/, test/, config/
 * (.ex/.exs below each) and, for an umbrella, the same from each apps/<app>/. Any
 * other directory contributes every .ex/.exs below it. Hidden directories, _build,
 * deps and node_modules are skipped unless `all_dirs`. Symbolic links to directories
 * are followed, but a directory (device, inode) is entered at most once, so symlink
 * loops end. Each directory's entries are visited in byte order, so the list is
 * reproducible. Paths are `dir/relative` ("relative" alone when dir is ".").
 * Thread-safety: none needed (no shared state). */
#ifndef EXS_FSWALK_H
#define EXS_FSWALK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct fs_list {
    char **items; /* malloc'd paths */
    uint32_t count, cap;
} fs_list;

/* Appends the sources of the project or directory `dir`. Returns 0, or an errno value
 * (ENOTDIR / ENOENT when `dir` is not a readable directory, ENOMEM). */
int fswalk_project(const char *dir, bool all_dirs, fs_list *out);
/* Appends the stdlib sources below `dir`: <dir>/<app>/lib/ (every .ex) for each app
 * folder that has one (the layout of elixir-lang's lib/), else every .ex below `dir`. */
int fswalk_stdlib(const char *dir, fs_list *out);
void fs_list_free(fs_list *l);

#endif
