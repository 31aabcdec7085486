/* test_cfg.c: control-flow graphs (src/analyze/cfg.c) of small functions whose node
 * and edge counts and cyclomatic complexity were counted by hand from the rules of
 * docs/cfg.md, one construct (or a combination) per case; then the order of nodes
 * (arguments, pipes), unreachable nodes, implicit may-raise edges, closures, the DOT
 * and JSON writers (rendered with Graphviz when `dot` is installed), and a run over
 * the elixir-lang stdlib sources (every function builds, the counting invariant holds).
 *
 * Every graph built here is also checked for the counting invariant: each node has
 * exactly one counted out-edge, except EXIT/FN_EXIT (none) and decision nodes (two or
 * more), so E - N + 2 == decisions + 1. Counting tip: N is the sum of the nodes each
 * case lists; E (counted) = N - 1 + D + (closures - closures) = N - 1 + D. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>

#include "exscope.h"
#include "analyze/cfg.h"
#include "analyze/defs.h"
#include "analyze/metrics.h"
#include "parse/parse.h"
#include "harness.h"

typedef struct built {
    exs_file *f;
    exs_arena *a;
    cfg_graph g;
} built;

static void check_invariant(const cfg_graph *g) {
    ASSERT(g->node_count >= 2);
    ASSERT_EQ(g->nodes[g->entry].kind, CFG_NODE_ENTRY);
    ASSERT_EQ(g->nodes[g->exit].kind, CFG_NODE_EXIT);
    uint32_t decisions = 0, counted = 0;
    for (uint32_t v = 0; v < g->node_count; v++) {
        uint32_t k = 0, flow = 0;
        for (uint32_t e = g->out_start[v]; e < g->out_start[v + 1]; e++) {
            const cfg_edge *ed = &g->edges[e];
            ASSERT_EQ(ed->from, v);
            ASSERT(ed->to < g->node_count);
            if (ed->flags & CFG_EF_IMPLICIT) continue;
            k++;
            if (ed->kind != CFG_EDGE_CLOSURE) flow++;
        }
        counted += k;
        bool sink = g->nodes[v].kind == CFG_NODE_EXIT || g->nodes[v].kind == CFG_NODE_FN_EXIT;
        if (sink)
            ASSERT_EQ(k, 0);
        else
            ASSERT(k >= 1);
        if (flow > 1) decisions += flow - 1;
    }
    ASSERT_EQ(g->in_start[g->node_count], g->edge_count);
    for (uint32_t v = 0; v < g->node_count; v++)
        for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++)
            ASSERT_EQ(g->edges[g->in_edges[i]].to, v);
    ASSERT_EQ(counted, cfg_counted_edges(g));
    ASSERT_EQ(decisions, g->decisions);
    ASSERT_EQ(cfg_cyclomatic(g), g->decisions + 1);
    ASSERT_EQ((long long)cfg_counted_edges(g) - g->node_count + 2, cfg_cyclomatic(g));
}

/* Builds the CFG of function name/arity of src (its first module). */
static built build(const char *src, const char *name, uint32_t arity) {
    built b;
    memset(&b, 0, sizeof(b));
    exs_parse_options o = {0};
    exs_error err;
    exs_status st = exs_parse(src, strlen(src), "t.ex", &o, &b.f, &err);
    if (st != EXS_OK) TEST_FAIL_("parse: %s at %u: %s", exs_status_name(st), err.line, err.message);
    b.a = arena_new(4096);
    ASSERT(b.a);
    const exs_tree *t = parse_file_tree(b.f);
    defs_result dr;
    ASSERT_EQ(defs_extract(t, parse_file_ids(b.f), b.a, &dr), EXS_OK);
    for (uint32_t i = 0; i < dr.function_count; i++) {
        const defs_function *fn = &dr.functions[i];
        if (!fn->name || strcmp(fn->name, name) != 0 || fn->arity != arity) continue;
        exs_ref refs[16];
        ASSERT(fn->clause_count <= 16);
        for (uint32_t c = 0; c < fn->clause_count; c++)
            refs[c] = fn->clauses[c].node;
        ASSERT_EQ(cfg_build(t, parse_file_ids(b.f), refs, fn->clause_count, b.a, &b.g), EXS_OK);
        check_invariant(&b.g);
        return b;
    }
    TEST_FAIL_("function %s/%u not found", name, arity);
}

static void drop(built *b) {
    arena_free(b->a);
    exs_file_free(b->f);
}

/* nodes, counted edges, cyclomatic complexity */
#define ASSERT_G(b, n_, e_, cc_)                                                                   \
    do {                                                                                           \
        ASSERT_EQ((b).g.node_count, n_);                                                           \
        ASSERT_EQ(cfg_counted_edges(&(b).g), e_);                                                  \
        ASSERT_EQ(cfg_cyclomatic(&(b).g), cc_);                                                    \
    } while (0)

#define MOD(body) "defmodule M do\n" body "end\n"

static uint32_t count_kind(const cfg_graph *g, cfg_node_kind k) {
    uint32_t c = 0;
    for (uint32_t v = 0; v < g->node_count; v++)
        c += g->nodes[v].kind == k;
    return c;
}

/* The label-ish snippet of node v's AST term. */
static char snip_buf[256];
static const char *snip(const cfg_graph *g, uint32_t v) {
    exs_buf b;
    buf_init(&b);
    cfg_snippet(g->tree, g->nodes[v].ref, 100, &b);
    buf_putc(&b, 0);
    ASSERT(!b.failed);
    snprintf(snip_buf, sizeof(snip_buf), "%s", b.data);
    buf_free(&b);
    return snip_buf;
}

static bool has_edge(const cfg_graph *g, uint32_t from, uint32_t to, cfg_edge_kind k) {
    for (uint32_t e = g->out_start[from]; e < g->out_start[from + 1]; e++)
        if (g->edges[e].to == to && g->edges[e].kind == k) return true;
    return false;
}

/* ---- straight line and clause dispatch ---------------------------------------------- */

TEST(straight_line) {
    /* entry, head, `+`, exit */
    built b = build(MOD("def f(x), do: x + 1\n"), "f", 1);
    ASSERT_G(b, 4, 3, 1);
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    ASSERT_EQ(b.g.unreachable, 0);
    drop(&b);
}

TEST(statements) {
    /* entry, head, g(x), `=`, y (value), exit */
    built b = build(MOD("def f(x) do\n  y = g(x)\n  y\nend\n"), "f", 1);
    ASSERT_G(b, 6, 5, 1);
    ASSERT_EQ(b.g.nodes[2].kind, CFG_NODE_CALL);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_MATCH);
    ASSERT_EQ(b.g.nodes[4].kind, CFG_NODE_VALUE);
    ASSERT_EQ(b.g.nodes[2].line, 3);
    drop(&b);
}

TEST(clauses_last_catch_all) {
    /* entry, head f(0) (decision), :a, head f(n) (irrefutable), n, exit */
    built b = build(MOD("def f(0), do: :a\ndef f(n), do: n\n"), "f", 1);
    ASSERT_G(b, 6, 6, 2);
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_HEAD), 2);
    drop(&b);
}

TEST(clauses_all_refutable) {
    /* entry, h1, :a, h2, :b, exit, error exit; the nomatch of f(1) is a
     * FunctionClauseError: decisions 2 */
    built b = build(MOD("def f(0), do: :a\ndef f(1), do: :b\n"), "f", 1);
    ASSERT_G(b, 7, 8, 3);
    ASSERT(b.g.error_exit != CFG_NONE);
    ASSERT(has_edge(&b.g, 3, b.g.error_exit, CFG_EDGE_NOMATCH));
    ASSERT(has_edge(&b.g, b.g.error_exit, b.g.exit, CFG_EDGE_EXCEPTION));
    drop(&b);
}

TEST(guard) {
    /* entry, head (irrefutable), is_integer(x), guard, x, exit, error exit */
    built b = build(MOD("def f(x) when is_integer(x), do: x\n"), "f", 1);
    ASSERT_G(b, 7, 7, 2);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_GUARD), 1);
    ASSERT(!(b.g.nodes[2].flags & CFG_NF_MAY_RAISE)); /* a guard error fails the clause */
    drop(&b);
}

TEST(repeated_variable_is_refutable) {
    /* f(x, x) only matches equal arguments: entry, head (decision), x, exit, error */
    built b = build(MOD("def f(x, x), do: x\n"), "f", 2);
    ASSERT_G(b, 5, 5, 2);
    drop(&b);
    /* `_` may repeat: entry, head, :ok, exit */
    b = build(MOD("def g(_, _), do: :ok\n"), "g", 2);
    ASSERT_G(b, 4, 3, 1);
    drop(&b);
}

TEST(bodiless_only) {
    /* a protocol-style head without body: entry -> exit */
    built b = build(MOD("def size(x)\n"), "size", 1);
    ASSERT_G(b, 2, 1, 1);
    drop(&b);
}

TEST(defguard) {
    /* the guard is the body: entry, head, is_integer(x), and, `>`, exit */
    built b = build(MOD("defguard is_pos(x) when is_integer(x) and x > 0\n"), "is_pos", 1);
    ASSERT_G(b, 6, 6, 2);
    drop(&b);
}

/* ---- branching constructs -------------------------------------------------------------- */

TEST(if_else) {
    /* entry, head, `>`, if, :pos, :neg, exit */
    built b =
        build(MOD("def f(x) do\n  if x > 0 do\n    :pos\n  else\n    :neg\n  end\nend\n"), "f", 1);
    ASSERT_G(b, 7, 7, 2);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_IF);
    ASSERT(has_edge(&b.g, 3, 4, CFG_EDGE_TRUE));
    ASSERT(has_edge(&b.g, 3, 5, CFG_EDGE_FALSE));
    drop(&b);
}

TEST(unless_raise) {
    /* entry, head, unless, raise, :ok, exit, error exit: the false branch raises */
    built b = build(MOD("def f(x) do\n  unless x, do: raise(\"no\")\n  :ok\nend\n"), "f", 1);
    ASSERT_G(b, 7, 7, 2);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_RAISE);
    ASSERT(has_edge(&b.g, 2, 3, CFG_EDGE_FALSE));
    ASSERT(has_edge(&b.g, 3, b.g.error_exit, CFG_EDGE_EXCEPTION));
    drop(&b);
}

TEST(case_catch_all) {
    /* entry, head, case, 1 ->, :a, {:ok, y} ->, y, _ ->, :c, exit; decisions: 2 */
    built b = build(MOD("def f(x) do\n  case x do\n    1 -> :a\n    {:ok, y} -> y\n"
                        "    _ -> :c\n  end\nend\n"),
                    "f", 1);
    ASSERT_G(b, 10, 11, 3);
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_CLAUSE), 3);
    drop(&b);
}

TEST(case_no_catch_all) {
    /* entry, head, case, 1 ->, :a, 2 ->, :b, exit, error exit (CaseClauseError) */
    built b =
        build(MOD("def f(x) do\n  case x do\n    1 -> :a\n    2 -> :b\n  end\nend\n"), "f", 1);
    ASSERT_G(b, 9, 10, 3);
    ASSERT(has_edge(&b.g, 5, b.g.error_exit, CFG_EDGE_NOMATCH));
    drop(&b);
}

TEST(case_clause_after_catch_all_unreachable) {
    /* entry, head, case, _ -> (no nomatch), :a, 1 -> (unreachable), :b (unreachable),
     * exit, error exit (only 1 -> leads there: unreachable) */
    built b =
        build(MOD("def f(x) do\n  case x do\n    _ -> :a\n    1 -> :b\n  end\nend\n"), "f", 1);
    ASSERT_G(b, 9, 9, 2);
    ASSERT_EQ(b.g.unreachable, 3);
    ASSERT(b.g.nodes[5].flags & CFG_NF_UNREACHABLE);
    ASSERT(b.g.nodes[6].flags & CFG_NF_UNREACHABLE);
    ASSERT(!(b.g.nodes[4].flags & CFG_NF_UNREACHABLE));
    drop(&b);
}

TEST(piped_case) {
    /* x |> g() |> case do ... end: entry, head, g(), case, :a ->, 1, _ ->, 2, exit */
    built b = build(MOD("def f(x) do\n  x |> g() |> case do\n    :a -> 1\n    _ -> 2\n"
                        "  end\nend\n"),
                    "f", 1);
    ASSERT_G(b, 9, 9, 2);
    ASSERT_EQ(b.g.nodes[2].kind, CFG_NODE_CALL);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_CASE);
    drop(&b);
}

TEST(cond_true_last) {
    /* entry, head, cond, `<`, clause, :neg, `==`, clause, :zero, true -> (no test),
     * :pos, exit; decisions 2 */
    built b = build(MOD("def f(x) do\n  cond do\n    x < 0 -> :neg\n    x == 0 -> :zero\n"
                        "    true -> :pos\n  end\nend\n"),
                    "f", 1);
    ASSERT_G(b, 12, 13, 3);
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    drop(&b);
}

TEST(cond_no_true) {
    /* entry, head, cond, x ->, 1, y ->, 2, exit, error exit (CondClauseError) */
    built b = build(MOD("def f(x, y) do\n  cond do\n    x -> 1\n    y -> 2\n  end\nend\n"), "f", 2);
    ASSERT_G(b, 9, 10, 3);
    drop(&b);
}

TEST(and_value) {
    /* entry, head, && test, b (value), exit */
    built b = build(MOD("def f(a, b), do: a && b\n"), "f", 2);
    ASSERT_G(b, 5, 5, 2);
    ASSERT_EQ(b.g.nodes[2].kind, CFG_NODE_BOOL);
    ASSERT(has_edge(&b.g, 2, 3, CFG_EDGE_TRUE));
    ASSERT(has_edge(&b.g, 2, 4, CFG_EDGE_FALSE)); /* short-circuit: skips b */
    drop(&b);
}

TEST(if_and_condition) {
    /* entry, head, and test, b, if, 1, 2, exit: decisions 2 (and, if) */
    built b = build(MOD("def f(a, b) do\n  if a and b, do: 1, else: 2\nend\n"), "f", 2);
    ASSERT_G(b, 8, 9, 3);
    drop(&b);
}

TEST(or_chain) {
    /* || is left-associative: (a || b) || c. entry, head, || test of a, b, || test of
     * (a || b), c, exit */
    built b = build(MOD("def f(a, b, c), do: a || b || c\n"), "f", 3);
    ASSERT_G(b, 7, 8, 3);
    ASSERT(has_edge(&b.g, 2, 3, CFG_EDGE_FALSE));
    ASSERT(has_edge(&b.g, 2, 4, CFG_EDGE_TRUE));
    ASSERT(has_edge(&b.g, 3, 4, CFG_EDGE_NORMAL));
    ASSERT(has_edge(&b.g, 4, 5, CFG_EDGE_FALSE));
    ASSERT(has_edge(&b.g, 4, 6, CFG_EDGE_TRUE));
    drop(&b);
}

TEST(with_no_else) {
    /* entry, head, with, g(x), {:ok, a} <- (decision), `+`, `=`, b, exit; the nomatch
     * value is the result */
    built b = build(MOD("def f(x) do\n  with {:ok, a} <- g(x),\n       b = a + 1 do\n"
                        "    b\n  end\nend\n"),
                    "f", 1);
    ASSERT_G(b, 9, 9, 2);
    ASSERT(has_edge(&b.g, 4, 8, CFG_EDGE_NOMATCH));
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    drop(&b);
}

TEST(with_else) {
    /* entry, head, with, g(x), <-, h(a), <-, b, {:error, e} ->, e, exit, error exit
     * (WithClauseError); decisions 3 */
    built b = build(MOD("def f(x) do\n  with {:ok, a} <- g(x),\n       {:ok, b} <- h(a) do\n"
                        "    b\n  else\n    {:error, e} -> e\n  end\nend\n"),
                    "f", 1);
    ASSERT_G(b, 12, 14, 4);
    drop(&b);
}

TEST(with_guard_clause) {
    /* entry, head, with, {:ok, a} when a > 0 <-: clause, `>`, guard; a, exit */
    built b =
        build(MOD("def f(x) do\n  with {:ok, a} when a > 0 <- x do\n    a\n  end\nend\n"), "f", 1);
    ASSERT_G(b, 8, 9, 3);
    drop(&b);
}

/* ---- exceptions ------------------------------------------------------------------------- */

TEST(try_rescue_after) {
    /* entry, head, try, foo(x), handler, rescue clause, e, after, cleanup(),
     * after (copy), cleanup() (copy), exit, error exit. foo(x) -> handler is implicit
     * (not counted); an unmatched exception runs the after copy, then leaves. */
    built b = build(MOD("def g(x) do\n  try do\n    foo(x)\n  rescue\n"
                        "    e in ArgumentError -> e\n  after\n    cleanup()\n  end\nend\n"),
                    "g", 1);
    ASSERT_G(b, 13, 13, 2);
    ASSERT_EQ(b.g.edge_count, 14);
    ASSERT_EQ(b.g.implicit_edges, 1);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_AFTER), 2);
    uint32_t copies = 0;
    for (uint32_t v = 0; v < b.g.node_count; v++)
        copies += !!(b.g.nodes[v].flags & CFG_NF_COPY);
    ASSERT_EQ(copies, 2);
    ASSERT(b.g.nodes[3].flags & CFG_NF_MAY_RAISE);
    ASSERT_EQ(b.g.unreachable, 0);
    drop(&b);
}

TEST(try_catch_throw) {
    /* entry, head, try, throw, handler, `:x ->` (throws only: decision), 1,
     * `kind, _ ->` (catch-all), kind, exit */
    built b = build(MOD("def f do\n  try do\n    throw(:x)\n  catch\n    :x -> 1\n"
                        "    kind, _ -> kind\n  end\nend\n"),
                    "f", 0);
    ASSERT_G(b, 10, 10, 2);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_THROW);
    ASSERT(has_edge(&b.g, 3, 4, CFG_EDGE_EXCEPTION));
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    ASSERT_EQ(b.g.implicit_edges, 0);
    drop(&b);
}

TEST(try_else) {
    /* entry, head, try, g(), handler, `_ ->`, :err, else {:ok, v} ->, v, exit, error
     * exit (TryClauseError); g() -> handler implicit */
    built b = build(MOD("def f do\n  try do\n    g()\n  rescue\n    _ -> :err\n  else\n"
                        "    {:ok, v} -> v\n  end\nend\n"),
                    "f", 0);
    ASSERT_G(b, 11, 11, 2);
    ASSERT_EQ(b.g.implicit_edges, 1);
    drop(&b);
}

TEST(try_without_calls_rescue_unreachable) {
    /* nothing in the body can raise: the handler and its clause are unreachable.
     * entry, head, try, :ok, handler, `_ ->`, :err, exit */
    built b =
        build(MOD("def f do\n  try do\n    :ok\n  rescue\n    _ -> :err\n  end\nend\n"), "f", 0);
    ASSERT_G(b, 8, 7, 1);
    ASSERT_EQ(b.g.unreachable, 3);
    drop(&b);
}

TEST(operator_may_raise) {
    /* x + 1 may raise ArithmeticError: the handler is reachable through the implicit
     * edge; x == 1 never raises. entry, head, try, `+`, `==`, handler, `_ ->`, :err,
     * exit */
    built b = build(MOD("def f(x) do\n  try do\n    x + 1\n    x == 1\n  rescue\n"
                        "    _ -> :err\n  end\nend\n"),
                    "f", 1);
    ASSERT_G(b, 9, 8, 1);
    ASSERT_EQ(b.g.implicit_edges, 1);
    ASSERT(b.g.nodes[3].flags & CFG_NF_MAY_RAISE);
    ASSERT(!(b.g.nodes[4].flags & CFG_NF_MAY_RAISE));
    ASSERT_EQ(b.g.unreachable, 0);
    drop(&b);
}

TEST(implicit_try_in_def) {
    /* entry, head, try, g(x), handler, ArgumentError ->, :bad, exit, error exit */
    built b = build(MOD("def f(x) do\n  g(x)\nrescue\n  ArgumentError -> :bad\nend\n"), "f", 1);
    ASSERT_G(b, 9, 9, 2);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_TRY), 1);
    drop(&b);
}

TEST(raise_makes_rest_unreachable) {
    /* entry, head, raise, :never (unreachable), exit, error exit */
    built b = build(MOD("def r do\n  raise \"x\"\n  :never\nend\n"), "r", 0);
    ASSERT_G(b, 6, 5, 1);
    ASSERT_EQ(b.g.unreachable, 1);
    ASSERT(b.g.nodes[3].flags & CFG_NF_UNREACHABLE);
    ASSERT_EQ(b.g.nodes[3].line, 3); /* :never has no line: its predecessor's */
    drop(&b);
}

TEST(remote_raise_and_anonymous_call) {
    /* entry, head, fun.(1), :erlang.error (raise), exit, error exit */
    built b = build(MOD("def f(fun) do\n  fun.(1)\n  :erlang.error(:x)\nend\n"), "f", 1);
    ASSERT_G(b, 6, 5, 1);
    ASSERT_EQ(b.g.nodes[2].kind, CFG_NODE_CALL);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_RAISE);
    drop(&b);
}

TEST(exit_and_reraise) {
    /* entry, head, if, exit(:normal), reraise(e, st), exit, error exit */
    built b = build(MOD("def f(e, st) do\n  if e, do: exit(:normal), else: reraise(e, st)\nend\n"),
                    "f", 2);
    ASSERT_G(b, 7, 7, 2);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_EXIT_CALL), 1);
    ASSERT_EQ(count_kind(&b.g, CFG_NODE_RAISE), 1);
    ASSERT_EQ(b.g.unreachable, 0);
    drop(&b);
}

/* ---- receive, for, fn ---------------------------------------------------------------------- */

TEST(receive_after) {
    /* entry, head, receive (message | timeout), {:msg, m} -> (nomatch: back to
     * receive), m, :timeout, exit; decisions 2 */
    built b = build(MOD("def f do\n  receive do\n    {:msg, m} -> m\n  after\n"
                        "    100 -> :timeout\n  end\nend\n"),
                    "f", 0);
    ASSERT_G(b, 7, 8, 3);
    ASSERT(has_edge(&b.g, 2, 5, CFG_EDGE_TIMEOUT));
    ASSERT(has_edge(&b.g, 3, 2, CFG_EDGE_NOMATCH));
    drop(&b);
}

TEST(receive_catch_all) {
    /* entry, head, receive, msg ->, msg, exit */
    built b = build(MOD("def f do\n  receive do\n    msg -> msg\n  end\nend\n"), "f", 0);
    ASSERT_G(b, 6, 5, 1);
    drop(&b);
}

TEST(receive_only_after) {
    /* entry, head, receive, :ok, exit */
    built b = build(MOD("def f do\n  receive do\n  after\n    0 -> :ok\n  end\nend\n"), "f", 0);
    ASSERT_G(b, 5, 4, 1);
    drop(&b);
}

TEST(for_filter) {
    /* entry, head, for, generator, `>`, filter, `*`, exit: generator + filter */
    built b = build(MOD("def h(l), do: for(x <- l, x > 1, do: x * 2)\n"), "h", 1);
    ASSERT_G(b, 8, 9, 3);
    ASSERT(has_edge(&b.g, 6, 3, CFG_EDGE_BACK));
    ASSERT(has_edge(&b.g, 5, 3, CFG_EDGE_FALSE));
    ASSERT(has_edge(&b.g, 3, 7, CFG_EDGE_FALSE));
    drop(&b);
}

TEST(for_nested_generators) {
    /* entry, head, for, gen1, {:ok, x} <- (refutable), gen2, {x, y} (value), exit:
     * decisions gen1, clause, gen2; gen2's done goes back to gen1 */
    built b = build(MOD("def f(l), do: for({:ok, x} <- l, y <- x, do: {x, y})\n"), "f", 1);
    ASSERT_G(b, 8, 10, 4);
    ASSERT(has_edge(&b.g, 5, 3, CFG_EDGE_FALSE));
    ASSERT(has_edge(&b.g, 4, 3, CFG_EDGE_NOMATCH));
    drop(&b);
}

TEST(for_reduce) {
    /* entry, head, for, gen, acc -> (irrefutable), `+`, exit */
    built b = build(
        MOD("def f(l) do\n  for x <- l, reduce: 0 do\n    acc -> acc + x\n  end\nend\n"), "f", 1);
    ASSERT_G(b, 7, 7, 2);
    drop(&b);
}

TEST(for_bitstring_generator) {
    /* entry, head, for, gen <<c <- s>>, c (value), exit */
    built b = build(MOD("def f(s), do: for(<<c <- s>>, do: c)\n"), "f", 1);
    ASSERT_G(b, 6, 6, 2);
    drop(&b);
}

TEST(fn_closure) {
    /* entry, head, fn, [fn entry, {:a, y} ->, y, z ->, z, fn exit], Enum.map, length,
     * exit. Counted edges: 12 - 2 sinks + 1 decision + 1 closure edge = 12 */
    built b =
        build(MOD("def k(l), do: Enum.map(l, fn {:a, y} -> y; z -> z end) |> length()\n"), "k", 1);
    ASSERT_G(b, 12, 12, 2);
    ASSERT_EQ(b.g.closure_count, 1);
    const cfg_closure *c = &b.g.closures[0];
    ASSERT_EQ(b.g.nodes[c->fn].kind, CFG_NODE_FN);
    ASSERT(has_edge(&b.g, c->fn, c->entry, CFG_EDGE_CLOSURE));
    ASSERT_EQ(b.g.nodes[c->entry].closure, 1);
    ASSERT_EQ(b.g.nodes[c->exit].kind, CFG_NODE_FN_EXIT);
    ASSERT_EQ(b.g.nodes[10].flags & CFG_NF_PIPED, CFG_NF_PIPED);
    drop(&b);
}

TEST(fn_refutable_raise_stays_inside) {
    /* a raise in a closure goes to the closure's own error exit, even inside a try:
     * entry, head, try, fn, [fn entry, {:ok, v} ->, raise, fn exit, error exit
     * (closure)], handler, _ ->, :err, exit. Decisions: the fn clause (1). */
    built b = build(MOD("def f do\n  try do\n    fn {:ok, v} -> raise v end\n  rescue\n"
                        "    _ -> :err\n  end\nend\n"),
                    "f", 0);
    ASSERT_G(b, 13, 13, 2);
    ASSERT_EQ(b.g.error_exit, CFG_NONE);
    ASSERT_EQ(b.g.unreachable, 3); /* handler, _ ->, :err: nothing in the body raises */
    drop(&b);
}

TEST(capture_closure) {
    /* &(&1 + 1) is a closure: entry, head, l(), capture, [fn entry, `+`, fn exit],
     * Enum.map, exit. &1 is no node. &g/1 is a reference: one capture node. */
    built b = build(MOD("def f, do: Enum.map(l(), &(&1 + 1))\ndef g(x), do: &g/1\n"), "f", 0);
    ASSERT_G(b, 9, 8, 1);
    ASSERT_EQ(b.g.closure_count, 1);
    ASSERT_EQ(b.g.nodes[b.g.closures[0].fn].kind, CFG_NODE_CAPTURE);
    ASSERT_EQ(b.g.nodes[5].kind, CFG_NODE_OP);
    ASSERT_EQ(b.g.nodes[5].closure, 1);
    drop(&b);
    b = build(MOD("def f, do: Enum.map(l(), &(&1 + 1))\ndef g(x), do: &g/1\n"), "g", 1);
    ASSERT_G(b, 4, 3, 1);
    ASSERT_EQ(b.g.nodes[2].kind, CFG_NODE_CAPTURE);
    ASSERT_STR_EQ(snip(&b.g, 2), "&g/1");
    ASSERT_EQ(b.g.closure_count, 0);
    drop(&b);
}

TEST(node_of_and_in_edges) {
    /* the node made for an AST term, and its predecessors */
    built b = build(MOD("def f(x) do\n  y = if x, do: 1, else: 2\n  y\nend\n"), "f", 1);
    const cfg_graph *g = &b.g;
    uint32_t m = CFG_NONE;
    for (uint32_t v = 0; v < g->node_count; v++)
        if (g->nodes[v].kind == CFG_NODE_MATCH) m = v;
    ASSERT(m != CFG_NONE);
    ASSERT_EQ(cfg_node_of(g, g->nodes[m].ref), m);
    ASSERT_EQ(g->in_start[m + 1] - g->in_start[m], 2); /* from 1 and from 2 */
    ASSERT_EQ(cfg_node_of(g, EXS_REF_NONE), g->entry);
    ASSERT_EQ(g->in_start[g->entry + 1] - g->in_start[g->entry], 0);
    drop(&b);
}

/* ---- evaluation order -------------------------------------------------------------------- */

TEST(argument_order) {
    /* g(a(), b()): a, b, then g */
    built b = build(MOD("def f, do: g(a(), b(c()))\n"), "f", 0);
    ASSERT_G(b, 7, 6, 1);
    ASSERT_STR_EQ(snip(&b.g, 2), "a()");
    ASSERT_STR_EQ(snip(&b.g, 3), "c()");
    ASSERT_STR_EQ(snip(&b.g, 4), "b(c())");
    ASSERT_STR_EQ(snip(&b.g, 5), "g(a(), b(c()))");
    drop(&b);
}

TEST(pipe_order) {
    /* a |> g(b()) |> h(): b(), g (piped), h (piped) */
    built b = build(MOD("def f(a), do: a |> g(b()) |> h()\n"), "f", 1);
    ASSERT_G(b, 6, 5, 1);
    ASSERT_STR_EQ(snip(&b.g, 2), "b()");
    ASSERT_STR_EQ(snip(&b.g, 3), "g(b())");
    ASSERT_STR_EQ(snip(&b.g, 4), "h()");
    ASSERT(b.g.nodes[3].flags & CFG_NF_PIPED);
    ASSERT(b.g.nodes[4].flags & CFG_NF_PIPED);
    drop(&b);
}

TEST(remote_receiver_first) {
    /* m().f(x()): receiver m(), then x(), then the call */
    built b = build(MOD("def f, do: m().f(x())\n"), "f", 0);
    ASSERT_G(b, 6, 5, 1);
    ASSERT_STR_EQ(snip(&b.g, 2), "m()");
    ASSERT_STR_EQ(snip(&b.g, 3), "x()");
    drop(&b);
}

TEST(snippets) {
    /* labels: structs, maps, keyword lists, remote and anonymous calls, operators */
    built b = build(MOD("def f(t) do\n  g(%T{a: 1, b: t}, %{\"k\" => [x: 1]}, M.h(t).i, t.(1),"
                        " not t, (t and t) or t)\nend\n"),
                    "f", 1);
    uint32_t v = b.g.node_count - 2; /* the call g(...) is the last node before exit */
    ASSERT_STR_EQ(snip(&b.g, v), "g(%T{a: 1, b: t}, %{\"k\" => [x: 1]}, M.h(t).i, t.(1), "
                                 "not t, (t and t) or t)");
    drop(&b);
}

TEST(quote_unquote) {
    /* entry, head, g(x) (the unquote argument), quote, exit */
    built b = build(MOD("def f(x), do: quote(do: unquote(g(x)) + 1)\n"), "f", 1);
    ASSERT_G(b, 5, 4, 1);
    ASSERT_EQ(b.g.nodes[3].kind, CFG_NODE_QUOTE);
    drop(&b);
}

/* ---- agreement with Credo's number where the constructs count alike ---------------------- */

TEST(matches_credo_on_if_and_for) {
    /* Credo: 1 + if + && + for = 4; here: && test, if test, generator = 3 decisions */
    const char *src = MOD("def f(x) do\n  if x && y(x), do: for(a <- x, do: a)\nend\n");
    built b = build(src, "f", 1);
    ASSERT_EQ(cfg_cyclomatic(&b.g), 4);
    const exs_tree *t = parse_file_tree(b.f);
    /* defmodule M, do: def ...: the module's args are [M, [do: def]] */
    const exs_term *margs = tree_get(t, tree_get(t, t->root)->v.kids[2]);
    const exs_term *kw = tree_get(t, margs->v.kids[1]);
    exs_ref defnode = tree_get(t, kw->v.kids[0])->v.kids[1];
    exs_metrics m;
    ASSERT_EQ(metrics_compute(t, defnode, &m), EXS_OK);
    ASSERT_EQ(m.cc, cfg_cyclomatic(&b.g));
    drop(&b);
}

/* ---- writers ------------------------------------------------------------------------------- */

static bool have_dot(void) { return system("command -v dot >/dev/null 2>&1") == 0; }

static void render(const exs_buf *dot) {
    FILE *p = popen("dot -Tsvg >/dev/null", "w");
    ASSERT(p);
    ASSERT_EQ(fwrite(dot->data, 1, dot->len, p), dot->len);
    ASSERT_EQ(pclose(p), 0);
}

TEST(dot_escapes_and_renders) {
    built b =
        build(MOD("def f(x) do\n  g(\"a\\\"b\\\\c\")\n  case x do\n    {:ok, y} -> fn z -> z end\n"
                  "    _ -> raise \"no\"\n  end\nend\n"),
              "f", 1);
    exs_buf o;
    buf_init(&o);
    cfg_write_dot(&b.g, "M.f/1 \"quoted\"", &o);
    buf_putc(&o, 0);
    ASSERT(!o.failed);
    ASSERT(strstr(o.data, "digraph cfg {"));
    ASSERT(strstr(o.data, "M.f/1 \\\"quoted\\\""));
    ASSERT(strstr(o.data, "g(\\\"a\\\\\\\"b\\\\\\\\c\\\")")); /* g("a\"b\\c") escaped */
    ASSERT(strstr(o.data, "subgraph cluster_fn1"));
    ASSERT(strstr(o.data, "label=\"closure\""));
    ASSERT(strstr(o.data, "\\nline 2"));
    o.len--;
    if (have_dot())
        render(&o);
    else
        fprintf(stderr, "dot_escapes_and_renders: graphviz absent, rendering skipped\n");
    buf_free(&o);
    drop(&b);
}

TEST(dot_exact) {
    built b = build(MOD("def f(x) do\n  if x > 0, do: g(x), else: raise(\"neg\")\nend\n"), "f", 1);
    exs_buf o;
    buf_init(&o);
    cfg_write_dot(&b.g, "M.f/1", &o);
    buf_putc(&o, 0);
    ASSERT(!o.failed);
    ASSERT_STR_EQ(o.data, "digraph cfg {\n"
                          "  graph [label=\"M.f/1 (cc=2)\", labelloc=t, fontname=\"Helvetica\"];\n"
                          "  node [fontname=\"Helvetica\", fontsize=10];\n"
                          "  edge [fontname=\"Helvetica\", fontsize=9];\n"
                          "  n0 [shape=oval, style=bold, label=\"entry\\nline 2\"];\n"
                          "  n1 [shape=box, label=\"head f(x)\\nline 2\"];\n"
                          "  n2 [shape=box, label=\"x > 0\\nline 3\"];\n"
                          "  n3 [shape=box, label=\"if x > 0\\nline 3\"];\n"
                          "  n4 [shape=box, label=\"g(x)\\nline 3\"];\n"
                          "  n5 [shape=box, color=red, label=\"raise(\\\"neg\\\")\\nline 3\"];\n"
                          "  n6 [shape=oval, style=bold, label=\"exit\"];\n"
                          "  n7 [shape=oval, color=red, label=\"error exit\"];\n"
                          "  n0 -> n1 [color=black];\n"
                          "  n1 -> n2 [color=black];\n"
                          "  n2 -> n3 [color=black];\n"
                          "  n3 -> n4 [color=darkgreen, label=\"true\"];\n"
                          "  n3 -> n5 [color=red, label=\"false\"];\n"
                          "  n4 -> n6 [color=black];\n"
                          "  n5 -> n7 [color=orange, style=dashed, label=\"exception\"];\n"
                          "  n7 -> n6 [color=orange, style=dashed, label=\"exception\"];\n"
                          "}\n");
    buf_free(&o);
    drop(&b);
}

TEST(json_export) {
    built b = build(MOD("def f(0), do: :a\ndef f(n), do: g(n)\n"), "f", 1);
    exs_buf o;
    buf_init(&o);
    cfg_write_json(&b.g, "M.f/1", &o);
    buf_putc(&o, 0);
    ASSERT(!o.failed);
    const char *head = "{\"name\":\"M.f/1\",\"entry\":0,\"exit\":5,\"error_exit\":null,"
                       "\"decisions\":1,\"cyclomatic\":2,\"unreachable\":0,\"nodes\":[";
    ASSERT(strncmp(o.data, head, strlen(head)) == 0);
    ASSERT(
        strstr(o.data, "{\"id\":1,\"kind\":\"head\",\"line\":2,\"closure\":0,\"node_id\":\"exs:"));
    ASSERT(strstr(o.data, "\"label\":\"head f(0)\""));
    ASSERT(strstr(o.data, "{\"from\":1,\"to\":2,\"kind\":\"match\"}"));
    ASSERT(strstr(o.data, "{\"from\":1,\"to\":3,\"kind\":\"nomatch\"}"));
    ASSERT(strstr(o.data, "\"may_raise\":true"));
    ASSERT(strstr(o.data, "\"closures\":[]}\n"));
    buf_free(&o);
    drop(&b);
}

TEST(bad_arguments) {
    exs_parse_options o = {0};
    exs_file *f = NULL;
    ASSERT_EQ(exs_parse("x", 1, "t.ex", &o, &f, NULL), EXS_OK);
    const exs_tree *t = parse_file_tree(f);
    exs_arena *a = arena_new(1024);
    cfg_graph g;
    exs_ref r = t->root;
    ASSERT_EQ(cfg_build(t, NULL, &r, 0, a, &g), EXS_ERR_ARG);
    ASSERT_EQ(cfg_build(t, NULL, &r, 1, a, &g), EXS_ERR_ARG); /* a variable, not a def */
    ASSERT_EQ(g.node_count, 0);
    arena_free(a);
    exs_file_free(f);
}

/* ---- the stdlib ------------------------------------------------------------------------------ */

static unsigned long std_files, std_funcs, std_nodes, std_edges, std_unreach, std_closures;
static double std_secs;

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".ex") != 0) return 0;
    FILE *fp = fopen(path, "rb");
    ASSERT(fp);
    char *buf = malloc((size_t)sb->st_size + 1);
    ASSERT(buf);
    size_t len = fread(buf, 1, (size_t)sb->st_size, fp);
    fclose(fp);
    exs_parse_options o = {0};
    exs_file *f = NULL;
    if (exs_parse(buf, len, path, &o, &f, NULL) != EXS_OK) {
        free(buf);
        return 0;
    }
    free(buf);
    const exs_tree *t = parse_file_tree(f);
    const uint64_t *ids = parse_file_ids(f);
    exs_arena *a = arena_new(1 << 16);
    defs_result dr;
    ASSERT_EQ(defs_extract(t, ids, a, &dr), EXS_OK);
    for (uint32_t i = 0; i < dr.function_count; i++) {
        const defs_function *fn = &dr.functions[i];
        if (!fn->clause_count) continue;
        exs_ref *refs = malloc(fn->clause_count * sizeof(exs_ref));
        ASSERT(refs);
        for (uint32_t c = 0; c < fn->clause_count; c++)
            refs[c] = fn->clauses[c].node;
        cfg_graph g;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        exs_status st = cfg_build(t, ids, refs, fn->clause_count, a, &g);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        std_secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        free(refs);
        if (st != EXS_OK)
            TEST_FAIL_("%s: %s/%u: %s", path, fn->name ? fn->name : "?", fn->arity,
                       exs_status_name(st));
        check_invariant(&g);
        ASSERT(cfg_cyclomatic(&g) >= 1);
        /* every reachable non-sink node reaches EXIT is implied by the invariant; the
         * writers must not fail either */
        exs_buf b;
        buf_init(&b);
        cfg_write_dot(&g, fn->name, &b);
        cfg_write_json(&g, fn->name, &b);
        ASSERT(!b.failed);
        buf_free(&b);
        std_funcs++;
        std_nodes += g.node_count;
        std_edges += g.edge_count;
        std_unreach += g.unreachable;
        std_closures += g.closure_count;
    }
    arena_free(a);
    exs_file_free(f);
    std_files++;
    return 0;
}

TEST(stdlib_sanity) {
    const char *dir = "corpus/elixir-lang/lib/elixir/lib";
    struct stat st;
    if (stat(dir, &st) != 0) {
        fprintf(stderr, "stdlib_sanity: %s absent (make corpus), skipped\n", dir);
        return;
    }
    ASSERT_EQ(nftw(dir, visit, 16, FTW_PHYS), 0);
    ASSERT(std_files >= 50);
    ASSERT(std_funcs > 3000);
    fprintf(stderr,
            "stdlib_sanity: %lu files, %lu functions, %lu nodes, %lu edges, %lu closures, "
            "%lu unreachable nodes, %.1f ms building\n",
            std_files, std_funcs, std_nodes, std_edges, std_closures, std_unreach, std_secs * 1e3);
}

TEST_LIST(TEST_ENTRY(straight_line), TEST_ENTRY(statements), TEST_ENTRY(clauses_last_catch_all),
          TEST_ENTRY(clauses_all_refutable), TEST_ENTRY(guard),
          TEST_ENTRY(repeated_variable_is_refutable), TEST_ENTRY(bodiless_only),
          TEST_ENTRY(defguard), TEST_ENTRY(if_else), TEST_ENTRY(unless_raise),
          TEST_ENTRY(case_catch_all), TEST_ENTRY(case_no_catch_all),
          TEST_ENTRY(case_clause_after_catch_all_unreachable), TEST_ENTRY(piped_case),
          TEST_ENTRY(cond_true_last), TEST_ENTRY(cond_no_true), TEST_ENTRY(and_value),
          TEST_ENTRY(if_and_condition), TEST_ENTRY(or_chain), TEST_ENTRY(with_no_else),
          TEST_ENTRY(with_else), TEST_ENTRY(with_guard_clause), TEST_ENTRY(try_rescue_after),
          TEST_ENTRY(try_catch_throw), TEST_ENTRY(try_else),
          TEST_ENTRY(try_without_calls_rescue_unreachable), TEST_ENTRY(operator_may_raise),
          TEST_ENTRY(implicit_try_in_def), TEST_ENTRY(raise_makes_rest_unreachable),
          TEST_ENTRY(remote_raise_and_anonymous_call), TEST_ENTRY(exit_and_reraise),
          TEST_ENTRY(receive_after), TEST_ENTRY(receive_catch_all), TEST_ENTRY(receive_only_after),
          TEST_ENTRY(for_filter), TEST_ENTRY(for_nested_generators), TEST_ENTRY(for_reduce),
          TEST_ENTRY(for_bitstring_generator), TEST_ENTRY(fn_closure),
          TEST_ENTRY(fn_refutable_raise_stays_inside), TEST_ENTRY(capture_closure),
          TEST_ENTRY(node_of_and_in_edges), TEST_ENTRY(argument_order), TEST_ENTRY(pipe_order),
          TEST_ENTRY(remote_receiver_first), TEST_ENTRY(snippets), TEST_ENTRY(quote_unquote),
          TEST_ENTRY(matches_credo_on_if_and_for), TEST_ENTRY(dot_escapes_and_renders),
          TEST_ENTRY(dot_exact), TEST_ENTRY(json_export), TEST_ENTRY(bad_arguments),
          TEST_ENTRY(stdlib_sanity))
