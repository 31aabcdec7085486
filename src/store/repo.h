/* repo.h: the repository's internal interface, for the populator (sync/) and tests.
 * The public face (exs_repo, exs_snapshot) is in exscope.h; docs/repository.md has
 * the design.
 *
 * A repo_file owns everything one source file contributes (its arena: definitions,
 * call sites, metrics, columns). A generation (repo_gen, the public exs_snapshot) is an
 * immutable set of files plus the tables and indexes built over them. The single
 * writer builds the next generation as a draft (repo_draft: files, modules, functions
 * and their indexes), may use its function index to resolve calls (repo_lookup), then
 * indexes the calls (repo_draft_finish) and publishes it with one atomic swap
 * (repo_publish). Files are reference counted: a file shared by two generations is
 * freed with the last of them; a generation is freed when the repository and every
 * reader holding it have released it.
 *
 * Ownership: repo_file_new returns one reference; repo_draft takes its own references
 * to the files it uses, so the caller drops its own with repo_file_unref.
 * Thread-safety: repo_acquire / repo_gen_release / readers of a generation are
 * thread-safe; drafting, finishing and publishing are for one writer thread. */
#ifndef EXS_REPO_H
#define EXS_REPO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../analyze/calls.h"
#include "../analyze/defs.h"
#include "../analyze/metrics.h"
#include "../base/arena.h"

typedef enum { REPO_PROJECT = 0, REPO_STDLIB = 1, REPO_DEPS = 2 } repo_layer;

typedef struct repo_file {
    atomic_uint refs;
    char *path; /* malloc'd */
    uint8_t layer; /* repo_layer */
    exs_arena *arena;
    exs_file *parsed;     /* the tree while the populator analyzes; NULL once published */
    defs_result defs;
    calls_result calls;   /* empty for the stdlib layer */
    exs_metrics *metrics; /* per defs function (zeroed for generated ones); NULL: none */
    uint32_t *columns;    /* per defs function: column of the first clause; NULL: none */
    uint32_t *mod_columns; /* per defs module: column of its defmodule; NULL: none */
    bool has_error;
    uint32_t err_line, err_column;
    char *err_message;    /* in the arena */
} repo_file;

/* A new file record with an arena; NULL on ENOMEM. One reference. */
repo_file *repo_file_new(const char *path, repo_layer layer);
void repo_file_ref(repo_file *f);
void repo_file_unref(repo_file *f);

typedef struct repo_gen repo_gen;

/* The current generation, with a reference (lock-free). */
repo_gen *repo_acquire(exs_repo *r);
void repo_gen_release(repo_gen *g);

/* A draft of the next generation: the current files (when keep_current) minus those
 * whose path is in `remove` or is the path of a file in `add`, plus `add`. Modules,
 * functions and their indexes are built; calls are not (see repo_draft_finish).
 * NULL on ENOMEM. */
repo_gen *repo_draft(exs_repo *r, repo_file *const *add, uint32_t add_count,
                     const char *const *remove, uint32_t remove_count, bool keep_current);
/* A lookup over the draft's public functions (project and stdlib layers) for
 * calls_resolve; valid while the draft is. Read-only: usable from many threads. */
calls_lookup repo_lookup(repo_gen *g);
/* Builds the call tables and indexes (callers, callees) and the complexity buckets
 * from the files' (resolved) call sites and metrics. EXS_OK or EXS_ERR_NOMEM. */
EXS_WUR exs_status repo_draft_finish(repo_gen *g);
/* Publishes a finished draft (taking its reference) with one atomic swap; the
 * previous generation is released once no reader still enters it. */
void repo_publish(exs_repo *r, repo_gen *g);

/* Internal lookups (test helpers). */
uint32_t repo_gen_file_count(const repo_gen *g);
const repo_file *repo_gen_file(const repo_gen *g, uint32_t i);
/* The function (index into the generation's table) with a clause of that node ID, or
 * UINT32_MAX; the function's info into *out when found. */
uint32_t repo_find_by_node(const repo_gen *g, uint64_t node_id, exs_function_info *out);

/* Row access for the query executor (src/query/exec.c) and its tests: the generation's
 * tables by index (in file order; calls of one file are contiguous) and its indexes.
 * Indices are valid for this generation only. *_is_project: the row is in a project
 * file (not the stdlib or deps layer). */
uint32_t repo_gen_fun_count(const repo_gen *g);
uint32_t repo_gen_mod_count(const repo_gen *g);
uint32_t repo_gen_call_count(const repo_gen *g);
void repo_gen_fun_info(const repo_gen *g, uint32_t i, exs_function_info *out);
void repo_gen_mod_info(const repo_gen *g, uint32_t i, exs_module_info *out);
void repo_gen_call_info(const repo_gen *g, uint32_t i, exs_call_info *out);
uint32_t repo_gen_fun_file(const repo_gen *g, uint32_t i);
uint32_t repo_gen_mod_file(const repo_gen *g, uint32_t i);
uint32_t repo_gen_call_file(const repo_gen *g, uint32_t i);
/* The call's caller function (gen index) or UINT32_MAX at module level. */
uint32_t repo_gen_call_caller(const repo_gen *g, uint32_t i);
/* Function index by MFA (project first), UINT32_MAX when none. */
uint32_t repo_gen_find_fun(const repo_gen *g, const char *module, const char *name,
                           uint32_t arity);
/* Every function with that MFA (all layers; a module may be defined twice), in table
 * order, at most cap of them into out; returns how many there are. */
uint32_t repo_gen_find_funs(const repo_gen *g, const char *module, const char *name,
                            uint32_t arity, uint32_t *out, uint32_t cap);
/* Every module row named `name` (all layers), at most cap into out; returns how many. */
uint32_t repo_gen_find_mods(const repo_gen *g, const char *name, uint32_t *out, uint32_t cap);
/* File index by path, UINT32_MAX when none. */
uint32_t repo_gen_find_file(const repo_gen *g, const char *path);
/* Module range [*out_first, *out_first + count) of file i; returns count. */
uint32_t repo_gen_file_mods(const repo_gen *g, uint32_t file, uint32_t *out_first);
/* Function range of module i; returns count. */
uint32_t repo_gen_mod_funs(const repo_gen *g, uint32_t mod, uint32_t *out_first);
/* Call indices whose resolved target is module.name/arity (all layers); returns count. */
uint32_t repo_gen_callers_of(const repo_gen *g, const char *module, const char *name,
                             uint32_t arity, const uint32_t **out_calls);
/* Call indices inside function i; returns count. */
uint32_t repo_gen_callees_of(const repo_gen *g, uint32_t fun, const uint32_t **out_calls);
/* Functions of complexity bucket b (metrics_bucket), most complex first; returns count. */
uint32_t repo_gen_bucket_funs(const repo_gen *g, unsigned bucket, const uint32_t **out_funs);

#endif
