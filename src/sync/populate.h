/* populate.h: the project populator (exs_repo_index_dir in exscope.h is its public
 * face). Pipeline, for one project plus an optional read-only stdlib layer:
 *
 *   1. discover sources (fswalk.c);
 *   2. on the pool, one job per file with its own arena: read, parse (columns: true),
 *      defs_extract — a syntax error is recorded on the file, never fatal;
 *   3. one thread: expand_apply across every file (`use`, @derive);
 *   4. draft the next generation (modules, functions, function-by-MFA index);
 *   5. on the pool, per project file: calls_extract and metrics per function (then the
 *      tree is dropped); one thread: the table of imports each __using__ quote makes;
 *      on the pool: calls_resolve_using against the draft's function index;
 *   6. index the calls, publish (one atomic swap).
 *
 * The stdlib and deps layers get steps 2-4 (and columns) only: they answer resolution
 * and MFA lookups.
 * Thread-safety: one populate per repository at a time (the writer). */
#ifndef EXS_POPULATE_H
#define EXS_POPULATE_H

#include "exscope.h"
#include "../store/repo.h"

/* A list of files of one layer. */
typedef struct populate_input {
    const char *const *paths;
    uint32_t count;
    repo_layer layer;
} populate_input;

/* Indexes explicit file lists (any layers, any may be empty) into `repo`: replacing
 * its contents, or (keep_current) replacing/adding just these files and keeping the
 * others. As exs_repo_index_dir otherwise. */
EXS_WUR exs_status populate_files(exs_repo *repo, const populate_input *inputs,
                                  uint32_t input_count, const exs_index_options *opts,
                                  bool keep_current, exs_index_report *report);

#endif
