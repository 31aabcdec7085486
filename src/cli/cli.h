/* cli.h: what the exscope command's files share: subcommand entry points and the
 * small file helpers. The CLI uses only the public API (exscope.h) and libc. */
#ifndef EXS_CLI_H
#define EXS_CLI_H

#include <stddef.h>

/* Subcommands: argv[0] is the subcommand name; return the process exit status. */
int cmd_parse(int argc, char **argv);
/* Repository subcommands (cmd_index.c, cmd_show.c). */
int cmd_index(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_callers(int argc, char **argv);
int cmd_callees(int argc, char **argv);
int cmd_modules(int argc, char **argv);
int cmd_functions(int argc, char **argv);
/* Graphs and checks (cmd_graph.c: argv[0] is cfg, dfg or cpg; cmd_check.c). */
int cmd_graph(int argc, char **argv);
int cmd_check(int argc, char **argv);
/* Queries (cmd_query.c). */
int cmd_query(int argc, char **argv);
/* Structural pattern search (cmd_grep.c). */
int cmd_grep(int argc, char **argv);

/* What the repository subcommands share (cmd_index.c). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exscope.h"

typedef struct cli_repo_opts {
    const char *dir, *stdlib, *arg; /* arg: the one positional argument, or NULL */
    unsigned threads;
    bool json, all_dirs, deps;
    uint32_t min_complexity;
} cli_repo_opts;
/* Parses the common options; 0 ok, -1 help was printed, 2 usage error (printed). */
int cli_repo_args(int argc, char **argv, cli_repo_opts *o, const char *synopsis);
void cli_repo_usage(FILE *out, const char *synopsis);
/* Indexes o->dir (printing file errors on stderr); NULL after printing a failure. */
exs_repo *cli_repo_index(const cli_repo_opts *o, exs_index_report *rep);
/* Writes s as a JSON string (null for NULL). */
void cli_json_str(FILE *out, const char *s);

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
