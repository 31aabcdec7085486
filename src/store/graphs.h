/* graphs.h: per-function graphs over the repository: the CFG, DFG and CPG of a
 * function built from its file's source on request (the repository keeps no trees),
 * the per-function cache behind exs_graphs (exscope.h), and the project check runner
 * behind exs_repo_check. docs/cpg.md has the design.
 *
 * graphs_file_open re-reads and re-parses one repository file with the file id the
 * populator gave it (taken from the file's node IDs) and checks that the functions'
 * clause node IDs still match: a file edited on disk since it was indexed is refused.
 * graphs_fun_build then builds one function's CFG, DFG and CPG (call edges from the
 * repository's resolved call sites, joined on node IDs) in the arena given.
 *
 * Ownership: a graphs_file owns its parsed file and arena and holds a reference on the
 * repo_file; graphs_fun results live in the arena passed to graphs_fun_build.
 * Thread-safety: distinct graphs_files on distinct threads; a snapshot may be shared. */
#ifndef EXS_GRAPHS_H
#define EXS_GRAPHS_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../analyze/cfg.h"
#include "../analyze/cpg.h"
#include "../analyze/defs.h"
#include "../analyze/dfg.h"
#include "repo.h"

typedef struct graphs_file {
    repo_file *rf; /* referenced */
    exs_file *parsed;
    exs_arena *arena;   /* the fresh definitions and the per-function site lists */
    defs_result defs;   /* of the fresh parse */
    uint32_t *repo_fun; /* per fresh function: its index in rf->defs (DEFS_NONE: none) */
    uint32_t *site_off; /* rf->defs.function_count + 1 offsets into site_idx */
    uint32_t *site_idx; /* indices into rf->calls.sites, grouped by caller function */
    bool *overridable;  /* per fresh module: it calls defoverridable (a later def of an
                           overridable function replaces it, it adds no clause) */
} graphs_file;

typedef struct graphs_fun {
    const defs_function *fn; /* the fresh definition */
    exs_ref *clauses;
    cfg_graph cfg;
    dfg_graph dfg;
    bool has_dfg;
    cpg_graph cpg;
} graphs_fun;

/* Opens `rf` (of generation `g`). EXS_OK; EXS_ERR_IO (unreadable, or changed since it
 * was indexed: message in err); EXS_ERR_SYNTAX; EXS_ERR_NOMEM. */
EXS_WUR exs_status graphs_file_open(const repo_file *rf, graphs_file *out, exs_error *err);
void graphs_file_close(graphs_file *gf);
/* Memory held by an open file (tree, ids, arena). */
size_t graphs_file_bytes(const graphs_file *gf);

/* Builds fresh function `k`'s graphs in `a`. Call edges get their targets' location
 * from `snap` (may be NULL). max_ast_nodes as cpg_input. EXS_ERR_ARG when it has no
 * clause with a body. */
EXS_WUR exs_status graphs_fun_build(const graphs_file *gf, uint32_t k, const exs_snapshot *snap,
                                    uint32_t max_ast_nodes, exs_arena *a, graphs_fun *out);

#endif
