/* test_pattern.c: structural pattern search (src/query/pattern.c, docs/patterns.md).
 *
 * Each test runs one pattern over a small source and compares the whole result, one
 * line per match, "line:column $a=text $b=text", with the exact expected text: wildcards,
 * bindings (a repeated `$name` must see equal subtrees), `...`, aliases (`alias`,
 * `as:`, multi-alias, __MODULE__), metadata ignored, no false matches, compile errors
 * with their positions, and the project-wide search over fixture files. */
#define _POSIX_C_SOURCE 200809L
#include "exscope.h"
#include "harness.h"
#include "query/pattern.h"

#include <unistd.h>

static char out[8192];

/* The matches of `pat` over `src` as text; NULL-terminated in `out`. */
static const char *run(const char *pat, const char *src) {
    exs_pattern *p = NULL;
    exs_error err;
    memset(&err, 0, sizeof err);
    exs_status st = exs_pattern_compile(pat, strlen(pat), &p, &err);
    if (st != EXS_OK) TEST_FAIL_("compile %s: %u:%u: %s", pat, err.line, err.column, err.message);
    exs_pattern_report r;
    ASSERT_EQ(exs_pattern_match_source(p, src, strlen(src), "t.ex", &r), EXS_OK);
    ASSERT_EQ(r.error_count, 0);
    size_t n = 0;
    out[0] = 0;
    for (uint32_t i = 0; i < r.count; i++) {
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%u:%u", i ? "\n" : "", r.matches[i].line,
                              r.matches[i].column);
        for (uint32_t k = 0; k < exs_pattern_binding_count(p); k++)
            n += (size_t)snprintf(out + n, sizeof out - n, " $%s=%s",
                                  exs_pattern_binding_name(p, k), r.matches[i].values[k]);
        ASSERT(n < sizeof out);
    }
    exs_pattern_report_free(&r);
    exs_pattern_free(p);
    return out;
}

static exs_status compile_err(const char *pat, exs_error *err) {
    exs_pattern *p = NULL;
    memset(err, 0, sizeof *err);
    exs_status st = exs_pattern_compile(pat, strlen(pat), &p, err);
    exs_pattern_free(p);
    return st;
}

TEST(wildcard_args) {
    const char *src = "x = Repo.get!(User, 1)\n"
                      "Repo.get!(User)\n"
                      "Repo.get(User, 1)\n"
                      "Repo.get!(User, 1, [])\n"
                      "y = Other.get!(A, b)\n";
    ASSERT_STR_EQ(run("Repo.get!(_, _)", src), "1:5");
    ASSERT_STR_EQ(run("Repo.get!(...)", src), "1:5\n2:1\n4:1");
    ASSERT_STR_EQ(run("Repo.get!(_, ...)", src), "1:5\n2:1\n4:1");
    ASSERT_STR_EQ(run("Repo.get!(_, _, ...)", src), "1:5\n4:1");
    ASSERT_STR_EQ(run("get!(_, _)", src), ""); /* a local call is not a remote one */
}

TEST(bindings) {
    const char *src = "def load(path) do\n"
                      "  {:ok, body} = File.read(path)\n"
                      "  {:ok, p} = File.read(p)\n"
                      "  {:error, e} = File.read(path <> \".bak\")\n"
                      "end\n";
    ASSERT_STR_EQ(run("{:ok, $x} = File.read($path)", src),
                  "2:3 $x=body $path=path\n3:3 $x=p $path=p");
    ASSERT_STR_EQ(run("{:ok, $x} = File.read($x)", src), "3:3 $x=p");
    ASSERT_STR_EQ(run("{_, $e} = File.read($p)", src),
                  "2:3 $e=body $p=path\n3:3 $e=p $p=p\n4:3 $e=e $p=path <> \".bak\"");
}

TEST(binding_equal_subtrees_ignore_metadata) {
    const char *src = "a = foo(x + 1, x + 1)\n"
                      "b = foo(x + 1,\n"
                      "        x + 1)\n"
                      "c = foo(x + 1, x + 2)\n"
                      "d = foo(bar(:k, [1, 2]), bar(:k, [1, 2]))\n";
    ASSERT_STR_EQ(run("foo($a, $a)", src),
                  "1:5 $a=x + 1\n2:5 $a=x + 1\n5:5 $a=bar(:k, [1, 2])");
    ASSERT_STR_EQ(run("foo($a, $b)", src),
                  "1:5 $a=x + 1 $b=x + 1\n2:5 $a=x + 1 $b=x + 1\n4:5 $a=x + 1 $b=x + 2\n"
                  "5:5 $a=bar(:k, [1, 2]) $b=bar(:k, [1, 2])");
}

TEST(case_and_blocks) {
    const char *src = "case read(x) do\n"
                      "  {:ok, v} -> v\n"
                      "  _ -> nil\n"
                      "end\n"
                      "case y do\n"
                      "  z -> z\n"
                      "end\n";
    ASSERT_STR_EQ(run("case $x do ... end", src), "1:1 $x=read(x)\n5:1 $x=y");
    ASSERT_STR_EQ(run("case $x do _ -> _ end", src), "5:1 $x=y");
    ASSERT_STR_EQ(run("case $x do {:ok, $v} -> $v; _ -> nil end", src), "1:1 $x=read(x) $v=v");
}

TEST(aliases) {
    const char *src = "defmodule MyApp.Accounts do\n"
                      "  alias MyApp.Repo\n"
                      "  alias MyApp.{Mailer, Accounts.User}\n"
                      "  alias Ecto.Changeset, as: CS\n"
                      "  def a(id), do: Repo.get!(User, id)\n"
                      "  def b(id), do: MyApp.Repo.get!(MyApp.Accounts.User, id)\n"
                      "  def c(x), do: Mailer.deliver(x)\n"
                      "  def d(x), do: CS.cast(x, %{}, [])\n"
                      "  def e(x), do: __MODULE__.a(x)\n"
                      "  def f(x), do: Repo.all(x)\n"
                      "end\n"
                      "defmodule Other do\n"
                      "  def g(id), do: Repo.get!(User, id)\n"
                      "end\n";
    ASSERT_STR_EQ(run("MyApp.Repo.get!(MyApp.Accounts.User, $id)", src), "5:18 $id=id\n6:18 $id=id");
    /* As written also matches (in Other, Repo is not an alias of MyApp.Repo). */
    ASSERT_STR_EQ(run("Repo.get!(_, _)", src), "5:18\n13:18");
    ASSERT_STR_EQ(run("MyApp.Mailer.deliver(_)", src), "7:17");
    ASSERT_STR_EQ(run("Ecto.Changeset.cast(...)", src), "8:17");
    ASSERT_STR_EQ(run("MyApp.Accounts.a($x)", src), "9:17 $x=x");
    ASSERT_STR_EQ(run("__MODULE__.a(_)", src), "9:17");
}

TEST(no_false_matches) {
    const char *src = "foo(1)\nfoo(:one)\nfoo(\"1\")\nfoo(1.0)\nfoo([1])\nfoo({1})\nfoo(x)\n"
                      "foo x\nfoo(1, 2)\nbar(1)\nM.foo(1)\n";
    ASSERT_STR_EQ(run("foo(1)", src), "1:1");
    ASSERT_STR_EQ(run("foo(x)", src), "7:1\n8:1"); /* parens are metadata */
    ASSERT_STR_EQ(run("foo(:one)", src), "2:1");
    ASSERT_STR_EQ(run("foo([_])", src), "5:1");
    ASSERT_STR_EQ(run("foo({_})", src), "6:1");
    ASSERT_STR_EQ(run("M.foo(_)", src), "11:1");
    ASSERT_STR_EQ(run("foo", src), ""); /* the variable foo, not the call */
}

TEST(nested_and_lists) {
    const char *src = "f(f(f(1)))\n[1, 2, 3, 4]\nlist = [a: 1, b: 2]\n";
    ASSERT_STR_EQ(run("f(_)", src), "1:1\n1:3\n1:5");
    ASSERT_STR_EQ(run("[1, ..., 4]", src), "0:0"); /* top level literal: no position */
    ASSERT_STR_EQ(run("[1, ..., 4]", "x = [1, 2, 3, 4]\n"), "1:0");
    ASSERT_STR_EQ(run("[..., 3, $last]", src), "0:0 $last=4");
    ASSERT_STR_EQ(run("$v = [a: $x, b: _]", src), "3:1 $v=list $x=1");
    ASSERT_STR_EQ(run("$v = [..., b: $x]", src), "3:1 $v=list $x=2");
}

TEST(compile_errors) {
    exs_error err;
    ASSERT_EQ(compile_err("foo(", &err), EXS_ERR_SYNTAX);
    ASSERT_EQ(err.line, 1);
    ASSERT_EQ(err.column, 5);
    ASSERT_EQ(compile_err("f($)", &err), EXS_ERR_SYNTAX);
    ASSERT_EQ(err.column, 3);
    ASSERT_EQ(compile_err("f($Abc)", &err), EXS_ERR_SYNTAX);
    /* Positions are in the text as written, before `$x` was rewritten. */
    ASSERT_EQ(compile_err("f($abc, $de) )", &err), EXS_ERR_SYNTAX);
    ASSERT_EQ(err.column, 14);
    ASSERT_EQ(compile_err("", &err), EXS_ERR_SYNTAX);
    ASSERT_EQ(compile_err("a\nb", &err), EXS_ERR_SYNTAX);
    /* `$` in strings and ?$ are left alone. */
    ASSERT_EQ(compile_err("f(\"$\", ?$)", &err), EXS_OK);
    ASSERT_STR_EQ(run("f(\"$x\", ?$)", "f(\"$x\", ?$)\n"), "1:1");
}

TEST(name_bindings) {
    const char *src = "def f(x) when is_integer(x), do: x\n"
                      "def g(y), do: Enum.map(y, &h/1) |> Enum.sum()\n"
                      "raise ArgumentError, \"key #{inspect(k)} not found\"\n";
    ASSERT_STR_EQ(run("def $name($a) when $g, do: $a", src), "1:1 $name=f $a=x $g=is_integer(x)");
    ASSERT_STR_EQ(run("Enum.$f(...)", src), "2:15 $f=map\n2:36 $f=sum");
    ASSERT_STR_EQ(run("$f(y, _)", src), "");
    ASSERT_STR_EQ(run("$m.map($y, _)", src), "2:15 $m=Enum $y=y");
    ASSERT_STR_EQ(run("raise ArgumentError, $msg", src),
                  "3:1 $msg=\"key #{inspect(k)} not found\"");
}

TEST(binding_names) {
    exs_pattern *p = NULL;
    const char *pat = "{$b, $a, $b}";
    ASSERT_EQ(exs_pattern_compile(pat, strlen(pat), &p, NULL), EXS_OK);
    ASSERT_EQ(exs_pattern_binding_count(p), 2);
    ASSERT_STR_EQ(exs_pattern_binding_name(p, 0), "b");
    ASSERT_STR_EQ(exs_pattern_binding_name(p, 1), "a");
    ASSERT(exs_pattern_binding_name(p, 2) == NULL);
    exs_pattern_free(p);
}

TEST(project_search) {
    char dir[] = "/tmp/exs_pattern_XXXXXX";
    ASSERT(mkdtemp(dir));
    char paths[3][64];
    const char *srcs[3] = {"defmodule A do\n  def f, do: Repo.get!(X, 1)\nend\n",
                           "defmodule B do\n  def f(, do: 1\nend\n",
                           "Repo.get!(Y, 2)\nRepo.get!(Z, 3)\n"};
    const char *ptrs[4];
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/f%d.ex", dir, i);
        FILE *f = fopen(paths[i], "w");
        ASSERT(f);
        fputs(srcs[i], f);
        fclose(f);
        ptrs[i] = paths[i];
    }
    ptrs[3] = "/nonexistent/file.ex";
    exs_pattern *p = NULL;
    ASSERT_EQ(exs_pattern_compile("Repo.get!($m, _)", 16, &p, NULL), EXS_OK);
    exs_pattern_report r;
    ASSERT_EQ(exs_pattern_search_files(p, ptrs, 4, 2, &r), EXS_OK);
    ASSERT_EQ(r.files, 4);
    ASSERT_EQ(r.error_count, 2);
    ASSERT_EQ(r.count, 3);
    ASSERT_STR_EQ(r.matches[0].path, paths[0]);
    ASSERT_EQ(r.matches[0].line, 2);
    ASSERT_STR_EQ(r.matches[0].values[0], "X");
    ASSERT_STR_EQ(r.matches[0].snippet, "def f, do: Repo.get!(X, 1)");
    ASSERT(r.matches[0].node_id != 0);
    ASSERT_STR_EQ(r.matches[1].values[0], "Y");
    ASSERT_STR_EQ(r.matches[2].values[0], "Z");
    ASSERT_STR_EQ(r.matches[2].path, paths[2]);
    exs_pattern_report_free(&r);
    /* The same through a loaded set, twice (the set is reusable). */
    exs_source_set *s = NULL;
    ASSERT_EQ(exs_source_set_load(ptrs, 4, 2, &s), EXS_OK);
    ASSERT_EQ(exs_source_set_count(s), 4);
    for (int k = 0; k < 2; k++) {
        ASSERT_EQ(exs_pattern_search(p, s, 2, &r), EXS_OK);
        ASSERT_EQ(r.count, 3);
        exs_pattern_report_free(&r);
    }
    exs_source_set_free(s);
    exs_pattern_free(p);
    for (int i = 0; i < 3; i++) remove(paths[i]);
    rmdir(dir);
}

TEST_LIST(TEST_ENTRY(wildcard_args), TEST_ENTRY(bindings),
          TEST_ENTRY(binding_equal_subtrees_ignore_metadata), TEST_ENTRY(case_and_blocks),
          TEST_ENTRY(aliases), TEST_ENTRY(no_false_matches), TEST_ENTRY(nested_and_lists),
          TEST_ENTRY(compile_errors), TEST_ENTRY(binding_names), TEST_ENTRY(name_bindings), TEST_ENTRY(project_search))
