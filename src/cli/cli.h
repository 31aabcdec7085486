/* cli.h: what the exscope command's files share: subcommand entry points and the
 * small file helpers. The CLI uses only the public API (exscope.h) and libc. */
#ifndef EXS_CLI_H
#define EXS_CLI_H

#include <stddef.h>

/* Subcommands: argv[0] is the subcommand name; return the process exit status. */
int cmd_parse(int argc, char **argv);

/* Reads a whole file ("-" is stdin) into a malloc'd buffer (NUL-terminated, the NUL
 * not counted in *out_len). Returns 0, or an errno value. */
int cli_read_file(const char *path, char **out, size_t *out_len);

/* A list of paths (malloc'd strings). */
typedef struct cli_paths {
    char **items;
    size_t count, cap;
} cli_paths;

/* Adds `path`; a directory adds every .ex/.exs file below it (sorted; hidden folders,
 * _build and deps skipped). Returns 0, or an errno value (with *out_bad the path). */
int cli_paths_add(cli_paths *p, const char *path, const char **out_bad);
void cli_paths_free(cli_paths *p);

#endif
