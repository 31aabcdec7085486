/* graphs.c: per-function graphs over the repository (graphs.h), the CPG cache
 * (exs_graphs) and the project check runner (exs_repo_check). docs/cpg.md.
 *
 * Design:
 *   - The repository drops every tree once a file is analyzed, so graphs start from
 *     the source again: read, parse with the populator's file id (the high bits of any
 *     of the file's node IDs), defs_extract. Node IDs are deterministic, so the fresh
 *     tree's IDs are the repository's: a function is matched by its first clause's
 *     node ID, and every fresh function's clause IDs must match the indexed ones, else
 *     the file changed on disk and is refused (EXS_ERR_IO: re-index).
 *   - Per function: cfg_build, dfg_build, then cpg_build joining them with the call
 *     sites the repository resolved (by node ID; targets located through the snapshot).
 *   - The cache keeps, per repository file (a repo_file reference: its pointer cannot
 *     be reused while cached), the parsed file and the graphs built so far, each
 *     function in its own arena. A new generation is noticed at the next request: files
 *     whose repo_file is no longer in it (replaced or removed) are dropped whole. One
 *     mutex serializes requests (builds take ~10-100 us; contention is not the issue).
 *   - exs_repo_check parses each project file once on the pool (one job per file, its
 *     own arenas), builds full CPGs function by function in a scratch arena reset after
 *     each, and merges the findings in file order.
 * Called by the public API (exscope.h "Graphs and checks"), the CLI through it, the
 * bench and the tests. */
#define _POSIX_C_SOURCE 200809L
#include "graphs.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analyze/checks.h"
#include "../base/buf.h"
#include "../base/hashmap.h"
#include "../base/pool.h"
#include "../parse/parse.h"

#define NODE_ID_FILE(id) ((uint32_t)((id) >> 42))

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((format(printf, 3, 4))) static exs_status fail(exs_error *err, exs_status st,
                                                             const char *fmt, ...) {
    if (err) {
        memset(err, 0, sizeof(*err));
        err->code = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return st;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 1 << 15;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* ---- one file ------------------------------------------------------------------------ */

static uint64_t any_node_id(const repo_file *rf) {
    for (uint32_t i = 0; i < rf->defs.function_count; i++)
        if (rf->defs.functions[i].clause_count && rf->defs.functions[i].clauses[0].node_id)
            return rf->defs.functions[i].clauses[0].node_id;
    for (uint32_t i = 0; i < rf->defs.module_count; i++)
        if (rf->defs.modules[i].node_id) return rf->defs.modules[i].node_id;
    for (uint32_t i = 0; i < rf->calls.site_count; i++) /* a script: calls only */
        if (rf->calls.sites[i].node_id) return rf->calls.sites[i].node_id;
    return 0;
}

/* Does the term call defoverridable anywhere (a module body, a `use` quote)? */
static bool calls_defoverridable(const exs_tree *t, exs_ref r) {
    const exs_term *n = tree_get(t, r);
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return false;
    if (tree_is_call(t, r) && tree_is_atom(t, n->v.kids[0], "defoverridable")) return true;
    for (uint32_t i = 0; i < n->len; i++)
        if (calls_defoverridable(t, n->v.kids[i])) return true;
    return false;
}

/* Every call site of the indexed file names a node of the fresh tree on its line. */
static bool sites_match(const repo_file *rf, const exs_tree *t, const uint64_t *ids) {
    if (!rf->calls.site_count) return true;
    hmap m;
    if (!hmap_init(&m, t->count / 2)) return true; /* no memory to verify: trust it */
    for (uint32_t r = 0; r < t->count; r++)
        if (ids[r] && !hmap_put(&m, hash_u64(ids[r]), r)) {
            hmap_free(&m);
            return true;
        }
    bool ok = true;
    for (uint32_t s = 0; s < rf->calls.site_count && ok; s++) {
        const calls_site *cs = &rf->calls.sites[s];
        if (!cs->node_id) continue;
        hmap_it it;
        uint32_t r = hmap_first(&m, hash_u64(cs->node_id), &it);
        while (r != HMAP_NONE && ids[r] != cs->node_id)
            r = hmap_next(&m, &it);
        ok = r != HMAP_NONE && (!cs->line || tree_meta_int(t, r, EXS_META_LINE) == cs->line);
    }
    hmap_free(&m);
    return ok;
}

exs_status graphs_file_open(const repo_file *rf, graphs_file *out, exs_error *err) {
    memset(out, 0, sizeof(*out));
    if (rf->has_error) return fail(err, EXS_ERR_SYNTAX, "%s: did not parse when indexed", rf->path);
    size_t len = 0;
    char *src = slurp(rf->path, &len);
    if (!src) return fail(err, EXS_ERR_IO, "%s: cannot read: %s", rf->path, strerror(errno));
    exs_parse_options o = {.columns = true, .file_id = NODE_ID_FILE(any_node_id(rf))};
    exs_error perr;
    exs_status st = exs_parse(src, len, rf->path, &o, &out->parsed, &perr);
    free(src);
    if (st != EXS_OK) {
        out->parsed = NULL;
        return fail(err, st == EXS_ERR_SYNTAX ? EXS_ERR_IO : st,
                    "%s: changed on disk since it was indexed (%s); re-index it", rf->path,
                    perr.message);
    }
    out->arena = arena_new(1 << 14);
    if (!out->arena) goto nomem;
    const exs_tree *t = parse_file_tree(out->parsed);
    const uint64_t *ids = parse_file_ids(out->parsed);
    if (defs_extract(t, ids, out->arena, &out->defs) != EXS_OK) goto nomem;
    /* match fresh functions to indexed ones by clause node IDs */
    uint32_t nf = out->defs.function_count, rn = rf->defs.function_count;
    out->repo_fun = arena_alloc(out->arena, (size_t)nf * sizeof(uint32_t) + 1);
    out->site_off = arena_alloc_zero(out->arena, (size_t)(rn + 2) * sizeof(uint32_t));
    out->site_idx = arena_alloc(out->arena, (size_t)rf->calls.site_count * sizeof(uint32_t) + 1);
    out->overridable = arena_alloc_zero(out->arena, out->defs.module_count + 1);
    if (!out->repo_fun || !out->site_off || !out->site_idx || !out->overridable) goto nomem;
    for (uint32_t m = 0; m < out->defs.module_count; m++)
        out->overridable[m] = calls_defoverridable(t, out->defs.modules[m].node);
    uint32_t next = 0;
    for (uint32_t k = 0; k < nf; k++) {
        const defs_function *fn = &out->defs.functions[k];
        out->repo_fun[k] = DEFS_NONE;
        if (!fn->clause_count) continue;
        /* indexed order is source order for the file's own functions: look ahead first */
        for (uint32_t step = 0; step < rn; step++) {
            uint32_t r = (next + step) % rn;
            const defs_function *rfn = &rf->defs.functions[r];
            if (rfn->clause_count != fn->clause_count || rfn->line != fn->line ||
                rfn->clauses[0].node_id != fn->clauses[0].node_id)
                continue;
            out->repo_fun[k] = r;
            next = r + 1;
            break;
        }
        if (out->repo_fun[k] == DEFS_NONE) {
            graphs_file_close(out);
            return fail(err, EXS_ERR_IO, "%s: changed on disk since it was indexed; re-index it",
                        rf->path);
        }
    }
    /* Node IDs survive edits to other definitions and to whitespace, so a body edited
       on disk can keep its clause IDs: every indexed call site must still be a node of
       the fresh tree, on the same line. */
    if (!sites_match(rf, t, ids)) {
        graphs_file_close(out);
        return fail(err, EXS_ERR_IO, "%s: changed on disk since it was indexed; re-index it",
                    rf->path);
    }
    /* call sites grouped by caller function (counting sort, site order kept) */
    for (uint32_t s = 0; s < rf->calls.site_count; s++) {
        uint32_t c = rf->calls.sites[s].caller_fun;
        out->site_off[(c < rn ? c : rn) + 1]++;
    }
    for (uint32_t i = 0; i <= rn; i++)
        out->site_off[i + 1] += out->site_off[i];
    uint32_t *fill = malloc((size_t)(rn + 1) * sizeof(uint32_t));
    if (!fill) goto nomem;
    memcpy(fill, out->site_off, (size_t)(rn + 1) * sizeof(uint32_t));
    for (uint32_t s = 0; s < rf->calls.site_count; s++) {
        uint32_t c = rf->calls.sites[s].caller_fun;
        out->site_idx[fill[c < rn ? c : rn]++] = s;
    }
    free(fill);
    if (arena_failed(out->arena)) goto nomem;
    repo_file_ref((repo_file *)rf);
    out->rf = (repo_file *)rf;
    return EXS_OK;
nomem:
    graphs_file_close(out);
    return fail(err, EXS_ERR_NOMEM, "out of memory");
}

void graphs_file_close(graphs_file *gf) {
    exs_file_free(gf->parsed);
    arena_free(gf->arena);
    if (gf->rf) repo_file_unref(gf->rf);
    memset(gf, 0, sizeof(*gf));
}

size_t graphs_file_bytes(const graphs_file *gf) {
    return (gf->parsed ? exs_file_memory(gf->parsed) : 0) +
           (gf->arena ? arena_reserved(gf->arena) : 0);
}

exs_status graphs_fun_build(const graphs_file *gf, uint32_t k, const exs_snapshot *snap,
                            uint32_t max_ast_nodes, exs_arena *a, graphs_fun *out) {
    memset(out, 0, sizeof(*out));
    const defs_function *fn = &gf->defs.functions[k];
    out->fn = fn;
    const exs_tree *t = parse_file_tree(gf->parsed);
    const uint64_t *ids = parse_file_ids(gf->parsed);
    out->clauses = arena_alloc(a, (size_t)fn->clause_count * sizeof(exs_ref) + 1);
    if (!out->clauses) return EXS_ERR_NOMEM;
    uint32_t bodies = 0;
    for (uint32_t c = 0; c < fn->clause_count; c++) {
        out->clauses[c] = fn->clauses[c].node;
        bodies += !fn->clauses[c].bodiless;
    }
    if (!bodies) return EXS_ERR_ARG;
    exs_status st = cfg_build(t, ids, out->clauses, fn->clause_count, a, &out->cfg);
    if (st) return st;
    cpg_input in = {.tree = t,
                    .ids = ids,
                    .clauses = out->clauses,
                    .clause_count = fn->clause_count,
                    .cfg = &out->cfg,
                    .max_ast_nodes = max_ast_nodes,
                    .in_template = fn->in_using,
                    .conditional = fn->conditional || gf->overridable[fn->module]};
    st = dfg_build(t, ids, out->clauses, fn->clause_count, a, &out->dfg);
    if (st == EXS_ERR_NOMEM) return st;
    out->has_dfg = st == EXS_OK;
    cpg_var *vars = NULL;
    cpg_flow *flows = NULL;
    if (out->has_dfg) {
        const dfg_graph *d = &out->dfg;
        vars = arena_alloc(a, (size_t)d->def_count * sizeof(cpg_var) + 1);
        flows = arena_alloc(a, (size_t)d->edge_count * sizeof(cpg_flow) + 1);
        if (!vars || !flows) return EXS_ERR_NOMEM;
        for (uint32_t i = 0; i < d->def_count; i++) {
            const dfg_def *df = &d->defs[i];
            vars[i] = (cpg_var){df->node,      df->name, df->line,     df->column,
                                df->use_count, df->kind, df->is_unused};
        }
        for (uint32_t i = 0; i < d->edge_count; i++)
            flows[i] = (cpg_flow){d->defs[d->edges[i].def].node, d->uses[d->edges[i].use].node,
                                  d->uses[d->edges[i].use].kind};
        in.vars = vars;
        in.var_count = d->def_count;
        in.flows = flows;
        in.flow_count = d->edge_count;
        in.has_dfg = true;
    }
    /* call edges: the repository's resolved sites of this function */
    uint32_t r = gf->repo_fun[k];
    const repo_file *rf = gf->rf;
    if (r != DEFS_NONE) {
        uint32_t n = gf->site_off[r + 1] - gf->site_off[r];
        cpg_call *calls = arena_alloc(a, (size_t)n * sizeof(cpg_call) + 1);
        if (!calls) return EXS_ERR_NOMEM;
        uint32_t m = 0;
        for (uint32_t i = gf->site_off[r]; i < gf->site_off[r + 1]; i++) {
            const calls_site *s = &rf->calls.sites[gf->site_idx[i]];
            if (s->resolution == CALLS_TO_SPECIAL_FORM || !s->node_id) continue;
            cpg_call *c = &calls[m++];
            *c = (cpg_call){s->node_id,
                            s->resolution == CALLS_UNRESOLVED ? s->module : s->target_module,
                            s->name,
                            s->arity,
                            s->resolution,
                            NULL,
                            0};
            exs_function_info fi;
            if (snap && c->module && c->name && c->arity != CALLS_ARITY_UNKNOWN &&
                exs_snapshot_find_function(snap, c->module, c->name, c->arity, &fi)) {
                c->path = fi.path;
                c->line = fi.line;
            }
        }
        in.calls = calls;
        in.call_count = m;
    }
    return cpg_build(&in, a, &out->cpg);
}

/* ---- the cache ------------------------------------------------------------------------ */

typedef struct cfun {
    graphs_fun g;
    double seconds;
} cfun;

/* A cached file: its graphs live in one arena of their own (graphs are dropped with
 * their file, never one by one). */
typedef struct cfile {
    graphs_file gf;
    exs_arena *ga;
    cfun **funs; /* per fresh function, NULL until built */
    struct cfile *next;
} cfile;

struct exs_graphs {
    exs_repo *repo;
    uint32_t max_ast;
    pthread_mutex_t mu;
    cfile *files;
    uint64_t generation;
    uint64_t hits, misses, dropped;
};

exs_graphs *exs_graphs_new(exs_repo *repo, const exs_graph_options *opts) {
    if (!repo) return NULL;
    exs_graphs *g = calloc(1, sizeof(*g));
    if (!g) return NULL;
    g->repo = repo;
    g->max_ast = opts && opts->max_ast_nodes_for_full_cpg ? opts->max_ast_nodes_for_full_cpg
                                                          : CPG_DEFAULT_MAX_AST_NODES;
    if (pthread_mutex_init(&g->mu, NULL)) {
        free(g);
        return NULL;
    }
    return g;
}

static void cfile_free(cfile *f) {
    arena_free(f->ga);
    free(f->funs);
    graphs_file_close(&f->gf);
    free(f);
}

void exs_graphs_free(exs_graphs *g) {
    if (!g) return;
    while (g->files) {
        cfile *n = g->files->next;
        cfile_free(g->files);
        g->files = n;
    }
    pthread_mutex_destroy(&g->mu);
    free(g);
}

/* Drops the files the generation no longer has (replaced or removed). */
static void sweep(exs_graphs *g, const repo_gen *gen) {
    uint32_t n = repo_gen_file_count(gen);
    for (cfile **p = &g->files; *p;) {
        bool kept = false;
        for (uint32_t i = 0; i < n && !kept; i++)
            kept = repo_gen_file(gen, i) == (*p)->gf.rf;
        if (kept) {
            p = &(*p)->next;
            continue;
        }
        cfile *dead = *p;
        *p = dead->next;
        cfile_free(dead);
        g->dropped++;
    }
}

/* The cached function for module.name/arity; built when missing. Locked by caller. */
static exs_status lookup(exs_graphs *g, exs_snapshot *snap, const char *module, const char *name,
                         uint32_t arity, cfun **out, bool *cached, exs_error *err) {
    const repo_gen *gen = (const repo_gen *)snap;
    exs_repo_stats rs;
    exs_snapshot_stats(snap, &rs);
    if (rs.generation != g->generation) {
        sweep(g, gen);
        g->generation = rs.generation;
    }
    exs_function_info fi;
    if (!module || !name || !exs_snapshot_find_function(snap, module, name, arity, &fi))
        return fail(err, EXS_ERR_ARG, "%s.%s/%u: no such function", module ? module : "?",
                    name ? name : "?", arity);
    const repo_file *rf = NULL;
    for (uint32_t i = 0, n = repo_gen_file_count(gen); i < n && !rf; i++)
        if (strcmp(repo_gen_file(gen, i)->path, fi.path) == 0) rf = repo_gen_file(gen, i);
    if (!rf || !fi.node_id)
        return fail(err, EXS_ERR_ARG, "%s.%s/%u: generated, no source clauses", module, name,
                    arity);
    cfile *cf = g->files;
    while (cf && cf->gf.rf != rf)
        cf = cf->next;
    if (!cf) {
        cf = calloc(1, sizeof(*cf));
        if (!cf) return fail(err, EXS_ERR_NOMEM, "out of memory");
        exs_status st = graphs_file_open(rf, &cf->gf, err);
        if (st) {
            free(cf);
            return st;
        }
        cf->funs = calloc(cf->gf.defs.function_count + 1, sizeof(cfun *));
        cf->ga = arena_new(1 << 15);
        if (!cf->funs || !cf->ga) {
            free(cf->funs);
            arena_free(cf->ga);
            graphs_file_close(&cf->gf);
            free(cf);
            return fail(err, EXS_ERR_NOMEM, "out of memory");
        }
        cf->next = g->files;
        g->files = cf;
    }
    uint32_t k = 0, nf = cf->gf.defs.function_count;
    while (k < nf && !(cf->gf.defs.functions[k].clause_count &&
                       cf->gf.defs.functions[k].clauses[0].node_id == fi.node_id))
        k++;
    if (k == nf)
        return fail(err, EXS_ERR_ARG, "%s.%s/%u: generated, no source clauses", module, name,
                    arity);
    *cached = cf->funs[k] != NULL;
    if (!cf->funs[k]) {
        cfun *f = arena_alloc_zero(cf->ga, sizeof(*f));
        if (!f) return fail(err, EXS_ERR_NOMEM, "out of memory");
        double t0 = now();
        exs_status st = graphs_fun_build(&cf->gf, k, snap, g->max_ast, cf->ga, &f->g);
        f->seconds = now() - t0;
        if (st) { /* what it allocated stays in the file's arena until the file goes */
            return fail(err, st, "%s.%s/%u: %s", module, name, arity,
                        st == EXS_ERR_ARG ? "no clause with a body" : exs_status_name(st));
        }
        cf->funs[k] = f;
        g->misses++;
    } else {
        g->hits++;
    }
    *out = cf->funs[k];
    return EXS_OK;
}

static void fill_info(const cfun *f, bool cached, exs_graph_info *info) {
    if (!info) return;
    const cpg_graph *c = &f->g.cpg;
    memset(info, 0, sizeof(*info));
    info->is_summary = c->is_summary;
    info->has_dfg = c->has_dfg;
    info->from_cache = cached;
    info->ast_nodes = c->ast_nodes;
    info->nodes = c->node_count;
    info->edges = c->edge_count;
    info->ast_edges = c->edge_counts[CPG_EDGE_AST];
    info->cfg_edges = c->edge_counts[CPG_EDGE_CFG];
    info->dfg_edges = c->edge_counts[CPG_EDGE_DFG];
    info->call_edges = c->edge_counts[CPG_EDGE_CALL];
    info->callees = c->callee_count;
    info->cfg_nodes = f->g.cfg.node_count;
    info->cyclomatic = cfg_cyclomatic(&f->g.cfg);
    info->unreachable = f->g.cfg.unreachable;
    info->build_seconds = f->seconds;
}

exs_status exs_graphs_function(exs_graphs *g, const char *module, const char *name, uint32_t arity,
                               exs_graph_info *info, exs_error *err) {
    if (!g) return fail(err, EXS_ERR_ARG, "no graphs cache");
    exs_snapshot *snap = exs_repo_snapshot(g->repo);
    pthread_mutex_lock(&g->mu);
    cfun *f;
    bool cached = false;
    exs_status st = lookup(g, snap, module, name, arity, &f, &cached, err);
    if (!st) fill_info(f, cached, info);
    pthread_mutex_unlock(&g->mu);
    exs_snapshot_release(snap);
    return st;
}

exs_status exs_graphs_write(exs_graphs *g, const char *module, const char *name, uint32_t arity,
                            exs_graph_kind kind, exs_graph_format format, char **out,
                            size_t *out_len, exs_graph_info *info, exs_error *err) {
    if (!g || !out) return fail(err, EXS_ERR_ARG, "no graphs cache or output");
    *out = NULL;
    if (out_len) *out_len = 0;
    exs_snapshot *snap = exs_repo_snapshot(g->repo);
    pthread_mutex_lock(&g->mu);
    cfun *f;
    bool cached = false;
    exs_status st = lookup(g, snap, module, name, arity, &f, &cached, err);
    if (!st) {
        fill_info(f, cached, info);
        char title[600];
        snprintf(title, sizeof(title), "%s.%s/%u", module, name, arity);
        exs_buf b;
        buf_init(&b);
        if (kind == EXS_GRAPH_CFG) {
            if (format == EXS_GRAPH_DOT)
                cfg_write_dot(&f->g.cfg, title, &b);
            else
                cfg_write_json(&f->g.cfg, title, &b);
        } else if (kind == EXS_GRAPH_DFG && !f->g.cpg.has_dfg) {
            st = fail(err, EXS_ERR_ARG, "%s: no DFG (%s)", title,
                      f->g.cpg.is_summary ? "summary CPG: too many AST nodes" : "not built");
        } else {
            unsigned mask = kind == EXS_GRAPH_DFG ? CPG_MASK(CPG_EDGE_DFG) : CPG_MASK_ALL;
            if (format == EXS_GRAPH_DOT)
                cpg_write_dot(&f->g.cpg, title, mask, &b);
            else
                cpg_write_json(&f->g.cpg, title, mask, &b);
        }
        buf_putc(&b, 0); /* NUL-terminated, the NUL not counted */
        if (!st && (b.failed || !b.data)) st = fail(err, EXS_ERR_NOMEM, "out of memory");
        if (!st) {
            *out = b.data;
            if (out_len) *out_len = b.len - 1;
        } else {
            buf_free(&b);
        }
    }
    pthread_mutex_unlock(&g->mu);
    exs_snapshot_release(snap);
    return st;
}

void exs_graphs_stats_get(exs_graphs *g, exs_graphs_stats *out) {
    memset(out, 0, sizeof(*out));
    if (!g) return;
    pthread_mutex_lock(&g->mu);
    for (cfile *f = g->files; f; f = f->next) {
        out->files++;
        out->bytes += graphs_file_bytes(&f->gf) + arena_reserved(f->ga);
        for (uint32_t k = 0; k < f->gf.defs.function_count; k++)
            out->functions += f->funs[k] != NULL;
    }
    out->hits = g->hits;
    out->misses = g->misses;
    out->dropped_files = g->dropped;
    pthread_mutex_unlock(&g->mu);
}

/* ---- checks --------------------------------------------------------------------------- */

uint32_t exs_check_count(void) { return CHECK__COUNT; }
const char *exs_check_name(uint32_t i) { return i < CHECK__COUNT ? check_name(i) : NULL; }
const char *exs_check_doc(uint32_t i) { return i < CHECK__COUNT ? check_doc(i) : NULL; }

/* The functions that reach the database (Repo.* or GenServer.call) through their
 * calls: the direct callers from the call sites, then their callers, transitively
 * (breadth first over the callers index). Keys "Mod.fun/arity"; values the DB call. */
#define DB_MAX_DEPTH 3 /* a loop's callee at most 3 calls away from the DB call */

typedef struct dbset {
    hmap map;
    char **keys, **vias;
    uint8_t *depth; /* 1: calls the DB itself */
    uint32_t count, cap;
    bool failed;
} dbset;

static uint32_t db_find(const dbset *d, const char *key) {
    hmap_it it;
    for (uint32_t v = hmap_first(&d->map, hash_str(key), &it); v != HMAP_NONE;
         v = hmap_next(&d->map, &it))
        if (strcmp(d->keys[v], key) == 0) return v;
    return HMAP_NONE;
}

static bool db_add(dbset *d, const char *key, const char *via, uint8_t depth) {
    if (db_find(d, key) != HMAP_NONE) return false;
    if (d->count == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        char **k = realloc(d->keys, cap * sizeof(char *));
        if (k) d->keys = k;
        char **v = realloc(d->vias, cap * sizeof(char *));
        if (v) d->vias = v;
        uint8_t *dp = realloc(d->depth, cap);
        if (dp) d->depth = dp;
        if (!k || !v || !dp) return !(d->failed = true);
        d->cap = cap;
    }
    d->depth[d->count] = depth;
    d->keys[d->count] = strdup(key);
    d->vias[d->count] = strdup(via);
    if (!d->keys[d->count] || !d->vias[d->count] || !hmap_put(&d->map, hash_str(key), d->count)) {
        free(d->keys[d->count]);
        free(d->vias[d->count]);
        return !(d->failed = true);
    }
    d->count++;
    return true;
}

static void db_free(dbset *d) {
    for (uint32_t i = 0; i < d->count; i++) {
        free(d->keys[i]);
        free(d->vias[i]);
    }
    free(d->keys);
    free(d->vias);
    free(d->depth);
    hmap_free(&d->map);
    memset(d, 0, sizeof(*d));
}

static const char *last_segment(const char *m) {
    const char *dot = strrchr(m, '.');
    return dot ? dot + 1 : m;
}

typedef struct db_visit {
    dbset *d;
    const char *via;
    uint8_t depth;
} db_visit;

static bool db_caller(void *ctx, const exs_call_info *call) {
    db_visit *v = ctx;
    if (!call->caller_module || !call->caller_name) return true;
    char key[700];
    snprintf(key, sizeof(key), "%s.%s/%u", call->caller_module, call->caller_name,
             call->caller_arity);
    db_add(v->d, key, v->via, v->depth);
    return true;
}

static void db_build(dbset *d, const exs_snapshot *snap) {
    const repo_gen *gen = (const repo_gen *)snap;
    if (!hmap_init(&d->map, 64)) {
        d->failed = true;
        return;
    }
    char key[700], via[300];
    for (uint32_t i = 0; i < repo_gen_file_count(gen); i++) {
        const repo_file *rf = repo_gen_file(gen, i);
        if (rf->layer != REPO_PROJECT) continue;
        for (uint32_t k = 0; k < rf->calls.site_count; k++) {
            const calls_site *cs = &rf->calls.sites[k];
            if (cs->caller_fun >= rf->defs.function_count || !cs->module || !cs->name) continue;
            const char *last = last_segment(cs->module);
            bool repo = strcmp(last, "Repo") == 0 && cs->form == CALLS_REMOTE;
            bool call = strcmp(cs->module, "GenServer") == 0 && strcmp(cs->name, "call") == 0;
            if (!repo && !call) continue;
            const defs_function *fn = &rf->defs.functions[cs->caller_fun];
            const char *mod = rf->defs.modules[fn->module].name;
            if (!mod || !fn->name) continue;
            snprintf(key, sizeof(key), "%s.%s/%u", mod, fn->name, fn->arity);
            snprintf(via, sizeof(via), "%s.%s/%u", last, cs->name, cs->arity);
            db_add(d, key, via, 1);
        }
    }
    /* callers of callers, breadth first (the set grows while it is walked), up to
       DB_MAX_DEPTH: further away, every caller of a GenServer wrapper would qualify */
    for (uint32_t i = 0; i < d->count && !d->failed; i++) {
        if (d->depth[i] >= DB_MAX_DEPTH) continue;
        char mod[600], name[300];
        const char *k = d->keys[i], *slash = strrchr(k, '/'), *dot = NULL;
        for (const char *p = k; p < slash;
             p++) /* the module ends at the last dot before the name */
            if (*p == '.') dot = p;
        /* names may contain dots only as operators; ours come from defs (plain names) */
        if (!dot || (size_t)(dot - k) >= sizeof(mod) || (size_t)(slash - dot) > sizeof(name))
            continue;
        memcpy(mod, k, (size_t)(dot - k));
        mod[dot - k] = 0;
        memcpy(name, dot + 1, (size_t)(slash - dot - 1));
        name[slash - dot - 1] = 0;
        db_visit v = {d, d->vias[i], (uint8_t)(d->depth[i] + 1)};
        exs_snapshot_callers(snap, mod, name, (uint32_t)strtoul(slash + 1, NULL, 10), db_caller,
                             &v);
    }
}

static const char *db_call(void *ctx, const char *module, const char *name, uint32_t arity) {
    const dbset *d = ctx;
    char key[700];
    snprintf(key, sizeof(key), "%s.%s/%u", module, name, arity);
    uint32_t v = db_find(d, key);
    return v == HMAP_NONE ? NULL : d->vias[v];
}

typedef struct cjob {
    const repo_file *rf;
    const exs_snapshot *snap;
    uint32_t mask;
    const checks_env *env;
    check_list found;
    char **fun_names; /* per finding */
    uint32_t functions;
    bool skipped, nomem;
} cjob;

static void check_job(void *arg) {
    cjob *j = arg;
    graphs_file gf;
    if (graphs_file_open(j->rf, &gf, NULL) != EXS_OK) {
        j->skipped = true;
        return;
    }
    exs_arena *a = arena_new(1 << 16);
    if (!a) {
        j->nomem = true;
        graphs_file_close(&gf);
        return;
    }
    for (uint32_t k = 0; k < gf.defs.function_count; k++) {
        const defs_function *fn = &gf.defs.functions[k];
        /* f/1 made by the defaults of f/2 shares f/2's clauses: check them once */
        if (!fn->clause_count || fn->default_of) continue;
        graphs_fun f;
        exs_status st = graphs_fun_build(&gf, k, j->snap, UINT32_MAX, a, &f);
        if (st == EXS_OK) {
            j->functions++;
            uint32_t before = j->found.count;
            checks_run(&f.cpg, j->mask, j->env, &j->found);
            if (j->found.count > before) {
                char **names = realloc(j->fun_names, j->found.count * sizeof(char *));
                if (!names) {
                    j->nomem = true;
                } else {
                    j->fun_names = names;
                    const char *mod = gf.defs.modules[fn->module].name;
                    char buf[600];
                    snprintf(buf, sizeof(buf), "%s.%s/%u", mod ? mod : "?",
                             fn->name ? fn->name : "?", fn->arity);
                    for (uint32_t i = before; i < j->found.count; i++)
                        names[i] = strdup(buf);
                }
            }
        } else if (st == EXS_ERR_NOMEM) {
            j->nomem = true;
        }
        arena_reset(a);
    }
    if (j->found.failed) j->nomem = true;
    arena_free(a);
    graphs_file_close(&gf);
}

static exs_status parse_mask(const char *list, uint32_t *mask, exs_error *err) {
    if (!list) {
        *mask = CHECK_ALL;
        return EXS_OK;
    }
    *mask = 0;
    char name[64];
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && n < sizeof(name)) {
            memcpy(name, p, n);
            name[n] = 0;
            check_kind k = check_by_name(name);
            if (k == CHECK__COUNT) return fail(err, EXS_ERR_ARG, "unknown check '%s'", name);
            *mask |= 1u << k;
        } else if (n) {
            return fail(err, EXS_ERR_ARG, "unknown check");
        }
        p += n + (e != NULL);
    }
    return EXS_OK;
}

exs_status exs_repo_check(exs_repo *repo, const exs_check_options *opts, exs_check_report *out,
                          exs_error *err) {
    memset(out, 0, sizeof(*out));
    if (!repo) return fail(err, EXS_ERR_ARG, "no repository");
    uint32_t mask;
    exs_status st = parse_mask(opts ? opts->checks : NULL, &mask, err);
    if (st) return st;
    double t0 = now();
    exs_snapshot *snap = exs_repo_snapshot(repo);
    const repo_gen *gen = (const repo_gen *)snap;
    uint32_t n = repo_gen_file_count(gen);
    cjob *jobs = calloc(n + 1, sizeof(cjob));
    exs_pool *pool = jobs ? pool_new(opts ? opts->threads : 0) : NULL;
    if (!pool) {
        free(jobs);
        exs_snapshot_release(snap);
        return fail(err, EXS_ERR_NOMEM, "out of memory");
    }
    dbset db = {0};
    checks_env env = {db_call, &db};
    if (mask & (1u << CHECK_N_PLUS_ONE)) db_build(&db, snap);
    for (uint32_t i = 0; i < n; i++) {
        const repo_file *rf = repo_gen_file(gen, i);
        jobs[i] = (cjob){.rf = rf, .snap = snap, .mask = mask, .env = db.failed ? NULL : &env};
        if (rf->layer != REPO_PROJECT) continue;
        pool_submit(pool, check_job, &jobs[i]);
    }
    pool_wait(pool);
    pool_free(pool);
    uint32_t total = 0;
    bool nomem = false;
    for (uint32_t i = 0; i < n; i++)
        total += jobs[i].found.count;
    out->findings = calloc(total + 1, sizeof(exs_finding));
    nomem = !out->findings;
    for (uint32_t i = 0; i < n; i++) {
        cjob *j = &jobs[i];
        if (j->rf->layer != REPO_PROJECT) continue;
        out->files += !j->skipped;
        out->skipped_files += j->skipped;
        out->functions += j->functions;
        nomem |= j->nomem;
        for (uint32_t k = 0; k < j->found.count; k++) {
            const check_finding *cf = &j->found.items[k];
            if (!nomem) {
                exs_finding *f = &out->findings[out->count++];
                f->path = strdup(j->rf->path);
                f->line = cf->line;
                f->column = cf->column;
                f->check = check_name(cf->check);
                f->function = j->fun_names ? j->fun_names[k] : NULL;
                f->message = strdup(cf->message);
                if (!f->path || !f->message || !f->function) nomem = true;
            } else if (j->fun_names) {
                free(j->fun_names[k]);
            }
        }
        free(j->fun_names);
        check_list_free(&j->found);
    }
    free(jobs);
    db_free(&db);
    exs_snapshot_release(snap);
    out->seconds = now() - t0;
    if (nomem) {
        exs_check_report_free(out);
        return fail(err, EXS_ERR_NOMEM, "out of memory");
    }
    return EXS_OK;
}

void exs_check_report_free(exs_check_report *r) {
    if (!r) return;
    for (uint32_t i = 0; i < r->count; i++) {
        free(r->findings[i].path);
        free(r->findings[i].function);
        free(r->findings[i].message);
    }
    free(r->findings);
    memset(r, 0, sizeof(*r));
}
