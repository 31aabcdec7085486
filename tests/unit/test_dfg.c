/* test_dfg.c: dfg_build on small functions whose versions, uses and edges are worked
 * out by hand from Elixir 1.14's scoping rules (docs/dfg.md); each case names the
 * rule it checks. The compiler itself is the oracle for the unused-variable findings
 * (tests/dfg/oracle.sh); here the whole graph is pinned down.
 *
 * A graph is rendered compactly and compared as strings:
 *   defs:  "x0 2 param" (name, version, line, kind) + " over" (overrides) + " UNUSED"
 *   uses:  "x0 3 read" (name, version read, line, kind) or "foo? 3 read" (unbound)
 *          + " closure" when read inside a fn/& deeper than the binding
 *   edges: "0>1" (def index > use index), in edge order. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <sys/stat.h>

#include "exscope.h"
#include "analyze/defs.h"
#include "analyze/dfg.h"
#include "parse/parse.h"
#include "harness.h"

typedef struct rendered {
    char defs[2048], uses[2048], edges[1024];
    uint32_t unused;
} rendered;

static void cat(char *buf, size_t cap, const char *s) {
    size_t n = strlen(buf);
    if (n && n + 2 < cap) {
        buf[n++] = ',';
        buf[n++] = ' ';
        buf[n] = 0;
    }
    strncat(buf, s, cap - n - 1);
}

static void render(const dfg_graph *g, rendered *out) {
    memset(out, 0, sizeof(*out));
    char item[256];
    for (uint32_t i = 0; i < g->def_count; i++) {
        const dfg_def *d = &g->defs[i];
        snprintf(item, sizeof item, "%s%u %u %s%s%s", d->name, i, d->line,
                 dfg_def_kind_name(d->kind), d->overrides ? " over" : "",
                 d->is_unused ? " UNUSED" : "");
        cat(out->defs, sizeof out->defs, item);
    }
    for (uint32_t i = 0; i < g->use_count; i++) {
        const dfg_use *u = &g->uses[i];
        bool closure = u->def != DFG_NONE && u->closure_depth > g->defs[u->def].closure_depth;
        if (u->def == DFG_NONE)
            snprintf(item, sizeof item, "%s? %u %s", u->name, u->line, dfg_use_kind_name(u->kind));
        else
            snprintf(item, sizeof item, "%s%u %u %s%s", u->name, u->def, u->line,
                     dfg_use_kind_name(u->kind), closure ? " closure" : "");
        cat(out->uses, sizeof out->uses, item);
    }
    for (uint32_t i = 0; i < g->edge_count; i++) {
        snprintf(item, sizeof item, "%u>%u", g->edges[i].def, g->edges[i].use);
        cat(out->edges, sizeof out->edges, item);
        ASSERT_EQ(g->uses[g->edges[i].use].def, g->edges[i].def);
    }
    out->unused = g->unused_count;
}

/* The graph of function number `fun` (defs order) of `src`, wrapped in a module. */
static rendered graph_of(const char *body, uint32_t fun) {
    char src[8192];
    snprintf(src, sizeof src, "defmodule T do\n%s\nend\n", body);
    exs_parse_options o = {.columns = true};
    exs_file *f = NULL;
    exs_error err;
    exs_status st = exs_parse(src, strlen(src), "t.ex", &o, &f, &err);
    if (st != EXS_OK) TEST_FAIL_("parse: %s at %u: %s", exs_status_name(st), err.line, err.message);
    const exs_tree *t = parse_file_tree(f);
    exs_arena *a = arena_new(4096);
    defs_result r;
    ASSERT_EQ(defs_extract(t, parse_file_ids(f), a, &r), EXS_OK);
    ASSERT(fun < r.function_count);
    const defs_function *fn = &r.functions[fun];
    exs_ref cl[16];
    ASSERT(fn->clause_count <= 16);
    for (uint32_t i = 0; i < fn->clause_count; i++) cl[i] = fn->clauses[i].node;
    dfg_graph g;
    ASSERT_EQ(dfg_build(t, parse_file_ids(f), cl, fn->clause_count, a, &g), EXS_OK);
    for (uint32_t i = 0; i < g.def_count; i++) ASSERT(g.defs[i].node_id != 0);
    rendered out;
    render(&g, &out);
    arena_free(a);
    exs_file_free(f);
    return out;
}

#define EXPECT(body, fun, d, u, e)                                                 \
    do {                                                                           \
        rendered r_ = graph_of(body, fun);                                         \
        ASSERT_STR_EQ(r_.defs, d);                                                 \
        ASSERT_STR_EQ(r_.uses, u);                                                 \
        ASSERT_STR_EQ(r_.edges, e);                                                \
    } while (0)

/* Parameters are versions; an unused one is a finding. */
TEST(params) {
    EXPECT("def f(a, b), do: a", 0, "a0 2 param, b1 2 param UNUSED", "a0 2 read", "0>0");
}

/* Rebinding makes a new version; `x = x + 1` reads the old one first. */
TEST(rebind) {
    EXPECT("def f do\n x = 1\n x = x + 1\n x\nend", 0,
           "x0 3 match, x1 4 match over", "x0 4 read, x1 5 read", "0>0, 1>1");
}

/* The first binding of a rebound variable, never read, is unused. */
TEST(rebind_first_unused) {
    EXPECT("def f do\n x = 1\n x = 2\n x\nend", 0, "x0 3 match UNUSED, x1 4 match over",
           "x1 5 read", "1>0");
}

/* case clause patterns are local to their clause; guards are uses. */
TEST(case_clauses) {
    EXPECT("def f(t) do\n case t do\n  {:ok, v} when v > 1 -> v\n  other -> :no\n end\nend", 0,
           "t0 2 param, v1 4 clause, other2 5 clause UNUSED",
           "t0 3 read, v1 4 guard, v1 4 read", "0>0, 1>1, 1>2");
}

/* Bindings inside a branch do not leak: after the case the outer x is read. */
TEST(case_no_leak) {
    EXPECT("def f(t) do\n x = 1\n case t do\n  :a -> x = 2\n end\n x\nend", 0,
           "t0 2 param, x1 3 match, x2 5 match over UNUSED",
           "t0 4 read, x1 7 read", "0>0, 1>1");
}

/* The case head runs in the enclosing scope: its bindings are visible after. */
TEST(case_head_leaks) {
    EXPECT("def f(t) do\n case y = t do\n  _ -> :ok\n end\n y\nend", 0,
           "t0 2 param, y1 3 match", "t0 3 read, y1 6 read", "0>0, 1>1");
}

/* if: the condition in the enclosing scope, branches in their own. */
TEST(if_branches) {
    EXPECT("def f(m) do\n if v = m do\n  w = v\n  w\n else\n  z = 1\n end\n v\nend", 0,
           "m0 2 param, v1 3 match, w2 4 match, z3 7 match UNUSED",
           "m0 3 read, v1 4 read, w2 5 read, v1 9 read", "0>0, 1>1, 1>3, 2>2");
}

/* ^x reads the version visible before the match; a repeated name is a use (so z is
 * not unused: Elixir's var_used on the second occurrence). */
TEST(pin_and_repeat) {
    EXPECT("def f(x, y) do\n {^x, z, z} = y\n :ok\nend", 0,
           "x0 2 param, y1 2 param, z2 3 match",
           "y1 3 read, x0 3 pin, z2 3 repeat", "0>1, 1>0, 2>2");
}

/* A repeated parameter is one version used by its second occurrence. */
TEST(repeat_in_head) {
    EXPECT("def f({a, a}), do: :same", 0, "a0 2 param", "a0 2 repeat", "0>0");
}

/* fn: captures outer versions by value; its own bindings are local. */
TEST(closure) {
    EXPECT("def f(list) do\n k = 2\n Enum.map(list, fn x -> x * k end)\nend", 0,
           "list0 2 param, k1 3 match, x2 4 clause",
           "list0 4 read, x2 4 read, k1 4 read closure", "0>0, 1>2, 2>1");
}

/* fn parameters shadow: the outer x is unused. The right of `=` runs first, so the
 * fn's x is version 1 and g version 2. */
TEST(fn_shadow) {
    EXPECT("def f(x) do\n g = fn x -> x end\n g.(1)\nend", 0,
           "x0 2 param UNUSED, x1 3 clause over, g2 3 match", "x1 3 read, g2 4 read",
           "1>0, 2>1");
}

/* for: generators and filters bind for the rest of the comprehension only. */
TEST(for_scoping) {
    EXPECT("def f(list) do\n for x <- list, y = x * 2, y > 2, do: x\n x = 1\n x\nend", 0,
           "list0 2 param, x1 3 generator, y2 3 match, x3 4 match",
           "list0 3 read, x1 3 read, y2 3 read, x1 3 read, x3 5 read",
           "0>0, 1>1, 1>3, 2>2, 3>4");
}

/* for reduce: the accumulator clauses are clause heads. */
TEST(for_reduce) {
    EXPECT("def f(l) do\n for x <- l, reduce: 0 do\n  acc -> acc + x\n end\nend", 0,
           "l0 2 param, x1 3 generator, acc2 4 clause", "l0 3 read, acc2 4 read, x1 4 read",
           "0>0, 1>2, 2>1");
}

/* with: `<-` patterns chain into do; else clauses see only the outer scope. */
TEST(with_else) {
    EXPECT("def f(m) do\n with {:ok, a} <- m, b = a do\n  b\n else\n  e -> m\n end\nend", 0,
           "m0 2 param, a1 3 with, b2 3 match, e3 6 clause UNUSED",
           "m0 3 read, a1 3 read, b2 4 read, m0 6 read", "0>0, 0>3, 1>1, 2>2");
}

/* receive clauses and the after timeout. */
TEST(receive) {
    EXPECT("def f(t) do\n receive do\n  {:m, b} -> b\n after\n  t -> :to\n end\nend", 0,
           "t0 2 param, b1 4 clause", "b1 4 read, t0 6 read", "0>1, 1>0");
}

/* try: rescue variable, catch kind/value, after in its own scope. */
TEST(try_forms) {
    EXPECT("def f(x) do\n try do\n  x\n rescue\n  e in ArgumentError -> e\n catch\n  k, v -> k\n"
           " after\n  z = 1\n end\nend",
           0, "x0 2 param, e1 6 rescue, k2 8 clause, v3 8 clause UNUSED, z4 10 match UNUSED",
           "x0 4 read, e1 6 read, k2 8 read", "0>0, 1>1, 2>2");
}

/* quote: variables are not runtime variables, except inside unquote. */
TEST(quote_unquote) {
    EXPECT("defmacro m(a, b) do\n quote do\n  x = unquote(a)\n  x + b\n end\nend", 0,
           "a0 2 param, b1 2 param UNUSED", "a0 4 read", "0>0");
}

/* bind_quoted disables unquote in the body. */
TEST(quote_bind_quoted) {
    EXPECT("defmacro m(a, b) do\n quote bind_quoted: [a: a] do\n  unquote(b)\n end\nend", 0,
           "a0 2 param, b1 2 param UNUSED", "a0 3 read", "0>0");
}

/* Binary patterns: a size reads a version bound earlier in the same pattern. */
TEST(binary_size) {
    EXPECT("def f(<<n::8, d::binary-size(n)>>), do: d", 0, "n0 2 param, d1 2 param",
           "n0 2 size, d1 2 read", "0>0, 1>1");
}

/* Interpolation reads; @attr and __MODULE__ are not variables. */
TEST(interp_attr_special) {
    EXPECT("@a 1\ndef f(x), do: {\"#{x}\", @a, __MODULE__}", 0, "x0 3 param", "x0 3 read",
           "0>0");
}

/* Arguments do not see each other's bindings, but all are visible after. */
TEST(args_isolation) {
    EXPECT("def f do\n x = 1\n {x = 2, x}\n x\nend", 0,
           "x0 3 match, x1 4 match over", "x0 4 read, x1 5 read", "0>0, 1>1");
}

/* &&/|| right operands run in a clause: their bindings are local. */
TEST(short_circuit) {
    EXPECT("def f(a) do\n a && (b = 1)\nend", 0, "a0 2 param, b1 3 match UNUSED", "a0 3 read",
           "0>0");
}

/* binding() reads every visible variable. */
TEST(binding_reads_all) {
    EXPECT("def f(a, b), do: binding()", 0, "a0 2 param, b1 2 param",
           "a0 2 binding, b1 2 binding", "0>0, 1>1");
}

/* A name with no visible variable is a local call: an unbound use. */
TEST(unbound) {
    EXPECT("def f(a) do\n self\n a\nend", 0, "a0 2 param", "self? 3 read, a0 4 read", "0>1");
}

/* Clauses of one function get versions from one counter; bodiless heads and
 * defaults give no findings. Function 0 is f/1, made by the default. */
TEST(multi_clause_and_defaults) {
    EXPECT("def f(a, b \\\\ 2)\ndef f(0, acc), do: acc\ndef f(n, _acc), do: n", 1,
           "a0 2 param, b1 2 param, acc2 3 param, n3 4 param, _acc4 4 param",
           "acc2 3 read, n3 4 read", "2>0, 3>1");
}

/* defdelegate passes its parameters on. */
TEST(delegate) {
    EXPECT("defdelegate f(a), to: M", 0, "a0 2 param", "a0 2 delegate", "0>0");
}

/* Captures: &name/arity is not a variable; &(&1 + k) reads k in a closure. */
TEST(captures) {
    EXPECT("def f(l, k, m), do: {&to_string/1, &(&1 + k), &m.id/1, l}", 0,
           "l0 2 param, k1 2 param, m2 2 param", "k1 2 read closure, m2 2 read, l0 2 read",
           "0>2, 1>0, 2>1");
}

/* Pipes are calls with the piped value first; cond conditions are clause-local. */
TEST(pipe_and_cond) {
    EXPECT("def f(x) do\n cond do\n  (y = x |> g()) > 1 -> y\n  true -> x\n end\nend\n"
           "defp g(v), do: v",
           0, "x0 2 param, y1 4 match", "x0 4 read, y1 4 read, x0 5 read", "0>0, 0>2, 1>1");
}

/* Closure depth: a use inside nested fns is deeper than its outer binding. */
TEST(closure_depth) {
    char src[] = "defmodule T do\ndef f(a) do\n fn b ->\n  fn -> a + b end\n end\nend\nend\n";
    exs_parse_options o = {.columns = true};
    exs_file *f = NULL;
    ASSERT_EQ(exs_parse(src, strlen(src), "t.ex", &o, &f, NULL), EXS_OK);
    const exs_tree *t = parse_file_tree(f);
    exs_arena *a = arena_new(4096);
    defs_result r;
    ASSERT_EQ(defs_extract(t, parse_file_ids(f), a, &r), EXS_OK);
    exs_ref cl = r.functions[0].clauses[0].node;
    dfg_graph g;
    ASSERT_EQ(dfg_build(t, parse_file_ids(f), &cl, 1, a, &g), EXS_OK);
    ASSERT_EQ(g.def_count, 2);
    ASSERT_EQ(g.defs[0].closure_depth, 0); /* a */
    ASSERT_EQ(g.defs[1].closure_depth, 1); /* b */
    ASSERT_EQ(g.use_count, 2);
    ASSERT_EQ(g.uses[0].closure_depth, 2);
    ASSERT_EQ(g.uses[1].closure_depth, 2);
    ASSERT_EQ(g.defs[0].line, 2);
    ASSERT_EQ(g.defs[0].column, 7);
    ASSERT_EQ(g.uses[0].line, 4);
    ASSERT_EQ(g.uses[0].column, 9);
    ASSERT(g.uses[0].node_id != g.uses[1].node_id);
    ASSERT_EQ(g.unused_count, 0);
    arena_free(a);
    exs_file_free(f);
}

/* A bitstring size in an expression is a plain read of the enclosing scope. */
TEST(binary_expression_size) {
    EXPECT("def f(x, n), do: <<x::size(n), 0::8>>", 0, "x0 2 param, n1 2 param",
           "x0 2 read, n1 2 read", "0>0, 1>1");
}

/* with: the right of `<-` runs in the chain but its own bindings are dropped. */
TEST(with_rhs_dropped) {
    EXPECT("def f do\n with {:ok, a} <- (b = {:ok, 1}) do\n  a\n end\nend", 0,
           "b0 3 match UNUSED, a1 3 with", "a1 4 read", "1>0");
}

/* for over a bitstring: the segments are generator patterns. */
TEST(bitstring_generator) {
    EXPECT("def f(bin, n), do: for(<<c::size(n) <- bin>>, do: c)", 0,
           "bin0 2 param, n1 2 param, c2 2 generator", "bin0 2 read, n1 2 size, c2 2 read",
           "0>0, 1>1, 2>2");
}

/* Inside quote: `:erlang.unquote(name)(...)` unquotes name. */
TEST(quote_remote_unquote) {
    EXPECT("def f(g, x), do: quote(do: :erlang.unquote(g)(unquote(x)))", 0,
           "g0 2 param, x1 2 param", "g0 2 read, x1 2 read", "0>0, 1>1");
}

/* var!(x) is x; var!(x, Ctx) is a macro-context variable, not a source one. */
TEST(var_bang) {
    EXPECT("def f do\n var!(x) = 1\n var!(y, Foo) = 2\n x\nend", 0, "x0 3 match",
           "x0 5 read", "0>0");
}

/* In guards `and`/`or` are plain operators; `when` alternatives are all read. */
TEST(guard_operators) {
    EXPECT("def f(a, b, c) when a > 0 and (b or c) when is_nil(a), do: :ok", 0,
           "a0 2 param, b1 2 param, c2 2 param",
           "a0 2 guard, b1 2 guard, c2 2 guard, a0 2 guard", "0>0, 0>3, 1>1, 2>2");
}

/* alias/require/import with more than 2 arguments are local calls. */
TEST(directive_names_as_calls) {
    EXPECT("def f(a, b), do: require(a, b, 3)\ndef g(m), do: (alias M.N; require Logger; m)", 0,
           "a0 2 param, b1 2 param", "a0 2 read, b1 2 read", "0>0, 1>1");
}

/* overrides: a pattern variable shadowing a visible one (Elixir's "use the pin
 * operator" wording). */
TEST(overrides_flag) {
    EXPECT("def f(x, y) do\n case y do\n  x -> :any\n end\nend", 0,
           "x0 2 param UNUSED, y1 2 param, x2 4 clause over UNUSED", "y1 3 read", "1>0");
}

/* ---- stdlib sanity ------------------------------------------------------------------ */

static unsigned long stdlib_functions, stdlib_files, stdlib_defs, stdlib_unused;

static void check_graph(const exs_tree *t, const dfg_graph *g) {
    uint32_t resolved = 0;
    for (uint32_t i = 0; i < g->def_count; i++) {
        const dfg_def *d = &g->defs[i];
        ASSERT(tree_is_call(t, d->node));
        ASSERT(tree_is_atom(t, tree_get(t, d->node)->v.kids[0], d->name));
        ASSERT(d->line >= 1);
        ASSERT(d->kind <= DFG_DEF_MATCHQ);
    }
    for (uint32_t i = 0; i < g->use_count; i++) {
        const dfg_use *u = &g->uses[i];
        ASSERT(u->kind <= DFG_USE_DELEGATE);
        if (u->def == DFG_NONE) continue;
        resolved++;
        ASSERT(u->def < g->def_count);
        ASSERT_STR_EQ(u->name, g->defs[u->def].name);
        ASSERT(u->closure_depth >= g->defs[u->def].closure_depth);
    }
    ASSERT_EQ(g->edge_count, resolved);
    for (uint32_t i = 1; i < g->edge_count; i++)
        ASSERT(g->edges[i - 1].def < g->edges[i].def ||
               (g->edges[i - 1].def == g->edges[i].def &&
                g->edges[i - 1].use < g->edges[i].use));
    for (uint32_t i = 0; i < g->unused_count; i++) ASSERT(g->defs[g->unused[i]].is_unused);
    stdlib_defs += g->def_count;
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".ex") != 0) return 0;
    if (!strstr(path, "/lib/") || strstr(path, "/test/")) return 0;
    FILE *fp = fopen(path, "rb");
    ASSERT(fp);
    char *buf = malloc((size_t)sb->st_size + 1);
    ASSERT(buf);
    size_t len = fread(buf, 1, (size_t)sb->st_size, fp);
    fclose(fp);
    exs_parse_options o = {.columns = true};
    exs_file *f = NULL;
    if (exs_parse(buf, len, path, &o, &f, NULL) == EXS_OK) {
        const exs_tree *t = parse_file_tree(f);
        exs_arena *a = arena_new(1 << 14);
        defs_result r;
        ASSERT_EQ(defs_extract(t, parse_file_ids(f), a, &r), EXS_OK);
        for (uint32_t i = 0; i < r.function_count; i++) {
            const defs_function *fn = &r.functions[i];
            if (!fn->clause_count) continue;
            exs_ref *cl = malloc(fn->clause_count * sizeof(exs_ref));
            ASSERT(cl);
            for (uint32_t k = 0; k < fn->clause_count; k++) cl[k] = fn->clauses[k].node;
            dfg_graph g;
            ASSERT_EQ(dfg_build(t, parse_file_ids(f), cl, fn->clause_count, a, &g), EXS_OK);
            free(cl);
            check_graph(t, &g);
            if (!fn->in_using) stdlib_unused += g.unused_count;
            stdlib_functions++;
        }
        arena_free(a);
        exs_file_free(f);
    }
    free(buf);
    stdlib_files++;
    return 0;
}

TEST(stdlib_sanity) {
    struct stat st;
    const char *dir = "corpus/elixir-lang/lib";
    if (stat(dir, &st) != 0) {
        fprintf(stderr, "stdlib_sanity: %s missing, skipped\n", dir);
        return;
    }
    ASSERT_EQ(nftw(dir, visit, 16, FTW_PHYS), 0);
    fprintf(stderr, "stdlib_sanity: %lu files, %lu functions, %lu versions, %lu unused\n",
            stdlib_files, stdlib_functions, stdlib_defs, stdlib_unused);
    ASSERT(stdlib_functions > 1000);
    ASSERT_EQ(stdlib_unused, 0);
}

/* Not a def call: EXS_ERR_ARG. */
TEST(bad_argument) {
    exs_parse_options o = {0};
    exs_file *f = NULL;
    ASSERT_EQ(exs_parse("x", 1, "t.ex", &o, &f, NULL), EXS_OK);
    const exs_tree *t = parse_file_tree(f);
    exs_arena *a = arena_new(1024);
    dfg_graph g;
    exs_ref r = t->root;
    ASSERT_EQ(dfg_build(t, NULL, &r, 1, a, &g), EXS_ERR_ARG);
    ASSERT_EQ(g.def_count, 0);
    arena_free(a);
    exs_file_free(f);
}

TEST_LIST(TEST_ENTRY(params), TEST_ENTRY(rebind), TEST_ENTRY(rebind_first_unused),
          TEST_ENTRY(case_clauses), TEST_ENTRY(case_no_leak), TEST_ENTRY(case_head_leaks),
          TEST_ENTRY(if_branches), TEST_ENTRY(pin_and_repeat), TEST_ENTRY(repeat_in_head),
          TEST_ENTRY(closure), TEST_ENTRY(fn_shadow), TEST_ENTRY(for_scoping),
          TEST_ENTRY(for_reduce), TEST_ENTRY(with_else), TEST_ENTRY(receive),
          TEST_ENTRY(try_forms), TEST_ENTRY(quote_unquote), TEST_ENTRY(quote_bind_quoted),
          TEST_ENTRY(binary_size), TEST_ENTRY(interp_attr_special), TEST_ENTRY(args_isolation),
          TEST_ENTRY(short_circuit), TEST_ENTRY(binding_reads_all), TEST_ENTRY(unbound),
          TEST_ENTRY(multi_clause_and_defaults), TEST_ENTRY(delegate), TEST_ENTRY(captures),
          TEST_ENTRY(pipe_and_cond), TEST_ENTRY(closure_depth),
          TEST_ENTRY(binary_expression_size), TEST_ENTRY(with_rhs_dropped),
          TEST_ENTRY(bitstring_generator), TEST_ENTRY(quote_remote_unquote), TEST_ENTRY(var_bang),
          TEST_ENTRY(guard_operators), TEST_ENTRY(directive_names_as_calls),
          TEST_ENTRY(overrides_flag), TEST_ENTRY(bad_argument), TEST_ENTRY(stdlib_sanity))
