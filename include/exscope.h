/* exscope.h: the public C API of exscope, the Elixir code-intelligence engine.
 *
 * This header is the whole API. Types are opaque and made/freed in pairs
 * (exs_<noun>_new/_free, _open/_close). Functions that can fail return exs_status;
 * details go into an optional caller-owned exs_error (pass NULL if you do not care).
 *
 * Thread-safety: unless stated otherwise, one object is used by one thread at a time;
 * distinct objects may be used from distinct threads freely. A parsed exs_file is
 * immutable and may be read (written out, walked) from many threads at once. */
#ifndef EXSCOPE_H
#define EXSCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EXS_API __attribute__((visibility("default")))
#define EXS_WUR __attribute__((warn_unused_result))
#else
#define EXS_API
#define EXS_WUR
#endif

/* Status codes: one list gives the enum and exs_status_name(). */
#define EXS_STATUS_LIST(X)                                                         \
    X(OK, "ok")                                                                    \
    X(ERR_SYNTAX, "syntax error")                                                  \
    X(ERR_NOMEM, "out of memory")                                                  \
    X(ERR_IO, "i/o error")                                                         \
    X(ERR_ARG, "invalid argument")                                                 \
    X(ERR_LIMIT, "limit exceeded")

typedef enum {
#define X(name, str) EXS_##name,
    EXS_STATUS_LIST(X)
#undef X
} exs_status;

/* A short English name for a status ("syntax error"). Never NULL. */
EXS_API const char *exs_status_name(exs_status s);

/* Where and why something failed. `path` points to the caller's path string (or is
 * NULL); line/column are 1-based, 0 when unknown. */
typedef struct exs_error {
    exs_status code;
    const char *path;
    uint32_t line;
    uint32_t column;
    char message[1024];
} exs_error;

/* ---- Parsing ------------------------------------------------------------------- */

/* A parsed source file: its AST (the term Code.string_to_quoted/2 gives) and node IDs. */
typedef struct exs_file exs_file;

typedef struct exs_parse_options {
    bool columns;        /* like Code.string_to_quoted(columns: true) */
    bool token_metadata; /* like token_metadata: true */
    uint32_t file_id;    /* high bits of every node ID; see docs/node_ids.md */
    unsigned max_depth;  /* nesting limit; 0 means the default (EXS_DEFAULT_MAX_DEPTH) */
} exs_parse_options;

#define EXS_DEFAULT_MAX_DEPTH 1000

/* Parses `len` bytes of Elixir source. `path` names the file in diagnostics (may be
 * NULL). On success *out is a new exs_file the caller frees with exs_file_free().
 * Returns EXS_ERR_SYNTAX with err->line/column/message on a syntax error (the message
 * follows Elixir's wording), EXS_ERR_LIMIT when max_depth is exceeded, EXS_ERR_NOMEM.
 * Thread-safe: any number of parses may run concurrently. */
EXS_API EXS_WUR exs_status exs_parse(const char *src, size_t len, const char *path,
                                     const exs_parse_options *opts, exs_file **out,
                                     exs_error *err);

/* Frees a parsed file and everything it owns. NULL is fine. */
EXS_API void exs_file_free(exs_file *f);

/* Sizes of a parsed file, for statistics: AST terms (every integer, atom, list, tuple
 * and metadata list the term is made of), tokens the lexer produced, and the bytes the
 * file holds on to (AST, strings and node IDs). */
EXS_API uint32_t exs_file_node_count(const exs_file *f);
EXS_API uint32_t exs_file_token_count(const exs_file *f);
EXS_API size_t exs_file_memory(const exs_file *f);

typedef enum {
    EXS_FORMAT_ELIXIR, /* the term as Elixir's inspect/2 prints it */
    EXS_FORMAT_ETF,    /* Erlang external term format (binary_to_term/1 reads it) */
    EXS_FORMAT_JSON,   /* see docs/json.md */
} exs_format;

typedef struct exs_write_options {
    bool node_ids; /* add `node_id: "..."` to the metadata of every AST node */
} exs_write_options;

/* Writes the file's AST in `format`. On success *out (NUL-terminated for text formats)
 * and *out_len are set; free *out with exs_free(). Returns EXS_ERR_NOMEM on failure. */
EXS_API EXS_WUR exs_status exs_file_write(const exs_file *f, exs_format format,
                                          const exs_write_options *opts, char **out,
                                          size_t *out_len);

/* Frees memory returned by the library. */
EXS_API void exs_free(void *p);

/* ---- Node IDs ------------------------------------------------------------------ */

/* A node ID: unique in a project, stable across re-parses of unchanged text and across
 * edits to other functions of the same file. Scheme: docs/node_ids.md. */
typedef uint64_t exs_node_id;

/* Printable form "exs:<file>:<anchor>:<local>" in hex; `buf` needs 40 bytes.
 * Returns buf. */
EXS_API char *exs_node_id_format(exs_node_id id, char buf[40]);

/* Parses the printable form; false if malformed. */
EXS_API bool exs_node_id_parse(const char *s, exs_node_id *out);

/* ---- Repository ---------------------------------------------------------------- */

/* A repository: the modules, functions and call sites of a project, in memory, with
 * indexes (docs/repository.md). It is filled by exs_repo_index_dir() (the populator)
 * and read through snapshots: a snapshot is one immutable generation of the tables.
 *
 * Thread-safety: one writer at a time (exs_repo_index_dir, exs_repo_update_files,
 * exs_repo_remove_file);
 * any number of threads may take snapshots and read them concurrently with the writer.
 * A writer publishes a new generation with one atomic pointer swap: readers never wait
 * for it and never see half a file. A snapshot stays valid (and all strings it hands
 * out) until released, whatever the writer does meanwhile. */
typedef struct exs_repo exs_repo;
typedef struct exs_snapshot exs_snapshot;

/* A new, empty repository; NULL when out of memory. Free with exs_repo_free(). */
EXS_API exs_repo *exs_repo_new(void);
/* Frees the repository. Snapshots still held stay valid until released. NULL is fine. */
EXS_API void exs_repo_free(exs_repo *repo);

typedef struct exs_index_options {
    const char *stdlib_dir; /* a read-only "stdlib" layer: <dir>/<app>/lib/ (every .ex;
                               the layout of corpus/elixir-lang/lib), else every .ex
                               below it; used to resolve calls and
                               answer MFA lookups, never listed as project results.
                               NULL: none. Ignored when it is the indexed dir itself. */
    bool deps;              /* a read-only "deps" layer: <dir>/deps/<dep>/lib (every
                               .ex), like the stdlib layer */
    unsigned threads;       /* worker threads; 0: one per core */
    bool all_dirs;          /* also walk _build, deps, .git, node_modules */
    bool progress;          /* a progress bar on stderr (only if stderr is a terminal) */
} exs_index_options;

/* A file that could not be read or parsed: it is recorded, the rest is indexed. */
typedef struct exs_file_error {
    char *path;
    uint32_t line, column; /* 1-based; 0 when unknown (i/o errors) */
    char *message;
} exs_file_error;

typedef struct exs_index_report {
    uint32_t files;        /* project files indexed (failed ones included) */
    uint32_t stdlib_files; /* files of the stdlib layer */
    uint32_t deps_files;   /* files of the deps layer */
    uint32_t modules, functions, calls; /* project rows */
    uint32_t error_count;
    exs_file_error *errors; /* error_count entries (stdlib layer errors included) */
    double seconds;         /* wall time of the whole populate (discovery excluded) */
    double parse_seconds;   /* of which: read, parse, definitions (parallel) */
    double analyze_seconds; /* of which: expansion, function index, calls, resolution,
                               metrics (parallel) */
    double index_seconds;   /* of which: tables and indexes, publish */
    size_t memory;          /* bytes of the published generation (exs_repo_stats.bytes_total) */
} exs_index_report;

/* Indexes a project (or any directory) and publishes it, replacing everything the
 * repository held. Project sources: with a mix.exs, mix.exs, config/, lib/, test/
 * and umbrella apps/<app>/ (the same per app); otherwise every .ex/.exs below `dir`. _build, deps, .git and node_modules are skipped unless opts->all_dirs;
 * symlinked directories are followed once (no loops). Files are parsed (with columns)
 * and analyzed on a thread pool, `use`/@derive are expanded across files, calls are
 * resolved against the project and the read-only layers (stdlib, deps). `opts` may be NULL; `report` may
 * be NULL, else it is filled and the caller frees it with exs_index_report_free().
 * Returns EXS_OK (even when some files had syntax errors: see report->errors),
 * EXS_ERR_IO when `dir` cannot be read, EXS_ERR_NOMEM (the repository is unchanged). */
EXS_API EXS_WUR exs_status exs_repo_index_dir(exs_repo *repo, const char *dir,
                                              const exs_index_options *opts,
                                              exs_index_report *report);
/* Frees what a report holds (not the struct itself). */
EXS_API void exs_index_report_free(exs_index_report *report);

/* Parses and analyzes these files (new or changed) and publishes them, every other
 * file kept, in one atomic step: readers see all of the change or none of it. A path
 * the repository already has is replaced. Limits: `use` templates of unchanged files
 * are not applied to these files' modules, and calls of unchanged files are not
 * re-resolved (docs/repository.md). Report, errors and ownership as for
 * exs_repo_index_dir (report->files counts these files only). */
EXS_API EXS_WUR exs_status exs_repo_update_files(exs_repo *repo, const char *const *paths,
                                                 uint32_t count, const exs_index_options *opts,
                                                 exs_index_report *report);

/* Removes one file (by the path exs_function_info.path shows) in one atomic step.
 * Returns EXS_OK, EXS_ERR_ARG if the repository has no such file, EXS_ERR_NOMEM. */
EXS_API EXS_WUR exs_status exs_repo_remove_file(exs_repo *repo, const char *path);

/* The current generation. Never NULL for a valid repo (an empty repository has an
 * empty generation). Release with exs_snapshot_release(). Lock-free; thread-safe. */
EXS_API exs_snapshot *exs_repo_snapshot(exs_repo *repo);
EXS_API void exs_snapshot_release(exs_snapshot *snap);

typedef struct exs_repo_stats {
    uint64_t generation; /* 0 for the empty repository, +1 per publish */
    uint32_t files, stdlib_files, deps_files, error_files, modules, functions,
        calls; /* all layers */
    size_t bytes_files;     /* per-file arenas: analysis records, names, call sites */
    size_t bytes_modules, bytes_functions, bytes_calls; /* table rows */
    size_t bytes_indexes;   /* hash maps, interned names, callers/callees/buckets */
    size_t bytes_total;
} exs_repo_stats;

/* Statistics of a snapshot. Thread-safe. */
EXS_API void exs_snapshot_stats(const exs_snapshot *snap, exs_repo_stats *out);

/* Strings below point into the snapshot: valid until it is released. */
typedef struct exs_function_info {
    const char *module, *name;
    uint32_t arity;
    const char *kind;     /* "def", "defp", "defmacro", "defmacrop", "defguard", ... */
    const char *path;     /* the file */
    uint32_t line, column; /* of the first clause's def (column 0 if unknown) */
    uint32_t last_line;
    uint32_t clauses;
    uint32_t complexity;  /* cyclomatic complexity summed over clauses (docs/metrics.md) */
    uint32_t cognitive, nesting, lines;
    bool is_public, is_macro, generated, is_stdlib, is_dep; /* layers: stdlib, deps */
    exs_node_id node_id;  /* of the first clause's def call */
} exs_function_info;

typedef struct exs_call_info {
    const char *path;
    uint32_t line, column;
    const char *caller_module; /* NULL outside modules */
    const char *caller_name;   /* NULL at module level */
    uint32_t caller_arity;
    const char *target_module; /* resolved module; for an unresolved remote call the
                                  module as written; else NULL */
    const char *name;          /* as called */
    uint32_t arity;
    const char *resolution;    /* "local", "import", "remote", "unresolved" (special
                                  forms such as case/for/quote are not calls: never listed) */
    bool is_dynamic;
    exs_node_id node_id;
} exs_call_info;

typedef struct exs_module_info {
    const char *name;
    const char *kind; /* "module", "protocol", "impl", "exception", "struct" */
    const char *path;
    uint32_t line_first, line_last;
    uint32_t column; /* of the defmodule (0 if unknown) */
    uint32_t function_count;
    bool is_stdlib, is_dep;
    exs_node_id node_id;
} exs_module_info;

/* Visitors return true to go on, false to stop. */
typedef bool (*exs_call_visit)(void *ctx, const exs_call_info *call);
typedef bool (*exs_function_visit)(void *ctx, const exs_function_info *fun);
typedef bool (*exs_module_visit)(void *ctx, const exs_module_info *mod);

/* Function `module.name/arity` (project first, then the deps or stdlib layer). True and *out
 * filled when found; false otherwise. Thread-safe. */
EXS_API bool exs_snapshot_find_function(const exs_snapshot *snap, const char *module,
                                        const char *name, uint32_t arity,
                                        exs_function_info *out);
/* The project call sites whose resolved target is module.name/arity, in file order.
 * Returns the number visited. Thread-safe. */
EXS_API uint32_t exs_snapshot_callers(const exs_snapshot *snap, const char *module,
                                      const char *name, uint32_t arity, exs_call_visit fn,
                                      void *ctx);
/* The call sites inside module.name/arity (any clause), in the order the calls
 * analyzer records them (per clause; an outer call before the calls in its arguments).
 * Returns the number visited. Thread-safe. */
EXS_API uint32_t exs_snapshot_callees(const exs_snapshot *snap, const char *module,
                                      const char *name, uint32_t arity, exs_call_visit fn,
                                      void *ctx);
/* The project's modules, in file order (include_stdlib: the stdlib and deps layers'
 * too). */
EXS_API uint32_t exs_snapshot_modules(const exs_snapshot *snap, bool include_stdlib,
                                      exs_module_visit fn, void *ctx);
/* The modules defined in the file `path` (as the repository names it), in source
 * order, through the modules-by-file index. Returns the number visited (0 when the
 * repository has no such file). Thread-safe. */
EXS_API uint32_t exs_snapshot_file_modules(const exs_snapshot *snap, const char *path,
                                           exs_module_visit fn, void *ctx);
/* The function with a clause whose def call has node ID `id` (exs_node_id_parse reads
 * the printable form). True and *out filled when found. Thread-safe. */
EXS_API bool exs_snapshot_function_at(const exs_snapshot *snap, exs_node_id id,
                                      exs_function_info *out);
/* The project's functions with complexity >= min_complexity, most complex first
 * (ties: file order), found through the complexity-bucket index. */
EXS_API uint32_t exs_snapshot_functions(const exs_snapshot *snap, uint32_t min_complexity,
                                        exs_function_visit fn, void *ctx);

/* ---- Graphs and checks ---------------------------------------------------------- */

/* A cache of per-function graphs over one repository (docs/cpg.md): the control-flow
 * graph, the data-flow graph and their join with the AST and the call index, the code
 * property graph (CPG). A function's graphs are built on first request (its file is
 * re-read and re-parsed: the repository keeps no trees) and kept until its file
 * changes: the first request after a publish that replaced or removed a file drops
 * that file's graphs. A function with more than max_ast_nodes_for_full_cpg AST nodes
 * gets a summary CPG (call edges and the CFG skeleton only; exs_graph_info.is_summary).
 *
 * Thread-safety: every function below may be called from any thread; requests on one
 * exs_graphs are serialized by its lock. The repository must outlive it. */
typedef struct exs_graphs exs_graphs;

typedef struct exs_graph_options {
    uint32_t max_ast_nodes_for_full_cpg; /* 0: the default, 5000; UINT32_MAX: no limit */
} exs_graph_options;

/* A new, empty cache over `repo` (opts may be NULL). NULL when out of memory. Free with
 * exs_graphs_free() before the repository. */
EXS_API exs_graphs *exs_graphs_new(exs_repo *repo, const exs_graph_options *opts);
EXS_API void exs_graphs_free(exs_graphs *g);

typedef enum { EXS_GRAPH_CFG, EXS_GRAPH_DFG, EXS_GRAPH_CPG } exs_graph_kind;
typedef enum { EXS_GRAPH_DOT, EXS_GRAPH_JSON } exs_graph_format;

typedef struct exs_graph_info {
    bool is_summary;   /* the CPG is a summary (too many AST nodes) */
    bool has_dfg;      /* the CPG carries DFG edges */
    bool from_cache;   /* this request found the graphs already built */
    uint32_t ast_nodes; /* AST nodes of the function (the summary measure) */
    uint32_t nodes, edges; /* of the CPG */
    uint32_t ast_edges, cfg_edges, dfg_edges, call_edges, callees;
    uint32_t cfg_nodes, cyclomatic, unreachable; /* of the CFG */
    double build_seconds; /* building this function's graphs (parse of its file excluded) */
} exs_graph_info;

/* Builds (or finds cached) the graphs of module.name/arity (a project, deps or stdlib
 * function) and fills *info (may be NULL). Returns EXS_OK; EXS_ERR_ARG when there is no
 * such function or it has no source clauses (generated); EXS_ERR_IO when its file
 * cannot be read or changed on disk since it was indexed (re-index it); EXS_ERR_SYNTAX;
 * EXS_ERR_NOMEM. Details in err (may be NULL). */
EXS_API EXS_WUR exs_status exs_graphs_function(exs_graphs *g, const char *module,
                                               const char *name, uint32_t arity,
                                               exs_graph_info *info, exs_error *err);

/* Writes one graph of module.name/arity: the CFG, the DFG (variable nodes and
 * definition -> use edges) or the CPG, as Graphviz DOT (`dot -Tsvg` renders it; nodes
 * are labelled with source snippets and lines) or JSON (docs/cpg.md). *out is
 * NUL-terminated; free it with exs_free(). Errors as exs_graphs_function; EXS_ERR_ARG
 * also for EXS_GRAPH_DFG on a summary. */
EXS_API EXS_WUR exs_status exs_graphs_write(exs_graphs *g, const char *module,
                                            const char *name, uint32_t arity,
                                            exs_graph_kind kind, exs_graph_format format,
                                            char **out, size_t *out_len, exs_graph_info *info,
                                            exs_error *err);

typedef struct exs_graphs_stats {
    uint32_t files, functions; /* cached */
    uint64_t hits, misses;     /* requests answered from the cache / built */
    uint64_t dropped_files;    /* files dropped because they changed */
    size_t bytes;              /* trees and graphs held */
} exs_graphs_stats;

EXS_API void exs_graphs_stats_get(exs_graphs *g, exs_graphs_stats *out);

/* The built-in checks (docs/cpg.md), by index 0 .. exs_check_count() - 1. */
EXS_API uint32_t exs_check_count(void);
EXS_API const char *exs_check_name(uint32_t i); /* "unused-variable", ...; NULL past end */
EXS_API const char *exs_check_doc(uint32_t i);

typedef struct exs_check_options {
    unsigned threads;   /* 0: one per core */
    const char *checks; /* comma-separated check names; NULL: all */
} exs_check_options;

typedef struct exs_finding {
    char *path;
    uint32_t line, column;
    const char *check;  /* static: exs_check_name() */
    char *function;     /* "Mod.fun/2" */
    char *message;
} exs_finding;

typedef struct exs_check_report {
    exs_finding *findings; /* sorted by path (file order), line, column, check */
    uint32_t count;
    uint32_t files, functions; /* checked */
    uint32_t skipped_files;    /* unreadable, changed on disk or with syntax errors */
    double seconds;
} exs_check_report;

/* Runs the checks over every function of the repository's project files (full CPGs,
 * whatever their size; nothing is cached). Returns EXS_OK (findings or not),
 * EXS_ERR_ARG for an unknown check name (in err->message), EXS_ERR_NOMEM. Free the
 * report with exs_check_report_free(). Thread-safe (reads a snapshot). */
EXS_API EXS_WUR exs_status exs_repo_check(exs_repo *repo, const exs_check_options *opts,
                                          exs_check_report *out, exs_error *err);
EXS_API void exs_check_report_free(exs_check_report *r);

/* ---- Pattern search -------------------------------------------------------------- */
/* Structural search with Elixir code as the pattern (docs/patterns.md):
 * `Repo.get!(_, _)`, `{:ok, $x} = File.read($path)`, `case $x do ... end`. `_` matches
 * any one subtree, `$name` binds a subtree (twice the same name: equal subtrees, metadata
 * ignored), `...` in an argument list or list matches any number of elements (alone
 * elsewhere: any subtree), aliases and __MODULE__ of the subject are resolved with the
 * file's `alias` directives. */
typedef struct exs_pattern exs_pattern;

/* Compiles a pattern. On success *out is a new pattern (exs_pattern_free). Returns
 * EXS_ERR_SYNTAX with err->line/column (in the pattern text as given) and message when
 * it is not one Elixir expression or a `$` is not followed by a name, EXS_ERR_LIMIT when
 * too deep, EXS_ERR_NOMEM. A compiled pattern is immutable: thread-safe to share. */
EXS_API EXS_WUR exs_status exs_pattern_compile(const char *text, size_t len, exs_pattern **out,
                                               exs_error *err);
EXS_API void exs_pattern_free(exs_pattern *p);
/* The `$` names of the pattern, in order of first appearance (without the `$`). */
EXS_API uint32_t exs_pattern_binding_count(const exs_pattern *p);
EXS_API const char *exs_pattern_binding_name(const exs_pattern *p, uint32_t i);

typedef struct exs_pattern_match {
    const char *path;     /* the file's path as given */
    uint32_t line, column; /* 1-based start of the matched expression */
    exs_node_id node_id;  /* of the matched node (0 for a literal without metadata) */
    const char *snippet;  /* the source line of the match, trimmed */
    const char **values;  /* exs_pattern_binding_count() source texts of the bound subtrees */
} exs_pattern_match;

typedef struct exs_pattern_report {
    exs_pattern_match *matches; /* sorted by file (in the order given), line, column */
    uint32_t count;
    uint32_t files;             /* files searched (failed ones included) */
    uint32_t error_count;
    exs_file_error *errors;     /* files that could not be read or parsed (skipped) */
    double seconds;             /* wall time */
    void *mem_;                 /* private */
} exs_pattern_report;

/* Frees what a report holds (not the struct itself). */
EXS_API void exs_pattern_report_free(exs_pattern_report *r);

/* Matches over one source text (parsed here, with columns). A syntax error in `src` is
 * a report error (EXS_OK is still returned). EXS_ERR_NOMEM otherwise. Thread-safe. */
EXS_API EXS_WUR exs_status exs_pattern_match_source(const exs_pattern *p, const char *src,
                                                    size_t len, const char *path,
                                                    exs_pattern_report *out);

/* A set of parsed source files kept in memory for repeated searches. */
typedef struct exs_source_set exs_source_set;
/* Reads and parses (with columns and token metadata) and extracts the definitions of
 * `count` files on `threads` workers (0: one per core). Unreadable or invalid files are
 * kept as errors. EXS_OK or EXS_ERR_NOMEM. Free with exs_source_set_free(). */
EXS_API EXS_WUR exs_status exs_source_set_load(const char *const *paths, uint32_t count,
                                               unsigned threads, exs_source_set **out);
EXS_API void exs_source_set_free(exs_source_set *s);
EXS_API uint32_t exs_source_set_count(const exs_source_set *s);

/* Searches every file of the set on `threads` workers (0: one per core). EXS_OK or
 * EXS_ERR_NOMEM. The report's strings stay valid until exs_pattern_report_free even if
 * the set is freed first. Thread-safe (the set is only read). */
EXS_API EXS_WUR exs_status exs_pattern_search(const exs_pattern *p, const exs_source_set *s,
                                              unsigned threads, exs_pattern_report *out);
/* exs_source_set_load + exs_pattern_search + exs_source_set_free. */
EXS_API EXS_WUR exs_status exs_pattern_search_files(const exs_pattern *p,
                                                    const char *const *paths, uint32_t count,
                                                    unsigned threads, exs_pattern_report *out);


/* ---- Queries --------------------------------------------------------------------- */

/* A query over a repository snapshot (docs/queries.md): one source (functions, calls,
 * modules, files of the project layer), a filter, a projection, an order, a page.
 * Made from text (exs_query_parse) or with the builder functions below (the same
 * query without text); run any number of times on any snapshot.
 *
 *   from functions where module starts_with "Enum" and complexity >= 10
 *     select module, name, arity, complexity order by complexity desc limit 20
 *
 * The planner serves the filter from an index when it can (function by MFA, callers
 * by target, callees by caller, complexity buckets, files by path) and scans
 * otherwise; exs_query_explain shows the plan.
 *
 * Thread-safety: building a query is for one thread; a built query may be run from
 * several threads at once, on one snapshot or several. Results are independent of
 * the snapshot (they own their strings). */
typedef struct exs_query exs_query;
typedef struct exs_query_result exs_query_result;

typedef enum {
    EXS_QUERY_FUNCTIONS,
    EXS_QUERY_CALLS,
    EXS_QUERY_MODULES,
    EXS_QUERY_FILES
} exs_query_source;

/* Parses a query. Returns EXS_OK and *out (free with exs_query_free), EXS_ERR_SYNTAX
 * with err->column the 1-based byte offset of the offending token and err->message
 * "what went wrong\nhint: how to fix it", EXS_ERR_NOMEM. err may be NULL. */
EXS_API EXS_WUR exs_status exs_query_parse(const char *text, exs_query **out, exs_error *err);
/* A new query over `source` with no filter, the default columns and order, no limit.
 * NULL when out of memory or for an unknown source. */
EXS_API exs_query *exs_query_new(exs_query_source source);
EXS_API void exs_query_free(exs_query *q); /* NULL is fine */

/* Builder. Each filter is ANDed with the filters before it. `op` is one of
 * = != < <= > >= contains starts_with ends_with matches ("is null"/"is not null": value
 * ignored). Returns EXS_OK, EXS_ERR_ARG for an unknown field or operator, a value of
 * the wrong type (booleans are 0/1 integers) or a bad regex, EXS_ERR_NOMEM. */
EXS_API EXS_WUR exs_status exs_query_where_str(exs_query *q, const char *field, const char *op,
                                               const char *value);
EXS_API EXS_WUR exs_status exs_query_where_int(exs_query *q, const char *field, const char *op,
                                               int64_t value);
/* functions only: has a call site resolved to `mfa` ("Repo.get!/2") / is called by it. */
EXS_API EXS_WUR exs_status exs_query_where_calls(exs_query *q, const char *mfa);
EXS_API EXS_WUR exs_status exs_query_where_called_by(exs_query *q, const char *mfa);
/* A filter in the query language ("a = 1 or b contains \"x\""). Errors as
 * exs_query_parse. */
EXS_API EXS_WUR exs_status exs_query_where_text(exs_query *q, const char *filter,
                                                exs_error *err);
/* Adds a column (the first call replaces the default columns); EXS_ERR_ARG if unknown. */
EXS_API EXS_WUR exs_status exs_query_select(exs_query *q, const char *field);
/* Adds a sort key; EXS_ERR_ARG if unknown. Ties are broken by file, line, column. */
EXS_API EXS_WUR exs_status exs_query_order_by(exs_query *q, const char *field, bool desc);
/* limit < 0: no limit. */
EXS_API void exs_query_limit(exs_query *q, int64_t limit, int64_t offset);
/* Starts after the row a cursor names (exs_query_result_cursor of the previous page).
 * EXS_ERR_NOMEM only; a cursor of another query is reported by exs_query_run. */
EXS_API EXS_WUR exs_status exs_query_after(exs_query *q, const char *cursor);
/* The text began with `explain`. */
EXS_API bool exs_query_is_explain(const exs_query *q);

/* Runs q on snap. Returns EXS_OK and *out (free with exs_query_result_free),
 * EXS_ERR_ARG for a cursor that does not belong to this query (err->message),
 * EXS_ERR_NOMEM. Thread-safe. */
EXS_API EXS_WUR exs_status exs_query_run(const exs_query *q, const exs_snapshot *snap,
                                         exs_query_result **out, exs_error *err);
/* The plan q would use on snap, as text (one step a line). *out is NUL-terminated; free
 * it with exs_free(). EXS_OK or EXS_ERR_NOMEM. Thread-safe. */
EXS_API EXS_WUR exs_status exs_query_explain(const exs_query *q, const exs_snapshot *snap,
                                             char **out);

typedef struct exs_query_value {
    bool is_null;
    bool is_int; /* else a string (when not null) */
    int64_t i;
    const char *s; /* owned by the result */
} exs_query_value;

EXS_API uint32_t exs_query_result_rows(const exs_query_result *r);
EXS_API uint32_t exs_query_result_columns(const exs_query_result *r);
/* Rows that matched, before offset/limit/after (the page is a part of them). */
EXS_API uint32_t exs_query_result_matched(const exs_query_result *r);
EXS_API const char *exs_query_result_column_name(const exs_query_result *r, uint32_t col);
EXS_API exs_query_value exs_query_result_value(const exs_query_result *r, uint32_t row,
                                               uint32_t col);
/* The location of a row: file, line, column (every source has them). */
EXS_API void exs_query_result_location(const exs_query_result *r, uint32_t row,
                                       const char **out_file, uint32_t *out_line,
                                       uint32_t *out_column);
/* A cursor for the next page (pass it to `after` / exs_query_after), or NULL when this
 * page is the last. It names the last row by its sort key and its natural key (file,
 * line, column, name), not by position, so rows added or removed before it do not
 * shift the next page. Owned by the result. */
EXS_API const char *exs_query_result_cursor(const exs_query_result *r);
/* Seconds spent planning and running. */
EXS_API double exs_query_result_seconds(const exs_query_result *r);
/* The rows as text (one a line: file:line:column then the columns, tab-separated) or as
 * JSON ({"columns":[..],"rows":[{..}],"matched":N,"cursor":..}). *out is
 * NUL-terminated; free it with exs_free(). EXS_OK or EXS_ERR_NOMEM. */
EXS_API EXS_WUR exs_status exs_query_result_write(const exs_query_result *r, bool json,
                                                  char **out, size_t *out_len);
EXS_API void exs_query_result_free(exs_query_result *r);

#ifdef __cplusplus
}
#endif
#endif
