/* test_metrics.c: metrics_compute/metrics_add on small functions whose every value is
 * computed by hand from the rules of docs/metrics.md (each case names the rules it
 * exercises), then a sanity run over the elixir-lang stdlib sources when they are
 * present (corpus/, fetched by `make corpus`): every def clause at any depth is
 * measured, nothing crashes and every value lies in its range.
 *
 * Sources are parsed with token_metadata (exact end lines) unless a case says not. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <math.h>
#include <sys/stat.h>

#include "exscope.h"
#include "analyze/metrics.h"
#include "parse/parse.h"
#include "harness.h"

static bool is_def(const exs_tree *t, exs_ref r) {
    static const char *const defs[] = {"def",      "defp",     "defmacro", "defmacrop",
                                       "defguard", "defguardp", NULL};
    if (!tree_is_call(t, r)) return false;
    if (tree_get(t, tree_get(t, r)->v.kids[2])->kind != EXS_TERM_LIST) return false;
    for (const char *const *d = defs; *d; d++)
        if (tree_is_atom(t, tree_get(t, r)->v.kids[0], *d)) return true;
    return false;
}

/* Calls fn on every def clause in prewalk order (outer defs before inner ones). */
typedef void (*def_fn)(const exs_tree *t, exs_ref def, void *ctx);
static void each_def(const exs_tree *t, exs_ref r, def_fn fn, void *ctx) {
    const exs_term *n = tree_get(t, r);
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return;
    if (is_def(t, r)) fn(t, r, ctx);
    for (uint32_t i = 0; i < n->len; i++)
        if (tree_get(t, n->v.kids[i])->kind != EXS_TERM_META)
            each_def(t, n->v.kids[i], fn, ctx);
}

typedef struct agg {
    exs_metrics first; /* the first clause found */
    exs_metrics sum;   /* metrics_add over every clause */
    int count;
} agg;

static void add_one(const exs_tree *t, exs_ref def, void *ctx) {
    agg *a = ctx;
    exs_metrics m;
    ASSERT_EQ(metrics_compute(t, def, &m), EXS_OK);
    if (a->count++ == 0) a->first = m;
    metrics_add(&a->sum, &m);
}

static agg measure_opts(const char *src, bool token_metadata) {
    agg a;
    memset(&a, 0, sizeof(a));
    exs_parse_options o = {.token_metadata = token_metadata};
    exs_file *f = NULL;
    exs_error err;
    exs_status st = exs_parse(src, strlen(src), "t.ex", &o, &f, &err);
    if (st != EXS_OK) TEST_FAIL_("parse: %s at %u: %s", exs_status_name(st), err.line, err.message);
    const exs_tree *t = parse_file_tree(f);
    each_def(t, t->root, add_one, &a);
    exs_file_free(f);
    ASSERT(a.count > 0);
    return a;
}

/* The first clause of src. */
static exs_metrics m1(const char *src) { return measure_opts(src, true).first; }

#define ASSERT_ABC(m, a, b, c)                                                     \
    do {                                                                           \
        ASSERT_EQ((m).abc_a, a);                                                   \
        ASSERT_EQ((m).abc_b, b);                                                   \
        ASSERT_EQ((m).abc_c, c);                                                   \
        ASSERT(fabs((m).abc - sqrt((double)(a) * (a) + (b) * (b) + (c) * (c))) < 1e-9); \
    } while (0)

/* cc perceived cognitive nesting lines */
#define ASSERT_M(m, cc_, perc_, cog_, nest_, lines_)                               \
    do {                                                                           \
        ASSERT_EQ((m).cc, cc_);                                                    \
        ASSERT_EQ((m).perceived, perc_);                                           \
        ASSERT_EQ((m).cognitive, cog_);                                            \
        ASSERT_EQ((m).nesting, nest_);                                             \
        ASSERT_EQ((m).lines, lines_);                                              \
        ASSERT_EQ((m).clauses, 1);                                                 \
    } while (0)

TEST(straight_line) {
    /* operators are neither branches nor conditions */
    exs_metrics m = m1("def f(x), do: x + 1\n");
    ASSERT_M(m, 1, 1, 0, 0, 1);
    ASSERT_ABC(m, 0, 0, 0);
    ASSERT_EQ(m.first_line, 1);
    ASSERT_EQ(m.last_line, 1);
}

TEST(if_else) {
    /* cc: if +1. cog: if +1, else +1. C: `>`, if, else. */
    exs_metrics m = m1("def f(x) do\n  if x > 0 do\n    :pos\n  else\n    :neg\n  end\nend\n");
    ASSERT_M(m, 2, 2, 2, 1, 7);
    ASSERT_ABC(m, 0, 0, 3);
}

TEST(unless_no_else) {
    /* B: raise. C: unless. */
    exs_metrics m = m1("def f(x) do\n  unless x, do: raise(\"no\")\n  :ok\nend\n");
    ASSERT_M(m, 2, 2, 1, 1, 4);
    ASSERT_ABC(m, 0, 1, 1);
}

TEST(cond_three_clauses) {
    /* cc: 1 + 3 clauses; perceived: cond clauses weigh 1. C: <, ==, 3 clauses. */
    exs_metrics m = m1("def f(x) do\n  cond do\n    x < 0 -> :neg\n    x == 0 -> :zero\n"
                       "    true -> :pos\n  end\nend\n");
    ASSERT_M(m, 4, 4, 1, 1, 7);
    ASSERT_ABC(m, 0, 0, 5);
}

TEST(case_four_clauses) {
    /* cc 1 + 4; perceived 1 + 4 * 0.3 = 2.2 -> 2 */
    exs_metrics m = m1("def f(x) do\n  case x do\n    0 -> :a\n    1 -> :b\n    2 -> :c\n"
                       "    _ -> :d\n  end\nend\n");
    ASSERT_M(m, 5, 2, 1, 1, 8);
    ASSERT_EQ(m.perceived_x10, 22);
    ASSERT_ABC(m, 0, 0, 4);
}

TEST(case_five_clauses_rounds_half_up) {
    /* perceived 1 + 5 * 0.3 = 2.5 -> 3 (Elixir's round/1) */
    exs_metrics m = m1("def f(x) do\n  case x do\n    0 -> :a\n    1 -> :b\n    2 -> :c\n"
                       "    3 -> :d\n    _ -> :e\n  end\nend\n");
    ASSERT_M(m, 6, 3, 1, 1, 9);
    ASSERT_EQ(m.perceived_x10, 25);
}

TEST(with_else) {
    /* Credo's cc ignores with. cog: with +1, else +1; not a Credo nesting op.
     * A: two <-. B: g, h. C: two <- clauses, else, one else clause. */
    exs_metrics m = m1("def f(a) do\n  with {:ok, x} <- g(a),\n       {:ok, y} <- h(x) do\n"
                       "    x + y\n  else\n    _ -> :error\n  end\nend\n");
    ASSERT_M(m, 1, 1, 2, 0, 8);
    ASSERT_ABC(m, 2, 2, 4);
}

TEST(for_with_filters) {
    /* cc: for +1. A: the generator. B: rem. C: two filters, >, ==. */
    exs_metrics m = m1("def f(xs) do\n  for x <- xs, x > 0, rem(x, 2) == 0, do: x * 2\nend\n");
    ASSERT_M(m, 2, 2, 1, 0, 3);
    ASSERT_ABC(m, 1, 1, 4);
}

TEST(for_bitstring_generator_and_into) {
    /* <<c <- s>> is a generator, into: an option: no filters */
    exs_metrics m = m1("def f(s), do: for(<<c <- s>>, into: \"\", do: <<c>>)\n");
    ASSERT_M(m, 2, 2, 1, 0, 1);
    ASSERT_ABC(m, 1, 0, 0);
}

TEST(try_rescue_catch_after) {
    /* cc: try +1. cog: rescue +1, catch +1. B: g, cleanup. C: 3 clauses, `in`. */
    exs_metrics m = m1("def f do\n  try do\n    g()\n  rescue\n    e in ArgumentError -> e\n"
                       "    _ -> :other\n  catch\n    :exit, _ -> :exit\n  after\n"
                       "    cleanup()\n  end\nend\n");
    ASSERT_M(m, 2, 2, 2, 0, 12);
    ASSERT_ABC(m, 0, 2, 4);
}

TEST(try_else) {
    /* cog: rescue +1, else +1. C: rescue clause, else, else clause. */
    exs_metrics m = m1("def f do\n  try do\n    g()\n  rescue\n    _ -> :err\n  else\n"
                       "    x -> x\n  end\nend\n");
    ASSERT_M(m, 2, 2, 2, 0, 9);
    ASSERT_ABC(m, 0, 1, 3);
}

TEST(receive_after) {
    /* Credo's cc ignores receive; cog +1; C: 3 clauses (after's included). */
    exs_metrics m = m1("def f do\n  receive do\n    {:msg, m} -> m\n    :stop -> nil\n"
                       "  after\n    100 -> :timeout\n  end\nend\n");
    ASSERT_M(m, 1, 1, 1, 0, 8);
    ASSERT_ABC(m, 0, 0, 3);
}

TEST(fn_with_clauses) {
    /* fn nests (Credo) without a cognitive increment. B: Enum.map. C: 3 clauses, >. */
    exs_metrics m = m1("def f(xs) do\n  Enum.map(xs, fn\n    0 -> :zero\n"
                       "    n when n > 0 -> :pos\n    _ -> :neg\n  end)\nend\n");
    ASSERT_M(m, 1, 1, 0, 1, 7);
    ASSERT_ABC(m, 0, 1, 4);
}

TEST(fn_one_clause) {
    /* a one-clause fn is no choice: its -> is not a condition */
    exs_metrics m = m1("def f(xs), do: Enum.map(xs, fn x -> x * 2 end)\n");
    ASSERT_M(m, 1, 1, 0, 1, 1);
    ASSERT_ABC(m, 0, 1, 0);
}

TEST(and_and_sequence) {
    /* cc +1 per operator; cog +1 per sequence of like operators */
    exs_metrics m = m1("def f(a, b, c), do: a && b && c\n");
    ASSERT_M(m, 3, 3, 1, 0, 1);
    ASSERT_ABC(m, 0, 0, 2);
}

TEST(mixed_boolean_operators) {
    /* ((a and b) or c) || d: `or`/`||` one sequence, `and` another */
    exs_metrics m = m1("def f(a, b, c, d), do: a and b or c || d\n");
    ASSERT_M(m, 4, 4, 2, 0, 1);
    ASSERT_ABC(m, 0, 0, 3);
}

TEST(pipeline) {
    /* |> adds nothing; each remote call is a branch; &to_string/1 is no call; > in the
     * capture is a condition */
    exs_metrics m = m1("def f(xs) do\n  xs\n  |> Enum.filter(&(&1 > 0))\n"
                       "  |> Enum.map(&to_string/1)\n  |> Enum.join(\",\")\nend\n");
    ASSERT_M(m, 1, 1, 0, 0, 6);
    ASSERT_ABC(m, 0, 3, 1);
}

TEST(nested_ifs) {
    /* nesting 3; cog 1 + (1+1) + (1+2) */
    exs_metrics m = m1("def f(a, b, c) do\n  if a do\n    if b do\n      if c do\n"
                       "        :abc\n      end\n    end\n  end\nend\n");
    ASSERT_M(m, 4, 4, 6, 3, 9);
    ASSERT_ABC(m, 0, 0, 3);
}

TEST(if_inside_fn_inside_case) {
    /* nesting: case > fn > if = 3; cog: case 1, if 1 + 2 (case, fn) = 4 */
    exs_metrics m = m1("def f(x) do\n  case x do\n    xs -> Enum.map(xs, fn y ->\n"
                       "      if y, do: 1\n    end)\n  end\nend\n");
    ASSERT_M(m, 3, 2, 4, 3, 7);
    ASSERT_ABC(m, 0, 1, 2);
}

TEST(guard) {
    /* cc counts `and` in the guard (Credo prewalks the whole def). B: is_integer.
     * C: and, >. */
    exs_metrics m = m1("def f(x) when is_integer(x) and x > 0, do: x\n");
    ASSERT_M(m, 2, 2, 1, 0, 1);
    ASSERT_ABC(m, 0, 1, 2);
}

TEST(matches) {
    /* A: three `=`. B: g (m.a is field access, not a call). */
    exs_metrics m = m1("def f(m) do\n  x = m.a\n  {y, z} = g(x)\n  ^x = y\n  z\nend\n");
    ASSERT_M(m, 1, 1, 0, 0, 6);
    ASSERT_ABC(m, 3, 1, 0);
}

TEST(remote_and_anonymous_calls) {
    /* fun.(1), Map.get, __MODULE__.g(), m.call() are branches; m.field is not */
    exs_metrics m = m1("def f(fun, m) do\n"
                       "  fun.(1) + Map.get(m, :a) + __MODULE__.g() + m.field + m.call()\nend\n");
    ASSERT_M(m, 1, 1, 0, 0, 3);
    ASSERT_ABC(m, 0, 4, 0);
}

TEST(interpolation_is_not_a_call) {
    exs_metrics m = m1("def f(x), do: \"v=#{x} #{g(x)}\"\n");
    ASSERT_M(m, 1, 1, 0, 0, 1);
    ASSERT_ABC(m, 0, 1, 0);
}

TEST(nested_def_in_quote) {
    /* cc: the clause 1, the quoted def +1 (Credo's def ops), if +1.
     * unquote(name)(x), quote, def are not branches. */
    exs_metrics m = m1("defmacro m(name) do\n  quote do\n    def unquote(name)(x) do\n"
                       "      if x, do: 1, else: 2\n    end\n  end\nend\n");
    ASSERT_M(m, 3, 3, 2, 1, 7);
    ASSERT_ABC(m, 0, 0, 2);
}

TEST(multi_clause_aggregate) {
    const char *src = "def f(0), do: 0\n"
                      "def f(n) when n > 0 do\n"
                      "  if n > 10 do\n"
                      "    case n do\n"
                      "      11 -> :eleven\n"
                      "      _ -> f(n - 1)\n"
                      "    end\n"
                      "  end\n"
                      "end\n"
                      "def f(_), do: raise \"neg\"\n";
    agg a = measure_opts(src, true);
    ASSERT_EQ(a.count, 3);
    /* clause 2: cc 1 + if + 2 case clauses = 4; perceived 1 + 1 + 0.6 */
    ASSERT_EQ(a.sum.cc, 1 + 4 + 1);
    ASSERT_EQ(a.sum.perceived_x10, 10 + 26 + 10);
    ASSERT_EQ(a.sum.perceived, 5);
    ASSERT_EQ(a.sum.cognitive, 3);
    ASSERT_EQ(a.sum.nesting, 2);
    ASSERT_EQ(a.sum.abc_a, 0);
    ASSERT_EQ(a.sum.abc_b, 2);  /* f, raise */
    ASSERT_EQ(a.sum.abc_c, 5);  /* >, >, if, 2 clauses */
    ASSERT(fabs(a.sum.abc - sqrt(29.0)) < 1e-9);
    ASSERT_EQ(a.sum.lines, 1 + 8 + 1);
    ASSERT_EQ(a.sum.clauses, 3);
    ASSERT_EQ(a.sum.first_line, 1);
    ASSERT_EQ(a.sum.last_line, 10);
}

TEST(lines_without_token_metadata) {
    /* without `end:` metadata the last line is the greatest line of a node: here the
     * `if` on line 2 (atoms carry no line); with it, the def's `end` on line 7 */
    const char *src = "def f(x) do\n  if x > 0 do\n    :pos\n  else\n    :neg\n  end\nend\n";
    exs_metrics m = measure_opts(src, false).first;
    ASSERT_EQ(m.first_line, 1);
    ASSERT_EQ(m.last_line, 2);
    ASSERT_EQ(m.lines, 2);
    ASSERT_EQ(m.cc, 2);
    m = measure_opts(src, true).first;
    ASSERT_EQ(m.last_line, 7);
}

TEST(bodyless_and_defguard) {
    /* `def f(a \\ 1)` declares defaults: no body. defguard's guard is its body. */
    agg a = measure_opts("def f(a \\\\ 1)\ndefguard is_pos(x) when is_integer(x) and x > 0\n",
                         true);
    ASSERT_EQ(a.count, 2);
    ASSERT_M(a.first, 1, 1, 0, 0, 1);
    ASSERT_ABC(a.first, 0, 0, 0);
    ASSERT_EQ(a.sum.cc, 1 + 2);
    ASSERT_EQ(a.sum.abc_b, 1);
    ASSERT_EQ(a.sum.abc_c, 2);
}

TEST(not_a_call) {
    exs_file *f = NULL;
    ASSERT_EQ(exs_parse("1", 1, NULL, NULL, &f, NULL), EXS_OK);
    const exs_tree *t = parse_file_tree(f);
    exs_metrics m;
    ASSERT_EQ(metrics_compute(t, t->root, &m), EXS_ERR_ARG);
    ASSERT_EQ(m.cc, 0);
    exs_file_free(f);
}

TEST(buckets) {
    ASSERT_EQ(metrics_bucket(1), 0);
    ASSERT_EQ(metrics_bucket(5), 0);
    ASSERT_EQ(metrics_bucket(6), 1);
    ASSERT_EQ(metrics_bucket(10), 1);
    ASSERT_EQ(metrics_bucket(11), 2);
    ASSERT_EQ(metrics_bucket(20), 2);
    ASSERT_EQ(metrics_bucket(21), 3);
    ASSERT_EQ(metrics_bucket(50), 3);
    ASSERT_EQ(metrics_bucket(51), 4);
    ASSERT_EQ(metrics_bucket(UINT32_MAX), 4);
    ASSERT_STR_EQ(metrics_bucket_name(0), "1-5");
    ASSERT_STR_EQ(metrics_bucket_name(4), ">50");
    ASSERT_STR_EQ(metrics_bucket_name(5), "?");
}

/* ---- stdlib sanity ------------------------------------------------------------------ */

static unsigned long stdlib_clauses, stdlib_files;

static void check_clause(const exs_tree *t, exs_ref def, void *ctx) {
    (void)ctx;
    exs_metrics m;
    ASSERT_EQ(metrics_compute(t, def, &m), EXS_OK);
    ASSERT(m.cc >= 1 && m.cc < 10000);
    ASSERT(m.perceived >= 1 && m.perceived <= m.cc);
    ASSERT(m.cognitive < 10000);
    ASSERT(m.nesting < 100);
    ASSERT(isfinite(m.abc) && m.abc >= 0 && m.abc < 10000);
    ASSERT(m.first_line >= 1 && m.last_line >= m.first_line);
    ASSERT_EQ(m.lines, m.last_line - m.first_line + 1);
    ASSERT_EQ(m.clauses, 1);
    stdlib_clauses++;
}

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
    for (int tm = 0; tm < 2; tm++) {
        exs_parse_options o = {.token_metadata = tm};
        exs_file *f = NULL;
        if (exs_parse(buf, len, path, &o, &f, NULL) != EXS_OK) continue;
        const exs_tree *t = parse_file_tree(f);
        each_def(t, t->root, check_clause, NULL);
        exs_file_free(f);
    }
    free(buf);
    stdlib_files++;
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
    ASSERT(stdlib_files >= 50);
    ASSERT(stdlib_clauses > 3000);
}

TEST_LIST(TEST_ENTRY(straight_line), TEST_ENTRY(if_else), TEST_ENTRY(unless_no_else),
          TEST_ENTRY(cond_three_clauses), TEST_ENTRY(case_four_clauses),
          TEST_ENTRY(case_five_clauses_rounds_half_up), TEST_ENTRY(with_else),
          TEST_ENTRY(for_with_filters), TEST_ENTRY(for_bitstring_generator_and_into),
          TEST_ENTRY(try_rescue_catch_after), TEST_ENTRY(try_else), TEST_ENTRY(receive_after),
          TEST_ENTRY(fn_with_clauses), TEST_ENTRY(fn_one_clause), TEST_ENTRY(and_and_sequence),
          TEST_ENTRY(mixed_boolean_operators), TEST_ENTRY(pipeline), TEST_ENTRY(nested_ifs),
          TEST_ENTRY(if_inside_fn_inside_case), TEST_ENTRY(guard), TEST_ENTRY(matches),
          TEST_ENTRY(remote_and_anonymous_calls), TEST_ENTRY(interpolation_is_not_a_call),
          TEST_ENTRY(nested_def_in_quote), TEST_ENTRY(multi_clause_aggregate),
          TEST_ENTRY(lines_without_token_metadata), TEST_ENTRY(bodyless_and_defguard),
          TEST_ENTRY(not_a_call), TEST_ENTRY(buckets), TEST_ENTRY(stdlib_sanity))
