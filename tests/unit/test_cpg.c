/* test_cpg.c: the code property graph (src/analyze/cpg.c) and the graphs cache over
 * the repository (src/store/graphs.c).
 *
 * Graph level: the join is exact: one AST node per node ID of the function's clauses
 * (pre-order, parent before child, one AST edge per non-root node), every CFG node and
 * edge carried over, every DFG edge joined on its variables' node IDs, call edges to
 * one FUNCTION node per distinct target; cpg_find answers every ID. A summary (AST
 * node count above the limit) has no AST or DFG edges, keeps the CFG skeleton (entry,
 * exit, heads, calls, decisions) and the call edges. Writers: JSON and DOT (rendered
 * with Graphviz when `dot` is installed).
 * Repository level: first request builds, second comes from the cache; replacing the
 * file (exs_repo_update_files) drops its graphs; a file edited on disk without
 * re-indexing is refused (EXS_ERR_IO); unknown functions are EXS_ERR_ARG. */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>
#include <unistd.h>

#include "exscope.h"
#include "analyze/cfg.h"
#include "analyze/cpg.h"
#include "analyze/defs.h"
#include "analyze/dfg.h"
#include "parse/parse.h"
#include "store/graphs.h"
#include "harness.h"

static const char *SRC = "defmodule T do\n"
                         "  def f(x, y) do\n" /* 2 */
                         "    z = x + 1\n"    /* 3 */
                         "    case y do\n"    /* 4 */
                         "      :a -> Enum.map(z, fn v -> v * z end)\n"
                         "      _ -> g(z)\n" /* 6 */
                         "    end\n"
                         "  end\n"
                         "  def f(_, _), do: :never\n" /* 9 */
                         "  defp g(n), do: n\n"
                         "end\n";

typedef struct built {
    exs_file *f;
    exs_arena *a;
    defs_result d;
    exs_ref clauses[8];
    cfg_graph cfg;
    dfg_graph dfg;
    cpg_var vars[64];
    cpg_flow flows[64];
    cpg_graph g;
} built;

static uint32_t count_ids(const exs_tree *t, const uint64_t *ids, exs_ref r) {
    const exs_term *n = tree_get(t, r);
    uint32_t k = ids[r] != 0;
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE)
        for (uint32_t i = 0; i < n->len; i++)
            k += count_ids(t, ids, n->v.kids[i]);
    return k;
}

static void build(built *b, const char *name, uint32_t max_ast, const cpg_call *calls,
                  uint32_t ncalls) {
    memset(b, 0, sizeof(*b));
    exs_parse_options o = {.columns = true, .file_id = 3};
    ASSERT_EQ(exs_parse(SRC, strlen(SRC), "t.ex", &o, &b->f, NULL), EXS_OK);
    const exs_tree *t = parse_file_tree(b->f);
    const uint64_t *ids = parse_file_ids(b->f);
    b->a = arena_new(1 << 14);
    ASSERT_EQ(defs_extract(t, ids, b->a, &b->d), EXS_OK);
    const defs_function *fn = NULL;
    for (uint32_t k = 0; k < b->d.function_count; k++)
        if (strcmp(b->d.functions[k].name, name) == 0) fn = &b->d.functions[k];
    ASSERT(fn);
    for (uint32_t c = 0; c < fn->clause_count; c++)
        b->clauses[c] = fn->clauses[c].node;
    ASSERT_EQ(cfg_build(t, ids, b->clauses, fn->clause_count, b->a, &b->cfg), EXS_OK);
    ASSERT_EQ(dfg_build(t, ids, b->clauses, fn->clause_count, b->a, &b->dfg), EXS_OK);
    ASSERT(b->dfg.def_count < 64 && b->dfg.edge_count < 64);
    for (uint32_t i = 0; i < b->dfg.def_count; i++) {
        const dfg_def *d = &b->dfg.defs[i];
        b->vars[i] =
            (cpg_var){d->node, d->name, d->line, d->column, d->use_count, d->kind, d->is_unused};
    }
    for (uint32_t i = 0; i < b->dfg.edge_count; i++)
        b->flows[i] =
            (cpg_flow){b->dfg.defs[b->dfg.edges[i].def].node, b->dfg.uses[b->dfg.edges[i].use].node,
                       b->dfg.uses[b->dfg.edges[i].use].kind};
    cpg_input in = {.tree = t,
                    .ids = ids,
                    .clauses = b->clauses,
                    .clause_count = fn->clause_count,
                    .cfg = &b->cfg,
                    .vars = b->vars,
                    .var_count = b->dfg.def_count,
                    .flows = b->flows,
                    .flow_count = b->dfg.edge_count,
                    .has_dfg = true,
                    .calls = calls,
                    .call_count = ncalls,
                    .max_ast_nodes = max_ast};
    ASSERT_EQ(cpg_build(&in, b->a, &b->g), EXS_OK);
}

static void drop(built *b) {
    arena_free(b->a);
    exs_file_free(b->f);
}

static void check_csr(const cpg_graph *g) {
    uint32_t sum[CPG_EDGE__COUNT] = {0};
    ASSERT_EQ(g->out_start[g->node_count], g->edge_count);
    ASSERT_EQ(g->in_start[g->node_count], g->edge_count);
    for (uint32_t v = 0; v < g->node_count; v++)
        for (uint32_t e = g->out_start[v]; e < g->out_start[v + 1]; e++) {
            ASSERT_EQ(g->edges[e].from, v);
            ASSERT(g->edges[e].to < g->node_count);
            sum[g->edges[e].kind]++;
        }
    for (uint32_t v = 0; v < g->node_count; v++)
        for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++)
            ASSERT_EQ(g->edges[g->in_edges[i]].to, v);
    for (int k = 0; k < CPG_EDGE__COUNT; k++)
        ASSERT_EQ(sum[k], g->edge_counts[k]);
}

TEST(full_join) {
    built b;
    build(&b, "f", 0, NULL, 0);
    const cpg_graph *g = &b.g;
    const exs_tree *t = parse_file_tree(b.f);
    const uint64_t *ids = parse_file_ids(b.f);
    check_csr(g);
    ASSERT(!g->is_summary);
    ASSERT(g->has_dfg);
    uint32_t n_ids = count_ids(t, ids, b.clauses[0]) + count_ids(t, ids, b.clauses[1]);
    ASSERT_EQ(g->ast_nodes, n_ids);
    uint32_t ast = 0;
    for (uint32_t v = 0; v < g->node_count; v++) {
        const cpg_node *n = &g->nodes[v];
        if (n->kind != CPG_NODE_AST) continue;
        ast++;
        ASSERT_EQ(cpg_find(g, n->node_id), v);
        ASSERT_EQ(cpg_find_ref(g, n->ref), v);
        if (n->parent != CPG_NONE) ASSERT(n->parent < v);
    }
    ASSERT_EQ(ast, n_ids);
    ASSERT_EQ(g->edge_counts[CPG_EDGE_AST], n_ids - 2); /* every node but the 2 clause roots */
    ASSERT_EQ(g->edge_counts[CPG_EDGE_CFG], b.cfg.edge_count);
    ASSERT_EQ(g->edge_counts[CPG_EDGE_DFG], b.dfg.edge_count);
    ASSERT(b.dfg.edge_count >= 5); /* x, y, z (x3 incl. the closure), v */
    for (uint32_t c = 0; c < b.cfg.node_count; c++) {
        uint32_t v = g->cfg_to_node[c];
        ASSERT(v != CPG_NONE);
        ASSERT_EQ(g->nodes[v].cfg, c);
        ASSERT_EQ(g->nodes[v].cfg_kind, b.cfg.nodes[c].kind);
        if (b.cfg.nodes[c].node_id) ASSERT_EQ(g->nodes[v].node_id, b.cfg.nodes[c].node_id);
    }
    /* the def clause root carries the HEAD; the second clause is unreachable */
    uint32_t h2 = cpg_find_ref(g, b.clauses[1]);
    ASSERT_EQ(g->nodes[h2].cfg_kind, CFG_NODE_HEAD);
    ASSERT(g->nodes[h2].flags & CPG_NF_UNREACHABLE);
    /* x and y are parameters, z is read three times (two in the closure) */
    uint32_t params = 0, zdef = CPG_NONE;
    for (uint32_t v = 0; v < g->node_count; v++) {
        if (g->nodes[v].flags & CPG_NF_PARAM) params++;
        if ((g->nodes[v].flags & CPG_NF_VAR_DEF) && strcmp(g->vars[g->nodes[v].aux].name, "z") == 0)
            zdef = v;
    }
    ASSERT_EQ(params, 2);
    ASSERT(zdef != CPG_NONE);
    uint32_t zuses = 0;
    for (uint32_t e = g->out_start[zdef]; e < g->out_start[zdef + 1]; e++)
        if (g->edges[e].kind == CPG_EDGE_DFG) {
            zuses++;
            ASSERT(g->nodes[g->edges[e].to].flags & CPG_NF_VAR_USE);
        }
    ASSERT_EQ(zuses, 3);
    drop(&b);
}

TEST(call_edges) {
    built b0;
    build(&b0, "f", 0, NULL, 0);
    /* find the Enum.map and g(z) call nodes' IDs through the CFG */
    uint64_t map_id = 0, g_id = 0;
    for (uint32_t c = 0; c < b0.cfg.node_count; c++) {
        if (b0.cfg.nodes[c].kind != CFG_NODE_CALL) continue;
        if (b0.cfg.nodes[c].line == 5 && !map_id) map_id = b0.cfg.nodes[c].node_id;
        if (b0.cfg.nodes[c].line == 6) g_id = b0.cfg.nodes[c].node_id;
    }
    ASSERT(map_id && g_id);
    drop(&b0);
    cpg_call calls[] = {
        {map_id, "Enum", "map", 2, 3, "enum.ex", 10},
        {g_id, "T", "g", 1, 1, "t.ex", 10},
        {g_id, "T", "g", 1, 1, "t.ex", 10}, /* listed twice: one edge */
        {12345, "X", "y", 0, 0, NULL, 0},   /* no such node: ignored */
    };
    built b;
    build(&b, "f", 0, calls, 4);
    check_csr(&b.g);
    ASSERT_EQ(b.g.callee_count, 2);
    ASSERT_EQ(b.g.edge_counts[CPG_EDGE_CALL], 2);
    uint32_t site = cpg_find(&b.g, g_id);
    ASSERT(b.g.nodes[site].flags & CPG_NF_CALL_SITE);
    uint32_t e = b.g.out_start[site + 1] - 1;
    ASSERT_EQ(b.g.edges[e].kind, CPG_EDGE_CALL);
    const cpg_node *fnode = &b.g.nodes[b.g.edges[e].to];
    ASSERT_EQ(fnode->kind, CPG_NODE_FUNCTION);
    ASSERT_STR_EQ(b.g.callees[fnode->aux].name, "g");
    drop(&b);
}

TEST(summary) {
    built b;
    build(&b, "f", 10, NULL, 0);
    const cpg_graph *g = &b.g;
    check_csr(g);
    ASSERT(g->is_summary);
    ASSERT(!g->has_dfg);
    ASSERT(g->ast_nodes > 10);
    ASSERT_EQ(g->edge_counts[CPG_EDGE_AST], 0);
    ASSERT_EQ(g->edge_counts[CPG_EDGE_DFG], 0);
    ASSERT(g->node_count < b.cfg.node_count);
    ASSERT(g->edge_counts[CPG_EDGE_CFG] > 0);
    /* entry and exit are kept; every kept node is a skeleton kind or a decision */
    ASSERT(g->cfg_to_node[b.cfg.entry] != CPG_NONE);
    ASSERT(g->cfg_to_node[b.cfg.exit] != CPG_NONE);
    uint32_t calls = 0;
    for (uint32_t v = 0; v < g->node_count; v++)
        calls += g->nodes[v].cfg_kind == CFG_NODE_CALL;
    ASSERT(calls >= 2);
    /* the exit is reachable from the entry over skeleton edges */
    uint8_t seen[256] = {0};
    uint32_t stack[256], sp = 0;
    ASSERT(g->node_count < 256);
    stack[sp++] = g->cfg_to_node[b.cfg.entry];
    seen[stack[0]] = 1;
    while (sp) {
        uint32_t v = stack[--sp];
        for (uint32_t e = g->out_start[v]; e < g->out_start[v + 1]; e++)
            if (!seen[g->edges[e].to]) seen[g->edges[e].to] = 1, stack[sp++] = g->edges[e].to;
    }
    ASSERT(seen[g->cfg_to_node[b.cfg.exit]]);
    drop(&b);
}

TEST(writers) {
    built b;
    build(&b, "f", 0, NULL, 0);
    exs_buf o;
    buf_init(&o);
    cpg_write_json(&b.g, "T.f/2", CPG_MASK_ALL, &o);
    buf_putc(&o, 0);
    ASSERT(!o.failed);
    ASSERT(strstr(o.data, "\"summary\":false"));
    ASSERT(strstr(o.data, "\"kind\":\"dfg\""));
    ASSERT(strstr(o.data, "\"var_def\":\"z\""));
    o.len = 0;
    cpg_write_dot(&b.g, "T.f/2", CPG_MASK_ALL, &o);
    buf_putc(&o, 0);
    ASSERT(strstr(o.data, "digraph cpg"));
    ASSERT(strstr(o.data, "z = x + 1 :3"));
    if (system("command -v dot >/dev/null 2>&1") == 0) {
        char path[] = "/tmp/test_cpg_XXXXXX";
        int fd = mkstemp(path);
        ASSERT(fd >= 0);
        ASSERT_EQ(write(fd, o.data, o.len - 1), (long long)(o.len - 1));
        close(fd);
        char cmd[256];
        snprintf(cmd, sizeof(cmd), "dot -Tsvg %s -o /dev/null", path);
        ASSERT_EQ(system(cmd), 0);
        unlink(path);
    }
    buf_free(&o);
    drop(&b);
}

/* ---- the cache over a repository ---------------------------------------------------- */

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    ASSERT(f);
    fputs(text, f);
    fclose(f);
}

TEST(cache) {
    char dir[] = "/tmp/test_cpg_dirXXXXXX";
    ASSERT(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof(path), "%s/t.ex", dir);
    write_file(path, SRC);
    exs_repo *repo = exs_repo_new();
    exs_index_options io = {.threads = 1};
    ASSERT_EQ(exs_repo_index_dir(repo, dir, &io, NULL), EXS_OK);
    exs_graphs *gs = exs_graphs_new(repo, NULL);
    ASSERT(gs);
    exs_graph_info info;
    exs_error err;
    ASSERT_EQ(exs_graphs_function(gs, "T", "f", 2, &info, &err), EXS_OK);
    ASSERT(!info.from_cache && !info.is_summary && info.has_dfg);
    ASSERT(info.call_edges >= 2);  /* Enum.map/2, g/1 (and the operators) */
    ASSERT_EQ(info.cyclomatic, 2); /* the case; the second head is behind a catch-all */
    ASSERT_EQ(exs_graphs_function(gs, "T", "f", 2, &info, &err), EXS_OK);
    ASSERT(info.from_cache);
    char *out;
    size_t len;
    ASSERT_EQ(
        exs_graphs_write(gs, "T", "f", 2, EXS_GRAPH_DFG, EXS_GRAPH_JSON, &out, &len, NULL, &err),
        EXS_OK);
    ASSERT(strstr(out, "\"kind\":\"dfg\"") && !strstr(out, "\"kind\":\"cfg\""));
    exs_free(out);
    ASSERT_EQ(
        exs_graphs_write(gs, "T", "g", 1, EXS_GRAPH_CFG, EXS_GRAPH_DOT, &out, &len, NULL, &err),
        EXS_OK);
    ASSERT(strstr(out, "digraph"));
    exs_free(out);
    ASSERT_EQ(exs_graphs_function(gs, "T", "nope", 1, &info, &err), EXS_ERR_ARG);
    exs_graphs_stats st;
    exs_graphs_stats_get(gs, &st);
    ASSERT_EQ(st.files, 1);
    ASSERT_EQ(st.functions, 2);
    ASSERT_EQ(st.hits, 2);
    ASSERT_EQ(st.misses, 2);
    ASSERT(st.bytes > 0);

    /* a body edited on disk (a line inserted: clause IDs unchanged, call sites moved),
       not re-indexed: refused */
    char *shifted = malloc(strlen(SRC) + 2);
    const char *cut = strstr(SRC, "    case y do");
    memcpy(shifted, SRC, (size_t)(cut - SRC));
    shifted[cut - SRC] = '\n';
    strcpy(shifted + (cut - SRC) + 1, cut);
    write_file(path, shifted);
    free(shifted);
    exs_graphs *edited = exs_graphs_new(repo, NULL);
    ASSERT_EQ(exs_graphs_function(edited, "T", "f", 2, &info, &err), EXS_ERR_IO);
    exs_graphs_free(edited);

    /* edited on disk, not re-indexed: refused */
    write_file(path, "defmodule T do\n  def f(a, b), do: {a, b}\n  def h, do: 1\nend\n");
    exs_graphs *fresh = exs_graphs_new(repo, NULL);
    ASSERT_EQ(exs_graphs_function(fresh, "T", "f", 2, &info, &err), EXS_ERR_IO);
    ASSERT(strstr(err.message, "changed on disk"));
    exs_graphs_free(fresh);

    /* re-indexed: the old graphs are dropped, the new ones built */
    const char *paths[] = {path};
    ASSERT_EQ(exs_repo_update_files(repo, paths, 1, &io, NULL), EXS_OK);
    ASSERT_EQ(exs_graphs_function(gs, "T", "f", 2, &info, &err), EXS_OK);
    ASSERT(!info.from_cache);
    ASSERT(!info.has_dfg || info.dfg_edges == 2);
    exs_graphs_stats_get(gs, &st);
    ASSERT_EQ(st.dropped_files, 1);
    ASSERT_EQ(st.functions, 1);

    /* the summary threshold is configurable */
    exs_graph_options go = {.max_ast_nodes_for_full_cpg = 3};
    exs_graphs *small = exs_graphs_new(repo, &go);
    ASSERT_EQ(exs_graphs_function(small, "T", "f", 2, &info, &err), EXS_OK);
    ASSERT(info.is_summary && !info.has_dfg && info.ast_edges == 0);
    ASSERT_EQ(
        exs_graphs_write(small, "T", "f", 2, EXS_GRAPH_DFG, EXS_GRAPH_DOT, &out, &len, NULL, &err),
        EXS_ERR_ARG);
    exs_graphs_free(small);
    exs_graphs_free(gs);
    exs_repo_free(repo);
    unlink(path);
    rmdir(dir);
}

/* Every function of the elixir-lang sources, full and as a summary (limit 1): the
 * indexes are consistent, full graphs hold every CFG edge and DFG edge, and a
 * summary's exit is reachable from its entry whenever the CFG's is. */
TEST(corpus) {
    struct stat sb;
    if (stat("corpus/elixir-lang/lib", &sb) != 0) {
        fprintf(stderr, "  (no corpus: skipped)\n");
        return;
    }
    exs_repo *repo = exs_repo_new();
    exs_index_options io = {.threads = 2};
    ASSERT_EQ(exs_repo_index_dir(repo, "corpus/elixir-lang/lib", &io, NULL), EXS_OK);
    exs_snapshot *snap = exs_repo_snapshot(repo);
    const repo_gen *gen = (const repo_gen *)snap;
    uint32_t funs = 0, files = 0;
    uint8_t *seen = NULL;
    uint32_t *stack = NULL;
    size_t cap = 0;
    for (uint32_t i = 0; i < repo_gen_file_count(gen); i++) {
        graphs_file gf;
        if (graphs_file_open(repo_gen_file(gen, i), &gf, NULL) != EXS_OK) continue;
        files++;
        exs_arena *a = arena_new(1 << 16);
        for (uint32_t k = 0; k < gf.defs.function_count; k++) {
            if (!gf.defs.functions[k].clause_count) continue;
            for (int pass = 0; pass < 2; pass++) {
                graphs_fun f;
                exs_status st = graphs_fun_build(&gf, k, snap, pass ? 1 : UINT32_MAX, a, &f);
                if (st == EXS_ERR_ARG) break;
                ASSERT_EQ(st, EXS_OK);
                const cpg_graph *g = &f.cpg;
                check_csr(g);
                ASSERT_EQ(g->is_summary, pass == 1 && g->ast_nodes > 1);
                if (pass && !g->is_summary) continue;
                if (!pass) {
                    funs++;
                    ASSERT_EQ(g->edge_counts[CPG_EDGE_CFG], f.cfg.edge_count);
                    if (f.has_dfg) ASSERT_EQ(g->edge_counts[CPG_EDGE_DFG], f.dfg.edge_count);
                    continue;
                }
                if (f.cfg.nodes[f.cfg.exit].flags & CFG_NF_UNREACHABLE) continue;
                if (cap < g->node_count) {
                    cap = (size_t)g->node_count * 2;
                    seen = realloc(seen, cap);
                    stack = realloc(stack, cap * sizeof(uint32_t));
                    ASSERT(seen && stack);
                }
                memset(seen, 0, g->node_count);
                uint32_t sp = 0, entry = g->cfg_to_node[f.cfg.entry];
                stack[sp++] = entry;
                seen[entry] = 1;
                while (sp) {
                    uint32_t v = stack[--sp];
                    for (uint32_t e = g->out_start[v]; e < g->out_start[v + 1]; e++)
                        if (g->edges[e].kind == CPG_EDGE_CFG && !seen[g->edges[e].to])
                            seen[g->edges[e].to] = 1, stack[sp++] = g->edges[e].to;
                }
                ASSERT(seen[g->cfg_to_node[f.cfg.exit]]);
            }
            arena_reset(a);
        }
        arena_free(a);
        graphs_file_close(&gf);
    }
    free(seen);
    free(stack);
    ASSERT(files > 500);
    ASSERT(funs > 7000);
    exs_snapshot_release(snap);
    exs_repo_free(repo);
}

TEST_LIST(TEST_ENTRY(full_join), TEST_ENTRY(call_edges), TEST_ENTRY(summary), TEST_ENTRY(writers),
          TEST_ENTRY(cache), TEST_ENTRY(corpus))
